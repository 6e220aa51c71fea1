//! The verifier: wasm-safe, never panics on any key or envelope bytes.

use alloy_primitives::B256;
use multiprover_core::proof_system::{self, precheck};
use multiprover_core::{Envelope, SystemKey};
use plonky2::field::types::PrimeField64;
use plonky2::util::serialization::{Read, Remaining};

use crate::config::{C, EXT, F};
use crate::key::{parse_key, ParsedKey, NUM_PUBLIC_INPUTS};
use crate::serialization::StrictReader;
use crate::system::Plonky2;
use crate::Error;

/// Domain prefix of the verifying-key id.
pub const VK_ID_DOMAIN: &[u8] = b"multiprover-plonky2-vk-v1";

/// The verifying-key id: `keccak256("multiprover-plonky2-vk-v1" ‖ key_material)`.
pub fn vk_id(key_material: &[u8]) -> B256 {
    proof_system::vk_id(VK_ID_DOMAIN, key_material)
}

/// A key parsed once, to verify many envelopes without re-parsing the verifier data.
#[derive(Debug)]
pub struct PreparedKey {
    vk_id: B256,
    parsed: ParsedKey,
}

impl PreparedKey {
    /// Parse and validate a key's material (its system and id are checked by
    /// [`precheck`] before any envelope is verified).
    pub fn new(key: &SystemKey) -> Result<PreparedKey, Error> {
        let parsed = parse_key(&key.key)?;
        Ok(PreparedKey {
            vk_id: key.vk_id,
            parsed,
        })
    }

    /// The verifying-key id.
    pub fn vk_id(&self) -> B256 {
        self.vk_id
    }

    /// What the key's header says (variant, profile, circuit size).
    pub fn info(&self) -> crate::KeyInfo {
        self.parsed.info
    }

    /// Verify one envelope against this key, after [`precheck`] (see [`verify`]).
    pub fn verify(&self, envelope: &Envelope) -> Result<(), Error> {
        envelope.statement.validate().map_err(Error::Statement)?;
        let proof = parse_proof(&self.parsed, &envelope.proof)?;
        let expected = envelope.statement.public_inputs_u64();
        if proof.public_inputs.len() != NUM_PUBLIC_INPUTS
            || proof
                .public_inputs
                .iter()
                .zip(expected.iter())
                .any(|(a, b)| a.to_canonical_u64() != *b)
        {
            return Err(Error::PublicInputsMismatch);
        }
        self.parsed
            .data
            .verify(proof)
            .map_err(|e| Error::Rejected(e.into()))
    }
}

/// Verify a plonky2 envelope under a pinned key.
///
/// In order: the shared [`precheck`] (the envelope's and key's system is plonky2;
/// `envelope.vk_id == key.vk_id == vk_id(&key.key)`); the key material parses and has exactly
/// this circuit's shape; the proof bytes parse (strictly, no trailing bytes); the proof's 12
/// public inputs equal `envelope.statement.public_inputs()`; plonky2 accepts the proof.
pub fn verify(key: &SystemKey, envelope: &Envelope) -> Result<(), Error> {
    precheck::<Plonky2>(key, envelope)?;
    PreparedKey::new(key)?.verify(envelope)
}

/// Parse proof bytes for a parsed key. Never panics.
pub(crate) fn parse_proof(
    key: &ParsedKey,
    bytes: &[u8],
) -> Result<plonky2::plonk::proof::ProofWithPublicInputs<F, C, EXT>, Error> {
    let mut r = StrictReader::new(bytes);
    let p = r
        .read_proof_with_public_inputs::<F, C, EXT>(&key.data.common)
        .map_err(|_| Error::MalformedProof("does not parse for this circuit"))?;
    if r.remaining() != 0 {
        return Err(Error::MalformedProof("trailing bytes"));
    }
    Ok(p)
}
