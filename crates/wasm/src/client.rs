//! `LightClient` for JavaScript: a pinned anchor, batch records in, verdicts out.

use std::cell::RefCell;
use std::rc::Rc;

use multiprover_core::TrustAnchor;
use multiprover_verifier::{BatchRecord, LightClient as Inner};
use wasm_bindgen::prelude::*;

use crate::anchor::AnchorSummary;
use crate::error::Error;
use crate::js::{now_millis, to_js};

/// The light client, pinned to one trust anchor. It recomputes every batch hash, verifies
/// every envelope itself, checks the root chain from genesis and applies the anchor's policy
/// itself; the node it syncs from is not trusted.
#[wasm_bindgen]
#[derive(Debug)]
pub struct LightClient {
    inner: Rc<RefCell<Inner>>,
    anchor_hash: String,
}

#[wasm_bindgen]
impl LightClient {
    /// Pin a trust anchor (its JSON, as `GET /api/anchor` serves it). Throws `AnchorError`.
    #[wasm_bindgen(constructor)]
    pub fn new(anchor_json: &str) -> Result<LightClient, Error> {
        let anchor = TrustAnchor::from_json(anchor_json.as_bytes()).map_err(Error::Anchor)?;
        let anchor_hash = anchor.hash().to_string();
        let inner = Inner::new(anchor).map_err(|e| match e {
            multiprover_verifier::Error::Core(c) => Error::Anchor(c),
            other => Error::Record(other),
        })?;
        Ok(LightClient {
            inner: Rc::new(RefCell::new(inner)),
            anchor_hash,
        })
    }

    /// The canonical hash of the pinned anchor (0x-hex): compare it with one obtained
    /// out-of-band.
    #[wasm_bindgen(getter, js_name = anchorHash)]
    pub fn anchor_hash(&self) -> String {
        self.anchor_hash.clone()
    }

    /// A summary of the pinned anchor: chain id, profile, genesis root, policy tiers, the
    /// systems with their verifying-key ids, the TEE registry and the council.
    #[wasm_bindgen(unchecked_return_type = "AnchorSummary")]
    pub fn anchor(&self) -> Result<JsValue, Error> {
        to_js(&AnchorSummary::new(self.inner.borrow().anchor()))
    }

    /// Ingest one batch record (its JSON, as `GET /api/batches/{n}` serves it): the next
    /// batch, or a batch seen before with new envelopes. Returns the client's verdict on it.
    /// A proof that fails verification is not an error: it is reported in `proofs` with
    /// `ok: false`. Throws `BadDataError` when the record does not parse, is not signed by
    /// the anchor's sequencer, or does not extend the chain. Envelopes are verified at the
    /// batch's signed timestamp (TEE registration windows), never at the host's clock.
    #[wasm_bindgen(unchecked_return_type = "BatchVerdict")]
    pub fn ingest(
        &self,
        #[wasm_bindgen(js_name = recordJson)] record_json: &str,
    ) -> Result<JsValue, Error> {
        let record = BatchRecord::from_json(record_json.as_bytes()).map_err(Error::Record)?;
        let verdict = self
            .inner
            .try_borrow_mut()
            .map_err(|_| Error::InvalidArgument("the client is busy"))?
            .ingest(&record, &mut now_millis)
            .map_err(Error::Record)?;
        to_js(&verdict)
    }

    /// The chain as the client sees it: head, highest final batch and its root, conflicts.
    #[wasm_bindgen(unchecked_return_type = "ChainStatus")]
    pub fn status(&self) -> Result<JsValue, Error> {
        to_js(&self.inner.borrow().status())
    }

    /// Every verdict so far, batch 1 first (statuses cascade: a later proof can finalize
    /// earlier batches, so re-read them after each ingest).
    #[wasm_bindgen(unchecked_return_type = "BatchVerdict[]")]
    pub fn verdicts(&self) -> Result<JsValue, Error> {
        to_js(&self.inner.borrow().verdicts())
    }

    /// The verdict on batch `n`, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "BatchVerdict | undefined")]
    pub fn verdict(&self, n: f64) -> Result<JsValue, Error> {
        if !(n.is_finite() && n >= 1.0) {
            return Ok(JsValue::UNDEFINED);
        }
        match self.inner.borrow().verdict(n as u64) {
            Some(v) => to_js(&v),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Fetch batch records from a node with `fetch` (gloo-net) and ingest them: reads
    /// `GET {nodeUrl}/api/status` for the head, then `GET {nodeUrl}/api/batches/{n}` for
    /// every batch from the first non-final one up to the head. `onProgress(done, total,
    /// verdict)` is called with `(0, total, null)` first and then after each batch.
    /// Resolves to the chain status; rejects with `NodeUnreachableError` or `BadDataError`.
    /// `nodeUrl` may be `""` for the origin that served the page. The callback has the type
    /// `(done: number, total: number, verdict: BatchVerdict | null) => void`.
    #[wasm_bindgen(unchecked_return_type = "Promise<ChainStatus>")]
    pub fn sync(
        &self,
        #[wasm_bindgen(js_name = nodeUrl)] node_url: String,
        #[wasm_bindgen(js_name = onProgress)] on_progress: Option<js_sys::Function>,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            crate::sync::run(inner, node_url, on_progress)
                .await
                .map_err(JsValue::from)
        })
    }
}
