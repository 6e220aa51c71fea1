//! `multiprover-bench poseidon`: the cost of the hash itself. A plonky2 circuit that is nothing
//! but a chain of as many Poseidon permutations as the statement circuit has at the profile,
//! built with the same `CircuitConfig` and proved like the statement; both prove times and
//! their ratio go into a [`PoseidonReport`] (performance target: ratio ≤ 1.5×).

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use multiprover_cli::CliError;
use multiprover_core::stf::{apply_batch, genesis_tree, Batch, GenesisAccount};
use multiprover_core::{BatchWitness, Profile, SystemId, Transfer};
use multiprover_plonky2::key::circuit_config;
use multiprover_plonky2::Prover;
use plonky2::field::goldilocks_field::GoldilocksField as F;
use plonky2::field::types::Field;
use plonky2::hash::hashing::PlonkyPermutation;
use plonky2::hash::poseidon::{PoseidonHash, PoseidonPermutation};
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::config::PoseidonGoldilocksConfig;

use crate::report::{emit, PoseidonReport};
use crate::secs;
use crate::stats::median;

/// Arguments of `poseidon`.
#[derive(Args, Debug)]
pub struct PoseidonArgs {
    /// Tree depth D of the statement circuit.
    #[arg(long, default_value_t = 20)]
    pub depth: u8,
    /// Transfers per batch T of the statement circuit.
    #[arg(long, default_value_t = 8)]
    pub capacity: u32,
    /// Proofs timed of each circuit.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Write the JSON report here (default: stdout).
    #[arg(long)]
    pub report: Option<PathBuf>,
}

fn err(e: multiprover_plonky2::Error) -> CliError {
    CliError::Prove(multiprover_core::ProveError::new(SystemId::Plonky2, e))
}

/// plonky2's own (`anyhow`) errors of the bare chain, typed as the crate's.
fn bare(e: impl Into<multiprover_plonky2::BoxError>) -> CliError {
    err(multiprover_plonky2::Error::Unsatisfied {
        what: "the bare Poseidon chain",
        source: Some(e.into()),
    })
}

/// A full batch of distinct senders and receivers spread over the tree.
fn witness(profile: Profile) -> Result<BatchWitness, CliError> {
    let t = profile.capacity;
    let spread = |i: u32| i.wrapping_mul(40_503) % (1u32 << profile.depth);
    let accounts: Vec<GenesisAccount> = (0..2 * t)
        .map(|i| GenesisAccount::new(spread(i + 1), 1_000_000 + i as u64))
        .collect();
    let mut tree = genesis_tree(profile.depth, &accounts)?;
    let transfers = (0..t)
        .map(|i| Transfer::new(spread(2 * i + 1), spread(2 * i + 2), 1000 + i as u64, 0))
        .collect();
    let batch = Batch {
        chain_id: 7,
        batch_number: 1,
        transfers,
    };
    Ok(apply_batch(&mut tree, &batch, profile)?)
}

/// Run `poseidon`.
pub fn run(a: PoseidonArgs) -> Result<(), CliError> {
    let profile = Profile {
        depth: a.depth,
        capacity: a.capacity,
    };
    profile.validate()?;
    let prover = Prover::setup(profile).map_err(err)?;
    let stats = prover.stats();
    let w = witness(profile)?;

    // The bare chain: 12 inputs, `permutations` permutations in sequence, 4 outputs public.
    let mut b = CircuitBuilder::<F, 2>::new(circuit_config());
    let inputs = b.add_virtual_targets(12);
    let zero = b.zero();
    let mut state = PoseidonPermutation::new(core::iter::repeat(zero));
    state.set_from_slice(&inputs, 0);
    for _ in 0..stats.permutations {
        state = b.permute::<PoseidonHash>(state);
    }
    b.register_public_inputs(&state.squeeze()[..4]);
    let chain = b.build::<PoseidonGoldilocksConfig>();
    eprintln!(
        "bench poseidon: D={} T={}: statement circuit {} permutations in {} gates (2^{} rows); \
         bare chain: 2^{} rows",
        profile.depth,
        profile.capacity,
        stats.permutations,
        stats.gates,
        stats.degree_bits,
        chain.common.degree_bits()
    );

    let mut statement_secs = Vec::new();
    let mut bare_secs = Vec::new();
    for _ in 0..a.runs.max(1) {
        let t = Instant::now();
        prover.prove(&w).map_err(err)?;
        statement_secs.push(secs(t));

        let mut pw = PartialWitness::new();
        for (i, t) in inputs.iter().enumerate() {
            pw.set_target(*t, F::from_canonical_u64(i as u64))
                .map_err(bare)?;
        }
        let t = Instant::now();
        chain.prove(pw).map_err(bare)?;
        bare_secs.push(secs(t));
    }
    let ratio = median(&statement_secs) / median(&bare_secs);
    eprintln!(
        "bench poseidon: prove median of {}: statement circuit {:.3} s, bare chain {:.3} s, ratio {ratio:.2}x (target <= 1.5x)",
        statement_secs.len(),
        median(&statement_secs),
        median(&bare_secs)
    );
    let report = PoseidonReport {
        profile,
        permutations: stats.permutations,
        gates: stats.gates,
        rows_log: stats.degree_bits,
        bare_rows_log: chain.common.degree_bits(),
        statement_secs,
        bare_secs,
        ratio,
    };
    emit(&report, a.report.as_deref())
}
