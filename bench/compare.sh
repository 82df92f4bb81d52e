#!/usr/bin/env bash
# skill-lsp check against the peer linter (agnix), in the same run on the same
# machine: wall time (hyperfine) and peak RSS (/usr/bin/time -v) on a
# 3,000-skill tree, both printing JSON (which both tools support) to
# /dev/null; then accuracy, both on the same copies of the corpus: what each
# finds of the corpus's known damage (bench/accuracy.py).
#
# Usage: bench/compare.sh [--copies N] [--runs N] [--tree DIR] [--scale-copies N] [--profile P]
#   --copies N        corpus copies in the tree (default 30: 3,060 skills)
#   --runs N          timed runs per tool (default 10, after 2 warm-up runs)
#   --tree DIR        where to build the tree (default: a temporary folder, removed after)
#   --scale-copies N  copies in the scale tree (default 300: 30,600 skills; 0 skips it)
#   --profile P       the Cargo profile of the binary measured (default dist: the one
#                     the packages ship, with link-time optimisation; release builds
#                     faster and runs slower: docs/performance.md has both)
# Then both tools on agentskills/ (bench/compare-agentskills.sh): time, memory, findings;
# then the scale tree: `check` alone (wall and CPU time, peak RSS), and the
# language server with it as its workspace (bench/lsp-workspace.sh's harness:
# initialize to first diagnostics, peak RSS). Together: every figure of the
# budgets table of docs/performance.md.
# Writes target/bench/compare.json (hyperfine) and target/bench/compare.md (the tables).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"

copies=30
runs=10
tree=""
scale_copies=300
profile=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --copies) copies="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --tree) tree="$2"; shift 2 ;;
    --scale-copies) scale_copies="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    *) echo "usage: $0 [--copies N] [--runs N] [--tree DIR] [--scale-copies N] [--profile P]" >&2; exit 2 ;;
  esac
done

bash bench/install-tools.sh --no-plot
cargo build --profile "$profile" --locked -p skill-lsp --bin skill-lsp
# The language-server harness is a client: its own build does not matter.
cargo build --release --locked -p skill-lsp --example lsp_workspace
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys;print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/$profile/skill-lsp"
echo "==> measuring $bin (profile $profile)"
out="$repo/target/bench"
mkdir -p "$out"

