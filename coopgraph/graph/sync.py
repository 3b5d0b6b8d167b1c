"""Keep a Neo4j (or FalkorDB) database in step with the RDF graph: a sync, not an append.

It reads back what it wrote before (nodes labelled Resource, relationships
marked syncedBy), diffs that against the projection, and sends only the
difference, in `UNWIND $rows` batches bounded by rows and by bytes. Running it
twice changes nothing; what disappeared from the RDF graph disappears from the
database; nodes and relationships it did not create are never touched.

Diffing is cheap: each node carries `syncHash`, a digest of its labels,
properties and outgoing relationships, so only nodes whose digest differs are
read back in full; and one `CoopgraphSync` node records the digest and size of
the whole graph last synced, so a sync with nothing to do reads almost nothing.
Both are written last, so an interrupted sync is finished by the next one.
`full=True` ignores the digests and compares everything (after hand edits).
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from coopgraph.errors import DatabaseError
from coopgraph.graph.projection import (
    MARKER_LABEL,
    MARKER_PROPERTY,
    MARKER_VALUE,
    Naming,
    Node,
    PropertyGraph,
    Relationship,
    collector_paused,
    project,
    to_rdf,
)
from coopgraph.graph.runners import DEFAULT_MAX_BATCH_BYTES, Runner
from coopgraph.ontology import load_ontology

MAX_BATCH_ROWS = 10_000
YOUNG_GARBAGE_EVERY = 1000  # batches; the Bolt driver leaves some 70 objects in cycles per statement

NEO4J_CONSTRAINT = "CREATE CONSTRAINT coopgraph_resource_iri IF NOT EXISTS FOR (n:Resource) REQUIRE n.iri IS UNIQUE"
FALKORDB_INDEXES = "CALL db.indexes() YIELD label, properties RETURN label, properties"
FALKORDB_INDEX = "CREATE INDEX FOR (n:Resource) ON (n.iri)"
READ_NODES = "MATCH (n:Resource) RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props"
READ_RELATIONSHIPS = (
    f"MATCH (a:Resource)-[r]->(b:Resource) WHERE r.{MARKER_PROPERTY} = $marker "
    "RETURN a.iri AS start, type(r) AS type, b.iri AS end"
)
DELETE_NODES = "UNWIND $rows AS row MATCH (n:Resource {iri: row}) DETACH DELETE n"
READ_HASHES = "MATCH (n:Resource) RETURN n.iri AS iri, n.syncHash AS hash"
READ_SOME_NODES = (
    "UNWIND $rows AS row MATCH (n:Resource {iri: row}) RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props"
)
READ_SOME_RELATIONSHIPS = (
    f"UNWIND $rows AS row MATCH (a:Resource {{iri: row}})-[r]->(b:Resource) WHERE r.{MARKER_PROPERTY} = $marker "
    "RETURN a.iri AS start, type(r) AS type, b.iri AS end"
)
SET_HASHES = "UNWIND $rows AS row MATCH (n:Resource {iri: row[0]}) SET n.syncHash = row[1]"
STATE_LABEL = "CoopgraphSync"
READ_STATE = (
    "MATCH (s:CoopgraphSync) RETURN s.hash AS hash, s.nodes AS nodes, s.relationships AS relationships, "
    "s.built AS built"
)
COUNT_NODES = "MATCH (n:Resource) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = f"MATCH (:Resource)-[r]->(:Resource) WHERE r.{MARKER_PROPERTY} = $marker RETURN count(r) AS n"
CLEAR_STATE = "MATCH (s:CoopgraphSync) DELETE s"
WRITE_STATE = "CREATE (s:CoopgraphSync {hash: $hash, nodes: $nodes, relationships: $relationships, built: $built})"
HASH_KEY = "syncHash"

_json = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode  # built once: json.dumps builds one per call
_canonical_json = json.JSONEncoder(
    ensure_ascii=False, check_circular=False, sort_keys=True, separators=(",", ":")
).encode


# Rows are as small as they can be, since every byte is serialised and parsed again: a node's
# row is its properties (which hold its `iri`), a relationship's is [start, end], a digest's
# [iri, hash].


def create_nodes(labels: tuple[str, ...]) -> str:
    """Create nodes of one label set; the labels come from the ontology, never from input."""
    return f"UNWIND $rows AS row CREATE (n:{':'.join((MARKER_LABEL, *labels))}) SET n = row"


def update_nodes(add: tuple[str, ...], remove: tuple[str, ...]) -> str:
    """Rewrite the properties of existing nodes and move their labels."""
    text = "UNWIND $rows AS row MATCH (n:Resource {iri: row.iri}) SET n = row"
    if remove:
        text += " REMOVE n:" + ":".join(remove)
    if add:
        text += " SET n:" + ":".join(add)
    return text


def create_relationships(rel_type: str) -> str:
    return (
        "UNWIND $rows AS row MATCH (a:Resource {iri: row[0]}) MATCH (b:Resource {iri: row[1]}) "
        f"CREATE (a)-[r:{rel_type} {{{MARKER_PROPERTY}: $marker}}]->(b)"
    )


def delete_relationships(rel_type: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:Resource {{iri: row[0]}})-[r:{rel_type} {{{MARKER_PROPERTY}: $marker}}]->"
        "(b:Resource {iri: row[1]}) DELETE r"
    )


@dataclass
class SyncReport:
    """What a sync did."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    batches: int = 0
    seconds: float = 0.0
    detail: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass
