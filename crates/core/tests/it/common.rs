//! Shared helpers for core's integration tests.
#![allow(dead_code)]

use multiprover_core::anchor::{TeeRegistry, TrustAnchor};
use multiprover_core::{Address, Policy, SystemId, SystemKey, B256};
use multiprover_testkit::Scenario;

pub fn council_key() -> k256::ecdsa::SigningKey {
    k256::ecdsa::SigningKey::from_slice(&[0x42; 32]).unwrap()
}

pub fn address_of(key: &k256::ecdsa::SigningKey) -> Address {
    Address::from_public_key(key.verifying_key())
}

pub fn sign(key: &k256::ecdsa::SigningKey, digest: B256) -> [u8; 65] {
    let (sig, rec) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut out = [0u8; 65];
    out[..64].copy_from_slice(&sig.to_bytes());
    out[64] = 27 + rec.to_byte();
    out
}

/// The fixture scenario with 10^10 per account, mock keys for `systems`, the council above.
pub fn anchor(policy: Policy, systems: &[SystemId]) -> TrustAnchor {
    let systems = systems
        .iter()
        .map(|s| SystemKey {
            system: *s,
            vk_id: B256::repeat_byte(*s as u8),
            key: Default::default(),
        })
        .collect();
    TrustAnchor {
        policy,
        council: address_of(&council_key()),
        ..Scenario::small()
            .with_balance(10_000_000_000)
            .anchor(systems, TeeRegistry::default())
    }
}
