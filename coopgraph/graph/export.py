"""Export the stored graph for linked-data users: Turtle, N-Triples, JSON-LD;
and its property-graph projection as GraphML, for Gephi and Cytoscape.

Outputs are written atomically: a failed export leaves the previous file as it was.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from coopgraph.errors import UsageError
from coopgraph.graph.reasoning import ONTOLOGY_GRAPH
from coopgraph.namespaces import PREFIXES
from coopgraph.ontology import CONTEXT_FILE, Ontology

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
PROPERTY_GRAPH_FORMATS = ("graphml",)  # the projection that feeds Neo4j, not RDF


def triples(store: ox.Store, with_ontology: bool) -> list[ox.Triple]:
    """The data graph, and the ontology when asked for."""
    graphs = [ox.DefaultGraph()] + ([ONTOLOGY_GRAPH] if with_ontology else [])
    return [q.triple for g in graphs for q in store.quads_for_pattern(None, None, None, g)]


def serialize(store: ox.Store, fmt: str, with_ontology: bool = False) -> bytes:
    """The stored graph in one of FORMATS, or GraphML (the ontology is not a part of it)."""
    out = io.BytesIO()
    write(store, fmt, out, with_ontology)
    return out.getvalue()


def write(store: ox.Store, fmt: str, out: IO[bytes], with_ontology: bool = False) -> None:
    """Like `serialize`, into a file; Turtle and N-Triples stream from the store, so the
    graph is never held in memory (10^7 triples would take gigabytes as Python objects)."""
    if fmt == "graphml":
        from coopgraph.graph.network import graphml

        out.write(graphml(store))
    elif fmt in ("turtle", "nt"):
        prefixes = PREFIXES if fmt == "turtle" else None
        for graph in [ox.DefaultGraph()] + ([ONTOLOGY_GRAPH] if with_ontology else []):
            store.dump(out, FORMATS[fmt], from_graph=graph, prefixes=prefixes)  # documents that concatenate
    else:
        out.write(serialize_triples(triples(store, with_ontology), fmt))


def serialize_triples(data: list[ox.Triple], fmt: str) -> bytes:
    """Triples in one of FORMATS; JSON-LD is compacted with the published context."""
    if fmt == "graphml":
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in data)
        return serialize(store, fmt)
    if fmt not in FORMATS:
        known = ", ".join([*FORMATS, *PROPERTY_GRAPH_FORMATS])
        raise UsageError("export", f"unknown format {fmt!r}; use one of: {known}")
    if fmt == "jsonld":
        return _jsonld(data)
    prefixes = PREFIXES if fmt == "turtle" else None
    return ox.serialize(data, format=FORMATS[fmt], prefixes=prefixes)


def _jsonld(data: list[ox.Triple]) -> bytes:
    import rdflib

    graph = rdflib.Graph().parse(data=ox.serialize(data, format=ox.RdfFormat.N_TRIPLES), format="nt")
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    return graph.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")


def jsonld_context(ontology: Ontology) -> dict:
    """The JSON-LD context, derived from the ontology: prefixes, and @id for object properties."""
    ctx: dict = {"@vocab": PREFIXES["coop"], **{p: ns for p, ns in PREFIXES.items() if p != "id"}}
    for prop in sorted(ontology.properties.values(), key=lambda p: p.name):
        if prop.is_object:
            ctx[prop.name] = {"@id": f"coop:{prop.name}", "@type": "@id"}
    ctx["prefLabel"] = {"@id": "skos:prefLabel", "@container": "@language"}
    ctx["altLabel"] = {"@id": "skos:altLabel"}
    ctx["sameAs"] = {"@id": "owl:sameAs", "@type": "@id"}
    return {"@context": ctx}


def write_atomically(path: Path, data: bytes) -> None:
    with atomic_file(path) as f:
        f.write(data)


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A temporary file beside the target, renamed over the target once all is written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it the usual mode
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


if __name__ == "__main__":  # regenerate ontology/context.jsonld after an ontology change
    from coopgraph.ontology import load_ontology

    text = json.dumps(jsonld_context(load_ontology()), indent=2, ensure_ascii=False) + "\n"
    write_atomically(CONTEXT_FILE, text.encode("utf-8"))