class Plan:
    """The statements a sync will send, each with its rows."""

    steps: list[tuple[str, list]] = field(default_factory=list)
    report: SyncReport = field(default_factory=SyncReport)


def read_back(runner: Runner) -> tuple[list[Node], list[Relationship]]:
    """What the database holds of coopgraph's own graph."""
    nodes = [_node(r) for r in runner.run(READ_NODES)]
    rels = [
        Relationship(r["type"], r["start"], r["end"]) for r in runner.run(READ_RELATIONSHIPS, {"marker": MARKER_VALUE})
    ]
    return nodes, rels


def _node(row: dict) -> Node:
    props = {k: v for k, v in row["props"].items() if k != HASH_KEY}
    return Node(row["iri"], tuple(sorted(row["labels"])), props)


def node_hashes(graph: PropertyGraph) -> dict[str, str]:
    """A digest per node of its labels, properties and outgoing relationships."""
    out_rels: dict[str, list] = defaultdict(list)
    for rel_type, start, end in graph.relationships:
        out_rels[start].append((rel_type, end))
    return {iri: _digest([sorted(n.labels), n.props, sorted(out_rels.get(iri, ()))]) for iri, n in graph.nodes.items()}


def _digest(value) -> str:
    return hashlib.blake2b(_canonical_json(value).encode("utf-8"), digest_size=8).hexdigest()


def _read_some(runner: Runner, iris: list[str], max_batch_bytes: int) -> tuple[list[Node], list[Relationship]]:
    """The full state of some nodes and of their outgoing relationships."""
    nodes, rels = [], []
    for done, batch in enumerate(batches(iris, max(256, max_batch_bytes - 300)), 1):
        _collect_young_garbage(done)
        nodes += [_node(r) for r in runner.run(READ_SOME_NODES, {"rows": batch})]
        found = runner.run(READ_SOME_RELATIONSHIPS, {"rows": batch, "marker": MARKER_VALUE})
        rels += [Relationship(r["type"], r["start"], r["end"]) for r in found]
    return nodes, rels


def _collect_young_garbage(done: int) -> None:
    """A sync pauses the garbage collector (see `collector_paused`), but drivers leave reference
    cycles behind with every statement: every so many batches, collect the newest objects."""
    if done % YOUNG_GARBAGE_EVERY == 0:
        gc.collect(0)


