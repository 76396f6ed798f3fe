#![cfg(not(target_arch = "wasm32"))]
//! End-to-end tests of the `molap` binary with tiny budgets: the pre-train → train → eval
//! pipeline, figures and CSV files, and clear failures on bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const BIN: &str = env!("CARGO_BIN_EXE_molap");

/// Runs `molap` with `args` in `dir`.
fn molap(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the molap binary runs")
}

/// Runs `molap` and insists it succeeds; returns its standard output.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = molap(dir, args);
    assert!(
        out.status.success(),
        "molap {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `molap`, insists it fails, and returns its standard error.
fn fails(dir: &Path, args: &[&str]) -> String {
    let out = molap(dir, args);
    assert!(!out.status.success(), "molap {args:?} should have failed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A directory holding `pre.molap` (tiny modules, pre-trained) and `model.molap` (every
/// method trained briefly), made once per test run.
fn fixture() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("fixture directory");
        ok(
            &dir,
            &[
                "pretrain",
                "--out",
                "pre.molap",
                "--modules",
                "8,8,8",
                "--trials",
                "320",
            ],
        );
        ok(
            &dir,
            &[
                "train",
                "--pretrained",
                "pre.molap",
                "--out",
                "model.molap",
                "--trials",
                "320",
                "--eval-every",
                "160",
            ],
        );
        dir
    })
}

