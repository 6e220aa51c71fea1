//! `multiprover-bench chain`: builds (once; cached in `--dir`) a chain of full random batches
//! on a profile, proved by every system, and measures each system natively: prover setup,
//! proving (every batch when the chain is generated, `--runs` batches again when it is
//! cached), verification (a fresh verifier's first envelope separately, then every envelope)
//! and proof size; with `--parallel`, the latency of proving one batch with all systems at
//! once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use multiprover_cli::batches::{random_batches, BatchShape};
use multiprover_cli::commands::prove::check_key;
use multiprover_cli::keygen::{make_keys, secrets_path, write_keys, KeyConfig};
use multiprover_cli::systems::{available, AnyProver, Secrets};
use multiprover_cli::util::{
    now_unix, read_anchor, read_bytes, read_json, replay, write_file, Replayed,
};
use multiprover_cli::{parse_system, CliError};
use multiprover_core::{Batch, Envelope, Profile, SystemId, TrustAnchor};

use crate::report::{emit, ChainMeta, ChainReport, ParallelReport, SystemReport};
use crate::stats::median;
use crate::{envelope_path, secs, BALANCE};

/// Arguments of `chain`.
#[derive(Args, Debug)]
pub struct ChainArgs {
    /// Cache directory of the chain (anchor, secrets, batches, envelopes, chain.json).
    #[arg(long)]
    pub dir: PathBuf,
    /// Batches in the chain.
    #[arg(long, default_value_t = 16)]
    pub batches: u64,
    /// Tree depth D.
    #[arg(long, default_value_t = 20)]
    pub depth: u8,
    /// Transfers per batch T (every batch is full).
    #[arg(long, default_value_t = 8)]
    pub capacity: u32,
    /// Systems (default: every system compiled in).
    #[arg(long, value_delimiter = ',', value_parser = parse_system)]
    pub systems: Vec<SystemId>,
    /// Proofs to time per system when the chain is cached (a fresh chain times all of them).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// The same for halo2 (about two minutes per proof at the default profile).
    #[arg(long, default_value_t = 3)]
    pub runs_halo2: usize,
    /// Times each envelope is verified natively.
    #[arg(long, default_value_t = 3)]
    pub verify_reps: usize,
    /// Also prove batch 1 with all systems at once and time it.
    #[arg(long)]
    pub parallel: bool,
    /// Write the JSON report here (default: stdout).
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// The chain to measure, from the cache or freshly built.
struct Chain {
    anchor: multiprover_core::TrustAnchor,
    secrets: Secrets,
    batches: Vec<Batch>,
    /// Every envelope is in the cache already.
    cached: bool,
    /// An interrupted generation is being resumed.
    resume: bool,
}

fn batch_path(dir: &Path, n: u64) -> PathBuf {
    dir.join(format!("batches/batch-{n}.json"))
}

/// Load the cached chain, resume an interrupted generation, or build a new one.
fn open_chain(a: &ChainArgs, meta: &ChainMeta) -> Result<Chain, CliError> {
    let meta_path = a.dir.join("chain.json");
    let cached = read_json::<ChainMeta>(&meta_path).ok().as_ref() == Some(meta)
        && (1..=a.batches).all(|n| {
            meta.systems
                .iter()
                .all(|s| envelope_path(&a.dir, n, *s).exists())
        });
    let anchor_path = a.dir.join("anchor.json");
    // An interrupted generation (same profile, systems and length; chain.json not written
    // yet) is resumed: its envelopes that verify for their batch are kept.
    let mut wanted = meta.systems.clone();
    wanted.sort();
    let resume = !cached
        && read_anchor(&anchor_path).is_ok_and(|an| {
            let mut have = an.configured_systems();
            have.sort();
            an.profile.depth == a.depth && an.profile.capacity == a.capacity && have == wanted
        })
        && secrets_path(&anchor_path).exists()
        && (1..=a.batches).all(|n| batch_path(&a.dir, n).exists());
    if cached || resume {
        eprintln!(
            "bench chain: {} the chain in {}",
            if cached { "using" } else { "resuming" },
            a.dir.display()
        );
        let anchor = read_anchor(&anchor_path)?;
        let secrets: Secrets = read_json(&secrets_path(&anchor_path))?;
        let batches = (1..=a.batches)
            .map(|n| read_json::<Batch>(&batch_path(&a.dir, n)))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Chain {
            anchor,
            secrets,
            batches,
            cached,
            resume,
        });
    }
    eprintln!(
        "bench chain: building a chain of {} full batches (D={}, T={}) in {}",
        a.batches,
        a.depth,
        a.capacity,
        a.dir.display()
    );
    let _ = std::fs::remove_dir_all(&a.dir);
    std::fs::create_dir_all(&a.dir).map_err(|e| CliError::io(&a.dir, e))?;
    let profile = Profile {
        depth: a.depth,
        capacity: a.capacity,
    };
    let (anchor, secrets) = make_keys(&KeyConfig {
        systems: meta.systems.clone(),
        ..KeyConfig::funded(profile, 16, BALANCE)
    })?;
    write_keys(&anchor_path, &anchor, &secrets)?;
    let batches = random_batches(&anchor, a.batches, BatchShape::Full)?;
    for b in &batches {
        write_file(
            &batch_path(&a.dir, b.batch_number),
            serde_json::to_string_pretty(b)
                .unwrap_or_default()
                .as_bytes(),
        )?;
    }
    Ok(Chain {
        anchor,
        secrets,
        batches,
        cached: false,
        resume: false,
    })
}

