//! The verifier: wasm-safe, never panics on input bytes.
//!
//! Params (`Params::new(k)`, deterministic for IPA) and the verifying key (`keygen_vk` on the
//! circuit shape) are built once per profile and cached for the life of the process.
//!
//! `Params::new(17)` is by far the most expensive step of a fresh verifier (three minutes on
//! one core natively, far longer in a browser), while reading the same params from bytes
//! takes about two seconds. So the params may come from anywhere — a node, a CDN, a file —
//! through [`load_params`], which accepts only bytes whose keccak256 is pinned here
//! ([`PARAMS_DIGESTS`], checked against a fresh `Params::new` by the crate's fixture test).
//! Untrusted bytes therefore cannot change what verifies; without them the verifier computes
//! the params itself.

use std::io::Cursor;
use std::sync::{Arc, Mutex, OnceLock};

use alloy_primitives::{b256, keccak256, B256};
use halo2_proofs::pasta::{EqAffine, Fp};
use halo2_proofs::plonk::{keygen_vk, verify_proof, BatchVerifier, SingleVerifier, VerifyingKey};
use halo2_proofs::poly::commitment::Params;
use halo2_proofs::transcript::{Blake2bRead, Challenge255};
use multiprover_core::{Envelope, Profile, SystemId, SystemKey};

use crate::circuit::{public_inputs, StatementCircuit};
use crate::error::Error;
use crate::key::{vk_id, KeyMaterial};

/// IPA parameters and the verifying key for one profile.
#[derive(Debug)]
pub struct VerifierData {
    /// The profile.
    pub profile: Profile,
    /// The IPA parameters for `k`.
    pub params: Params<EqAffine>,
    /// The verifying key.
    pub vk: VerifyingKey<EqAffine>,
    /// The length of a proof, learnt from the first proof that verified (every proof of a
    /// circuit has the same length).
    pub proof_len: OnceLock<usize>,
}

type Cache = Mutex<Vec<Arc<VerifierData>>>;

/// keccak256 of `Params::<EqAffine>::new(k)` serialized by `Params::write`, per `k`: the
/// bytes [`load_params`] accepts. Every profile this crate's circuits use today has k = 17.
pub const PARAMS_DIGESTS: [(u32, B256); 1] = [(
    17,
    b256!("04a2e666fca94140978862cef0351a397a0b2a333610a70c540858cb88d8a77b"),
)];

/// The pinned digest of the params for `k`, if there is one.
pub fn params_digest(k: u32) -> Option<B256> {
    PARAMS_DIGESTS
        .iter()
        .find(|(kk, _)| *kk == k)
        .map(|(_, d)| *d)
}

type ParamsCache = Mutex<Vec<Arc<Params<EqAffine>>>>;

fn params_cache() -> &'static ParamsCache {
    static PARAMS: OnceLock<ParamsCache> = OnceLock::new();
    PARAMS.get_or_init(|| Mutex::new(Vec::new()))
}

fn cached_params(k: u32) -> Option<Arc<Params<EqAffine>>> {
    let c = params_cache().lock().ok()?;
    c.iter().find(|p| p.k() == k).cloned()
}

fn insert_params(p: Arc<Params<EqAffine>>) {
    if let Ok(mut c) = params_cache().lock() {
        if !c.iter().any(|q| q.k() == p.k()) {
            c.push(p);
        }
    }
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
    let file = std::env::var_os(PARAMS_DIR_ENV)
        .map(|d| std::path::PathBuf::from(d).join(format!("halo2-params-k{k}.bin")));
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(bytes) = file.as_ref().and_then(|f| std::fs::read(f).ok()) {
        if matches!(load_params(&bytes), Ok(kk) if kk == k) {
            if let Some(p) = cached_params(k) {
                return p;
            }
        }
    }
    let p = Arc::new(Params::<EqAffine>::new(k));
    insert_params(p.clone());
    #[cfg(not(target_arch = "wasm32"))]
    if let (Some(file), Some(_)) = (file, params_digest(k)) {
        // Write-then-rename, so a concurrent reader never sees half a file.
        let mut bytes = Vec::new();
        if p.write(&mut bytes).is_ok() {
            let tmp = file.with_extension(format!("tmp{}", std::process::id()));
            if let Some(dir) = file.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            if std::fs::write(&tmp, &bytes).is_ok() {
                let _ = std::fs::rename(&tmp, &file);
            }
        }
    }
    p
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

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Vec::new()))
}

#[cfg(feature = "prover")]
pub(crate) fn insert_cached(data: Arc<VerifierData>) {
    if let Ok(mut c) = cache().lock() {
        if !c
            .iter()
            .any(|d| d.profile == data.profile && d.params.k() == data.params.k())
        {
            c.push(data);
        }
    }
}

/// The cached params and verifying key for a profile and `k`, built on first use.
pub fn verifier_data(profile: Profile, k: u32) -> Result<Arc<VerifierData>, Error> {
    let mut c = cache()
        .lock()
        .map_err(|_| Error::BadKey("verifier cache poisoned"))?;
    if let Some(d) = c.iter().find(|d| d.profile == profile && d.params.k() == k) {
        return Ok(d.clone());
    }
    let params = params(k);
    let vk = keygen_vk(&params, &StatementCircuit::shape(profile))?;
    let d = Arc::new(VerifierData {
        profile,
        params: Params::clone(&params),
        vk,
        proof_len: OnceLock::new(),
    });
    c.push(d.clone());
    Ok(d)
}

