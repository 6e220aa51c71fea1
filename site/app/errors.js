// @ts-check
// The error kinds the page tells apart. It never reads a Rust message to decide anything: a
// thrown error carries `.kind`, a rejected proof in a verdict carries `error.kind`.

/**
 * Why a verification failed (Rust `multiprover_core::ErrorKind`, camelCase).
 * @typedef {"malformed" | "wrongSystem" | "wrongKey" | "wrongStatement" | "rejected"
 *   | "notCompiled" | "expired" | "setup" | "unprovable" | "internal"} VerifyKind
 */

/**
 * Why a call into the light client failed before or around verification (the wasm package's
 * thrown errors), plus `load`: the page's own kind for a light client that did not start.
 * @typedef {"anchor" | "badData" | "http" | "unreachable" | "invalidArgument" | "callback"
 *   | "convert" | "load"} TransportKind
 */

/** @typedef {VerifyKind | TransportKind} ErrorKind */

/**
 * A failed proof inside a batch verdict: `ProofResult.error`.
 * @typedef {{ kind: VerifyKind, message: string }} ProofError
 */

/**
 * An `Error` with a kind, as the wasm package throws it and as the worker RPC re-creates it.
 * @typedef {Error & { kind: ErrorKind | undefined }} KindError
 */

/**
 * An error of the given kind (for failures the page meets itself, such as fetching the
 * anchor, so that they are shown like the light client's own).
 * @param {ErrorKind} kind
 * @param {string} message
 * @returns {KindError}
 */
export function kindError(kind, message) {
  const e = /** @type {KindError} */ (new Error(message));
  e.kind = kind;
  return e;
}

/**
 * The kind of anything thrown (undefined if it has none: a bug, not a verdict).
 * @param {unknown} e
 * @returns {ErrorKind | undefined}
 */
export function kindOf(e) {
  const k = e && typeof e === "object" ? /** @type {{ kind?: unknown }} */ (e).kind : undefined;
  return typeof k === "string" ? /** @type {ErrorKind} */ (k) : undefined;
}

/**
 * The message of anything thrown.
 * @param {unknown} e
 * @returns {string}
 */
export function messageOf(e) {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The error of one proof in a verdict, or null if it verified.
 * @param {{ error: unknown }} proof a `ProofResult`
 * @returns {ProofError | null}
 */
export function proofError(proof) {
  const e = /** @type {ProofError | null} */ (proof.error);
  return e && typeof e === "object" ? e : null;
}
