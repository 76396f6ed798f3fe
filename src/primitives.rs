//! Stage 1 of MoLaP: latent primitives extracted from the statistics of the task corpus.
//!
//! Every step whose cost mask is non-zero contributes one row to an input matrix `X`
//! (`N x n_in`) and a target matrix `Y` (`N x n_out`). Canonical correlation analysis between
//! `X` and `Y` gives target-side directions `v_i`; the primitives are the canonical variates
//! `z_i[t] = v_i . (y[t] - mean(y))`, uncorrelated with each other over the pool and of unit
//! variance. PCA of the targets (scaled to unit variance) is the alternative extractor.

use nalgebra::{DMatrix, DVector, SymmetricEigen};
use serde::{Deserialize, Serialize};

use crate::batch::Batch;
use crate::error::{Error, Result};

/// Ridge added to the input covariance before whitening: the rule inputs are one-hot, so their
/// centred covariance is singular. Small against the unit-scale input variances.
const INPUT_RIDGE: f64 = 1e-3;

/// Ridge added to the target covariance before whitening, for numerical safety only.
const TARGET_RIDGE: f64 = 1e-9;

/// How the primitives are extracted from the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Extractor {
    /// Canonical correlation analysis between inputs and targets (the method's default).
    #[default]
    Cca,
    /// Principal components of the targets alone.
    Pca,
}

/// The fitted primitives: an affine map from the targets to `k` unit-variance latents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Primitives {
    /// The extractor that produced them.
    pub extractor: Extractor,
    /// Mean target over the pool, one value per target channel.
    pub mean: Vec<f64>,
    /// One direction per primitive, each with one weight per target channel.
    pub directions: Vec<Vec<f64>>,
    /// Canonical correlation (CCA) or explained variance fraction (PCA) of each primitive.
    pub scores: Vec<f64>,
}

/// The pooled masked steps: rows of inputs and targets.
struct Pool {
    x: DMatrix<f64>,
    y: DMatrix<f64>,
}

/// Gathers every step with a non-zero cost mask (in any channel) from the batches.
fn pool(batches: &[Batch]) -> Result<Pool> {
    let first = batches
        .first()
        .ok_or_else(|| Error::invalid("batches", "no batch to pool"))?;
    let (n_in, n_out) = (first.n_in, first.n_out);
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for batch in batches {
        if batch.n_in != n_in || batch.n_out != n_out {
            return Err(Error::Shape(
                "batches differ in their channel counts".into(),
            ));
        }
        for t in 0..batch.n_steps {
            for b in 0..batch.batch_size {
                let m = batch.index(t, b, 0, n_out);
                if batch.mask[m..m + n_out].iter().any(|&w| w > 0.0) {
                    let i = batch.index(t, b, 0, n_in);
                    xs.extend(batch.inputs[i..i + n_in].iter().map(|&v| v as f64));
                    ys.extend(batch.targets[m..m + n_out].iter().map(|&v| v as f64));
                }
            }
        }
    }
    let rows = ys.len() / n_out;
    if rows <= n_in + n_out {
        return Err(Error::invalid(
            "batches",
            format!("only {rows} masked steps to pool"),
        ));
    }
    Ok(Pool {
        x: DMatrix::from_row_slice(rows, n_in, &xs),
        y: DMatrix::from_row_slice(rows, n_out, &ys),
    })
}

/// Column means and the centred copy of a data matrix.
fn centre(data: &DMatrix<f64>) -> (DVector<f64>, DMatrix<f64>) {
    let mean = data.row_mean().transpose();
    let mut centred = data.clone();
    for mut row in centred.row_iter_mut() {
        row -= mean.transpose();
    }
    (mean, centred)
}

/// Covariance of centred data, with `ridge` added to the diagonal.
fn covariance(centred: &DMatrix<f64>, ridge: f64) -> DMatrix<f64> {
    let n = centred.nrows() as f64;
    let mut c = centred.transpose() * centred / n;
    for i in 0..c.nrows() {
        c[(i, i)] += ridge;
    }
    c
}

/// `C^(-1/2)` of a symmetric positive-definite matrix.
fn inverse_sqrt(c: &DMatrix<f64>) -> DMatrix<f64> {
    let eig = SymmetricEigen::new(c.clone());
    let scale = eig
        .eigenvalues
        .map(|l| 1.0 / l.max(f64::MIN_POSITIVE).sqrt());
    &eig.eigenvectors * DMatrix::from_diagonal(&scale) * eig.eigenvectors.transpose()
}

