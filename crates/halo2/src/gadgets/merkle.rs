//! The Merkle walk gadget: a leaf `H_LEAF(balance, nonce)` hashed up a binary path of
//! `H_NODE` permutations to a root, with the path's index bits folded into an accumulator
//! that is tied to the account index.
//!
//! A walk either takes its siblings and bits as fresh witnesses (the old leaf of an update)
//! or copies them from an earlier walk (the new leaf: the same path, so the update touches
//! only that leaf). Each level is one Poseidon permutation whose input block also carries
//! the conditional swap and the index step:
//!
//! | row of the permutation | column `w` | gate |
//! |---|---|---|
//! | `R + j`, `j < 4` | the current digest's lane `j` (copied) | "merkle node" on row `R` |
//! | `R + 4 + j`, `j < 4` | the sibling's lane `j` | "merkle node" |
//! | `R + 8` | the index bit `b` | "merkle node": `b` is a bit |
//! | `R + 9` | the index accumulator before this level | "merkle index" on row `R + 4` |
//! | `R + 10` | the accumulator after it: `acc + b·2^level` | "merkle index" |
//!
//! The node gate checks that input lanes 0..3 (column `x`) are `cur + b·(sib − cur)` and
//! lanes 4..7 are `sib + b·(cur − sib)`, that is `(cur, sib)` swapped when `b = 1`.

use halo2_proofs::circuit::{Layouter, Region, Value};
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::{ConstraintSystem, Error as PlonkError, Expression, Selector};
use halo2_proofs::poly::Rotation;
use multiprover_core::hash::Tag;

use crate::gadgets::goldilocks::{GlCell, RegionCtx};
use crate::gadgets::poseidon::{
    PermutationCells, PoseidonChip, PoseidonConfig, PoseidonInstructions,
};

/// Configuration of the Merkle walk chip.
#[derive(Clone, Debug)]
pub struct MerkleConfig {
    /// The Poseidon chip's configuration (and the Goldilocks one inside it).
    pub poseidon: PoseidonConfig,
    /// Merkle node step (conditional swap, bit, index accumulator) on a permutation's
    /// input block.
    pub q_node: Selector,
    /// Merkle index accumulator step (on row 4 of a node permutation).
    pub q_acc: Selector,
}

/// What one Merkle walk leaves for the walks and rules after it.
#[derive(Clone, Debug)]
pub struct MerkleWalk {
    /// The root's four lanes (reduced cells).
    pub root: Vec<GlCell>,
    /// Per level (leaf side first), the sibling's four lanes.
    pub sibs: Vec<Vec<GlCell>>,
    /// Per level, the index bit (the account index's bit `level`).
    pub bits: Vec<GlCell>,
}

/// Where a walk's siblings and bits come from.
#[derive(Clone, Copy, Debug)]
pub enum PathSource<'a> {
    /// Fresh witnesses (the old leaf of an update); the bits' accumulator is constrained
    /// equal to `index`.
    Witness {
        /// Per level, the sibling's four lanes.
        sibs: &'a [[Value<Fp>; 4]],
        /// Per level, the index bit.
        bits: &'a [Value<Fp>],
        /// The account index cell the bits must compose to.
        index: &'a GlCell,
    },
    /// Copies of an earlier walk's sibling and bit cells (the new leaf of an update).
    Copy(&'a MerkleWalk),
}

/// The Merkle instructions.
pub trait MerkleInstructions {
    /// `H_LEAF(bal, nonce)`: one permutation at the cursor, its lanes 0 and 1 copied from
    /// `bal` and `nonce`, the others fixed to the leaf domain.
    fn leaf(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        bal: &GlCell,
        nonce: &GlCell,
    ) -> Result<PermutationCells, PlonkError>;

    /// The leaf, then `depth` node levels at the cursor. `depth` must be at least 1.
    fn walk(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        bal: &GlCell,
        nonce: &GlCell,
        depth: usize,
        src: PathSource<'_>,
    ) -> Result<MerkleWalk, PlonkError>;
}

/// The Merkle walk chip, on top of the Poseidon chip.
#[derive(Clone, Debug)]
pub struct MerkleChip {
    config: MerkleConfig,
    pos: PoseidonChip,
}

