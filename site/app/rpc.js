// @ts-check
// The page's side of the worker protocol: each call gets an id, a promise and, for a sync,
// its own progress channel, so that a stale call's progress never reaches a newer session.
//
// Protocol (site/app/worker.js is the other side):
//   page -> worker   { id, method: "inspect", anchorJson }
//                    { id, method: "sync", node, anchorJson }
//                    { id, method: "reset" }
//   worker -> page   { id, progress: { done, total, verdict } }   zero or more, sync only
//                    { id, result }                               once, on success
//                    { id, error: { kind, name, message } }       once, on failure

import { kindError } from "./errors.js";

/** @typedef {import("../pkg/multiprover_wasm.js").AnchorSummary} AnchorSummary */
/** @typedef {import("../pkg/multiprover_wasm.js").BatchVerdict} BatchVerdict */
/** @typedef {import("../pkg/multiprover_wasm.js").ChainStatus} ChainStatus */
/** @typedef {import("../pkg/multiprover_wasm.js").SystemId} SystemId */
/** @typedef {import("./errors.js").ErrorKind} ErrorKind */

/**
 * @typedef {{ method: "inspect", anchorJson: string }
 *   | { method: "sync", node: string, anchorJson: string }
 *   | { method: "reset" }} Request
 */
/** @typedef {{ done: number, total: number, verdict: BatchVerdict | null }} Progress */
/** @typedef {{ summary: AnchorSummary, compiled: SystemId[] }} InspectResult */
/** @typedef {{ status: ChainStatus, verdicts: BatchVerdict[] }} SyncResult */
/** @typedef {{ kind: ErrorKind | undefined, name: string, message: string }} WireError */
/**
 * @typedef {{ id: number, progress: Progress }
 *   | { id: number, result: unknown }
 *   | { id: number, error: WireError }} Reply
 */

/**
 * @typedef {object} Pending
 * @property {(value: unknown) => void} resolve
 * @property {(error: Error) => void} reject
 * @property {((p: Progress) => void) | undefined} onProgress
 */

/** The light client behind a module Web Worker. */
export class LightClientWorker {
  /**
   * @param {URL} url the worker module
   * @param {(message: string) => void} onCrash called once if the worker itself fails
   */
  constructor(url, onCrash) {
    /** @type {Map<number, Pending>} */
    this.pending = new Map();
    this.nextId = 1;
    this.worker = new Worker(url, { type: "module" });
    this.worker.onmessage = (ev) => this.receive(/** @type {Reply} */ (ev.data));
    this.worker.onerror = (ev) => {
      onCrash(ev.message || "the Web Worker failed to load");
      for (const p of this.pending.values()) p.reject(kindError("load", "the light client's worker failed"));
      this.pending.clear();
    };
  }

  /** @param {Reply} m */
  receive(m) {
    const p = this.pending.get(m.id);
    if (!p) return;
    if ("progress" in m) {
      p.onProgress?.(m.progress);
      return;
    }
    this.pending.delete(m.id);
    if ("error" in m) {
      const e = kindError(m.error.kind ?? "internal", m.error.message);
      e.name = m.error.name;
      p.reject(e);
    } else {
      p.resolve(m.result);
    }
  }

  /**
   * @param {Request} request
   * @param {(p: Progress) => void} [onProgress]
   * @returns {Promise<unknown>}
   */
  call(request, onProgress) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ ...request, id });
    });
  }

  /**
   * Summarize an anchor (and say which systems this build verifies); throws kind `anchor`.
   * @param {string} anchorJson
   * @returns {Promise<InspectResult>}
   */
  async inspect(anchorJson) {
    return /** @type {InspectResult} */ (await this.call({ method: "inspect", anchorJson }));
  }

  /**
   * One sync pass against a node; `onProgress` hears only this pass.
   * @param {string} node
   * @param {string} anchorJson
   * @param {(p: Progress) => void} onProgress
   * @returns {Promise<SyncResult>}
   */
  async sync(node, anchorJson, onProgress) {
    return /** @type {SyncResult} */ (await this.call({ method: "sync", node, anchorJson }, onProgress));
  }

  /** Drop the worker's client (its verified chain), e.g. after the pin is forgotten. */
  async reset() {
    await this.call({ method: "reset" });
  }
}
