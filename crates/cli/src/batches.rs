//! Random valid batches over an anchor's genesis: the devnet's traffic and the benchmarks'
//! chains.

use multiprover_core::{apply_batch, genesis_tree, Batch, SparseMerkleTree, Transfer, TrustAnchor};
use rand::Rng;

use crate::error::CliError;

/// How many transfers a random batch holds, and how large they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchShape {
    /// Between one transfer and the profile's capacity, of small amounts (the devnet).
    Random,
    /// Exactly the profile's capacity of transfers, of small amounts (the benchmarks).
    Full,
    /// The profile's capacity of large transfers: the value at risk needs every system, so a
    /// faulty system's inflation is counted, and caught, before anything is final.
    Large,
}

/// `n` random valid batches (numbered 1..=n) from the anchor's genesis, shaped by `shape`.
pub fn random_batches(
    anchor: &TrustAnchor,
    n: u64,
    shape: BatchShape,
) -> Result<Vec<Batch>, CliError> {
    let mut state: SparseMerkleTree = genesis_tree(anchor.profile.depth, &anchor.genesis)?;
    let funded: Vec<u32> = anchor.genesis.iter().map(|a| a.index).collect();
    if funded.len() < 2 {
        return Err(CliError::Usage(
            "the devnet needs at least two funded accounts".into(),
        ));
    }
    let mut rng = rand::thread_rng();
    let mut out = Vec::new();
    for number in 1..=n {
        let mut transfers = Vec::new();
        let mut scratch = state.clone();
        let count = if shape != BatchShape::Random {
            anchor.profile.capacity
        } else {
            rng.gen_range(1..=anchor.profile.capacity)
        };
        for _ in 0..count {
            let from = funded[rng.gen_range(0..funded.len())];
            let mut to = funded[rng.gen_range(0..funded.len())];
            if to == from {
                to = if from == funded[0] {
                    funded[1]
                } else {
                    funded[0]
                };
            }
            let acct = scratch.account(from);
            let cap = acct.balance / 4;
            // In --faulty mode the value at risk is large, so the policy needs every system
            // and the unsound one's proof is counted (and caught) before anything is final.
            let amount = if shape == BatchShape::Large {
                1_000_000_000 / anchor.profile.capacity as u64 + 1
            } else {
                rng.gen_range(1..=cap.clamp(1, 50_000))
            };
            let t = Transfer {
                from,
                to,
                amount,
                nonce: acct.nonce as u32,
            };
            let mut s2 = scratch.clone();
            let one = Batch {
                chain_id: anchor.chain_id,
                batch_number: number,
                transfers: vec![t],
            };
            if apply_batch(&mut s2, &one, anchor.profile).is_ok() {
                scratch = s2;
                transfers.push(t);
            }
        }
        let batch = Batch {
            chain_id: anchor.chain_id,
            batch_number: number,
            transfers,
        };
        apply_batch(&mut state, &batch, anchor.profile)?;
        out.push(batch);
    }
    Ok(out)
}