impl MerkleChip {
    /// Create the "merkle node" and "merkle index" gates on `poseidon`'s columns.
    ///
    /// The selectors come from the caller: the statement circuit allocates them among its
    /// own, and the verifying key depends on that order.
    pub fn configure(
        meta: &mut ConstraintSystem<Fp>,
        poseidon: PoseidonConfig,
        q_node: Selector,
        q_acc: Selector,
    ) -> MerkleConfig {
        let (x, w, rc) = (poseidon.gl.x, poseidon.gl.w, poseidon.gl.rc);
        meta.create_gate("merkle node", |m| {
            let s = m.query_selector(q_node);
            let wq = |m: &mut halo2_proofs::plonk::VirtualCells<'_, Fp>, i: i32| {
                m.query_advice(w, Rotation(i))
            };
            let b = wq(m, 8);
            let one = Expression::Constant(Fp::one());
            let mut out = vec![s.clone() * b.clone() * (one - b.clone())];
            for j in 0..4 {
                let c = wq(m, j);
                let sib = wq(m, 4 + j);
                let l = m.query_advice(x, Rotation(j));
                let r = m.query_advice(x, Rotation(4 + j));
                out.push(s.clone() * (l - c.clone() - b.clone() * (sib.clone() - c.clone())));
                out.push(s.clone() * (r - sib.clone() - b.clone() * (c - sib)));
            }
            out
        });
        // The index accumulator, on row R+4 of a node permutation (fixed columns can only be
        // read at the current row): w[R+10] = w[R+9] + w[R+8]·2^level.
        meta.create_gate("merkle index", |m| {
            let s = m.query_selector(q_acc);
            let b = m.query_advice(w, Rotation(4));
            let acc_prev = m.query_advice(w, Rotation(5));
            let acc_new = m.query_advice(w, Rotation(6));
            let weight = m.query_fixed(rc);
            vec![s * (acc_new - acc_prev - b * weight)]
        });
        MerkleConfig {
            poseidon,
            q_node,
            q_acc,
        }
    }

    /// The chip for a configuration.
    pub fn construct(config: MerkleConfig) -> Self {
        let pos = PoseidonChip::construct(config.poseidon.clone());
        MerkleChip { config, pos }
    }

    /// The configuration.
    pub fn config(&self) -> &MerkleConfig {
        &self.config
    }

    /// The Poseidon chip underneath.
    pub fn poseidon(&self) -> &PoseidonChip {
        &self.pos
    }

    /// One walk (see [`MerkleInstructions::walk`]) in a region of its own; `then` adds
    /// copy constraints in that region after the walk.
    pub fn walk_region(
        &self,
        layouter: &mut impl Layouter<Fp>,
        name: &'static str,
        (bal, nonce): (&GlCell, &GlCell),
        depth: usize,
        src: PathSource<'_>,
        then: impl Fn(&mut Region<'_, Fp>, &MerkleWalk) -> Result<(), PlonkError>,
    ) -> Result<MerkleWalk, PlonkError> {
        layouter.assign_region(
            || name,
            |mut region| {
                let walk = self.walk(&mut RegionCtx::new(&mut region), bal, nonce, depth, src)?;
                then(&mut region, &walk)?;
                Ok(walk)
            },
        )
    }
}

impl MerkleInstructions for MerkleChip {
    fn leaf(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        bal: &GlCell,
        nonce: &GlCell,
    ) -> Result<PermutationCells, PlonkError> {
        let mut inputs = [Value::known(Fp::zero()); 12];
        inputs[0] = bal.value().copied();
        inputs[1] = nonce.value().copied();
        inputs[8] = Value::known(Fp::from(Tag::Leaf as u64));
        let perm = self.pos.permute(ctx, inputs)?;
        ctx.region
            .constrain_equal(perm.inputs[0].cell(), bal.cell())?;
        ctx.region
            .constrain_equal(perm.inputs[1].cell(), nonce.cell())?;
        self.pos.fix_inputs(
            ctx.region,
            &perm,
            2,
            &[0, 0, 0, 0, 0, 0, Tag::Leaf as u64, 0, 0, 0],
        )?;
        Ok(perm)
    }

