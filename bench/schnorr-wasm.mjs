// EcGFp5 Schnorr signing and verification through the npm package (site/pkg/, release wasm)
// under Node: the calls a wallet makes. Prints the median of each over N calls and checks the
// known answer first, so a wrong build cannot produce a figure.
//
//   node bench/schnorr-wasm.mjs [N]          # default N = 200; needs site/pkg/ (scripts/build-wasm.sh)
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./lib/stats.mjs";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const PKG = join(ROOT, "site/pkg");
const N = Number(process.argv[2] || 200);

const wasm = await import(join(PKG, "multiprover_wasm.js"));
await wasm.default({ module_or_path: await readFile(join(PKG, "multiprover_wasm_bg.wasm")) });
const kat = JSON.parse(await readFile(join(ROOT, "testdata/golden/schnorr_wasm.json"), "utf8"));
const transfer = JSON.stringify(kat.transfer);

const signed = JSON.parse(wasm.signTransfer(transfer, kat.chain_id, kat.secret_key));
if (signed.signature !== kat.signature) throw new Error("signTransfer disagrees with the native known answer");
if (!wasm.verifySignature(kat.public_key, kat.message, kat.signature)) throw new Error("the known answer does not verify");

function time(f) {
  const out = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return median(out);
}

const sign = time(() => wasm.signTransfer(transfer, kat.chain_id, kat.secret_key));
const verify = time(() => wasm.verifySignature(kat.public_key, kat.message, kat.signature));
const message = time(() => wasm.transferMessage(transfer, kat.chain_id));
console.log(JSON.stringify({ node: process.version, calls: N, sign_ms: sign, verify_ms: verify, message_ms: message }));
