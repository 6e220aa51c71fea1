//! The statement circuit: the Merkle updates, the STF rules, the batch hash and the 12 public
//! inputs, laid out on top of the Poseidon and Goldilocks chips.

use halo2_proofs::circuit::{Layouter, Region, SimpleFloorPlanner, Value};
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::{
    Circuit, Column, ConstraintSystem, Error as PlonkError, Expression, Instance, Selector,
};
use halo2_proofs::poly::Rotation;
use multiprover_core::hash::Tag;
use multiprover_core::{BatchWitness, Profile};

use crate::gadgets::goldilocks::{GlCell, GoldilocksChip, RegionCtx};
use crate::gadgets::poseidon::{
    PermutationCells, PoseidonChip, PoseidonConfig, PoseidonInstructions, PERM_ROWS,
};

/// Rows of one slot's rule block.
pub const SLOT_ROWS: usize = 16;
/// Smallest `k`: the 16-bit lookup table needs 2^16 usable rows.
pub const MIN_K: u32 = 17;
/// Rows kept free at the end of the domain for blinding (halo2 reserves max queries + 3).
const BLINDING_MARGIN: usize = 32;

// Offsets inside the slot block (column `w`).
const S_A: usize = 0;
const S_APREV: usize = 1;
const S_F: usize = 2;
const S_T: usize = 3;
const S_M: usize = 4;
const S_N: usize = 5;
const S_INV: usize = 6;
const S_BALS: usize = 7;
const S_NS: usize = 8;
const S_NS1: usize = 9;
const S_BALS1: usize = 10;
const S_BALR: usize = 11;
const S_NR: usize = 12;
const S_BALR1: usize = 13;
const S_CNTPREV: usize = 14;
const S_CNT: usize = 15;
// A slot's region is as tall as its last assigned row, and the regions stack back to back:
// the block's last offset must be its last row, or every later row (and the key) would move.
const _: () = assert!(S_CNT == SLOT_ROWS - 1);

/// Rows the circuit uses for a profile.
pub fn rows_used(profile: Profile) -> usize {
    let d = profile.depth as usize;
    let t = profile.capacity as usize;
    t * (SLOT_ROWS + 4 * (d + 1) * PERM_ROWS) + (t + 1) * PERM_ROWS
}

/// The `k` (domain 2^k) for a profile.
pub fn k_for(profile: Profile) -> u32 {
    let need = rows_used(profile) + BLINDING_MARGIN;
    let mut k = MIN_K;
    while (1usize << k) < need {
        k += 1;
    }
    k
}

/// Configuration of the statement circuit.
#[derive(Clone, Debug)]
pub struct StatementConfig {
    /// The Poseidon chip's configuration (and the Goldilocks one inside it).
    pub poseidon: PoseidonConfig,
    /// Merkle node step (conditional swap, bit, index accumulator) on a permutation's
    /// input block.
    pub q_node: Selector,
    /// Merkle index accumulator step (on row 4 of a node permutation).
    pub q_acc: Selector,
    /// The transfer rules of one slot.
    pub q_slot: Selector,
    /// The 12 public inputs.
    pub instance: Column<Instance>,
}

/// The statement circuit for one profile; `witness` is `None` for key generation.
#[derive(Clone, Debug)]
pub struct StatementCircuit {
    /// The profile (fixes the shape).
    pub profile: Profile,
    /// The batch witness (checked for shape by the prover before synthesis).
    pub witness: Option<BatchWitness>,
}

impl StatementCircuit {
    /// A circuit without witness, for key generation.
    pub fn shape(profile: Profile) -> Self {
        StatementCircuit {
            profile,
            witness: None,
        }
    }
}

fn fe(v: u64) -> Fp {
    Fp::from(v)
}

struct SlotVals {
    a: Value<Fp>,
    f: Value<Fp>,
    t: Value<Fp>,
    m: Value<Fp>,
    n: Value<Fp>,
    inv: Value<Fp>,
    bal_s: Value<Fp>,
    n_s: Value<Fp>,
    bal_r: Value<Fp>,
    n_r: Value<Fp>,
    f_bits: Vec<Value<Fp>>,
    t_bits: Vec<Value<Fp>>,
    s_sibs: Vec<[Value<Fp>; 4]>,
    r_sibs: Vec<[Value<Fp>; 4]>,
}

