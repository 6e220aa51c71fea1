// The browser half of `npm run bench`: one fresh Web Worker (one fresh wasm instance) per
// message, so every "cold" figure includes instantiating the package and, for halo2, loading
// the params and rebuilding the verifying key.
//
// { cmd: "verify", anchorUrl, envelopeUrls, paramsUrl?, reps, singles?, batched? }
//   -> { initMs, paramsFetchMs, paramsLoadMs, firstMs, coldMs, warm, warmVerify, batched? }
//   warm: each verifyEnvelope call (it parses the anchor JSON too); warmVerify: the
//   verification inside it (the `millis` it returns).
//   coldMs = init + params + the first verification; warm = the next `singles` envelopes
//   (default: all others), each verified `reps` times.
//   With `batched: true`, also verifyEnvelopes over all envelopes at once (halo2's batch check).
// { cmd: "sync", anchorUrl, nodeUrl }
//   -> { initMs, syncMs, totalMs, againMs, status, statuses, proofs: [{ batch, system, ok, millis }] }
//   againMs: a second client syncing the same chain in the same (now warm) instance.
import init, { LightClient, loadHalo2Params, verifyEnvelope, verifyEnvelopes } from "../site/pkg/multiprover_wasm.js";

const now = () => performance.now();

async function bytes(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

async function text(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
}

async function verify(m) {
  const anchorJson = await text(m.anchorUrl);
  const envs = await Promise.all(m.envelopeUrls.map(bytes));
  const t0 = now();
  await init();
  const initMs = now() - t0;
  let paramsFetchMs = 0;
  let paramsLoadMs = 0;
  if (m.paramsUrl) {
    const tf = now();
    const params = await bytes(m.paramsUrl);
    paramsFetchMs = now() - tf;
    const tl = now();
    loadHalo2Params(params);
    paramsLoadMs = now() - tl;
  }
  const tv = now();
  verifyEnvelope(anchorJson, envs[0]);
  const firstMs = now() - tv;
  const coldMs = now() - t0;
  const warm = [];
  const warmVerify = [];
  const singles = m.singles ?? envs.length - 1;
  for (let r = 0; r < m.reps; r++) {
    for (const e of envs.slice(1, 1 + singles)) {
      const t = now();
      const r = verifyEnvelope(anchorJson, e);
      warm.push(now() - t);
      warmVerify.push(r.millis);
    }
  }
  let batched = null;
  if (m.batched) {
    const t = now();
    const results = verifyEnvelopes(anchorJson, envs);
    const ms = now() - t;
    const bad = results.filter((x) => !x.ok);
    if (bad.length) throw new Error(`batched verification rejected ${bad.length} envelopes: ${bad[0].error}`);
    batched = { count: envs.length, ms, perProofMs: ms / envs.length };
  }
  return { initMs, paramsFetchMs, paramsLoadMs, firstMs, coldMs, warm, warmVerify, batched };
}

async function sync(m) {
  const anchorJson = await text(m.anchorUrl);
  const t0 = now();
  await init();
  const initMs = now() - t0;
  const client = new LightClient(anchorJson);
  const ts = now();
  const status = await client.sync(m.nodeUrl, null);
  const syncMs = now() - ts;
  const totalMs = now() - t0;
  const verdicts = client.verdicts();
  // Again with a new client in the same instance: params and verifying keys stay cached, so
  // this is what a page that is already open pays for the same chain.
  const again = new LightClient(anchorJson);
  const ta = now();
  await again.sync(m.nodeUrl, null);
  const againMs = now() - ta;
  return {
    initMs,
    syncMs,
    totalMs,
    againMs,
    status,
    statuses: verdicts.map((v) => v.status),
    proofs: verdicts.flatMap((v) => v.proofs.map((p) => ({ batch: v.batch_number, system: p.system, ok: p.ok, millis: p.millis }))),
  };
}

self.onmessage = async ({ data }) => {
  try {
    const out = data.cmd === "verify" ? await verify(data) : await sync(data);
    self.postMessage({ ok: true, out });
  } catch (e) {
    self.postMessage({ ok: false, error: `${(e && e.name) || "Error"}: ${(e && e.message) || e}` });
  }
};
