"""Pictures of the cooperation network, drawn by matplotlib: the place-to-place
links between the two countries, and cooperation per year.

Output is reproducible: no dates in the files, fixed SVG ids (`svg.hashsalt`),
text kept as text in SVG so labels stay searchable.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import UsageError
from coopgraph.graph.network import COOPERATION_KINDS, CooperationNetwork, network, resolve_name
from coopgraph.ontology import load_ontology

FORMATS = ("svg", "png")
LINK_KINDS = ("twinning", "all")
STATUS_COLOURS = {
    "signed": "#2ca02c",
    "memorandum": "#1f77b4",
    "intention": "#ff7f0e",
    "planned": "#9467bd",
    "under-discussion": "#7f7f7f",
    "agreed": "#8c564b",
    "operating": "#17becf",
    "opened": "#bcbd22",
    "completed": "#393b79",
    "held": "#e377c2",
    "": "#c7c7c7",
}
KIND_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]
STYLE = {
    "svg.hashsalt": "coopgraph",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
ROW = 0.27  # inches per row of places
GAP = 0.6  # rows between groups


def picture_format(path: Path) -> str:
    """svg or png, from the file name."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(str(path), "the picture must be a .svg or .png file")
    return fmt


@dataclass
class PlaceLinks:
    """What the network picture shows: places of two countries and the links between them."""

    sides: tuple[str, str]  # the two countries, left and right
    links: dict[tuple[str, str], Counter] = field(default_factory=dict)  # (left, right) -> status -> count
    places: set[str] = field(default_factory=set)
    focus: str | None = None

    def degree(self) -> Counter:
        out: Counter = Counter()
        for (a, b), statuses in self.links.items():
            out[a] += sum(statuses.values())
            out[b] += sum(statuses.values())
        return out


def draw_network(
    store: ox.Store, focus: str | None = None, kind: str = "twinning", fmt: str = "svg", net=None
) -> bytes:
    """The place-to-place links as a picture; `focus` (a place name) keeps its neighbourhood."""
    if kind not in LINK_KINDS:
        raise UsageError("draw", f"--kind must be one of: {', '.join(LINK_KINDS)}")
    focus_iri = None
    if focus is not None:
        from coopgraph.queries.embedded import Embedded

        focus_iri = resolve_name(focus, "place", Embedded(store), load_ontology()).iri
    net = net or network(store)
    return network_picture(net, place_links(net, kind, focus_iri), kind, fmt)


def _top_place(net: CooperationNetwork, iri: str) -> str:
    """The outermost place below the country that holds `iri` (its region or province)."""
    around = [p for p in net.located.get(iri, ()) if net.has(p, "Place") and not net.has(p, "Country")]
    tops = [p for p in around if not any(net.has(q, "Place") and not net.has(q, "Country") for q in net.located[p])]
    return sorted(tops)[0] if tops else iri


def _as_place(net: CooperationNetwork, actor: str, kind: str) -> str | None:
    if net.has(actor, "Place"):
        return None if net.has(actor, "Country") else actor
    return net.place_parent(actor) if kind == "all" else None


def place_links(net: CooperationNetwork, kind: str, focus: str | None = None) -> PlaceLinks:
    """Links between places of the two countries with most places in links.

    twinning: twinning links only; all: every cooperation, organisations counted at their city."""
    pairs: list[tuple[str, str, str]] = []
    for coop in net.cooperations():
        if kind == "twinning" and not net.has(coop, "Twinning"):
            continue
        places = sorted({p for a in net.roles[coop] if (p := _as_place(net, a, kind))})
        status = net.prop(coop, "status")
        pairs += [(a, b, status) for i, a in enumerate(places) for b in places[i + 1 :]]
    country = {p: net.country.get(p) for a, b, _ in pairs for p in (a, b)}
    counts = Counter(c for c in country.values() if c)
    found = sorted((c for c, _ in counts.most_common(2)), key=net.name) + ["", ""]
    out = PlaceLinks(sides=(found[0], found[1]), focus=focus)
    if not found[1]:
        return out  # fewer than two countries: nothing to draw between
    for a, b, status in pairs:
        if country[a] == country[b] or country[a] not in out.sides or country[b] not in out.sides:
            continue
        left, right = (a, b) if country[a] == out.sides[0] else (b, a)
        if focus and not any(p == focus or focus in net.located.get(p, ()) for p in (left, right)):
            continue
        out.links.setdefault((left, right), Counter())[status] += 1
    shown = {p for pair in out.links for p in pair}
    if focus and net.has(focus, "Place") and not net.has(focus, "Country"):
        shown.add(focus)
    for p in shown:  # with the places they lie in, so that every place sits under its region or province
        out.places.add(p)
        out.places.update(q for q in net.located.get(p, ()) if net.has(q, "Place") and not net.has(q, "Country"))
    return out


