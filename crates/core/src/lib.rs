#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod anchor;
pub mod ecgfp5;
pub mod envelope;
pub mod error;
pub mod field;
pub mod hash;
pub mod policy;
pub mod poseidon;
mod poseidon_constants;
pub mod proof_system;
pub mod proposal;
pub mod sample;
pub mod schnorr;
pub mod settlement;
pub mod statement;
pub mod stf;
pub mod system;
pub mod tree;

pub use alloy_primitives;
pub use alloy_primitives::{Address, B256};
pub use anchor::{SystemKey, TeeInstance, TeeRegistry, TrustAnchor};
pub use envelope::Envelope;
pub use error::CoreError;
pub use field::Fp;
pub use hash::{hash_tagged, Digest, Tag};
pub use policy::{Decision, Policy, Tier};
pub use proof_system::{
    Classify, DynProofSystem, ErrorKind, ProofSystem, ProveError, SystemProver, Variant,
    VerifyContext, VerifyError,
};
pub use proposal::{Proposal, ProposalSignature, SignedProposal};
pub use settlement::{BatchState, BatchStatus, ProofVerifier, Settlement, SubmitError};
pub use statement::{Statement, StatementVersion};
pub use stf::{
    apply_batch, apply_batch_for, genesis_tree, Batch, BatchWitness, GenesisAccount, Profile,
    SlotWitness, Transfer,
};
pub use system::{Family, SystemId};
pub use tree::{Account, MerklePath, SparseMerkleTree};
