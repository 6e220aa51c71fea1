//! The Poseidon-Goldilocks chip: plonky2's width-12 Poseidon with emulated Goldilocks
//! arithmetic, bit for bit equal to `multiprover_core::poseidon::permute`.
//!
//! Layout of one permutation (`PERM_ROWS` = 178 rows from row `R`; see [`round_offset`]):
//!
//! | block | rows | content |
//! |-------|------|---------|
//! | input | 12 | one reduce row per lane (`x` = input lane, `y` = lane mod p) |
//! | full round (8×) | 12 | row `j`: lane `j`'s S-box (`x` = linear-layer output, `rc` = round constant, `y` = result) |
//! | partial round (22×) | 3 | row 0: lane 0's S-box (limbs `0..SBOX_LIMBS`); rows 1–2: lanes 1..11 as *packed reduce units* of `UNIT_LIMBS` limbs each (a quotient limb + `R_LIMBS` result limbs), six in row 1, five in row 2, with their round constants in `rc` and five more fixed columns |
//! | output | 4 | lanes 0..3 of the final linear layer, reduced |
//!
//! Blocks are linked by one gate on each block's first row. For a lane of the next block
//! held in cells, `x[lane] = Σ_i M[lane][i]·v_i`; for a packed lane,
//! `Σ_i M[lane][i]·v_i + rc = q·p + r` with `q`, `r` the unit's limbs. `v_i` is lane `i`'s
//! value in this block: its `y` cell, or its unit's composed result limbs. Every
//! `v_i < 2^R_BITS` and the MDS coefficients sum to at most 264 per row, so a linear layer
//! plus a round constant stays below `2^T_BITS`: the MDS never needs a reduction of its own,
//! and a packed unit's quotient fits one limb.

use halo2_proofs::circuit::{Region, Value};
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::{
    Column, ConstraintSystem, Error as PlonkError, Expression, Fixed, Selector, VirtualCells,
};
use halo2_proofs::poly::Rotation;
use multiprover_core::poseidon::{
    is_full_round, round_constant, HALF_FULL_ROUNDS, MDS_CIRC, MDS_DIAG, PARTIAL_ROUNDS, ROUNDS,
    WIDTH,
};

use super::goldilocks::{
    compose, compose_at, div_rem_p, limbs_of, p_native, GlCell, GoldilocksChip, GoldilocksConfig,
    RegionCtx, Q1_LIMBS, Q2_LIMBS, R_LIMBS, UNITS_PER_ROW, UNIT_LIMBS,
};

/// Rows of a full-round block (one lane per row).
pub const FULL_ROWS: usize = WIDTH;
/// Rows of a partial-round block (S-box row + two rows of packed reduce units).
pub const PARTIAL_ROWS: usize = 3;
/// Rows used by one permutation.
pub const PERM_ROWS: usize =
    WIDTH + 2 * HALF_FULL_ROUNDS * FULL_ROWS + PARTIAL_ROUNDS * PARTIAL_ROWS + 4;
/// Offset of the output block inside a permutation.
pub const OUT_OFFSET: usize = PERM_ROWS - 4;
/// Offset of round `k`'s block from the permutation's first row.
pub const fn round_offset(k: usize) -> usize {
    let full_before = if k < HALF_FULL_ROUNDS {
        k
    } else if k < HALF_FULL_ROUNDS + PARTIAL_ROUNDS {
        HALF_FULL_ROUNDS
    } else {
        k - PARTIAL_ROUNDS
    };
    let partial_before = k - full_before;
    WIDTH + full_before * FULL_ROWS + partial_before * PARTIAL_ROWS
}

/// Where a lane lives inside its block.
#[derive(Clone, Copy, Debug)]
enum Lane {
    /// `x` / `y` cells at this row.
    Cells(i32),
    /// A packed reduce unit: row, first limb (the quotient; the result follows), and which
    /// round-constant column of that row holds its constant (0 = `rc`, `n` = extra `n - 1`).
    Unit(i32, usize, usize),
}

