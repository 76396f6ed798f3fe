//! Leaky rate networks built from modules: forward pass, masked squared-error loss and exact
//! backpropagation through time.
//!
//! # Dynamics
//!
//! With `n` units, `n_in` inputs, `n_out` outputs, `alpha = dt / tau`, and for steps
//! `t = 0 .. T-1`:
//!
//! ```text
//! h[t]   = W_rec r[t] + W_in x~[t] + b + noise_rec[t]        (n x B, pre-activation)
//! r[t+1] = keep ⊙ ((1 - alpha) r[t] + alpha f(h[t]))        (n x B, rates)
//! y[t]   = W_out r[t+1] + b_out                             (n_out x B, output of step t)
//! ```
//!
//! with `r[0] = 0`, `x~[t] = x[t] + noise_in[t]` the noisy input, and `keep` the vector that is
//! 0 for silenced units and 1 otherwise (a silenced unit's rate is held at 0). **The output of
//! step `t` is read from the state after consuming input `t`**, so `y[t]` already depends on
//! `x[t]`; the batch's target and mask at step `t` apply to `y[t]`. `B` is the batch size: the
//! trials of a batch are columns of every matrix above and are processed together.
//!
//! Noise (see `tasks.md`) is Gaussian, independent per channel, unit, trial and step:
//! `noise_in` has standard deviation `sigma_x * sqrt(2 / alpha)`, `noise_rec` has
//! `sigma_rec * sqrt(2 / alpha)`, each times a user multiplier ([`NoiseConfig`]).
//!
//! # Structure
//!
//! The units are the concatenation of modules (`NetworkConfig::modules`, sizes in units). A
//! [`Connectivity::Modular`] network has recurrent weights only inside each module's diagonal
//! block of `W_rec`; a [`Connectivity::Monolithic`] one has them everywhere. The structural
//! mask ([`Network::rec_mask`]) records which recurrent weights exist: the forward pass
//! multiplies block by block, gradients of absent weights are zero, and the optimiser never
//! writes them, so no connection between modules is ever created.
//!
//! # Loss
//!
//! `L = (1 / (T B n_out)) Σ_{t,b,c} (m[t,b,c] (y[t,b,c] - target[t,b,c]))²`, the mean over
//! steps, trials and channels of the masked squared error (`tasks.md`).
//!
//! # Example
//!
//! ```
//! use molap_lab::network::{Network, NetworkConfig};
//! let config = NetworkConfig { modules: vec![4, 4], ..NetworkConfig::default() };
//! let net: Network<f32> = Network::random(&config, 7).unwrap();
//! assert_eq!(net.n_units(), 8);
//! assert!(!net.is_recurrent_weight(0, 5)); // no weight between the two modules
//! ```

mod backward;
mod forward;
mod init;
mod params;

pub use forward::{NoiseConfig, Trace, loss};
pub use params::{Group, Params};

use std::ops::Range;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::real::Real;

/// The unit nonlinearity `f`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// `tanh(h)`: bounded and smooth (the default).
    #[default]
    Tanh,
    /// `max(h, 0)`; its derivative at exactly 0 is taken as 0.
    Relu,
    /// `ln(1 + e^h)`, computed stably.
    Softplus,
}

impl Activation {
    /// `f(h)`.
    pub fn apply<T: Real>(self, h: T) -> T {
        match self {
            Activation::Tanh => h.tanh(),
            Activation::Relu => h.max(T::zero()),
            Activation::Softplus => h.max(T::zero()) + (-h.abs()).exp().ln_1p(),
        }
    }

    /// `f'(h)`.
    pub fn derivative<T: Real>(self, h: T) -> T {
        match self {
            Activation::Tanh => {
                let t = h.tanh();
                T::one() - t * t
            }
            Activation::Relu => {
                if h > T::zero() {
                    T::one()
                } else {
                    T::zero()
                }
            }
            Activation::Softplus => T::one() / (T::one() + (-h).exp()),
        }
    }

    /// `f'(h)` from `h` and the already computed `a = f(h)`, without evaluating `f` again
    /// (`1 - a²` for tanh, `1 - e^(-a)` for softplus): the backward pass's cheap path.
    pub fn derivative_given<T: Real>(self, h: T, a: T) -> T {
        match self {
            Activation::Tanh => T::one() - a * a,
            Activation::Relu => self.derivative(h),
            Activation::Softplus => -(-a).exp_m1(),
        }
    }
}

/// Whether recurrent weights exist only inside modules or between all units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Connectivity {
    /// Block-diagonal `W_rec`: one block per module, nothing between modules.
    #[default]
    Modular,
    /// Full `W_rec`: every unit drives every unit (module sizes only label units).
    Monolithic,
}

