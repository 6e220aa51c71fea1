//! The proof-system contract as code.
//!
//! Every system crate (`multiprover-halo2`, `-plonky2`, `-stark`, `-tee`) implements
//! [`ProofSystem`]: its id, the domain of its verifying-key id, its parsed key, its error type,
//! `verify` and `verify_many`. The checks every system needs before it looks at a proof (the
//! envelope and the key are for this system, the envelope names the key, the key id is the
//! hash of the key material under the system's domain) are written once, in [`precheck`].
//! [`Registered`] turns a `ProofSystem` into the object-safe [`DynProofSystem`] that a
//! verifier's registry holds, and every error leaves it as one [`VerifyError`] with an
//! [`ErrorKind`] that callers switch on (HTTP status, JavaScript `kind`, the demo's labels).
//!
//! Provers implement [`SystemProver`] (behind their crate's `prover` feature); a binary holds
//! them as `Box<dyn SystemProver>`.
//!
//! See `docs/architecture.md` for how a fifth system plugs in.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use alloy_primitives::{keccak256, B256};
use serde::{Deserialize, Serialize};

use crate::anchor::{SystemKey, TrustAnchor};
use crate::envelope::Envelope;
use crate::statement::StatementVersion;
use crate::stf::{Batch, BatchWitness, Profile};
use crate::system::SystemId;
use crate::tree::SparseMerkleTree;

// ERROR KINDS
// ================================================================================================

/// What kind of failure an error is: the one taxonomy that the node maps to HTTP statuses, the
/// wasm package to the `kind` of its JavaScript errors, and the demo page to its labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// Bytes that do not parse: an envelope, a proof, key material, a statement.
    Malformed,
    /// The envelope or the key belongs to another proof system.
    WrongSystem,
    /// The envelope names another key than the pinned one, or the key material is not the
    /// pinned key (its id differs, it is not this system's shape, it is not accepted).
    WrongKey,
    /// The envelope's statement is not the one it is checked against (another chain, batch,
    /// pre-root or batch hash).
    WrongStatement,
    /// The proof is well formed but does not verify.
    Rejected,
    /// This build has no verifier (or prover) for the system.
    NotCompiled,
    /// The attesting key is outside its registration window.
    Expired,
    /// Setup data (parameters, keys) is missing or not the pinned one.
    Setup,
    /// A prover cannot prove the witness: the batch breaks a rule of the statement.
    Unprovable,
    /// A bug or an environment failure (serialization, a poisoned cache).
    Internal,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [Self; 10] = [
        Self::Malformed,
        Self::WrongSystem,
        Self::WrongKey,
        Self::WrongStatement,
        Self::Rejected,
        Self::NotCompiled,
        Self::Expired,
        Self::Setup,
        Self::Unprovable,
        Self::Internal,
    ];

    /// The camelCase name used in JSON and by JavaScript callers.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::WrongSystem => "wrongSystem",
            Self::WrongKey => "wrongKey",
            Self::WrongStatement => "wrongStatement",
            Self::Rejected => "rejected",
            Self::NotCompiled => "notCompiled",
            Self::Expired => "expired",
            Self::Setup => "setup",
            Self::Unprovable => "unprovable",
            Self::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error that knows its [`ErrorKind`]. Every system crate's error enum implements it.
pub trait Classify {
    /// The kind of this error.
    fn kind(&self) -> ErrorKind;
}

// VERIFY ERROR
// ================================================================================================

/// Why one system rejected one envelope (or could not prove one batch): the system, the kind,
/// and the system's own typed error as the source.
#[derive(Debug)]
pub struct VerifyError {
    /// The system whose verifier (or prover) failed.
    pub system: SystemId,
    /// What kind of failure it is.
    pub kind: ErrorKind,
    source: Box<dyn core::error::Error + Send + Sync + 'static>,
}

/// A prover's failure has the same shape as a verifier's.
pub type ProveError = VerifyError;

impl VerifyError {
    /// Wrap a system's error, taking the kind from it.
    pub fn new<E>(system: SystemId, error: E) -> Self
    where
        E: core::error::Error + Classify + Send + Sync + 'static,
    {
        Self {
            system,
            kind: error.kind(),
            source: Box::new(error),
        }
    }

    /// Wrap an error under an explicit kind.
    pub fn with_kind<E>(system: SystemId, kind: ErrorKind, error: E) -> Self
    where
        E: core::error::Error + Send + Sync + 'static,
    {
        Self {
            system,
            kind,
            source: Box::new(error),
        }
    }

