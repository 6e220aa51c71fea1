//! `multiprover`: keys, reference STF, proving, verification, the settlement node, prover
//! workers and a one-command devnet.
// The doc comments of the clap arguments are --help text, where `<out>` is a placeholder.
#![allow(rustdoc::invalid_html_tags)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use multiprover_cli::{commands, error};

/// Rollup settlement that survives a bug in any single proof system.
///
/// Several independent provers (halo2, plonky2, a winterfell STARK and a TEE attestation)
/// prove the same transition (pre_root, batch) -> post_root; a root is final only when the
/// policy's required set of distinct systems agree.
#[derive(Parser, Debug)]
#[command(name = "multiprover", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a genesis, the verifying key of every system, the default policy and the TEE
    /// registry: the trust anchor.
    ///
    /// Prints {"genesis_root", "anchor_hash", "sequencer", "sequencer_key"} as JSON. Secrets
    /// (the simulated enclave's key and the council key) go to <out>.secrets.json beside the
    /// anchor, the sequencer's key to <out>.sequencer.key (or --sequencer-key); both 0600.
    ///
    /// Example: multiprover keys --out anchor.json --depth 8 --capacity 2 --accounts 8
    Keys(commands::keys::KeysArgs),
    /// Run the reference state-transition function on a batch and print the statement.
    ///
    /// Prints {"chain_id", "batch_number", "pre_root", "post_root", "batch_hash"} with roots as
    /// 0x-prefixed 32-byte hex. An invalid batch exits 1 naming the transfer and the rule.
    ///
    /// Example: multiprover apply --anchor anchor.json --batch batch-2.json --history batches/
    Apply(commands::apply::ApplyArgs),
    /// Sign batches with the sequencer's key and propose them to a node.
    ///
    /// Example: multiprover propose --node http://127.0.0.1:8080 --anchor anchor.json b2.json
    Propose(commands::propose::ProposeArgs),
    /// Prove a batch with one system or all of them; writes one envelope file per system.
    ///
    /// Example: multiprover prove --system all --anchor anchor.json --batch b1.json --out proofs/
    Prove(commands::prove::ProveArgs),
    /// Verify envelope files against the anchor (and a batch, if given).
    ///
    /// Exit 0 when every envelope is valid, 1 with one line per invalid envelope, 2 on usage
    /// errors.
    ///
    /// Example: multiprover verify --anchor anchor.json --batch b1.json proofs/*.env
    Verify(commands::verify::VerifyArgs),
    /// Run the settlement node: HTTP API, SQLite store, and the demo's static files (--static).
    ///
    /// Example: multiprover node --anchor anchor.json --db node.db --listen 127.0.0.1:8080 --static site
    Node(commands::node::NodeArgs),
    /// Pull batches that still need SYSTEM from a node, prove them, submit the envelopes.
    ///
    /// Example: multiprover worker --system plonky2 --node http://127.0.0.1:8080
    Worker(commands::worker::WorkerArgs),
    /// Keys, a funded genesis, N random valid batches, a node and one worker per system, in one
    /// command. --faulty S runs S with its deliberately unsound prover to show the conflict path.
    ///
    /// Example: multiprover devnet --dir .devnet --batches 4 --listen 127.0.0.1:8080
    Devnet(commands::devnet::DevnetArgs),
    /// User keys (statement v2): create a key file, show its public key, export a genesis
    /// account's key from an anchor's secrets.
    ///
    /// Example: multiprover account new --out alice.key
    Account(commands::account::AccountArgs),
    /// Sign a transfer and queue it at a node for the next batch (statement v2): reads the
    /// chain id, the sender's nonce and the receiver's key from the node. Prints the node's
    /// answer as JSON; exit 1 when the node refuses it, 2 on usage errors.
    ///
    /// Example: multiprover transfer --node http://127.0.0.1:8080 --from 1 --to 2 --amount 5 --key one.key
    Transfer(commands::transfer::TransferArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Keys(a) => commands::keys::run(a),
        Command::Apply(a) => commands::apply::run(a),
        Command::Propose(a) => commands::propose::run(a),
        Command::Prove(a) => commands::prove::run(a),
        Command::Verify(a) => commands::verify::run(a),
        Command::Node(a) => commands::node::run(a),
        Command::Worker(a) => commands::worker::run(a),
        Command::Devnet(a) => commands::devnet::run(a),
        Command::Account(a) => commands::account::run(a),
        Command::Transfer(a) => commands::transfer::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                error::CliError::Usage(_)
                | error::CliError::Io { .. }
                | error::CliError::Json { .. } => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}
