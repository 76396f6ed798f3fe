//! The seven perturbations of a trained network, applied to a copy without retraining.
//!
//! Every random draw comes from the perturbation seed, through one ChaCha8 stream per kind of
//! perturbation, so moving one control never changes the draws behind another. Draws are
//! *nested*: a larger magnitude scales the same noise, or silences a superset of the same
//! units and synapses, so robustness curves are smooth in the magnitude.

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::network::{Network, NoiseConfig};
use crate::real::Real;

/// One kind of perturbation, with the meaning of its magnitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Gaussian noise of std `σ / sqrt(fan_in)` on every existing recurrent weight; σ ≥ 0.
    RecWeightNoise,
    /// The same on the input weights `W_in` (fan-in: the input channels); σ ≥ 0.
    InputWeightNoise,
    /// A fraction `p` in [0, 1] of units silenced (rate held at 0).
    UnitLoss,
    /// Every unit of one module silenced; the magnitude is the module's number counted from 1,
    /// 0 for none.
    ModuleLoss,
    /// Multiplier ≥ 0 of the input noise of the task corpus (1 = baseline).
    InputNoise,
    /// Multiplier ≥ 0 of the recurrent noise (1 = baseline).
    RecurrentNoise,
    /// A fraction `p` in [0, 1] of existing recurrent weights set to 0.
    SynapseLoss,
}

impl Kind {
    /// Every kind, in the order of the page's controls.
    pub const ALL: [Kind; 7] = [
        Kind::RecWeightNoise,
        Kind::InputWeightNoise,
        Kind::UnitLoss,
        Kind::ModuleLoss,
        Kind::InputNoise,
        Kind::RecurrentNoise,
        Kind::SynapseLoss,
    ];

    /// The name used in links, files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::RecWeightNoise => "rec_weight_noise",
            Kind::InputWeightNoise => "input_weight_noise",
            Kind::UnitLoss => "unit_loss",
            Kind::ModuleLoss => "module_loss",
            Kind::InputNoise => "input_noise",
            Kind::RecurrentNoise => "recurrent_noise",
            Kind::SynapseLoss => "synapse_loss",
        }
    }

    /// A label for people, with the magnitude's unit.
    pub fn label(self) -> &'static str {
        match self {
            Kind::RecWeightNoise => "recurrent weight noise σ (× 1/√fan-in)",
            Kind::InputWeightNoise => "input weight noise σ (× 1/√fan-in)",
            Kind::UnitLoss => "unit loss (fraction of units)",
            Kind::ModuleLoss => "module loss (module silenced)",
            Kind::InputNoise => "input noise (× baseline)",
            Kind::RecurrentNoise => "recurrent noise (× baseline)",
            Kind::SynapseLoss => "synapse loss (fraction of recurrent weights)",
        }
    }

    /// The largest magnitude the page's control offers and the default robustness curve reaches
    /// (the smallest is 0, no perturbation, for every kind): the number of modules for module
    /// loss, a strong but finite level for the unbounded kinds. Larger values stay valid
    /// wherever a magnitude is typed in.
    pub fn max_magnitude(self, n_modules: usize) -> f64 {
        match self {
            Kind::RecWeightNoise | Kind::InputWeightNoise => 2.0,
            Kind::UnitLoss | Kind::SynapseLoss => 1.0,
            Kind::ModuleLoss => n_modules as f64,
            Kind::InputNoise | Kind::RecurrentNoise => 20.0,
        }
    }

    /// A magnitude as people read it: "none", "module 1", ... for module loss (numbered from
    /// 1), the number itself otherwise (`0.25`, `1.5`, `20`).
    pub fn setting(self, magnitude: f64) -> String {
        match self {
            Kind::ModuleLoss => match magnitude.round().max(0.0) as usize {
                0 => "none".to_string(),
                m => format!("module {m}"),
            },
            _ => crate::plots::tick(magnitude),
        }
    }

    /// Parses a name as [`Kind::name`] writes it.
    pub fn from_name(name: &str) -> Result<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| {
                let names: Vec<_> = Kind::ALL.iter().map(|k| k.name()).collect();
                Error::invalid(
                    "perturbation",
                    format!("`{name}` is not one of {}", names.join(", ")),
                )
            })
    }

    /// The stream of the perturbation seed this kind draws from.
    fn stream(self) -> u64 {
        Kind::ALL.iter().position(|&k| k == self).unwrap_or(0) as u64 + 1
    }
}

/// A set of perturbations, all at once. The default perturbs nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Perturbation {
    /// Recurrent weight noise σ, ≥ 0 (0 = none).
    pub rec_weight_noise: f64,
    /// Input weight noise σ, ≥ 0 (0 = none).
    pub input_weight_noise: f64,
    /// Fraction of units silenced, in [0, 1].
    pub unit_loss: f64,
    /// The module silenced, if any (0-based).
    pub module_loss: Option<usize>,
    /// Input noise multiplier, ≥ 0 (1 = baseline).
    pub input_noise: f64,
    /// Recurrent noise multiplier, ≥ 0 (1 = baseline).
    pub recurrent_noise: f64,
    /// Fraction of existing recurrent weights removed, in [0, 1].
    pub synapse_loss: f64,
    /// Seed of every random draw above.
    pub seed: u64,
}

