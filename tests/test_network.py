"""NetworkX analytics: paths between actors, centrality, communities, GraphML.

On the bundled data, against what the documents say; on tiny hand-made graphs
whose answers are known; and through the real CLI.
"""

from __future__ import annotations

import io

import networkx as nx
import pytest

from coopgraph.graph.network import (
    CooperationNetwork,
    central_actors,
    centrality,
    community_rows,
    graphml,
    network,
    pagerank,
    paths_between,
    shortest_paths,
)
from coopgraph.graph.projection import Naming, Node, PropertyGraph, Relationship, project
from coopgraph.ontology import load_ontology
from tests.conftest import run_cli

ID = "https://w3id.org/coopgraph/id/"
BREST_XIAOGAN = ID + "twinning/brest-xiaogan-twinning"


@pytest.fixture(scope="module")
def bundled(graph) -> CooperationNetwork:
    return network(graph.store)


# ------------------------------------------------------------------ the bundled data


def test_brest_reaches_hubei_through_the_brest_xiaogan_twinning(graph):
    rows = paths_between(graph.store, "Brest", "Hubei").rows
    paths = _paths(rows)
    assert all(len(hops) == 2 for hops in paths.values()), "Brest is two hops from Hubei"
    via_xiaogan = [hops for hops in paths.values() if hops[0]["throughIri"] == BREST_XIAOGAN]
    assert via_xiaogan, "the documents name Brest and Xiaogan as sister cities (L359, L363)"
    first, second = via_xiaogan[0]
    assert (first["from"], first["relation"], first["to"], first["status"]) == ("Brest", "through", "Xiaogan", "signed")
    assert first["kind"] == "Twinning" and "002_e84c28b6cbc4fd91.txt#L363" in first["sources"]
    assert (second["from"], second["relation"], second["to"]) == ("Xiaogan", "located in", "Hubei")
    assert paths[1][0]["throughIri"], "paths through cooperation come before paths that start with a located-in step"


def test_brest_region_reaches_hubei_through_its_partnership_in_one_hop(graph):
    rows = paths_between(graph.store, "Brest Region", "Hubei").rows
    assert [(r["hop"], r["through"], r["status"]) for r in rows] == [
        (1, "Brest Region – Hubei long-standing partnership", "operating")
    ]


def test_a_region_contains_its_cities(graph):
    rows = paths_between(graph.store, "Brest Oblast", "brest").rows
    assert [(r["from"], r["relation"], r["to"]) for r in rows] == [("Brest Region", "contains", "Brest")]


def test_paths_beyond_max_hops_are_not_listed(graph):
    assert paths_between(graph.store, "Brest", "Hubei", max_hops=1).rows == []


def test_minsk_and_the_minsk_region_are_among_the_most_connected_belarusian_actors(bundled):
    for by in ("degree", "pagerank"):
        belarusian = [r["actor"] for r in centrality(bundled, by) if r["country"] == "Belarus"]
        assert {"Minsk", "Minsk Region"} <= set(belarusian[:7]), (by, belarusian[:7])
        places = [r["actor"] for r in centrality(bundled, by) if r["country"] == "Belarus" and "/place/" in r["iri"]]
        assert places[0] == "Minsk Region" and "Minsk" in places[:3], (by, places[:3])
    between = [r["actor"] for r in centrality(bundled, "betweenness") if r["country"] == "Belarus"]
    assert "Minsk Region" in between[:3], between[:3]
    degree = {r["actor"]: r for r in centrality(bundled, "degree")}
    assert degree["Minsk Region"]["partners"] >= 10 and degree["Minsk"]["partners"] >= 10


def test_central_filters_by_kind_and_ranks_from_one(graph):
    table = central_actors(graph.store, "degree", "organization", 5)
    assert [r["rank"] for r in table.rows] == [1, 2, 3, 4, 5]
    assert table.rows[0]["actor"] == 'China–Belarus Industrial Park "Great Stone"'
    places = central_actors(graph.store, "pagerank", "place", 50).rows
    assert all("/place/" in r["iri"] for r in places)
    assert [r["score"] for r in places] == sorted((r["score"] for r in places), reverse=True)


def test_communities_are_stable_and_keep_partners_together(bundled):
    first, second = community_rows(bundled), community_rows(bundled)
    assert first == second
    assert all(r["size"] == len(r["members"]) >= 2 for r in first)
    members = [set(r["members"]) for r in first]
    assert sum(len(m) for m in members) == len(set().union(*members)), "each actor in one community"
    assert any({"Grodno Region", "Gansu"} <= m for m in members), "Grodno Region – Gansu: 7 shared cooperations"
    assert any({"Minsk Region", "Zhejiang"} <= m for m in members), "Minsk Region – Zhejiang: 5"
    assert [r["community"] for r in first] == list(range(1, len(first) + 1))


