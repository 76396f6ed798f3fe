//! Times the benchmark workloads of `molap_lab::bench` natively, on one thread, and writes
//! them as JSON; optionally writes the fixed training batch for `scripts/bench_torch.py`.
//! `./scripts/bench.sh` runs it as part of the full benchmark:
//! `cargo run --release --example bench -- --json out.json [--batch-json batch.json]`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use molap_lab::bench::{self, Architecture, Plan};
use molap_lab::methods::DEFAULT_TASK_LR;
use molap_lab::network::{NetworkConfig, NoiseConfig};
use serde_json::json;

/// Native timings of a training iteration, the nine-task evaluation and a batch draw.
#[derive(Parser)]
struct Args {
    /// Write the timings here as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write the fixed training batch and the run's constants here (for the PyTorch script).
    #[arg(long)]
    batch_json: Option<PathBuf>,
    /// Untimed runs before each workload.
    #[arg(long, default_value_t = Plan::default().warmup)]
    warmup: usize,
    /// Timed training iterations per network.
    #[arg(long, default_value_t = Plan::default().iteration_reps)]
    iteration_reps: usize,
    /// Timed evaluations of the nine tasks.
    #[arg(long, default_value_t = Plan::default().eval_reps)]
    eval_reps: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(path) = &args.batch_json {
        write_batch(path)?;
    }
    let plan = Plan {
        warmup: args.warmup,
        iteration_reps: args.iteration_reps,
        eval_reps: args.eval_reps,
    };
    let origin = Instant::now();
    let now = move || origin.elapsed().as_secs_f64() * 1e3;
    let rows = bench::run_all(&plan, &now)?;
    for row in &rows {
        let s = &row.stats;
        println!(
            "{:<22} median {:>9.3} ms  IQR {:.3}–{:.3}  ({})",
            row.name, s.median_ms, s.q1_ms, s.q3_ms, row.detail
        );
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&rows)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The iteration benchmark's batch and constants, so PyTorch runs the very same iteration.
fn write_batch(path: &PathBuf) -> anyhow::Result<()> {
    let batch = bench::iteration_batch()?;
    let config = NetworkConfig::default();
    let noise = NoiseConfig::default();
    let alpha = config.alpha();
    let methods: Vec<_> = Architecture::ALL
        .into_iter()
        .map(|a| json!({ "name": a.name(), "trainable": a.trainable().groups() }))
        .collect();
    let value = json!({
        "task": bench::TASK.short(),
        "n_steps": batch.n_steps,
        "batch_size": batch.batch_size,
        "n_in": batch.n_in,
        "n_out": batch.n_out,
        "modules": config.modules,
        "alpha": alpha,
        "gain": config.gain,
        "input_noise_std": noise.input_std(alpha),
        "recurrent_noise_std": noise.recurrent_std(alpha),
        "lr": DEFAULT_TASK_LR,
        "clip_norm": 1.0,
        "methods": methods,
        "inputs": batch.inputs,
        "targets": batch.targets,
        "mask": batch.mask,
    });
    std::fs::write(path, serde_json::to_string(&value)?)
        .with_context(|| format!("writing {}", path.display()))
}
