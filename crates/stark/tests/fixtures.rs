//! The committed fixtures in `testdata/fixtures/stark/` (small profile, batch 1 of the shared
//! scenario) verify with the current code. Regenerate with
//! `MULTIPROVER_REGEN_FIXTURES=1 cargo test -p multiprover-stark --features prover --test fixtures`.

mod common;

use std::path::PathBuf;

use multiprover_core::{Envelope, SystemKey};
use multiprover_stark::verify;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fixtures/stark")
}

#[cfg(feature = "prover")]
fn regenerate() {
    let d = dir();
    std::fs::create_dir_all(&d).unwrap();
    let key = common::prover().system_key();
    std::fs::write(
        d.join("key.json"),
        serde_json::to_string_pretty(&key).unwrap() + "\n",
    )
    .unwrap();
    std::fs::write(d.join("envelope.bin"), common::envelope1().to_bytes()).unwrap();
}

#[test]
fn committed_fixtures_verify() {
    if std::env::var("MULTIPROVER_REGEN_FIXTURES").as_deref() == Ok("1") {
        #[cfg(feature = "prover")]
        regenerate();
        #[cfg(not(feature = "prover"))]
        panic!("regenerating the fixtures needs --features prover");
    }
    let key: SystemKey =
        serde_json::from_slice(&std::fs::read(dir().join("key.json")).unwrap()).unwrap();
    let env = Envelope::from_bytes(&std::fs::read(dir().join("envelope.bin")).unwrap()).unwrap();
    // the fixture proves the shared scenario's batch 1, recomputed here by the core STF
    assert_eq!(env.statement, common::witness1().statement);
    verify(&key, &env).unwrap();
    // the key is the one the current prover would pin (stale fixtures fail here)
    #[cfg(feature = "prover")]
    assert_eq!(key, common::prover().system_key());
}
