"""NetworkX views of the property-graph projection: paths between actors,
centrality, communities, and GraphML for Gephi and Cytoscape.

Two graphs are built from the projection that feeds Neo4j:

- the *path graph*, bipartite: actors (nodes labelled Actor) and cooperation
  resources (labelled Cooperation), joined by PARTICIPANT edges (HOST,
  INVESTOR, RECIPIENT are participants too), plus LOCATED_IN between an actor
  and the place it lies directly in (a district in its city, a city in its
  region, an organisation in its city). Countries are left out of LOCATED_IN,
  or every place would be two steps from every other one; they stay actors
  where they take part in cooperation. Participation edges weigh 1/2 and
  LOCATED_IN edges 1, so actor -> cooperation -> actor is one hop, like a
  LOCATED_IN step.
- the *actor graph*: two actors linked when they take part in the same
  cooperation, weighted by how many.
"""

from __future__ import annotations

import io
import itertools
from collections import defaultdict

import networkx as nx
import pyoxigraph as ox

from coopgraph.errors import UsageError
from coopgraph.graph.projection import Naming, PropertyGraph, project
from coopgraph.ontology import Ontology, load_ontology
from coopgraph.queries.answers import Backend, Table
from coopgraph.queries.names import Label, resolve

ROLES = ("HOST", "INVESTOR", "RECIPIENT")  # more specific than PARTICIPANT
KINDS = {"place": "Place", "organization": "Organization", "actor": "Actor"}
# The kind of a cooperation, as people say it: (class, plural word), first match wins.
COOPERATION_KINDS = (
    ("Twinning", "twinning"),
    ("JointCenter", "centres"),
    ("Investment", "investments"),
    ("Agreement", "agreements"),
    ("JointProject", "projects"),
    ("Event", "events"),
)
CENTRALITY = ("degree", "betweenness", "pagerank")
SEED = 20240601  # community detection is randomised; a fixed seed keeps the answer stable
MAX_PATHS_SEEN = 5000  # shortest paths enumerated before sorting and cutting
PATH_COLUMNS = ["path", "hop", "from", "relation", "through", "kind", "status", "date", "sources", "to"]
PATH_COLUMNS += ["fromRole", "toRole", "throughIri"]


