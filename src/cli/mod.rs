//! The command-line interface: argument parsing and progress reporting around the core.

use clap::Parser;

/// MoLaP Lab on the command line: train, evaluate and perturb modular recurrent networks.
#[derive(Debug, Parser)]
#[command(name = "molap", version, about)]
struct Cli {}

/// Parses the command line and runs the chosen subcommand.
pub fn run() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let _cli = Cli::parse();
    Ok(())
}
