//! Adversarial inputs against every verifier and the node (issue 10). Filled in by the
//! hardening work; see docs/security.md.
