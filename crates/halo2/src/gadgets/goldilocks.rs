//! The Goldilocks chip: Goldilocks arithmetic emulated in Pallas's scalar field.
//!
//! Values live in native cells as integers; every reduction is the integer equation
//! `x = q·p + r` (or `a·b = q·p + r`, `x^3 = q·p + r`, ...) with `q` and `r` decomposed into
//! [`LIMB_BITS`]-bit limbs that are looked up in a fixed table of `0..2^LIMB_BITS`. The bound
//! on every side of every equation stays far below the native modulus (~2^254), so an
//! equation that holds in the native field holds over the integers (see `docs/halo2.md`).

use halo2_proofs::circuit::{AssignedCell, Layouter, Region, Value};
use halo2_proofs::pasta::group::ff::{Field, PrimeField};
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::{
    Advice, Column, ConstraintSystem, Error as PlonkError, Expression, Fixed, Selector, TableColumn,
};
use halo2_proofs::poly::Rotation;

/// The Goldilocks modulus.
pub const P: u64 = multiprover_core::field::P;
/// Bits per range-checked limb: the one constant every limb count below derives from. The
/// lookup table holds `0..2^LIMB_BITS`, so it sets the smallest `k` (the table must fit in
/// the usable rows of the domain).
pub const LIMB_BITS: usize = 13;
/// Limbs of a reduced value (a remainder): `ceil(64 / LIMB_BITS)`, so a remainder is proven
/// below `2^R_BITS` (at least 2^64, the Goldilocks values).
pub const R_LIMBS: usize = 64usize.div_ceil(LIMB_BITS);
/// The bound of a remainder: `r < 2^R_BITS`.
pub const R_BITS: usize = R_LIMBS * LIMB_BITS;
/// The bound of an S-box input `t` (a linear layer plus a round constant): every value is
/// below `2^R_BITS`, an MDS row sums to at most 264 and the constant is below 2^64, so
/// `t < 265·2^R_BITS < 2^(R_BITS + 9)`.
pub const T_BITS: usize = R_BITS + 9;
/// Limbs of the S-box's first quotient `q1 = t^3 div p` (`p > 2^63`, so `q1 < 2^(3 T_BITS − 63)`).
pub const Q1_LIMBS: usize = (3 * T_BITS - 63).div_ceil(LIMB_BITS);
/// Limbs of the S-box's second quotient `q2 = r1^2·t div p` (`< 2^(2 R_BITS + T_BITS − 63)`).
pub const Q2_LIMBS: usize = (2 * R_BITS + T_BITS - 63).div_ceil(LIMB_BITS);
/// Limbs of one S-box row: `q1, r1, q2, r2`.
pub const SBOX_LIMBS: usize = Q1_LIMBS + R_LIMBS + Q2_LIMBS + R_LIMBS;
/// Limbs of a packed reduce unit of the Poseidon chip: its quotient (one limb: the input is
/// below `2^T_BITS`, so the quotient is below `2^(T_BITS − 63)`) and its remainder.
pub const UNIT_LIMBS: usize = 1 + R_LIMBS;
/// Packed reduce units per row of a partial round block (the Poseidon chip).
pub const UNITS_PER_ROW: usize = 6;
/// Number of limb (lookup) columns: an S-box row or a row of six packed units, whichever is
/// wider.
pub const NUM_LIMBS: usize = if SBOX_LIMBS > UNITS_PER_ROW * UNIT_LIMBS {
    SBOX_LIMBS
} else {
    UNITS_PER_ROW * UNIT_LIMBS
};
/// The top limb of a value range-checked below 2^60 has this many bits.
pub const RANGE60_TOP_BITS: usize = 60 - (R_LIMBS - 1) * LIMB_BITS;
// The bounds `docs/halo2.md` argues: a unit's quotient fits one limb, a range row's shifted
// top limb fits the limb columns, and the largest equation (the S-box's first) stays below
// the native modulus (~2^254).
const _: () = assert!(T_BITS - 63 <= LIMB_BITS);
const _: () = assert!(RANGE60_TOP_BITS > 0 && RANGE60_TOP_BITS <= LIMB_BITS);
const _: () = assert!(R_LIMBS < NUM_LIMBS);
const _: () = assert!(Q1_LIMBS * LIMB_BITS + 64 + 1 < 253 && 3 * T_BITS < 253);
const _: () = assert!(2 * R_LIMBS <= NUM_LIMBS);

