"""Reasoning on a small hand-made graph whose answers are known."""

from __future__ import annotations

import pyoxigraph as ox

from coopgraph.graph.build import prepare
from coopgraph.namespaces import ID, coop
from coopgraph.ontology import load_ontology
from tests.conftest import write_data

EXTRA = """\
- id: brest-region
  type: Region
  name: Brest Region
  locatedIn: belarus
  source: doc.txt#L5
- id: pinsk
  type: City
  name: Pinsk
  locatedIn: brest-region
  source: doc.txt#L5
- id: pinsk-district
  type: District
  name: Pinsk District
  locatedIn: pinsk
  source: doc.txt#L5
- id: hubei
  type: Province
  name: Hubei
  locatedIn: china
  source: doc.txt#L6
- id: xiangyang
  type: City
  name: Xiangyang
  locatedIn: hubei
  source: doc.txt#L6
- id: pinsk-xiangyang
  type: Twinning
  name: Pinsk – Xiangyang (planned)
  participant: [pinsk, xiangyang]
  linkKind: cooperation
  status: planned
  source: doc.txt#L6
- id: pinsk-university
  type: University
  name: Polesie State University
  locatedIn: pinsk
  source: doc.txt#L7
- id: lab
  type: JointLaboratory
  name: A joint lab
  host: pinsk-university
  participant: [xiangyang]
  source: doc.txt#L7
"""


def place(slug: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}place/{slug}")


def reasoned(tmp_path) -> ox.Store:
    store = ox.Store()
    prepare(write_data(tmp_path / "data", **{"extra.yaml": EXTRA}), store, load_ontology())
    return store


def has(store, s, p, o) -> bool:
    return bool(list(store.quads_for_pattern(s, ox.NamedNode(coop(p)), o, ox.DefaultGraph())))


def test_twinned_with_is_symmetric_and_only_for_signed_links(tmp_path):
    store = reasoned(tmp_path)
    assert has(store, place("brest"), "twinnedWith", place("xiaogan"))
    assert has(store, place("xiaogan"), "twinnedWith", place("brest"))
    assert not has(store, place("pinsk"), "twinnedWith", place("xiangyang"))


def test_located_in_is_transitive_and_gives_the_country(tmp_path):
    store = reasoned(tmp_path)
    assert has(store, place("pinsk-district"), "locatedIn", place("belarus"))
    assert has(store, place("pinsk-district"), "locatedIn", place("brest-region"))
    assert has(store, place("pinsk-district"), "country", place("belarus"))
    assert has(store, place("xiangyang"), "country", place("china"))
    assert not has(store, place("belarus"), "country", None)
    org = ox.NamedNode(f"{ID}organization/pinsk-university")
    assert has(store, org, "country", place("belarus"))


def test_host_is_a_participant_and_participants_are_partners(tmp_path):
    store = reasoned(tmp_path)
    lab = ox.NamedNode(f"{ID}joint-center/lab")
    org = ox.NamedNode(f"{ID}organization/pinsk-university")
    assert has(store, lab, "participant", org)
    assert has(store, org, "partnerOf", place("xiangyang"))
    assert has(store, place("xiangyang"), "partnerOf", org)
    assert not has(store, org, "partnerOf", org)


def test_reasoning_twice_adds_nothing(tmp_path):
    from coopgraph.graph.reasoning import reason

    store = reasoned(tmp_path)
    before = len(store)
    reason(store, load_ontology())
    assert len(store) == before