class CooperationNetwork:
    """The projection, indexed for the questions asked of it here."""

    def __init__(self, graph: PropertyGraph):
        self.nodes = graph.nodes
        by_type: dict[str, list] = defaultdict(list)
        for rel in sorted(graph.relationships, key=lambda r: (r.type, r.start, r.end)):
            by_type[rel.type].append(rel)
        self.roles: dict[str, dict[str, str]] = defaultdict(dict)  # cooperation -> actor -> role
        for rel in by_type["PARTICIPANT"]:
            if self.has(rel.start, "Cooperation") and self.has(rel.end, "Actor"):
                self.roles[rel.start][rel.end] = "participant"
        for rel_type in ROLES:
            for rel in by_type[rel_type]:
                if rel.end in self.roles.get(rel.start, {}):
                    self.roles[rel.start][rel.end] = rel_type.lower()
        self.country = {r.start: r.end for r in by_type["COUNTRY"]}
        located: dict[str, set[str]] = defaultdict(set)
        for rel in by_type["LOCATED_IN"]:
            located[rel.start].add(rel.end)
        self.located = located
        self.parents = {a: _direct(a, located) for a in located}
        self.sources: dict[str, list[str]] = defaultdict(list)  # iri -> citations, "file#Lstart-Lend"
        for rel in by_type["SOURCE"]:
            self.sources[rel.start].append(self.nodes[rel.end].props.get("label", rel.end))
        for cited in self.sources.values():
            cited.sort(key=_citation_order)

    def has(self, iri: str, label: str) -> bool:
        node = self.nodes.get(iri)
        return node is not None and label in node.labels

    def name(self, iri: str) -> str:
        props = self.nodes[iri].props
        return props.get("name") or props.get("label") or iri

    def kind(self, iri: str) -> str:
        return self.nodes[iri].props.get("kind", "")

    def prop(self, iri: str, key: str) -> str:
        value = self.nodes[iri].props.get(key)
        return "" if value is None else str(value)

    def cooperation_kind(self, iri: str) -> str:
        """twinning, centres, investments, agreements, projects or events."""
        labels = self.nodes[iri].labels
        return next((word for cls, word in COOPERATION_KINDS if cls in labels), "other")

    def actors(self) -> list[str]:
        return sorted(iri for iri in self.nodes if self.has(iri, "Actor"))

    def cooperations(self) -> list[str]:
        return sorted(self.roles)

    def place_parent(self, iri: str) -> str | None:
        """The place an actor lies directly in, countries aside."""
        places = [p for p in self.parents.get(iri, []) if self.has(p, "Place") and not self.has(p, "Country")]
        return places[0] if places else None

    def path_graph(self) -> nx.Graph:
        """Actors and cooperations; weights make every hop count 1."""
        g = nx.Graph()
        for actor in self.actors():
            g.add_node(actor, side="actor")
        for coop in self.cooperations():
            g.add_node(coop, side="cooperation")
            for actor in sorted(self.roles[coop]):
                g.add_edge(actor, coop, weight=0.5)
        for actor in self.actors():
            parent = self.place_parent(actor)
            if parent is not None:
                g.add_edge(actor, parent, weight=1.0, located=(actor, parent))
        return g

    def actor_graph(self) -> nx.Graph:
        """Actors linked when they take part in the same cooperation, weighted by how many."""
        g = nx.Graph()
        for coop in self.cooperations():
            for a, b in itertools.combinations(sorted(self.roles[coop]), 2):
                if g.has_edge(a, b):
                    g[a][b]["weight"] += 1
                    g[a][b]["cooperations"].append(coop)
                else:
                    g.add_edge(a, b, weight=1, cooperations=[coop])
        for _, _, data in g.edges(data=True):
            data["distance"] = 1 / data["weight"]
        return g


def _direct(iri: str, located: dict[str, set[str]]) -> list[str]:
    """The places `iri` lies in directly: LOCATED_IN is stored with its transitive closure."""
    around = located[iri]
    return sorted(p for p in around if not any(p in located.get(q, ()) for q in around if q != p))


def _citation_order(label: str) -> tuple:
    file, _, lines = label.partition("#L")
    first = lines.split("-")[0]
    return (file, int(first) if first.isdigit() else 0, label)


def network(store: ox.Store, ontology: Ontology | None = None) -> CooperationNetwork:
    """The cooperation network of a stored graph."""
    return CooperationNetwork(project(store, Naming(ontology or load_ontology())))


def resolve_name(name: str, kind: str, backend: Backend, ontology: Ontology) -> Label:
    """The one entity of `kind` (actor, place, organization) a typed name denotes,
    exactly as the canned questions resolve names (same errors)."""
    cls = KINDS[kind]

    def fits(labels: list[Label]) -> list[Label]:
        return [lab for lab in labels if ontology.is_a(lab.kind, cls)]

    return resolve(name, fits(backend.candidates(name)), kind, lambda: fits(backend.labels()))


def paths_between(store: ox.Store, start: str, end: str, max_hops: int = 6, limit: int = 20) -> Table:
    """The shortest cooperation paths between two actors, one row per hop."""
    from coopgraph.queries.embedded import Embedded

    if max_hops < 1 or limit < 1:
        raise UsageError("path", "--max-hops and --limit must be at least 1")
    ontology = load_ontology()
    backend = Embedded(store)
    a = resolve_name(start, "actor", backend, ontology)
    b = resolve_name(end, "actor", backend, ontology)
    if a.iri == b.iri:
        raise UsageError("path", f"'{start}' and '{end}' are the same actor ({a.label})")
    net = network(store, ontology)
    title = f"Paths from {net.name(a.iri)} to {net.name(b.iri)}"
    return Table(PATH_COLUMNS, shortest_paths(net, a.iri, b.iri, max_hops, limit), title)


