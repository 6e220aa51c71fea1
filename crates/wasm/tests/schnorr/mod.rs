//! The signing calls through their wasm-bindgen API (shared by `tests/schnorr_node.rs`,
//! under Node, and `tests/web.rs`, in headless Chromium): sign in wasm, verify in wasm, and
//! the known answer of testdata/golden/schnorr_wasm.json (computed natively).

use multiprover_wasm::{
    generate_key, public_key, sign_transfer, transfer_message, verify_signature,
    verify_transfer_signature, Error,
};
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

const GOLDEN: &str = include_str!("../../../../testdata/golden/schnorr_wasm.json");

fn golden() -> Value {
    serde_json::from_str(GOLDEN).unwrap()
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap().to_string()
}

fn field(v: &JsValue, k: &str) -> String {
    js_sys::Reflect::get(v, &JsValue::from_str(k))
        .unwrap()
        .as_string()
        .unwrap()
}

fn seed(g: &Value) -> Vec<u8> {
    let h = s(g, "seed");
    (0..32)
        .map(|i| u8::from_str_radix(&h[2 + 2 * i..4 + 2 * i], 16).unwrap())
        .collect()
}

fn chain() -> JsValue {
    JsValue::from_f64(7.0)
}

/// Flip one bit of a hex string's byte `i`.
fn flip(hex: &str, i: usize) -> String {
    let mut b: Vec<u8> = (0..(hex.len() - 2) / 2)
        .map(|j| u8::from_str_radix(&hex[2 + 2 * j..4 + 2 * j], 16).unwrap())
        .collect();
    b[i] ^= 1;
    format!(
        "0x{}",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

#[wasm_bindgen_test]
fn known_answer_matches_native_core() {
    let g = golden();
    let kp = generate_key(&seed(&g)).unwrap();
    assert_eq!(field(&kp, "secret_key"), s(&g, "secret_key"));
    assert_eq!(field(&kp, "public_key"), s(&g, "public_key"));
    assert_eq!(
        public_key(&s(&g, "secret_key")).unwrap(),
        s(&g, "public_key")
    );
    let t = g["transfer"].to_string();
    assert_eq!(transfer_message(&t, chain()).unwrap(), s(&g, "message"));
    let signed = sign_transfer(&t, chain(), &s(&g, "secret_key")).unwrap();
    let signed: Value = serde_json::from_str(&signed).unwrap();
    assert_eq!(signed, g["signed_transfer"]);
    assert_eq!(s(&signed, "signature"), s(&g, "signature"));
}

#[wasm_bindgen_test]
fn signed_in_wasm_verifies_and_tampering_fails() {
    let g = golden();
    let (pk, m, sig) = (s(&g, "public_key"), s(&g, "message"), s(&g, "signature"));
    assert!(verify_signature(&pk, &m, &sig).unwrap());
    // A flipped bit of s or of R: refused (R flipped may stop being canonical: then it throws).
    assert!(!verify_signature(&pk, &m, &flip(&sig, 41)).unwrap());
    assert!(!matches!(
        verify_signature(&pk, &m, &flip(&sig, 0)),
        Ok(true)
    ));
    // Another message, another key.
    assert!(!verify_signature(&pk, &flip(&m, 31), &sig).unwrap());
    let other = generate_key(&[9u8; 32]).unwrap();
    assert!(!verify_signature(&field(&other, "public_key"), &m, &sig).unwrap());
    // The whole transfer: valid under the sender's key, not under another or another chain.
    let signed = g["signed_transfer"].to_string();
    assert!(verify_transfer_signature(&signed, chain(), &pk).unwrap());
    assert!(!verify_transfer_signature(&signed, JsValue::from_f64(8.0), &pk).unwrap());
    assert!(!verify_transfer_signature(&signed, chain(), &field(&other, "public_key")).unwrap());
}

#[wasm_bindgen_test]
fn malformed_inputs_are_typed_errors() {
    let g = golden();
    let (pk, m, sig) = (s(&g, "public_key"), s(&g, "message"), s(&g, "signature"));
    // s = all ones: not below the group order.
    let high_s = format!("{}{}", &sig[..82], "ff".repeat(40));
    let kind = |e: Error| e.kind();
    assert_eq!(
        kind(verify_signature(&pk, &m, &high_s).unwrap_err()),
        "invalidSignature"
    );
    assert_eq!(
        kind(verify_signature(&pk, &m, &sig[..20]).unwrap_err()),
        "invalidSignature"
    );
    assert_eq!(
        kind(verify_signature(&"00".repeat(40), &m, &sig).unwrap_err()),
        "invalidKey"
    );
    assert_eq!(
        kind(verify_signature(&pk, "0x12", &sig).unwrap_err()),
        "invalidMessage"
    );
    assert_eq!(
        kind(public_key(&"ff".repeat(40)).unwrap_err()),
        "invalidKey"
    );
    assert_eq!(
        kind(generate_key(&[1u8; 8]).unwrap_err()),
        "invalidArgument"
    );
    assert_eq!(
        kind(transfer_message("{", chain()).unwrap_err()),
        "invalidTransfer"
    );
    assert_eq!(
        kind(transfer_message(&g["transfer"].to_string(), JsValue::from_f64(-1.0)).unwrap_err()),
        "invalidArgument"
    );
    let unsigned = g["transfer"].to_string();
    assert_eq!(
        kind(verify_transfer_signature(&unsigned, chain(), &pk).unwrap_err()),
        "invalidSignature"
    );
    // As a JavaScript value: an Error with the kind.
    let js: JsValue = public_key("nope").unwrap_err().into();
    assert_eq!(field(&js, "kind"), "invalidKey");
}
