//! The native prover (`prover` feature).

use std::sync::Arc;

use alloy_primitives::Bytes;
use halo2_proofs::dev::{MockProver, VerifyFailure};
use halo2_proofs::pasta::EqAffine;
use halo2_proofs::plonk::{create_proof, keygen_pk, keygen_vk, ProvingKey};
use halo2_proofs::poly::commitment::Params;
use halo2_proofs::transcript::{Blake2bWrite, Challenge255};
use multiprover_core::{BatchWitness, Envelope, Profile, SystemId, SystemKey};
use rand_core::UnwrapErr;

use crate::circuit::{k_for, public_inputs, StatementCircuit};
use crate::error::Error;
use crate::key::{vk_id, KeyMaterial, CIRCUIT_VERSION, MAX_K};
use crate::verify::{insert_cached, VerifierData};

/// Proves batches for one profile. Build once ([`Prover::setup`]), prove many.
#[derive(Debug)]
pub struct Prover {
    data: Arc<VerifierData>,
    pk: ProvingKey<EqAffine>,
    key: SystemKey,
    key_material: KeyMaterial,
}

/// Check that a witness has the profile's shape (so that synthesis never indexes past it).
pub fn check_witness_shape(profile: Profile, w: &BatchWitness) -> Result<(), Error> {
    if w.profile != profile {
        return Err(Error::BadWitness("profile differs from the prover's"));
    }
    if w.slots.len() != profile.capacity as usize {
        return Err(Error::BadWitness("slot count differs from the capacity"));
    }
    for s in &w.slots {
        if s.sender_path.siblings.len() != profile.depth as usize
            || s.receiver_path.siblings.len() != profile.depth as usize
        {
            return Err(Error::BadWitness("path length differs from the depth"));
        }
    }
    Ok(())
}

/// Run the circuit on a witness with halo2's `MockProver` (tests and diagnostics).
pub fn mock_check(w: &BatchWitness) -> Result<Result<(), Vec<VerifyFailure>>, Error> {
    check_witness_shape(w.profile, w)?;
    let k = k_for(w.profile);
    let circuit = StatementCircuit {
        profile: w.profile,
        witness: Some(w.clone()),
    };
    let prover = MockProver::run(k, &circuit, vec![public_inputs(&w.statement)])?;
    Ok(prover.verify())
}

impl Prover {
    /// Generate params, the verifying key and the proving key for a profile.
    pub fn setup(profile: Profile) -> Result<Prover, Error> {
        profile.validate()?;
        let k = k_for(profile);
        if k > MAX_K {
            return Err(Error::BadKey("profile needs k above MAX_K"));
        }
        let params = Params::clone(&crate::params::params(k));
        let shape = StatementCircuit::shape(profile);
        let vk = keygen_vk(&params, &shape)?;
        let pk = keygen_pk(&params, vk.clone(), &shape)?;
        let key_material = KeyMaterial {
            circuit_version: CIRCUIT_VERSION,
            profile,
            k,
        };
        let bytes = key_material.to_bytes();
        let key = SystemKey {
            system: SystemId::Halo2,
            vk_id: vk_id(&bytes),
            key: Bytes::copy_from_slice(&bytes),
        };
        let data = Arc::new(VerifierData {
            profile,
            params,
            vk,
            proof_len: std::sync::OnceLock::new(),
        });
        insert_cached(data.clone());
        Ok(Prover {
            data,
            pk,
            key,
            key_material,
        })
    }

    /// The key a trust anchor pins.
    pub fn system_key(&self) -> SystemKey {
        self.key.clone()
    }

    /// The parsed key material (profile, k).
    pub fn key_material(&self) -> KeyMaterial {
        self.key_material
    }

    /// Prove one batch. The proof is checked before it is returned: a witness that breaks a
    /// rule gives [`Error::Unsatisfied`], never an envelope.
    pub fn prove(&self, witness: &BatchWitness) -> Result<Envelope, Error> {
        let profile = self.data.profile;
        check_witness_shape(profile, witness)?;
        let circuit = StatementCircuit {
            profile,
            witness: Some(witness.clone()),
        };
        let pubs = public_inputs(&witness.statement);
        let mut transcript = Blake2bWrite::<_, EqAffine, Challenge255<EqAffine>>::init(vec![]);
        create_proof(
            &self.data.params,
            &self.pk,
            &[circuit],
            &[&[pubs.as_slice()]],
            UnwrapErr(getrandom::SysRng),
            &mut transcript,
        )?;
        let proof = transcript.finalize();
        let envelope = Envelope {
            system: SystemId::Halo2,
            vk_id: self.key.vk_id,
            statement: witness.statement,
            proof,
        };
        match crate::verify::verify(&self.key, &envelope) {
            Ok(()) => Ok(envelope),
            Err(Error::Rejected(_)) => Err(Error::Unsatisfied),
            Err(e) => Err(e),
        }
    }
}