impl Default for Perturbation {
    fn default() -> Self {
        Perturbation {
            rec_weight_noise: 0.0,
            input_weight_noise: 0.0,
            unit_loss: 0.0,
            module_loss: None,
            input_noise: 1.0,
            recurrent_noise: 1.0,
            synapse_loss: 0.0,
            seed: 0,
        }
    }
}

impl Perturbation {
    /// Only the perturbation `kind` at `magnitude` (a module number from 1 for
    /// [`Kind::ModuleLoss`], 0 for none).
    pub fn single(kind: Kind, magnitude: f64, seed: u64) -> Self {
        let mut p = Perturbation {
            seed,
            ..Perturbation::default()
        };
        p.set(kind, magnitude);
        p
    }

    /// Sets one kind's magnitude (for [`Kind::ModuleLoss`] the module's number from 1, rounded;
    /// 0 silences none).
    pub fn set(&mut self, kind: Kind, magnitude: f64) {
        match kind {
            Kind::RecWeightNoise => self.rec_weight_noise = magnitude,
            Kind::InputWeightNoise => self.input_weight_noise = magnitude,
            Kind::UnitLoss => self.unit_loss = magnitude,
            Kind::ModuleLoss => {
                self.module_loss = (magnitude.round().max(0.0) as usize).checked_sub(1);
            }
            Kind::InputNoise => self.input_noise = magnitude,
            Kind::RecurrentNoise => self.recurrent_noise = magnitude,
            Kind::SynapseLoss => self.synapse_loss = magnitude,
        }
    }

    /// Checks every magnitude; the error names the first bad field.
    pub fn validate(&self, n_modules: usize) -> Result<()> {
        let non_negative = [
            ("rec_weight_noise", self.rec_weight_noise),
            ("input_weight_noise", self.input_weight_noise),
            ("input_noise", self.input_noise),
            ("recurrent_noise", self.recurrent_noise),
        ];
        for (field, v) in non_negative {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::invalid(
                    field,
                    format!("must be a finite number ≥ 0, got {v}"),
                ));
            }
        }
        for (field, v) in [
            ("unit_loss", self.unit_loss),
            ("synapse_loss", self.synapse_loss),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::invalid(field, format!("must be in [0, 1], got {v}")));
            }
        }
        match self.module_loss {
            Some(m) if m >= n_modules => Err(Error::invalid(
                "module_loss",
                format!(
                    "module {} does not exist (the network has {n_modules}, numbered from 1)",
                    m + 1
                ),
            )),
            _ => Ok(()),
        }
    }

    /// The noise levels of a forward pass under this perturbation.
    pub fn noise(&self) -> NoiseConfig {
        NoiseConfig {
            input_scale: self.input_noise,
            recurrent_scale: self.recurrent_noise,
            ..NoiseConfig::default()
        }
    }

    /// A perturbed copy of `network` (weights and silenced units; the noise levels are
    /// [`Perturbation::noise`]). The original is untouched.
    pub fn apply<T: Real>(&self, network: &Network<T>) -> Result<Network<T>> {
        self.validate(network.config().modules.len())?;
        let mut net = network.clone();
        self.add_recurrent_noise(&mut net);
        self.add_input_noise(&mut net);
        self.remove_synapses(&mut net);
        self.silence_units(&mut net)?;
        Ok(net)
    }

    fn rng(&self, kind: Kind) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(kind.stream());
        rng
    }

    fn add_recurrent_noise<T: Real>(&self, net: &mut Network<T>) {
        if self.rec_weight_noise == 0.0 {
            return;
        }
        let mut rng = self.rng(Kind::RecWeightNoise);
        for block in net.blocks().to_vec() {
            let std = self.rec_weight_noise / (block.len() as f64).sqrt();
            for j in block.clone() {
                for i in block.clone() {
                    let z: f64 = rng.sample(StandardNormal);
                    net.params.w_rec[(i, j)] += T::of(std * z);
                }
            }
        }
    }

    fn add_input_noise<T: Real>(&self, net: &mut Network<T>) {
        if self.input_weight_noise == 0.0 {
            return;
        }
        let mut rng = self.rng(Kind::InputWeightNoise);
        let std = self.input_weight_noise / (net.n_in() as f64).sqrt();
        for w in net.params.w_in.iter_mut() {
            let z: f64 = rng.sample(StandardNormal);
            *w += T::of(std * z);
        }
    }

    fn remove_synapses<T: Real>(&self, net: &mut Network<T>) {
        if self.synapse_loss == 0.0 {
            return;
        }
        let mut existing: Vec<(usize, usize)> = net
            .blocks()
            .iter()
            .flat_map(|b| b.clone().flat_map(move |j| b.clone().map(move |i| (i, j))))
            .collect();
        existing.shuffle(&mut self.rng(Kind::SynapseLoss));
        let n_lost = (self.synapse_loss * existing.len() as f64).round() as usize;
        for &(i, j) in &existing[..n_lost] {
            net.params.w_rec[(i, j)] = T::zero();
        }
    }

    fn silence_units<T: Real>(&self, net: &mut Network<T>) -> Result<()> {
        if let Some(module) = self.module_loss {
            net.silence_module(module)?;
        }
        if self.unit_loss > 0.0 {
            let mut units: Vec<usize> = (0..net.n_units()).collect();
            units.shuffle(&mut self.rng(Kind::UnitLoss));
            let n_lost = (self.unit_loss * units.len() as f64).round() as usize;
            for &u in &units[..n_lost] {
                net.set_silenced(u, true)?;
            }
        }
        Ok(())
    }
}
