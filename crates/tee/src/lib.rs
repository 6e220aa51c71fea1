#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "prover")]
extern crate alloc;

#[cfg(feature = "prover")]
mod enclave;
mod error;
mod proof;
mod system;
mod verifier;

#[cfg(feature = "prover")]
pub use enclave::Enclave;
pub use error::Error;
pub use proof::{TeeProof, PROOF_BYTES};
pub use system::Tee;
#[cfg(feature = "prover")]
pub use system::{setup_prover, TeeProver};
pub use verifier::{
    check_key, find_instance, is_high_s, key_material, measurement, measurement_for, verify,
    verify_attestation, EXECUTOR_BUILD_ID, SECP256K1_HALF_ORDER,
};
