"""Loaders: turn every source in a data folder into RDF quads.

One loader per format: curated YAML records (`yaml_facts`, converted by
`records`) and external Turtle (`turtle`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import InputError
from coopgraph.ontology import Ontology


@dataclass
class Loaded:
    """What the loaders produced: the quads, and where each entity was written."""

    quads: list[ox.Quad]
    origins: dict[str, str]
    files: list[Path]


def source_files(data_dir: Path) -> list[Path]:
    """The files a build reads, in a stable order."""
    return sorted(p for p in data_dir.rglob("*") if p.suffix in (".yaml", ".yml", ".ttl") and p.is_file())


def load_folder(data_dir: Path, ontology: Ontology) -> Loaded:
    """Every source of the folder as quads. (The parsers are imported here, not at start-up:
    commands that only read the stored graph never need them.)"""
    from coopgraph.loaders.records import RecordConverter
    from coopgraph.loaders.turtle import read_turtle
    from coopgraph.loaders.yaml_facts import read_yaml

    if not data_dir.is_dir():
        raise InputError(str(data_dir), None, "data folder not found")
    files = source_files(data_dir)
    if not files:
        raise InputError(str(data_dir), None, "no .yaml or .ttl files in the data folder")
    records, quads, turtle_origins = [], [], {}
    for path in files:
        shown_as = _shown(path, data_dir)
        if path.suffix == ".ttl":
            triples = read_turtle(path, shown_as)
            quads.extend(triples)
            turtle_origins.update((q.subject.value, shown_as) for q in triples)
        else:
            records.extend(read_yaml(path, shown_as))
    converter = RecordConverter(ontology)
    converter.convert(records)
    origins = turtle_origins | converter.origins
    return Loaded(quads=converter.quads + quads, origins=origins, files=files)


def _shown(path: Path, data_dir: Path) -> str:
    """The path as the user will recognise it in an error message."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(data_dir.name / path.relative_to(data_dir))
