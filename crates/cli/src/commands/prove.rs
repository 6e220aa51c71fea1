use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use multiprover_core::{Batch, SystemId};

use crate::error::CliError;
use crate::keygen::secrets_path;
use crate::systems::{available, AnyProver, Secrets};
use crate::util::{read_anchor, read_history, read_json, spinner, write_file};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Which {
    Halo2,
    Plonky2,
    Stark,
    Tee,
    All,
}

#[derive(Args, Debug)]
pub struct ProveArgs {
    /// Which system proves (all = every system of the anchor, in parallel).
    #[arg(long, value_enum)]
    pub system: Which,
    /// Trust anchor JSON.
    #[arg(long)]
    pub anchor: PathBuf,
    /// Batch JSON.
    #[arg(long)]
    pub batch: PathBuf,
    /// Directory with the earlier batches' JSON files.
    #[arg(long)]
    pub history: Option<PathBuf>,
    /// Output directory for the envelopes (batch-<n>.<system>.env).
    #[arg(long)]
    pub out: PathBuf,
    /// Secrets file (the enclave key for tee); default <anchor>.secrets.json.
    #[arg(long)]
    pub secrets: Option<PathBuf>,
    /// Print JSON only.
    #[arg(long)]
    pub json: bool,
}

/// Where an envelope went, its size, setup and proving seconds.
type Proved = (PathBuf, usize, f64, f64);

pub fn run(a: ProveArgs) -> Result<ExitCode, CliError> {
    let anchor = read_anchor(&a.anchor)?;
    let batch: Batch = read_json(&a.batch)?;
    let history = read_history(a.history.as_deref())?;
    let state = crate::util::state_before(&anchor, &history, &batch)?;
    // The reference STF first: an invalid batch is refused before any prover runs.
    if let Err(e) = anchor.apply(&mut state.clone(), &batch) {
        eprintln!("invalid batch {}: {e}", batch.batch_number);
        return Ok(ExitCode::from(1));
    }
    let systems: Vec<SystemId> = match a.system {
        Which::Halo2 => vec![SystemId::Halo2],
        Which::Plonky2 => vec![SystemId::Plonky2],
        Which::Stark => vec![SystemId::Stark],
        Which::Tee => vec![SystemId::Tee],
        Which::All => anchor
            .configured_systems()
            .into_iter()
            .filter(|s| available().contains(s))
            .collect(),
    };
    let secrets_file = a.secrets.clone().unwrap_or_else(|| secrets_path(&a.anchor));
    let secrets: Secrets = if systems.contains(&SystemId::Tee) {
        read_json(&secrets_file)?
    } else {
        Secrets::default()
    };
    let pb = spinner(
        format!(
            "proving batch {} with {}",
            batch.batch_number,
            names(&systems)
        ),
        a.json,
    );
    let started = Instant::now();
    let results: Vec<(SystemId, Result<Proved, CliError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = systems
            .iter()
            .map(|s| {
                let (anchor, batch, state, secrets, out) =
                    (&anchor, &batch, &state, &secrets, &a.out);
                (
                    *s,
                    scope.spawn(move || -> Result<Proved, CliError> {
                        let t0 = Instant::now();
                        let prover = AnyProver::setup(
                            *s,
                            anchor.profile,
                            anchor.statement_version,
                            false,
                            secrets,
                        )?;
                        check_key(anchor, &prover)?;
                        let setup = t0.elapsed().as_secs_f64();
                        let t1 = Instant::now();
                        let env = prover.prove(state, batch, anchor, 0)?;
                        let prove = t1.elapsed().as_secs_f64();
                        let bytes = env.to_bytes();
                        let path = out.join(format!("batch-{}.{}.env", batch.batch_number, s));
                        write_file(&path, &bytes)?;
                        Ok((path, bytes.len(), setup, prove))
                    }),
                )
            })
            .collect();
        handles
            .into_iter()
            .map(|(s, h)| {
                (
                    s,
                    h.join()
                        .unwrap_or_else(|_| Err(CliError::Usage("prover panicked".into()))),
                )
            })
            .collect()
    });
    pb.finish_and_clear();
    let mut failed = false;
    let mut report = Vec::new();
    for (s, r) in results {
        match r {
            Ok((path, size, setup, prove)) => {
                if !a.json {
                    println!(
                        "{s:8} proved in {prove:7.2} s (setup {setup:.2} s), {size} bytes -> {}",
                        path.display()
                    );
                }
                report.push(serde_json::json!({"system": s, "ok": true, "prove_secs": prove, "setup_secs": setup, "bytes": size, "path": path}));
            }
            Err(e) => {
                failed = true;
                eprintln!("{s:8} FAILED: {e}");
                report.push(serde_json::json!({"system": s, "ok": false, "error": e.to_string()}));
            }
        }
    }
    if a.json {
        println!(
            "{}",
            serde_json::json!({"results": report, "wall_secs": started.elapsed().as_secs_f64()})
        );
    } else {
        println!("all done in {:.2} s", started.elapsed().as_secs_f64());
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A prover's key must be the one the anchor pins, or its proofs are useless.
pub fn check_key(
    anchor: &multiprover_core::TrustAnchor,
    prover: &AnyProver,
) -> Result<(), CliError> {
    let s = prover.system();
    let pinned = anchor
        .key(s)
        .ok_or_else(|| CliError::Usage(format!("the anchor pins no key for {s}")))?;
    if pinned.vk_id != prover.system_key().vk_id {
        return Err(CliError::KeyMismatch {
            system: s,
            prover: prover.system_key().vk_id,
            pinned: pinned.vk_id,
        });
    }
    Ok(())
}

fn names(s: &[SystemId]) -> String {
    s.iter().map(|x| x.name()).collect::<Vec<_>>().join(", ")
}
