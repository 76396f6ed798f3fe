//! `molap`: the native command-line tool over the same core the page runs.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

/// Runs the tool; on failure prints the error and its causes, one per line, and exits with
/// status 1 (2 for a command line clap refuses).
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    match cli::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  because: {cause}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
