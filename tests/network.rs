#![cfg(not(target_arch = "wasm32"))]
//! Forward-pass properties: structure, silencing, noise, timing of the readout, shapes.

mod common;

use common::structured_batch;
use molap_lab::network::{Connectivity, Network, NetworkConfig, NoiseConfig, Params, loss};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn config(connectivity: Connectivity) -> NetworkConfig {
    NetworkConfig {
        modules: vec![6, 4, 5],
        connectivity,
        ..Default::default()
    }
}

fn std_of(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
}

#[test]
fn random_init_is_block_diagonal_and_seeded() {
    let a: Network<f64> = Network::random(&config(Connectivity::Modular), 1).unwrap();
    let b: Network<f64> = Network::random(&config(Connectivity::Modular), 1).unwrap();
    let c: Network<f64> = Network::random(&config(Connectivity::Modular), 2).unwrap();
    assert_eq!(a, b);
    assert_ne!(a.params, c.params);
    assert_eq!(a.params.w_rec[(0, 6)], 0.0);
    assert_eq!(a.params.w_rec[(10, 5)], 0.0);
    assert!(a.params.w_rec[(0, 5)] != 0.0);
    assert_eq!(
        a.n_existing(),
        a.params.n_params() - (15 * 15 - 36 - 16 - 25)
    );
    let f32_net: Network<f32> = Network::random(&config(Connectivity::Modular), 1).unwrap();
    assert_eq!(
        f32_net.params.cast::<f64>().w_in.map(|x| x as f32),
        a.params.w_in.map(|x| x as f32)
    );
}

#[test]
fn init_scale_follows_the_documented_scheme() {
    let cfg = NetworkConfig {
        modules: vec![200],
        gain: 0.9,
        ..Default::default()
    };
    let net: Network<f64> = Network::random(&cfg, 3).unwrap();
    let rec = std_of(net.params.w_rec.iter().copied());
    assert!((rec * 200f64.sqrt() - 0.9).abs() < 0.02, "w_rec std {rec}");
    let w_in = std_of(net.params.w_in.iter().copied());
    assert!((w_in * 14f64.sqrt() - 1.0).abs() < 0.05, "w_in std {w_in}");
}

#[test]
fn from_params_rejects_weights_between_modules_and_bad_shapes() {
    let cfg = config(Connectivity::Modular);
    let mut p = Params::<f64>::zeros(14, 15, 3);
    assert!(Network::from_params(&cfg, p.clone()).is_ok());
    p.w_rec[(0, 14)] = 0.1;
    assert!(Network::from_params(&cfg, p.clone()).is_err());
    assert!(Network::from_params(&config(Connectivity::Monolithic), p).is_ok());
    assert!(Network::from_params(&cfg, Params::<f64>::zeros(14, 16, 3)).is_err());
}

#[test]
fn forward_without_noise_is_deterministic_and_with_noise_is_seeded() {
    let net: Network<f32> = Network::random(&config(Connectivity::Modular), 4).unwrap();
    let batch = structured_batch(20, 3, 14, 1);
    assert_eq!(
        net.forward_clean(&batch).unwrap(),
        net.forward_clean(&batch).unwrap()
    );
    let noisy = |seed| {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        net.forward(&batch, &NoiseConfig::default(), &mut rng)
            .unwrap()
    };
    assert_eq!(noisy(9), noisy(9));
    assert_ne!(noisy(9).outputs, noisy(10).outputs);
}

