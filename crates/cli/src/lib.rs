//! The library half of the `multiprover` binary: its commands, and the domain helpers they
//! share with the benchmark harness (`multiprover-bench`, crates/bench): building a trust
//! anchor ([`keygen`]), random batches ([`batches`]), replaying a chain ([`util::replay`]) and
//! the prover registry ([`systems`]).

// The doc comments of the clap arguments are --help text, where `<out>` is a placeholder.
#![allow(rustdoc::invalid_html_tags)]

pub mod batches;
/// One module per subcommand: its clap arguments (whose doc comments are the `--help` text)
/// and its `run`.
#[allow(missing_docs)]
pub mod commands;
pub mod error;
pub mod keygen;
pub mod systems;
pub mod util;

pub use error::CliError;

use multiprover_core::SystemId;

/// Parse a system name for clap (`halo2`, `plonky2`, `stark`, `tee`).
pub fn parse_system(s: &str) -> Result<SystemId, String> {
    s.parse::<SystemId>().map_err(|e| e.to_string())
}

/// The statement version numbered `n` (clap has checked `1..=2`).
pub fn statement_version(n: u8) -> Result<multiprover_core::StatementVersion, error::CliError> {
    multiprover_core::StatementVersion::from_number(n)
        .ok_or_else(|| error::CliError::Usage(format!("unknown statement version {n}")))
}
