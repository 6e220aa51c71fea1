//! The batch hash: `H_BATCH(chain_id, batch_number, count, capacity)`, then one `H_TX` per
//! slot over the accumulator and the slot's transfer.

use halo2_proofs::circuit::{Region, Value};
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::Error as PlonkError;
use multiprover_core::hash::Tag;
use multiprover_core::BatchWitness;

use super::{fe, SlotOut, StatementChips};
use crate::gadgets::goldilocks::{GlCell, RegionCtx};
use crate::gadgets::poseidon::PoseidonInstructions;

impl StatementChips<'_> {
    /// The batch hash: `H_BATCH` of the header, then `H_TX` of the accumulator and each
    /// slot's transfer; returns the final accumulator.
    pub(super) fn batch_hash(
        &self,
        region: &mut Region<'_, Fp>,
        wit: Option<&BatchWitness>,
        cap: usize,
        slots: &[SlotOut],
    ) -> Result<Vec<GlCell>, PlonkError> {
        let pos = self.merkle.poseidon();
        let last = &slots.last().ok_or(PlonkError::Synthesis)?.block;
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
        let header = pos.permute(&mut ctx, inputs)?;
        ctx.region
            .constrain_equal(header.inputs[2].cell(), last.cnt.cell())?;
        pos.fix_inputs(
            ctx.region,
            &header,
            3,
            &[cap as u64, 0, 0, 0, 0, Tag::Batch as u64, 0, 0, 0],
        )?;
        let mut acc = header.outputs;
        let mut acc_vals = header.output_values;
        for s in slots.iter().map(|s| &s.block) {
            let mut inputs = [Value::known(Fp::zero()); 12];
            inputs[..4].copy_from_slice(&acc_vals);
            for (j, c) in [&s.f, &s.t, &s.m, &s.n].iter().enumerate() {
                inputs[4 + j] = c.value().copied();
            }
            inputs[8] = Value::known(fe(Tag::Tx as u64));
            let perm = pos.permute(&mut ctx, inputs)?;
            for (j, c) in acc.iter().chain([&s.f, &s.t, &s.m, &s.n]).enumerate() {
                ctx.region
                    .constrain_equal(perm.inputs[j].cell(), c.cell())?;
            }
            pos.fix_inputs(ctx.region, &perm, 8, &[Tag::Tx as u64, 0, 0, 0])?;
            acc = perm.outputs;
            acc_vals = perm.output_values;
        }
        Ok(acc)
    }
}
