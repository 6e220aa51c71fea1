//! The registry of proof systems this binary can prove with: one line per system, each a
//! system crate's [`ProverFactory`] behind its feature. Provers are held as
//! `Box<dyn SystemProver>`.

use multiprover_core::proof_system::{
    ProveError, ProveJob, ProverFactory, ProverSetup, SystemProver, Variant,
};
use multiprover_core::{Envelope, Profile, StatementVersion, SystemId, SystemKey, TrustAnchor};

use crate::error::CliError;

/// Every system this binary proves with.
static PROVERS: &[(SystemId, ProverFactory)] = &[
    #[cfg(feature = "halo2")]
    (
        SystemId::Halo2,
        multiprover_core::proof_system::setup_boxed::<multiprover_halo2::Prover>,
    ),
    #[cfg(feature = "plonky2")]
    (
        SystemId::Plonky2,
        multiprover_core::proof_system::setup_boxed::<multiprover_plonky2::Prover>,
    ),
    #[cfg(feature = "stark")]
    (
        SystemId::Stark,
        multiprover_core::proof_system::setup_boxed::<multiprover_stark::Prover>,
    ),
    #[cfg(feature = "tee")]
    (SystemId::Tee, multiprover_tee::setup_prover),
];

/// Per-system secrets a worker needs besides the public anchor (the simulated enclave's key).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Secrets {
    /// Seed of the simulated enclave's instance key (hex).
    pub tee_seed: Option<String>,
    /// Registered instance id of that enclave.
    pub tee_instance: Option<u32>,
    /// Council signing key (hex).
    pub council_key: Option<String>,
    /// The sequencer's signing key. Never in the secrets file (every worker reads that):
    /// [`crate::keygen::write_keys`] writes it to its own file, `<anchor>.sequencer.key`.
    #[serde(skip)]
    pub sequencer_key: Option<[u8; 32]>,
    /// Statement v2: the Schnorr secret key of each genesis account (index -> hex of the
    /// 40-byte little-endian scalar).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub accounts: std::collections::BTreeMap<u32, String>,
}

impl Secrets {
    /// The secret key of genesis account `index`, if these secrets hold it.
    pub fn account_key(&self, index: u32) -> Option<multiprover_core::schnorr::SecretKey> {
        let bytes = hex::decode(self.accounts.get(&index)?).ok()?;
        multiprover_core::schnorr::SecretKey::from_le_bytes(&bytes.try_into().ok()?).ok()
    }
}

/// Systems compiled into this binary.
pub fn available() -> Vec<SystemId> {
    PROVERS.iter().map(|(s, _)| *s).collect()
}

/// Seed bytes from hex.
pub fn parse_seed(hex_seed: &str) -> Result<[u8; 32], CliError> {
    let v = hex::decode(hex_seed.trim_start_matches("0x"))
        .map_err(|e| CliError::Usage(format!("bad seed: {e}")))?;
    v.try_into()
        .map_err(|_| CliError::Usage("seed must be 32 bytes".into()))
}

/// A ready prover of one system.
#[derive(Debug)]
pub struct AnyProver(Box<dyn SystemProver>);

impl AnyProver {
    /// Build the prover of `system` for `profile` and statement `version`; `faulty` selects
    /// the demo-faults variant.
    pub fn setup(
        system: SystemId,
        profile: Profile,
        version: StatementVersion,
        faulty: bool,
        secrets: &Secrets,
    ) -> Result<AnyProver, CliError> {
        let factory = PROVERS
            .iter()
            .find(|(s, _)| *s == system)
            .map(|(_, f)| *f)
            .ok_or_else(|| ProveError::no_prover(system))?;
        let setup = ProverSetup {
            profile,
            variant: if faulty {
                Variant::Faulty
            } else {
                Variant::Sound
            },
            seed: secrets.tee_seed.as_deref().map(parse_seed).transpose()?,
            instance_id: secrets.tee_instance.unwrap_or(1),
            version,
        };
        Ok(AnyProver(factory(&setup)?))
    }

    /// The system.
    pub fn system(&self) -> SystemId {
        self.0.system()
    }

    /// The key the anchor pins for this prover.
    pub fn system_key(&self) -> SystemKey {
        self.0.system_key()
    }

    /// Prove one batch under `anchor`'s rules. `state` is the pre-state; the prover (or
    /// enclave) runs the STF on a copy. `inflate` > 0 is the demo fault: prove a root with the
    /// first receiver credited extra.
    pub fn prove(
        &self,
        state: &multiprover_core::SparseMerkleTree,
        batch: &multiprover_core::Batch,
        anchor: &TrustAnchor,
        inflate: u64,
    ) -> Result<Envelope, CliError> {
        let mut post = state.clone();
        let witness = if inflate > 0 {
            inflated_witness(&mut post, batch, anchor, inflate)?
        } else {
            anchor.apply(&mut post, batch)?
        };
        let job = ProveJob {
            pre_state: state,
            batch,
            witness: &witness,
            inflate,
        };
        Ok(self.0.prove(&job)?)
    }
}

#[cfg(feature = "demo-faults")]
fn inflated_witness(
    state: &mut multiprover_core::SparseMerkleTree,
    batch: &multiprover_core::Batch,
    anchor: &TrustAnchor,
    inflate: u64,
) -> Result<multiprover_core::BatchWitness, CliError> {
    Ok(multiprover_core::stf::apply_batch_inflated(
        state,
        batch,
        anchor.profile,
        anchor.statement_version,
        inflate,
    )?)
}

#[cfg(not(feature = "demo-faults"))]
fn inflated_witness(
    _state: &mut multiprover_core::SparseMerkleTree,
    _batch: &multiprover_core::Batch,
    _anchor: &TrustAnchor,
    _inflate: u64,
) -> Result<multiprover_core::BatchWitness, CliError> {
    Err(CliError::Unavailable(
        "this binary was built without the `demo-faults` feature; --faulty needs it".into(),
    ))
}
