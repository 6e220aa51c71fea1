//! The cost of the hash itself: a plonky2 circuit that is nothing but a chain of as many
//! Poseidon permutations as the statement circuit has at D = 20, T = 8, built with the same
//! `CircuitConfig`, proved like the statement. Prints both prove times (criterion medians)
//! and their ratio, so the statement circuit's overhead over its hashing is a measured ratio
//! (performance issue target: ≤ 1.5×).
//!
//! `cargo bench -p multiprover-plonky2 --features prover --bench chain`
// criterion_main! defines a `main` without a doc comment.
#![allow(missing_docs)]

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use multiprover_core::stf::{apply_batch, genesis_tree, Batch, GenesisAccount};
use multiprover_core::{BatchWitness, Profile, Transfer};
use multiprover_plonky2::key::circuit_config;
use multiprover_plonky2::Prover;
use plonky2::field::goldilocks_field::GoldilocksField as F;
use plonky2::field::types::Field;
use plonky2::hash::hashing::PlonkyPermutation;
use plonky2::hash::poseidon::{PoseidonHash, PoseidonPermutation};
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::config::PoseidonGoldilocksConfig;

type C = PoseidonGoldilocksConfig;

/// A full default-profile batch (the same shape as the prove_verify bench).
fn witness(profile: Profile) -> BatchWitness {
    let t = profile.capacity;
    let spread = |i: u32| i.wrapping_mul(40_503) % (1u32 << profile.depth);
    let accounts: Vec<GenesisAccount> = (0..2 * t)
        .map(|i| GenesisAccount {
            index: spread(i + 1),
            balance: 1_000_000 + i as u64,
        })
        .collect();
    let mut tree = genesis_tree(profile.depth, &accounts).expect("genesis");
    let transfers = (0..t)
        .map(|i| Transfer {
            from: spread(2 * i + 1),
            to: spread(2 * i + 2),
            amount: 1000 + i as u64,
            nonce: 0,
        })
        .collect();
    let batch = Batch {
        chain_id: 7,
        batch_number: 1,
        transfers,
    };
    apply_batch(&mut tree, &batch, profile).expect("batch")
}

fn bench(c: &mut Criterion) {
    let profile = Profile::DEFAULT;
    let prover = Prover::setup(profile).expect("setup");
    let stats = prover.stats();
    let w = witness(profile);

    // The bare chain: 12 inputs, `permutations` permutations in sequence, 4 outputs public.
    let n = stats.permutations;
    let mut b = CircuitBuilder::<F, 2>::new(circuit_config());
    let inputs = b.add_virtual_targets(12);
    let zero = b.zero();
    let mut state = PoseidonPermutation::new(core::iter::repeat(zero));
    state.set_from_slice(&inputs, 0);
    for _ in 0..n {
        state = b.permute::<PoseidonHash>(state);
    }
    b.register_public_inputs(&state.squeeze()[..4]);
    let chain = b.build::<C>();
    println!(
        "plonky2 D=20 T=8: statement circuit {} permutations in {} gates (2^{} rows); \
         bare chain of {n} permutations: 2^{} rows",
        stats.permutations,
        stats.gates,
        stats.degree_bits,
        chain.common.degree_bits()
    );

    let prove_chain = || {
        let mut pw = PartialWitness::new();
        for (i, t) in inputs.iter().enumerate() {
            pw.set_target(*t, F::from_canonical_u64(i as u64))
                .expect("witness");
        }
        chain.prove(pw).expect("prove chain")
    };
    // Medians of 5 runs each, for the ratio (criterion below prints its own estimates).
    let median = |f: &dyn Fn()| {
        let mut v: Vec<f64> = (0..5)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect();
        v.sort_by(f64::total_cmp);
        v[2]
    };
    let statement = median(&|| {
        prover.prove(&w).expect("prove");
    });
    let bare = median(&|| {
        prove_chain();
    });
    println!(
        "prove median of 5: statement circuit {statement:.3} s, bare chain {bare:.3} s, ratio {:.2}x (target <= 1.5x)",
        statement / bare
    );

    let mut g = c.benchmark_group("plonky2 D=20 T=8 vs bare Poseidon chain");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("statement circuit prove", |bch| {
        bch.iter(|| prover.prove(&w).expect("prove"))
    });
    g.bench_function("bare chain prove", |bch| bch.iter(prove_chain));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
