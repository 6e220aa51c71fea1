//! The one error type of this crate.

use alloc::string::String;
use multiprover_core::{CoreError, SystemId};

/// Everything that can go wrong while verifying or proving.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The envelope or key names another proof system.
    #[error("expected a plonky2 envelope/key, got {0}")]
    WrongSystem(SystemId),
    /// `envelope.vk_id`, `key.vk_id` and the hash of the key material do not all agree.
    #[error("verifying-key id mismatch")]
    VkIdMismatch,
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
    Statement(CoreError),
    /// plonky2 rejected the proof.
    #[error("proof rejected: {0}")]
    Rejected(String),
    /// The profile is out of bounds or does not match the prover's.
    #[error("profile mismatch or out of bounds")]
    Profile,
    /// The witness does not have the shape of the prover's profile.
    #[error("malformed witness: {0}")]
    Witness(&'static str),
    /// The circuit's constraints are not satisfied by the witness: the batch cannot be proven.
    #[error("the witness does not satisfy the circuit: {0}")]
    Unsatisfied(String),
    /// Serialization of key material or proof failed (internal error).
    #[error("serialization failed")]
    Serialize,
}
