//! The EcGFp5 group: points, encoding, decoding, the group law and scalar multiplication.
//!
//! EcGFp5 is the group `G` of points of the double-odd curve `y^2 = x (x^2 + 2 x + 263 z)`
//! over GF(p^5) that are *not* n-torsion points, with neutral `N = (0, 0)` and the law
//! `P (+) Q = P + Q + N` (curve addition). It has prime order `n`. A point `(x, y)` of `G`
//! is encoded as `w = y / x` (the neutral as `w = 0`).
//!
//! Internally a point is represented by its image under the group isomorphism
//! `P -> P + N` from `G` onto the n-torsion subgroup, taken on the isomorphic short
//! Weierstrass curve `Y^2 = X^3 + A X + B` with `X = x + 2/3`, `Y = y`,
//! `A = 263 z - 4/3` (the paper's "In-VM Implementation" change of variable). Points are held
//! in Jacobian coordinates `(X : Y : Z)`, affine `(X / Z^2, Y / Z^3)`, with `Z = 0` for the
//! point at infinity (the image of `N`). Under that map the element with encoding `w` becomes
//! `(x + 2/3, -w x)` where `x` is the root of `x^2 - (w^2 - 2) x + 263 z = 0` that is a
//! square; conversely `w = -Y / (x Z^3)` with `x = X / Z^2 - 2/3`.
//!
//! Nothing here is constant-time: it is meant for verification, and for signing where timing
//! is not a concern (see docs/spec.md).

use crate::field::Fp;

use super::gfp5::GFp5;
use super::scalar::Scalar;
use super::tables::{GENERATOR_TABLE, GENERATOR_XY};
use super::EcError;

/// `b = 263 z`, the double-odd curve constant.
const B: GFp5 = GFp5::new([0, 263, 0, 0, 0]);
/// `1/2`.
const HALF: Fp = Fp::new(0x7fff_ffff_8000_0001);
/// `2/3` (`a / 3` with `a = 2`).
const TWO_THIRDS: Fp = Fp::new(0x5555_5555_0000_0001);
/// The short Weierstrass constant `A = b - a^2 / 3 = 263 z - 4/3`.
const A: GFp5 = GFp5::new([0x5555_5554_ffff_ffff, 263, 0, 0, 0]);

/// A point of EcGFp5 (see the module docs for the representation). Equality is group
/// equality, not equality of coordinates.
#[derive(Clone, Copy, Debug)]
pub struct Point {
    x: GFp5,
    y: GFp5,
    z: GFp5,
}

/// A non-neutral point in affine short Weierstrass coordinates (tables).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Affine {
    pub(crate) x: GFp5,
    pub(crate) y: GFp5,
}

impl PartialEq for Point {
    fn eq(&self, other: &Point) -> bool {
        match (self.is_neutral(), other.is_neutral()) {
            (true, true) => return true,
            (false, false) => {}
            _ => return false,
        }
        let z1z1 = self.z.square();
        let z2z2 = other.z.square();
        self.x * z2z2 == other.x * z1z1 && self.y * z2z2 * other.z == other.y * z1z1 * self.z
    }
}

impl Eq for Point {}

impl Point {
    /// The neutral element (encoding 0).
    pub const NEUTRAL: Point = Point {
        x: GFp5::ONE,
        y: GFp5::ONE,
        z: GFp5::ZERO,
    };

    /// The conventional generator, the point with encoding `w = 4`.
    pub const GENERATOR: Point = Point {
        x: GENERATOR_XY.x,
        y: GENERATOR_XY.y,
        z: GFp5::ONE,
    };

    fn from_affine(a: &Affine) -> Point {
        Point {
            x: a.x,
            y: a.y,
            z: GFp5::ONE,
        }
    }

    /// Affine coordinates; `None` for the neutral element (builds the tables in tests).
    #[cfg(test)]
    pub(crate) fn to_affine(self) -> Option<Affine> {
        let zi = self.z.inverse()?;
        let zi2 = zi.square();
        Some(Affine {
            x: self.x * zi2,
            y: self.y * zi2 * zi,
        })
    }

    /// Whether this is the neutral element.
    pub fn is_neutral(&self) -> bool {
        self.z.is_zero()
    }

    /// The canonical encoding `w` (zero for the neutral element).
    pub fn encode(&self) -> GFp5 {
        // w = -Y / (Z (X - (2/3) Z^2)); the denominator is zero only for the neutral element,
        // since x = 0 would be the point N of order 2, which is not in the image.
        let d = self.z * (self.x - self.z.square().mul_fp(TWO_THIRDS));
        match d.inverse() {
            Some(di) => -(self.y * di),
            None => GFp5::ZERO,
        }
    }

