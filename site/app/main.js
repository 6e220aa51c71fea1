// The demo page: pins a trust anchor, runs the light client in a Web Worker (web/worker.js)
// and renders its verdicts. Nothing here verifies anything: the worker does, in WebAssembly.
//
// URL parameters: ?node=<url> (default: the origin that served the page),
// ?anchor_hash=0x… (refuse any anchor with another hash), ?poll=<ms> (re-sync period, 2000).

const $ = (sel) => document.querySelector(sel);
const params = new URLSearchParams(location.search);
const expectedHash = (params.get("anchor_hash") || "").trim().toLowerCase() || null;
const pollMs = Math.max(250, Number(params.get("poll")) || 2000);

// ---- the worker, with request/response ids --------------------------------------------------

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let nextId = 1;
const pending = new Map();
let onProgress = null;

worker.onmessage = (ev) => {
  const m = ev.data;
  if (m.type === "progress") {
    if (onProgress) onProgress(m);
    return;
  }
  const p = pending.get(m.id);
  if (!p) return;
  pending.delete(m.id);
  if (m.type === "error") {
    const e = new Error(m.message);
    e.name = m.name;
    p.reject(e);
  } else {
    p.resolve(m);
  }
};
worker.onerror = (ev) => {
  banner("error", "worker", "The light client could not start", ev.message || "the Web Worker failed to load");
  for (const p of pending.values()) p.reject(new Error("worker failed"));
  pending.clear();
};

function ask(msg) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...msg, id });
  });
}

// ---- banners -------------------------------------------------------------------------------

function banner(level, kind, title, text) {
  let el = document.querySelector(`#banners .banner[data-kind="${kind}"]`);
  if (!el) {
    el = document.createElement("div");
    el.dataset.kind = kind;
    $("#banners").append(el);
  }
  el.className = `banner ${level}`;
  el.setAttribute("role", level === "error" ? "alert" : "status");
  el.replaceChildren();
  const t = document.createElement("strong");
  t.textContent = title;
  el.append(t, document.createTextNode(text));
}

function clearBanner(kind) {
  document.querySelector(`#banners .banner[data-kind="${kind}"]`)?.remove();
}

function clearAllBanners() {
  $("#banners").replaceChildren();
}

/** Show a failure from the worker or from fetch as the right banner. */
function showError(e, context) {
  switch (e.name) {
    case "NodeUnreachableError":
      banner("error", "unreachable", "Node unreachable.", ` ${e.message}. Retrying…`);
      break;
    case "BadDataError":
      banner("error", "bad-data", "The node served bad data.", ` ${e.message}. Nothing from it is trusted; retrying…`);
      break;
    case "AnchorError":
      banner("error", "bad-data", "Invalid trust anchor.", ` ${context || ""}${e.message}`);
      break;
    case "LoadError":
      banner("error", "worker", "The light client could not start.", ` ${e.message}`);
      break;
    default:
      banner("error", "bad-data", "Error.", ` ${context || ""}${e.message}`);
  }
}

// ---- small rendering helpers ---------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function hex(h, keep = 6) {
  if (typeof h !== "string") return el("span", { class: "muted", text: "—" });
  const short = h.length > 2 + 2 * keep ? `${h.slice(0, 2 + keep)}…${h.slice(-keep)}` : h;
  return el("span", { class: "hex", title: h, text: short, "data-full": h });
}

function fmtBound(b) {
  return b == null ? "any amount" : `below ${Number(b).toLocaleString("en-US")}`;
}

// ---- the anchor ----------------------------------------------------------------------------

const nodeInput = $("#node-url");
nodeInput.value = params.get("node") || location.origin;

function nodeBase() {
  return nodeInput.value.trim().replace(/\/+$/, "");
}

function pinKey(node) {
  return `multiprover:anchor:${node}`;
}

function readPin(node) {
  try {
    const p = JSON.parse(localStorage.getItem(pinKey(node)) || "null");
    return p && typeof p.anchorJson === "string" ? p : null;
  } catch {
    return null;
  }
}

function writePin(node, anchorJson, how) {
  localStorage.setItem(pinKey(node), JSON.stringify({ anchorJson, how, at: new Date().toISOString() }));
}

