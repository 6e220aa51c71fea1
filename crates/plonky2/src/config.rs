//! The plonky2 configuration every key of this crate uses: the field, the hash configuration
//! and the circuit configuration.

use plonky2::field::goldilocks_field::GoldilocksField;
use plonky2::plonk::circuit_data::CircuitConfig;
use plonky2::plonk::config::PoseidonGoldilocksConfig;

/// The base field.
pub type F = GoldilocksField;
/// The plonky2 configuration: Poseidon over Goldilocks, quadratic extension.
pub type C = PoseidonGoldilocksConfig;
/// The extension degree (plonky2's `D`, not the tree depth).
pub const EXT: usize = 2;

/// Height of the Merkle caps (plonky2's standard recursion config uses 4).
///
/// A cap of height `h` publishes the `2^h` nodes of that level in the proof and shortens every
/// opening path by `h` hashes. Soundness does not depend on it. Measurements:
/// docs/benchmarks/plonky2.md.
pub const CAP_HEIGHT: usize = 6;

/// Routed wires (columns under copy constraints; the standard recursion config has 80).
///
/// The Poseidon gate routes 25 (12 inputs, 12 outputs, the swap bit). Every routed wire adds
/// a sigma polynomial, so each FRI query opens a wider constants/sigmas leaf and more
/// partial products; fewer routed wires split range checks into shorter limbs and put fewer
/// arithmetic operations in a row, so the circuit has more rows. Soundness does not depend
/// on it. Measurements: docs/benchmarks/plonky2.md.
pub const ROUTED_WIRES: usize = 32;

/// The circuit configuration every key must use: plonky2's standard recursion config (135
/// wires, rate 2^-3, 28 queries, 16 bits of proof of work, ~100-bit conjectured security)
/// with [`ROUTED_WIRES`] routed wires and Merkle caps of height [`CAP_HEIGHT`].
pub fn circuit_config() -> CircuitConfig {
    let mut config = CircuitConfig::standard_recursion_config();
    config.num_routed_wires = ROUTED_WIRES;
    config.fri_config.cap_height = CAP_HEIGHT;
    config
}
