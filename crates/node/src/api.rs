//! HTTP routes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use multiprover_core::error::Resolution;
use multiprover_core::proof_system::{Classify, ErrorKind, VerifyError};
use multiprover_core::settlement::{BatchStatus, ProofVerifier, SubmitError};
use multiprover_core::{Batch, CoreError, Envelope, ProposalSignature, SystemId};
use multiprover_verifier::{BatchRecord, HexBytes};
use serde::Deserialize;
use serde_json::json;
use tower_http::cors::CorsLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::Error;
use crate::state::{BatchSummary, NodeState};
use crate::store::StoredEnvelope;

/// Largest envelope body accepted.
pub const MAX_ENVELOPE_BODY: usize = 4 * 1024 * 1024;
/// Largest batch body accepted.
pub const MAX_BATCH_BODY: usize = 1024 * 1024;

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    pub(crate) node: Arc<Mutex<NodeState>>,
    pub(crate) verifier: Arc<dyn ProofVerifier + Send + Sync>,
    pub(crate) anchor_json: Arc<String>,
    /// Proof verifications running at once (one per core): a flood of well-formed but
    /// invalid envelopes queues here instead of taking every CPU from the other routes.
    pub(crate) verify_slots: Arc<tokio::sync::Semaphore>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppState")
    }
}

fn err(status: StatusCode, msg: impl std::fmt::Display) -> Response {
    (status, Json(json!({"error": msg.to_string()}))).into_response()
}

/// An error response that names the error's kind: `{"error": message, "kind": kind}`.
fn kind_err(e: &(impl Classify + std::fmt::Display)) -> Response {
    let kind = e.kind();
    let body = json!({"error": e.to_string(), "kind": kind});
    (kind_status(kind), Json(body)).into_response()
}

/// The HTTP status of each kind of error.
fn kind_status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Malformed => StatusCode::BAD_REQUEST,
        ErrorKind::WrongSystem
        | ErrorKind::WrongKey
        | ErrorKind::WrongStatement
        | ErrorKind::Rejected
        | ErrorKind::Expired
        | ErrorKind::Unprovable => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::NotCompiled => StatusCode::NOT_IMPLEMENTED,
        ErrorKind::Setup => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The status of a core error: its kind's, except where the chain's state decides (a batch
/// that is not next or a quarantined system conflicts with the chain; an unknown batch is
/// not found; a resolution signed by the wrong key is forbidden).
fn core_status(e: &CoreError) -> StatusCode {
    match e {
        CoreError::NotNext { .. } | CoreError::Quarantined(_) => StatusCode::CONFLICT,
        CoreError::UnknownBatch(_) => StatusCode::NOT_FOUND,
        CoreError::BadResolution(r) if r.is_signature() => StatusCode::FORBIDDEN,
        CoreError::BadResolution(Resolution::NotHalted) => StatusCode::CONFLICT,
        other => kind_status(other.kind()),
    }
}

fn core_err(e: &CoreError) -> Response {
    let body = json!({"error": e.to_string(), "kind": e.kind()});
    (core_status(e), Json(body)).into_response()
}

fn error_response(e: Error) -> Response {
    match e {
        Error::Core(c) => core_err(&c),
        other => err(StatusCode::INTERNAL_SERVER_ERROR, other),
    }
}

fn lock(s: &AppState) -> std::sync::MutexGuard<'_, NodeState> {
    // A panic while holding the lock cannot leave half-written state (memory changes only
    // after the store commits), so a poisoned lock is safe to keep using.
    s.node.lock().unwrap_or_else(|p| p.into_inner())
}

/// Read a body of at most `limit` bytes: a larger declared length is refused before anything
/// is read (413), a larger streamed body as soon as it passes the limit.
async fn read_body(req: Request, limit: usize) -> Result<Bytes, Response> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(err(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("body larger than {limit} bytes"),
        ));
    }
    axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|_| {
            err(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("body larger than {limit} bytes, or broken"),
            )
        })
}