/// The checks before any curve arithmetic: system, vk ids, key material, a non-empty proof.
fn precheck(key: &SystemKey, envelope: &Envelope) -> Result<KeyMaterial, Error> {
    if envelope.system != SystemId::Halo2 {
        return Err(Error::WrongSystem(envelope.system));
    }
    if key.system != SystemId::Halo2 {
        return Err(Error::WrongSystem(key.system));
    }
    if envelope.vk_id != key.vk_id || key.vk_id != vk_id(&key.key) {
        return Err(Error::VkIdMismatch);
    }
    let km = KeyMaterial::from_bytes(&key.key)?;
    if envelope.proof.is_empty() {
        return Err(Error::BadProof("empty proof"));
    }
    Ok(km)
}

fn check_len(data: &VerifierData, envelope: &Envelope) -> Result<(), Error> {
    match data.proof_len.get() {
        Some(n) if *n != envelope.proof.len() => Err(Error::BadProof("wrong proof length")),
        _ => Ok(()),
    }
}

fn verify_one(data: &VerifierData, envelope: &Envelope) -> Result<(), Error> {
    check_len(data, envelope)?;
    let pubs = public_inputs(&envelope.statement);
    let mut cursor = Cursor::new(envelope.proof.as_slice());
    let mut transcript = Blake2bRead::<_, EqAffine, Challenge255<EqAffine>>::init(&mut cursor);
    verify_proof(
        &data.params,
        &data.vk,
        SingleVerifier::new(&data.params),
        &[&[pubs.as_slice()]],
        &mut transcript,
    )
    .map_err(Error::Rejected)?;
    if cursor.position() != envelope.proof.len() as u64 {
        return Err(Error::BadProof("trailing bytes"));
    }
    let _ = data.proof_len.set(envelope.proof.len());
    Ok(())
}

/// Verify one envelope against the pinned key.
///
/// Checks, in order: the envelope's system is halo2; `envelope.vk_id == key.vk_id ==
/// vk_id(&key.key)`; the key material parses and describes this crate's circuit; the proof
/// verifies with the statement's 12 public inputs and is exactly as long as the transcript it
/// carries (no trailing bytes).
pub fn verify(key: &SystemKey, envelope: &Envelope) -> Result<(), Error> {
    let km = precheck(key, envelope)?;
    let data = verifier_data(km.profile, km.k)?;
    verify_one(&data, envelope)
}

/// Verify many envelopes under one key, sharing the expensive multi-scalar multiplication
/// (halo2's `BatchVerifier`). Returns one result per envelope, in order. When the batch
/// check fails, every envelope is verified on its own to say which one failed. Proofs must
/// have the circuit's exact proof length: if this process has not verified a proof of this
/// circuit yet, the first candidate is verified on its own to learn it.
pub fn verify_many(key: &SystemKey, envelopes: &[Envelope]) -> Vec<Result<(), Error>> {
    let mut results: Vec<Result<(), Error>> = envelopes
        .iter()
        .map(|e| precheck(key, e).map(|_| ()))
        .collect();
    let km = match KeyMaterial::from_bytes(&key.key) {
        Ok(km) => km,
        Err(_) => return results,
    };
    let data = match verifier_data(km.profile, km.k) {
        Ok(d) => d,
        Err(_) => {
            return envelopes
                .iter()
                .map(|_| Err(Error::BadKey("cannot build the verifying key")))
                .collect();
        }
    };
    if data.proof_len.get().is_none() {
        if let Some(i) = results.iter().position(|r| r.is_ok()) {
            if let (Some(e), Some(r)) = (envelopes.get(i), results.get_mut(i)) {
                *r = verify_one(&data, e);
            }
            // A failed first candidate is settled; try to learn the length from the next.
            if data.proof_len.get().is_none() {
                for (e, r) in envelopes.iter().zip(results.iter_mut()).skip(i + 1) {
                    if r.is_ok() {
                        *r = verify_one(&data, e);
                        if data.proof_len.get().is_some() {
                            break;
                        }
                    }
                }
            }
        }
    }
    let learnt = data.proof_len.get().copied();
    for (e, r) in envelopes.iter().zip(results.iter_mut()) {
        if r.is_ok() {
            *r = check_len(&data, e);
        }
    }
    let candidates: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_ok())
        .map(|(i, _)| i)
        .collect();
    let _ = learnt;
    if candidates.is_empty() {
        return results;
    }
    let mut batch = BatchVerifier::<EqAffine>::new();
    for &i in &candidates {
        if let Some(e) = envelopes.get(i) {
            let pubs: Vec<Fp> = public_inputs(&e.statement);
            batch.add_proof(vec![vec![pubs]], e.proof.clone());
        }
    }
    if !batch.finalize(&data.params, &data.vk) {
        for &i in &candidates {
            if let (Some(e), Some(r)) = (envelopes.get(i), results.get_mut(i)) {
                *r = verify_one(&data, e);
            }
        }
    }
    results
}
