#![doc = include_str!("../README.md")]

pub mod api;
pub mod client;
pub mod error;
mod server;
mod site;
pub mod state;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use multiprover_core::settlement::ProofVerifier;
use multiprover_core::{Batch, Envelope, TrustAnchor, VerifyError};

pub use client::{Client, Head, ProposeResponse, Sequencer, SubmitResponse};
pub use error::{Error, Refusal};
pub use state::{AccountView, BatchSummary, NodeState, ProofSummary, WorkItem, MAX_PENDING};

/// How to run a node.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    /// The trust anchor.
    pub anchor: TrustAnchor,
    /// The anchor JSON served at `/api/anchor` (the file the node was started with).
    pub anchor_json: String,
    /// SQLite database file.
    pub db_path: PathBuf,
    /// Address to listen on (port 0 picks a free one).
    pub listen: SocketAddr,
    /// Directory of static files served for other paths (the demo, `site/`), except
    /// dot-files and dot-directories; none = API only.
    pub static_dir: Option<PathBuf>,
    /// Seconds a worker's claim on (batch, system) lasts.
    pub lease_secs: u64,
}

/// The production verifier: every system's verifier via `multiprover-verifier`, each envelope
/// at its batch's signed timestamp (for TEE registration windows; never the node's clock).
#[derive(Clone, Copy, Debug, Default)]
pub struct DispatchVerifier;

impl ProofVerifier for DispatchVerifier {
    fn verify(
        &self,
        anchor: &TrustAnchor,
        envelope: &Envelope,
        batch_timestamp: u64,
    ) -> Result<(), VerifyError> {
        multiprover_verifier::Dispatcher.verify(anchor, envelope, batch_timestamp)
    }
}

/// How the node verifies envelopes: core's [`ProofVerifier`], shared between requests.
/// Production passes [`default_verifier`]; tests inject a mock.
pub type SharedVerifier = Arc<dyn ProofVerifier + Send + Sync>;

/// The production verifier, shareable: [`multiprover_verifier::Dispatcher`].
/// Which systems it can verify depends on the `all-systems` feature.
pub fn default_verifier() -> SharedVerifier {
    Arc::new(DispatchVerifier)
}

/// A node running on its own thread; stopped by [`NodeHandle::shutdown`] or on drop.
#[derive(Debug)]
pub struct NodeHandle {
    addr: SocketAddr,
    node: Arc<Mutex<NodeState>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl NodeHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The sequencer's side of the pending pool (`POST /api/transfers`): take the oldest
    /// pending user transfers, at most the profile's capacity, as the next batch (numbered
    /// next, valid on the head). The caller proposes it; the transfers leave the pool here, so
    /// a proposal that fails loses them (their senders resubmit). `None` when nothing is
    /// pending. The devnet calls this between its proposals.
    pub fn take_batch(&self) -> Option<Batch> {
        self.node
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take_batch()
    }

    /// Stop serving and wait for the server thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for NodeHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}

type Built = (axum::Router, Arc<Mutex<NodeState>>);

fn build(config: &NodeConfig, verifier: SharedVerifier) -> Result<Built, Error> {
    let node = NodeState::open(config.anchor.clone(), &config.db_path, config.lease_secs)?;
    let node = Arc::new(Mutex::new(node));
    let state = api::AppState {
        node: node.clone(),
        verifier,
        anchor_json: Arc::new(config.anchor_json.clone()),
        verify_slots: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, |n| n.get()),
        )),
    };
    Ok((api::router(state, config.static_dir.clone()), node))
}

/// Open the store, replay it, bind and serve until Ctrl-C (or SIGTERM on Unix).
pub async fn serve(config: NodeConfig, verifier: SharedVerifier) -> Result<(), Error> {
    let (app, _) = build(&config, verifier)?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    server::run(listener, app, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Open the store, replay it, bind, and serve on a thread of its own (with its own tokio
/// runtime). Returns once the socket is bound; [`NodeHandle::addr`] is the bound address.
pub fn spawn(config: NodeConfig, verifier: SharedVerifier) -> Result<NodeHandle, Error> {
    let (app, node) = build(&config, verifier)?;
    let listener = std::net::TcpListener::bind(config.listen)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let thread = std::thread::Builder::new()
        .name("multiprover-node".into())
        .spawn(move || {
            rt.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let server = server::run(listener, app, async {
                    let _ = rx.await;
                });
                if let Err(e) = server.await {
                    eprintln!("multiprover node: {e}");
                }
            });
        })?;
    Ok(NodeHandle {
        addr,
        node,
        stop: Some(tx),
        thread: Some(thread),
    })
}
