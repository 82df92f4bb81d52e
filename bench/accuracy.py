#!/usr/bin/env python3
"""What each checker finds of the known damage in the corpus, and what it
says about the clean skills.

`forge/` is the corpus after a bulk edit broke it; `forge-clean/` is the same
skills just before. DAMAGE is an inventory of that edit, one line per kind:
`<kind> <skill> <skill> ...` (lines whose second word is a number are counts
and are skipped). For each kind, a checker "finds" a damaged skill when it
reports, on that skill's SKILL.md, a finding of the kind's codes below.

Usage: bench/accuracy.py DAMAGE [--bin target/release/skill-lsp] [--corpus DIR]
Prints a Markdown table.
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Per kind of damage: the skill-lsp codes that report it, and a test of an
# agnix finding (rule, message) that reports it.
KINDS = {
    "unclosed-front-matter": (
        {"SK001"},
        # AS-001 (no front matter), or a YAML error from reading the body as
        # YAML; "invalid type: map" is agnix rejecting the format itself,
        # which it reports on clean skills too.
        lambda r, m: r == "AS-001" or (r == "AS-016" and "invalid type: map" not in m),
    ),
    "links-deleted-shared-loading": (
        {"SK301", "SK302"},
        lambda r, m: r in ("REF-001", "REF-002") and "shared_loading_patterns" in m,
    ),
    "pasted-step-list": ({"SK108"}, None),
    "other-step-added": ({"SK103", "SK104", "SK113", "SK124"}, None),
    "todo-placeholder": ({"SK123"}, None),
    "getIndex-call": ({"SK201"}, None),
    "step-100": ({"SK103"}, None),
}


def corpus_default() -> Path:
    env = os.environ.get("SKILL_LSP_CORPUS")
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    return beside if beside.is_dir() else Path("/work/shared/corpus")


def skill_of(path: str) -> str | None:
    parts = Path(path).parts
    if len(parts) >= 2 and parts[-1] == "SKILL.md":
        return parts[-2]
    return None


def run_ours(binary: str, root: Path) -> list[tuple[str, str, str, str]]:
    out = subprocess.run([binary, "check", "--format", "json", str(root / "skills")], capture_output=True, text=True)
    doc = json.loads(out.stdout)
    return [(skill_of(d["path"]), d["code"], d["severity"], d["message"]) for d in doc["diagnostics"]]


def run_peer(root: Path) -> list[tuple[str, str, str, str]]:
    out = subprocess.run(["agnix", "--format", "json", "--max-files", "0", str(root)], capture_output=True, text=True)
    doc = json.loads(out.stdout)
    return [(skill_of(d["file"]), d["rule"], d["level"], d["message"]) for d in doc["diagnostics"]]


def read_damage(path: Path) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = collections.defaultdict(set)
    for line in path.read_text().splitlines():
        words = line.split()
        if len(words) < 2 or re.fullmatch(r"\d+", words[1]):
            continue
        kinds[words[0]].update(words[1:])
    return kinds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("damage", type=Path)
    ap.add_argument("--bin", default="target/release/skill-lsp")
    ap.add_argument("--corpus", type=Path, default=corpus_default())
    args = ap.parse_args()
    damage = read_damage(args.damage)

    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for state in ("forge", "forge-clean"):
            # A copy: neither tool may touch the corpus.
            root = Path(tmp) / state
            shutil.copytree(args.corpus / state / "forge-plugin", root)
            results[state] = {"skill-lsp": run_ours(args.bin, root), "agnix": run_peer(root)}

    print("| damage (skills) | skill-lsp finds | agnix finds |")
    print("|---|---|---|")
    for kind, skills in sorted(damage.items(), key=lambda kv: -len(kv[1])):
        codes, peer_test = KINDS.get(kind, (set(), None))
        ours = {s for s, c, _, _ in results["forge"]["skill-lsp"] if c in codes}
        peer = {s for s, r, _, m in results["forge"]["agnix"] if peer_test and peer_test(r, m)}
        print(f"| {kind} ({len(skills)}) | {len(skills & ours)} | {len(skills & peer)} |")

    print()
    print("| on the 102 skills | skill-lsp | agnix |")
    print("|---|---|---|")
    for state in ("forge", "forge-clean"):
        row = []
        for tool in ("skill-lsp", "agnix"):
            found = results[state][tool]
            errs = {s for s, _, sev, _ in found if s and sev == "error"}
            row.append(f"{len(errs)} skills with errors, {len(found)} findings")
        print(f"| `{state}/` | {row[0]} | {row[1]} |")
    rejected = {s for s, r, _, m in results["forge-clean"]["agnix"] if r == "AS-016" and "invalid type: map" in m}
    print()
    print(
        f"agnix rejects {len(rejected)} clean skills outright (AS-016 \"Failed to parse SKILL.md: "
        "context: invalid type: map, expected a string\": it expects `context` to be a string)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
