//! The cross-crate suites, one binary (`cargo test -p multiprover-tests`; a module name
//! filters, e.g. `-- plonky2_oracle`):
//!
//! * `adversarial`: adversarial inputs against every verifier and a running node;
//! * `plonky2_oracle`: core's reference Poseidon, tagged hash and tree against plonky2's own
//!   implementation (here, not in core, so that core's tests do not compile plonky2);
//! * `fifth_system`: a toy fifth proof system added through the contract alone.

mod adversarial;
mod fifth_system;
mod plonky2_oracle;
