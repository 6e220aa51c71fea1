//! The crate's error type.

use multiprover_core::{CoreError, SystemId};

/// Everything that can go wrong when proving or verifying with halo2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The envelope or key names another proof system.
    #[error("not a halo2 envelope or key (system {0})")]
    WrongSystem(SystemId),
    /// `envelope.vk_id`, `key.vk_id` and the hash of the key material disagree.
    #[error("verifying-key id mismatch")]
    VkIdMismatch,
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
    /// A batch verification failed (the individual results say which proof).
    #[error("halo2 batch rejected")]
    BatchRejected,
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
