//! `multiprover bench`: the native half of `npm run bench` (bench/run.mjs drives it and the
//! browser half).
//!
//! * `bench chain` builds (once; cached in `--dir`) a chain of full random batches on a
//!   profile, proved by every system, and measures each system natively: prover setup,
//!   proving (every batch when the chain is generated, `--runs` batches again when it is
//!   cached), verification (a fresh verifier's first envelope separately, then every
//!   envelope) and proof size; with `--parallel`, the latency of proving one batch with all
//!   systems at once.
//! * `bench serve` loads a cached chain into a fresh node through its HTTP API and serves it
//!   (and the static files) until stdin closes: the browser's light client syncs from it.
//! * `bench load` measures a release node under loopback load: a fresh node with a TEE-only
//!   anchor, many attested batches, envelope submissions and batch-record reads from
//!   concurrent clients; it checks that every accepted envelope is retrievable afterwards.
//!
//! Every figure is written as JSON (`--report`, or stdout).

use std::collections::BTreeMap;
use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use clap::{Args, Subcommand};
use multiprover_core::{apply_batch, genesis_tree, Batch, SparseMerkleTree, SystemId, TrustAnchor};
use multiprover_node::client::Client;
use serde_json::{json, Value};

use crate::commands::devnet::random_batches;
use crate::commands::keys::{make_keys, secrets_path, write_keys, KeysArgs, PolicyChoice};
use crate::commands::prove::check_key;
use crate::error::CliError;
use crate::parse_system;
use crate::systems::{available, AnyProver, Secrets};
use crate::util::{now_unix, read_anchor, read_bytes, read_json, write_file};

#[derive(Args, Debug)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub what: BenchCommand,
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Build (or reuse) a proved chain in --dir and measure every system natively.
    Chain(ChainArgs),
    /// Load a cached chain into a fresh node and serve it until stdin closes.
    Serve(ServeArgs),
    /// Envelope submissions and batch-record reads per second against a fresh node.
    Load(LoadArgs),
}

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

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Cache directory written by `bench chain`.
    #[arg(long)]
    pub dir: PathBuf,
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Static files to serve beside the API (the repository root for pkg/ and bench/).
    #[arg(long = "static")]
    pub static_dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct LoadArgs {
    /// Scratch directory (anchor, database).
    #[arg(long)]
    pub dir: PathBuf,
    /// Attested batches, one envelope each, submitted concurrently.
    #[arg(long, default_value_t = 400)]
    pub batches: u64,
    /// Batch-record reads.
    #[arg(long, default_value_t = 4000)]
    pub reads: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 8)]
    pub clients: usize,
    /// Tree depth D.
    #[arg(long, default_value_t = 20)]
    pub depth: u8,
    /// Transfers per batch T.
    #[arg(long, default_value_t = 8)]
    pub capacity: u32,
    /// Write the JSON report here (default: stdout).
    #[arg(long)]
    pub report: Option<PathBuf>,
}

pub fn run(a: BenchArgs) -> Result<ExitCode, CliError> {
    match a.what {
        BenchCommand::Chain(c) => chain(c),
        BenchCommand::Serve(s) => serve(s),
        BenchCommand::Load(l) => load(l),
    }
}

fn emit(report: &Value, path: Option<&Path>) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(report).unwrap_or_default();
    match path {
        Some(p) => write_file(p, text.as_bytes()),
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn envelope_path(dir: &Path, n: u64, s: SystemId) -> PathBuf {
    dir.join("envelopes")
        .join(format!("batch-{n}.{}.env", s.name()))
}

/// What identifies a cached chain: a chain built by another binary version, profile or set
/// of systems is rebuilt.
fn chain_meta(a: &ChainArgs, systems: &[SystemId]) -> Value {
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "depth": a.depth,
        "capacity": a.capacity,
        "batches": a.batches,
        "systems": systems,
    })
}

