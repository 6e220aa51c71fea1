//! The segment circuit: one transfer of a batch (its slot's rule block, its four Merkle
//! walks and its step of the batch hash), with the public inputs of
//! [`crate::segment::SegmentPublic`], laid out on top of the Poseidon, Goldilocks and Merkle
//! walk chips.
//!
//! * `layout`: the rows of the rule block and the circuit's size per profile;
//! * `witness`: the slot's values read from its witness;
//! * `slot`: the rule block and its gate;
//! * `batch_hash`: the segment's `H_TX` step;
//! * this module: configuration and synthesis (rule block, four walks, `H_TX`, public
//!   inputs).

use halo2_proofs::circuit::{Layouter, Region, SimpleFloorPlanner, Value};
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::{
    Circuit, Column, ConstraintSystem, Error as PlonkError, Instance, Selector,
};
use multiprover_core::{Digest, Profile, SlotWitness};

use crate::gadgets::goldilocks::{GlCell, GoldilocksChip};
use crate::gadgets::merkle::{MerkleChip, MerkleConfig, MerkleWalk, PathSource};
use crate::gadgets::poseidon::PoseidonChip;
use crate::segment::{INST_ACC_AFTER, INST_ACC_BEFORE, INST_ROOT_AFTER, INST_ROOT_BEFORE};

mod batch_hash;
mod layout;
mod slot;
mod witness;

pub use layout::{k_for, rows_used, MIN_K, SLOT_ROWS};

use witness::SlotVals;

/// Configuration of the segment circuit.
#[derive(Clone, Debug)]
pub struct StatementConfig {
    /// The Merkle walk chip's configuration (and the Poseidon and Goldilocks ones inside it).
    pub merkle: MerkleConfig,
    /// The transfer rules of the segment's slot.
    pub q_slot: Selector,
    /// The public inputs ([`crate::segment::INSTANCE_LEN`] rows).
    pub instance: Column<Instance>,
}

/// What the prover knows about one segment: its slot (an active one) and the batch-hash
/// accumulator before it.
#[derive(Clone, Debug)]
pub struct SegmentWitness {
    /// The slot's witness (transfer, accounts, paths).
    pub slot: SlotWitness,
    /// The batch-hash accumulator before the slot.
    pub acc_before: Digest,
}

/// The segment circuit for one profile; `witness` is `None` for key generation. Every
/// segment of every batch of a profile has this one shape (the slot index is only a public
/// input), so one verifying key serves them all.
#[derive(Clone, Debug)]
pub struct SegmentCircuit {
    /// The profile (fixes the shape).
    pub profile: Profile,
    /// The segment's witness (checked for shape by the prover before synthesis).
    pub witness: Option<SegmentWitness>,
}

impl SegmentCircuit {
    /// A circuit without witness, for key generation.
    pub fn shape(profile: Profile) -> Self {
        SegmentCircuit {
            profile,
            witness: None,
        }
    }
}

/// A native element.
fn fe(v: u64) -> Fp {
    Fp::from(v)
}

/// The chips that synthesis lays out with, and the configuration they came from.
struct StatementChips<'c> {
    cfg: &'c StatementConfig,
    merkle: MerkleChip,
    gl: GoldilocksChip,
}

/// Copy constraints between two equally long runs of cells.
fn equal_cells(region: &mut Region<'_, Fp>, a: &[GlCell], b: &[GlCell]) -> Result<(), PlonkError> {
    for (x, y) in a.iter().zip(b.iter()) {
        region.constrain_equal(x.cell(), y.cell())?;
    }
    Ok(())
}

impl Circuit<Fp> for SegmentCircuit {
    type Config = StatementConfig;
    type FloorPlanner = SimpleFloorPlanner;

    fn without_witnesses(&self) -> Self {
        SegmentCircuit::shape(self.profile)
    }

    fn configure(meta: &mut ConstraintSystem<Fp>) -> StatementConfig {
        let gl = GoldilocksChip::configure(meta);
        let poseidon = PoseidonChip::configure(meta, gl.clone());
        let instance = meta.instance_column();
        meta.enable_equality(instance);
        // The order of these selectors and of the gates below is part of the verifying key.
        let q_node = meta.selector();
        let q_slot = meta.selector();
        let q_acc = meta.selector();
        let merkle = MerkleChip::configure(meta, poseidon, q_node, q_acc);
        slot::configure_gate(meta, &gl, q_slot);
        StatementConfig {
            merkle,
            q_slot,
            instance,
        }
    }

    fn synthesize(
        &self,
        config: StatementConfig,
        mut layouter: impl Layouter<Fp>,
    ) -> Result<(), PlonkError> {
        let merkle = MerkleChip::construct(config.merkle.clone());
        let gl = merkle.poseidon().gl().clone();
        gl.load_table(&mut layouter)?;
        let chips = StatementChips {
            cfg: &config,
            merkle,
            gl,
        };
        let depth = self.profile.depth as usize;
        let wit = self.witness.as_ref();
        // One region for the rule block, one per Merkle walk and one for the `H_TX` step.
        // Every region uses column `w` or `x`, so SimpleFloorPlanner stacks each one right
        // after the one before. Small regions keep MockProver's check that every queried
        // cell was assigned (a linear search per region) from going quadratic.
        let v = SlotVals::new(wit.map(|w| &w.slot), depth);
        let h = layouter.assign_region(
            || "slot rules",
            |mut region| chips.slot_block(&mut region, &v),
        )?;
        let none = |_: &mut Region<'_, Fp>, _: &MerkleWalk| Ok(());
        let s_old = chips.merkle.walk_region(
            &mut layouter,
            "sender, old leaf",
            (&h.bal_s, &h.n_s),
            depth,
            PathSource::Witness {
                sibs: &v.sender_sibs,
                bits: &v.from_bits,
                index: &h.f,
            },
            none,
        )?;
        let s_new = chips.merkle.walk_region(
            &mut layouter,
            "sender, new leaf",
            (&h.bal_s1, &h.n_s1),
            depth,
            PathSource::Copy(&s_old),
            none,
        )?;
        // The receiver's old leaf opens the root the sender's update left.
        let r_old = chips.merkle.walk_region(
            &mut layouter,
            "receiver, old leaf",
            (&h.bal_r, &h.n_r),
            depth,
            PathSource::Witness {
                sibs: &v.receiver_sibs,
                bits: &v.to_bits,
                index: &h.t,
            },
            |region, r_old| equal_cells(region, &s_new.root, &r_old.root),
        )?;
        let r_new = chips.merkle.walk_region(
            &mut layouter,
            "receiver, new leaf",
            (&h.bal_r1, &h.n_r),
            depth,
            PathSource::Copy(&r_old),
            none,
        )?;
        let acc_before: [Value<Fp>; 4] = core::array::from_fn(|j| match wit {
            Some(w) => Value::known(fe(w.acc_before.0[j].as_u64())),
            None => Value::unknown(),
        });
        let (acc_in, acc_out) = layouter.assign_region(
            || "batch hash step",
            |mut region| chips.tx_step(&mut region, acc_before, &h),
        )?;
        for (cells, at) in [
            (&s_old.root, INST_ROOT_BEFORE),
            (&r_new.root, INST_ROOT_AFTER),
            (&acc_in, INST_ACC_BEFORE),
            (&acc_out, INST_ACC_AFTER),
        ] {
            for (j, c) in cells.iter().enumerate() {
                layouter.constrain_instance(c.cell(), config.instance, at + j)?;
            }
        }
        Ok(())
    }
}