def shortest_paths(net: CooperationNetwork, a: str, b: str, max_hops: int, limit: int) -> list[dict]:
    """Rows of the shortest paths from `a` to `b`, if they take at most `max_hops` hops."""
    g = net.path_graph()
    try:
        hops = nx.shortest_path_length(g, a, b, weight="weight")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    if hops > max_hops:
        return []
    found = itertools.islice(nx.all_shortest_paths(g, a, b, weight="weight"), MAX_PATHS_SEEN)
    described = sorted((_hops(net, g, p) for p in found), key=_path_order)
    rows = []
    for number, hs in enumerate(described[:limit], start=1):
        rows += [{"path": number, "hop": i, **h} for i, h in enumerate(hs, start=1)]
    return [{c: r[c] for c in PATH_COLUMNS} for r in rows]


def _path_order(hops: list[dict]) -> tuple:
    """Paths with fewest located-in steps first, cooperation steps before located-in ones, then by name."""
    steps = [(not h["throughIri"], h["through"].casefold(), h["to"].casefold()) for h in hops]
    return (sum(located for located, _, _ in steps), steps)


def _hops(net: CooperationNetwork, g: nx.Graph, nodes: list[str]) -> list[dict]:
    """A node path (actors and cooperations) as hops between actors."""
    out, i = [], 0
    while i < len(nodes) - 1:
        here, step = nodes[i], nodes[i + 1]
        if g.nodes[step]["side"] == "cooperation":
            there = nodes[i + 2]
            roles = net.roles[step]
            out.append(_hop(net, here, there, "through", step, net.sources.get(step, []), roles[here], roles[there]))
            i += 2
        else:
            child = g[here][step]["located"][0]
            relation = "located in" if child == here else "contains"
            out.append(_hop(net, here, step, relation, None, net.sources.get(child, []), "", ""))
            i += 1
    return out


def _hop(net, here, there, relation, coop, sources, from_role, to_role) -> dict:
    return {
        "from": net.name(here),
        "relation": relation,
        "through": net.name(coop) if coop else "",
        "kind": net.kind(coop) if coop else "",
        "status": net.prop(coop, "status") if coop else "",
        "date": net.prop(coop, "date") if coop else "",
        "sources": list(sources),
        "to": net.name(there),
        "fromRole": from_role,
        "toRole": to_role,
        "throughIri": coop or "",
    }


CENTRAL_COLUMNS = ["rank", "actor", "kind", "country", "score", "partners", "cooperations", "iri"]


def central_actors(store: ox.Store, by: str = "degree", kind: str | None = None, top: int = 20) -> Table:
    """The most connected actors on the actor graph.

    degree: the weighted degree (cooperation shared with partners, summed);
    betweenness: how often an actor lies on shortest paths (stronger ties are shorter);
    pagerank: weighted PageRank."""
    if by not in CENTRALITY:
        raise UsageError("central", f"--by must be one of: {', '.join(CENTRALITY)}")
    if kind is not None and kind not in ("place", "organization"):
        raise UsageError("central", "--kind must be place or organization")
    if top < 1:
        raise UsageError("central", "--top must be at least 1")
    net = network(store)
    rows = centrality(net, by)
    if kind is not None:
        rows = [r for r in rows if net.has(r["iri"], KINDS[kind])]
    rows = rows[:top]
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return Table(CENTRAL_COLUMNS, [{c: r[c] for c in CENTRAL_COLUMNS} for r in rows], f"Most connected actors by {by}")


