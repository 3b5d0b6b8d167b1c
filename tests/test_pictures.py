"""Pictures: valid SVG and PNG files, the expected places in them, reproducible output."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coopgraph.errors import UsageError
from coopgraph.graph.network import network
from coopgraph.graph.pictures import draw_network, draw_timeline, picture_format, place_links, yearly_counts
from tests.conftest import run_cli

SVG = "{http://www.w3.org/2000/svg}"
ID = "https://w3id.org/coopgraph/id/"


@pytest.fixture(scope="module")
def net(graph):
    return network(graph.store)


def svg_texts(data: bytes) -> list[str]:
    """Every text in an SVG; fails if it is not well-formed XML."""
    root = ET.fromstring(data)
    assert root.tag == SVG + "svg"
    return ["".join(t.itertext()).strip() for t in root.iter(SVG + "text")]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking the signature."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_network_picture_shows_both_sides(graph, net):
    texts = svg_texts(draw_network(graph.store, net=net))
    for place in ("Belarus", "China", "Brest", "Brest Region", "Hubei", "Xiaogan", "Minsk", "Zhejiang", "Gansu"):
        assert place in texts, place
    assert any("34 link(s)" in t for t in texts), "one link per twinning resource"
    assert any(t.startswith("signed (") for t in texts), "a legend of statuses"


def test_the_focus_keeps_the_neighbourhood_of_one_place(graph, net):
    texts = svg_texts(draw_network(graph.store, focus="Brest Oblast", net=net))
    assert {"Brest Region", "Brest", "Pinsk", "Baranovichi", "Hubei", "Xiaogan", "Anhui"} <= set(texts)
    assert "Minsk" not in texts and "Zhejiang" not in texts
    assert any("around Brest Region" in t for t in texts)


def test_a_place_without_links_is_drawn_alone_under_its_region(graph, net):
    texts = svg_texts(draw_network(graph.store, focus="Lesnoy", net=net))
    assert {"Lesnoy", "Minsk District", "Minsk Region"} <= set(texts)
    assert any("0 link(s)" in t for t in texts)


def test_all_cooperation_counts_organisations_at_their_city(net):
    twinning, everything = place_links(net, "twinning"), place_links(net, "all")
    assert sum(sum(c.values()) for c in twinning.links.values()) == 34
    assert set(twinning.links) <= set(everything.links)
    assert (ID + "place/minsk", ID + "place/beijing") in everything.links
    assert sum(everything.links[(ID + "place/minsk", ID + "place/beijing")].values()) > 1


def test_png_decodes_with_its_declared_size(graph, net):
    import matplotlib.image

    data = draw_network(graph.store, fmt="png", net=net)
    width, height = png_size(data)
    assert width == 1650 and height > 1000
    pixels = matplotlib.image.imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (height, width)
    assert len({tuple(p) for p in pixels[::7, ::7].reshape(-1, pixels.shape[2])}) > 50, "not a blank picture"


def test_pictures_are_reproducible(graph, net):
    assert draw_network(graph.store, net=net) == draw_network(graph.store, net=net)
    assert draw_timeline(graph.store, net=net) == draw_timeline(graph.store, net=net)


def test_the_timeline_counts_dated_cooperation_per_year(graph, net):
    per_year, undated = yearly_counts(net)
    assert per_year[2015]["twinning"] == 5 and per_year[1994]["twinning"] == 1
    assert sum(sum(c.values()) for c in per_year.values()) + undated == len(net.cooperations())
    texts = svg_texts(draw_timeline(graph.store, net=net))
    assert {"1994", "2016", "twinning (25)", "centres (24)", "events (32)"} <= set(texts)
    width, height = png_size(draw_timeline(graph.store, "png", net=net))
    assert (width, height) == (1800, 750)


def test_picture_format_comes_from_the_file_name():
    assert picture_format(Path("a.SVG")) == "svg" and picture_format(Path("b.png")) == "png"
    with pytest.raises(UsageError):
        picture_format(Path("c.pdf"))


def test_cli_draw_writes_the_default_file_in_the_current_folder(build_dir, tmp_path):
    r = run_cli("draw", build_dir=build_dir, cwd=tmp_path)
    assert r.code == 0, r.stderr
    assert r.stdout == "" and "coopgraph-network.svg" in r.stderr
    assert "Hubei" in svg_texts((tmp_path / "coopgraph-network.svg").read_bytes())


def test_cli_draw_and_timeline_png(build_dir, tmp_path):
    r = run_cli("draw", "--focus", "Hubei", "--kind", "all", "-o", str(tmp_path / "hubei.png"), build_dir=build_dir)
    assert r.code == 0, r.stderr
    png_size((tmp_path / "hubei.png").read_bytes())
    r = run_cli("timeline", "-o", str(tmp_path / "years.png"), build_dir=build_dir)
    assert r.code == 0, r.stderr
    assert png_size((tmp_path / "years.png").read_bytes()) == (1800, 750)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--focus", "Atlantis"], "error: Atlantis: no place of that name"),
        (["--kind", "loans"], "error: draw: --kind must be one of: twinning, all"),
        (["-o", "net.pdf"], "error: net.pdf: the picture must be a .svg or .png file"),
    ],
)
def test_cli_draw_refuses_bad_input(build_dir, tmp_path, args, message):
    r = run_cli("draw", *args, build_dir=build_dir, cwd=tmp_path)
    assert r.code == 2 and r.stderr.strip().startswith(message), r.stderr
    assert list(tmp_path.iterdir()) == [], "nothing written"