    fn walk(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        bal: &GlCell,
        nonce: &GlCell,
        depth: usize,
        src: PathSource<'_>,
    ) -> Result<MerkleWalk, PlonkError> {
        let cfg = &self.config;
        let gl = &cfg.poseidon.gl;
        let leaf = self.leaf(ctx, bal, nonce)?;
        let mut cur = leaf.outputs;
        let mut cur_vals = leaf.output_values;
        let mut acc_prev: Option<GlCell> = None;
        let mut acc_val = Value::known(Fp::zero());
        let mut sib_cells = Vec::with_capacity(depth);
        let mut bit_cells = Vec::with_capacity(depth);
        for level in 0..depth {
            let (b, s) = match &src {
                PathSource::Witness { sibs, bits, .. } => (
                    bits.get(level).copied().unwrap_or(Value::unknown()),
                    sibs.get(level).copied().unwrap_or([Value::unknown(); 4]),
                ),
                PathSource::Copy(w) => (
                    w.bits
                        .get(level)
                        .map(|c| c.value().copied())
                        .unwrap_or(Value::unknown()),
                    core::array::from_fn(|j| {
                        w.sibs
                            .get(level)
                            .and_then(|v| v.get(j))
                            .map(|c| c.value().copied())
                            .unwrap_or(Value::unknown())
                    }),
                ),
            };
            let mut inputs = [Value::known(Fp::zero()); 12];
            for j in 0..4 {
                let c = cur_vals[j];
                let sj = s[j];
                inputs[j] = b.zip(c).zip(sj).map(|((b, c), s)| c + b * (s - c));
                inputs[4 + j] = b.zip(c).zip(sj).map(|((b, c), s)| s + b * (c - s));
            }
            inputs[8] = Value::known(Fp::from(Tag::Node as u64));
            let perm = self.pos.permute(ctx, inputs)?;
            let r = perm.row;
            cfg.q_node.enable(ctx.region, r)?;
            cfg.q_acc.enable(ctx.region, r + 4)?;
            self.pos
                .fix_inputs(ctx.region, &perm, 8, &[Tag::Node as u64, 0, 0, 0])?;
            let weight = Fp::from(1u64 << level);
            ctx.region
                .assign_fixed(|| "2^level", gl.rc, r + 4, || Value::known(weight))?;
            for (j, c) in cur.iter().enumerate() {
                c.copy_advice(|| "cur", ctx.region, gl.w, r + j)?;
            }
            let mut these_sibs = Vec::with_capacity(4);
            for (j, sv) in s.iter().enumerate() {
                let cell = match &src {
                    PathSource::Witness { .. } => {
                        ctx.region
                            .assign_advice(|| "sib", gl.w, r + 4 + j, || *sv)?
                    }
                    PathSource::Copy(w) => match w.sibs.get(level).and_then(|v| v.get(j)) {
                        Some(c) => c.copy_advice(|| "sib", ctx.region, gl.w, r + 4 + j)?,
                        None => return Err(PlonkError::Synthesis),
                    },
                };
                these_sibs.push(cell);
            }
            let bit_cell = match &src {
                PathSource::Witness { .. } => {
                    ctx.region.assign_advice(|| "bit", gl.w, r + 8, || b)?
                }
                PathSource::Copy(w) => match w.bits.get(level) {
                    Some(c) => c.copy_advice(|| "bit", ctx.region, gl.w, r + 8)?,
                    None => return Err(PlonkError::Synthesis),
                },
            };
            match &acc_prev {
                None => {
                    ctx.region.assign_advice(
                        || "acc0",
                        gl.w,
                        r + 9,
                        || Value::known(Fp::zero()),
                    )?;
                    // rc[r + 9] is lane 9's constant 0.
                    gl.q_fix_w.enable(ctx.region, r + 9)?;
                }
                Some(c) => {
                    c.copy_advice(|| "acc", ctx.region, gl.w, r + 9)?;
                }
            }
            acc_val = acc_val.zip(b).map(|(a, b)| a + b * weight);
            let acc_new = ctx
                .region
                .assign_advice(|| "acc'", gl.w, r + 10, || acc_val)?;
            acc_prev = Some(acc_new);
            sib_cells.push(these_sibs);
            bit_cells.push(bit_cell);
            cur = perm.outputs;
            cur_vals = perm.output_values;
        }
        if let (PathSource::Witness { index, .. }, Some(acc)) = (&src, &acc_prev) {
            ctx.region.constrain_equal(acc.cell(), index.cell())?;
        }
        if depth == 0 {
            return Err(PlonkError::Synthesis);
        }
        Ok(MerkleWalk {
            root: cur,
            sibs: sib_cells,
            bits: bit_cells,
        })
    }
}
