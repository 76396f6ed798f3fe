//! Browser tests of the web edge, run in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use molap_lab::web;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Adds a canvas with the given id to the test page.
fn add_canvas(id: &str) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_id(id);
    canvas.set_width(400);
    canvas.set_height(300);
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

/// Counts pixels that are neither transparent nor near white.
fn inked_pixels(canvas: &HtmlCanvasElement) -> usize {
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let data = context
        .get_image_data(0.0, 0.0, 400.0, 300.0)
        .unwrap()
        .data();
    data.chunks(4)
        .filter(|p| p[3] > 0 && (p[0] < 240 || p[1] < 240 || p[2] < 240))
        .count()
}

#[wasm_bindgen_test]
fn draws_the_leaky_response_on_a_canvas() {
    let canvas = add_canvas("wasm-test-leaky");
    assert_eq!(inked_pixels(&canvas), 0);
    web::draw_leaky_response("wasm-test-leaky", 150.0).unwrap();
    assert!(inked_pixels(&canvas) > 1000);
}

#[wasm_bindgen_test]
fn refuses_a_missing_canvas_and_a_bad_tau() {
    assert!(web::draw_leaky_response("no-such-canvas", 100.0).is_err());
    add_canvas("wasm-test-bad-tau");
    assert!(web::draw_leaky_response("wasm-test-bad-tau", f64::NAN).is_err());
    assert!(web::draw_leaky_response("wasm-test-bad-tau", -5.0).is_err());
}

/// The embedded default model, as the page fetches it.
const DEFAULT_MODEL: &[u8] = include_bytes!("../models/default.molap");

fn canvas_of_size(id: &str, width: u32, height: u32) -> HtmlCanvasElement {
    let canvas = add_canvas(id);
    canvas.set_width(width);
    canvas.set_height(height);
    canvas
}

#[wasm_bindgen_test]
fn a_lab_draws_every_panel_and_exports_csv() {
    let mut lab = web::Lab::new(DEFAULT_MODEL).unwrap();
    lab.set_view("molap", "memorypro", 0).unwrap();
    lab.set_performance(r#"[{"method":"molap","per_task":[0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,-1]}]"#)
        .unwrap();
    lab.set_robustness(
        r#"{"kind":"unit_loss","current":0.1,"range":[0,0.5],"curves":[{"method":"molap","points":[
            {"magnitude":0,"per_task":[1],"mean":1,"spread":0},
            {"magnitude":0.5,"per_task":[0.2],"mean":0.2,"spread":0.1}]}]}"#,
    )
    .unwrap();
    for panel in [
        "trajectories",
        "trial",
        "performance",
        "learning",
        "robustness",
        "efficiency",
    ] {
        let id = format!("wasm-test-{panel}");
        canvas_of_size(&id, 400, 300);
        lab.draw(panel, &id).unwrap();
        let canvas: HtmlCanvasElement = web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .get_element_by_id(&id)
            .unwrap()
            .dyn_into()
            .unwrap();
        assert!(inked_pixels(&canvas) > 500, "{panel} is drawn");
        assert!(
            lab.csv(panel).unwrap().lines().count() > 1,
            "{panel} has CSV rows"
        );
    }
}

