//! The trust anchor a light client pins: chain id, profile, genesis, policy, the verifying
//! key of every system, the TEE registry and the council key. JSON via serde, with a
//! canonical hash.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use alloy_primitives::{keccak256, Address, Bytes, B256};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::hash::Digest;
use crate::policy::Policy;
use crate::statement::StatementVersion;
use crate::stf::{check_genesis, genesis_tree, GenesisAccount, Profile};
use crate::system::SystemId;

/// Current anchor format version.
pub const ANCHOR_VERSION: u32 = 1;
/// Largest anchor JSON accepted (16 MiB: plonky2 verifier data is the bulk).
pub const MAX_ANCHOR_BYTES: usize = 16 * 1024 * 1024;

/// The verifying key of one system, as the anchor pins it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemKey {
    /// The system.
    pub system: SystemId,
    /// The verifying-key id envelopes must carry (each system defines it as a hash of its key
    /// material).
    pub vk_id: B256,
    /// System-specific key material (hex in JSON): serialized verifier data, AIR parameters
    /// and minimum security, circuit shape, ... Empty for `tee` (its keys are the registry).
    pub key: Bytes,
}

/// A registered enclave instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeeInstance {
    /// Instance id carried in the envelope proof.
    pub id: u32,
    /// The enclave's secp256k1 instance address.
    pub address: Address,
    /// The measurement the instance was registered with.
    pub measurement: B256,
    /// Start of validity (unix seconds, inclusive).
    pub valid_from: u64,
    /// End of validity (unix seconds, exclusive).
    pub valid_until: u64,
}

/// The TEE registry: accepted measurements and registered instances.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeeRegistry {
    /// Measurements (hash of executor build and profile) that are accepted.
    pub measurements: Vec<B256>,
    /// Registered instances.
    pub instances: Vec<TeeInstance>,
}

/// The trust anchor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustAnchor {
    /// Format version ([`ANCHOR_VERSION`]).
    pub version: u32,
    /// Chain id (< p).
    pub chain_id: u64,
    /// Profile (D, T).
    pub profile: Profile,
    /// The statement version every proof under this anchor proves (docs/spec.md, "Statement
    /// versions"). Omitted from JSON when 1, so v1 anchors keep their bytes and hash.
    #[serde(default, skip_serializing_if = "StatementVersion::is_v1")]
    pub statement_version: StatementVersion,
    /// Genesis state root.
    pub genesis_root: Digest,
    /// Genesis accounts; must hash to `genesis_root`.
    pub genesis: Vec<GenesisAccount>,
    /// Finality policy.
    pub policy: Policy,
    /// Verifying keys, at most one per system.
    pub systems: Vec<SystemKey>,
    /// TEE registry.
    pub tee: TeeRegistry,
    /// The council address that alone may resolve conflicts.
    pub council: Address,
    /// The sequencer address that alone may propose batches (its EIP-712 signature over each
    /// [`crate::proposal::Proposal`]); never zero.
    pub sequencer: Address,
}

impl TrustAnchor {
    /// Parse and validate JSON (size-capped, unknown fields rejected).
    pub fn from_json(bytes: &[u8]) -> Result<TrustAnchor, CoreError> {
        if bytes.len() > MAX_ANCHOR_BYTES {
            return Err(CoreError::TooLarge {
                size: bytes.len(),
                max: MAX_ANCHOR_BYTES,
            });
        }
        let a: TrustAnchor =
            serde_json::from_slice(bytes).map_err(|e| CoreError::BadAnchor(e.to_string()))?;
        a.validate()?;
        Ok(a)
    }

    /// Canonical JSON (compact, fields in declaration order).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Pretty JSON for files people read.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The canonical hash: `keccak256("multiprover-anchor-v1" ‖ canonical JSON)`.
    pub fn hash(&self) -> B256 {
        let mut buf = Vec::new();
        buf.extend_from_slice(b"multiprover-anchor-v1");
        buf.extend_from_slice(self.to_json().as_bytes());
        keccak256(buf)
    }

    /// Check internal consistency: version, canonical chain id, profile, genesis root,
    /// one key per system, a non-zero sequencer, policy.
    pub fn validate(&self) -> Result<(), CoreError> {
        if self.version != ANCHOR_VERSION {
            return Err(CoreError::BadAnchor(alloc::format!(
                "unsupported version {}",
                self.version
            )));
        }
        if crate::field::Fp::from_canonical(self.chain_id).is_none() {
            return Err(CoreError::BadAnchor("chain id not below p".into()));
        }
        self.profile
            .validate()
            .map_err(|e| CoreError::BadAnchor(e.to_string()))?;
        let tree = genesis_tree(self.profile.depth, &self.genesis)
            .map_err(|e| CoreError::BadAnchor(e.to_string()))?;
        check_genesis(&self.genesis, self.statement_version)?;
        if tree.root() != self.genesis_root {
            return Err(CoreError::BadAnchor(
                "genesis accounts do not hash to genesis_root".into(),
            ));
        }
        for (i, k) in self.systems.iter().enumerate() {
            if self.systems[..i].iter().any(|o| o.system == k.system) {
                return Err(CoreError::BadAnchor(alloc::format!(
                    "two keys for {}",
                    k.system
                )));
            }
        }
        if self.sequencer == Address::ZERO {
            return Err(CoreError::BadAnchor(
                "the sequencer address is zero (no one could propose)".into(),
            ));
        }
        self.policy.validate()?;
        Ok(())
    }

    /// Apply `batch` to `tree` under this anchor's profile and statement version
    /// ([`crate::stf::apply_batch_for`]).
    pub fn apply(
        &self,
        tree: &mut crate::tree::SparseMerkleTree,
        batch: &crate::stf::Batch,
    ) -> Result<crate::stf::BatchWitness, CoreError> {
        crate::stf::apply_batch_for(tree, batch, self.profile, self.statement_version)
    }

    /// The batch hash of `batch` under this anchor's capacity and statement version.
    pub fn batch_hash(&self, batch: &crate::stf::Batch) -> Result<Digest, CoreError> {
        batch.hash_for(self.profile.capacity, self.statement_version)
    }

    /// The key pinned for `system`.
    pub fn key(&self, system: SystemId) -> Option<&SystemKey> {
        self.systems.iter().find(|k| k.system == system)
    }

    /// The systems this anchor configures.
    pub fn configured_systems(&self) -> Vec<SystemId> {
        self.systems.iter().map(|k| k.system).collect()
    }
}
