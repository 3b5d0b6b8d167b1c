"""The property-graph projection of the RDF graph, and its inverse.

Names come from the ontology by convention: a class becomes a label (a node
carries its class and every superclass), an object property a relationship
type in UPPER_SNAKE case, a datatype property a camelCase property. Every node
keeps its `iri` and the label `Resource`, which marks it as coopgraph's own,
and `kind`, the class it was typed with (labels also carry the superclasses);
every relationship carries `syncedBy: "coopgraph"` for the same reason.

Literals map to plain values: text, whole numbers (xsd:integer), floating
numbers (xsd:decimal, by the ontology's range), lists for properties that are
not functional. The inverse (`to_rdf`) uses the same rules, so a graph that
goes to Neo4j and back is isomorphic to the one that left.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

import pyoxigraph as ox

from coopgraph.errors import CoopgraphError
from coopgraph.namespaces import ALT_LABEL, COOP, LABEL, NOTE, PREF_LABEL, RDF_TYPE, SAME_AS, XSD, local_name
from coopgraph.ontology import Ontology

MARKER_LABEL = "Resource"
MARKER_PROPERTY = "syncedBy"
MARKER_VALUE = "coopgraph"
DATE_TYPES = (
    (re.compile(r"^\d{4}$"), "gYear"),
    (re.compile(r"^\d{4}-\d{2}$"), "gYearMonth"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "date"),
)

# Terms outside coop: that the data uses, and their property keys.
EXTERNAL_KEYS = {PREF_LABEL: "name", ALT_LABEL: "altNames", NOTE: "note", LABEL: "label"}
EXTERNAL_LISTS = {"altNames"}
EXTERNAL_RELATIONSHIPS = {SAME_AS: "SAME_AS"}
DERIVED_KEYS = ("iri", "kind")  # carried by the node itself and its labels
PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"


@dataclass
class Node:
    iri: str
    labels: tuple[str, ...]
    props: dict


class Relationship(NamedTuple):
    """A tuple, so that hundreds of thousands of them hash and compare at C speed."""

    type: str
    start: str
    end: str


@dataclass
class PropertyGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    relationships: set[Relationship] = field(default_factory=set)


class Naming:
    """Ontology terms <-> Neo4j names, in both directions."""

    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        self.rel_types = {p.iri: upper_snake(p.name) for p in ontology.properties.values() if p.is_object}
        self.rel_types.update(EXTERNAL_RELATIONSHIPS)
        self.rel_iris = {t: iri for iri, t in self.rel_types.items()}
        self.datatype = {p.name: p for p in ontology.properties.values() if not p.is_object}

    def labels(self, classes: list[str]) -> tuple[str, ...]:
        """The node's labels: its classes, their superclasses, and the marker."""
        out = {MARKER_LABEL}
        for cls in classes:
            out.update(self.ontology.ancestors(cls))
        return tuple(sorted(out))

    def asserted(self, labels: list[str]) -> list[str]:
        """The classes a node was typed with: its labels minus implied superclasses."""
        classes = [lab for lab in labels if lab in self.ontology.classes]
        implied = {a for c in classes for a in self.ontology.ancestors(c)[1:]}
        return [c for c in classes if c not in implied]

    def key(self, predicate: str, literal: ox.Literal) -> str:
        if predicate == PREF_LABEL:
            lang = literal.language
            return "name" if lang == "en" else f"name_{lang}" if lang else "prefLabel"
        if predicate in EXTERNAL_KEYS:
            return EXTERNAL_KEYS[predicate]
        if predicate.startswith(COOP):
            return local_name(predicate)
        raise CoopgraphError(predicate, "no property-graph name for this predicate")

    def is_list(self, key: str) -> bool:
        prop = self.datatype.get(key)
        return key in EXTERNAL_LISTS or (prop is not None and not prop.functional)


