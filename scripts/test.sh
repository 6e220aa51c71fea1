#!/usr/bin/env bash
# The whole test suite: formatting, clippy, every crate's tests (small profile), the wasm
# verifiers in headless Chromium, and the browser tests of the demo. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }
SECONDS=0
# halo2's IPA params (Params::new(17): ~1.5 min on 2 cores) are computed once and shared by
# every later process through this directory (loaded only if their digest is the pinned one).
export MULTIPROVER_HALO2_PARAMS_DIR="${MULTIPROVER_HALO2_PARAMS_DIR:-$PWD/target/halo2-params}"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, all features) -D warnings"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "cargo test (workspace, provers on, small profile)"
cargo test --workspace --all-features --no-fail-fast

step "fuzz: every cargo-fuzz target for 60 s (halo2's after its params setup)"
bash scripts/fuzz.sh 60

step "wasm32 build of core and the verifier with all four systems (no_std)"
CARGO_TARGET_DIR="$PWD/target/wasm" cargo build --target wasm32-unknown-unknown --no-default-features \
  -p multiprover-core -p multiprover-verifier --features multiprover-verifier/halo2,multiprover-verifier/plonky2,multiprover-verifier/stark,multiprover-verifier/tee

step "npm package pkg/ (wasm-pack, release, --target web)"
bash scripts/build-wasm.sh

step "wasm verifiers in headless Chromium (wasm-pack test; fixtures of all four systems)"
# halo2's fixture test embeds the params cached in $MULTIPROVER_HALO2_PARAMS_DIR by the cargo
# tests above (crates/wasm/build.rs) and loads them through loadHalo2Params (pinned digest);
# computing them inside the browser instead would take more than 15 minutes.
test -f "$MULTIPROVER_HALO2_PARAMS_DIR/halo2-params-k17.bin"
CARGO_TARGET_DIR="$PWD/target/wasm" CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=600 \
  wasm-pack test --headless --chrome crates/wasm

step "browser tests: Node example, demo page, real devnets in Chromium (playwright-core)"
# target/debug/multiprover was built above by cargo test with all features (demo-faults on).
test -x target/debug/multiprover
node --test tests/browser/

echo "test suite finished in ${SECONDS}s"
