//! The chips: Goldilocks arithmetic, the Poseidon permutation and the Merkle walk.

pub mod goldilocks;
pub mod merkle;
pub mod poseidon;

#[cfg(test)]
mod tests;
