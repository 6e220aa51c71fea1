//! The SQLite store: batches, envelopes and verdicts. Every state change of a request is one
//! transaction, so a crash leaves either all of it or none of it.

use std::path::Path;

use multiprover_core::settlement::BatchState;
use multiprover_core::{Batch, Digest, ProposalSignature, SystemId};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Error;

/// A stored envelope.
#[derive(Debug, Clone)]
pub struct StoredEnvelope {
    /// Batch number.
    pub batch_number: u64,
    /// System.
    pub system: SystemId,
    /// Proven post root.
    pub post_root: Digest,
    /// Raw envelope bytes.
    pub bytes: Vec<u8>,
}

/// A stored batch: the batch, its claimed post root, its signed timestamp and the sequencer's
/// signature.
pub type StoredBatch = (Batch, Digest, u64, ProposalSignature);

/// The store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

/// The version of the schema below, kept in `meta` under `schema`. Version 2 added each
/// batch's signed timestamp and sequencer signature; a database of another version is
/// refused (its anchor has no sequencer, so it cannot be this node's anyway): start a new one.
pub const SCHEMA_VERSION: u32 = 2;

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    number INTEGER PRIMARY KEY,
    batch TEXT NOT NULL,
    claimed_post_root TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    signature TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS envelopes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_number INTEGER NOT NULL REFERENCES batches(number),
    system TEXT NOT NULL,
    post_root TEXT NOT NULL,
    bytes BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (batch_number, system, post_root)
);
CREATE TABLE IF NOT EXISTS verdicts (
    batch_number INTEGER PRIMARY KEY REFERENCES batches(number),
    status TEXT NOT NULL,
    decision TEXT NOT NULL,
    final_root TEXT,
    updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS resolutions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_number INTEGER NOT NULL REFERENCES batches(number),
    root TEXT NOT NULL,
    signature BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl Store {
    /// Open (or create) the database for the anchor with hash `anchor_hash`.
    pub fn open(path: &Path, anchor_hash: &str) -> Result<Store, Error> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let fresh: bool = conn.query_row(
            "SELECT COUNT(*) = 0 FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
            [],
            |r| r.get(0),
        )?;
        conn.execute_batch(SCHEMA)?;
        if fresh {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema', ?1)",
                params![SCHEMA_VERSION.to_string()],
            )?;
        }
        let version: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                r.get(0)
            })
            .optional()?;
        if version.as_deref() != Some(SCHEMA_VERSION.to_string().as_str()) {
            return Err(Error::corrupt(format!(
                "the database has schema version {}, this node needs {SCHEMA_VERSION}: start with a new database",
                version.as_deref().unwrap_or("1")
            )));
        }
        let found: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'anchor_hash'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match found {
            Some(f) if f != anchor_hash => {
                return Err(Error::AnchorMismatch {
                    expected: anchor_hash
                        .parse()
                        .map_err(|e| Error::corrupt_because("this anchor's hash", e))?,
                    found: f
                        .parse()
                        .map_err(|e| Error::corrupt_because("the stored anchor hash", e))?,
                })
            }
            Some(_) => {}
            None => {
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('anchor_hash', ?1)",
                    params![anchor_hash],
                )?;
            }
        }
        Ok(Store { conn })
    }

    /// Every batch with its claimed post root, signed timestamp and sequencer signature, in
    /// order.
    pub fn batches(&self) -> Result<Vec<StoredBatch>, Error> {
        let mut st = self.conn.prepare(
            "SELECT number, batch, claimed_post_root, timestamp, signature FROM batches ORDER BY number",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (n, b, root, ts, sig) = row?;
            let ts = ts as u64;
            let sig = ProposalSignature::from_hex(&sig)
                .map_err(|e| Error::corrupt_because(format!("batch {n} signature"), e))?;
            let batch: Batch = serde_json::from_str(&b)
                .map_err(|e| Error::corrupt_because(format!("batch {n}"), e))?;
            let root: Digest = serde_json::from_str(&root)
                .map_err(|e| Error::corrupt_because(format!("batch {n} root"), e))?;
            out.push((batch, root, ts, sig));
        }
        Ok(out)
    }

    /// Every envelope, in arrival order.
    pub fn envelopes(&self) -> Result<Vec<StoredEnvelope>, Error> {
        let mut st = self
            .conn
            .prepare("SELECT batch_number, system, post_root, bytes FROM envelopes ORDER BY id")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Vec<u8>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (n, s, root, bytes) = row?;
            out.push(StoredEnvelope {
                batch_number: n as u64,
                system: s
                    .parse()
                    .map_err(|e| Error::corrupt_because(format!("system {s}"), e))?,
                post_root: serde_json::from_str(&root).map_err(|e| {
                    Error::corrupt_because(format!("post root of an envelope of batch {n}"), e)
                })?,
                bytes,
            });
        }
        Ok(out)
    }

    /// The envelopes of one batch.
    pub fn envelopes_of(&self, batch_number: u64) -> Result<Vec<Vec<u8>>, Error> {
        let mut st = self
            .conn
            .prepare("SELECT bytes FROM envelopes WHERE batch_number = ?1 ORDER BY id")?;
        let rows = st.query_map(params![batch_number as i64], |r| r.get::<_, Vec<u8>>(0))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(Error::from)
    }

    fn write_verdicts(tx: &rusqlite::Transaction<'_>, states: &[BatchState]) -> Result<(), Error> {
        let mut st = tx.prepare(
            "INSERT INTO verdicts (batch_number, status, decision, final_root, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(batch_number) DO UPDATE SET status = ?2, decision = ?3, final_root = ?4, updated_at = ?5",
        )?;
        for b in states {
            st.execute(params![
                b.batch.batch_number as i64,
                json(&b.status),
                json(&b.decision),
                b.final_root.map(|r| json(&r)),
                now()
            ])?;
        }
        Ok(())
    }

    /// Store a proposed batch and every verdict, in one transaction.
    pub fn insert_batch(
        &mut self,
        batch: &Batch,
        claimed: &Digest,
        timestamp: u64,
        signature: &ProposalSignature,
        states: &[BatchState],
    ) -> Result<(), Error> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO batches (number, batch, claimed_post_root, timestamp, signature, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                batch.batch_number as i64,
                json(batch),
                json(claimed),
                // Bit for bit: read back with `as u64`.
                timestamp as i64,
                signature.to_hex(),
                now()
            ],
        )?;
        Self::write_verdicts(&tx, states)?;
        tx.commit()?;
        Ok(())
    }

    /// Store a verified envelope and every verdict, in one transaction. Returns false for a
    /// duplicate (same batch, system and root).
    pub fn insert_envelope(
        &mut self,
        e: &StoredEnvelope,
        states: &[BatchState],
    ) -> Result<bool, Error> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO envelopes (batch_number, system, post_root, bytes, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![e.batch_number as i64, e.system.name(), json(&e.post_root), e.bytes, now()],
        )?;
        Self::write_verdicts(&tx, states)?;
        tx.commit()?;
        Ok(n == 1)
    }

    /// Store a council resolution and every verdict, in one transaction.
    pub fn insert_resolution(
        &mut self,
        batch_number: u64,
        root: &Digest,
        signature: &[u8],
        states: &[BatchState],
    ) -> Result<(), Error> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO resolutions (batch_number, root, signature, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![batch_number as i64, json(root), signature, now()],
        )?;
        Self::write_verdicts(&tx, states)?;
        tx.commit()?;
        Ok(())
    }

    /// Every council resolution (batch number, root, signature), in order.
    pub fn resolutions(&self) -> Result<Vec<(u64, Digest, Vec<u8>)>, Error> {
        let mut st = self
            .conn
            .prepare("SELECT batch_number, root, signature FROM resolutions ORDER BY id")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (n, root, sig) = row?;
            let root: Digest = serde_json::from_str(&root)
                .map_err(|e| Error::corrupt_because(format!("resolution of batch {n}"), e))?;
            out.push((n as u64, root, sig));
        }
        Ok(out)
    }

    /// The stored verdict rows (batch number, status JSON, decision JSON).
    pub fn verdicts(&self) -> Result<Vec<(u64, String, String)>, Error> {
        let mut st = self
            .conn
            .prepare("SELECT batch_number, status, decision FROM verdicts ORDER BY batch_number")?;
        let rows = st.query_map([], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?))
        })?;
        rows.collect::<Result<Vec<_>, _>>().map_err(Error::from)
    }
}
