//! The committed proof fixtures of every system through the wasm API in headless Chromium
//! (`wasm-pack test --headless --chrome crates/wasm`), one binary. It runs in a dedicated
//! worker, as halo2's minute of key rebuilding and verifying must (see `halo2.rs`); the
//! light-client tests on the page are `tests/web.rs`.

#[path = "../common/mod.rs"]
mod common;
mod fixtures;
mod halo2;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);
