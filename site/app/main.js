// @ts-check
// The demo page: pins a trust anchor, runs the light client in a Web Worker (./worker.js) and
// renders its verdicts. Nothing here verifies anything: the worker does, in WebAssembly.
//
// URL parameters: ?node=<url> (default: the origin that served the page),
// ?anchor_hash=0x… (refuse any anchor with another hash), ?poll=<ms> (re-sync period, 2000).

import { kindError, kindOf, messageOf } from "./errors.js";
import { forgetPin, readPin, writePin } from "./pin-store.js";
import { LightClientWorker } from "./rpc.js";
import { hideAnchor, renderAnchor } from "./ui/anchor-panel.js";
import { banner, clearAllBanners, clearBanner, showError } from "./ui/banners.js";
import { BatchTable, setProgress } from "./ui/batch-table.js";
import { $ } from "./ui/dom.js";

/** @typedef {import("./rpc.js").AnchorSummary} AnchorSummary */
/** @typedef {import("./rpc.js").SystemId} SystemId */
/** @typedef {import("./ui/anchor-panel.js").NodePin} NodePin */

const params = new URLSearchParams(location.search);
const expectedHash = (params.get("anchor_hash") || "").trim().toLowerCase() || null;
const pollMs = Math.max(250, Number(params.get("poll")) || 2000);

const nodeInput = /** @type {HTMLInputElement} */ ($("#node-url"));
nodeInput.value = params.get("node") || location.origin;

const worker = new LightClientWorker(new URL("./worker.js", import.meta.url), (message) =>
  banner("error", "worker", "The light client could not start.", ` ${message}`));
const table = new BatchTable();

/**
 * One connection to a node, from fetching its anchor to the sync loop. `connect()` ends the
 * current one and starts another; anything an ended session was waiting for is dropped.
 * @typedef {object} Session
 * @property {boolean} live
 * @property {ReturnType<typeof setTimeout> | undefined} timer the next sync pass
 */

/** The page's only mutable state. @type {Session} */
let session = { live: false, timer: undefined };

function nodeBase() {
  return nodeInput.value.trim().replace(/\/+$/, "");
}

/** @param {"connecting" | "syncing" | "synced" | "error"} state */
function setState(state) {
  document.body.dataset.state = state;
}

/**
 * The anchor JSON the node serves (not trusted: it is checked against the pin).
 * @param {string} node
 */
async function fetchServedAnchor(node) {
  let r;
  try {
    r = await fetch(`${node}/api/anchor`, { cache: "no-store" });
  } catch (e) {
    throw kindError("unreachable", `cannot reach ${node}/api/anchor: ${messageOf(e)}`);
  }
  if (!r.ok) throw kindError("http", `${node}/api/anchor answered HTTP ${r.status}`);
  return r.text();
}

/**
 * The anchor to sync with: the node's pin (unless the URL's hash overrides it), else the
 * served anchor, pinned now; null (with a banner shown) if there is none to trust.
 * @param {Session} s
 * @param {string} node
 * @param {{ json: string } | { error: unknown }} served
 * @returns {Promise<{ json: string, summary: AnchorSummary, pin: NodePin, compiled: SystemId[] } | null>}
 */
async function chooseAnchor(s, node, served) {
  const pin = readPin(localStorage, node);
  if (pin) {
    const r = await worker.inspect(pin.anchorJson);
    // The URL's hash overrides an older pin: then the served anchor is tried below.
    if (!expectedHash || r.summary.hash.toLowerCase() === expectedHash) {
      return { json: pin.anchorJson, summary: r.summary, pin: { ...pin, node }, compiled: r.compiled };
    }
  }
  if ("error" in served) {
    showError(served.error);
    return null;
  }
  let r;
  try {
    r = await worker.inspect(served.json);
  } catch (e) {
    if (kindOf(e) === "anchor") {
      banner("error", "bad-data", "The node served bad data.", ` Its trust anchor is invalid: ${messageOf(e)}`);
    } else {
      showError(e);
    }
    return null;
  }
  if (!s.live) return null;
  const hash = r.summary.hash.toLowerCase();
  if (expectedHash && hash !== expectedHash) {
    banner("error", "anchor-mismatch", "Anchor hash mismatch.", ` The node serves an anchor with hash ${hash}, but the URL pins ${expectedHash}. Not syncing: this node is on another chain or lying.`);
    return null;
  }
  const made = writePin(localStorage, node, served.json, expectedHash ? "url" : "tofu");
  return { json: served.json, summary: r.summary, pin: { ...made, node }, compiled: r.compiled };
}

