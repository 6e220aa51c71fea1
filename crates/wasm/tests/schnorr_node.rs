//! The signing calls under Node: `wasm-pack test --node crates/wasm --test schnorr_node`
//! (the same tests run in headless Chromium as part of `tests/web.rs`).

mod schnorr;
