//! halo2's committed fixture through the wasm API in headless Chromium. The browser loads the
//! IPA params that native processes cached in `$MULTIPROVER_HALO2_PARAMS_DIR` (embedded at
//! build time by `build.rs`; `npm test` fills the directory before this step) through
//! `loadHalo2Params`, which accepts them only with the pinned digest. Without them the
//! browser computes the params itself: more than 15 minutes.
//!
//! The binary runs in a dedicated worker for this test: rebuilding the key and verifying take
//! about a minute, and on the page's main thread that blocks the renderer long enough for
//! chromedriver to give up ("Timed out receiving message from renderer"), which failed CI.
#![cfg(feature = "halo2")]

use wasm_bindgen_test::*;

const PARAMS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/halo2-params-k14.bin"));

#[wasm_bindgen_test]
fn halo2_fixture() {
    if !PARAMS.is_empty() {
        let mut flipped = PARAMS.to_vec();
        flipped[4 + 32 * 100] ^= 1;
        assert!(multiprover_wasm::load_halo2_params(&flipped).is_err());
        assert_eq!(
            multiprover_wasm::load_halo2_params(PARAMS).expect("pinned params"),
            14
        );
    }
    crate::common::check(
        include_bytes!("../../../../testdata/fixtures/halo2/key.json"),
        include_bytes!("../../../../testdata/fixtures/halo2/envelope.bin"),
        None,
    );
}
