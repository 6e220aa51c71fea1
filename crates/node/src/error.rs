//! The error enum of `multiprover-node`.

use multiprover_core::{CoreError, StatementVersion, B256};

/// Everything the node and its client can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Core rejected the input (invalid batch, anchor, envelope, statement).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The SQLite store failed.
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    /// The database was made for another trust anchor.
    #[error("the database belongs to anchor {found}, not to this anchor {expected}")]
    AnchorMismatch {
        /// This anchor's hash.
        expected: B256,
        /// The hash stored in the database.
        found: B256,
    },
    /// The stored data does not decode or does not replay (a corrupted database).
    #[error("corrupted store: {what}")]
    Corrupt {
        /// What is corrupt.
        what: String,
        /// Why it does not decode or replay, when a lower layer said.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// Binding or serving failed.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// The node answered with an error status (client side).
    #[error("HTTP {status}: {message}")]
    Http {
        /// Status code.
        status: u16,
        /// The node's reason.
        message: String,
    },
    /// The node could not be reached (client side).
    #[error("transport: {0}")]
    Transport(#[source] Box<ureq::Error>),
    /// The node answered something that is not the JSON of the route (client side).
    #[error("bad answer from the node: {0}")]
    BadAnswer(#[source] serde_json::Error),
    /// A user transfer the node does not queue, or an account it cannot show
    /// (`POST /api/transfers`, `GET /api/accounts/{index}`).
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The node served a batch record that does not parse (client side).
    #[error("bad batch record from the node: {0}")]
    BadRecord(#[source] multiprover_verifier::Error),
}

impl Error {
    /// The store is corrupt at `what`.
    pub fn corrupt(what: impl Into<String>) -> Self {
        Self::Corrupt {
            what: what.into(),
            source: None,
        }
    }

    /// The store is corrupt at `what`, as `source` says.
    pub fn corrupt_because(
        what: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self::Corrupt {
            what: what.into(),
            source: Some(Box::new(source)),
        }
    }
}

/// Why `POST /api/transfers` refuses a transfer (nothing is queued), or why
/// `GET /api/accounts/{index}` has no account to show.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The anchor's statement version has no signed transfers (v1): there is nothing a user
    /// could sign.
    #[error("this chain's anchor pins statement {0}: user transfers need statement v2")]
    WrongVersion(StatementVersion),
    /// The pending pool holds its maximum; try again after the next batch.
    #[error("the pending pool is full ({capacity} transfers); try again after the next batch")]
    PoolFull {
        /// The pool's capacity.
        capacity: usize,
    },
    /// A transfer with this sender and nonce is already queued.
    #[error("a transfer from account {from} with nonce {nonce} is already pending")]
    Duplicate {
        /// Sender.
        from: u32,
        /// Nonce.
        nonce: u32,
    },
    /// The transfer breaks a rule of the statement against the head state with the queued
    /// transfers applied (unsigned, bad signature, nonce, balance, receiver key, ...).
    #[error("transfer refused: {0}")]
    Rule(#[source] CoreError),
    /// No account with this index in the anchor's tree.
    #[error("no account {index} in a tree of depth {depth}")]
    UnknownAccount {
        /// The index asked for.
        index: u64,
        /// The tree depth.
        depth: u8,
    },
}

impl Refusal {
    /// A short machine-readable name (`reason` in the node's JSON error bodies).
    pub fn reason(&self) -> &'static str {
        match self {
            Refusal::WrongVersion(_) => "wrong_version",
            Refusal::PoolFull { .. } => "pool_full",
            Refusal::Duplicate { .. } => "duplicate",
            Refusal::Rule(CoreError::Unsigned { .. }) => "unsigned",
            Refusal::Rule(CoreError::BadSignature { .. } | CoreError::SenderHasNoKey { .. }) => {
                "bad_signature"
            }
            Refusal::Rule(_) => "rule",
            Refusal::UnknownAccount { .. } => "unknown_account",
        }
    }
}