def plan(target: PropertyGraph, nodes: list[Node], rels: list[Relationship]) -> Plan:
    """The difference between the database and the projection, as statements."""
    out = Plan()
    have = {n.iri: n for n in nodes}
    want = target.nodes
    creates: dict[tuple, list] = defaultdict(list)  # by labels
    updates: dict[tuple, list] = defaultdict(list)  # by labels added and removed
    for iri, node in want.items():
        old = have.get(iri)
        if old is None:
            creates[node.labels].append(node.props)
        elif set(old.labels) != set(node.labels) or old.props != node.props:
            add = tuple(lab for lab in node.labels if lab not in old.labels)
            remove = tuple(lab for lab in old.labels if lab not in node.labels)
            updates[(add, remove)].append(node.props)
    gone_nodes = sorted(have.keys() - want.keys())
    old_rels = set(rels)
    gone_rels = old_rels - target.relationships
    new_rels = target.relationships - old_rels
    created = sum(map(len, creates.values()))
    updated = sum(map(len, updates.values()))
    out.report = SyncReport(
        created=created + len(new_rels),
        updated=updated,
        deleted=len(gone_nodes) + len(gone_rels),
        unchanged=len(want) - created - updated + len(target.relationships) - len(new_rels),
    )
    for rel_type, rows in _by_type(gone_rels):
        out.steps.append((delete_relationships(rel_type), rows))
    if gone_nodes:
        out.steps.append((DELETE_NODES, gone_nodes))
    for labels, rows in sorted(creates.items()):
        out.steps.append((create_nodes(tuple(lab for lab in labels if lab != MARKER_LABEL)), rows))
    for (add, remove), rows in sorted(updates.items()):
        out.steps.append((update_nodes(add, remove), rows))
    for rel_type, rows in _by_type(new_rels):
        out.steps.append((create_relationships(rel_type), rows))
    return out


def _by_type(rels: set[Relationship]) -> list[tuple[str, list[list[str]]]]:
    """[start, end] rows per relationship type; types in order, rows in none (sorting them would
    cost more than sending them)."""
    grouped: dict[str, list[list[str]]] = defaultdict(list)
    for rel_type, start, end in rels:
        grouped[rel_type].append([start, end])
    return sorted(grouped.items())


def batches(rows: list, budget: int, max_rows: int = MAX_BATCH_ROWS) -> Iterator[list]:
    """Consecutive slices of rows, each as long as fits `budget` bytes as a JSON array and `max_rows`
    rows. Rows are measured one by one until a batch fills up by rows; from then on a whole slice
    is measured at once, which is cheaper, and only when it does not fit, row by row again."""
    start, by_slice = 0, False
    while start < len(rows):
        end = min(start + max_rows, len(rows))
        if not (by_slice and _size(rows[start:end]) <= budget):
            end = _fitting(rows, start, end, budget)
        by_slice = end - start == max_rows
        yield rows[start:end]
        start = end


def _fitting(rows: list, start: int, end: int, budget: int) -> int:
    """Where a batch from `start` that fits the budget ends (it holds at least one row)."""
    size = 0
    for i in range(start, end):
        size += _size(rows[i]) + 2  # the row and ", " after it (the brackets, for the last)
        if size > budget and i > start:
            return i
    return end


def _size(value) -> int:
    return len(_json(value).encode("utf-8"))


def ensure_schema(runner: Runner) -> None:
    """A unique `iri` on Resource: a constraint on Neo4j, an index on FalkorDB (DDL differs)."""
    if runner.dialect == "neo4j":
        runner.run(NEO4J_CONSTRAINT)
        return
    indexed = any(r["label"] == MARKER_LABEL and "iri" in r["properties"] for r in runner.run(FALKORDB_INDEXES))
    if not indexed:
        runner.run(FALKORDB_INDEX)


@collector_paused()
def sync(
    graph: PropertyGraph,
    runner: Runner,
    max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES,
    progress: Callable[[int, int], None] | None = None,
    full: bool = False,
    built: str = "",
) -> SyncReport:
    """Bring the database to the projection; returns counts and time. `built` names the stored
    graph the projection came from, so that a later sync of the same build can skip projecting."""
    started = time.perf_counter()
    ensure_schema(runner)
    hashes = node_hashes(graph)
    state = {
        "hash": _digest(sorted(hashes.items())),
        "nodes": len(graph.nodes),
        "relationships": len(graph.relationships),
        "built": built,
    }
    last = None if full else _last_state(runner)
    if last and all(last[k] == state[k] for k in ("hash", "nodes", "relationships")):
        if last["built"] != built:  # same graph from another build: remember this one
            runner.run(CLEAR_STATE)
            runner.run(WRITE_STATE, state)
        report = SyncReport(unchanged=state["nodes"] + state["relationships"], detail=_detail(graph, [], []))
        report.seconds = round(time.perf_counter() - started, 3)
        return report
    runner.run(CLEAR_STATE)
    have = {r["iri"]: r["hash"] for r in runner.run(READ_HASHES)}
    dirty = {iri for iri, h in hashes.items() if full or have.get(iri) != h}
    # a node created now (new, or deleted by hand) needs the relationships pointing at it, too
    missing = {iri for iri in dirty if iri not in have}
    if missing and len(dirty) < len(hashes):
        dirty |= {start for _, start, end in graph.relationships if end in missing}
    dirty = sorted(dirty)
    gone = sorted(have.keys() - hashes.keys())
    old_nodes, old_rels = _read_some(runner, [iri for iri in dirty if iri in have] + gone, max_batch_bytes)
    part = graph if len(dirty) == len(hashes) else _part(graph, dirty)
    work = plan(part, old_nodes, old_rels)
    work.report.unchanged += (len(graph.nodes) - len(dirty)) + (len(graph.relationships) - len(part.relationships))
    work.report.detail = _detail(graph, old_nodes, work.steps)
    steps = [*work.steps, (SET_HASHES, [[iri, hashes[iri]] for iri in dirty])]
    work.report.batches = _send(runner, _batched(steps, max_batch_bytes), progress)
    runner.run(WRITE_STATE, state)
    work.report.seconds = round(time.perf_counter() - started, 3)
    return work.report