/// A native cell holding an (unreduced) Goldilocks value.
pub type GlCell = AssignedCell<Fp, Fp>;

/// The Goldilocks modulus as a native element.
pub fn p_native() -> Fp {
    Fp::from(P)
}

/// `2^(LIMB_BITS·i)` as a native element.
pub fn limb_weight(i: usize) -> Fp {
    Fp::from(2u64).pow_vartime([(LIMB_BITS * i) as u64])
}

/// `2^LIMB_BITS − 2^RANGE60_TOP_BITS`: added to the top limb of a range-60 row, the sum is in
/// the table exactly when the top limb is below `2^RANGE60_TOP_BITS`.
pub fn range60_offset() -> Fp {
    Fp::from((1u64 << LIMB_BITS) - (1u64 << RANGE60_TOP_BITS))
}

/// The low 128 bits of a native element's canonical integer (callers only use this for
/// values they know are below 2^128).
pub fn to_u128(f: &Fp) -> u128 {
    let repr = f.to_repr();
    let mut b = [0u8; 16];
    b.copy_from_slice(&repr.as_ref()[..16]);
    u128::from_le_bytes(b)
}

/// The canonical integer of a native element modulo `P`.
pub fn mod_p(f: &Fp) -> u64 {
    let repr = f.to_repr();
    let mut r: u128 = 0;
    for byte in repr.as_ref().iter().rev() {
        r = ((r << 8) | *byte as u128) % P as u128;
    }
    r as u64
}

/// `(q, r)` with `x = q·P + r`, `r < P`, for a native element read as an integer.
pub fn div_rem_p(x: Fp) -> (Fp, Fp) {
    let r = Fp::from(mod_p(&x));
    // x - r is an exact multiple of P below the native modulus, so the field quotient is
    // the integer quotient.
    let inv = p_native().invert().unwrap_or(Fp::ZERO);
    ((x - r) * inv, r)
}

/// The `n` low [`LIMB_BITS`]-bit limbs of a native element's integer.
pub fn limbs_of(f: &Fp, n: usize) -> Vec<Fp> {
    let repr = f.to_repr();
    let bytes = repr.as_ref();
    let bit = |i: usize| (bytes.get(i / 8).copied().unwrap_or(0) >> (i % 8)) & 1;
    (0..n)
        .map(|l| {
            let mut v = 0u64;
            for b in (0..LIMB_BITS).rev() {
                v = (v << 1) | bit(l * LIMB_BITS + b) as u64;
            }
            Fp::from(v)
        })
        .collect()
}

/// A row cursor inside one region: a chip lays out its rows from `offset` on and moves it
/// past them. The statement circuit opens one region per slot block, per Merkle walk and
/// for the batch hash, each with a cursor at row 0.
#[derive(Debug)]
pub struct RegionCtx<'a, 'r> {
    /// The region.
    pub region: &'a mut Region<'r, Fp>,
    /// The next free row.
    pub offset: usize,
}

impl<'a, 'r> RegionCtx<'a, 'r> {
    /// A cursor at row 0.
    pub fn new(region: &'a mut Region<'r, Fp>) -> Self {
        RegionCtx { region, offset: 0 }
    }
}

/// Columns and selectors of the Goldilocks chip. The Poseidon and statement chips reuse them.
#[derive(Clone, Debug)]
pub struct GoldilocksConfig {
    /// Operand / input column (equality enabled).
    pub x: Column<Advice>,
    /// Result column (equality enabled).
    pub y: Column<Advice>,
    /// Second operand and free-form column (equality enabled).
    pub w: Column<Advice>,
    /// The limb columns, each looked up in `table`.
    pub limbs: [Column<Advice>; NUM_LIMBS],
    /// Per-row constants (round constants, lane constants, tree-level weights).
    pub rc: Column<Fixed>,
    /// `0 .. 2^LIMB_BITS`.
    pub table: TableColumn,
    /// `x = L0·p + r`, `y = r`, `r = L1..L_R` (`R = R_LIMBS`).
    pub q_reduce: Selector,
    /// `x + rc = L0·p + r`, `y = r`, `r = L1..L_R` (a round's lane without S-box).
    pub q_reduce_rc: Selector,
    /// `x·w = q·p + r`, `y = r`, `q = L0..L_{R-1}`, `r = L_R..L_{2R-1}`.
    pub q_mul: Selector,
    /// `y = x + w` (lazy: no reduction).
    pub q_add: Selector,
    /// `w = L0..L_{R-1}` (so `w < 2^R_BITS`).
    pub q_range64: Selector,
    /// `w = L0..L_{R-1}` and `L_R = L_{R-1} + 2^LIMB_BITS − 2^RANGE60_TOP_BITS` (so
    /// `w < 2^60`).
    pub q_range60: Selector,
    /// `x = rc` on this row.
    pub q_fix_x: Selector,
    /// `w = rc` on this row.
    pub q_fix_w: Selector,
}

