//! The verifier: wasm-safe, never panics on input bytes.
//!
//! An envelope's proof is a container of segment proofs ([`crate::segment`]). Verification
//! parses it (bounded), checks natively that the segments chain into the statement, then
//! checks every segment proof in one `BatchVerifier` (one multi-scalar multiplication of
//! 2^k points for all of them).
//!
//! The verifying key of the segment circuit is rebuilt (`keygen_vk` on its shape) once per
//! profile and kept for the life of the process with the params it was built from
//! ([`verifier_data`]).

use std::io::Cursor;
use std::sync::{Arc, OnceLock};

use halo2_proofs::pasta::{EqAffine, Fp};
use halo2_proofs::plonk::{keygen_vk, verify_proof, BatchVerifier, SingleVerifier, VerifyingKey};
use halo2_proofs::poly::commitment::Params;
use halo2_proofs::transcript::{Blake2bRead, Challenge255};
use multiprover_core::proof_system::precheck;
use multiprover_core::{Envelope, Profile, SystemKey};

use crate::cache::ArcCache;
use crate::circuit::SegmentCircuit;
use crate::error::Error;
use crate::key::KeyMaterial;
use crate::params::params;
use crate::segment::{chain, SegmentPublic, SegmentedProof, MAX_SEGMENT_PROOF};
use crate::system::Halo2;

/// IPA parameters and the verifying key for one profile.
#[derive(Debug)]
pub struct VerifierData {
    /// The profile.
    pub profile: Profile,
    /// The IPA parameters for `k`.
    pub params: Params<EqAffine>,
    /// The verifying key of the segment circuit.
    pub vk: VerifyingKey<EqAffine>,
    /// The length of a segment proof, learnt from the first one that verified (every proof
    /// of a circuit has the same length).
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
            let vk = keygen_vk(&params, &SegmentCircuit::shape(profile))?;
            Ok(VerifierData {
                profile,
                params: Params::clone(&params),
                vk,
                proof_len: OnceLock::new(),
            })
        },
    )
}

/// One segment ready for curve arithmetic: its public inputs and its proof bytes.
type Segment = (Vec<Fp>, Vec<u8>);

/// Everything before curve arithmetic: the container parses with at most `T` segments, the
/// segments chain into the statement, and (once a proof of the circuit has verified) every
/// proof has the circuit's length.
fn prepare(data: &VerifierData, envelope: &Envelope) -> Result<Vec<Segment>, Error> {
    let cap = data.profile.capacity;
    let sp = SegmentedProof::from_bytes(&envelope.proof, cap)?;
    let publics = chain(&envelope.statement, cap, &sp.links)?;
    if let Some(n) = data.proof_len.get() {
        if sp.proofs.iter().any(|p| p.len() != *n) {
            return Err(Error::BadProof("wrong segment proof length"));
        }
    }
    Ok(publics
        .iter()
        .map(|p| p.instance())
        .zip(sp.proofs)
        .collect())
}

/// One segment on its own (`SingleVerifier`), requiring the transcript to consume every
/// byte; the first that verifies sets the circuit's proof length.
fn verify_single(data: &VerifierData, (instance, proof): &Segment) -> Result<(), Error> {
    let mut cursor = Cursor::new(proof.as_slice());
    let mut transcript = Blake2bRead::<_, EqAffine, Challenge255<EqAffine>>::init(&mut cursor);
    verify_proof(
        &data.params,
        &data.vk,
        SingleVerifier::new(&data.params),
        &[&[instance.as_slice()]],
        &mut transcript,
    )
    .map_err(Error::Rejected)?;
    if cursor.position() != proof.len() as u64 {
        return Err(Error::BadProof("trailing bytes"));
    }
    data.proof_len.get_or_init(|| proof.len());
    Ok(())
}