impl Primitives {
    /// Fits `k` primitives on the masked steps of `batches` (all with the same channels).
    pub fn fit(batches: &[Batch], k: usize, extractor: Extractor) -> Result<Self> {
        let pool = pool(batches)?;
        let n_out = pool.y.ncols();
        if k == 0 || k > n_out {
            return Err(Error::invalid(
                "primitives",
                format!("need 1 to {n_out}, got {k}"),
            ));
        }
        let (mean, y) = centre(&pool.y);
        let cyy = covariance(&y, TARGET_RIDGE);
        let (directions, scores) = match extractor {
            Extractor::Cca => {
                let (_, x) = centre(&pool.x);
                let cxy = x.transpose() * &y / x.nrows() as f64;
                cca_directions(&covariance(&x, INPUT_RIDGE), &cyy, &cxy, k)
            }
            Extractor::Pca => pca_directions(&cyy, k),
        };
        Ok(Primitives {
            extractor,
            mean: mean.iter().copied().collect(),
            directions,
            scores,
        })
    }

    /// Number of primitives.
    pub fn k(&self) -> usize {
        self.directions.len()
    }

    /// The primitives' values for one target vector.
    pub fn project(&self, target: &[f32]) -> Vec<f32> {
        self.directions
            .iter()
            .map(|v| {
                let z: f64 = v
                    .iter()
                    .zip(target.iter().zip(&self.mean))
                    .map(|(w, (&y, m))| w * (y as f64 - m))
                    .sum();
                z as f32
            })
            .collect()
    }

    /// The batch recast for pre-training: targets become the `k` primitives, and the mask is
    /// 1 on every step that counts in any channel of the task's cost mask, 0 elsewhere
    /// *(choice: the primitives mix the output channels, so no channel's weight applies)*.
    pub fn pretraining_batch(&self, batch: &Batch) -> Batch {
        let k = self.k();
        let steps = batch.n_steps * batch.batch_size;
        let (mut targets, mut mask) =
            (Vec::with_capacity(steps * k), Vec::with_capacity(steps * k));
        for s in 0..steps {
            let y = &batch.targets[s * batch.n_out..(s + 1) * batch.n_out];
            let counts = batch.mask[s * batch.n_out..(s + 1) * batch.n_out]
                .iter()
                .any(|&w| w > 0.0);
            targets.extend(self.project(y));
            mask.extend(std::iter::repeat_n(if counts { 1.0 } else { 0.0 }, k));
        }
        Batch {
            n_out: k,
            targets,
            mask,
            ..batch.clone()
        }
    }
}

/// Target-side canonical directions: with `M = Cxx^(-1/2) Cxy Cyy^(-1/2) = U S V'`, the
/// directions are the columns of `Cyy^(-1/2) V`, ordered by canonical correlation `S`.
fn cca_directions(
    cxx: &DMatrix<f64>,
    cyy: &DMatrix<f64>,
    cxy: &DMatrix<f64>,
    k: usize,
) -> (Vec<Vec<f64>>, Vec<f64>) {
    let wy = inverse_sqrt(cyy);
    let m = inverse_sqrt(cxx) * cxy * &wy;
    let svd = m.svd(false, true);
    let v_t = svd.v_t.expect("SVD was asked for V");
    let mut order: Vec<usize> = (0..svd.singular_values.len()).collect();
    order.sort_by(|&a, &b| svd.singular_values[b].total_cmp(&svd.singular_values[a]));
    let directions = order[..k]
        .iter()
        .map(|&i| (&wy * v_t.row(i).transpose()).iter().copied().collect());
    let scores = order[..k].iter().map(|&i| svd.singular_values[i]).collect();
    (directions.collect(), scores)
}

/// Principal directions of the targets, each scaled so its projection has unit variance.
fn pca_directions(cyy: &DMatrix<f64>, k: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let eig = SymmetricEigen::new(cyy.clone());
    let total: f64 = eig.eigenvalues.iter().sum();
    let mut order: Vec<usize> = (0..eig.eigenvalues.len()).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let directions = order[..k].iter().map(|&i| {
        let scale = 1.0 / eig.eigenvalues[i].max(f64::MIN_POSITIVE).sqrt();
        eig.eigenvectors
            .column(i)
            .iter()
            .map(|w| w * scale)
            .collect()
    });
    let scores = order[..k]
        .iter()
        .map(|&i| eig.eigenvalues[i] / total)
        .collect();
    (directions.collect(), scores)
}
