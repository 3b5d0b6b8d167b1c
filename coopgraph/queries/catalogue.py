"""The canned questions: each a `.rq` (SPARQL) and a `.cypher` file with the same header.

The header comment declares the title, description, parameters, result
columns and sort order; it is the contract both languages answer to.

    # title: ...
    # description: ...
    # param place: place — help            (types: place, actor, class, status, text, int)
    # param status: status? filter — help (? optional; `filter` keeps rows whose column equals it)
    # param limit: int = 20 — help         (`limit` cuts the sorted rows; not sent to the backend)
    # columns: province, partner, sources[], amount#   ([] a list, # a number)
    # sort: -degree, actor                 (- descending)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coopgraph.errors import UsageError

HERE = Path(__file__).parent
QUERIES_README = HERE / "README.md"
PARAM_TYPES = ("place", "actor", "class", "status", "text", "int")
PARAM = re.compile(
    r"^(?P<name>\w+):\s*(?P<type>\w+)(?P<optional>\?)?(?:\s*=\s*(?P<default>\S+))?"
    r"(?P<filter>\s+filter)?\s*(?:—|--)\s*(?P<help>.*)$"
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    default: str | None
    filter: bool
    help: str


@dataclass(frozen=True)
class Column:
    name: str
    is_list: bool = False
    is_number: bool = False


@dataclass(frozen=True)
class Question:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    sort: tuple[str, ...]
    sparql: str
    cypher: str | None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise UsageError(self.name, f"unknown parameter '{name}' (parameters: {known})")


def parse_header(text: str, where: str) -> dict:
    """The `# key: value` lines at the top of a query file."""
    header: dict = {"param": []}
    for line in text.splitlines():
        if not line.startswith(("#", "//")):
            if line.strip():
                break
            continue
        body = line.lstrip("#/ ").rstrip()
        key, _, value = body.partition(":")
        if key.startswith("param "):
            m = PARAM.match(body.removeprefix("param ").strip())
            if not m or m["type"] not in PARAM_TYPES:
                raise ValueError(f"{where}: bad param line: {line}")
            header["param"].append(
                Param(
                    m["name"],
                    m["type"],
                    bool(m["optional"]) or m["default"] is not None,
                    m["default"],
                    bool(m["filter"]),
                    m["help"].strip(),
                )
            )
        elif key in ("title", "description", "columns", "sort"):
            header[key] = value.strip()
    return header


def _columns(spec: str) -> tuple[Column, ...]:
    cols = []
    for raw in (c.strip() for c in spec.split(",")):
        name = raw.rstrip("[]#")
        cols.append(Column(name, raw.endswith("[]"), raw.endswith("#")))
    return tuple(cols)


def _question(rq: Path) -> Question:
    text = rq.read_text(encoding="utf-8")
    head = parse_header(text, rq.name)
    cypher_file = rq.with_suffix(".cypher")
    return Question(
        name=rq.stem,
        title=head["title"],
        description=head["description"],
        params=tuple(head["param"]),
        columns=_columns(head["columns"]),
        sort=tuple(s.strip() for s in head.get("sort", "").split(",") if s.strip()),
        sparql=text,
        cypher=cypher_file.read_text(encoding="utf-8") if cypher_file.exists() else None,
    )


@cache
def questions() -> dict[str, Question]:
    """Every canned question, by name."""
    return {rq.stem: _question(rq) for rq in sorted(HERE.glob("*.rq"))}


def question(name: str) -> Question:
    qs = questions()
    if name not in qs:
        import difflib

        near = difflib.get_close_matches(name, qs, n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else f"; known: {', '.join(qs)}"
        raise UsageError(name, f"no such question{hint}")
    return qs[name]


def internal_query(name: str, language: str) -> str:
    """A query the library itself runs (name look-up, statistics)."""
    return (HERE / "internal" / f"{name}.{language}").read_text(encoding="utf-8")
