//! Shared setup: the small-profile fixture batch, one prover, one honest proof (built once per
//! test binary).
#![allow(dead_code)]

#[cfg(feature = "prover")]
use std::sync::OnceLock;

use multiprover_core::{Batch, BatchWitness, SparseMerkleTree, SystemId};
#[cfg(feature = "prover")]
use multiprover_core::{Envelope, Profile};
#[cfg(feature = "prover")]
use multiprover_stark::Prover;

use multiprover_testkit::Scenario;
#[cfg_attr(not(feature = "prover"), allow(unused_imports))]
pub use multiprover_testkit::CHAIN_ID;

pub fn genesis() -> SparseMerkleTree {
    Scenario::small().genesis_tree()
}

pub fn batch1() -> Batch {
    Scenario::small().batch(1).clone()
}

pub fn witness1() -> BatchWitness {
    Scenario::small().witness(1)
}

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

/// The committed fixture key (`testdata/fixtures/stark/key.json`).
pub fn fixture_key() -> multiprover_core::SystemKey {
    multiprover_testkit::fixture::key(SystemId::Stark)
}

/// The committed fixture envelope (`testdata/fixtures/stark/envelope.bin`).
pub fn fixture_envelope() -> &'static multiprover_core::Envelope {
    static E: std::sync::OnceLock<multiprover_core::Envelope> = std::sync::OnceLock::new();
    E.get_or_init(|| {
        let env = multiprover_testkit::fixture::envelope(SystemId::Stark);
        // every tamper test starts from a proof that verifies, or it would pass vacuously
        multiprover_stark::verify(&fixture_key(), &env)
            .expect("the unmodified fixture must verify");
        env
    })
}
