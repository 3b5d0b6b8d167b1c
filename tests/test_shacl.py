"""The SPARQL-compiled SHACL validator finds exactly what pySHACL, the reference, finds."""

from __future__ import annotations

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from coopgraph.graph.build import default_data_dir, prepare
from coopgraph.graph.reasoning import ONTOLOGY_GRAPH
from coopgraph.graph.validation import shapes_triples, validate
from coopgraph.namespaces import SH, local_name
from coopgraph.ontology import load_ontology
from tests.conftest import write_data

BROKEN = """\
@prefix coop: <https://w3id.org/coopgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/coopgraph/id/> .

id:twinning\\/one a coop:Twinning ; skos:prefLabel "One-sided"@en ;
    coop:participant id:place\\/brest, id:organization\\/acme ;
    coop:status "signed", "planned" ; coop:date "2016-05-01T00:00:00"^^xsd:dateTime .
id:twinning\\/bad a coop:Twinning ; skos:prefLabel "Bad"@en, "Bad again"@en, "Mauvais"@fr ;
    coop:participant id:place\\/brest ; coop:linkKind "sisterhood" ; coop:status "done" ;
    coop:source id:citation\\/doc-L3 ; coop:date "2016"^^xsd:gYear, "2017"^^xsd:gYear .
id:investment\\/money a coop:Investment ; skos:prefLabel "Money"@en ; coop:source id:citation\\/doc-L3 ;
    coop:amount "-5"^^xsd:decimal, "7"^^xsd:decimal ; coop:currency "usd" .
id:event\\/lonely a coop:Event ; skos:prefLabel "Lonely"@en ; coop:source id:citation\\/doc-L3 .
id:thing\\/untyped coop:participant id:place\\/brest ; coop:source id:citation\\/doc-L3 .
id:place\\/nowhere a coop:City ; skos:prefLabel "Nowhere"@en ; coop:source id:citation\\/doc-L3 .
id:organization\\/acme a coop:Company ; coop:source id:citation\\/doc-L3 .
id:figure\\/f a coop:Figure ; coop:value "many" ; coop:source id:citation\\/doc-L3 .
id:citation\\/wrong a coop:Citation ; coop:lineStart 0 ; coop:lineEnd -1 .
id:source-document\\/nameless a coop:SourceDocument ; coop:lineCount "ten" .
"""


def reference(store: ox.Store) -> set[tuple[str, str, str]]:
    """pySHACL's findings on the same data graph, ontology and shapes."""
    data = rdflib.Graph().parse(
        data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt"
    )
    ontology = rdflib.Graph().parse(
        data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ONTOLOGY_GRAPH), format="nt"
    )
    shapes = rdflib.Graph().parse(
        data=ox.serialize(shapes_triples(load_ontology()), format=ox.RdfFormat.N_TRIPLES), format="nt"
    )
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    sh = rdflib.Namespace(SH)
    found = set()
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        path = report.value(result, sh.resultPath)
        rule = local_name(str(report.value(result, sh.sourceConstraintComponent))).removesuffix("ConstraintComponent")
        found.add((str(report.value(result, sh.focusNode)), local_name(str(path)) if path else "", rule))
    assert conforms == (not found)
    return found


def ours(store: ox.Store) -> set[tuple[str, str, str]]:
    return {(v.focus, v.path, v.rule) for v in validate(store, load_ontology(), {})}


def test_bundled_data_conforms_for_both(graph):
    store = ox.Store()
    prepare(default_data_dir(), store, load_ontology())
    assert ours(store) == reference(store) == set()


def test_every_kind_of_violation_is_found_as_pyshacl_finds_it(tmp_path):
    store = ox.Store()
    prepare(write_data(tmp_path / "data", **{"broken.ttl": BROKEN}), store, load_ontology())
    expected = reference(store)
    assert len(expected) >= 20
    assert {rule for _, _, rule in expected} >= {
        "MinCount", "MaxCount", "Class", "Datatype", "In", "Pattern", "MinInclusive", "LanguageIn",
        "UniqueLang", "Or", "LessThanOrEquals",
    }  # fmt: skip
    assert ours(store) == expected


def test_an_unsupported_constraint_is_refused_not_skipped():
    from coopgraph.errors import CoopgraphError
    from coopgraph.graph.shacl import Shapes

    shape = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "[] a sh:NodeShape ; sh:targetClass <http://x/C> ; sh:property [ sh:path <http://x/p> ; sh:maxLength 3 ] ."
    )
    with pytest.raises(CoopgraphError, match="not supported"):
        Shapes(list(ox.parse(shape, format=ox.RdfFormat.TURTLE))).checks()
