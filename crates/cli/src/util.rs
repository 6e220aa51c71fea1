//! Files, JSON, chain replay and progress helpers shared by the commands.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use indicatif::{ProgressBar, ProgressStyle};
use multiprover_core::{genesis_tree, Batch, SparseMerkleTree, Statement, TrustAnchor};
use serde::de::DeserializeOwned;

use crate::error::CliError;

/// Read a whole file.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::io(path, e))
}

/// Read and parse a JSON file.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, CliError> {
    let bytes = read_bytes(path)?;
    serde_json::from_slice(&bytes).map_err(|e| CliError::json(path, e))
}

/// Write a file, creating its directory.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
        }
    }
    std::fs::write(path, bytes).map_err(|e| CliError::io(path, e))
}

/// Read and validate a trust anchor file.
pub fn read_anchor(path: &Path) -> Result<TrustAnchor, CliError> {
    Ok(TrustAnchor::from_json(&read_bytes(path)?)?)
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The batches of a history directory (every `*.json` that parses as a batch), by number.
pub fn read_history(dir: Option<&Path>) -> Result<Vec<Batch>, CliError> {
    let Some(dir) = dir else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| CliError::io(dir, e))? {
        let path = entry.map_err(|e| CliError::io(dir, e))?.path();
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            out.push(read_json::<Batch>(&path)?);
        }
    }
    out.sort_by_key(|b| b.batch_number);
    Ok(out)
}

/// The state before `batch`: genesis, then the history batches numbered below it, which must
/// be exactly 1 .. batch_number - 1.
pub fn state_before(
    anchor: &TrustAnchor,
    history: &[Batch],
    batch: &Batch,
) -> Result<SparseMerkleTree, CliError> {
    if batch.chain_id != anchor.chain_id {
        return Err(CliError::Core(multiprover_core::CoreError::WrongChain {
            expected: anchor.chain_id,
            got: batch.chain_id,
        }));
    }
    let mut state = genesis_tree(anchor.profile.depth, &anchor.genesis)?;
    let earlier: Vec<&Batch> = history
        .iter()
        .filter(|b| b.batch_number < batch.batch_number)
        .collect();
    for (i, b) in earlier.iter().enumerate() {
        if b.batch_number != i as u64 + 1 {
            return Err(CliError::Usage(format!(
                "history must hold batches 1..{} in order; batch {} is missing",
                batch.batch_number - 1,
                i + 1
            )));
        }
        anchor.apply(&mut state, b).map_err(|e| {
            CliError::Usage(format!("history batch {} is invalid: {e}", b.batch_number))
        })?;
    }
    if earlier.len() as u64 + 1 != batch.batch_number {
        return Err(CliError::Usage(format!(
            "batch {} needs the earlier batches 1..{} (pass --history DIR)",
            batch.batch_number,
            batch.batch_number - 1
        )));
    }
    Ok(state)
}

/// A chain replayed from genesis: the state before each batch and the statement it proves.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// `pre_states[i]` is the state before `batches[i]`.
    pub pre_states: Vec<SparseMerkleTree>,
    /// `statements[i]` is the statement of `batches[i]`.
    pub statements: Vec<Statement>,
}

/// Replay `batches` (in the order given) on the anchor's genesis.
pub fn replay(anchor: &TrustAnchor, batches: &[Batch]) -> Result<Replayed, CliError> {
    let mut state = genesis_tree(anchor.profile.depth, &anchor.genesis)?;
    let mut out = Replayed {
        pre_states: Vec::with_capacity(batches.len()),
        statements: Vec::with_capacity(batches.len()),
    };
    for b in batches {
        out.pre_states.push(state.clone());
        out.statements.push(anchor.apply(&mut state, b)?.statement);
    }
    Ok(out)
}

/// A progress spinner on stderr (hidden when `quiet`).
pub fn spinner(msg: impl Into<String>, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner:.cyan} [{elapsed:>4}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_message(msg.into());
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// A progress bar of `len` steps on stderr (hidden when `quiet`).
pub fn bar(len: u64, msg: impl Into<String>, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} [{elapsed:>4}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message(msg.into());
    pb
}
