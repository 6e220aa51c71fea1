//! GF(p^5) = GF(p)\[z\]/(z^5 - 3) over the Goldilocks field, as EcGFp5 defines it.
//!
//! An element is five Goldilocks coefficients `x0 + x1 z + x2 z^2 + x3 z^3 + x4 z^4`, always
//! canonical (each coefficient below p). Inversion, the Legendre symbol and square roots use
//! the norm `x^r` with `r = 1 + p + p^2 + p^3 + p^4`, which lies in GF(p), and the Frobenius
//! maps `x -> x^p` and `x -> x^(p^2)`, which only scale the coefficients because p = 1 mod 5.
//!
//! Nothing here is constant-time.

use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use crate::field::{Fp, P};

/// `a * b mod p` at compile time.
const fn mul_mod(a: u64, b: u64) -> u64 {
    ((a as u128 * b as u128) % P as u128) as u64
}

/// `b^e mod p` at compile time.
const fn pow_mod(b: u64, mut e: u64) -> u64 {
    let mut base = b % P;
    let mut acc = 1u64;
    while e > 0 {
        if e & 1 == 1 {
            acc = mul_mod(acc, base);
        }
        base = mul_mod(base, base);
        e >>= 1;
    }
    acc
}

/// `3^(i (p - 1) / 5)`: `z^(i p) = z^i * FROB1[i]`, since `z^5 = 3`.
const FROB1: [Fp; 5] = {
    let g = pow_mod(3, (P - 1) / 5);
    [
        Fp::new(1),
        Fp::new(g),
        Fp::new(pow_mod(g, 2)),
        Fp::new(pow_mod(g, 3)),
        Fp::new(pow_mod(g, 4)),
    ]
};

/// `3^(i (p^2 - 1) / 5) = FROB1[i]^(p + 1) = FROB1[i]^2`.
const FROB2: [Fp; 5] = {
    let g = pow_mod(3, (P - 1) / 5);
    [
        Fp::new(1),
        Fp::new(pow_mod(g, 2)),
        Fp::new(pow_mod(g, 4)),
        Fp::new(pow_mod(g, 6)),
        Fp::new(pow_mod(g, 8)),
    ]
};

/// The Legendre symbol of a Goldilocks element: 0, 1 (non-zero square) or -1.
pub fn legendre_fp(a: Fp) -> i8 {
    if a == Fp::ZERO {
        return 0;
    }
    if a.pow((P - 1) / 2) == Fp::ONE {
        1
    } else {
        -1
    }
}

/// A square root of a Goldilocks element (Tonelli-Shanks with `p - 1 = 2^32 (2^32 - 1)` and
/// the non-residue 7); `None` when `a` is not a square. Which root is returned is unspecified.
pub fn sqrt_fp(a: Fp) -> Option<Fp> {
    match legendre_fp(a) {
        0 => return Some(Fp::ZERO),
        -1 => return None,
        _ => {}
    }
    const Q: u64 = 0xffff_ffff;
    let mut m = 32u32;
    let mut c = Fp::new(7).pow(Q);
    let mut t = a.pow(Q);
    let mut x = a.pow(Q.div_ceil(2));
    // Invariant: x^2 = a t, t^(2^(m-1)) = 1, c^(2^(m-1)) = -1.
    while t != Fp::ONE {
        let mut i = 0u32;
        let mut t2 = t;
        while t2 != Fp::ONE {
            t2 *= t2;
            i += 1;
        }
        // a is a square, so 0 < i < m.
        let mut b = c;
        for _ in 0..(m - i - 1) {
            b *= b;
        }
        x *= b;
        c = b * b;
        t *= c;
        m = i;
    }
    Some(x)
}

/// An element of GF(p^5): coefficients of `1, z, z^2, z^3, z^4`, each canonical.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
pub struct GFp5(pub [Fp; 5]);

