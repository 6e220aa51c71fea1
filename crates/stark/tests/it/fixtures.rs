//! The committed fixtures in `testdata/fixtures/stark/` (small profile, batch 1 of the shared
//! scenario) verify with the current code. Regenerate with
//! `MULTIPROVER_REGEN_FIXTURES=1 cargo test -p multiprover-stark --features prover --test it fixtures`
//! (or `scripts/regen.sh`).

use multiprover_core::SystemId;
use multiprover_stark::verify;
use multiprover_testkit::fixture;
use multiprover_testkit::regen::{self, Regen};

#[cfg(feature = "prover")]
fn regenerate() {
    let key = crate::common::prover().system_key();
    let env = crate::common::envelope1().to_bytes();
    fixture::write_key_and_envelope(SystemId::Stark, &key, &env);
}

#[test]
fn committed_fixtures_verify() {
    if regen::enabled(Regen::Fixtures) {
        #[cfg(feature = "prover")]
        regenerate();
        #[cfg(not(feature = "prover"))]
        panic!("regenerating the fixtures needs --features prover");
    }
    let key = fixture::key(SystemId::Stark);
    let env = fixture::envelope(SystemId::Stark);
    // the fixture proves the shared scenario's batch 1, recomputed here by the core STF
    assert_eq!(env.statement, crate::common::witness1().statement);
    verify(&key, &env).unwrap();
    // the key is the one the current prover would pin (stale fixtures fail here)
    #[cfg(feature = "prover")]
    assert_eq!(key, crate::common::prover().system_key());
}
