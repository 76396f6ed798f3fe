#!/usr/bin/env bash
# Installs what building and testing MoLaP Lab needs, skipping whatever is already there.
# Sourced by serve.sh and test.sh; each function is idempotent and quick when nothing is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

# rustfmt and clippy, which a minimal rustup profile leaves out.
ensure_lint_tools() {
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    step "Installing the rustfmt and clippy components"
    rustup component add rustfmt clippy
  fi
}

# Fails early, with a plain message, when the port to serve on is taken.
check_port_free() {
  if ! python3 -c 'import socket, sys; socket.socket().bind(("127.0.0.1", int(sys.argv[1])))' \
    "$1" 2>/dev/null; then
    echo "error: port $1 on 127.0.0.1 is in use; pick another: ./scripts/serve.sh <port>" >&2
    exit 1
  fi
}

# The wasm32 target of the machine's Rust toolchain.
ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Installing the wasm32-unknown-unknown Rust target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen version the crate is locked to; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$ROOT/Cargo.lock"
}

# wasm-bindgen and wasm-bindgen-test-runner, at the locked version (about 3 minutes once).
ensure_wasm_bindgen() {
  local want have
  want="$(wasm_bindgen_version)"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
  if [ "$have" != "$want" ]; then
    step "Installing wasm-bindgen-cli $want (found: ${have:-none}); this compiles for 3 to 8 minutes"
    # No --locked: its lock file names a crate version the registry mirror does not serve.
    cargo install wasm-bindgen-cli --version "$want" --no-default-features --force
  fi
}

# Debian's Chromium and ChromeDriver, for every browser test.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    step "Installing Debian's chromium and chromium-driver"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium chromium-driver
  fi
}

# The end-to-end tests' npm packages, exactly as package-lock.json records them. A copy of the
# lock file inside node_modules/ says which lock the installed packages came from.
ensure_node_modules() {
  local stamp="$ROOT/node_modules/.installed-from-package-lock.json"
  if ! cmp -s "$ROOT/package-lock.json" "$stamp"; then
    step "Installing npm packages from package-lock.json"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
    cp "$ROOT/package-lock.json" "$stamp"
  fi
}

# Builds the wasm in release with SIMD and binds it into pkg/ for the page.
build_web() {
  step "Building the wasm core (release, SIMD)"
  (cd "$ROOT" && cargo build --release --lib --target wasm32-unknown-unknown)
  step "Binding it with wasm-bindgen into pkg/"
  wasm-bindgen --target web --out-dir "$ROOT/pkg" \
    "${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/release/molap_lab.wasm"
}
