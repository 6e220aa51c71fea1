#!/usr/bin/env bash
# Build the npm package site/pkg/ (the light client in WebAssembly) with wasm-pack: release,
# --target web. Idempotent; prints raw and gzip sizes. It is written inside site/, the only
# directory the node serves, so that the demo page imports it as ../pkg/ (site/pkg/ is
# gitignored; Node scripts and tests import site/pkg/multiprover_wasm.js too).
#
#   scripts/build-wasm.sh                      # all four verifiers (the default features)
#   scripts/build-wasm.sh --no-default-features   # extra arguments go to cargo (via wasm-pack)
#
# Nothing is downloaded: wasm-pack finds wasm-bindgen on PATH (scripts/setup.sh installs the
# version in Cargo.lock) and its own wasm-opt step is off (crates/wasm/Cargo.toml); if
# node_modules/binaryen is installed, its wasm-opt -O2 runs here instead (WASM_OPT=0 skips it;
# -Oz saves another 40 KB but takes 4.5 min instead of 35 s).
set -euo pipefail
cd "$(dirname "$0")/.."
PKG=site/pkg
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/wasm}"

for tool in wasm-pack wasm-bindgen; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found; run scripts/setup.sh" >&2; exit 1; }
done

# One codegen unit and fat LTO for the bundle only (the workspace's release profile keeps
# thin LTO for the native binary's build time): 3.17 MB -> 1.86 MB raw with all four verifiers.
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
wasm-pack build crates/wasm --release --target web --out-dir ../../site/pkg --no-pack --no-opt "$@"
# wasm-pack's generated package.json (skipped by --no-pack) has no "exports" and no "type":
# write one so that `import init, { LightClient } from "multiprover-wasm"` works in Node too.
VERSION=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
cat > "$PKG/package.json" <<JSON
{
  "name": "multiprover-wasm",
  "version": "${VERSION}",
  "description": "The multiprover light client: verifies halo2, plonky2, STARK and TEE proofs and the finality policy in the browser, in Web Workers and under Node",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "multiprover_wasm.js",
  "module": "multiprover_wasm.js",
  "types": "multiprover_wasm.d.ts",
  "exports": {
    ".": { "types": "./multiprover_wasm.d.ts", "default": "./multiprover_wasm.js" },
    "./multiprover_wasm_bg.wasm": "./multiprover_wasm_bg.wasm"
  },
  "files": ["multiprover_wasm_bg.wasm", "multiprover_wasm.js", "multiprover_wasm.d.ts", "multiprover_wasm_bg.wasm.d.ts", "README.md"],
  "sideEffects": ["./snippets/*"]
}
JSON
cp crates/wasm/README.md "$PKG/README.md"

WASM=$PKG/multiprover_wasm_bg.wasm
OPT=node_modules/binaryen/bin/wasm-opt
if [ "${WASM_OPT:-1}" != 0 ] && [ -x "$OPT" ]; then
  before=$(stat -c %s "$WASM")
  "$OPT" -O2 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$WASM" -o "$WASM.opt"
  mv "$WASM.opt" "$WASM"
  echo "wasm-opt -O2: $before -> $(stat -c %s "$WASM") bytes"
fi

raw=$(stat -c %s "$WASM")
gz=$(gzip -9 -c "$WASM" | wc -c)
js=$(stat -c %s "$PKG/multiprover_wasm.js")
printf '%s built: %s raw %d bytes (%.2f MB), gzip -9 %d bytes (%.2f MB); JS glue %d bytes\n' \
  "$PKG/" "$WASM" "$raw" "$(echo "$raw/1000000" | bc -l)" "$gz" "$(echo "$gz/1000000" | bc -l)" "$js"
