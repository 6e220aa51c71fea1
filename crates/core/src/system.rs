//! The proof systems and their families.

use core::fmt;
use core::str::FromStr;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// A proof system. The numeric value is the envelope's system id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum SystemId {
    /// halo2 (IPA over Pasta), emulated Goldilocks.
    Halo2 = 1,
    /// plonky2 (PLONK + FRI over Goldilocks).
    Plonky2 = 2,
    /// winterfell STARK (BLAKE3 commitments).
    Stark = 3,
    /// Signed attestation by a registered enclave key.
    Tee = 4,
}

/// Families a policy can require (docs/spec.md, "Policy and settlement").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// A cryptographic validity proof.
    Zk,
    /// A trusted-execution attestation.
    Tee,
    /// Security from hash functions only (plausibly post-quantum).
    HashBased,
}

impl SystemId {
    /// All systems, in id order.
    pub const ALL: [SystemId; 4] = [
        SystemId::Halo2,
        SystemId::Plonky2,
        SystemId::Stark,
        SystemId::Tee,
    ];

    /// The lowercase name used on the wire, in JSON and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            SystemId::Halo2 => "halo2",
            SystemId::Plonky2 => "plonky2",
            SystemId::Stark => "stark",
            SystemId::Tee => "tee",
        }
    }

    /// The system for an envelope id byte.
    pub fn from_u8(v: u8) -> Result<SystemId, CoreError> {
        SystemId::ALL
            .into_iter()
            .find(|s| *s as u8 == v)
            .ok_or(CoreError::UnknownSystem(v))
    }

    /// The families this system belongs to.
    pub const fn families(self) -> &'static [Family] {
        match self {
            SystemId::Halo2 => &[Family::Zk],
            SystemId::Plonky2 => &[Family::Zk, Family::HashBased],
            SystemId::Stark => &[Family::Zk, Family::HashBased],
            SystemId::Tee => &[Family::Tee],
        }
    }

    /// Whether the system belongs to `family`.
    pub fn is_in(self, family: Family) -> bool {
        self.families().contains(&family)
    }
}

impl fmt::Display for SystemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SystemId {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SystemId::ALL
            .into_iter()
            .find(|x| x.name() == s)
            .ok_or(CoreError::UnknownSystemName)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::Zk => "zk",
            Family::Tee => "tee",
            Family::HashBased => "hash-based",
        })
    }
}
