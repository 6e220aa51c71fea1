// @ts-check
// The batches: one row per verified batch (its proofs and the light client's verdict), the
// summary line under the heading, and the sync progress bar.

import { proofError } from "../errors.js";
import { banner, clearBanner } from "./banners.js";
import { $, el, hex } from "./dom.js";

/** @typedef {import("../rpc.js").BatchVerdict} BatchVerdict */
/** @typedef {import("../rpc.js").ChainStatus} ChainStatus */

/** @param {BatchVerdict} v */
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

/** @param {BatchVerdict} v */
function proofsCell(v) {
  const cell = el("td", { class: "proofs" });
  if (!v.proofs.length) cell.append(el("span", { class: "muted", text: "no proofs yet" }));
  for (const p of v.proofs) {
    const error = proofError(p);
    /** @type {Record<string, string>} */
    const attrs = { class: `proof ${p.ok ? "ok" : "bad"}`, "data-system": p.system || "unknown", "data-ok": String(p.ok) };
    if (error) attrs["data-error-kind"] = error.kind;
    const line = el("span", attrs, `${p.system || "undecodable"} `, el("span", { class: "ms", text: `${p.millis.toFixed(1)} ms` }));
    if (p.ok && p.post_root) line.append(" → ", hex(p.post_root, 4));
    if (!p.ok) line.append(el("span", { class: "why", text: error ? error.message : "rejected" }));
    cell.append(line);
  }
  return cell;
}

/** The table of batches; its rows are kept by batch number, in order. */
export class BatchTable {
  constructor() {
    /** @type {Map<number, HTMLElement>} */
    this.rows = new Map();
    this.body = $("#batches tbody");
  }

  clear() {
    this.rows.clear();
    this.body.replaceChildren();
    $("#summary").replaceChildren();
  }

  /** Add a batch's row, or replace it if the batch is already shown. @param {BatchVerdict} v */
  render(v) {
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
    const old = this.rows.get(v.batch_number);
    if (old) {
      old.replaceWith(tr);
    } else {
      const after = [...this.rows.keys()].filter((n) => n > v.batch_number).sort((a, b) => a - b)[0];
      this.body.insertBefore(tr, after ? this.rows.get(after) ?? null : null);
    }
    this.rows.set(v.batch_number, tr);
  }

  /**
   * The summary line after a sync pass, and the conflict and rejected-proof banners. A proof
   * this build cannot verify (kind `notCompiled`) is not counted as rejected by the node.
   * @param {ChainStatus} status
   * @param {BatchVerdict[]} verdicts
   */
  summarize(status, verdicts) {
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
    const rejected = verdicts.flatMap((v) => v.proofs.filter((p) => !p.ok && proofError(p)?.kind !== "notCompiled"));
    if (rejected.length) {
      banner("warn", "rejected-proofs", "Rejected proofs.", ` The node served ${rejected.length} proof(s) that failed verification; they do not count.`);
    } else {
      clearBanner("rejected-proofs");
    }
  }
}

/**
 * The progress bar of a sync pass (`total` 0: nothing new, up to date).
 * @param {number} done
 * @param {number} total
 */
export function setProgress(done, total) {
  const row = $("#progress-row");
  const bar = /** @type {HTMLProgressElement} */ ($("#progress"));
  row.hidden = false;
  bar.max = Math.max(total, 1);
  bar.value = total ? done : 1;
  $("#progress-label").textContent = total ? `verified ${done} of ${total} batch(es)` : "up to date";
  row.dataset.done = String(done);
  row.dataset.total = String(total);
}
