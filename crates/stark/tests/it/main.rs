//! The STARK's integration tests, one binary (`cargo test -p multiprover-stark --features
//! prover --test it`; a module name filters, e.g. `-- tamper`). Without `prover` only the
//! committed-fixture tests run.

mod common;
mod faulty;
mod fixtures;
mod honest;
mod soundness;
mod tamper;
mod verify_fuzz;
