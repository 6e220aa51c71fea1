#!/usr/bin/env bash
# The whole test suite: formatting, clippy, every crate's tests (small profile), the wasm
# verifiers in headless Chromium, and the browser tests of the demo. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }
SECONDS=0

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, all features) -D warnings"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "cargo test (workspace, provers on, small profile)"
cargo test --workspace --all-features --no-fail-fast

step "wasm32 builds of the verifier crates"
cargo build --target wasm32-unknown-unknown --no-default-features \
  -p multiprover-core -p multiprover-verifier

echo "test suite finished in ${SECONDS}s"
