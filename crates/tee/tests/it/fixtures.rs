//! The committed fixtures in `testdata/fixtures/tee/` verify, bind the small-profile batch 1,
//! and (with the `prover` feature) are not stale. Regenerate with
//! `MULTIPROVER_REGEN_FIXTURES=1 cargo test -p multiprover-tee --features prover --test it fixtures`
//! (or `scripts/regen.sh`).

#![cfg(not(target_arch = "wasm32"))]

use multiprover_core::{Envelope, Profile, SystemId, SystemKey, TeeRegistry};
use multiprover_tee::{measurement, verify, Error};
use multiprover_testkit::fixture;
use multiprover_testkit::{Scenario, NOW};

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

#[cfg(feature = "prover")]
fn generate() -> (TeeRegistry, SystemKey, Vec<u8>) {
    let enclave = multiprover_tee::Enclave::new(Profile::SMALL, SEED);
    let registry = TeeRegistry {
        measurements: vec![enclave.measurement()],
        instances: vec![enclave.registration(INSTANCE_ID, VALID_FROM, VALID_UNTIL)],
    };
    let scenario = Scenario::small();
    let env = enclave
        .attest(INSTANCE_ID, &scenario.genesis_tree(), scenario.batch(1))
        .unwrap();
    (registry, enclave.system_key(), env.to_bytes())
}

fn load() -> (TeeRegistry, SystemKey, Vec<u8>) {
    // Once per process: the tests read the files in parallel.
    #[cfg(feature = "prover")]
    static REGEN: std::sync::Once = std::sync::Once::new();
    #[cfg(feature = "prover")]
    REGEN.call_once(|| {
        if multiprover_testkit::regen::enabled(multiprover_testkit::regen::Regen::Fixtures) {
            let (registry, key, env) = generate();
            fixture::write_json(SystemId::Tee, "registry.json", &registry);
            fixture::write_key_and_envelope(SystemId::Tee, &key, &env);
        }
    });
    let registry = fixture::tee_registry();
    let key = fixture::key(SystemId::Tee);
    let env = fixture::envelope_bytes(SystemId::Tee);
    (registry, key, env)
}

#[test]
fn fixtures_verify_and_bind_batch_1() {
    let (registry, key, bytes) = load();
    let env = Envelope::from_bytes(&bytes).unwrap();
    verify(&registry, &key, &env, NOW).unwrap();
    assert_eq!(key.vk_id, measurement(Profile::SMALL));
    // The statement is the reference STF's for batch 1 on the small genesis.
    assert_eq!(env.statement, Scenario::small().witness(1).statement);
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
