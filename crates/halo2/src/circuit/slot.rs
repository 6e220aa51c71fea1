//! A segment's rule block: the transfer and the two accounts before and after, in
//! `SLOT_ROWS` rows of column `w` (offsets in [`super::layout`]), with the "slot rules" gate
//! on its first row. Every segment proves one real transfer: padding slots have no segment
//! (the verifier folds them natively, see `crate::segment`).

use halo2_proofs::circuit::{Region, Value};
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::{ConstraintSystem, Error as PlonkError, Expression, Selector};
use halo2_proofs::poly::Rotation;

use super::layout::*;
use super::witness::SlotVals;
use super::StatementChips;
use crate::gadgets::goldilocks::{GlCell, GoldilocksConfig};

/// The cells of a rule block that the Merkle walks and the batch-hash step use (each at the
/// offset of the same name in [`super::layout`]).
pub(super) struct SlotBlock {
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
        vec![
            // from != to
            s.clone() * ((f - t) * inv - one.clone()),
            // the nonce matches the sender's
            s.clone() * (n_s.clone() - n),
            // effects
            s.clone() * (n_s1 - n_s - one),
            s.clone() * (bal_s1 - bal_s + amt.clone()),
            s * (bal_r1 - bal_r - amt),
        ]
    });
}

impl StatementChips<'_> {
    /// The rule block (`SLOT_ROWS` rows of column `w`; the amount and the four balances
    /// range-checked below 2^60 on their own rows).
    pub(super) fn slot_block(
        &self,
        region: &mut Region<'_, Fp>,
        v: &SlotVals,
    ) -> Result<SlotBlock, PlonkError> {
        let glc = &self.cfg.merkle.poseidon.gl;
        self.cfg.q_slot.enable(region, 0)?;
        let asg = |region: &mut Region<'_, Fp>, off: usize, val: Value<Fp>| {
            region.assign_advice(|| "slot", glc.w, off, || val)
        };
        let range60 = |region: &mut Region<'_, Fp>, off: usize, val: Value<Fp>| {
            self.gl.assign_range_row(region, off, val, 60)
        };
        let f = asg(region, S_F, v.from)?;
        let t = asg(region, S_T, v.to)?;
        let m = range60(region, S_M, v.amount)?;
        let n = asg(region, S_N, v.nonce)?;
        asg(region, S_INV, v.inv)?;
        let bal_s = range60(region, S_BALS, v.sender_balance)?;
        let n_s = asg(region, S_NS, v.sender_nonce)?;
        let n_s1 = asg(region, S_NS1, v.sender_nonce + Value::known(Fp::one()))?;
        let bal_s1 = range60(region, S_BALS1, v.sender_balance - v.amount)?;
        let bal_r = range60(region, S_BALR, v.receiver_balance)?;
        let n_r = asg(region, S_NR, v.receiver_nonce)?;
        let bal_r1 = range60(region, S_BALR1, v.receiver_balance + v.amount)?;
        Ok(SlotBlock {
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
        })
    }
}