#[test]
fn noise_has_the_documented_standard_deviations() {
    // With all weights and biases zero, the pre-activation is exactly the recurrent noise.
    let cfg = config(Connectivity::Modular);
    let net = Network::from_params(&cfg, Params::<f64>::zeros(14, 15, 3)).unwrap();
    let batch = structured_batch(200, 16, 14, 2);
    let noise = NoiseConfig {
        input_scale: 2.0,
        recurrent_scale: 0.5,
        ..Default::default()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let trace = net.forward(&batch, &noise, &mut rng).unwrap();
    let sqrt_2_over_alpha = (2.0f64 / 0.2).sqrt();

    let input_noise = trace
        .inputs
        .iter()
        .zip(&batch.inputs)
        .map(|(x, &c)| x - c as f64);
    let s_in = std_of(input_noise);
    assert!(
        (s_in / (0.01 * sqrt_2_over_alpha * 2.0) - 1.0).abs() < 0.03,
        "input {s_in}"
    );
    let s_rec = std_of(trace.pre.iter().copied());
    assert!(
        (s_rec / (0.05 * sqrt_2_over_alpha * 0.5) - 1.0).abs() < 0.03,
        "rec {s_rec}"
    );
}

#[test]
fn output_of_step_t_already_sees_input_t() {
    let net: Network<f64> = Network::random(&config(Connectivity::Modular), 5).unwrap();
    let mut batch = structured_batch(20, 2, 14, 3);
    let before = net.forward_clean(&batch).unwrap();
    let last = batch.n_steps - 1;
    let i = batch.index(last, 0, 4, 14);
    batch.inputs[i] += 1.0;
    let after = net.forward_clean(&batch).unwrap();
    assert_eq!(before.output_at(last - 1), after.output_at(last - 1));
    assert_ne!(before.output_at(last)[..3], after.output_at(last)[..3]);
    assert_eq!(before.output_at(last)[3..], after.output_at(last)[3..]);
}

#[test]
fn silenced_units_stay_at_zero_and_modules_do_not_talk() {
    let mut net: Network<f64> = Network::random(&config(Connectivity::Modular), 6).unwrap();
    net.set_silenced(3, true).unwrap();
    net.silence_module(2).unwrap();
    let batch = structured_batch(25, 3, 14, 4);
    let trace = net.forward_clean(&batch).unwrap();
    for t in 0..batch.n_steps {
        let r = trace.rates_after(t);
        for b in 0..3 {
            assert_eq!(r[b * 15 + 3], 0.0);
            assert!(r[b * 15 + 10..b * 15 + 15].iter().all(|&v| v == 0.0));
        }
    }
    assert!(net.set_silenced(15, true).is_err());
    assert!(net.silence_module(3).is_err());

    // Module 0 never sees module 1: changing a weight inside module 1 leaves it unchanged.
    net.clear_silenced();
    let base = net.forward_clean(&batch).unwrap();
    net.params.w_rec[(7, 8)] += 0.5;
    let changed = net.forward_clean(&batch).unwrap();
    for t in 0..batch.n_steps {
        for b in 0..3 {
            let (r0, r1) = (base.rates_after(t), changed.rates_after(t));
            assert_eq!(r0[b * 15..b * 15 + 6], r1[b * 15..b * 15 + 6]);
        }
    }
}

#[test]
fn f32_and_f64_agree() {
    let net: Network<f64> = Network::random(&config(Connectivity::Monolithic), 7).unwrap();
    let batch = structured_batch(30, 4, 14, 5);
    let l64 = loss(&net.forward_clean(&batch).unwrap(), &batch).unwrap();
    let net32: Network<f32> = net.cast();
    let l32 = loss(&net32.forward_clean(&batch).unwrap(), &batch).unwrap();
    assert!(((l32 as f64) - l64).abs() < 1e-5 * l64, "{l32} vs {l64}");
}

#[test]
fn mismatched_batches_are_errors_not_panics() {
    let net: Network<f32> = Network::random(&config(Connectivity::Modular), 8).unwrap();
    let mut batch = structured_batch(20, 2, 14, 6);
    let trace = net.forward_clean(&batch).unwrap();
    let other = structured_batch(21, 2, 14, 6);
    assert!(loss(&trace, &other).is_err());
    assert!(net.backward(&trace, &other).is_err());
    batch.inputs.pop();
    assert!(net.forward_clean(&batch).is_err());
    let wide = structured_batch(20, 2, 15, 6);
    assert!(net.forward_clean(&wide).is_err());
}

#[test]
fn loss_is_the_masked_mean_square() {
    // Zero network: output = 0, so the loss is the mean of (mask * target)².
    let net = Network::from_params(
        &config(Connectivity::Modular),
        Params::<f64>::zeros(14, 15, 3),
    )
    .unwrap();
    let batch = structured_batch(20, 2, 14, 7);
    let expected: f64 = batch
        .targets
        .iter()
        .zip(&batch.mask)
        .map(|(&t, &m)| (m as f64 * t as f64).powi(2))
        .sum::<f64>()
        / batch.targets.len() as f64;
    let l = loss(&net.forward_clean(&batch).unwrap(), &batch).unwrap();
    assert!((l - expected).abs() < 1e-12 * expected);
}

#[test]
fn derivative_from_the_stored_activation_matches_the_direct_one() {
    use molap_lab::network::Activation;
    for f in [Activation::Tanh, Activation::Relu, Activation::Softplus] {
        for h in [-30.0f64, -3.0, -0.2, 0.1, 2.5, 30.0] {
            let (direct, given) = (f.derivative(h), f.derivative_given(h, f.apply(h)));
            assert!(
                (direct - given).abs() <= 1e-12 * direct.abs().max(1e-300),
                "{f:?} at {h}"
            );
        }
    }
}

#[test]
fn backward_of_some_groups_matches_the_full_gradient_and_leaves_the_rest_zero() {
    use molap_lab::network::Group;
    let config = NetworkConfig {
        modules: vec![3, 4],
        ..NetworkConfig::default()
    };
    let net: Network<f64> = Network::random(&config, 5).unwrap();
    let batch =
        molap_lab::tasks::generate_seeded(molap_lab::tasks::Task::MemoryDm1, 4, 20.0, 9).unwrap();
    let trace = net.forward_clean(&batch).unwrap();
    let full = net.backward(&trace, &batch).unwrap();
    let some = [Group::WIn, Group::WOut, Group::BOut];
    let part = net.backward_of(&trace, &batch, &some).unwrap();
    for g in Group::ALL {
        let expected: Vec<f64> = if some.contains(&g) {
            full.group(g).to_vec()
        } else {
            vec![0.0; full.group(g).len()]
        };
        assert_eq!(part.group(g).to_vec(), expected, "{}", g.name());
    }
}
