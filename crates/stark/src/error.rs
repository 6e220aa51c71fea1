//! The error enum of `multiprover-stark`.

use alloc::string::String;
use multiprover_core::proof_system::{Classify, ErrorKind, PrecheckError};
use multiprover_core::CoreError;

/// Errors of `multiprover-stark`: key material, proof decoding and verification, proving.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The shared pre-checks failed: another system, or another key than the pinned one.
    #[error(transparent)]
    Precheck(#[from] PrecheckError),
    /// The key material does not parse (wrong length, unknown version or variant, bad profile).
    #[error("malformed stark key material: {0}")]
    BadKey(&'static str),
    /// The proof bytes do not parse as a winterfell proof.
    #[error("malformed proof: {0}")]
    ProofParse(#[source] verifier::DeserializationError),
    /// The proof's trace shape (width, length, segments) is not this AIR's for the profile.
    #[error("proof trace shape does not match the AIR: {0}")]
    TraceShape(&'static str),
    /// The proof's options are weaker than the AIR needs (blowup below the constraint degree).
    #[error("proof options rejected: {0}")]
    WeakOptions(&'static str),
    /// winterfell rejected the proof (including options below the anchor's minimum security).
    #[error("proof rejected: {0}")]
    Rejected(#[from] verifier::VerifierError),
    /// The witness or batch is invalid (from the core STF / witness checks).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The witness does not fit the prover's profile or is internally inconsistent.
    #[error("bad witness: {0}")]
    BadWitness(String),
    /// The execution trace violates a constraint (the prover refuses to prove it).
    #[error("trace violates {0}")]
    Unsatisfied(String),
    /// winterfell failed to produce a proof.
    #[error("proving failed: {0}")]
    #[cfg(feature = "prover")]
    Prove(#[source] prover::ProverError),
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Precheck(e) => e.kind(),
            Self::BadKey(_) => ErrorKind::WrongKey,
            Self::ProofParse(_) | Self::TraceShape(_) => ErrorKind::Malformed,
            Self::WeakOptions(_) | Self::Rejected(_) => ErrorKind::Rejected,
            Self::Core(_) | Self::BadWitness(_) | Self::Unsatisfied(_) => ErrorKind::Unprovable,
            #[cfg(feature = "prover")]
            Self::Prove(_) => ErrorKind::Internal,
        }
    }
}
