#![cfg(not(target_arch = "wasm32"))]
//! The methods' networks, the training loop and the primitives, on small configurations.

use molap_lab::Error;
use molap_lab::methods::{self, ExperimentConfig, Method, Pretrained};
use molap_lab::network::{Group, NetworkConfig};
use molap_lab::optim::AdamConfig;
use molap_lab::primitives::{Extractor, Primitives};
use molap_lab::tasks::{self, Task};
use molap_lab::train::{Objective, TrainConfig};

fn small_config() -> ExperimentConfig {
    let train = |seed| TrainConfig {
        batch_size: 8,
        trials: 8 * 18,
        seed,
        ..TrainConfig::default()
    };
    ExperimentConfig {
        network: NetworkConfig {
            modules: vec![6, 6, 6],
            ..NetworkConfig::default()
        },
        corpus_trials: 64,
        pretrain: train(3),
        task: train(4),
        ..ExperimentConfig::default()
    }
}

fn pretrain(config: &ExperimentConfig) -> Pretrained {
    let primitives = methods::fit_primitives(config).unwrap();
    let modules = (0..primitives.k())
        .map(|i| {
            let mut t = methods::module_trainer(config, &primitives, i).unwrap();
            t.run(usize::MAX).unwrap();
            t.network
        })
        .collect();
    let mut mono = methods::monolith_trainer(config, &primitives).unwrap();
    mono.run(usize::MAX).unwrap();
    Pretrained {
        primitives,
        modules,
        monolith: mono.network,
    }
}

/// Pooled masked-step values of each primitive over a fresh corpus sample.
fn primitive_values(primitives: &Primitives) -> Vec<Vec<f64>> {
    let mut values = vec![Vec::new(); primitives.k()];
    for task in Task::ALL {
        let batch =
            tasks::generate_seeded(task, 64, 20.0, 1_000_000 + task.index() as u64 * 1000).unwrap();
        let recast = primitives.pretraining_batch(&batch);
        for (step, mask) in recast.targets.chunks(3).zip(recast.mask.chunks(3)) {
            if mask[0] > 0.0 {
                for (i, v) in step.iter().enumerate() {
                    values[i].push(f64::from(*v));
                }
            }
        }
    }
    values
}

fn covariance(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>()
        / n
}

#[test]
fn primitives_are_uncorrelated_and_of_unit_variance_over_the_corpus() {
    for extractor in [Extractor::Cca, Extractor::Pca] {
        let config = ExperimentConfig {
            corpus_trials: 64,
            extractor,
            ..ExperimentConfig::default()
        };
        let primitives = methods::fit_primitives(&config).unwrap();
        assert_eq!(primitives.k(), 3);
        let z = primitive_values(&primitives);
        for i in 0..3 {
            let var = covariance(&z[i], &z[i]);
            assert!(
                (var - 1.0).abs() < 2e-3,
                "{extractor:?} primitive {i} variance {var}"
            );
            for j in 0..i {
                let c = covariance(&z[i], &z[j]);
                assert!(
                    c.abs() < 2e-3,
                    "{extractor:?} primitives {i}, {j} covariance {c}"
                );
            }
        }
        let scores = &primitives.scores;
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{extractor:?} scores {scores:?}"
        );
    }
}

#[test]
fn cca_finds_the_fixation_output_as_the_most_predictable_primitive() {
    let primitives = methods::fit_primitives(&ExperimentConfig::default()).unwrap();
    // The fixation target (0.8 until go) is a copy of the fixation input scaled by 0.8.
    assert!(
        primitives.scores[0] > 0.99,
        "scores {:?}",
        primitives.scores
    );
    let first = &primitives.directions[0];
    let fixation_share = first[0].abs() / first.iter().map(|w| w.abs()).sum::<f64>();
    assert!(fixation_share > 0.9, "direction {first:?}");
}

#[test]
fn trained_parameter_counts_follow_the_method_table() {
    let config = ExperimentConfig::default();
    let pretrained = pretrain(&ExperimentConfig {
        network: config.network.clone(),
        pretrain: TrainConfig {
            trials: 8,
            batch_size: 8,
            ..TrainConfig::default()
        },
        ..small_config()
    });
    let (n, n_in, n_out) = (96, 14, 3);
    let io = n * n_in + n_out * n + n_out;
    for method in Method::ALL {
        let net = methods::task_network(method, &config, &pretrained).unwrap();
        let (trained, total) = methods::parameter_counts(method, &net);
        let rec = if method.connectivity() == molap_lab::network::Connectivity::Modular {
            3 * 32 * 32
        } else {
            n * n
        };
        assert_eq!(total, io + rec + n, "{method}");
        let want = if method == Method::Monolithic {
            total
        } else {
            io
        };
        assert_eq!(trained, want, "{method}");
    }
}

