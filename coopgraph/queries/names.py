"""Resolve a name typed by a user to one entity, through every label it has.

Matching is case- and accent-insensitive; an exact match wins over a loose one,
and a preferred label over an alternative one. A name that still matches
several entities, or none, is an error that lists the candidates or the
closest names.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from coopgraph.errors import AmbiguousNameError, UnknownNameError
from coopgraph.graph.search import search_key as normalize


@dataclass(frozen=True)
class Label:
    """One label of one entity, as a backend lists them."""

    iri: str
    label: str
    kind: str
    preferred: bool


def resolve(name: str, labels: list[Label], what: str, everything: Callable[[], list[Label]] | None = None) -> Label:
    """The single entity `name` denotes, among `labels` (the candidates that fit);
    `everything` lists all labels that fit, for suggestions when nothing matches."""
    wanted = normalize(name)
    steps = [
        lambda lab: lab.preferred and lab.label == name,
        lambda lab: lab.label == name,
        lambda lab: lab.preferred and normalize(lab.label) == wanted,
        lambda lab: normalize(lab.label) == wanted,
    ]
    for matches in steps:
        hits: dict[str, Label] = {}
        for lab in labels:
            if matches(lab):
                hits.setdefault(lab.iri, lab)
        if len(hits) == 1:
            return _preferred(next(iter(hits)), labels)
        if len(hits) > 1:
            listed = "; ".join(
                f"{_preferred(iri, labels).label} ({_preferred(iri, labels).kind}, {iri})" for iri in sorted(hits)
            )
            raise AmbiguousNameError(name, f"ambiguous {what} name; candidates: {listed}")
    labels = everything() if everything else labels
    by_norm: dict[str, str] = {}
    for lab in labels:
        by_norm.setdefault(normalize(lab.label), lab.iri)
    near = difflib.get_close_matches(wanted, by_norm, n=8, cutoff=0.6)
    shown = list(dict.fromkeys(_preferred(by_norm[n], labels).label for n in near))[:5]
    hint = f"; closest: {', '.join(shown)}" if shown else ""
    raise UnknownNameError(name, f"no {what} of that name{hint}")


def _preferred(iri: str, labels: list[Label]) -> Label:
    """The entity's English preferred label, for display."""
    own = [lab for lab in labels if lab.iri == iri]
    return next((lab for lab in own if lab.preferred), own[0])
