//! Signed proposals: the sequencer's EIP-712 signature over
//! `Proposal(chainId, batchNumber, preRoot, batchHash, timestamp)`.
//!
//! The trust anchor pins one sequencer address ([`TrustAnchor::sequencer`]); a batch is
//! accepted only with a signature of that key over its proposal. The EIP-712 domain carries
//! the anchor hash as its `salt`, so a proposal signed for one deployment never verifies under
//! another anchor, even one with the same chain id and sequencer. The timestamp is the batch's
//! time: TEE registration windows are checked against it (never against a verifier's clock),
//! and it must not decrease from one batch to the next ([`crate::Settlement::propose`]).
//! `docs/spec.md` ("Signed proposals") fixes the bytes.

use alloy_primitives::{keccak256, Address, Signature, B256};
use serde::{Deserialize, Serialize};

use crate::anchor::TrustAnchor;
use crate::error::{CoreError, ProposalFault};
use crate::hash::Digest;
use crate::statement::{DOMAIN_NAME, DOMAIN_VERSION};

/// EIP-712 type string of a proposal.
pub const PROPOSAL_TYPE: &str =
    "Proposal(uint64 chainId,uint64 batchNumber,bytes32 preRoot,bytes32 batchHash,uint64 timestamp)";
/// EIP-712 domain type string of proposals: the statement's domain plus a salt (the anchor
/// hash).
pub const PROPOSAL_DOMAIN_TYPE: &str =
    "EIP712Domain(string name,string version,uint256 chainId,bytes32 salt)";
/// Size of a [`ProposalSignature`]: `r ‖ s ‖ v`.
pub const SIGNATURE_BYTES: usize = 65;

/// What the sequencer signs for one batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// Chain id.
    pub chain_id: u64,
    /// Batch number.
    pub batch_number: u64,
    /// The root the batch starts from (the previous batch's claimed post root, or genesis).
    pub pre_root: Digest,
    /// The batch hash.
    pub batch_hash: Digest,
    /// The batch's time, in seconds since the Unix epoch.
    pub timestamp: u64,
}

/// A 65-byte secp256k1 signature `r ‖ s ‖ v` (`v` is 27 or 28), 0x-prefixed hex in JSON.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProposalSignature(pub [u8; SIGNATURE_BYTES]);

/// A proposal with the sequencer's signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedProposal {
    /// The proposal.
    pub proposal: Proposal,
    /// The sequencer's signature over [`Proposal::eip712_digest`].
    pub signature: ProposalSignature,
}

impl Proposal {
    /// The EIP-712 domain separator of proposals for `chain_id` under the anchor with hash
    /// `anchor_hash`: `keccak256(typeHash ‖ keccak256(name) ‖ keccak256(version) ‖
    /// uint256(chainId) ‖ anchorHash)`.
    pub fn domain_separator(chain_id: u64, anchor_hash: &B256) -> B256 {
        let mut buf = [0u8; 160];
        buf[0..32].copy_from_slice(keccak256(PROPOSAL_DOMAIN_TYPE.as_bytes()).as_slice());
        buf[32..64].copy_from_slice(keccak256(DOMAIN_NAME.as_bytes()).as_slice());
        buf[64..96].copy_from_slice(keccak256(DOMAIN_VERSION.as_bytes()).as_slice());
        buf[120..128].copy_from_slice(&chain_id.to_be_bytes());
        buf[128..160].copy_from_slice(anchor_hash.as_slice());
        keccak256(buf)
    }

    /// The EIP-712 struct hash of `Proposal`.
    pub fn struct_hash(&self) -> B256 {
        let mut buf = [0u8; 192];
        buf[0..32].copy_from_slice(keccak256(PROPOSAL_TYPE.as_bytes()).as_slice());
        buf[56..64].copy_from_slice(&self.chain_id.to_be_bytes());
        buf[88..96].copy_from_slice(&self.batch_number.to_be_bytes());
        buf[96..128].copy_from_slice(self.pre_root.to_b256().as_slice());
        buf[128..160].copy_from_slice(self.batch_hash.to_b256().as_slice());
        buf[184..192].copy_from_slice(&self.timestamp.to_be_bytes());
        keccak256(buf)
    }

    /// The signing digest `keccak256(0x1901 ‖ domainSeparator ‖ structHash)` under the anchor
    /// with hash `anchor_hash`.
    pub fn eip712_digest(&self, anchor_hash: &B256) -> B256 {
        let mut buf = [0u8; 66];
        buf[0] = 0x19;
        buf[1] = 0x01;
        buf[2..34].copy_from_slice(Self::domain_separator(self.chain_id, anchor_hash).as_slice());
        buf[34..66].copy_from_slice(self.struct_hash().as_slice());
        keccak256(buf)
    }

