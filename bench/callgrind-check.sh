#!/usr/bin/env bash
# Performance regression check for CI: counts the instructions `skill-lsp
# check` executes on fixed inputs, under valgrind's callgrind, and compares
# them with the committed baseline (bench/callgrind-baseline.txt). Instruction
# counts, unlike timings, do not depend on what else the machine is doing, so
# a small tolerance catches real regressions without flaky failures.
#
# Inputs (read-only, never edited): twelve real skills of the corpus checked in
# their workspace, and the typical skill grown to 256 KB (so a cost that grows
# faster than the file shows up). One thread (RAYON_NUM_THREADS=1), so work
# stealing adds no noise.
#
# Usage: bench/callgrind-check.sh [--update] [--profile debug|release]
#   --update    write the measured counts as the new baseline (after a change
#               that makes checking legitimately dearer or cheaper)
#   --profile   which build to measure (default debug: the one `cargo test`
#               builds, so CI pays no extra compile). Baselines are per profile.
# Env: CALLGRIND_TOLERANCE (percent, default 10), SKILL_LSP_CORPUS.
# Exit status: 0 within tolerance, 1 regression, 2 cannot run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

update=0
profile=debug
while [ $# -gt 0 ]; do
  case "$1" in
    --update) update=1; shift ;;
    --profile) profile="$2"; shift 2 ;;
    *) echo "usage: $0 [--update] [--profile debug|release]" >&2; exit 2 ;;
  esac
done
case "$profile" in debug|release) ;; *) echo "--profile: debug or release" >&2; exit 2 ;; esac
tolerance="${CALLGRIND_TOLERANCE:-10}"
baseline=bench/callgrind-baseline.txt

if ! command -v valgrind >/dev/null 2>&1; then
  bash bench/install-tools.sh --no-peer --no-plot
fi

corpus="${SKILL_LSP_CORPUS:-}"
if [ -z "$corpus" ]; then
  if [ -d ../shared/corpus ]; then corpus=../shared/corpus; else corpus=/work/shared/corpus; fi
fi
root="$corpus/forge/forge-plugin"
[ -d "$root/skills" ] || { echo "callgrind-check: no corpus at $root (set SKILL_LSP_CORPUS)" >&2; exit 2; }

flags=(--locked -p skill-lsp --bin skill-lsp)
[ "$profile" = release ] && flags+=(--release)
cargo build -q "${flags[@]}"
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys;print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/$profile/skill-lsp"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# A fixed, varied dozen: clean and damaged, small and large, every style.
skills=(accessibility cloud-architect commit-helper csharp divine fastapi generate-azure-functions
  legacy-modernizer sql terraform-engineer typescript vue-expert)
corpus_files=()
for s in "${skills[@]}"; do corpus_files+=("$root/skills/$s/SKILL.md"); done

# The typical skill grown to 256 KB, as the benchmarks grow it (see crates/skill-core/benches/common).
mkdir -p "$scratch/big/skills/cloud-architect"
python3 - "$root/skills/cloud-architect/SKILL.md" "$scratch/big/skills/cloud-architect/SKILL.md" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
start, end = text.index("## Architecture Focus Areas"), text.index("## Version History")
head, tail, block = text[:end], text[end:], text[start:end]
out, copy = [head], 0
size = len(head.encode()) + len(tail.encode())
while size < 256 * 1024:
    copy += 1
    part = block.replace("## Architecture Focus Areas", f"## Architecture Focus Areas, part {copy}")
    out.append(part)
    size += len(part.encode())
out.append(tail)
open(sys.argv[2], "w", encoding="utf-8", newline="").write("".join(out))
PY

# Instructions executed by one command, all threads.
count() {
  RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >/dev/null 2>"$scratch/vg.log" || true
  local n
  n=$(awk '/Collected :/ {print $NF}' "$scratch/vg.log" | tail -1)
  if [ -z "$n" ]; then
    echo "callgrind-check: valgrind did not report a count:" >&2
    cat "$scratch/vg.log" >&2
    exit 2
  fi
  echo "$n"
}

declare -A measured
measured["$profile/corpus-12"]=$(count "$bin" check --format json "${corpus_files[@]}")
measured["$profile/grown-256k"]=$(count "$bin" check --format json "$scratch/big/skills/cloud-architect/SKILL.md")

if [ "$update" = 1 ]; then
  touch "$baseline"
  for key in "${!measured[@]}"; do
    grep -v "^$key " "$baseline" > "$scratch/base" || true
    echo "$key ${measured[$key]}" >> "$scratch/base"
    sort "$scratch/base" > "$baseline"
  done
  echo "callgrind-check: baseline updated ($baseline):"
  grep "^$profile/" "$baseline"
  exit 0
fi

status=0
for key in $(printf '%s\n' "${!measured[@]}" | sort); do
  now="${measured[$key]}"
  was=$(awk -v k="$key" '$1 == k {print $2}' "$baseline" 2>/dev/null || true)
  if [ -z "$was" ]; then
    echo "callgrind-check: $key: $now instructions, no baseline (run bench/callgrind-check.sh --update${profile:+ --profile $profile})" >&2
    status=1
    continue
  fi
  verdict=$(awk -v now="$now" -v was="$was" -v tol="$tolerance" 'BEGIN {
    d = (now - was) * 100 / was
    v = (d > tol) ? "REGRESSION" : (d < -tol ? "faster (update the baseline to keep the gain)" : "ok")
    printf "%+.1f%% %s", d, v }')
  printf '%-22s %14s instructions (baseline %s) %s\n' "$key" "$now" "$was" "$verdict"
  case "$verdict" in *REGRESSION*) status=1 ;; esac
done
if [ "$status" != 0 ]; then
  echo "callgrind-check: instruction counts grew beyond ${tolerance}%. Profile with" >&2
  echo "  valgrind --tool=callgrind $bin check <input>; callgrind_annotate callgrind.out.*" >&2
  echo "or, when the cost is deliberate, record it: bench/callgrind-check.sh --update" >&2
fi
exit "$status"