/// Until this process knows the circuit's proof length, verify the first segment on its own
/// (which sets it; `BatchVerifier` does not check that the transcript was consumed), then
/// check the others' lengths. Returns the segments still to batch-verify.
fn learn_len(data: &VerifierData, mut segs: Vec<Segment>) -> Result<Vec<Segment>, Error> {
    if data.proof_len.get().is_none() && !segs.is_empty() {
        let first = segs.remove(0);
        verify_single(data, &first)?;
    }
    if let Some(n) = data.proof_len.get() {
        if segs.iter().any(|(_, p)| p.len() != *n) {
            return Err(Error::BadProof("wrong segment proof length"));
        }
    }
    Ok(segs)
}

fn add_all(batch: &mut BatchVerifier<EqAffine>, segs: Vec<Segment>) {
    for (instance, proof) in segs {
        batch.add_proof(vec![vec![instance]], proof);
    }
}

fn finalize(data: &VerifierData, batch: BatchVerifier<EqAffine>) -> Result<(), Error> {
    if batch.finalize(&data.params, &data.vk) {
        Ok(())
    } else {
        Err(Error::Rejected(
            halo2_proofs::plonk::Error::ConstraintSystemFailure,
        ))
    }
}

/// One envelope: the native checks, then its segments in one `BatchVerifier`.
pub(crate) fn verify_one(data: &VerifierData, envelope: &Envelope) -> Result<(), Error> {
    let segs = learn_len(data, prepare(data, envelope)?)?;
    if segs.is_empty() {
        return Ok(());
    }
    let mut batch = BatchVerifier::<EqAffine>::new();
    add_all(&mut batch, segs);
    finalize(data, batch)
}

/// Verify one envelope against the pinned key.
///
/// Checks, in order: the shared [`precheck`] (the envelope's system is halo2; `envelope.vk_id
/// == key.vk_id == vk_id(&key.key)`); the key material parses and describes this crate's
/// circuit; the proof container parses (at most `T` segments, bounded lengths, no trailing
/// bytes); the segments chain from `pre_root` to `post_root` and from the batch header to
/// `batch_hash`; every segment proof verifies with its public inputs (all in one
/// `BatchVerifier`) and has the circuit's exact length.
pub fn verify(key: &SystemKey, envelope: &Envelope) -> Result<(), Error> {
    precheck::<Halo2>(key, envelope)?;
    let km = KeyMaterial::from_bytes(&key.key)?;
    verify_one(&*verifier_data(km.profile, km.k)?, envelope)
}

/// Verify one segment proof on its own against its public inputs (a node checks each segment
/// as a worker hands it in, before the envelope is assembled).
pub fn verify_segment(km: &KeyMaterial, public: &SegmentPublic, proof: &[u8]) -> Result<(), Error> {
    let data = verifier_data(km.profile, km.k)?;
    if proof.is_empty() || proof.len() > MAX_SEGMENT_PROOF {
        return Err(Error::BadProof("segment proof length out of range"));
    }
    if data.proof_len.get().is_some_and(|n| *n != proof.len()) {
        return Err(Error::BadProof("wrong segment proof length"));
    }
    verify_single(&data, &(public.instance(), proof.to_vec()))
}

/// Verify many envelopes under one parsed key: every segment of every well-formed envelope in
/// one `BatchVerifier` (one shared multi-scalar multiplication). Returns one result per
/// envelope, in order. When the batch check fails, each envelope is verified on its own to say
/// which one failed.
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
    let mut results: Vec<Option<Result<(), Error>>> = Vec::with_capacity(envelopes.len());
    let mut batch = BatchVerifier::<EqAffine>::new();
    let mut any = false;
    for e in envelopes {
        match prepare(&data, e).and_then(|s| learn_len(&data, s)) {
            Ok(segs) => {
                any |= !segs.is_empty();
                add_all(&mut batch, segs);
                results.push(None);
            }
            Err(err) => results.push(Some(Err(err))),
        }
    }
    let batch_ok = !any || finalize(&data, batch).is_ok();
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
