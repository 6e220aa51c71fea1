//! The node's integration tests, one binary (`cargo test -p multiprover-node --test it`; a
//! module name filters, e.g. `-- api`).

mod api;
mod http_extra;
mod proposals;
mod transfers;
