"""Reports on the graph: one self-contained HTML page for readers, and a
Markdown review for people who check the data against the documents.

The HTML page needs no network: CSS is inline and pictures are `data:` URIs.
The Markdown review has no dates or paths in it, so the copy committed in
`docs/dataset-review.md` can be checked for being up to date
(`python -m coopgraph.report` regenerates it from the bundled data).
"""

from __future__ import annotations

import base64
import html
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from coopgraph.graph.export import write_atomically
from coopgraph.graph.network import COOPERATION_KINDS, CooperationNetwork, centrality, community_rows, network
from coopgraph.ontology import load_ontology
from coopgraph.queries.answers import Table, answer
from coopgraph.queries.catalogue import question
from coopgraph.queries.embedded import Embedded

DOCS_REVIEW = Path(__file__).resolve().parents[1] / "docs" / "dataset-review.md"
GROUPS = [("places", "Place"), ("organisations", "Organization")] + [(w, c) for c, w in COOPERATION_KINDS]
GROUPS += [("figures", "Figure"), ("documents", "SourceDocument")]
CSS = """
body { font: 15px/1.45 "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1d1d1f; margin: 0; background: #f6f6f4; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; }
h1 { font-size: 28px; margin: 8px 0 4px; } h2 { margin-top: 40px; border-bottom: 2px solid #ddd; padding-bottom: 4px; }
p.lead { color: #555; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 18px 0; }
.card { flex: 1 1 130px; background: #eef4f0; border-radius: 8px; padding: 10px 14px; }
.card b { display: block; font-size: 26px; color: #1b6e4a; } .card span { color: #444; font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 10px 0 24px; font-size: 13px; }
th { background: #28343c; color: #fff; text-align: left; padding: 6px 8px; position: sticky; top: 0; }
td { border-bottom: 1px solid #e3e3e3; padding: 5px 8px; vertical-align: top; overflow-wrap: break-word; }
tr:nth-child(even) td { background: #fafafa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.src { color: #666; font-size: 12px; white-space: nowrap; }
figure { margin: 12px 0 28px; } figure img { width: 100%; height: auto; }
figcaption { color: #555; font-size: 13px; } .scroll { overflow-x: auto; }
"""


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    review: Path


def write_report(store: ox.Store, out_dir: Path) -> ReportFiles:
    """Write `index.html` and `dataset-review.md` into `out_dir`, each atomically."""
    net = network(store)
    files = ReportFiles(out_dir / "index.html", out_dir / "dataset-review.md")
    write_atomically(files.html, report_html(store, net).encode("utf-8"))
    write_atomically(files.review, review_markdown(net).encode("utf-8"))
    return files


def _group(net: CooperationNetwork, iri: str) -> str | None:
    labels = net.nodes[iri].labels
    return next((word for word, cls in GROUPS if cls in labels), None)


def kind_counts(net: CooperationNetwork) -> list[dict]:
    """How many of each class, under its group (places, organisations, twinning, ...)."""
    counts = Counter((_group(net, iri), net.kind(iri)) for iri in net.nodes if _group(net, iri))
    order = [w for w, _ in GROUPS]
    return [
        {"group": g, "kind": k, "count": n}
        for (g, k), n in sorted(counts.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1]))
    ]


def document_counts(net: CooperationNetwork) -> list[dict]:
    """Per source document: citations into it, facts citing it, and facts per group."""
    title = {net.prop(i, "fileName"): net.name(i) for i in net.nodes if net.has(i, "SourceDocument")}
    cites, facts = defaultdict(set), defaultdict(set)
    groups: dict[str, Counter] = defaultdict(Counter)
    for iri, cited in net.sources.items():
        for file in {c.partition("#")[0] for c in cited}:
            facts[file].add(iri)
            groups[file][_group(net, iri) or "other"] += 1
        for c in cited:
            cites[c.partition("#")[0]].add(c)
    return [
        {"file": f, "document": title.get(f, ""), "citations": len(cites[f]), "facts": len(facts[f])}
        | {g: groups[f][g] for g, _ in GROUPS}
        for f in sorted(set(title) | set(facts))
    ]


def twinning_links(net: CooperationNetwork) -> list[dict]:
    """Every twinning link with its places, kind, status, date and citations."""
    rows = []
    for coop in net.cooperations():
        if not net.has(coop, "Twinning"):
            continue
        places = sorted(net.roles[coop], key=lambda p: (net.name(net.country.get(p, p)), net.name(p)))
        rows.append(
            {
                "id": coop.rsplit("/", 1)[-1],
                "link": net.name(coop),
                "places": [_place_with_region(net, p) for p in places],
                "kind": net.prop(coop, "linkKind"),
                "document": net.prop(coop, "documentKind"),
                "status": net.prop(coop, "status"),
                "date": net.prop(coop, "date"),
                "citations": net.sources.get(coop, []),
            }
        )
    return sorted(rows, key=lambda r: (r["link"].casefold(), r["id"]))


def _place_with_region(net: CooperationNetwork, place: str) -> str:
    parent = net.place_parent(place)
    country = net.country.get(place)
    where = ", ".join(net.name(p) for p in (parent, country) if p)
    return f"{net.name(place)} ({where})" if where else net.name(place)


