//! The model file: an experiment's configuration, its primitives, the pre-trained modules and
//! every method's trained network, written by the command-line tool and loaded by the page.
//!
//! Layout: one header line, then a JSON body of exactly the announced length.
//!
//! ```text
//! MOLAP-MODEL 1 bytes=<body length> crc32=<8 hex digits of the body's CRC-32>
//! {"config": {...}, "primitives": {...}, "modules": [...], "networks": [...]}
//! ```
//!
//! The header lets a reader refuse, with a reason, a file that is not a model, comes from an
//! incompatible version, was truncated or was corrupted, before it trusts any weight.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::methods::{ExperimentConfig, Method};
use crate::network::{Network, NetworkConfig, Params};
use crate::primitives::Primitives;
use crate::train::LossPoint;

/// The first word of every model file.
pub const MAGIC: &str = "MOLAP-MODEL";

/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// A network's configuration and weights, each group flattened column-major.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedNetwork {
    /// Shape and dynamics.
    pub config: NetworkConfig,
    /// `w_in`, `n x n_in`, column-major.
    pub w_in: Vec<f32>,
    /// `w_rec`, `n x n`, column-major.
    pub w_rec: Vec<f32>,
    /// `b`, `n`.
    pub b: Vec<f32>,
    /// `w_out`, `n_out x n`, column-major.
    pub w_out: Vec<f32>,
    /// `b_out`, `n_out`.
    pub b_out: Vec<f32>,
}

impl SavedNetwork {
    /// Flattens a network.
    pub fn from_network(network: &Network<f32>) -> Self {
        let p = &network.params;
        SavedNetwork {
            config: network.config().clone(),
            w_in: p.w_in.as_slice().to_vec(),
            w_rec: p.w_rec.as_slice().to_vec(),
            b: p.b.as_slice().to_vec(),
            w_out: p.w_out.as_slice().to_vec(),
            b_out: p.b_out.as_slice().to_vec(),
        }
    }

    /// Rebuilds the network, checking every shape and the recurrent structure.
    pub fn to_network(&self) -> Result<Network<f32>> {
        let c = &self.config;
        c.validate()?;
        let (n, n_in, n_out) = (c.n_units(), c.n_in, c.n_out);
        let mut params = Params::<f32>::zeros(n_in, n, n_out);
        fill(params.w_in.as_mut_slice(), &self.w_in, "w_in")?;
        fill(params.w_rec.as_mut_slice(), &self.w_rec, "w_rec")?;
        fill(params.b.as_mut_slice(), &self.b, "b")?;
        fill(params.w_out.as_mut_slice(), &self.w_out, "w_out")?;
        fill(params.b_out.as_mut_slice(), &self.b_out, "b_out")?;
        if !params.is_finite() {
            return Err(Error::ModelFile("a weight is NaN or infinite".into()));
        }
        Network::from_params(c, params)
    }
}

/// Copies `values` into `slot`, refusing a length mismatch.
fn fill(slot: &mut [f32], values: &[f32], group: &str) -> Result<()> {
    if slot.len() != values.len() {
        return Err(Error::ModelFile(format!(
            "`{group}` holds {} values where its configuration needs {}",
            values.len(),
            slot.len()
        )));
    }
    slot.copy_from_slice(values);
    Ok(())
}

/// One method's network after its task stage, with how it got there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedNetwork {
    /// The method.
    pub method: Method,
    /// Its network.
    pub network: SavedNetwork,
    /// Trials of the task stage.
    pub trials: usize,
    /// The task stage's loss curve (may be thinned).
    pub history: Vec<LossPoint>,
    /// Performance per task on the evaluation batches when saved, in the corpus's order.
    pub performance: Vec<f64>,
    /// Performance per task measured during the task stage, for learning curves.
    #[serde(default)]
    pub curve: Vec<PerformancePoint>,
}

/// Performance per task after some number of trials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformancePoint {
    /// Trials seen.
    pub trials: usize,
    /// Performance per task, in `[0, 1]`, in the corpus's order.
    pub per_task: Vec<f64>,
}

