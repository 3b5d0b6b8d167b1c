"""The Neo4j side on a real Cypher engine: FalkorDB natively and over Bolt (and Neo4j when NEO4J_URI is set).

Each test works in a graph (database) of its own, so tests do not see each other's data.
"""

from __future__ import annotations

import itertools
import os
import shutil

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from coopgraph.errors import DatabaseError
from coopgraph.graph.build import build, default_data_dir, open_graph
from coopgraph.graph.projection import Naming, project
from coopgraph.graph.runners import BoltRunner, Connection, connect
from coopgraph.graph.sync import database_triples, sync_store
from coopgraph.namespaces import ID
from coopgraph.ontology import load_ontology
from coopgraph.queries.answers import answer
from coopgraph.queries.catalogue import questions
from coopgraph.queries.cypher import CypherBackend
from coopgraph.queries.embedded import Embedded
from tests.conftest import parameter_sets, run_cli
from tests.falkordb_server import FalkorServer

BOLT_BATCH_BYTES = 3000  # FalkorDB's Bolt endpoint crashes on messages over ~4 KB
_names = itertools.count()


@pytest.fixture(scope="session")
def falkor():
    with FalkorServer() as server:
        yield server


@pytest.fixture
def server(falkor):
    """The session's FalkorDB, restarted first if an earlier test left it dead."""
    if not falkor.is_alive():
        falkor.restart()
    return falkor


TARGETS = ["native", "bolt"] + (["neo4j"] if os.environ.get("NEO4J_URI") else [])


@pytest.fixture(params=["native", "bolt", "neo4j"])
def target(request, server):
    """(runner, max batch bytes) on a fresh graph of the chosen transport."""
    kind = request.param
    name = f"t{next(_names)}"
    if kind == "neo4j":
        if "neo4j" not in TARGETS:
            pytest.skip("set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to run against a real Neo4j")
        runner = connect(
            Connection(
                os.environ["NEO4J_URI"],
                os.environ.get("NEO4J_USER", "neo4j"),
                os.environ.get("NEO4J_PASSWORD", ""),
                os.environ.get("NEO4J_DATABASE"),
            )
        )
        runner.run("MATCH (n:Resource) DETACH DELETE n")
        yield runner, 4_000_000
    elif kind == "native":
        runner = connect(
            Connection(f"falkordb://127.0.0.1:{server.native_port}", password=server.password, database=name)
        )
        yield runner, 4_000_000
    else:
        runner = connect(Connection(server.bolt_uri, "falkordb", server.password, name))
        # FalkorDB's Bolt endpoint ignores the database name (every session lands in one graph),
        # so each test starts from an empty graph there
        runner.run("MATCH (n) DETACH DELETE n")
        yield runner, BOLT_BATCH_BYTES
    runner.close()
    if kind == "bolt":
        server.reap_stale_fds()


def rdf(triples) -> rdflib.Graph:
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def stored_rdf(store: ox.Store) -> rdflib.Graph:
    return rdf(q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def parity(embedded: Embedded, backend: CypherBackend) -> list[tuple[str, dict, int, bool]]:
    ontology = load_ontology()
    table = []
    for q in questions().values():
        for params in parameter_sets(q):
            expected = answer(q, params, embedded, ontology).rows
            got = answer(q, params, backend, ontology).rows
            table.append((q.name, params, len(expected), got == expected))
            assert got == expected, (q.name, params)
    return table


def test_sync_then_every_question_answers_as_in_sparql(target, graph, embedded):
    runner, batch = target
    report = sync_store(graph.store, runner, batch)
    assert report.created > 0 and report.deleted == 0
    table = parity(embedded, CypherBackend(runner))
    assert len(table) >= 50 and all(equal for *_, equal in table)
    assert sum(rows for _, _, rows, _ in table) > 200  # the answers are not all empty


def test_second_sync_changes_nothing(target, graph):
    runner, batch = target
    sync_store(graph.store, runner, batch)
    again = sync_store(graph.store, runner, batch)
    assert not again.changed and again.batches == 0
    assert again.unchanged == again.detail["nodes"] + again.detail["relationships"]


def test_round_trip_is_isomorphic(target, graph):
    runner, batch = target
    sync_store(graph.store, runner, batch)
    back = rdf(database_triples(runner))
    expected = stored_rdf(graph.store)
    assert len(back) == len(expected)
    assert isomorphic(back, expected)


@pytest.fixture(scope="module")
def shrunk(tmp_path_factory):
    """The bundled data less one twinning record: Pinsk–Xiangyang."""
    root = tmp_path_factory.mktemp("shrunk")
    data = root / "data"
    shutil.copytree(default_data_dir(), data)
    path = data / "twinning" / "zalessky-regions.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: pinsk-xiangyang-2017")
    end = text.find("\n- id:", start + 1)
    path.write_text(text[:start] + (text[end + 1 :] if end != -1 else ""), encoding="utf-8")
    build(data, root / "build")
    return open_graph(data, root / "build")


