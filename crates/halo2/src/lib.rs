#![doc = include_str!("../README.md")]

pub mod circuit;
pub mod error;
pub mod gadgets;
pub mod key;
#[cfg(feature = "prover")]
pub mod prover;
pub mod verify;

pub use circuit::{k_for, rows_used, StatementCircuit};
pub use error::Error;
pub use key::{vk_id, KeyMaterial};
#[cfg(feature = "prover")]
pub use prover::Prover;
pub use verify::{
    load_params, params_bytes, params_digest, verifier_data, verify, verify_many, PARAMS_DIGESTS,
};
