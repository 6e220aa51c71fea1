//! halo2's IPA params: setup data a verifier may take from an untrusted source instead of computing it. It is
//! accepted only when it matches a digest pinned in this build, so a bad source can make a
//! verifier slower (it falls back to computing), never make it accept anything. Today this
//! is halo2's IPA params: `Params::new(14)` costs seconds natively and many more in a
//! browser; reading the same bytes is faster.

use alloc::vec::Vec;

use multiprover_core::proof_system::VerifyError;
use multiprover_core::{SystemId, TrustAnchor};

use crate::error::Error;

/// The `k` of the halo2 params the anchor's halo2 key needs, when this build can verify
/// halo2 and pins a digest for that `k` (so fetching them is worth it).
pub fn halo2_params_k(anchor: &TrustAnchor) -> Option<u32> {
    #[cfg(feature = "halo2")]
    {
        let key = anchor.key(SystemId::Halo2)?;
        let km = multiprover_halo2::KeyMaterial::from_bytes(&key.key).ok()?;
        multiprover_halo2::params_digest(km.k).map(|_| km.k)
    }
    #[cfg(not(feature = "halo2"))]
    {
        let _ = anchor;
        None
    }
}

/// The params bytes for `k`, if the anchor's halo2 key needs exactly those and their digest
/// is pinned (a node serves these to light clients). Computes them on first use (slow).
pub fn halo2_params_bytes(anchor: &TrustAnchor, k: u32) -> Result<Vec<u8>, Error> {
    #[cfg(not(feature = "halo2"))]
    let _ = k;
    match halo2_params_k(anchor) {
        #[cfg(feature = "halo2")]
        Some(kk) if kk == k => multiprover_halo2::params_bytes(k).map_err(halo2_error),
        Some(_) => Err(Error::Setup("the anchor's halo2 key uses another k")),
        None if compiled(SystemId::Halo2) => Err(Error::Setup(
            "the anchor pins no halo2 key with pinned params",
        )),
        None => Err(VerifyError::not_compiled(SystemId::Halo2).into()),
    }
}

/// Accept halo2 params bytes from anywhere: checked against the pinned digest, then used
/// instead of computing them. Returns their `k`.
pub fn load_halo2_params(bytes: &[u8]) -> Result<u32, Error> {
    #[cfg(feature = "halo2")]
    {
        multiprover_halo2::load_params(bytes).map_err(halo2_error)
    }
    #[cfg(not(feature = "halo2"))]
    {
        let _ = bytes;
        Err(VerifyError::not_compiled(SystemId::Halo2).into())
    }
}

fn compiled(system: SystemId) -> bool {
    crate::dispatch::system(system).is_some()
}

#[cfg(feature = "halo2")]
fn halo2_error(e: multiprover_halo2::Error) -> Error {
    VerifyError::new(SystemId::Halo2, e).into()
}