impl SlotVals {
    fn new(w: Option<&BatchWitness>, slot: usize, depth: usize) -> SlotVals {
        let s = w.and_then(|w| w.slots.get(slot));
        let v = |f: &dyn Fn(&multiprover_core::SlotWitness) -> Fp| match s {
            Some(s) => Value::known(f(s)),
            None => Value::unknown(),
        };
        let bits = |idx: &dyn Fn(&multiprover_core::SlotWitness) -> u32| {
            (0..depth)
                .map(|i| v(&|s| fe(((idx(s) as u64) >> i) & 1)))
                .collect::<Vec<_>>()
        };
        let sibs =
            |path: &dyn Fn(&multiprover_core::SlotWitness) -> &multiprover_core::MerklePath| {
                (0..depth)
                    .map(|i| {
                        core::array::from_fn(|j| {
                            v(&|s| {
                                path(s)
                                    .siblings
                                    .get(i)
                                    .map(|d| fe(d.0[j].as_u64()))
                                    .unwrap_or(Fp::zero())
                            })
                        })
                    })
                    .collect::<Vec<_>>()
            };
        SlotVals {
            a: v(&|s| fe(s.active as u64)),
            f: v(&|s| fe(s.transfer.from as u64)),
            t: v(&|s| fe(s.transfer.to as u64)),
            m: v(&|s| fe(s.transfer.amount)),
            n: v(&|s| fe(s.transfer.nonce as u64)),
            inv: v(&|s| {
                let d = fe(s.transfer.from as u64) - fe(s.transfer.to as u64);
                Option::<Fp>::from(halo2_proofs::pasta::group::ff::Field::invert(&d))
                    .unwrap_or(Fp::zero())
            }),
            bal_s: v(&|s| fe(s.sender.balance)),
            n_s: v(&|s| fe(s.sender.nonce)),
            bal_r: v(&|s| fe(s.receiver.balance)),
            n_r: v(&|s| fe(s.receiver.nonce)),
            f_bits: bits(&|s| s.transfer.from),
            t_bits: bits(&|s| s.transfer.to),
            s_sibs: sibs(&|s| &s.sender_path),
            r_sibs: sibs(&|s| &s.receiver_path),
        }
    }
}

/// What one Merkle walk leaves for the next.
struct Walk {
    root: Vec<GlCell>,
    root_vals: [Value<Fp>; 4],
    sibs: Vec<Vec<GlCell>>,
    bits: Vec<GlCell>,
}

/// Siblings and bits: fresh witnesses (old walk) or cells to copy (new walk).
#[derive(Clone, Copy)]
enum PathSource<'a> {
    Witness {
        sibs: &'a [[Value<Fp>; 4]],
        bits: &'a [Value<Fp>],
        index: &'a GlCell,
    },
    Copy(&'a Walk),
}

struct Layout<'c> {
    cfg: &'c StatementConfig,
    pos: PoseidonChip,
    gl: GoldilocksChip,
}