impl GFp5 {
    /// Zero.
    pub const ZERO: GFp5 = GFp5([Fp::ZERO; 5]);
    /// One.
    pub const ONE: GFp5 = GFp5([Fp::ONE, Fp::ZERO, Fp::ZERO, Fp::ZERO, Fp::ZERO]);

    /// The element with these coefficients; `None` when one is not below p.
    pub const fn from_u64s(v: [u64; 5]) -> Option<GFp5> {
        let mut out = [Fp::ZERO; 5];
        let mut i = 0;
        while i < 5 {
            match Fp::from_canonical(v[i]) {
                Some(e) => out[i] = e,
                None => return None,
            }
            i += 1;
        }
        Some(GFp5(out))
    }

    /// The element for coefficients known to be canonical (constants).
    ///
    /// # Panics
    /// When a coefficient is not below p; use [`GFp5::from_u64s`] on untrusted input.
    pub const fn new(v: [u64; 5]) -> GFp5 {
        GFp5([
            Fp::new(v[0]),
            Fp::new(v[1]),
            Fp::new(v[2]),
            Fp::new(v[3]),
            Fp::new(v[4]),
        ])
    }

    /// The coefficients as `u64`s.
    pub fn to_u64s(&self) -> [u64; 5] {
        self.0.map(|e| e.as_u64())
    }

    /// The byte encoding: the five coefficients as u64 little-endian, low degree first.
    pub fn to_le_bytes(&self) -> [u8; 40] {
        let mut out = [0u8; 40];
        for (i, e) in self.0.iter().enumerate() {
            out[8 * i..8 * i + 8].copy_from_slice(&e.to_le_bytes());
        }
        out
    }

    /// Parse the byte encoding; `None` when a coefficient is not below p.
    pub fn from_le_bytes(b: &[u8; 40]) -> Option<GFp5> {
        let mut out = [Fp::ZERO; 5];
        for (i, o) in out.iter_mut().enumerate() {
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&b[8 * i..8 * i + 8]);
            *o = Fp::from_le_bytes(chunk)?;
        }
        Some(GFp5(out))
    }

    /// The element of the base field `a` (as `a + 0 z + ...`).
    pub const fn from_fp(a: Fp) -> GFp5 {
        GFp5([a, Fp::ZERO, Fp::ZERO, Fp::ZERO, Fp::ZERO])
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        *self == GFp5::ZERO
    }

    /// `self * a` for `a` in the base field.
    pub fn mul_fp(self, a: Fp) -> GFp5 {
        GFp5(self.0.map(|e| e * a))
    }

    /// `self^2`.
    pub fn square(self) -> GFp5 {
        self * self
    }

    /// `self^e` for a 64-bit exponent.
    pub fn pow(self, mut e: u64) -> GFp5 {
        let mut base = self;
        let mut acc = GFp5::ONE;
        while e > 0 {
            if e & 1 == 1 {
                acc *= base;
            }
            base = base.square();
            e >>= 1;
        }
        acc
    }

    /// The Frobenius map `self^p`.
    pub fn frobenius(self) -> GFp5 {
        let mut out = self.0;
        for (o, c) in out.iter_mut().zip(FROB1) {
            *o *= c;
        }
        GFp5(out)
    }

    /// The Frobenius map applied twice, `self^(p^2)`.
    pub fn frobenius2(self) -> GFp5 {
        let mut out = self.0;
        for (o, c) in out.iter_mut().zip(FROB2) {
            *o *= c;
        }
        GFp5(out)
    }

    /// `(self^(r - 1), self^r)` with `r = 1 + p + p^2 + p^3 + p^4`; the second is in GF(p).
    fn norm_parts(self) -> (GFp5, Fp) {
        let t1 = self.frobenius(); // x^p
        let t2 = t1.frobenius(); // x^(p^2)
        let t3 = t1 * t2; // x^(p + p^2)
        let t4 = t3.frobenius2(); // x^(p^3 + p^4)
        let xr1 = t3 * t4;
        let xr = (self * xr1).0[0];
        (xr1, xr)
    }

    /// The multiplicative inverse; `None` for zero.
    pub fn inverse(self) -> Option<GFp5> {
        let (xr1, xr) = self.norm_parts();
        Some(xr1.mul_fp(xr.inverse()?))
    }

    /// The Legendre symbol `self^((p^5 - 1) / 2)`: 0, 1 (non-zero square) or -1.
    pub fn legendre(self) -> i8 {
        legendre_fp(self.norm_parts().1)
    }

    /// A square root; `None` when `self` is not a square. Which root is unspecified.
    pub fn sqrt(self) -> Option<GFp5> {
        if self.is_zero() {
            return Some(GFp5::ZERO);
        }
        // x^((r - 1) / 2) = phi1(x^((p + 1) / 2) * phi2(x^((p + 1) / 2))), and
        // sqrt(x) = sqrt(x^r) / x^((r - 1) / 2), with x^r = x * (x^((r - 1) / 2))^2 in GF(p).
        let a = self.pow(P.div_ceil(2));
        let h = (a * a.frobenius2()).frobenius();
        let xr = (self * h.square()).0[0];
        let root = sqrt_fp(xr)?;
        Some(h.inverse()?.mul_fp(root))
    }
}