def centrality(net: CooperationNetwork, by: str) -> list[dict]:
    """Every actor that shares a cooperation with another, best first (ties by name)."""
    g = net.actor_graph()
    if by == "degree":
        scores = dict(g.degree(weight="weight"))
    elif by == "betweenness":
        scores = nx.betweenness_centrality(g, weight="distance")
    else:
        scores = pagerank(g)
    taking_part = defaultdict(int)
    for coop in net.cooperations():
        for actor in net.roles[coop]:
            taking_part[actor] += 1
    rows = [
        {
            "rank": 0,
            "actor": net.name(a),
            "kind": net.kind(a),
            "country": net.name(net.country[a]) if a in net.country else "",
            "score": round(float(scores[a]), 4) if by != "degree" else int(scores[a]),
            "partners": g.degree(a),
            "cooperations": taking_part[a],
            "iri": a,
        }
        for a in g.nodes
    ]
    rows.sort(key=lambda r: (-r["score"], r["actor"].casefold(), r["iri"]))
    return rows


def pagerank(g: nx.Graph, damping: float = 0.85, tolerance: float = 1e-12) -> dict[str, float]:
    """Weighted PageRank by power iteration (networkx's own needs SciPy, which we do not ship)."""
    n = g.number_of_nodes()
    if n == 0:
        return {}
    strength = dict(g.degree(weight="weight"))
    rank = dict.fromkeys(g, 1.0 / n)
    for _ in range(1000):
        dangling = damping * sum(rank[v] for v in g if strength[v] == 0) / n
        new = {
            v: (1 - damping) / n
            + dangling
            + damping * sum(rank[u] * e["weight"] / strength[u] for u, e in g[v].items())
            for v in g
        }
        done = sum(abs(new[v] - rank[v]) for v in g) < n * tolerance
        rank = new
        if done:
            break
    return rank


COMMUNITY_COLUMNS = ["community", "size", "members", "links", "cooperations"]
LINKS_SHOWN = 8


def communities(store: ox.Store) -> Table:
    """Clusters of actors that cooperate (Louvain, fixed seed), largest first."""
    net = network(store)
    return Table(COMMUNITY_COLUMNS, community_rows(net), "Communities of cooperating actors")


def community_rows(net: CooperationNetwork) -> list[dict]:
    """Each community with its members (most connected first) and its strongest links."""
    g = net.actor_graph()
    g = g.subgraph(sorted(g.nodes)).copy()  # a fixed node order, so the seed gives a fixed answer
    found = nx.community.louvain_communities(g, weight="weight", seed=SEED)
    strength = dict(g.degree(weight="weight"))
    groups = [sorted(c, key=lambda a: (-strength[a], net.name(a).casefold(), a)) for c in found if len(c) > 1]
    groups.sort(key=lambda c: (-len(c), net.name(c[0]).casefold()))
    rows = []
    for number, members in enumerate(groups, start=1):
        inside = g.subgraph(members)
        links = sorted(
            inside.edges(data="weight"),
            key=lambda e: (-e[2], *sorted((net.name(e[0]).casefold(), net.name(e[1]).casefold()))),
        )
        shown = [f"{net.name(a)} – {net.name(b)} ({w})" for a, b, w in links[:LINKS_SHOWN]]
        coops = {c for _, _, cs in inside.edges(data="cooperations") for c in cs}
        rows.append(
            {
                "community": number,
                "size": len(members),
                "members": [net.name(m) for m in members],
                "links": shown,
                "cooperations": len(coops),
            }
        )
    return rows


def graphml(store: ox.Store) -> bytes:
    """The whole property graph as GraphML: labels and list properties `;`-joined,
    `label` the display name (for Gephi), relationship types as edge `type`."""
    graph = project(store, Naming(load_ontology()))
    g = nx.MultiDiGraph()
    for iri in sorted(graph.nodes):
        node = graph.nodes[iri]
        attrs = {k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in sorted(node.props.items())}
        attrs["labels"] = ";".join(node.labels)
        attrs.setdefault("label", attrs.get("name") or iri)
        g.add_node(iri, **attrs)
    for rel in sorted(graph.relationships, key=lambda r: (r.start, r.type, r.end)):
        g.add_edge(rel.start, rel.end, key=rel.type, type=rel.type)
    buffer = io.BytesIO()
    nx.write_graphml(g, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()