impl Layout<'_> {
    fn fix_lanes(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        perm: &PermutationCells,
        from: usize,
        vals: &[u64],
    ) -> Result<(), PlonkError> {
        for (i, v) in vals.iter().enumerate() {
            self.gl.fix_x(ctx.region, perm.row + from + i, fe(*v))?;
        }
        Ok(())
    }

    fn leaf(
        &self,
        ctx: &mut RegionCtx<'_, '_>,
        bal: &GlCell,
        nonce: &GlCell,
    ) -> Result<PermutationCells, PlonkError> {
        let mut inputs = [Value::known(Fp::zero()); 12];
        inputs[0] = bal.value().copied();
        inputs[1] = nonce.value().copied();
        inputs[8] = Value::known(fe(Tag::Leaf as u64));
        let perm = self.pos.permute(ctx, inputs)?;
        ctx.region
            .constrain_equal(perm.inputs[0].cell(), bal.cell())?;
        ctx.region
            .constrain_equal(perm.inputs[1].cell(), nonce.cell())?;
        self.fix_lanes(
            ctx,
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
    ) -> Result<Walk, PlonkError> {
        let cfg = self.cfg;
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
            inputs[8] = Value::known(fe(Tag::Node as u64));
            let perm = self.pos.permute(ctx, inputs)?;
            let r = perm.row;
            cfg.q_node.enable(ctx.region, r)?;
            cfg.q_acc.enable(ctx.region, r + 4)?;
            self.fix_lanes(ctx, &perm, 8, &[Tag::Node as u64, 0, 0, 0])?;
            let weight = fe(1u64 << level);
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
        Ok(Walk {
            root: cur,
            root_vals: cur_vals,
            sibs: sib_cells,
            bits: bit_cells,
        })
    }

    /// One Merkle walk (see [`Layout::walk`]) in a region of its own; `then` adds copy
    /// constraints in that region after the walk.
    fn walk_region(
        &self,
        layouter: &mut impl Layouter<Fp>,
        name: &'static str,
        (bal, nonce): (&GlCell, &GlCell),
        depth: usize,
        src: PathSource<'_>,
        then: impl Fn(&mut Region<'_, Fp>, &Walk) -> Result<(), PlonkError>,
    ) -> Result<Walk, PlonkError> {
        layouter.assign_region(
            || name,
            |mut region| {
                let walk = self.walk(&mut RegionCtx::new(&mut region), bal, nonce, depth, src)?;
                then(&mut region, &walk)?;
                Ok(walk)
            },
        )
    }

    /// The slot's rule block (`SLOT_ROWS` rows of column `w`, the two balance rows
    /// range-checked), chained to the previous slot's active bit and count.
    fn slot_block(
        &self,
        region: &mut Region<'_, Fp>,
        v: &SlotVals,
        prev: Option<&SlotOut>,
    ) -> Result<SlotBlock, PlonkError> {
        let glc = &self.cfg.poseidon.gl;
        self.cfg.q_slot.enable(region, 0)?;
        let asg = |region: &mut Region<'_, Fp>, off: usize, val: Value<Fp>| {
            region.assign_advice(|| "slot", glc.w, off, || val)
        };
        let a = asg(region, S_A, v.a)?;
        match prev {
            None => {
                asg(region, S_APREV, Value::known(Fp::one()))?;
                region.assign_fixed(|| "1", glc.rc, S_APREV, || Value::known(Fp::one()))?;
                glc.q_fix_w.enable(region, S_APREV)?;
                asg(region, S_CNTPREV, Value::known(Fp::zero()))?;
                region.assign_fixed(|| "0", glc.rc, S_CNTPREV, || Value::known(Fp::zero()))?;
                glc.q_fix_w.enable(region, S_CNTPREV)?;
            }
            Some(p) => {
                p.a.copy_advice(|| "a_prev", region, glc.w, S_APREV)?;
                p.cnt.copy_advice(|| "cnt_prev", region, glc.w, S_CNTPREV)?;
            }
        }
        let f = asg(region, S_F, v.f)?;
        let t = asg(region, S_T, v.t)?;
        let m = asg(region, S_M, v.m)?;
        let n = asg(region, S_N, v.n)?;
        asg(region, S_INV, v.inv)?;
        let bal_s = asg(region, S_BALS, v.bal_s)?;
        let n_s = asg(region, S_NS, v.n_s)?;
        let n_s1 = asg(region, S_NS1, v.n_s + v.a)?;
        let bal_s1 = self
            .gl
            .assign_range_row(region, S_BALS1, v.bal_s - v.m, 60)?;
        let bal_r = asg(region, S_BALR, v.bal_r)?;
        let n_r = asg(region, S_NR, v.n_r)?;
        let bal_r1 = self
            .gl
            .assign_range_row(region, S_BALR1, v.bal_r + v.m, 60)?;
        let cnt_val = prev
            .map(|p| p.cnt.value().copied())
            .unwrap_or(Value::known(Fp::zero()))
            + v.a;
        let cnt = asg(region, S_CNT, cnt_val)?;
        Ok(SlotBlock {
            a,
            f,
            t,
            m,
            n,
            bal_s,
            n_s,
            n_s1,
            bal_s1,
            bal_r,
            n_r,
            bal_r1,
            cnt,
        })
    }

    /// The batch hash: `H_BATCH` of the header, then `H_TX` of the accumulator and each
    /// slot's transfer; returns the final accumulator.
    fn batch_hash(
        &self,
        region: &mut Region<'_, Fp>,
        wit: Option<&BatchWitness>,
        cap: usize,
        slots: &[SlotOut],
    ) -> Result<Vec<GlCell>, PlonkError> {
        let last = slots.last().ok_or(PlonkError::Synthesis)?;
        let mut ctx = RegionCtx::new(region);
        let mut inputs = [Value::known(Fp::zero()); 12];
        inputs[0] = match wit {
            Some(w) => Value::known(fe(w.statement.chain_id)),
            None => Value::unknown(),
        };
        inputs[1] = match wit {
            Some(w) => Value::known(fe(w.statement.batch_number)),
            None => Value::unknown(),
        };
        inputs[2] = last.cnt.value().copied();
        inputs[3] = Value::known(fe(cap as u64));
        inputs[8] = Value::known(fe(Tag::Batch as u64));
        let header = self.pos.permute(&mut ctx, inputs)?;
        ctx.region
            .constrain_equal(header.inputs[2].cell(), last.cnt.cell())?;
        self.fix_lanes(
            &mut ctx,
            &header,
            3,
            &[cap as u64, 0, 0, 0, 0, Tag::Batch as u64, 0, 0, 0],
        )?;
        let mut acc = header.outputs;
        let mut acc_vals = header.output_values;
        for s in slots {
            let mut inputs = [Value::known(Fp::zero()); 12];
            inputs[..4].copy_from_slice(&acc_vals);
            for (j, c) in [&s.f, &s.t, &s.m, &s.n].iter().enumerate() {
                inputs[4 + j] = c.value().copied();
            }
            inputs[8] = Value::known(fe(Tag::Tx as u64));
            let perm = self.pos.permute(&mut ctx, inputs)?;
            for (j, c) in acc.iter().chain([&s.f, &s.t, &s.m, &s.n]).enumerate() {
                ctx.region
                    .constrain_equal(perm.inputs[j].cell(), c.cell())?;
            }
            self.fix_lanes(&mut ctx, &perm, 8, &[Tag::Tx as u64, 0, 0, 0])?;
            acc = perm.outputs;
            acc_vals = perm.output_values;
        }
        Ok(acc)
    }
}

