"""The bundled dataset: sourced, within its documents, nested, referenced, unique, paraphrased."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
import yaml

from coopgraph.graph.build import default_data_dir
from coopgraph.queries.names import normalize
from tests.conftest import SEEDS


def select(embedded, body: str) -> list[dict]:
    return embedded.select("SELECT * WHERE { " + body + " }")


def test_every_fact_cites_a_source(embedded):
    missing = select(
        embedded,
        """
        ?e a ?class . FILTER(STRSTARTS(STR(?class), STR(coop:)) && ?class != coop:Citation)
        FILTER NOT EXISTS { ?e coop:source ?c }""",
    )
    assert missing == []


def test_every_citation_lies_within_its_document(embedded):
    rows = select(
        embedded,
        """
        ?c coop:document ?d ; coop:lineStart ?start ; coop:lineEnd ?end ; rdfs:label ?label .
        ?d coop:lineCount ?count""",
    )
    assert rows
    bad = [r["label"] for r in rows if not 1 <= int(r["start"]) <= int(r["end"]) <= int(r["count"])]
    assert bad == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents (../shared/seeds) are not beside this checkout")
def test_line_counts_match_the_documents_and_cited_lines_have_text(embedded):
    docs = {r["file"]: int(r["count"]) for r in select(embedded, "?d coop:fileName ?file ; coop:lineCount ?count")}
    texts = {f: (SEEDS / f).read_text(encoding="utf-8").splitlines() for f in docs}
    assert {f: len(t) for f, t in texts.items()} == docs
    rows = select(
        embedded, "?c coop:document/coop:fileName ?file ; coop:lineStart ?s ; coop:lineEnd ?e ; rdfs:label ?l"
    )
    empty = [
        r["l"] for r in rows if not any(texts[r["file"]][i - 1].strip() for i in range(int(r["s"]), int(r["e"]) + 1))
    ]
    assert empty == []


def test_every_place_has_a_parent_and_a_country(embedded):
    orphans = select(
        embedded,
        """
        ?p a ?class . ?class rdfs:subClassOf* coop:Place . FILTER(?class != coop:Country)
        FILTER NOT EXISTS { ?p coop:locatedIn ?parent . ?p coop:country ?country }""",
    )
    assert orphans == []


def test_every_organisation_has_a_country(embedded):
    assert (
        select(
            embedded,
            """
        ?o a ?class . ?class rdfs:subClassOf* coop:Organization . FILTER NOT EXISTS { ?o coop:country ?c }""",
        )
        == []
    )


def test_every_actor_is_referred_to(embedded):
    """An actor nothing points at is a stray record."""
    strays = select(
        embedded,
        """
        ?e a ?class . ?class rdfs:subClassOf* coop:Actor .
        FILTER NOT EXISTS { ?x coop:participant|coop:locatedIn|coop:about ?e }""",
    )
    assert [r["e"] for r in strays] == []


def test_no_two_resources_share_a_label(embedded):
    owners = defaultdict(set)
    for r in select(embedded, "?e skos:prefLabel|skos:altLabel ?label . ?e a ?class"):
        owners[normalize(r["label"])].add(r["e"])
    shared = {label: sorted(iris) for label, iris in owners.items() if len(iris) > 1}
    assert shared == {}


def test_ids_are_unique_across_files():
    seen = {}
    for path in sorted(default_data_dir().rglob("*.yaml")):
        for rec in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            assert rec["id"] not in seen, f"{rec['id']} in {path} and {seen[rec['id']]}"
            seen[rec["id"]] = path


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents (../shared/seeds) are not beside this checkout")
def test_nothing_is_pasted_from_the_documents():
    """No 80-character run of a note, topic or measure appears verbatim in a source document.

    Names and quoted spellings are facts and may match; sentences may not.
    """
    corpus = " ".join(re.sub(r"\s+", " ", p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt"))
    window = 80
    pasted = []
    for path in sorted(default_data_dir().rglob("*.yaml")):
        for rec in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            for key in ("note", "topic", "signatory", "measure"):
                for text in rec.get(key) if isinstance(rec.get(key), list) else [rec.get(key)]:
                    text = re.sub(r"\s+", " ", re.sub(r'"[^"]*"', " ", str(text or "")))
                    if any(text[i : i + window] in corpus for i in range(0, max(0, len(text) - window + 1), 10)):
                        pasted.append((rec["id"], key))
    assert pasted == []


def test_twinning_links_join_a_belarusian_and_a_chinese_place(embedded):
    rows = select(
        embedded,
        """
        ?t a coop:Twinning ; coop:participant ?a, ?b . FILTER(STR(?a) < STR(?b))
        OPTIONAL { ?a coop:country ?ca } OPTIONAL { ?b coop:country ?cb }
        BIND(COALESCE(?ca, ?a) AS ?x) BIND(COALESCE(?cb, ?b) AS ?y)""",
    )
    countries = {frozenset((r["x"].rsplit("/", 1)[-1], r["y"].rsplit("/", 1)[-1])) for r in rows}
    assert countries == {frozenset(("belarus", "china"))}
