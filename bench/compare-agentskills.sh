#!/usr/bin/env bash
# skill-lsp and agnix side by side on agentskills/: four public repositories of
# skills in the open Agent Skills format, checked as a new user checks them (no
# configuration, from an empty folder). Prints wall time (median of N runs),
# peak RSS and each tool's finding counts (total, errors, and per code), with
# the load average before and after. agnix reads every agent configuration
# file it knows (CLAUDE.md, hooks, plugin manifests, .cursor rules...), not
# only SKILL.md, so its findings on SKILL.md files are counted apart too.
# agnix is optional: when it is not installed (bench/install-tools.sh installs
# it from PyPI: pip install agnix==0.59.3), its column says so and skill-lsp
# is measured alone.
#
# Usage: bench/compare-agentskills.sh [--bin PATH] [--runs N] [--corpus DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"
bin="$repo/target/release/skill-lsp"
runs=5
corpus="${SKILL_LSP_CORPUS:-$repo/../shared/corpus}"
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    *) echo "usage: $0 [--bin PATH] [--runs N] [--corpus DIR]" >&2; exit 2 ;;
  esac
done
tree="$corpus/agentskills"
[ -d "$tree" ] || { echo "no agentskills/ under $corpus (set SKILL_LSP_CORPUS)" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" 2>/dev/null && pwd)/$(basename "$bin")"
[ -x "$bin" ] || { echo "no skill-lsp binary at $bin (cargo build --release -p skill-lsp, or --bin)" >&2; exit 2; }
# An empty folder to run from: no skill-lsp.toml, no .agnix.toml applies.
cwd="$(mktemp -d)"
trap 'rm -rf "$cwd"' EXIT

# measure NAME FORMAT CMD...: median wall time, peak RSS and the JSON report.
measure() {
  local name="$1" format="$2"; shift 2
  python3 - "$runs" "$cwd" "$name" "$format" "$@" <<'PY'
import json, resource, statistics, subprocess, sys, time, collections
runs, cwd, name, fmt, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
times, out = [], b""
for _ in range(runs):
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
    out = p.stdout
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
d = json.loads(out)
diags = d.get("diagnostics", [])
sev = lambda x: str(x.get("severity", x.get("level", ""))).lower()
code = lambda x: x.get("code") or x.get("rule") or "?"
on_skill = lambda x: str(x.get("path", x.get("file", ""))).endswith("SKILL.md")
files = d.get("files", d.get("files_checked", "?"))
per = collections.Counter(code(x) for x in diags)
skill = [x for x in diags if on_skill(x)]
print(json.dumps({"name": name, "median_ms": round(statistics.median(times) * 1000), "rss_mib": round(rss, 1),
                  "exit": p.returncode, "files": files, "findings": len(diags),
                  "errors": sum(1 for x in diags if sev(x) == "error"),
                  "skill_findings": len(skill), "skill_errors": sum(1 for x in skill if sev(x) == "error"),
                  "per_code": dict(sorted(per.items()))}))
PY
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
ours=$(measure "skill-lsp $("$bin" --version | awk '{print $2}')" skill-lsp "$bin" check --format json "$tree")
if command -v agnix >/dev/null 2>&1; then
  peer=$(measure "agnix $(agnix --version | awk '{print $2}')" agnix agnix --format json --max-files 0 "$tree")
else
  peer='{"name": "agnix (not installed: bench/install-tools.sh installs it)"}'
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
machine="$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
python3 - "$ours" "$peer" "$runs" "$load_before" "$load_after" "$machine" <<'PY'
import json, sys
ours, peer, runs = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
load_before, load_after, machine = sys.argv[4:7]
rows = [("median wall time (%s runs)" % runs, "median_ms", " ms"), ("peak RSS", "rss_mib", " MiB"),
        ("exit status", "exit", ""), ("files checked", "files", ""), ("findings", "findings", ""),
        ("errors", "errors", ""), ("findings on SKILL.md files", "skill_findings", ""),
        ("errors on SKILL.md files", "skill_errors", "")]
print("| agentskills/ | %s | %s |" % (ours["name"], peer["name"]))
print("|---|---|---|")
for label, key, unit in rows:
    cell = lambda r: f"{r[key]}{unit}" if key in r else "—"
    print(f"| {label} | {cell(ours)} | {cell(peer)} |")
print()
print()
for r in (ours, peer):
    if "per_code" in r:
        print(f"{r['name']} findings per code: " + ", ".join(f"{c} {n}" for c, n in r["per_code"].items()))
print()
print(f"{machine}; load average (1, 5, 15 min) {load_before} before, {load_after} after.")
PY
