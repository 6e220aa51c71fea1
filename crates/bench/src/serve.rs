//! `multiprover-bench serve`: loads a cached chain into a fresh node through its HTTP API and
//! serves it (and the static files) until stdin closes: the browser's light client syncs from
//! it. Prints `READY <json>` ([`ServeReady`]) once the node holds the chain.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use multiprover_cli::commands::node;
use multiprover_cli::util::{read_bytes, read_json};
use multiprover_cli::CliError;
use multiprover_core::{Batch, BatchStatus, TrustAnchor};
use multiprover_node::client::Client;

use crate::report::{ChainMeta, ServeReady};
use crate::{envelope_path, fresh_db, secs};

/// Arguments of `serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Cache directory written by `chain`.
    #[arg(long)]
    pub dir: PathBuf,
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Static files to serve beside the API (the repository root for pkg/ and bench/).
    #[arg(long = "static")]
    pub static_dir: Option<PathBuf>,
}

/// Run `serve`.
pub fn run(a: ServeArgs) -> Result<(), CliError> {
    let meta: ChainMeta = read_json(&a.dir.join("chain.json"))?;
    let anchor_path = a.dir.join("anchor.json");
    let json_text = String::from_utf8(read_bytes(&anchor_path)?)
        .map_err(|_| CliError::Usage("anchor is not UTF-8".into()))?;
    let anchor = TrustAnchor::from_json(json_text.as_bytes())?;
    let n = meta.batches;
    let db = fresh_db(&a.dir.join("serve"))?;
    let cfg = node::config(anchor.clone(), json_text, db, a.listen, a.static_dir, 60);
    let node = multiprover_node::spawn(cfg, multiprover_node::default_verifier())?;
    let url = format!("http://{}", node.addr());
    let client = Client::new(&url);
    let key_path = multiprover_cli::keygen::sequencer_key_path(&anchor_path);
    let sequencer = multiprover_node::Sequencer::new(
        multiprover_cli::keygen::read_sequencer_key(&key_path)?,
        &anchor,
    )?;
    let t = Instant::now();
    let mut count = 0;
    for i in 1..=n {
        let b: Batch = read_json(&a.dir.join(format!("batches/batch-{i}.json")))?;
        client.propose(&b, &sequencer)?;
        for &s in &meta.systems {
            client.submit(&read_bytes(&envelope_path(&a.dir, i, s))?)?;
            count += 1;
        }
    }
    let finals = client
        .batches()?
        .iter()
        .filter(|b| b.status == BatchStatus::Final)
        .count();
    eprintln!(
        "bench serve: {n} batches, {count} envelopes loaded (each verified by the node) in {:.2} s; {finals} final",
        secs(t)
    );
    let ready = ServeReady {
        url,
        anchor_hash: anchor.hash(),
        batches: n,
        envelopes: count,
        finals,
        load_secs: secs(t),
    };
    println!(
        "READY {}",
        serde_json::to_string(&ready).unwrap_or_default()
    );
    // Serve until stdin closes (the driving script ends or closes the pipe).
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    node.shutdown();
    Ok(())
}