/// The cells of a slot's rule block that the walks, the next slot and the batch hash use.
struct SlotBlock {
    a: GlCell,
    f: GlCell,
    t: GlCell,
    m: GlCell,
    n: GlCell,
    bal_s: GlCell,
    n_s: GlCell,
    n_s1: GlCell,
    bal_s1: GlCell,
    bal_r: GlCell,
    n_r: GlCell,
    bal_r1: GlCell,
    cnt: GlCell,
}

/// Copy constraints between two equally long runs of cells.
fn equal_cells(region: &mut Region<'_, Fp>, a: &[GlCell], b: &[GlCell]) -> Result<(), PlonkError> {
    for (x, y) in a.iter().zip(b.iter()) {
        region.constrain_equal(x.cell(), y.cell())?;
    }
    Ok(())
}

/// Cells of one laid-out slot that the next slot and the batch hash need.
struct SlotOut {
    a: GlCell,
    cnt: GlCell,
    f: GlCell,
    t: GlCell,
    m: GlCell,
    n: GlCell,
    root_before: Vec<GlCell>,
    root_after: Vec<GlCell>,
}

impl Circuit<Fp> for StatementCircuit {
    type Config = StatementConfig;
    type FloorPlanner = SimpleFloorPlanner;

    fn without_witnesses(&self) -> Self {
        StatementCircuit::shape(self.profile)
    }

