//! Prove time, verify time and proof size for (D = 20, T = 8) and (D = 20, T = 32).
//!
//! `cargo bench -p multiprover-plonky2 --features prover`
// criterion_main! defines a `main` without a doc comment.
#![allow(missing_docs)]

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use multiprover_core::stf::{apply_batch, genesis_tree, Batch, GenesisAccount};
use multiprover_core::{BatchWitness, Profile, Transfer};
use multiprover_plonky2::{verify, PreparedKey, Prover};

/// A full batch of `T` transfers among 2T funded accounts spread over the tree.
fn witness(profile: Profile) -> BatchWitness {
    let t = profile.capacity;
    let spread = |i: u32| i.wrapping_mul(40_503) % (1u32 << profile.depth);
    let accounts: Vec<GenesisAccount> = (0..2 * t)
        .map(|i| GenesisAccount::new(spread(i + 1), 1_000_000 + i as u64))
        .collect();
    let mut tree = genesis_tree(profile.depth, &accounts).unwrap();
    let transfers = (0..t)
        .map(|i| Transfer::new(spread(2 * i + 1), spread(2 * i + 2), 1000 + i as u64, 0))
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
        let t0 = Instant::now();
        let prover = Prover::setup(profile).unwrap();
        let setup = t0.elapsed();
        let w = witness(profile);
        let key = prover.system_key();
        let env = prover.prove(&w).unwrap();
        verify(&key, &env).unwrap();
        let t1 = Instant::now();
        let prepared = PreparedKey::new(&key).unwrap();
        let parse = t1.elapsed();
        let s = prover.stats();
        println!(
            "plonky2 D=20 T={capacity}: permutations {} gates {} rows 2^{} | setup {:.2?} | key {} B (parse {:.2?}) | proof {} B",
            s.permutations,
            s.gates,
            s.degree_bits,
            setup,
            key.key.len(),
            parse,
            env.proof.len()
        );
        let mut g = c.benchmark_group(format!("plonky2_d20_t{capacity}"));
        g.sample_size(10);
        g.bench_function("prove", |b| b.iter(|| prover.prove(&w).unwrap()));
        g.bench_function("verify_prepared", |b| {
            b.iter(|| prepared.verify(&env).unwrap())
        });
        g.bench_function("verify_with_key_parse", |b| {
            b.iter(|| verify(&key, &env).unwrap())
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
