//! Sign and verify time of the TEE system.
//!
//! `cargo bench -p multiprover-tee --features prover --bench tee`
// criterion_main! defines a `main` without a doc comment.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use k256::ecdsa::SigningKey;
use multiprover_core::{genesis_tree, Batch, GenesisAccount, Profile, TeeRegistry, Transfer};
use multiprover_tee::{verify, Enclave};
use multiprover_testkit::NOW;

fn setup(profile: Profile) -> (multiprover_core::SparseMerkleTree, Batch) {
    let genesis: Vec<GenesisAccount> = (1..=16)
        .map(|index| GenesisAccount::new(index, 1_000_000))
        .collect();
    let tree = genesis_tree(profile.depth, &genesis).expect("genesis");
    let transfers = (0..profile.capacity)
        .map(|i| Transfer::new(1 + (i % 8), 9 + (i % 8), 10 + i as u64, i / 8))
        .collect();
    let batch = Batch {
        chain_id: 7,
        batch_number: 1,
        transfers,
    };
    (tree, batch)
}

fn bench(c: &mut Criterion) {
    for (name, profile) in [("small", Profile::SMALL), ("default", Profile::DEFAULT)] {
        let enclave = Enclave::new(profile, [7u8; 32]);
        let registry = TeeRegistry {
            measurements: vec![enclave.measurement()],
            instances: vec![enclave.registration(1, 0, u64::MAX)],
        };
        let key = enclave.system_key();
        let (tree, batch) = setup(profile);
        let envelope = enclave.attest(1, &tree, &batch).expect("attest");
        verify(&registry, &key, &envelope, NOW).expect("verify");
        println!(
            "{name}: envelope {} bytes, proof {} bytes",
            envelope.to_bytes().len(),
            envelope.proof.len()
        );

        c.bench_function(&format!("tee/{name}/attest (STF + sign)"), |b| {
            b.iter(|| {
                enclave
                    .attest(1, black_box(&tree), black_box(&batch))
                    .expect("attest")
            })
        });
        c.bench_function(&format!("tee/{name}/verify"), |b| {
            b.iter(|| {
                verify(black_box(&registry), &key, black_box(&envelope), NOW).expect("verify")
            })
        });
    }
    // The signature alone (what attest adds to the STF): EIP-712 digest + ECDSA sign.
    let sk = SigningKey::from_slice(&[0x11; 32]).expect("key");
    let (tree, batch) = setup(Profile::SMALL);
    let mut t = tree.clone();
    let statement = multiprover_core::apply_batch(&mut t, &batch, Profile::SMALL)
        .expect("stf")
        .statement;
    c.bench_function("tee/sign only (digest + ecdsa)", |b| {
        b.iter(|| {
            sk.sign_prehash_recoverable(black_box(&statement).eip712_digest().as_slice())
                .expect("sign")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