def review_markdown(net: CooperationNetwork) -> str:
    """The review report: counts per kind and per document, and every twinning link."""
    kinds, docs, links = kind_counts(net), document_counts(net), twinning_links(net)
    groups = [w for w, _ in GROUPS]
    out = [
        "# Dataset review",
        "",
        "For people who check the data against the documents. Generated by `coopgraph report`",
        "(or `python -m coopgraph.report` for this copy); do not edit by hand.",
        "",
        "## Counts per kind",
        "",
        "| group | kind | count |",
        "|---|---|---:|",
        *(f"| {r['group']} | {r['kind']} | {r['count']} |" for r in kinds),
        f"| **all** | | **{sum(r['count'] for r in kinds)}** |",
        "",
        "## Counts per source document",
        "",
        "Facts are records that cite the document; a record citing several documents counts for each.",
        "",
        "| file | document | citations | facts | " + " | ".join(groups) + " |",
        "|---|---|---:|---:|" + "---:|" * len(groups),
        *(
            f"| {d['file']} | {_md(d['document'])} | {d['citations']} | {d['facts']} | "
            + " | ".join(str(d.get(g, 0)) for g in groups)
            + " |"
            for d in docs
        ),
        "",
        f"## Twinning links ({len(links)})",
        "",
        "| link | places | kind | document | status | date | citations | id |",
        "|---|---|---|---|---|---|---|---|",
        *(
            f"| {_md(r['link'])} | {_md('; '.join(r['places']))} | {r['kind']} | {r['document']} | {r['status']} "
            f"| {r['date']} | {'<br>'.join(r['citations'])} | `{r['id']}` |"
            for r in links
        ),
        "",
    ]
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def report_html(store: ox.Store, net: CooperationNetwork) -> str:
    """The whole report as one HTML page."""
    from coopgraph.graph.pictures import network_picture, place_links, timeline_picture

    backend, ontology = Embedded(store), load_ontology()

    def canned(name: str, **params: str) -> Table:
        return answer(question(name), params, backend, ontology)

    kinds, docs = kind_counts(net), document_counts(net)
    per_group = Counter()
    for r in kinds:
        per_group[r["group"]] += r["count"]
    links = place_links(net, "twinning")
    sides = " – ".join(net.name(s) for s in links.sides if s) or "Cooperation"
    network_svg = network_picture(net, links, "twinning", "svg")
    timeline_svg = timeline_picture(net, "svg")
    central = centrality(net, "degree")[:15]
    groups = [w for w, _ in GROUPS]
    cards = "".join(f'<div class="card"><b>{per_group[g]}</b><span>{g}</span></div>' for g in groups)
    cards += f'<div class="card"><b>{len(community_rows(net))}</b><span>communities</span></div>'
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(sides)} cooperation — coopgraph report</title>",
        f"<style>{CSS}</style></head><body><main>",
        f"<h1>{_h(sides)} cooperation</h1>",
        '<p class="lead">What the knowledge graph holds, drawn from the source documents; '
        "every row cites the document lines that state it.</p>",
        f'<div class="cards">{cards}</div>',
        '<h2 id="network">Twinning network</h2>',
        _figure(network_svg, "Twinning links between places", "Links coloured by status; nodes sized by links."),
        '<h2 id="timeline">Cooperation per year</h2>',
        _figure(timeline_svg, "Cooperation per year by kind", "Only dated cooperation is shown."),
        '<h2 id="counts">Counts per kind</h2>',
        _table(["group", "kind", "count"], kinds, "kinds"),
        '<h2 id="documents">Counts per source document</h2>',
        _table(["file", "document", "citations", "facts"], docs, "documents"),
        "<p>Facts citing each document, by kind (a fact citing several documents counts for each):</p>",
        _table(["file", *groups], docs, "documents-by-kind"),
        '<h2 id="central">Most connected actors</h2>',
        _table(["actor", "kind", "country", "score", "partners", "cooperations"], central, "central"),
    ]
    for anchor, heading, table in (
        ("twinning", "Twinning links", canned("partners-of", place=_first_side(net, links))),
        ("centres", "Joint laboratories and centres", canned("joint-centers-in")),
        ("investments", "Investments", canned("investments-by")),
    ):
        parts += [f'<h2 id="{anchor}">{heading} ({len(table.rows)})</h2>', _table(table.columns, table.rows, anchor)]
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def _first_side(net: CooperationNetwork, links) -> str:
    return net.name(links.sides[0]) if links.sides[0] else "Belarus"


def _figure(svg: bytes, alt: str, caption: str) -> str:
    data = base64.b64encode(svg).decode("ascii")
    return (
        f'<figure><img alt="{_h(alt)}" src="data:image/svg+xml;base64,{data}">'
        f"<figcaption>{_h(caption)}</figcaption></figure>"
    )


def _table(columns: list[str], rows: list[dict], name: str) -> str:
    head = "".join(f"<th>{_h(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            v = row.get(c, "")
            css = ' class="num"' if isinstance(v, int | float) else ' class="src"' if c == "sources" else ""
            if isinstance(v, list):
                text = ("<br>" if c == "sources" else "; ").join(_h(str(i)) for i in v)
            else:
                text = _h("" if v is None else str(v))
            cells.append(f"<td{css}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    table = f'<table data-name="{name}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    return f'<div class="scroll">{table}</div>'


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def regenerate_docs() -> Path:
    """Rebuild the bundled data in a temporary folder and write docs/dataset-review.md."""
    import tempfile

    from coopgraph.graph.build import default_data_dir, open_graph

    with tempfile.TemporaryDirectory() as tmp:
        graph = open_graph(default_data_dir(), Path(tmp))
        text = review_markdown(network(graph.store))
        del graph
    write_atomically(DOCS_REVIEW, text.encode("utf-8"))
    return DOCS_REVIEW


if __name__ == "__main__":  # regenerate docs/dataset-review.md after a data change
    regenerate_docs()
