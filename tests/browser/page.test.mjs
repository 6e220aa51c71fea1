// Browser + Node tests of the light client package and the demo page, against a fake node that
// serves recorded data (tests/browser/data/). Run: node --test tests/browser/
// Needs site/pkg/ (scripts/build-wasm.sh) and /usr/bin/chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { startFakeNode, ROOT } from "./server.mjs";
import { launch } from "./browser.mjs";

const PKG = new URL("../../site/pkg/multiprover_wasm.js", import.meta.url);
if (!existsSync(PKG)) throw new Error("site/pkg/ is missing: run scripts/build-wasm.sh first");

let node;
let browser;
before(async () => {
  node = await startFakeNode();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await node?.close();
});

test("the README's Node example runs", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["tests/browser/node-example.mjs"], { cwd: ROOT });
  const lines = stdout.trim().split("\n");
  assert.match(lines[1], /^anchor hash 0x[0-9a-f]{64}$/);
  const v = JSON.parse(lines[2]);
  assert.equal(v.status, "pending");
  assert.equal(v.proofs.length, 2);
  assert.ok(v.proofs.every((p) => p.ok === false && p.error));
});

test("Node: sync over gloo-net fetch, progress, and error kinds", async () => {
  const { default: init, LightClient, verifyEnvelope } = await import(PKG);
  await init({ module_or_path: await readFile(new URL("../../site/pkg/multiprover_wasm_bg.wasm", import.meta.url)) });
  const anchorJson = await readFile(new URL("./data/anchor.json", import.meta.url), "utf8");
  const client = new LightClient(anchorJson);
  const seen = [];
  const status = await client.sync(node.url, (done, total, v) => seen.push([done, total, v && v.batch_number]));
  assert.deepEqual(seen, [[0, 3, null], [1, 3, 1], [2, 3, 2], [3, 3, 3]]);
  assert.equal(status.head, 3);
  assert.equal(status.final_batch, 0);
  assert.equal(status.anchor_hash, client.anchorHash);
  assert.equal(client.verdicts().length, 3);

  await assert.rejects(client.sync("http://127.0.0.1:9"), (e) => e instanceof Error && e.name === "NodeUnreachableError" && e.kind === "unreachable");
  node.state.mode = "garbage";
  try {
    const fresh = new LightClient(anchorJson);
    await assert.rejects(fresh.sync(node.url), (e) => e.name === "BadDataError" && e.kind === "badData" && /batches\/2/.test(e.message));
  } finally {
    node.state.mode = "good";
  }
  assert.throws(() => new LightClient("{}"), (e) => e.name === "AnchorError" && e.kind === "anchor");
  assert.throws(() => verifyEnvelope(anchorJson, new Uint8Array([1, 2, 3])), (e) => e.name === "VerificationError" && e.kind === "malformed");
  assert.throws(() => client.ingest("not json"), (e) => e.name === "BadDataError" && e.kind === "badData");
});

async function openPage(query = "") {
  const page = await browser.ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${node.url}/index.html${query}`);
  return { page, errors };
}

test("page: pins the anchor on first use, syncs in a worker, renders every batch", async () => {
  const { page, errors } = await openPage();
  await page.waitForSelector('#summary[data-head="3"]', { timeout: 30000 });
  const hash = await page.getAttribute("#anchor-panel", "data-hash");
  assert.match(hash, /^0x[0-9a-f]{64}$/);
  assert.match(await page.textContent("#pin-note"), /Pinned on first use/);
  assert.equal(await page.locator("#systems tbody tr").count(), 4);
  assert.equal(await page.locator("#policy tbody tr").count(), 3);
  const rows = page.locator("#batches tbody tr");
  assert.equal(await rows.count(), 3);
  for (let n = 1; n <= 3; n++) {
    const row = page.locator(`tr[data-batch="${n}"]`);
    assert.equal(await row.getAttribute("data-status"), "pending");
    assert.equal(await row.locator(".proof").count(), 2);
    assert.equal(await row.locator('.proof[data-ok="false"]').count(), 2);
    // each rejected proof is classified by its error's kind (ProofResult.error.kind)
    assert.equal(await row.locator('.proof[data-ok="false"][data-error-kind]').count(), 2);
    assert.match(await row.locator(".verdict").textContent(), /Pending.*missing: halo2, plonky2, stark, tee/);
  }
  assert.equal(await page.getAttribute("#progress-row", "data-done"), "3");
  assert.equal(await page.getAttribute("#progress-row", "data-total"), "3");
  // (whether a "not compiled" banner shows depends on the site/pkg/ build's features; the recorded
  // proofs are rejected either way, as checked above)
  assert.ok(node.state.requests.includes("/api/batches/3"));
  // the pin is in localStorage; a reload keeps the same anchor
  const pinned = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("multiprover:anchor:")));
  assert.equal(pinned.length, 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test("page: a node that serves bad data gets a banner and no verdict for the bad batch", async () => {
  node.state.mode = "garbage";
  const { page } = await openPage("?poll=500");
  try {
    await page.waitForSelector('.banner[data-kind="bad-data"]', { timeout: 30000 });
    assert.match(await page.textContent('.banner[data-kind="bad-data"]'), /bad data.*batches\/2/s);
    assert.equal(await page.locator('tr[data-batch="2"]').count(), 0);
    // the node recovers: the banner goes and the batches appear
    node.state.mode = "good";
    await page.waitForSelector('#summary[data-head="3"]', { timeout: 30000 });
    await page.waitForFunction(() => !document.querySelector('.banner[data-kind="bad-data"]'), null, { timeout: 10000 });
  } finally {
    node.state.mode = "good";
    await page.close();
  }
});

test("page: an anchor_hash in the URL that the node's anchor does not match is refused", async () => {
  const page = await browser.ctx.newPage();
  await page.goto(`${node.url}/index.html`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${node.url}/index.html?anchor_hash=0x${"ab".repeat(32)}`);
  await page.waitForSelector('.banner[data-kind="anchor-mismatch"]', { timeout: 30000 });
  assert.equal(await page.locator("#batches tbody tr").count(), 0);
  await page.close();
});

test("page: an unreachable node gets a banner", async () => {
  const page = await browser.ctx.newPage();
  await page.goto(`${node.url}/index.html?node=http://127.0.0.1:9`);
  await page.waitForSelector('.banner[data-kind="unreachable"]', { timeout: 30000 });
  assert.match(await page.textContent('.banner[data-kind="unreachable"]'), /unreachable/i);
  await page.close();
});