/// The performance (fraction correct) at which a task counts as learned.
pub const CRITERION: f64 = 0.9;

/// For each task, the first number of trials at which its performance reached `criterion`
/// (`None`: never, within the curve).
pub fn trials_to_criterion(curve: &[PerformancePoint], criterion: f64) -> Vec<Option<usize>> {
    let n_tasks = curve.first().map_or(0, |p| p.per_task.len());
    (0..n_tasks)
        .map(|t| {
            curve
                .iter()
                .find(|p| p.per_task[t] >= criterion)
                .map(|p| p.trials)
        })
        .collect()
}

/// Everything a model file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The experiment that produced it.
    pub config: ExperimentConfig,
    /// The latent primitives.
    pub primitives: Primitives,
    /// The pre-trained modules, one per primitive (needed to retrain MoLaP's task stage).
    pub modules: Vec<SavedNetwork>,
    /// The pre-trained monolith.
    pub monolith: SavedNetwork,
    /// The trained networks, one per method at most.
    pub networks: Vec<TrainedNetwork>,
}

impl Model {
    /// The trained network of `method`, if the file has one.
    pub fn network(&self, method: Method) -> Option<&TrainedNetwork> {
        self.networks.iter().find(|n| n.method == method)
    }

    /// Writes the file's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let body = serde_json::to_vec(self)
            .map_err(|e| Error::ModelFile(format!("cannot encode the model: {e}")))?;
        let header = format!(
            "{MAGIC} {VERSION} bytes={} crc32={:08x}\n",
            body.len(),
            crc32fast::hash(&body)
        );
        Ok([header.into_bytes(), body].concat())
    }

    /// Reads a file's bytes, refusing with a reason anything that is not an intact model of
    /// this version.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let newline = bytes
            .iter()
            .position(|&c| c == b'\n')
            .ok_or_else(not_a_model)?;
        let header = std::str::from_utf8(&bytes[..newline]).map_err(|_| not_a_model())?;
        let body = &bytes[newline + 1..];
        let (length, crc) = parse_header(header)?;
        if body.len() < length {
            return Err(Error::ModelFile(format!(
                "the file is truncated: {} of {length} bytes of data are there",
                body.len()
            )));
        }
        if body.len() > length || crc32fast::hash(body) != crc {
            return Err(Error::ModelFile(
                "the file is corrupted: its data do not match its checksum".into(),
            ));
        }
        let model: Model = serde_json::from_slice(body)
            .map_err(|e| Error::ModelFile(format!("the data are malformed: {e}")))?;
        model.check()?;
        Ok(model)
    }

    /// Checks that every network rebuilds.
    fn check(&self) -> Result<()> {
        self.config.validate()?;
        for saved in self.modules.iter().chain([&self.monolith]) {
            saved.to_network()?;
        }
        for trained in &self.networks {
            trained.network.to_network()?;
        }
        Ok(())
    }
}

fn not_a_model() -> Error {
    Error::ModelFile(format!(
        "this is not a MoLaP Lab model file (it does not start with {MAGIC})"
    ))
}

/// The body length and CRC-32 announced by a header line.
fn parse_header(header: &str) -> Result<(usize, u32)> {
    let fields: Vec<&str> = header.split_whitespace().collect();
    if fields.first() != Some(&MAGIC) {
        return Err(not_a_model());
    }
    let version: u32 = fields
        .get(1)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Error::ModelFile("the header has no version number".into()))?;
    if version != VERSION {
        return Err(Error::ModelFile(format!(
            "the file has format version {version}; this version of MoLaP Lab reads version {VERSION}"
        )));
    }
    let field = |name: &str| {
        fields
            .iter()
            .find_map(|f| f.strip_prefix(name))
            .ok_or_else(|| Error::ModelFile(format!("the header lacks its `{name}` field")))
    };
    let length = field("bytes=")?
        .parse()
        .map_err(|_| Error::ModelFile("the header's byte count is not a number".into()))?;
    let crc = u32::from_str_radix(field("crc32=")?, 16)
        .map_err(|_| Error::ModelFile("the header's checksum is not hexadecimal".into()))?;
    Ok((length, crc))
}
