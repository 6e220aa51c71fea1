//! The error enum of `multiprover-node`.

use multiprover_core::CoreError;

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
        expected: String,
        /// The hash stored in the database.
        found: String,
    },
    /// The stored data does not decode (a corrupted database).
    #[error("corrupted store: {0}")]
    Corrupt(String),
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
    /// The node could not be reached or answered garbage (client side).
    #[error("transport: {0}")]
    Transport(String),
}
