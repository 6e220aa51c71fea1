//! The verifier: wasm-safe, `no_std`, never panics on any input.

use alloy_primitives::{hex, keccak256, Keccak256, B256};
use multiprover_core::proof_system::precheck;
use multiprover_core::{Envelope, Profile, StatementVersion, SystemKey, TeeInstance, TeeRegistry};

use crate::error::Error;
use crate::proof::TeeProof;
use crate::system::Tee;

/// The executor build id: what the simulated enclave's measurement commits to, together with
/// the profile. In a real deployment this is MRENCLAVE (SGX) or MRTD (TDX) of the enclave
/// binary that runs `multiprover_core::apply_batch`; bump it whenever the executor changes.
pub const EXECUTOR_BUILD_ID: &str =
    "multiprover-tee-executor/1 (core reference STF, EIP-712 Transition signer)";

/// `(n - 1) / 2` for the secp256k1 group order `n`, big-endian: the largest accepted `s`.
pub const SECP256K1_HALF_ORDER: [u8; 32] =
    hex!("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

/// The enclave measurement of an executor of statement `version` for `profile`: v1 is
/// [`measurement`]; v2 appends the version byte,
/// `keccak256("multiprover-tee-measurement-v1" ‖ EXECUTOR_BUILD_ID ‖ depth u8 ‖ capacity u32 LE ‖ 0x02)`,
/// so an enclave registered to run the v1 rules is never accepted under a v2 anchor's key.
pub fn measurement_for(profile: Profile, version: StatementVersion) -> B256 {
    match version {
        StatementVersion::V1 => measurement(profile),
        StatementVersion::V2 => {
            let mut h = Keccak256::new();
            h.update(b"multiprover-tee-measurement-v1");
            h.update(EXECUTOR_BUILD_ID.as_bytes());
            h.update([profile.depth]);
            h.update(profile.capacity.to_le_bytes());
            h.update([version.number()]);
            h.finalize()
        }
    }
}

/// The key material of the TEE's system key for `version`: empty for v1 (so v1 anchors keep
/// their bytes), the version byte for later versions.
pub fn key_material(version: StatementVersion) -> &'static [u8] {
    match version {
        StatementVersion::V1 => &[],
        StatementVersion::V2 => &[2],
    }
}

/// The enclave measurement for a statement-v1 executor of a profile:
/// `keccak256("multiprover-tee-measurement-v1" ‖ EXECUTOR_BUILD_ID ‖ depth u8 ‖ capacity u32 LE)`.
pub fn measurement(profile: Profile) -> B256 {
    let tag = b"multiprover-tee-measurement-v1";
    let id = EXECUTOR_BUILD_ID.as_bytes();
    let mut buf = [0u8; 30 + EXECUTOR_BUILD_ID.len() + 5];
    buf[..30].copy_from_slice(tag);
    buf[30..30 + id.len()].copy_from_slice(id);
    let off = 30 + id.len();
    buf[off] = profile.depth;
    buf[off + 1..off + 5].copy_from_slice(&profile.capacity.to_le_bytes());
    keccak256(buf)
}

/// Whether `s` (big-endian) is above `n/2` (a high-s, malleable signature).
pub fn is_high_s(s: &B256) -> bool {
    // Big-endian byte arrays compare like the numbers they encode.
    s.0 > SECP256K1_HALF_ORDER
}

/// Find the registration record of `id`; an unknown or duplicated id is an error.
pub fn find_instance(registry: &TeeRegistry, id: u32) -> Result<&TeeInstance, Error> {
    let mut found = None;
    for inst in registry.instances.iter().filter(|i| i.id == id) {
        if found.is_some() {
            return Err(Error::DuplicateInstance(id));
        }
        found = Some(inst);
    }
    found.ok_or(Error::UnknownInstance(id))
}

/// Verify a TEE envelope against the pinned key and registry for a batch with the signed
/// timestamp `batch_timestamp` (seconds; the registration window is checked at the batch's
/// time, not at the verifier's clock).
///
/// Checks, in this order: the shared [`precheck`] (the envelope and key are for `tee`,
/// `envelope.vk_id == key.vk_id`); the key carries no material; then
/// [`verify_attestation`].
pub fn verify(
    registry: &TeeRegistry,
    key: &SystemKey,
    envelope: &Envelope,
    batch_timestamp: u64,
) -> Result<(), Error> {
    precheck::<Tee>(key, envelope)?;
    check_key(key)?;
    verify_attestation(registry, envelope, batch_timestamp)
}

/// The TEE's system key carries no material but the statement version it attests (its keys
/// are the registry): empty for v1, `[2]` for v2 ([`key_material`]). Returns the version.
pub fn check_key(key: &SystemKey) -> Result<StatementVersion, Error> {
    StatementVersion::ALL
        .into_iter()
        .find(|v| key_material(*v) == key.key.as_ref())
        .ok_or(Error::KeyNotEmpty(key.key.len()))
}

/// Verify the attestation of an envelope whose key passed the pre-checks: the measurement
/// (`envelope.vk_id`) is accepted by the registry; the proof parses (exactly 69 bytes, `v` in
/// {27, 28}); the instance is registered once, with this measurement, and `valid_from <= batch_timestamp
/// < valid_until`; the statement is canonical; `s <= n/2`; the signature over the
/// statement's EIP-712 digest recovers to the registered address.
pub fn verify_attestation(
    registry: &TeeRegistry,
    envelope: &Envelope,
    batch_timestamp: u64,
) -> Result<(), Error> {
    if !registry.measurements.contains(&envelope.vk_id) {
        return Err(Error::MeasurementNotAccepted(envelope.vk_id));
    }
    let proof = TeeProof::from_bytes(&envelope.proof)?;
    let inst = find_instance(registry, proof.instance_id)?;
    if inst.measurement != envelope.vk_id {
        return Err(Error::InstanceMeasurement {
            id: inst.id,
            registered: inst.measurement,
            claimed: envelope.vk_id,
        });
    }
    if batch_timestamp < inst.valid_from {
        return Err(Error::NotYetValid {
            id: inst.id,
            valid_from: inst.valid_from,
            now: batch_timestamp,
        });
    }
    if batch_timestamp >= inst.valid_until {
        return Err(Error::Expired {
            id: inst.id,
            valid_until: inst.valid_until,
            now: batch_timestamp,
        });
    }
    envelope.statement.validate().map_err(Error::Statement)?;
    if is_high_s(&proof.s) {
        return Err(Error::HighS);
    }
    let digest = envelope.statement.eip712_digest();
    let recovered = proof
        .signature()
        .recover_address_from_prehash(&digest)
        .map_err(Error::InvalidSignature)?;
    if recovered != inst.address {
        return Err(Error::SignerMismatch {
            id: inst.id,
            registered: inst.address,
            recovered,
        });
    }
    Ok(())
}
