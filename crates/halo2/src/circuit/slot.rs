//! A slot's rule block: the transfer, the two accounts before and after, and the running
//! count, in `SLOT_ROWS` rows of column `w` (offsets in [`super::layout`]), with the
//! "slot rules" gate on its first row.

use halo2_proofs::circuit::{Region, Value};
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::{ConstraintSystem, Error as PlonkError, Expression, Selector};
use halo2_proofs::poly::Rotation;

use super::layout::*;
use super::witness::SlotVals;
use super::{SlotOut, StatementChips};
use crate::gadgets::goldilocks::{GlCell, GoldilocksConfig};

/// The cells of a slot's rule block that the Merkle walks, the next slot and the batch
/// hash use (each at the offset of the same name in [`super::layout`]).
pub(super) struct SlotBlock {
    /// The active bit (`S_A`).
    pub(super) a: GlCell,
    /// The sender index (`S_F`).
    pub(super) f: GlCell,
    /// The receiver index (`S_T`).
    pub(super) t: GlCell,
    /// The amount (`S_M`).
    pub(super) m: GlCell,
    /// The transfer's nonce (`S_N`).
    pub(super) n: GlCell,
    /// The sender's balance before (`S_BALS`).
    pub(super) bal_s: GlCell,
    /// The sender's nonce before (`S_NS`).
    pub(super) n_s: GlCell,
    /// The sender's nonce after (`S_NS1`).
    pub(super) n_s1: GlCell,
    /// The sender's balance after (`S_BALS1`).
    pub(super) bal_s1: GlCell,
    /// The receiver's balance before (`S_BALR`).
    pub(super) bal_r: GlCell,
    /// The receiver's nonce (`S_NR`).
    pub(super) n_r: GlCell,
    /// The receiver's balance after (`S_BALR1`).
    pub(super) bal_r1: GlCell,
    /// The count of active slots so far (`S_CNT`).
    pub(super) cnt: GlCell,
}

/// The "slot rules" gate, enabled by `q_slot` on a block's first row.
pub(super) fn configure_gate(
    meta: &mut ConstraintSystem<Fp>,
    gl: &GoldilocksConfig,
    q_slot: Selector,
) {
    let w = gl.w;
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
}

impl StatementChips<'_> {
    /// The slot's rule block (`SLOT_ROWS` rows of column `w`, the two balance rows
    /// range-checked), chained to the previous slot's active bit and count.
    pub(super) fn slot_block(
        &self,
        region: &mut Region<'_, Fp>,
        v: &SlotVals,
        prev: Option<&SlotOut>,
    ) -> Result<SlotBlock, PlonkError> {
        let glc = &self.cfg.merkle.poseidon.gl;
        self.cfg.q_slot.enable(region, 0)?;
        let asg = |region: &mut Region<'_, Fp>, off: usize, val: Value<Fp>| {
            region.assign_advice(|| "slot", glc.w, off, || val)
        };
        let a = asg(region, S_A, v.active)?;
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
                p.block.a.copy_advice(|| "a_prev", region, glc.w, S_APREV)?;
                p.block
                    .cnt
                    .copy_advice(|| "cnt_prev", region, glc.w, S_CNTPREV)?;
            }
        }
        let f = asg(region, S_F, v.from)?;
        let t = asg(region, S_T, v.to)?;
        let m = asg(region, S_M, v.amount)?;
        let n = asg(region, S_N, v.nonce)?;
        asg(region, S_INV, v.inv)?;
        let bal_s = asg(region, S_BALS, v.sender_balance)?;
        let n_s = asg(region, S_NS, v.sender_nonce)?;
        let n_s1 = asg(region, S_NS1, v.sender_nonce + v.active)?;
        let bal_s1 = self
            .gl
            .assign_range_row(region, S_BALS1, v.sender_balance - v.amount, 60)?;
        let bal_r = asg(region, S_BALR, v.receiver_balance)?;
        let n_r = asg(region, S_NR, v.receiver_nonce)?;
        let bal_r1 =
            self.gl
                .assign_range_row(region, S_BALR1, v.receiver_balance + v.amount, 60)?;
        let cnt_val = prev
            .map(|p| p.block.cnt.value().copied())
            .unwrap_or(Value::known(Fp::zero()))
            + v.active;
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
}
