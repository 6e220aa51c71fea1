use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use multiprover_core::Batch;

use crate::error::CliError;
use crate::util::{read_anchor, read_history, read_json, state_before};

#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// Trust anchor JSON.
    #[arg(long)]
    pub anchor: PathBuf,
    /// Batch JSON: {"chain_id", "batch_number", "transfers": [{"from","to","amount","nonce"}]}.
    #[arg(long)]
    pub batch: PathBuf,
    /// Directory with the earlier batches' JSON files (applied in batch-number order).
    #[arg(long)]
    pub history: Option<PathBuf>,
}

pub fn run(a: ApplyArgs) -> Result<ExitCode, CliError> {
    let anchor = read_anchor(&a.anchor)?;
    let batch: Batch = read_json(&a.batch)?;
    let history = read_history(a.history.as_deref())?;
    let mut state = state_before(&anchor, &history, &batch)?;
    match anchor.apply(&mut state, &batch) {
        Ok(w) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&w.statement).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("invalid batch {}: {e}", batch.batch_number);
            Ok(ExitCode::from(1))
        }
    }
}
