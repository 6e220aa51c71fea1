//! The simulated enclave (`prover` feature): a measurement and a secp256k1 instance key.
//!
//! It runs the reference STF itself on its own copy of the state (it trusts no witness) and
//! signs the EIP-712 digest of the resulting statement.

use core::fmt;

use alloy_primitives::{keccak256, Address, Bytes, Signature, B256};
use k256::ecdsa::SigningKey;
use multiprover_core::{
    apply_batch_for, Batch, Envelope, Profile, SparseMerkleTree, Statement, StatementVersion,
    SystemId, SystemKey, TeeInstance,
};

use crate::error::Error;
use crate::proof::TeeProof;
use crate::verifier::{key_material, measurement_for};

/// A simulated enclave: its measurement (executor build + profile) and its instance key.
///
/// The key is derived deterministically from a seed so that devnets are reproducible; a real
/// enclave generates it inside the enclave and never lets it out.
pub struct Enclave {
    profile: Profile,
    version: StatementVersion,
    measurement: B256,
    key: SigningKey,
    address: Address,
}

impl fmt::Debug for Enclave {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Enclave")
            .field("profile", &self.profile)
            .field("version", &self.version)
            .field("measurement", &self.measurement)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl Enclave {
    /// A simulated enclave for `profile` whose instance key is derived from `seed`:
    /// the first `keccak256("multiprover-tee-enclave-key-v1" ‖ seed ‖ counter u32 LE)`,
    /// counter = 0, 1, ..., that is a valid secp256k1 secret key.
    pub fn new(profile: Profile, seed: [u8; 32]) -> Enclave {
        Enclave::for_version(profile, StatementVersion::V1, seed)
    }

    /// [`Enclave::new`] for an executor of statement `version` (its measurement is
    /// [`crate::measurement_for`] of it).
    pub fn for_version(profile: Profile, version: StatementVersion, seed: [u8; 32]) -> Enclave {
        let mut buf = [0u8; 30 + 32 + 4];
        buf[..30].copy_from_slice(b"multiprover-tee-enclave-key-v1");
        buf[30..62].copy_from_slice(&seed);
        let mut counter: u32 = 0;
        let key = loop {
            buf[62..66].copy_from_slice(&counter.to_le_bytes());
            // Fails only for 0 or values >= n (probability ~2^-128 per try).
            if let Ok(k) = SigningKey::from_slice(keccak256(buf).as_slice()) {
                break k;
            }
            counter = counter.wrapping_add(1);
        };
        let address = Address::from_public_key(key.verifying_key());
        Enclave {
            profile,
            version,
            measurement: measurement_for(profile, version),
            key,
            address,
        }
    }

    /// The profile this enclave executes.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The enclave's measurement ([`crate::measurement`] of its profile).
    pub fn measurement(&self) -> B256 {
        self.measurement
    }

    /// The instance address (of the secp256k1 instance key).
    pub fn address(&self) -> Address {
        self.address
    }

    /// The registration record binding this instance's address to its measurement and a
    /// validity window `[valid_from, valid_until)` (unix seconds). In production it is created
    /// only after a DCAP quote over the address and measurement was verified.
    pub fn registration(&self, id: u32, valid_from: u64, valid_until: u64) -> TeeInstance {
        TeeInstance {
            id,
            address: self.address,
            measurement: self.measurement,
            valid_from,
            valid_until,
        }
    }

    /// The key the trust anchor pins for `tee`: the accepted measurement, no key material.
    pub fn system_key(&self) -> SystemKey {
        SystemKey {
            system: SystemId::Tee,
            vk_id: self.measurement,
            key: Bytes::from_static(key_material(self.version)),
        }
    }

    /// Execute `batch` on a copy of `state` with the reference STF and sign the resulting
    /// statement as registered instance `id`. `state` is not modified.
    pub fn attest(
        &self,
        id: u32,
        state: &SparseMerkleTree,
        batch: &Batch,
    ) -> Result<Envelope, Error> {
        let mut tree = state.clone();
        let witness =
            apply_batch_for(&mut tree, batch, self.profile, self.version).map_err(Error::Stf)?;
        self.sign(id, witness.statement)
    }

    /// **Compromised-enclave mode (demo only).** What a stolen instance key can do: sign a
    /// statement whose post root credits the first transfer's receiver `extra` more than the
    /// batch says (`multiprover_core::stf::apply_batch_inflated`). The verifier accepts the
    /// result: only disagreement with the other systems reveals it.
    #[cfg(feature = "demo-faults")]
    pub fn attest_inflated(
        &self,
        id: u32,
        state: &SparseMerkleTree,
        batch: &Batch,
        extra: u64,
    ) -> Result<Envelope, Error> {
        let mut tree = state.clone();
        let witness = multiprover_core::stf::apply_batch_inflated(
            &mut tree,
            batch,
            self.profile,
            self.version,
            extra,
        )
        .map_err(Error::Stf)?;
        self.sign(id, witness.statement)
    }

    fn sign(&self, id: u32, statement: Statement) -> Result<Envelope, Error> {
        let digest = statement.eip712_digest();
        let (sig, recid) = self
            .key
            .sign_prehash_recoverable(digest.as_slice())
            .map_err(Error::Signing)?;
        // k256 already returns low-s; normalizing again keeps that an invariant here.
        let sig = Signature::from_signature_and_parity(sig, recid.is_y_odd()).normalized_s();
        Ok(Envelope {
            system: SystemId::Tee,
            vk_id: self.measurement,
            statement,
            proof: TeeProof::from_signature(id, &sig).to_bytes().to_vec(),
        })
    }
}
