"""The embedded backend binds parameters with a VALUES row: the answers of pyoxigraph's own
substitutions, planned from the bound values, and no way for a value to change the query."""

from __future__ import annotations

import pyoxigraph as ox

from coopgraph.namespaces import PREFIXES
from coopgraph.ontology import load_ontology
from coopgraph.queries.answers import answer
from coopgraph.queries.catalogue import questions
from coopgraph.queries.embedded import Embedded, _term, bind
from tests.conftest import parameter_sets


class Substituted(Embedded):
    """The same questions bound by pyoxigraph's `substitutions` instead."""

    def rows(self, question, params):
        subs = {ox.Variable(k): _term(v) for k, v in params.items()}
        solutions = self.store.query(
            question.sparql, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=subs
        )
        names = [v.value for v in solutions.variables]
        return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in solutions]


def test_values_row_answers_as_substitutions(embedded):
    ontology, substituted, cases, rows = load_ontology(), Substituted(embedded.store), 0, 0
    for q in questions().values():
        for params in parameter_sets(q):
            expected = answer(q, params, substituted, ontology).rows
            assert answer(q, params, embedded, ontology).rows == expected, (q.name, params)
            cases, rows = cases + 1, rows + len(expected)
    assert cases >= 50 and rows > 200


def test_values_row_sits_inside_the_where_block():
    query = bind("# a WHERE { in a comment\nSELECT ?x WHERE {\n  ?x ?p ?o\n}", {"x": ox.Literal("a")})
    assert query.index('VALUES (?x) { ("a") }') > query.index("SELECT ?x WHERE {")


def test_a_hostile_value_stays_a_value():
    hostile = "x\" } } ; DELETE WHERE { ?s ?p ?o } # <a> \\ '\n"
    store, node = ox.Store(), ox.NamedNode("urn:x:a")
    store.add(ox.Quad(node, ox.NamedNode("urn:x:name"), ox.Literal(hostile)))
    store.add(ox.Quad(ox.NamedNode("urn:x:b"), ox.NamedNode("urn:x:name"), ox.Literal("x")))
    rows = Embedded(store).select("SELECT ?s WHERE { ?s ?p ?name }", {"name": ox.Literal(hostile)})
    assert rows == [{"s": node.value}]
    assert len(store) == 2
