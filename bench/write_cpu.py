"""Where the write routes' CPU goes over the real server: per request, the gunicorn workers',
PostgreSQL's and the load generator's share.

The HTTP benchmark's write rates are set by the two cores all three share, so a ratio moves when
any of them does: this splits the CPU of the bare insert, the bare form post and the diary post
by process (from /proc, Linux only), one size, with the HTTP benchmark's fills and server.

Usage: .venv/bin/python bench/write_cpu.py [--database postgresql://...] [--workers 4]
                                           [--size 100000] [--rounds 3] [--posts 1500]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_pages  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
GROUPS = {"gunicorn": lambda stat, command: b"serve_bench.py" in command,
          "postgres": lambda stat, command: "(postgres)" in stat}


def cpu_seconds(group) -> float:
    """User and system CPU of every live process of ``group``, in seconds."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat, command = (entry / "stat").read_text(), (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if group(stat, command):
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def snapshot() -> dict[str, float]:
    """CPU seconds so far per group, the load generator being this process."""
    return {**{name: cpu_seconds(group) for name, group in GROUPS.items()},
            "load generator": time.process_time()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--posts", type=int, default=1500, help="writes per route and round")
    parser.add_argument("--keep", default="", help="as for bench/http_pages.py")
    options = parser.parse_args()
    args = argparse.Namespace(
        sizes=str(options.size), database=options.database, workers=options.workers,
        connections=8, seconds=4.0, rounds=options.rounds, posts=options.posts,
        writes_only=True, keep=options.keep, pages=[], warm_up=0.5, verbose=False)
    measured = http_pages.SizeRun._writes

    def writes(run, name, make):
        before = snapshot()
        measured(run, name, make)
        result, after = run.results[name][-1], snapshot()
        share = {key: (after[key] - before[key]) / max(result.count, 1) * 1000 for key in before}
        print(f"{name:15} {result.rate:6.0f}/s  "
              + "  ".join(f"{key} {value:.2f}" for key, value in share.items())
              + f"  = {sum(share.values()):.2f} ms CPU per request", flush=True)

    http_pages.SizeRun._writes = writes  # a worker restarted meanwhile shows as a negative share
    with contextlib.ExitStack() as stack:
        run = http_pages.SizeRun(options.size, args, stack)
        for number in range(options.rounds):
            print(f"round {number + 1} of {options.rounds}", flush=True)
            run.one_round()
        facts = run.finish()
    print(f"diary posts acknowledged {facts['acknowledged']}, rows stored {facts['stored']}, "
          f"server tracebacks {facts['server_tracebacks']}")


if __name__ == "__main__":
    main()
