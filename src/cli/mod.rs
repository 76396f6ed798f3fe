//! The command-line interface: argument parsing and progress reporting around the core.
//! One file per subcommand; what they share lives in `common`.

mod common;
mod eval;
mod export;
mod info;
mod pretrain;
mod reproduce;
mod sweep;
mod train;
mod transfer;

use clap::{Parser, Subcommand};

/// MoLaP Lab on the command line: train, evaluate and perturb modular recurrent networks.
///
/// A typical session: `molap pretrain --out pre.molap`, then
/// `molap train --pretrained pre.molap --out model.molap`, then `molap eval model.molap`.
/// Set RUST_LOG=debug for more messages, RUST_LOG=warn for fewer.
#[derive(Debug, Parser)]
#[command(name = "molap", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fit the latent primitives and pre-train the modules and the monolith.
    Pretrain(pretrain::PretrainCmd),
    /// Train the task stage of each method on top of a pre-trained model file.
    Train(train::TrainCmd),
    /// Per-task performance of each method in a model file, optionally perturbed.
    Eval(eval::EvalCmd),
    /// Robustness curves: performance against one perturbation's magnitude, per method.
    Sweep(sweep::SweepCmd),
    /// Pre-train on eight tasks, then measure how fast each method learns the ninth.
    Transfer(transfer::TransferCmd),
    /// Run every experiment for several seeds and write a report of MoLaP's three claims.
    Reproduce(reproduce::ReproduceCmd),
    /// Draw a figure (SVG or PNG) or write its data (CSV) from a model file.
    Export(export::ExportCmd),
    /// Describe what a model file holds.
    Info(info::InfoCmd),
}

/// Parses the command line and runs the chosen subcommand.
pub fn run() -> anyhow::Result<()> {
    let logger =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).build();
    let level = logger.filter();
    // Log lines go through the progress bars, which redraw below them instead of being torn.
    indicatif_log_bridge::LogWrapper::new(common::bars(), logger).try_init()?;
    log::set_max_level(level);
    match Cli::parse().command {
        Command::Pretrain(cmd) => cmd.run(),
        Command::Train(cmd) => cmd.run(),
        Command::Eval(cmd) => cmd.run(),
        Command::Sweep(cmd) => cmd.run(),
        Command::Transfer(cmd) => cmd.run(),
        Command::Reproduce(cmd) => cmd.run(),
        Command::Export(cmd) => cmd.run(),
        Command::Info(cmd) => cmd.run(),
    }
}
