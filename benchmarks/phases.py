"""Time each phase of one `build`: load, reason, index the names, validate, store on disk.

    python benchmarks/phases.py --data DIR [--json]

Runs the real build once, in this process, and reports per phase the wall-clock and CPU
seconds (CPU counts every thread, so CPU above wall means the phase used several cores),
then the peak RSS of the whole build. The phases are timed where the build calls them.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from coopgraph.graph import build as pipeline

PHASES = ("load_folder", "reason", "index_names", "validate")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def phases_timed(times: dict[str, tuple[float, float]]):
    """Wrap the functions the build calls by name, recording (wall, CPU) seconds for each."""
    originals = {name: getattr(pipeline, name) for name in PHASES}

    def timed(name, function):
        def run(*args, **kwargs):
            wall, cpu = time.perf_counter(), cpu_seconds()
            try:
                return function(*args, **kwargs)
            finally:
                times[name] = (time.perf_counter() - wall, cpu_seconds() - cpu)

        return run

    for name, function in originals.items():
        setattr(pipeline, name, timed(name, function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(pipeline, name, function)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    times: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, phases_timed(times):
        wall, cpu = time.perf_counter(), cpu_seconds()
        manifest = pipeline.build(args.data, Path(tmp) / "build")
        total = (time.perf_counter() - wall, cpu_seconds() - cpu)
    times["store (the rest)"] = tuple(t - sum(p[i] for p in times.values()) for i, t in enumerate(total))
    times["total"] = total
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if args.json:
        print(json.dumps({"triples": manifest.triples, "peak_rss_bytes": peak, "phases": times}))
        return
    print(f"{manifest.triples} triples, peak RSS {peak / 2**20:.0f} MiB")
    print(f"{'phase':18} {'wall s':>7} {'CPU s':>7}")
    for name, (wall_s, cpu_s) in times.items():
        print(f"{name:18} {wall_s:7.2f} {cpu_s:7.2f}")


if __name__ == "__main__":
    main()
