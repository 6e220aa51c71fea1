// End-to-end: a real devnet (node + provers of all four systems) and the demo page in Chromium.
// Run: node --test tests/browser/   (needs target/debug/multiprover — or MULTIPROVER_BIN — built
// with all four systems, site/pkg/ built with all four verifiers, and /usr/bin/chromium).
// Without the binary these tests are reported as SKIPPED, never as passed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./server.mjs";
import { launch } from "./browser.mjs";

const BIN = process.env.MULTIPROVER_BIN || join(ROOT, "target/debug/multiprover");
const BATCHES = Number(process.env.DEVNET_BATCHES || 3);
const TIMEOUT_MS = Number(process.env.DEVNET_TIMEOUT_MS || 15 * 60 * 1000);
const missing = existsSync(BIN) ? null : `SKIPPED: ${BIN} does not exist (build it: cargo build -p multiprover-cli --features demo-faults, or set MULTIPROVER_BIN)`;

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

async function startDevnet(extra) {
  const dir = await mkdtemp(join(tmpdir(), "mp-devnet-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The small profile and the three fast systems by default: halo2's key generation takes
  // minutes per process on a 2-core machine (DEVNET_ARGS overrides, e.g. "--depth 20").
  const profile = (process.env.DEVNET_ARGS ?? "--depth 8 --capacity 2 --accounts 6 --systems plonky2,stark,tee").split(/\s+/).filter(Boolean);
  const args = ["devnet", "--dir", dir, "--batches", String(BATCHES), "--listen", `127.0.0.1:${port}`, ...profile, ...extra];
  const child = spawn(BIN, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => { log += d; });
  child.stderr.on("data", (d) => { log += d; });
  const exited = new Promise((r) => child.on("exit", (code) => r(code)));
  const deadline = Date.now() + 120000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`devnet exited with ${child.exitCode}:\n${log}`);
    try {
      const r = await fetch(`${url}/api/status`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`devnet did not answer on ${url} within 2 min:\n${log}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

test("devnet: the page marks every batch Final", { skip: missing ?? false, timeout: TIMEOUT_MS + 60000 }, async () => {
  const net = await startDevnet([]);
  const browser = await launch();
  try {
    const page = await browser.ctx.newPage();
    await page.goto(`${net.url}/?poll=1000`);
    await page.waitForFunction((n) => {
      const rows = [...document.querySelectorAll("#batches tbody tr")];
      return rows.length >= n && rows.every((r) => r.dataset.status === "final");
    }, BATCHES, { timeout: TIMEOUT_MS, polling: 500 });
    for (let n = 1; n <= BATCHES; n++) {
      const row = page.locator(`tr[data-batch="${n}"]`);
      assert.equal(await row.getAttribute("data-status"), "final");
      assert.match(await row.locator(".verdict").textContent(), /^Final 0x/);
      assert.ok((await row.locator('.proof[data-ok="true"]').count()) >= 2, `batch ${n}: at least two accepted proofs`);
      for (const sys of await row.locator('.proof[data-ok="true"]').evaluateAll((ps) => ps.map((p) => p.dataset.system))) {
        assert.ok(["halo2", "plonky2", "stark", "tee"].includes(sys));
      }
    }
    assert.equal(await page.getAttribute("#summary", "data-final"), String(BATCHES));
    assert.equal(await page.locator('.banner.error').count(), 0);
  } catch (e) {
    e.message += `\n--- devnet log ---\n${net.log().slice(-4000)}`;
    throw e;
  } finally {
    await browser.close();
    await net.stop();
  }
});

test("devnet --faulty stark: the page shows the Conflict and never marks that batch final", { skip: missing ?? false, timeout: TIMEOUT_MS + 60000 }, async () => {
  const net = await startDevnet(["--faulty", "stark"]);
  const browser = await launch();
  try {
    const page = await browser.ctx.newPage();
    // Record every status a batch row ever had, from the start.
    await page.addInitScript(() => {
      window.__everFinal = new Set();
      new MutationObserver(() => {
        for (const r of document.querySelectorAll("#batches tbody tr[data-status]")) {
          if (r.dataset.status === "final") window.__everFinal.add(r.dataset.batch);
        }
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    await page.goto(`${net.url}/?poll=1000`);
    await page.waitForSelector('tr[data-decision="conflict"]', { timeout: TIMEOUT_MS });
    const row = page.locator('tr[data-decision="conflict"]').first();
    const n = await row.getAttribute("data-batch");
    assert.equal(await row.getAttribute("data-status"), "halted");
    const text = await row.locator(".verdict").textContent();
    assert.match(text, /Conflict/);
    assert.match(text, /stark/);
    assert.equal(await row.locator("[data-conflict-root]").count(), 2);
    await page.waitForSelector('.banner[data-kind="conflict"]');
    // Keep syncing a while: the batch must never become final, nor anything after it.
    await page.waitForTimeout(5000);
    const everFinal = await page.evaluate(() => [...window.__everFinal]);
    assert.ok(!everFinal.includes(n), `batch ${n} was shown final`);
    assert.ok(everFinal.every((b) => Number(b) < Number(n)), `a batch after the conflict was shown final: ${everFinal}`);
    assert.equal(await row.getAttribute("data-status"), "halted");
  } catch (e) {
    e.message += `\n--- devnet log ---\n${net.log().slice(-4000)}`;
    throw e;
  } finally {
    await browser.close();
    await net.stop();
  }
});
