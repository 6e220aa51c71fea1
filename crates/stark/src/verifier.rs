//! The verifier: envelope and key checks, a strict pre-check of the proof's context (so that
//! winterfell's deserializer and AIR constructor, which assert on some values, never see bytes
//! that would make them panic), then winterfell's verification with the anchor's minimum
//! security as `AcceptableOptions`.

use alloc::string::ToString;
use crypto::hashers::Blake3_256;
use crypto::{DefaultRandomCoin, MerkleTree};
use math::fields::f64::BaseElement;
use math::StarkField;
use multiprover_core::{Envelope, Statement, SystemId, SystemKey};
use verifier::{AcceptableOptions, Proof, Serializable, TraceInfo};

use crate::air::{BatchAir, PublicInputs};
use crate::error::Error;
use crate::key::{vk_id, KeyParams};
use crate::layout::{Schedule, TRACE_WIDTH};

/// The commitment hash: BLAKE3-256 over Goldilocks elements.
pub type Hasher = Blake3_256<BaseElement>;
/// The vector commitment: a BLAKE3 Merkle tree.
pub type VectorCommit = MerkleTree<Hasher>;
/// The Fiat-Shamir coin.
pub type Coin = DefaultRandomCoin<Hasher>;

/// Smallest blowup factor the AIR accepts (its constraints have degree 7 + one periodic factor).
pub const MIN_BLOWUP: u8 = 8;

/// Verify an envelope against the key pinned in the trust anchor.
///
/// Checks, in order: the system; `envelope.vk_id == key.vk_id == vk_id(key.key)`; the key
/// material parses; the proof's context has this AIR's trace shape and sane options; the proof
/// verifies for `envelope.statement.public_inputs()` with at least the key's minimum
/// conjectured security. Never panics on any input bytes.
pub fn verify(key: &SystemKey, envelope: &Envelope) -> Result<(), Error> {
    if envelope.system != SystemId::Stark {
        return Err(Error::WrongSystem(envelope.system));
    }
    if key.system != SystemId::Stark {
        return Err(Error::WrongSystem(key.system));
    }
    if envelope.vk_id != key.vk_id || key.vk_id != vk_id(&key.key) {
        return Err(Error::VkIdMismatch);
    }
    let params = KeyParams::from_bytes(&key.key)?;
    verify_proof(&params, &envelope.statement, &envelope.proof)
}

/// Verify raw proof bytes for a statement under parsed key parameters.
pub fn verify_proof(params: &KeyParams, statement: &Statement, proof: &[u8]) -> Result<(), Error> {
    let schedule = Schedule {
        depth: params.profile.depth as usize,
        capacity: params.profile.capacity as usize,
    };
    precheck_context(&schedule, proof)?;
    let proof = Proof::from_bytes(proof).map_err(|e| Error::ProofParse(e.to_string()))?;
    let pub_inputs = PublicInputs {
        statement: statement.public_inputs_u64(),
        depth: params.profile.depth,
        capacity: params.profile.capacity,
        variant: params.variant,
    };
    let acceptable = AcceptableOptions::MinConjecturedSecurity(params.min_security_bits);
    verifier::verify::<BatchAir, Hasher, Coin, VectorCommit>(proof, pub_inputs, &acceptable)?;
    Ok(())
}

/// Check the serialized proof context byte by byte: trace info exactly this AIR's, the
/// Goldilocks modulus, and proof options within the ranges winterfell asserts on, with a
/// blowup of at least [`MIN_BLOWUP`].
fn precheck_context(schedule: &Schedule, bytes: &[u8]) -> Result<(), Error> {
    let ti = TraceInfo::new(TRACE_WIDTH, schedule.trace_length()).to_bytes();
    if bytes.get(..ti.len()) != Some(&ti[..]) {
        return Err(Error::TraceShape("trace info differs from the AIR's"));
    }
    let modulus = BaseElement::get_modulus_le_bytes();
    let mut off = ti.len();
    if bytes.get(off) != Some(&(modulus.len() as u8))
        || bytes.get(off + 1..off + 1 + modulus.len()) != Some(&modulus[..])
    {
        return Err(Error::TraceShape("field is not Goldilocks"));
    }
    off += 1 + modulus.len();
    let o = bytes
        .get(off..off + 10)
        .ok_or(Error::ProofParse("truncated options".into()))?;
    let (queries, blowup, grinding, ext, folding, remainder) = (o[0], o[1], o[2], o[3], o[4], o[5]);
    if queries == 0 {
        return Err(Error::WeakOptions("no queries"));
    }
    if !blowup.is_power_of_two() || !(MIN_BLOWUP..=128).contains(&blowup) {
        return Err(Error::WeakOptions(
            "blowup factor must be a power of two in 8..=128",
        ));
    }
    if grinding > 32 {
        return Err(Error::WeakOptions("grinding factor above 32"));
    }
    if !(1..=3).contains(&ext) {
        return Err(Error::WeakOptions("unknown field extension"));
    }
    if !folding.is_power_of_two() || !(2..=16).contains(&folding) {
        return Err(Error::WeakOptions(
            "FRI folding factor must be 2, 4, 8 or 16",
        ));
    }
    if !(remainder as u16 + 1).is_power_of_two() {
        return Err(Error::WeakOptions("FRI remainder degree must be 2^k - 1"));
    }
    if o[6] > 2 || o[7] > 2 {
        return Err(Error::WeakOptions("unknown batching method"));
    }
    if !(1..=16).contains(&o[8]) || o[9] == 0 {
        return Err(Error::WeakOptions("partition options out of range"));
    }
    Ok(())
}
