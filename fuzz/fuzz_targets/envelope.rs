//! See `multiprover_fuzz::envelope`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| multiprover_fuzz::envelope(data));
