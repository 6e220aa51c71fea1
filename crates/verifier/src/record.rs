//! Batch records: what a (possibly untrusted) server publishes for each batch.

use alloc::string::String;
use alloc::vec::Vec;
use multiprover_core::{Batch, Digest, ProposalSignature};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Largest batch record accepted (64 MiB of JSON).
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;
/// Most envelopes one record may carry.
pub const MAX_ENVELOPES_PER_RECORD: usize = 64;

/// One batch as published: the transfers, the proposer's claimed post root, the batch's
/// signed timestamp and the sequencer's signature over its proposal, and every envelope the
/// server has. Anything a client derives from it, it re-checks itself (the signature against
/// the anchor's sequencer, over the proposal it recomputes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRecord {
    /// The batch (chain id, number, transfers).
    pub batch: Batch,
    /// The post root the proposer claimed (used only to chain the next batch's pre root).
    pub claimed_post_root: Digest,
    /// The batch's signed timestamp (seconds since the Unix epoch): the time the envelopes'
    /// TEE registration windows are checked at.
    pub timestamp: u64,
    /// The sequencer's signature over the batch's
    /// [`Proposal`](multiprover_core::proposal::Proposal) (absent: the record is refused as
    /// unsigned).
    pub signature: Option<ProposalSignature>,
    /// Envelopes, each as 0x-prefixed hex.
    pub envelopes: Vec<HexBytes>,
}

/// Bytes as 0x-prefixed hex in JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct HexBytes(pub Vec<u8>);

impl core::fmt::Debug for HexBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "HexBytes({} bytes)", self.0.len())
    }
}

impl Serialize for HexBytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(2 + 2 * self.0.len());
        out.push_str("0x");
        out.push_str(&hex::encode(&self.0));
        s.serialize_str(&out)
    }
}

impl<'de> Deserialize<'de> for HexBytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let s = s.as_str();
        let s = s.strip_prefix("0x").unwrap_or(s);
        hex::decode(s)
            .map(HexBytes)
            .map_err(serde::de::Error::custom)
    }
}

impl BatchRecord {
    /// Parse JSON, size-capped.
    pub fn from_json(bytes: &[u8]) -> Result<BatchRecord, Error> {
        if bytes.len() > MAX_RECORD_BYTES {
            return Err(Error::RecordLimit("record too large"));
        }
        let r: BatchRecord = serde_json::from_slice(bytes).map_err(Error::BadRecord)?;
        if r.envelopes.len() > MAX_ENVELOPES_PER_RECORD {
            return Err(Error::RecordLimit("too many envelopes"));
        }
        Ok(r)
    }

    /// JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a batch record always serializes")
    }
}
