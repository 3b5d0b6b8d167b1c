"""Derive the convenience edges, so that simple questions stay one hop.

The rules follow the ontology's own declarations (sub-properties, symmetric and
transitive properties) plus three coopgraph rules: a place's country, twinnedWith
from signed place links, and partnerOf between co-participants. The ontology
sits in its own named graph; derived triples go to the default graph.
"""

from __future__ import annotations

import pyoxigraph as ox

from coopgraph.namespaces import COOP, ONTOLOGY, OWL, RDF_TYPE, sparql_prefixes
from coopgraph.ontology import Ontology

ONTOLOGY_GRAPH = ox.NamedNode(ONTOLOGY)

SUPER_PROPERTIES = """
INSERT { ?s ?super ?o }
WHERE {
  GRAPH <%(ontology)s> { ?p rdfs:subPropertyOf+ ?super FILTER(STRSTARTS(STR(?super), STR(coop:))) }
  ?s ?p ?o
}"""

TRANSITIVE = "INSERT { ?a <%(p)s> ?c } WHERE { ?a <%(p)s>/<%(p)s>+ ?c }"

# Only the missing reverse links: most are there already, and inserting a triple that exists costs time.
SYMMETRIC = "INSERT { ?b <%(p)s> ?a } WHERE { ?a <%(p)s> ?b MINUS { ?b <%(p)s> ?a } }"

COUNTRY = """
INSERT { ?a coop:country ?country }
WHERE {
  ?a coop:locatedIn ?country ; a ?class .
  ?country a coop:Country .
  GRAPH <%(ontology)s> { ?class rdfs:subClassOf* coop:Actor }
}"""

TWINNED = """
INSERT { ?a coop:twinnedWith ?b }
WHERE {
  ?t a coop:Twinning ; coop:status "signed" ; coop:participant ?a, ?b .
  FILTER(?a != ?b)
}"""

PARTNERS = """
INSERT { ?a coop:partnerOf ?b }
WHERE {
  ?c coop:participant ?a, ?b .
  FILTER(?a != ?b)
}"""


def reason(store: ox.Store, ontology: Ontology) -> None:
    """Add every derived triple to the store's default graph (idempotent)."""
    prefixes = sparql_prefixes()
    store.update(prefixes + SUPER_PROPERTIES % {"ontology": ONTOLOGY})
    for name in _declared(ontology, "TransitiveProperty"):
        store.update(TRANSITIVE % {"p": COOP + name})
    store.update(prefixes + COUNTRY % {"ontology": ONTOLOGY})
    store.update(prefixes + TWINNED)
    store.update(prefixes + PARTNERS)
    for name in _declared(ontology, "SymmetricProperty"):
        store.update(SYMMETRIC % {"p": COOP + name})


def _declared(ontology: Ontology, characteristic: str) -> list[str]:
    """Properties the ontology declares with an OWL characteristic."""
    kind = OWL + characteristic
    return sorted(
        t.subject.value.removeprefix(COOP)
        for t in ontology.triples
        if t.predicate.value == RDF_TYPE and t.object.value == kind and t.subject.value.startswith(COOP)
    )