if [ -z "$tree" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  tree="$scratch/tree"
fi
python3 bench/make_tree.py "$tree" --copies "$copies"

ours="$bin check --format json $tree"
# --max-files 0: the tree holds more Markdown files than agnix's default cap.
peer="agnix --format json --max-files 0 $tree"

# Other work on the machine slows both tools, not always alike: record it.
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
# CPU time (user + system) of each tool, alternating, 3 rounds: on a loaded
# machine wall time is mostly waiting for a core, CPU time is the work done.
echo "==> CPU time (alternating runs)"
python3 bench/paired.py 3 "$ours" "$peer" | tee "$out/compare-cpu.txt"
echo "==> wall time ($runs runs each, 2 warm-up; load average $load_before)"
# -i: both exit 1 because the corpus has errors; that is the expected outcome.
hyperfine -N -i --warmup 2 --runs "$runs" --export-json "$out/compare.json" \
  -n "skill-lsp check" "$ours" -n "agnix $(agnix --version | awk '{print $2}')" "$peer"

# Peak resident set size: the largest of three runs, in MiB.
peak_rss() {
  local max=0 kb
  for _ in 1 2 3; do
    # -o: the report goes to a file, apart from the tool's own stderr.
    kb=$(/usr/bin/time -v -o "$out/.time" "$@" >/dev/null 2>&1; awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$out/.time")
    [ "$kb" -gt "$max" ] && max="$kb"
  done
  rm -f "$out/.time"
  awk -v kb="$max" 'BEGIN { printf "%.1f", kb / 1024 }'
}
echo "==> peak RSS"
rss_ours=$(peak_rss $ours)
rss_peer=$(peak_rss $peer)

# What each found, to show both read the whole tree.
files_ours=$($ours 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["files"], len(d["diagnostics"]))' || true)
files_peer=$($peer 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["files_checked"], len(d["diagnostics"]))' || true)

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
machine="$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"

python3 - "$out/compare.json" "$rss_ours" "$rss_peer" "$files_ours" "$files_peer" "$copies" \
  "$load_before" "$load_after" "$machine" "$out/compare-cpu.txt" > "$out/compare.md" <<'PY'
import json, sys
path, rss_ours, rss_peer, files_ours, files_peer, copies, load_before, load_after, machine, cpu = sys.argv[1:]
res = json.load(open(path))["results"]
ours, peer = res[0], res[1]
def ms(x): return f"{x * 1000:.0f} ms"
fo, do = (files_ours.split() + ["?", "?"])[:2]
fp, dp = (files_peer.split() + ["?", "?"])[:2]
ratio = ours["median"] / peer["median"]
print(f"| {copies} corpus copies | median | min–max | peak RSS | files checked | findings |")
print("|---|---|---|---|---|---|")
print(f"| `{ours['command'].split(' check')[0].rsplit('/',1)[-1]} check` | {ms(ours['median'])} | {ms(ours['min'])}–{ms(ours['max'])} | {rss_ours} MiB | {fo} | {do} |")
print(f"| `agnix` | {ms(peer['median'])} | {ms(peer['min'])}–{ms(peer['max'])} | {rss_peer} MiB | {fp} | {dp} |")
print()
print(f"skill-lsp / agnix median time: {ratio:.2f} (budget: at most 0.25); peak RSS budget: at most 60 MB")
print()
print("CPU time, alternating runs (`bench/paired.py 3`):")
print()
print("```")
print(open(cpu).read().rstrip())
print("```")
print()
print(f"{machine}; load average (1, 5, 15 min) {load_before} before, {load_after} after.")
PY
# Accuracy: the same binary and the same agnix, on copies of both corpus trees.
echo "==> accuracy on the corpus's known damage"
{
  echo
  python3 bench/accuracy.py docs/corpus-damage.txt --bin "$bin"
} >> "$out/compare.md"

echo
cat "$out/compare.md"

# The standard repositories of agentskills/, as a new user checks them.
echo "==> agentskills/: four public repositories of standard skills, no configuration"
{
  echo
  bash bench/compare-agentskills.sh --bin "$bin" --runs "$runs"
} | tee -a "$out/compare.md"

# The scale tree: `check` alone (no peer needed to judge a fixed budget), then
# the language server opening it as its workspace.
if [ "$scale_copies" -gt 0 ]; then
  big_parent="$(mktemp -d)"
  big="$big_parent/scale-tree"
  python3 bench/make_tree.py "$big" --copies "$scale_copies"
  {
    echo
    echo "### $scale_copies corpus copies ($(find "$big/skills" -name SKILL.md | wc -l) skills)"
    echo
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo '| run | wall | CPU (user + sys) | peak RSS |'
    echo '|---|---|---|---|'
    # One run first, not counted: it reads what the page cache has dropped.
    $bin check --format json "$big" >/dev/null 2>&1 || true
    for round in 1 2 3 4 5; do
      /usr/bin/time -f '%e %U %S %M' -o "$out/.time" $bin check --format json "$big" >/dev/null 2>&1 || true
      # `check` exits 1 when it finds something, and time then writes a line
      # saying so before its own: the figures are on the last line.
      read -r wall user sys kb < <(tail -n 1 "$out/.time")
      awk -v r="$round" -v w="$wall" -v u="$user" -v s="$sys" -v k="$kb" \
        'BEGIN { printf "| %d | %.2f s | %.2f s | %.1f MiB |\n", r, w, u + s, k / 1024 }'
    done
    rm -f "$out/.time"
    echo
    echo "Budget: at most 3 s and 60 MB."
    echo
    echo "Language server with that tree as its workspace (crates/skill-lsp/examples/lsp_workspace.rs):"
    echo
    echo '```'
    "$target_dir/release/examples/lsp_workspace" "$big" --server "$bin"
    echo '```'
    echo
    echo "Budget: first diagnostics within 1 s, peak RSS under 80 MB."
    echo
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee -a "$out/compare.md"
  rm -rf "$big_parent"
fi
