#!/usr/bin/env bash
# npm run bench: the whole benchmark suite (bench/run.mjs, driving the multiprover-bench binary
# of crates/bench) on the default profile (D=20, T=8): per-system prove / verify (native and
# wasm in headless Chromium, cold and warm) / proof size, the light client syncing a cached
# 16-batch chain in the browser, all systems proving at once, node throughput, and the plonky2
# circuit against a bare Poseidon chain. Writes docs/benchmarks.md (machine, command, date,
# every figure against its target in bench/targets.json) and target/bench/results.json. The
# first run proves the 16-batch chain with every system and caches it in bench/cache/ (about
# 40 min with halo2); later runs re-prove BENCH_RUNS batches.
#   BENCH_SYSTEMS=plonky2,stark,tee   leave systems out (halo2 dominates the run time)
#   BENCH_RUNS=5 BENCH_BATCHES=16     samples
#   BENCH_QUICK=1                     small profile, few samples, writes target/bench/ only
#   CHROMIUM=/path/to/chromium        another Chromium than Debian's /usr/bin/chromium
#   BENCH_CRITERION=1                 also every crate's own criterion benches afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export MULTIPROVER_HALO2_PARAMS_DIR="${MULTIPROVER_HALO2_PARAMS_DIR:-$PWD/target/halo2-params}"
node bench/run.mjs
if [ "${BENCH_CRITERION:-0}" = 1 ]; then
  cargo bench -p multiprover-core --bench reference
  cargo bench -p multiprover-tee --features prover --bench tee
  cargo bench -p multiprover-stark --features concurrent --bench stark
  cargo bench -p multiprover-plonky2 --features prover --bench prove_verify
  cargo bench -p multiprover-halo2 --features prover
fi
