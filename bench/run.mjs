// `npm run bench`: the whole benchmark suite on one machine, and docs/benchmarks.md from it.
//
//   1. builds the release harness `multiprover-bench` (crates/bench) and the npm package (site/pkg/);
//   2. `multiprover-bench chain`: a chain of BENCH_BATCHES (16) full batches on the default
//      profile (D=20, T=8), proved by every system of BENCH_SYSTEMS and cached in
//      bench/cache/ (the first run proves all of it; later runs re-prove BENCH_RUNS batches
//      per system); native prove/verify medians, proof sizes, and one batch proved by all
//      systems at once;
//   3. `multiprover-bench poseidon`: the plonky2 statement circuit against a bare chain of as
//      many Poseidon permutations;
//   4. `multiprover-bench load`: node throughput from a loopback load generator;
//   5. headless Chromium (Debian's, or $CHROMIUM, through playwright-core) on a node that
//      serves the cached chain (`multiprover-bench serve`): per system wasm verification cold
//      (fresh instance, with params and key setup) and warm, halo2 batch-verified, and the
//      light client syncing the whole chain with every proof;
//   6. writes docs/benchmarks.md (machine, command, date, every figure against its target in
//      bench/targets.json) and target/bench/results.json (every sample).
//
// Every report of multiprover-bench is JSON, checked against bench/schema.json as it is read.
//
// Environment: BENCH_SYSTEMS=halo2,plonky2,stark,tee  BENCH_BATCHES=16  BENCH_RUNS=5
// BENCH_RUNS_HALO2=3  CHROMIUM=/usr/bin/chromium
// BENCH_QUICK=1 (small profile D=8 T=2, 4 batches, 2 runs; writes target/bench/benchmarks.md
// instead of docs/benchmarks.md: for developing the suite, not for quoting).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { CHROMIUM, launch } from "../tests/browser/browser.mjs";
import { checked } from "./lib/schema.mjs";
import { median } from "./lib/stats.mjs";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const QUICK = process.env.BENCH_QUICK === "1";
const SYSTEMS = (process.env.BENCH_SYSTEMS || "halo2,plonky2,stark,tee").split(",").map((s) => s.trim()).filter(Boolean);
const DEPTH = QUICK ? 8 : 20;
const CAPACITY = QUICK ? 2 : 8;
const BATCHES = Number(process.env.BENCH_BATCHES || (QUICK ? 4 : 16));
const RUNS = Number(process.env.BENCH_RUNS || (QUICK ? 2 : 5));
const RUNS_HALO2 = Number(process.env.BENCH_RUNS_HALO2 || (QUICK ? 2 : 3));
const OUT = join(ROOT, "target/bench");
const DOC = QUICK ? join(OUT, "benchmarks.md") : join(ROOT, "docs/benchmarks.md");
const BIN = join(process.env.CARGO_TARGET_DIR || join(ROOT, "target"), "release/multiprover-bench");
const CACHE = join(ROOT, `bench/cache/d${DEPTH}-t${CAPACITY}-n${BATCHES}-${[...SYSTEMS].sort().join("-")}`);
const CACHE_URL = CACHE.slice(ROOT.length).replace(/^\/*/, "/");
mkdirSync(OUT, { recursive: true });

const env = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
env.MULTIPROVER_HALO2_PARAMS_DIR ||= join(ROOT, "target/halo2-params");

const log = (...a) => console.log("\x1b[1;32m==>\x1b[0m", ...a);
/** A multiprover-bench report written to `path`, checked against its shape in bench/schema.json. */
const readReport = (kind, path) => checked(kind, JSON.parse(readFileSync(path, "utf8")));
function run(cmd, args) {
  log([cmd, ...args].join(" "));
  execFileSync(cmd, args, { cwd: ROOT, env, stdio: "inherit" });
}

const started = new Date();
const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? "unknown",
  memGiB: Math.round(totalmem() / 2 ** 30),
  loadBefore: loadavg().map((x) => x.toFixed(2)).join(" "),
  commit: (() => { try { return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim(); } catch { return "unknown"; } })(),
  rustc: (() => { try { return execFileSync("rustc", ["--version"], { cwd: ROOT, env, encoding: "utf8" }).trim(); } catch { return "unknown"; } })(),
  chromium: (() => { try { return execFileSync(CHROMIUM, ["--version"], { encoding: "utf8" }).trim(); } catch { return "unknown"; } })(),
};
const results = { started: started.toISOString(), machine, profile: { depth: DEPTH, capacity: CAPACITY }, batches: BATCHES, runs: RUNS, runsHalo2: RUNS_HALO2, systems: SYSTEMS };

// 1. builds
run("bash", ["scripts/setup.sh"]);
run("cargo", ["build", "--release", "-p", "multiprover-bench"]);
run("bash", ["scripts/build-wasm.sh"]);
const wasm = readFileSync(join(ROOT, "site/pkg/multiprover_wasm_bg.wasm"));
results.bundle = { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length, js: statSync(join(ROOT, "site/pkg/multiprover_wasm.js")).size };

// 2. the chain, native figures, parallel proving
run(BIN, ["chain", "--dir", CACHE, "--batches", String(BATCHES), "--depth", String(DEPTH), "--capacity", String(CAPACITY), "--systems", SYSTEMS.join(","), "--runs", String(RUNS), "--runs-halo2", String(RUNS_HALO2), "--parallel", "--report", join(OUT, "chain.json")]);
results.chain = readReport("chain", join(OUT, "chain.json"));

