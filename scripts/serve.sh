#!/usr/bin/env bash
# Builds the page and serves it on 127.0.0.1 (port: first argument or $PORT, default 8000).
# Installs what is missing first; a second run with nothing changed takes seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

PORT="${1:-${PORT:-8000}}"
check_port_free "$PORT"
ensure_wasm_target
ensure_wasm_bindgen
build_web

step "Serving MoLaP Lab"
echo "Open http://127.0.0.1:$PORT/ in a browser (Ctrl-C stops the server)."
cd "$ROOT"
exec python3 -m http.server "$PORT" --bind 127.0.0.1
