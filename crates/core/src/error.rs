//! The error enum of `multiprover-core`.

use alloc::string::String;
use alloy_primitives::B256;

use crate::hash::Digest;
use crate::system::SystemId;

/// Why a council resolution was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Resolution {
    /// The signature is not 65 bytes `r ‖ s ‖ v`.
    #[error("malformed signature")]
    MalformedSignature,
    /// The signature has a high `s` (malleable).
    #[error("high-s signature")]
    HighS,
    /// No key can be recovered from the signature.
    #[error("signature does not recover")]
    DoesNotRecover,
    /// The signature is valid but not the council's.
    #[error("not signed by the council key")]
    NotCouncil,
    /// Only a halted batch can be resolved.
    #[error("batch is not halted")]
    NotHalted,
    /// The node resolves only to the root its own state transition computes.
    #[error("this node only resolves to the root its own STF computes")]
    NotOwnRoot,
}

impl Resolution {
    /// Whether the refusal is about who signed (a credential problem, HTTP 403).
    pub const fn is_signature(self) -> bool {
        matches!(
            self,
            Self::MalformedSignature | Self::HighS | Self::DoesNotRecover | Self::NotCouncil
        )
    }
}

/// Why a proposal's signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProposalFault {
    /// The signature is not 65 bytes `r ‖ s ‖ v` with `v` 27 or 28.
    #[error("malformed signature (65 bytes r ‖ s ‖ v, v = 27 or 28)")]
    Malformed,
    /// The signature has a high `s` (malleable).
    #[error("high-s signature")]
    HighS,
    /// No key can be recovered from the signature.
    #[error("signature does not recover")]
    DoesNotRecover,
    /// The signature is valid but not the anchor's sequencer's (another key, or signed for
    /// another chain, anchor or proposal).
    #[error("not signed by the anchor's sequencer over this proposal")]
    NotSequencer,
    /// A secret key that is not a valid secp256k1 scalar (signing only).
    #[error("invalid secret key")]
    InvalidSecret,
}

