//! The statement circuit under halo2's MockProver: the honest fixture batch satisfies it;
//! a witness for a batch that breaks any one rule (otherwise consistent: paths, roots and
//! batch hash all computed) does not.

mod common;

use common::*;
use multiprover_core::{apply_batch, Batch, Transfer};
use multiprover_halo2::prover::mock_check;

fn assert_unsatisfied(name: &str, w: &multiprover_core::BatchWitness) {
    let res = mock_check(w).expect("synthesis");
    assert!(
        res.is_err(),
        "{name}: the circuit accepted a witness that breaks the rule"
    );
}

#[test]
fn honest_batches_satisfy_the_circuit() {
    let t0 = std::time::Instant::now();
    assert_eq!(mock_check(&fixture_witness()).expect("synthesis"), Ok(()));
    eprintln!("mock run: {:?}", t0.elapsed());
    // An empty batch (all padding).
    let mut tree = fixture_genesis();
    let empty = Batch {
        chain_id: CHAIN_ID,
        batch_number: 2,
        transfers: vec![],
    };
    let w = apply_batch(&mut tree, &empty, PROFILE).expect("valid");
    assert_eq!(mock_check(&w).expect("synthesis"), Ok(()));
}

#[test]
fn each_broken_rule_is_unsatisfiable() {
    let batch = |transfers: Vec<Transfer>| Batch {
        chain_id: CHAIN_ID,
        batch_number: 1,
        transfers,
    };
    let cheat = |tree: &mut multiprover_core::SparseMerkleTree, b: &Batch| {
        unchecked_witness_in(MINI, tree, b, 0, Transfer::PADDING)
    };
    let base = || {
        genesis_in(
            MINI,
            &[
                (1, 1_000_000),
                (2, 1_000_000),
                (3, 1_000_000),
                (4, 1_000_000),
            ],
        )
    };
    // The builder agrees with the reference on a valid batch in this profile too, and the
    // honest witness satisfies the circuit: each failure below is the broken rule's.
    let honest = cheat(&mut base(), &fixture_batch());
    assert_eq!(
        honest,
        apply_batch(&mut base(), &fixture_batch(), MINI).expect("valid")
    );
    assert_eq!(mock_check(&honest).expect("synthesis"), Ok(()));
    // insufficient balance
    let w = cheat(&mut base(), &batch(vec![tx(1, 2, 1_000_001, 0)]));
    assert_unsatisfied("insufficient balance", &w);
    // bad nonce
    let w = cheat(&mut base(), &batch(vec![tx(1, 2, 10, 1)]));
    assert_unsatisfied("bad nonce", &w);
    // self transfer
    let w = cheat(&mut base(), &batch(vec![tx(1, 1, 10, 0)]));
    assert_unsatisfied("self transfer", &w);
    // receiver balance reaches 2^60
    let mut tree = genesis_in(MINI, &[(1, 1_000), (2, (1 << 60) - 10)]);
    let w = cheat(&mut tree, &batch(vec![tx(1, 2, 100, 0)]));
    assert_unsatisfied("balance overflow", &w);
    // account index out of range (2^D + 2 walks the path of account 2)
    let w = cheat(&mut base(), &batch(vec![tx(1, 8 + 2, 10, 0)]));
    assert_unsatisfied("index out of range", &w);
    // a non-zero padding slot
    let w = unchecked_witness_in(
        MINI,
        &mut base(),
        &batch(vec![tx(1, 2, 10, 0)]),
        0,
        tx(3, 4, 1, 0),
    );
    assert_unsatisfied("non-zero padding", &w);
    // minted money: the receiver credited more than the amount
    let w = unchecked_witness_in(
        MINI,
        &mut base(),
        &fixture_batch(),
        1_000,
        Transfer::PADDING,
    );
    assert_unsatisfied("inflated receiver", &w);
    // a claimed post root that is not the result
    let mut w = honest;
    w.statement.post_root = w.statement.pre_root;
    assert_unsatisfied("wrong post root", &w);
}
