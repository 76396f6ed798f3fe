#![cfg(not(target_arch = "wasm32"))]
//! Central-difference gradient checks, in f64, of every parameter group's backward pass.

mod common;

use common::{structured_batch, test_network};
use molap_lab::batch::Batch;
use molap_lab::network::{Activation, Connectivity, Group, Network, NoiseConfig, loss};
use molap_lab::tasks::{self, Task};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Largest relative error allowed between the analytic and the numerical gradient.
const TOLERANCE: f64 = 1e-6;
/// Central-difference step.
const EPS: f64 = 1e-5;
/// Groups with at most this many entries are checked entirely; larger ones on a random subset.
const CHECK_ALL_UP_TO: usize = 64;
const SUBSET: usize = 60;

/// The loss of `net` on `batch`, with the noise draws fixed by `noise_seed`.
fn loss_of(net: &Network<f64>, batch: &Batch, noise: &NoiseConfig, noise_seed: u64) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(noise_seed);
    let trace = net.forward(batch, noise, &mut rng).expect("forward");
    loss(&trace, batch).expect("loss")
}

/// `|a - b| / max(|a| + |b|, 1e-8)`: relative, with a floor for gradients that vanish.
fn rel_err(a: f64, b: f64) -> f64 {
    (a - b).abs() / (a.abs() + b.abs()).max(1e-8)
}

/// Checks every group of `net` on `batch`; returns the largest relative error per group.
fn check(net: &Network<f64>, batch: &Batch, noise: &NoiseConfig, label: &str) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let trace = net.forward(batch, noise, &mut rng).expect("forward");
    let grads = net.backward(&trace, batch).expect("backward");
    let mut pick = ChaCha8Rng::seed_from_u64(5);
    let mut worst = Vec::new();
    let mask = net.rec_mask().as_slice();
    for (&m, &d) in mask.iter().zip(grads.w_rec.as_slice()) {
        assert!(
            m != 0.0 || d == 0.0,
            "{label}: an absent recurrent weight has a gradient"
        );
    }
    for g in Group::ALL {
        // Candidates: every entry, except recurrent weights the structure forbids.
        let candidates: Vec<usize> = (0..grads.group(g).len())
            .filter(|&i| g != Group::WRec || mask[i] != 0.0)
            .collect();
        let indices: Vec<usize> = if candidates.len() <= CHECK_ALL_UP_TO {
            candidates
        } else {
            (0..SUBSET)
                .map(|_| candidates[pick.random_range(0..candidates.len())])
                .collect()
        };
        let mut max_err: f64 = 0.0;
        let mut n_checked = 0;
        for i in indices {
            let numeric = central_difference(net, batch, noise, g, i);
            let analytic = grads.group(g)[i];
            let err = rel_err(analytic, numeric);
            assert!(
                err < TOLERANCE,
                "{label}: {} [{i}] analytic {analytic:e} numeric {numeric:e} rel {err:e}",
                g.name()
            );
            max_err = max_err.max(err);
            n_checked += 1;
        }
        assert!(n_checked > 0, "{label}: nothing checked in {}", g.name());
        eprintln!(
            "{label}: {} max rel err {max_err:.2e} over {n_checked}",
            g.name()
        );
        worst.push(max_err);
    }
    worst
}

/// `(L(θ + ε) - L(θ - ε)) / 2ε` for entry `i` of group `g`.
fn central_difference(
    net: &Network<f64>,
    batch: &Batch,
    noise: &NoiseConfig,
    g: Group,
    i: usize,
) -> f64 {
    let mut plus = net.clone();
    plus.params.group_mut(g)[i] += EPS;
    let mut minus = net.clone();
    minus.params.group_mut(g)[i] -= EPS;
    (loss_of(&plus, batch, noise, 11) - loss_of(&minus, batch, noise, 11)) / (2.0 * EPS)
}

fn modular(activation: Activation) -> Network<f64> {
    test_network(&[5, 5, 5], 14, Connectivity::Modular, activation, 3)
}

