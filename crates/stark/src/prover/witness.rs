//! The raw witness the trace builder consumes: a core witness flattened to integers, with
//! no validity checks, so that tests can break one rule at a time.

use alloc::vec::Vec;

use multiprover_core::{BatchWitness, Profile};

use crate::error::Error;

/// One slot of a [`RawWitness`]: everything the trace needs, with no validity checks (values
/// are reduced modulo p). Built from a `SlotWitness` by [`RawWitness::from_witness`], or by
/// hand in tests to violate one rule at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawSlot {
    /// 1 for a real transfer, 0 for a padding slot.
    pub active: bool,
    /// `[from, to, amount, nonce]`.
    pub transfer: [u64; 4],
    /// Sender `(balance, nonce)` before the slot.
    pub sender: (u64, u64),
    /// Sender path siblings, leaf level first (length D).
    pub sender_siblings: Vec<[u64; 4]>,
    /// Receiver `(balance, nonce)` before the receiver update.
    pub receiver: (u64, u64),
    /// Receiver path siblings after the sender update (length D).
    pub receiver_siblings: Vec<[u64; 4]>,
    /// Added to the receiver's new balance on top of the amount (0 unless a demo fault).
    pub receiver_extra: u64,
    /// Siblings for the sender's *new* leaf walk (lane B) when they should differ from the old
    /// walk's; `None` (always, for honest witnesses) means the same siblings. Soundness tests
    /// only: the AIR requires both walks to use the same siblings.
    pub sender_new_siblings: Option<Vec<[u64; 4]>>,
}

/// The raw witness the trace builder consumes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawWitness {
    /// The profile.
    pub profile: Profile,
    /// Chain id (header lane 0).
    pub chain_id: u64,
    /// Batch number (header lane 1).
    pub batch_number: u64,
    /// Declared transfer count (header lane 2).
    pub count: u64,
    /// The state root before the batch.
    pub pre_root: [u64; 4],
    /// One entry per slot (`capacity` in all).
    pub slots: Vec<RawSlot>,
}

impl RawWitness {
    /// The raw form of a core witness.
    pub fn from_witness(w: &BatchWitness) -> Result<RawWitness, Error> {
        let mut slots = Vec::with_capacity(w.slots.len());
        for s in &w.slots {
            let sib = |p: &multiprover_core::MerklePath| {
                p.siblings.iter().map(|d| d.to_u64s()).collect::<Vec<_>>()
            };
            slots.push(RawSlot {
                active: s.active,
                transfer: [
                    s.transfer.from as u64,
                    s.transfer.to as u64,
                    s.transfer.amount,
                    s.transfer.nonce as u64,
                ],
                sender: (s.sender.balance, s.sender.nonce),
                sender_siblings: sib(&s.sender_path),
                receiver: (s.receiver.balance, s.receiver.nonce),
                receiver_siblings: sib(&s.receiver_path),
                receiver_extra: 0,
                sender_new_siblings: None,
            });
        }
        Ok(RawWitness {
            profile: w.profile,
            chain_id: w.statement.chain_id,
            batch_number: w.statement.batch_number,
            count: w.count as u64,
            pre_root: w.statement.pre_root.to_u64s(),
            slots,
        })
    }
}
