//! The committed fixtures verify inside WebAssembly, and how long that takes (printed).
//!
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p multiprover-tee --no-default-features --target wasm32-unknown-unknown --test it`
#![cfg(target_arch = "wasm32")]

use multiprover_core::{Envelope, SystemKey, TeeRegistry};
use multiprover_tee::{verify, Error};
use multiprover_testkit::NOW;
use wasm_bindgen_test::wasm_bindgen_test;

fn fixtures() -> (TeeRegistry, SystemKey, Envelope) {
    let registry = serde_json::from_slice(include_bytes!(
        "../../../../testdata/fixtures/tee/registry.json"
    ))
    .unwrap();
    let key = serde_json::from_slice(include_bytes!("../../../../testdata/fixtures/tee/key.json"))
        .unwrap();
    let env = Envelope::from_bytes(include_bytes!(
        "../../../../testdata/fixtures/tee/envelope.bin"
    ))
    .unwrap();
    (registry, key, env)
}

#[wasm_bindgen_test]
fn fixtures_verify_in_wasm_and_time_it() {
    let (registry, key, env) = fixtures();
    verify(&registry, &key, &env, NOW).unwrap();
    let mut bad = env.clone();
    bad.statement.batch_number += 1;
    assert!(matches!(
        verify(&registry, &key, &bad, NOW),
        Err(Error::SignerMismatch { .. })
    ));

    let n = 200;
    let start = js_sys::Date::now();
    for _ in 0..n {
        verify(&registry, &key, core::hint::black_box(&env), NOW).unwrap();
    }
    let per_ms = (js_sys::Date::now() - start) / n as f64;
    wasm_bindgen_test::console_log!("wasm verify: {per_ms:.3} ms per verify ({n} runs)");
}
