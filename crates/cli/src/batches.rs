//! Random valid batches over an anchor's genesis (the devnet's traffic and the benchmarks'
//! chains): core's [`multiprover_core::sample::random_batches`] with this thread's RNG.

use multiprover_core::{Batch, TrustAnchor};
use rand::Rng;

use crate::error::CliError;

pub use multiprover_core::sample::BatchShape;

/// `n` random valid batches (numbered 1..=n) from the anchor's genesis, shaped by `shape`.
pub fn random_batches(
    anchor: &TrustAnchor,
    n: u64,
    shape: BatchShape,
) -> Result<Vec<Batch>, CliError> {
    let mut rng = rand::thread_rng();
    let mut below = |m: u64| rng.gen_range(0..m.max(1));
    Ok(multiprover_core::sample::random_batches(
        anchor, n, shape, &mut below,
    )?)
}
