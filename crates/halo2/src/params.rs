//! The IPA parameters: pinned digests, loading untrusted bytes, and the process-wide cache.
//!
//! `Params::new(k)` is the most expensive step of a fresh verifier after `keygen_vk` (it was
//! three minutes on one core natively at k = 17; k = 14 is about eight times less), while
//! reading the same params from bytes is much faster. So the params may come from anywhere — a node, a CDN, a file —
//! through [`load_params`], which accepts only bytes whose keccak256 is pinned here
//! ([`PARAMS_DIGESTS`], checked against a fresh `Params::new` by the crate's fixture test).
//! Untrusted bytes therefore cannot change what verifies; without them the verifier computes
//! the params itself.

use std::sync::Arc;

use alloy_primitives::{b256, keccak256, B256};
use halo2_proofs::pasta::EqAffine;
use halo2_proofs::poly::commitment::Params;

use crate::cache::ArcCache;
use crate::error::Error;

/// keccak256 of `Params::<EqAffine>::new(k)` serialized by `Params::write`, per `k`: the
/// bytes [`load_params`] accepts. Every profile the project uses (D = 8 and D = 20) has a
/// segment circuit of k = 14.
pub const PARAMS_DIGESTS: [(u32, B256); 1] = [(
    14,
    b256!("8cf63247a123bcb0c9f994dadce3ffec6066b42ba8a955626e0976748b0a4bdf"),
)];

/// The pinned digest of the params for `k`, if there is one.
pub fn params_digest(k: u32) -> Option<B256> {
    PARAMS_DIGESTS
        .iter()
        .find(|(kk, _)| *kk == k)
        .map(|(_, d)| *d)
}

static PARAMS: ArcCache<Params<EqAffine>> = ArcCache::new();

fn cached_params(k: u32) -> Option<Arc<Params<EqAffine>>> {
    PARAMS.find(|p| p.k() == k)
}

fn insert_params(p: Arc<Params<EqAffine>>) {
    let k = p.k();
    PARAMS.insert_unless(p, |q| q.k() == k);
}

/// Environment variable naming a directory where native processes share halo2 params:
/// read through [`load_params`] (so only the pinned bytes are used), written after computing
/// them. A node restart or the next test process then loads them in seconds.
pub const PARAMS_DIR_ENV: &str = "MULTIPROVER_HALO2_PARAMS_DIR";

/// The params for `k`: loaded or computed earlier in this process, read from
/// [`PARAMS_DIR_ENV`] if set (native only), or computed now (slow; then written there).
pub fn params(k: u32) -> Arc<Params<EqAffine>> {
    if let Some(p) = cached_params(k) {
        return p;
    }
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(p) = disk::read(k) {
        return p;
    }
    let p = Arc::new(Params::<EqAffine>::new(k));
    insert_params(p.clone());
    #[cfg(not(target_arch = "wasm32"))]
    disk::write(&p);
    p
}

/// The native disk cache behind [`PARAMS_DIR_ENV`]: best effort, never trusted (what is read
/// goes through [`load_params`]).
#[cfg(not(target_arch = "wasm32"))]
mod disk {
    use std::path::PathBuf;
    use std::sync::Arc;

    use halo2_proofs::pasta::EqAffine;
    use halo2_proofs::poly::commitment::Params;

    use super::{cached_params, load_params, params_digest, PARAMS_DIR_ENV};

    fn file(k: u32) -> Option<PathBuf> {
        std::env::var_os(PARAMS_DIR_ENV)
            .map(|d| PathBuf::from(d).join(format!("halo2-params-k{k}.bin")))
    }

    pub(super) fn read(k: u32) -> Option<Arc<Params<EqAffine>>> {
        let bytes = std::fs::read(file(k)?).ok()?;
        match load_params(&bytes) {
            Ok(kk) if kk == k => cached_params(k),
            _ => None,
        }
    }

    /// Write-then-rename, so a concurrent reader never sees half a file. A failure only
    /// means the next process computes the params again.
    pub(super) fn write(p: &Params<EqAffine>) {
        let (Some(file), Some(_)) = (file(p.k()), params_digest(p.k())) else {
            return;
        };
        let mut bytes = Vec::new();
        if p.write(&mut bytes).is_err() {
            return;
        }
        let tmp = file.with_extension(format!("tmp{}", std::process::id()));
        let written = file
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&tmp, &bytes))
            .and_then(|()| std::fs::rename(&tmp, &file));
        if written.is_err() {
            std::fs::remove_file(&tmp).ok();
        }
    }
}

/// The params for `k` as bytes (`Params::write`), for serving to verifiers that would
/// otherwise compute them. Computes them if this process has not (slow).
pub fn params_bytes(k: u32) -> Result<Vec<u8>, Error> {
    if k > crate::key::MAX_K {
        return Err(Error::BadParams("k above the largest a verifier accepts"));
    }
    let mut out = Vec::new();
    params(k)
        .write(&mut out)
        .map_err(|_| Error::BadParams("cannot serialize params"))?;
    Ok(out)
}

/// Accept params bytes from an untrusted source if their keccak256 is the pinned digest for
/// the `k` they declare (first four bytes, little endian); they are then used instead of
/// computing `Params::new(k)`. Returns `k`. Never panics, whatever the bytes.
pub fn load_params(bytes: &[u8]) -> Result<u32, Error> {
    let head: [u8; 4] = bytes
        .get(..4)
        .and_then(|h| h.try_into().ok())
        .ok_or(Error::BadParams("shorter than its header"))?;
    let k = u32::from_le_bytes(head);
    let digest = params_digest(k).ok_or(Error::BadParams("no pinned digest for this k"))?;
    if keccak256(bytes) != digest {
        return Err(Error::BadParams("digest differs from the pinned one"));
    }
    if cached_params(k).is_some() {
        return Ok(k);
    }
    let mut reader = bytes;
    let p = Params::<EqAffine>::read(&mut reader)
        .map_err(|_| Error::BadParams("points do not decode"))?;
    if !reader.is_empty() || p.k() != k {
        return Err(Error::BadParams("trailing bytes"));
    }
    insert_params(Arc::new(p));
    Ok(k)
}
