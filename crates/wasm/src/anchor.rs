//! What a page shows about a pinned trust anchor (everything but the bulky key material).

use multiprover_core::{Address, Digest, Family, Policy, Profile, SystemId, TrustAnchor, B256};
use serde::Serialize;

/// A readable summary of a trust anchor, with its canonical hash.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnchorSummary {
    /// `TrustAnchor::hash()`, 0x-hex.
    pub hash: B256,
    /// Anchor format version.
    pub version: u32,
    /// Chain id.
    pub chain_id: u64,
    /// Tree depth and batch capacity.
    pub profile: Profile,
    /// Genesis state root.
    pub genesis_root: Digest,
    /// Number of genesis accounts.
    pub genesis_accounts: usize,
    /// The finality policy (tiers and quarantined systems).
    pub policy: Policy,
    /// The pinned verifying keys.
    pub systems: Vec<SystemSummary>,
    /// TEE registry: accepted measurements.
    pub tee_measurements: Vec<B256>,
    /// TEE registry: registered instances.
    pub tee_instances: Vec<TeeInstanceSummary>,
    /// The council address.
    pub council: Address,
    /// The sequencer address (the only proposer).
    pub sequencer: Address,
    /// The systems this build of the light client can verify.
    pub compiled: Vec<SystemId>,
}

/// One pinned verifying key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemSummary {
    /// The system.
    pub system: SystemId,
    /// Its families.
    pub families: Vec<Family>,
    /// The verifying-key id envelopes must carry.
    pub vk_id: B256,
    /// Size of the key material in bytes.
    pub key_bytes: usize,
    /// Whether this build can verify the system.
    pub compiled: bool,
}

/// One registered enclave instance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeeInstanceSummary {
    /// Instance id.
    pub id: u32,
    /// Enclave address.
    pub address: Address,
    /// Validity window start (unix seconds).
    pub valid_from: u64,
    /// Validity window end (unix seconds, exclusive).
    pub valid_until: u64,
}

impl AnchorSummary {
    /// Summarize an anchor.
    pub fn new(anchor: &TrustAnchor) -> AnchorSummary {
        let compiled = multiprover_verifier::compiled_systems();
        AnchorSummary {
            hash: anchor.hash(),
            version: anchor.version,
            chain_id: anchor.chain_id,
            profile: anchor.profile,
            genesis_root: anchor.genesis_root,
            genesis_accounts: anchor.genesis.len(),
            policy: anchor.policy.clone(),
            systems: anchor
                .systems
                .iter()
                .map(|k| SystemSummary {
                    system: k.system,
                    families: k.system.families().to_vec(),
                    vk_id: k.vk_id,
                    key_bytes: k.key.len(),
                    compiled: compiled.contains(&k.system),
                })
                .collect(),
            tee_measurements: anchor.tee.measurements.clone(),
            tee_instances: anchor
                .tee
                .instances
                .iter()
                .map(|i| TeeInstanceSummary {
                    id: i.id,
                    address: i.address,
                    valid_from: i.valid_from,
                    valid_until: i.valid_until,
                })
                .collect(),
            council: anchor.council,
            sequencer: anchor.sequencer,
            compiled,
        }
    }
}