    /// Decode an encoding `w`. Every element of GF(p^5) is either the encoding of exactly one
    /// point or invalid: `w = 0` is the neutral element, and `w != 0` is valid exactly when
    /// `(w^2 - 2)^2 - 4 b` is a square.
    pub fn decode(w: &GFp5) -> Result<Point, EcError> {
        if w.is_zero() {
            return Ok(Point::NEUTRAL);
        }
        let e = w.square() - GFp5::from_fp(Fp::new(2));
        let delta = e.square() - B.mul_fp(Fp::new(4));
        let r = delta.sqrt().ok_or(EcError::InvalidPoint)?;
        // The two roots multiply to b, which is not a square: exactly one of them is.
        let x1 = (e + r).mul_fp(HALF);
        let x = if x1.legendre() == 1 {
            x1
        } else {
            (e - r).mul_fp(HALF)
        };
        Ok(Point {
            x: x + GFp5::from_fp(TWO_THIRDS),
            y: -(*w * x),
            z: GFp5::ONE,
        })
    }

    /// Decode the 40-byte encoding of `w` (five canonical u64 little-endian coefficients).
    pub fn from_le_bytes(b: &[u8; 40]) -> Result<Point, EcError> {
        let w = GFp5::from_le_bytes(b).ok_or(EcError::NonCanonicalField)?;
        Point::decode(&w)
    }

    /// The 40-byte encoding of [`Point::encode`].
    pub fn to_le_bytes(&self) -> [u8; 40] {
        self.encode().to_le_bytes()
    }

