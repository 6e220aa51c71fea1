// @ts-check
// The banners above the page (an aria-live region): at most one per topic, replaced in place.
// Topics (`data-kind`, read by the tests): worker, unreachable, bad-data, anchor-mismatch,
// not-compiled, conflict, rejected-proofs, paste.

import { kindOf, messageOf } from "../errors.js";
import { $ } from "./dom.js";

/**
 * Show (or replace) the banner of a topic.
 * @param {"error" | "warn" | "info"} level
 * @param {string} topic
 * @param {string} title
 * @param {string} text
 */
export function banner(level, topic, title, text) {
  let b = /** @type {HTMLElement | null} */ (document.querySelector(`#banners .banner[data-kind="${topic}"]`));
  if (!b) {
    b = document.createElement("div");
    b.dataset.kind = topic;
    $("#banners").append(b);
  }
  b.className = `banner ${level}`;
  b.setAttribute("role", level === "error" ? "alert" : "status");
  const t = document.createElement("strong");
  t.textContent = title;
  b.replaceChildren(t, document.createTextNode(text));
}

/** @param {string} topic */
export function clearBanner(topic) {
  document.querySelector(`#banners .banner[data-kind="${topic}"]`)?.remove();
}

export function clearAllBanners() {
  $("#banners").replaceChildren();
}

/**
 * Show a failure of the light client (or of fetching the anchor) as the banner its kind
 * calls for.
 * @param {unknown} e
 * @param {string} [context] prefixed to the message
 */
export function showError(e, context = "") {
  const message = messageOf(e);
  switch (kindOf(e)) {
    case "unreachable":
      banner("error", "unreachable", "Node unreachable.", ` ${message}. Retrying…`);
      break;
    case "badData":
    case "http":
      banner("error", "bad-data", "The node served bad data.", ` ${message}. Nothing from it is trusted; retrying…`);
      break;
    case "anchor":
      banner("error", "bad-data", "Invalid trust anchor.", ` ${context}${message}`);
      break;
    case "load":
      banner("error", "worker", "The light client could not start.", ` ${message}`);
      break;
    default:
      banner("error", "bad-data", "Error.", ` ${context}${message}`);
  }
}
