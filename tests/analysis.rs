//! The trajectory analysis: PCA against a direct computation, axes fitted once and kept under
//! perturbation, trial selection and the trial view, and the plots drawn on a recording backend.
#![cfg(not(target_arch = "wasm32"))]

use molap_lab::analysis::{self, N_TRIALS, Pca2, Projector};
use molap_lab::methods::Method;
use molap_lab::model::Model;
use molap_lab::network::{Network, NetworkConfig};
use molap_lab::perturb::Perturbation;
use molap_lab::plots::{trajectories, trial};
use molap_lab::tasks::{self, Task};
use plotters::prelude::IntoDrawingArea;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle};
use plotters_backend::{DrawingBackend, DrawingErrorKind};
use std::cell::RefCell;
use std::rc::Rc;

/// A backend that records the text drawn and counts the other primitives, into a log shared
/// with the test (the drawing area owns the backend).
#[derive(Clone, Default)]
struct Recorder {
    log: Rc<RefCell<Log>>,
}

#[derive(Default)]
struct Log {
    texts: Vec<String>,
    shapes: usize,
}

#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl DrawingBackend for Recorder {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        (980, 460)
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }
    fn draw_pixel(
        &mut self,
        _: BackendCoord,
        _: BackendColor,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.log.borrow_mut().shapes += 1;
        Ok(())
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        _: BackendCoord,
        _: BackendCoord,
        _: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.log.borrow_mut().shapes += 1;
        Ok(())
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        _: &S,
        _: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.log.borrow_mut().texts.push(text.to_string());
        Ok(())
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        _: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Never>> {
        Ok((7 * text.chars().count() as u32, 14))
    }
}

impl Recorder {
    fn has(&self, needle: &str) -> bool {
        self.log.borrow().texts.iter().any(|t| t.contains(needle))
    }
    fn shapes(&self) -> usize {
        self.log.borrow().shapes
    }
}

fn network() -> Network<f32> {
    Network::random(&NetworkConfig::default(), 3).unwrap()
}

#[test]
fn pca_finds_the_direction_of_largest_variance() {
    // Points spread along (1, 1, 0) much more than along (0, 0, 1).
    let points: Vec<[f32; 3]> = (0..40)
        .map(|i| {
            let t = i as f32 / 10.0 - 2.0;
            [t + 1.0, t + 1.0, 0.1 * (i % 3) as f32]
        })
        .collect();
    let refs: Vec<&[f32]> = points.iter().map(|p| p.as_slice()).collect();
    let pca = Pca2::fit(&refs).unwrap();
    let a = &pca.axes[0];
    let s = std::f64::consts::FRAC_1_SQRT_2;
    assert!(
        (a[0] - s).abs() < 1e-3 && (a[1] - s).abs() < 1e-3 && a[2].abs() < 1e-2,
        "{a:?}"
    );
    assert!(pca.explained[0] > 0.99 && pca.explained[0] <= 1.0);
    let dot: f64 = pca.axes[0]
        .iter()
        .zip(&pca.axes[1])
        .map(|(x, y)| x * y)
        .sum();
    assert!(dot.abs() < 1e-9, "axes must be orthogonal");
    // The mean projects to the origin.
    let mean: Vec<f32> = pca.mean.iter().map(|&m| m as f32).collect();
    let (x, y) = pca.project(&mean);
    assert!(x.abs() < 1e-5 && y.abs() < 1e-5);
}

#[test]
fn pca_refuses_points_of_different_lengths() {
    let a = [1.0_f32, 2.0];
    let b = [1.0_f32];
    assert!(Pca2::fit(&[&a[..], &b[..]]).is_err());
    assert!(Pca2::fit(&[]).is_err());
}

#[test]
fn the_trials_shown_spread_around_the_circle() {
    let batch = tasks::eval_batch(Task::DelayPro, 20.0).unwrap();
    let picked = analysis::spread_trials(&batch, N_TRIALS);
    assert_eq!(picked.len(), N_TRIALS);
    let thetas: Vec<f32> = picked.iter().map(|&b| batch.trials[b].theta1).collect();
    assert!(
        thetas.windows(2).all(|w| w[0] <= w[1]),
        "in increasing direction"
    );
    assert!(thetas[0] < 0.5 && thetas[N_TRIALS - 1] > 5.5, "{thetas:?}");

    let sub = analysis::select_trials(&batch, &picked);
    assert_eq!(sub.batch_size, N_TRIALS);
    assert_eq!(
        sub.inputs_at(3)[..sub.n_in],
        batch.inputs_at(3)[picked[0] * 14..picked[0] * 14 + 14]
    );
}

