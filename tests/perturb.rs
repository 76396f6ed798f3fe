#![cfg(not(target_arch = "wasm32"))]
//! Each perturbation changes what it should and nothing else, reproducibly from its seed.

use molap_lab::network::{Connectivity, Network, NetworkConfig, NoiseConfig};
use molap_lab::perturb::{Kind, Perturbation};

fn modular() -> Network<f32> {
    let config = NetworkConfig {
        modules: vec![8, 8, 8],
        ..NetworkConfig::default()
    };
    Network::random(&config, 3).unwrap()
}

fn monolithic() -> Network<f32> {
    let config = NetworkConfig {
        modules: vec![8, 8, 8],
        connectivity: Connectivity::Monolithic,
        ..NetworkConfig::default()
    };
    Network::random(&config, 3).unwrap()
}

fn apply(net: &Network<f32>, kind: Kind, magnitude: f64, seed: u64) -> Network<f32> {
    Perturbation::single(kind, magnitude, seed)
        .apply(net)
        .unwrap()
}

/// Number of entries that differ between two slices.
fn changed(a: &[f32], b: &[f32]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

#[test]
fn no_perturbation_leaves_the_network_identical() {
    let net = modular();
    assert_eq!(Perturbation::default().apply(&net).unwrap(), net);
    for kind in Kind::ALL {
        if kind != Kind::ModuleLoss {
            let neutral = if matches!(kind, Kind::InputNoise | Kind::RecurrentNoise) {
                1.0
            } else {
                0.0
            };
            assert_eq!(
                apply(&net, kind, neutral, 9),
                net,
                "{kind:?} at its neutral value"
            );
        }
    }
}

#[test]
fn recurrent_weight_noise_touches_existing_recurrent_weights_only() {
    let net = modular();
    let out = apply(&net, Kind::RecWeightNoise, 0.5, 1);
    let mask = net.rec_mask();
    for ((&a, &b), &m) in net
        .params
        .w_rec
        .iter()
        .zip(out.params.w_rec.iter())
        .zip(mask.iter())
    {
        if m == 0.0 {
            assert_eq!(b, 0.0, "a weight appeared between modules");
        } else {
            assert_ne!(a, b);
        }
    }
    assert_eq!(out.params.w_in, net.params.w_in);
    assert_eq!(out.params.b, net.params.b);
    assert_eq!(out.params.w_out, net.params.w_out);
    assert_eq!(out.silenced(), net.silenced());
}

#[test]
fn weight_noise_has_the_documented_standard_deviation() {
    // Fan-in is the module size (8) for W_rec in a modular network, 24 in a monolithic one,
    // and the 14 input channels for W_in.
    let sigma = 2.0;
    for (net, fan_in) in [(modular(), 8.0), (monolithic(), 24.0)] {
        let out = apply(&net, Kind::RecWeightNoise, sigma, 4);
        let diffs: Vec<f64> = (&out.params.w_rec - &net.params.w_rec)
            .iter()
            .zip(net.rec_mask().iter())
            .filter(|(_, m)| **m != 0.0)
            .map(|(d, _)| f64::from(*d))
            .collect();
        let std = (diffs.iter().map(|d| d * d).sum::<f64>() / diffs.len() as f64).sqrt();
        let want = sigma / f64::sqrt(fan_in);
        assert!(
            (std / want - 1.0).abs() < 0.1,
            "std {std} vs {want} (fan-in {fan_in})"
        );
    }
    let net = modular();
    let out = apply(&net, Kind::InputWeightNoise, sigma, 4);
    let diffs = &out.params.w_in - &net.params.w_in;
    let std =
        (diffs.iter().map(|d| f64::from(*d).powi(2)).sum::<f64>() / diffs.len() as f64).sqrt();
    assert!(
        (std / (sigma / 14f64.sqrt()) - 1.0).abs() < 0.1,
        "input std {std}"
    );
    assert_eq!(out.params.w_rec, net.params.w_rec);
}

#[test]
fn unit_loss_silences_the_asked_fraction_nested_in_the_magnitude() {
    let net = modular();
    let small = apply(&net, Kind::UnitLoss, 0.25, 5);
    let large = apply(&net, Kind::UnitLoss, 0.5, 5);
    let count = |n: &Network<f32>| n.silenced().iter().filter(|&&s| s).count();
    assert_eq!(count(&small), 6);
    assert_eq!(count(&large), 12);
    for (s, l) in small.silenced().iter().zip(large.silenced()) {
        assert!(!s || *l, "a unit lost at 25% is back at 50%");
    }
    assert_eq!(small.params, net.params);
    assert_eq!(count(&apply(&net, Kind::UnitLoss, 1.0, 5)), 24);
}

#[test]
fn module_loss_silences_exactly_one_module_numbered_from_one() {
    let net = modular();
    let out = apply(&net, Kind::ModuleLoss, 2.0, 0);
    let silenced: Vec<usize> = (0..24).filter(|&u| out.silenced()[u]).collect();
    assert_eq!(silenced, (8..16).collect::<Vec<_>>());
    assert_eq!(out.params, net.params);
    assert_eq!(
        Perturbation::single(Kind::ModuleLoss, 2.0, 0).module_loss,
        Some(1)
    );
    // Magnitude 0 is the curve's "none" point: nothing silenced.
    assert_eq!(
        Perturbation::single(Kind::ModuleLoss, 0.0, 0).module_loss,
        None
    );
    assert_eq!(apply(&net, Kind::ModuleLoss, 0.0, 0), net);
}

#[test]
fn synapse_loss_removes_the_asked_fraction_of_existing_weights() {
    let net = modular();
    let out = apply(&net, Kind::SynapseLoss, 0.25, 6);
    let existing = 3 * 8 * 8;
    let removed = changed(net.params.w_rec.as_slice(), out.params.w_rec.as_slice());
    assert_eq!(removed, existing / 4);
    for (&a, &b) in net.params.w_rec.iter().zip(out.params.w_rec.iter()) {
        assert!(b == a || b == 0.0);
    }
    assert_eq!(out.params.w_in, net.params.w_in);
}

#[test]
fn noise_multipliers_scale_the_forward_noise_and_leave_weights_alone() {
    let net = modular();
    let p = Perturbation::single(Kind::InputNoise, 3.0, 0);
    assert_eq!(p.apply(&net).unwrap(), net);
    let base = NoiseConfig::default();
    assert_eq!(p.noise().input_std(0.2), 3.0 * base.input_std(0.2));
    assert_eq!(p.noise().recurrent_std(0.2), base.recurrent_std(0.2));
    let q = Perturbation::single(Kind::RecurrentNoise, 0.0, 0);
    assert_eq!(q.noise().recurrent_std(0.2), 0.0);
}

#[test]
fn draws_follow_the_seed_and_kinds_do_not_share_draws() {
    let net = modular();
    let a = apply(&net, Kind::RecWeightNoise, 0.3, 10);
    assert_eq!(a, apply(&net, Kind::RecWeightNoise, 0.3, 10));
    assert_ne!(a, apply(&net, Kind::RecWeightNoise, 0.3, 11));

    // Adding a second perturbation does not change the first one's draws.
    let mut both = Perturbation::single(Kind::RecWeightNoise, 0.3, 10);
    both.set(Kind::InputWeightNoise, 0.3);
    assert_eq!(both.apply(&net).unwrap().params.w_rec, a.params.w_rec);
}

#[test]
fn out_of_range_magnitudes_are_refused_naming_the_field() {
    let net = modular();
    let cases = [
        (Kind::RecWeightNoise, -0.1, "rec_weight_noise"),
        (Kind::UnitLoss, 1.5, "unit_loss"),
        (Kind::SynapseLoss, -0.5, "synapse_loss"),
        (Kind::ModuleLoss, 4.0, "module_loss"),
        (Kind::InputNoise, f64::NAN, "input_noise"),
    ];
    for (kind, magnitude, field) in cases {
        let err = Perturbation::single(kind, magnitude, 0)
            .apply(&net)
            .unwrap_err();
        assert!(err.to_string().contains(field), "{err}");
    }
    assert!(Kind::from_name("weight_noise").is_err());
    assert_eq!(Kind::from_name("unit_loss").unwrap(), Kind::UnitLoss);
}
