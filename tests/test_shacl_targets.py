"""Shapes that share a query (one path, one count) still report only the nodes each one targets."""

from __future__ import annotations

import pyoxigraph as ox

from coopgraph.graph.build import prepare
from coopgraph.graph.validation import validate
from coopgraph.ontology import load_ontology
from tests.conftest import write_data
from tests.test_shacl import ours, reference

TWO_STATUSES = """\
@prefix coop: <https://w3id.org/coopgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix id: <https://w3id.org/coopgraph/id/> .

id:event\\/twice a coop:Event ; skos:prefLabel "Twice"@en ; coop:participant id:place\\/brest ;
    coop:source id:citation\\/doc-L3 ; coop:status "held", "planned" .
id:thing\\/also-twice coop:status "held", "planned" .
"""


def test_a_broken_rule_is_reported_for_the_shapes_that_target_the_node_only(tmp_path):
    ontology = load_ontology()
    store = ox.Store()
    prepare(write_data(tmp_path / "data", **{"statuses.ttl": TWO_STATUSES}), store, ontology)
    assert ours(store) == reference(store)
    found = {(v.focus.rsplit("/", 1)[-1], v.rule, v.message) for v in validate(store, ontology, {})}
    assert found == {
        ("twice", "MaxCount", "status takes one value"),
        ("twice", "MaxCount", "has more than one status"),
        ("also-twice", "MaxCount", "status takes one value"),  # no cooperation: the other shape ignores it
    }
