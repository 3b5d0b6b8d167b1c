"""The SHACL gate: the graph must conform to the shapes before it is stored (see shacl.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from coopgraph.graph.shacl import Shapes, run_checks
from coopgraph.namespaces import COOP, LABEL, SH
from coopgraph.ontology import SHAPES_FILE, Ontology


@dataclass(frozen=True)
class Violation:
    """One broken rule: which resource, which rule, and where the fact was written."""

    focus: str
    path: str
    rule: str
    message: str
    origin: str
    sources: tuple[str, ...]

    def line(self) -> str:
        """`location: problem` for an error line: file:line when known, else the IRI."""
        has_line = ":" in self.origin.rsplit("/", 1)[-1]
        where = self.origin if has_line else self.focus
        seen_in = f" in {self.origin}" if self.origin and not has_line else ""
        return f"{where}: {self.message} ({self.rule} on {self.path or 'the node'}{seen_in})"

    def as_row(self) -> dict[str, str]:
        return {
            "resource": self.focus,
            "path": self.path,
            "rule": self.rule,
            "message": self.message,
            "origin": self.origin,
            "sources": "; ".join(self.sources),
        }


def vocabulary_shapes(ontology: Ontology) -> str:
    """Turtle shapes for what the ontology declares: owl:oneOf vocabularies, functional properties."""
    lines = [f"@prefix sh: <{SH}> ."]
    for prop in ontology.properties.values():
        if prop.functional:
            lines.append(
                f"[] a sh:NodeShape ; sh:targetSubjectsOf <{prop.iri}> ; sh:property [ sh:path <{prop.iri}> ;"
                f' sh:maxCount 1 ; sh:message "{prop.name} takes one value" ] .'
            )
        if prop.allowed:
            values = " ".join(f'"{v}"' for v in prop.allowed)
            lines.append(
                f"[] a sh:NodeShape ; sh:targetSubjectsOf <{prop.iri}> ; sh:property [ sh:path <{prop.iri}> ;"
                f' sh:in ( {values} ) ; sh:message "{prop.name} must be one of: {", ".join(prop.allowed)}" ] .'
            )
    return "\n".join(lines)


def shapes_triples(ontology: Ontology) -> list[ox.Triple]:
    """The shapes file plus the shapes the ontology implies."""
    return [
        *ox.parse(path=str(SHAPES_FILE), format=ox.RdfFormat.TURTLE),
        *ox.parse(vocabulary_shapes(ontology), format=ox.RdfFormat.TURTLE),
    ]


def validate(store: ox.Store, ontology: Ontology, origins: dict[str, str]) -> list[Violation]:
    """Every violation of the shapes by the store's data (the ontology graph supplies subclasses)."""
    found = run_checks(store, Shapes(shapes_triples(ontology)).checks())
    cites = _citations(store, sorted({focus for focus, _ in found}))
    out = {
        Violation(focus, c.path, c.rule, c.message, origins.get(focus, ""), tuple(cites.get(focus, ())))
        for focus, c in found
    }
    return sorted(out, key=lambda v: (v.origin, v.focus, v.path, v.rule, v.message))


def _citations(store: ox.Store, iris: list[str]) -> dict[str, list[str]]:
    """The citation labels of some resources, to show beside their violations."""
    out: dict[str, list[str]] = {}
    source, label = ox.NamedNode(COOP + "source"), ox.NamedNode(LABEL)
    for iri in iris:
        for q in store.quads_for_pattern(ox.NamedNode(iri), source, None, ox.DefaultGraph()):
            out.setdefault(iri, []).extend(x.object.value for x in store.quads_for_pattern(q.object, label, None))
        out.get(iri, []).sort()
    return out