def count(runner, cypher: str, **params) -> int:
    return runner.run(cypher, params)[0]["n"]


def test_removed_fact_is_removed_and_foreign_data_is_kept(target, graph, shrunk):
    runner, batch = target
    sync_store(graph.store, runner, batch)
    link = "https://w3id.org/coopgraph/id/twinning/pinsk-xiangyang-2017"
    pinsk = "https://w3id.org/coopgraph/id/place/pinsk"
    # a user's own annotations: a node of theirs, their relationship to our node, their relationship
    # between two of our nodes, and a property of their own on their node
    runner.run("MATCH (p:Resource {iri: $pinsk}) CREATE (:Note {text: 'visit in May'})-[:ABOUT_PLACE]->(p)",
               {"pinsk": pinsk})  # fmt: skip
    runner.run("MATCH (a:Resource {iri: $a}), (b:Resource {iri: $b}) CREATE (a)-[:PARTICIPANT {mine: true}]->(b)",
               {"a": link, "b": pinsk})  # fmt: skip
    before = count(runner, "MATCH (n:Resource) RETURN count(n) AS n")
    rels_of_link = count(runner, "MATCH (:Resource {iri: $i})-[r {syncedBy: 'coopgraph'}]-() RETURN count(r) AS n",
                         i=link)  # fmt: skip
    naming = Naming(load_ontology())
    gone = set(project(graph.store, naming).nodes) - set(project(shrunk.store, naming).nodes)
    # the fact, and the citations only it used
    assert link in gone and all("/citation/" in iri for iri in gone - {link})
    report = sync_store(shrunk.store, runner, batch)
    assert count(runner, "MATCH (n:Resource {iri: $i}) RETURN count(n) AS n", i=link) == 0
    assert count(runner, "MATCH (n:Resource) RETURN count(n) AS n") == before - len(gone)
    # the node, its own relationships, and what reasoning derived from it (partnerOf) are gone
    assert report.detail["deleted_nodes"] == len(gone)
    assert report.detail["deleted_relationships"] >= rels_of_link
    assert report.created == 0 and report.updated == 0
    assert count(runner, "MATCH (n:Note {text: 'visit in May'})-[:ABOUT_PLACE]->(:Resource {iri: $p}) "
                         "RETURN count(n) AS n", p=pinsk) == 1  # fmt: skip
    assert isomorphic(rdf(database_triples(runner)), stored_rdf(shrunk.store))
    # and putting the fact back restores it
    assert sync_store(graph.store, runner, batch).created == report.deleted
    assert count(runner, "MATCH (n:Note) RETURN count(n) AS n") == 1


def test_sync_interrupted_between_batches_converges_next_time(target, graph):
    runner, batch = target
    sync_store(graph.store, runner, batch)  # the schema and a full graph

    class Stop(Exception):
        pass

    def stop_after_two(done, total):
        if done == 2:
            raise Stop

    runner.run("MATCH (n:Resource) DETACH DELETE n")
    with pytest.raises(Stop):
        sync_store(graph.store, runner, min(batch, 3000), progress=stop_after_two)
    partial = count(runner, "MATCH (n:Resource) RETURN count(n) AS n")
    assert 0 < partial < len(project(graph.store, Naming(load_ontology())).nodes)
    sync_store(graph.store, runner, batch)
    assert isomorphic(rdf(database_triples(runner)), stored_rdf(graph.store))


