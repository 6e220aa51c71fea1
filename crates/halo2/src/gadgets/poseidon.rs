//! The Poseidon-Goldilocks chip: plonky2's width-12 Poseidon with emulated Goldilocks
//! arithmetic, bit for bit equal to `multiprover_core::poseidon::permute`.
//!
//! Layout of one permutation (`PERM_ROWS` = 376 rows from row `R`):
//!
//! | rows            | content |
//! |-----------------|---------|
//! | `R .. R+12`     | input block: one reduce row per lane (`x` = input lane, `y` = lane mod p) |
//! | `R+12+12k ..`   | round `k` (0..30): row `j` holds lane `j`'s S-box input `x` (after round constants) and output `y`: an S-box row in a full round or for lane 0, a reduce row otherwise |
//! | `R+372 .. R+376`| output block: lanes 0..3 of the final MDS, reduced |
//!
//! Blocks are linked by one gate at each block's first row: `x[next block, j] =
//! Σ_i M[j][i]·y[this block, i] + rc[next block, j]` (identity instead of `M` after the input
//! block). The MDS coefficients sum to at most 264 per row, so a linear layer of values below
//! 2^64 plus a round constant stays below 2^73: the MDS never needs a reduction of its own.

use halo2_proofs::circuit::Value;
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::{ConstraintSystem, Error as PlonkError, Expression, Selector};
use halo2_proofs::poly::Rotation;
use multiprover_core::poseidon::{
    is_full_round, round_constant, MDS_CIRC, MDS_DIAG, ROUNDS, WIDTH,
};

use super::goldilocks::{
    compose, div_rem_p, p_native, GlCell, GoldilocksChip, GoldilocksConfig, RegionCtx,
};

/// Rows used by one permutation.
pub const PERM_ROWS: usize = 12 + 12 * ROUNDS + 4;
/// Offset of the output block inside a permutation.
pub const OUT_OFFSET: usize = 12 + 12 * ROUNDS;

/// The MDS matrix entry `M[row][col]`.
pub fn mds_entry(row: usize, col: usize) -> u64 {
    MDS_CIRC[(col + WIDTH - row) % WIDTH] + if row == col { MDS_DIAG[row] } else { 0 }
}

/// Columns and selectors of the Poseidon chip.
#[derive(Clone, Debug)]
pub struct PoseidonConfig {
    /// The Goldilocks columns it runs on.
    pub gl: GoldilocksConfig,
    /// S-box row: `x^3 = q1·p + r1`, `r1^2·x = q2·p + r2`, `y = r2`.
    pub q_sbox: Selector,
    /// Input block to round 0: identity plus round constants.
    pub q_ident: Selector,
    /// Round block to the next round block: MDS plus round constants.
    pub q_mds: Selector,
    /// Last round block to the output block: MDS, lanes 0..3.
    pub q_mds_out: Selector,
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
        let q_sbox = meta.selector();
        let q_ident = meta.selector();
        let q_mds = meta.selector();
        let q_mds_out = meta.selector();
        let p = Expression::Constant(p_native());
        let limbs = gl.limbs;
        let (x, y, rc) = (gl.x, gl.y, gl.rc);
        meta.create_gate("poseidon sbox", |m| {
            let s = m.query_selector(q_sbox);
            let xv = m.query_advice(x, Rotation::cur()) + m.query_fixed(rc);
            let yv = m.query_advice(y, Rotation::cur());
            let q1 = compose(m, &limbs, 0, 10);
            let r1 = compose(m, &limbs, 10, 4);
            let q2 = compose(m, &limbs, 14, 9);
            let r2 = compose(m, &limbs, 23, 4);
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
        let mds_rows = |m: &mut halo2_proofs::plonk::VirtualCells<'_, Fp>,
                        s: Expression<Fp>,
                        lanes: usize| {
            let ys: Vec<Expression<Fp>> = (0..WIDTH)
                .map(|i| m.query_advice(y, Rotation(i as i32)))
                .collect();
            (0..lanes)
                .map(|j| {
                    let next = m.query_advice(x, Rotation(12 + j as i32));
                    let mut lin = Expression::Constant(Fp::zero());
                    for (i, yi) in ys.iter().enumerate() {
                        lin = lin + yi.clone() * Expression::Constant(Fp::from(mds_entry(j, i)));
                    }
                    s.clone() * (next - lin)
                })
                .collect::<Vec<_>>()
        };
        meta.create_gate("poseidon mds", |m| {
            let s = m.query_selector(q_mds);
            mds_rows(m, s, WIDTH)
        });
        meta.create_gate("poseidon mds out", |m| {
            let s = m.query_selector(q_mds_out);
            mds_rows(m, s, 4)
        });
        PoseidonConfig {
            gl,
            q_sbox,
            q_ident,
            q_mds,
            q_mds_out,
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
        self.gl
            .assign_limbs(ctx.region, row, 0, 10, first.map(|(q, _)| q))?;
        self.gl
            .assign_limbs(ctx.region, row, 10, 4, first.map(|(_, r)| r))?;
        self.gl
            .assign_limbs(ctx.region, row, 14, 9, second.map(|(q, _)| q))?;
        let r2 = second.map(|(_, r)| r);
        self.gl.assign_limbs(ctx.region, row, 23, 4, r2)?;
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
            let start = base + 12 + 12 * k;
            let mut next = [Value::known(Fp::zero()); WIDTH];
            for (j, n) in next.iter_mut().enumerate() {
                let c = Fp::from(round_constant(k, j));
                let x = if k == 0 { ys[j] } else { linear(&ys, j) };
                *n = if is_full_round(k) || j == 0 {
                    self.sbox_row(ctx, start + j, x, c)?
                } else {
                    self.gl
                        .assign_reduce_row(ctx.region, start + j, x, Some(c))?
                        .2
                };
            }
            if k + 1 < ROUNDS {
                cfg.q_mds.enable(ctx.region, start)?;
            } else {
                cfg.q_mds_out.enable(ctx.region, start)?;
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
