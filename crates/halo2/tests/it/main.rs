//! halo2's integration tests, one binary (`cargo test -p multiprover-halo2 --test it`; a module
//! name filters: `-- fixtures` is quick, `-- statement_mock` runs MockProver for minutes, and
//! `proofs` holds the real prove path, `#[ignore]`d: `--features prover -- --ignored`).

mod common;
mod fixtures;
mod proofs;
mod statement_mock;
