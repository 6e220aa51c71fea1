//! Integers modulo the prime order `n` of EcGFp5 (319 bits), canonical `[u64; 5]` limbs.
//!
//! Encoding: 40 bytes, unsigned little-endian; decoding rejects values `>= n`. Reductions
//! are plain shift-and-subtract: simple and obviously correct, and negligible next to the
//! curve arithmetic. Nothing here is constant-time.

use core::cmp::Ordering;
use core::ops::{Add, Mul, Neg, Sub};

use crate::field::{Fp, P};

/// The group order `n`, little-endian 64-bit limbs (n < 2^319).
pub const N: [u64; 5] = [
    0xe80f_d996_948b_ffe1,
    0xe888_5c39_d724_a09c,
    0x7fff_ffe6_cfb8_0639,
    0x7fff_fff1_0000_0016,
    0x7fff_fffd_8000_0007,
];

/// A scalar modulo `n`, always below `n`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
pub struct Scalar([u64; 5]);

/// Compare two little-endian integers of the same length.
fn cmp_limbs(a: &[u64], b: &[u64]) -> Ordering {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        match x.cmp(y) {
            Ordering::Equal => continue,
            o => return o,
        }
    }
    Ordering::Equal
}

/// `a - b` on 5 limbs, returning the borrow.
fn sub_limbs(a: &[u64; 5], b: &[u64; 5]) -> ([u64; 5], bool) {
    let mut out = [0u64; 5];
    let mut borrow = false;
    for i in 0..5 {
        let (d1, b1) = a[i].overflowing_sub(b[i]);
        let (d2, b2) = d1.overflowing_sub(borrow as u64);
        out[i] = d2;
        borrow = b1 || b2;
    }
    (out, borrow)
}

/// `a + b` on 5 limbs, returning the carry.
fn add_limbs(a: &[u64; 5], b: &[u64; 5]) -> ([u64; 5], bool) {
    let mut out = [0u64; 5];
    let mut carry = false;
    for i in 0..5 {
        let (s1, c1) = a[i].overflowing_add(b[i]);
        let (s2, c2) = s1.overflowing_add(carry as u64);
        out[i] = s2;
        carry = c1 || c2;
    }
    (out, carry)
}

impl Scalar {
    /// Zero.
    pub const ZERO: Scalar = Scalar([0; 5]);
    /// One.
    pub const ONE: Scalar = Scalar([1, 0, 0, 0, 0]);

    /// The scalar for these limbs; `None` when the value is not below `n`.
    pub fn from_limbs(v: [u64; 5]) -> Option<Scalar> {
        if cmp_limbs(&v, &N) == Ordering::Less {
            Some(Scalar(v))
        } else {
            None
        }
    }

    /// The little-endian limbs.
    pub const fn to_limbs(&self) -> [u64; 5] {
        self.0
    }

    /// A small scalar.
    pub const fn from_u64(v: u64) -> Scalar {
        Scalar([v, 0, 0, 0, 0])
    }

    /// The canonical encoding: 40 bytes, little-endian.
    pub fn to_le_bytes(&self) -> [u8; 40] {
        let mut out = [0u8; 40];
        for (i, l) in self.0.iter().enumerate() {
            out[8 * i..8 * i + 8].copy_from_slice(&l.to_le_bytes());
        }
        out
    }

    /// Decode 40 little-endian bytes; `None` when the value is not below `n`.
    pub fn from_le_bytes(b: &[u8; 40]) -> Option<Scalar> {
        let mut v = [0u64; 5];
        for (i, l) in v.iter_mut().enumerate() {
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&b[8 * i..8 * i + 8]);
            *l = u64::from_le_bytes(chunk);
        }
        Scalar::from_limbs(v)
    }

    /// Any number of little-endian bytes, reduced modulo `n`.
    pub fn from_le_bytes_reduce(b: &[u8]) -> Scalar {
        let mut acc = Scalar::ZERO;
        for byte in b.iter().rev() {
            for bit in (0..8).rev() {
                acc = acc.double_plus((byte >> bit) & 1 == 1);
            }
        }
        acc
    }

    /// Little-endian 64-bit limbs of any length, reduced modulo `n`.
    pub fn from_limbs_reduce(v: &[u64]) -> Scalar {
        let mut acc = Scalar::ZERO;
        for limb in v.iter().rev() {
            for bit in (0..64).rev() {
                acc = acc.double_plus((limb >> bit) & 1 == 1);
            }
        }
        acc
    }

    /// `sum_i e_i p^i mod n`: the integer whose base-p digits are these Goldilocks elements,
    /// least significant first, reduced modulo `n`.
    pub fn from_base_p_digits(digits: &[Fp]) -> Scalar {
        let p = Scalar::from_u64(P);
        let mut acc = Scalar::ZERO;
        for d in digits.iter().rev() {
            acc = acc * p + Scalar::from_u64(d.as_u64());
        }
        acc
    }

    /// `2 self + bit mod n`.
    fn double_plus(self, bit: bool) -> Scalar {
        // self < n < 2^319, so 2 self + 1 < 2^320 fits in 5 limbs.
        let mut v = [0u64; 5];
        let mut carry = bit as u64;
        for (o, l) in v.iter_mut().zip(self.0) {
            *o = (l << 1) | carry;
            carry = l >> 63;
        }
        let (d, borrow) = sub_limbs(&v, &N);
        Scalar(if borrow { v } else { d })
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 5]
    }

    /// Bit `i` (little-endian); 0 for `i >= 320`.
    pub fn bit(&self, i: usize) -> bool {
        i < 320 && (self.0[i / 64] >> (i % 64)) & 1 == 1
    }

    /// The 4-bit digit `i` (bits `4i .. 4i + 4`), for `i < 80`.
    pub fn nibble(&self, i: usize) -> usize {
        ((self.0[i / 16] >> (4 * (i % 16))) & 0xf) as usize
    }
}