/// Lane `j`'s place in a full (`partial == false`) or partial block.
fn lane(partial: bool, j: usize) -> Lane {
    if !partial || j == 0 {
        return Lane::Cells(if partial { 0 } else { j as i32 });
    }
    let u = j - 1;
    let v = u % UNITS_PER_ROW;
    Lane::Unit(1 + (u / UNITS_PER_ROW) as i32, UNIT_LIMBS * v, v)
}

/// Rows of a full (`false`) or partial (`true`) block.
const fn block_rows(partial: bool) -> i32 {
    if partial {
        PARTIAL_ROWS as i32
    } else {
        FULL_ROWS as i32
    }
}

/// The MDS matrix entry `M[row][col]`.
pub fn mds_entry(row: usize, col: usize) -> u64 {
    MDS_CIRC[(col + WIDTH - row) % WIDTH] + if row == col { MDS_DIAG[row] } else { 0 }
}

/// Columns and selectors of the Poseidon chip.
#[derive(Clone, Debug)]
pub struct PoseidonConfig {
    /// The Goldilocks columns it runs on.
    pub gl: GoldilocksConfig,
    /// Five more round-constant columns: a row of packed units has six constants.
    pub rc_extra: [Column<Fixed>; UNITS_PER_ROW - 1],
    /// S-box row: `x^3 = q1·p + r1`, `r1^2·x = q2·p + r2`, `y = r2`.
    pub q_sbox: Selector,
    /// Input block to round 0: identity (round 0's S-box rows add the constants).
    pub q_ident: Selector,
    /// Full round block to full round block.
    pub q_full_full: Selector,
    /// Full round block to partial round block.
    pub q_full_partial: Selector,
    /// Partial round block to partial round block.
    pub q_partial_partial: Selector,
    /// Partial round block to full round block.
    pub q_partial_full: Selector,
    /// Last round block to the output block: lanes 0..3.
    pub q_full_out: Selector,
    /// Packed units of a partial block's row 1 / row 2, after a full block.
    pub q_units_after_full: [Selector; 2],
    /// Packed units of a partial block's row 1 / row 2, after a partial block.
    pub q_units_after_partial: [Selector; 2],
}

/// The cells of one permutation a caller constrains.
#[derive(Clone, Debug)]
pub struct PermutationCells {
    /// First row of the permutation.
    pub row: usize,
    /// The 12 input cells (column `x` of the input block).
    pub inputs: Vec<GlCell>,
    /// Lanes 0..3 of the output, reduced below 2^64.
    pub outputs: Vec<GlCell>,
    /// Output values (for the witness).
    pub output_values: [Value<Fp>; 4],
}

/// The Poseidon instructions.
pub trait PoseidonInstructions {
    /// Lay out one permutation of `inputs` (each an integer below `2^80`) at the cursor.
    fn permute(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        inputs: [Value<Fp>; WIDTH],
    ) -> Result<PermutationCells, PlonkError>;
}

/// The Poseidon chip.
#[derive(Clone, Debug)]
pub struct PoseidonChip {
    config: PoseidonConfig,
    gl: GoldilocksChip,
}

