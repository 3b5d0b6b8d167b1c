"""Loaders: put every source in a data folder into an RDF store.

One loader per format: curated YAML records (`yaml_facts`, with `simple_yaml`
for files in the usual one-field-a-line style; converted by `records`) and
external Turtle (`turtle`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import InputError
from coopgraph.ontology import Ontology


def source_files(data_dir: Path) -> list[Path]:
    """The files a build reads, in a stable order."""
    return sorted(p for p in data_dir.rglob("*") if p.suffix in (".yaml", ".yml", ".ttl") and p.is_file())


def load_folder(data_dir: Path, ontology: Ontology, store: ox.Store) -> dict[str, str]:
    """Every source of the folder into the store's default graph; returns where each entity was
    written. (The parsers are imported here, not at start-up: commands that only read the
    stored graph never need them.)"""
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
    # The store parses and inserts one block on its own thread (pyoxigraph lets go of the GIL)
    # while the next block is converted.
    with ThreadPoolExecutor(max_workers=1) as inserter:
        inserting = None
        for block in converter.convert(records):
            if inserting:
                inserting.result()
            inserting = inserter.submit(store.bulk_load, input=block, format=ox.RdfFormat.N_TRIPLES)
        if inserting:
            inserting.result()
    store.bulk_extend(quads)
    return turtle_origins | converter.origins


def _shown(path: Path, data_dir: Path) -> str:
    """The path as the user will recognise it in an error message."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(data_dir.name / path.relative_to(data_dir))
