//! halo2's committed fixture through the wasm API (a separate test target so that the other
//! systems' fixture tests compile while this fixture is not committed yet).
#![cfg(feature = "halo2")]

mod common;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn halo2_fixture() {
    common::check(
        include_bytes!("../../../testdata/fixtures/halo2/key.json"),
        include_bytes!("../../../testdata/fixtures/halo2/envelope.bin"),
        None,
    );
}
