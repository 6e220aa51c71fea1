//! EXPERIMENT (stretch goal, not part of the API): wrap the (D = 20, T = 8) proof in plonky2
//! recursion to see how small a proof of the same 12 public inputs gets. Prints sizes and
//! times; no criterion statistics (each step runs once or a few times).
//!
//! `cargo bench -p multiprover-plonky2 --features prover --bench wrap`

use std::time::Instant;

use multiprover_core::stf::{apply_batch, genesis_tree, Batch, GenesisAccount};
use multiprover_core::{Profile, Transfer};
use multiprover_plonky2::key::{parse_key, C, EXT, F};
use multiprover_plonky2::Prover;
use plonky2::fri::reduction_strategies::FriReductionStrategy;
use plonky2::fri::FriConfig;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData, VerifierCircuitData};
use plonky2::plonk::proof::ProofWithPublicInputs;

type Proof = ProofWithPublicInputs<F, C, EXT>;

fn wrap(
    inner: &VerifierCircuitData<F, C, EXT>,
    proof: &Proof,
    config: CircuitConfig,
    label: &str,
) -> (CircuitData<F, C, EXT>, Proof) {
    let t0 = Instant::now();
    let mut b = CircuitBuilder::<F, EXT>::new(config);
    let pt = b.add_virtual_proof_with_pis(&inner.common);
    let vd = b.constant_verifier_data(&inner.verifier_only);
    b.verify_proof::<C>(&pt, &vd, &inner.common);
    b.register_public_inputs(&pt.public_inputs);
    let gates = b.num_gates();
    let data = b.build::<C>();
    let build = t0.elapsed();
    let mut pw = PartialWitness::new();
    pw.set_proof_with_pis_target(&pt, proof).unwrap();
    let t1 = Instant::now();
    let p = data.prove(pw).unwrap();
    let prove = t1.elapsed();
    let t2 = Instant::now();
    let reps = 20;
    for _ in 0..reps {
        data.verify(p.clone()).unwrap();
    }
    let verify = t2.elapsed() / reps;
    let compressed = p
        .clone()
        .compress(&data.verifier_only.circuit_digest, &data.common)
        .unwrap()
        .to_bytes()
        .len();
    assert_eq!(p.public_inputs, proof.public_inputs);
    println!(
        "{label}: gates {gates} rows 2^{} | build {build:.2?} | prove {prove:.2?} | verify {verify:.2?} | proof {} B (compressed {compressed} B)",
        data.common.degree_bits(),
        p.to_bytes().len()
    );
    (data, p)
}

fn main() {
    let profile = Profile::DEFAULT;
    let accounts: Vec<GenesisAccount> = (1..=16)
        .map(|i| GenesisAccount::new(i * 4099, 1_000_000))
        .collect();
    let mut tree = genesis_tree(profile.depth, &accounts).unwrap();
    let transfers = (0..8u32)
        .map(|i| Transfer::new((2 * i + 1) * 4099, (2 * i + 2) * 4099, 10 + i as u64, 0))
        .collect();
    let w = apply_batch(
        &mut tree,
        &Batch {
            chain_id: 7,
            batch_number: 1,
            transfers,
        },
        profile,
    )
    .unwrap();
    let prover = Prover::setup(profile).unwrap();
    let env = prover.prove(&w).unwrap();
    let inner = parse_key(&prover.system_key().key).unwrap().data;
    let proof = Proof::from_bytes(env.proof.clone(), &inner.common).unwrap();
    println!("inner D=20 T=8: proof {} B", env.proof.len());

    wrap(
        &inner,
        &proof,
        CircuitConfig::standard_recursion_config(),
        "wrap (standard config)",
    );
    let high_rate = CircuitConfig {
        fri_config: FriConfig {
            rate_bits: 7,
            cap_height: 0,
            proof_of_work_bits: 16,
            reduction_strategy: FriReductionStrategy::ConstantArityBits(4, 5),
            num_query_rounds: 12,
        },
        ..CircuitConfig::standard_recursion_config()
    };
    wrap(
        &inner,
        &proof,
        high_rate.clone(),
        "wrap (rate 2^-7, 12 queries, 16 PoW bits, cap height 0)",
    );
    let mut cap4 = high_rate;
    cap4.fri_config.cap_height = 4;
    wrap(
        &inner,
        &proof,
        cap4,
        "wrap (rate 2^-7, 12 queries, 16 PoW bits, cap height 4)",
    );
}
