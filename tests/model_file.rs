#![cfg(not(target_arch = "wasm32"))]
//! The model file round-trips, and a damaged one is refused with the reason.

use molap_lab::Error;
use molap_lab::methods::{self, ExperimentConfig, Method};
use molap_lab::model::{
    Model, PerformancePoint, SavedNetwork, TrainedNetwork, trials_to_criterion,
};
use molap_lab::network::{Network, NetworkConfig};

fn model() -> Model {
    let config = ExperimentConfig {
        network: NetworkConfig {
            modules: vec![4, 4, 4],
            ..NetworkConfig::default()
        },
        corpus_trials: 32,
        ..ExperimentConfig::default()
    };
    let primitives = methods::fit_primitives(&config).unwrap();
    let modules: Vec<SavedNetwork> = (0..3)
        .map(|i| {
            SavedNetwork::from_network(
                &methods::module_trainer(&config, &primitives, i)
                    .unwrap()
                    .network,
            )
        })
        .collect();
    let monolith = methods::monolith_trainer(&config, &primitives)
        .unwrap()
        .network;
    let net = Network::<f32>::random(&config.network_for(Method::Molap), 5).unwrap();
    Model {
        primitives,
        modules,
        monolith: SavedNetwork::from_network(&monolith),
        networks: vec![TrainedNetwork {
            method: Method::Molap,
            network: SavedNetwork::from_network(&net),
            trials: 0,
            history: vec![],
            performance: vec![0.5; 9],
            curve: vec![],
        }],
        config,
    }
}

fn refused(bytes: &[u8]) -> String {
    match Model::from_bytes(bytes) {
        Err(Error::ModelFile(reason)) => reason,
        other => panic!("expected a model-file error, got {other:?}"),
    }
}

#[test]
fn a_model_round_trips_exactly() {
    let m = model();
    let back = Model::from_bytes(&m.to_bytes().unwrap()).unwrap();
    assert_eq!(back, m);
    let net = back
        .network(Method::Molap)
        .unwrap()
        .network
        .to_network()
        .unwrap();
    assert_eq!(SavedNetwork::from_network(&net), m.networks[0].network);
}

#[test]
fn truncated_corrupted_foreign_and_future_files_are_refused() {
    let bytes = model().to_bytes().unwrap();
    assert!(refused(&bytes[..bytes.len() / 2]).contains("truncated"));

    let mut flipped = bytes.clone();
    let last = flipped.len() - 10;
    flipped[last] ^= 0x01;
    assert!(refused(&flipped).contains("corrupted"));

    assert!(refused(b"{\"config\": {}}\n").contains("not a MoLaP Lab model file"));
    assert!(refused(b"").contains("not a MoLaP Lab model file"));

    let text = String::from_utf8(bytes.clone()).unwrap();
    let future = text.replacen("MOLAP-MODEL 1 ", "MOLAP-MODEL 2 ", 1);
    assert!(refused(future.as_bytes()).contains("version 2"));
}

#[test]
fn weights_that_do_not_fit_their_configuration_are_refused() {
    let mut m = model();
    m.networks[0].network.w_rec.pop();
    let bytes = m.to_bytes().unwrap();
    assert!(refused(&bytes).contains("w_rec"));
}

#[test]
fn trials_to_criterion_finds_the_first_crossing_per_task() {
    let curve = vec![
        PerformancePoint {
            trials: 100,
            per_task: vec![0.5, 0.95],
        },
        PerformancePoint {
            trials: 200,
            per_task: vec![0.91, 0.2],
        },
        PerformancePoint {
            trials: 300,
            per_task: vec![0.8, 0.99],
        },
    ];
    assert_eq!(trials_to_criterion(&curve, 0.9), vec![Some(200), Some(100)]);
    assert_eq!(trials_to_criterion(&curve, 0.999), vec![None, None]);
}
