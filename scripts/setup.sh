#!/usr/bin/env bash
# Install what the build and the tests need, idempotently: the wasm target, wasm-bindgen-cli at
# exactly the Cargo.lock version, wasm-pack, cargo-fuzz, Debian's chromium + chromium-driver, and the npm
# packages (playwright-core to drive Debian's Chromium, binaryen for wasm-opt).
# Nothing here downloads a browser or a prebuilt binary from outside the package registries.
#
#   scripts/setup.sh              # everything
#   scripts/setup.sh fuzz wasm    # only what these parts of scripts/test.sh need
#
# Parts: lint, rust and halo2 need only the toolchain of rust-toolchain.toml (rustup installs
# it and its components on first use); fuzz needs cargo-fuzz; wasm and browser need the wasm
# target, wasm-bindgen-cli and wasm-pack (to build pkg/), Debian's chromium + chromium-driver
# and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }

[ $# -gt 0 ] || set -- lint rust halo2 fuzz wasm browser
want_wasm=0 want_fuzz=0 want_chromium=0 want_npm=0
for part in "$@"; do
  case "$part" in
    # (a lint step that needs node_modules, such as a tsc type-check, sets want_npm=1 here)
    lint | rust | halo2) ;;
    fuzz) want_fuzz=1 ;;
    wasm | browser) want_wasm=1 want_chromium=1 want_npm=1 ;;
    *) echo "setup.sh: unknown part '$part' (lint, rust, halo2, fuzz, wasm, browser)" >&2; exit 2 ;;
  esac
done

if [ "$want_wasm" = 1 ]; then
  # Rust: the toolchain in rust-toolchain.toml (a dated nightly) with the wasm target.
  if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi

  # wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
  WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if [ -n "$WB_VERSION" ]; then
    if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WB_VERSION" ]; then
      log "installing wasm-bindgen-cli $WB_VERSION (cargo install, a few minutes once)"
      cargo +stable install wasm-bindgen-cli --version "$WB_VERSION" --locked --force \
        || cargo +stable install wasm-bindgen-cli --version "$WB_VERSION" --force
    fi
  fi
  if ! command -v wasm-pack >/dev/null; then
    log "installing wasm-pack (cargo install, a few minutes once)"
    cargo +stable install wasm-pack --locked || cargo +stable install wasm-pack
  fi
fi

if [ "$want_fuzz" = 1 ]; then
  # cargo-fuzz for the fuzz targets in fuzz/ (scripts/fuzz.sh).
  CARGO_FUZZ_VERSION=0.13.2
  if ! command -v cargo-fuzz >/dev/null || [ "$(cargo-fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
    log "installing cargo-fuzz $CARGO_FUZZ_VERSION (cargo install, about a minute once)"
    cargo +stable install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
  fi
fi

if [ "$want_chromium" = 1 ]; then
  # Debian's Chromium and ChromeDriver for the browser tests.
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Debian chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi

if [ "$want_npm" = 1 ]; then
  # npm packages (playwright-core uses the system Chromium; binaryen provides wasm-opt).
  if [ ! -d node_modules ] || [ package.json -nt node_modules/.setup-stamp ] || { [ -f package-lock.json ] && [ package-lock.json -nt node_modules/.setup-stamp ]; }; then
    log "installing npm packages"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
    touch node_modules/.setup-stamp
  fi
fi
log "ready ($*)"