impl PoseidonChip {
    /// Configure on top of a Goldilocks configuration.
    pub fn configure(meta: &mut ConstraintSystem<Fp>, gl: GoldilocksConfig) -> PoseidonConfig {
        let rc_extra: [Column<Fixed>; UNITS_PER_ROW - 1] =
            core::array::from_fn(|_| meta.fixed_column());
        let q_sbox = meta.selector();
        let q_ident = meta.selector();
        let q_full_full = meta.selector();
        let q_full_partial = meta.selector();
        let q_partial_partial = meta.selector();
        let q_partial_full = meta.selector();
        let q_full_out = meta.selector();
        let q_units_after_full = [meta.selector(), meta.selector()];
        let q_units_after_partial = [meta.selector(), meta.selector()];
        let p = Expression::Constant(p_native());
        let limbs = gl.limbs;
        let (x, y, rc) = (gl.x, gl.y, gl.rc);
        meta.create_gate("poseidon sbox", |m| {
            let s = m.query_selector(q_sbox);
            let xv = m.query_advice(x, Rotation::cur()) + m.query_fixed(rc);
            let yv = m.query_advice(y, Rotation::cur());
            let q1 = compose(m, &limbs, 0, Q1_LIMBS);
            let r1 = compose(m, &limbs, Q1_LIMBS, R_LIMBS);
            let q2 = compose(m, &limbs, Q1_LIMBS + R_LIMBS, Q2_LIMBS);
            let r2 = compose(m, &limbs, Q1_LIMBS + R_LIMBS + Q2_LIMBS, R_LIMBS);
            vec![
                s.clone() * (xv.clone() * xv.clone() * xv.clone() - q1 * p.clone() - r1.clone()),
                s.clone() * (r1.clone() * r1 * xv - q2 * p.clone() - r2.clone()),
                s * (yv - r2),
            ]
        });
        meta.create_gate("poseidon ident", |m| {
            let s = m.query_selector(q_ident);
            (0..WIDTH)
                .map(|j| {
                    let next = m.query_advice(x, Rotation(12 + j as i32));
                    let cur = m.query_advice(y, Rotation(j as i32));
                    s.clone() * (next - cur)
                })
                .collect::<Vec<_>>()
        });
        // Lane `i`'s value in a block that starts `at` rows from the gate's row.
        let value =
            |m: &mut VirtualCells<'_, Fp>, partial: bool, at: i32, i: usize| match lane(partial, i)
            {
                Lane::Cells(r) => m.query_advice(y, Rotation(at + r)),
                Lane::Unit(r, first, _) => {
                    compose_at(m, &limbs, first + 1, R_LIMBS, Rotation(at + r))
                }
            };
        // `Σ_i M[j][i]·v_i` over a block that starts `at` rows from the gate's row.
        let linear_layer = |m: &mut VirtualCells<'_, Fp>, partial: bool, at: i32, j: usize| {
            let mut lin = Expression::Constant(Fp::zero());
            for i in 0..WIDTH {
                let v = value(m, partial, at, i);
                lin = lin + v * Expression::Constant(Fp::from(mds_entry(j, i)));
            }
            lin
        };
        // On a block's first row: the next block's lanes held in cells (`x`) are the linear
        // layer of this block (the S-box rows add their round constants themselves).
        let link = |m: &mut VirtualCells<'_, Fp>,
                    s: Expression<Fp>,
                    cur_partial: bool,
                    next_partial: bool,
                    lanes: usize| {
            let len = block_rows(cur_partial);
            (0..lanes)
                .filter_map(|j| match lane(next_partial, j) {
                    Lane::Cells(r) => {
                        let lin = linear_layer(m, cur_partial, 0, j);
                        Some(s.clone() * (m.query_advice(x, Rotation(len + r)) - lin))
                    }
                    Lane::Unit(..) => None,
                })
                .collect::<Vec<_>>()
        };
        for (name, sel, cur_partial, next_partial, lanes) in [
            ("poseidon full to full", q_full_full, false, false, WIDTH),
            (
                "poseidon full to partial",
                q_full_partial,
                false,
                true,
                WIDTH,
            ),
            (
                "poseidon partial to partial",
                q_partial_partial,
                true,
                true,
                WIDTH,
            ),
            (
                "poseidon partial to full",
                q_partial_full,
                true,
                false,
                WIDTH,
            ),
            ("poseidon full to out", q_full_out, false, false, 4),
        ] {
            meta.create_gate(name, |m| {
                let s = m.query_selector(sel);
                link(m, s, cur_partial, next_partial, lanes)
            });
        }
        // On row 1 or 2 of a partial block: each packed unit of the row reduces its lane's
        // linear layer (over the previous block) plus its round constant:
        // `Σ_i M[j][i]·v_i + c = q·p + r`.
        let rc_cols: [Column<Fixed>; UNITS_PER_ROW] =
            core::array::from_fn(|v| if v == 0 { rc } else { rc_extra[v - 1] });
        for (prev_partial, sels) in [(false, q_units_after_full), (true, q_units_after_partial)] {
            for (idx, sel) in sels.into_iter().enumerate() {
                let row = idx as i32 + 1;
                meta.create_gate("poseidon packed units", |m| {
                    let s = m.query_selector(sel);
                    let prev_at = -row - block_rows(prev_partial);
                    (1..WIDTH)
                        .filter_map(|j| match lane(true, j) {
                            Lane::Unit(r, first, col) if r == row => Some((j, first, col)),
                            _ => None,
                        })
                        .map(|(j, first, col)| {
                            let lin = linear_layer(m, prev_partial, prev_at, j);
                            let c = m.query_fixed(rc_cols[col]);
                            let q = m.query_advice(limbs[first], Rotation::cur());
                            let res = compose(m, &limbs, first + 1, R_LIMBS);
                            s.clone() * (lin + c - q * p.clone() - res)
                        })
                        .collect::<Vec<_>>()
                });
            }
        }
        PoseidonConfig {
            gl,
            rc_extra,
            q_sbox,
            q_ident,
            q_full_full,
            q_full_partial,
            q_partial_partial,
            q_partial_full,
            q_full_out,
            q_units_after_full,
            q_units_after_partial,
        }
    }

    /// The chip for a configuration.
    pub fn construct(config: PoseidonConfig) -> Self {
        let gl = GoldilocksChip::construct(config.gl.clone());
        PoseidonChip { config, gl }
    }

    /// The configuration.
    pub fn config(&self) -> &PoseidonConfig {
        &self.config
    }

    /// The Goldilocks chip underneath.
    pub fn gl(&self) -> &GoldilocksChip {
        &self.gl
    }

    /// Constrain input lanes `from..from + vals.len()` of a laid-out permutation to the
    /// constants `vals` (a tagged hash's zero lanes and domain tag).
    pub fn fix_inputs(
        &self,
        region: &mut Region<'_, Fp>,
        perm: &PermutationCells,
        from: usize,
        vals: &[u64],
    ) -> Result<(), PlonkError> {
        for (i, v) in vals.iter().enumerate() {
            self.gl.fix_x(region, perm.row + from + i, Fp::from(*v))?;
        }
        Ok(())
    }

    /// An S-box row: `x` is the linear layer's output, `rc` the round constant.
    fn sbox_row(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        row: usize,
        x: Value<Fp>,
        rc: Fp,
    ) -> Result<Value<Fp>, PlonkError> {
        let c = &self.config.gl;
        self.config.q_sbox.enable(ctx.region, row)?;
        ctx.region.assign_advice(|| "x", c.x, row, || x)?;
        ctx.region
            .assign_fixed(|| "rc", c.rc, row, || Value::known(rc))?;
        let x = x + Value::known(rc);
        let first = x.map(|x| div_rem_p(x * x * x));
        let second = x.zip(first).map(|(x, (_, r1))| div_rem_p(r1 * r1 * x));
        let (o_r1, o_q2) = (Q1_LIMBS, Q1_LIMBS + R_LIMBS);
        let o_r2 = o_q2 + Q2_LIMBS;
        self.gl
            .assign_limbs(ctx.region, row, 0, Q1_LIMBS, first.map(|(q, _)| q))?;
        self.gl
            .assign_limbs(ctx.region, row, o_r1, R_LIMBS, first.map(|(_, r)| r))?;
        self.gl
            .assign_limbs(ctx.region, row, o_q2, Q2_LIMBS, second.map(|(q, _)| q))?;
        let r2 = second.map(|(_, r)| r);
        self.gl.assign_limbs(ctx.region, row, o_r2, R_LIMBS, r2)?;
        ctx.region.assign_advice(|| "y", c.y, row, || r2)?;
        Ok(r2)
    }
}

