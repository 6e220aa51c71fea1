//! The statement every proof system proves, its public-input form, byte encodings and
//! EIP-712 digest.

use alloy_primitives::{keccak256, B256};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::field::Fp;
use crate::hash::Digest;

/// The version of the statement an anchor pins and a system's key proves
/// (docs/spec.md, "Statement versions").
///
/// - [`StatementVersion::V1`]: unsigned transfers, keyless leaves, 12 public inputs.
/// - [`StatementVersion::V2`]: accounts own EcGFp5 Schnorr keys, transfers are signed (rules
///   6 and 7), `H_TX` absorbs `to_pk`, 14 public inputs.
///
/// JSON: the number `1` or `2`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatementVersion {
    /// Version 1.
    #[default]
    V1 = 1,
    /// Version 2.
    V2 = 2,
}

impl StatementVersion {
    /// Every version, oldest first.
    pub const ALL: [StatementVersion; 2] = [StatementVersion::V1, StatementVersion::V2];

    /// The version number.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The version with this number.
    pub fn from_number(n: u8) -> Option<StatementVersion> {
        StatementVersion::ALL.into_iter().find(|v| v.number() == n)
    }

    /// Whether this is version 1 (serde's `skip_serializing_if`: v1 anchors keep their bytes).
    pub fn is_v1(&self) -> bool {
        *self == StatementVersion::V1
    }

    /// Number of public inputs a circuit of this version exposes (12 or 14).
    pub fn public_input_count(self) -> usize {
        match self {
            StatementVersion::V1 => 12,
            StatementVersion::V2 => 14,
        }
    }
}

impl core::fmt::Display for StatementVersion {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "v{}", self.number())
    }
}

impl Serialize for StatementVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.number())
    }
}

impl<'de> Deserialize<'de> for StatementVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(d)?;
        StatementVersion::from_number(n)
            .ok_or_else(|| serde::de::Error::custom("unknown statement version (expected 1 or 2)"))
    }
}

/// `(chain_id, batch_number, pre_root, post_root, batch_hash)`: "applying the batch with this
/// hash to the state with root `pre_root` gives `post_root`". `chain_id` and `batch_number`
/// are bound through `batch_hash`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Chain id (< p).
    pub chain_id: u64,
    /// Batch number (< p).
    pub batch_number: u64,
    /// State root before the batch.
    pub pre_root: Digest,
    /// State root after the batch.
    pub post_root: Digest,
    /// The batch hash (docs/spec.md, "Transfers and batches").
    pub batch_hash: Digest,
}

/// Size of [`Statement::to_bytes`].
pub const STATEMENT_BYTES: usize = 8 + 8 + 32 * 3;

/// EIP-712 type string of the statement.
pub const TRANSITION_TYPE: &str =
    "Transition(uint64 chainId,uint64 batchNumber,bytes32 preRoot,bytes32 batchHash,bytes32 postRoot)";
/// EIP-712 domain type string.
pub const DOMAIN_TYPE: &str = "EIP712Domain(string name,string version,uint256 chainId)";
/// EIP-712 domain name.
pub const DOMAIN_NAME: &str = "multiprover";
/// EIP-712 domain version.
pub const DOMAIN_VERSION: &str = "1";

impl Statement {
    /// The 12 public inputs in the spec's order: `pre_root(4) ‖ post_root(4) ‖ batch_hash(4)`.
    pub fn public_inputs(&self) -> [Fp; 12] {
        let mut out = [Fp::ZERO; 12];
        out[..4].copy_from_slice(&self.pre_root.0);
        out[4..8].copy_from_slice(&self.post_root.0);
        out[8..].copy_from_slice(&self.batch_hash.0);
        out
    }

    /// Public inputs as `u64`s.
    pub fn public_inputs_u64(&self) -> [u64; 12] {
        self.public_inputs().map(|e| e.as_u64())
    }

    /// The 14 public inputs of statement v2:
    /// `chain_id ‖ batch_number ‖ pre_root(4) ‖ post_root(4) ‖ batch_hash(4)`, so a proof
    /// relabelled to another chain or batch fails verification by itself. `None` when the
    /// chain id or batch number is not below p (see [`Statement::validate`]).
    pub fn public_inputs_v2(&self) -> Option<[Fp; 14]> {
        let mut out = [Fp::ZERO; 14];
        out[0] = Fp::from_canonical(self.chain_id)?;
        out[1] = Fp::from_canonical(self.batch_number)?;
        out[2..].copy_from_slice(&self.public_inputs());
        Some(out)
    }

