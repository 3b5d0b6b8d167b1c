"""SHACL Core, the part our shapes use, compiled to SPARQL and run inside Oxigraph.

pySHACL walks the graph in Python and needs minutes per hundred thousand
triples; each constraint here becomes one SPARQL query that returns the
focus nodes that break it, so validation costs what the store's query engine
costs. A query starts from the values that break its constraint and only then
asks whether their node is targeted, so a valid graph costs about one pass over
the values of each constrained path (rules about missing values, and rules on
the node itself, start from the targets). The shapes stay standard SHACL: a
constraint this module does not know is refused, never skipped, and the tests
check that pySHACL finds the same violations on the same graphs.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox

from coopgraph.errors import CoopgraphError
from coopgraph.namespaces import RDF, RDF_TYPE, RDFS, SH, XSD, local_name

INSTANCE_OF = f"<{RDF_TYPE}>/<{RDFS}subClassOf>*"
ANNOTATIONS = {SH + "message", RDF_TYPE, RDFS + "comment", SH + "name"}


@dataclass(frozen=True)
class Check:
    """One constraint: `broken` binds ?focus wherever the constraint is broken, `target` keeps the
    focus nodes of the shape (empty when `broken` starts from them)."""

    broken: str
    target: str
    path: str
    rule: str
    message: str

    @property
    def anywhere(self) -> str:
        """The query for the nodes that break the constraint, whether the shape targets them or not."""
        return _focus(self.broken)

    @property
    def sparql(self) -> str:
        """The query for the violations: the nodes that break the constraint and that the shape targets."""
        return _focus(f"{self.broken} {self.target}")


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
        target = " UNION ".join(targets)
        message = str((self.one(shape, SH + "message") or ox.Literal("")).value)
        out = []
        for cls in self.values(shape, SH + "class"):
            out.append(Check(f"{target} MINUS {{ ?focus {INSTANCE_OF} {cls} }}", "", "", "Class", message))
        for head in self.values(shape, SH + "or"):
            alternatives = " || ".join(self._conforms("?focus", alt) for alt in self.items(head))
            out.append(Check(f"{target} FILTER(!({alternatives}))", "", "", "Or", message))
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
        name, out, values = local_name(path.value), [], f"?focus {path} ?value"

        def add(rule: str, broken: str, target: str = target) -> None:
            out.append(Check(broken, target, name, rule, message))

        def where(cond: str, pattern: str = f"{values} .") -> str:
            return f"{pattern} FILTER({cond})"

        def counted(cond: str, pattern: str = values, by: str = "") -> str:
            return f"{{ SELECT ?focus WHERE {{ {pattern} }} GROUP BY ?focus {by} HAVING({cond}) }}"

        low, high = self.one(prop, SH + "minCount"), self.one(prop, SH + "maxCount")
        if low is not None:  # the one property rule that starts from the targets: it is about values they lack
            enough = values if int(low.value) == 1 else counted(f"COUNT(DISTINCT ?value) >= {int(low.value)}")
            add("MinCount", f"{target} MINUS {{ {enough} }}", target="")
        if high is not None:  # when there are as many values as nodes, none has two: no need to count per node
            totals = f"{{ SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?focus) AS ?nodes) WHERE {{ {values} }} }}"
            several = f"{totals} FILTER(?n > ?nodes) {values}" if int(high.value) else values
            add("MaxCount", counted(f"COUNT(DISTINCT ?value) > {int(high.value)}", several))
        for cls in self.values(prop, SH + "class"):
            add("Class", f"{values} MINUS {{ ?value {INSTANCE_OF} {cls} }}")
        for dt in self.values(prop, SH + "datatype"):
            add("Datatype", where(f"!isLiteral(?value) || DATATYPE(?value) != {dt}"))
        for head in self.values(prop, SH + "in"):
            allowed = " || ".join(f"sameTerm(?value, {v})" for v in self.items(head))
            add("In", where(f"!({allowed})"))
        for pattern in self.values(prop, SH + "pattern"):
            add("Pattern", where(f"isBlank(?value) || !REGEX(STR(?value), {pattern})"))
        for bound in self.values(prop, SH + "minInclusive"):
            add("MinInclusive", where(f"!COALESCE(?value >= {bound}, false)"))
        for head in self.values(prop, SH + "languageIn"):
            langs = " || ".join(f"langMatches(LANG(?value), {lang})" for lang in self.items(head))
            add("LanguageIn", where(f"!isLiteral(?value) || !({langs})"))
        if self.one(prop, SH + "uniqueLang") == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")):
            tagged = f"{values} FILTER(LANG(?value) != '')"
            add("UniqueLang", counted("COUNT(?value) > 1", tagged, by="(LANG(?value))"))
        for head in self.values(prop, SH + "or"):
            types = [self.one(alt, SH + "datatype") for alt in self.items(head)]
            if None in types:
                raise CoopgraphError(str(prop), "a property-level sh:or may only list sh:datatype alternatives")
            add("Or", where(f"!isLiteral(?value) || DATATYPE(?value) NOT IN ({', '.join(map(str, types))})"))
        for other in self.values(prop, SH + "lessThanOrEquals"):
            add("LessThanOrEquals", where("!COALESCE(?value <= ?other, false)", f"{values} ; {other} ?other ."))
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


def _focus(pattern: str) -> str:
    """The query for one constraint: each focus node the pattern selects, once."""
    return f"SELECT DISTINCT ?focus WHERE {{ {pattern} }}"


def run_checks(store: ox.Store, checks: list[Check]) -> list[tuple[str, Check]]:
    """(focus IRI, check) for every violation, over the data and the ontology graph.

    Several shapes often break alike (one path, one count): each distinct query runs once, over
    the whole graph, and the targets are asked only where something is broken. The queries only
    read, and Oxigraph releases the GIL while it evaluates them, so they run one per core."""

    def violators(sparql: str) -> list[str]:
        return [row[0].value for row in store.query(sparql, use_default_graph_as_union=True)]

    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        queries = list(dict.fromkeys(check.anywhere for check in checks))
        found = dict(zip(queries, pool.map(violators, queries), strict=True))
        suspects = [check for check in checks if found[check.anywhere]]
        kept = pool.map(lambda c: violators(c.sparql) if c.target else found[c.anywhere], suspects)
        return [(focus, check) for check, foci in zip(suspects, kept, strict=True) for focus in foci]
