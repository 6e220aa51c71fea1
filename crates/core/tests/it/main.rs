//! core's integration tests, one binary (`cargo test -p multiprover-core --test it`; a module
//! name filters, e.g. `-- golden`).

mod anchor;
mod common;
mod golden;
mod proposal;
mod settlement;
mod statement;
mod stf;
mod stf_v2;