// 3. plonky2 against a bare Poseidon chain, on the same profile
if (SYSTEMS.includes("plonky2")) {
  run(BIN, ["poseidon", "--depth", String(DEPTH), "--capacity", String(CAPACITY), "--runs", String(RUNS), "--report", join(OUT, "poseidon.json")]);
  results.poseidon = readReport("poseidon", join(OUT, "poseidon.json"));
}

// 4. node throughput
run(BIN, ["load", "--dir", join(OUT, "load"), "--depth", String(DEPTH), "--capacity", String(CAPACITY), "--report", join(OUT, "load.json")]);
results.load = readReport("load", join(OUT, "load.json"));

// 5. the browser
async function serveChain() {
  log(`${BIN} serve --dir ${CACHE} --static ${ROOT}`);
  const child = spawn(BIN, ["serve", "--dir", CACHE, "--static", ROOT], { cwd: ROOT, env, stdio: ["pipe", "pipe", "inherit"] });
  let buf = "";
  const ready = await new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      buf += d;
      const line = buf.split("\n").find((l) => l.startsWith("READY "));
      if (line) resolve(checked("serve", JSON.parse(line.slice(6))));
    });
    child.on("exit", (code) => reject(new Error(`multiprover-bench serve exited with ${code}`)));
  });
  return { ready, stop: () => { child.stdin.end(); return new Promise((r) => child.on("exit", r)); } };
}

async function inWorker(ctx, url, msg) {
  const page = await ctx.newPage();
  try {
    await page.goto(`${url}/bench/index.html`);
    const r = await page.evaluate((m) => new Promise((resolve) => {
      const w = new Worker("/bench/worker.js", { type: "module" });
      w.onmessage = (e) => { resolve(e.data); w.terminate(); };
      w.onerror = (e) => resolve({ ok: false, error: `worker error: ${e.message}` });
      w.postMessage(m);
    }), msg);
    if (!r.ok) throw new Error(r.error);
    return r.out;
  } finally {
    await page.close();
  }
}

const server = await serveChain();
results.serve = server.ready;
const url = server.ready.url;
const browser = await launch();
try {
  results.wasm = {};
  for (const system of SYSTEMS) {
    const halo2 = system === "halo2";
    const coldRuns = halo2 ? 3 : RUNS;
    const envelopeUrls = Array.from({ length: BATCHES }, (_, i) => `${CACHE_URL}/envelopes/batch-${i + 1}.${system}.env`);
    const runs = [];
    for (let r = 0; r < coldRuns; r++) {
      log(`wasm ${system}: fresh instance ${r + 1}/${coldRuns}`);
      const msg = {
        cmd: "verify",
        anchorUrl: `${url}/api/anchor`,
        // halo2: the first run verifies 5 more proofs one by one and the whole chain batched.
        envelopeUrls: halo2 ? (r === 0 ? envelopeUrls : envelopeUrls.slice(0, 1)) : envelopeUrls,
        paramsUrl: halo2 ? `${url}/api/setup/halo2-params/17` : null,
        reps: halo2 ? (r === 0 ? 1 : 0) : 3,
        singles: halo2 ? 5 : undefined,
        batched: halo2 && r === 0,
      };
      const out = await inWorker(browser.ctx, url, msg);
      runs.push(out);
      console.log(`   cold ${out.coldMs.toFixed(1)} ms (init ${out.initMs.toFixed(1)}, params ${(out.paramsFetchMs + out.paramsLoadMs).toFixed(1)}, first ${out.firstMs.toFixed(1)}); warm median ${median(out.warm).toFixed(2)} ms over ${out.warm.length}${out.batched ? `; batched ${out.batched.count}: ${out.batched.perProofMs.toFixed(1)} ms/proof` : ""}`);
    }
    results.wasm[system] = runs;
  }
  results.sync = [];
  const syncRuns = SYSTEMS.includes("halo2") ? 3 : RUNS;
  for (let r = 0; r < syncRuns; r++) {
    log(`light client: sync ${BATCHES} batches with every proof, fresh instance ${r + 1}/${syncRuns}`);
    const out = await inWorker(browser.ctx, url, { cmd: "sync", anchorUrl: `${url}/api/anchor`, nodeUrl: url });
    const notFinal = out.statuses.filter((s) => s !== "final").length;
    const rejected = out.proofs.filter((p) => !p.ok).length;
    if (notFinal || rejected || out.statuses.length !== BATCHES) throw new Error(`sync: ${out.statuses.length} batches, ${notFinal} not final, ${rejected} proofs rejected`);
    console.log(`   ${out.totalMs.toFixed(0)} ms (init ${out.initMs.toFixed(0)}, sync ${out.syncMs.toFixed(0)}); again in the same instance ${out.againMs.toFixed(0)} ms`);
    results.sync.push(out);
  }
} finally {
  await browser.close();
  await server.stop();
}

machine.loadAfter = loadavg().map((x) => x.toFixed(2)).join(" ");
results.finished = new Date().toISOString();
writeFileSync(join(OUT, "results.json"), JSON.stringify(results, null, 1));
const { render } = await import("./report.mjs");
writeFileSync(DOC, render(results, { quick: QUICK }));
log(`wrote ${DOC} and target/bench/results.json (${((Date.now() - started) / 60000).toFixed(1)} min)`);