@pytest.mark.parametrize("transport", ["native", "bolt"])
def test_server_dying_mid_sync_is_one_clear_error_and_next_sync_converges(server, graph, transport):
    name = f"t{next(_names)}"
    if transport == "native":
        conn = Connection(f"falkordb://127.0.0.1:{server.native_port}", password=server.password, database=name)
    else:
        conn = Connection(server.bolt_uri, "falkordb", server.password, name)
    runner = connect(conn)
    with pytest.raises(DatabaseError) as failure:
        sync_store(graph.store, runner, 3000, progress=lambda done, total: done == 3 and server.kill())
    assert "run sync again" in failure.value.problem
    assert "\n" not in str(failure.value)
    server.restart()
    runner = connect(conn)
    sync_store(graph.store, runner, 3000 if transport == "bolt" else 4_000_000)
    assert isomorphic(rdf(database_triples(runner)), stored_rdf(graph.store))
    runner.close()
    if transport == "bolt":
        server.reap_stale_fds()


@pytest.mark.parametrize("transport", ["native", "bolt"])
def test_hostile_names_travel_as_parameters(server, tmp_path, transport):
    """A place whose name is Cypher (and SPARQL) syntax resolves, answers, and changes nothing."""
    import json

    from tests.conftest import write_data

    hostile = "Brest'}) DETACH DELETE n // \\' \" } ; DROP"
    extra = (
        f"- id: hostile\n  type: City\n  name: {json.dumps(hostile)}\n  locatedIn: belarus\n  source: doc.txt#L9\n"
        "- id: hostile-xiaogan\n  type: Twinning\n  name: Hostile twinning\n  participant: [hostile, xiaogan]\n"
        "  linkKind: twinning\n  status: signed\n  source: doc.txt#L9\n"
    )
    data = write_data(tmp_path / "data", **{"extra.yaml": extra})
    build(data, tmp_path / "build")
    graph = open_graph(data, tmp_path / "build")
    name = f"t{next(_names)}"
    if transport == "native":
        runner = connect(Connection(f"falkordb://127.0.0.1:{server.native_port}", password=server.password,
                                    database=name))  # fmt: skip
    else:
        runner = connect(Connection(server.bolt_uri, "falkordb", server.password, name))
    sync_store(graph.store, runner, BOLT_BATCH_BYTES)
    nodes = count(runner, "MATCH (n) RETURN count(n) AS n")
    stored = runner.run("MATCH (n:Resource {iri: $i}) RETURN n.name AS name", {"i": f"{ID}place/hostile"})
    assert stored == [{"name": hostile}]
    q = questions()["partners-of"]
    ontology = load_ontology()
    cypher_rows = answer(q, {"place": hostile}, CypherBackend(runner), ontology).rows
    sparql_rows = answer(q, {"place": hostile}, Embedded(graph.store), ontology).rows
    assert [r["partner"] for r in cypher_rows] == ["Xiaogan"] and cypher_rows == sparql_rows
    assert count(runner, "MATCH (n) RETURN count(n) AS n") == nodes
    runner.close()
    if transport == "bolt":
        server.reap_stale_fds()


def test_cli_sync_ask_and_export_over_bolt(server, build_dir, graph, tmp_path):
    env = {"NEO4J_PASSWORD": server.password}
    base = ["--uri", server.bolt_uri, "--user", "falkordb", "--database", f"t{next(_names)}"]
    os.environ.update(env)
    try:
        first = run_cli("sync", *base, "--max-batch-bytes", "3000", build_dir=build_dir)
        server.reap_stale_fds()
        assert first.code == 0, first.stderr
        assert first.stdout.startswith("changed: created ")
        again = run_cli("sync", *base, "--max-batch-bytes", "3000", build_dir=build_dir)
        server.reap_stale_fds()
        assert again.stdout.startswith("nothing to change") and server.password not in again.stdout + again.stderr
        asked = run_cli("ask", "provinces-partnering-with", "-p", "place=Brest", "--neo4j", "--json", *base)
        server.reap_stale_fds()
        embedded = run_cli("ask", "provinces-partnering-with", "-p", "place=Brest", "--json", build_dir=build_dir)
        assert asked.code == 0 and asked.json() == embedded.json() and asked.json()
        out = tmp_path / "back.ttl"
        exported = run_cli("export", "--from-neo4j", "--format", "turtle", "-o", str(out), *base)
        server.reap_stale_fds()
        assert exported.code == 0, exported.stderr
        assert isomorphic(rdflib.Graph().parse(out, format="turtle"), stored_rdf(graph.store))
    finally:
        for key in env:
            os.environ.pop(key)