/// Compose `n` limbs starting at limb column `start`, at the current row.
pub fn compose(
    meta: &mut halo2_proofs::plonk::VirtualCells<'_, Fp>,
    limbs: &[Column<Advice>; NUM_LIMBS],
    start: usize,
    n: usize,
) -> Expression<Fp> {
    compose_at(meta, limbs, start, n, Rotation::cur())
}

/// Compose `n` limbs starting at limb column `start`, at row `rot` relative to the gate.
pub fn compose_at(
    meta: &mut halo2_proofs::plonk::VirtualCells<'_, Fp>,
    limbs: &[Column<Advice>; NUM_LIMBS],
    start: usize,
    n: usize,
    rot: Rotation,
) -> Expression<Fp> {
    let mut acc = Expression::Constant(Fp::ZERO);
    for i in 0..n {
        let l = meta.query_advice(limbs[start + i], rot);
        acc = acc + l * Expression::Constant(limb_weight(i));
    }
    acc
}

/// The Goldilocks instructions.
pub trait GoldilocksInstructions {
    /// Witness a value and range-check it below `2^64`. Returns the `w` cell.
    fn load(&self, ctx: &mut RegionCtx<'_, '_>, v: Value<Fp>) -> Result<GlCell, PlonkError>;
    /// `a·b mod p` for `a, b < 2^64`: one row, `a·b = q·p + r` with `q, r < 2^R_BITS`.
    fn mul(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        a: &GlCell,
        b: &GlCell,
    ) -> Result<GlCell, PlonkError>;
    /// `a + b` without reduction (lazy): sound while the result feeds only equations whose
    /// bounds allow it (`reduce` accepts inputs below `2^80`).
    fn add(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        a: &GlCell,
        b: &GlCell,
    ) -> Result<GlCell, PlonkError>;
    /// `a mod p` (below `2^64`, congruent) for `a < 2^80`.
    fn reduce(&self, ctx: &mut RegionCtx<'_, '_>, a: &GlCell) -> Result<GlCell, PlonkError>;
}

/// The Goldilocks chip.
#[derive(Clone, Debug)]
pub struct GoldilocksChip {
    config: GoldilocksConfig,
}

