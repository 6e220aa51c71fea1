#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
// Constraint and trace code walks several parallel lane arrays by index; zipped iterators
// would hide the lane numbers the comments refer to.
#![allow(clippy::needless_range_loop)]

extern crate alloc;

pub mod air;
pub mod error;
pub mod key;
pub mod layout;
#[cfg(feature = "prover")]
pub mod prover;
mod system;
pub mod verifier;

pub use crate::air::{BatchAir, PublicInputs, Variant};
pub use error::Error;
pub use key::{vk_id, KeyParams, AIR_VERSION, DEFAULT_MIN_SECURITY_BITS};
#[cfg(feature = "prover")]
pub use prover::{Prover, RawSlot, RawWitness};
pub use system::Stark;
pub use verifier::{verify, verify_proof};
