//! MoLaP Lab's computing core: the nine-task corpus, leaky recurrent networks built from
//! modules, their training, the MoLaP method and its baselines, perturbations and analysis.
//!
//! The core knows no browser. The [`web`] module (compiled for `wasm32` only) is the single
//! place where JavaScript meets Rust; the `molap` binary is the native command-line tool.

pub mod analysis;
pub mod batch;
pub mod bench;
pub mod error;
pub mod eval;
pub mod methods;
pub mod model;
pub mod network;
pub mod optim;
pub mod perturb;
pub mod plots;
pub mod primitives;
pub mod real;
pub mod replay;
pub mod report;
pub mod sweep;
pub mod tasks;
pub mod train;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, Result};
