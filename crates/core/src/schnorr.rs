//! Schnorr signatures over EcGFp5 (statement v2, docs/spec.md "EcGFp5 Schnorr signatures").
//!
//! - Secret key: a non-zero scalar `x`; public key `Q = x G`, published as its encoding (one
//!   GF(p^5) element, 5 Goldilocks elements). The zero encoding is "no key" and never valid.
//! - Sign `m` (a 4-element digest): `k = nonce(x, Q, m)` (deterministic, keccak256 keyed by
//!   the secret key, RFC 6979 in spirit), `R = k G`, `e = challenge(enc(R), enc(Q), m)`,
//!   `s = k + e x mod n`. The signature is `(enc(R), s)`.
//! - Verify: `s` must be canonical (`< n`), `Q` must decode to a non-neutral point, and
//!   `enc(s G - e Q)` must equal the signature's `enc(R)`.
//!
//! The challenge is a Poseidon sponge over Goldilocks elements, so a circuit computes it
//! natively; the nonce and key derivations are keccak256, outside any circuit.
//!
//! ```
//! use multiprover_core::hash::Digest;
//! use multiprover_core::schnorr::{verify, SecretKey, Signature};
//!
//! let sk = SecretKey::from_seed(&[7u8; 32]);
//! let pk = sk.public_key().encoding(); // 5 Goldilocks elements, as in an account leaf
//! let m = Digest::ZERO; // the transfer's message digest
//! let sig = sk.sign(&m);
//! assert!(verify(&pk, &m, &sig).is_ok());
//! let bytes = sig.to_bytes(); // enc(R) ‖ s, 80 bytes
//! assert_eq!(Signature::from_bytes(&bytes), Ok(sig));
//! ```

use alloy_primitives::Keccak256;

use crate::ecgfp5::{EcError, GFp5, Point, Scalar};
use crate::field::Fp;
use crate::hash::{sponge_tagged, Digest, Tag};

/// The domain tag of the challenge sponge (lane 8 of the initial state): [`Tag::Challenge`].
pub const CHALLENGE_TAG: u64 = Tag::Challenge as u64;

/// Domain separation of the secret-key derivation from a seed.
const KEYGEN_DOMAIN: &[u8] = b"multiprover/ecgfp5-schnorr/keygen/v1";
/// Domain separation of the nonce derivation.
const NONCE_DOMAIN: &[u8] = b"multiprover/ecgfp5-schnorr/nonce/v1";

/// A secret key: a non-zero scalar, with its public key computed once.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey {
    x: Scalar,
    pk: PublicKey,
}

impl core::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// A public key: a non-neutral point with its encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKey {
    point: Point,
    w: GFp5,
}

/// A signature: the encoding of `R` and the scalar `s`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    /// `enc(R)`, 5 Goldilocks elements.
    pub r: GFp5,
    /// `s`, below the group order.
    pub s: Scalar,
}

/// `keccak256(domain ‖ counter ‖ parts…)` for counters `2j` and `2j + 1`, as a 64-byte
/// little-endian integer reduced modulo `n`; the first `j` giving a non-zero scalar wins.
fn derive_scalar(domain: &[u8], parts: &[&[u8]]) -> Scalar {
    let mut j: u8 = 0;
    loop {
        let mut wide = [0u8; 64];
        for (half, out) in wide.chunks_mut(32).enumerate() {
            let mut h = Keccak256::new();
            h.update(domain);
            h.update([2 * j + half as u8]);
            for p in parts {
                h.update(p);
            }
            out.copy_from_slice(h.finalize().as_slice());
        }
        let s = Scalar::from_le_bytes_reduce(&wide);
        if !s.is_zero() {
            return s;
        }
        // Probability about 2^-319 per round; wrapping after 128 rounds is unreachable.
        j = j.wrapping_add(1) & 0x7f;
    }
}

