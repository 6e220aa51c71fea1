//! Shared helpers for core's integration tests.
#![allow(dead_code)]

use multiprover_core::anchor::{TeeRegistry, TrustAnchor, ANCHOR_VERSION};
use multiprover_core::{
    genesis_tree, Address, GenesisAccount, Policy, Profile, SystemId, SystemKey, B256,
};

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

pub fn anchor(policy: Policy, systems: &[SystemId]) -> TrustAnchor {
    let profile = Profile::SMALL;
    let genesis: Vec<GenesisAccount> = (1..=4)
        .map(|i| GenesisAccount {
            index: i,
            balance: 10_000_000_000,
        })
        .collect();
    let tree = genesis_tree(profile.depth, &genesis).unwrap();
    TrustAnchor {
        version: ANCHOR_VERSION,
        chain_id: 7,
        profile,
        genesis_root: tree.root(),
        genesis,
        policy,
        systems: systems
            .iter()
            .map(|s| SystemKey {
                system: *s,
                vk_id: B256::repeat_byte(*s as u8),
                key: Default::default(),
            })
            .collect(),
        tee: TeeRegistry::default(),
        council: address_of(&council_key()),
    }
}
