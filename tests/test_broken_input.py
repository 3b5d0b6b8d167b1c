"""Broken sources give one clear line naming file, line and field, exit 2, and keep the last good build."""

from __future__ import annotations

import json

import pytest

from tests.conftest import TWINNING, run_cli, write_data


@pytest.fixture
def good_build(tmp_path):
    """A successful build whose manifest later failures must leave untouched."""
    data = write_data(tmp_path / "data")
    out = tmp_path / "build"
    r = run_cli("build", "--data", str(data), "--out", str(out))
    assert r.code == 0, r.stderr
    return data, out, (out / "manifest.json").read_text()


BROKEN = {
    "yaml syntax": ("twinning.yaml", TWINNING.replace("status: signed", "status: [signed"), "twinning.yaml:", "YAML"),
    "unknown entity": ("twinning.yaml", TWINNING.replace("xiaogan]", "xiaogon]"), "twinning.yaml:4", "xiaogan"),
    "missing source": ("twinning.yaml", TWINNING.replace("  source: doc.txt#L3-L4\n", ""), "twinning.yaml:1", "source"),
    "unknown document": ("twinning.yaml", TWINNING.replace("doc.txt#L3", "dok.txt#L3"), "twinning.yaml:8", "doc.txt"),
    "citation past end": ("twinning.yaml", TWINNING.replace("#L3-L4", "#L39-L41"), "twinning.yaml:8", "40 lines"),
    "bad date": ("twinning.yaml", TWINNING.replace("2016-05", "2016-13"), "twinning.yaml:7", "date"),
    "duplicate id": ("more.yaml", TWINNING, "twinning.yaml:1", "duplicate id 'brest-xiaogan'"),
    "unknown field": ("twinning.yaml", TWINNING.replace("linkKind", "linkKnd"), "twinning.yaml:5", "linkKind"),
    "unknown class": (
        "twinning.yaml",
        TWINNING.replace("type: Twinning", "type: Twining"),
        "twinning.yaml:2",
        "Twinning",
    ),
    "bad status": ("twinning.yaml", TWINNING.replace("status: signed", "status: done"), "twinning.yaml:6", "signed"),
    "malformed turtle": ("extra.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b \n", "extra.ttl:", "Turtle"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_input_is_one_line_with_file_and_line(case, good_build):
    data, out, manifest_before = good_build
    name, text, where, hint = BROKEN[case]
    (data / name).write_text(text, encoding="utf-8")
    r = run_cli("build", "--data", str(data), "--out", str(out))
    assert r.code == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: ") and where in lines[0] and hint in lines[0], lines[0]
    assert "Traceback" not in r.stderr
    # the previous good build is still there and still answers
    assert (out / "manifest.json").read_text() == manifest_before
    assert len(list(out.glob("graph-*"))) == 1


def test_unknown_entity_names_the_closest_known_ones(tmp_path):
    data = write_data(tmp_path / "data", **{"twinning.yaml": TWINNING.replace("xiaogan]", "xiagan]")})
    r = run_cli("build", "--data", str(data), "--out", str(tmp_path / "b"))
    assert "did you mean xiaogan" in r.stderr


def test_failed_build_leaves_previous_answers(good_build):
    data, out, _ = good_build
    (data / "twinning.yaml").write_text(TWINNING.replace("2016-05", "May 2016"), encoding="utf-8")
    broken = run_cli("build", "--data", str(data), "--out", str(out))
    assert broken.code == 2
    # reading commands rebuild on change, fail the same way, and leave the store in place
    r = run_cli("partners", "Brest", "--json", "--data", str(data), "--build", str(out))
    assert r.code == 2 and "date" in r.stderr
    (data / "twinning.yaml").write_text(TWINNING, encoding="utf-8")
    r = run_cli("partners", "Brest", "--json", "--data", str(data), "--build", str(out))
    assert r.code == 0 and [row["partner"] for row in json.loads(r.stdout)] == ["Xiaogan"]


def test_fact_without_source_in_turtle_is_a_shacl_violation(tmp_path):
    """Turtle bypasses the YAML checks; the SHACL gate still rejects an unsourced fact (exit 1)."""
    extra = (
        "@prefix coop: <https://w3id.org/coopgraph/ontology#> .\n"
        "<https://w3id.org/coopgraph/id/twinning/x> a coop:Twinning ;\n"
        "  coop:participant <https://w3id.org/coopgraph/id/place/brest>,\n"
        "    <https://w3id.org/coopgraph/id/place/xiaogan> ;\n"
        '  coop:linkKind "friendship" ; coop:status "signed" .\n'
    )
    data = write_data(tmp_path / "data", **{"extra.ttl": extra})
    r = run_cli("build", "--data", str(data), "--out", str(tmp_path / "b"))
    assert r.code == 1
    assert "https://w3id.org/coopgraph/id/twinning/x" in r.stderr and "cites no source" in r.stderr
    assert not (tmp_path / "b" / "manifest.json").exists()
    v = run_cli("validate", "--data", str(data), "--json")
    assert v.code == 1
    rows = json.loads(v.stdout)
    assert {(row["path"], row["rule"]) for row in rows} >= {("source", "MinCount")}
    assert all(row["origin"] == "data/extra.ttl" or row["origin"].endswith("extra.ttl") for row in rows)


def test_missing_data_folder(tmp_path):
    r = run_cli("build", "--data", str(tmp_path / "nope"), "--out", str(tmp_path / "b"))
    assert r.code == 2 and "data folder not found" in r.stderr
