"""tools/cypher-lint.mjs: Neo4j's own Cypher linter, run as the project runs it (node, stdin/stdout)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "cypher-lint.mjs"
LIBRARY = ROOT / "node_modules" / "@neo4j-cypher" / "language-support"

pytestmark = pytest.mark.skipif(
    not LIBRARY.is_dir(), reason=f"{LIBRARY.relative_to(ROOT)} is absent: run `npm ci` in {ROOT}"
)

SCHEMA = {
    "labels": ["Resource", "Place"],
    "relationshipTypes": ["LOCATED_IN"],
    "propertyKeys": ["iri", "name"],
    "parameters": {"rows": [], "iris": []},
}
SYNTAX_ERROR = "MATCH (n:Resource RETURN n"
UNKNOWN_LABEL = "MATCH (n:Unknown) RETURN n"
CORRECT = "UNWIND $rows AS r MERGE (n:Resource {iri: r.iri}) SET n += r.props RETURN count(n)"
UNDECLARED_PARAMETER = "MATCH (n:Resource {iri: $iri}) RETURN n.name"


def lint(statements: dict[str, str], schema: dict = SCHEMA) -> tuple[int, list[dict]]:
    payload = {"schema": schema, "statements": [{"id": k, "cypher": v} for k, v in statements.items()]}
    proc = subprocess.run(
        ["node", str(TOOL)], input=json.dumps(payload), capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.fixture(scope="module")
def mixed():
    return lint({"syntax": SYNTAX_ERROR, "label": UNKNOWN_LABEL, "ok": CORRECT, "param": UNDECLARED_PARAMETER})


def of(diagnostics: list[dict], statement_id: str) -> list[dict]:
    return [d for d in diagnostics if d["id"] == statement_id]


def test_syntax_error_is_an_error(mixed):
    code, diagnostics = mixed
    assert code == 1  # at least one error
    found = of(diagnostics, "syntax")
    assert found and found[0]["severity"] == "error"
    assert found[0]["message"].startswith("Invalid input 'RETURN'")
    assert (found[0]["line"], found[0]["column"]) == (1, 19)  # 1-based, where RETURN starts


def test_unknown_label_is_a_warning(mixed):
    _, diagnostics = mixed
    assert [(d["severity"], d["message"].split(".")[0], d["line"], d["column"]) for d in of(diagnostics, "label")] == [
        ("warning", "Label Unknown is not present in the database", 1, 10)
    ]


def test_undeclared_parameter_is_an_error(mixed):
    _, diagnostics = mixed
    assert [(d["severity"], d["message"]) for d in of(diagnostics, "param")] == [
        ("error", "Parameter $iri is not defined.")
    ]


def test_correct_statement_gives_nothing(mixed):
    _, diagnostics = mixed
    assert of(diagnostics, "ok") == []
    assert lint({"ok": CORRECT}) == (0, [])


def test_every_diagnostic_has_the_documented_fields(mixed):
    _, diagnostics = mixed
    assert diagnostics
    for d in diagnostics:
        assert set(d) == {"id", "severity", "message", "line", "column"}
        assert d["severity"] in {"error", "warning"}
        assert isinstance(d["line"], int) and isinstance(d["column"], int)
