//! The segment circuit under halo2's MockProver, with the verifier's native chain check
//! ([`mock_check`]): the honest fixture batch satisfies both; a witness for a batch that
//! breaks any one rule (otherwise consistent: paths, roots and batch hash all computed)
//! fails a segment (the transfer rules) or the chain (count, padding, the claimed roots).

use crate::common::*;
use multiprover_core::{apply_batch, Batch, BatchWitness, SparseMerkleTree, Transfer};
use multiprover_halo2::prover::{mock_check, MockOutcome};

/// The segment of `slot` is not satisfied.
fn assert_unsatisfied(name: &str, w: &BatchWitness) {
    assert_segment_fails(name, w, 0);
}

fn assert_segment_fails(name: &str, w: &BatchWitness, slot: u32) {
    match mock_check(w).expect("synthesis") {
        MockOutcome::Segment { slot: s, .. } if s == slot => {}
        other => panic!("{name}: expected segment {slot} to fail, got {other:?}"),
    }
}

/// Every segment is satisfied, but the verifier's chain check refuses the statement.
fn assert_chain_fails(name: &str, w: &BatchWitness) {
    match mock_check(w).expect("synthesis") {
        MockOutcome::Chain(_) => {}
        other => panic!("{name}: expected the chain check to fail, got {other:?}"),
    }
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
    assert_eq!(
        mock_check(&fixture_witness()).expect("synthesis"),
        MockOutcome::Satisfied
    );
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
    assert_eq!(mock_check(&w).expect("synthesis"), MockOutcome::Satisfied);
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
    assert_eq!(
        mock_check(&honest).expect("synthesis"),
        MockOutcome::Satisfied
    );
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
    assert_chain_fails("non-zero padding", &w);
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
    assert_chain_fails("wrong post root", &w);
}

#[test]
fn a_later_slot_breaking_a_rule_fails_its_own_segment() {
    // Slot 0 is valid, slot 1 overspends.
    let w = cheat(
        &mut base(),
        &batch(vec![tx(1, 2, 10, 0), tx(3, 4, 1_000_001, 0)]),
    );
    assert_segment_fails("slot 1 overspends", &w, 1);
}

#[test]
fn a_count_that_differs_from_the_segments_is_refused() {
    // The statement's batch hash commits to count 2; the witness claims one active slot
    // (the second transfer dropped, its effect kept out of the roots).
    let mut w = cheat(&mut base(), &batch(vec![tx(1, 2, 10, 0), tx(3, 4, 10, 0)]));
    let full = w.clone();
    w.count = 1;
    w.slots[1] = full.slots[1].clone();
    w.slots[1].active = false;
    w.statement.post_root = w.slots[0].root_after;
    assert_chain_fails("count 1 under a count-2 batch hash", &w);
}

/// `../shared/reviews/soundness-halo2.md`, F2: a non-canonical sender balance `b + p` (the
/// same leaf digest: the leaf's input row reduces it mod p) and an amount `p − 2^59`; the
/// sender's new balance `b + 2^59` is below 2^60. Refused: the old balances and the amount
/// are range-checked below 2^60 themselves (and the receiver's new balance would overflow).
#[test]
fn a_non_canonical_balance_and_amount_are_unsatisfiable() {
    let p = multiprover_core::field::P;
    let mut w = cheat(&mut base(), &batch(vec![tx(1, 2, 10, 0)]));
    let s = &mut w.slots[0];
    s.sender.balance += p;
    s.transfer.amount = p - (1 << 59);
    assert_unsatisfied("non-canonical sender balance and amount", &w);
    // A non-canonical amount alone (`10 + p`, the same tx-hash element).
    let mut w = cheat(&mut base(), &batch(vec![tx(1, 2, 10, 0)]));
    w.slots[0].transfer.amount += p;
    assert_unsatisfied("non-canonical amount", &w);
    // A non-canonical receiver balance alone.
    let mut w = cheat(&mut base(), &batch(vec![tx(1, 2, 10, 0)]));
    w.slots[0].receiver.balance += p;
    assert_unsatisfied("non-canonical receiver balance", &w);
}

/// Rows and k of a segment per profile (`docs/halo2.md`), and MockProver agrees that the
/// circuit fits (the honest run above synthesizes at that k).
#[test]
fn rows_and_k_per_profile() {
    use multiprover_core::Profile;
    use multiprover_halo2::{k_for, rows_used};
    for (p, rows, k) in [(Profile::SMALL, 6_598, 14), (Profile::DEFAULT, 15_142, 14)] {
        assert_eq!(rows_used(p), rows, "{p:?}");
        assert_eq!(k_for(p), k, "{p:?}");
        eprintln!("{p:?}: {} rows, k = {}", rows_used(p), k_for(p));
    }
}
