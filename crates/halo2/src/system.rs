//! halo2 as a [`ProofSystem`] (and, with `prover`, a
//! [`WitnessProver`](multiprover_core::proof_system::WitnessProver)).

use multiprover_core::proof_system::{ProofSystem, VerifyContext};
use multiprover_core::{Envelope, SystemId, SystemKey};

use crate::key::{KeyMaterial, VK_ID_DOMAIN};
use crate::verify::{verifier_data, verify_many, verify_one};
use crate::Error;

/// halo2 (IPA over Pasta) with emulated Goldilocks arithmetic.
#[derive(Clone, Copy, Debug, Default)]
pub struct Halo2;

impl ProofSystem for Halo2 {
    const ID: SystemId = SystemId::Halo2;
    const VK_DOMAIN: &'static [u8] = VK_ID_DOMAIN;
    type Key = KeyMaterial;
    type Error = Error;

    fn parse_key(key: &SystemKey) -> Result<KeyMaterial, Error> {
        KeyMaterial::from_bytes(&key.key)
    }

    fn verify(key: &KeyMaterial, envelope: &Envelope, _: &VerifyContext<'_>) -> Result<(), Error> {
        verify_one(&*verifier_data(key.profile, key.k)?, envelope)
    }

    /// One `BatchVerifier` check for all of them (its final multi-scalar multiplication is
    /// linear in 2^k and dominates a single verification); when it fails, each envelope is
    /// verified on its own to say which one is bad.
    fn verify_many(
        key: &KeyMaterial,
        envelopes: &[&Envelope],
        _: &VerifyContext<'_>,
    ) -> Vec<Result<(), Error>> {
        verify_many(key, envelopes)
    }
}

#[cfg(feature = "prover")]
impl multiprover_core::proof_system::WitnessProver for crate::Prover {
    const SYSTEM: SystemId = SystemId::Halo2;
    type Error = Error;

    fn build_sound(profile: multiprover_core::Profile) -> Result<Self, Error> {
        Self::setup(profile)
    }

    fn system_key(&self) -> SystemKey {
        Self::system_key(self)
    }

    fn prove_witness(&self, witness: &multiprover_core::BatchWitness) -> Result<Envelope, Error> {
        self.prove(witness)
    }
}
