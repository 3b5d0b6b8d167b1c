"""The CLI as a user meets it: names, --json, exit codes, read-only queries."""

from __future__ import annotations

import json

import pytest

from coopgraph.errors import AmbiguousNameError, UnknownNameError
from coopgraph.queries.names import Label, normalize, resolve
from tests.conftest import run_cli


@pytest.mark.parametrize("typed", ["brest", "BREST", "  Brest ", "Brést"])
def test_names_ignore_case_and_accents(small, typed):
    r = run_cli("partners", typed, "--json", *small)
    assert r.code == 0, r.stderr
    assert [row["partner"] for row in json.loads(r.stdout)] == ["Xiaogan"]


def test_json_is_an_array_keyed_by_columns_and_nothing_else(small):
    r = run_cli("partners", "Brest", "--json", *small)
    rows = json.loads(r.stdout)
    assert list(rows[0]) == [
        "partner",
        "partnerKind",
        "partnerRegion",
        "via",
        "link",
        "document",
        "status",
        "date",
        "sources",
    ]
    assert rows[0]["sources"] == ["doc.txt#L3-L4"]


def test_unknown_name_suggests_the_closest(small):
    r = run_cli("partners", "Vitbsk", *small)
    assert r.code == 2
    assert r.stderr.strip() == "error: Vitbsk: no place of that name; closest: Vitebsk"


def test_ambiguous_name_lists_candidates(small):
    r = run_cli("partners", "twin", *small)
    assert r.code == 2
    assert "ambiguous" in r.stderr and "Grodno (City" in r.stderr and "Lida (City" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_known_place_without_links_is_an_empty_answer(small):
    r = run_cli("partners", "Viciebsk", "--json", *small)
    assert r.code == 0 and json.loads(r.stdout) == []


def test_table_output_is_readable(small):
    r = run_cli("partners", "Brest", *small)
    assert r.code == 0
    assert "Xiaogan" in r.stdout and "1 row(s)" in r.stdout


def test_query_is_read_only(small):
    r = run_cli("query", "INSERT DATA { <http://a> <http://b> <http://c> }", *small)
    assert r.code == 2 and "updates are refused" in r.stderr


def test_query_select_and_ask(small, tmp_path):
    r = run_cli(
        "query", "SELECT ?name WHERE { ?c a coop:City ; skos:prefLabel ?name } ORDER BY ?name", "--json", *small
    )
    assert r.code == 0
    assert [row["name"] for row in json.loads(r.stdout)] == ["Brest", "Grodno", "Lida", "Vitebsk", "Xiaogan"]
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?t a coop:Twinning }")
    assert json.loads(run_cli("query", str(f), "--json", *small).stdout) == [{"answer": True}]


def test_bad_sparql_is_a_usage_error(small):
    r = run_cli("query", "SELEKT ?x", *small)
    assert r.code == 2 and r.stderr.startswith("error: query: SPARQL syntax")


def test_questions_catalogue(small):
    rows = json.loads(run_cli("questions", "--json").stdout)
    names = {r["question"] for r in rows}
    assert {
        "provinces-partnering-with",
        "partners-of",
        "joint-centers-in",
        "investments-by",
        "cooperation-timeline",
        "actors-by-degree",
    } <= names


@pytest.mark.parametrize(
    "args,message",
    [
        (["ask", "provinces-partnering"], "no such question; did you mean provinces-partnering-with"),
        (["ask", "partners-of"], "missing parameter 'place'"),
        (["ask", "partners-of", "--param", "town=Brest"], "unknown parameter 'town'"),
        (["ask", "partners-of", "--param", "place"], "expected key=value"),
        (["ask", "partners-of", "-p", "place=Brest", "-p", "status=done"], "must be one of: signed"),
        (["ask", "actors-by-degree", "-p", "limit=ten"], "must be a whole number"),
    ],
)
def test_usage_errors_exit_2(small, args, message):
    r = run_cli(*args, *small)
    assert r.code == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_stats_counts_classes_relations_and_sources(small):
    rows = json.loads(run_cli("stats", "--json", *small).stdout)
    by = {(r["what"], r["name"]): r["count"] for r in rows}
    assert by[("class", "City")] == 5
    assert by[("class", "Twinning")] == 1
    assert by[("relation", "twinnedWith")] == 2
    assert by[("source", "doc.txt")] >= 6


def test_rebuilds_when_data_changes(small, tmp_path):
    data = small[1]
    assert run_cli("partners", "Brest", "--json", *small).code == 0
    from pathlib import Path

    extra = Path(data) / "late.yaml"
    extra.write_text(
        "- id: nanning\n  type: City\n  name: Nanning\n  locatedIn: china\n  source: doc.txt#L9\n"
        "- id: lida-nanning\n  type: Twinning\n  name: Lida – Nanning\n  participant: [lida, nanning]\n"
        "  linkKind: friendship\n  status: planned\n  source: doc.txt#L9\n"
    )
    try:
        r = run_cli("partners", "Lida", "--json", *small)
        assert r.code == 0 and "rebuilt the graph" in r.stderr
        assert [row["partner"] for row in json.loads(r.stdout)] == ["Nanning"]
    finally:
        extra.unlink()


def labels(*rows):
    return [Label(iri, label, "City", pref) for iri, label, pref in rows]


def test_exact_label_beats_loose_match():
    ls = labels(("a", "Minsk", True), ("b", "minsk", False))
    assert resolve("Minsk", ls, "place").iri == "a"
    assert resolve("minsk", ls, "place").iri == "b"


def test_preferred_label_beats_alternative():
    ls = labels(("a", "Jilin", True), ("b", "Jilin City", True), ("b", "Jilin", False))
    assert resolve("jilin", ls, "place").iri == "a"


def test_resolution_errors():
    ls = labels(("a", "Lida", True), ("b", "Lida", True))
    with pytest.raises(AmbiguousNameError):
        resolve("Lida", ls, "place")
    with pytest.raises(UnknownNameError):
        resolve("Pekin", ls, "place")
    assert normalize("Mahilioŭ  – Region") == "mahiliou region"
