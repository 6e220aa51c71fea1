#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod error;
pub mod key;
mod verify;

#[cfg(feature = "prover")]
mod circuit;
#[cfg(feature = "prover")]
mod prover;

pub use error::Error;
pub use key::{key_info, KeyInfo, Variant};
pub use verify::{verify, vk_id, PreparedKey, VK_ID_DOMAIN};

#[cfg(feature = "prover")]
pub use circuit::CircuitStats;
#[cfg(feature = "prover")]
pub use prover::Prover;
