#!/usr/bin/env python3
"""Times two commands in alternation, round after round, and prints each
one's median wall time and CPU time (user + system, its own and its
children's), and the median of the per-round ratios (first/second) of both.

On a machine that other work shares, load changes from one second to the
next; hyperfine times all runs of one command before the other's, so a
change of load between them skews the comparison. Alternating puts both
commands of a round under the same load.

Usage: bench/paired.py ROUNDS "COMMAND A" "COMMAND B"
Example (the tree from bench/make_tree.py):
  bench/paired.py 5 "target/release/skill-lsp check --format json TREE" \\
                    "agnix --format json --max-files 0 TREE"
One warm-up round is run first and not counted. Output goes to /dev/null.
On a loaded machine wall time is mostly waiting for a core; CPU time is
what the command itself spent, and says more there.
"""

import os
import shlex
import statistics
import subprocess
import sys
import time


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run, in seconds."""
    before = os.times()
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def main() -> int:
    if len(sys.argv) != 4 or not sys.argv[1].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    rounds = int(sys.argv[1])
    commands = [shlex.split(c) for c in sys.argv[2:]]
    times: list[list[float]] = [[], []]
    cpus: list[list[float]] = [[], []]
    with open("/proc/loadavg") as f:
        load_before = " ".join(f.read().split()[:3])
    for r in range(rounds + 1):
        for i, argv in enumerate(commands):
            wall, cpu = timed(argv)
            if r > 0:
                times[i].append(wall)
                cpus[i].append(cpu)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    for i, argv in enumerate(commands):
        print(
            f"{statistics.median(times[i]) * 1000:7.0f} ms median, {min(times[i]) * 1000:7.0f} ms min,"
            f" CPU {statistics.median(cpus[i]) * 1000:7.0f} ms median  {argv[0]}"
        )
    ratios = [a / b for a, b in zip(times[0], times[1])]
    cpu_ratios = [a / b for a, b in zip(cpus[0], cpus[1]) if b > 0]
    print(
        f"median per-round ratio: wall {statistics.median(ratios):.3f}, CPU {statistics.median(cpu_ratios):.3f}"
        f" ({rounds} rounds; load average {load_before} before, {load} after)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
