//! Hand-built batches and networks shared by the integration tests (the task generator is not
//! needed to test the network).

#![allow(dead_code)]

use molap_lab::batch::{Batch, Epoch, TrialInfo};
use molap_lab::network::{Activation, Connectivity, Network, NetworkConfig};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A batch shaped like the task corpus: a fixation channel on until the go step, a stimulus
/// `(sin θ, cos θ)` per trial on two channels, a one-hot rule channel, small structured
/// variation on the other channels; targets 0.8 on the fixation output before go and the
/// response `(sin θ, cos θ)` after; a mask of 0 (first steps and the grace period), 1 (before
/// go), 5 (after go), the fixation channel's weight doubled (so 0, 1, 2, 5 and 10 occur).
pub fn structured_batch(n_steps: usize, batch_size: usize, n_in: usize, seed: u64) -> Batch {
    assert!(n_in >= 6 && n_steps >= 12);
    let n_out = 3;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let go = n_steps * 3 / 5;
    let stim_on = n_steps / 5;
    let thetas: Vec<f32> = (0..batch_size)
        .map(|_| rng.random_range(0.0..std::f32::consts::TAU))
        .collect();
    let mut batch = Batch {
        n_steps,
        batch_size,
        n_in,
        n_out,
        dt_ms: 20.0,
        inputs: vec![0.0; n_steps * batch_size * n_in],
        targets: vec![0.0; n_steps * batch_size * n_out],
        mask: vec![0.0; n_steps * batch_size * n_out],
        epochs: vec![
            Epoch {
                name: "fixation".into(),
                start: 0,
                end: stim_on,
            },
            Epoch {
                name: "stimulus".into(),
                start: stim_on,
                end: go,
            },
            Epoch {
                name: "response".into(),
                start: go,
                end: n_steps,
            },
        ],
        go_step: go,
        trials: thetas
            .iter()
            .map(|&th| TrialInfo {
                response: th,
                theta1: th,
                theta2: th,
            })
            .collect(),
    };
    for t in 0..n_steps {
        for (b, &th) in thetas.iter().enumerate() {
            let i = batch.index(t, b, 0, n_in);
            let x = &mut batch.inputs[i..i + n_in];
            x[0] = if t < go { 1.0 } else { 0.0 };
            if t >= stim_on {
                x[1] = th.sin();
                x[2] = th.cos();
            }
            x[5 + b % (n_in - 5)] = 1.0;
            x[3] = 0.3 * ((t as f32) * 0.4 + b as f32).sin();

            let o = batch.index(t, b, 0, n_out);
            let weight = if t < 2 || (t >= go && t < go + 2) {
                0.0
            } else if t < go {
                1.0
            } else {
                5.0
            };
            batch.targets[o] = if t < go { 0.8 } else { 0.0 };
            if t >= go {
                batch.targets[o + 1] = th.sin();
                batch.targets[o + 2] = th.cos();
            }
            batch.mask[o] = 2.0 * weight;
            batch.mask[o + 1] = weight;
            batch.mask[o + 2] = weight;
        }
    }
    batch
}

/// The gradient-check network: `modules` of the given sizes, random weights with gain 1.2 and
/// random non-zero biases (the initialiser leaves biases at 0, which would hide their terms).
pub fn test_network(
    modules: &[usize],
    n_in: usize,
    connectivity: Connectivity,
    activation: Activation,
    seed: u64,
) -> Network<f64> {
    let config = NetworkConfig {
        n_in,
        n_out: 3,
        modules: modules.to_vec(),
        connectivity,
        activation,
        gain: 1.2,
        ..NetworkConfig::default()
    };
    let mut net = Network::<f64>::random(&config, seed).expect("valid test config");
    let mut rng = ChaCha8Rng::seed_from_u64(seed + 1000);
    net.params
        .b
        .iter_mut()
        .for_each(|v| *v = rng.random_range(-0.5..0.5));
    net.params
        .b_out
        .iter_mut()
        .for_each(|v| *v = rng.random_range(-0.5..0.5));
    net
}

pub mod autograd_case;
