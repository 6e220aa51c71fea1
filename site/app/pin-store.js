// @ts-check
// The anchor pins: which trust anchor this browser accepts from a node. A pin is made on first
// use (the anchor the node served on the first visit), by pasting an anchor obtained
// out-of-band, or by an ?anchor_hash= in the URL; once made, any other anchor is refused.
// Pure over a `Storage` (localStorage in the page, a Map-backed stand-in in a test).

/** @typedef {"tofu" | "pasted" | "url"} PinHow */
/** @typedef {{ anchorJson: string, how: PinHow, at: string }} Pin */

/** The storage key of a node's pin. @param {string} node */
export function pinKey(node) {
  return `multiprover:anchor:${node}`;
}

/**
 * A node's pin, or null if none (or if the stored value is not a pin).
 * @param {Pick<Storage, "getItem">} storage
 * @param {string} node
 * @returns {Pin | null}
 */
export function readPin(storage, node) {
  try {
    const p = JSON.parse(storage.getItem(pinKey(node)) || "null");
    return p && typeof p.anchorJson === "string" ? p : null;
  } catch {
    return null;
  }
}

/**
 * Pin an anchor for a node (replacing any older pin) and return the pin.
 * @param {Pick<Storage, "setItem">} storage
 * @param {string} node
 * @param {string} anchorJson
 * @param {PinHow} how
 * @param {Date} [now]
 * @returns {Pin}
 */
export function writePin(storage, node, anchorJson, how, now = new Date()) {
  const pin = { anchorJson, how, at: now.toISOString() };
  storage.setItem(pinKey(node), JSON.stringify(pin));
  return pin;
}

/**
 * Forget a node's pin: the next visit trusts on first use again.
 * @param {Pick<Storage, "removeItem">} storage
 * @param {string} node
 */
export function forgetPin(storage, node) {
  storage.removeItem(pinKey(node));
}
