//! The verifier: envelope and key checks, a strict pre-check of the proof's context (so that
//! winterfell's deserializer and AIR constructor, which assert on some values, never see bytes
//! that would make them panic), then winterfell's verification with the anchor's minimum
//! security as `AcceptableOptions`.

use crypto::hashers::Blake3_256;
use crypto::{DefaultRandomCoin, MerkleTree};
use math::fields::f64::BaseElement;
use math::StarkField;
use multiprover_core::proof_system::precheck;
use multiprover_core::{Envelope, Statement, SystemKey};
use verifier::{AcceptableOptions, Proof, Serializable, TraceInfo};

use crate::air::{BatchAir, PublicInputs};
use crate::error::Error;
use crate::key::KeyParams;
use crate::layout::{Schedule, TRACE_WIDTH};
use crate::system::Stark;

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
/// Checks, in order: the shared [`precheck`] (the system; `envelope.vk_id == key.vk_id ==
/// vk_id(key.key)`); the key
/// material parses; the proof's context has this AIR's trace shape and sane options; the proof
/// verifies for `envelope.statement.public_inputs()` with at least the key's minimum
/// conjectured security. Never panics on any input bytes.
pub fn verify(key: &SystemKey, envelope: &Envelope) -> Result<(), Error> {
    precheck::<Stark>(key, envelope)?;
    let params = KeyParams::from_bytes(&key.key)?;
    verify_proof(&params, &envelope.statement, &envelope.proof)
}

/// Verify raw proof bytes for a statement under parsed key parameters.
pub fn verify_proof(params: &KeyParams, statement: &Statement, proof: &[u8]) -> Result<(), Error> {
    let schedule = Schedule {
        depth: params.profile.depth as usize,
        capacity: params.profile.capacity as usize,
    };
    let context_len = precheck_context(&schedule, proof)?;
    precheck_structure(proof, context_len)?;
    let proof = Proof::from_bytes(proof).map_err(Error::ProofParse)?;
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
/// blowup of at least [`MIN_BLOWUP`]. Returns the length of that prefix.
fn precheck_context(schedule: &Schedule, bytes: &[u8]) -> Result<usize, Error> {
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
        .ok_or(Error::TraceShape("truncated proof options"))?;
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
    // This system commits without partitions; (1, 1) is also the only encoding, so the
    // (otherwise unused) hash-rate byte cannot be changed without invalidating the proof.
    if o[8] != 1 || o[9] != 1 {
        return Err(Error::WeakOptions("partition options must be (1, 1)"));
    }
    Ok(off + 10)
}

/// A bounds-checked reader over proof bytes (no allocation).
struct Walk<'a> {
    b: &'a [u8],
    pos: usize,
}

const TRUNCATED: Error = Error::TraceShape("proof structure: length prefix beyond the end");

impl Walk<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], Error> {
        let end = self.pos.checked_add(n).ok_or(TRUNCATED)?;
        let s = self.b.get(self.pos..end).ok_or(TRUNCATED)?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<usize, Error> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]) as usize)
    }
    fn u32(&mut self) -> Result<usize, Error> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
    }
    /// winterfell's variable-length `usize` (length in the first byte's trailing zeros).
    fn usize(&mut self) -> Result<usize, Error> {
        let first = *self.b.get(self.pos).ok_or(TRUNCATED)?;
        let len = first.trailing_zeros() as usize + 1;
        let v = if len == 9 {
            self.take(1)?;
            let s = self.take(8)?;
            let mut a = [0u8; 8];
            a.copy_from_slice(s);
            u64::from_le_bytes(a)
        } else {
            let s = self.take(len)?;
            let mut a = [0u8; 8];
            a[..len].copy_from_slice(s);
            u64::from_le_bytes(a) >> len
        };
        usize::try_from(v).map_err(|_| TRUNCATED)
    }
    fn remaining(&self) -> usize {
        self.b.len().saturating_sub(self.pos)
    }
    /// A length-prefixed byte vector whose content must itself be a batch Merkle proof.
    fn merkle_blob(&mut self, len: usize) -> Result<(), Error> {
        let blob = self.take(len)?;
        let mut w = Walk { b: blob, pos: 0 };
        // winterfell computes the domain as `1 << depth`: keep the shift in range
        if w.u8()? > MAX_MERKLE_DEPTH {
            return Err(Error::TraceShape(
                "proof structure: Merkle depth out of range",
            ));
        }
        let vectors = w.usize()?;
        // every node vector needs at least one byte (its length)
        if vectors > w.remaining() {
            return Err(TRUNCATED);
        }
        for _ in 0..vectors {
            let digests = w.usize()?;
            w.take(digests.checked_mul(DIGEST_BYTES).ok_or(TRUNCATED)?)?;
        }
        Ok(())
    }
    fn queries(&mut self) -> Result<(), Error> {
        let values = self.usize()?;
        self.take(values)?;
        let paths = self.usize()?;
        self.merkle_blob(paths)
    }
}

/// Largest Merkle depth accepted in a multi-proof (LDE domains here are far smaller).
const MAX_MERKLE_DEPTH: u8 = 32;

/// BLAKE3-256 digest size.
const DIGEST_BYTES: usize = 32;

/// Walk the whole serialized proof and check every length prefix against the bytes that are
/// left, including the Merkle multi-proofs nested in query blobs. winterfell's deserializer
/// pre-allocates from these prefixes (`Vec::with_capacity(len)`), so an unchecked huge prefix
/// would abort the process (out of memory) instead of returning an error.
fn precheck_structure(bytes: &[u8], context_len: usize) -> Result<(), Error> {
    let mut w = Walk { b: bytes, pos: 0 };
    // context: trace info, modulus and options, already checked by `precheck_context`
    w.take(context_len)?;
    w.usize()?; // number of constraints
                // number of unique queries: winterfell asserts it is positive
    if w.u8()? == 0 {
        return Err(Error::TraceShape("proof structure: no queries"));
    }
    let commitments = w.u16()?;
    w.take(commitments)?;
    w.queries()?; // main trace segment
    w.queries()?; // constraint evaluations
                  // out-of-domain frames: winterfell asserts that each blob starts with frame size 2
    for _ in 0..2 {
        let len = w.u16()?;
        if w.take(len)?.first() != Some(&2) {
            return Err(Error::TraceShape(
                "proof structure: out-of-domain frame size is not 2",
            ));
        }
    }
    let layers = w.u8()?;
    for _ in 0..layers {
        let values = w.u32()?;
        w.take(values)?;
        let paths = w.u32()?;
        w.merkle_blob(paths)?;
    }
    let remainder = w.u16()?;
    w.take(remainder)?;
    // FRI partitions, stored as log2: this system commits without partitions (a large value
    // makes winterfell's `2^k` overflow and divide by zero)
    if w.u8()? != 0 {
        return Err(Error::TraceShape(
            "proof structure: FRI partitions must be 1",
        ));
    }
    w.take(8)?; // proof-of-work nonce
    if w.remaining() != 0 {
        return Err(Error::TraceShape("proof structure: trailing bytes"));
    }
    Ok(())
}