impl SecretKey {
    /// Derive a key from a seed (any length; 32 random bytes are the intended use):
    /// `x = LE(keccak256(KEYGEN ‖ 0 ‖ seed) ‖ keccak256(KEYGEN ‖ 1 ‖ seed)) mod n`.
    pub fn from_seed(seed: &[u8]) -> SecretKey {
        SecretKey::with_scalar(derive_scalar(KEYGEN_DOMAIN, &[seed]))
    }

    /// The key for a scalar; `Err` for zero.
    pub fn from_scalar(x: Scalar) -> Result<SecretKey, EcError> {
        if x.is_zero() {
            Err(EcError::ZeroSecretKey)
        } else {
            Ok(SecretKey::with_scalar(x))
        }
    }

    /// The key for a non-zero scalar.
    fn with_scalar(x: Scalar) -> SecretKey {
        let point = Point::mul_generator(&x);
        SecretKey {
            x,
            pk: PublicKey {
                point,
                w: point.encode(),
            },
        }
    }

    /// Parse 40 little-endian bytes: canonical (`< n`) and non-zero.
    pub fn from_le_bytes(b: &[u8; 40]) -> Result<SecretKey, EcError> {
        SecretKey::from_scalar(Scalar::from_le_bytes(b).ok_or(EcError::NonCanonicalScalar)?)
    }

    /// The 40-byte little-endian encoding.
    pub fn to_le_bytes(&self) -> [u8; 40] {
        self.x.to_le_bytes()
    }

    /// The scalar.
    pub fn scalar(&self) -> Scalar {
        self.x
    }

    /// The public key `x G`.
    pub fn public_key(&self) -> PublicKey {
        self.pk
    }

    /// Sign the message digest `m`.
    pub fn sign(&self, m: &Digest) -> Signature {
        let k = nonce(self, m);
        let r = Point::mul_generator(&k).encode();
        let e = challenge(&r, &self.pk.w, m);
        Signature {
            r,
            s: k + e * self.x,
        }
    }
}

/// The deterministic nonce: `k = LE(keccak256(NONCE ‖ c ‖ x ‖ enc(Q) ‖ m))` over counters
/// 0 and 1, mod n (the secret key keys the hash; the key and the message fix the nonce).
pub fn nonce(sk: &SecretKey, m: &Digest) -> Scalar {
    derive_scalar(
        NONCE_DOMAIN,
        &[
            &sk.x.to_le_bytes(),
            &sk.pk.w.to_le_bytes(),
            m.to_b256().as_slice(),
        ],
    )
}

impl PublicKey {
    /// The key with encoding `w`; `Err` when `w` is not a point or is the neutral (zero).
    pub fn from_encoding(w: &GFp5) -> Result<PublicKey, EcError> {
        let point = Point::decode(w)?;
        if point.is_neutral() {
            return Err(EcError::NeutralKey);
        }
        Ok(PublicKey { point, w: *w })
    }

    /// Parse the 40-byte encoding.
    pub fn from_le_bytes(b: &[u8; 40]) -> Result<PublicKey, EcError> {
        PublicKey::from_encoding(&GFp5::from_le_bytes(b).ok_or(EcError::NonCanonicalField)?)
    }

    /// The encoding `w` (5 Goldilocks elements), as stored in an account leaf.
    pub fn encoding(&self) -> GFp5 {
        self.w
    }

    /// The point.
    pub fn point(&self) -> Point {
        self.point
    }

    /// Verify `sig` over `m`: `enc(s G - e Q) == sig.r` with `e = challenge(sig.r, enc(Q), m)`.
    pub fn verify(&self, m: &Digest, sig: &Signature) -> Result<(), EcError> {
        let e = challenge(&sig.r, &self.w, m);
        let r = self.point.mul_add_generator(&sig.s, &(-e));
        if r.encode() == sig.r {
            Ok(())
        } else {
            Err(EcError::BadSignature)
        }
    }
}