impl GoldilocksChip {
    /// Configure the columns, the table and the gates.
    pub fn configure(meta: &mut ConstraintSystem<Fp>) -> GoldilocksConfig {
        let x = meta.advice_column();
        let y = meta.advice_column();
        let w = meta.advice_column();
        let limbs: [Column<Advice>; NUM_LIMBS] = core::array::from_fn(|_| meta.advice_column());
        let rc = meta.fixed_column();
        let table = meta.lookup_table_column();
        for c in [x, y, w] {
            meta.enable_equality(c);
        }
        for l in limbs {
            meta.lookup(|m| vec![(m.query_advice(l, Rotation::cur()), table)]);
        }
        let q_reduce = meta.selector();
        let q_reduce_rc = meta.selector();
        let q_mul = meta.selector();
        let q_add = meta.selector();
        let q_range64 = meta.selector();
        let q_range60 = meta.selector();
        let q_fix_x = meta.selector();
        let q_fix_w = meta.selector();
        let p = Expression::Constant(p_native());

        meta.create_gate("gl reduce", |m| {
            let s = m.query_selector(q_reduce);
            let xv = m.query_advice(x, Rotation::cur());
            let yv = m.query_advice(y, Rotation::cur());
            let q = m.query_advice(limbs[0], Rotation::cur());
            let r = compose(m, &limbs, 1, R_LIMBS);
            vec![s.clone() * (xv - q * p.clone() - r.clone()), s * (yv - r)]
        });
        meta.create_gate("gl reduce rc", |m| {
            let s = m.query_selector(q_reduce_rc);
            let xv = m.query_advice(x, Rotation::cur()) + m.query_fixed(rc);
            let yv = m.query_advice(y, Rotation::cur());
            let q = m.query_advice(limbs[0], Rotation::cur());
            let r = compose(m, &limbs, 1, R_LIMBS);
            vec![s.clone() * (xv - q * p.clone() - r.clone()), s * (yv - r)]
        });
        meta.create_gate("gl mul", |m| {
            let s = m.query_selector(q_mul);
            let a = m.query_advice(x, Rotation::cur());
            let b = m.query_advice(w, Rotation::cur());
            let yv = m.query_advice(y, Rotation::cur());
            let q = compose(m, &limbs, 0, R_LIMBS);
            let r = compose(m, &limbs, R_LIMBS, R_LIMBS);
            vec![
                s.clone() * (a * b - q * p.clone() - r.clone()),
                s * (yv - r),
            ]
        });
        meta.create_gate("gl add", |m| {
            let s = m.query_selector(q_add);
            let a = m.query_advice(x, Rotation::cur());
            let b = m.query_advice(w, Rotation::cur());
            let yv = m.query_advice(y, Rotation::cur());
            vec![s * (yv - a - b)]
        });
        meta.create_gate("gl range64", |m| {
            let s = m.query_selector(q_range64);
            let v = m.query_advice(w, Rotation::cur());
            let c = compose(m, &limbs, 0, R_LIMBS);
            vec![s * (v - c)]
        });
        meta.create_gate("gl range60", |m| {
            let s = m.query_selector(q_range60);
            let v = m.query_advice(w, Rotation::cur());
            let c = compose(m, &limbs, 0, R_LIMBS);
            let top = m.query_advice(limbs[R_LIMBS - 1], Rotation::cur());
            let shifted = m.query_advice(limbs[R_LIMBS], Rotation::cur());
            let off = Expression::Constant(range60_offset());
            vec![s.clone() * (v - c), s * (shifted - top - off)]
        });
        meta.create_gate("fix x", |m| {
            let s = m.query_selector(q_fix_x);
            let v = m.query_advice(x, Rotation::cur());
            let c = m.query_fixed(rc);
            vec![s * (v - c)]
        });
        meta.create_gate("fix w", |m| {
            let s = m.query_selector(q_fix_w);
            let v = m.query_advice(w, Rotation::cur());
            let c = m.query_fixed(rc);
            vec![s * (v - c)]
        });
        GoldilocksConfig {
            x,
            y,
            w,
            limbs,
            rc,
            table,
            q_reduce,
            q_reduce_rc,
            q_mul,
            q_add,
            q_range64,
            q_range60,
            q_fix_x,
            q_fix_w,
        }
    }

    /// The chip for a configuration.
    pub fn construct(config: GoldilocksConfig) -> Self {
        GoldilocksChip { config }
    }

    /// The configuration.
    pub fn config(&self) -> &GoldilocksConfig {
        &self.config
    }

    /// Fill the table `0..2^LIMB_BITS`.
    pub fn load_table(&self, layouter: &mut impl Layouter<Fp>) -> Result<(), PlonkError> {
        let table = self.config.table;
        layouter.assign_table(
            || "limb table",
            |mut t| {
                for i in 0..(1usize << LIMB_BITS) {
                    t.assign_cell(|| "limb", table, i, || Value::known(Fp::from(i as u64)))?;
                }
                Ok(())
            },
        )
    }

    /// Assign limbs `start .. start + n` of row `row` from the integer `v`.
    pub fn assign_limbs(
        &self,
        region: &mut Region<'_, Fp>,
        row: usize,
        start: usize,
        n: usize,
        v: Value<Fp>,
    ) -> Result<(), PlonkError> {
        for i in 0..n {
            let limb = v.map(|v| limbs_of(&v, n)[i]);
            region.assign_advice(|| "limb", self.config.limbs[start + i], row, || limb)?;
        }
        Ok(())
    }