fn linear(ys: &[Value<Fp>; WIDTH], lane: usize) -> Value<Fp> {
    let mut acc = Value::known(Fp::zero());
    for (i, y) in ys.iter().enumerate() {
        let m = Fp::from(mds_entry(lane, i));
        acc = acc + y.map(|y| y * m);
    }
    acc
}

impl PoseidonChip {
    /// Lane `lane_index` (1..12) of a partial round as a packed reduce unit:
    /// `x + c = q·p + r` in the unit's limbs, `c` in its round-constant cell. Returns `r`.
    fn unit(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        block: usize,
        lane_index: usize,
        x: Value<Fp>,
        c: Fp,
    ) -> Result<Value<Fp>, PlonkError> {
        let Lane::Unit(row, first, col) = lane(true, lane_index) else {
            return Err(PlonkError::Synthesis);
        };
        let rc_col = match col {
            0 => self.config.gl.rc,
            n => self.config.rc_extra[n - 1],
        };
        let row = block + row as usize;
        ctx.region
            .assign_fixed(|| "unit rc", rc_col, row, || Value::known(c))?;
        let qr = (x + Value::known(c)).map(div_rem_p);
        let limbs = &self.config.gl.limbs;
        let q = qr.map(|(q, _)| limbs_of(&q, 1)[0]);
        ctx.region
            .assign_advice(|| "unit q", limbs[first], row, || q)?;
        let r = qr.map(|(_, r)| r);
        self.gl
            .assign_limbs(ctx.region, row, first + 1, R_LIMBS, r)?;
        Ok(r)
    }
}

