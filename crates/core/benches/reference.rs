//! Native cost of the reference implementation: one Poseidon permutation, one tagged hash,
//! a tree update at depth 20, and applying a full default-profile batch (681 permutations
//! plus path reads), and EcGFp5 Schnorr signing and verification of a transfer message.
//! Run: `cargo bench -p multiprover-core --bench reference`.
// criterion_main! defines a `main` without a doc comment.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use multiprover_core::field::Fp;
use multiprover_core::poseidon::permute;
use multiprover_core::schnorr::SecretKey;
use multiprover_core::{
    apply_batch, genesis_tree, Account, Batch, GenesisAccount, Profile, Transfer,
};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let state: [Fp; 12] = core::array::from_fn(|i| Fp::new(i as u64 * 12345));
    c.bench_function("poseidon permutation", |b| {
        b.iter(|| permute(black_box(state)))
    });

    let genesis: Vec<GenesisAccount> = (1..=16).map(|i| GenesisAccount::new(i, 1 << 40)).collect();
    let tree = genesis_tree(20, &genesis).unwrap();
    c.bench_function("tree update (D=20)", |b| {
        let mut t = tree.clone();
        let mut n = 0u64;
        b.iter(|| {
            n += 1;
            t.set(5, Account::new(n, n)).unwrap();
        })
    });

    let batch = Batch {
        chain_id: 7,
        batch_number: 1,
        transfers: (0..8).map(|i| Transfer::new(i + 1, i + 2, 10, 0)).collect(),
    };
    c.bench_function("apply_batch (D=20, T=8, with witness)", |b| {
        b.iter(|| {
            let mut t = tree.clone();
            apply_batch(&mut t, black_box(&batch), Profile::DEFAULT).unwrap()
        })
    });

    let key = SecretKey::from_seed(&[0x5a; 32]);
    let to_pk = SecretKey::from_seed(&[0xa5; 32]).public_key().encoding();
    let m = Transfer {
        to_pk,
        ..Transfer::new(1, 2, 40, 0)
    }
    .message(7)
    .unwrap();
    let sig = key.sign(&m);
    let pk = key.public_key();
    c.bench_function("schnorr sign (EcGFp5)", |b| {
        b.iter(|| key.sign(black_box(&m)))
    });
    c.bench_function("schnorr verify (EcGFp5)", |b| {
        b.iter(|| pk.verify(black_box(&m), black_box(&sig)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
