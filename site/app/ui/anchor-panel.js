// @ts-check
// The pinned trust anchor: how it was pinned, its facts, its policy and its verifying keys,
// and a warning if this build of the light client cannot verify some of its systems.

import { banner, clearBanner } from "./banners.js";
import { $, el, hex } from "./dom.js";

/** @typedef {import("../rpc.js").AnchorSummary} AnchorSummary */
/** @typedef {import("../rpc.js").SystemId} SystemId */
/** @typedef {import("../pin-store.js").Pin & { node: string }} NodePin */

/** @param {number | null} b */
function fmtBound(b) {
  return b == null ? "any amount" : `below ${Number(b).toLocaleString("en-US")}`;
}

/** @param {NodePin} pin */
function pinNote(pin) {
  switch (pin.how) {
    case "tofu":
      return `Pinned on first use: this browser trusted the anchor that ${pin.node} served on ${pin.at} and will refuse any other. Compare the hash below with one you obtained out-of-band.`;
    case "pasted":
      return `Pinned by you (pasted) on ${pin.at}.`;
    case "url":
      return `Matches the anchor_hash you gave in the URL; pinned on ${pin.at}.`;
    default:
      return `Pinned on ${pin.at}.`;
  }
}

export function hideAnchor() {
  $("#anchor-panel").hidden = true;
}

/**
 * @param {AnchorSummary} summary
 * @param {NodePin} pin
 * @param {SystemId[]} compiled the systems this build verifies
 */
export function renderAnchor(summary, pin, compiled) {
  const panel = $("#anchor-panel");
  panel.hidden = false;
  panel.dataset.hash = summary.hash;
  $("#pin-note").textContent = pinNote(pin);
  /** @type {[string, Node | string][]} */
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
