//! Chains built from core types, shared by the wasm tests and the browser-test data
//! generator: the fixture scenario of `multiprover-testkit` (the small profile, chain id 7,
//! accounts 1..=4 with 1,000,000 each), so that the proof fixtures fit the same anchor.
#![allow(dead_code)]

use multiprover_core::alloy_primitives::{keccak256, Bytes};
use multiprover_core::{
    Address, Batch, Envelope, GenesisAccount, SystemId, SystemKey, TeeRegistry, Transfer,
    TrustAnchor,
};
use multiprover_verifier::{BatchRecord, HexBytes};

use multiprover_testkit::{transfer as t, Scenario};

/// Accounts 1..=4 with 1,000,000 each.
pub fn genesis() -> Vec<GenesisAccount> {
    Scenario::small().genesis
}

/// An anchor over the small profile with these keys and registry and the default policy.
pub fn anchor(systems: Vec<SystemKey>, tee: TeeRegistry) -> TrustAnchor {
    TrustAnchor {
        council: Address::repeat_byte(0xc0),
        ..Scenario::small().anchor(systems, tee)
    }
}

/// Keys for all four systems with made-up ids (no proof can verify under them).
pub fn fake_keys() -> Vec<SystemKey> {
    SystemId::ALL
        .into_iter()
        .map(|system| SystemKey {
            system,
            vk_id: keccak256(format!("fake verifying key of {system}")),
            key: Bytes::new(),
        })
        .collect()
}

/// Transfers of batches 1, 2, 3 (batch 1 is the fixtures' batch).
pub fn transfers() -> Vec<Vec<Transfer>> {
    vec![
        Scenario::small().batch(1).transfers.clone(),
        vec![t(2, 1, 50, 0), t(1, 3, 7, 1)],
        vec![t(4, 2, 1, 0)],
    ]
}

/// A chain of batches applied to the anchor's genesis, each published with an envelope
/// per system in `systems` carrying `proof` as its (not real) proof bytes.
pub fn records(
    anchor: &TrustAnchor,
    n: usize,
    systems: &[SystemId],
    proof: &[u8],
) -> Vec<BatchRecord> {
    let batches: Vec<Batch> = transfers()
        .into_iter()
        .take(n)
        .enumerate()
        .map(|(i, transfers)| Batch {
            chain_id: anchor.chain_id,
            batch_number: i as u64 + 1,
            transfers,
        })
        .collect();
    let (_, witnesses) = multiprover_testkit::replay(anchor, &batches);
    batches
        .into_iter()
        .zip(witnesses)
        .map(|(batch, w)| {
            let envelopes = systems
                .iter()
                .map(|s| {
                    let vk_id = anchor.key(*s).map(|k| k.vk_id).unwrap_or_default();
                    HexBytes(
                        Envelope {
                            system: *s,
                            vk_id,
                            statement: w.statement,
                            proof: proof.to_vec(),
                        }
                        .to_bytes(),
                    )
                })
                .collect();
            BatchRecord {
                signature: Some(multiprover_testkit::sign_proposal(
                    anchor,
                    &batch,
                    w.statement.pre_root,
                    multiprover_testkit::NOW,
                )),
                batch,
                claimed_post_root: w.statement.post_root,
                timestamp: multiprover_testkit::NOW,
                envelopes,
            }
        })
        .collect()
}

/// An anchor with just these fixture keys (and the TEE registry when given).
pub fn fixture_anchor(keys: &[&[u8]], registry: Option<&[u8]>) -> TrustAnchor {
    let systems = keys
        .iter()
        .map(|k| serde_json::from_slice::<SystemKey>(k).expect("key.json"))
        .collect();
    let tee = registry
        .map(|r| serde_json::from_slice::<TeeRegistry>(r).expect("registry.json"))
        .unwrap_or_default();
    anchor(systems, tee)
}

/// Accept the fixture; reject it with one byte changed in the proof (several places), in the
/// post root, and truncated.
pub fn check(key: &[u8], envelope: &[u8], registry: Option<&[u8]>) {
    let anchor = fixture_anchor(&[key], registry).to_json();
    multiprover_wasm::verify_envelope(&anchor, envelope, None)
        .expect("the committed fixture verifies");
    let header = multiprover_core::envelope::HEADER_BYTES;
    let len = envelope.len();
    for pos in [
        header,
        header + (len - header) / 2,
        len - 1,
        38 + 16 + 32,
        38 + 16 + 32 + 31,
        5 + 1 + 3,
    ] {
        let mut b = envelope.to_vec();
        b[pos] ^= 1;
        assert!(
            matches!(
                multiprover_wasm::verify_envelope(&anchor, &b, None),
                Err(multiprover_wasm::Error::Rejected(_))
            ),
            "flip at {pos} accepted"
        );
    }
    assert!(multiprover_wasm::verify_envelope(&anchor, &envelope[..len - 1], None).is_err());
}