async function fetchServedAnchor(node) {
  let r;
  try {
    r = await fetch(`${node}/api/anchor`, { cache: "no-store" });
  } catch (e) {
    const err = new Error(`cannot reach ${node}/api/anchor: ${e.message}`);
    err.name = "NodeUnreachableError";
    throw err;
  }
  if (!r.ok) {
    const err = new Error(`${node}/api/anchor answered HTTP ${r.status}`);
    err.name = "BadDataError";
    throw err;
  }
  return r.text();
}

function renderAnchor(summary, pin, compiled) {
  $("#anchor-panel").hidden = false;
  const how = {
    tofu: `Pinned on first use: this browser trusted the anchor that ${pin.node} served on ${pin.at} and will refuse any other. Compare the hash below with one you obtained out-of-band.`,
    pasted: `Pinned by you (pasted) on ${pin.at}.`,
    url: `Matches the anchor_hash you gave in the URL; pinned on ${pin.at}.`,
  }[pin.how] || `Pinned on ${pin.at}.`;
  $("#pin-note").textContent = how;
  const facts = [
    ["anchor hash", hex(summary.hash, 64)],
    ["chain id", String(summary.chain_id)],
    ["profile", `tree depth ${summary.profile.depth}, ${summary.profile.capacity} transfers per batch`],
    ["genesis root", hex(summary.genesis_root, 64)],
    ["genesis accounts", String(summary.genesis_accounts)],
    ["TEE registry", `${summary.tee_instances.length} enclave instance(s), ${summary.tee_measurements.length} accepted measurement(s)`],
    ["council", hex(summary.council, 40)],
  ];
  if (summary.policy.quarantined.length) facts.push(["quarantined", summary.policy.quarantined.join(", ")]);
  $("#anchor-facts").replaceChildren(
    ...facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { "data-fact": k }, v)]),
  );
  $("#anchor-panel").dataset.hash = summary.hash;
  $("#policy tbody").replaceChildren(
    ...summary.policy.tiers.map((t) =>
      el("tr", {},
        el("td", { text: fmtBound(t.below) }),
        el("td", { text: String(t.min_systems) }),
        el("td", { text: t.required_families.join(", ") || "—" }))),
  );
  $("#systems tbody").replaceChildren(
    ...summary.systems.map((s) =>
      el("tr", { "data-system": s.system },
        el("td", { text: s.system }),
        el("td", { text: s.families.join(", ") }),
        el("td", {}, hex(s.vk_id, 64)),
        el("td", { text: `${s.key_bytes.toLocaleString("en-US")} B` }),
        el("td", { text: s.compiled ? "verifies" : "cannot verify (not compiled in)" }))),
  );
  const missing = summary.systems.filter((s) => !compiled.includes(s.system)).map((s) => s.system);
  if (missing.length) {
    banner("warn", "not-compiled", "Incomplete build.", ` This build of the light client was compiled without the ${missing.join(", ")} verifier(s): their proofs are shown as rejected and never count.`);
  } else {
    clearBanner("not-compiled");
  }
}

// ---- batches -------------------------------------------------------------------------------

const rows = new Map();

function verdictCell(v) {
  const d = v.decision;
  const cell = el("td", { class: "verdict" });
  if (v.status === "final") {
    cell.append("Final ", hex(v.final_root),
      el("span", { class: "detail", text: d.status === "final" ? `agreed by ${d.systems.join(", ")}` : "" }));
  } else if (d.status === "conflict") {
    cell.append(`Conflict${v.status === "halted" ? " — batch halted" : ""}`);
    for (const [root, systems] of d.roots) {
      cell.append(el("span", { class: "detail", "data-conflict-root": root }, hex(root), ` proven by ${systems.join(", ")}`));
    }
    cell.append(el("span", { class: "detail", text: "Two valid proofs of different post roots: at least one system is unsound. Only the council can resolve it." }));
  } else if (d.status === "pending") {
    cell.append("Pending");
    const why = [];
    if (d.missing.length) why.push(`missing: ${d.missing.join(", ")}`);
    why.push(`${d.have} of ${d.need} systems agree`);
    if (d.missing_families.length) why.push(`needs ${d.missing_families.join(", ")}`);
    cell.append(el("span", { class: "detail", "data-missing": d.missing.join(","), text: why.join("; ") }));
  } else if (d.status === "final") {
    cell.append("Pending", el("span", { class: "detail", text: "policy met; waiting for the previous batch to be final" }));
  }
  return cell;
}