/// Everything that fixes a network's shape and its dynamics' constants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkConfig {
    /// Input channels (14 for the task corpus).
    pub n_in: usize,
    /// Output channels (3 for the task corpus).
    pub n_out: usize,
    /// Module sizes, units; the network has their sum of units. Default three of 32 units.
    pub modules: Vec<usize>,
    /// Recurrent connectivity between modules.
    pub connectivity: Connectivity,
    /// Unit nonlinearity.
    pub activation: Activation,
    /// Euler step, ms (20 ms, `tasks.md`).
    pub dt_ms: f64,
    /// Unit time constant, ms (100 ms, `tasks.md`).
    pub tau_ms: f64,
    /// Initial recurrent gain `g`, dimensionless: each block's entries are drawn with standard
    /// deviation `g / sqrt(block size)`, which puts its spectral radius near `g`. The default
    /// 0.9 gives slow but stable dynamics at initialisation.
    pub gain: f64,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            n_in: 14,
            n_out: 3,
            modules: vec![32, 32, 32],
            connectivity: Connectivity::Modular,
            activation: Activation::Tanh,
            dt_ms: 20.0,
            tau_ms: 100.0,
            gain: 0.9,
        }
    }
}

impl NetworkConfig {
    /// `alpha = dt / tau`, dimensionless.
    pub fn alpha(&self) -> f64 {
        self.dt_ms / self.tau_ms
    }

    /// Total number of units.
    pub fn n_units(&self) -> usize {
        self.modules.iter().sum()
    }

    /// Checks every field; the error names the first bad one.
    pub fn validate(&self) -> Result<()> {
        if self.n_in == 0 {
            return Err(Error::invalid("n_in", "must be at least 1"));
        }
        if self.n_out == 0 {
            return Err(Error::invalid("n_out", "must be at least 1"));
        }
        if self.modules.is_empty() || self.modules.contains(&0) {
            return Err(Error::invalid(
                "modules",
                "needs at least one module, none empty",
            ));
        }
        if !(self.dt_ms > 0.0 && self.tau_ms > 0.0 && self.alpha() <= 1.0) {
            return Err(Error::invalid("dt_ms", "need 0 < dt_ms <= tau_ms"));
        }
        if !(self.gain.is_finite() && self.gain >= 0.0) {
            return Err(Error::invalid("gain", "must be finite and non-negative"));
        }
        Ok(())
    }

    /// The unit ranges of the diagonal blocks of `W_rec` that may hold weights: one per module
    /// when modular, the whole network when monolithic.
    pub fn blocks(&self) -> Vec<Range<usize>> {
        match self.connectivity {
            Connectivity::Modular => module_ranges(&self.modules),
            Connectivity::Monolithic => std::iter::once(0..self.n_units()).collect(),
        }
    }
}

/// Consecutive unit ranges of modules with the given sizes.
fn module_ranges(sizes: &[usize]) -> Vec<Range<usize>> {
    let mut start = 0;
    sizes
        .iter()
        .map(|&k| {
            start += k;
            start - k..start
        })
        .collect()
}

/// A leaky recurrent network: its parameters, its structure and which units are silenced.
#[derive(Debug, Clone, PartialEq)]
pub struct Network<T: Real> {
    /// The weights and biases. Recurrent entries outside [`Network::rec_mask`] must stay 0:
    /// the forward pass ignores them, but call [`Network::enforce_structure`] after editing.
    pub params: Params<T>,
    config: NetworkConfig,
    blocks: Vec<Range<usize>>,
    rec_mask: DMatrix<T>,
    silenced: Vec<bool>,
}

impl<T: Real> Network<T> {
    /// Builds a network from given parameters, checking their shapes against `config` and
    /// that no recurrent weight lies outside the structure.
    pub fn from_params(config: &NetworkConfig, params: Params<T>) -> Result<Self> {
        config.validate()?;
        let (n, n_in, n_out) = (config.n_units(), config.n_in, config.n_out);
        if params.n_units() != n
            || params.w_rec.ncols() != n
            || params.n_in() != n_in
            || params.w_in.nrows() != n
            || params.b.len() != n
            || params.n_out() != n_out
            || params.w_out.ncols() != n
            || params.b_out.len() != n_out
        {
            return Err(Error::Shape(format!(
                "parameters do not fit n_in {n_in}, n {n}, n_out {n_out}"
            )));
        }
        let blocks = config.blocks();
        let rec_mask = structural_mask(n, &blocks);
        let outside = params.w_rec.zip_map(&rec_mask, |w, m| w * (T::one() - m));
        if outside.iter().any(|&w| w != T::zero()) {
            return Err(Error::invalid("w_rec", "holds weights between modules"));
        }
        let silenced = vec![false; n];
        Ok(Network {
            params,
            config: config.clone(),
            blocks,
            rec_mask,
            silenced,
        })
    }

