#!/usr/bin/env bash
# npm start: build the wasm light client and the multiprover binary, start a devnet on the
# default profile (D=20, T=8) that proves a few batches with every system, serve the
# in-browser light-client demo on localhost and print its URL. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
PORT="${PORT:-8080}"
BATCHES="${BATCHES:-4}"
# halo2 needs ~20 min of one-time setup per process at the default profile on a 2-core
# machine (Params::new + keygen at k = 18, measured under load), so the demo starts with the
# three fast systems unless HALO2=1 asks for all four.
if [ "${HALO2:-0}" = "1" ]; then
  SYSTEMS="halo2,plonky2,stark,tee"
else
  SYSTEMS="plonky2,stark,tee"
  echo "note: halo2 is left out of this devnet (its key generation takes ~20 min here); HALO2=1 npm start includes it"
fi
echo "==> building the wasm light client (pkg/)"
bash scripts/build-wasm.sh
echo "==> building the multiprover binary (release, with demo-faults for --faulty)"
cargo build --release -p multiprover-cli --features demo-faults
echo "==> starting the devnet: $BATCHES batches, every system, demo on http://127.0.0.1:$PORT/"
exec target/release/multiprover devnet --dir .devnet --batches "$BATCHES" --listen "127.0.0.1:$PORT" --systems "$SYSTEMS" "$@"
