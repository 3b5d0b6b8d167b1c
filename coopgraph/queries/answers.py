"""Answer a canned question on any backend and bring the rows to one shape.

A backend (the embedded SPARQL store, or Neo4j through Cypher) lists labels
for name look-up and runs a question with typed parameter values; everything
else (resolving names, checking parameters, filtering, sorting, cutting) is
done here once, so both backends print the same table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol

from coopgraph.errors import UsageError
from coopgraph.ontology import Ontology
from coopgraph.queries.catalogue import Question
from coopgraph.queries.names import Label, resolve

LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class Value:
    """A parameter value for a backend: kind is iri, class, text, int or missing."""

    kind: str
    value: str | int


@dataclass
class Table:
    """Named columns and rows of plain values (text, numbers, lists of text)."""

    columns: list[str]
    rows: list[dict] = field(default_factory=list)
    title: str = ""


class Backend(Protocol):
    def labels(self) -> list[Label]: ...

    def candidates(self, name: str) -> list[Label]: ...

    def rows(self, question: Question, params: dict[str, Value]) -> list[dict]: ...


KIND_OF_PARAM = {"place": "Place", "actor": "Actor"}


def answer(question: Question, raw: dict[str, str], backend: Backend, ontology: Ontology) -> Table:
    """Run a question with parameters as the user typed them."""
    for name in raw:
        question.param(name)
    values, filters, limit = {}, {}, None
    for p in question.params:
        text = raw.get(p.name, p.default)
        if text is None:
            if not p.optional:
                raise UsageError(question.name, f"missing parameter '{p.name}' ({p.help})")
            if not p.filter and p.name != "limit":
                values[p.name] = Value("missing", "")
            continue
        if p.type in KIND_OF_PARAM:
            value = Value("iri", _resolve(text, p.type, backend, ontology).iri)
        else:
            value = _simple(question, p.name, p.type, text, ontology)
        if p.name == "limit":
            limit = int(value.value)
        elif p.filter:
            filters[p.name] = value.value
        else:
            values[p.name] = value
    rows = [normalize_row(question, r) for r in backend.rows(question, values)]
    rows = [r for r in rows if all(r.get(k) == v for k, v in filters.items())]
    rows = sort_rows(rows, question.sort)
    if limit is not None:
        rows = rows[:limit]
    return Table(columns=[c.name for c in question.columns], rows=rows, title=question.title)


def _resolve(name: str, kind: str, backend: Backend, ontology: Ontology) -> Label:
    def fits(labels: list[Label]) -> list[Label]:
        return [lab for lab in labels if ontology.is_a(lab.kind, KIND_OF_PARAM[kind])]

    return resolve(name, fits(backend.candidates(name)), kind, lambda: fits(backend.labels()))


def _simple(question: Question, name: str, kind: str, text: str, ontology: Ontology) -> Value:
    if kind == "int":
        try:
            return Value("int", int(text))
        except ValueError:
            raise UsageError(question.name, f"parameter '{name}' must be a whole number, got {text!r}") from None
    if kind == "class":
        match = [c for c in ontology.classes if c.lower() == text.lower()]
        if not match:
            raise UsageError(question.name, f"parameter '{name}': no class {text!r}; e.g. Place, Organization, City")
        return Value("class", match[0])
    if kind == "status":
        allowed = ontology.properties["status"].allowed
        if text not in allowed:
            raise UsageError(question.name, f"parameter '{name}' must be one of: {', '.join(allowed)}")
    return Value("text", text)


def normalize_row(question: Question, row: dict) -> dict:
    """Lists sorted, numbers as numbers, missing values as empty text."""
    out = {}
    for col in question.columns:
        v = row.get(col.name)
        if col.is_list:
            items = v.split(LIST_SEPARATOR) if isinstance(v, str) else list(v or [])
            out[col.name] = sorted({str(i) for i in items if i not in (None, "")})
        elif col.is_number:
            out[col.name] = _number(v)
        else:
            out[col.name] = "" if v is None else str(v)
    return out


def _number(v) -> int | float | None:
    if v in (None, ""):
        return None
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def sort_rows(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """Sort by the declared keys (`-key` descending), then by every column, for a stable order."""
    rows = sorted(rows, key=lambda r: [str(r[k]) for k in sorted(r)])
    for key in reversed(keys):
        name = key.lstrip("-")
        rows.sort(key=lambda r, n=name: _sortable(r[n]), reverse=key.startswith("-"))
    return rows


def _sortable(v):
    if isinstance(v, int | float):
        return (0, v, "")
    if v is None:
        return (0, float("-inf"), "")
    return (1, 0, str(v).casefold())