function proofsCell(v) {
  const cell = el("td", { class: "proofs" });
  if (!v.proofs.length) cell.append(el("span", { class: "muted", text: "no proofs yet" }));
  for (const p of v.proofs) {
    const line = el("span", {
      class: `proof ${p.ok ? "ok" : "bad"}`,
      "data-system": p.system || "unknown",
      "data-ok": String(p.ok),
    }, `${p.system || "undecodable"} `, el("span", { class: "ms", text: `${p.millis.toFixed(1)} ms` }));
    if (p.ok && p.post_root) line.append(" → ", hex(p.post_root, 4));
    if (!p.ok) line.append(el("span", { class: "why", text: p.error || "rejected" }));
    cell.append(line);
  }
  return cell;
}

function renderVerdict(v) {
  const tr = el("tr", {
    "data-batch": String(v.batch_number),
    "data-status": v.status,
    "data-decision": v.decision.status,
  },
  el("td", { text: String(v.batch_number) }),
  el("td", {}, hex(v.pre_root)),
  el("td", {}, hex(v.claimed_post_root)),
  el("td", {}, hex(v.batch_hash)),
  el("td", { text: `${v.transfers} / ${v.value_at_risk}` }),
  proofsCell(v),
  verdictCell(v));
  const old = rows.get(v.batch_number);
  if (old) {
    old.replaceWith(tr);
  } else {
    const body = $("#batches tbody");
    const after = [...rows.keys()].filter((n) => n > v.batch_number).sort((a, b) => a - b)[0];
    body.insertBefore(tr, after ? rows.get(after) : null);
  }
  rows.set(v.batch_number, tr);
}

function renderSummary(status, verdicts) {
  const s = $("#summary");
  s.dataset.head = String(status.head);
  s.dataset.final = String(status.final_batch);
  s.dataset.conflicts = status.conflicts.join(",");
  const parts = [`${status.head} batch(es) verified`, `final up to batch ${status.final_batch}`];
  s.replaceChildren(parts.join(" · "), " (root ", hex(status.final_root), ")");
  if (status.conflicts.length) {
    s.append(el("strong", { text: ` · conflict in batch ${status.conflicts.join(", ")}` }));
    banner("error", "conflict", "Conflict.", ` Batch ${status.conflicts.join(", ")}: valid proofs of different post roots. The batch is halted and nothing after it becomes final.`);
  } else {
    clearBanner("conflict");
  }
  const rejected = verdicts.flatMap((v) => v.proofs.filter((p) => !p.ok && !/compiled without/.test(p.error || "")));
  if (rejected.length) {
    banner("warn", "rejected-proofs", "Rejected proofs.", ` The node served ${rejected.length} proof(s) that failed verification; they do not count.`);
  } else {
    clearBanner("rejected-proofs");
  }
}

function setProgress(done, total) {
  $("#progress-row").hidden = false;
  $("#progress").max = Math.max(total, 1);
  $("#progress").value = total ? done : 1;
  $("#progress-label").textContent = total ? `verified ${done} of ${total} batch(es)` : "up to date";
  $("#progress-row").dataset.done = String(done);
  $("#progress-row").dataset.total = String(total);
}

// ---- connect and sync loop -----------------------------------------------------------------

let session = 0;
let timer = null;

