#!/usr/bin/env bash
# How cost grows, and the plot of it in docs/perf-scaling.png:
#   - with file size: parse + check of the typical skill grown from ~10 KB to
#     4 MB, in-process (cargo bench -p skill-core --bench scaling);
#   - with workspace size: `skill-lsp check` and agnix on trees of 1 to 30
#     corpus copies (102 to 3,060 skills), wall time and peak RSS.
#
# Usage: bench/scaling.sh [--copies "1 3 10 30"] [--runs N] [--workspace-only] [--profile P]
#   --workspace-only   skip the file-size benchmark and plot the
#                      target/bench/size-scaling.csv of an earlier run (for a
#                      change that only touches the CLI)
#   --profile P        the Cargo profile of the `skill-lsp` measured on the trees
#                      (default dist, what the packages ship; or release)
# Writes target/bench/size-scaling.csv, target/bench/workspace-scaling.csv
# and docs/perf-scaling.png.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"

copies_list="1 3 10 30"
runs=5
workspace_only=0
profile=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --copies) copies_list="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --workspace-only) workspace_only=1; shift ;;
    --profile) profile="$2"; shift 2 ;;
    *) echo "usage: $0 [--copies \"1 3 10 30\"] [--runs N] [--workspace-only] [--profile P]" >&2; exit 2 ;;
  esac
done

bash bench/install-tools.sh
out="$repo/target/bench"
mkdir -p "$out"

if [ "$workspace_only" = 1 ]; then
  [ -f "$out/size-scaling.csv" ] || { echo "--workspace-only: no $out/size-scaling.csv from an earlier run" >&2; exit 2; }
else
  echo "==> file size (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  cargo bench --locked -p skill-core --bench scaling -- --out "$out/size-scaling.csv"
fi

echo "==> workspace size (load average $(cut -d' ' -f1-3 /proc/loadavg))"
cargo build --profile "$profile" --locked -p skill-lsp --bin skill-lsp
bin="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys;print(json.load(sys.stdin)["target_directory"])')/$profile/skill-lsp"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

peak_rss_kib() {
  /usr/bin/time -v -o "$scratch/time" "$@" >/dev/null 2>&1 || true
  awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$scratch/time"
}

echo "copies,skills,ours_median_s,peer_median_s,ours_rss_kib,peer_rss_kib" > "$out/workspace-scaling.csv"
for copies in $copies_list; do
  tree="$scratch/tree-$copies"
  python3 bench/make_tree.py "$tree" --copies "$copies" >/dev/null
  skills=$(find "$tree/skills" -name SKILL.md | wc -l)
  ours="$bin check --format json $tree"
  peer="agnix --format json --max-files 0 $tree"
  hyperfine -N -i --warmup 1 --runs "$runs" --style basic --export-json "$scratch/h.json" "$ours" "$peer" >/dev/null
  read -r ours_s peer_s < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(r[0]["median"], r[1]["median"])' "$scratch/h.json")
  line="$copies,$skills,$ours_s,$peer_s,$(peak_rss_kib $ours),$(peak_rss_kib $peer)"
  echo "$line" | tee -a "$out/workspace-scaling.csv"
  rm -rf "$tree"
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/plot.py "$out/size-scaling.csv" "$out/workspace-scaling.csv" docs/perf-scaling.png
