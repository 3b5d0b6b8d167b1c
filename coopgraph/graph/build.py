"""Build the graph: load the sources, reason, validate, store."""

from __future__ import annotations

import contextlib
import ctypes
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import ValidationFailed
from coopgraph.graph.reasoning import ONTOLOGY_GRAPH, reason
from coopgraph.graph.search import index_names
from coopgraph.graph.store import Manifest, commit, fingerprint, new_store_dir, open_store, read_manifest
from coopgraph.graph.validation import Violation, validate
from coopgraph.loaders import load_folder
from coopgraph.namespaces import local_name, sparql_prefixes
from coopgraph.ontology import Ontology, load_ontology

BUNDLED_DATA = Path(__file__).resolve().parents[2] / "data"
INSTALLED_DATA = Path(__file__).resolve().parents[1] / "data"

CLASS_COUNTS = """
SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class . FILTER(STRSTARTS(STR(?class), STR(coop:))) }
GROUP BY ?class"""

TRIPLE_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def default_data_dir() -> Path:
    """The bundled data: beside the package in a checkout, inside it in a wheel."""
    return INSTALLED_DATA if INSTALLED_DATA.is_dir() else BUNDLED_DATA


@dataclass
class Graph:
    """An opened stored graph and the manifest that describes it."""

    store: ox.Store
    manifest: Manifest
    rebuilt: bool = False


def prepare(data_dir: Path, store: ox.Store, ontology: Ontology) -> dict[str, str]:
    """Load every source into the store and reason; returns where each entity was written."""
    origins = load_folder(data_dir, ontology, store)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in ontology.triples)
    reason(store, ontology)
    index_names(store)
    return origins


def check(data_dir: Path) -> list[Violation]:
    """Load, reason and validate in memory, storing nothing."""
    return _reasoned(data_dir, load_ontology())[1]


def _reasoned(data_dir: Path, ontology: Ontology) -> tuple[ox.Store, list[Violation]]:
    """The reasoned graph in memory (several times faster than on disk) and its violations."""
    store = ox.Store()
    origins = prepare(data_dir, store, ontology)
    return store, validate(store, ontology, origins)


def build(data_dir: Path, build_dir: Path) -> Manifest:
    """A full build; on any error the previous stored graph stays in place."""
    started = time.perf_counter()
    ontology = load_ontology()
    stamp = fingerprint(data_dir)
    work, violations = _reasoned(data_dir, ontology)
    if violations:
        raise ValidationFailed(str(data_dir), violations)
    counts = {local_name(s["class"].value): int(s["n"].value) for s in work.query(sparql_prefixes() + CLASS_COUNTS)}
    triples = int(next(iter(work.query(TRIPLE_COUNT)))["n"].value)
    target = new_store_dir(build_dir)
    dump = build_dir / f".{target.name}.nq"
    try:  # through a file, so that the graph in memory is gone before the bulk loader fills its batches
        work.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
        del work
        _release_freed_memory()
        store = ox.Store(str(target))
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS, lenient=True)  # Oxigraph wrote it: valid
        store.flush()
        del store
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        dump.unlink(missing_ok=True)
    manifest = Manifest(
        store=target.name,
        fingerprint=stamp,
        data_dir=str(data_dir.resolve()),
        seconds=round(time.perf_counter() - started, 3),
        triples=triples,
        counts=dict(sorted(counts.items())),
    )
    commit(build_dir, manifest)
    return manifest


def _release_freed_memory() -> None:
    """Give the memory just freed back to the system. glibc keeps it in the arena of the thread
    that allocated it, where the bulk loader's own threads cannot reuse it: the graph in memory
    and the loader's batches would add up. (Other C libraries: nothing to do.)"""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def open_graph(data_dir: Path, build_dir: Path) -> Graph:
    """The stored graph, rebuilt first when the data or the ontology changed."""
    manifest = read_manifest(build_dir)
    rebuilt = False
    if manifest is None or manifest.fingerprint != fingerprint(data_dir):
        manifest = build(data_dir, build_dir)
        rebuilt = True
    return Graph(store=open_store(build_dir, manifest), manifest=manifest, rebuilt=rebuilt)
