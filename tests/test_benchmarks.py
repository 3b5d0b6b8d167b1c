"""The scale benchmark runs end to end at its smallest size. Nothing here asserts a time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from coopgraph.graph.store import read_manifest
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
STEPS = {
    "generate", "build", "export_turtle", "export_nt", "export_neo4j-admin", "ask", "partners",
    "sync_native_first", "sync_native_again", "per_triple_native",
    "sync_bolt_first", "sync_bolt_again", "per_triple_bolt", "rdf_oxigraph", "rdf_rdflib",
}  # fmt: skip


def generate(out: Path, facts: int = 1000, seed: int = 1) -> dict:
    cmd = [sys.executable, str(ROOT / "benchmarks/generate.py"), "--facts", str(facts), "--seed", str(seed)]
    subprocess.run([*cmd, "--out", str(out)], check=True, capture_output=True, timeout=120)
    return json.loads((out / "generated.json").read_text())


def test_generated_facts_build_clean_and_are_deterministic(tmp_path):
    summary = generate(tmp_path / "a")
    assert summary["facts"] == sum(summary["counts"].values()) == 1000
    assert all(n > 0 for n in summary["counts"].values())
    r = run_cli("build", "--data", str(tmp_path / "a"), "--out", str(tmp_path / "build"))
    assert r.code == 0, r.stderr  # every SHACL rule holds, every place nests up to a country, ids are unique
    manifest = read_manifest(tmp_path / "build")
    assert manifest.triples > 5 * summary["facts"]
    assert manifest.counts["Twinning"] == summary["counts"]["twinning"]
    generate(tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_generate_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "mine.yaml").write_text("- id: keep\n")
    cmd = [sys.executable, str(ROOT / "benchmarks/generate.py"), "--facts", "1000", "--out", str(tmp_path)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "refusing" in r.stderr
    assert (tmp_path / "mine.yaml").read_text() == "- id: keep\n"


def test_scale_runs_every_step_at_the_smallest_size(tmp_path):
    out = tmp_path / "scale.json"
    cmd = [sys.executable, str(ROOT / "benchmarks/scale.py"), "--sizes", "1000", "--budget-seconds", "120"]
    r = subprocess.run(
        [*cmd, "--json-out", str(out), "--work", str(tmp_path / "work")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["machine"]["nproc"] >= 1 and result["machine"]["cpu"]
    (size,) = result["sizes"]
    steps = size["steps"]
    assert size["facts"] == 1000 and size["triples"] > 0
    assert set(steps) == STEPS
    for name, step in steps.items():
        assert "failed" not in step, (name, step)
        assert step["code"] == 0 and step["seconds"] > 0 and step["cpu_seconds"] > 0 and step["max_rss_mb"] > 0, name
    assert steps["ask"]["rows"] > 0 and steps["partners"]["rows"] > 0
    for transport in ("native", "bolt"):
        first, again = steps[f"sync_{transport}_first"], steps[f"sync_{transport}_again"]
        assert first["created"] > 0 and first["sync_seconds"] > 0
        assert again["created"] == again["updated"] == again["deleted"] == 0
        assert again["unchanged"] == first["created"]
        base = steps[f"per_triple_{transport}"]
        assert 0 < base["done"] <= base["triples"] and base["extrapolated_seconds"] > 0
    for engine in ("oxigraph", "rdflib"):
        assert all(steps[f"rdf_{engine}"][k] is not None for k in ("parse", "store", "query", "serialise"))
    (rates,) = result["rates"]
    assert rates["native_items_per_s"] > 0 and rates["bolt_speedup_vs_per_triple"] > 0
    assert "exponent" in r.stdout
