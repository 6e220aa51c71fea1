//! The crate's error type.

use multiprover_core::proof_system::{Classify, ErrorKind, PrecheckError};
use multiprover_core::CoreError;

/// Everything that can go wrong when proving or verifying with halo2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The shared pre-checks failed: another system, or another key than the pinned one.
    #[error(transparent)]
    Precheck(#[from] PrecheckError),
    /// The key material does not parse or does not describe a circuit this crate builds.
    #[error("bad halo2 key material: {0}")]
    BadKey(&'static str),
    /// The proof bytes have the wrong shape (length).
    #[error("malformed halo2 proof: {0}")]
    BadProof(&'static str),
    /// Params bytes that are not the pinned ones (see `verify::load_params`).
    #[error("bad halo2 params: {0}")]
    BadParams(&'static str),
    /// The proof does not verify against the statement.
    #[error("halo2 proof rejected")]
    Rejected(#[source] halo2_proofs::plonk::Error),
    /// The segments' intermediate values do not chain into the statement (roots from
    /// `pre_root` to `post_root`, batch-hash accumulators from the header to `batch_hash`).
    #[error("halo2 segments do not chain into the statement: {0}")]
    Chain(&'static str),
    /// Key generation or proving failed inside halo2.
    #[error("halo2: {0}")]
    Plonk(#[from] halo2_proofs::plonk::Error),
    /// The witness does not fit the profile's shape.
    #[error("bad witness: {0}")]
    BadWitness(&'static str),
    /// The witness does not satisfy the circuit: the batch breaks a rule.
    #[error("the witness does not satisfy the circuit (the batch breaks a rule)")]
    Unsatisfied,
    /// An error from the core crate (profile, statement).
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Precheck(e) => e.kind(),
            Self::BadKey(_) => ErrorKind::WrongKey,
            Self::BadProof(_) => ErrorKind::Malformed,
            Self::BadParams(_) => ErrorKind::Setup,
            Self::Rejected(_) | Self::Chain(_) => ErrorKind::Rejected,
            Self::Plonk(_) => ErrorKind::Internal,
            Self::BadWitness(_) | Self::Unsatisfied | Self::Core(_) => ErrorKind::Unprovable,
        }
    }
}
