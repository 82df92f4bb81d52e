#!/usr/bin/env python3
"""Times two commands in alternation, round after round, and prints each
one's median wall time and the median of the per-round ratios (first/second).

On a machine that other work shares, load changes from one second to the
next; hyperfine times all runs of one command before the other's, so a
change of load between them skews the comparison. Alternating puts both
commands of a round under the same load.

Usage: bench/paired.py ROUNDS "COMMAND A" "COMMAND B"
Example (the tree from bench/make_tree.py):
  bench/paired.py 5 "target/release/skill-lsp check --format json TREE" \\
                    "agnix --format json --max-files 0 TREE"
One warm-up round is run first and not counted. Output goes to /dev/null.
"""

import shlex
import statistics
import subprocess
import sys
import time


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> int:
    if len(sys.argv) != 4 or not sys.argv[1].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    rounds = int(sys.argv[1])
    commands = [shlex.split(c) for c in sys.argv[2:]]
    times: list[list[float]] = [[], []]
    for r in range(rounds + 1):
        for i, argv in enumerate(commands):
            t = timed(argv)
            if r > 0:
                times[i].append(t)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    for i, argv in enumerate(commands):
        print(f"{statistics.median(times[i]) * 1000:7.0f} ms median, {min(times[i]) * 1000:7.0f} ms min  {argv[0]}")
    ratios = [a / b for a, b in zip(times[0], times[1])]
    print(f"median per-round ratio: {statistics.median(ratios):.3f} ({rounds} rounds; load average after {load})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
