"""SHACL Core, the part our shapes use, compiled to SPARQL and run inside Oxigraph.

pySHACL walks the graph in Python and needs minutes per hundred thousand
triples; each constraint here becomes one SPARQL query that returns the
focus nodes (and values) that break it, so validation costs what the store's
query engine costs. The shapes stay standard SHACL: a constraint this module
does not know is refused, never skipped, and the tests check that pySHACL
finds the same violations on the same graphs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from coopgraph.errors import CoopgraphError
from coopgraph.namespaces import RDF, RDF_TYPE, RDFS, SH, XSD, local_name

INSTANCE_OF = f"<{RDF_TYPE}>/<{RDFS}subClassOf>*"
ANNOTATIONS = {SH + "message", RDF_TYPE, RDFS + "comment", SH + "name"}


@dataclass(frozen=True)
class Check:
    """One constraint as a query: it selects ?focus (and ?value) for every violation."""

    sparql: str
    path: str
    rule: str
    message: str


class Shapes:
    """Shapes graph -> checks. Constructed from triples; no I/O."""

    def __init__(self, triples: list[ox.Triple]):
        self.store = ox.Store()
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def values(self, node, predicate: str) -> list:
        return [q.object for q in self.store.quads_for_pattern(node, ox.NamedNode(predicate), None)]

    def one(self, node, predicate: str):
        found = self.values(node, predicate)
        return found[0] if found else None

    def items(self, head) -> list:
        """The members of an RDF list."""
        out = []
        while head is not None and head != ox.NamedNode(RDF + "nil"):
            out.append(self.one(head, RDF + "first"))
            head = self.one(head, RDF + "rest")
        return out

    def checks(self) -> list[Check]:
        out = []
        for q in self.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(SH + "NodeShape")):
            out.extend(self._node_shape(q.subject))
        return out

    def _node_shape(self, shape) -> list[Check]:
        targets = [f"{{ ?focus {INSTANCE_OF} {c} }}" for c in self.values(shape, SH + "targetClass")]
        targets += [f"{{ ?focus {p} ?target }}" for p in self.values(shape, SH + "targetSubjectsOf")]
        if not targets:
            raise CoopgraphError(str(shape), "a node shape without sh:targetClass or sh:targetSubjectsOf")
        target = "SELECT DISTINCT ?focus WHERE { " + " UNION ".join(targets) + " }"
        message = str((self.one(shape, SH + "message") or ox.Literal("")).value)
        out = []
        for cls in self.values(shape, SH + "class"):
            cond = f"NOT EXISTS {{ ?focus {INSTANCE_OF} {cls} }}"
            out.append(_check(target, "", cond, "", "", "Class", message))
        for head in self.values(shape, SH + "or"):
            alternatives = " || ".join(self._conforms("?focus", alt) for alt in self.items(head))
            out.append(_check(target, "", f"!({alternatives})", "", "", "Or", message))
        for prop in self.values(shape, SH + "property"):
            out.extend(self._property(target, prop))
        self._refuse_unknown(shape, {"targetClass", "targetSubjectsOf", "class", "or", "property"})
        return out

    def _conforms(self, focus: str, shape) -> str:
        """A SPARQL condition that holds when `focus` conforms to a small alternative shape."""
        cls, path = self.one(shape, SH + "class"), self.one(shape, SH + "path")
        if cls is not None and path is None:
            return f"EXISTS {{ {focus} {INSTANCE_OF} {cls} }}"
        low, high = self.one(shape, SH + "minCount"), self.one(shape, SH + "maxCount")
        if path is None or (low and int(low.value) > 1) or (high and int(high.value) != 1):
            raise CoopgraphError(str(shape), "sh:or alternatives may only be sh:class or a path with counts 0..1")
        parts = []
        if low and int(low.value) == 1:
            parts.append(f"EXISTS {{ {focus} {path} ?x1 }}")
        if high:
            parts.append(f"NOT EXISTS {{ {focus} {path} ?x1, ?x2 . FILTER(?x1 != ?x2) }}")
        return "(" + " && ".join(parts or ["true"]) + ")"

    def _property(self, target: str, prop) -> list[Check]:
        path = self.one(prop, SH + "path")
        if not isinstance(path, ox.NamedNode):
            raise CoopgraphError(str(prop), "only IRI paths are supported")
        message = str((self.one(prop, SH + "message") or ox.Literal("")).value)
        name, out = local_name(path.value), []

        def add(cond: str, rule: str, pattern: str = f"?focus {path} ?value .", group: str = "") -> None:
            out.append(_check(target, pattern, cond, group, name, rule, message))

        low, high = self.one(prop, SH + "minCount"), self.one(prop, SH + "maxCount")
        if low is not None:
            add(f"?n < {int(low.value)}", "MinCount", f"OPTIONAL {{ ?focus {path} ?value }}", "count")
        if high is not None:
            add(f"?n > {int(high.value)}", "MaxCount", group="count")
        for cls in self.values(prop, SH + "class"):
            add(f"NOT EXISTS {{ ?value {INSTANCE_OF} {cls} }}", "Class")
        for dt in self.values(prop, SH + "datatype"):
            add(f"!isLiteral(?value) || DATATYPE(?value) != {dt}", "Datatype")
        for head in self.values(prop, SH + "in"):
            allowed = " || ".join(f"sameTerm(?value, {v})" for v in self.items(head))
            add(f"!({allowed})", "In")
        for pattern in self.values(prop, SH + "pattern"):
            add(f"isBlank(?value) || !REGEX(STR(?value), {pattern})", "Pattern")
        for bound in self.values(prop, SH + "minInclusive"):
            add(f"!COALESCE(?value >= {bound}, false)", "MinInclusive")
        for head in self.values(prop, SH + "languageIn"):
            langs = " || ".join(f"langMatches(LANG(?value), {lang})" for lang in self.items(head))
            add(f"!isLiteral(?value) || !({langs})", "LanguageIn")
        if self.one(prop, SH + "uniqueLang") == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")):
            add("?n > 1", "UniqueLang", f"?focus {path} ?value . FILTER(LANG(?value) != '')", "lang")
        for head in self.values(prop, SH + "or"):
            types = [self.one(alt, SH + "datatype") for alt in self.items(head)]
            if None in types:
                raise CoopgraphError(str(prop), "a property-level sh:or may only list sh:datatype alternatives")
            add(f"!isLiteral(?value) || DATATYPE(?value) NOT IN ({', '.join(map(str, types))})", "Or")
        for other in self.values(prop, SH + "lessThanOrEquals"):
            add("!COALESCE(?value <= ?other, false)", "LessThanOrEquals", f"?focus {path} ?value ; {other} ?other .")
        self._refuse_unknown(
            prop, {"path", "minCount", "maxCount", "class", "datatype", "in", "pattern", "minInclusive",
                   "languageIn", "uniqueLang", "or", "lessThanOrEquals"},
        )  # fmt: skip
        return out

    def _refuse_unknown(self, shape, known: set[str]) -> None:
        for q in self.store.quads_for_pattern(shape, None, None):
            p = q.predicate.value
            if p not in ANNOTATIONS and not (p.startswith(SH) and p.removeprefix(SH) in known):
                raise CoopgraphError(p, "this SHACL constraint is not supported by the validator")


def _check(target: str, pattern: str, cond: str, group: str, path: str, rule: str, message: str) -> Check:
    """Wrap a condition into a query over the shape's focus nodes."""
    if group == "count":
        having = cond.replace("?n", "COUNT(DISTINCT ?value)")
        sparql = f"SELECT ?focus WHERE {{ {{ {target} }} {pattern} }} GROUP BY ?focus HAVING({having})"
    elif group == "lang":
        having = cond.replace("?n", "COUNT(?value)")
        sparql = f"SELECT ?focus WHERE {{ {{ {target} }} {pattern} }} GROUP BY ?focus (LANG(?value)) HAVING({having})"
    else:
        sparql = f"SELECT DISTINCT ?focus WHERE {{ {{ {target} }} {pattern} FILTER({cond}) }}"
    return Check(sparql=sparql, path=path, rule=rule, message=message)


def run_checks(store: ox.Store, checks: list[Check]) -> list[tuple[str, Check]]:
    """(focus IRI, check) for every violation, over the data and the ontology graph."""
    found = []
    for check in checks:
        for row in store.query(check.sparql, use_default_graph_as_union=True):
            found.append((row["focus"].value, check))
    return found
