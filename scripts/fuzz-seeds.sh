#!/usr/bin/env bash
# Derive the fuzz targets' seeds from the committed test data into fuzz/target/seeds/<target>/
# (not committed; scripts/fuzz.sh runs this first, scripts/regen.sh after regenerating):
#
#   envelope        testdata/fixtures/<system>/envelope.bin
#   proof_<system>  the proof bytes of that envelope (after its 154-byte header)
#   anchor          tests/browser/data/anchor.json
#   batch_record    tests/browser/data/batches/*.json
#
# The normal test suite replays the same seeds (crates/verifier/tests/fixtures.rs,
# fuzz_seeds): keep the two alike.
set -euo pipefail
cd "$(dirname "$0")/.."
# Envelope header: magic 4, version 1, system 1, vk id 32, statement 112, proof length 4.
HEADER_BYTES=154
out=fuzz/target/seeds
rm -rf "$out"
mkdir -p "$out/envelope" "$out/anchor" "$out/batch_record"
for f in testdata/fixtures/*/envelope.bin; do
  system=$(basename "$(dirname "$f")")
  cp "$f" "$out/envelope/fixture-$system"
  mkdir -p "$out/proof_$system"
  tail -c +$((HEADER_BYTES + 1)) "$f" >"$out/proof_$system/fixture"
done
cp tests/browser/data/anchor.json "$out/anchor/browser-test-anchor.json"
for f in tests/browser/data/batches/*.json; do
  cp "$f" "$out/batch_record/browser-test-$(basename "$f")"
done
echo "fuzz seeds: $(find "$out" -type f | wc -l) files in $out from testdata/ and tests/browser/data/"
