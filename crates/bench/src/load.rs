//! `multiprover-bench load`: a node under loopback load. A fresh node with a TEE-only anchor,
//! many attested batches, envelope submissions and batch-record reads from concurrent
//! clients; every accepted envelope must be retrievable afterwards.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use clap::Args;
use multiprover_cli::batches::{random_batches, BatchShape};
use multiprover_cli::commands::node;
use multiprover_cli::keygen::{make_keys, write_keys, KeyConfig};
use multiprover_cli::systems::AnyProver;
use multiprover_cli::util::replay;
use multiprover_cli::CliError;
use multiprover_core::{Profile, SystemId};
use multiprover_node::client::Client;

use crate::report::{emit, LatencyThroughput, LoadReport, Throughput};
use crate::stats::{median, percentile};
use crate::{fresh_db, secs, BALANCE};

/// Arguments of `load`.
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

/// Latencies (milliseconds) and errors of `total` requests spread over `clients` threads;
/// `request(c, i)` sends the `i`-th with client `c`.
fn concurrently(
    url: &str,
    clients: usize,
    total: usize,
    request: impl Fn(&Client, usize) -> bool + Sync,
) -> (Vec<f64>, usize, f64) {
    let next = AtomicUsize::new(0);
    let errors = AtomicUsize::new(0);
    let lat = Mutex::new(Vec::new());
    let t = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..clients.max(1) {
            scope.spawn(|| {
                let c = Client::new(url);
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= total {
                        break;
                    }
                    let t = Instant::now();
                    if !request(&c, i) {
                        errors.fetch_add(1, Ordering::SeqCst);
                    }
                    mine.push(secs(t) * 1e3);
                }
                lat.lock().map(|mut l| l.extend(mine)).ok();
            });
        }
    });
    let elapsed = secs(t);
    (
        lat.into_inner().unwrap_or_default(),
        errors.load(Ordering::SeqCst),
        elapsed,
    )
}

fn latency(count: usize, errors: usize, secs: f64, lat: &[f64]) -> LatencyThroughput {
    LatencyThroughput {
        count,
        errors,
        secs,
        per_sec: count as f64 / secs,
        p50_ms: median(lat),
        p99_ms: percentile(lat, 0.99),
    }
}

/// Run `load`. Returns whether every request succeeded and nothing was lost.
pub fn run(a: LoadArgs) -> Result<bool, CliError> {
    std::fs::create_dir_all(&a.dir).map_err(|e| CliError::io(&a.dir, e))?;
    let anchor_path = a.dir.join("anchor.json");
    let profile = Profile {
        depth: a.depth,
        capacity: a.capacity,
    };
    let (anchor, secrets) = make_keys(&KeyConfig {
        systems: vec![SystemId::Tee],
        ..KeyConfig::funded(profile, 16, BALANCE)
    })?;
    write_keys(&anchor_path, &anchor, &secrets)?;
    let t = Instant::now();
    let batches = random_batches(&anchor, a.batches, BatchShape::Full)?;
    let enclave = AnyProver::setup(
        SystemId::Tee,
        anchor.profile,
        anchor.statement_version,
        false,
        &secrets,
    )?;
    let pre = replay(&anchor, &batches)?.pre_states;
    let mut envelopes = Vec::new();
    for (b, state) in batches.iter().zip(&pre) {
        envelopes.push(enclave.prove(state, b, &anchor, 0)?.to_bytes());
    }
    drop(pre);
    eprintln!(
        "bench load: {} full batches attested in {:.2} s",
        batches.len(),
        secs(t)
    );

    let json_text = anchor.to_json_pretty();
    let db = fresh_db(&a.dir.join("db"))?;
    let listen = "127.0.0.1:0".parse().expect("a socket address");
    let cfg = node::config(anchor.clone(), json_text, db, listen, None, 60);
    let node = multiprover_node::spawn(cfg, multiprover_node::default_verifier())?;
    let url = format!("http://{}", node.addr());
    let client = Client::new(&url);

    let sequencer = multiprover_node::Sequencer::new(
        secrets
            .sequencer_key
            .ok_or_else(|| CliError::Usage("no sequencer key was generated".into()))?,
        &anchor,
    )?;
    let t = Instant::now();
    for b in &batches {
        client.propose(b, &sequencer)?;
    }
    let propose_secs = secs(t);

    // Concurrent submissions: each client takes the next envelope.
    let (submit_lat, submit_errors, submit_secs) =
        concurrently(&url, a.clients, envelopes.len(), |c, i| {
            c.submit(&envelopes[i]).is_ok()
        });

    // Nothing lost: every batch is final with its one TEE proof.
    let lost = batches
        .iter()
        .filter(|b| !matches!(client.record(b.batch_number), Ok(r) if r.envelopes.len() == 1))
        .count();

    let n = batches.len() as u64;
    let (read_lat, read_errors, read_secs) = concurrently(&url, a.clients, a.reads, |c, i| {
        c.record(i as u64 % n + 1).is_ok()
    });
    node.shutdown();

    let report = LoadReport {
        profile,
        clients: a.clients,
        propose: Throughput {
            count: batches.len(),
            secs: propose_secs,
            per_sec: batches.len() as f64 / propose_secs,
        },
        submit: latency(envelopes.len(), submit_errors, submit_secs, &submit_lat),
        lost,
        read: latency(a.reads, read_errors, read_secs, &read_lat),
    };
    eprintln!(
        "bench load: {} submissions in {submit_secs:.2} s ({:.0}/s, {submit_errors} errors, {lost} lost); {} reads in {read_secs:.2} s ({:.0}/s, {read_errors} errors)",
        envelopes.len(),
        envelopes.len() as f64 / submit_secs,
        a.reads,
        a.reads as f64 / read_secs
    );
    emit(&report, a.report.as_deref())?;
    Ok(submit_errors + read_errors + lost == 0)
}
