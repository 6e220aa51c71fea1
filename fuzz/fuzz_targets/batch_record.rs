//! See `multiprover_fuzz::batch_record`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| multiprover_fuzz::batch_record(data));
