use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use multiprover_core::{Batch, Envelope, TrustAnchor};
use multiprover_verifier::verify_envelope_bytes;

use crate::error::CliError;
use crate::util::{now_unix, read_anchor, read_bytes, read_json};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Trust anchor JSON.
    #[arg(long)]
    pub anchor: PathBuf,
    /// The batch the envelopes must prove (its hash, chain and number are checked).
    #[arg(long)]
    pub batch: Option<PathBuf>,
    /// The batch's signed timestamp (seconds; `timestamp` in its record at
    /// /api/batches/{n}): TEE registration windows are checked at it. Default: now.
    #[arg(long)]
    pub timestamp: Option<u64>,
    /// Envelope files.
    #[arg(required = true)]
    pub envelopes: Vec<PathBuf>,
    /// Print JSON only.
    #[arg(long)]
    pub json: bool,
}

fn check_batch(e: &Envelope, batch: &Batch, anchor: &TrustAnchor) -> Result<(), String> {
    if e.statement.chain_id != batch.chain_id {
        return Err(format!(
            "statement is for chain {}, the batch for chain {}",
            e.statement.chain_id, batch.chain_id
        ));
    }
    if e.statement.batch_number != batch.batch_number {
        return Err(format!(
            "statement is for batch {}, not batch {}",
            e.statement.batch_number, batch.batch_number
        ));
    }
    let h = anchor.batch_hash(batch).map_err(|x| x.to_string())?;
    if e.statement.batch_hash != h {
        return Err("statement's batch hash is not the hash of this batch".into());
    }
    Ok(())
}

pub fn run(a: VerifyArgs) -> Result<ExitCode, CliError> {
    let anchor = read_anchor(&a.anchor)?;
    let batch: Option<Batch> = a.batch.as_deref().map(read_json).transpose()?;
    let at = a.timestamp.unwrap_or_else(now_unix);
    let mut bad = 0usize;
    let mut out = Vec::new();
    for path in &a.envelopes {
        let bytes = read_bytes(path)?;
        let t = Instant::now();
        let r = verify_envelope_bytes(&anchor, &bytes, at)
            .map_err(|e| e.to_string())
            .and_then(|e| match &batch {
                Some(b) => check_batch(&e, b, &anchor).map(|_| e),
                None => Ok(e),
            });
        let ms = t.elapsed().as_secs_f64() * 1e3;
        match r {
            Ok(e) => {
                if !a.json {
                    println!(
                        "ok      {}: {} proves batch {} -> post root {} ({ms:.2} ms)",
                        path.display(),
                        e.system,
                        e.statement.batch_number,
                        e.statement.post_root
                    );
                }
                out.push(serde_json::json!({"path": path, "ok": true, "system": e.system, "statement": e.statement, "millis": ms}));
            }
            Err(reason) => {
                bad += 1;
                if !a.json {
                    println!("INVALID {}: {reason}", path.display());
                }
                out.push(
                    serde_json::json!({"path": path, "ok": false, "error": reason, "millis": ms}),
                );
            }
        }
    }
    if a.json {
        println!(
            "{}",
            serde_json::json!({"valid": bad == 0, "envelopes": out})
        );
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
