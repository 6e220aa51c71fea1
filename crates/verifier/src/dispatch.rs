//! Envelope → the right system verifier, after the anchor-level checks.
//!
//! The systems this build can verify are [`REGISTRY`]: one line per system, each a
//! [`ProofSystem`](multiprover_core::ProofSystem) crate behind its feature.

use alloc::vec::Vec;
use multiprover_core::proof_system::{DynProofSystem, VerifyContext, VerifyError};
use multiprover_core::{Envelope, SystemId, TrustAnchor};

use crate::error::Error;

/// Every system this build verifies. Adding a system is one line here (and its feature).
pub static REGISTRY: &[&dyn DynProofSystem] = &[
    #[cfg(feature = "halo2")]
    &multiprover_core::proof_system::Registered::<multiprover_halo2::Halo2>::NEW,
    #[cfg(feature = "plonky2")]
    &multiprover_core::proof_system::Registered::<multiprover_plonky2::Plonky2>::NEW,
    #[cfg(feature = "stark")]
    &multiprover_core::proof_system::Registered::<multiprover_stark::Stark>::NEW,
    #[cfg(feature = "tee")]
    &multiprover_core::proof_system::Registered::<multiprover_tee::Tee>::NEW,
];

/// The registered verifier of `system`, if this build has one.
pub fn system(system: SystemId) -> Option<&'static dyn DynProofSystem> {
    REGISTRY.iter().copied().find(|s| s.id() == system)
}

/// Which systems this build can verify.
pub fn compiled_systems() -> Vec<SystemId> {
    REGISTRY.iter().map(|s| s.id()).collect()
}

/// Verify one parsed envelope against the anchor, for a batch with the signed timestamp
/// `batch_timestamp` (the time the TEE registration windows are checked at). Checks the chain
/// id and the pinned verifying-key id ([`Envelope::pinned_key`]) before the system's own
/// verifier runs.
pub fn verify_envelope(
    anchor: &TrustAnchor,
    envelope: &Envelope,
    batch_timestamp: u64,
) -> Result<(), Error> {
    verify_envelope_in(REGISTRY, anchor, envelope, batch_timestamp)
}

/// [`verify_envelope`] over another registry than this build's (an embedder's own set of
/// systems, a test's toy system).
pub fn verify_envelope_in(
    registry: &[&dyn DynProofSystem],
    anchor: &TrustAnchor,
    envelope: &Envelope,
    batch_timestamp: u64,
) -> Result<(), Error> {
    let key = envelope.pinned_key(anchor)?;
    let cx = VerifyContext {
        anchor,
        batch_timestamp,
    };
    let system = registry
        .iter()
        .find(|s| s.id() == envelope.system)
        .ok_or_else(|| Error::Verify(VerifyError::not_compiled(envelope.system)))?;
    system.verify(key, envelope, &cx)?;
    Ok(())
}

/// Verify many parsed envelopes of batches with one signed timestamp against the anchor at
/// once ([`verify_envelopes_at`] with `batch_timestamp` for each).
pub fn verify_envelopes(
    anchor: &TrustAnchor,
    envelopes: &[Envelope],
    batch_timestamp: u64,
) -> Vec<Result<(), Error>> {
    let at: Vec<u64> = envelopes.iter().map(|_| batch_timestamp).collect();
    verify_envelopes_at(anchor, envelopes, &at)
}

/// Verify many parsed envelopes against the anchor at once, envelope `i` for a batch with the
/// signed timestamp `batch_timestamps[i]`; one result per envelope, in order, each exactly
/// what [`verify_envelope`] would return for it alone. Each system's envelopes go through its
/// `verify_many` together (halo2 shares one `BatchVerifier` check); a system that reads the
/// timestamp gets one call per timestamp. An envelope without a timestamp (a shorter
/// `batch_timestamps`) is verified at timestamp 0.
pub fn verify_envelopes_at(
    anchor: &TrustAnchor,
    envelopes: &[Envelope],
    batch_timestamps: &[u64],
) -> Vec<Result<(), Error>> {
    let ts = |i: usize| batch_timestamps.get(i).copied().unwrap_or(0);
    let mut results: Vec<Option<Result<(), Error>>> = envelopes.iter().map(|_| None).collect();
    for sys in REGISTRY {
        let id = sys.id();
        let Some(key) = anchor.key(id) else { continue };
        // The anchor-level checks once per envelope; those that fail keep their error.
        let mut ready = Vec::new();
        for (i, e) in envelopes.iter().enumerate().filter(|(_, e)| e.system == id) {
            match e.pinned_key(anchor) {
                Ok(_) => ready.push(i),
                Err(err) => results[i] = Some(Err(err.into())),
            }
        }
        // Groups of envelopes verified together, each under one timestamp.
        let mut groups: Vec<(u64, Vec<usize>)> = Vec::new();
        for i in ready {
            let t = if sys.reads_batch_timestamp() {
                ts(i)
            } else {
                0
            };
            match groups.iter_mut().find(|(gt, _)| *gt == t) {
                Some((_, g)) => g.push(i),
                None => groups.push((t, alloc::vec![i])),
            }
        }
        for (_, group) in groups {
            let cx = VerifyContext {
                anchor,
                batch_timestamp: ts(group[0]),
            };
            let batch: Vec<&Envelope> = group.iter().map(|i| &envelopes[*i]).collect();
            for (i, r) in group.into_iter().zip(sys.verify_many(key, &batch, &cx)) {
                results[i] = Some(r.map_err(Error::Verify));
            }
        }
    }
    envelopes
        .iter()
        .zip(results)
        .enumerate()
        .map(|(i, (e, r))| r.unwrap_or_else(|| verify_envelope(anchor, e, ts(i))))
        .collect()
}

/// Decode and verify envelope bytes, for a batch with the signed timestamp
/// `batch_timestamp`. Never panics, whatever the bytes.
pub fn verify_envelope_bytes(
    anchor: &TrustAnchor,
    bytes: &[u8],
    batch_timestamp: u64,
) -> Result<Envelope, Error> {
    let e = Envelope::from_bytes(bytes)?;
    verify_envelope(anchor, &e, batch_timestamp)?;
    Ok(e)
}
