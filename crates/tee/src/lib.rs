#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "prover")]
mod enclave;
mod error;
mod proof;
mod verifier;

#[cfg(feature = "prover")]
pub use enclave::Enclave;
pub use error::Error;
pub use proof::{TeeProof, PROOF_BYTES};
pub use verifier::{
    find_instance, is_high_s, measurement, verify, EXECUTOR_BUILD_ID, SECP256K1_HALF_ORDER,
};
