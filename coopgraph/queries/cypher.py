"""The Neo4j backend: the `.cypher` side of the questions, through a runner."""

from __future__ import annotations

from coopgraph.errors import UsageError
from coopgraph.graph.runners import Runner
from coopgraph.graph.search import search_key
from coopgraph.queries.answers import Value
from coopgraph.queries.catalogue import Question, internal_query
from coopgraph.queries.names import Label


class CypherBackend:
    """Runs canned questions on a database that `coopgraph sync` filled."""

    def __init__(self, runner: Runner):
        self.runner = runner

    def labels(self) -> list[Label]:
        out = []
        for row in self.runner.run(internal_query("labels", "cypher")):
            props = row["props"]
            for key, value in props.items():
                if key == "name" or key.startswith("name_") or key == "altNames":
                    for text in value if isinstance(value, list) else [value]:
                        out.append(Label(row["iri"], text, row["kind"], key == "name"))
        return out

    def candidates(self, name: str) -> list[Label]:
        key = search_key(name)
        labels = self.labels()
        hits = {lab.iri for lab in labels if search_key(lab.label) == key}
        return [lab for lab in labels if lab.iri in hits]

    def rows(self, question: Question, params: dict[str, Value]) -> list[dict]:
        if question.cypher is None:
            raise UsageError(question.name, "this question has no Cypher version")
        return self.runner.run(question.cypher, {k: v.value for k, v in params.items()})