    /// This build cannot verify `system`.
    pub fn not_compiled(system: SystemId) -> Self {
        Self::new(system, NotCompiled(system))
    }

    /// A proof that `system` rejects for `reason` (verifiers outside the system crates: mocks,
    /// adapters).
    pub fn rejected(system: SystemId, reason: &'static str) -> Self {
        Self::new(system, Rejection(reason))
    }

    /// This build cannot prove with `system`.
    pub fn no_prover(system: SystemId) -> Self {
        Self::new(system, NoProver(system))
    }

    /// The wrapped error.
    pub fn inner(&self) -> &(dyn core::error::Error + Send + Sync + 'static) {
        &*self.source
    }

    /// The wrapped error, if it is an `E`.
    pub fn downcast_ref<E: core::error::Error + 'static>(&self) -> Option<&E> {
        let inner: &(dyn core::error::Error + 'static) = &*self.source;
        inner.downcast_ref::<E>()
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.system, self.source)
    }
}

impl Classify for VerifyError {
    fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl core::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// The error of a build that lacks a system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("this build was compiled without the {0} verifier")]
pub struct NotCompiled(pub SystemId);

impl Classify for NotCompiled {
    fn kind(&self) -> ErrorKind {
        ErrorKind::NotCompiled
    }
}

/// A rejection with a fixed reason (see [`VerifyError::rejected`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("proof rejected: {0}")]
pub struct Rejection(pub &'static str);

impl Classify for Rejection {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Rejected
    }
}

/// The error of a build that lacks a system's prover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("this build was compiled without the {0} prover")]
pub struct NoProver(pub SystemId);

impl Classify for NoProver {
    fn kind(&self) -> ErrorKind {
        ErrorKind::NotCompiled
    }
}

/// The build has no deliberately unsound variant of a system (its `demo-faults` feature is
/// off, or the system has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("there is no deliberately unsound {0} variant in this build (`demo-faults` is off, or the system has none)")]
pub struct NoFaultyVariant(pub SystemId);

impl Classify for NoFaultyVariant {
    fn kind(&self) -> ErrorKind {
        ErrorKind::NotCompiled
    }
}

// THE SHARED PRE-CHECKS
// ================================================================================================

/// A failure of the checks that run before any system looks at a proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrecheckError {
    /// The envelope or the key is for another system.
    #[error("expected a {expected} envelope and key, got {got}")]
    WrongSystem {
        /// The system checking.
        expected: SystemId,
        /// The system named.
        got: SystemId,
    },
    /// The envelope names another key than the one it is checked against.
    #[error("the envelope names verifying key {envelope}, the pinned key is {pinned}")]
    KeyMismatch {
        /// The envelope's `vk_id`.
        envelope: B256,
        /// The pinned key's `vk_id`.
        pinned: B256,
    },
    /// The pinned key's id is not the hash of its key material under the system's domain.
    #[error("key id {claimed} is not the id {computed} of the key material")]
    KeyIdMismatch {
        /// The id the key carries.
        claimed: B256,
        /// The id computed from the material.
        computed: B256,
    },
    /// The key proves another statement version than the anchor pins (a v1 proof is never
    /// checked against a v2 statement, nor the reverse).
    #[error("the key proves statement {key}, the anchor pins statement {anchor}")]
    VersionMismatch {
        /// The anchor's statement version.
        anchor: StatementVersion,
        /// The version the key proves.
        key: StatementVersion,
    },
}

impl Classify for PrecheckError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::WrongSystem { .. } => ErrorKind::WrongSystem,
            Self::KeyMismatch { .. }
            | Self::KeyIdMismatch { .. }
            | Self::VersionMismatch { .. } => ErrorKind::WrongKey,
        }
    }
}

/// The verifying-key id of key material: `keccak256(domain ‖ material)`.
pub fn vk_id(domain: &[u8], material: &[u8]) -> B256 {
    let mut buf = Vec::with_capacity(domain.len() + material.len());
    buf.extend_from_slice(domain);
    buf.extend_from_slice(material);
    keccak256(buf)
}

