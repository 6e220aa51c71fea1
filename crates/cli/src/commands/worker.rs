use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use multiprover_core::{genesis_tree, SparseMerkleTree, SystemId, TrustAnchor};
use multiprover_node::client::Client;

use crate::commands::prove::check_key;
use crate::error::CliError;
use crate::parse_system;
use crate::systems::{AnyProver, Secrets};
use crate::util::read_json;

#[derive(Args, Debug)]
pub struct WorkerArgs {
    /// The system this worker proves with.
    #[arg(long, value_parser = parse_system)]
    pub system: SystemId,
    /// The node's base URL.
    #[arg(long)]
    pub node: String,
    /// Secrets file (the enclave key, for --system tee).
    #[arg(long)]
    pub secrets: Option<PathBuf>,
    /// Run the deliberately unsound prover (demo of the conflict path; needs demo-faults).
    #[arg(long)]
    pub faulty: bool,
    /// Exit after this many proofs (default: run until stopped).
    #[arg(long)]
    pub max_proofs: Option<u64>,
    /// Exit when the node has no work for this long (seconds; default: never).
    #[arg(long)]
    pub idle_exit: Option<u64>,
}

/// The extra amount the faulty provers credit (the "minted" money of the demo).
pub const INFLATION: u64 = 1_000_000;

/// The worker's view of the chain: genesis plus the batches it has replayed.
struct Replay {
    anchor: TrustAnchor,
    state: SparseMerkleTree,
    applied: u64,
}

impl Replay {
    fn new(anchor: TrustAnchor) -> Result<Replay, CliError> {
        let state = genesis_tree(anchor.profile.depth, &anchor.genesis)?;
        Ok(Replay {
            anchor,
            state,
            applied: 0,
        })
    }

    /// Bring the state to just before batch `n`, fetching earlier batches from the node. The
    /// worker runs the STF itself: it trusts the node for data, not for results.
    fn advance_to(&mut self, client: &Client, n: u64) -> Result<(), CliError> {
        if self.applied >= n {
            *self = Replay::new(self.anchor.clone())?;
        }
        while self.applied + 1 < n {
            let rec = client.record(self.applied + 1)?;
            self.anchor.apply(&mut self.state, &rec.batch)?;
            self.applied += 1;
        }
        Ok(())
    }
}

pub fn run(a: WorkerArgs) -> Result<ExitCode, CliError> {
    let client = Client::new(&a.node);
    let anchor = client.anchor()?;
    let secrets: Secrets = match (&a.secrets, a.system) {
        (Some(p), _) => read_json(p)?,
        (None, SystemId::Tee) => {
            return Err(CliError::Usage(
                "--system tee needs --secrets FILE (the enclave key)".into(),
            ))
        }
        _ => Secrets::default(),
    };
    let t = Instant::now();
    let faulty_circuit = a.faulty && a.system != SystemId::Tee;
    let prover = AnyProver::setup(
        a.system,
        anchor.profile,
        anchor.statement_version,
        faulty_circuit,
        &secrets,
    )?;
    check_key(&anchor, &prover)?;
    eprintln!(
        "[{}] worker ready in {:.1} s{}; polling {}",
        a.system,
        t.elapsed().as_secs_f64(),
        if a.faulty {
            " (FAULTY: proves inflated roots)"
        } else {
            ""
        },
        a.node
    );
    let mut replay = Replay::new(anchor.clone())?;
    let mut done = 0u64;
    let mut idle_since = Instant::now();
    let mut unreachable_since: Option<Instant> = None;
    loop {
        if a.max_proofs.is_some_and(|m| done >= m) {
            break;
        }
        let item = match client.work(a.system) {
            Ok(item) => {
                unreachable_since = None;
                item
            }
            Err(e) => {
                let since = *unreachable_since.get_or_insert_with(Instant::now);
                if since.elapsed() > Duration::from_secs(30) {
                    eprintln!("[{}] node unreachable for 30 s: {e}; exiting", a.system);
                    return Ok(ExitCode::from(1));
                }
                eprintln!("[{}] node unreachable: {e}; retrying", a.system);
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        let Some(item) = item else {
            if a.idle_exit
                .is_some_and(|s| idle_since.elapsed() > Duration::from_secs(s))
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(300));
            continue;
        };
        idle_since = Instant::now();
        if let Err(e) = replay.advance_to(&client, item.batch_number) {
            eprintln!(
                "[{}] cannot rebuild the state before batch {}: {e}",
                a.system, item.batch_number
            );
            std::thread::sleep(Duration::from_secs(1));
            continue;
        }
        if replay.state.root() != item.pre_root {
            eprintln!(
                "[{}] batch {}: the node's pre root {} is not the replayed state's {}; skipping",
                a.system,
                item.batch_number,
                item.pre_root,
                replay.state.root()
            );
            std::thread::sleep(Duration::from_secs(1));
            continue;
        }
        eprintln!("[{}] batch {}: proving", a.system, item.batch_number);
        let t = Instant::now();
        let inflate = if a.faulty { INFLATION } else { 0 };
        match prover.prove(&replay.state, &item.batch, &anchor, inflate) {
            Ok(env) => {
                let secs = t.elapsed().as_secs_f64();
                match client.submit(&env.to_bytes()) {
                    Ok(_) => eprintln!(
                        "[{}] batch {} proved in {secs:.2} s and accepted",
                        a.system, item.batch_number
                    ),
                    Err(e) => eprintln!(
                        "[{}] batch {} proved in {secs:.2} s but rejected: {e}",
                        a.system, item.batch_number
                    ),
                }
                done += 1;
            }
            Err(e) => {
                eprintln!(
                    "[{}] batch {}: proving failed: {e}",
                    a.system, item.batch_number
                );
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
