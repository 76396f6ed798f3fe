//! Random initialisation of a network from a seed.
//!
//! The scheme (every draw Gaussian with mean 0, made in `f64` from a `ChaCha8Rng` seeded with
//! the given seed, so an `f32` and an `f64` network from one seed differ only by rounding, and
//! the page and native code agree):
//!
//! | group | standard deviation | why |
//! |---|---|---|
//! | `w_rec`, inside each block of size `k` | `gain / sqrt(k)` | spectral radius of the block near `gain` |
//! | `w_rec`, outside the blocks | exactly 0 | no connections between modules |
//! | `w_in` | `1 / sqrt(n_in)` | unit input currents of order 1 for inputs of order 1 |
//! | `w_out` | `1 / sqrt(n)` | outputs of order 1 for rates of order 1 |
//! | `b`, `b_out` | 0 | no preferred state before training |

use nalgebra::DMatrix;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::{Network, NetworkConfig, Params};
use crate::error::Result;
use crate::real::Real;

impl<T: Real> Network<T> {
    /// A network with random weights drawn as the module docs of `init` describe, from `seed`.
    pub fn random(config: &NetworkConfig, seed: u64) -> Result<Self> {
        config.validate()?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (n, n_in, n_out) = (config.n_units(), config.n_in, config.n_out);
        let mut params = Params::<T>::zeros(n_in, n, n_out);

        // Recurrent blocks, then input and output maps.
        for r in config.blocks() {
            let k = r.len();
            let block = gaussian(&mut rng, k, k, config.gain / (k as f64).sqrt());
            params
                .w_rec
                .view_mut((r.start, r.start), (k, k))
                .copy_from(&block);
        }
        params.w_in = gaussian(&mut rng, n, n_in, 1.0 / (n_in as f64).sqrt());
        params.w_out = gaussian(&mut rng, n_out, n, 1.0 / (n as f64).sqrt());

        Network::from_params(config, params)
    }
}

/// A `rows x cols` matrix of independent `N(0, std²)` draws, filled column by column.
fn gaussian<T: Real>(rng: &mut ChaCha8Rng, rows: usize, cols: usize, std: f64) -> DMatrix<T> {
    DMatrix::from_fn(rows, cols, |_, _| {
        let z: f64 = rng.sample(StandardNormal);
        T::of(std * z)
    })
}