def upper_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector. Projecting and syncing build millions of small
    objects, none in a cycle, which it would otherwise walk again and again (at 10^5 facts, a
    fifth of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@collector_paused()
def project(store: ox.Store, naming: Naming) -> PropertyGraph:
    """The property graph of the store's default graph.

    Reading a term from the on-disk store costs more than anything done with it here, so the
    triples are read one predicate at a time: each predicate is read once, not once per triple
    (a NamedNode prints as `<iri>`, which is how it goes into the query).
    """
    classes: dict[str, list[str]] = {}  # every subject, with the coop: classes it is typed with
    props: dict[str, dict] = defaultdict(dict)
    relationships: set[Relationship] = set()
    objects: set[str] = set()
    for (predicate,) in store.query(PREDICATES):
        p = predicate.value
        rel_type = naming.rel_types.get(p)
        for s, o in store.query(f"SELECT ?s ?o WHERE {{ ?s {predicate} ?o }}"):
            if not isinstance(s, ox.NamedNode) or isinstance(o, ox.BlankNode):
                raise CoopgraphError(str(s), "blank nodes cannot be projected; give every resource an IRI")
            s = s.value
            types = classes.setdefault(s, [])
            if isinstance(o, ox.Literal):
                _add_property(props[s], s, naming.key(p, o), _plain(o), naming)
            elif p == RDF_TYPE and o.value.startswith(COOP):
                types.append(local_name(o.value))
            elif rel_type is None:
                raise CoopgraphError(p, "no relationship type for this predicate")
            else:
                relationships.add(Relationship(rel_type, s, o.value))
                objects.add(o.value)
    graph = PropertyGraph(relationships=relationships)
    for iri in classes.keys() | objects:
        node_props = {k: sorted(v) if isinstance(v, list) else v for k, v in props.get(iri, {}).items()}
        typed = classes.get(iri)
        kind = {"kind": min(typed)} if typed else {}
        graph.nodes[iri] = Node(iri, naming.labels(typed or []), {"iri": iri, **kind, **node_props})
    return graph


def _add_property(props: dict, iri: str, key: str, value, naming: Naming) -> None:
    if naming.is_list(key):
        props.setdefault(key, []).append(value)
    elif key in props:
        raise CoopgraphError(iri, f"'{key}' has more than one value")
    else:
        props[key] = value


def _plain(literal: ox.Literal) -> str | int | float | bool:
    dt = literal.datatype.value.removeprefix(XSD)
    if dt == "integer":
        return int(literal.value)
    if dt in ("decimal", "double"):
        return float(literal.value)
    if dt == "boolean":
        return literal.value == "true"
    return literal.value


def to_rdf(nodes: list[Node], relationships: list[Relationship], naming: Naming) -> list[ox.Triple]:
    """The RDF a property graph stands for (the inverse of `project`)."""
    out = []
    for node in nodes:
        s = ox.NamedNode(node.iri)
        for cls in naming.asserted(list(node.labels)):
            out.append(ox.Triple(s, ox.NamedNode(RDF_TYPE), ox.NamedNode(naming.ontology.classes[cls])))
        for key, value in node.props.items():
            if key in DERIVED_KEYS:
                continue
            for v in value if isinstance(value, list) else [value]:
                out.append(ox.Triple(s, *_predicate_and_literal(key, v, naming)))
    for rel in relationships:
        p = ox.NamedNode(naming.rel_iris[rel.type])
        out.append(ox.Triple(ox.NamedNode(rel.start), p, ox.NamedNode(rel.end)))
    return out


def _predicate_and_literal(key: str, value, naming: Naming) -> tuple[ox.NamedNode, ox.Literal]:
    if key == "name" or key.startswith("name_") or key == "prefLabel":
        lang = "en" if key == "name" else key.removeprefix("name_") if key != "prefLabel" else None
        return ox.NamedNode(PREF_LABEL), ox.Literal(value, language=lang)
    if key == "note":
        return ox.NamedNode(NOTE), ox.Literal(value, language="en")
    external = {k: p for p, k in EXTERNAL_KEYS.items()}
    if key in external:
        return ox.NamedNode(external[key]), ox.Literal(value)
    prop = naming.datatype.get(key)
    if prop is None:
        raise CoopgraphError(key, "unknown property in the database; not a coopgraph property")
    predicate = ox.NamedNode(prop.iri)
    if isinstance(value, bool):
        return predicate, ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if prop.range == XSD + "decimal":
        text = format(Decimal(repr(float(value))).normalize(), "f")
        return predicate, ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, int):
        return predicate, ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if key == "date":
        kind = next((k for pattern, k in DATE_TYPES if pattern.match(value)), "string")
        return predicate, ox.Literal(value, datatype=ox.NamedNode(XSD + kind))
    return predicate, ox.Literal(value)
