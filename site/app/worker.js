// The light client's Web Worker: all verification happens here, so the page never freezes.
//
// Messages in:  { type: "inspect", id, anchorJson }           -> { type: "anchor", id, summary }
//               { type: "sync", id, node, anchorJson }         -> { type: "progress", id, done, total, verdict }*
//                                                                 { type: "done", id, status, verdicts }
// Any failure:  { type: "error", id, name, message }  (name: NodeUnreachableError, BadDataError,
//               AnchorError, ... as thrown by the wasm package; "LoadError" if the wasm did not load)

import init, { LightClient, anchorInfo, compiledSystems } from "../pkg/multiprover_wasm.js";

const ready = init().then(
  () => ({ ok: true, compiled: compiledSystems() }),
  (e) => ({ ok: false, message: `could not load the light client (pkg/multiprover_wasm*.js/.wasm): ${e && e.message ? e.message : e}` }),
);

let client = null;
let clientAnchor = null;
let queue = Promise.resolve();

function fail(id, e) {
  self.postMessage({
    type: "error",
    id,
    name: (e && e.name) || "Error",
    message: (e && e.message) || String(e),
  });
}

async function handle(msg) {
  const r = await ready;
  if (!r.ok) {
    fail(msg.id, { name: "LoadError", message: r.message });
    return;
  }
  try {
    switch (msg.type) {
      case "inspect":
        self.postMessage({ type: "anchor", id: msg.id, summary: anchorInfo(msg.anchorJson), compiled: r.compiled });
        break;
      case "sync": {
        if (!client || clientAnchor !== msg.anchorJson) {
          client = new LightClient(msg.anchorJson);
          clientAnchor = msg.anchorJson;
        }
        const status = await client.sync(msg.node, (done, total, verdict) => {
          self.postMessage({ type: "progress", id: msg.id, done, total, verdict });
        });
        self.postMessage({ type: "done", id: msg.id, status, verdicts: client.verdicts() });
        break;
      }
      case "reset":
        client = null;
        clientAnchor = null;
        self.postMessage({ type: "reset", id: msg.id });
        break;
      default:
        fail(msg.id, { name: "TypeError", message: `unknown message ${msg.type}` });
    }
  } catch (e) {
    fail(msg.id, e);
  }
}

// One request at a time, in order (a sync pass is async: never run two over one client).
self.onmessage = (ev) => {
  queue = queue.then(() => handle(ev.data));
};
