//! The committed proof fixtures of each system (`testdata/fixtures/<system>/`, small profile,
//! chain 7, batch 1 of docs/system-crates.md) through the wasm API in headless Chromium:
//! valid envelopes accepted, tampered ones rejected (an `Err`, never a panic), and together
//! they make batch 1 final in the light client. Each system is behind its feature.
//! halo2's fixture test is in `halo2.rs`.

#[allow(unused_imports)]
use crate::common::{check, fixture_anchor};
#[allow(unused_imports)]
use wasm_bindgen_test::*;

#[cfg(feature = "plonky2")]
#[wasm_bindgen_test]
fn plonky2_fixture() {
    check(
        include_bytes!("../../../../testdata/fixtures/plonky2/key.json"),
        include_bytes!("../../../../testdata/fixtures/plonky2/envelope.bin"),
        None,
    );
}

#[cfg(feature = "stark")]
#[wasm_bindgen_test]
fn stark_fixture() {
    check(
        include_bytes!("../../../../testdata/fixtures/stark/key.json"),
        include_bytes!("../../../../testdata/fixtures/stark/envelope.bin"),
        None,
    );
}

#[cfg(feature = "tee")]
#[wasm_bindgen_test]
fn tee_fixture() {
    check(
        include_bytes!("../../../../testdata/fixtures/tee/key.json"),
        include_bytes!("../../../../testdata/fixtures/tee/envelope.bin"),
        Some(include_bytes!(
            "../../../../testdata/fixtures/tee/registry.json"
        )),
    );
}

/// plonky2 (zk, hash-based) + stark + tee agree on batch 1: the light client finalizes it.
#[cfg(all(feature = "plonky2", feature = "stark", feature = "tee"))]
#[wasm_bindgen_test]
fn fixtures_make_batch_one_final() {
    use multiprover_core::Envelope;
    use multiprover_verifier::HexBytes;
    let anchor = fixture_anchor(
        &[
            include_bytes!("../../../../testdata/fixtures/plonky2/key.json"),
            include_bytes!("../../../../testdata/fixtures/stark/key.json"),
            include_bytes!("../../../../testdata/fixtures/tee/key.json"),
        ],
        Some(include_bytes!(
            "../../../../testdata/fixtures/tee/registry.json"
        )),
    );
    let mut record = crate::common::records(&anchor, 1, &[], b"").remove(0);
    let envs: [&[u8]; 3] = [
        include_bytes!("../../../../testdata/fixtures/plonky2/envelope.bin"),
        include_bytes!("../../../../testdata/fixtures/stark/envelope.bin"),
        include_bytes!("../../../../testdata/fixtures/tee/envelope.bin"),
    ];
    for e in envs {
        assert_eq!(
            Envelope::from_bytes(e).unwrap().statement.post_root,
            record.claimed_post_root
        );
        record.envelopes.push(HexBytes(e.to_vec()));
    }
    let client = multiprover_wasm::LightClient::new(&anchor.to_json()).unwrap();
    let v = client.ingest(&record.to_json()).unwrap();
    let status = js_sys::Reflect::get(&v, &"status".into()).unwrap();
    assert_eq!(status.as_string().unwrap(), "final");
}
