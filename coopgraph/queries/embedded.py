"""The default backend: SPARQL on the stored Oxigraph graph, no server needed."""

from __future__ import annotations

import re

import pyoxigraph as ox

from coopgraph.errors import UsageError
from coopgraph.graph.search import search_key
from coopgraph.namespaces import COOP, NAMES_GRAPH, PREFIXES, XSD
from coopgraph.queries.answers import Table, Value
from coopgraph.queries.catalogue import Question, internal_query
from coopgraph.queries.names import Label

WHERE = re.compile(r"^(?:[^#\n]*?)\bWHERE\s*\{", re.IGNORECASE | re.MULTILINE)


class Embedded:
    """Runs the `.rq` side of the questions on an Oxigraph store."""

    def __init__(self, store: ox.Store):
        self.store = store

    def select(self, sparql: str, params: dict[str, ox.NamedNode | ox.Literal] | None = None) -> list[dict[str, str]]:
        query = bind(sparql, params) if params else sparql
        solutions = self.store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in solutions]

    def labels(self) -> list[Label]:
        return _labels(self.select(internal_query("labels", "rq")))

    def candidates(self, name: str) -> list[Label]:
        """The labels of entities that have a label folding like `name` (one index lookup)."""
        params = {"key": ox.Literal(search_key(name)), "names": ox.NamedNode(NAMES_GRAPH)}
        return _labels(self.select(internal_query("candidates", "rq"), params))

    def rows(self, question: Question, params: dict[str, Value]) -> list[dict]:
        return self.select(question.sparql, {k: _term(v) for k, v in params.items()})


def bind(sparql: str, params: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with its parameters given by a VALUES row at the top of its WHERE.

    Oxigraph plans a query before `substitutions` are applied, so a question
    bound that way starts from every link in the graph (seconds at 10^5 facts);
    a VALUES row is planned first (milliseconds). The values are written by
    pyoxigraph's own term serialisation, which escapes them.
    """
    where = WHERE.search(sparql)
    if where is None:
        raise UsageError("query", "a parameterised query needs a WHERE { ... } block")
    names = " ".join(f"?{k}" for k in params)
    row = " ".join(str(v) for v in params.values())
    return f"{sparql[: where.end()]}\n  VALUES ({names}) {{ ({row}) }}{sparql[where.end() :]}"


def _labels(rows: list[dict]) -> list[Label]:
    return [Label(r["iri"], r["label"], r["kind"], r["preferred"] == "true") for r in rows]


def _term(v: Value) -> ox.NamedNode | ox.Literal:
    if v.kind == "iri":
        return ox.NamedNode(str(v.value))
    if v.kind == "class":
        return ox.NamedNode(COOP + str(v.value))
    if v.kind == "int":
        return ox.Literal(str(v.value), datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(str(v.value))


def run_sparql(store: ox.Store, text: str) -> Table:
    """An ad-hoc read-only query: SELECT rows, ASK as one row, CONSTRUCT/DESCRIBE as triples."""
    try:
        result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as e:
        if _is_update(text):
            raise UsageError("query", "updates are refused: the graph is read-only here") from None
        raise UsageError("query", f"SPARQL syntax: {str(e).splitlines()[0]}") from None
    if isinstance(result, ox.QueryBoolean):
        return Table(columns=["answer"], rows=[{"answer": bool(result)}])
    if isinstance(result, ox.QueryTriples):
        rows = [{"subject": str(t.subject), "predicate": str(t.predicate), "object": str(t.object)} for t in result]
        return Table(columns=["subject", "predicate", "object"], rows=rows)
    names = [v.value for v in result.variables]
    rows = [{n: ("" if s[n] is None else s[n].value) for n in names} for s in result]
    return Table(columns=names, rows=rows)


def _is_update(text: str) -> bool:
    """Whether the text reads as a SPARQL Update (which the query parser rejects)."""
    code = re.sub(r"#[^\n]*|\"[^\"]*\"|<[^>]*>", " ", text)
    return re.search(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b", code, re.I) is not None
