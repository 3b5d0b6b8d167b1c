"""The reports: a self-contained HTML page that renders in a real browser, and
the Markdown review, whose committed copy must be up to date."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coopgraph.graph.network import network
from coopgraph.report import DOCS_REVIEW, review_markdown, twinning_links
from tests.conftest import run_cli

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed; run `make chromium`")


@pytest.fixture(scope="module")
def report_dir(build_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    r = run_cli("report", "-o", str(out), build_dir=build_dir)
    assert r.code == 0, r.stderr
    assert r.stdout == ""
    return out


def test_the_committed_review_is_up_to_date(graph):
    expected = review_markdown(network(graph.store))
    assert DOCS_REVIEW.read_text(encoding="utf-8") == expected, "run `python -m coopgraph.report` and commit the result"


def test_the_review_lists_every_twinning_link_with_its_citations(graph, ask, report_dir):
    text = (report_dir / "dataset-review.md").read_text(encoding="utf-8")
    assert text == DOCS_REVIEW.read_text(encoding="utf-8"), "the CLI writes the same review"
    links = twinning_links(network(graph.store))
    assert len(links) == len(ask("partners-of", place="Belarus")) == 34
    assert f"## Twinning links ({len(links)})" in text
    row = next(line for line in text.splitlines() if "`brest-xiaogan-twinning`" in line)
    assert "Brest (Brest Region, Belarus); Xiaogan (Hubei, China)" in row
    assert "002_e84c28b6cbc4fd91.txt#L359<br>002_e84c28b6cbc4fd91.txt#L363" in row
    assert "| 002_e84c28b6cbc4fd91.txt | Belarus – China: a vector of trust |" in text


class _Resources(HTMLParser):
    """Every URL an HTML page would fetch."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "srcset", "data", "poster", "action")]


def test_the_html_fetches_nothing(report_dir):
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    parser = _Resources()
    parser.feed(page)
    assert parser.urls and all(u.startswith("data:image/svg+xml;base64,") for u in parser.urls), parser.urls
    assert "script" not in parser.tags and "link" not in parser.tags
    assert not re.search(r"url\(|@import|https?://", page), "no external resources, no links out"


def _chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=180)


@needs_chromium
def test_the_page_loads_in_a_browser_with_its_tables_and_pictures(report_dir, ask, tmp_path):
    page = report_dir / "index.html"
    done = _chromium("--dump-dom", page.as_uri(), tmp=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "<title>Belarus – China cooperation — coopgraph report</title>" in dom
    assert len(re.findall(r'<img alt="[^"]+" src="data:image/svg\+xml;base64,', dom)) == 2
    expected = {
        "twinning": len(ask("partners-of", place="Belarus")),
        "centres": len(ask("joint-centers-in")),
        "investments": len(ask("investments-by")),
    }
    for name, count in expected.items():
        table = re.search(rf'<table data-name="{name}">(.*?)</table>', dom, re.S)
        assert table, name
        assert table.group(1).count("<tr>") == count + 1, name  # and the header row
    twinning = re.search(r'<table data-name="twinning">(.*?)</table>', dom, re.S).group(1)
    assert "<td>Xiaogan</td>" in twinning and "002_e84c28b6cbc4fd91.txt#L363" in twinning


@needs_chromium
def test_the_screenshot_is_a_page_not_a_blank(report_dir, tmp_path):
    import matplotlib.image
    import numpy as np

    shot = tmp_path / "report.png"
    done = _chromium(
        f"--screenshot={shot}", "--window-size=1280,2000", (report_dir / "index.html").as_uri(), tmp=tmp_path
    )
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    pixels = (matplotlib.image.imread(shot)[:, :, :3] * 255).round().astype(np.int32)
    assert pixels.shape == (2000, 1280, 3)
    sample = pixels[::4, ::4].reshape(-1, 3)
    assert len({tuple(p) for p in sample}) > 300, "a rendered page has text, cards and a coloured picture"
    assert (sample.min(axis=1) < 235).mean() > 0.03, "mostly white is not enough"
    r, g, b = sample[:, 0], sample[:, 1], sample[:, 2]
    assert ((g > r + 40) & (g > b + 20)).sum() > 100, "the signed twinning links (green) are drawn"
