"""The SHACL gate: the graph must conform to the shapes before it is stored."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from coopgraph.namespaces import COOP, LABEL, SH, local_name
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


def validate(store: ox.Store, ontology: Ontology, origins: dict[str, str]) -> list[Violation]:
    """Run pySHACL over the default graph plus the ontology; return the violations."""
    import pyshacl
    import rdflib

    data = rdflib.Graph()
    data.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    ont = rdflib.Graph().parse(data=ox.serialize(ontology.triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    shapes.parse(data=vocabulary_shapes(ontology), format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ont, inference="none")
    if conforms:
        return []
    return _violations(report, data, origins)


def _violations(report, data, origins: dict[str, str]) -> list[Violation]:
    import rdflib

    sh = rdflib.Namespace(SH)
    source = rdflib.URIRef(COOP + "source")
    out = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        path = report.value(result, sh.resultPath)
        component = report.value(result, sh.sourceConstraintComponent)
        message = report.value(result, sh.resultMessage)
        cites = sorted(str(data.value(c, rdflib.URIRef(LABEL))) for c in data.objects(focus, source))
        out.append(
            Violation(
                focus=str(focus),
                path=local_name(str(path)) if path else "",
                rule=local_name(str(component)).removesuffix("ConstraintComponent"),
                message=str(message or ""),
                origin=origins.get(str(focus), ""),
                sources=tuple(cites),
            )
        )
    return sorted(out, key=lambda v: (v.origin, v.focus, v.path))
