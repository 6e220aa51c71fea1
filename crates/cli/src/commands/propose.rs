use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use multiprover_core::Batch;
use multiprover_node::{Client, Sequencer};

use crate::error::CliError;
use crate::keygen::{read_sequencer_key, sequencer_key_path};
use crate::util::{read_anchor, read_json};

#[derive(Args, Debug)]
pub struct ProposeArgs {
    /// The node's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub node: String,
    /// Trust anchor JSON (its hash is the proposal's EIP-712 salt; its sequencer must be the
    /// key's address).
    #[arg(long)]
    pub anchor: PathBuf,
    /// The sequencer's key file. Default: <anchor>.sequencer.key.
    #[arg(long)]
    pub sequencer_key: Option<PathBuf>,
    /// Batch JSON files, proposed in order (batch number 0: the next one).
    #[arg(required = true)]
    pub batches: Vec<PathBuf>,
}

pub fn run(a: ProposeArgs) -> Result<ExitCode, CliError> {
    let anchor = read_anchor(&a.anchor)?;
    let key_path = a
        .sequencer_key
        .clone()
        .unwrap_or_else(|| sequencer_key_path(&a.anchor));
    let sequencer = Sequencer::new(read_sequencer_key(&key_path)?, &anchor)?;
    let client = Client::new(&a.node);
    for path in &a.batches {
        let batch: Batch = read_json(path)?;
        let r = client.propose(&batch, &sequencer)?;
        println!(
            "{}",
            serde_json::json!({"batch_number": r.batch_number, "statement": r.statement})
        );
    }
    Ok(ExitCode::SUCCESS)
}
