// The Node example of crates/wasm/README.md, runnable: `node tests/browser/node-example.mjs`
// (after scripts/build-wasm.sh). Prints the anchor hash and the verdict on batch 1.
import { readFile } from "node:fs/promises";
import init, { LightClient, anchorInfo, compiledSystems } from "../../site/pkg/multiprover_wasm.js";

await init({ module_or_path: await readFile(new URL("../../site/pkg/multiprover_wasm_bg.wasm", import.meta.url)) });
console.log("this build verifies", compiledSystems());

const data = new URL("./data/", import.meta.url);
const anchorJson = await readFile(new URL("anchor.json", data), "utf8");
console.log("anchor hash", anchorInfo(anchorJson).hash);
const client = new LightClient(anchorJson);
const verdict = client.ingest(await readFile(new URL("batches/1.json", data), "utf8"));
console.log(JSON.stringify({ status: verdict.status, decision: verdict.decision, proofs: verdict.proofs }));
