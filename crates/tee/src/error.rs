//! The error enum of `multiprover-tee`.

use alloy_primitives::{Address, B256};
use multiprover_core::proof_system::{Classify, ErrorKind, PrecheckError};
use multiprover_core::CoreError;

/// Errors of the TEE verifier and of the simulated enclave.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The shared pre-checks failed: another system, or another measurement than the pinned
    /// one.
    #[error(transparent)]
    Precheck(#[from] PrecheckError),
    /// The TEE's system key carries key material other than a statement version's (empty
    /// for v1, the byte 2 for v2; its keys are the registry).
    #[error("the tee system key carries {0} bytes that name no statement version")]
    KeyNotEmpty(usize),
    /// The measurement is not in the registry's accepted measurements.
    #[error("measurement {0} is not accepted by the registry")]
    MeasurementNotAccepted(B256),
    /// The proof bytes do not have the exact length of the layout.
    #[error("tee proof must be exactly {expected} bytes, got {got}")]
    ProofLength {
        /// [`crate::PROOF_BYTES`].
        expected: usize,
        /// The length seen.
        got: usize,
    },
    /// The recovery byte `v` is neither 27 nor 28.
    #[error("recovery byte v = {0} (must be 27 or 28)")]
    BadRecoveryByte(u8),
    /// No registered instance has this id.
    #[error("tee instance {0} is not registered")]
    UnknownInstance(u32),
    /// The registry lists this instance id more than once (ambiguous: rejected).
    #[error("tee instance id {0} is registered more than once")]
    DuplicateInstance(u32),
    /// The instance was registered with another measurement than the envelope claims.
    #[error("tee instance {id} was registered with measurement {registered}, the envelope claims {claimed}")]
    InstanceMeasurement {
        /// Instance id.
        id: u32,
        /// The measurement in its registration record.
        registered: B256,
        /// The envelope's measurement.
        claimed: B256,
    },
    /// `now` is before the start of the instance's validity window.
    #[error("tee instance {id} is not valid before {valid_from} (now {now})")]
    NotYetValid {
        /// Instance id.
        id: u32,
        /// Start of validity (inclusive).
        valid_from: u64,
        /// The caller's time.
        now: u64,
    },
    /// `now` is at or after the end of the instance's validity window.
    #[error("tee instance {id} expired at {valid_until} (now {now})")]
    Expired {
        /// Instance id.
        id: u32,
        /// End of validity (exclusive).
        valid_until: u64,
        /// The caller's time.
        now: u64,
    },
    /// The statement is not canonical (chain id or batch number not below p).
    #[error("invalid statement: {0}")]
    Statement(#[source] CoreError),
    /// `s` is above n/2: a malleable (high-s) signature.
    #[error("high-s (malleable) signature rejected")]
    HighS,
    /// `r` or `s` is zero or not below the group order, or no key can be recovered.
    #[error("invalid signature: {0}")]
    InvalidSignature(#[source] alloy_primitives::SignatureError),
    /// The signature was made by another key than the instance's registered address (a
    /// changed statement, another chain's domain, or an unregistered key).
    #[error("signer {recovered} is not instance {id}'s registered address {registered}")]
    SignerMismatch {
        /// Instance id.
        id: u32,
        /// The registered address.
        registered: Address,
        /// The address the signature recovers to.
        recovered: Address,
    },
    /// The enclave's own STF run rejected the batch (or the state does not fit the profile).
    #[error("the enclave's state transition failed: {0}")]
    Stf(#[source] CoreError),
    /// Signing failed.
    #[cfg(feature = "prover")]
    #[error("signing failed: {0}")]
    Signing(#[source] k256::ecdsa::Error),
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Precheck(e) => e.kind(),
            Self::KeyNotEmpty(_)
            | Self::MeasurementNotAccepted(_)
            | Self::UnknownInstance(_)
            | Self::DuplicateInstance(_)
            | Self::InstanceMeasurement { .. } => ErrorKind::WrongKey,
            Self::ProofLength { .. } | Self::BadRecoveryByte(_) | Self::Statement(_) => {
                ErrorKind::Malformed
            }
            Self::NotYetValid { .. } | Self::Expired { .. } => ErrorKind::Expired,
            Self::HighS | Self::InvalidSignature(_) | Self::SignerMismatch { .. } => {
                ErrorKind::Rejected
            }
            Self::Stf(_) => ErrorKind::Unprovable,
            #[cfg(feature = "prover")]
            Self::Signing(_) => ErrorKind::Internal,
        }
    }
}