    /// A reduce row at `row`: `x` is assigned to `x`; with `rc = Some(c)` the row reduces
    /// `x + c` (and writes `c` into `rc`). Returns `(x cell, y cell, y value)`.
    pub fn assign_reduce_row(
        &self,
        region: &mut Region<'_, Fp>,
        row: usize,
        x: Value<Fp>,
        rc: Option<Fp>,
    ) -> Result<(GlCell, GlCell, Value<Fp>), PlonkError> {
        let c = &self.config;
        let t = match rc {
            Some(k) => {
                c.q_reduce_rc.enable(region, row)?;
                region.assign_fixed(|| "rc", c.rc, row, || Value::known(k))?;
                x + Value::known(k)
            }
            None => {
                c.q_reduce.enable(region, row)?;
                x
            }
        };
        let qr = t.map(div_rem_p);
        let xc = region.assign_advice(|| "x", c.x, row, || x)?;
        self.assign_limbs(region, row, 0, 1, qr.map(|(q, _)| q))?;
        let r = qr.map(|(_, r)| r);
        self.assign_limbs(region, row, 1, R_LIMBS, r)?;
        let yc = region.assign_advice(|| "y", c.y, row, || r)?;
        Ok((xc, yc, r))
    }

    /// A range check of `v` below `2^bits` (`bits` is 60, or 64 for `2^R_BITS`) on row `row`, with the value
    /// in column `w`. Returns the `w` cell.
    pub fn assign_range_row(
        &self,
        region: &mut Region<'_, Fp>,
        row: usize,
        v: Value<Fp>,
        bits: u32,
    ) -> Result<GlCell, PlonkError> {
        let c = &self.config;
        let wc = region.assign_advice(|| "w", c.w, row, || v)?;
        self.assign_limbs(region, row, 0, R_LIMBS, v)?;
        if bits == 60 {
            c.q_range60.enable(region, row)?;
            let shifted = v.map(|v| limbs_of(&v, R_LIMBS)[R_LIMBS - 1] + range60_offset());
            region.assign_advice(|| "shifted top", c.limbs[R_LIMBS], row, || shifted)?;
        } else {
            c.q_range64.enable(region, row)?;
        }
        Ok(wc)
    }

    /// Constrain the `x` cell of `row` to the constant `v` (and write `v` into `rc`).
    pub fn fix_x(&self, region: &mut Region<'_, Fp>, row: usize, v: Fp) -> Result<(), PlonkError> {
        self.config.q_fix_x.enable(region, row)?;
        region.assign_fixed(|| "rc", self.config.rc, row, || Value::known(v))?;
        Ok(())
    }
}

impl GoldilocksInstructions for GoldilocksChip {
    fn load(&self, ctx: &mut RegionCtx<'_, '_>, v: Value<Fp>) -> Result<GlCell, PlonkError> {
        let row = ctx.offset;
        ctx.offset += 1;
        self.assign_range_row(ctx.region, row, v, 64)
    }

    fn mul(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        a: &GlCell,
        b: &GlCell,
    ) -> Result<GlCell, PlonkError> {
        let c = &self.config;
        let row = ctx.offset;
        ctx.offset += 1;
        c.q_mul.enable(ctx.region, row)?;
        a.copy_advice(|| "a", ctx.region, c.x, row)?;
        b.copy_advice(|| "b", ctx.region, c.w, row)?;
        let prod = a.value().zip(b.value()).map(|(a, b)| *a * *b);
        let qr = prod.map(div_rem_p);
        self.assign_limbs(ctx.region, row, 0, R_LIMBS, qr.map(|(q, _)| q))?;
        let r = qr.map(|(_, r)| r);
        self.assign_limbs(ctx.region, row, R_LIMBS, R_LIMBS, r)?;
        ctx.region.assign_advice(|| "r", c.y, row, || r)
    }

    fn add(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        a: &GlCell,
        b: &GlCell,
    ) -> Result<GlCell, PlonkError> {
        let c = &self.config;
        let row = ctx.offset;
        ctx.offset += 1;
        c.q_add.enable(ctx.region, row)?;
        a.copy_advice(|| "a", ctx.region, c.x, row)?;
        b.copy_advice(|| "b", ctx.region, c.w, row)?;
        let s = a.value().zip(b.value()).map(|(a, b)| *a + *b);
        ctx.region.assign_advice(|| "sum", c.y, row, || s)
    }

    fn reduce(&self, ctx: &mut RegionCtx<'_, '_>, a: &GlCell) -> Result<GlCell, PlonkError> {
        let row = ctx.offset;
        ctx.offset += 1;
        let (xc, yc, _) = self.assign_reduce_row(ctx.region, row, a.value().copied(), None)?;
        ctx.region.constrain_equal(xc.cell(), a.cell())?;
        Ok(yc)
    }
}
