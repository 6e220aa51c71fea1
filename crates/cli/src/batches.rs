//! Random valid batches over an anchor's genesis (the devnet's traffic and the benchmarks'
//! chains): core's [`multiprover_core::sample::random_batches`] with this thread's RNG.

use multiprover_core::schnorr::SecretKey;
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

/// [`random_batches`] for any statement version: under v2 each transfer is signed with
/// `key_of(sender)` (core's [`multiprover_core::sample::random_signed_batches`]).
pub fn random_signed_batches(
    anchor: &TrustAnchor,
    n: u64,
    shape: BatchShape,
    key_of: &dyn Fn(u32) -> Option<SecretKey>,
) -> Result<Vec<Batch>, CliError> {
    let mut rng = rand::thread_rng();
    let mut below = |m: u64| rng.gen_range(0..m.max(1));
    Ok(multiprover_core::sample::random_signed_batches(
        anchor, n, shape, &mut below, key_of,
    )?)
}
