"""Search keys: every label folded for look-up, indexed in a graph of their own.

A name typed by a user is folded the same way and found by one indexed
lookup, however large the graph; the keys are not part of the exported data.
"""

from __future__ import annotations

import re
import unicodedata

import pyoxigraph as ox

from coopgraph.namespaces import NAMES_GRAPH, coop, sparql_prefixes

LABELS = """
SELECT ?e ?l WHERE {
  ?e a ?class . FILTER(STRSTARTS(STR(?class), STR(coop:)))
  ?e skos:prefLabel|skos:altLabel ?l
}"""


def search_key(text: str) -> str:
    """Lower case, no accents, dashes and runs of spaces folded to one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-‐-―_'’]+", " ", bare.casefold()).strip()


def index_names(store: ox.Store) -> None:
    """Add a search key for every label of every typed entity."""
    graph, key = ox.NamedNode(NAMES_GRAPH), ox.NamedNode(coop("searchKey"))
    rows = store.query(sparql_prefixes() + LABELS)
    store.bulk_extend(ox.Quad(r["e"], key, ox.Literal(search_key(r["l"].value)), graph) for r in rows)
