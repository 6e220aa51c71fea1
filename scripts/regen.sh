#!/usr/bin/env bash
# Regenerate every piece of committed test data, in dependency order:
#
#   golden    testdata/golden/core.json (core's statement golden vectors) and
#             schnorr_wasm.json (the wasm package's signing known answer)
#   fixtures  testdata/fixtures/<system>/ (key.json, envelope.bin; tee's registry.json,
#             plonky2's batch.json): each system's fixtures test with MULTIPROVER_REGEN_FIXTURES=1
#   browser   tests/browser/data/ (crates/wasm/examples/gen-browser-data.rs)
#   fuzz      fuzz/target/seeds/ from the two above (scripts/fuzz-seeds.sh; not committed)
#
#   scripts/regen.sh                    # everything (halo2's real proof: 10-15 min on 2 cores)
#   scripts/regen.sh golden browser     # only these parts
#   SYSTEMS="tee stark" scripts/regen.sh fixtures
#   scripts/regen.sh --check            # regenerate nothing; fail if anything is stale
#
# Regenerating the proof fixtures changes the pinned keys and proofs (every anchor built from
# them, the wasm and browser tests' inputs): do it when a circuit or key format changes on
# purpose, and commit the result together with that change. --check runs the same tests
# without the variables (each compares the committed files with what the code computes now)
# and regenerates the browser data into a scratch copy to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export MULTIPROVER_HALO2_PARAMS_DIR="${MULTIPROVER_HALO2_PARAMS_DIR:-$PWD/target/halo2-params}"

CHECK=0
PARTS=()
for a in "$@"; do
  case "$a" in
    --check) CHECK=1 ;;
    golden | fixtures | browser | fuzz) PARTS+=("$a") ;;
    *) echo "usage: scripts/regen.sh [--check] [golden|fixtures|browser|fuzz]..." >&2; exit 2 ;;
  esac
done
[ ${#PARTS[@]} -gt 0 ] || PARTS=(golden fixtures browser fuzz)
SYSTEMS="${SYSTEMS:-tee stark plonky2 halo2}"
want() { [[ " ${PARTS[*]} " == *" $1 "* ]]; }
step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }
# The one switch the tests read (multiprover_testkit::regen): exactly 1 regenerates.
regen() { if [ "$CHECK" = 1 ]; then echo 0; else echo 1; fi; }

if want golden; then
  step "golden vectors (testdata/golden/)"
  MULTIPROVER_REGEN_GOLDEN=$(regen) cargo test -p multiprover-core --test it -- golden::
  MULTIPROVER_REGEN_GOLDEN=$(regen) cargo test -p multiprover-wasm --no-default-features --test schnorr_golden
fi

if want fixtures; then
  for s in $SYSTEMS; do
    step "$s proof fixtures (testdata/fixtures/$s/)"
    MULTIPROVER_REGEN_FIXTURES=$(regen) \
      cargo test -p "multiprover-$s" --features prover --test it -- fixtures::
  done
fi

if want browser; then
  step "browser-test data (tests/browser/data/)"
  data=tests/browser/data
  if [ "$CHECK" = 1 ]; then
    # Regenerate over a copy, compare, and put the committed files back.
    saved=$(mktemp -d)
    cp -r "$data/." "$saved/"
    cargo run -q -p multiprover-wasm --no-default-features --example gen-browser-data
    status=0
    diff -r "$saved" "$data" >/dev/null || status=1
    rm -rf "${data:?}/"* && cp -r "$saved/." "$data/" && rm -rf "$saved"
    [ "$status" = 0 ] || { echo "tests/browser/data/ is stale: run scripts/regen.sh browser" >&2; exit 1; }
    echo "tests/browser/data/ is current"
  else
    cargo run -q -p multiprover-wasm --no-default-features --example gen-browser-data
  fi
fi

if want fuzz; then
  step "fuzz seeds (fuzz/target/seeds/)"
  bash scripts/fuzz-seeds.sh
fi

[ "$CHECK" = 1 ] && echo "regen --check: nothing is stale" || git status --short testdata tests/browser/data