impl Signature {
    /// `enc(R)` (40 bytes) ‖ `s` (40 bytes, little-endian).
    pub fn to_bytes(&self) -> [u8; 80] {
        let mut out = [0u8; 80];
        out[..40].copy_from_slice(&self.r.to_le_bytes());
        out[40..].copy_from_slice(&self.s.to_le_bytes());
        out
    }

    /// Parse [`Signature::to_bytes`]: `R`'s coefficients canonical, `s < n`. (Whether `R`
    /// is a point is not checked here; verification compares encodings.)
    pub fn from_bytes(b: &[u8; 80]) -> Result<Signature, EcError> {
        let mut rb = [0u8; 40];
        rb.copy_from_slice(&b[..40]);
        let mut sb = [0u8; 40];
        sb.copy_from_slice(&b[40..]);
        Ok(Signature {
            r: GFp5::from_le_bytes(&rb).ok_or(EcError::NonCanonicalField)?,
            s: Scalar::from_le_bytes(&sb).ok_or(EcError::NonCanonicalScalar)?,
        })
    }
}

/// JSON form: [`Signature::to_bytes`] as a `0x` hex string (80 bytes); parsing rejects a
/// non-canonical `R` coefficient and `s >= n`.
impl serde::Serialize for Signature {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        alloy_primitives::FixedBytes::<80>::from(self.to_bytes()).serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Signature {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let b = alloy_primitives::FixedBytes::<80>::deserialize(d)?;
        Signature::from_bytes(&b.0).map_err(serde::de::Error::custom)
    }
}

/// Verify a signature given the public key's encoding (rejects invalid and zero keys).
pub fn verify(pk: &GFp5, m: &Digest, sig: &Signature) -> Result<(), EcError> {
    PublicKey::from_encoding(pk)?.verify(m, sig)
}

/// The challenge scalar `e = challenge(enc(R), enc(Q), m)`.
///
/// Sponge: state `[0; 12]` with `CHALLENGE_TAG` in lane 8; the 16 inputs
/// `R0..R4, Q0..Q4, m0..m3, 0, 0` are absorbed 8 at a time by overwriting lanes 0..8, each
/// block followed by the Poseidon permutation. The 8 lanes `o0..o7` of the final state give
/// `e = (o0 + o1 p + ... + o7 p^7) mod n`, at statistical distance below `n / p^8 < 2^-192`
/// from uniform.
pub fn challenge(r: &GFp5, pk: &GFp5, m: &Digest) -> Scalar {
    let mut input = [Fp::ZERO; 16];
    input[..5].copy_from_slice(&r.0);
    input[5..10].copy_from_slice(&pk.0);
    input[10..14].copy_from_slice(&m.0);
    let state = sponge_tagged(Tag::Challenge, &input);
    Scalar::from_base_p_digits(&state[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(i: u32) -> Digest {
        Digest([Fp::from(i), Fp::from(2u32), Fp::from(3u32), Fp::from(4u32)])
    }

    #[test]
    fn sign_verify() {
        let sk = SecretKey::from_seed(b"alice");
        let pk = sk.public_key();
        let sig = sk.sign(&msg(1));
        assert_eq!(pk.verify(&msg(1), &sig), Ok(()));
        assert_eq!(verify(&pk.encoding(), &msg(1), &sig), Ok(()));
        assert_eq!(pk.verify(&msg(2), &sig), Err(EcError::BadSignature));
        // Deterministic.
        assert_eq!(sk.sign(&msg(1)), sig);
        assert_eq!(Signature::from_bytes(&sig.to_bytes()), Ok(sig));
        let other = SecretKey::from_seed(b"bob").public_key();
        assert_eq!(other.verify(&msg(1), &sig), Err(EcError::BadSignature));
        assert_eq!(verify(&GFp5::ZERO, &msg(1), &sig), Err(EcError::NeutralKey));
    }
}
