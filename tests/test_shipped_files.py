"""Files users rely on beside the code: docker-compose.yml and the question guide."""

from __future__ import annotations

import yaml

from coopgraph.queries.catalogue import QUERIES_README, parse_header, questions
from tests.conftest import ROOT


def test_compose_starts_neo4j_5_on_loopback_with_no_default_password():
    service = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["neo4j"]
    assert service["image"].startswith("neo4j:5")
    assert sorted(service["ports"]) == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]
    auth = service["environment"]["NEO4J_AUTH"]
    assert auth.startswith("neo4j/${NEO4J_PASSWORD:?")  # compose refuses to start without it
    volume = service["volumes"][0].split(":")[0]
    assert volume in yaml.safe_load((ROOT / "docker-compose.yml").read_text())["volumes"]
    assert "cypher-shell" in " ".join(service["healthcheck"]["test"])


def test_every_question_ships_in_both_languages_with_the_same_header():
    for q in questions().values():
        assert q.cypher, q.name
        assert parse_header(q.cypher, q.name) == parse_header(q.sparql, q.name)
        sent = [p for p in q.params if p.name != "limit" and not p.filter]
        assert all(f":param {p.name} =>" in q.cypher for p in sent), q.name
        guide = QUERIES_README.read_text()
        assert f"`{q.name}`" in guide and q.title in guide
