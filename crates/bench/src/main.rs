//! `multiprover-bench`: the native half of `npm run bench` (bench/run.mjs drives it and the
//! browser half). Not part of the shipped `multiprover` binary: it links the CLI's library
//! for keys, random batches, chain replay and the provers.
//!
//! * `chain` proves and verifies a cached chain with every system ([`chain`]);
//! * `serve` serves that chain to a browser ([`serve`]);
//! * `load` measures node throughput ([`load`]);
//! * `poseidon` compares the plonky2 statement circuit with a bare Poseidon chain
//!   (`poseidon.rs`, with the `plonky2` feature).
//!
//! Every figure is written as JSON (`--report`, or stdout), in the shapes of [`report`].

mod chain;
mod load;
#[cfg(feature = "plonky2")]
mod poseidon;
mod report;
mod serve;
mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use multiprover_cli::CliError;
use multiprover_core::SystemId;

/// Benchmarks of multiprover, driven by `npm run bench`; every report is JSON.
#[derive(Parser, Debug)]
#[command(name = "multiprover-bench", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build (or reuse) a proved chain in --dir and measure every system natively.
    ///
    /// Example: multiprover-bench chain --dir bench/cache/d20-t8 --batches 16 --parallel
    Chain(chain::ChainArgs),
    /// Load a cached chain into a fresh node and serve it until stdin closes.
    ///
    /// Example: multiprover-bench serve --dir bench/cache/d20-t8 --static .
    Serve(serve::ServeArgs),
    /// Envelope submissions and batch-record reads per second against a fresh node.
    ///
    /// Example: multiprover-bench load --dir target/bench/load
    Load(load::LoadArgs),
    /// The plonky2 statement circuit against a bare chain of as many Poseidon permutations.
    ///
    /// Example: multiprover-bench poseidon --runs 5 --report target/bench/poseidon.json
    #[cfg(feature = "plonky2")]
    Poseidon(poseidon::PoseidonArgs),
}

/// The starting balance of every funded account of a benchmark chain.
const BALANCE: u64 = 1_000_000_000_000;

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

/// Where a cached chain keeps batch `n`'s envelope of system `s`.
fn envelope_path(dir: &Path, n: u64, s: SystemId) -> PathBuf {
    dir.join("envelopes")
        .join(format!("batch-{n}.{}.env", s.name()))
}

/// A fresh node database under `dir`.
fn fresh_db(dir: &Path) -> Result<PathBuf, CliError> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
    for stale in ["node.db", "node.db-wal", "node.db-shm"] {
        let _ = std::fs::remove_file(dir.join(stale));
    }
    Ok(dir.join("node.db"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Chain(a) => chain::run(a).map(|()| true),
        Command::Serve(a) => serve::run(a).map(|()| true),
        Command::Load(a) => load::run(a),
        #[cfg(feature = "plonky2")]
        Command::Poseidon(a) => poseidon::run(a).map(|()| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                CliError::Usage(_) | CliError::Io { .. } | CliError::Json { .. } => {
                    ExitCode::from(2)
                }
                _ => ExitCode::from(1),
            }
        }
    }
}
