#!/usr/bin/env bash
# npm start: build the wasm light client and the multiprover binary, start a devnet on the
# default profile (D=20, T=8) that proves a few batches with every system, serve the
# in-browser light-client demo (site/, and nothing else of the repository: the devnet's keys in
# .devnet/ stay outside it) on localhost and print its URL. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# halo2's IPA params (Params::new(14): seconds) are computed once and shared by
# every later process through this directory (loaded only if their digest is the pinned one).
export MULTIPROVER_HALO2_PARAMS_DIR="${MULTIPROVER_HALO2_PARAMS_DIR:-$PWD/target/halo2-params}"
bash scripts/setup.sh
PORT="${PORT:-8080}"
BATCHES="${BATCHES:-4}"
# Every system by default. halo2 is the slow one: one k = 14 proof per transfer, proved in
# parallel (a few minutes per default-profile batch on 2 cores), so its proofs appear after
# the others'. HALO2=0 leaves it out.
if [ "${HALO2:-1}" = "0" ]; then
  SYSTEMS="plonky2,stark,tee"
  echo "note: halo2 is left out of this devnet (HALO2=0)"
else
  SYSTEMS="halo2,plonky2,stark,tee"
fi
echo "==> building the wasm light client (site/pkg/)"
bash scripts/build-wasm.sh
echo "==> building the multiprover binary (release, with demo-faults for --faulty)"
cargo build --release -p multiprover-cli --features demo-faults
# The devnet serves ./site/ (its --static default), so run from the repository root.
echo "==> starting the devnet: $BATCHES batches, every system, demo on http://127.0.0.1:$PORT/"
exec target/release/multiprover devnet --dir .devnet --batches "$BATCHES" --listen "127.0.0.1:$PORT" --systems "$SYSTEMS" "$@"
