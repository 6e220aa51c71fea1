//! Shared helpers: the fixture chain of docs/system-crates.md and a hand-built witness that
//! applies transfers *without* checking the rules, so that the circuit alone must refuse.
#![allow(dead_code)]

use multiprover_core::field::Fp;
use multiprover_core::hash::{hash_tagged, Tag};
use multiprover_core::stf::{Batch, BatchWitness};
use multiprover_core::{
    Account, Digest, Profile, SlotWitness, SparseMerkleTree, Statement, Transfer,
};

use multiprover_testkit::Scenario;
#[cfg_attr(not(feature = "prover"), allow(unused_imports))]
pub use multiprover_testkit::{transfer as t, CHAIN_ID};

pub fn genesis() -> SparseMerkleTree {
    Scenario::small().genesis_tree()
}

pub fn batch1() -> Batch {
    Scenario::small().batch(1).clone()
}

/// The fixture batch 1 applied to genesis by the reference STF.
pub fn honest_witness() -> (SparseMerkleTree, BatchWitness) {
    Scenario::small().state_and_witness(1)
}

/// Apply `slots` (one transfer per slot, `active` flag each) to `tree` without checking any
/// rule: the effects are computed in the field, indices are taken modulo `2^D`, a self-transfer
/// updates the same leaf twice. Inactive slots change nothing, whatever their transfer says.
/// `count` goes into the batch header as given.
pub fn apply_unchecked(
    tree: &mut SparseMerkleTree,
    batch_number: u64,
    slots: &[(bool, Transfer)],
    count: u64,
    profile: Profile,
) -> BatchWitness {
    assert_eq!(slots.len(), profile.capacity as usize);
    let mask = (1u32 << profile.depth) - 1;
    let pre_root = tree.root();
    let mut out = Vec::new();
    let mut acc = hash_tagged(
        Tag::Batch,
        [
            Fp::new(CHAIN_ID),
            Fp::new(batch_number),
            Fp::new(count),
            Fp::from(profile.capacity),
            Fp::ZERO,
            Fp::ZERO,
            Fp::ZERO,
            Fp::ZERO,
        ],
    );
    for (active, tr) in slots {
        let root_before = tree.root();
        if *active {
            let (fi, ti) = (tr.from & mask, tr.to & mask);
            let sender = tree.account(fi);
            let sender_path = tree.path(fi).unwrap();
            let new_sender = Account::new(
                (Fp::reduce_u64(sender.balance) - Fp::reduce_u64(tr.amount)).as_u64(),
                sender.nonce + 1,
            );
            tree.set(fi, new_sender).unwrap();
            let root_mid = tree.root();
            let receiver = tree.account(ti);
            let receiver_path = tree.path(ti).unwrap();
            let new_receiver = Account::new(
                (Fp::reduce_u64(receiver.balance) + Fp::reduce_u64(tr.amount)).as_u64(),
                receiver.nonce,
            );
            tree.set(ti, new_receiver).unwrap();
            out.push(SlotWitness {
                active: true,
                transfer: *tr,
                sender,
                sender_path,
                receiver,
                receiver_path,
                root_before,
                root_mid,
                root_after: tree.root(),
            });
        } else {
            let a = tree.account(0);
            let p = tree.path(0).unwrap();
            out.push(SlotWitness {
                active: false,
                transfer: *tr,
                sender: a,
                sender_path: p.clone(),
                receiver: a,
                receiver_path: p,
                root_before,
                root_mid: root_before,
                root_after: root_before,
            });
        }
        acc = hash_tagged(
            Tag::Tx,
            [
                acc.0[0],
                acc.0[1],
                acc.0[2],
                acc.0[3],
                Fp::from(tr.from),
                Fp::from(tr.to),
                Fp::reduce_u64(tr.amount),
                Fp::from(tr.nonce),
            ],
        );
    }
    BatchWitness {
        profile,
        version: multiprover_core::StatementVersion::V1,
        statement: Statement {
            chain_id: CHAIN_ID,
            batch_number,
            pre_root,
            post_root: tree.root(),
            batch_hash: acc,
        },
        count: count as u32,
        slots: out,
    }
}

/// Slots for a batch the usual way: the transfers active, then all-zero padding.
pub fn slots_of(transfers: &[Transfer], profile: Profile) -> Vec<(bool, Transfer)> {
    (0..profile.capacity as usize)
        .map(|i| match transfers.get(i) {
            Some(t) => (true, *t),
            None => (false, Transfer::PADDING),
        })
        .collect()
}

pub fn digest_plus_one(d: &Digest, lane: usize) -> Digest {
    let mut e = d.0;
    e[lane] += Fp::ONE;
    Digest(e)
}
