#![cfg(not(target_arch = "wasm32"))]
//! The embedded default model loads, and evaluating it reproduces the performance recorded
//! beside it by `molap eval --json` (the page's end-to-end test checks the page against the
//! same record).

use std::collections::BTreeMap;

use molap_lab::eval::EvalSet;
use molap_lab::model::Model;
use molap_lab::perturb::Perturbation;
use serde::Deserialize;

#[derive(Deserialize)]
struct Record {
    performance: BTreeMap<String, f64>,
    trained_params: usize,
}

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_default_model_reproduces_its_recorded_performance() {
    let bytes = std::fs::read(root().join("models/default.molap")).unwrap();
    let model = Model::from_bytes(&bytes).unwrap();
    let text = std::fs::read_to_string(root().join("models/default.eval.json")).unwrap();
    let records: BTreeMap<String, Record> = serde_json::from_str(&text).unwrap();
    assert_eq!(
        records.len(),
        model.networks.len(),
        "one record per trained method"
    );

    let eval = EvalSet::all(model.config.network.dt_ms).unwrap();
    for trained in &model.networks {
        let record = &records[trained.method.name()];
        let network = trained.network.to_network().unwrap();
        let performance = eval.evaluate(&network, &Perturbation::default()).unwrap();
        for ((task, _), got) in eval.batches.iter().zip(&performance) {
            let want = record.performance[task.short()];
            assert_eq!(*got, want, "{} on {}", trained.method, task.short());
        }
        let trained_params = trained.method.trainable().count(&network);
        assert_eq!(trained_params, record.trained_params, "{}", trained.method);
    }
}