impl Add for GFp5 {
    type Output = GFp5;
    fn add(self, rhs: GFp5) -> GFp5 {
        let mut out = self.0;
        for (o, r) in out.iter_mut().zip(rhs.0) {
            *o += r;
        }
        GFp5(out)
    }
}

impl Sub for GFp5 {
    type Output = GFp5;
    fn sub(self, rhs: GFp5) -> GFp5 {
        let mut out = self.0;
        for (o, r) in out.iter_mut().zip(rhs.0) {
            *o -= r;
        }
        GFp5(out)
    }
}

impl Neg for GFp5 {
    type Output = GFp5;
    fn neg(self) -> GFp5 {
        GFp5(self.0.map(|e| -e))
    }
}

impl Mul for GFp5 {
    type Output = GFp5;
    fn mul(self, rhs: GFp5) -> GFp5 {
        let (a, b) = (self.0, rhs.0);
        let three = Fp::new(3);
        let mut out = [Fp::ZERO; 5];
        for (k, o) in out.iter_mut().enumerate() {
            // Degree k: a_i b_(k-i); degree k + 5 wraps to k times z^5 = 3.
            let mut low = Fp::ZERO;
            for i in 0..=k {
                low += a[i] * b[k - i];
            }
            let mut high = Fp::ZERO;
            for i in (k + 1)..5 {
                high += a[i] * b[k + 5 - i];
            }
            *o = low + three * high;
        }
        GFp5(out)
    }
}

impl AddAssign for GFp5 {
    fn add_assign(&mut self, rhs: GFp5) {
        *self = *self + rhs;
    }
}

impl SubAssign for GFp5 {
    fn sub_assign(&mut self, rhs: GFp5) {
        *self = *self - rhs;
    }
}

impl MulAssign for GFp5 {
    fn mul_assign(&mut self, rhs: GFp5) {
        *self = *self * rhs;
    }
}

