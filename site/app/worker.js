// @ts-check
// The light client's Web Worker: all verification happens here, so the page never freezes.
// The protocol is described and typed in ./rpc.js. Requests run one at a time, in order: a
// sync pass is async, and two must never run over one client.

import init, { LightClient, anchorInfo, compiledSystems } from "../pkg/multiprover_wasm.js";
import { kindError, kindOf, messageOf } from "./errors.js";

/** @typedef {import("./rpc.js").Request & { id: number }} Message */
/** @typedef {import("./rpc.js").Reply} Reply */

/** @type {Promise<{ ok: true, compiled: import("./rpc.js").SystemId[] } | { ok: false, message: string }>} */
const ready = init().then(
  () => ({ ok: true, compiled: compiledSystems() }),
  (e) => ({ ok: false, message: `could not load the light client (pkg/multiprover_wasm*.js/.wasm): ${messageOf(e)}` }),
);

/** The worker's state: the client, the anchor it was made for, and the requests in line. */
const state = {
  /** @type {LightClient | null} */
  client: null,
  /** @type {string | null} */
  anchorJson: null,
  /** @type {Promise<void>} */
  queue: Promise.resolve(),
};

/** @param {Reply} reply */
function reply(reply) {
  self.postMessage(reply);
}

/** @param {string} anchorJson */
function clientFor(anchorJson) {
  if (!state.client || state.anchorJson !== anchorJson) {
    state.client = new LightClient(anchorJson);
    state.anchorJson = anchorJson;
  }
  return state.client;
}

/** @param {Message} msg */
async function handle(msg) {
  const r = await ready;
  try {
    if (!r.ok) throw kindError("load", r.message);
    switch (msg.method) {
      case "inspect":
        reply({ id: msg.id, result: { summary: anchorInfo(msg.anchorJson), compiled: r.compiled } });
        break;
      case "sync": {
        const client = clientFor(msg.anchorJson);
        /** @type {(done: number, total: number, verdict: import("./rpc.js").BatchVerdict | null) => void} */
        const onProgress = (done, total, verdict) => {
          reply({ id: msg.id, progress: { done, total, verdict } });
        };
        const status = await client.sync(msg.node, onProgress);
        reply({ id: msg.id, result: { status, verdicts: client.verdicts() } });
        break;
      }
      case "reset":
        state.client = null;
        state.anchorJson = null;
        reply({ id: msg.id, result: null });
        break;
      default:
        throw kindError("invalidArgument", `unknown method ${/** @type {{ method: unknown }} */ (msg).method}`);
    }
  } catch (e) {
    const name = e instanceof Error ? e.name : "Error";
    reply({ id: msg.id, error: { kind: kindOf(e), name, message: messageOf(e) } });
  }
}

self.onmessage = (ev) => {
  state.queue = state.queue.then(() => handle(/** @type {Message} */ (ev.data)));
};
