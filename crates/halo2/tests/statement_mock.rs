//! The statement circuit under halo2's MockProver: the honest fixture batch satisfies it;
//! a witness for a batch that breaks any one rule (otherwise consistent: paths, roots and
//! batch hash all computed) does not.

mod common;

use common::*;
use multiprover_core::{apply_batch, Batch, Transfer};
use multiprover_halo2::prover::mock_check;

fn assert_unsatisfied(name: &str, w: &multiprover_core::BatchWitness) {
    let res = mock_check(w).expect("synthesis");
    assert!(res.is_err(), "{name}: the circuit accepted a witness that breaks the rule");
}

#[test]
fn honest_batches_satisfy_the_circuit() {
    let t0 = std::time::Instant::now();
    assert_eq!(mock_check(&fixture_witness()).expect("synthesis"), Ok(()));
    eprintln!("mock run: {:?}", t0.elapsed());
    // The unchecked builder agrees with the reference on a valid batch (so the negative
    // tests below differ from an honest witness only in the broken rule).
    let mut tree = fixture_genesis();
    let w = unchecked_witness(&mut tree, &fixture_batch(), 0, Transfer::PADDING);
    assert_eq!(w, fixture_witness());
    // An empty batch (all padding) and a full batch with a sender that is also a receiver.
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
        unchecked_witness(tree, b, 0, Transfer::PADDING)
    };
    // insufficient balance
    let w = cheat(&mut fixture_genesis(), &batch(vec![tx(1, 2, 1_000_001, 0)]));
    assert_unsatisfied("insufficient balance", &w);
    // bad nonce
    let w = cheat(&mut fixture_genesis(), &batch(vec![tx(1, 2, 10, 1)]));
    assert_unsatisfied("bad nonce", &w);
    // self transfer
    let w = cheat(&mut fixture_genesis(), &batch(vec![tx(1, 1, 10, 0)]));
    assert_unsatisfied("self transfer", &w);
    // receiver balance reaches 2^60
    let mut tree = genesis(&[(1, 1_000), (2, (1 << 60) - 10)]);
    let w = cheat(&mut tree, &batch(vec![tx(1, 2, 100, 0)]));
    assert_unsatisfied("balance overflow", &w);
    // account index out of range (2^D + 2 walks the path of account 2)
    let w = cheat(&mut fixture_genesis(), &batch(vec![tx(1, 256 + 2, 10, 0)]));
    assert_unsatisfied("index out of range", &w);
    // a non-zero padding slot
    let mut tree = fixture_genesis();
    let w = unchecked_witness(&mut tree, &batch(vec![tx(1, 2, 10, 0)]), 0, tx(3, 4, 1, 0));
    assert_unsatisfied("non-zero padding", &w);
    // minted money: the receiver credited more than the amount
    let mut tree = fixture_genesis();
    let w = unchecked_witness(&mut tree, &fixture_batch(), 1_000, Transfer::PADDING);
    assert_unsatisfied("inflated receiver", &w);
    // a claimed post root that is not the result
    let mut w = fixture_witness();
    w.statement.post_root = w.statement.pre_root;
    assert_unsatisfied("wrong post root", &w);
}
