#!/usr/bin/env bash
# Instructions the language server executes per keystroke on a large skill,
# counted by valgrind's callgrind (unlike wall time, not disturbed by what
# else the machine runs). The latency harness (`lsp_latency --memory`) edits
# the skill over stdio, each keystroke waited for; the server runs under
# callgrind. Two runs, with K1 and K2 keystrokes: their difference divided by
# K2 - K1 is the cost of one keystroke (start-up, indexing and the first check
# cancel out).
#
# Usage: bench/keystroke-instructions.sh [--size BYTES] [--profile debug|release] [SERVER...]
# A debug build starts slowly under valgrind (its debug information is
# large): release binaries are the practical choice.
#   SERVER    binaries to compare in one run (default: this checkout's build)
#   --size    the skill's size (default 1048576: the 1 MB skill)
# Env: K1 (default 4), K2 (default 14), SKILL_LSP_CORPUS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

size=1048576
profile=debug
servers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    *) servers+=("$1"); shift ;;
  esac
done
k1="${K1:-4}"
k2="${K2:-14}"
command -v valgrind >/dev/null 2>&1 || bash bench/install-tools.sh --no-peer --no-plot

flags=(-p skill-lsp --bin skill-lsp --example lsp_latency)
[ "$profile" = release ] && flags+=(--release)
cargo build -q "${flags[@]}"
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys;print(json.load(sys.stdin)["target_directory"])')"
harness="$target_dir/$profile/examples/lsp_latency"
[ ${#servers[@]} -gt 0 ] || servers=("$target_dir/$profile/skill-lsp")

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Total instructions of one server run with $2 keystrokes.
instructions() {
  local server="$1" keystrokes="$2" out="$scratch/callgrind.out"
  rm -f "$out"
  printf '#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=%s %s "$@"\n' "$out" "$server" >"$scratch/server"
  chmod +x "$scratch/server"
  "$harness" --memory --size "$size" --keystrokes "$keystrokes" --server "$scratch/server" >/dev/null ||
    { echo "keystroke-instructions: the harness failed with $server" >&2; exit 2; }
  # The server has exited; callgrind wrote its totals.
  sed -n 's/^summary: //p' "$out" | head -1
}

printf '| server | instructions per keystroke (%s-byte skill) |\n|---|---|\n' "$size"
for server in "${servers[@]}"; do
  a="$(instructions "$server" "$k1")" || exit 2
  b="$(instructions "$server" "$k2")" || exit 2
  per=$(( (b - a) / (k2 - k1) ))
  printf '| %s | %s |\n' "$server" "$(python3 -c "print(f'{$per/1e6:.1f} M')")"
done
