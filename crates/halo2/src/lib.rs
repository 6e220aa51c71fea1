#![doc = include_str!("../README.md")]

mod cache;
pub mod circuit;
pub mod error;
pub mod gadgets;
pub mod key;
pub mod params;
#[cfg(feature = "prover")]
pub mod prover;
pub mod segment;
mod system;
pub mod verify;

pub use circuit::{k_for, rows_used, SegmentCircuit, SegmentWitness};
pub use error::Error;
pub use key::{vk_id, KeyMaterial};
pub use params::{
    load_params, params, params_bytes, params_digest, PARAMS_DIGESTS, PARAMS_DIR_ENV,
};
#[cfg(feature = "prover")]
pub use prover::{Prover, SegmentProof};
pub use system::Halo2;
pub use verify::{verifier_data, verify, verify_many, verify_segment, VerifierData};
