"""Search keys: how a name is folded, and that every label of every typed entity gets its key."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopgraph.graph.search import index_names, search_key
from coopgraph.namespaces import ALT_LABEL, NAMES_GRAPH, PREF_LABEL, RDF_TYPE, coop


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Brest Region", "brest region"),
        ("  Brestskaya_voblasts' ", "brestskaya voblasts"),
        ("Mahilioŭ – Dniapro", "mahiliou dniapro"),
        ("Zürich\tSTRASSE", "zurich strasse"),
        ("Гомельская область", "гомельская область"),
        ("Бярэзінскі", "бярэзінскі"),
        ("Й", "и"),
        ("湖北省", "湖北省"),
    ],
)
def test_a_name_is_folded_to_lower_case_without_accents_or_dashes(name, key):
    assert search_key(name) == key


def test_every_label_of_a_typed_entity_gets_its_key_whatever_it_contains():
    labels = ['Quote " and \\ backslash', "tab\there, new\nline", "Ĳssel – Straße ’t", "𝐁old 中文", "\\u0041"]
    store = ox.Store()
    typed, untyped = ox.NamedNode("http://example.org/typed"), ox.NamedNode("http://example.org/untyped")
    store.add(ox.Quad(typed, ox.NamedNode(RDF_TYPE), ox.NamedNode(coop("City"))))
    for i, label in enumerate(labels):
        predicate = ox.NamedNode(PREF_LABEL if i == 0 else ALT_LABEL)
        store.add(ox.Quad(typed, predicate, ox.Literal(label, language="en" if i % 2 else None)))
        store.add(ox.Quad(untyped, predicate, ox.Literal(label)))
    index_names(store)
    keys = {(q.subject, q.object.value) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(NAMES_GRAPH))}
    assert keys == {(typed, search_key(label)) for label in labels}
