//! The error enum of the `multiprover` binary.

use multiprover_core::{CoreError, SystemId};

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// JSON that does not parse.
    #[error("{path}: {source}")]
    Json {
        /// The path.
        path: String,
        /// The cause.
        source: serde_json::Error,
    },
    /// Core rejected the input (invalid batch, anchor, envelope).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// Verification failed.
    #[error(transparent)]
    Verify(#[from] multiprover_verifier::Error),
    /// The node or its client failed.
    #[error(transparent)]
    Node(#[from] multiprover_node::Error),
    /// A proof system failed to set up or prove.
    #[error(transparent)]
    Prove(#[from] multiprover_core::ProveError),
    /// A prover's verifying key is not the one the anchor pins.
    #[error("{system}: this prover's verifying key {prover} is not the anchor's {pinned} (other profile, or a faulty/honest mismatch)")]
    KeyMismatch {
        /// The system.
        system: SystemId,
        /// The prover's key id.
        prover: multiprover_core::B256,
        /// The anchor's key id.
        pinned: multiprover_core::B256,
    },
    /// This binary was built without a system or without `demo-faults`.
    #[error("{0}")]
    Unavailable(String),
    /// Bad arguments or inputs beyond what clap checks.
    #[error("{0}")]
    Usage(String),
}

impl CliError {
    /// A file error at `path`.
    pub fn io(path: &std::path::Path, source: std::io::Error) -> CliError {
        CliError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// A JSON error in the file at `path`.
    pub fn json(path: &std::path::Path, source: serde_json::Error) -> CliError {
        CliError::Json {
            path: path.display().to_string(),
            source,
        }
    }
}