async function connect() {
  const my = ++session;
  clearTimeout(timer);
  clearAllBanners();
  rows.clear();
  $("#batches tbody").replaceChildren();
  $("#summary").replaceChildren();
  $("#anchor-panel").hidden = true;
  document.body.dataset.state = "connecting";
  const node = nodeBase();

  let served = null;
  let servedError = null;
  try {
    served = await fetchServedAnchor(node);
  } catch (e) {
    servedError = e;
  }
  if (my !== session) return;
  const hashOf = async (json) => (await ask({ type: "inspect", anchorJson: json })).summary.hash.toLowerCase();

  let pin = readPin(node);
  let chosen = null;
  let compiled = [];
  try {
    if (pin) {
      const r = await ask({ type: "inspect", anchorJson: pin.anchorJson });
      compiled = r.compiled;
      if (expectedHash && r.summary.hash.toLowerCase() !== expectedHash) {
        pin = null; // the URL's hash overrides an older pin; try the served anchor below
      } else {
        chosen = { json: pin.anchorJson, summary: r.summary, pin: { ...pin, node } };
      }
    }
    if (!chosen) {
      if (!served) {
        showError(servedError, "");
        document.body.dataset.state = "error";
        return;
      }
      let r;
      try {
        r = await ask({ type: "inspect", anchorJson: served });
      } catch (e) {
        banner("error", "bad-data", "The node served bad data.", ` Its trust anchor is invalid: ${e.message}`);
        document.body.dataset.state = "error";
        return;
      }
      compiled = r.compiled;
      const hash = r.summary.hash.toLowerCase();
      if (expectedHash && hash !== expectedHash) {
        banner("error", "anchor-mismatch", "Anchor hash mismatch.", ` The node serves an anchor with hash ${hash}, but the URL pins ${expectedHash}. Not syncing: this node is on another chain or lying.`);
        document.body.dataset.state = "error";
        return;
      }
      const how = expectedHash ? "url" : "tofu";
      writePin(node, served, how);
      chosen = { json: served, summary: r.summary, pin: { ...readPin(node), node } };
    }
  } catch (e) {
    if (my !== session) return;
    showError(e, "pinned anchor: ");
    document.body.dataset.state = "error";
    return;
  }
  if (my !== session) return;
  renderAnchor(chosen.summary, chosen.pin, compiled);

  // A pinned anchor and a node that serves another one: say so, and do not sync.
  if (served && served !== chosen.json) {
    let servedHash = null;
    try {
      servedHash = await hashOf(served);
    } catch {
      servedHash = "an invalid anchor";
    }
    if (servedHash !== chosen.summary.hash.toLowerCase()) {
      banner("error", "anchor-mismatch", "Anchor mismatch.", ` This node serves ${servedHash}, but you pinned ${chosen.summary.hash}. Not syncing. If you expected the chain to change, check the new hash out-of-band, then use “Forget this pin”.`);
      document.body.dataset.state = "error";
      return;
    }
  }
  syncLoop(my, node, chosen.json);
}

async function syncLoop(my, node, anchorJson) {
  if (my !== session) return;
  document.body.dataset.state = "syncing";
  onProgress = (m) => {
    if (my !== session) return;
    setProgress(m.done, m.total);
    if (m.verdict) renderVerdict(m.verdict);
  };
  try {
    const r = await ask({ type: "sync", node, anchorJson });
    if (my !== session) return;
    clearBanner("unreachable");
    clearBanner("bad-data");
    for (const v of r.verdicts) renderVerdict(v);
    renderSummary(r.status, r.verdicts);
    if (r.status.head === 0) setProgress(0, 0);
    document.body.dataset.state = "synced";
  } catch (e) {
    if (my !== session) return;
    showError(e, "");
    document.body.dataset.state = "error";
  }
  timer = setTimeout(() => syncLoop(my, node, anchorJson), pollMs);
}

// ---- controls ------------------------------------------------------------------------------

$("#connect-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  connect();
});

$("#forget-pin").addEventListener("click", () => {
  localStorage.removeItem(pinKey(nodeBase()));
  ask({ type: "reset" }).catch(() => {});
  connect();
});

$("#pin-pasted").addEventListener("click", async () => {
  const json = $("#anchor-paste").value.trim();
  try {
    await ask({ type: "inspect", anchorJson: json });
  } catch (e) {
    banner("error", "paste", "Not a valid trust anchor.", ` ${e.message}`);
    return;
  }
  clearBanner("paste");
  writePin(nodeBase(), json, "pasted");
  $("#pin-box").open = false;
  connect();
});

connect();
