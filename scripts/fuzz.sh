#!/usr/bin/env bash
# Run every cargo-fuzz target for a while (default 60 s each; CI uses the default) and print
# how many inputs each executed. Fails on the first crash; libFuzzer leaves the input in
# fuzz/artifacts/<target>/ — keep it in fuzz/regressions/<target>/ once fixed (the normal
# test suite replays that directory, fuzz/corpus/ and the seeds, see
# crates/verifier/tests/fixtures.rs, fuzz_corpora_and_regressions_replay).
#
#   scripts/fuzz.sh            # 60 s per target
#   scripts/fuzz.sh 600        # 10 min per target
#   FUZZ_TARGETS="envelope anchor" scripts/fuzz.sh 30
#
# Each target starts from seeds derived from the committed test data (scripts/fuzz-seeds.sh:
# the proof fixtures in testdata/, the browser-test data; never hand copies, so they cannot go
# stale) and the committed inputs in fuzz/corpus/<target>/, both read-only; what a run
# discovers goes to fuzz/target/corpus/<target>/ (not committed). halo2's target runs longer
# by its verifier's setup time, so that it fuzzes for as long as the others.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
SECS="${1:-60}"
TARGETS="${FUZZ_TARGETS:-envelope anchor batch_record proof_tee proof_plonky2 proof_stark proof_halo2}"
# halo2's target first builds its verifier: seconds with params cached in
# $MULTIPROVER_HALO2_PARAMS_DIR (npm test fills it before this step), ~3 min without (one core).
if [ -n "${MULTIPROVER_HALO2_PARAMS_DIR:-}" ] && [ -f "$MULTIPROVER_HALO2_PARAMS_DIR/halo2-params-k14.bin" ]; then
  HALO2_SETUP_SECS="${HALO2_SETUP_SECS:-30}"
else
  HALO2_SETUP_SECS="${HALO2_SETUP_SECS:-200}"
fi

command -v cargo-fuzz >/dev/null || { echo "error: cargo-fuzz not found; run scripts/setup.sh" >&2; exit 1; }
bash scripts/fuzz-seeds.sh

# Safe Rust: no sanitizer (libFuzzer's coverage instrumentation stays on), debug assertions on.
build_start=$SECONDS
(cd fuzz && cargo fuzz build --sanitizer none --debug-assertions)
echo "fuzz targets built in $((SECONDS - build_start)) s"

# One fuzzing process per core (libFuzzer runs one thread each), FUZZ_JOBS at a time; each
# target still gets its full time.
JOBS="${FUZZ_JOBS:-$(nproc)}"
run_one() {
  local t=$1 secs=$2 log="fuzz/target/$1.log"
  mkdir -p "fuzz/target/corpus/$t"
  local dirs=("target/corpus/$t")
  [ -d "fuzz/target/seeds/$t" ] && dirs+=("target/seeds/$t")
  [ -d "fuzz/corpus/$t" ] && dirs+=("corpus/$t")
  if ! (cd fuzz && cargo fuzz run --sanitizer none --debug-assertions "$t" "${dirs[@]}" -- \
        -max_total_time="$secs" -print_final_stats=1 -timeout=60 -rss_limit_mb=8192) >"$log" 2>&1; then
    tail -40 "$log"
    echo "FUZZ CRASH in $t: see fuzz/artifacts/$t/ and $log" >&2
    return 1
  fi
  local runs
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  echo "    $t: ${runs:-?} inputs executed in ${secs} s, no crash"
}

failed=0
running=0
for t in $TARGETS; do
  secs=$SECS
  [ "$t" = proof_halo2 ] && secs=$((SECS + HALO2_SETUP_SECS))
  echo "==> fuzz $t for ${secs} s"
  run_one "$t" "$secs" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
[ "$failed" = 0 ] || { echo "fuzzing found a crash" >&2; exit 1; }