#[test]
fn modular_tanh_gradients_match_central_differences() {
    let batch = structured_batch(30, 4, 14, 1);
    check(
        &modular(Activation::Tanh),
        &batch,
        &NoiseConfig::off(),
        "modular tanh",
    );
}

#[test]
fn monolithic_gradients_match_central_differences() {
    let batch = structured_batch(30, 4, 14, 2);
    let net = test_network(
        &[5, 5, 5],
        14,
        Connectivity::Monolithic,
        Activation::Tanh,
        4,
    );
    check(&net, &batch, &NoiseConfig::off(), "monolithic tanh");
}

#[test]
fn relu_gradients_match_central_differences() {
    let batch = structured_batch(30, 4, 14, 3);
    check(
        &modular(Activation::Relu),
        &batch,
        &NoiseConfig::off(),
        "modular relu",
    );
}

#[test]
fn softplus_gradients_match_central_differences() {
    let batch = structured_batch(30, 4, 14, 4);
    check(
        &modular(Activation::Softplus),
        &batch,
        &NoiseConfig::off(),
        "modular softplus",
    );
}

#[test]
fn silenced_units_pass_no_gradient_and_the_rest_still_matches() {
    let batch = structured_batch(30, 4, 14, 5);
    let mut net = modular(Activation::Tanh);
    net.set_silenced(2, true).unwrap();
    net.set_silenced(11, true).unwrap();
    check(&net, &batch, &NoiseConfig::off(), "silenced units");

    // Nothing flows into or out of a silenced unit.
    let grads = net
        .backward(&net.forward_clean(&batch).unwrap(), &batch)
        .unwrap();
    for u in [2, 11] {
        assert!(grads.w_in.row(u).iter().all(|&v| v == 0.0));
        assert!(grads.w_rec.row(u).iter().all(|&v| v == 0.0));
        assert!(grads.w_rec.column(u).iter().all(|&v| v == 0.0));
        assert!(grads.w_out.column(u).iter().all(|&v| v == 0.0));
        assert_eq!(grads.b[u], 0.0);
    }
}

#[test]
fn silenced_module_still_matches() {
    let batch = structured_batch(30, 4, 14, 6);
    let mut net = modular(Activation::Softplus);
    net.silence_module(1).unwrap();
    check(&net, &batch, &NoiseConfig::off(), "silenced module");
}

#[test]
fn gradients_with_fixed_noise_draws_match_central_differences() {
    let batch = structured_batch(30, 4, 14, 7);
    let noise = NoiseConfig {
        input_scale: 3.0,
        recurrent_scale: 2.0,
        ..NoiseConfig::default()
    };
    check(
        &modular(Activation::Tanh),
        &batch,
        &noise,
        "modular tanh, noise on",
    );
}

#[test]
fn the_check_fails_on_a_wrong_gradient() {
    // The checker itself must be able to fail: a gradient off by 1e-4 relative is caught.
    let batch = structured_batch(30, 4, 14, 8);
    let net = modular(Activation::Tanh);
    let grads = net
        .backward(&net.forward_clean(&batch).unwrap(), &batch)
        .unwrap();
    let numeric = central_difference(&net, &batch, &NoiseConfig::off(), Group::WIn, 3);
    assert!(rel_err(grads.w_in.as_slice()[3], numeric) < TOLERANCE);
    assert!(rel_err(grads.w_in.as_slice()[3] * (1.0 + 1e-4), numeric) > TOLERANCE);
}

#[test]
fn gradients_on_real_task_batches_match_central_differences() {
    // dt = 50 ms keeps the trials short; the corpus allows any dt up to 100 ms.
    for task in [Task::MemoryAnti, Task::CtxMemoryDm1] {
        let batch = tasks::generate_seeded(task, 3, 50.0, 77).expect("batch");
        let mut net = modular(Activation::Tanh);
        net.set_dt_ms(50.0).expect("dt");
        check(&net, &batch, &NoiseConfig::off(), task.short());
    }
}
