//! The committed fixtures (small profile, chain 7, batch 1) verify; the verifier never panics
//! on mutations of them. `MULTIPROVER_REGEN_FIXTURES=1 cargo test -p multiprover-plonky2
//! --features prover --test fixtures` regenerates them.

mod common;

use std::path::PathBuf;

use common::*;
use multiprover_core::{Envelope, SystemKey};
use multiprover_plonky2::{verify, Error, PreparedKey};
use proptest::prelude::*;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fixtures/plonky2")
}

#[cfg(feature = "prover")]
fn regenerate_if_asked() {
    use std::sync::Once;
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var("MULTIPROVER_REGEN_FIXTURES").as_deref() != Ok("1") {
            return;
        }
        let prover = multiprover_plonky2::Prover::setup(multiprover_core::Profile::SMALL).unwrap();
        let env = prover.prove(&honest_witness().1).unwrap();
        std::fs::create_dir_all(dir()).unwrap();
        let key = serde_json::to_string_pretty(&prover.system_key()).unwrap();
        std::fs::write(dir().join("key.json"), key + "\n").unwrap();
        std::fs::write(dir().join("envelope.bin"), env.to_bytes()).unwrap();
        let batch = serde_json::to_string_pretty(&batch1()).unwrap();
        std::fs::write(dir().join("batch.json"), batch + "\n").unwrap();
    });
}

#[cfg(not(feature = "prover"))]
fn regenerate_if_asked() {}

fn load() -> (SystemKey, Envelope) {
    regenerate_if_asked();
    let key: SystemKey =
        serde_json::from_slice(&std::fs::read(dir().join("key.json")).unwrap()).unwrap();
    let env = Envelope::from_bytes(&std::fs::read(dir().join("envelope.bin")).unwrap()).unwrap();
    (key, env)
}

#[test]
fn fixtures_verify() {
    let (key, env) = load();
    verify(&key, &env).unwrap();
    // The fixture proves exactly the reference STF's statement for batch 1.
    assert_eq!(env.statement, honest_witness().1.statement);
    let batch: multiprover_core::Batch =
        serde_json::from_slice(&std::fs::read(dir().join("batch.json")).unwrap()).unwrap();
    assert_eq!(batch, batch1());
    let info = PreparedKey::new(&key).unwrap().info();
    assert_eq!((info.depth, info.capacity), (8, 2));
}

/// A circuit change must come with regenerated fixtures.
#[cfg(feature = "prover")]
#[test]
fn fixtures_are_current() {
    let (key, _) = load();
    let prover = multiprover_plonky2::Prover::setup(multiprover_core::Profile::SMALL).unwrap();
    assert_eq!(
        prover.system_key(),
        key,
        "stale fixtures: run MULTIPROVER_REGEN_FIXTURES=1 cargo test -p multiprover-plonky2 --features prover --test fixtures"
    );
}

#[test]
fn statement_of_another_batch_is_rejected() {
    let (key, env) = load();
    let mut e = env.clone();
    e.statement.post_root = e.statement.pre_root;
    assert!(matches!(verify(&key, &e), Err(Error::PublicInputsMismatch)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn mutated_fixture_envelopes_are_errors(pos in any::<usize>(), val in any::<u8>()) {
        let (key, env) = load();
        let mut bytes = env.to_bytes();
        let p = pos % bytes.len();
        prop_assume!(bytes[p] != val);
        bytes[p] = val;
        // Either the envelope codec or the verifier refuses it; nothing panics.
        if let Ok(e) = Envelope::from_bytes(&bytes) {
            prop_assert!(verify(&key, &e).is_err());
        }
    }

    #[test]
    fn random_proof_bytes_are_errors(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let (key, env) = load();
        let mut e = env.clone();
        e.proof = bytes;
        prop_assert!(verify(&key, &e).is_err());
    }
}
