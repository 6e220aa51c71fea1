//! The TEE attestation as a [`ProofSystem`] (and, with `prover`, a
//! [`SystemProver`](multiprover_core::proof_system::SystemProver)).

use multiprover_core::proof_system::{ProofSystem, VerifyContext};
use multiprover_core::{Envelope, StatementVersion, SystemId, SystemKey, B256};

use crate::verifier::{check_key, verify_attestation};
use crate::Error;

/// Signed attestations by a registered (simulated) enclave key.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tee;

impl ProofSystem for Tee {
    const ID: SystemId = SystemId::Tee;
    const VK_DOMAIN: &'static [u8] = b"multiprover-tee-measurement-v1";
    const READS_BATCH_TIMESTAMP: bool = true;
    /// The statement version the key attests.
    type Key = StatementVersion;
    type Error = Error;
    const VERSIONS: &'static [StatementVersion] = &[StatementVersion::V1, StatementVersion::V2];

    /// The TEE's key id is the enclave measurement, which the anchor's registry must accept
    /// (checked by `verify`), not a hash of key material (it has none).
    fn expected_vk_id(_material: &[u8]) -> Option<B256> {
        None
    }

    fn parse_key(key: &SystemKey) -> Result<StatementVersion, Error> {
        check_key(key)
    }

    fn key_version(key: &StatementVersion) -> StatementVersion {
        *key
    }

    fn verify(
        _: &StatementVersion,
        envelope: &Envelope,
        cx: &VerifyContext<'_>,
    ) -> Result<(), Error> {
        verify_attestation(&cx.anchor.tee, envelope, cx.batch_timestamp)
    }
}

#[cfg(feature = "prover")]
pub use prover::{setup_prover, TeeProver};

#[cfg(feature = "prover")]
mod prover {
    use alloc::boxed::Box;

    use multiprover_core::proof_system::{
        NoFaultyVariant, ProveError, ProveJob, ProverSetup, SystemProver, Variant,
    };
    use multiprover_core::{Envelope, SystemId, SystemKey};

    use crate::Enclave;

    /// The simulated enclave with its registered instance id, as a [`SystemProver`].
    #[derive(Debug)]
    pub struct TeeProver {
        /// The enclave.
        pub enclave: Enclave,
        /// Its registered instance id.
        pub instance_id: u32,
    }

    /// The error of a TEE prover set up without its instance seed.
    #[derive(Clone, Copy, Debug, thiserror::Error)]
    #[error("the tee prover needs the enclave's seed (the secrets file)")]
    pub struct MissingSeed;

    impl multiprover_core::proof_system::Classify for MissingSeed {
        fn kind(&self) -> multiprover_core::ErrorKind {
            multiprover_core::ErrorKind::Setup
        }
    }

    /// The registry's [`multiprover_core::proof_system::ProverFactory`] for the TEE. The
    /// faulty variant is the same enclave: a compromised key signs inflated roots on request
    /// ([`ProveJob::inflate`]).
    pub fn setup_prover(setup: &ProverSetup) -> Result<Box<dyn SystemProver>, ProveError> {
        if setup.variant == Variant::Faulty && !cfg!(feature = "demo-faults") {
            return Err(ProveError::new(
                SystemId::Tee,
                NoFaultyVariant(SystemId::Tee),
            ));
        }
        let seed = setup
            .seed
            .ok_or_else(|| ProveError::new(SystemId::Tee, MissingSeed))?;
        Ok(Box::new(TeeProver {
            enclave: Enclave::for_version(setup.profile, setup.version, seed),
            instance_id: setup.instance_id,
        }))
    }

    impl SystemProver for TeeProver {
        fn system(&self) -> SystemId {
            SystemId::Tee
        }

        fn system_key(&self) -> SystemKey {
            self.enclave.system_key()
        }

        fn prove(&self, job: &ProveJob<'_>) -> Result<Envelope, ProveError> {
            let id = self.instance_id;
            let signed = if job.inflate == 0 {
                self.enclave.attest(id, job.pre_state, job.batch)
            } else {
                self.attest_inflated(job)?
            };
            signed.map_err(|e| ProveError::new(SystemId::Tee, e))
        }
    }

    impl TeeProver {
        #[cfg(feature = "demo-faults")]
        fn attest_inflated(
            &self,
            job: &ProveJob<'_>,
        ) -> Result<Result<Envelope, crate::Error>, ProveError> {
            Ok(self.enclave.attest_inflated(
                self.instance_id,
                job.pre_state,
                job.batch,
                job.inflate,
            ))
        }

        #[cfg(not(feature = "demo-faults"))]
        fn attest_inflated(
            &self,
            _job: &ProveJob<'_>,
        ) -> Result<Result<Envelope, crate::Error>, ProveError> {
            Err(ProveError::new(
                SystemId::Tee,
                NoFaultyVariant(SystemId::Tee),
            ))
        }
    }
}
