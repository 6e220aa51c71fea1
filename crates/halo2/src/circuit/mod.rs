//! The statement circuit: the Merkle updates, the STF rules, the batch hash and the 12 public
//! inputs, laid out on top of the Poseidon, Goldilocks and Merkle walk chips.
//!
//! * `layout`: the rows of a slot's rule block and the circuit's size per profile;
//! * `witness`: a slot's values read from the batch witness;
//! * `slot`: the rule block and its gate;
//! * `batch_hash`: the batch hash;
//! * this module: configuration and synthesis, which lays out per slot its rule block and
//!   four Merkle walks ([`crate::gadgets::merkle`]), then the batch hash and the public
//!   inputs.

use halo2_proofs::circuit::{Layouter, Region, SimpleFloorPlanner};
use halo2_proofs::pasta::Fp;
use halo2_proofs::plonk::{
    Circuit, Column, ConstraintSystem, Error as PlonkError, Instance, Selector,
};
use multiprover_core::{BatchWitness, Profile};

use crate::gadgets::goldilocks::{GlCell, GoldilocksChip};
use crate::gadgets::merkle::{MerkleChip, MerkleConfig, MerkleWalk, PathSource};
use crate::gadgets::poseidon::PoseidonChip;

mod batch_hash;
mod layout;
mod slot;
mod witness;

pub use layout::{k_for, rows_used, MIN_K, SLOT_ROWS};

use slot::SlotBlock;
use witness::SlotVals;

/// Configuration of the statement circuit.
#[derive(Clone, Debug)]
pub struct StatementConfig {
    /// The Merkle walk chip's configuration (and the Poseidon and Goldilocks ones inside it).
    pub merkle: MerkleConfig,
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

/// One slot once laid out: its rule block and the roots its walks open and close.
struct SlotOut {
    /// The rule block's cells (the next slot reads the active bit and the count, the batch
    /// hash the transfer and the count).
    block: SlotBlock,
    /// The root the sender's old leaf opens (the slot's root before).
    root_before: Vec<GlCell>,
    /// The root the receiver's new leaf closes (the slot's root after).
    root_after: Vec<GlCell>,
}

/// Copy constraints between two equally long runs of cells.
fn equal_cells(region: &mut Region<'_, Fp>, a: &[GlCell], b: &[GlCell]) -> Result<(), PlonkError> {
    for (x, y) in a.iter().zip(b.iter()) {
        region.constrain_equal(x.cell(), y.cell())?;
    }
    Ok(())
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
                |mut region| chips.slot_block(&mut region, &v, prev),
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
            // The slot starts from the root the previous slot left.
            let r_new = chips.merkle.walk_region(
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
            slots.push(SlotOut {
                block: h,
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
            |mut region| chips.batch_hash(&mut region, wit, cap, &slots),
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
