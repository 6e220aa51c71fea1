//! The one error type of this crate.

use alloc::boxed::Box;
use alloc::vec::Vec;
use multiprover_core::proof_system::{Classify, ErrorKind, PrecheckError};
use multiprover_core::CoreError;

/// A lower crate's error (plonky2 reports its failures as `anyhow` errors).
pub type BoxError = Box<dyn core::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong while verifying or proving.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The shared pre-checks failed: another system, or another key than the pinned one.
    #[error(transparent)]
    Precheck(#[from] PrecheckError),
    /// The key material does not parse or is not the shape this crate produces.
    #[error("malformed key material: {0}")]
    MalformedKey(&'static str),
    /// The proof bytes do not parse for this circuit.
    #[error("malformed proof: {0}")]
    MalformedProof(&'static str),
    /// The public inputs inside the proof are not the envelope statement's 12 public inputs.
    #[error("the proof's public inputs differ from the envelope statement")]
    PublicInputsMismatch,
    /// The statement itself is not well-formed (non-canonical chain id or batch number).
    #[error("bad statement: {0}")]
    Statement(#[source] CoreError),
    /// plonky2 rejected the proof.
    #[error("proof rejected: {0}")]
    Rejected(#[source] BoxError),
    /// The profile is out of bounds or does not match the prover's.
    #[error("profile mismatch or out of bounds")]
    Profile,
    /// The witness does not have the shape of the prover's profile.
    #[error("malformed witness: {0}")]
    Witness(&'static str),
    /// The circuit's constraints are not satisfied by the witness: the batch cannot be proven.
    #[error("the witness does not satisfy the circuit: {what}")]
    Unsatisfied {
        /// Which step found it.
        what: &'static str,
        /// plonky2's error, when it gave one.
        #[source]
        source: Option<BoxError>,
    },
    /// The circuit computes other public inputs than the witness's statement.
    #[error("the circuit computes public inputs {got:?}, the witness claims {expected:?}")]
    PublicInputsDiffer {
        /// What the circuit computed.
        got: Vec<u64>,
        /// The witness's statement.
        expected: Vec<u64>,
    },
    /// Serialization of key material or proof failed (internal error).
    #[error("serialization failed")]
    Serialize,
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Precheck(e) => e.kind(),
            Self::MalformedKey(_) => ErrorKind::WrongKey,
            Self::MalformedProof(_) | Self::Statement(_) => ErrorKind::Malformed,
            Self::PublicInputsMismatch | Self::Rejected(_) => ErrorKind::Rejected,
            Self::Profile | Self::Witness(_) | Self::Unsatisfied { .. } => ErrorKind::Unprovable,
            Self::PublicInputsDiffer { .. } => ErrorKind::Unprovable,
            Self::Serialize => ErrorKind::Internal,
        }
    }
}
