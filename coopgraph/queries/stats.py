"""Counts that tell a user what the graph holds and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from coopgraph.queries.catalogue import internal_query
from coopgraph.queries.embedded import Embedded


@dataclass
class Stats:
    triples: int
    classes: dict[str, int]
    relations: dict[str, int]
    sources: list[dict]

    def as_rows(self) -> list[dict]:
        """One row per count, for tables and --json."""
        rows = [{"what": "triples", "name": "all", "count": self.triples}]
        rows += [{"what": "class", "name": k, "count": v} for k, v in sorted(self.classes.items())]
        rows += [{"what": "relation", "name": k, "count": v} for k, v in sorted(self.relations.items())]
        rows += [{"what": "source", "name": s["file"], "count": s["facts"]} for s in self.sources]
        return rows


def stats(backend: Embedded, triples: int, classes: dict[str, int]) -> Stats:
    relations = {r["relation"]: int(r["n"]) for r in backend.select(internal_query("relation-counts", "rq"))}
    sources = sorted(
        (
            {"file": r["file"], "document": r["document"], "citations": int(r["citations"]), "facts": int(r["facts"])}
            for r in backend.select(internal_query("sources-covered", "rq"))
        ),
        key=lambda s: s["file"],
    )
    return Stats(triples=triples, classes=classes, relations=relations, sources=sources)
