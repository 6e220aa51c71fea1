//! Key material pinned in the trust anchor, and the verifying-key id.
//!
//! ```text
//! AIR version u8 (= 1) ‖ variant u8 (0 sound, 1 demo-faulty) ‖ depth u8 ‖ capacity u32 LE
//!   ‖ minimum conjectured security in bits u32 LE                                (11 bytes)
//! vk_id = keccak256("multiprover-stark-vk-v1" ‖ key material)
//! ```

use alloc::vec::Vec;
use alloy_primitives::B256;
use multiprover_core::Profile;

use crate::air::Variant;
use crate::error::Error;

/// Version of the AIR; bumped whenever a constraint or the trace layout changes.
pub const AIR_VERSION: u8 = 1;
/// Size of the key material.
pub const KEY_BYTES: usize = 11;
/// Default minimum conjectured security (bits) written into keys by `Prover::setup`.
pub const DEFAULT_MIN_SECURITY_BITS: u32 = 100;
/// Domain prefix of the vk id.
pub const VK_ID_DOMAIN: &[u8] = b"multiprover-stark-vk-v1";

/// The verifying-key id of key material: `keccak256(VK_ID_DOMAIN ‖ key)`.
pub fn vk_id(key_material: &[u8]) -> B256 {
    multiprover_core::proof_system::vk_id(VK_ID_DOMAIN, key_material)
}

/// Parsed key material.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyParams {
    /// The profile (D, T) the AIR is built for.
    pub profile: Profile,
    /// Sound or demo-faulty AIR.
    pub variant: Variant,
    /// Proofs whose options give fewer conjectured bits are rejected.
    pub min_security_bits: u32,
}

impl KeyParams {
    /// Encode.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(KEY_BYTES);
        out.push(AIR_VERSION);
        out.push(self.variant.to_byte());
        out.push(self.profile.depth);
        out.extend_from_slice(&self.profile.capacity.to_le_bytes());
        out.extend_from_slice(&self.min_security_bits.to_le_bytes());
        out
    }

    /// Decode strictly: exact length, known version and variant, valid profile, a minimum
    /// security of at least 1 bit. Never panics.
    pub fn from_bytes(b: &[u8]) -> Result<KeyParams, Error> {
        let b: &[u8; KEY_BYTES] = b.try_into().map_err(|_| Error::BadKey("length"))?;
        if b[0] != AIR_VERSION {
            return Err(Error::BadKey("unknown AIR version"));
        }
        let variant = Variant::from_byte(b[1]).ok_or(Error::BadKey("unknown variant"))?;
        let profile = Profile {
            depth: b[2],
            capacity: u32::from_le_bytes([b[3], b[4], b[5], b[6]]),
        };
        profile
            .validate()
            .map_err(|_| Error::BadKey("profile out of range"))?;
        let min_security_bits = u32::from_le_bytes([b[7], b[8], b[9], b[10]]);
        if min_security_bits == 0 {
            return Err(Error::BadKey("minimum security must be positive"));
        }
        Ok(KeyParams {
            profile,
            variant,
            min_security_bits,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trip() {
        let k = KeyParams {
            profile: Profile::SMALL,
            variant: Variant::Sound,
            min_security_bits: 100,
        };
        assert_eq!(KeyParams::from_bytes(&k.to_bytes()).unwrap(), k);
        let mut bad = k.to_bytes();
        bad[0] = 2;
        assert!(KeyParams::from_bytes(&bad).is_err());
        let mut bad = k.to_bytes();
        bad[2] = 0;
        assert!(KeyParams::from_bytes(&bad).is_err());
        assert!(KeyParams::from_bytes(&k.to_bytes()[..10]).is_err());
        assert_ne!(vk_id(&k.to_bytes()), vk_id(&bad));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..20)) {
            let _ = KeyParams::from_bytes(&bytes);
        }
    }
}
