//! A segment's step of the batch hash: `acc_after = H_TX(acc_before, from, to, amount,
//! nonce)`, with `acc_before` and `acc_after` public.

use halo2_proofs::circuit::{Region, Value};
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::Error as PlonkError;
use multiprover_core::hash::Tag;

use super::slot::SlotBlock;
use super::{fe, StatementChips};
use crate::gadgets::goldilocks::{GlCell, RegionCtx};
use crate::gadgets::poseidon::PoseidonInstructions;

impl StatementChips<'_> {
    /// `H_TX(acc_before ‖ f, t, m, n)`: returns the accumulator's input cells (lanes 0..3,
    /// made public by the caller) and the output cells.
    pub(super) fn tx_step(
        &self,
        region: &mut Region<'_, Fp>,
        acc_before: [Value<Fp>; 4],
        s: &SlotBlock,
    ) -> Result<(Vec<GlCell>, Vec<GlCell>), PlonkError> {
        let pos = self.merkle.poseidon();
        let mut ctx = RegionCtx::new(region);
        let mut inputs = [Value::known(Fp::zero()); 12];
        inputs[..4].copy_from_slice(&acc_before);
        for (j, c) in [&s.f, &s.t, &s.m, &s.n].iter().enumerate() {
            inputs[4 + j] = c.value().copied();
        }
        inputs[8] = Value::known(fe(Tag::Tx as u64));
        let perm = pos.permute(&mut ctx, inputs)?;
        for (j, c) in [&s.f, &s.t, &s.m, &s.n].iter().enumerate() {
            ctx.region
                .constrain_equal(perm.inputs[4 + j].cell(), c.cell())?;
        }
        pos.fix_inputs(ctx.region, &perm, 8, &[Tag::Tx as u64, 0, 0, 0])?;
        Ok((perm.inputs[..4].to_vec(), perm.outputs))
    }
}