/// Errors of `multiprover-core`: codecs, the STF (one variant per broken rule, naming the
/// transfer and the rule), the trust anchor, the policy and the settlement state machine.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// The batch holds more transfers than the profile's capacity.
    #[error("batch has {count} transfers but the capacity is {capacity}")]
    TooManyTransfers {
        /// Transfers in the batch.
        count: usize,
        /// The profile's capacity.
        capacity: u32,
    },
    /// `from == to`.
    #[error("transfer #{transfer}: sender and receiver are the same account {account} (rule: from != to)")]
    SelfTransfer {
        /// Position of the transfer in the batch.
        transfer: usize,
        /// The account.
        account: u32,
    },
    /// An account index is not below `2^D`.
    #[error("transfer #{transfer}: account {account} is out of range for depth {depth} (rule: index < 2^D)")]
    AccountOutOfRange {
        /// Position of the transfer in the batch.
        transfer: usize,
        /// The offending index.
        account: u32,
        /// The tree depth.
        depth: u8,
    },
    /// The nonce is not the sender's current nonce.
    #[error("transfer #{transfer}: nonce {got} but the sender's nonce is {expected} (rule: nonce == nonce(from))")]
    BadNonce {
        /// Position of the transfer in the batch.
        transfer: usize,
        /// The sender's nonce.
        expected: u64,
        /// The transfer's nonce.
        got: u32,
    },
    /// The amount exceeds the sender's balance.
    #[error("transfer #{transfer}: amount {amount} exceeds the sender's balance {balance} (rule: amount <= balance(from))")]
    InsufficientBalance {
        /// Position of the transfer in the batch.
        transfer: usize,
        /// The sender's balance.
        balance: u64,
        /// The amount.
        amount: u64,
    },
    /// The receiver's new balance would reach 2^60.
    #[error("transfer #{transfer}: receiver balance {balance} + {amount} would reach 2^60 (rule: balance(to) + amount < 2^60)")]
    BalanceOverflow {
        /// Position of the transfer in the batch.
        transfer: usize,
        /// The receiver's balance.
        balance: u64,
        /// The amount.
        amount: u64,
    },
    /// A transfer carries a field that its statement version does not have (a `to_pk` or a
    /// signature under v1).
    #[error("transfer #{transfer}: to_pk and signature are not part of statement {version}")]
    NotInVersion {
        /// Position of the transfer in the batch.
        transfer: usize,
        /// The statement version applied.
        version: crate::statement::StatementVersion,
    },
    /// Rule 6: the sender has no key, so nothing it sends can be authorised.
    #[error("transfer #{transfer}: sender account {account} has no key (rule 6: signed by the sender's key)")]
    SenderHasNoKey {
        /// Position of the transfer in the batch.
        transfer: usize,
        /// The sender.
        account: u32,
    },
    /// Rule 6: the transfer carries no signature.
    #[error("transfer #{transfer}: unsigned (rule 6: signed by the sender's key)")]
    Unsigned {
        /// Position of the transfer in the batch.
        transfer: usize,
    },
    /// Rule 6: the signature does not verify under the sender's key over the transfer's
    /// message.
    #[error("transfer #{transfer}: bad signature (rule 6: signed by the sender's key): {source}")]
    BadSignature {
        /// Position of the transfer in the batch.
        transfer: usize,
        /// Why.
        #[source]
        source: crate::ecgfp5::EcError,
    },
    /// Rule 7: the receiver has no key and `to_pk` is not a valid key.
    #[error("transfer #{transfer}: to_pk is not a valid key for a new account (rule 7): {source}")]
    InvalidKey {
        /// Position of the transfer in the batch.
        transfer: usize,
        /// Why.
        #[source]
        source: crate::ecgfp5::EcError,
    },
    /// Rule 7: the receiver has a key and `to_pk` is another one.
    #[error("transfer #{transfer}: to_pk is not the key of receiver account {account} (rule 7)")]
    ReceiverKeyMismatch {
        /// Position of the transfer in the batch.
        transfer: usize,
        /// The receiver.
        account: u32,
    },
    /// A statement-v2 genesis account without a valid key.
    #[error("genesis account {index} has no valid key: {source}")]
    InvalidGenesisKey {
        /// Account index.
        index: u32,
        /// Why.
        #[source]
        source: crate::ecgfp5::EcError,
    },
    /// A value that must be a canonical Goldilocks element is not.
    #[error("{0} is not below the Goldilocks modulus")]
    NonCanonical(&'static str),
    /// The profile is out of bounds or does not match the state.
    #[error("bad profile: depth {depth}, capacity {capacity}")]
    BadProfile {
        /// Depth.
        depth: u8,
        /// Capacity.
        capacity: u32,
    },
    /// The genesis accounts are not valid.
    #[error("bad genesis: {0}")]
    BadGenesis(&'static str),
    /// Tree depth outside 1..=32.
    #[error("tree depth {0} is outside 1..=32")]
    BadDepth(u8),
    /// Account index not below `2^D`.
    #[error("account {index} is out of range for depth {depth}")]
    IndexOutOfRange {
        /// The index.
        index: u32,
        /// The depth.
        depth: u8,
    },
    /// Bytes that do not parse.
    #[error("malformed input: {0}")]
    Malformed(&'static str),
    /// Input over a size cap.
    #[error("input of {size} bytes exceeds the limit of {max}")]
    TooLarge {
        /// Size seen.
        size: usize,
        /// The cap.
        max: usize,
    },
    /// Envelope version not supported.
    #[error("unsupported envelope version {0}")]
    UnsupportedVersion(u8),
    /// Envelope system id not known.
    #[error("unknown proof system id {0}")]
    UnknownSystem(u8),
    /// System name not known.
    #[error("unknown proof system name (expected halo2, plonky2, stark or tee)")]
    UnknownSystemName,
    /// A trust anchor that does not parse or is inconsistent.
    #[error("invalid trust anchor: {0}")]
    BadAnchor(String),
    /// A policy that is inconsistent.
    #[error("invalid policy: {0}")]
    BadPolicy(String),
    /// The statement is for another chain.
    #[error("statement is for chain {got}, expected chain {expected}")]
    WrongChain {
        /// Anchor's chain id.
        expected: u64,
        /// Statement's chain id.
        got: u64,
    },
    /// A batch number that is not the next one.
    #[error("batch {got} does not extend the chain (next is {expected})")]
    NotNext {
        /// The next batch number.
        expected: u64,
        /// The proposed number.
        got: u64,
    },
    /// No such batch.
    #[error("unknown batch {0}")]
    UnknownBatch(u64),
    /// The statement does not match the proposed batch.
    #[error("statement does not match batch {batch}: {what}")]
    StatementMismatch {
        /// Batch number.
        batch: u64,
        /// Which field differs.
        what: &'static str,
    },
    /// Envelope for a system the anchor does not list.
    #[error("system {0} is not configured in the trust anchor")]
    SystemNotConfigured(SystemId),
    /// Envelope names another verifying key than the anchor's.
    #[error("verifying-key id {got} does not match the anchor's {expected} for {system}")]
    WrongVerifyingKey {
        /// The system.
        system: SystemId,
        /// Anchor's id.
        expected: B256,
        /// Envelope's id.
        got: B256,
    },
    /// The system is quarantined.
    #[error("system {0} is quarantined")]
    Quarantined(SystemId),
    /// Resolution not allowed.
    #[error("resolution rejected: {0}")]
    BadResolution(Resolution),
    /// A root that was never proven.
    #[error("root {0} was not proven for this batch")]
    UnprovenRoot(Digest),
    /// A proposal without the sequencer's signature.
    #[error("batch {0} is not signed by the sequencer")]
    UnsignedProposal(u64),
    /// A proposal whose signature is not the anchor's sequencer's over it.
    #[error("bad proposal signature: {0}")]
    BadProposalSignature(ProposalFault),
    /// A proposal whose timestamp is before its predecessor's.
    #[error("batch {batch} has timestamp {got}, before its predecessor's {previous}")]
    ProposalTimestamp {
        /// Batch number.
        batch: u64,
        /// The predecessor's timestamp.
        previous: u64,
        /// The proposal's timestamp.
        got: u64,
    },
}

impl crate::proof_system::Classify for CoreError {
    fn kind(&self) -> crate::proof_system::ErrorKind {
        use crate::proof_system::ErrorKind;
        match self {
            Self::TooManyTransfers { .. }
            | Self::SelfTransfer { .. }
            | Self::AccountOutOfRange { .. }
            | Self::BadNonce { .. }
            | Self::InsufficientBalance { .. }
            | Self::BalanceOverflow { .. }
            | Self::NotInVersion { .. }
            | Self::SenderHasNoKey { .. }
            | Self::Unsigned { .. }
            | Self::BadSignature { .. }
            | Self::InvalidKey { .. }
            | Self::ReceiverKeyMismatch { .. } => ErrorKind::Unprovable,
            Self::NonCanonical(_)
            | Self::BadProfile { .. }
            | Self::BadGenesis(_)
            | Self::InvalidGenesisKey { .. }
            | Self::BadDepth(_)
            | Self::IndexOutOfRange { .. }
            | Self::Malformed(_)
            | Self::TooLarge { .. }
            | Self::UnsupportedVersion(_)
            | Self::UnknownSystem(_)
            | Self::UnknownSystemName
            | Self::BadAnchor(_)
            | Self::BadPolicy(_) => ErrorKind::Malformed,
            Self::WrongChain { .. }
            | Self::NotNext { .. }
            | Self::UnknownBatch(_)
            | Self::StatementMismatch { .. } => ErrorKind::WrongStatement,
            Self::SystemNotConfigured(_) | Self::WrongVerifyingKey { .. } => ErrorKind::WrongKey,
            Self::Quarantined(_) | Self::BadResolution(_) | Self::UnprovenRoot(_) => {
                ErrorKind::Rejected
            }
            Self::UnsignedProposal(_) | Self::BadProposalSignature(_) => ErrorKind::Rejected,
            Self::ProposalTimestamp { .. } => ErrorKind::WrongStatement,
        }
    }
}
