//! plonky2 as a [`ProofSystem`] (and, with `prover`, a
//! [`WitnessProver`](multiprover_core::proof_system::WitnessProver)).

use multiprover_core::proof_system::{ProofSystem, VerifyContext};
use multiprover_core::{Envelope, SystemId, SystemKey};

use crate::verify::{PreparedKey, VK_ID_DOMAIN};
use crate::Error;

/// The plonky2 proof system: PLONK + FRI over Goldilocks.
#[derive(Clone, Copy, Debug, Default)]
pub struct Plonky2;

impl ProofSystem for Plonky2 {
    const ID: SystemId = SystemId::Plonky2;
    const VK_DOMAIN: &'static [u8] = VK_ID_DOMAIN;
    type Key = PreparedKey;
    type Error = Error;

    fn parse_key(key: &SystemKey) -> Result<PreparedKey, Error> {
        PreparedKey::new(key)
    }

    fn verify(key: &PreparedKey, envelope: &Envelope, _: &VerifyContext<'_>) -> Result<(), Error> {
        key.verify(envelope)
    }
}

#[cfg(feature = "prover")]
impl multiprover_core::proof_system::WitnessProver for crate::Prover {
    const SYSTEM: SystemId = SystemId::Plonky2;
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
