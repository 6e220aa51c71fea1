#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod dispatch;
pub mod error;
pub mod light_client;
pub mod record;
pub mod setup;

pub use dispatch::{compiled_systems, verify_envelope, verify_envelope_bytes, verify_envelopes};
pub use error::Error;
pub use light_client::{AtTime, BatchVerdict, ChainStatus, LightClient, ProofResult};
pub use record::{BatchRecord, HexBytes};
pub use setup::{halo2_params_bytes, halo2_params_k, load_halo2_params};
