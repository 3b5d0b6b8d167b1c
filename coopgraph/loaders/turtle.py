"""Merge external RDF written in Turtle into the graph, with file:line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import InputError


def read_turtle(path: Path, shown_as: str) -> list[ox.Quad]:
    """Every triple of the file, in the default graph."""
    try:
        return [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    except SyntaxError as e:
        raise InputError(shown_as, _line_of(e), f"Turtle: {_message(e)}") from None


def _line_of(error: SyntaxError) -> int | None:
    """pyoxigraph reports positions as 'line:column' (0-based) in its message."""
    if error.lineno:
        return error.lineno
    m = re.search(r"(\d+):(\d+)", str(error))
    return int(m[1]) + 1 if m else None


def _message(error: SyntaxError) -> str:
    return str(error.msg if error.msg else error).splitlines()[0]
