//! Key material: what a trust anchor pins for halo2.
//!
//! halo2_proofs (0.4) cannot serialize a verifying key, so the key material describes the
//! circuit instead and the verifier rebuilds the key with `keygen_vk` (of the segment
//! circuit: one key for every segment of the profile):
//!
//! | bytes | field |
//! |---|---|
//! | 0..4 | magic `"mph2"` |
//! | 4 | format version (1) |
//! | 5 | circuit version ([`CIRCUIT_VERSION`]) |
//! | 6 | tree depth `D` |
//! | 7..11 | capacity `T`, u32 LE |
//! | 11 | `k` |

use alloy_primitives::B256;
use multiprover_core::Profile;

use crate::circuit::k_for;
use crate::error::Error;

/// Key-material magic.
pub const MAGIC: [u8; 4] = *b"mph2";
/// Key-material format version.
pub const FORMAT_VERSION: u8 = 1;
/// Version of the circuit layout (bump when the constraints change). Version 3: one
/// segment circuit per transfer, [`crate::gadgets::goldilocks::LIMB_BITS`]-bit limbs.
pub const CIRCUIT_VERSION: u8 = 3;
/// Largest `k` a verifier accepts (a bigger key would only make it allocate a lot).
pub const MAX_K: u32 = 20;
/// Length of the key material.
pub const KEY_BYTES: usize = 12;

/// The parsed key material.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyMaterial {
    /// Circuit version.
    pub circuit_version: u8,
    /// The profile.
    pub profile: Profile,
    /// Domain size exponent.
    pub k: u32,
}

impl KeyMaterial {
    /// Encode.
    pub fn to_bytes(&self) -> [u8; KEY_BYTES] {
        let mut out = [0u8; KEY_BYTES];
        out[0..4].copy_from_slice(&MAGIC);
        out[4] = FORMAT_VERSION;
        out[5] = self.circuit_version;
        out[6] = self.profile.depth;
        out[7..11].copy_from_slice(&self.profile.capacity.to_le_bytes());
        out[11] = self.k as u8;
        out
    }

    /// Parse strictly and check that it describes the circuit this crate builds.
    pub fn from_bytes(b: &[u8]) -> Result<KeyMaterial, Error> {
        let b: &[u8; KEY_BYTES] = b
            .try_into()
            .map_err(|_| Error::BadKey("key material length"))?;
        if b[0..4] != MAGIC {
            return Err(Error::BadKey("magic"));
        }
        if b[4] != FORMAT_VERSION {
            return Err(Error::BadKey("format version"));
        }
        if b[5] != CIRCUIT_VERSION {
            return Err(Error::BadKey("circuit version"));
        }
        let profile = Profile {
            depth: b[6],
            capacity: u32::from_le_bytes([b[7], b[8], b[9], b[10]]),
        };
        profile
            .validate()
            .map_err(|_| Error::BadKey("profile out of range"))?;
        let k = b[11] as u32;
        if k > MAX_K {
            return Err(Error::BadKey("k too large"));
        }
        if k != k_for(profile) {
            return Err(Error::BadKey("k does not match the profile"));
        }
        Ok(KeyMaterial {
            circuit_version: b[5],
            profile,
            k,
        })
    }
}

/// Domain prefix of the verifying-key id.
pub const VK_ID_DOMAIN: &[u8] = b"multiprover-halo2-vk-v1";

/// The verifying-key id: `keccak256("multiprover-halo2-vk-v1" ‖ key material)`.
pub fn vk_id(key_material: &[u8]) -> B256 {
    multiprover_core::proof_system::vk_id(VK_ID_DOMAIN, key_material)
}
