//! halo2 benchmark: rows and k of a segment, keygen time, prove time (one segment alone, and
//! a full batch with its segments in parallel), verify time (one batch: its segments in one
//! `BatchVerifier`; 16 batches in one), proof size. Keygen and prove are timed once;
//! verification runs under criterion.
//!
//! `cargo bench -p multiprover-halo2 --features prover --bench prove_verify`
//! Profile: D = 20, T = 8 by default; `MULTIPROVER_BENCH_PROFILE=small` for D = 8, T = 2.
// criterion_main! defines a `main` without a doc comment.
#![allow(missing_docs)]

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use multiprover_core::{
    apply_batch, genesis_tree, Batch, Envelope, GenesisAccount, Profile, Transfer,
};
use multiprover_halo2::{k_for, rows_used, verifier_data, verify, verify_many, Prover};

fn profile() -> Profile {
    match std::env::var("MULTIPROVER_BENCH_PROFILE").as_deref() {
        Ok("small") => Profile::SMALL,
        _ => Profile::DEFAULT,
    }
}

fn bench(c: &mut Criterion) {
    let profile = profile();
    let k = k_for(profile);
    println!(
        "halo2 profile D={} T={}: rows used per segment {} of 2^{} = {}",
        profile.depth,
        profile.capacity,
        rows_used(profile),
        k,
        1u64 << k
    );
    let t = Instant::now();
    let prover = Prover::setup(profile).expect("setup");
    println!("keygen (params + vk + pk): {:.2?}", t.elapsed());

    let accounts: Vec<GenesisAccount> = (1..=2 * profile.capacity)
        .map(|index| GenesisAccount::new(index, 1_000_000))
        .collect();
    let mut tree = genesis_tree(profile.depth, &accounts).expect("genesis");
    let batch = Batch {
        chain_id: 7,
        batch_number: 1,
        transfers: (0..profile.capacity)
            .map(|i| Transfer::new(2 * i + 1, 2 * i + 2, 10 + i as u64, 0))
            .collect(),
    };
    let witness = apply_batch(&mut tree, &batch, profile).expect("batch");
    let t = Instant::now();
    let seg = prover.prove_segment(&witness, 0).expect("prove segment");
    println!(
        "prove one segment (alone, all cores): {:.2?}, {} bytes",
        t.elapsed(),
        seg.proof.len()
    );
    let t = Instant::now();
    let env = prover.prove(&witness).expect("prove");
    println!(
        "prove one batch ({} segments in parallel, incl. self-check): {:.2?}",
        profile.capacity,
        t.elapsed()
    );
    println!("envelope proof size: {} bytes", env.proof.len());
    let key = prover.system_key();

    // A fresh verifier: params + keygen_vk from the circuit shape (what a light client pays
    // once per session).
    let t = Instant::now();
    let params = halo2_proofs::poly::commitment::Params::<halo2_proofs::pasta::EqAffine>::new(k);
    println!("verifier Params::new({k}): {:.2?}", t.elapsed());
    let t = Instant::now();
    let _vk =
        halo2_proofs::plonk::keygen_vk(&params, &multiprover_halo2::SegmentCircuit::shape(profile))
            .expect("keygen_vk");
    println!("verifier keygen_vk: {:.2?}", t.elapsed());
    let _ = verifier_data(profile, k).expect("cached");

    let t = Instant::now();
    verify(&key, &env).expect("verify");
    println!(
        "verify one batch ({} segments batched, single run): {:.2?}",
        profile.capacity,
        t.elapsed()
    );
    let many: Vec<&Envelope> = (0..16).map(|_| &env).collect();
    let km = multiprover_halo2::KeyMaterial::from_bytes(&key.key).expect("key material");
    let t = Instant::now();
    let res = verify_many(&km, &many);
    assert!(res.iter().all(|r| r.is_ok()));
    let el = t.elapsed();
    println!(
        "verify 16 batches batched (single run): {:.2?} total, {:.2?} per batch",
        el,
        el / 16
    );

    let mut g = c.benchmark_group(format!("halo2 D={} T={}", profile.depth, profile.capacity));
    g.sample_size(10);
    g.warm_up_time(std::time::Duration::from_millis(100));
    g.measurement_time(std::time::Duration::from_secs(1));
    g.bench_function("verify one batch", |b| {
        b.iter(|| verify(&key, &env).expect("verify"))
    });
    g.bench_function("verify 16 batches batched (total)", |b| {
        b.iter(|| verify_many(&km, &many))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