def test_graphml_holds_the_whole_projection(graph):
    projected = project(graph.store, Naming(load_ontology()))
    g = nx.read_graphml(io.BytesIO(graphml(graph.store)))
    assert g.number_of_nodes() == len(projected.nodes)
    assert g.number_of_edges() == len(projected.relationships)
    brest = g.nodes[ID + "place/brest"]
    assert brest["name"] == "Brest" and brest["label"] == "Brest" and brest["labels"] == "Actor;City;Place;Resource"
    twinning = g.nodes[BREST_XIAOGAN]
    assert twinning["topic"] == "food exports;sister cities"
    assert {d["type"] for _, _, d in g.out_edges(BREST_XIAOGAN, data=True)} == {"PARTICIPANT", "SOURCE"}


# ------------------------------------------------------------------ tiny graphs with known answers


def _node(iri: str, kind: str, *labels: str) -> Node:
    return Node(ID + iri, ("Resource", kind, *labels), {"iri": ID + iri, "kind": kind, "name": iri.title()})


def _tiny(nodes: list[Node], rels: list[tuple[str, str, str]]) -> CooperationNetwork:
    graph = PropertyGraph(nodes={n.iri: n for n in nodes})
    graph.relationships = {Relationship(t, ID + a, ID + b) for t, a, b in rels}
    return CooperationNetwork(graph)


PLACE, ORG, COOP = ("Actor", "Place"), ("Actor", "Organization"), ("Cooperation",)


@pytest.fixture
def places() -> CooperationNetwork:
    """by > r > a > d and a > o (organisation); cn > p > x; d–x twinned; o invests in p.
    LOCATED_IN is given with its transitive closure, as the reasoner stores it."""
    nodes = [
        _node("by", "Country", *PLACE),
        _node("cn", "Country", *PLACE),
        _node("r", "Region", *PLACE),
        _node("a", "City", *PLACE),
        _node("d", "District", *PLACE),
        _node("p", "Province", *PLACE),
        _node("x", "City", *PLACE),
        _node("o", "Company", *ORG),
        _node("t1", "Twinning", *COOP),
        _node("t2", "Investment", *COOP),
    ]
    located = {
        "r": ["by"],
        "a": ["r", "by"],
        "d": ["a", "r", "by"],
        "o": ["a", "r", "by"],
        "p": ["cn"],
        "x": ["p", "cn"],
    }
    rels = [("LOCATED_IN", s, e) for s, es in located.items() for e in es]
    rels += [("COUNTRY", s, es[-1]) for s, es in located.items()]
    rels += [("PARTICIPANT", "t1", "d"), ("PARTICIPANT", "t1", "x")]
    rels += [("PARTICIPANT", "t2", "o"), ("PARTICIPANT", "t2", "p"), ("INVESTOR", "t2", "o"), ("RECIPIENT", "t2", "p")]
    return _tiny(nodes, rels)


def _steps(rows: list[dict]) -> list[tuple]:
    return [(r["path"], r["from"], r["relation"], r["through"], r["to"]) for r in rows]


def test_located_in_steps_use_the_direct_parent_only(places):
    rows = shortest_paths(places, ID + "r", ID + "x", max_hops=6, limit=10)
    assert _steps(rows) == [
        (1, "R", "contains", "", "A"),
        (1, "A", "contains", "", "D"),
        (1, "D", "through", "T1", "X"),
    ]


def test_a_hop_through_cooperation_carries_the_roles(places):
    rows = shortest_paths(places, ID + "o", ID + "p", max_hops=6, limit=10)
    assert [(r["fromRole"], r["toRole"], r["kind"], r["throughIri"]) for r in rows] == [
        ("investor", "recipient", "Investment", ID + "t2")
    ]


def test_a_city_reaches_a_province_through_its_organisation(places):
    rows = shortest_paths(places, ID + "a", ID + "p", max_hops=6, limit=10)
    assert _steps(rows) == [(1, "A", "contains", "", "O"), (1, "O", "through", "T2", "P")]


def test_countries_are_not_shortcuts(places):
    assert shortest_paths(places, ID + "by", ID + "cn", max_hops=6, limit=10) == []
    assert shortest_paths(places, ID + "r", ID + "cn", max_hops=6, limit=10) == []


def test_max_hops_and_limit_cut(places):
    assert shortest_paths(places, ID + "r", ID + "x", max_hops=2, limit=10) == []
    assert shortest_paths(places, ID + "r", ID + "x", max_hops=3, limit=10) != []


@pytest.fixture
def two_triangles() -> CooperationNetwork:
    """a, b, c share three cooperations pairwise; so do d, e, f; c and d share one. Plus h with three partners."""
    actors = "abcdef"
    nodes = [_node(a, "Company", *ORG) for a in actors]
    rels, n = [], 0
    for trio in ("abc", "def"):
        for i, x in enumerate(trio):
            for y in trio[i + 1 :]:
                for _ in range(3):
                    n += 1
                    nodes.append(_node(f"k{n}", "Agreement", *COOP))
                    rels += [("PARTICIPANT", f"k{n}", x), ("PARTICIPANT", f"k{n}", y)]
    nodes.append(_node("bridge", "Event", *COOP))
    rels += [("PARTICIPANT", "bridge", "c"), ("PARTICIPANT", "bridge", "d")]
    return _tiny(nodes, rels)


