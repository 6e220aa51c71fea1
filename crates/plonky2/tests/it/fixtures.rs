//! The committed fixtures (small profile, chain 7, batch 1) verify; the verifier never panics
//! on mutations of them. `MULTIPROVER_REGEN_FIXTURES=1 cargo test -p multiprover-plonky2
//! --features prover --test it fixtures` (or `scripts/regen.sh`) regenerates them.

use crate::common::*;
use multiprover_core::{Envelope, SystemId, SystemKey};
use multiprover_plonky2::{verify, Error, PreparedKey};
use multiprover_testkit::fixture;
use proptest::prelude::*;

#[cfg(feature = "prover")]
fn regenerate_if_asked() {
    use std::sync::Once;
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use multiprover_testkit::regen::{self, Regen};
        if !regen::enabled(Regen::Fixtures) {
            return;
        }
        let prover = multiprover_plonky2::Prover::setup(multiprover_core::Profile::SMALL).unwrap();
        let env = prover.prove(&honest_witness().1).unwrap();
        let system = SystemId::Plonky2;
        fixture::write_key_and_envelope(system, &prover.system_key(), &env.to_bytes());
        fixture::write_json(system, "batch.json", &batch1());
    });
}

#[cfg(not(feature = "prover"))]
fn regenerate_if_asked() {}

fn load() -> (SystemKey, Envelope) {
    regenerate_if_asked();
    (
        fixture::key(SystemId::Plonky2),
        fixture::envelope(SystemId::Plonky2),
    )
}

#[test]
fn fixtures_verify() {
    let (key, env) = load();
    verify(&key, &env).unwrap();
    // The fixture proves exactly the reference STF's statement for batch 1.
    assert_eq!(env.statement, honest_witness().1.statement);
    let batch: multiprover_core::Batch =
        serde_json::from_slice(&fixture::read(SystemId::Plonky2, "batch.json")).unwrap();
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
        "stale fixtures: run MULTIPROVER_REGEN_FIXTURES=1 cargo test -p multiprover-plonky2 --features prover --test it fixtures (or scripts/regen.sh)"
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