async fn propose(State(s): State<AppState>, req: Request) -> Response {
    let body = match read_body(req, MAX_BATCH_BODY).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let v: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return err(StatusCode::BAD_REQUEST, format!("body is not JSON: {e}")),
    };
    let explicit = v.get("batch_number").is_some();
    let mut v = v;
    // The proposal's signature and timestamp travel beside the batch's own fields.
    let (signature, timestamp) = match v.as_object_mut() {
        Some(obj) => (obj.remove("signature"), obj.remove("timestamp")),
        None => (None, None),
    };
    let signature = match signature {
        None | Some(serde_json::Value::Null) => None,
        Some(sig) => match serde_json::from_value::<ProposalSignature>(sig) {
            Ok(sig) => Some(sig),
            Err(e) => return err(StatusCode::BAD_REQUEST, format!("bad signature: {e}")),
        },
    };
    let timestamp = match timestamp {
        None | Some(serde_json::Value::Null) if signature.is_none() => 0,
        Some(t) => match t.as_u64() {
            Some(t) => t,
            None => {
                return err(
                    StatusCode::BAD_REQUEST,
                    "timestamp must be an integer number of seconds",
                )
            }
        },
        None => {
            return err(
                StatusCode::BAD_REQUEST,
                "a signed proposal needs its timestamp",
            )
        }
    };
    if let (false, Some(obj)) = (explicit, v.as_object_mut()) {
        obj.insert("batch_number".into(), json!(0));
    }
    let batch: Batch = match serde_json::from_value(v) {
        Ok(b) => b,
        Err(e) => return err(StatusCode::BAD_REQUEST, format!("not a batch: {e}")),
    };
    let node = s.node.clone();
    let r = tokio::task::spawn_blocking(move || {
        node.lock().unwrap_or_else(|p| p.into_inner()).propose(
            batch,
            explicit,
            timestamp,
            signature.as_ref(),
        )
    })
    .await;
    match r {
        Ok(Ok(st)) => {
            Json(json!({"batch_number": st.batch_number, "statement": st})).into_response()
        }
        // Unsigned is unauthenticated, signed by anyone but the sequencer (or over anything
        // but this proposal) forbidden; a number or timestamp that does not extend the chain
        // conflicts with it; anything else core says about a proposed batch (another chain,
        // a transfer breaking a rule, too many transfers) is a bad request.
        Ok(Err(Error::Core(c @ CoreError::UnsignedProposal(_)))) => {
            err(StatusCode::UNAUTHORIZED, c)
        }
        Ok(Err(Error::Core(c @ CoreError::BadProposalSignature(_)))) => {
            err(StatusCode::FORBIDDEN, c)
        }
        Ok(Err(Error::Core(
            c @ (CoreError::NotNext { .. } | CoreError::ProposalTimestamp { .. }),
        ))) => err(StatusCode::CONFLICT, c),
        Ok(Err(Error::Core(c))) => err(StatusCode::BAD_REQUEST, c),
        Ok(Err(e)) => error_response(e),
        Err(e) => err(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

#[derive(Deserialize)]
struct WorkQuery {
    system: String,
}

async fn work(State(s): State<AppState>, Query(q): Query<WorkQuery>) -> Response {
    let Ok(system) = q.system.parse::<SystemId>() else {
        return err(
            StatusCode::BAD_REQUEST,
            "unknown system (halo2, plonky2, stark, tee)",
        );
    };
    match lock(&s).work(system) {
        Some(item) => Json(item).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

async fn submit(State(s): State<AppState>, req: Request) -> Response {
    let body = match read_body(req, MAX_ENVELOPE_BODY).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let env = match Envelope::from_bytes(&body) {
        Ok(e) => e,
        Err(e) => return core_err(&e),
    };
    // Cheap checks under the lock, the proof verification outside it (it can take a second),
    // then record under the lock.
    let (idx, anchor, at) = {
        let n = lock(&s);
        match n.settlement.check_envelope(&env) {
            Ok(i) => (
                i,
                n.settlement.anchor().clone(),
                n.settlement.batches()[i].timestamp,
            ),
            Err(e) => return core_err(&e),
        }
    };
    let Ok(slot) = s.verify_slots.clone().acquire_owned().await else {
        return err(StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    };
    let verifier = s.verifier.clone();
    let env2 = env.clone();
    let verdict = tokio::task::spawn_blocking(move || verifier.verify(&anchor, &env2, at)).await;
    drop(slot);
    match verdict {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return kind_err(&SubmitError::Proof(e)),
        // A verifier that panics on hostile bytes rejects them; the node carries on.
        Err(panicked) => {
            let e = VerifyError::with_kind(env.system, ErrorKind::Rejected, panicked);
            return kind_err(&SubmitError::Proof(e));
        }
    }
    let node = s.node.clone();
    let r = tokio::task::spawn_blocking(move || {
        let mut n = node.lock().unwrap_or_else(|p| p.into_inner());
        // The chain may have changed while verifying (a resolution); check again.
        n.settlement.check_envelope(&env).map_err(Error::Core)?;
        let stored = StoredEnvelope {
            batch_number: env.statement.batch_number,
            system: env.system,
            post_root: env.statement.post_root,
            bytes: env.to_bytes(),
        };
        n.record(idx, stored)?;
        let b = &n.settlement.batches()[idx];
        Ok::<_, Error>(json!({"batch_number": b.batch.batch_number, "system": env.system, "decision": b.decision, "status": b.status}))
    })
    .await;
    match r {
        Ok(Ok(v)) => Json(v).into_response(),
        Ok(Err(e)) => error_response(e),
        Err(e) => err(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

/// Body of `POST /api/batches/{n}/resolve`.
#[derive(Deserialize)]
struct ResolveBody {
    root: multiprover_core::Digest,
    signature: HexBytes,
}

async fn resolve(State(s): State<AppState>, Path(num): Path<String>, req: Request) -> Response {
    let Ok(num) = num.parse::<u64>() else {
        return err(StatusCode::BAD_REQUEST, "batch number must be an integer");
    };
    let body = match read_body(req, 64 * 1024).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let body: ResolveBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            return err(
                StatusCode::BAD_REQUEST,
                format!("expected {{\"root\", \"signature\"}}: {e}"),
            )
        }
    };
    let node = s.node.clone();
    let r = tokio::task::spawn_blocking(move || {
        let mut n = node.lock().unwrap_or_else(|p| p.into_inner());
        let losers = n.resolve(num, body.root, &body.signature.0)?;
        let b = n.settlement.batch(num).map(|b| (b.status, b.final_root));
        Ok::<_, Error>((losers, b))
    })
    .await;
    match r {
        Ok(Ok((losers, b))) => Json(json!({
            "batch_number": num,
            "quarantined": losers,
            "status": b.map(|b| b.0),
            "final_root": b.and_then(|b| b.1),
        }))
        .into_response(),
        Ok(Err(e)) => error_response(e),
        Err(e) => err(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

async fn batches(State(s): State<AppState>) -> Response {
    let n = lock(&s);
    let list: Vec<BatchSummary> = n
        .settlement
        .batches()
        .iter()
        .map(BatchSummary::of)
        .collect();
    Json(list).into_response()
}

async fn record(State(s): State<AppState>, Path(num): Path<String>) -> Response {
    let Ok(num) = num.parse::<u64>() else {
        return err(StatusCode::BAD_REQUEST, "batch number must be an integer");
    };
    let n = lock(&s);
    let Some(b) = n.settlement.batch(num) else {
        return err(StatusCode::NOT_FOUND, format!("unknown batch {num}"));
    };
    let envelopes = match n.store.envelopes_of(num) {
        Ok(v) => v.into_iter().map(HexBytes).collect(),
        Err(e) => return err(StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    let rec = BatchRecord {
        batch: b.batch.clone(),
        claimed_post_root: b.claimed_post_root,
        timestamp: b.timestamp,
        signature: Some(b.signature),
        envelopes,
    };
    ([(header::CONTENT_TYPE, "application/json")], rec.to_json()).into_response()
}

async fn anchor(State(s): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        s.anchor_json.as_str().to_owned(),
    )
        .into_response()
}

async fn status(State(s): State<AppState>) -> Response {
    let n = lock(&s);
    let st = &n.settlement;
    let (final_batch, final_root) = st.finalized();
    let mut per_system = serde_json::Map::new();
    for sys in SystemId::ALL {
        let c = st
            .batches()
            .iter()
            .filter(|b| b.proofs.iter().any(|(x, _)| *x == sys))
            .count();
        per_system.insert(sys.name().into(), json!(c));
    }
    Json(json!({
        "chain_id": st.anchor().chain_id,
        "anchor_hash": st.anchor_hash(),
        "head": st.batches().len(),
        "head_root": st.head_root(),
        "head_timestamp": st.batches().last().map_or(0, |b| b.timestamp),
        "final_batch": final_batch,
        "final_root": final_root,
        "conflicts": st.batches().iter().filter(|b| b.status == BatchStatus::Halted).map(|b| b.batch.batch_number).collect::<Vec<_>>(),
        "quarantined": st.policy().quarantined,
        "proofs_per_system": per_system,
    }))
    .into_response()
}

/// `GET /api/setup/halo2-params/{k}`: the halo2 IPA params the anchor's halo2 key needs, as
/// `Params::write` bytes, so that a light client loads them in seconds instead of computing
/// them for minutes. Clients accept them only if their keccak256 is the digest pinned in the
/// verifier (`multiprover_halo2::PARAMS_DIGESTS`), so serving them needs no trust. Computed
/// once per process (a minute or two on first request, unless a halo2 proof was verified
/// already); this route has no request timeout.
async fn halo2_params(State(s): State<AppState>, Path(k): Path<String>) -> Response {
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let Ok(k) = k.parse::<u32>() else {
        return (StatusCode::BAD_REQUEST, "k is not a number").into_response();
    };
    let anchor = lock(&s).settlement.anchor().clone();
    let _one = ONE_AT_A_TIME.lock().await;
    match tokio::task::spawn_blocking(move || multiprover_verifier::halo2_params_bytes(&anchor, k))
        .await
    {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => (StatusCode::NOT_FOUND, e.to_string()).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "params task failed").into_response(),
    }
}

/// The router.
pub fn router(state: AppState, static_dir: Option<std::path::PathBuf>) -> Router {
    let api = Router::new()
        .route(
            "/api/batches",
            post(propose)
                .layer(DefaultBodyLimit::disable())
                .get(batches),
        )
        .route("/api/batches/{n}", get(record))
        .route("/api/batches/{n}/resolve", post(resolve))
        .route("/api/work", get(work))
        .route(
            "/api/envelopes",
            post(submit).layer(DefaultBodyLimit::disable()),
        )
        .route("/api/anchor", get(anchor))
        .route("/api/status", get(status))
        .with_state(state.clone());
    let app = match static_dir {
        Some(dir) => api.fallback_service(crate::site::router(dir)),
        None => api,
    };
    // Everything but the params route (which may compute for minutes) has a 30 s timeout.
    let slow = Router::new()
        .route("/api/setup/halo2-params/{k}", get(halo2_params))
        .with_state(state);
    app.layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        Duration::from_secs(30),
    ))
    .merge(slow)
    .layer(tower::limit::ConcurrencyLimitLayer::new(256))
    .layer(CorsLayer::permissive())
}
