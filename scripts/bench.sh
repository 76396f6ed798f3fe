#!/usr/bin/env bash
# Times MoLaP Lab natively, as wasm in headless Chromium and against PyTorch, and prints one
# table (also written to bench-output/bench.md and bench.json). Installs what is missing first,
# like serve.sh and test.sh, plus PyTorch in a virtual environment under the build directory.
# `./scripts/bench.sh --quick` takes fewer repetitions (a smoke run, not for figures).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

QUICK=""
[ "${1:-}" = "--quick" ] && QUICK="--quick"
OUT="$ROOT/bench-output"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="$TARGET/bench/torch-venv"
# PyPI's torch wheels for Linux from 2.0 on pull several GB of nvidia-* CUDA packages and do not
# import without them. 1.12.1, the last to bundle its CUDA runtime, needs no other package:
# ~750 MB to download, 1.6 GB installed, and it needs Python 3.10 (no wheel for 3.11).
TORCH_VERSION="1.12.1"

# A Python 3.10 interpreter: on the PATH, or one pyenv installed.
# A pyenv shim of python3.10 is on the PATH even when it does not run (another version chosen),
# so the interpreter is tried, not only looked up.
find_python310() {
  if python3.10 -c 'import sys' >/dev/null 2>&1; then
    command -v python3.10
  elif command -v pyenv >/dev/null 2>&1; then
    ls "$(pyenv root)"/versions/3.10.*/bin/python3.10 2>/dev/null | tail -n 1
  fi
}

# PyTorch (CPU use of the CUDA 10.2 wheel) in its own venv; on failure, writes why to
# $OUT/torch.missing and returns 1, and the benchmark goes on without it.
ensure_torch() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import torch' 2>/dev/null; then
    return 0
  fi
  local python
  python="$(find_python310)"
  if [ -z "$python" ]; then
    echo "no Python 3.10 interpreter (torch $TORCH_VERSION has no wheel for newer Pythons)" \
      > "$OUT/torch.missing"
    return 1
  fi
  step "Installing torch $TORCH_VERSION into $VENV (about 750 MB, once)"
  rm -rf "$VENV"
  if ! "$python" -m venv "$VENV" || ! "$VENV/bin/pip" install -q "torch==$TORCH_VERSION"; then
    echo "pip could not install torch==$TORCH_VERSION into $VENV" > "$OUT/torch.missing"
    return 1
  fi
}

ensure_wasm_target
ensure_wasm_bindgen
ensure_chromium
ensure_node_modules
mkdir -p "$OUT"
rm -f "$OUT/native.json" "$OUT/torch.json" "$OUT/torch.missing"

step "Building the native benchmark (release)"
cargo build --release --example bench
build_web

# glibc's allocator hands large freed blocks back to the kernel and maps them again on the next
# iteration; PyTorch's per-step tensors hit this hard (most of its time went to the kernel, and
# it ran 2.5 times slower). Both native runs get the same settings, which keep freed memory.
export MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 OMP_NUM_THREADS=1

reps=()
[ -n "$QUICK" ] && reps=(--warmup 2 --iteration-reps 5 --eval-reps 3)
step "Native timings (one thread)"
"$TARGET/release/examples/bench" --json "$OUT/native.json" --batch-json "$OUT/batch.json" \
  "${reps[@]}"

step "PyTorch timings (one thread)"
if ensure_torch; then
  torch_reps=()
  [ -n "$QUICK" ] && torch_reps=(--warmup 1 --reps 3)
  if ! "$VENV/bin/python" -W ignore scripts/bench_torch.py "$OUT/batch.json" "${torch_reps[@]}" \
    > "$OUT/torch.json" 2> "$OUT/torch.log"; then
    echo "the PyTorch script failed: $(tail -n 1 "$OUT/torch.log")" > "$OUT/torch.missing"
    rm -f "$OUT/torch.json"
  fi
fi
[ -f "$OUT/torch.missing" ] && echo "PyTorch skipped: $(cat "$OUT/torch.missing")"

step "wasm and page timings in headless Chromium"
node scripts/bench.mjs "$OUT" $QUICK
