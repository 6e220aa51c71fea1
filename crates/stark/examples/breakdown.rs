//! Where proving time goes at D = 20, T = 8: trace building, the crate's own constraint
//! self-check, and the whole `prove` (which includes both plus winterfell).
//!
//! `cargo run --release -p multiprover-stark --features concurrent --example breakdown`

use std::time::Instant;

use multiprover_core::{apply_batch, genesis_tree, Batch, GenesisAccount, Profile, Transfer};
use multiprover_stark::prover::{build_trace, check_trace};
use multiprover_stark::{Prover, PublicInputs, RawWitness, Variant};

fn main() {
    let profile = Profile {
        depth: 20,
        capacity: 8,
    };
    let accounts: Vec<GenesisAccount> = (1..=64)
        .map(|i| GenesisAccount::new(i * 1000, 1_000_000_000))
        .collect();
    let mut tree = genesis_tree(profile.depth, &accounts).expect("genesis");
    let transfers = (0..profile.capacity)
        .map(|i| Transfer::new((1 + i) * 1000, 777_000 + i, 10, 0))
        .collect();
    let batch = Batch {
        chain_id: 7,
        batch_number: 1,
        transfers,
    };
    let w = apply_batch(&mut tree, &batch, profile).expect("valid batch");
    let raw = RawWitness::from_witness(&w).expect("raw witness");

    let t = Instant::now();
    let (cols, pi) = build_trace(&raw).expect("trace");
    println!("build_trace: {:?}", t.elapsed());
    let t = Instant::now();
    let pub_inputs = PublicInputs {
        statement: pi,
        depth: profile.depth,
        capacity: profile.capacity,
        variant: Variant::Sound,
    };
    check_trace(&cols, &pub_inputs).expect("honest trace");
    println!("check_trace: {:?}", t.elapsed());
    let prover = Prover::setup(profile).expect("setup");
    let t = Instant::now();
    let env = prover.prove(&w).expect("prove");
    println!(
        "prove (total): {:?}, proof {} bytes",
        t.elapsed(),
        env.proof.len()
    );
}
