//! The error enum of `multiprover-node`.

use multiprover_core::{CoreError, B256};

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