def test_communities_of_two_triangles(two_triangles):
    rows = community_rows(two_triangles)
    assert sorted(sorted(r["members"]) for r in rows) == [["A", "B", "C"], ["D", "E", "F"]]
    assert all(r["links"][0].endswith("(3)") and r["cooperations"] == 9 for r in rows)


def test_the_bridges_are_the_most_between(two_triangles):
    rows = centrality(two_triangles, "betweenness")
    assert {rows[0]["actor"], rows[1]["actor"]} == {"C", "D"}
    degree = {r["actor"]: r["score"] for r in centrality(two_triangles, "degree")}
    assert degree == {"A": 6, "B": 6, "C": 7, "D": 7, "E": 6, "F": 6}, "cooperations shared, summed"


def test_star_hub_ranks_first_by_every_measure():
    nodes = [_node("hub", "City", *PLACE)] + [_node(f"l{i}", "City", *PLACE) for i in range(3)]
    rels = []
    for i, leaf in enumerate(["l0", "l0", "l1", "l2"]):
        nodes.append(_node(f"c{i}", "Twinning", *COOP))
        rels += [("PARTICIPANT", f"c{i}", "hub"), ("PARTICIPANT", f"c{i}", leaf)]
    star = _tiny(nodes, rels)
    for by in ("degree", "betweenness", "pagerank"):
        rows = centrality(star, by)
        assert rows[0]["actor"] == "Hub", by
    degree = centrality(star, "degree")
    assert [(r["actor"], r["score"], r["partners"], r["cooperations"]) for r in degree] == [
        ("Hub", 4, 3, 4),
        ("L0", 2, 1, 2),
        ("L1", 1, 1, 1),
        ("L2", 1, 1, 1),
    ]


def test_pagerank_matches_networkx_reference():
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    g = nx.les_miserables_graph()
    g.add_node("alone")
    ours, reference = pagerank(g), _pagerank_python(g, weight="weight", tol=1e-12, max_iter=1000)
    assert max(abs(ours[v] - reference[v]) for v in g) < 1e-9


# ------------------------------------------------------------------ the CLI


def test_cli_path_json_is_rows_keyed_by_column(small):
    r = run_cli("path", "brest", "XIAOGAN", "--json", *small)
    assert r.code == 0, r.stderr
    rows = r.json()
    assert list(rows[0]) == [
        "path",
        "hop",
        "from",
        "relation",
        "through",
        "kind",
        "status",
        "date",
        "sources",
        "to",
        "fromRole",
        "toRole",
        "throughIri",
    ]
    assert [(x["from"], x["through"], x["to"], x["date"], x["sources"]) for x in rows] == [
        ("Brest", "Brest – Xiaogan twinning", "Xiaogan", "2016-05", ["doc.txt#L3-L4"])
    ]


def test_cli_no_path_is_an_empty_answer(small):
    r = run_cli("path", "Vitebsk", "Xiaogan", "--json", *small)
    assert (r.code, r.stdout.strip()) == (0, "[]"), r.stderr


def test_cli_unknown_and_ambiguous_names_exit_2(small):
    r = run_cli("path", "Vitbsk", "Xiaogan", *small)
    assert r.code == 2 and r.stderr.strip() == "error: Vitbsk: no actor of that name; closest: Vitebsk"
    r = run_cli("path", "Brest", "twin", *small)
    assert r.code == 2 and "ambiguous" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_cli_central_and_communities(build_dir):
    r = run_cli("central", "--kind", "place", "--top", "3", "--json", build_dir=build_dir)
    assert r.code == 0, r.stderr
    assert [x["rank"] for x in r.json()] == [1, 2, 3]
    r = run_cli("central", "--by", "closeness", build_dir=build_dir)
    assert r.code == 2 and "degree, betweenness, pagerank" in r.stderr
    r = run_cli("communities", "--json", build_dir=build_dir)
    assert r.code == 0 and list(r.json()[0]) == ["community", "size", "members", "links", "cooperations"]


def test_cli_export_graphml(build_dir, tmp_path):
    out = tmp_path / "coopgraph.graphml"
    r = run_cli("export", "--format", "graphml", "-o", str(out), build_dir=build_dir)
    assert r.code == 0, r.stderr
    g = nx.read_graphml(out)
    assert g.nodes[BREST_XIAOGAN]["status"] == "signed"


def _paths(rows: list[dict]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for r in rows:
        out.setdefault(r["path"], []).append(r)
    return out
