//! plonky2's integration tests, one binary (`cargo test -p multiprover-plonky2 --features
//! prover --test it`; a module name filters, e.g. `-- fixtures`).

mod common;
mod fixtures;
mod prover;
