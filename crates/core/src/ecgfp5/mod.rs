//! EcGFp5 (T. Pornin, "EcGFp5: a Specialized Elliptic Curve", 2022): a prime-order group
//! built on a double-odd elliptic curve over GF(p^5), p = Goldilocks, with canonical
//! one-field-element encodings. Used by [`crate::schnorr`].
//!
//! - [`GFp5`]: GF(p)\[z\]/(z^5 - 3).
//! - [`Point`]: the group, its law, encoding/decoding, fixed- and variable-base
//!   multiplication.
//! - [`Scalar`]: integers modulo the group order `n`.
//!
//! Decoders return `Err` on any invalid input, never panic. Nothing here is constant-time:
//! timing may depend on secret scalars (see docs/spec.md, "EcGFp5 Schnorr signatures").

mod curve;
mod gfp5;
mod scalar;
mod tables;

pub use curve::Point;
pub use gfp5::{legendre_fp, sqrt_fp, GFp5};
pub use scalar::{Scalar, N as ORDER};

/// Errors of EcGFp5 and Schnorr decoding and verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EcError {
    /// A GF(p^5) coefficient is not below the Goldilocks modulus.
    #[error("a GF(p^5) coefficient is not a canonical Goldilocks element")]
    NonCanonicalField,
    /// The field element is not the encoding of a point.
    #[error("not the encoding of an EcGFp5 point")]
    InvalidPoint,
    /// A scalar is not below the group order.
    #[error("scalar is not below the EcGFp5 group order")]
    NonCanonicalScalar,
    /// The public key is the neutral element (encoding zero, "no key").
    #[error("the public key is the neutral element")]
    NeutralKey,
    /// A secret key is zero.
    #[error("the secret key is zero")]
    ZeroSecretKey,
    /// The signature does not verify under the key and message.
    #[error("the Schnorr signature does not verify")]
    BadSignature,
}
