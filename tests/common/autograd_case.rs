//! The file format shared by `examples/dump_autograd_case.rs` (which writes the cases),
//! `scripts/autograd_reference.py` (which computes their reference values with JAX) and
//! `tests/autograd_agreement.rs` (which compares). Matrices are row-major nested lists.

use molap_lab::batch::Batch;
use molap_lab::network::{NetworkConfig, Params};
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

/// One network and batch to differentiate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Case {
    /// What the case exercises.
    pub name: String,
    /// Structure and constants; `alpha` is repeated so the script need not derive it.
    pub config: NetworkConfig,
    /// `dt / tau`.
    pub alpha: f64,
    /// Indices of silenced units.
    pub silenced: Vec<usize>,
    /// Parameters by group name.
    pub params: ParamLists,
    /// The batch (time-major buffers, as in `Batch`).
    pub batch: Batch,
}

/// Parameter groups as nested lists: matrices row by row, vectors flat.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParamLists {
    pub w_in: Vec<Vec<f64>>,
    pub w_rec: Vec<Vec<f64>>,
    pub b: Vec<f64>,
    pub w_out: Vec<Vec<f64>>,
    pub b_out: Vec<f64>,
}

/// The reference values for one case.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reference {
    pub name: String,
    pub loss: f64,
    pub grads: ParamLists,
}

/// The whole reference file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReferenceFile {
    pub generator: String,
    pub cases: Vec<Reference>,
}

fn rows(m: &DMatrix<f64>) -> Vec<Vec<f64>> {
    m.row_iter().map(|r| r.iter().copied().collect()).collect()
}

fn matrix(rows: &[Vec<f64>]) -> DMatrix<f64> {
    let ncols = rows.first().map_or(0, Vec::len);
    DMatrix::from_fn(rows.len(), ncols, |i, j| rows[i][j])
}

impl ParamLists {
    /// Nested lists from parameters.
    pub fn from_params(p: &Params<f64>) -> Self {
        ParamLists {
            w_in: rows(&p.w_in),
            w_rec: rows(&p.w_rec),
            b: p.b.iter().copied().collect(),
            w_out: rows(&p.w_out),
            b_out: p.b_out.iter().copied().collect(),
        }
    }

    /// Parameters from nested lists.
    pub fn to_params(&self) -> Params<f64> {
        Params {
            w_in: matrix(&self.w_in),
            w_rec: matrix(&self.w_rec),
            b: DVector::from_vec(self.b.clone()),
            w_out: matrix(&self.w_out),
            b_out: DVector::from_vec(self.b_out.clone()),
        }
    }
}
