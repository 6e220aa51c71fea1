// Where the wasm halo2 verifier spends its time, under Node (V8, as in Chromium): loading the
// params, the first verification (which rebuilds the verifying key with keygen_vk) and a warm
// one, each profiled with the inspector's sampling profiler; prints the functions with the
// most self time. site/pkg/ has no function names (wasm-opt drops them), so profile the same cargo
// output bound by wasm-bindgen alone, which keeps them:
//
//   bash scripts/build-wasm.sh        # leaves target/wasm/wasm32-unknown-unknown/release/multiprover_wasm.wasm
//   wasm-bindgen --target web --out-dir target/wasm/named \
//     target/wasm/wasm32-unknown-unknown/release/multiprover_wasm.wasm
//   node bench/profile-halo2-wasm.mjs target/wasm/named     # default: site/pkg/ (names missing)
//
// Needs the params file that `cargo test -p multiprover-halo2` (or npm test) caches in
// $MULTIPROVER_HALO2_PARAMS_DIR (default target/halo2-params) and the committed halo2 fixture.
import { readFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const PKG = resolve(process.argv[2] || join(ROOT, "site/pkg"));
const PARAMS = join(process.env.MULTIPROVER_HALO2_PARAMS_DIR || join(ROOT, "target/halo2-params"), "halo2-params-k17.bin");

const wasm = await import(join(PKG, "multiprover_wasm.js"));
await wasm.default({ module_or_path: await readFile(join(PKG, "multiprover_wasm_bg.wasm")) });
const anchor = JSON.parse(await readFile(join(ROOT, "tests/browser/data/anchor.json"), "utf8"));
const key = JSON.parse(await readFile(join(ROOT, "testdata/fixtures/halo2/key.json"), "utf8"));
anchor.systems = anchor.systems.map((s) => (s.system === "halo2" ? key : s));
const anchorJson = JSON.stringify(anchor);
const envelope = new Uint8Array(await readFile(join(ROOT, "testdata/fixtures/halo2/envelope.bin")));
const params = new Uint8Array(await readFile(PARAMS));

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 1000 });

async function phase(name, f) {
  await session.post("Profiler.start");
  const t = performance.now();
  f();
  const ms = performance.now() - t;
  const { profile } = await session.post("Profiler.stop");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (const id of profile.samples) {
    const frame = byId.get(id).callFrame;
    const name = frame.functionName || frame.url || "(anonymous)";
    self.set(name, (self.get(name) || 0) + 1);
  }
  const total = profile.samples.length || 1;
  console.log(`== ${name}: ${ms.toFixed(0)} ms, ${total} samples`);
  for (const [fn, n] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
    console.log(`  ${((100 * n) / total).toFixed(1).padStart(5)} %  ${fn.replace(/\[[0-9a-f]{16}\]/g, "").slice(0, 150)}`);
  }
}

await phase("loadHalo2Params (digest check + decode)", () => wasm.loadHalo2Params(params));
await phase("first verifyEnvelope (keygen_vk + verification)", () => wasm.verifyEnvelope(anchorJson, envelope));
await phase("warm verifyEnvelope", () => wasm.verifyEnvelope(anchorJson, envelope));
