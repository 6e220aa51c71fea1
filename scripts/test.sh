#!/usr/bin/env bash
# The test suite, in parts: formatting, clippy and rustdoc (lint); every crate's tests except
# halo2's (rust); halo2's tests (halo2); the cargo-fuzz targets (fuzz); the wasm32 build, the npm
# package and the wasm verifiers in headless Chromium (wasm); the browser tests of the demo
# (browser). Installs what the chosen parts need (scripts/setup.sh).
#
#   scripts/test.sh                 # everything: lint rust halo2 fuzz wasm browser (npm test)
#   scripts/test.sh rust            # one part
#   scripts/test.sh lint halo2      # several (always run in the order above)
#
# Each part checks its own prerequisites, so that it also runs alone on a fresh clone: wasm
# computes halo2's params if $MULTIPROVER_HALO2_PARAMS_DIR has none, browser builds pkg/ and
# the multiprover binary (unless the wasm and rust parts ran before it). The wall time of
# every step is printed at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

PARTS_ALL=(lint rust halo2 fuzz wasm browser)
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
declare -A chosen=()
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    lint | rust | halo2 | fuzz | wasm | browser) chosen[$arg]=1 ;;
    *) echo "test.sh: unknown part '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
PARTS=()
for p in "${PARTS_ALL[@]}"; do
  if [ $# -eq 0 ] || [ -n "${chosen[$p]:-}" ]; then PARTS+=("$p"); fi
done
runs() { [[ " ${PARTS[*]} " == *" $1 "* ]]; }

# Step timing: every step() closes the previous one; the table is printed on exit, with the
# step that failed marked.
STEP_NAMES=() STEP_SECS=() STEP_STATUS=() CUR="" CUR_START=0
end_step() {
  if [ -n "$CUR" ]; then
    STEP_NAMES+=("$CUR")
    STEP_SECS+=($((SECONDS - CUR_START)))
    STEP_STATUS+=("$1")
    CUR=""
  fi
}
step() {
  end_step ok
  CUR="$1: $2"
  CUR_START=$SECONDS
  printf '\n\033[1;32m==> [%s] %s\033[0m\n' "$1" "$2"
}
mmss() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }
report() {
  local rc=$? i
  if [ "$rc" = 0 ]; then end_step ok; else end_step FAILED; fi
  printf '\n%-80s %6s  %s\n' "step (parts: ${PARTS[*]})" "wall" ""
  for i in "${!STEP_NAMES[@]}"; do
    printf '%-80s %6s  %s\n' "${STEP_NAMES[$i]:0:80}" "$(mmss "${STEP_SECS[$i]}")" "${STEP_STATUS[$i]}"
  done
  printf '%-80s %6s\n' "total" "$(mmss "$SECONDS")"
  if [ "$rc" = 0 ]; then echo "test suite passed (${PARTS[*]})"; else echo "test suite FAILED (exit $rc)" >&2; fi
}
trap report EXIT
SECONDS=0

# halo2's IPA params (Params::new(14): seconds on 2 cores) are computed once and shared by
# every later process through this directory (loaded only if their digest is the pinned one).
export MULTIPROVER_HALO2_PARAMS_DIR="${MULTIPROVER_HALO2_PARAMS_DIR:-$PWD/target/halo2-params}"
HALO2_PARAMS="$MULTIPROVER_HALO2_PARAMS_DIR/halo2-params-k14.bin"
# Where cargo puts the native binaries (the browser tests run the multiprover binary).
NATIVE_TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
export MULTIPROVER_BIN="${MULTIPROVER_BIN:-$NATIVE_TARGET/debug/multiprover}"

# The rust and halo2 parts each select only some packages; cargo would then resolve their
# dependencies' features for those packages alone, and halo2's part would rebuild its ~170
# units with other features. With the workspace's feature unification (nightly cargo) every
# unit they build is one that `cargo test --workspace --all-features` builds: the two parts
# together compile no more than that one command, and each alone compiles only what it needs.
WS_FEATURES=(-Zfeature-unification --config 'resolver.feature-unification="workspace"')