    /// `2 self`.
    pub fn double(&self) -> Point {
        if self.is_neutral() || self.y.is_zero() {
            return Point::NEUTRAL;
        }
        let xx = self.x.square();
        let yy = self.y.square();
        let yyyy = yy.square();
        let zz = self.z.square();
        let s = (self.x * yy).mul_fp(Fp::new(4));
        let m = xx.mul_fp(Fp::new(3)) + A * zz.square();
        let x3 = m.square() - s.mul_fp(Fp::new(2));
        let y3 = m * (s - x3) - yyyy.mul_fp(Fp::new(8));
        let z3 = (self.y * self.z).mul_fp(Fp::new(2));
        Point {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `self + rhs`.
    pub fn add(&self, rhs: &Point) -> Point {
        if self.is_neutral() {
            return *rhs;
        }
        if rhs.is_neutral() {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = rhs.z.square();
        let u1 = self.x * z2z2;
        let u2 = rhs.x * z1z1;
        let s1 = self.y * rhs.z * z2z2;
        let s2 = rhs.y * self.z * z1z1;
        self.add_finish(u1, u2, s1, s2, self.z * rhs.z)
    }

    /// `self + rhs` for an affine `rhs`.
    pub(crate) fn add_affine(&self, rhs: &Affine) -> Point {
        if self.is_neutral() {
            return Point::from_affine(rhs);
        }
        let z1z1 = self.z.square();
        let u2 = rhs.x * z1z1;
        let s2 = rhs.y * self.z * z1z1;
        self.add_finish(self.x, u2, self.y, s2, self.z)
    }

    /// The common tail of Jacobian addition, given `U1 = X1 Z2^2`, `U2 = X2 Z1^2`,
    /// `S1 = Y1 Z2^3`, `S2 = Y2 Z1^3` and `Z1 Z2`.
    fn add_finish(&self, u1: GFp5, u2: GFp5, s1: GFp5, s2: GFp5, z1z2: GFp5) -> Point {
        let h = u2 - u1;
        let r = s2 - s1;
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Point::NEUTRAL
            };
        }
        let hh = h.square();
        let hhh = h * hh;
        let v = u1 * hh;
        let x3 = r.square() - hhh - v.mul_fp(Fp::new(2));
        let y3 = r * (v - x3) - s1 * hhh;
        Point {
            x: x3,
            y: y3,
            z: z1z2 * h,
        }
    }

    /// `-self`.
    pub fn neg(&self) -> Point {
        Point {
            x: self.x,
            y: -self.y,
            z: self.z,
        }
    }

    /// `self - rhs`.
    pub fn sub(&self, rhs: &Point) -> Point {
        self.add(&rhs.neg())
    }

    /// The window `[P, 2P, ..., 15P]`.
    fn window(&self) -> [Point; 15] {
        let mut t = [*self; 15];
        for i in 1..15 {
            t[i] = t[i - 1].add(self);
        }
        t
    }

    /// `s self` (variable base): fixed 4-bit windows, most significant first.
    pub fn mul(&self, s: &Scalar) -> Point {
        let t = self.window();
        let mut acc = Point::NEUTRAL;
        for i in (0..80).rev() {
            acc = acc.double().double().double().double();
            let d = s.nibble(i);
            if d != 0 {
                acc = acc.add(&t[d - 1]);
            }
        }
        acc
    }

    /// `s G` (fixed base): the scalar's 80 nibbles split into 8 blocks of 10, each block with
    /// its own precomputed affine table of `d 2^(40 k) G`, so 36 doublings instead of 320.
    pub fn mul_generator(s: &Scalar) -> Point {
        let mut acc = Point::NEUTRAL;
        for j in (0..10).rev() {
            acc = acc.double().double().double().double();
            for (k, table) in GENERATOR_TABLE.iter().enumerate() {
                let d = s.nibble(10 * k + j);
                if d != 0 {
                    acc = acc.add_affine(&table[d - 1]);
                }
            }
        }
        acc
    }

    /// `s G + t self` with shared doublings (Straus), for signature verification.
    pub fn mul_add_generator(&self, s: &Scalar, t: &Scalar) -> Point {
        let g = &GENERATOR_TABLE[0];
        let q = self.window();
        let mut acc = Point::NEUTRAL;
        for i in (0..80).rev() {
            acc = acc.double().double().double().double();
            let d = s.nibble(i);
            if d != 0 {
                acc = acc.add_affine(&g[d - 1]);
            }
            let d = t.nibble(i);
            if d != 0 {
                acc = acc.add(&q[d - 1]);
            }
        }
        acc
    }
}

/// Compute the generator tables at run time (to check and regenerate `tables.rs`).
#[cfg(test)]
pub(crate) fn compute_generator_tables() -> (Affine, [[Affine; 15]; 8]) {
    let g = Point::decode(&GFp5::from_fp(Fp::new(4))).unwrap();
    let mut tables = [[g.to_affine().unwrap(); 15]; 8];
    let mut base = g;
    for table in tables.iter_mut() {
        let w = base.window();
        for (t, p) in table.iter_mut().zip(w) {
            *t = p.to_affine().unwrap();
        }
        for _ in 0..40 {
            base = base.double();
        }
    }
    (g.to_affine().unwrap(), tables)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    #[test]
    fn constants() {
        assert_eq!(HALF * Fp::new(2), Fp::ONE);
        assert_eq!(TWO_THIRDS * Fp::new(3), Fp::new(2));
        assert_eq!(A, B - GFp5::from_fp(TWO_THIRDS * TWO_THIRDS * Fp::new(3)));
    }

    fn fmt_affine(out: &mut String, a: &Affine, indent: &str) {
        let f = |v: &GFp5| {
            let u = v.to_u64s();
            format!("[{}, {}, {}, {}, {}]", u[0], u[1], u[2], u[3], u[4])
        };
        writeln!(
            out,
            "{indent}Affine {{ x: GFp5::new({}), y: GFp5::new({}) }},",
            f(&a.x),
            f(&a.y)
        )
        .unwrap();
    }

    fn render_tables() -> String {
        let (g, tables) = compute_generator_tables();
        let mut out = String::new();
        out.push_str(
            "//! Precomputed multiples of the generator, affine short Weierstrass coordinates.\n\
             //! Generated by `MULTIPROVER_REGEN_ECGFP5_TABLES=1 cargo test -p multiprover-core \
             --lib ecgfp5::curve::tests::generator_tables_are_fresh`; do not edit.\n\n\
             use super::curve::Affine;\nuse super::gfp5::GFp5;\n\n\
             /// The generator (encoding w = 4).\n\
             pub(crate) const GENERATOR_XY: Affine =\n",
        );
        let mut line = String::new();
        fmt_affine(&mut line, &g, "    ");
        out.push_str(line.trim_end().trim_end_matches(','));
        out.push_str(";\n\n");
        out.push_str(
            "/// `GENERATOR_TABLE[k][d - 1] = d 2^(40 k) G` for `k < 8`, `1 <= d <= 15`.\n\
             pub(crate) const GENERATOR_TABLE: [[Affine; 15]; 8] = [\n",
        );
        for table in tables.iter() {
            out.push_str("    [\n");
            for a in table.iter() {
                fmt_affine(&mut out, a, "        ");
            }
            out.push_str("    ],\n");
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn generator_tables_are_fresh() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ecgfp5/tables.rs");
        let rendered = render_tables();
        if std::env::var_os("MULTIPROVER_REGEN_ECGFP5_TABLES").is_some() {
            std::fs::write(path, &rendered).unwrap();
        }
        let (g, tables) = compute_generator_tables();
        assert_eq!(g, GENERATOR_XY, "stale tables.rs: regenerate it");
        assert_eq!(tables, GENERATOR_TABLE, "stale tables.rs: regenerate it");
    }
}
