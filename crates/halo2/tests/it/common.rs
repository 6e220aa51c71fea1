//! Shared test helpers: the fixture batch and a witness builder that skips the STF checks,
//! to make otherwise-consistent witnesses for batches that break one rule.
#![allow(dead_code)]

use multiprover_core::field::P;
use multiprover_core::stf::BALANCE_BOUND;
use multiprover_core::{
    genesis_tree, Account, Batch, BatchWitness, GenesisAccount, Profile, SlotWitness,
    SparseMerkleTree, Statement, Transfer,
};

use multiprover_testkit::Scenario;
pub use multiprover_testkit::{transfer as tx, CHAIN_ID};

pub const PROFILE: Profile = Profile::SMALL;

/// A smaller profile for the many MockProver runs of the rule tests (the rules do not depend
/// on the depth; MockProver time grows with the rows used).
pub const MINI: Profile = Profile {
    depth: 3,
    capacity: 2,
};

pub fn genesis(balances: &[(u32, u64)]) -> SparseMerkleTree {
    genesis_in(PROFILE, balances)
}

pub fn genesis_in(profile: Profile, balances: &[(u32, u64)]) -> SparseMerkleTree {
    let accts: Vec<GenesisAccount> = balances
        .iter()
        .map(|&(index, balance)| GenesisAccount::new(index, balance))
        .collect();
    genesis_tree(profile.depth, &accts).expect("genesis")
}

pub fn fixture_genesis() -> SparseMerkleTree {
    Scenario::small().genesis_tree()
}

pub fn fixture_batch() -> Batch {
    Scenario::small().batch(1).clone()
}

/// The honest witness of the fixture batch.
pub fn fixture_witness() -> BatchWitness {
    Scenario::small().witness(1)
}

/// What a prover that ignores the rules would feed a circuit: every transfer applied with
/// Goldilocks wrap-around arithmetic (balance - amount mod p, balance + amount unbounded),
/// receiver read after the sender update, indices reduced mod 2^D for the paths, padding as
/// usual. `credit_extra` is added to the first receiver. `padding` overrides the transfer
/// of inactive slots (state still unchanged).
pub fn unchecked_witness(
    tree: &mut SparseMerkleTree,
    batch: &Batch,
    credit_extra: u64,
    padding: Transfer,
) -> BatchWitness {
    unchecked_witness_in(PROFILE, tree, batch, credit_extra, padding)
}

pub fn unchecked_witness_in(
    profile: Profile,
    tree: &mut SparseMerkleTree,
    batch: &Batch,
    credit_extra: u64,
    padding: Transfer,
) -> BatchWitness {
    let mask = (1u64 << profile.depth) - 1;
    let count = batch.transfers.len();
    let mut hashed = batch.clone();
    for _ in count..profile.capacity as usize {
        hashed.transfers.push(padding);
    }
    // The batch hash commits to `count` and to every slot as given.
    let batch_hash = {
        use multiprover_core::field::Fp;
        use multiprover_core::hash::{hash_tagged, Tag};
        let mut acc = hash_tagged(
            Tag::Batch,
            [
                Fp::new(batch.chain_id),
                Fp::new(batch.batch_number),
                Fp::new(count as u64),
                Fp::new(profile.capacity as u64),
                Fp::ZERO,
                Fp::ZERO,
                Fp::ZERO,
                Fp::ZERO,
            ],
        );
        for t in &hashed.transfers {
            acc = hash_tagged(
                Tag::Tx,
                [
                    acc.0[0],
                    acc.0[1],
                    acc.0[2],
                    acc.0[3],
                    Fp::reduce_u64(t.from as u64),
                    Fp::reduce_u64(t.to as u64),
                    Fp::reduce_u64(t.amount),
                    Fp::reduce_u64(t.nonce as u64),
                ],
            );
        }
        acc
    };
    let pre_root = tree.root();
    let mut slots = Vec::new();
    for (slot, t) in hashed.transfers.iter().enumerate() {
        let root_before = tree.root();
        if slot < count {
            let (f, to) = ((t.from as u64 & mask) as u32, (t.to as u64 & mask) as u32);
            let sender = tree.account(f);
            let sender_path = tree.path(f).expect("path");
            tree.set(
                f,
                Account::new(
                    ((sender.balance as u128 + P as u128 - t.amount as u128) % P as u128) as u64,
                    sender.nonce + 1,
                ),
            )
            .expect("set");
            let root_mid = tree.root();
            let receiver = tree.account(to);
            let receiver_path = tree.path(to).expect("path");
            let extra = if slot == 0 { credit_extra } else { 0 };
            tree.set(
                to,
                Account::new(receiver.balance + t.amount + extra, receiver.nonce),
            )
            .expect("set");
            slots.push(SlotWitness {
                active: true,
                transfer: *t,
                sender,
                sender_path,
                receiver,
                receiver_path,
                root_before,
                root_mid,
                root_after: tree.root(),
            });
        } else {
            let path = tree.path(0).expect("path");
            let a = tree.account(0);
            slots.push(SlotWitness {
                active: false,
                transfer: *t,
                sender: a,
                sender_path: path.clone(),
                receiver: a,
                receiver_path: path,
                root_before,
                root_mid: root_before,
                root_after: root_before,
            });
        }
    }
    let _ = BALANCE_BOUND;
    BatchWitness {
        profile,
        version: multiprover_core::StatementVersion::V1,
        statement: Statement {
            chain_id: batch.chain_id,
            batch_number: batch.batch_number,
            pre_root,
            post_root: tree.root(),
            batch_hash,
        },
        count: count as u32,
        slots,
    }
}