fn chain(a: ChainArgs) -> Result<ExitCode, CliError> {
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
    let meta = chain_meta(&a, &systems);
    let meta_path = a.dir.join("chain.json");
    let cached = read_json::<Value>(&meta_path).ok().as_ref() == Some(&meta)
        && (1..=a.batches).all(|n| {
            systems
                .iter()
                .all(|s| envelope_path(&a.dir, n, *s).exists())
        });
    let anchor_path = a.dir.join("anchor.json");
    // An interrupted generation (same profile, systems and length; chain.json not written
    // yet) is resumed: its envelopes that verify for their batch are kept.
    let mut wanted = systems.clone();
    wanted.sort();
    let resume = !cached
        && read_anchor(&anchor_path).is_ok_and(|an| {
            let mut have = an.configured_systems();
            have.sort();
            an.profile.depth == a.depth && an.profile.capacity == a.capacity && have == wanted
        })
        && secrets_path(&anchor_path).exists()
        && (1..=a.batches).all(|n| a.dir.join(format!("batches/batch-{n}.json")).exists());
    let (anchor, secrets, batches) = if cached || resume {
        eprintln!(
            "bench chain: {} the chain in {}",
            if cached { "using" } else { "resuming" },
            a.dir.display()
        );
        let anchor = read_anchor(&anchor_path)?;
        let secrets: Secrets = read_json(&secrets_path(&anchor_path))?;
        let batches = (1..=a.batches)
            .map(|n| read_json::<Batch>(&a.dir.join(format!("batches/batch-{n}.json"))))
            .collect::<Result<Vec<_>, _>>()?;
        (anchor, secrets, batches)
    } else {
        eprintln!(
            "bench chain: building a chain of {} full batches (D={}, T={}) in {}",
            a.batches,
            a.depth,
            a.capacity,
            a.dir.display()
        );
        let _ = std::fs::remove_dir_all(&a.dir);
        std::fs::create_dir_all(&a.dir).map_err(|e| CliError::io(&a.dir, e))?;
        let (anchor, secrets) = make_keys(&KeysArgs {
            out: anchor_path.clone(),
            chain_id: 7,
            depth: a.depth,
            capacity: a.capacity,
            accounts: 16,
            balance: 1_000_000_000_000,
            genesis: None,
            systems: systems.clone(),
            faulty: None,
            policy: PolicyChoice::Default,
            json: false,
        })?;
        write_keys(&anchor_path, &anchor, &secrets)?;
        let batches = random_batches(&anchor, a.batches, true, false)?;
        for b in &batches {
            write_file(
                &a.dir.join(format!("batches/batch-{}.json", b.batch_number)),
                serde_json::to_string_pretty(b)
                    .unwrap_or_default()
                    .as_bytes(),
            )?;
        }
        (anchor, secrets, batches)
    };
    // The state before each batch.
    let mut state: SparseMerkleTree = genesis_tree(anchor.profile.depth, &anchor.genesis)?;
    let mut pre = Vec::new();
    let mut statements = Vec::new();
    for b in &batches {
        pre.push(state.clone());
        statements.push(apply_batch(&mut state, b, anchor.profile)?.statement);
    }
    // An envelope left by an interrupted run counts if it verifies for its batch.
    let now = now_unix();
    let kept = |s: SystemId, i: usize| -> bool {
        read_bytes(&envelope_path(&a.dir, i as u64 + 1, s))
            .ok()
            .and_then(|bytes| {
                multiprover_verifier::verify_envelope_bytes(&anchor, &bytes, now).ok()
            })
            .is_some_and(|e| e.system == s && e.statement == statements[i])
    };

    let mut per_system = BTreeMap::new();
    let mut provers = Vec::new();
    for &s in &systems {
        let t = Instant::now();
        let prover = AnyProver::setup(s, anchor.profile, false, &secrets)?;
        check_key(&anchor, &prover)?;
        let setup = secs(t);
        eprintln!("  {s:8} prover ready in {setup:.2} s");
        let runs = if s == SystemId::Halo2 {
            a.runs_halo2
        } else {
            a.runs
        };
        let to_prove = if cached {
            runs.min(batches.len())
        } else {
            batches.len()
        };
        let mut prove = Vec::new();
        for (i, (b, st)) in batches.iter().zip(&pre).take(to_prove).enumerate() {
            if resume && kept(s, i) {
                eprintln!(
                    "  {s:8} batch {:2} kept from the interrupted run",
                    b.batch_number
                );
                continue;
            }
            let t = Instant::now();
            let env = prover.prove(st, b, anchor.profile, 0)?;
            prove.push(secs(t));
            let bytes = env.to_bytes();
            eprintln!(
                "  {s:8} batch {:2} proved in {:8.3} s ({} B)",
                b.batch_number,
                secs(t),
                bytes.len()
            );
            if !cached {
                write_file(&envelope_path(&a.dir, b.batch_number, s), &bytes)?;
            }
        }
        // Sizes from the chain's last envelope (proof sizes do not depend on the batch).
        let last = read_bytes(&envelope_path(&a.dir, a.batches, s))?;
        let proof_bytes = multiprover_core::Envelope::from_bytes(&last)
            .map(|e| e.proof.len())
            .unwrap_or(0);
        per_system.insert(
            s,
            json!({"setup_secs": setup, "prove_secs": prove, "proof_bytes": proof_bytes, "envelope_bytes": last.len()}),
        );
        if a.parallel {
            provers.push(prover);
        }
    }
    if !cached {
        write_file(
            &meta_path,
            serde_json::to_string_pretty(&meta)
                .unwrap_or_default()
                .as_bytes(),
        )?;
    }

    // Native verification of every envelope of the chain; the first one separately (a fresh
    // halo2 verifier rebuilds its key, unless a resumed run already did).
    for &s in &systems {
        let envs = (1..=a.batches)
            .map(|n| read_bytes(&envelope_path(&a.dir, n, s)))
            .collect::<Result<Vec<_>, _>>()?;
        let verify = |bytes: &[u8]| -> Result<f64, CliError> {
            let t = Instant::now();
            multiprover_verifier::verify_envelope_bytes(&anchor, bytes, now)
                .map_err(|e| CliError::Usage(format!("a cached envelope does not verify: {e}")))?;
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
        if let Some(Value::Object(o)) = per_system.get_mut(&s) {
            o.insert("verify_first_ms".into(), json!(first));
            o.insert("verify_ms".into(), json!(times));
        }
        // halo2 also batch-verified: the whole chain's proofs in one BatchVerifier check.
        if s == SystemId::Halo2 {
            let parsed = envs
                .iter()
                .map(|b| multiprover_core::Envelope::from_bytes(b))
                .collect::<Result<Vec<_>, _>>()?;
            let mut batched = Vec::new();
            for _ in 0..a.verify_reps.max(1) {
                let t = Instant::now();
                let results = multiprover_verifier::verify_envelopes(&anchor, &parsed, now);
                batched.push(secs(t) * 1e3);
                if let Some(e) = results.into_iter().find_map(|r| r.err()) {
                    return Err(CliError::Usage(format!(
                        "batch verification rejected a cached envelope: {e}"
                    )));
                }
            }
            eprintln!(
                "  {s:8} batch-verified natively: {} proofs in {:.1} ms (median)",
                parsed.len(),
                median(&batched)
            );
            if let Some(Value::Object(o)) = per_system.get_mut(&s) {
                o.insert("verify_batched_ms".into(), json!(batched));
                o.insert("verify_batched_count".into(), json!(parsed.len()));
            }
        }
    }

    let mut report = json!({
        "chain": meta,
        "dir": a.dir,
        "generated_now": !cached,
        "threads": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "systems": per_system,
    });
    if a.parallel && !provers.is_empty() {
        eprintln!("  proving batch 1 with all systems at once");
        let t = Instant::now();
        let done: Vec<(SystemId, Result<f64, CliError>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = provers
                .iter()
                .map(|p| {
                    let (st, b, anchor) = (&pre[0], &batches[0], &anchor);
                    let t = &t;
                    (
                        p.system(),
                        scope.spawn(move || -> Result<f64, CliError> {
                            p.prove(st, b, anchor.profile, 0)?;
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
        let wall = secs(t);
        let mut each = BTreeMap::new();
        for (s, r) in done {
            each.insert(s, r?);
        }
        eprintln!("  all systems at once: {wall:.2} s ({each:?})");
        report["parallel"] = json!({"wall_secs": wall, "done_secs": each});
    }
    emit(&report, a.report.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

fn median(v: &[f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let m = s.len() / 2;
    if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    }
}

fn percentile(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let i = ((s.len() - 1) as f64 * p).round() as usize;
    s[i.min(s.len() - 1)]
}

/// A fresh node database under `dir`.
fn fresh_db(dir: &Path) -> Result<PathBuf, CliError> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
    let db = dir.join("node.db");
    for stale in ["node.db", "node.db-wal", "node.db-shm"] {
        let _ = std::fs::remove_file(dir.join(stale));
    }
    Ok(db)
}

fn serve(a: ServeArgs) -> Result<ExitCode, CliError> {
    let meta: Value = read_json(&a.dir.join("chain.json"))?;
    let anchor_path = a.dir.join("anchor.json");
    let json_text = String::from_utf8(read_bytes(&anchor_path)?)
        .map_err(|_| CliError::Usage("anchor is not UTF-8".into()))?;
    let anchor = TrustAnchor::from_json(json_text.as_bytes())?;
    let n = meta["batches"].as_u64().unwrap_or(0);
    let systems: Vec<SystemId> = serde_json::from_value(meta["systems"].clone())
        .map_err(|e| CliError::Usage(format!("bad chain.json: {e}")))?;
    let db = fresh_db(&a.dir.join("serve"))?;
    let cfg =
        crate::commands::node::config(anchor.clone(), json_text, db, a.listen, a.static_dir, 60);
    let node = multiprover_node::spawn(cfg, multiprover_node::default_verifier())?;
    let url = format!("http://{}", node.addr());
    let client = Client::new(&url);
    let t = Instant::now();
    let mut count = 0;
    for i in 1..=n {
        let b: Batch = read_json(&a.dir.join(format!("batches/batch-{i}.json")))?;
        client.propose(&b)?;
        for &s in &systems {
            client.submit(&read_bytes(&envelope_path(&a.dir, i, s))?)?;
            count += 1;
        }
    }
    let finals = client
        .batches()?
        .iter()
        .filter(|b| b.status == multiprover_core::BatchStatus::Final)
        .count();
    eprintln!(
        "bench serve: {n} batches, {count} envelopes loaded (each verified by the node) in {:.2} s; {finals} final",
        secs(t)
    );
    println!(
        "READY {}",
        json!({"url": url, "anchor_hash": anchor.hash(), "batches": n, "envelopes": count, "final": finals, "load_secs": secs(t)})
    );
    // Serve until stdin closes (the driving script ends or closes the pipe).
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    node.shutdown();
    Ok(ExitCode::SUCCESS)
}

fn load(a: LoadArgs) -> Result<ExitCode, CliError> {
    std::fs::create_dir_all(&a.dir).map_err(|e| CliError::io(&a.dir, e))?;
    let anchor_path = a.dir.join("anchor.json");
    let (anchor, secrets) = make_keys(&KeysArgs {
        out: anchor_path.clone(),
        chain_id: 7,
        depth: a.depth,
        capacity: a.capacity,
        accounts: 16,
        balance: 1_000_000_000_000,
        genesis: None,
        systems: vec![SystemId::Tee],
        faulty: None,
        policy: PolicyChoice::Default,
        json: false,
    })?;
    write_keys(&anchor_path, &anchor, &secrets)?;
    let t = Instant::now();
    let batches = random_batches(&anchor, a.batches, true, false)?;
    let enclave = AnyProver::setup(SystemId::Tee, anchor.profile, false, &secrets)?;
    let mut state = genesis_tree(anchor.profile.depth, &anchor.genesis)?;
    let mut envelopes = Vec::new();
    for b in &batches {
        envelopes.push(enclave.prove(&state, b, anchor.profile, 0)?.to_bytes());
        apply_batch(&mut state, b, anchor.profile)?;
    }
    eprintln!(
        "bench load: {} full batches attested in {:.2} s",
        batches.len(),
        secs(t)
    );

    let json_text = anchor.to_json_pretty();
    let db = fresh_db(&a.dir.join("db"))?;
    let cfg = crate::commands::node::config(
        anchor.clone(),
        json_text,
        db,
        "127.0.0.1:0".parse().expect("address"),
        None,
        60,
    );
    let node = multiprover_node::spawn(cfg, multiprover_node::default_verifier())?;
    let url = format!("http://{}", node.addr());
    let client = Client::new(&url);

    let t = Instant::now();
    for b in &batches {
        client.propose(b)?;
    }
    let propose_secs = secs(t);

    // Concurrent submissions: each client takes the next envelope.
    let next = AtomicUsize::new(0);
    let errors = AtomicUsize::new(0);
    let lat = Mutex::new(Vec::new());
    let t = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..a.clients.max(1) {
            scope.spawn(|| {
                let c = Client::new(&url);
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(e) = envelopes.get(i) else { break };
                    let t = Instant::now();
                    if c.submit(e).is_err() {
                        errors.fetch_add(1, Ordering::SeqCst);
                    }
                    mine.push(secs(t) * 1e3);
                }
                lat.lock().map(|mut l| l.extend(mine)).ok();
            });
        }
    });
    let submit_secs = secs(t);
    let submit_lat = lat.into_inner().unwrap_or_default();
    let submit_errors = errors.load(Ordering::SeqCst);

    // Nothing lost: every batch is final with its one TEE proof.
    let mut lost = 0;
    for b in &batches {
        match client.record(b.batch_number) {
            Ok(r) if r.envelopes.len() == 1 => {}
            _ => lost += 1,
        }
    }

    let next = AtomicUsize::new(0);
    let errors = AtomicUsize::new(0);
    let lat = Mutex::new(Vec::new());
    let n = batches.len() as u64;
    let t = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..a.clients.max(1) {
            scope.spawn(|| {
                let c = Client::new(&url);
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= a.reads {
                        break;
                    }
                    let t = Instant::now();
                    if c.record(i as u64 % n + 1).is_err() {
                        errors.fetch_add(1, Ordering::SeqCst);
                    }
                    mine.push(secs(t) * 1e3);
                }
                lat.lock().map(|mut l| l.extend(mine)).ok();
            });
        }
    });
    let read_secs = secs(t);
    let read_lat = lat.into_inner().unwrap_or_default();
    let read_errors = errors.load(Ordering::SeqCst);
    node.shutdown();

    let report = json!({
        "profile": {"depth": a.depth, "capacity": a.capacity},
        "clients": a.clients,
        "propose": {"count": batches.len(), "secs": propose_secs, "per_sec": batches.len() as f64 / propose_secs},
        "submit": {"count": envelopes.len(), "errors": submit_errors, "secs": submit_secs,
                   "per_sec": envelopes.len() as f64 / submit_secs,
                   "p50_ms": median(&submit_lat), "p99_ms": percentile(&submit_lat, 0.99)},
        "lost": lost,
        "read": {"count": a.reads, "errors": read_errors, "secs": read_secs,
                 "per_sec": a.reads as f64 / read_secs,
                 "p50_ms": median(&read_lat), "p99_ms": percentile(&read_lat, 0.99)},
    });
    eprintln!(
        "bench load: {} submissions in {submit_secs:.2} s ({:.0}/s, {submit_errors} errors, {lost} lost); {} reads in {read_secs:.2} s ({:.0}/s, {read_errors} errors)",
        envelopes.len(),
        envelopes.len() as f64 / submit_secs,
        a.reads,
        a.reads as f64 / read_secs
    );
    emit(&report, a.report.as_deref())?;
    Ok(if submit_errors + read_errors + lost == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