/// JSON form: the 40-byte little-endian encoding as a `0x` hex string; parsing rejects
/// non-canonical coefficients.
impl serde::Serialize for GFp5 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        alloy_primitives::FixedBytes::<40>::from(self.to_le_bytes()).serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for GFp5 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let b = alloy_primitives::FixedBytes::<40>::deserialize(d)?;
        GFp5::from_le_bytes(&b.0).ok_or_else(|| {
            serde::de::Error::custom("GF(p^5) coefficient is not a canonical Goldilocks value")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn arb() -> impl Strategy<Value = GFp5> {
        proptest::array::uniform5(0..P).prop_map(|v| GFp5::from_u64s(v).unwrap())
    }

    /// Slow reference multiplication: full product of degree 8, then reduce with z^5 = 3.
    fn mul_ref(a: GFp5, b: GFp5) -> GFp5 {
        let mut full = [Fp::ZERO; 9];
        for i in 0..5 {
            for j in 0..5 {
                full[i + j] += a.0[i] * b.0[j];
            }
        }
        for k in (5..9).rev() {
            let c = full[k];
            full[k] = Fp::ZERO;
            full[k - 5] += c * Fp::new(3);
        }
        GFp5([full[0], full[1], full[2], full[3], full[4]])
    }

    /// `x^e` for a big exponent given as little-endian u64 limbs.
    fn pow_big(x: GFp5, e: &[u64]) -> GFp5 {
        let mut acc = GFp5::ONE;
        for limb in e.iter().rev() {
            for bit in (0..64).rev() {
                acc = acc.square();
                if (limb >> bit) & 1 == 1 {
                    acc *= x;
                }
            }
        }
        acc
    }

    #[test]
    fn frobenius_is_pow_p() {
        let x = GFp5::new([1, 2, 3, 4, 5]);
        assert_eq!(x.frobenius(), x.pow(P));
        assert_eq!(x.frobenius2(), x.pow(P).pow(P));
    }

    #[test]
    fn small_cases() {
        assert_eq!(GFp5::ZERO.inverse(), None);
        assert_eq!(GFp5::ZERO.legendre(), 0);
        assert_eq!(GFp5::ZERO.sqrt(), Some(GFp5::ZERO));
        assert_eq!(GFp5::ONE.inverse(), Some(GFp5::ONE));
        // z^5 = 3.
        let z = GFp5::new([0, 1, 0, 0, 0]);
        assert_eq!(z.pow(5), GFp5::from_fp(Fp::new(3)));
        // 7 is not a square in GF(p); an odd-degree extension keeps it a non-square.
        assert_eq!(GFp5::from_fp(Fp::new(7)).legendre(), -1);
        assert_eq!(sqrt_fp(Fp::new(7)), None);
        assert_eq!(sqrt_fp(Fp::new(49)).map(|r| r * r), Some(Fp::new(49)));
    }

    proptest! {
        #[test]
        fn mul_matches_reference(a in arb(), b in arb()) {
            prop_assert_eq!(a * b, mul_ref(a, b));
            prop_assert_eq!(a.square(), mul_ref(a, a));
        }

        #[test]
        fn inverse_and_sqrt(a in arb()) {
            prop_assume!(!a.is_zero());
            let inv = a.inverse().unwrap();
            prop_assert_eq!(a * inv, GFp5::ONE);
            let sq = a.square();
            prop_assert_eq!(sq.legendre(), 1);
            let r = sq.sqrt().unwrap();
            prop_assert!(r == a || r == -a);
            let non = sq.mul_fp(Fp::new(7));
            prop_assert_eq!(non.legendre(), -1);
            prop_assert_eq!(non.sqrt(), None);
        }

        #[test]
        fn legendre_is_euler(a in arb()) {
            // (p^5 - 1) / 2 as little-endian limbs.
            let p = P as u128;
            let mut e = [0u64; 5];
            // p^5 - 1 computed in 320-bit arithmetic.
            let mut acc = [1u64, 0, 0, 0, 0, 0];
            for _ in 0..5 {
                let mut carry = 0u128;
                for limb in acc.iter_mut() {
                    let v = *limb as u128 * p + carry;
                    *limb = v as u64;
                    carry = v >> 64;
                }
            }
            acc[0] -= 1;
            for i in 0..5 {
                e[i] = (acc[i] >> 1) | (acc[i + 1] << 63);
            }
            let euler = pow_big(a, &e);
            let expected = match a.legendre() {
                0 => GFp5::ZERO,
                1 => GFp5::ONE,
                _ => -GFp5::ONE,
            };
            prop_assert_eq!(euler, expected);
        }

        #[test]
        fn bytes_round_trip(a in arb()) {
            prop_assert_eq!(GFp5::from_le_bytes(&a.to_le_bytes()), Some(a));
            prop_assert_eq!(GFp5::from_u64s(a.to_u64s()), Some(a));
        }
    }
}
