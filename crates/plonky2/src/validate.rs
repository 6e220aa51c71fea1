//! The common circuit data of a parsed key, checked field by field against what
//! `CircuitBuilder::build` produces for this circuit.

use alloc::string::String;
use alloc::vec::Vec;

use plonky2::gates::arithmetic_base::ArithmeticGate;
use plonky2::gates::base_sum::BaseSumGate;
use plonky2::gates::constant::ConstantGate;
use plonky2::gates::gate::Gate;
use plonky2::gates::noop::NoopGate;
use plonky2::gates::poseidon::PoseidonGate;
use plonky2::gates::poseidon_mds::PoseidonMdsGate;
use plonky2::gates::public_input::PublicInputGate;
use plonky2::plonk::circuit_data::{CircuitConfig, CommonCircuitData};

use crate::config::{circuit_config, EXT, F};
use crate::key::NUM_PUBLIC_INPUTS;
use crate::Error;

/// Largest number of distinct gate types.
const MAX_GATES: usize = 16;

/// The exact ids (`Debug` forms with parameters) of the gates the circuit may contain.
fn allowed_gate_ids(config: &CircuitConfig) -> [String; 7] {
    [
        <ArithmeticGate as Gate<F, EXT>>::id(&ArithmeticGate::new_from_config(config)),
        <BaseSumGate<2> as Gate<F, EXT>>::id(&BaseSumGate::<2>::new_from_config::<F>(config)),
        <ConstantGate as Gate<F, EXT>>::id(&ConstantGate::new(config.num_constants)),
        <NoopGate as Gate<F, EXT>>::id(&NoopGate),
        PoseidonGate::<F, EXT>::new().id(),
        <PublicInputGate as Gate<F, EXT>>::id(&PublicInputGate),
        PoseidonMdsGate::<F, EXT>::new().id(),
    ]
}

/// Check the common data against what `CircuitBuilder::build` produces for this circuit, so
/// that the plonky2 verifier's indexing is in bounds.
pub(crate) fn validate_common(
    common: &CommonCircuitData<F, EXT>,
    selector_indices: &[usize],
    groups: &[(usize, usize)],
) -> Result<(), Error> {
    let config = circuit_config();
    let bad = |m| Err(Error::MalformedKey(m));
    if common.config != config {
        return bad("circuit config");
    }
    if common.fri_params
        != config
            .fri_config
            .fri_params(common.fri_params.degree_bits, false)
    {
        return bad("FRI parameters");
    }
    let gates = &common.gates;
    if gates.is_empty() || gates.len() > MAX_GATES {
        return bad("number of gate types");
    }
    let allowed = allowed_gate_ids(&config);
    let ids: Vec<String> = gates.iter().map(|g| g.0.id()).collect();
    for (i, id) in ids.iter().enumerate() {
        if !allowed.contains(id) || ids[..i].contains(id) {
            return bad("unexpected or repeated gate");
        }
    }
    // Selectors: one per gate, pointing at a group that contains the gate.
    if selector_indices.len() != gates.len()
        || groups.len() != common.selectors_info.num_selectors()
    {
        return bad("selector info");
    }
    for (i, &s) in selector_indices.iter().enumerate() {
        match groups.get(s) {
            Some(&(start, end)) if start <= i && i < end && end <= gates.len() => {}
            _ => return bad("selector info"),
        }
    }
    let max_constants = gates.iter().map(|g| g.0.num_constants()).max().unwrap_or(0);
    if common.num_constants != groups.len() + max_constants
        || common.num_constants > config.num_constants + groups.len()
    {
        return bad("number of constants");
    }
    let max_constraints = gates
        .iter()
        .map(|g| g.0.num_constraints())
        .max()
        .unwrap_or(0);
    if common.num_gate_constraints != max_constraints {
        return bad("number of gate constraints");
    }
    let max_degree = gates.iter().map(|g| g.0.degree()).max().unwrap_or(0);
    if common.quotient_degree_factor != config.max_quotient_degree_factor
        || max_degree + 1 > config.max_quotient_degree_factor + 1
    {
        return bad("quotient degree");
    }
    if common.num_public_inputs != NUM_PUBLIC_INPUTS {
        return bad("number of public inputs");
    }
    if common.k_is.len() != config.num_routed_wires {
        return bad("coset shifts");
    }
    let chunks = config
        .num_routed_wires
        .div_ceil(common.quotient_degree_factor);
    if common.num_partial_products + 1 != chunks {
        return bad("number of partial products");
    }
    if common.num_lookup_polys != 0 || common.num_lookup_selectors != 0 || !common.luts.is_empty() {
        return bad("lookups are not used by this circuit");
    }
    Ok(())
}
