//! Writes `tests/fixtures/autograd_case.json`: small networks and batches whose loss and
//! gradients `scripts/autograd_reference.py` recomputes with JAX's autograd, independently of
//! this crate. Run from the crate root: `cargo run --example dump_autograd_case`.

#[path = "../tests/common/mod.rs"]
mod common;

use common::autograd_case::{Case, ParamLists};
use common::{structured_batch, test_network};
use molap_lab::network::{Activation, Connectivity, Network};

/// One case from a network, its silenced units and a batch seed.
fn case(name: &str, mut net: Network<f64>, silenced: &[usize], batch_seed: u64) -> Case {
    for &u in silenced {
        net.set_silenced(u, true).expect("unit in range");
    }
    Case {
        name: name.to_string(),
        config: net.config().clone(),
        alpha: net.alpha(),
        silenced: silenced.to_vec(),
        params: ParamLists::from_params(&net.params),
        batch: structured_batch(25, 3, 14, batch_seed),
    }
}

fn main() -> std::io::Result<()> {
    let cases = vec![
        case(
            "modular tanh, one silenced unit",
            test_network(&[4, 3, 5], 14, Connectivity::Modular, Activation::Tanh, 21),
            &[5],
            31,
        ),
        case(
            "monolithic softplus",
            test_network(
                &[4, 3, 5],
                14,
                Connectivity::Monolithic,
                Activation::Softplus,
                22,
            ),
            &[],
            32,
        ),
        case(
            "modular relu",
            test_network(&[6, 6], 14, Connectivity::Modular, Activation::Relu, 23),
            &[],
            33,
        ),
    ];
    let path = "tests/fixtures/autograd_case.json";
    let json = serde_json::to_string(&cases).map_err(std::io::Error::other)?;
    std::fs::write(path, json)?;
    eprintln!("wrote {} cases to {path}", cases.len());
    Ok(())
}