/// The checks every system runs first, in this order: the envelope and the key are for `S`;
/// the envelope names the key (`envelope.vk_id == key.vk_id`); the key's id is the id of its
/// material (`key.vk_id == keccak256(S::VK_DOMAIN ‖ key.key)`, for systems whose id is such a
/// hash).
pub fn precheck<S: ProofSystem>(key: &SystemKey, envelope: &Envelope) -> Result<(), PrecheckError> {
    for got in [envelope.system, key.system] {
        if got != S::ID {
            return Err(PrecheckError::WrongSystem {
                expected: S::ID,
                got,
            });
        }
    }
    if envelope.vk_id != key.vk_id {
        return Err(PrecheckError::KeyMismatch {
            envelope: envelope.vk_id,
            pinned: key.vk_id,
        });
    }
    match S::expected_vk_id(&key.key) {
        Some(computed) if computed != key.vk_id => Err(PrecheckError::KeyIdMismatch {
            claimed: key.vk_id,
            computed,
        }),
        _ => Ok(()),
    }
}

// THE CONTRACT
// ================================================================================================

/// What a verifier knows besides the key and the envelope.
#[derive(Clone, Copy, Debug)]
pub struct VerifyContext<'a> {
    /// The trust anchor the envelope is checked under (the TEE registry lives here).
    pub anchor: &'a TrustAnchor,
    /// The signed timestamp of the envelope's batch (seconds since the Unix epoch,
    /// [`crate::proposal::Proposal::timestamp`]): registration windows are checked at the
    /// batch's time, never at a verifier's clock, so that history does not expire.
    pub batch_timestamp: u64,
}

/// One proof system's verifier. Implementations never panic and never allocate without bound
/// on any key or envelope bytes: their `verify` runs in browsers on data from untrusted servers.
pub trait ProofSystem: 'static {
    /// The system's id.
    const ID: SystemId;
    /// The domain prefix of the verifying-key id.
    const VK_DOMAIN: &'static [u8];
    /// Whether `verify` reads [`VerifyContext::batch_timestamp`] (the TEE's registration
    /// windows). A system that does not may be handed envelopes of several batches in one
    /// [`ProofSystem::verify_many`] call, under the timestamp of any of them.
    const READS_BATCH_TIMESTAMP: bool = false;
    /// The key material, parsed and validated.
    type Key;
    /// The system's error.
    type Error: core::error::Error + Classify + Send + Sync + 'static;

    /// The id that key material must have: `keccak256(VK_DOMAIN ‖ material)`. A system whose
    /// key id is not a hash of the material (the TEE: its id is an enclave measurement that
    /// its registry accepts) returns `None` and checks the id in [`ProofSystem::verify`].
    fn expected_vk_id(material: &[u8]) -> Option<B256> {
        Some(vk_id(Self::VK_DOMAIN, material))
    }

    /// Parse and validate the key material of a pinned key (after [`precheck`]).
    fn parse_key(key: &SystemKey) -> Result<Self::Key, Self::Error>;

    /// The statement versions this implementation proves and verifies, oldest first.
    const VERSIONS: &'static [StatementVersion] = &[StatementVersion::V1];

    /// The statement version a parsed key proves (its key material says; one of
    /// [`ProofSystem::VERSIONS`]). The registry refuses a key whose version is not the
    /// anchor's ([`PrecheckError::VersionMismatch`]).
    fn key_version(_key: &Self::Key) -> StatementVersion {
        StatementVersion::V1
    }

    /// Verify one envelope (after [`precheck`]) with the statement's public inputs.
    fn verify(
        key: &Self::Key,
        envelope: &Envelope,
        cx: &VerifyContext<'_>,
    ) -> Result<(), Self::Error>;

    /// Verify several envelopes under one key; one result per envelope, in order, each what
    /// [`ProofSystem::verify`] would say of it alone. Systems with a cheaper batch check
    /// override it.
    fn verify_many(
        key: &Self::Key,
        envelopes: &[&Envelope],
        cx: &VerifyContext<'_>,
    ) -> Vec<Result<(), Self::Error>> {
        envelopes.iter().map(|e| Self::verify(key, e, cx)).collect()
    }
}

/// Pre-check, parse the key and verify one envelope with `S`.
pub fn verify_with<S: ProofSystem>(
    key: &SystemKey,
    envelope: &Envelope,
    cx: &VerifyContext<'_>,
) -> Result<(), VerifyError> {
    precheck::<S>(key, envelope).map_err(|e| VerifyError::new(S::ID, e))?;
    let parsed = S::parse_key(key).map_err(|e| VerifyError::new(S::ID, e))?;
    check_version::<S>(&parsed, cx)?;
    S::verify(&parsed, envelope, cx).map_err(|e| VerifyError::new(S::ID, e))
}