impl PoseidonInstructions for PoseidonChip {
    fn permute(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        inputs: [Value<Fp>; WIDTH],
    ) -> Result<PermutationCells, PlonkError> {
        let base = ctx.offset;
        let cfg = &self.config;
        let mut input_cells = Vec::with_capacity(WIDTH);
        let mut ys = [Value::known(Fp::zero()); WIDTH];
        for (j, v) in inputs.iter().enumerate() {
            let (xc, _, y) = self.gl.assign_reduce_row(ctx.region, base + j, *v, None)?;
            input_cells.push(xc);
            ys[j] = y;
        }
        cfg.q_ident.enable(ctx.region, base)?;
        for k in 0..ROUNDS {
            let start = base + round_offset(k);
            let mut next = [Value::known(Fp::zero()); WIDTH];
            for (j, n) in next.iter_mut().enumerate() {
                let c = Fp::from(round_constant(k, j));
                let x = if k == 0 { ys[j] } else { linear(&ys, j) };
                *n = match lane(!is_full_round(k), j) {
                    Lane::Cells(r) => self.sbox_row(ctx, start + r as usize, x, c)?,
                    Lane::Unit(..) => self.unit(ctx, start, j, x, c)?,
                };
            }
            let link = match (is_full_round(k), k + 1 < ROUNDS && is_full_round(k + 1)) {
                _ if k + 1 == ROUNDS => cfg.q_full_out,
                (true, true) => cfg.q_full_full,
                (true, false) => cfg.q_full_partial,
                (false, false) => cfg.q_partial_partial,
                (false, true) => cfg.q_partial_full,
            };
            link.enable(ctx.region, start)?;
            if !is_full_round(k) {
                let sels = if is_full_round(k - 1) {
                    cfg.q_units_after_full
                } else {
                    cfg.q_units_after_partial
                };
                sels[0].enable(ctx.region, start + 1)?;
                sels[1].enable(ctx.region, start + 2)?;
            }
            ys = next;
        }
        let out = base + OUT_OFFSET;
        let mut outputs = Vec::with_capacity(4);
        let mut output_values = [Value::known(Fp::zero()); 4];
        for (j, ov) in output_values.iter_mut().enumerate() {
            let (_, yc, y) =
                self.gl
                    .assign_reduce_row(ctx.region, out + j, linear(&ys, j), None)?;
            outputs.push(yc);
            *ov = y;
        }
        ctx.offset = base + PERM_ROWS;
        Ok(PermutationCells {
            row: base,
            inputs: input_cells,
            outputs,
            output_values,
        })
    }
}