async function connect() {
  session.live = false;
  clearTimeout(session.timer);
  const s = (session = { live: true, timer: undefined });
  clearAllBanners();
  table.clear();
  hideAnchor();
  setState("connecting");
  const node = nodeBase();

  /** @type {{ json: string } | { error: unknown }} */
  let served;
  try {
    served = { json: await fetchServedAnchor(node) };
  } catch (error) {
    served = { error };
  }
  if (!s.live) return;

  let chosen;
  try {
    chosen = await chooseAnchor(s, node, served);
  } catch (e) {
    if (s.live) showError(e, "pinned anchor: ");
    chosen = null;
  }
  if (!s.live) return;
  if (!chosen) {
    setState("error");
    return;
  }
  renderAnchor(chosen.summary, chosen.pin, chosen.compiled);

  // A pinned anchor and a node that serves another one: say so, and do not sync.
  if ("json" in served && served.json !== chosen.json) {
    let servedHash;
    try {
      servedHash = (await worker.inspect(served.json)).summary.hash.toLowerCase();
    } catch {
      servedHash = "an invalid anchor";
    }
    if (!s.live) return;
    if (servedHash !== chosen.summary.hash.toLowerCase()) {
      banner("error", "anchor-mismatch", "Anchor mismatch.", ` This node serves ${servedHash}, but you pinned ${chosen.summary.hash}. Not syncing. If you expected the chain to change, check the new hash out-of-band, then use “Forget this pin”.`);
      setState("error");
      return;
    }
  }
  syncLoop(s, node, chosen.json);
}

/**
 * Sync, render, wait `pollMs`, again, until the session ends.
 * @param {Session} s
 * @param {string} node
 * @param {string} anchorJson
 */
async function syncLoop(s, node, anchorJson) {
  if (!s.live) return;
  setState("syncing");
  try {
    const r = await worker.sync(node, anchorJson, (p) => {
      if (!s.live) return;
      setProgress(p.done, p.total);
      if (p.verdict) table.render(p.verdict);
    });
    if (!s.live) return;
    clearBanner("unreachable");
    clearBanner("bad-data");
    for (const v of r.verdicts) table.render(v);
    table.summarize(r.status, r.verdicts);
    if (r.status.head === 0) setProgress(0, 0);
    setState("synced");
  } catch (e) {
    if (!s.live) return;
    showError(e);
    setState("error");
  }
  s.timer = setTimeout(() => syncLoop(s, node, anchorJson), pollMs);
}

$("#connect-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  connect();
});

$("#forget-pin").addEventListener("click", () => {
  forgetPin(localStorage, nodeBase());
  worker.reset().catch(() => {});
  connect();
});

$("#pin-pasted").addEventListener("click", async () => {
  const json = /** @type {HTMLTextAreaElement} */ ($("#anchor-paste")).value.trim();
  try {
    await worker.inspect(json);
  } catch (e) {
    banner("error", "paste", "Not a valid trust anchor.", ` ${messageOf(e)}`);
    return;
  }
  clearBanner("paste");
  writePin(localStorage, nodeBase(), json, "pasted");
  /** @type {HTMLDetailsElement} */ ($("#pin-box")).open = false;
  connect();
});

connect();