def _rows(net: CooperationNetwork, places: set[str], side: str) -> list[tuple[str, int, bool]]:
    """(place, depth, is the head of its group) for one column, group by group."""
    mine = sorted((p for p in places if net.country.get(p) == side), key=lambda p: (net.name(p).casefold(), p))
    groups: dict[str, list[str]] = defaultdict(list)
    for p in mine:
        groups[_top_place(net, p)].append(p)
    rows = []
    for head in sorted(groups, key=lambda p: net.name(p).casefold()):
        members = set(groups[head]) | {head}

        def visit(p: str, depth: int, members=members) -> None:
            rows.append((p, depth, depth == 0))
            children = [c for c in members if c != p and net.place_parent(c) == p]
            for c in sorted(children, key=lambda c: net.name(c).casefold()):
                visit(c, depth + 1)

        visit(head, 0)
        placed = {r[0] for r in rows}
        for orphan in sorted(members - placed, key=lambda c: net.name(c).casefold()):
            rows.append((orphan, 1, False))
    return rows


def network_picture(net: CooperationNetwork, data: PlaceLinks, kind: str, fmt: str) -> bytes:
    """Left country's places on the left, the other's on the right, links between."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    columns = [_rows(net, data.places, side) for side in data.sides]
    heights = [len(c) - 1 + (sum(1 for r in c if r[2]) - 1) * GAP if c else 0 for c in columns]
    height = max(heights) + 1
    degree = data.degree()
    most = max(degree.values(), default=1)
    size = {p: 16 + 240 * (degree[p] / most) ** 0.5 for c in columns for p, _, _ in c}  # area ~ degree
    pos = {}
    with plt.rc_context(STYLE):
        bottom, top = -(max(height, 4) - 1) - 0.7, 1.6
        fig, ax = plt.subplots(figsize=(11, 1.75 + ROW * (top - bottom)))
        for index, rows in enumerate(columns):
            y = (height - 1 - heights[index]) / 2  # the shorter column is centred
            for place, depth, head in rows:
                if head and place != rows[0][0]:
                    y += GAP
                x = 0.04 * depth if index == 0 else 1 - 0.04 * depth
                pos[place] = (x, -y)
                y += 1
        for (a, b), statuses in sorted(data.links.items()):
            ordered = sorted(statuses, key=lambda s: list(STATUS_COLOURS).index(s) if s in STATUS_COLOURS else 99)
            for i, status in enumerate(ordered):
                rad = 0.04 * (i - (len(ordered) - 1) / 2)
                ax.add_patch(
                    FancyArrowPatch(
                        pos[a],
                        pos[b],
                        arrowstyle="-",
                        connectionstyle=f"arc3,rad={rad}",
                        color=STATUS_COLOURS.get(status, STATUS_COLOURS[""]),
                        linewidth=1.3 * statuses[status] ** 0.5,
                        alpha=0.75,
                        zorder=1,
                    )
                )
        for index, rows in enumerate(columns):
            for place, _, head in rows:
                x, y = pos[place]
                focus = place == data.focus
                ax.scatter(
                    [x],
                    [y],
                    s=size[place],
                    marker="s" if head else "o",
                    facecolor="#333333" if degree[place] else "white",
                    edgecolor="#d62728" if focus else "#333333",
                    linewidths=2.5 if focus else 1,
                    zorder=3,
                )
                side = -1 if index == 0 else 1
                ax.annotate(
                    net.name(place),
                    (x, y),
                    xytext=(side * (size[place] ** 0.5 / 2 + 4), 0),
                    textcoords="offset points",
                    ha="right" if index == 0 else "left",
                    va="center",
                    fontsize=10 if head else 9,
                    fontweight="bold" if head or focus else "normal",
                    color="#d62728" if focus else "#111111",
                )
        for index, side in enumerate(data.sides):
            ax.text(
                0.0 if index == 0 else 1.0,
                0.8,
                net.name(side) if side else "",
                ha="center",
                fontsize=14,
                fontweight="bold",
            )
        ax.set_xlim(-0.45, 1.45)
        ax.set_ylim(bottom, top)
        ax.axis("off")
        used = Counter()
        for statuses in data.links.values():
            used.update(statuses)
        handles = [
            Line2D(
                [], [], color=STATUS_COLOURS.get(s, STATUS_COLOURS[""]), linewidth=3, label=f"{s or 'no status'} ({n})"
            )
            for s, n in sorted(
                used.items(), key=lambda kv: list(STATUS_COLOURS).index(kv[0]) if kv[0] in STATUS_COLOURS else 99
            )
        ]
        handles += [
            Line2D([], [], marker="s", color="#333333", linestyle="", label="region / province"),
            Line2D([], [], marker="o", color="#333333", linestyle="", label="city / district"),
            Line2D([], [], color="#555555", linewidth=1.3, label="line width: number of links"),
        ]
        fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=8)
        what = "twinning links" if kind == "twinning" else "cooperation between places"
        total = sum(used.values())
        title = " – ".join(net.name(side) for side in data.sides if side) + f": {what}"
        if data.focus:
            title += f" around {net.name(data.focus)}"
        if kind == "all":
            title += " (organisations counted at their city)"
        fig.suptitle(f"{title}\n{total} link(s) between {len(data.places)} places", fontsize=12)
        inches = fig.get_figheight()
        fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.75 / inches, bottom=1.0 / inches)
        return _save(fig, fmt)


def _save(fig, fmt: str) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buffer, format=fmt, dpi=150 if fmt == "png" else 100, metadata=metadata)
    plt.close(fig)
    return buffer.getvalue()


def draw_timeline(store: ox.Store, fmt: str = "svg", net=None) -> bytes:
    """Cooperation per year by kind, as stacked bars."""
    return timeline_picture(net or network(store), fmt)


def yearly_counts(net: CooperationNetwork) -> tuple[dict[int, Counter], int]:
    """Dated cooperation per year and kind; and how many have no date."""
    per_year: dict[int, Counter] = defaultdict(Counter)
    undated = 0
    for coop in net.cooperations():
        date = net.prop(coop, "date")
        if date[:4].isdigit():
            per_year[int(date[:4])][net.cooperation_kind(coop)] += 1
        else:
            undated += 1
    return dict(sorted(per_year.items())), undated


def timeline_picture(net: CooperationNetwork, fmt: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    per_year, undated = yearly_counts(net)
    kinds = [word for _, word in COOPERATION_KINDS] + ["other"]
    totals = Counter()
    for counts in per_year.values():
        totals.update(counts)
    kinds = [k for k in kinds if totals[k]]
    years = list(range(min(per_year), max(per_year) + 1)) if per_year else []
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(12, 5))
        bottom = [0] * len(years)
        for colour, kind in zip(KIND_COLOURS, kinds, strict=False):
            heights = [per_year.get(y, Counter())[kind] for y in years]
            ax.bar(years, heights, bottom=bottom, color=colour, label=f"{kind} ({totals[kind]})", width=0.8)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_xlabel("year")
        ax.set_ylabel("cooperation (dated)")
        if years:
            ax.set_xticks(years)
            ax.set_xticklabels([str(y) for y in years], rotation=90)
            ax.set_xlim(years[0] - 0.7, years[-1] + 0.7)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="y", color="#e5e5e5")
        ax.set_axisbelow(True)
        if kinds:
            ax.legend(title="kind", frameon=False, loc="upper left")
        dated = sum(totals.values())
        ax.set_title(f"Cooperation per year by kind: {dated} dated; {undated} without a date not shown")
        fig.tight_layout()
        return _save(fig, fmt)
