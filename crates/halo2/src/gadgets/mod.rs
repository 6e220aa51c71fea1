//! The chips: Goldilocks arithmetic and the Poseidon permutation.

pub mod goldilocks;
pub mod poseidon;

#[cfg(test)]
mod tests;
