"""Search keys: every label folded for look-up, indexed in a graph of their own.

A name typed by a user is folded the same way and found by one indexed
lookup, however large the graph; the keys are not part of the exported data.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from itertools import filterfalse, islice

import pyoxigraph as ox

from coopgraph.namespaces import NAMES_GRAPH, coop, sparql_prefixes

LABELS = """
SELECT ?e (STR(?l) AS ?label) WHERE {
  ?e a ?class . FILTER(STRSTARTS(STR(?class), STR(coop:)) && isIRI(?e))
  ?e skos:prefLabel|skos:altLabel ?l . FILTER(isLiteral(?l))
}"""

SEPARATORS = re.compile(r"[\s\-‐-―_'’]+")


def search_key(text: str) -> str:
    """Lower case, no accents, dashes and runs of spaces folded to one space."""
    if not text.isascii():  # ASCII has nothing to decompose
        text = "".join(filterfalse(unicodedata.combining, unicodedata.normalize("NFKD", text)))
    return SEPARATORS.sub(" ", text.casefold()).strip()


def index_names(store: ox.Store) -> None:
    """Add a search key for every label of every typed entity (names lead to IRIs, never to blank nodes).

    The labels leave the store as CSV text and the keys go back as N-Triples: no Python object
    per label, which is most of the cost otherwise."""
    rows = store.query(sparql_prefixes() + LABELS).serialize(format=ox.QueryResultsFormat.CSV)
    key = f"<{coop('searchKey')}>"
    lines = []
    for entity, label in islice(csv.reader(io.StringIO(rows.decode(), newline="")), 1, None):
        folded = search_key(label).replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'<{entity}> {key} "{folded}" .\n')
    # load, not bulk_load: twice as fast into a store in memory; lenient: the IRIs come from the store
    store.load("".join(lines), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(NAMES_GRAPH), lenient=True)
