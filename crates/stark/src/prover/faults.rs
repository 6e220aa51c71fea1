//! Demo faults only: the inflated credit an unsound witness gives, recovered for the trace.

use alloc::vec;
use alloc::vec::Vec;

use multiprover_core::BatchWitness;

use super::RawWitness;

/// Demo faults only: find the extra credit `apply_batch_inflated` gave slot 0's receiver, by
/// trying the honest credit plus candidate amounts until the receiver's new root matches the
/// witness (the witness carries roots, not the inflated account).
pub(super) fn recover_inflation(raw: &mut RawWitness, w: &BatchWitness) {
    let Some(s) = w.slots.first() else { return };
    if !s.active {
        return;
    }
    let mut candidates: Vec<u64> = vec![0, 1_000_000];
    let mut p = 1u64;
    for _ in 0..19 {
        candidates.push(p);
        p = p.saturating_mul(10);
    }
    candidates.extend((0..60).map(|k| 1u64 << k));
    for extra in candidates {
        let bal = ((s.receiver.balance as u128 + s.transfer.amount as u128 + extra as u128)
            % (1u128 << 60)) as u64;
        let acct = multiprover_core::Account::new(bal, s.receiver.nonce);
        if s.receiver_path.root(s.transfer.to, acct.leaf()) == s.root_after {
            if let Some(r) = raw.slots.first_mut() {
                r.receiver_extra = bal
                    .wrapping_sub(s.receiver.balance)
                    .wrapping_sub(s.transfer.amount);
            }
            return;
        }
    }
}
