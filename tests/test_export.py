"""Exports parse with an independent parser to the same graph."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from coopgraph.graph.export import jsonld_context, serialize, triples
from coopgraph.ontology import CONTEXT_FILE, load_ontology
from tests.conftest import run_cli


def as_rdflib(store, with_ontology=False) -> rdflib.Graph:
    nt = ox.serialize(triples(store, with_ontology), format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=nt, format="nt")


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_reparses_to_an_isomorphic_graph(graph, fmt, parser):
    payload = serialize(graph.store, fmt)
    reparsed = rdflib.Graph().parse(data=payload, format=parser)
    expected = as_rdflib(graph.store)
    assert len(reparsed) == len(expected) == graph.manifest.triples
    assert isomorphic(reparsed, expected)


def test_turtle_uses_readable_prefixes(graph):
    text = serialize(graph.store, "turtle").decode()
    assert "@prefix coop: <https://w3id.org/coopgraph/ontology#> ." in text
    assert "coop:Twinning" in text


def test_ontology_is_included_only_on_request(graph):
    without = rdflib.Graph().parse(data=serialize(graph.store, "nt"), format="nt")
    with_ont = rdflib.Graph().parse(data=serialize(graph.store, "nt", with_ontology=True), format="nt")
    twinned = rdflib.URIRef("https://w3id.org/coopgraph/ontology#twinnedWith")
    assert (twinned, rdflib.RDF.type, rdflib.OWL.SymmetricProperty) in with_ont
    assert (twinned, rdflib.RDF.type, rdflib.OWL.SymmetricProperty) not in without
    assert len(with_ont) > len(without)


def test_cli_export_turtle_to_file_reparses_with_pyoxigraph(build_dir, graph, tmp_path):
    out = tmp_path / "g.ttl"
    r = run_cli("export", "--format", "turtle", "-o", str(out), build_dir=build_dir)
    assert r.code == 0, r.stderr
    parsed = list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    assert len(parsed) == graph.manifest.triples
    assert isomorphic(rdflib.Graph().parse(out, format="turtle"), as_rdflib(graph.store))


def test_unknown_format_is_a_usage_error(build_dir):
    r = run_cli("export", "--format", "rdfxml", build_dir=build_dir)
    assert r.code == 2 and r.stderr.startswith("error: export: unknown format")


def test_shipped_jsonld_context_is_the_one_the_ontology_gives():
    assert json.loads(CONTEXT_FILE.read_text()) == jsonld_context(load_ontology())
