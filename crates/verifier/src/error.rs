//! The error enum of `multiprover-verifier`.

use multiprover_core::proof_system::{Classify, ErrorKind, VerifyError};
use multiprover_core::CoreError;

/// Why an envelope, a batch record or an anchor was rejected.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The bytes are not a well-formed envelope, anchor or batch, or the anchor-level checks
    /// failed (another chain, an unpinned key, a batch that does not extend the chain).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A system's verifier rejected the envelope (or this build has none for its system).
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// Setup data (halo2 params) that cannot be served or loaded.
    #[error("verifier setup: {0}")]
    Setup(&'static str),
    /// A batch record that is too large or has too many envelopes.
    #[error("malformed batch record: {0}")]
    RecordLimit(&'static str),
    /// A batch record that does not parse.
    #[error("malformed batch record: {0}")]
    BadRecord(#[source] serde_json::Error),
    /// The envelope's statement does not match the batch it is published with.
    #[error("envelope does not match the batch: {0}")]
    BatchMismatch(&'static str),
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Core(e) => e.kind(),
            Self::Verify(e) => e.kind,
            Self::Setup(_) => ErrorKind::Setup,
            Self::RecordLimit(_) | Self::BadRecord(_) => ErrorKind::Malformed,
            Self::BatchMismatch(_) => ErrorKind::WrongStatement,
        }
    }
}
