"""Shared fixtures: the bundled graph built once, and a way to run the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from coopgraph.graph.build import build, default_data_dir, open_graph
from coopgraph.ontology import load_ontology
from coopgraph.queries.answers import answer
from coopgraph.queries.catalogue import question
from coopgraph.queries.embedded import Embedded

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


SOURCES = """\
- id: doc
  type: SourceDocument
  fileName: doc.txt
  lineCount: 40
  name: A document
  source: doc.txt#L1
"""

PLACES = """\
- id: belarus
  type: Country
  name: Belarus
  source: doc.txt#L2
- id: china
  type: Country
  name: China
  source: doc.txt#L2
- id: brest
  type: City
  name: Brest
  locatedIn: belarus
  source: doc.txt#L3
- id: xiaogan
  type: City
  name: Xiaogan
  locatedIn: china
  source: doc.txt#L3
"""

TWINNING = """\
- id: brest-xiaogan
  type: Twinning
  name: Brest – Xiaogan twinning
  participant: [brest, xiaogan]
  linkKind: twinning
  status: signed
  date: 2016-05
  source: doc.txt#L3-L4
"""


def write_data(folder: Path, **files: str) -> Path:
    """A small valid data folder; keyword arguments replace or add files."""
    contents = {"sources.yaml": SOURCES, "places.yaml": PLACES, "twinning.yaml": TWINNING, **files}
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in contents.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


SMALL_EXTRA = """\
- id: vitebsk
  type: City
  name: Vitebsk
  alt: [Viciebsk]
  locatedIn: belarus
  source: doc.txt#L9
- id: hrodna
  type: City
  name: Grodno
  alt: [Hrodna, Twin]
  locatedIn: belarus
  source: doc.txt#L9
- id: lida
  type: City
  name: Lida
  alt: [Twin]
  locatedIn: belarus
  source: doc.txt#L9
"""


@pytest.fixture(scope="session")
def small(tmp_path_factory):
    """CLI options for a tiny data folder: Brest–Xiaogan, plus Vitebsk (no links) and two cities sharing a label."""
    root = tmp_path_factory.mktemp("small")
    data = write_data(root / "data", **{"extra.yaml": SMALL_EXTRA})
    return ["--data", str(data), "--build", str(root / "build")]


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


def run_cli(*args: str, build_dir: Path | None = None, cwd: Path | None = None, stdin: str | None = None) -> Run:
    """The real `coopgraph` process, as a user runs it."""
    env = dict(os.environ)
    if build_dir is not None:
        env["COOPGRAPH_BUILD"] = str(build_dir)
    p = subprocess.run(
        [sys.executable, "-m", "coopgraph", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        input=stdin,
        timeout=300,
    )
    return Run(p.returncode, p.stdout, p.stderr)


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory) -> Path:
    """The bundled data, built once for the whole session."""
    path = tmp_path_factory.mktemp("build")
    build(default_data_dir(), path)
    return path


@pytest.fixture(scope="session")
def graph(build_dir):
    return open_graph(default_data_dir(), build_dir)


@pytest.fixture(scope="session")
def embedded(graph) -> Embedded:
    return Embedded(graph.store)


@pytest.fixture(scope="session")
def ask(embedded):
    """Answer a canned question on the bundled graph: ask('partners-of', place='Brest')."""

    def _ask(name: str, **params: str) -> list[dict]:
        return answer(question(name), params, embedded, load_ontology()).rows

    return _ask


CHECKED_PLACES = [
    "Brest Region", "Gomel Region", "Grodno Region", "Minsk Region", "Mogilev Region", "Minsk",
    "Brest", "Gomel", "Grodno", "Mogilev",
]  # fmt: skip


def parameter_sets(question) -> list[dict]:
    """The spread of parameters a question is checked with: every region, Minsk, the regional capitals."""
    names = {p.name for p in question.params}
    if "place" in names or "actor" in names:
        key = "place" if "place" in names else "actor"
        required = not next(p for p in question.params if p.name == key).optional
        return [{key: p} for p in CHECKED_PLACES] + ([] if required else [{}])
    if "type" in names:
        return [{}, {"type": "Place"}, {"type": "Organization"}]
    return [{}]
