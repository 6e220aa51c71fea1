//! The transport: fetch batch records from an untrusted node with gloo-net and feed them to
//! the light client. The verifier crate fetches nothing; this is the only place that does.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Request;
use multiprover_verifier::{BatchRecord, LightClient as Inner};
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::error::{js_message, Error};
use crate::js::{now_millis, to_js};

/// Largest `/api/status` answer read (1 MiB).
const MAX_STATUS_BYTES: usize = 1 << 20;
/// Most batches one sync pass fetches (a node claiming more is serving bad data).
pub const MAX_BATCHES_PER_SYNC: u64 = 100_000;

/// Batch records fetched and ingested together (halo2's proofs among them are batch-verified).
pub const SYNC_WINDOW: u64 = 16;

/// The part of `GET /api/status` the client reads.
#[derive(Debug, Deserialize)]
struct NodeStatus {
    /// Highest batch number the node has.
    head: u64,
}

/// `nodeUrl` without trailing slashes; an empty string means "same origin" (relative URLs).
pub(crate) fn base_url(node_url: &str) -> String {
    node_url.trim().trim_end_matches('/').to_string()
}

/// The URL of batch `n`'s record.
pub(crate) fn batch_url(base: &str, n: u64) -> String {
    format!("{base}/api/batches/{n}")
}

/// The status URL.
pub(crate) fn status_url(base: &str) -> String {
    format!("{base}/api/status")
}

/// GET a URL as text, mapping failures to the error kinds a page distinguishes. A transport
/// failure is retried once: a keep-alive connection the node closed while this instance was
/// busy verifying (Node's fetch does not retry that itself) is not an unreachable node.
async fn get_text(url: &str) -> Result<String, Error> {
    let send = || {
        Request::get(url)
            .header("accept", "application/json")
            .send()
    };
    let resp = match send().await {
        Ok(r) => r,
        Err(_) => send().await.map_err(|e| Error::Unreachable {
            url: url.to_string(),
            reason: e.to_string(),
        })?,
    };
    if !resp.ok() {
        return Err(Error::Http {
            url: url.to_string(),
            status: resp.status(),
        });
    }
    resp.text().await.map_err(|e| Error::Unreachable {
        url: url.to_string(),
        reason: e.to_string(),
    })
}

/// The URL of the halo2 params for `k`.
pub(crate) fn halo2_params_url(base: &str, k: u32) -> String {
    format!("{base}/api/setup/halo2-params/{k}")
}

thread_local! {
    /// The `k` whose halo2 params were loaded (or tried) in this instance.
    static HALO2_PARAMS_TRIED: std::cell::Cell<Option<u32>> = const { std::cell::Cell::new(None) };
}

/// If the anchor pins a halo2 key, fetch its params from the node once and load them; they
/// are checked against the digest pinned in this build. Any failure (old node, bad bytes)
/// only means the verifier computes the params itself, slowly, as without this step.
async fn fetch_halo2_params(base: &str, client: &Rc<RefCell<Inner>>) {
    let Some(k) = multiprover_verifier::halo2_params_k(client.borrow().anchor()) else {
        return;
    };
    if HALO2_PARAMS_TRIED.with(|t| t.get()) == Some(k) {
        return;
    }
    HALO2_PARAMS_TRIED.with(|t| t.set(Some(k)));
    let url = halo2_params_url(base, k);
    let Ok(resp) = Request::get(&url).send().await else {
        return;
    };
    if !resp.ok() {
        return;
    }
    if let Ok(bytes) = resp.binary().await {
        let _ = multiprover_verifier::load_halo2_params(&bytes);
    }
}

/// One sync pass: read the node's head, then fetch and ingest every batch from the first
/// non-final one to the head (batches seen before are fetched again so that envelopes which
/// arrived since are verified too). Calls `on_progress(0, total, null)` once the head is
/// known and `on_progress(done, total, verdict)` after each batch; returns the chain status.
pub(crate) async fn run(
    client: Rc<RefCell<Inner>>,
    node_url: String,
    on_progress: Option<js_sys::Function>,
) -> Result<JsValue, Error> {
    let base = base_url(&node_url);
    let url = status_url(&base);
    let text = get_text(&url).await?;
    if text.len() > MAX_STATUS_BYTES {
        return Err(Error::BadData {
            url,
            reason: "status answer too large".into(),
        });
    }
    let status: NodeStatus = serde_json::from_str(&text).map_err(|e| Error::BadData {
        url: url.clone(),
        reason: format!("status is not the expected JSON: {e}"),
    })?;
    let from = client.borrow().status().final_batch + 1;
    let total = status.head.saturating_sub(from - 1);
    if total > MAX_BATCHES_PER_SYNC {
        return Err(Error::BadData {
            url,
            reason: format!("the node claims {} batches", status.head),
        });
    }
    if total > 0 {
        fetch_halo2_params(&base, &client).await;
    }
    if let Some(f) = &on_progress {
        f.call3(
            &JsValue::NULL,
            &JsValue::from_f64(0.0),
            &JsValue::from_f64(total as f64),
            &JsValue::NULL,
        )
        .map_err(|e| Error::Callback(js_message(&e)))?;
    }
    let mut done = 0u64;
    let mut next = from;
    while next <= status.head {
        // Fetch a window of records, then ingest them together: halo2's proofs in a window
        // share one batch check (LightClient::ingest_many).
        let last = status.head.min(next + SYNC_WINDOW - 1);
        let mut records = Vec::new();
        for n in next..=last {
            let url = batch_url(&base, n);
            let text = get_text(&url).await?;
            let record =
                BatchRecord::from_json(text.as_bytes()).map_err(|source| Error::BadRecord {
                    url: url.clone(),
                    source,
                })?;
            if record.batch.batch_number != n {
                return Err(Error::BadData {
                    url,
                    reason: format!(
                        "asked for batch {n}, got batch {}",
                        record.batch.batch_number
                    ),
                });
            }
            records.push(record);
        }
        // The borrow ends before the callbacks run, so a callback may use the client.
        let verdicts = client
            .try_borrow_mut()
            .map_err(|_| Error::InvalidArgument("the client is busy"))?
            .ingest_many(&records, &mut now_millis)
            .map_err(|source| Error::BadRecord {
                url: format!("{base}/api/batches/{next}..={last}"),
                source,
            })?;
        for verdict in verdicts {
            done += 1;
            if let Some(f) = &on_progress {
                let v = to_js(&verdict)?;
                f.call3(
                    &JsValue::NULL,
                    &JsValue::from_f64(done as f64),
                    &JsValue::from_f64(total as f64),
                    &v,
                )
                .map_err(|e| Error::Callback(js_message(&e)))?;
            }
        }
        next = last + 1;
    }
    let st = client.borrow().status();
    to_js(&st)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            batch_url(&base_url("http://127.0.0.1:8080/"), 3),
            "http://127.0.0.1:8080/api/batches/3"
        );
        assert_eq!(
            status_url(&base_url(" http://h:1// ")),
            "http://h:1/api/status"
        );
        assert_eq!(status_url(&base_url("")), "/api/status");
    }
}