#[test]
fn molap_assembles_the_frozen_modules_block_by_block() {
    let config = small_config();
    let pretrained = pretrain(&config);
    let net = methods::task_network(Method::Molap, &config, &pretrained).unwrap();
    for (i, module) in pretrained.modules.iter().enumerate() {
        let r = i * 6..(i + 1) * 6;
        let block = net.params.w_rec.view((r.start, r.start), (6, 6));
        assert_eq!(block.clone_owned(), module.params.w_rec);
        assert_eq!(
            net.params.w_in.rows(r.start, 6).clone_owned(),
            module.params.w_in
        );
    }

    // Random modules have MoLaP's spectral radii, block by block.
    let random = methods::task_network(Method::RandomModules, &config, &pretrained).unwrap();
    for (i, module) in pretrained.modules.iter().enumerate() {
        let block = random
            .params
            .w_rec
            .view((i * 6, i * 6), (6, 6))
            .clone_owned();
        let (a, b) = (
            methods::spectral_radius(&block),
            methods::spectral_radius(&module.params.w_rec),
        );
        assert!((a - b).abs() < 1e-4 * b.max(1.0), "module {i}: {a} vs {b}");
    }
}

#[test]
fn the_task_stage_moves_only_trainable_weights() {
    let config = small_config();
    let pretrained = pretrain(&config);
    for method in Method::ALL {
        let mut trainer = methods::task_trainer(method, &config, &pretrained).unwrap();
        let before = trainer.network.params.clone();
        trainer.run(usize::MAX).unwrap();
        assert_eq!(trainer.trials, config.task.trials);
        for g in Group::ALL {
            let moved = before.group(g) != trainer.network.params.group(g);
            assert_eq!(
                moved,
                method.trainable().contains(g),
                "{method} {}",
                g.name()
            );
        }
    }
}

#[test]
fn the_loss_goes_down_and_a_seeded_run_repeats_bit_for_bit() {
    let mut config = small_config();
    config.task.trials = 8 * 9 * 20;
    config.task.adam = AdamConfig {
        lr: 1e-2,
        ..AdamConfig::default()
    };
    let pretrained = pretrain(&config);
    let run = || {
        let mut trainer = methods::task_trainer(Method::Monolithic, &config, &pretrained).unwrap();
        trainer.run(usize::MAX).unwrap();
        trainer
    };
    let (a, b) = (run(), run());
    assert_eq!(a.network.params, b.network.params);
    assert_eq!(a.history, b.history);
    let mean =
        |s: &[molap_lab::train::LossPoint]| s.iter().map(|p| p.loss).sum::<f64>() / s.len() as f64;
    let (first, last) = (
        mean(&a.history[..18]),
        mean(&a.history[a.history.len() - 18..]),
    );
    assert!(last < 0.8 * first, "loss went from {first} to {last}");
}

#[test]
fn divergence_stops_training_and_keeps_the_last_good_weights() {
    let mut config = small_config();
    config.task.adam = AdamConfig {
        lr: 1e6,
        clip_norm: None,
        ..AdamConfig::default()
    };
    config.task.trials = 8 * 200;
    let pretrained = pretrain(&config);
    let mut trainer = methods::task_trainer(Method::Monolithic, &config, &pretrained).unwrap();
    let start = trainer.network.params.clone();
    let err = trainer.run(usize::MAX).unwrap_err();
    let Error::Diverged { iteration, .. } = err.clone() else {
        panic!("{err}");
    };
    assert!(trainer.network.params.is_finite());
    // The kept weights are those the step before the unhealthy one started from.
    let batch = trainer.config.batch_size;
    assert_eq!(trainer.kept_trials(), iteration.saturating_sub(1) * batch);
    if trainer.kept_trials() == 0 {
        assert_eq!(
            trainer.network.params, start,
            "no step kept: the starting weights"
        );
    }
    // The kept weights still give a finite loss.
    let batch = tasks::generate_seeded(Task::DelayPro, 4, 20.0, 1).unwrap();
    let trace = trainer.network.forward_clean(&batch).unwrap();
    assert!(
        molap_lab::network::loss(&trace, &batch)
            .unwrap()
            .is_finite()
    );
}

#[test]
fn pretraining_fits_a_primitive() {
    let mut config = small_config();
    config.pretrain.trials = 8 * 150;
    config.pretrain.tasks = vec![Task::DelayPro];
    let primitives = methods::fit_primitives(&config).unwrap();
    let mut trainer = methods::module_trainer(&config, &primitives, 0).unwrap();
    assert!(matches!(
        trainer.objective,
        Objective::Primitives { only: Some(0), .. }
    ));
    trainer.run(usize::MAX).unwrap();
    let h = &trainer.history;
    let (first, last) = (
        h[..10].iter().map(|p| p.loss).sum::<f64>(),
        h[h.len() - 10..].iter().map(|p| p.loss).sum::<f64>(),
    );
    assert!(
        last < 0.5 * first,
        "pre-training loss went from {first} to {last}"
    );
}

#[test]
fn bad_configurations_are_refused_naming_the_field() {
    let mut config = ExperimentConfig::default();
    config.network.modules = vec![8, 8, 8, 8];
    assert!(
        config
            .validate()
            .unwrap_err()
            .to_string()
            .contains("modules")
    );
    let mut config = ExperimentConfig::default();
    config.task.batch_size = 0;
    assert!(
        config
            .validate()
            .unwrap_err()
            .to_string()
            .contains("batch_size")
    );
    assert!(
        "transformer"
            .parse::<Method>()
            .unwrap_err()
            .to_string()
            .contains("molap")
    );
}
