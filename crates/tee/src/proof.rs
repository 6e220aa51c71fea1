//! The TEE proof bytes: `instance_id u32 LE ‖ r (32, big-endian) ‖ s (32, big-endian) ‖ v (1)`.
//!
//! `v` is 27 or 28 (Ethereum's `ecrecover` convention: 27 + y-parity of `R`). The decoder is
//! strict: exactly [`PROOF_BYTES`] bytes and a valid `v`; range checks of `r` and `s` are the
//! verifier's.

use alloy_primitives::{Signature, B256};

use crate::error::Error;

/// Size of a TEE proof.
pub const PROOF_BYTES: usize = 4 + 32 + 32 + 1;

/// A decoded TEE proof: which registered instance signed, and its signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TeeProof {
    /// The registered instance id.
    pub instance_id: u32,
    /// `r`, big-endian.
    pub r: B256,
    /// `s`, big-endian.
    pub s: B256,
    /// y-parity of `R` (`v = 27 + y_parity`).
    pub y_parity: bool,
}

impl TeeProof {
    /// Encode as the 69-byte layout.
    pub fn to_bytes(&self) -> [u8; PROOF_BYTES] {
        let mut out = [0u8; PROOF_BYTES];
        out[0..4].copy_from_slice(&self.instance_id.to_le_bytes());
        out[4..36].copy_from_slice(self.r.as_slice());
        out[36..68].copy_from_slice(self.s.as_slice());
        out[68] = 27 + self.y_parity as u8;
        out
    }

    /// Decode strictly. Never panics.
    pub fn from_bytes(b: &[u8]) -> Result<TeeProof, Error> {
        if b.len() != PROOF_BYTES {
            return Err(Error::ProofLength {
                expected: PROOF_BYTES,
                got: b.len(),
            });
        }
        let mut id = [0u8; 4];
        id.copy_from_slice(&b[0..4]);
        let y_parity = match b[68] {
            27 => false,
            28 => true,
            v => return Err(Error::BadRecoveryByte(v)),
        };
        Ok(TeeProof {
            instance_id: u32::from_le_bytes(id),
            r: B256::from_slice(&b[4..36]),
            s: B256::from_slice(&b[36..68]),
            y_parity,
        })
    }

    /// The signature as alloy's type.
    pub fn signature(&self) -> Signature {
        Signature::from_scalars_and_parity(self.r, self.s, self.y_parity)
    }

    /// Build from an instance id and a signature.
    pub fn from_signature(instance_id: u32, sig: &Signature) -> TeeProof {
        TeeProof {
            instance_id,
            r: B256::from(sig.r().to_be_bytes::<32>()),
            s: B256::from(sig.s().to_be_bytes::<32>()),
            y_parity: sig.v(),
        }
    }
}
