//! The statement circuit under halo2's MockProver: the honest fixture batch satisfies it;
//! a witness for a batch that breaks any one rule (otherwise consistent: paths, roots and
//! batch hash all computed) does not.
//!
//! Every MockProver run checks all 2^17 rows (k is fixed by the 16-bit table), 10–45 s each
//! in the test profile, so each rule is its own test and the harness spreads them over the
//! cores.

use crate::common::*;
use multiprover_core::{apply_batch, Batch, BatchWitness, SparseMerkleTree, Transfer};
use multiprover_halo2::prover::mock_check;

fn assert_unsatisfied(name: &str, w: &BatchWitness) {
    let res = mock_check(w).expect("synthesis");
    assert!(
        res.is_err(),
        "{name}: the circuit accepted a witness that breaks the rule"
    );
}

fn batch(transfers: Vec<Transfer>) -> Batch {
    Batch {
        chain_id: CHAIN_ID,
        batch_number: 1,
        transfers,
    }
}

/// A witness that applies `b` without checking the rules (MINI profile, no padding override).
fn cheat(tree: &mut SparseMerkleTree, b: &Batch) -> BatchWitness {
    unchecked_witness_in(MINI, tree, b, 0, Transfer::PADDING)
}

/// Four funded accounts in the MINI profile.
fn base() -> SparseMerkleTree {
    genesis_in(
        MINI,
        &[
            (1, 1_000_000),
            (2, 1_000_000),
            (3, 1_000_000),
            (4, 1_000_000),
        ],
    )
}

#[test]
fn honest_fixture_batch_satisfies_the_circuit() {
    let t0 = std::time::Instant::now();
    assert_eq!(mock_check(&fixture_witness()).expect("synthesis"), Ok(()));
    eprintln!("mock run: {:?}", t0.elapsed());
}

#[test]
fn empty_batch_satisfies_the_circuit() {
    // All padding.
    let mut tree = fixture_genesis();
    let empty = Batch {
        chain_id: CHAIN_ID,
        batch_number: 2,
        transfers: vec![],
    };
    let w = apply_batch(&mut tree, &empty, PROFILE).expect("valid");
    assert_eq!(mock_check(&w).expect("synthesis"), Ok(()));
}

/// The builder agrees with the reference on a valid batch in the MINI profile too, and the
/// honest witness satisfies the circuit: each failure below is the broken rule's.
#[test]
fn honest_mini_batch_satisfies_the_circuit() {
    let honest = cheat(&mut base(), &fixture_batch());
    assert_eq!(
        honest,
        apply_batch(&mut base(), &fixture_batch(), MINI).expect("valid")
    );
    assert_eq!(mock_check(&honest).expect("synthesis"), Ok(()));
}

#[test]
fn insufficient_balance_is_unsatisfiable() {
    let w = cheat(&mut base(), &batch(vec![tx(1, 2, 1_000_001, 0)]));
    assert_unsatisfied("insufficient balance", &w);
}

#[test]
fn bad_nonce_is_unsatisfiable() {
    let w = cheat(&mut base(), &batch(vec![tx(1, 2, 10, 1)]));
    assert_unsatisfied("bad nonce", &w);
}

#[test]
fn self_transfer_is_unsatisfiable() {
    let w = cheat(&mut base(), &batch(vec![tx(1, 1, 10, 0)]));
    assert_unsatisfied("self transfer", &w);
}

#[test]
fn receiver_balance_reaching_2_pow_60_is_unsatisfiable() {
    let mut tree = genesis_in(MINI, &[(1, 1_000), (2, (1 << 60) - 10)]);
    let w = cheat(&mut tree, &batch(vec![tx(1, 2, 100, 0)]));
    assert_unsatisfied("balance overflow", &w);
}

#[test]
fn account_index_out_of_range_is_unsatisfiable() {
    // 2^D + 2 walks the path of account 2.
    let w = cheat(&mut base(), &batch(vec![tx(1, 8 + 2, 10, 0)]));
    assert_unsatisfied("index out of range", &w);
}

#[test]
fn non_zero_padding_slot_is_unsatisfiable() {
    let w = unchecked_witness_in(
        MINI,
        &mut base(),
        &batch(vec![tx(1, 2, 10, 0)]),
        0,
        tx(3, 4, 1, 0),
    );
    assert_unsatisfied("non-zero padding", &w);
}

#[test]
fn minted_money_is_unsatisfiable() {
    // The receiver credited more than the amount.
    let w = unchecked_witness_in(
        MINI,
        &mut base(),
        &fixture_batch(),
        1_000,
        Transfer::PADDING,
    );
    assert_unsatisfied("inflated receiver", &w);
}

#[test]
fn claimed_post_root_that_is_not_the_result_is_unsatisfiable() {
    let mut w = cheat(&mut base(), &fixture_batch());
    w.statement.post_root = w.statement.pre_root;
    assert_unsatisfied("wrong post root", &w);
}
