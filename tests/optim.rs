#![cfg(not(target_arch = "wasm32"))]
//! Adam, trainable groups, clipping and divergence detection.

mod common;

use common::structured_batch;
use molap_lab::Error;
use molap_lab::batch::Batch;
use molap_lab::network::{Connectivity, Group, Network, NetworkConfig, Params, loss};
use molap_lab::optim::{Adam, AdamConfig, DivergenceCheck, Trainable, clip_scale};

fn small_net(connectivity: Connectivity) -> Network<f32> {
    let config = NetworkConfig {
        modules: vec![8, 8, 8],
        connectivity,
        ..Default::default()
    };
    Network::random(&config, 17).unwrap()
}

fn loss_and_grads(net: &Network<f32>, batch: &Batch) -> (f32, Params<f32>) {
    let trace = net.forward_clean(batch).unwrap();
    (
        loss(&trace, batch).unwrap(),
        net.backward(&trace, batch).unwrap(),
    )
}

/// Trains for `steps` Adam steps; returns the first and the last loss.
fn train(net: &mut Network<f32>, trainable: Trainable, steps: usize) -> (f32, f32) {
    let batch = structured_batch(40, 8, 14, 3);
    let config = AdamConfig {
        lr: 1e-2,
        ..AdamConfig::default()
    };
    let mut adam = Adam::new(config, net).unwrap();
    let first = loss_and_grads(net, &batch).0;
    for _ in 0..steps {
        let (_, grads) = loss_and_grads(net, &batch);
        adam.step(net, &grads, &trainable).unwrap();
        assert!(
            net.params
                .w_rec
                .zip_map(net.rec_mask(), |w, m| w * (1.0 - m))
                .iter()
                .all(|&w| w == 0.0),
            "a weight between modules appeared"
        );
    }
    (first, loss_and_grads(net, &batch).0)
}

#[test]
fn loss_goes_down_when_everything_trains() {
    let mut net = small_net(Connectivity::Modular);
    let (first, last) = train(&mut net, Trainable::all(), 300);
    eprintln!("all groups: loss {first} -> {last}");
    assert!(last < 0.2 * first, "loss {first} -> {last}");
}

#[test]
fn loss_goes_down_when_only_input_and_output_maps_train() {
    let mut net = small_net(Connectivity::Modular);
    let (first, last) = train(&mut net, Trainable::input_output(), 300);
    eprintln!("input/output maps only: loss {first} -> {last}");
    assert!(last < 0.3 * first, "loss {first} -> {last}");
}

#[test]
fn frozen_groups_do_not_move_at_all() {
    let mut net = small_net(Connectivity::Monolithic);
    let before = net.params.clone();
    train(&mut net, Trainable::input_output(), 20);
    assert_eq!(net.params.w_rec.as_slice(), before.w_rec.as_slice());
    assert_eq!(net.params.b.as_slice(), before.b.as_slice());
    assert_ne!(net.params.w_in, before.w_in);
    assert_ne!(net.params.w_out, before.w_out);
    assert_ne!(net.params.b_out, before.b_out);
}

#[test]
fn no_weight_between_modules_even_from_a_full_gradient() {
    // A gradient that is non-zero everywhere, including where no recurrent weight exists.
    let mut net = small_net(Connectivity::Modular);
    let mut grads = net.params.zeros_like();
    for g in Group::ALL {
        grads.group_mut(g).iter_mut().for_each(|v| *v = 0.3);
    }
    let mut adam = Adam::new(AdamConfig::default(), &net).unwrap();
    for _ in 0..10 {
        adam.step(&mut net, &grads, &Trainable::all()).unwrap();
    }
    for i in 0..net.n_units() {
        for j in 0..net.n_units() {
            let w = net.params.w_rec[(i, j)];
            assert!(
                net.is_recurrent_weight(i, j) || w == 0.0,
                "w_rec[{i},{j}] = {w}"
            );
        }
    }
    assert!(net.params.w_rec[(0, 1)] != 0.0);
}

