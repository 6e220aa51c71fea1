use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use multiprover_core::TrustAnchor;
use multiprover_node::NodeConfig;

use crate::error::CliError;
use crate::util::read_bytes;

#[derive(Args, Debug)]
pub struct NodeArgs {
    /// Trust anchor JSON.
    #[arg(long)]
    pub anchor: PathBuf,
    /// SQLite database file (created if missing; a restart loses nothing).
    #[arg(long)]
    pub db: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Directory of the demo's static files: the repository's site/ (index.html, app/, pkg/).
    /// Nothing outside it and no dot-file inside it is served. Default: none (the API only).
    #[arg(long = "static")]
    pub static_dir: Option<PathBuf>,
    /// Seconds a worker's claim on a batch lasts before another worker may take it.
    #[arg(long, default_value_t = 120)]
    pub lease_secs: u64,
}

pub fn config(
    anchor: TrustAnchor,
    anchor_json: String,
    db: PathBuf,
    listen: SocketAddr,
    static_dir: Option<PathBuf>,
    lease_secs: u64,
) -> NodeConfig {
    NodeConfig {
        anchor,
        anchor_json,
        db_path: db,
        listen,
        static_dir,
        lease_secs,
    }
}

pub fn run(a: NodeArgs) -> Result<ExitCode, CliError> {
    let json = String::from_utf8(read_bytes(&a.anchor)?)
        .map_err(|_| CliError::Usage("anchor is not UTF-8".into()))?;
    let anchor = TrustAnchor::from_json(json.as_bytes())?;
    let cfg = config(anchor, json, a.db, a.listen, a.static_dir, a.lease_secs);
    let handle = multiprover_node::spawn(cfg, multiprover_node::default_verifier())?;
    println!("multiprover node listening on http://{}/", handle.addr());
    let (tx, rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .map_err(|e| CliError::Usage(e.to_string()))?;
    // Wait for Ctrl-C / SIGTERM.
    let _ = rx.recv();
    eprintln!("shutting down");
    handle.shutdown();
    Ok(ExitCode::SUCCESS)
}
