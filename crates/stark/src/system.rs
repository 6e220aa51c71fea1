//! The STARK as a [`ProofSystem`] (and, with `prover`, a
//! [`WitnessProver`](multiprover_core::proof_system::WitnessProver)).

use multiprover_core::proof_system::{ProofSystem, VerifyContext};
use multiprover_core::{Envelope, SystemId, SystemKey};

use crate::key::{KeyParams, VK_ID_DOMAIN};
use crate::verifier::verify_proof;
use crate::Error;

/// The winterfell STARK over Goldilocks with BLAKE3 commitments.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stark;

impl ProofSystem for Stark {
    const ID: SystemId = SystemId::Stark;
    const VK_DOMAIN: &'static [u8] = VK_ID_DOMAIN;
    type Key = KeyParams;
    type Error = Error;

    fn parse_key(key: &SystemKey) -> Result<KeyParams, Error> {
        KeyParams::from_bytes(&key.key)
    }

    fn verify(key: &KeyParams, envelope: &Envelope, _: &VerifyContext<'_>) -> Result<(), Error> {
        verify_proof(key, &envelope.statement, &envelope.proof)
    }
}

#[cfg(feature = "prover")]
impl multiprover_core::proof_system::WitnessProver for crate::Prover {
    const SYSTEM: SystemId = SystemId::Stark;
    type Error = Error;

    fn build_sound(profile: multiprover_core::Profile) -> Result<Self, Error> {
        Self::setup(profile)
    }

    #[cfg(feature = "demo-faults")]
    fn build_faulty(profile: multiprover_core::Profile) -> Option<Result<Self, Error>> {
        Some(Self::setup_faulty(profile))
    }

    fn system_key(&self) -> SystemKey {
        Self::system_key(self)
    }

    fn prove_witness(&self, witness: &multiprover_core::BatchWitness) -> Result<Envelope, Error> {
        self.prove(witness)
    }
}