#[test]
fn clipping_bounds_the_moments_and_makes_huge_gradients_equivalent() {
    let batch = structured_batch(40, 8, 14, 4);
    let net0 = small_net(Connectivity::Modular);
    let (_, grads) = loss_and_grads(&net0, &batch);
    let mut huge = grads.clone();
    huge.scale(1e4);
    let clip = 0.05;
    let config = AdamConfig {
        clip_norm: Some(clip),
        ..AdamConfig::default()
    };

    // The first moment after one step is (1 - beta1) times the clipped gradient.
    let mut net = net0.clone();
    let mut adam = Adam::new(config, &net).unwrap();
    let info = adam.step(&mut net, &huge, &Trainable::all()).unwrap();
    assert!(info.clipped && info.grad_norm > 1e3 * clip);
    let m_norm = adam.m.norm();
    assert!(
        m_norm <= (1.0 - config.beta1) * clip * (1.0 + 1e-5),
        "first moment {m_norm}"
    );

    // Two gradients in the same direction above the threshold produce the same update.
    let mut other = net0.clone();
    let mut big = grads.clone();
    big.scale(1e2);
    let mut adam_other = Adam::new(config, &other).unwrap();
    adam_other
        .step(&mut other, &big, &Trainable::all())
        .unwrap();
    for g in Group::ALL {
        for (a, b) in net.params.group(g).iter().zip(other.params.group(g)) {
            assert!(
                (a - b).abs() <= 1e-6 * a.abs().max(1e-3),
                "{}: {a} vs {b}",
                g.name()
            );
        }
    }

    // Without clipping the first moment is far above that bound: the check can fail.
    let mut unclipped = net0.clone();
    let no_clip = AdamConfig {
        clip_norm: None,
        ..config
    };
    let mut adam_free = Adam::new(no_clip, &unclipped).unwrap();
    adam_free
        .step(&mut unclipped, &huge, &Trainable::all())
        .unwrap();
    assert!(adam_free.m.norm() > 10.0 * (1.0 - config.beta1) * clip);
}

#[test]
fn clip_scale_only_shrinks() {
    assert_eq!(clip_scale(0.5, Some(1.0)), 1.0);
    assert_eq!(clip_scale(4.0, Some(1.0)), 0.25);
    assert_eq!(clip_scale(4.0, None), 1.0);
}

#[test]
fn adam_update_has_the_bias_corrected_size() {
    // On the first step Adam moves every trained entry by lr * g / (|g| + eps) ≈ lr.
    let mut net = small_net(Connectivity::Modular);
    let before = net.params.clone();
    let mut grads = net.params.zeros_like();
    grads.b_out.iter_mut().for_each(|v| *v = -0.01);
    let config = AdamConfig {
        lr: 0.1,
        clip_norm: None,
        ..AdamConfig::default()
    };
    let mut adam = Adam::new(config, &net).unwrap();
    adam.step(&mut net, &grads, &Trainable::all()).unwrap();
    for (a, b) in net.params.b_out.iter().zip(before.b_out.iter()) {
        assert!((a - b - 0.1).abs() < 1e-5, "moved by {}", a - b);
    }
}

#[test]
fn divergence_is_flagged() {
    let check = DivergenceCheck::default();
    assert!(check.check(3, 0.5, 2.0, 1.0).is_ok());
    for (loss, norm) in [
        (f64::NAN, 1.0),
        (f64::INFINITY, 1.0),
        (0.5, f64::NAN),
        (0.5, f64::INFINITY),
    ] {
        let err = check.check(7, loss, norm, 1.0).unwrap_err();
        assert!(matches!(err, Error::Diverged { iteration: 7, .. }), "{err}");
    }
    assert!(check.check(1, 1e3, 1.0, 1.0).is_err(), "exploding loss");
    assert!(check.check(1, 0.5, 1e7, 1.0).is_err(), "exploding gradient");
}

#[test]
fn a_nan_weight_yields_a_flagged_loss_and_non_finite_gradient() {
    let batch = structured_batch(20, 2, 14, 5);
    let mut net = small_net(Connectivity::Modular);
    net.params.w_in[(0, 0)] = f32::NAN;
    let (l, grads) = loss_and_grads(&net, &batch);
    assert!(!grads.is_finite());
    let err = DivergenceCheck::default().check(0, l as f64, grads.norm(), 1.0);
    assert!(err.is_err());
}

#[test]
fn trainable_counts_match_the_method_table() {
    let net = small_net(Connectivity::Modular);
    let (n, n_in, n_out) = (24, 14, 3);
    assert_eq!(
        Trainable::input_output().count(&net),
        n * n_in + n_out * n + n_out
    );
    assert_eq!(
        Trainable::all().count(&net),
        n * n_in + 3 * 64 + n + n_out * n + n_out
    );
    assert_eq!(Trainable::all().count(&net), net.n_existing());
}

#[test]
fn invalid_settings_are_rejected() {
    let net = small_net(Connectivity::Modular);
    for bad in [
        AdamConfig {
            lr: 0.0,
            ..AdamConfig::default()
        },
        AdamConfig {
            beta1: 1.0,
            ..AdamConfig::default()
        },
        AdamConfig {
            clip_norm: Some(-1.0),
            ..AdamConfig::default()
        },
    ] {
        assert!(Adam::new(bad, &net).is_err());
    }
}
