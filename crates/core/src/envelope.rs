//! The proof envelope: a versioned binary container for one proof of one statement.
//!
//! ```text
//! magic "MPRV" (4) ‖ version u8 (= 1) ‖ system u8 ‖ vk_id (32)
//!   ‖ statement (112, see Statement::to_bytes) ‖ proof_len u32 LE ‖ proof (proof_len)
//! ```
//! The decoder is strict: exact magic, known version and system, canonical statement,
//! `proof_len <= MAX_PROOF_BYTES`, and no trailing bytes.

use alloc::vec::Vec;
use alloy_primitives::B256;

use crate::anchor::{SystemKey, TrustAnchor};
use crate::error::CoreError;
use crate::statement::{Statement, STATEMENT_BYTES};
use crate::system::SystemId;

/// The four magic bytes.
pub const MAGIC: [u8; 4] = *b"MPRV";
/// The only version this decoder accepts.
pub const VERSION: u8 = 1;
/// Largest proof accepted (2 MiB).
pub const MAX_PROOF_BYTES: usize = 2 * 1024 * 1024;
/// Header size before the proof bytes.
pub const HEADER_BYTES: usize = 4 + 1 + 1 + 32 + STATEMENT_BYTES + 4;
/// Largest envelope accepted.
pub const MAX_ENVELOPE_BYTES: usize = HEADER_BYTES + MAX_PROOF_BYTES;

/// One proof of one statement by one system under one verifying key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// The proof system.
    pub system: SystemId,
    /// The verifying-key id the proof claims (must match the trust anchor's).
    pub vk_id: B256,
    /// The statement proven.
    pub statement: Statement,
    /// System-specific proof bytes.
    pub proof: Vec<u8>,
}

impl Envelope {
    /// The anchor-level checks every verifier path runs before a proof is looked at: the
    /// statement is for the anchor's chain, the anchor pins a key for this system, and the
    /// envelope names exactly that key. Returns the pinned key.
    pub fn pinned_key<'a>(&self, anchor: &'a TrustAnchor) -> Result<&'a SystemKey, CoreError> {
        if self.statement.chain_id != anchor.chain_id {
            return Err(CoreError::WrongChain {
                expected: anchor.chain_id,
                got: self.statement.chain_id,
            });
        }
        let key = anchor
            .key(self.system)
            .ok_or(CoreError::SystemNotConfigured(self.system))?;
        if key.vk_id != self.vk_id {
            return Err(CoreError::WrongVerifyingKey {
                system: self.system,
                expected: key.vk_id,
                got: self.vk_id,
            });
        }
        Ok(key)
    }

    /// Encode.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_BYTES + self.proof.len());
        out.extend_from_slice(&MAGIC);
        out.push(VERSION);
        out.push(self.system as u8);
        out.extend_from_slice(self.vk_id.as_slice());
        out.extend_from_slice(&self.statement.to_bytes());
        out.extend_from_slice(&(self.proof.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.proof);
        out
    }

    /// Decode strictly. Never panics.
    pub fn from_bytes(b: &[u8]) -> Result<Envelope, CoreError> {
        if b.len() > MAX_ENVELOPE_BYTES {
            return Err(CoreError::TooLarge {
                size: b.len(),
                max: MAX_ENVELOPE_BYTES,
            });
        }
        if b.len() < HEADER_BYTES {
            return Err(CoreError::Malformed("envelope shorter than its header"));
        }
        if b[0..4] != MAGIC {
            return Err(CoreError::Malformed("bad envelope magic"));
        }
        if b[4] != VERSION {
            return Err(CoreError::UnsupportedVersion(b[4]));
        }
        let system = SystemId::from_u8(b[5])?;
        let vk_id = B256::from_slice(&b[6..38]);
        let statement = Statement::from_bytes(&b[38..38 + STATEMENT_BYTES])?;
        let off = 38 + STATEMENT_BYTES;
        let mut len = [0u8; 4];
        len.copy_from_slice(&b[off..off + 4]);
        let len = u32::from_le_bytes(len) as usize;
        if len > MAX_PROOF_BYTES {
            return Err(CoreError::TooLarge {
                size: len,
                max: MAX_PROOF_BYTES,
            });
        }
        let rest = &b[HEADER_BYTES..];
        if rest.len() < len {
            return Err(CoreError::Malformed("envelope truncated"));
        }
        if rest.len() > len {
            return Err(CoreError::Malformed("trailing bytes after proof"));
        }
        Ok(Envelope {
            system,
            vk_id,
            statement,
            proof: rest.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::Digest;
    use proptest::prelude::*;

    fn sample() -> Envelope {
        Envelope {
            system: SystemId::Stark,
            vk_id: B256::repeat_byte(7),
            statement: Statement {
                chain_id: 1,
                batch_number: 2,
                pre_root: Digest::from_u64s([1, 2, 3, 4]).unwrap(),
                post_root: Digest::from_u64s([5, 6, 7, 8]).unwrap(),
                batch_hash: Digest::from_u64s([9, 10, 11, 12]).unwrap(),
            },
            proof: alloc::vec![1, 2, 3],
        }
    }

    #[test]
    fn round_trip_and_strictness() {
        let e = sample();
        let b = e.to_bytes();
        assert_eq!(Envelope::from_bytes(&b).unwrap(), e);
        let mut t = b.clone();
        t.push(0);
        assert!(matches!(
            Envelope::from_bytes(&t),
            Err(CoreError::Malformed(_))
        ));
        assert!(Envelope::from_bytes(&b[..b.len() - 1]).is_err());
        let mut v = b.clone();
        v[4] = 2;
        assert_eq!(
            Envelope::from_bytes(&v),
            Err(CoreError::UnsupportedVersion(2))
        );
        let mut s = b.clone();
        s[5] = 9;
        assert_eq!(Envelope::from_bytes(&s), Err(CoreError::UnknownSystem(9)));
        let mut m = b.clone();
        m[0] = b'X';
        assert!(Envelope::from_bytes(&m).is_err());
        // a non-canonical root element
        let mut n = b.clone();
        n[38 + 16..38 + 24].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(Envelope::from_bytes(&n).is_err());
        // a huge declared length
        let mut h = b;
        h[HEADER_BYTES - 4..HEADER_BYTES].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            Envelope::from_bytes(&h),
            Err(CoreError::TooLarge { .. })
        ));
    }

    proptest! {
        #[test]
        fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = Envelope::from_bytes(&bytes);
        }

        #[test]
        fn mutated_envelopes_never_panic(pos in 0usize..200, val in any::<u8>(), cut in 0usize..200) {
            let mut b = sample().to_bytes();
            let p = pos % b.len();
            b[p] = val;
            let _ = Envelope::from_bytes(&b);
            b.truncate(cut % (b.len() + 1));
            let _ = Envelope::from_bytes(&b);
        }
    }
}
