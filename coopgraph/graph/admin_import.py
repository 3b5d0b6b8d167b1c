"""CSV files for `neo4j-admin database import full`: the property graph, for graphs too large for Bolt.

The files hold exactly what `coopgraph sync` would write, because they come
from the same projection: every node once with its labels (`Resource` and its
classes), properties and `syncHash`, every relationship once with `syncedBy:
"coopgraph"`; so the first sync after an import finds nothing to change.

- `nodes.csv`: `iri:ID`, `:LABEL` (labels joined by the array delimiter), one
  typed column per property (`amount:double`, `lineStart:long`,
  `altNames:string[]`; a property a node lacks is an empty cell), `syncHash`.
- `relationships.csv`: `:START_ID,:END_ID,:TYPE,syncedBy`.

Numbers are typed `long` and `double` (64 bits, as Cypher's Integer and Float
that a sync writes), not neo4j-admin's 32-bit `int` and `float`. Arrays use
`;` between items (`--array-delimiter=";"`); text may hold newlines, so the
import needs `--multiline-fields=true`. Files are written into a temporary
folder that then replaces the target folder, so a failed export leaves the
previous files as they were.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import CoopgraphError, UsageError
from coopgraph.graph.projection import (
    MARKER_PROPERTY,
    MARKER_VALUE,
    Naming,
    PropertyGraph,
    collector_paused,
    project,
)
from coopgraph.graph.sync import HASH_KEY, node_hashes
from coopgraph.ontology import load_ontology

ARRAY_DELIMITER = ";"
NODES_FILE = "nodes.csv"
RELATIONSHIPS_FILE = "relationships.csv"
FILES = (NODES_FILE, RELATIONSHIPS_FILE)
TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def write_admin_import(store: ox.Store, out: Path) -> list[Path]:
    """Project the stored graph and write its import files into `out`; returns the files written."""
    return write_graph(project(store, Naming(load_ontology())), out)


@collector_paused()
def write_graph(graph: PropertyGraph, out: Path) -> list[Path]:
    """Write a property graph's import files into `out` (created, or replaced if it holds only them)."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(p.name not in FILES for p in out.iterdir())):
        raise UsageError(str(out), "not a folder of neo4j-admin import files; give a new or empty folder")
    columns = column_types(graph)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the folder should look like any other
        _write_nodes(tmp / NODES_FILE, graph, columns)
        _write_relationships(tmp / RELATIONSHIPS_FILE, graph)
        _replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [out / name for name in FILES]


def column_types(graph: PropertyGraph) -> dict[str, str]:
    """Property key -> neo4j-admin type (`string`, `long`, `double`, `boolean`, or an array of one)."""
    seen: dict[str, tuple[str, str]] = {}  # key -> (type, an IRI that has it)
    for node in graph.nodes.values():
        for key, value in node.props.items():
            if key == "iri":
                continue
            if key == HASH_KEY:
                raise CoopgraphError(node.iri, f"'{key}' is the sync's own property; a node cannot have it")
            kind = _type_of(node.iri, key, value)
            first = seen.setdefault(key, (kind, node.iri))
            if first[0] != kind:
                raise CoopgraphError(
                    node.iri, f"'{key}' is {kind} here but {first[0]} on {first[1]}; a CSV column takes one type"
                )
    return {key: kind for key, (kind, _) in sorted(seen.items())}


def header(columns: dict[str, str]) -> list[str]:
    """The nodes file's header row."""
    return ["iri:ID", ":LABEL", *(f"{key}:{kind}" for key, kind in columns.items()), f"{HASH_KEY}:string"]


def _type_of(iri: str, key: str, value) -> str:
    if isinstance(value, list):
        kinds = {TYPES[type(v)] for v in value}
        if len(kinds) != 1:
            raise CoopgraphError(iri, f"'{key}' mixes {', '.join(sorted(kinds)) or 'no'} values in one list")
        if any(isinstance(v, str) and ARRAY_DELIMITER in v for v in value):
            raise CoopgraphError(iri, f"'{key}' has an item with '{ARRAY_DELIMITER}', the array delimiter")
        return kinds.pop() + "[]"
    if type(value) not in TYPES:
        raise CoopgraphError(iri, f"'{key}' has a value of type {type(value).__name__} that CSV cannot type")
    return TYPES[type(value)]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _writer(f):
    return csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL, doublequote=True)


def _write_nodes(path: Path, graph: PropertyGraph, columns: dict[str, str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = _writer(f)
        w.writerow(header(columns))
        hashes = node_hashes(graph)
        for iri in sorted(graph.nodes):
            node = graph.nodes[iri]
            cells = (_cell(node.props.get(k)) for k in columns)
            w.writerow([iri, ARRAY_DELIMITER.join(node.labels), *cells, hashes[iri]])


def _write_relationships(path: Path, graph: PropertyGraph) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = _writer(f)
        w.writerow([":START_ID", ":END_ID", ":TYPE", MARKER_PROPERTY])
        rows = sorted((r.start, r.end, r.type, MARKER_VALUE) for r in graph.relationships)
        w.writerows(rows)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _replace_dir(new: Path, out: Path) -> None:
    """Put `new` where `out` is, moving the old folder aside first and dropping it after."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old.")) / "previous"
        os.replace(out, old)
    os.replace(new, out)
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)