    /// The configuration the network was built with.
    pub fn config(&self) -> &NetworkConfig {
        &self.config
    }

    /// Number of units `n`.
    pub fn n_units(&self) -> usize {
        self.params.n_units()
    }

    /// Number of input channels.
    pub fn n_in(&self) -> usize {
        self.params.n_in()
    }

    /// Number of output channels.
    pub fn n_out(&self) -> usize {
        self.params.n_out()
    }

    /// `alpha = dt / tau`, dimensionless.
    pub fn alpha(&self) -> f64 {
        self.config.alpha()
    }

    /// Changes the Euler step (ms); `alpha` follows. Weights are unchanged.
    pub fn set_dt_ms(&mut self, dt_ms: f64) -> Result<()> {
        let config = NetworkConfig {
            dt_ms,
            ..self.config.clone()
        };
        config.validate()?;
        self.config = config;
        Ok(())
    }

    /// The unit range of each module.
    pub fn modules(&self) -> Vec<Range<usize>> {
        module_ranges(&self.config.modules)
    }

    /// The diagonal blocks of `W_rec` that may hold weights (see [`NetworkConfig::blocks`]).
    pub fn blocks(&self) -> &[Range<usize>] {
        &self.blocks
    }

    /// The structural mask, `n x n`: 1 where a recurrent weight exists, 0 elsewhere.
    pub fn rec_mask(&self) -> &DMatrix<T> {
        &self.rec_mask
    }

    /// Whether the recurrent weight from unit `j` to unit `i` exists.
    pub fn is_recurrent_weight(&self, i: usize, j: usize) -> bool {
        self.rec_mask[(i, j)] != T::zero()
    }

    /// Number of parameters that exist (recurrent entries outside the structure excluded).
    pub fn n_existing(&self) -> usize {
        let absent = self.rec_mask.iter().filter(|&&m| m == T::zero()).count();
        self.params.n_params() - absent
    }

    /// The parameters, mutable, beside the structural mask (for optimisers that must respect
    /// it while they write).
    pub(crate) fn params_and_mask_mut(&mut self) -> (&mut Params<T>, &DMatrix<T>) {
        (&mut self.params, &self.rec_mask)
    }

    /// Sets every recurrent weight outside the structure to 0.
    pub fn enforce_structure(&mut self) {
        self.params.w_rec.component_mul_assign(&self.rec_mask);
    }

    /// One flag per unit: true when the unit is silenced (rate held at 0).
    pub fn silenced(&self) -> &[bool] {
        &self.silenced
    }

    /// Silences (`true`) or restores (`false`) one unit. Out-of-range units are an error.
    pub fn set_silenced(&mut self, unit: usize, silenced: bool) -> Result<()> {
        let n = self.n_units();
        let flag = self
            .silenced
            .get_mut(unit)
            .ok_or_else(|| Error::invalid("unit", format!("{unit} is not below {n}")))?;
        *flag = silenced;
        Ok(())
    }

    /// Silences every unit of module `module`.
    pub fn silence_module(&mut self, module: usize) -> Result<()> {
        let ranges = self.modules();
        let range = ranges.get(module).ok_or_else(|| {
            Error::invalid("module", format!("{module} is not below {}", ranges.len()))
        })?;
        self.silenced[range.clone()]
            .iter_mut()
            .for_each(|s| *s = true);
        Ok(())
    }

    /// Restores every silenced unit.
    pub fn clear_silenced(&mut self) {
        self.silenced.iter_mut().for_each(|s| *s = false);
    }

    /// The same network in another float type (`f32 <-> f64`).
    pub fn cast<U: Real>(&self) -> Network<U> {
        Network {
            params: self.params.cast(),
            config: self.config.clone(),
            blocks: self.blocks.clone(),
            rec_mask: self.rec_mask.map(|m| U::of(m.to_f64())),
            silenced: self.silenced.clone(),
        }
    }

    /// The `keep` vector of the dynamics: 0 for silenced units, 1 otherwise.
    fn keep(&self) -> Vec<T> {
        self.silenced
            .iter()
            .map(|&s| if s { T::zero() } else { T::one() })
            .collect()
    }
}

/// The `n x n` mask with ones on the given diagonal blocks.
fn structural_mask<T: Real>(n: usize, blocks: &[Range<usize>]) -> DMatrix<T> {
    let mut mask = DMatrix::zeros(n, n);
    for r in blocks {
        let k = r.len();
        mask.view_mut((r.start, r.start), (k, k)).fill(T::one());
    }
    mask
}
