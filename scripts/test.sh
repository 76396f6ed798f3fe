#!/usr/bin/env bash
# Runs every check and test of MoLaP Lab, installing what is missing first:
# formatting, clippy (native and wasm), native tests with doctests, the wasm tests in headless
# Chromium, and the end-to-end tests that drive the served page in Chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

ensure_lint_tools
ensure_wasm_target
ensure_wasm_bindgen
ensure_chromium
ensure_node_modules

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy (native)"
cargo clippy --all-targets -- -D warnings

step "cargo clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings

step "Native tests, with doctests"
cargo test

step "wasm tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --tests

build_web

step "End-to-end tests of the page in Chromium"
node --test tests/e2e/