fn model() -> String {
    fixture().join("model.molap").display().to_string()
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

#[test]
fn help_explains_subcommands_and_defaults() {
    let dir = scratch();
    let top = ok(dir.path(), &["--help"]);
    for sub in [
        "pretrain", "train", "eval", "sweep", "transfer", "export", "info",
    ] {
        assert!(top.contains(sub), "--help lacks {sub}");
    }
    let train = ok(dir.path(), &["train", "--help"]);
    assert!(train.contains("[default: 200000]") && train.contains("in trials"));
}

#[test]
fn eval_json_has_nine_tasks_per_method() {
    let json = ok(fixture(), &["eval", &model(), "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let methods = value.as_object().expect("an object of methods");
    assert_eq!(methods.len(), 4);
    for (name, m) in methods {
        let tasks = m["performance"].as_object().expect("performance per task");
        assert_eq!(tasks.len(), 9, "{name}");
        assert!(m["mean"].as_f64().is_some_and(|p| (0.0..=1.0).contains(&p)));
        assert!(m["trained_params"].as_u64().is_some_and(|n| n > 0));
    }
}

#[test]
fn eval_table_and_info_name_every_method() {
    let table = ok(fixture(), &["eval", &model(), "--perturb", "unit_loss=0.2"]);
    let info = ok(fixture(), &["info", &model()]);
    for label in [
        "MoLaP",
        "Monolithic",
        "Random modules",
        "Pre-trained monolith",
    ] {
        assert!(table.contains(label) && info.contains(label), "{label}");
    }
}

#[test]
fn bad_input_fails_with_a_message_naming_the_problem() {
    let m = model();
    let dir = fixture();
    assert!(fails(dir, &["eval", "nowhere.molap"]).contains("nowhere.molap"));
    assert!(fails(dir, &["eval", &m, "--method", "bogus"]).contains("bogus"));
    assert!(fails(dir, &["eval", &m, "--perturb", "wobble=1"]).contains("wobble"));
    let range = fails(dir, &["eval", &m, "--perturb", "unit_loss=1.5"]);
    assert!(
        range.contains("unit_loss") && range.contains("[0, 1]"),
        "{range}"
    );
    let module = fails(dir, &["eval", &m, "--perturb", "module_loss=7"]);
    assert!(module.contains("module 7"), "{module}");
    let stop = fails(
        dir,
        &[
            "train",
            "--pretrained",
            &m,
            "--out",
            "x",
            "--stop-at",
            "1.5",
        ],
    );
    assert!(stop.contains("--stop-at"), "{stop}");
    let pre = fixture().join("pre.molap").display().to_string();
    assert!(fails(dir, &["eval", &pre]).contains("no trained network"));
}

#[test]
fn truncated_model_file_is_refused() {
    let dir = scratch();
    let bytes = std::fs::read(fixture().join("model.molap")).unwrap();
    std::fs::write(dir.path().join("cut.molap"), &bytes[..bytes.len() / 2]).unwrap();
    let err = fails(dir.path(), &["info", "cut.molap"]);
    assert!(
        err.contains("cut.molap") && err.contains("truncated"),
        "{err}"
    );
}

#[test]
fn failed_training_leaves_the_output_untouched() {
    let dir = scratch();
    std::fs::write(dir.path().join("out.molap"), b"old").unwrap();
    let pre = fixture().join("pre.molap").display().to_string();
    let err = fails(
        dir.path(),
        &[
            "train",
            "--pretrained",
            &pre,
            "--out",
            "out.molap",
            "--lr=-1",
        ],
    );
    assert!(err.contains("lr"), "{err}");
    assert_eq!(std::fs::read(dir.path().join("out.molap")).unwrap(), b"old");
    fails(
        dir.path(),
        &[
            "train",
            "--pretrained",
            "missing.molap",
            "--out",
            "new.molap",
        ],
    );
    assert!(!dir.path().join("new.molap").exists());
}

#[test]
fn export_writes_svg_png_and_csv() {
    let dir = scratch();
    let m = model();
    ok(
        dir.path(),
        &["export", &m, "--figure", "performance", "--out", "p.svg"],
    );
    let svg = std::fs::read_to_string(dir.path().join("p.svg")).unwrap();
    let has_text = |t: &str| svg.lines().any(|l| l.trim() == t);
    assert!(
        has_text("performance (% correct)") && has_text("task"),
        "axis labels"
    );
    ok(
        dir.path(),
        &[
            "export",
            &m,
            "--figure",
            "efficiency",
            "--format",
            "png",
            "--out",
            "e.png",
        ],
    );
    let png = std::fs::read(dir.path().join("e.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG magic bytes");
    ok(
        dir.path(),
        &["export", &m, "--figure", "efficiency", "--out", "e.csv"],
    );
    let csv = std::fs::read_to_string(dir.path().join("e.csv")).unwrap();
    let header = csv.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("method,trained,frozen,total,trials_to_90_delaypro,")
            && header.ends_with(",trials_to_90_multimemorydm"),
        "{header}"
    );
    assert!(
        csv.lines().skip(1).all(|l| l.split(',').count() == 13),
        "one column per task in every row:\n{csv}"
    );
    ok(
        dir.path(),
        &["export", &m, "--figure", "learning", "--out", "l.csv"],
    );
    let csv = std::fs::read_to_string(dir.path().join("l.csv")).unwrap();
    assert!(csv.starts_with("method,series,trials,value") && csv.contains("molap,mean,0,"));
    let err = fails(
        dir.path(),
        &["export", &m, "--figure", "learning", "--out", "l.txt"],
    );
    assert!(err.contains("--format"), "{err}");
}

#[test]
fn sweep_csv_has_a_row_per_method_and_magnitude() {
    let dir = scratch();
    let args = [
        "sweep",
        &model(),
        "--kind",
        "unit_loss",
        "--magnitudes",
        "0,0.5",
        "--draws",
        "1",
        "--csv",
        "s.csv",
    ];
    let table = ok(dir.path(), &args);
    assert!(table.contains("area"));
    let csv = std::fs::read_to_string(dir.path().join("s.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("method,kind,magnitude,mean,spread,delaypro"));
    assert_eq!(lines.len(), 1 + 4 * 2);
    assert!(lines[1..].iter().all(|l| l.contains(",unit_loss,")));
    let bad = [
        "sweep",
        &model(),
        "--kind",
        "synapse_loss",
        "--magnitudes",
        "2",
    ];
    assert!(fails(dir.path(), &bad).contains("synapse_loss"));
}

#[test]
fn module_loss_counts_modules_from_one_and_its_default_sweep_starts_at_none() {
    let dir = scratch();
    // The shipped model: its networks answer well enough for a lost module to show.
    let m = concat!(env!("CARGO_MANIFEST_DIR"), "/models/default.molap").to_string();
    let json = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["eval", m.as_str(), "--method", "molap", "--json"];
        args.extend_from_slice(extra);
        serde_json::from_str(&ok(dir.path(), &args)).expect("eval --json")
    };
    let plain = json(&[]);
    assert_eq!(
        json(&["--perturb", "module_loss=0"]),
        plain,
        "0 silences none"
    );
    assert_ne!(
        json(&["--perturb", "module_loss=1"]),
        plain,
        "1 silences the first"
    );
    assert!(fails(dir.path(), &["eval", &m, "--perturb", "module_loss=4"]).contains("module 4"));

    let args = [
        "sweep",
        &m,
        "--kind",
        "module_loss",
        "--method",
        "molap",
        "--draws",
        "1",
        "--csv",
        "m.csv",
    ];
    ok(dir.path(), &args);
    let csv = std::fs::read_to_string(dir.path().join("m.csv")).unwrap();
    let magnitudes: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(magnitudes, ["0", "1", "2", "3"]);
}

#[test]
fn transfer_reports_each_method_on_the_held_out_task() {
    let dir = scratch();
    let out = ok(
        dir.path(),
        &[
            "transfer",
            "--held-out",
            "delaypro",
            "--modules",
            "4,4,4",
            "--pretrain-trials",
            "64",
            "--trials",
            "64",
            "--transfer-trials",
            "64",
            "--transfer-eval-every",
            "32",
        ],
    );
    assert!(out.contains("held-out task delaypro"), "{out}");
    assert!(out.contains("MoLaP") && out.contains("Monolithic"));
}
