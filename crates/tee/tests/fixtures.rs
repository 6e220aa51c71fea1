//! The committed fixtures in `testdata/fixtures/tee/` verify, bind the small-profile batch 1,
//! and (with the `prover` feature) are not stale. Regenerate with
//! `MULTIPROVER_REGEN_FIXTURES=1 cargo test -p multiprover-tee --features prover --test fixtures`.

#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use multiprover_core::{
    apply_batch, genesis_tree, Batch, Envelope, GenesisAccount, Profile, SystemKey, TeeRegistry,
    Transfer,
};
use multiprover_tee::{measurement, verify, Error};

/// An explicit time inside the fixture window (2027-01-15).
const NOW: u64 = 1_800_000_000;
/// Fixture window: 2023-11-14 .. 2100-01-01.
#[cfg(feature = "prover")]
const VALID_FROM: u64 = 1_700_000_000;
#[cfg(feature = "prover")]
const VALID_UNTIL: u64 = 4_102_444_800;
/// Fixture instance id and enclave seed.
#[cfg(feature = "prover")]
const INSTANCE_ID: u32 = 1;
#[cfg(feature = "prover")]
const SEED: [u8; 32] = *b"multiprover tee fixture seed v1!";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fixtures/tee")
}

fn genesis() -> multiprover_core::SparseMerkleTree {
    let accounts: Vec<GenesisAccount> = (1..=4)
        .map(|index| GenesisAccount {
            index,
            balance: 1_000_000,
        })
        .collect();
    genesis_tree(Profile::SMALL.depth, &accounts).unwrap()
}

fn batch1() -> Batch {
    Batch {
        chain_id: 7,
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

#[cfg(feature = "prover")]
fn generate() -> (TeeRegistry, SystemKey, Vec<u8>) {
    let enclave = multiprover_tee::Enclave::new(Profile::SMALL, SEED);
    let registry = TeeRegistry {
        measurements: vec![enclave.measurement()],
        instances: vec![enclave.registration(INSTANCE_ID, VALID_FROM, VALID_UNTIL)],
    };
    let env = enclave.attest(INSTANCE_ID, &genesis(), &batch1()).unwrap();
    (registry, enclave.system_key(), env.to_bytes())
}

fn load() -> (TeeRegistry, SystemKey, Vec<u8>) {
    #[cfg(feature = "prover")]
    if std::env::var_os("MULTIPROVER_REGEN_FIXTURES").is_some() {
        let (registry, key, env) = generate();
        std::fs::create_dir_all(dir()).unwrap();
        std::fs::write(
            dir().join("registry.json"),
            serde_json::to_string_pretty(&registry).unwrap() + "\n",
        )
        .unwrap();
        std::fs::write(
            dir().join("key.json"),
            serde_json::to_string_pretty(&key).unwrap() + "\n",
        )
        .unwrap();
        std::fs::write(dir().join("envelope.bin"), env).unwrap();
    }
    let registry =
        serde_json::from_slice(&std::fs::read(dir().join("registry.json")).unwrap()).unwrap();
    let key = serde_json::from_slice(&std::fs::read(dir().join("key.json")).unwrap()).unwrap();
    let env = std::fs::read(dir().join("envelope.bin")).unwrap();
    (registry, key, env)
}

#[test]
fn fixtures_verify_and_bind_batch_1() {
    let (registry, key, bytes) = load();
    let env = Envelope::from_bytes(&bytes).unwrap();
    verify(&registry, &key, &env, NOW).unwrap();
    assert_eq!(key.vk_id, measurement(Profile::SMALL));
    // The statement is the reference STF's for batch 1 on the small genesis.
    let mut t = genesis();
    let w = apply_batch(&mut t, &batch1(), Profile::SMALL).unwrap();
    assert_eq!(env.statement, w.statement);
    // The window is wide (until 2100) but finite.
    assert!(matches!(
        verify(&registry, &key, &env, u64::MAX),
        Err(Error::Expired { .. })
    ));
}

#[cfg(feature = "prover")]
#[test]
fn fixtures_are_not_stale() {
    let (registry, key, env) = load();
    let (r2, k2, e2) = generate();
    assert_eq!(
        registry, r2,
        "registry.json is stale: regenerate (see the file's doc)"
    );
    assert_eq!(
        key, k2,
        "key.json is stale: regenerate (see the file's doc)"
    );
    assert_eq!(
        env, e2,
        "envelope.bin is stale: regenerate (see the file's doc)"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Mutating the committed envelope (one byte anywhere, then an optional cut) never panics
    /// and never yields an accepted envelope other than the original.
    #[test]
    fn mutated_fixture_never_panics_nor_verifies(pos in 0usize..1000, val in proptest::prelude::any::<u8>(),
                                                 cut in 0usize..1000, now in proptest::prelude::any::<u64>()) {
        let (registry, key, bytes) = load();
        let mut b = bytes.clone();
        let p = pos % b.len();
        b[p] = val;
        b.truncate(cut % (b.len() + 1) + if cut % 2 == 0 { b.len() } else { 0 });
        if let Ok(e) = Envelope::from_bytes(&b) {
            if verify(&registry, &key, &e, now).is_ok() {
                proptest::prop_assert_eq!(b, bytes);
            }
        }
    }
}
