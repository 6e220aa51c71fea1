//! Committed fixtures in `testdata/fixtures/halo2/`: `key.json` (the `SystemKey`) and
//! `envelope.bin` for batch 1 of the small profile. Verified here by a fresh verifier (params
//! and verifying key rebuilt from the key material); regenerated with
//! `MULTIPROVER_REGEN_FIXTURES=1`.

mod common;

use std::path::PathBuf;

use common::*;
use multiprover_core::{Envelope, SystemKey};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fixtures/halo2")
}

#[test]
fn committed_fixtures_verify() {
    let witness = fixture_witness();
    if std::env::var("MULTIPROVER_REGEN_FIXTURES").as_deref() == Ok("1") {
        let prover = multiprover_halo2::Prover::setup(PROFILE).expect("setup");
        let env = prover.prove(&witness).expect("prove");
        std::fs::create_dir_all(dir()).expect("mkdir");
        let key = serde_json::to_string_pretty(&prover.system_key()).expect("json");
        std::fs::write(dir().join("key.json"), key + "\n").expect("write key");
        std::fs::write(dir().join("envelope.bin"), env.to_bytes()).expect("write envelope");
    }
    let key: SystemKey = serde_json::from_slice(
        &std::fs::read(dir().join("key.json")).expect("key.json (MULTIPROVER_REGEN_FIXTURES=1)"),
    )
    .expect("key json");
    let env = Envelope::from_bytes(&std::fs::read(dir().join("envelope.bin")).expect("envelope"))
        .expect("envelope");
    assert_eq!(
        env.statement, witness.statement,
        "fixture statement is stale"
    );
    let km = multiprover_halo2::KeyMaterial::from_bytes(&key.key).expect("key material");
    assert_eq!(km.profile, PROFILE);
    // The pinned params digest is the digest of freshly computed params (not the process
    // cache, which MULTIPROVER_HALO2_PARAMS_DIR may have filled from a file).
    let mut bytes = Vec::new();
    halo2_proofs::poly::commitment::Params::<halo2_proofs::pasta::EqAffine>::new(km.k)
        .write(&mut bytes)
        .expect("write params");
    let digest = multiprover_core::alloy_primitives::keccak256(&bytes);
    assert_eq!(
        multiprover_halo2::params_digest(km.k),
        Some(digest),
        "PARAMS_DIGESTS in crates/halo2/src/verify.rs is stale: k = {} has {digest}",
        km.k
    );
    let mut flipped = bytes.clone();
    flipped[4 + 32 * 1000] ^= 1;
    assert!(multiprover_halo2::load_params(&flipped).is_err());
    assert!(multiprover_halo2::load_params(&bytes[..bytes.len() - 1]).is_err());
    let mut other_k = bytes.clone();
    other_k[0] = 16;
    assert!(multiprover_halo2::load_params(&other_k).is_err());
    assert!(multiprover_halo2::load_params(&[]).is_err());
    // Accepted: and from here on this process verifies with them (no second computation).
    assert_eq!(
        multiprover_halo2::load_params(&bytes).expect("pinned"),
        km.k
    );
    multiprover_halo2::verify(&key, &env).expect("fixture verifies");
    let mut bad = env.clone();
    bad.statement.batch_number += 1;
    bad.statement.post_root = bad.statement.pre_root;
    assert!(multiprover_halo2::verify(&key, &bad).is_err());
}
