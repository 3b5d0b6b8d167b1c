"""Time `coopgraph build` and cold `coopgraph ask` processes on the bundled data.

    python benchmarks/cli.py [--runs N]

Prints the median and best of N runs of each command as a separate process,
as a user meets them (interpreter start-up included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "build": ["build", "--out", "{build}"],
    "ask provinces-partnering-with Brest": ["ask", "provinces-partnering-with", "-p", "place=Brest", "--json"],
    "partners 'Brest Region'": ["partners", "Brest Region", "--json"],
    "ask cooperation-timeline": ["ask", "cooperation-timeline", "--json"],
    "stats": ["stats", "--json"],
}


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "coopgraph", *args], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        build = str(Path(tmp) / "build")
        print(f"{'command':40} {'median s':>9} {'best s':>8}")
        for label, args in COMMANDS.items():
            args = [a.replace("{build}", build) for a in args] + ([] if label == "build" else ["--build", build])
            times = [timed(args) for _ in range(runs)]
            print(f"{label:40} {statistics.median(times):9.3f} {min(times):8.3f}")


if __name__ == "__main__":
    main()
