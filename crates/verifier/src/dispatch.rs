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

/// Verify one parsed envelope against the anchor at time `now_unix` (used by the TEE
/// registration windows). Checks the chain id and the pinned verifying-key id
/// ([`Envelope::pinned_key`]) before the system's own verifier runs.
pub fn verify_envelope(
    anchor: &TrustAnchor,
    envelope: &Envelope,
    now_unix: u64,
) -> Result<(), Error> {
    verify_envelope_in(REGISTRY, anchor, envelope, now_unix)
}

/// [`verify_envelope`] over another registry than this build's (an embedder's own set of
/// systems, a test's toy system).
pub fn verify_envelope_in(
    registry: &[&dyn DynProofSystem],
    anchor: &TrustAnchor,
    envelope: &Envelope,
    now_unix: u64,
) -> Result<(), Error> {
    let key = envelope.pinned_key(anchor)?;
    let cx = VerifyContext { anchor, now_unix };
    let system = registry
        .iter()
        .find(|s| s.id() == envelope.system)
        .ok_or_else(|| Error::Verify(VerifyError::not_compiled(envelope.system)))?;
    system.verify(key, envelope, &cx)?;
    Ok(())
}

/// Verify many parsed envelopes against the anchor at once; one result per envelope, in
/// order, each exactly what [`verify_envelope`] would return for it alone. Each system's
/// envelopes go through its `verify_many` together (halo2 shares one `BatchVerifier` check).
pub fn verify_envelopes(
    anchor: &TrustAnchor,
    envelopes: &[Envelope],
    now_unix: u64,
) -> Vec<Result<(), Error>> {
    let cx = VerifyContext { anchor, now_unix };
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
        let batch: Vec<&Envelope> = ready.iter().map(|i| &envelopes[*i]).collect();
        for (i, r) in ready.into_iter().zip(sys.verify_many(key, &batch, &cx)) {
            results[i] = Some(r.map_err(Error::Verify));
        }
    }
    envelopes
        .iter()
        .zip(results)
        .map(|(e, r)| r.unwrap_or_else(|| verify_envelope(anchor, e, now_unix)))
        .collect()
}

/// Decode and verify envelope bytes. Never panics, whatever the bytes.
pub fn verify_envelope_bytes(
    anchor: &TrustAnchor,
    bytes: &[u8],
    now_unix: u64,
) -> Result<Envelope, Error> {
    let e = Envelope::from_bytes(bytes)?;
    verify_envelope(anchor, &e, now_unix)?;
    Ok(e)
}