impl Add for Scalar {
    type Output = Scalar;
    fn add(self, rhs: Scalar) -> Scalar {
        // Both below n < 2^319: the sum fits in 320 bits, no carry out.
        let (s, _) = add_limbs(&self.0, &rhs.0);
        let (d, borrow) = sub_limbs(&s, &N);
        Scalar(if borrow { s } else { d })
    }
}

impl Sub for Scalar {
    type Output = Scalar;
    fn sub(self, rhs: Scalar) -> Scalar {
        let (d, borrow) = sub_limbs(&self.0, &rhs.0);
        if borrow {
            Scalar(add_limbs(&d, &N).0)
        } else {
            Scalar(d)
        }
    }
}

impl Neg for Scalar {
    type Output = Scalar;
    fn neg(self) -> Scalar {
        Scalar::ZERO - self
    }
}

impl Mul for Scalar {
    type Output = Scalar;
    fn mul(self, rhs: Scalar) -> Scalar {
        let mut wide = [0u64; 10];
        for i in 0..5 {
            let mut carry = 0u128;
            for j in 0..5 {
                let v = self.0[i] as u128 * rhs.0[j] as u128 + wide[i + j] as u128 + carry;
                wide[i + j] = v as u64;
                carry = v >> 64;
            }
            wide[i + 5] = carry as u64;
        }
        Scalar::from_limbs_reduce(&wide)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The order as a decimal string (Pornin, "EcGFp5", section 1), checked against `N`.
    const N_DECIMAL: &str = "1067993516717146951041484916571792702745057740581727230159139685185762082554198619328292418486241";

    #[test]
    fn order_matches_the_paper() {
        let mut limbs = [0u64; 5];
        for c in N_DECIMAL.bytes() {
            let mut carry = (c - b'0') as u128;
            for l in limbs.iter_mut() {
                let v = *l as u128 * 10 + carry;
                *l = v as u64;
                carry = v >> 64;
            }
            assert_eq!(carry, 0);
        }
        assert_eq!(limbs, N);
        assert_eq!(Scalar::from_limbs(N), None);
        let mut n_minus_1 = N;
        n_minus_1[0] -= 1;
        assert!(Scalar::from_limbs(n_minus_1).is_some());
        assert_eq!(
            Scalar::from_limbs(n_minus_1).unwrap() + Scalar::ONE,
            Scalar::ZERO
        );
    }

    fn arb() -> impl Strategy<Value = Scalar> {
        proptest::collection::vec(any::<u8>(), 64).prop_map(|b| Scalar::from_le_bytes_reduce(&b))
    }

    proptest! {
        #[test]
        fn ring_laws(a in arb(), b in arb(), c in arb()) {
            prop_assert_eq!((a + b) - b, a);
            prop_assert_eq!(a + (-a), Scalar::ZERO);
            prop_assert_eq!(a * (b + c), a * b + a * c);
            prop_assert_eq!((a * b) * c, a * (b * c));
            prop_assert_eq!(a * Scalar::ONE, a);
        }

        #[test]
        fn bytes_round_trip(a in arb()) {
            prop_assert_eq!(Scalar::from_le_bytes(&a.to_le_bytes()), Some(a));
            prop_assert_eq!(Scalar::from_le_bytes_reduce(&a.to_le_bytes()), a);
        }

        #[test]
        fn values_at_or_above_n_are_rejected(k in 0u64..1000, top in 0u64..2) {
            // n + k, and n + k + 2^319 (still 40 bytes).
            let mut v = add_limbs(&N, &[k, 0, 0, 0, 0]).0;
            v[4] |= top << 63;
            prop_assert_eq!(Scalar::from_limbs(v), None);
        }
    }
}