/// The parsed key proves the anchor's statement version.
pub fn check_version<S: ProofSystem>(
    key: &S::Key,
    cx: &VerifyContext<'_>,
) -> Result<(), VerifyError> {
    let (anchor, key) = (cx.anchor.statement_version, S::key_version(key));
    if anchor == key {
        Ok(())
    } else {
        Err(VerifyError::new(
            S::ID,
            PrecheckError::VersionMismatch { anchor, key },
        ))
    }
}

/// The object-safe face of a [`ProofSystem`], for registries.
pub trait DynProofSystem: Send + Sync {
    /// The system's id.
    fn id(&self) -> SystemId;

    /// [`ProofSystem::READS_BATCH_TIMESTAMP`] of this system.
    fn reads_batch_timestamp(&self) -> bool;

    /// [`verify_with`] for this system.
    fn verify(
        &self,
        key: &SystemKey,
        envelope: &Envelope,
        cx: &VerifyContext<'_>,
    ) -> Result<(), VerifyError>;

    /// Pre-check each envelope, parse the key once and run the system's `verify_many` on the
    /// envelopes that passed. One result per envelope, in order.
    fn verify_many(
        &self,
        key: &SystemKey,
        envelopes: &[&Envelope],
        cx: &VerifyContext<'_>,
    ) -> Vec<Result<(), VerifyError>>;
}

/// A [`ProofSystem`] as a [`DynProofSystem`]: `&Registered::<MySystem>::NEW` is one registry
/// entry.
pub struct Registered<S>(PhantomData<fn() -> S>);

impl<S> Registered<S> {
    /// The registry entry.
    pub const NEW: Self = Self(PhantomData);
}

impl<S> fmt::Debug for Registered<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Registered")
    }
}

impl<S: ProofSystem> DynProofSystem for Registered<S> {
    fn id(&self) -> SystemId {
        S::ID
    }

    fn reads_batch_timestamp(&self) -> bool {
        S::READS_BATCH_TIMESTAMP
    }

    fn verify(
        &self,
        key: &SystemKey,
        envelope: &Envelope,
        cx: &VerifyContext<'_>,
    ) -> Result<(), VerifyError> {
        verify_with::<S>(key, envelope, cx)
    }

    fn verify_many(
        &self,
        key: &SystemKey,
        envelopes: &[&Envelope],
        cx: &VerifyContext<'_>,
    ) -> Vec<Result<(), VerifyError>> {
        let mut results: Vec<Result<(), VerifyError>> = envelopes
            .iter()
            .map(|e| precheck::<S>(key, e).map_err(|err| VerifyError::new(S::ID, err)))
            .collect();
        let passed: Vec<usize> = (0..envelopes.len())
            .filter(|i| results[*i].is_ok())
            .collect();
        if passed.is_empty() {
            return results;
        }
        let parsed = match S::parse_key(key) {
            Ok(k) => k,
            Err(_) => {
                // Parsing is deterministic: each envelope gets the same error of its own.
                for i in passed {
                    if let Err(e) = S::parse_key(key) {
                        results[i] = Err(VerifyError::new(S::ID, e));
                    }
                }
                return results;
            }
        };
        if check_version::<S>(&parsed, cx).is_err() {
            for i in passed {
                results[i] = check_version::<S>(&parsed, cx);
            }
            return results;
        }
        let batch: Vec<&Envelope> = passed.iter().map(|i| envelopes[*i]).collect();
        for (i, r) in passed.into_iter().zip(S::verify_many(&parsed, &batch, cx)) {
            results[i] = r.map_err(|e| VerifyError::new(S::ID, e));
        }
        results
    }
}

// PROVERS
// ================================================================================================

/// Sound or the deliberately unsound demo circuit (devnet conflict demos; never in a default
/// build's keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// The circuit that proves the statement.
    Sound,
    /// The demo circuit with one constraint missing.
    Faulty,
}

impl Variant {
    /// The byte written into key material (0 sound, 1 faulty).
    pub const fn to_byte(self) -> u8 {
        match self {
            Self::Sound => 0,
            Self::Faulty => 1,
        }
    }

    /// The variant of a key-material byte.
    pub const fn from_byte(b: u8) -> Option<Self> {
        match b {
            0 => Some(Self::Sound),
            1 => Some(Self::Faulty),
            _ => None,
        }
    }
}

