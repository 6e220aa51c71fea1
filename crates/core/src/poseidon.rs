//! The Poseidon permutation over Goldilocks, width 12, x^7 S-box, 4 + 22 + 4 rounds, with
//! plonky2 1.x's round constants and circulant-plus-diagonal MDS matrix. Written as the
//! textbook ("naive") round structure; plonky2's `PoseidonPermutation` is the oracle in tests.

use crate::field::Fp;
use crate::poseidon_constants::ROUND_CONSTANTS;

/// State width.
pub const WIDTH: usize = 12;
/// Full rounds before and after the partial rounds.
pub const HALF_FULL_ROUNDS: usize = 4;
/// Partial rounds (S-box on lane 0 only).
pub const PARTIAL_ROUNDS: usize = 22;
/// Total rounds.
pub const ROUNDS: usize = 2 * HALF_FULL_ROUNDS + PARTIAL_ROUNDS;

/// First row of the circulant part of the MDS matrix.
pub const MDS_CIRC: [u64; WIDTH] = [17, 15, 41, 16, 2, 28, 13, 13, 39, 18, 34, 20];
/// Diagonal added to the circulant matrix.
pub const MDS_DIAG: [u64; WIDTH] = [8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// The round constant added to lane `lane` in round `round`.
pub fn round_constant(round: usize, lane: usize) -> u64 {
    ROUND_CONSTANTS[round][lane]
}

/// Whether `round` is a full round (S-box on every lane).
pub const fn is_full_round(round: usize) -> bool {
    round < HALF_FULL_ROUNDS || round >= HALF_FULL_ROUNDS + PARTIAL_ROUNDS
}

/// The MDS layer: `out[r] = sum_i state[(i + r) % 12] * CIRC[i] + state[r] * DIAG[r]`.
pub fn mds(state: &[Fp; WIDTH]) -> [Fp; WIDTH] {
    let mut out = [Fp::ZERO; WIDTH];
    for (r, o) in out.iter_mut().enumerate() {
        // The sum of 13 products of a 64-bit value by a coefficient below 2^6 fits in u128.
        let mut acc: u128 = state[r].as_u64() as u128 * MDS_DIAG[r] as u128;
        for (i, c) in MDS_CIRC.iter().enumerate() {
            acc += state[(i + r) % WIDTH].as_u64() as u128 * *c as u128;
        }
        *o = Fp::reduce_u128(acc);
    }
    out
}

/// One round: add constants, S-box (all lanes in a full round, lane 0 in a partial round), MDS.
pub fn round(state: &mut [Fp; WIDTH], round: usize) {
    for (lane, s) in state.iter_mut().enumerate() {
        *s += Fp::new(ROUND_CONSTANTS[round][lane]);
    }
    if is_full_round(round) {
        for s in state.iter_mut() {
            *s = s.pow7();
        }
    } else {
        state[0] = state[0].pow7();
    }
    *state = mds(state);
}

/// The Poseidon permutation.
pub fn permute(mut state: [Fp; WIDTH]) -> [Fp; WIDTH] {
    for r in 0..ROUNDS {
        round(&mut state, r);
    }
    state
}
