//! Verify one envelope many times and print the mean wall time per call; run it under
//! `/usr/bin/time` to read the CPU time too (useful on a shared, loaded machine):
//!
//! `cargo build --release -p multiprover-tee --features prover --example verify_loop`
//! `/usr/bin/time -f "user %U s, sys %S s, wall %e s" target/release/examples/verify_loop 5000`

use std::time::Instant;

use multiprover_core::{Batch, Profile, TeeRegistry, Transfer};
use multiprover_tee::{verify, Enclave};

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000)
        .max(1);
    let profile = Profile::SMALL;
    let enclave = Enclave::new(profile, [7u8; 32]);
    let registry = TeeRegistry {
        measurements: vec![enclave.measurement()],
        instances: vec![enclave.registration(1, 0, u64::MAX)],
    };
    let key = enclave.system_key();
    let state = multiprover_testkit::Scenario::small().genesis_tree();
    let batch = Batch {
        chain_id: 7,
        batch_number: 1,
        transfers: vec![Transfer::new(1, 2, 100, 0)],
    };
    let envelope = enclave.attest(1, &state, &batch).expect("attest");
    let start = Instant::now();
    for _ in 0..n {
        verify(
            &registry,
            &key,
            std::hint::black_box(&envelope),
            multiprover_testkit::NOW,
        )
        .expect("verify");
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    println!("{n} verifies: {:.1} µs wall per verify", per * 1e6);
}
