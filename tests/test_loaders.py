"""The fast YAML reader reads exactly what PyYAML reads, or leaves the file to PyYAML;
the records become the same graph and the same errors either way."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.errors import InputError
from coopgraph.graph.build import BUNDLED_DATA
from coopgraph.loaders import load_folder
from coopgraph.loaders.records import literal
from coopgraph.loaders.simple_yaml import read_simple
from coopgraph.loaders.yaml_facts import read_with_pyyaml
from coopgraph.namespaces import PREF_LABEL
from coopgraph.ontology import load_ontology
from tests.conftest import PLACES, SOURCES, TWINNING, write_data


def typed(value):
    """A value with the types of everything in it (`1 == True` and `2016 == 2016.0` otherwise)."""
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def shape(records) -> list:
    return [(r.line, [(k, typed(v), r.line_of(k)) for k, v in r.fields.items()]) for r in records]


def pyyaml_shape(text: str):
    try:
        return shape(read_with_pyyaml(text, "f.yaml"))
    except InputError:
        return None


ACCEPTED = {
    "plain": "- id: a\n  type: City\n  name: Some   name, with [brackets] and a#hash\n",
    "scalars": "- id: a\n  n: 12\n  f: 1.5\n  d: 2016-05-12\n  m: 2016-05\n  b: yes\n  z: null\n  h: 0x1F\n",
    "quoted": '- id: a\n  name: "She said \\"hi\\"\\n\\tthen: # left"\n  ru: \'it\'\'s\'\n  zh: "北京"\n',
    "flow": "- id: a\n  alt: [one, \"two, three\", 'fo''ur', 5, People's]\n  topic: []\n  source: [d#L1, d#L2-L3]\n",
    "comments and blanks": "# head\n\n- id: a\n  # inside\n\n  type: City\n   # deeper\n- id: b\n  name: x   \n",
    "no final newline": "- id: a\n  type: City",
    "only comments": "# nothing here\n\n",
}

DECLINED = {
    "flow mapping": "- {id: a, type: City}\n",
    "block scalar": "- id: a\n  note: |\n    text\n",
    "continued plain": "- id: a\n  note: first\n    second\n",
    "anchor": "- id: &x a\n  type: *x\n",
    "comment after value": "- id: a  # why\n",
    "colon in value": "- id: a\n  name: a: b\n",
    "duplicate key": "- id: a\n  id: b\n",
    "tab": "- id: a\n  name:\tx\n",
    "other escape": '- id: a\n  name: "\\u00e9"\n',
    "nested list": "- id: a\n  alt: [[x]]\n",
    "empty value": "- id: a\n  type:\n",
    "indented list": "  - id: a\n",
    "mapping at top": "id: a\n",
    "document marker": "---\n- id: a\n",
    "field before record": "  id: a\n- id: b\n",
    "merge key": "- id: a\n  x: <<\n",
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_simple_files_read_as_pyyaml_reads_them(case):
    text = ACCEPTED[case]
    fast = read_simple(text, "f.yaml")
    assert fast is not None
    assert shape(fast) == pyyaml_shape(text)


@pytest.mark.parametrize("case", sorted(DECLINED))
def test_other_yaml_is_left_to_pyyaml(case):
    assert read_simple(DECLINED[case], "f.yaml") is None


def test_scalars_mean_what_they_mean_to_pyyaml():
    (rec,) = read_simple(ACCEPTED["scalars"], "f.yaml")
    expected = {"id": "a", "n": 12, "f": 1.5, "d": dt.date(2016, 5, 12), "m": "2016-05", "b": True, "z": None, "h": 31}
    assert typed(list(rec.fields.values())) == typed(list(expected.values()))


def test_bundled_data_reads_the_same_both_ways():
    files = sorted(BUNDLED_DATA.rglob("*.yaml"))
    simple = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = read_simple(text, "f.yaml")
        if fast is not None:
            simple += 1
            assert shape(fast) == pyyaml_shape(text), path
    assert simple >= len(files) - 2  # nearly all the data is written one field a line


TOKENS = [
    "a", "b c", "12", "-1", "2016-05-12", "yes", "null", "~", "x:y", "a: b", "a #b", "a#b", '"q"', '"q\\"r"',
    "'s'", "'it''s'", "[a, b]", '["a, b", c]', "[a,]", "[]", "{a: 1}", "&x a", "*x", "!t a", "|", "-", "- a",
    "é", "<<", "=", "%a", "@a", "`a", "a ", "",
]  # fmt: skip


def test_random_lines_are_read_as_pyyaml_reads_them_or_declined():
    rng = random.Random(7)
    for _ in range(3000):
        lines = []
        for _ in range(rng.randint(1, 6)):
            lead = rng.choice(["- ", "  ", "  ", "   ", "", "# ", "\n"])
            key = rng.choice(["id", "name", "x_1", "yes", "a b", "id"])
            lines.append(f"{lead}{key}:{rng.choice([' ', ' ', ''])}{rng.choice(TOKENS)}")
        text = "\n".join(lines)
        fast = read_simple(text, "f.yaml")
        if fast is not None:
            assert shape(fast) == pyyaml_shape(text), text


@pytest.mark.parametrize("text", ["plain", 'a "quoted" \\ back\nslash\r', "tab\there", "\x00\x7f", "é北京 ✓"])
def test_literals_are_written_as_pyoxigraph_reads_them(text):
    for suffix, term in [("", ox.Literal(text)), ("@en", ox.Literal(text, language="en"))]:
        (triple,) = ox.parse(input=f"<urn:s> <urn:p> {literal(text, suffix)} .", format=ox.RdfFormat.N_TRIPLES)
        assert triple.object == term


FLOW_RECORD = "- {id: flow, type: City, locatedIn: belarus, source: doc.txt#L1}\n"  # only PyYAML reads this


def errors(folder: Path) -> str:
    try:
        load_folder(folder, load_ontology(), ox.Store())
    except InputError as e:
        return str(e)
    raise AssertionError("no error")


@pytest.mark.parametrize(
    ("broken", "where"),
    [
        (TWINNING.replace("2016-05", "2016-13"), "twinning.yaml:7: field 'date'"),
        (TWINNING.replace("  status", "  # a comment\n\n  status").replace("signed", "done"), "twinning.yaml:8"),
        (TWINNING.replace("xiaogan]", "xiaogon]"), "twinning.yaml:4: field 'participant'"),
        (TWINNING.replace("linkKind", "linkKnd"), "twinning.yaml:5: field 'linkKnd'"),
        (TWINNING.replace("  linkKind: twinning", "  linkKind: twinning\n  linkKind: twinning"), "twinning.yaml:6"),
    ],
)
def test_errors_name_the_same_place_whichever_reader_read_the_file(tmp_path, broken, where):
    """The same file read by PyYAML (made so by a flow mapping, which only it reads) fails the same way."""
    assert read_simple(TWINNING, "twinning.yaml") is not None
    fast = errors(write_data(tmp_path / "fast", **{"twinning.yaml": broken}))
    slow = errors(write_data(tmp_path / "slow", **{"twinning.yaml": broken + FLOW_RECORD}))
    assert where in fast and fast == slow.replace("slow", "fast")


def test_the_graph_is_the_same_whichever_reader_read_the_files(tmp_path):
    extra = '- id: minsk\n  type: City\n  name: "Minsk \\"hero city\\""\n  alt: [Miensk, "Minsk, capital"]\n'
    extra += "  locatedIn: belarus\n  source: doc.txt#L2\n"
    graphs = []
    for name, tail in [("fast", ""), ("slow", FLOW_RECORD)]:
        folder = write_data(tmp_path / name, **{"places.yaml": PLACES + extra + tail, "sources.yaml": SOURCES})
        store = ox.Store()
        load_folder(folder, load_ontology(), store)
        graphs.append({str(q) for q in store if "/flow>" not in str(q.subject)})
    assert graphs[0] == graphs[1]
    minsk = ox.NamedNode("https://w3id.org/coopgraph/id/place/minsk")
    label = ox.Quad(minsk, ox.NamedNode(PREF_LABEL), ox.Literal('Minsk "hero city"', language="en"))
    assert str(label) in graphs[0]