#[wasm_bindgen_test]
fn a_lab_refuses_bad_files_and_bad_requests_with_readable_errors() {
    assert!(web::Lab::new(b"not a model").is_err());
    assert!(web::Lab::new(&DEFAULT_MODEL[..1000]).is_err());
    let mut lab = web::Lab::new(DEFAULT_MODEL).unwrap();
    assert!(lab.set_view("nonsense", "memorypro", 0).is_err());
    assert!(lab.set_view("molap", "memorypro", 99).is_err());
    assert!(lab.set_perturbation("{not json").is_err());
    assert!(lab.set_perturbation(r#"{"unit_loss": 3}"#).is_err());
    assert!(lab.draw("no-such-panel", "wasm-test-leaky").is_err());
}

#[wasm_bindgen_test]
fn a_run_from_scratch_pretrains_each_module_then_hands_back_a_resized_network() {
    let settings = r#"{"from":"scratch","lr":0.003,"batch_size":8,"trials":16,"seed":1,"units":6}"#;
    let mut trainer = web::TrainerHandle::new(DEFAULT_MODEL, "molap", settings).unwrap();
    let mut stages = Vec::new();
    while !trainer.in_task_stage() {
        let progress = trainer.train(5, false).unwrap();
        stages.push(progress);
    }
    let text = stages.join("\n");
    assert!(text.contains("pre-training module 3 of 3"), "{text}");
    let progress = trainer.train(5, false).unwrap();
    assert!(progress.contains("\"done\":true"), "{progress}");
    let mut lab = web::Lab::new(DEFAULT_MODEL).unwrap();
    let weights = trainer.weights().to_vec();
    assert!(
        lab.set_weights("molap", &weights, None).is_err(),
        "not the shipped shape"
    );
    lab.set_weights("molap", &weights, Some(trainer.network_config()))
        .unwrap();
    let on_shipped =
        r#"{"from":"pretrained","lr":0.003,"batch_size":8,"trials":16,"seed":1,"units":6}"#;
    assert!(web::TrainerHandle::new(DEFAULT_MODEL, "molap", on_shipped).is_err());
}

#[wasm_bindgen_test]
fn a_trainer_trains_and_hands_back_weights_the_lab_accepts() {
    let settings = r#"{"from":"pretrained","lr":0.003,"batch_size":8,"trials":16,"seed":1}"#;
    let mut trainer = web::TrainerHandle::new(DEFAULT_MODEL, "molap", settings).unwrap();
    let progress = trainer.train(5, false).unwrap();
    assert!(
        progress.contains("\"trials\":16") && progress.contains("\"done\":true"),
        "{progress}"
    );
    let weights = trainer.weights().to_vec();
    let mut lab = web::Lab::new(DEFAULT_MODEL).unwrap();
    lab.set_weights("molap", &weights, None).unwrap();
    assert!(lab.set_weights("molap", &weights[1..], None).is_err());
    assert!(
        web::TrainerHandle::new(
            DEFAULT_MODEL,
            "molap",
            r#"{"from":"x","lr":1,"batch_size":8,"trials":16,"seed":1}"#
        )
        .is_err()
    );
}

#[wasm_bindgen_test]
fn each_curve_spans_its_controls_range_and_module_loss_starts_at_none() {
    let maxima: serde_json::Value = serde_json::from_str(&web::perturbation_maxima()).unwrap();
    let maxima = maxima.as_object().unwrap();
    assert_eq!(maxima.len(), 6, "every continuous perturbation: {maxima:?}");
    assert!(!maxima.contains_key("module_loss"));
    let lab = web::Lab::new(DEFAULT_MODEL).unwrap();
    for (kind, max) in maxima {
        let magnitudes = lab.magnitudes(kind).unwrap().to_vec();
        assert_eq!(magnitudes[0], 0.0, "{kind}");
        assert_eq!(magnitudes.last().copied(), max.as_f64(), "{kind}");
    }
    assert_eq!(maxima["rec_weight_noise"], 2.0);
    assert_eq!(maxima["input_noise"], 20.0);
    assert_eq!(
        lab.magnitudes("module_loss").unwrap().to_vec(),
        [0.0, 1.0, 2.0, 3.0]
    );
}

#[wasm_bindgen_test]
fn a_module_loss_curve_exports_its_settings_by_name() {
    let mut lab = web::Lab::new(DEFAULT_MODEL).unwrap();
    let points: Vec<String> = (0..4)
        .map(|m| {
            lab.sweep_point("molap", "module_loss", f64::from(m), 1, 0)
                .unwrap()
        })
        .collect();
    lab.set_robustness(&format!(
        r#"{{"kind":"module_loss","current":2,"range":[0,3],"curves":[{{"method":"molap","points":[{}]}}]}}"#,
        points.join(",")
    ))
    .unwrap();
    let csv = lab.csv("robustness").unwrap();
    let settings: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(
        settings,
        ["none", "module 1", "module 2", "module 3"],
        "{csv}"
    );
    canvas_of_size("wasm-test-module-loss", 400, 300);
    lab.draw("robustness", "wasm-test-module-loss").unwrap();
}

#[wasm_bindgen_test]
fn a_lab_restores_the_loaded_network_and_curve_after_training() {
    let mut lab = web::Lab::new(DEFAULT_MODEL).unwrap();
    let original = lab.weights("molap").unwrap().to_vec();
    let curve = lab.learning_curve("molap").unwrap();
    let settings = r#"{"from":"pretrained","lr":0.003,"batch_size":8,"trials":16,"seed":1}"#;
    let mut trainer = web::TrainerHandle::new(DEFAULT_MODEL, "molap", settings).unwrap();
    trainer.train(5, false).unwrap();
    lab.set_weights("molap", &trainer.weights().to_vec(), None)
        .unwrap();
    lab.set_learning_curve(&trainer.curve()).unwrap();
    assert_ne!(lab.weights("molap").unwrap().to_vec(), original);
    assert_ne!(lab.learning_curve("molap").unwrap(), curve);
    lab.restore("molap").unwrap();
    assert_eq!(lab.weights("molap").unwrap().to_vec(), original);
    assert_eq!(lab.learning_curve("molap").unwrap(), curve);
    assert!(lab.restore("nonsense").is_err());
}

#[wasm_bindgen_test]
fn the_learning_panel_spans_the_run_shown_and_exports_both_runs() {
    let mut lab = web::Lab::new(DEFAULT_MODEL).unwrap();
    let saved = lab.learning_span();
    assert!(saved > 640.0, "{saved}");
    let earlier = lab.learning_curve("molap").unwrap();
    lab.set_learning_runs(&format!(
        r#"{{"run":{{"method":"molap","from":"scratch","span":640}},"earlier":{{"from":"the pre-trained modules","curve":{earlier}}}}}"#
    ))
    .unwrap();
    assert_eq!(lab.learning_span(), 640.0);
    let csv = lab.csv("learning").unwrap();
    assert!(csv.starts_with("run,method,"), "{csv}");
    assert!(csv.contains("\nthis run,molap,loss,"), "the run's rows");
    assert!(
        csv.contains("\nearlier run,molap,loss,"),
        "the earlier run's rows"
    );
    lab.set_learning_runs(r#"{"run":null,"earlier":null}"#)
        .unwrap();
    assert_eq!(lab.learning_span(), saved);
    assert!(lab.set_learning_runs("{not json").is_err());
}

#[wasm_bindgen_test]
fn a_run_diverging_on_its_first_step_keeps_its_starting_weights_and_says_so() {
    let settings = r#"{"from":"pretrained","lr":10,"batch_size":32,"trials":640,"seed":0}"#;
    let mut trainer = web::TrainerHandle::new(DEFAULT_MODEL, "molap", settings).unwrap();
    let start = trainer.weights().to_vec();
    let plan = trainer.plan();
    assert!(
        plan.contains(r#""stage":"task stage""#) && plan.contains(r#""trials":640"#),
        "{plan}"
    );
    let progress = trainer.train(20, false).unwrap();
    assert!(progress.contains(r#""kept_trials":0"#), "{progress}");
    assert!(progress.contains(r#""stage":"task stage""#), "{progress}");
    assert_eq!(trainer.weights().to_vec(), start);
    let scratch = r#"{"from":"scratch","lr":0.003,"batch_size":8,"trials":16,"seed":1,"units":6}"#;
    let trainer = web::TrainerHandle::new(DEFAULT_MODEL, "molap", scratch).unwrap();
    let plan = trainer.plan();
    for stage in [
        "fitting the primitives",
        "pre-training module 3 of 3",
        "task stage",
    ] {
        assert!(plan.contains(stage), "{plan}");
    }
}
