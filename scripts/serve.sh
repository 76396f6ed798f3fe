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
# Python's static server, with the repository's Markdown documents (docs/*.md, linked from the
# lessons) declared as UTF-8 so that σ, ± and × read correctly in the browser.
exec python3 -c '
import sys
from http.server import SimpleHTTPRequestHandler, test
SimpleHTTPRequestHandler.extensions_map[".md"] = "text/markdown; charset=utf-8"
test(HandlerClass=SimpleHTTPRequestHandler, port=int(sys.argv[1]), bind="127.0.0.1")
' "$PORT"
