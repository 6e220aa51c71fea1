//! Shared setup: the small-profile fixture batch, one prover, one honest proof (built once per
//! test binary).
#![allow(dead_code)]

#[cfg(feature = "prover")]
use std::sync::OnceLock;

#[cfg(feature = "prover")]
use multiprover_core::Envelope;
use multiprover_core::{
    apply_batch, genesis_tree, Batch, BatchWitness, GenesisAccount, Profile, SparseMerkleTree,
    Transfer,
};
#[cfg(feature = "prover")]
use multiprover_stark::Prover;

pub const CHAIN_ID: u64 = 7;

pub fn genesis() -> SparseMerkleTree {
    let accounts: Vec<GenesisAccount> = (1..=4)
        .map(|index| GenesisAccount {
            index,
            balance: 1_000_000,
        })
        .collect();
    genesis_tree(Profile::SMALL.depth, &accounts).unwrap()
}

pub fn batch1() -> Batch {
    Batch {
        chain_id: CHAIN_ID,
        batch_number: 1,
        transfers: vec![
            Transfer {
                from: 1,
                to: 2,
                amount: 100,
                nonce: 0,
            },
            Transfer {
                from: 3,
                to: 4,
                amount: 5,
                nonce: 0,
            },
        ],
    }
}

pub fn witness1() -> BatchWitness {
    let mut tree = genesis();
    apply_batch(&mut tree, &batch1(), Profile::SMALL).unwrap()
}

#[cfg(feature = "prover")]
#[cfg(feature = "prover")]
pub fn prover() -> &'static Prover {
    static P: OnceLock<Prover> = OnceLock::new();
    P.get_or_init(|| Prover::setup(Profile::SMALL).unwrap())
}

/// The honest proof of batch 1, proven once per test binary.
#[cfg(feature = "prover")]
pub fn envelope1() -> &'static Envelope {
    static E: OnceLock<Envelope> = OnceLock::new();
    E.get_or_init(|| prover().prove(&witness1()).unwrap())
}

fn fixture_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fixtures/stark")
}

/// The committed fixture key (`testdata/fixtures/stark/key.json`).
pub fn fixture_key() -> multiprover_core::SystemKey {
    serde_json::from_slice(&std::fs::read(fixture_dir().join("key.json")).unwrap()).unwrap()
}

/// The committed fixture envelope (`testdata/fixtures/stark/envelope.bin`).
pub fn fixture_envelope() -> &'static multiprover_core::Envelope {
    static E: std::sync::OnceLock<multiprover_core::Envelope> = std::sync::OnceLock::new();
    E.get_or_init(|| {
        let bytes = std::fs::read(fixture_dir().join("envelope.bin")).unwrap();
        let env = multiprover_core::Envelope::from_bytes(&bytes).unwrap();
        // every tamper test starts from a proof that verifies, or it would pass vacuously
        multiprover_stark::verify(&fixture_key(), &env)
            .expect("the unmodified fixture must verify");
        env
    })
}