/// Run `chain`.
pub fn run(a: ChainArgs) -> Result<(), CliError> {
    let systems: Vec<SystemId> = if a.systems.is_empty() {
        available()
    } else {
        a.systems.clone()
    };
    if let Some(s) = systems.iter().find(|s| !available().contains(s)) {
        return Err(CliError::Unavailable(format!(
            "this binary was built without the {s} prover"
        )));
    }
    if a.batches == 0 {
        return Err(CliError::Usage("--batches must be at least 1".into()));
    }
    let meta = ChainMeta {
        version: env!("CARGO_PKG_VERSION").to_string(),
        depth: a.depth,
        capacity: a.capacity,
        batches: a.batches,
        systems: systems.clone(),
    };
    let chain = open_chain(&a, &meta)?;
    let Chain {
        anchor,
        secrets,
        batches,
        cached,
        resume,
    } = &chain;
    let Replayed {
        pre_states: pre,
        statements,
    } = replay(anchor, batches)?;
    // An envelope left by an interrupted run counts if it verifies for its batch.
    let now = now_unix();
    let kept = |s: SystemId, i: usize| -> bool {
        read_bytes(&envelope_path(&a.dir, i as u64 + 1, s))
            .ok()
            .and_then(|bytes| multiprover_verifier::verify_envelope_bytes(anchor, &bytes, now).ok())
            .is_some_and(|e| e.system == s && e.statement == statements[i])
    };

    let mut per_system = BTreeMap::new();
    let mut provers = Vec::new();
    for &s in &systems {
        let t = Instant::now();
        let prover = AnyProver::setup(s, anchor.profile, anchor.statement_version, false, secrets)?;
        check_key(anchor, &prover)?;
        let setup = secs(t);
        eprintln!("  {s:8} prover ready in {setup:.2} s");
        let runs = if s == SystemId::Halo2 {
            a.runs_halo2
        } else {
            a.runs
        };
        let to_prove = if *cached {
            runs.min(batches.len())
        } else {
            batches.len()
        };
        let mut prove = Vec::new();
        for (i, (b, st)) in batches.iter().zip(&pre).take(to_prove).enumerate() {
            if *resume && kept(s, i) {
                eprintln!(
                    "  {s:8} batch {:2} kept from the interrupted run",
                    b.batch_number
                );
                continue;
            }
            let t = Instant::now();
            let env = prover.prove(st, b, anchor, 0)?;
            prove.push(secs(t));
            let bytes = env.to_bytes();
            eprintln!(
                "  {s:8} batch {:2} proved in {:8.3} s ({} B)",
                b.batch_number,
                secs(t),
                bytes.len()
            );
            if !*cached {
                write_file(&envelope_path(&a.dir, b.batch_number, s), &bytes)?;
            }
        }
        // Sizes from the chain's last envelope (proof sizes do not depend on the batch).
        let last = read_bytes(&envelope_path(&a.dir, a.batches, s))?;
        let proof_bytes = Envelope::from_bytes(&last)
            .map(|e| e.proof.len())
            .unwrap_or(0);
        per_system.insert(
            s,
            SystemReport {
                setup_secs: setup,
                prove_secs: prove,
                proof_bytes,
                envelope_bytes: last.len(),
                ..SystemReport::default()
            },
        );
        if a.parallel {
            provers.push(prover);
        }
    }
    if !*cached {
        write_file(
            &a.dir.join("chain.json"),
            serde_json::to_string_pretty(&meta)
                .unwrap_or_default()
                .as_bytes(),
        )?;
    }

    for &s in &systems {
        if let Some(r) = per_system.get_mut(&s) {
            verify_natively(&a, anchor, s, now, r)?;
        }
    }

    let parallel = if a.parallel && !provers.is_empty() {
        Some(prove_at_once(&provers, &pre[0], &batches[0], anchor)?)
    } else {
        None
    };
    let report = ChainReport {
        chain: meta,
        dir: a.dir.clone(),
        generated_now: !*cached,
        threads: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        systems: per_system,
        parallel,
    };
    emit(&report, a.report.as_deref())
}

