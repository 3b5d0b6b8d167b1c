"""The ontology as Python sees it: classes, properties, ranges, closed vocabularies.

Everything else (loaders, shapes, Neo4j names, CLI help) asks this module for
terms, so the Turtle file stays the single source of truth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from coopgraph.namespaces import COOP, OWL, RDF, RDF_TYPE, RDFS, local_name

HERE = Path(__file__).parent
ONTOLOGY_FILE = HERE / "coopgraph.ttl"
SHAPES_FILE = HERE / "shapes.ttl"
CONTEXT_FILE = HERE / "context.jsonld"

ROOTS = ("Actor", "Cooperation")


@dataclass(frozen=True)
class Property:
    """An ontology property with what the loader needs to turn a value into RDF."""

    name: str
    iri: str
    is_object: bool
    functional: bool = False
    range: str | None = None
    allowed: tuple[str, ...] = ()
    label: str = ""
    comment: str = ""


@dataclass
class Ontology:
    """The coop: terms of the ontology, read from its triples (no I/O here)."""

    triples: list[ox.Triple]
    classes: dict[str, str] = field(default_factory=dict)
    parents: dict[str, list[str]] = field(default_factory=dict)
    properties: dict[str, Property] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_subject: dict[str, list[ox.Triple]] = {}
        for t in self.triples:
            by_subject.setdefault(t.subject.value, []).append(t)
        for s, ts in by_subject.items():
            for t in ts:
                p, o = t.predicate.value, t.object
                if p == RDFS + "label":
                    self.labels[s] = o.value
                elif p == RDFS + "comment":
                    self.comments[s] = o.value
        for s, ts in by_subject.items():
            if not s.startswith(COOP):
                continue
            name = local_name(s)
            types = {t.object.value for t in ts if t.predicate.value == RDF_TYPE}
            if OWL + "Class" in types:
                self.classes[name] = s
                self.parents[name] = [
                    local_name(t.object.value)
                    for t in ts
                    if t.predicate.value == RDFS + "subClassOf" and t.object.value.startswith(COOP)
                ]
            if types & {OWL + "ObjectProperty", OWL + "DatatypeProperty"}:
                rng = next((t.object for t in ts if t.predicate.value == RDFS + "range"), None)
                allowed: tuple[str, ...] = ()
                if isinstance(rng, ox.BlankNode):
                    allowed = tuple(self._one_of(by_subject, rng.value))
                self.properties[name] = Property(
                    name=name,
                    iri=s,
                    is_object=OWL + "ObjectProperty" in types,
                    functional=OWL + "FunctionalProperty" in types,
                    range=rng.value if isinstance(rng, ox.NamedNode) else None,
                    allowed=allowed,
                    label=self.labels.get(s, name),
                    comment=self.comments.get(s, ""),
                )

    @staticmethod
    def _one_of(by_subject: dict[str, list[ox.Triple]], datatype: str) -> list[str]:
        """The literals of an `owl:oneOf` list on an anonymous datatype."""
        head = next(
            (t.object.value for t in by_subject.get(datatype, []) if t.predicate.value == OWL + "oneOf"),
            None,
        )
        values = []
        while head and head != RDF + "nil":
            cell = {t.predicate.value: t.object for t in by_subject.get(head, [])}
            values.append(cell[RDF + "first"].value)
            head = cell[RDF + "rest"].value
        return values

    def ancestors(self, cls: str) -> list[str]:
        """The class and its coop: superclasses, nearest first, each once."""
        order, todo = [], [cls]
        while todo:
            c = todo.pop(0)
            if c not in order:
                order.append(c)
                todo.extend(self.parents.get(c, []))
        return order

    def is_a(self, cls: str, ancestor: str) -> bool:
        return ancestor in self.ancestors(cls)

    def iri_kind(self, cls: str) -> str:
        """The IRI path segment of a class's instances: the class just below Actor or
        Cooperation (`place`, `joint-center`), or the top class itself (`figure`)."""
        chain = self.ancestors(cls)
        top = chain[-1]
        if top in ROOTS and len(chain) >= 2:
            top = chain[-2]
        return re.sub(r"(?<!^)(?=[A-Z])", "-", top).lower()

    def subclasses(self, cls: str) -> list[str]:
        """The class and every class below it."""
        return sorted(c for c in self.classes if self.is_a(c, cls))


@cache
def load_ontology(path: Path = ONTOLOGY_FILE) -> Ontology:
    """Parse the ontology Turtle once per process."""
    return Ontology(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)))
