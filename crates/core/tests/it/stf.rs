//! The STF: each rule has its own error naming the transfer; failures change nothing;
//! witnesses are consistent.

use multiprover_core::stf::BALANCE_BOUND;
use multiprover_core::{
    apply_batch, genesis_tree, Batch, CoreError, GenesisAccount, Profile, Transfer,
};
use proptest::prelude::*;

fn state() -> multiprover_core::SparseMerkleTree {
    genesis_tree(
        8,
        &[
            GenesisAccount::new(1, 100),
            GenesisAccount::new(2, BALANCE_BOUND - 10),
        ],
    )
    .unwrap()
}

fn run(transfers: Vec<Transfer>) -> Result<(), CoreError> {
    let mut s = state();
    let before = s.root();
    let r = apply_batch(
        &mut s,
        &Batch {
            chain_id: 7,
            batch_number: 1,
            transfers,
        },
        Profile {
            depth: 8,
            capacity: 4,
        },
    );
    if r.is_err() {
        assert_eq!(s.root(), before, "a failed batch must change nothing");
    }
    r.map(|_| ())
}

fn t(from: u32, to: u32, amount: u64, nonce: u32) -> Transfer {
    Transfer::new(from, to, amount, nonce)
}

#[test]
fn each_rule_has_its_error() {
    assert_eq!(
        run(vec![t(1, 1, 1, 0)]),
        Err(CoreError::SelfTransfer {
            transfer: 0,
            account: 1
        })
    );
    assert_eq!(
        run(vec![t(1, 256, 1, 0)]),
        Err(CoreError::AccountOutOfRange {
            transfer: 0,
            account: 256,
            depth: 8
        })
    );
    assert_eq!(
        run(vec![t(300, 1, 0, 0)]),
        Err(CoreError::AccountOutOfRange {
            transfer: 0,
            account: 300,
            depth: 8
        })
    );
    assert_eq!(
        run(vec![t(1, 3, 1, 1)]),
        Err(CoreError::BadNonce {
            transfer: 0,
            expected: 0,
            got: 1
        })
    );
    assert_eq!(
        run(vec![t(1, 3, 101, 0)]),
        Err(CoreError::InsufficientBalance {
            transfer: 0,
            balance: 100,
            amount: 101
        })
    );
    assert_eq!(
        run(vec![t(1, 2, 10, 0)]),
        Err(CoreError::BalanceOverflow {
            transfer: 0,
            balance: BALANCE_BOUND - 10,
            amount: 10
        })
    );
    assert_eq!(run(vec![t(1, 2, 9, 0)]), Ok(()));
    assert_eq!(
        run(vec![t(1, 3, 0, 0); 5]),
        Err(CoreError::TooManyTransfers {
            count: 5,
            capacity: 4
        })
    );
    assert!(matches!(
        run(vec![t(1, 3, u64::MAX, 0)]),
        Err(CoreError::NonCanonical("amount"))
    ));
    // rules apply in order: the second transfer sees the first one's effect
    assert_eq!(
        run(vec![t(1, 3, 60, 0), t(1, 3, 60, 1)]),
        Err(CoreError::InsufficientBalance {
            transfer: 1,
            balance: 40,
            amount: 60
        })
    );
    assert_eq!(
        run(vec![t(1, 3, 60, 0), t(1, 3, 40, 0)]),
        Err(CoreError::BadNonce {
            transfer: 1,
            expected: 1,
            got: 0
        })
    );
    assert_eq!(run(vec![t(1, 3, 60, 0), t(3, 4, 60, 0)]), Ok(()));
    // messages name the transfer and the rule
    let msg = run(vec![t(1, 3, 1, 0), t(1, 3, 1, 0)])
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("transfer #1") && msg.contains("nonce == nonce(from)"),
        "{msg}"
    );
}

#[test]
fn padding_and_effects() {
    let mut s = state();
    let w = apply_batch(
        &mut s,
        &Batch {
            chain_id: 7,
            batch_number: 1,
            transfers: vec![t(1, 5, 30, 0)],
        },
        Profile {
            depth: 8,
            capacity: 3,
        },
    )
    .unwrap();
    assert_eq!(w.slots.len(), 3);
    assert!(w.slots[0].active && !w.slots[1].active && !w.slots[2].active);
    assert_eq!(s.account(1).balance, 70);
    assert_eq!(s.account(1).nonce, 1);
    assert_eq!(s.account(5).balance, 30);
    assert_eq!(s.account(5).nonce, 0);
    assert_eq!(w.slots[1].root_before, w.slots[1].root_after);
    assert_eq!(w.statement.post_root, s.root());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Every witness is self-consistent: old leaves hash up their paths to the roots before,
    /// new leaves with the same siblings to the roots after, and slots chain.
    #[test]
    fn witnesses_are_consistent(ts in proptest::collection::vec((0u32..6, 0u32..6, 0u64..60), 0..4)) {
        let mut s = state();
        let mut nonces = [0u32; 6];
        let transfers: Vec<Transfer> = ts.iter().filter(|(f, to, _)| f != to).map(|&(f, to, a)| {
            let n = nonces[f as usize];
            nonces[f as usize] += 1;
            t(f, to, a, n)
        }).collect();
        let pre = s.root();
        let batch = Batch { chain_id: 7, batch_number: 3, transfers };
        if let Ok(w) = apply_batch(&mut s, &batch, Profile { depth: 8, capacity: 4 }) {
            prop_assert_eq!(w.statement.pre_root, pre);
            prop_assert_eq!(w.statement.batch_hash, batch.hash(4).unwrap());
            let mut root = pre;
            for slot in &w.slots {
                prop_assert_eq!(slot.root_before, root);
                let tr = slot.transfer;
                prop_assert_eq!(slot.sender_path.root(tr.from, slot.sender.leaf()), slot.root_before);
                if slot.active {
                    let new_s = multiprover_core::Account::new(slot.sender.balance - tr.amount, slot.sender.nonce + 1);
                    prop_assert_eq!(slot.sender_path.root(tr.from, new_s.leaf()), slot.root_mid);
                    prop_assert_eq!(slot.receiver_path.root(tr.to, slot.receiver.leaf()), slot.root_mid);
                    let new_r = multiprover_core::Account::new(slot.receiver.balance + tr.amount, slot.receiver.nonce);
                    prop_assert_eq!(slot.receiver_path.root(tr.to, new_r.leaf()), slot.root_after);
                } else {
                    prop_assert_eq!(slot.root_after, slot.root_before);
                }
                root = slot.root_after;
            }
            prop_assert_eq!(root, w.statement.post_root);
        } else {
            prop_assert_eq!(s.root(), pre);
        }
    }
}
