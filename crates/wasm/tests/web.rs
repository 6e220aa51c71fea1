//! The light client through its wasm-bindgen API, in headless Chromium:
//! `CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome crates/wasm`.
//! Records are built here from core types; their proofs are not real, so every proof is
//! rejected (by the system's verifier, or "compiled without" in a build without it).

mod common;
mod schnorr;

use multiprover_core::{Envelope, SystemId, TeeRegistry};
use multiprover_verifier::HexBytes;
use multiprover_wasm::{verify_envelope, Error, LightClient};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |o, k| {
        js_sys::Reflect::get(&o, &JsValue::from_str(k)).unwrap()
    })
}

fn setup() -> (String, Vec<multiprover_verifier::BatchRecord>) {
    let anchor = common::anchor(common::fake_keys(), TeeRegistry::default());
    let records = common::records(&anchor, 3, &SystemId::ALL, b"not a real proof");
    (anchor.to_json(), records)
}

#[wasm_bindgen_test]
fn pins_the_anchor_and_reports_pending_with_rejected_proofs() {
    let (anchor, records) = setup();
    let client = LightClient::new(&anchor).unwrap();
    let expected = multiprover_core::TrustAnchor::from_json(anchor.as_bytes())
        .unwrap()
        .hash();
    assert_eq!(client.anchor_hash(), expected.to_string());
    for r in &records {
        let v = client.ingest(&r.to_json()).unwrap();
        assert_eq!(get(&v, "status").as_string().unwrap(), "pending");
        assert_eq!(get(&v, "decision.status").as_string().unwrap(), "pending");
        let proofs = js_sys::Array::from(&get(&v, "proofs"));
        assert_eq!(proofs.length(), 4);
        for p in proofs.iter() {
            assert_eq!(get(&p, "ok"), JsValue::FALSE);
            // Each rejected proof says why, with a kind to switch on.
            assert!(!get(&p, "error.message").as_string().unwrap().is_empty());
            let kind = get(&p, "error.kind").as_string().unwrap();
            assert!(
                multiprover_core::ErrorKind::ALL
                    .iter()
                    .any(|k| k.as_str() == kind),
                "{kind}"
            );
        }
        assert_eq!(
            js_sys::Array::from(&get(&v, "decision.missing")).length(),
            4
        );
    }
    let st = client.status().unwrap();
    assert_eq!(get(&st, "head").as_f64(), Some(3.0));
    assert_eq!(get(&st, "final_batch").as_f64(), Some(0.0));
    assert_eq!(js_sys::Array::from(&client.verdicts().unwrap()).length(), 3);
    assert!(client.verdict(4.0).unwrap().is_undefined());
    assert_eq!(
        js_sys::Array::from(&get(&client.anchor().unwrap(), "systems")).length(),
        4
    );
}

#[wasm_bindgen_test]
fn bad_records_and_arguments_are_errors_with_names() {
    let (anchor, records) = setup();
    let client = LightClient::new(&anchor).unwrap();
    // batch 2 before batch 1 does not extend the chain
    assert!(matches!(
        client.ingest(&records[1].to_json()),
        Err(Error::Record(_))
    ));
    client.ingest(&records[0].to_json()).unwrap();
    // the same number with other transfers
    let mut other = records[0].clone();
    other.batch.transfers.pop();
    assert!(matches!(
        client.ingest(&other.to_json()),
        Err(Error::Record(_))
    ));
    assert!(matches!(client.ingest("{"), Err(Error::Record(_))));
    assert!(matches!(
        verify_envelope(&anchor, &[1, 2, 3], Some(f64::NAN)),
        Err(Error::InvalidArgument(_))
    ));
    // batch 2 signed by another key
    let mut forged = records[1].clone();
    let a = multiprover_core::TrustAnchor::from_json(anchor.as_bytes()).unwrap();
    forged.signature = Some(multiprover_testkit::sign_proposal_with(
        &[0x77; 32],
        &a,
        &forged.batch,
        records[0].claimed_post_root,
        forged.timestamp,
    ));
    assert!(matches!(
        client.ingest(&forged.to_json()),
        Err(Error::Record(_))
    ));
    client.ingest(&records[1].to_json()).unwrap();
    let e: JsValue = Error::Record(multiprover_verifier::Error::RecordLimit("x")).into();
    assert_eq!(get(&e, "name").as_string().unwrap(), "BadDataError");
    assert_eq!(get(&e, "kind").as_string().unwrap(), "badData");
    assert!(matches!(LightClient::new("{}"), Err(Error::Anchor(_))));
    let e: JsValue = LightClient::new("{}").unwrap_err().into();
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&e, "name").as_string().unwrap(), "AnchorError");
    assert_eq!(get(&e, "kind").as_string().unwrap(), "anchor");
}

#[wasm_bindgen_test]
fn undecodable_envelopes_are_listed_not_thrown() {
    let (anchor, mut records) = setup();
    records[0].envelopes = vec![HexBytes(vec![1, 2, 3])];
    let client = LightClient::new(&anchor).unwrap();
    let v = client.ingest(&records[0].to_json()).unwrap();
    let p = js_sys::Array::from(&get(&v, "proofs")).get(0);
    assert!(get(&p, "system").is_null());
    assert_eq!(get(&p, "ok"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn mutated_envelopes_never_panic() {
    let (anchor, records) = setup();
    let good = Envelope::from_bytes(&records[0].envelopes[1].0)
        .unwrap()
        .to_bytes();
    assert!(matches!(
        verify_envelope(&anchor, &good, None),
        Err(Error::Rejected(_))
    ));
    for pos in 0..good.len() {
        for val in [0u8, 1, 0x7f, 0xff] {
            let mut b = good.clone();
            b[pos] ^= val.wrapping_add(1);
            assert!(verify_envelope(&anchor, &b, None).is_err());
        }
    }
    for cut in 0..good.len() {
        assert!(verify_envelope(&anchor, &good[..cut], None).is_err());
    }
}

#[wasm_bindgen_test]
async fn sync_to_an_unreachable_node_rejects_with_its_name() {
    let (anchor, _) = setup();
    let client = LightClient::new(&anchor).unwrap();
    let r =
        wasm_bindgen_futures::JsFuture::from(client.sync("http://127.0.0.1:9".into(), None)).await;
    let e = r.unwrap_err();
    assert_eq!(get(&e, "name").as_string().unwrap(), "NodeUnreachableError");
}