step setup "scripts/setup.sh ${PARTS[*]}"
bash scripts/setup.sh "${PARTS[@]}"

if runs lint; then
  step lint "cargo fmt --check"
  cargo fmt --all -- --check

  step lint "cargo clippy (all targets, all features) -D warnings"
  cargo clippy --workspace --all-targets --all-features -- -D warnings

  step lint "cargo doc (all features) with RUSTDOCFLAGS=-D warnings"
  RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features

  # The demo page's JSDoc types are checked against the generated site/pkg/*.d.ts, so that
  # check runs in the wasm part, right after the package is built.
fi

if runs rust; then
  step rust "cargo test (workspace except halo2, provers on, small profile)"
  cargo test "${WS_FEATURES[@]}" --workspace --exclude multiprover-halo2 --all-features --no-fail-fast
fi

if runs halo2; then
  step halo2 "cargo test -p multiprover-halo2 (all features; MockProver runs: minutes)"
  cargo test "${WS_FEATURES[@]}" -p multiprover-halo2 --all-features --no-fail-fast
fi

if runs fuzz; then
  step fuzz "every cargo-fuzz target for 60 s (halo2's after its params setup)"
  bash scripts/fuzz.sh 60
fi

if runs wasm; then
  step wasm "wasm32 build: core + verifier, all four systems (no_std except halo2)"
  CARGO_TARGET_DIR="$PWD/target/wasm" cargo build --target wasm32-unknown-unknown --no-default-features \
    -p multiprover-core -p multiprover-verifier --features multiprover-verifier/halo2,multiprover-verifier/plonky2,multiprover-verifier/stark,multiprover-verifier/tee

  step wasm "npm package site/pkg/ (wasm-pack, release, --target web)"
  bash scripts/build-wasm.sh

  step wasm "tsc --noEmit: the demo's JSDoc types against site/pkg/*.d.ts"
  npx --no-install tsc -p site/jsconfig.json --noEmit

  # halo2's fixture test embeds the params cached in $MULTIPROVER_HALO2_PARAMS_DIR
  # (crates/wasm/build.rs) and loads them through loadHalo2Params (pinned digest); computing
  # them inside the browser instead would take more than 15 minutes. The cargo tests of the
  # rust part leave them there; alone, the verifier's fixture test (halo2 only) computes them.
  if [ ! -f "$HALO2_PARAMS" ]; then
    step wasm "halo2 params for the wasm tests (verifier fixture test, halo2 only)"
    cargo test -p multiprover-verifier --features halo2 --test fixtures -- --exact every_fixture_verifies_and_tampering_is_rejected
    test -f "$HALO2_PARAMS"
  fi

  step wasm "wasm-pack test: the wasm verifiers on the fixtures, headless Chromium"
  CARGO_TARGET_DIR="$PWD/target/wasm" CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=600 \
    wasm-pack test --headless --chrome crates/wasm

  # The signing calls again under Node (tests/schnorr_node.rs; the same module runs in Chromium
  # as part of tests/web.rs above).
  step wasm "wasm-pack test --node: the wasm signing calls under Node"
  CARGO_TARGET_DIR="$PWD/target/wasm" WASM_BINDGEN_TEST_TIMEOUT=600 \
    wasm-pack test --node crates/wasm --test schnorr_node
fi

if runs browser; then
  # site/pkg/ with all four verifiers and the multiprover binary with all features (demo-faults
  # on): built by the wasm and rust parts (cargo test), or here, so that neither is stale.
  if ! runs wasm; then
    step browser "npm package site/pkg/ (wasm-pack, release, --target web)"
    bash scripts/build-wasm.sh
  fi
  if ! runs rust || [ ! -x "$MULTIPROVER_BIN" ]; then
    step browser "cargo build -p multiprover-cli --all-features (the devnet binary)"
    cargo build "${WS_FEATURES[@]}" -p multiprover-cli --all-features
  fi
  test -x "$MULTIPROVER_BIN"

  step browser "node --test tests/browser/ (Node example, demo page, real devnets)"
  node --test tests/browser/
fi
