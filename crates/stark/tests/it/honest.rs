//! Honest batches prove and verify, and the proven statement is the core STF's.
#![cfg(feature = "prover")]

use crate::common::*;
use multiprover_core::{apply_batch, Batch, Profile, Transfer};
use multiprover_stark::verify;

#[test]
fn honest_batch_verifies() {
    let key = prover().system_key();
    let env = envelope1();
    assert_eq!(env.statement, witness1().statement);
    verify(&key, env).unwrap();
}

/// Random valid batches of every fill level (empty, partly padded, full) on a state that
/// evolves batch after batch: each proof verifies for the core STF's statement.
#[test]
fn random_batches_match_core() {
    let key = prover().system_key();
    let mut tree = genesis();
    let mut seed = 0x1234_5678_9abc_def0u64;
    let mut rand = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    for (number, count) in [(1u64, 0usize), (2, 1), (3, 2)] {
        let mut transfers = Vec::new();
        let mut probe = tree.clone();
        while transfers.len() < count {
            let from = 1 + rand(4) as u32;
            let to = rand(256) as u32;
            if to == from {
                continue;
            }
            let sender = probe.account(from);
            let t = Transfer::new(from, to, rand(sender.balance + 1), sender.nonce as u32);
            let b = Batch {
                chain_id: CHAIN_ID,
                batch_number: number,
                transfers: vec![t],
            };
            apply_batch(&mut probe, &b, Profile::SMALL).unwrap();
            transfers.push(t);
        }
        let batch = Batch {
            chain_id: CHAIN_ID,
            batch_number: number,
            transfers,
        };
        let w = apply_batch(&mut tree, &batch, Profile::SMALL).unwrap();
        let env = prover().prove(&w).unwrap();
        assert_eq!(env.statement, w.statement);
        assert_eq!(env.statement.post_root, tree.root());
        verify(&key, &env).unwrap();
    }
}
