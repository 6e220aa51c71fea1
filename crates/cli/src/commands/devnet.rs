use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use multiprover_core::{Profile, SystemId};
use multiprover_node::client::Client;

use crate::batches::{random_signed_batches, BatchShape};
use crate::error::CliError;
use crate::keygen::{
    funded_accounts, make_keys, secrets_path, write_keys, KeyConfig, PolicyChoice,
};
use crate::parse_system;
use crate::util::{bar, write_file};

#[derive(Args, Debug)]
pub struct DevnetArgs {
    /// Working directory (anchor, secrets, database, batches, worker logs).
    #[arg(long, default_value = ".devnet")]
    pub dir: PathBuf,
    /// Number of random valid batches to propose.
    #[arg(long, default_value_t = 4)]
    pub batches: u64,
    /// Address for the node and the demo page.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Run SYSTEM with its deliberately unsound prover (pinned as its key in this devnet's
    /// anchor), proving inflated post roots: the batch must end in Conflict, never Final.
    #[arg(long, value_parser = parse_system)]
    pub faulty: Option<SystemId>,
    /// Tree depth D.
    #[arg(long, default_value_t = 20)]
    pub depth: u8,
    /// Batch capacity T.
    #[arg(long, default_value_t = 8)]
    pub capacity: u32,
    /// Funded accounts.
    #[arg(long, default_value_t = 16)]
    pub accounts: u32,
    /// Systems to run (default: all this binary has).
    #[arg(long, value_delimiter = ',', value_parser = parse_system)]
    pub systems: Vec<SystemId>,
    /// Systems whose worker is not started (to show a silent system).
    #[arg(long, value_delimiter = ',', value_parser = parse_system)]
    pub no_worker: Vec<SystemId>,
    /// Directory of the demo's static files (index.html, app/, pkg/); nothing outside it and no
    /// dot-file inside it is served.
    #[arg(long = "static", default_value = "site")]
    pub static_dir: PathBuf,
    /// Statement version the anchor pins: 1 (unsigned transfers; every system) or 2 (signed
    /// transfers; the genesis accounts get keys, kept in the secrets file; only systems that
    /// prove v2 can be pinned: today the tee). Under v2 the devnet signs its random
    /// transfers with the genesis keys and proposes the transfers users queue at the node
    /// (`multiprover transfer`) as further batches.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub statement_version: u8,
    /// Policy of this devnet's anchor.
    #[arg(long, value_enum, default_value_t = PolicyChoice::Default)]
    pub policy: PolicyChoice,
    /// Exit once every batch is settled (final or halted) instead of serving until Ctrl-C.
    #[arg(long)]
    pub exit_when_settled: bool,
    /// Give up after this many seconds (with --exit-when-settled).
    #[arg(long, default_value_t = 1800)]
    pub timeout: u64,
}

struct Workers(Vec<(SystemId, Child)>);