#[test]
fn axes_are_fitted_once_and_perturbations_project_onto_them() {
    let net = network();
    let mut projector = Projector::fit(&net, Task::MemoryPro).unwrap();
    assert_eq!(projector.axes.len(), 3);
    assert_eq!(projector.reference.modules.len(), 3);
    assert_eq!(projector.reference.directions.len(), N_TRIALS);
    let steps = projector.batch.n_steps;
    assert!(
        projector
            .reference
            .modules
            .iter()
            .all(|m| m.trials.iter().all(|t| t.len() == steps + 1))
    );

    // Unperturbed: exactly the reference again.
    let trace = projector.run(&net, &Perturbation::default()).unwrap();
    let again = projector.project(&trace, &net.modules());
    assert_eq!(again, projector.reference);

    // Perturbed: the same axes, different paths; a silenced module sits at one point.
    let mut p = Perturbation {
        rec_weight_noise: 0.8,
        module_loss: Some(1),
        ..Perturbation::default()
    };
    let trace = projector.run(&net, &p).unwrap();
    let moved = projector.project(&trace, &net.modules());
    assert_ne!(moved.modules[0], projector.reference.modules[0]);
    let silent = &moved.modules[1].trials;
    assert!(silent.iter().flatten().all(|&q| q == silent[0][0]));
    p.seed = 9;
    let other = projector.run(&net, &p).unwrap();
    assert_ne!(
        projector.project(&other, &net.modules()),
        moved,
        "the seed changes the draw"
    );
}

#[test]
fn the_trial_view_reports_what_the_score_says() {
    let net = network();
    let projector = Projector::fit(&net, Task::DelayAnti).unwrap();
    let trace = &projector.reference_trace;
    let outputs: Vec<f32> = trace.output_at(trace.n_steps - 1).to_vec();
    let fraction = tasks::performance(&outputs, &projector.batch);
    let correct = (0..N_TRIALS)
        .filter(|&b| {
            analysis::trial_view(Task::DelayAnti, &projector.batch, trace, b)
                .unwrap()
                .correct
        })
        .count();
    assert!((correct as f64 / N_TRIALS as f64 - fraction).abs() < 1e-12);

    let view = analysis::trial_view(Task::DelayAnti, &projector.batch, trace, 2).unwrap();
    assert_eq!(view.inputs.len(), projector.batch.n_steps);
    assert!(view.mask.contains(&0.0) && view.mask.contains(&5.0));
    assert!(analysis::trial_view(Task::DelayAnti, &projector.batch, trace, N_TRIALS).is_err());
    let csv = analysis::trial_csv(&view);
    assert_eq!(csv.lines().count(), view.inputs.len() + 1);
    assert!(csv.lines().nth(1).unwrap().split(',').nth(1) == Some("fixation"));
}

#[test]
fn both_panels_draw_with_their_labels() {
    let bytes = std::fs::read("models/default.molap").unwrap();
    let model = Model::from_bytes(&bytes).unwrap();
    let net = model
        .network(Method::Molap)
        .unwrap()
        .network
        .to_network()
        .unwrap();
    let projector = Projector::fit(&net, Task::MemoryPro).unwrap();

    let recorder = Recorder::default();
    {
        let area = recorder.clone().into_drawing_area();
        let r = &projector.reference;
        trajectories::draw_trajectories(
            &area,
            r,
            r,
            &projector.ranges,
            "test",
            trajectories::Parts::Modules,
        )
        .unwrap();
    }
    assert!(recorder.has("PC1 (a.u.)") && recorder.has("PC2 (a.u.)") && recorder.has("Module 3"));
    assert!(recorder.has("stimulus direction") && recorder.shapes() > 1000);

    let view = analysis::trial_view(
        Task::MemoryPro,
        &projector.batch,
        &projector.reference_trace,
        0,
    )
    .unwrap();
    let recorder = Recorder::default();
    {
        let area = recorder.clone().into_drawing_area();
        trial::draw_trial(&area, &view, "test").unwrap();
    }
    assert!(recorder.has("time (ms)") && recorder.has("not scored"));
    assert!(recorder.has("correct") || recorder.has("wrong"));

    let csv = analysis::trajectories_csv(&projector.reference, &projector.reference);
    assert_eq!(
        csv.lines().count(),
        1 + 3 * N_TRIALS * (projector.batch.n_steps + 1)
    );
}