/// Native verification of every envelope of the chain; the first one separately (a fresh
/// halo2 verifier rebuilds its key, unless a resumed run already did). halo2 is also
/// batch-verified: the whole chain's proofs in one `BatchVerifier` check.
fn verify_natively(
    a: &ChainArgs,
    anchor: &multiprover_core::TrustAnchor,
    s: SystemId,
    now: u64,
    out: &mut SystemReport,
) -> Result<(), CliError> {
    let envs = (1..=a.batches)
        .map(|n| read_bytes(&envelope_path(&a.dir, n, s)))
        .collect::<Result<Vec<_>, _>>()?;
    let verify = |bytes: &[u8]| -> Result<f64, CliError> {
        let t = Instant::now();
        multiprover_verifier::verify_envelope_bytes(anchor, bytes, now)?;
        Ok(secs(t) * 1e3)
    };
    let first = verify(&envs[0])?;
    let mut times = Vec::new();
    for _ in 0..a.verify_reps.max(1) {
        for e in &envs {
            times.push(verify(e)?);
        }
    }
    eprintln!(
        "  {s:8} verified natively: first {first:.2} ms, median {:.3} ms",
        median(&times)
    );
    out.verify_first_ms = first;
    out.verify_ms = times;
    if s == SystemId::Halo2 {
        let parsed = envs
            .iter()
            .map(|b| Envelope::from_bytes(b))
            .collect::<Result<Vec<_>, _>>()?;
        let mut batched = Vec::new();
        for _ in 0..a.verify_reps.max(1) {
            let t = Instant::now();
            let results = multiprover_verifier::verify_envelopes(anchor, &parsed, now);
            batched.push(secs(t) * 1e3);
            if let Some(e) = results.into_iter().find_map(|r| r.err()) {
                return Err(CliError::Verify(e));
            }
        }
        eprintln!(
            "  {s:8} batch-verified natively: {} proofs in {:.1} ms (median)",
            parsed.len(),
            median(&batched)
        );
        out.verify_batched_ms = Some(batched);
        out.verify_batched_count = Some(parsed.len());
    }
    Ok(())
}

/// Prove one batch with every prover at the same time (one thread each).
fn prove_at_once(
    provers: &[AnyProver],
    pre: &multiprover_core::SparseMerkleTree,
    batch: &Batch,
    anchor: &TrustAnchor,
) -> Result<ParallelReport, CliError> {
    eprintln!("  proving batch 1 with all systems at once");
    let t = Instant::now();
    let done: Vec<(SystemId, Result<f64, CliError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = provers
            .iter()
            .map(|p| {
                let t = &t;
                (
                    p.system(),
                    scope.spawn(move || -> Result<f64, CliError> {
                        p.prove(pre, batch, anchor, 0)?;
                        Ok(secs(*t))
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
    let wall_secs = secs(t);
    let mut done_secs = BTreeMap::new();
    for (s, r) in done {
        done_secs.insert(s, r?);
    }
    eprintln!("  all systems at once: {wall_secs:.2} s ({done_secs:?})");
    Ok(ParallelReport {
        wall_secs,
        done_secs,
    })
}