impl Drop for Workers {
    fn drop(&mut self) {
        for (_, c) in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

static STOP: AtomicBool = AtomicBool::new(false);

pub fn run(a: DevnetArgs) -> Result<ExitCode, CliError> {
    // Ctrl-C / SIGTERM: stop the workers and the node cleanly.
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
    std::fs::create_dir_all(&a.dir).map_err(|e| CliError::io(&a.dir, e))?;
    let anchor_path = a.dir.join("anchor.json");
    let db = a.dir.join("node.db");
    for stale in [
        db.clone(),
        a.dir.join("node.db-wal"),
        a.dir.join("node.db-shm"),
    ] {
        let _ = std::fs::remove_file(stale);
    }
    eprintln!(
        "multiprover devnet: generating keys (profile D={}, T={})",
        a.depth, a.capacity
    );
    let keys = KeyConfig {
        chain_id: 7,
        profile: Profile {
            depth: a.depth,
            capacity: a.capacity,
        },
        statement_version: crate::statement_version(a.statement_version)?,
        genesis: funded_accounts(a.accounts, 1_000_000_000_000),
        systems: a.systems.clone(),
        faulty: a.faulty,
        policy: a.policy,
        quiet: false,
    };
    let (anchor, secrets) = make_keys(&keys)?;
    write_keys(&anchor_path, &anchor, &secrets)?;
    eprintln!(
        "  anchor {} (hash {})",
        anchor_path.display(),
        anchor.hash()
    );

    let json = anchor.to_json_pretty();
    let site = a
        .static_dir
        .join("index.html")
        .is_file()
        .then(|| a.static_dir.clone());
    if site.is_none() {
        eprintln!(
            "  no {} here: the node serves the API only (run from the repository root, or pass --static)",
            a.static_dir.join("index.html").display()
        );
    }
    let cfg = crate::commands::node::config(anchor.clone(), json, db, a.listen, site, 60);
    let node = multiprover_node::spawn(cfg, multiprover_node::default_verifier())?;
    let url = format!("http://{}/", node.addr());
    println!("multiprover devnet: node and light-client demo at {url}");

    let exe = std::env::current_exe().map_err(|e| CliError::Usage(e.to_string()))?;
    let mut workers = Workers(Vec::new());
    for s in anchor.configured_systems() {
        if a.no_worker.contains(&s) {
            eprintln!("  {s:8} worker not started (--no-worker)");
            continue;
        }
        let log = a.dir.join(format!("worker-{s}.log"));
        let file = std::fs::File::create(&log).map_err(|e| CliError::io(&log, e))?;
        let mut cmd = Command::new(&exe);
        cmd.args(["worker", "--system", s.name(), "--node", &url])
            .arg("--secrets")
            .arg(secrets_path(&anchor_path))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(file));
        if a.faulty == Some(s) {
            cmd.arg("--faulty");
        }
        let child = cmd
            .spawn()
            .map_err(|e| CliError::Usage(format!("cannot start the {s} worker: {e}")))?;
        eprintln!(
            "  {s:8} worker started{} (log {})",
            if a.faulty == Some(s) { ", FAULTY" } else { "" },
            log.display()
        );
        workers.0.push((s, child));
    }

    let client = Client::new(&url);
    let sequencer = multiprover_node::Sequencer::new(
        secrets
            .sequencer_key
            .ok_or_else(|| CliError::Usage("no sequencer key was generated".into()))?,
        &anchor,
    )?;
    // Under statement v2 the random transfers are signed with the genesis keys.
    let batches = random_signed_batches(
        &anchor,
        a.batches,
        if a.faulty.is_some() {
            BatchShape::Large
        } else {
            BatchShape::Random
        },
        &|i| secrets.account_key(i),
    )?;
    for b in &batches {
        write_file(
            &a.dir.join(format!("batches/batch-{}.json", b.batch_number)),
            serde_json::to_string_pretty(b)
                .unwrap_or_default()
                .as_bytes(),
        )?;
        client.propose(b, &sequencer)?;
    }
    eprintln!("  proposed {} batches", batches.len());

    let pb = bar(a.batches, "waiting for proofs", false);
    let started = Instant::now();
    let mut settled_report = false;
    let mut user_batches = 0u64;
    loop {
        // The sequencer's second source of transfers: what users queued at the node
        // (`POST /api/transfers`, statement v2), proposed as the next batch.
        if let Some(b) = node.take_batch() {
            match client.propose(&b, &sequencer) {
                Ok(_) => {
                    user_batches += 1;
                    pb.set_length(a.batches + user_batches);
                    eprintln!(
                        "  proposed batch {} with {} user transfers",
                        b.batch_number,
                        b.transfers.len()
                    );
                }
                Err(e) => eprintln!(
                    "  user batch {} refused ({e}); its transfers are dropped",
                    b.batch_number
                ),
            }
        }
        if let Ok(list) = client.batches() {
            let finals = list
                .iter()
                .filter(|b| b.status == multiprover_core::BatchStatus::Final)
                .count() as u64;
            let halted: Vec<u64> = list
                .iter()
                .filter(|b| b.status == multiprover_core::BatchStatus::Halted)
                .map(|b| b.batch_number)
                .collect();
            pb.set_position(finals);
            let proofs: usize = list.iter().map(|b| b.proofs.len()).sum();
            pb.set_message(format!("final; {proofs} proofs in; halted: {halted:?}"));
            let settled = finals == a.batches + user_batches
                || !halted.is_empty()
                    && a.faulty.is_some()
                    && list
                        .iter()
                        .all(|b| b.status != multiprover_core::BatchStatus::Final);
            if settled && !settled_report {
                settled_report = true;
                pb.finish_with_message(if halted.is_empty() {
                    "every batch final".to_string()
                } else {
                    format!("CONFLICT: batches {halted:?} halted")
                });
                println!("multiprover devnet: settled; demo at {url}");
                let summary: Vec<serde_json::Value> = list
                    .iter()
                    .map(|b| serde_json::json!({"batch_number": b.batch_number, "status": b.status, "systems": b.proofs.iter().map(|p| p.system).collect::<Vec<_>>()}))
                    .collect();
                println!("SUMMARY {}", serde_json::Value::Array(summary));
                if a.exit_when_settled {
                    break;
                }
            }
        }
        for (s, c) in &mut workers.0 {
            if let Ok(Some(status)) = c.try_wait() {
                eprintln!("  {s} worker exited ({status}); see its log");
            }
        }
        if a.exit_when_settled && started.elapsed() > Duration::from_secs(a.timeout) {
            eprintln!("devnet: timed out after {} s", a.timeout);
            return Ok(ExitCode::from(1));
        }
        if STOP.load(Ordering::SeqCst) {
            eprintln!("devnet: stopping");
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    drop(workers);
    node.shutdown();
    Ok(ExitCode::SUCCESS)
}
