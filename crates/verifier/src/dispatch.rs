//! Envelope → the right system verifier, after the anchor-level checks.

use alloc::vec::Vec;
use multiprover_core::{Envelope, SystemId, TrustAnchor};

use crate::error::Error;

/// Verify one parsed envelope against the anchor at time `now_unix` (used by the TEE
/// registration windows). Checks the chain id and the pinned verifying-key id
/// ([`Envelope::pinned_key`]) before the system's own verifier runs.
pub fn verify_envelope(
    anchor: &TrustAnchor,
    envelope: &Envelope,
    now_unix: u64,
) -> Result<(), Error> {
    #[cfg_attr(
        not(any(
            feature = "halo2",
            feature = "plonky2",
            feature = "stark",
            feature = "tee"
        )),
        allow(unused_variables)
    )]
    let key = envelope.pinned_key(anchor)?;
    let _ = now_unix;
    match envelope.system {
        #[cfg(feature = "halo2")]
        SystemId::Halo2 => multiprover_halo2::verify(key, envelope).map_err(Error::from),
        #[cfg(feature = "plonky2")]
        SystemId::Plonky2 => multiprover_plonky2::verify(key, envelope).map_err(Error::from),
        #[cfg(feature = "stark")]
        SystemId::Stark => multiprover_stark::verify(key, envelope).map_err(Error::from),
        #[cfg(feature = "tee")]
        SystemId::Tee => {
            multiprover_tee::verify(&anchor.tee, key, envelope, now_unix).map_err(Error::from)
        }
        #[allow(unreachable_patterns)]
        other => Err(Error::NotCompiled(other)),
    }
}

/// Verify many parsed envelopes against the anchor at once; one result per envelope, in
/// order, each exactly what [`verify_envelope`] would return for it alone. halo2's envelopes
/// share one `BatchVerifier` check (its final multi-scalar multiplication is linear in 2^k
/// and dominates a single verification); when that check fails, each of them is verified on
/// its own to say which one is bad. The other systems are verified one by one.
pub fn verify_envelopes(
    anchor: &TrustAnchor,
    envelopes: &[Envelope],
    now_unix: u64,
) -> Vec<Result<(), Error>> {
    #[cfg(feature = "halo2")]
    {
        let mut results: Vec<Option<Result<(), Error>>> = envelopes.iter().map(|_| None).collect();
        let mut batch: Vec<(usize, Envelope)> = Vec::new();
        let mut key = None;
        for (i, e) in envelopes.iter().enumerate() {
            if e.system == SystemId::Halo2 {
                match e.pinned_key(anchor) {
                    Ok(k) => {
                        key = Some(k);
                        batch.push((i, e.clone()));
                    }
                    Err(err) => results[i] = Some(Err(Error::from(err))),
                }
            }
        }
        if let Some(key) = key {
            let list: Vec<Envelope> = batch.iter().map(|(_, e)| e.clone()).collect();
            for ((i, _), r) in batch.iter().zip(multiprover_halo2::verify_many(key, &list)) {
                results[*i] = Some(r.map_err(Error::from));
            }
        }
        envelopes
            .iter()
            .zip(results)
            .map(|(e, r)| r.unwrap_or_else(|| verify_envelope(anchor, e, now_unix)))
            .collect()
    }
    #[cfg(not(feature = "halo2"))]
    {
        envelopes
            .iter()
            .map(|e| verify_envelope(anchor, e, now_unix))
            .collect()
    }
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

/// Which systems this build can verify.
pub fn compiled_systems() -> alloc::vec::Vec<SystemId> {
    SystemId::ALL
        .into_iter()
        .filter(|s| match s {
            SystemId::Halo2 => cfg!(feature = "halo2"),
            SystemId::Plonky2 => cfg!(feature = "plonky2"),
            SystemId::Stark => cfg!(feature = "stark"),
            SystemId::Tee => cfg!(feature = "tee"),
        })
        .collect()
}