    /// Sign with the 32-byte secp256k1 secret `secret` (deterministic, RFC 6979; low `s`).
    pub fn sign(&self, anchor_hash: &B256, secret: &[u8; 32]) -> Result<SignedProposal, CoreError> {
        let key = k256::ecdsa::SigningKey::from_slice(secret)
            .map_err(|_| CoreError::BadProposalSignature(ProposalFault::InvalidSecret))?;
        let (sig, rec) = key
            .sign_prehash_recoverable(self.eip712_digest(anchor_hash).as_slice())
            .map_err(|_| CoreError::BadProposalSignature(ProposalFault::InvalidSecret))?;
        // k256 signs with a low s already; normalising keeps that a property of this function.
        let sig = Signature::from((sig, rec));
        let sig = sig.normalize_s().unwrap_or(sig);
        Ok(SignedProposal {
            proposal: *self,
            signature: ProposalSignature(sig.as_bytes()),
        })
    }

    /// The address that signed `signature` over this proposal under `anchor_hash`. Refuses a
    /// `v` other than 27 or 28, a high `s`, and a signature from which no key recovers.
    pub fn recover(
        &self,
        anchor_hash: &B256,
        signature: &ProposalSignature,
    ) -> Result<Address, CoreError> {
        let bad = CoreError::BadProposalSignature;
        let v = signature.0[64];
        if v != 27 && v != 28 {
            return Err(bad(ProposalFault::Malformed));
        }
        let sig = Signature::from_raw(&signature.0).map_err(|_| bad(ProposalFault::Malformed))?;
        if sig.normalize_s().is_some() {
            return Err(bad(ProposalFault::HighS));
        }
        sig.recover_address_from_prehash(&self.eip712_digest(anchor_hash))
            .map_err(|_| bad(ProposalFault::DoesNotRecover))
    }
}

/// The secp256k1 address of a 32-byte secret key (what an anchor pins as its sequencer).
pub fn address_of_secret(secret: &[u8; 32]) -> Result<Address, CoreError> {
    let key = k256::ecdsa::SigningKey::from_slice(secret)
        .map_err(|_| CoreError::BadProposalSignature(ProposalFault::InvalidSecret))?;
    Ok(Address::from_public_key(key.verifying_key()))
}

impl SignedProposal {
    /// Check the signature against the anchor: the proposal is for the anchor's chain and the
    /// signature recovers to the anchor's sequencer, under the anchor's hash as the domain salt.
    pub fn verify(&self, anchor: &TrustAnchor) -> Result<(), CoreError> {
        self.verify_hashed(anchor, &anchor.hash())
    }

    /// [`verify`](Self::verify) with the anchor's hash already computed (it hashes the whole
    /// anchor JSON: callers that check many proposals compute it once).
    pub fn verify_hashed(&self, anchor: &TrustAnchor, anchor_hash: &B256) -> Result<(), CoreError> {
        if self.proposal.chain_id != anchor.chain_id {
            return Err(CoreError::WrongChain {
                expected: anchor.chain_id,
                got: self.proposal.chain_id,
            });
        }
        let signer = self.proposal.recover(anchor_hash, &self.signature)?;
        if signer != anchor.sequencer {
            return Err(CoreError::BadProposalSignature(ProposalFault::NotSequencer));
        }
        Ok(())
    }
}

impl ProposalSignature {
    /// Parse 65 bytes.
    pub fn from_slice(b: &[u8]) -> Result<Self, CoreError> {
        let arr: [u8; SIGNATURE_BYTES] = b
            .try_into()
            .map_err(|_| CoreError::BadProposalSignature(ProposalFault::Malformed))?;
        Ok(Self(arr))
    }

    /// Parse 0x-prefixed (or bare) hex of 65 bytes.
    pub fn from_hex(s: &str) -> Result<Self, CoreError> {
        let s = s.strip_prefix("0x").unwrap_or(s);
        if s.len() != 2 * SIGNATURE_BYTES {
            return Err(CoreError::BadProposalSignature(ProposalFault::Malformed));
        }
        let bytes = hex::decode(s)
            .map_err(|_| CoreError::BadProposalSignature(ProposalFault::Malformed))?;
        Self::from_slice(&bytes)
    }

    /// 0x-prefixed hex.
    pub fn to_hex(&self) -> alloc::string::String {
        let mut out = alloc::string::String::with_capacity(2 + 2 * SIGNATURE_BYTES);
        out.push_str("0x");
        out.push_str(&hex::encode(self.0));
        out
    }
}

impl core::fmt::Debug for ProposalSignature {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "ProposalSignature({})", self.to_hex())
    }
}

impl core::fmt::Display for ProposalSignature {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for ProposalSignature {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for ProposalSignature {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = alloc::string::String::deserialize(d)?;
        Self::from_hex(&s).map_err(|_| {
            serde::de::Error::custom("a proposal signature is 65 bytes of 0x-prefixed hex")
        })
    }
}