def _part(graph: PropertyGraph, iris: list[str]) -> PropertyGraph:
    """Some nodes of the graph, with their outgoing relationships."""
    chosen = set(iris)
    return PropertyGraph(
        nodes={iri: graph.nodes[iri] for iri in iris},
        relationships={r for r in graph.relationships if r.start in chosen},
    )


def _last_state(runner: Runner) -> dict | None:
    """What the last complete sync recorded, if the database still holds that many nodes and
    relationships of ours (nothing has gone since); None otherwise."""
    found = runner.run(READ_STATE)
    if len(found) != 1:
        return None
    nodes = runner.run(COUNT_NODES)[0]["n"]
    rels = runner.run(COUNT_RELATIONSHIPS, {"marker": MARKER_VALUE})[0]["n"]
    return found[0] if (nodes, rels) == (found[0]["nodes"], found[0]["relationships"]) else None


def _detail(graph: PropertyGraph, old_nodes: list[Node], steps: list) -> dict[str, int]:
    deleted_nodes = sum(len(rows) for statement, rows in steps if statement == DELETE_NODES)
    deleted_rels = sum(len(rows) for statement, rows in steps if statement.endswith(" DELETE r"))
    return {
        "nodes": len(graph.nodes),
        "relationships": len(graph.relationships),
        "deleted_nodes": deleted_nodes,
        "deleted_relationships": deleted_rels,
        "read_back": len(old_nodes),
    }


def _batched(steps: list, max_batch_bytes: int) -> list[tuple[str, list]]:
    """Every step's rows in batches, each under the budget once its statement is added."""
    sends = []
    for statement, rows in steps:
        budget = max(256, max_batch_bytes - len(statement.encode()) - 64)
        sends.extend((statement, batch) for batch in batches(rows, budget))
    return sends


def _send(runner: Runner, sends: list[tuple[str, list]], progress) -> int:
    """Send the batches in order; a failure says how far it got."""
    for done, (statement, batch) in enumerate(sends, 1):
        _collect_young_garbage(done)
        try:
            runner.run(statement, {"rows": batch, "marker": MARKER_VALUE})
        except DatabaseError as e:
            raise DatabaseError(
                e.location, f"{e.problem} (after {done - 1} of {len(sends)} batches; run sync again to finish)"
            ) from None
        if progress:
            progress(done, len(sends))
    return len(sends)


@collector_paused()
def sync_store(
    store: ox.Store,
    runner: Runner,
    max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES,
    progress: Callable[[int, int], None] | None = None,
    full: bool = False,
    built: str = "",
) -> SyncReport:
    """Project the stored RDF graph and sync it into the database; when the database already holds
    this very build (`built`, the stored graph's name) and nothing has gone, stop before projecting."""
    started = time.perf_counter()
    last = _last_state(runner) if built and not full else None
    if last and last["built"] == built:
        report = SyncReport(unchanged=last["nodes"] + last["relationships"])
        report.detail = {"nodes": last["nodes"], "relationships": last["relationships"], "read_back": 0}
        report.seconds = round(time.perf_counter() - started, 3)
        return report
    return sync(project(store, Naming(load_ontology())), runner, max_batch_bytes, progress, full, built)


def database_triples(runner: Runner) -> list[ox.Triple]:
    """The RDF graph the database holds: what `sync` wrote, read back and inverted."""
    return to_rdf(*read_back(runner), Naming(load_ontology()))
