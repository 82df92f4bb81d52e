#!/usr/bin/env python3
"""Draws docs/perf-scaling.png from the CSVs bench/scaling.sh writes.

Usage: bench/plot.py SIZE_CSV WORKSPACE_CSV OUT_PNG
"""

import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    size, ws, out = rows(sys.argv[1]), rows(sys.argv[2]), sys.argv[3]

    fig, (a, b, c) = plt.subplots(1, 3, figsize=(15, 4.6))

    kb = [int(r["bytes"]) / 1024 for r in size]
    med = [float(r["median_us"]) / 1000 for r in size]
    a.loglog(kb, med, "o-", color="tab:blue", label="skill-lsp parse + check (median)")
    # Linear growth through the point nearest 1 MiB, for reference: small
    # files pay a fixed cost per document, large ones grow with their size.
    ref = min(range(len(kb)), key=lambda i: abs(kb[i] - 1024))
    a.loglog(kb, [med[ref] * k / kb[ref] for k in kb], ":", color="gray", label="linear in size")
    a.axhline(30, color="tab:red", ls="--", lw=1, label="keystroke budget, 30 ms")
    a.axvline(1024, color="lightgray", lw=1)
    a.set_xlabel("skill size (KiB)")
    a.set_ylabel("time (ms)")
    a.set_title("Cost vs file size (one skill, one thread)")
    a.legend(fontsize=8, loc="lower right")
    a.grid(True, which="both", alpha=0.3)

    skills = [int(r["skills"]) for r in ws]
    ours = [float(r["ours_median_s"]) * 1000 for r in ws]
    peer = [float(r["peer_median_s"]) * 1000 for r in ws]
    b.loglog(skills, ours, "o-", color="tab:blue", label="skill-lsp check")
    b.loglog(skills, peer, "s-", color="tab:orange", label="agnix 0.59.3")
    b.set_xlabel("skills in the tree")
    b.set_ylabel("wall time (ms)")
    b.set_title("Cost vs workspace size (CLI, 2 cores)")
    b.legend(fontsize=8)
    b.grid(True, which="both", alpha=0.3)

    c.plot(skills, [int(r["ours_rss_kib"]) / 1024 for r in ws], "o-", color="tab:blue", label="skill-lsp check")
    c.plot(skills, [int(r["peer_rss_kib"]) / 1024 for r in ws], "s-", color="tab:orange", label="agnix 0.59.3")
    c.axhline(60e6 / 2**20, color="tab:red", ls="--", lw=1, label="budget, 60 MB")
    c.set_xlabel("skills in the tree")
    c.set_ylabel("peak RSS (MiB)")
    c.set_ylim(bottom=0)
    c.set_title("Peak memory vs workspace size (CLI)")
    c.legend(fontsize=8)
    c.grid(True, alpha=0.3)

    fig.tight_layout()
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
