#![cfg(not(target_arch = "wasm32"))]
//! The hand-written forward and backward passes against an independent oracle: JAX autograd in
//! float64 (`scripts/autograd_reference.py`), on the cases `examples/dump_autograd_case.rs`
//! wrote. Both fixture files are committed; this test needs no Python.

mod common;

use common::autograd_case::{Case, ParamLists, ReferenceFile};
use molap_lab::network::{Group, Network, loss};

/// Largest relative difference allowed (both sides compute in f64; only summation order
/// differs).
const TOLERANCE: f64 = 1e-10;

fn load() -> (Vec<Case>, ReferenceFile) {
    let cases = include_str!("fixtures/autograd_case.json");
    let reference = include_str!("fixtures/autograd_reference.json");
    let cases: Vec<Case> = serde_json::from_str(cases).expect("case file parses");
    let reference: ReferenceFile = serde_json::from_str(reference).expect("reference parses");
    (cases, reference)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / (a.abs() + b.abs()).max(1e-12)
}

#[test]
fn loss_and_every_gradient_agree_with_jax_autograd() {
    let (cases, reference) = load();
    assert_eq!(cases.len(), reference.cases.len());
    assert!(cases.len() >= 3);
    for (case, expected) in cases.iter().zip(&reference.cases) {
        assert_eq!(case.name, expected.name);
        let mut net = Network::from_params(&case.config, case.params.to_params()).unwrap();
        for &u in &case.silenced {
            net.set_silenced(u, true).unwrap();
        }
        let trace = net.forward_clean(&case.batch).unwrap();
        let value = loss(&trace, &case.batch).unwrap();
        let grads = net.backward(&trace, &case.batch).unwrap();

        let err = rel(value, expected.loss);
        assert!(
            err < TOLERANCE,
            "{}: loss {value} vs {} ({err:e})",
            case.name,
            expected.loss
        );
        let theirs = ParamLists::to_params(&expected.grads);
        for g in Group::ALL {
            let (ours, ref_vals) = (grads.group(g), theirs.group(g));
            assert_eq!(
                ours.len(),
                ref_vals.len(),
                "{}: {} shape",
                case.name,
                g.name()
            );
            let worst = ours
                .iter()
                .zip(ref_vals)
                .map(|(&a, &b)| rel(a, b))
                .fold(0.0, f64::max);
            eprintln!("{}: {} max rel diff {worst:.2e}", case.name, g.name());
            assert!(
                worst < TOLERANCE,
                "{}: {} differs by {worst:e}",
                case.name,
                g.name()
            );
        }
    }
}

#[test]
fn the_reference_is_sensitive_to_a_wrong_gradient() {
    // A 1e-6 relative error in one entry would be caught: the comparison can fail.
    let (_, reference) = load();
    let theirs = reference.cases[0].grads.to_params();
    let a = theirs.w_in[(0, 0)];
    assert!(a != 0.0);
    assert!(rel(a * (1.0 + 1e-6), a) > TOLERANCE);
}
