//! halo2 proof decoding + verification, seeded with the committed fixture proof.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use multiprover_core::{SystemId, TrustAnchor};

fuzz_target!(|data: &[u8]| {
    static ANCHOR: OnceLock<TrustAnchor> = OnceLock::new();
    let anchor = ANCHOR.get_or_init(multiprover_fuzz::fixture_anchor);
    multiprover_fuzz::proof(anchor, SystemId::Halo2, data);
});
