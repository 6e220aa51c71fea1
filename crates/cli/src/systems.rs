//! The registry of proof systems this binary can prove with. Each system plugs in here once.

use multiprover_core::{BatchWitness, Envelope, Profile, SystemId, SystemKey};

use crate::error::CliError;

/// Per-system secrets a worker needs besides the public anchor (the simulated enclave's key).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Secrets {
    /// Seed of the simulated enclave's instance key (hex).
    pub tee_seed: Option<String>,
    /// Registered instance id of that enclave.
    pub tee_instance: Option<u32>,
    /// Council signing key (hex).
    pub council_key: Option<String>,
}

/// A ready prover of one system.
pub enum AnyProver {
    #[cfg(feature = "halo2")]
    Halo2(Box<multiprover_halo2::Prover>),
    #[cfg(feature = "plonky2")]
    Plonky2(Box<multiprover_plonky2::Prover>),
    #[cfg(feature = "stark")]
    Stark(Box<multiprover_stark::Prover>),
    #[cfg(feature = "tee")]
    Tee(Box<multiprover_tee::Enclave>, u32),
}

impl std::fmt::Debug for AnyProver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AnyProver({})", self.system())
    }
}

/// Systems compiled into this binary.
pub fn available() -> Vec<SystemId> {
    SystemId::ALL
        .into_iter()
        .filter(|s| match s {
            SystemId::Halo2 => cfg!(feature = "halo2"),
            SystemId::Plonky2 => cfg!(feature = "plonky2"),
            SystemId::Stark => cfg!(feature = "stark"),
            SystemId::Tee => cfg!(feature = "tee"),
        })
        .collect()
}

fn err(system: SystemId, e: impl std::fmt::Display) -> CliError {
    CliError::System {
        system,
        message: e.to_string(),
    }
}

fn faults_unavailable() -> CliError {
    CliError::Unavailable(
        "this binary was built without the `demo-faults` feature; --faulty needs it".into(),
    )
}

/// Seed bytes from hex.
pub fn parse_seed(hex_seed: &str) -> Result<[u8; 32], CliError> {
    let v = hex::decode(hex_seed.trim_start_matches("0x"))
        .map_err(|e| CliError::Usage(format!("bad seed: {e}")))?;
    v.try_into()
        .map_err(|_| CliError::Usage("seed must be 32 bytes".into()))
}

impl AnyProver {
    /// Build the prover of `system` for `profile`; `faulty` selects the demo-faults variant.
    pub fn setup(
        system: SystemId,
        profile: Profile,
        faulty: bool,
        secrets: &Secrets,
    ) -> Result<AnyProver, CliError> {
        let _ = (profile, secrets);
        if faulty && !cfg!(feature = "demo-faults") {
            return Err(faults_unavailable());
        }
        match system {
            #[cfg(feature = "halo2")]
            SystemId::Halo2 => {
                if faulty {
                    return Err(CliError::Unavailable(
                        "halo2 has no deliberately unsound variant yet; use --faulty plonky2, stark or tee".into(),
                    ));
                }
                multiprover_halo2::Prover::setup(profile)
                    .map(|p| AnyProver::Halo2(Box::new(p)))
                    .map_err(|e| err(system, e))
            }
            #[cfg(feature = "plonky2")]
            SystemId::Plonky2 => {
                #[cfg(feature = "demo-faults")]
                if faulty {
                    return multiprover_plonky2::Prover::setup_faulty(profile)
                        .map(|p| AnyProver::Plonky2(Box::new(p)))
                        .map_err(|e| err(system, e));
                }
                multiprover_plonky2::Prover::setup(profile)
                    .map(|p| AnyProver::Plonky2(Box::new(p)))
                    .map_err(|e| err(system, e))
            }
            #[cfg(feature = "stark")]
            SystemId::Stark => {
                #[cfg(feature = "demo-faults")]
                if faulty {
                    return multiprover_stark::Prover::setup_faulty(profile)
                        .map(|p| AnyProver::Stark(Box::new(p)))
                        .map_err(|e| err(system, e));
                }
                multiprover_stark::Prover::setup(profile)
                    .map(|p| AnyProver::Stark(Box::new(p)))
                    .map_err(|e| err(system, e))
            }
            #[cfg(feature = "tee")]
            SystemId::Tee => {
                let seed = secrets.tee_seed.as_deref().ok_or_else(|| {
                    CliError::Usage("the tee prover needs the enclave seed (secrets file)".into())
                })?;
                let id = secrets.tee_instance.unwrap_or(1);
                Ok(AnyProver::Tee(
                    Box::new(multiprover_tee::Enclave::new(profile, parse_seed(seed)?)),
                    id,
                ))
            }
            #[allow(unreachable_patterns)]
            other => Err(CliError::Unavailable(format!(
                "this binary was built without the {other} prover"
            ))),
        }
    }

    /// The system.
    pub fn system(&self) -> SystemId {
        match self {
            #[cfg(feature = "halo2")]
            AnyProver::Halo2(_) => SystemId::Halo2,
            #[cfg(feature = "plonky2")]
            AnyProver::Plonky2(_) => SystemId::Plonky2,
            #[cfg(feature = "stark")]
            AnyProver::Stark(_) => SystemId::Stark,
            #[cfg(feature = "tee")]
            AnyProver::Tee(..) => SystemId::Tee,
        }
    }

    /// The key the anchor pins for this prover.
    pub fn system_key(&self) -> SystemKey {
        match self {
            #[cfg(feature = "halo2")]
            AnyProver::Halo2(p) => p.system_key(),
            #[cfg(feature = "plonky2")]
            AnyProver::Plonky2(p) => p.system_key(),
            #[cfg(feature = "stark")]
            AnyProver::Stark(p) => p.system_key(),
            #[cfg(feature = "tee")]
            AnyProver::Tee(e, _) => e.system_key(),
        }
    }

    /// Prove one batch. `state` is the pre-state; the prover (or enclave) runs the STF on a copy.
    /// `inflate` > 0 is the demo fault: prove a root with the first receiver credited extra.
    pub fn prove(
        &self,
        state: &multiprover_core::SparseMerkleTree,
        batch: &multiprover_core::Batch,
        profile: Profile,
        inflate: u64,
    ) -> Result<Envelope, CliError> {
        let system = self.system();
        let witness = || -> Result<BatchWitness, CliError> {
            let mut s = state.clone();
            #[cfg(feature = "demo-faults")]
            if inflate > 0 {
                return Ok(multiprover_core::stf::apply_batch_inflated(
                    &mut s, batch, profile, inflate,
                )?);
            }
            if inflate > 0 {
                return Err(faults_unavailable());
            }
            Ok(multiprover_core::apply_batch(&mut s, batch, profile)?)
        };
        match self {
            #[cfg(feature = "halo2")]
            AnyProver::Halo2(p) => p.prove(&witness()?).map_err(|e| err(system, e)),
            #[cfg(feature = "plonky2")]
            AnyProver::Plonky2(p) => p.prove(&witness()?).map_err(|e| err(system, e)),
            #[cfg(feature = "stark")]
            AnyProver::Stark(p) => p.prove(&witness()?).map_err(|e| err(system, e)),
            #[cfg(feature = "tee")]
            AnyProver::Tee(e, id) => {
                #[cfg(feature = "demo-faults")]
                if inflate > 0 {
                    return e
                        .attest_inflated(*id, state, batch, inflate)
                        .map_err(|x| err(system, x));
                }
                let _ = witness;
                e.attest(*id, state, batch).map_err(|x| err(system, x))
            }
        }
    }
}