@pytest.mark.parametrize("uri_kind", ["native", "bolt"])
def test_cli_wrong_password_and_no_server_exit_3(server, build_dir, uri_kind):
    uri = f"falkordb://127.0.0.1:{server.native_port}" if uri_kind == "native" else server.bolt_uri
    os.environ["NEO4J_PASSWORD"] = "wrong-" + server.password
    try:
        refused = run_cli("sync", "--uri", uri, "--user", "falkordb", build_dir=build_dir)
        server.reap_stale_fds()
        assert refused.code == 3
        assert refused.stderr.strip() == f"error: {uri}: the database refused the credentials"
        assert server.password not in refused.stderr
        dead = uri.rsplit(":", 1)[0] + ":1"
        unreachable = run_cli("sync", "--uri", dead, "--user", "falkordb", build_dir=build_dir)
        assert unreachable.code == 3 and unreachable.stderr.startswith(f"error: {dead}: cannot reach the database")
        assert len(unreachable.stderr.strip().splitlines()) == 1
    finally:
        os.environ.pop("NEO4J_PASSWORD")


def test_bolt_runner_is_the_official_driver(server):
    runner = connect(Connection(server.bolt_uri, "falkordb", server.password, "probe"))
    assert isinstance(runner, BoltRunner) and runner.dialect == "falkordb"
    runner.close()
    server.reap_stale_fds()


@pytest.mark.parametrize("max_rows", [7, 10_000])
def test_sync_batches_stay_under_the_byte_budget(max_rows):
    """Every batch, as JSON, fits the budget, and holds as many rows as fit."""
    import json

    from coopgraph.graph.sync import batches

    rows = [{"iri": f"x{i}", "note": 'n"é中\\' * (i % 250)} for i in range(400)]
    rows += [[f"urn:a{i}", "urn:b" * (i % 50)] for i in range(400)]
    sent = list(batches(rows, 3000, max_rows))
    assert [row for batch in sent for row in batch] == rows

    def size(batch: list) -> int:
        return len(json.dumps(batch, ensure_ascii=False).encode("utf-8"))

    assert max(map(size, sent)) <= 3000 and max(map(len, sent)) <= max_rows
    full = [
        len(batch) == max_rows or size([*batch, after[0]]) > 3000 for batch, after in zip(sent, sent[1:], strict=False)
    ]
    assert all(full)


def test_projection_names_come_from_the_ontology(graph):
    pg = project(graph.store, Naming(load_ontology()))
    node = pg.nodes["https://w3id.org/coopgraph/id/place/xiaogan"]
    assert set(node.labels) == {"Resource", "City", "Place", "Actor"}
    assert node.props["name"] == "Xiaogan" and node.props["kind"] == "City"
    types = {r.type for r in pg.relationships}
    assert {"LOCATED_IN", "PARTICIPANT", "TWINNED_WITH", "PARTNER_OF", "SOURCE", "COUNTRY"} <= types
    link = pg.nodes["https://w3id.org/coopgraph/id/twinning/pinsk-xiangyang-2017"]
    assert link.props["date"] == "2017-04" and isinstance(link.props.get("topic", []), list)


def test_unchanged_sync_reads_nothing_back_and_full_sync_repairs_hand_edits(target, graph):
    runner, batch = target
    sync_store(graph.store, runner, batch)
    brest = "https://w3id.org/coopgraph/id/place/brest"
    runner.run("MATCH (n:Resource {iri: $i}) SET n.name = 'Brest (edited)'", {"i": brest})
    quick = sync_store(graph.store, runner, batch)
    assert not quick.changed and quick.detail["read_back"] == 0  # digests say nothing changed
    full = sync_store(graph.store, runner, batch, full=True)
    assert full.updated == 1 and full.created == full.deleted == 0
    assert runner.run("MATCH (n:Resource {iri: $i}) RETURN n.name AS name", {"i": brest}) == [{"name": "Brest"}]


def test_resync_of_the_same_build_skips_work_unless_something_has_gone(target, graph):
    runner, batch = target
    sync_store(graph.store, runner, batch, built="build-1")
    assert not sync_store(graph.store, runner, batch, built="build-1").changed
    brest = "https://w3id.org/coopgraph/id/place/brest"
    runner.run("MATCH (n:Resource {iri: $i}) DETACH DELETE n", {"i": brest})  # deleted by hand
    repaired = sync_store(graph.store, runner, batch, built="build-1")
    assert repaired.created >= 1 and runner.run("MATCH (n:Resource {iri: $i}) RETURN n.name AS name", {"i": brest})
    assert isomorphic(rdf(database_triples(runner)), stored_rdf(graph.store))
