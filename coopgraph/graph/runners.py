"""Run Cypher on a database: Neo4j (or anything that speaks Bolt) or FalkorDB natively.

Both runners take a statement and parameters and return rows as dicts, and
turn every failure to reach or use the database into a DatabaseError (exit 3).
The sync and the Cypher questions are written once against this interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from coopgraph.errors import DatabaseError, UsageError

NEO4J_PROBE = "CALL dbms.components() YIELD name RETURN name"
DEFAULT_MAX_BATCH_BYTES = 4_000_000  # Neo4j takes large messages; FalkorDB's Bolt endpoint needs ~3 KB


class Runner(Protocol):
    dialect: str  # "neo4j" or "falkordb": how to create the uniqueness constraint
    where: str  # the URI, for error messages (never the password)

    def run(self, cypher: str, params: dict | None = None) -> list[dict]: ...

    def close(self) -> None: ...


@dataclass
class Connection:
    """What it takes to reach a database; the password is never printed."""

    uri: str
    user: str = "neo4j"
    password: str = ""
    database: str | None = None

    def __repr__(self) -> str:
        return f"Connection(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


class BoltRunner:
    """The official neo4j driver: Neo4j, Aura, clusters (neo4j://), FalkorDB's Bolt endpoint."""

    def __init__(self, driver, database: str | None, where: str, dialect: str):
        self.driver, self.database, self.where, self.dialect = driver, database, where, dialect

    def run(self, cypher: str, params: dict | None = None) -> list[dict]:
        from neo4j.exceptions import Neo4jError

        if self.dialect == "falkordb":
            params = _quoted_for_falkordb(params or {})
        try:
            with self.driver.session(database=self.database) as session:
                return [r.data() for r in session.run(cypher, params or {})]
        except Neo4jError as e:
            raise DatabaseError(self.where, _bolt_problem(e)) from None
        except Exception as e:  # DriverError, OSError: the connection is gone
            raise DatabaseError(self.where, f"connection failed: {_first_line(e)}") from None

    def close(self) -> None:
        self.driver.close()


class FalkorRunner:
    """FalkorDB's native protocol, through the `falkordb` client."""

    dialect = "falkordb"

    def __init__(self, graph, client, where: str):
        self.graph, self.client, self.where = graph, client, where

    def run(self, cypher: str, params: dict | None = None) -> list[dict]:
        try:
            result = self.graph.query(cypher, params or None)
        except Exception as e:  # redis ConnectionError, AuthenticationError, ResponseError
            raise DatabaseError(self.where, _falkor_problem(e)) from None
        names = [h[1] if isinstance(h, list | tuple) else h for h in result.header]
        return [dict(zip(names, row, strict=True)) for row in result.result_set]

    def close(self) -> None:
        self.client.connection.close()


def connect(conn: Connection) -> Runner:
    """A runner for the URI's scheme: bolt/neo4j(+s/+ssc) through the driver, falkordb:// natively."""
    parts = urlsplit(conn.uri)
    if parts.scheme == "falkordb":
        return _falkordb(conn, parts)
    if parts.scheme in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"):
        return _bolt(conn)
    raise UsageError(conn.uri, "unsupported URI; use bolt://, neo4j://, neo4j+s:// or falkordb://host:port")


def _bolt(conn: Connection) -> BoltRunner:
    import neo4j

    if not conn.password:
        raise DatabaseError(conn.uri, "no password given (set NEO4J_PASSWORD or answer the prompt)")
    try:
        driver = neo4j.GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password))
        driver.verify_connectivity()
    except (neo4j.exceptions.AuthError, neo4j.exceptions.DatabaseError):
        # Neo4j says AuthError; FalkorDB's Bolt endpoint answers a wrong password with a DatabaseError
        raise DatabaseError(conn.uri, "the database refused the credentials") from None
    except neo4j.exceptions.Neo4jError as e:
        raise DatabaseError(conn.uri, _bolt_problem(e)) from None
    except Exception as e:
        raise DatabaseError(conn.uri, f"cannot reach the database: {_first_line(e)}") from None
    runner = BoltRunner(driver, conn.database, conn.uri, "neo4j")
    runner.dialect = _dialect(runner)
    return runner


def _dialect(runner: BoltRunner) -> str:
    """FalkorDB's Bolt endpoint calls itself Neo4j; only Neo4j has dbms.components()."""
    try:
        runner.run(NEO4J_PROBE)
    except DatabaseError as e:
        if "credentials" in e.problem:
            raise
        return "falkordb"
    return "neo4j"


def _falkordb(conn: Connection, parts) -> FalkorRunner:
    from falkordb import FalkorDB

    try:
        client = FalkorDB(host=parts.hostname or "127.0.0.1", port=parts.port or 6379, password=conn.password or None)
        client.connection.ping()
    except Exception as e:
        raise DatabaseError(conn.uri, _falkor_problem(e)) from None
    return FalkorRunner(client.select_graph(conn.database or "coopgraph"), client, conn.uri)


def _quoted_for_falkordb(value):
    """FalkorDB's Bolt endpoint splices text parameters into single-quoted Cypher literals
    without escaping them; escape backslashes and single quotes so the text arrives intact."""
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, list):
        return [_quoted_for_falkordb(v) for v in value]
    if isinstance(value, dict):
        return {k: _quoted_for_falkordb(v) for k, v in value.items()}
    return value


def _bolt_problem(e) -> str:
    code = getattr(e, "code", "") or ""
    text = _first_line(getattr(e, "message", None) or e)
    if "Unauthorized" in code or "auth" in text.lower() or "password" in text.lower():
        return "the database refused the credentials"
    return f"{code or type(e).__name__}: {text}"


def _falkor_problem(e) -> str:
    text = _first_line(e)
    if "AuthenticationError" in type(e).__name__ or "WRONGPASS" in text or "NOAUTH" in text or "auth" in text.lower():
        return "the database refused the credentials"
    if "ConnectionError" in type(e).__name__ or "Connection refused" in text or "Error 111" in text:
        return f"cannot reach the database: {text}"
    return f"{type(e).__name__}: {text}"


def _first_line(e) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]
