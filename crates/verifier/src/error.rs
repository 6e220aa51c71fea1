//! The error enum of `multiprover-verifier`.

use alloc::string::String;
use multiprover_core::{CoreError, SystemId};

/// Why an envelope, a batch record or an anchor was rejected.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The bytes are not a well-formed envelope, anchor or batch, or core rejected them.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// This build has no verifier for the system.
    #[error("this build was compiled without the {0} verifier")]
    NotCompiled(SystemId),
    /// The halo2 verifier rejected the proof.
    #[cfg(feature = "halo2")]
    #[error("halo2: {0}")]
    Halo2(#[from] multiprover_halo2::Error),
    /// The plonky2 verifier rejected the proof.
    #[cfg(feature = "plonky2")]
    #[error("plonky2: {0}")]
    Plonky2(#[from] multiprover_plonky2::Error),
    /// The STARK verifier rejected the proof.
    #[cfg(feature = "stark")]
    #[error("stark: {0}")]
    Stark(#[from] multiprover_stark::Error),
    /// The TEE verifier rejected the attestation.
    #[cfg(feature = "tee")]
    #[error("tee: {0}")]
    Tee(#[from] multiprover_tee::Error),
    /// Setup data (halo2 params) that cannot be served or loaded.
    #[error("verifier setup: {0}")]
    Setup(&'static str),
    /// A batch record that does not parse.
    #[error("malformed batch record: {0}")]
    BadRecord(String),
    /// The envelope's statement does not match the batch it is published with.
    #[error("envelope does not match the batch: {0}")]
    BatchMismatch(&'static str),
}
