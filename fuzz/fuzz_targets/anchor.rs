//! See `multiprover_fuzz::anchor`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| multiprover_fuzz::anchor(data));
