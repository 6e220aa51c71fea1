#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod dispatch;
pub mod error;
pub mod halo2_params;
pub mod light_client;
pub mod record;

pub use dispatch::{
    compiled_systems, system, verify_envelope, verify_envelope_bytes, verify_envelope_in,
    verify_envelopes, verify_envelopes_at, REGISTRY,
};
pub use error::Error;
pub use halo2_params::{halo2_params_bytes, halo2_params_k, load_halo2_params};
pub use light_client::{
    BatchVerdict, ChainStatus, Dispatcher, LightClient, ProofError, ProofResult,
};
pub use record::{BatchRecord, HexBytes};