    fn configure(meta: &mut ConstraintSystem<Fp>) -> StatementConfig {
        let gl = GoldilocksChip::configure(meta);
        let poseidon = PoseidonChip::configure(meta, gl.clone());
        let instance = meta.instance_column();
        meta.enable_equality(instance);
        let q_node = meta.selector();
        let q_slot = meta.selector();
        let q_acc = meta.selector();
        let (x, w, rc) = (gl.x, gl.w, gl.rc);
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
        meta.create_gate("slot rules", |m| {
            let s = m.query_selector(q_slot);
            let q = |m: &mut halo2_proofs::plonk::VirtualCells<'_, Fp>, i: usize| {
                m.query_advice(w, Rotation(i as i32))
            };
            let one = Expression::Constant(Fp::one());
            let a = q(m, S_A);
            let na = one.clone() - a.clone();
            let a_prev = q(m, S_APREV);
            let f = q(m, S_F);
            let t = q(m, S_T);
            let amt = q(m, S_M);
            let n = q(m, S_N);
            let inv = q(m, S_INV);
            let bal_s = q(m, S_BALS);
            let n_s = q(m, S_NS);
            let n_s1 = q(m, S_NS1);
            let bal_s1 = q(m, S_BALS1);
            let bal_r = q(m, S_BALR);
            let bal_r1 = q(m, S_BALR1);
            let cnt_prev = q(m, S_CNTPREV);
            let cnt = q(m, S_CNT);
            vec![
                // active is a bit, and active slots come first
                s.clone() * a.clone() * na.clone(),
                s.clone() * a.clone() * (one - a_prev),
                // padding slots are all zero
                s.clone() * na.clone() * f.clone(),
                s.clone() * na.clone() * t.clone(),
                s.clone() * na.clone() * amt.clone(),
                s.clone() * na * n.clone(),
                // from != to for an active slot
                s.clone() * ((f - t) * inv - a.clone()),
                // the nonce matches the sender's
                s.clone() * a.clone() * (n_s.clone() - n),
                // effects (a padding slot changes nothing: amount 0, nonce + 0)
                s.clone() * (n_s1 - n_s - a.clone()),
                s.clone() * (bal_s1 - bal_s + amt.clone()),
                s.clone() * (bal_r1 - bal_r - amt),
                // count
                s * (cnt - cnt_prev - a),
            ]
        });
        StatementConfig {
            poseidon,
            q_node,
            q_acc,
            q_slot,
            instance,
        }
    }

    fn synthesize(
        &self,
        config: StatementConfig,
        mut layouter: impl Layouter<Fp>,
    ) -> Result<(), PlonkError> {
        let pos = PoseidonChip::construct(config.poseidon.clone());
        let gl = pos.gl().clone();
        gl.load_table(&mut layouter)?;
        let lay = Layout {
            cfg: &config,
            pos,
            gl,
        };
        let depth = self.profile.depth as usize;
        let cap = self.profile.capacity as usize;
        let wit = self.witness.as_ref();
        // One region per slot block, per Merkle walk and for the batch hash. Every region
        // uses column `w`, so SimpleFloorPlanner stacks each one right after the one before:
        // the rows, and the order of every copy constraint, are those of a single region
        // (the verifying key does not change). Small regions keep MockProver's check that
        // every queried cell was assigned (a linear search per region) from going quadratic.
        let mut slots: Vec<SlotOut> = Vec::with_capacity(cap);
        for slot in 0..cap {
            let v = SlotVals::new(wit, slot, depth);
            let prev = slots.last();
            let h = layouter.assign_region(
                || "slot rules",
                |mut region| lay.slot_block(&mut region, &v, prev),
            )?;
            let none = |_: &mut Region<'_, Fp>, _: &Walk| Ok(());
            let s_old = lay.walk_region(
                &mut layouter,
                "sender, old leaf",
                (&h.bal_s, &h.n_s),
                depth,
                PathSource::Witness {
                    sibs: &v.s_sibs,
                    bits: &v.f_bits,
                    index: &h.f,
                },
                none,
            )?;
            let s_new = lay.walk_region(
                &mut layouter,
                "sender, new leaf",
                (&h.bal_s1, &h.n_s1),
                depth,
                PathSource::Copy(&s_old),
                none,
            )?;
            // The receiver's old leaf opens the root the sender's update left.
            let r_old = lay.walk_region(
                &mut layouter,
                "receiver, old leaf",
                (&h.bal_r, &h.n_r),
                depth,
                PathSource::Witness {
                    sibs: &v.r_sibs,
                    bits: &v.t_bits,
                    index: &h.t,
                },
                |region, r_old| equal_cells(region, &s_new.root, &r_old.root),
            )?;
            // The slot starts from the root the previous slot left.
            let r_new = lay.walk_region(
                &mut layouter,
                "receiver, new leaf",
                (&h.bal_r1, &h.n_r),
                depth,
                PathSource::Copy(&r_old),
                |region, _| match prev {
                    Some(p) => equal_cells(region, &p.root_after, &s_old.root),
                    None => Ok(()),
                },
            )?;
            let _ = (s_new.root_vals, r_new.root_vals);
            slots.push(SlotOut {
                a: h.a,
                cnt: h.cnt,
                f: h.f,
                t: h.t,
                m: h.m,
                n: h.n,
                root_before: s_old.root,
                root_after: r_new.root,
            });
        }
        let (first, last) = match (slots.first(), slots.last()) {
            (Some(f), Some(l)) => (f, l),
            _ => return Err(PlonkError::Synthesis),
        };
        let batch_hash = layouter.assign_region(
            || "batch hash",
            |mut region| lay.batch_hash(&mut region, wit, cap, &slots),
        )?;
        let publics = first
            .root_before
            .iter()
            .chain(last.root_after.iter())
            .chain(batch_hash.iter());
        for (i, c) in publics.enumerate() {
            layouter.constrain_instance(c.cell(), config.instance, i)?;
        }
        Ok(())
    }
}

/// The 12 public inputs of a statement as native elements.
pub fn public_inputs(statement: &multiprover_core::Statement) -> Vec<Fp> {
    statement
        .public_inputs_u64()
        .iter()
        .map(|v| fe(*v))
        .collect()
}
