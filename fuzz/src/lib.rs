//! What every fuzz target checks, as plain functions: the targets in `fuzz_targets/` call
//! them, and `crates/verifier/tests/fixtures.rs` (`fuzz_corpora_and_regressions_replay`)
//! includes this file to replay the seeds, committed corpora and crash inputs in the normal
//! test suite. Each function must return
//! for any input; a panic is a finding.

use multiprover_core::{Envelope, SystemId, SystemKey, TeeRegistry, TrustAnchor};
use multiprover_verifier::{verify_envelope, BatchRecord, LightClient};

/// The fixture time (inside the fixture enclave's registration window).
pub use multiprover_testkit::NOW;

/// The envelope decoder is strict, so it is canonical: whatever decodes re-encodes to the
/// same bytes.
pub fn envelope(data: &[u8]) {
    if let Ok(e) = Envelope::from_bytes(data) {
        assert_eq!(e.to_bytes(), data, "envelope codec is not canonical");
    }
}

/// The trust-anchor parser: whatever parses validates or not without panicking, hashes,
/// and survives a JSON round trip with the same hash.
pub fn anchor(data: &[u8]) {
    if let Ok(a) = TrustAnchor::from_json(data) {
        let _ = a.validate();
        let h = a.hash();
        let again = TrustAnchor::from_json(a.to_json().as_bytes()).expect("own JSON parses");
        assert_eq!(again.hash(), h, "anchor JSON round trip changed the hash");
    }
}

/// The light client's input: a batch record from an untrusted node, parsed and ingested
/// against the browser-test anchor (whose keys are placeholders: this target exercises
/// parsing, the settlement logic and the envelope checks, not the proof systems).
pub fn batch_record(data: &[u8]) {
    if let Ok(r) = BatchRecord::from_json(data) {
        let anchor = TrustAnchor::from_json(include_bytes!("../../tests/browser/data/anchor.json"))
            .expect("test anchor");
        if let Ok(mut client) = LightClient::new(anchor) {
            let _ = client.ingest(&r, &mut || 0.0);
            let _ = client.status();
        }
    }
}

fn key(json: &[u8]) -> SystemKey {
    serde_json::from_slice(json).expect("fixture key")
}

/// The fixture anchor with the committed keys of all four systems.
pub fn fixture_anchor() -> TrustAnchor {
    let mut a = TrustAnchor::from_json(include_bytes!("../../tests/browser/data/anchor.json"))
        .expect("test anchor");
    a.systems = vec![
        key(include_bytes!("../../testdata/fixtures/halo2/key.json")),
        key(include_bytes!("../../testdata/fixtures/plonky2/key.json")),
        key(include_bytes!("../../testdata/fixtures/stark/key.json")),
        key(include_bytes!("../../testdata/fixtures/tee/key.json")),
    ];
    a.tee = serde_json::from_slice::<TeeRegistry>(include_bytes!(
        "../../testdata/fixtures/tee/registry.json"
    ))
    .expect("registry");
    a
}

/// The committed valid envelope of a system.
pub fn fixture_envelope(system: SystemId) -> Envelope {
    let bytes: &[u8] = match system {
        SystemId::Halo2 => include_bytes!("../../testdata/fixtures/halo2/envelope.bin"),
        SystemId::Plonky2 => include_bytes!("../../testdata/fixtures/plonky2/envelope.bin"),
        SystemId::Stark => include_bytes!("../../testdata/fixtures/stark/envelope.bin"),
        SystemId::Tee => include_bytes!("../../testdata/fixtures/tee/envelope.bin"),
    };
    Envelope::from_bytes(bytes).expect("fixture envelope")
}

/// Proof decoding and verification: the fixture envelope of `system` with its proof bytes
/// replaced by `proof` (the header stays valid, so every input reaches the proof system).
/// The committed proof itself must verify; anything else must return, accepted or not.
/// (Acceptance of other bytes is not asserted here: the adversarial suite in `tests/`
/// checks targeted mutations for rejection.)
pub fn proof(anchor: &TrustAnchor, system: SystemId, proof: &[u8]) {
    let mut e = fixture_envelope(system);
    let original = e.proof == proof;
    e.proof = proof.to_vec();
    let r = verify_envelope(anchor, &e, NOW);
    if original {
        assert!(r.is_ok(), "the committed {system} proof must verify: {r:?}");
    }
}
