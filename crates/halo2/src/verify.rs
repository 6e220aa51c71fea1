//! The verifier: wasm-safe, never panics on input bytes.
//!
//! The verifying key is rebuilt (`keygen_vk` on the circuit shape) once per profile and kept
//! for the life of the process with the params it was built from ([`verifier_data`]).

use std::io::Cursor;
use std::sync::{Arc, OnceLock};

use halo2_proofs::pasta::{EqAffine, Fp};
use halo2_proofs::plonk::{keygen_vk, verify_proof, BatchVerifier, SingleVerifier, VerifyingKey};
use halo2_proofs::poly::commitment::Params;
use halo2_proofs::transcript::{Blake2bRead, Challenge255};
use multiprover_core::proof_system::precheck;
use multiprover_core::{Envelope, Profile, SystemKey};

use crate::cache::ArcCache;
use crate::circuit::{public_inputs, StatementCircuit};
use crate::error::Error;
use crate::key::KeyMaterial;
use crate::params::params;
use crate::system::Halo2;

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

static VERIFIER_DATA: ArcCache<VerifierData> = ArcCache::new();

fn same_circuit(d: &VerifierData, profile: Profile, k: u32) -> bool {
    d.profile == profile && d.params.k() == k
}

#[cfg(feature = "prover")]
pub(crate) fn insert_cached(data: Arc<VerifierData>) {
    let (profile, k) = (data.profile, data.params.k());
    VERIFIER_DATA.insert_unless(data, |d| same_circuit(d, profile, k));
}

/// The cached params and verifying key for a profile and `k`, built on first use.
pub fn verifier_data(profile: Profile, k: u32) -> Result<Arc<VerifierData>, Error> {
    VERIFIER_DATA.get_or_try_insert(
        |d| same_circuit(d, profile, k),
        || {
            let params = params(k);
            let vk = keygen_vk(&params, &StatementCircuit::shape(profile))?;
            Ok(VerifierData {
                profile,
                params: Params::clone(&params),
                vk,
                proof_len: OnceLock::new(),
            })
        },
    )
}

/// The checks of an envelope before any curve arithmetic: a non-empty proof of the circuit's
/// length (once a proof of the circuit has verified).
fn check_len(data: &VerifierData, envelope: &Envelope) -> Result<(), Error> {
    if envelope.proof.is_empty() {
        return Err(Error::BadProof("empty proof"));
    }
    match data.proof_len.get() {
        Some(n) if *n != envelope.proof.len() => Err(Error::BadProof("wrong proof length")),
        _ => Ok(()),
    }
}

pub(crate) fn verify_one(data: &VerifierData, envelope: &Envelope) -> Result<(), Error> {
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
    // Every proof of a circuit has one length: the first that verifies sets it.
    data.proof_len.get_or_init(|| envelope.proof.len());
    Ok(())
}

/// Verify one envelope against the pinned key.
///
/// Checks, in order: the shared [`precheck`] (the envelope's system is halo2; `envelope.vk_id
/// == key.vk_id == vk_id(&key.key)`); the key material parses and describes this crate's
/// circuit; the proof verifies with the statement's 12 public inputs and is exactly as long as
/// the transcript it carries (no trailing bytes).
pub fn verify(key: &SystemKey, envelope: &Envelope) -> Result<(), Error> {
    precheck::<Halo2>(key, envelope)?;
    let km = KeyMaterial::from_bytes(&key.key)?;
    verify_one(&*verifier_data(km.profile, km.k)?, envelope)
}

/// Verify many envelopes under one parsed key, sharing the expensive multi-scalar
/// multiplication (halo2's `BatchVerifier`). Returns one result per envelope, in order. When
/// the batch check fails, every envelope is verified on its own to say which one failed.
/// Proofs must have the circuit's exact proof length: if this process has not verified a
/// proof of this circuit yet, candidates are verified on their own until one sets it.
pub fn verify_many(km: &KeyMaterial, envelopes: &[&Envelope]) -> Vec<Result<(), Error>> {
    let data = match verifier_data(km.profile, km.k) {
        Ok(d) => d,
        Err(_) => {
            return envelopes
                .iter()
                .map(|_| Err(Error::BadKey("cannot build the verifying key")))
                .collect();
        }
    };
    let mut results: Vec<Option<Result<(), Error>>> = envelopes.iter().map(|_| None).collect();
    for (e, r) in envelopes.iter().zip(results.iter_mut()) {
        if data.proof_len.get().is_some() {
            break;
        }
        *r = Some(verify_one(&data, e));
    }
    let mut batch = BatchVerifier::<EqAffine>::new();
    let mut candidates = Vec::new();
    for (i, (e, r)) in envelopes.iter().zip(results.iter_mut()).enumerate() {
        if r.is_none() {
            match check_len(&data, e) {
                Ok(()) => {
                    let pubs: Vec<Fp> = public_inputs(&e.statement);
                    batch.add_proof(vec![vec![pubs]], e.proof.clone());
                    candidates.push(i);
                }
                Err(err) => *r = Some(Err(err)),
            }
        }
    }
    let batch_ok = candidates.is_empty() || batch.finalize(&data.params, &data.vk);
    envelopes
        .iter()
        .zip(results)
        .map(|(e, r)| match r {
            Some(r) => r,
            None if batch_ok => Ok(()),
            None => verify_one(&data, e),
        })
        .collect()
}
