"""Every Cypher statement coopgraph ships or sends passes Neo4j's own linter, against our schema."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from coopgraph.graph import runners, sync
from coopgraph.graph.projection import DERIVED_KEYS, EXTERNAL_KEYS, MARKER_PROPERTY, Naming
from coopgraph.ontology import load_ontology
from coopgraph.queries.catalogue import HERE as QUERIES
from coopgraph.queries.catalogue import questions
from tests.conftest import ROOT

LINTER = ROOT / "tools" / "cypher-lint.mjs"


def lint(statements: dict[str, str], schema: dict) -> list[dict]:
    assert shutil.which("node"), "node is needed to lint Cypher (Node 20)"
    assert (ROOT / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(), "run `npm ci` first"
    payload = {"schema": schema, "statements": [{"id": k, "cypher": v} for k, v in statements.items()]}
    done = subprocess.run(["node", str(LINTER)], input=json.dumps(payload), capture_output=True, text=True, cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr  # 1: errors found, listed on stdout
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def naming() -> Naming:
    return Naming(load_ontology())


@pytest.fixture(scope="module")
def schema(naming) -> dict:
    return schema_of(naming)


def schema_of(naming: Naming) -> dict:
    """The projection's schema, derived from the ontology as the sync derives it."""
    ontology = naming.ontology
    labels = sorted(set(ontology.classes) | {"Resource", sync.STATE_LABEL})
    keys = set(naming.datatype) | set(EXTERNAL_KEYS.values()) | set(DERIVED_KEYS) | {MARKER_PROPERTY, "prefLabel"}
    keys |= {f"name_{lang}" for lang in ("ru", "be", "zh")}
    keys |= {sync.HASH_KEY, "hash", "nodes", "relationships", "built"}  # the sync's own bookkeeping
    params = {p.name: "" for q in questions().values() for p in q.params} | {
        "rows": [],
        "marker": "",
        "hash": "",
        "nodes": 0,
        "relationships": 0,
        "built": "",
    }
    return {
        "labels": labels,
        "relationshipTypes": sorted(set(naming.rel_types.values())),
        "propertyKeys": sorted(keys),
        "parameters": params,
    }


def shipped(naming) -> dict[str, str]:
    """Canned questions, internal queries, and every statement the sync can generate."""
    out = {f"{q.name}.cypher": q.cypher for q in questions().values()}
    out |= {f"internal/{p.name}": p.read_text() for p in (QUERIES / "internal").glob("*.cypher")}
    out |= {
        "read nodes": sync.READ_NODES,
        "read relationships": sync.READ_RELATIONSHIPS,
        "delete nodes": sync.DELETE_NODES,
        "read hashes": sync.READ_HASHES,
        "read some nodes": sync.READ_SOME_NODES,
        "read some relationships": sync.READ_SOME_RELATIONSHIPS,
        "set hashes": sync.SET_HASHES,
        "read state": sync.READ_STATE,
        "count nodes": sync.COUNT_NODES,
        "count relationships": sync.COUNT_RELATIONSHIPS,
        "clear state": sync.CLEAR_STATE,
        "write state": sync.WRITE_STATE,
        "falkordb indexes": sync.FALKORDB_INDEXES,
        "neo4j constraint": sync.NEO4J_CONSTRAINT,
        "falkordb index": sync.FALKORDB_INDEX,
        "dialect probe": runners.NEO4J_PROBE,
    }
    for cls in naming.ontology.classes:
        labels = tuple(lab for lab in naming.labels([cls]) if lab != "Resource")
        out[f"create {cls}"] = sync.create_nodes(labels)
        out[f"update {cls}"] = sync.update_nodes(labels[:1], labels[1:])
    for rel_type in naming.rel_types.values():
        out[f"create {rel_type}"] = sync.create_relationships(rel_type)
        out[f"delete {rel_type}"] = sync.delete_relationships(rel_type)
    return out


def test_every_statement_lints_clean(naming, schema):
    statements = shipped(naming)
    assert len(statements) > 80
    assert lint(statements, schema) == []


def test_the_linter_does_catch_mistakes(schema):
    """The check above is only worth something if the linter sees our schema and our errors."""
    found = lint(
        {
            "typo in a label": "MATCH (n:Ctiy) RETURN n.name",
            "unknown parameter": "MATCH (n:City {iri: $plaec}) RETURN n",
            "syntax": "MATCH (n:City RETURN n",
        },
        schema,
    )
    by_id = {d["id"]: d for d in found}
    assert by_id["typo in a label"]["severity"] == "warning" and "Ctiy" in by_id["typo in a label"]["message"]
    assert by_id["unknown parameter"]["severity"] == "error"
    assert by_id["syntax"]["severity"] == "error"
