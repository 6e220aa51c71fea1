//! Random valid batches over an anchor's genesis: a devnet's traffic, the benchmarks' chains and
//! the tests' random scenarios. Core draws no randomness itself: the caller passes the source
//! (a thread RNG in the devnet, a seeded one in tests, so that they are reproducible).

use alloc::vec::Vec;

use crate::anchor::TrustAnchor;
use crate::error::CoreError;
use crate::schnorr::SecretKey;
use crate::statement::StatementVersion;
use crate::stf::{genesis_tree, Batch, Transfer};

/// How many transfers a random batch holds, and how large they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchShape {
    /// Between one transfer and the profile's capacity, of small amounts (the devnet).
    Random,
    /// Exactly the profile's capacity of transfers, of small amounts (the benchmarks).
    Full,
    /// The profile's capacity of large transfers (about 10^9 per batch): the value at risk
    /// needs every system, so a faulty system's inflation is counted, and caught, before
    /// anything is final.
    Large,
}

/// `n` random valid batches (numbered 1..=n) from the anchor's genesis, shaped by `shape`.
/// `below(m)` must return a uniform value in `0..m` (`m >= 1`). Transfers go between the funded
/// genesis accounts, and each is checked against the STF before it is kept, so a batch holds
/// fewer transfers than its shape asks when the balances do not allow them.
pub fn random_batches(
    anchor: &TrustAnchor,
    n: u64,
    shape: BatchShape,
    below: &mut dyn FnMut(u64) -> u64,
) -> Result<Vec<Batch>, CoreError> {
    random_signed_batches(anchor, n, shape, below, &|_| None)
}

/// [`random_batches`] for any statement version: under v2 each transfer names the receiver's
/// key and is signed with `key_of(sender)` (a sender whose key `key_of` does not know sends
/// nothing); under v1 `key_of` is not used.
pub fn random_signed_batches(
    anchor: &TrustAnchor,
    n: u64,
    shape: BatchShape,
    below: &mut dyn FnMut(u64) -> u64,
    key_of: &dyn Fn(u32) -> Option<SecretKey>,
) -> Result<Vec<Batch>, CoreError> {
    let mut state = genesis_tree(anchor.profile.depth, &anchor.genesis)?;
    let funded: Vec<u32> = anchor.genesis.iter().map(|a| a.index).collect();
    if funded.len() < 2 {
        return Err(CoreError::BadGenesis(
            "random batches need at least two funded accounts",
        ));
    }
    let capacity = anchor.profile.capacity;
    let mut out = Vec::new();
    for number in 1..=n {
        let mut transfers = Vec::new();
        let mut scratch = state.clone();
        let count = match shape {
            BatchShape::Random => 1 + below(u64::from(capacity)) as u32,
            BatchShape::Full | BatchShape::Large => capacity,
        };
        for _ in 0..count {
            let from = pick(&funded, below);
            let mut to = pick(&funded, below);
            if to == from {
                to = if from == funded[0] {
                    funded[1]
                } else {
                    funded[0]
                };
            }
            let account = scratch.account(from);
            let amount = match shape {
                BatchShape::Large => 1_000_000_000 / u64::from(capacity) + 1,
                _ => 1 + below((account.balance / 4).clamp(1, 50_000)),
            };
            let mut t = Transfer::new(from, to, amount, account.nonce as u32);
            if anchor.statement_version == StatementVersion::V2 {
                let Some(key) = key_of(from) else { continue };
                t.to_pk = scratch.account(to).pk;
                t = t.signed(anchor.chain_id, &key)?;
            }
            let mut next = scratch.clone();
            let one = Batch {
                chain_id: anchor.chain_id,
                batch_number: number,
                transfers: alloc::vec![t],
            };
            if anchor.apply(&mut next, &one).is_ok() {
                scratch = next;
                transfers.push(t);
            }
        }
        let batch = Batch {
            chain_id: anchor.chain_id,
            batch_number: number,
            transfers,
        };
        anchor.apply(&mut state, &batch)?;
        out.push(batch);
    }
    Ok(out)
}

/// A uniform element of a non-empty slice.
fn pick(v: &[u32], below: &mut dyn FnMut(u64) -> u64) -> u32 {
    v[below(v.len() as u64) as usize % v.len()]
}
