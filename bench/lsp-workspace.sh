#!/usr/bin/env bash
# The language server on a 3,000-skill workspace: start-up to initialize
# answered, initialize to first diagnostics, completion latency, peak RSS.
#
# Usage: bench/lsp-workspace.sh [--copies N] [--json]
# (the harness itself: crates/skill-lsp/examples/lsp_workspace.rs)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

copies=30
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --copies) copies="$2"; shift 2 ;;
    --json) extra+=(--json); shift ;;
    *) echo "usage: $0 [--copies N] [--json]" >&2; exit 2 ;;
  esac
done

cargo build --release --locked -p skill-lsp --bin skill-lsp --example lsp_workspace
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys;print(json.load(sys.stdin)["target_directory"])')"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
python3 bench/make_tree.py "$scratch/tree" --copies "$copies" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$target_dir/release/examples/lsp_workspace" "$scratch/tree" --server "$target_dir/release/skill-lsp" "${extra[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
