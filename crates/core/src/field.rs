//! The Goldilocks field, p = 2^64 - 2^32 + 1, with canonical `u64` representation.

use core::fmt;
use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// The Goldilocks modulus.
pub const P: u64 = 0xffff_ffff_0000_0001;

/// A Goldilocks field element, always held canonically (`value < P`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fp(u64);

impl Fp {
    /// Zero.
    pub const ZERO: Fp = Fp(0);
    /// One.
    pub const ONE: Fp = Fp(1);

    /// The element for a value that is already canonical; `None` when `v >= P`.
    pub const fn from_canonical(v: u64) -> Option<Fp> {
        if v < P {
            Some(Fp(v))
        } else {
            None
        }
    }

    /// The element for a value known to be canonical (constants, small integers).
    ///
    /// # Panics
    /// When `v >= P`; use [`Fp::from_canonical`] on untrusted input.
    pub const fn new(v: u64) -> Fp {
        assert!(v < P, "non-canonical Goldilocks element");
        Fp(v)
    }

    /// `v mod P` for any `u64`.
    pub const fn reduce_u64(v: u64) -> Fp {
        if v >= P {
            Fp(v - P)
        } else {
            Fp(v)
        }
    }

    /// `v mod P` for any `u128`.
    pub const fn reduce_u128(v: u128) -> Fp {
        // 2^64 = 2^32 - 1 (mod P) and 2^96 = -1 (mod P).
        let lo = v as u64;
        let hi = (v >> 64) as u64;
        let hi_lo = hi & 0xffff_ffff;
        let hi_hi = hi >> 32;
        // lo - hi_hi
        let (mut t, borrow) = lo.overflowing_sub(hi_hi);
        if borrow {
            t = t.wrapping_sub(0xffff_ffff); // add P, i.e. subtract 2^32 - 1 modulo 2^64
        }
        let add = hi_lo * 0xffff_ffff;
        let (mut r, carry) = t.overflowing_add(add);
        if carry {
            r = r.wrapping_add(0xffff_ffff);
        }
        Fp::reduce_u64(r)
    }

    /// The canonical value.
    pub const fn as_u64(self) -> u64 {
        self.0
    }

    /// `self^7`, Poseidon's S-box.
    pub fn pow7(self) -> Fp {
        let x2 = self * self;
        let x3 = x2 * self;
        let x4 = x2 * x2;
        x3 * x4
    }

    /// `self^e`.
    pub fn pow(self, mut e: u64) -> Fp {
        let mut base = self;
        let mut acc = Fp::ONE;
        while e > 0 {
            if e & 1 == 1 {
                acc *= base;
            }
            base *= base;
            e >>= 1;
        }
        acc
    }

    /// The multiplicative inverse; `None` for zero.
    pub fn inverse(self) -> Option<Fp> {
        if self.0 == 0 {
            None
        } else {
            Some(self.pow(P - 2))
        }
    }

    /// Little-endian canonical bytes.
    pub const fn to_le_bytes(self) -> [u8; 8] {
        self.0.to_le_bytes()
    }

    /// Parse little-endian bytes, rejecting non-canonical encodings.
    pub const fn from_le_bytes(b: [u8; 8]) -> Option<Fp> {
        Fp::from_canonical(u64::from_le_bytes(b))
    }
}

impl fmt::Debug for Fp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for Fp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<u32> for Fp {
    fn from(v: u32) -> Fp {
        Fp(v as u64)
    }
}

impl Add for Fp {
    type Output = Fp;
    fn add(self, rhs: Fp) -> Fp {
        let (s, carry) = self.0.overflowing_add(rhs.0);
        let (s2, carry2) = if carry {
            s.overflowing_add(0xffff_ffff)
        } else {
            (s, false)
        };
        debug_assert!(!carry2);
        Fp::reduce_u64(s2)
    }
}

impl Sub for Fp {
    type Output = Fp;
    fn sub(self, rhs: Fp) -> Fp {
        let (d, borrow) = self.0.overflowing_sub(rhs.0);
        if borrow {
            Fp(d.wrapping_add(P))
        } else {
            Fp(d)
        }
    }
}

impl Neg for Fp {
    type Output = Fp;
    fn neg(self) -> Fp {
        Fp::ZERO - self
    }
}

impl Mul for Fp {
    type Output = Fp;
    fn mul(self, rhs: Fp) -> Fp {
        Fp::reduce_u128(self.0 as u128 * rhs.0 as u128)
    }
}

impl AddAssign for Fp {
    fn add_assign(&mut self, rhs: Fp) {
        *self = *self + rhs;
    }
}

impl SubAssign for Fp {
    fn sub_assign(&mut self, rhs: Fp) {
        *self = *self - rhs;
    }
}

impl MulAssign for Fp {
    fn mul_assign(&mut self, rhs: Fp) {
        *self = *self * rhs;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn naive_mul(a: u64, b: u64) -> u64 {
        ((a as u128 * b as u128) % P as u128) as u64
    }

    proptest! {
        #[test]
        fn mul_matches_naive(a in 0..P, b in 0..P) {
            prop_assert_eq!((Fp::new(a) * Fp::new(b)).as_u64(), naive_mul(a, b));
        }

        #[test]
        fn add_sub_match_naive(a in 0..P, b in 0..P) {
            prop_assert_eq!((Fp::new(a) + Fp::new(b)).as_u64(), ((a as u128 + b as u128) % P as u128) as u64);
            prop_assert_eq!((Fp::new(a) - Fp::new(b)).as_u64(), ((a as u128 + P as u128 - b as u128) % P as u128) as u64);
        }

        #[test]
        fn reduce_u128_matches_naive(v in any::<u128>()) {
            prop_assert_eq!(Fp::reduce_u128(v).as_u64(), (v % P as u128) as u64);
        }

        #[test]
        fn inverse_is_inverse(a in 1..P) {
            prop_assert_eq!(Fp::new(a) * Fp::new(a).inverse().unwrap(), Fp::ONE);
        }
    }

    #[test]
    fn edge_cases() {
        assert_eq!(Fp::from_canonical(P), None);
        assert_eq!(Fp::from_canonical(u64::MAX), None);
        assert_eq!(Fp::reduce_u64(u64::MAX).as_u64(), u64::MAX - P);
        assert_eq!((Fp::new(P - 1) + Fp::new(P - 1)).as_u64(), P - 2);
        assert_eq!((Fp::new(P - 1) * Fp::new(P - 1)).as_u64(), 1);
        assert_eq!(
            Fp::reduce_u128(u128::MAX).as_u64(),
            (u128::MAX % P as u128) as u64
        );
    }
}
