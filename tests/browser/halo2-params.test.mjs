// halo2 in WebAssembly with params served by a node: `multiprover node` serves
// GET /api/setup/halo2-params/14 (computed natively), the npm package loads them — accepted
// only because their keccak256 is the digest pinned in the build — and verifies the committed
// halo2 fixture in a fresh wasm instance under Node. Without served params the first halo2
// verification in wasm would compute Params::new(14) itself, slowly, in one thread.
// Needs target/debug/multiprover (or MULTIPROVER_BIN) and site/pkg/ built with halo2; without the
// binary the test is reported as SKIPPED, never as passed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./server.mjs";
import { launch } from "./browser.mjs";
import init, { compiledSystems, loadHalo2Params, verifyEnvelope, verifyEnvelopes } from "../../site/pkg/multiprover_wasm.js";

const BIN = process.env.MULTIPROVER_BIN || join(ROOT, "target/debug/multiprover");
const missing = existsSync(BIN) ? null : `SKIPPED: ${BIN} does not exist (build it: cargo build -p multiprover-cli, or set MULTIPROVER_BIN)`;

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

test("a node serves halo2 params that the wasm verifier accepts, and halo2 verifies in wasm (Node and Chromium)", { skip: missing ?? false, timeout: 20 * 60 * 1000 }, async () => {
  await init({ module_or_path: await readFile(join(ROOT, "site/pkg/multiprover_wasm_bg.wasm")) });
  assert.ok(compiledSystems().includes("halo2"), "site/pkg/ must be built with the halo2 verifier (scripts/build-wasm.sh)");

  // The browser-test anchor (chain 7, small profile) with the committed halo2 key.
  const anchor = JSON.parse(await readFile(join(ROOT, "tests/browser/data/anchor.json"), "utf8"));
  const key = JSON.parse(await readFile(join(ROOT, "testdata/fixtures/halo2/key.json"), "utf8"));
  anchor.systems = anchor.systems.map((s) => (s.system === "halo2" ? key : s));
  const anchorJson = JSON.stringify(anchor);
  const envelope = new Uint8Array(await readFile(join(ROOT, "testdata/fixtures/halo2/envelope.bin")));

  const dir = await mkdtemp(join(tmpdir(), "mp-halo2-params-"));
  await writeFile(join(dir, "anchor.json"), anchorJson);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // --static site/: a page on the node's origin loads the package from /pkg/ (the fixture is
  // handed to the page by the test; the node serves nothing outside site/).
  const child = spawn(BIN, ["node", "--anchor", join(dir, "anchor.json"), "--db", join(dir, "node.db"), "--listen", `127.0.0.1:${port}`, "--static", join(ROOT, "site")], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => { log += d; });
  child.stderr.on("data", (d) => { log += d; });
  const exited = new Promise((r) => child.on("exit", r));
  try {
    const deadline = Date.now() + 60000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}:\n${log}`);
      try {
        if ((await fetch(`${url}/api/status`)).ok) break;
      } catch {}
      if (Date.now() > deadline) throw new Error(`node did not answer within 60 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 300));
    }

    // Only the k the anchor's halo2 key needs is served.
    assert.equal((await fetch(`${url}/api/setup/halo2-params/15`)).status, 404);
    assert.equal((await fetch(`${url}/api/setup/halo2-params/x`)).status, 400);

    let t = performance.now();
    const resp = await fetch(`${url}/api/setup/halo2-params/14`);
    assert.equal(resp.status, 200, await resp.clone().text());
    const params = new Uint8Array(await resp.arrayBuffer());
    const serveMs = performance.now() - t;

    // Bytes that are not exactly the pinned params are refused.
    const flipped = params.slice();
    flipped[4 + 32 * 500] ^= 1;
    assert.throws(() => loadHalo2Params(flipped), (e) => e.name === "VerificationError" && /digest/.test(e.message));
    assert.throws(() => loadHalo2Params(params.slice(0, params.length - 1)), (e) => e.name === "VerificationError");
    assert.throws(() => loadHalo2Params(new Uint8Array(0)), (e) => e.name === "VerificationError");

    t = performance.now();
    assert.equal(loadHalo2Params(params), 14);
    const loadMs = performance.now() - t;

    t = performance.now();
    const first = verifyEnvelope(anchorJson, envelope);
    const coldMs = performance.now() - t;
    assert.equal(first.ok, true);
    assert.equal(first.system, "halo2");
    t = performance.now();
    verifyEnvelope(anchorJson, envelope);
    const warmMs = performance.now() - t;

    // The same proof for a changed statement (post root byte) is rejected.
    const changed = envelope.slice();
    changed[4 + 1 + 1 + 32 + 8 + 8 + 32] ^= 1;
    assert.throws(() => verifyEnvelope(anchorJson, changed), (e) => e.name === "VerificationError" && e.kind === "rejected");

    // Batched: the valid proof twice shares one batch check; with the changed one added the
    // batch check fails and each is verified alone, so exactly that one is reported.
    t = performance.now();
    const batched = verifyEnvelopes(anchorJson, [envelope, envelope, changed, new Uint8Array([1, 2, 3])]);
    const batchedMs = performance.now() - t;
    assert.deepEqual(batched.map((r) => r.ok), [true, true, false, false]);
    assert.deepEqual(batched.map((r) => r.system), ["halo2", "halo2", "halo2", null]);
    assert.equal(batched[2].error.kind, "rejected");
    assert.match(batched[2].error.message, /halo2/);
    assert.equal(batched[3].error.kind, "malformed");

    // The same in headless Chromium: a fresh wasm instance on the node's origin fetches the
    // params from the node, loads them and verifies the fixture (and rejects a changed one).
    const browser = await launch();
    let inBrowser;
    try {
      const page = await browser.ctx.newPage();
      await page.goto(`${url}/api/status`);
      inBrowser = await page.evaluate(async ([anchorJson, envelopeBytes]) => {
        const m = await import("/pkg/multiprover_wasm.js");
        await m.default();
        const bin = async (path) => new Uint8Array(await (await fetch(path)).arrayBuffer());
        let t = performance.now();
        const k = m.loadHalo2Params(await bin("/api/setup/halo2-params/14"));
        const loadMs = performance.now() - t;
        const env = new Uint8Array(envelopeBytes);
        t = performance.now();
        const r = m.verifyEnvelope(anchorJson, env);
        const coldMs = performance.now() - t;
        env[4 + 1 + 1 + 32 + 8 + 8 + 32] ^= 1;
        let rejected = null;
        try { m.verifyEnvelope(anchorJson, env); } catch (e) { rejected = e.name; }
        return { k, ok: r.ok, system: r.system, loadMs, coldMs, rejected };
      }, [anchorJson, [...envelope]]);
    } finally {
      await browser.close();
    }
    assert.equal(inBrowser.k, 14);
    assert.equal(inBrowser.ok, true);
    assert.equal(inBrowser.system, "halo2");
    assert.equal(inBrowser.rejected, "VerificationError");
    console.log(`halo2 in headless Chromium: params loaded in ${(inBrowser.loadMs / 1000).toFixed(2)} s, cold verify (keygen_vk + verify) ${(inBrowser.coldMs / 1000).toFixed(2)} s`);

    console.log(`halo2 params: served in ${(serveMs / 1000).toFixed(1)} s (${params.length} bytes, computed by the node or read from its params dir), loaded in ${(loadMs / 1000).toFixed(2)} s; ` +
      `wasm verify cold (keygen_vk + verify) ${(coldMs / 1000).toFixed(2)} s, warm ${(warmMs / 1000).toFixed(2)} s; verifyEnvelopes of 4 (2 good, 1 changed, 1 garbage) ${(batchedMs / 1000).toFixed(2)} s`);
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  }
});
