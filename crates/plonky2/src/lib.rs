#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod config;
mod error;
pub mod key;
mod serialization;
mod system;
mod validate;
mod verify;

#[cfg(feature = "prover")]
mod circuit;
#[cfg(feature = "prover")]
mod prover;

pub use error::{BoxError, Error};
pub use key::{key_info, KeyInfo, Variant};
pub use system::Plonky2;
pub use verify::{verify, vk_id, PreparedKey, VK_ID_DOMAIN};

#[cfg(feature = "prover")]
pub use circuit::CircuitStats;
#[cfg(feature = "prover")]
pub use prover::Prover;
