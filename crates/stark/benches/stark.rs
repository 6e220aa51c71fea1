//! Prove and verify one full batch at D = 20 for T = 8 and T = 32; prints trace length and
//! width, proof size, conjectured security, and criterion's prove/verify times.
//!
//! `cargo bench -p multiprover-stark --features concurrent --bench stark`
// criterion_main! defines a `main` without a doc comment.
#![allow(missing_docs)]

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use multiprover_core::{
    apply_batch, genesis_tree, Batch, BatchWitness, GenesisAccount, Profile, Transfer,
};
use multiprover_stark::layout::{Schedule, TRACE_WIDTH};
use multiprover_stark::{verify, Prover};

fn witness(profile: Profile) -> BatchWitness {
    let accounts: Vec<GenesisAccount> = (1..=64)
        .map(|i| GenesisAccount::new(i * 1000, 1_000_000_000))
        .collect();
    let mut tree = genesis_tree(profile.depth, &accounts).unwrap();
    let transfers = (0..profile.capacity)
        .map(|i| Transfer::new((1 + i % 64) * 1000, 777_000 + i, 10 + i as u64, i / 64))
        .collect();
    let batch = Batch {
        chain_id: 7,
        batch_number: 1,
        transfers,
    };
    apply_batch(&mut tree, &batch, profile).unwrap()
}

fn bench(c: &mut Criterion) {
    for capacity in [8u32, 32] {
        let profile = Profile {
            depth: 20,
            capacity,
        };
        let w = witness(profile);
        let prover = Prover::setup(profile).unwrap();
        let key = prover.system_key();
        let t0 = Instant::now();
        let env = prover.prove(&w).unwrap();
        let prove_once = t0.elapsed();
        let t1 = Instant::now();
        verify(&key, &env).unwrap();
        let verify_once = t1.elapsed();
        let sched = Schedule {
            depth: 20,
            capacity: capacity as usize,
        };
        let proof = air::proof::Proof::from_bytes(&env.proof).unwrap();
        let bits = proof
            .conjectured_security::<multiprover_stark::verifier::Hasher>()
            .bits();
        println!(
            "stark D=20 T={capacity}: trace {} rows x {} columns ({} cycles used), proof {} bytes, \
             conjectured security {bits} bits, first prove {:.3} s, first verify {:.3} ms",
            sched.trace_length(),
            TRACE_WIDTH,
            sched.used_cycles(),
            env.proof.len(),
            prove_once.as_secs_f64(),
            verify_once.as_secs_f64() * 1e3,
        );
        let mut g = c.benchmark_group(format!("stark_d20_t{capacity}"));
        g.sample_size(10);
        g.bench_function("prove", |b| b.iter(|| prover.prove(&w).unwrap()));
        g.bench_function("verify", |b| b.iter(|| verify(&key, &env).unwrap()));
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