    /// The public inputs of `version` as `u64`s (12 or 14 of them).
    pub fn public_inputs_for(
        &self,
        version: StatementVersion,
    ) -> Result<alloc::vec::Vec<u64>, CoreError> {
        Ok(match version {
            StatementVersion::V1 => self.public_inputs_u64().to_vec(),
            StatementVersion::V2 => self
                .public_inputs_v2()
                .ok_or(CoreError::Malformed("chain id or batch number not below p"))?
                .map(|e| e.as_u64())
                .to_vec(),
        })
    }

    /// Binary form: `chain_id u64 LE ‖ batch_number u64 LE ‖ pre_root ‖ post_root ‖ batch_hash`.
    pub fn to_bytes(&self) -> [u8; STATEMENT_BYTES] {
        let mut out = [0u8; STATEMENT_BYTES];
        out[0..8].copy_from_slice(&self.chain_id.to_le_bytes());
        out[8..16].copy_from_slice(&self.batch_number.to_le_bytes());
        out[16..48].copy_from_slice(self.pre_root.to_b256().as_slice());
        out[48..80].copy_from_slice(self.post_root.to_b256().as_slice());
        out[80..112].copy_from_slice(self.batch_hash.to_b256().as_slice());
        out
    }

    /// Parse the binary form; rejects non-canonical elements.
    pub fn from_bytes(b: &[u8]) -> Result<Statement, CoreError> {
        if b.len() != STATEMENT_BYTES {
            return Err(CoreError::Malformed("statement length"));
        }
        let u = |r: core::ops::Range<usize>| {
            let mut x = [0u8; 8];
            x.copy_from_slice(&b[r]);
            u64::from_le_bytes(x)
        };
        let d = |r: core::ops::Range<usize>| {
            Digest::from_b256(&B256::from_slice(&b[r]))
                .ok_or(CoreError::Malformed("non-canonical root"))
        };
        let s = Statement {
            chain_id: u(0..8),
            batch_number: u(8..16),
            pre_root: d(16..48)?,
            post_root: d(48..80)?,
            batch_hash: d(80..112)?,
        };
        s.validate()?;
        Ok(s)
    }

    /// Chain id and batch number must be canonical field elements.
    pub fn validate(&self) -> Result<(), CoreError> {
        if Fp::from_canonical(self.chain_id).is_none()
            || Fp::from_canonical(self.batch_number).is_none()
        {
            return Err(CoreError::Malformed("chain id or batch number not below p"));
        }
        Ok(())
    }

    /// The EIP-712 domain separator for this statement's chain.
    pub fn domain_separator(&self) -> B256 {
        let mut buf = [0u8; 128];
        buf[0..32].copy_from_slice(keccak256(DOMAIN_TYPE.as_bytes()).as_slice());
        buf[32..64].copy_from_slice(keccak256(DOMAIN_NAME.as_bytes()).as_slice());
        buf[64..96].copy_from_slice(keccak256(DOMAIN_VERSION.as_bytes()).as_slice());
        buf[120..128].copy_from_slice(&self.chain_id.to_be_bytes());
        keccak256(buf)
    }

    /// The EIP-712 struct hash of `Transition`.
    pub fn struct_hash(&self) -> B256 {
        let mut buf = [0u8; 192];
        buf[0..32].copy_from_slice(keccak256(TRANSITION_TYPE.as_bytes()).as_slice());
        buf[56..64].copy_from_slice(&self.chain_id.to_be_bytes());
        buf[88..96].copy_from_slice(&self.batch_number.to_be_bytes());
        buf[96..128].copy_from_slice(self.pre_root.to_b256().as_slice());
        buf[128..160].copy_from_slice(self.batch_hash.to_b256().as_slice());
        buf[160..192].copy_from_slice(self.post_root.to_b256().as_slice());
        keccak256(buf)
    }

    /// The EIP-712 signing digest `keccak256(0x1901 ‖ domainSeparator ‖ structHash)`.
    pub fn eip712_digest(&self) -> B256 {
        let mut buf = [0u8; 66];
        buf[0] = 0x19;
        buf[1] = 0x01;
        buf[2..34].copy_from_slice(self.domain_separator().as_slice());
        buf[34..66].copy_from_slice(self.struct_hash().as_slice());
        keccak256(buf)
    }
}
