"""`export --format neo4j-admin`: CSV files that hold exactly the projection, which is what a sync writes."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from coopgraph.errors import CoopgraphError, UsageError
from coopgraph.graph.admin_import import ARRAY_DELIMITER, write_admin_import, write_graph
from coopgraph.graph.projection import MARKER_PROPERTY, MARKER_VALUE, Naming, Node, PropertyGraph, Relationship, project
from coopgraph.graph.runners import Connection, connect
from coopgraph.graph.sync import HASH_KEY, READ_HASHES, node_hashes, read_back, sync
from coopgraph.ontology import load_ontology
from tests.conftest import run_cli
from tests.falkordb_server import FalkorServer

HEADER_CELL = re.compile(r"^(iri:ID|:LABEL|[A-Za-z][A-Za-z0-9_]*:(string|long|double|boolean)(\[\])?)$")
DECODE = {"long": int, "double": float, "boolean": lambda v: v == "true", "string": str}


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def decode(kind: str, cell: str):
    if kind.endswith("[]"):
        return [DECODE[kind[:-2]](item) for item in cell.split(ARRAY_DELIMITER)]
    return DECODE[kind](cell)


def read_nodes(path: Path) -> dict[str, Node]:
    """The nodes as neo4j-admin would create them: `iri:ID` also becomes the property `iri`."""
    header, rows = read_csv(path)
    assert all(HEADER_CELL.match(c) for c in header), header
    assert header[:2] == ["iri:ID", ":LABEL"] and len(set(header)) == len(header)
    nodes = {}
    for row in rows:
        assert len(row) == len(header)
        props = {"iri": row[0]}
        for column, cell in zip(header[2:], row[2:], strict=True):
            if cell != "":
                key, kind = column.split(":", 1)
                props[key] = decode(kind, cell)
        assert row[0] not in nodes, f"{row[0]} appears twice"
        nodes[row[0]] = Node(row[0], tuple(sorted(row[1].split(ARRAY_DELIMITER))), props)
    return nodes


def read_relationships(path: Path) -> list[Relationship]:
    header, rows = read_csv(path)
    assert header == [":START_ID", ":END_ID", ":TYPE", MARKER_PROPERTY]
    assert all(row[3] == MARKER_VALUE for row in rows)
    return [Relationship(row[2], row[0], row[1]) for row in rows]


def assert_same(graph: PropertyGraph, out: Path) -> None:
    nodes = read_nodes(out / "nodes.csv")
    rels = read_relationships(out / "relationships.csv")
    assert set(nodes) == set(graph.nodes)
    hashes = node_hashes(graph)
    for iri, node in graph.nodes.items():
        assert nodes[iri].labels == tuple(sorted(node.labels)), iri
        assert nodes[iri].props.pop(HASH_KEY) == hashes[iri], iri
        assert nodes[iri].props == node.props, iri
    assert len(rels) == len(set(rels)) and set(rels) == graph.relationships


@pytest.fixture(scope="module")
def projection(graph) -> PropertyGraph:
    return project(graph.store, Naming(load_ontology()))


def test_every_node_and_relationship_of_the_bundled_graph_once(graph, projection, tmp_path):
    out = tmp_path / "import"
    files = write_admin_import(graph.store, out)
    assert files == [out / "nodes.csv", out / "relationships.csv"]
    assert_same(projection, out)
    header, _ = read_csv(out / "nodes.csv")
    assert {"amount:double", "lineStart:long", "altNames:string[]", "name_zh:string"} <= set(header)


def test_text_that_csv_must_quote_comes_back_intact(tmp_path):
    awkward = [
        'OJSC "Neman", glassworks',
        "line one\nline two\r\nline three",
        "Брестская область",
        "布列斯特州",
        "tab\there, 'single' and \\backslash\\",
        "=1+2",
        "  padded  ",
    ]
    graph = PropertyGraph()
    for i, text in enumerate(awkward):
        iri = f'https://w3id.org/coopgraph/id/place/p{i},"odd"-iri'
        props = {"iri": iri, "kind": "City", "name": text, "altNames": sorted([text, "plain"]), "lineStart": 2**62}
        props |= {"amount": 123456789.123456789, "value": 1e-9, "flag": i % 2 == 0}
        graph.nodes[iri] = Node(iri, ("Actor", "City", "Place", "Resource"), props)
    iris = list(graph.nodes)
    graph.relationships = {Relationship("LOCATED_IN", a, b) for a, b in zip(iris, iris[1:], strict=False)}
    write_graph(graph, tmp_path / "out")
    assert_same(graph, tmp_path / "out")


def test_an_item_holding_the_array_delimiter_is_refused_and_nothing_is_written(tmp_path):
    graph = PropertyGraph()
    graph.nodes["urn:a"] = Node("urn:a", ("Resource",), {"iri": "urn:a", "altNames": [f"a{ARRAY_DELIMITER}b"]})
    with pytest.raises(CoopgraphError, match="array delimiter"):
        write_graph(graph, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_a_property_of_two_types_is_refused_and_the_previous_files_stay(tmp_path, projection):
    out = tmp_path / "out"
    write_graph(projection, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    mixed = PropertyGraph()
    mixed.nodes["urn:a"] = Node("urn:a", ("Resource",), {"iri": "urn:a", "value": 1})
    mixed.nodes["urn:b"] = Node("urn:b", ("Resource",), {"iri": "urn:b", "value": 1.5})
    with pytest.raises(CoopgraphError, match="one type"):
        write_graph(mixed, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_writing_again_replaces_the_files_and_leaves_no_temporaries(tmp_path, projection):
    out = tmp_path / "out"
    write_graph(projection, out)
    small = PropertyGraph()
    small.nodes["urn:a"] = Node("urn:a", ("Resource",), {"iri": "urn:a", "name": "only"})
    write_graph(small, out)
    assert_same(small, out)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    mask = os.umask(0o022)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask  # a folder like any other, not a private temporary one


def test_a_folder_with_other_files_is_not_replaced(tmp_path, projection):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(UsageError, match="new or empty folder"):
        write_graph(projection, tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_cli_writes_the_folder_and_says_how_to_import(build_dir, tmp_path):
    r = run_cli("export", "--format", "neo4j-admin", "-o", str(tmp_path / "import"), build_dir=build_dir)
    assert r.code == 0, r.stderr
    assert "neo4j-admin database import full" in r.stderr and "--array-delimiter" in r.stderr
    assert sorted(p.name for p in (tmp_path / "import").iterdir()) == ["nodes.csv", "relationships.csv"]


def test_cli_needs_a_folder(build_dir):
    r = run_cli("export", "--format", "neo4j-admin", build_dir=build_dir)
    assert r.code == 2 and "-o DIR" in r.stderr


@pytest.fixture(scope="module")
def falkordb():
    with FalkorServer() as server:
        yield server


def native(server: FalkorServer, graph: str):
    return connect(Connection(f"falkordb://127.0.0.1:{server.native_port}", password=server.password, database=graph))


def test_the_files_hold_what_a_sync_writes(projection, falkordb, tmp_path):
    """Sync the bundled graph into FalkorDB, read it back, and compare with the CSV files."""
    write_graph(projection, tmp_path / "out")
    runner = native(falkordb, "synced")
    try:
        sync(projection, runner)
        nodes, rels = read_back(runner)
        hashes = {r["iri"]: r["hash"] for r in runner.run(READ_HASHES)}
    finally:
        runner.close()
    assert hashes == node_hashes(projection)
    assert_same(PropertyGraph({n.iri: n for n in nodes}, set(rels)), tmp_path / "out")


def test_a_sync_after_an_import_finds_nothing_to_change(projection, falkordb, tmp_path):
    """Load the files as neo4j-admin would (here with Cypher, into FalkorDB), then sync."""
    write_graph(projection, tmp_path / "out")
    nodes = read_nodes(tmp_path / "out" / "nodes.csv")
    runner = native(falkordb, "imported")
    try:
        for labels in {n.labels for n in nodes.values()}:
            rows = [n.props for n in nodes.values() if n.labels == labels]
            runner.run(f"UNWIND $rows AS row CREATE (n:{':'.join(labels)}) SET n = row", {"rows": rows})
        runner.run("CREATE INDEX FOR (n:Resource) ON (n.iri)")
        rels = read_relationships(tmp_path / "out" / "relationships.csv")
        for rel_type in {r.type for r in rels}:
            rows = [{"a": r.start, "b": r.end} for r in rels if r.type == rel_type]
            link = f"CREATE (a)-[:{rel_type} {{{MARKER_PROPERTY}: $m}}]->(b)"
            ends = "UNWIND $rows AS row MATCH (a:Resource {iri: row.a}), (b:Resource {iri: row.b}) "
            runner.run(ends + link, {"rows": rows, "m": MARKER_VALUE})
        report = sync(projection, runner)
    finally:
        runner.close()
    assert not report.changed and report.batches == 0
