//! The TEE's integration tests, one binary (`cargo test -p multiprover-tee --features prover
//! --test it`; a module name filters, e.g. `-- fixtures`). `wasm` runs only on wasm32 (see
//! its doc), the others only natively.

mod fixtures;
mod v2;
mod verify;
mod wasm;
