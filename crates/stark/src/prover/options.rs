//! The proof options the prover uses unless told otherwise.

use air::{BatchingMethod, FieldExtension, ProofOptions};

/// The default proof options: 30 queries at blowup 8 (3 bits each) plus 16 bits of grinding,
/// quadratic extension of Goldilocks (128-bit field), FRI folding 8, remainder degree <= 31.
/// winterfell's conjectured security: min(128, 30 * 3 + 16) - 1 = 105 bits.
pub fn default_options() -> ProofOptions {
    ProofOptions::new(
        30,
        8,
        16,
        FieldExtension::Quadratic,
        8,
        31,
        BatchingMethod::Linear,
        BatchingMethod::Linear,
    )
}