/// What a prover is set up with.
#[derive(Clone, Copy, Debug)]
pub struct ProverSetup {
    /// The profile (D, T) to prove for.
    pub profile: Profile,
    /// Sound or the demo-faulty variant.
    pub variant: Variant,
    /// A secret seed, for systems that sign (the simulated enclave's instance key).
    pub seed: Option<[u8; 32]>,
    /// The registered instance id, for systems that sign.
    pub instance_id: u32,
    /// The statement version to prove (the anchor's).
    pub version: StatementVersion,
}

/// A prover was asked for a statement version it does not prove.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{system} does not prove statement {version} yet")]
pub struct VersionNotProven {
    /// The system.
    pub system: SystemId,
    /// The version asked for.
    pub version: StatementVersion,
}

impl Classify for VersionNotProven {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Setup
    }
}

/// One batch to prove.
#[derive(Clone, Copy, Debug)]
pub struct ProveJob<'a> {
    /// The state before the batch.
    pub pre_state: &'a SparseMerkleTree,
    /// The batch.
    pub batch: &'a Batch,
    /// The witness of the transition (what the circuits prove), from `apply_batch` (or from
    /// the demo fault `apply_batch_inflated`).
    pub witness: &'a BatchWitness,
    /// The demo fault's extra credit, 0 in a sound job. A system that runs the transition
    /// itself (the TEE) uses it instead of the witness.
    pub inflate: u64,
}

/// One proof system's prover, as a binary holds it: `Box<dyn SystemProver>`.
pub trait SystemProver: Send + Sync + fmt::Debug {
    /// The system.
    fn system(&self) -> SystemId;
    /// The key a trust anchor pins for this prover.
    fn system_key(&self) -> SystemKey;
    /// Prove one batch into an envelope.
    fn prove(&self, job: &ProveJob<'_>) -> Result<Envelope, ProveError>;
}

/// How a registry builds a prover of one system.
pub type ProverFactory = fn(&ProverSetup) -> Result<Box<dyn SystemProver>, ProveError>;

/// A prover that proves from the witness alone (the circuits). Implementing it gives a
/// [`SystemProver`], and [`setup_boxed`] is its [`ProverFactory`].
pub trait WitnessProver: Sized + Send + Sync + fmt::Debug + 'static {
    /// The system.
    const SYSTEM: SystemId;
    /// The prover's error.
    type Error: core::error::Error + Classify + Send + Sync + 'static;
    /// The statement versions the circuit proves.
    const VERSIONS: &'static [StatementVersion] = &[StatementVersion::V1];
    /// Build the sound circuit for `profile` (key generation: can be slow).
    fn build_sound(profile: Profile) -> Result<Self, Self::Error>;
    /// Build the deliberately unsound demo circuit, if this build has one (`demo-faults`).
    fn build_faulty(_profile: Profile) -> Option<Result<Self, Self::Error>> {
        None
    }
    /// The key a trust anchor pins.
    fn system_key(&self) -> SystemKey;
    /// Prove one witness.
    fn prove_witness(&self, witness: &BatchWitness) -> Result<Envelope, Self::Error>;
}

impl<P: WitnessProver> SystemProver for P {
    fn system(&self) -> SystemId {
        P::SYSTEM
    }

    fn system_key(&self) -> SystemKey {
        WitnessProver::system_key(self)
    }

    fn prove(&self, job: &ProveJob<'_>) -> Result<Envelope, ProveError> {
        let version = job.witness.version;
        if !P::VERSIONS.contains(&version) {
            return Err(ProveError::new(
                P::SYSTEM,
                VersionNotProven {
                    system: P::SYSTEM,
                    version,
                },
            ));
        }
        self.prove_witness(job.witness)
            .map_err(|e| ProveError::new(P::SYSTEM, e))
    }
}

/// The [`ProverFactory`] of a [`WitnessProver`].
pub fn setup_boxed<P: WitnessProver>(
    setup: &ProverSetup,
) -> Result<Box<dyn SystemProver>, ProveError> {
    if !P::VERSIONS.contains(&setup.version) {
        return Err(ProveError::new(
            P::SYSTEM,
            VersionNotProven {
                system: P::SYSTEM,
                version: setup.version,
            },
        ));
    }
    let prover = match setup.variant {
        Variant::Sound => P::build_sound(setup.profile),
        Variant::Faulty => P::build_faulty(setup.profile)
            .ok_or_else(|| ProveError::new(P::SYSTEM, NoFaultyVariant(P::SYSTEM)))?,
    };
    Ok(Box::new(prover.map_err(|e| ProveError::new(P::SYSTEM, e))?))
}
