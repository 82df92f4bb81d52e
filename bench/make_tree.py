#!/usr/bin/env python3
"""Builds a large skills tree from the corpus, for workspace-scale benchmarks.

One skills root (interfaces/, context/, memory/ and skills/ of
`forge/forge-plugin`, copied once) whose skills/ holds every corpus skill
COPIES times, as `skills/<name>-NN/`. Each copy's `name`, and the places that
repeat it (the skill-name arguments of memory calls, `/claudedocs/<name>_`
output paths), say `<name>-NN`, so every copy is a valid skill of its folder
and carries exactly the defects of the original: checking the tree finds
COPIES times what checking the corpus finds.

Usage: bench/make_tree.py DEST [--copies 30] [--corpus DIR]
DEST must not exist yet (or be a tree this script made: it is replaced).
"""

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

MARKER = ".skill-lsp-bench-tree"


def corpus_default() -> Path:
    env = os.environ.get("SKILL_LSP_CORPUS")
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    return beside if beside.is_dir() else Path("/work/shared/corpus")


def rename_in(text: str, old: str, new: str) -> str:
    # The front matter's name (first `name:` line, quoted or not).
    text = re.sub(
        r"^name:([ \t]*)([\"']?)" + re.escape(old) + r"\2[ \t]*$",
        lambda m: f"name:{m.group(1)}{m.group(2)}{new}{m.group(2)}",
        text,
        count=1,
        flags=re.M,
    )
    # Skill-name arguments of memory calls: the first argument, or `skill=`.
    quoted = r"([\"'])" + re.escape(old) + r"\2"
    text = re.sub(r"(memoryStore\.\w+\(\s*)" + quoted, lambda m: f"{m.group(1)}{m.group(2)}{new}{m.group(2)}", text)
    text = re.sub(r"(\bskill\s*=\s*)" + quoted, lambda m: f"{m.group(1)}{m.group(2)}{new}{m.group(2)}", text)
    # Output paths: /claudedocs/old_...
    text = text.replace(f"/claudedocs/{old}_", f"/claudedocs/{new}_")
    return text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--copies", type=int, default=30)
    ap.add_argument("--corpus", type=Path, default=corpus_default())
    args = ap.parse_args()

    src = args.corpus / "forge" / "forge-plugin"
    if not (src / "skills").is_dir():
        print(f"no corpus at {src} (pass --corpus or set SKILL_LSP_CORPUS)", file=sys.stderr)
        return 2
    dest: Path = args.dest
    if dest.exists():
        if not (dest / MARKER).exists():
            print(f"{dest} exists and was not made by this script; not touching it", file=sys.stderr)
            return 2
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    (dest / MARKER).write_text("made by bench/make_tree.py\n")

    # Everything but skills/ once: interface documents, context, memory.
    for entry in src.iterdir():
        if entry.name == "skills":
            continue
        if entry.is_dir():
            shutil.copytree(entry, dest / entry.name)
        else:
            shutil.copy2(entry, dest / entry.name)
    skills_dest = dest / "skills"
    skills_dest.mkdir()
    skill_dirs = []
    for entry in sorted((src / "skills").iterdir()):
        if entry.is_dir():
            skill_dirs.append(entry)
        else:
            shutil.copy2(entry, skills_dest / entry.name)  # SKILL_TEMPLATE.md, OUTPUT_CONVENTIONS.md

    width = max(2, len(str(args.copies)))
    count = 0
    for n in range(1, args.copies + 1):
        suffix = f"-{n:0{width}d}"
        for skill in skill_dirs:
            new = skill.name + suffix
            target = skills_dest / new
            shutil.copytree(skill, target)
            md = target / "SKILL.md"
            if md.is_file():
                raw = md.read_bytes()
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    continue  # kept byte for byte; the checker reports it as it is
                # newline="" keeps CRLF files as they are.
                with open(md, "w", encoding="utf-8", newline="") as f:
                    f.write(rename_in(text, skill.name, new))
                count += 1
    print(f"{dest}: {count} skills ({len(skill_dirs)} x {args.copies})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
