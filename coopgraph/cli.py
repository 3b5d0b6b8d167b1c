"""The `coopgraph` command: thin commands over the library, one error handler.

Exit codes: 0 ok, 1 the data violates the ontology (SHACL), 2 bad input or
usage, 3 database unreachable or refused.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from coopgraph.errors import CoopgraphError, UsageError, ValidationFailed

app = typer.Typer(
    help="A knowledge graph of bilateral cooperation (Belarus–China bundled).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DataOpt = Annotated[Path | None, typer.Option("--data", help="Folder of sources [default: the bundled data].")]
BuildOpt = Annotated[Path, typer.Option("--build", envvar="COOPGRAPH_BUILD", help="Where the stored graph lives.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON array of objects, nothing else.")]
UriOpt = Annotated[str, typer.Option("--uri", envvar="NEO4J_URI", help="bolt://, neo4j://, neo4j+s:// or falkordb://.")]
UserOpt = Annotated[str, typer.Option("--user", envvar="NEO4J_USER", help="Database user.")]
DatabaseOpt = Annotated[str | None, typer.Option("--database", envvar="NEO4J_DATABASE", help="Database (graph) name.")]
Neo4jOpt = Annotated[bool, typer.Option("--neo4j", help="Run the Cypher version on Neo4j instead (see `sync`).")]
DEFAULT_URI = "bolt://127.0.0.1:7687"


def _runner(uri: str, user: str, database: str | None):
    """Connect with the password from NEO4J_PASSWORD, or a prompt; it is never echoed."""
    from coopgraph.graph.runners import Connection, connect

    password = os.environ.get("NEO4J_PASSWORD")
    if password is None and sys.stdin.isatty():
        password = typer.prompt(f"Password for {user} at {uri}", hide_input=True, default="", show_default=False)
    return connect(Connection(uri, user, password or "", database))


def _data(data: Path | None) -> Path:
    from coopgraph.graph.build import default_data_dir

    return data or default_data_dir()


def _graph(data: Path | None, build: Path):
    """The stored graph, rebuilt first if the sources changed (said on stderr)."""
    from coopgraph.graph.build import open_graph

    graph = open_graph(_data(data), build)
    if graph.rebuilt:
        typer.echo(f"rebuilt the graph in {graph.manifest.seconds:.2f} s", err=True)
    return graph


def _answer(name: str, raw: dict[str, str], data: Path | None, build: Path):
    from coopgraph.ontology import load_ontology
    from coopgraph.queries.answers import answer
    from coopgraph.queries.catalogue import question
    from coopgraph.queries.embedded import Embedded

    graph = _graph(data, build)
    return answer(question(name), raw, Embedded(graph.store), load_ontology())


def _show(columns: list[str], rows: list[dict], as_json: bool, title: str = "") -> None:
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title or None)
    for c in columns:
        table.add_column(c)
    for r in rows:
        table.add_row(
            *("; ".join(v) if isinstance(v, list) else "" if v is None else str(v) for v in (r[c] for c in columns))
        )
    console = Console(width=None if sys.stdout.isatty() else 240)
    console.print(table)
    console.print(f"{len(rows)} row(s)", style="dim")


@app.command()
def build(
    data: DataOpt = None,
    out: Annotated[Path, typer.Option("--out", envvar="COOPGRAPH_BUILD", help="Where to store the graph.")] = Path(
        "build"
    ),
    as_json: JsonOpt = False,
) -> None:
    """Load every source, reason, validate (SHACL) and store the graph."""
    from coopgraph.graph.build import build as build_graph

    manifest = build_graph(_data(data), out)
    rows = [{"class": k, "count": v} for k, v in manifest.counts.items()]
    _show(["class", "count"], rows, as_json, title=f"Loaded from {manifest.data_dir}")
    if not as_json:
        typer.echo(f"{manifest.triples} triples, built in {manifest.seconds:.2f} s into {out}/")


@app.command()
def validate(data: DataOpt = None, as_json: JsonOpt = False) -> None:
    """Check the sources against the SHACL shapes; exit 1 on violations."""
    from coopgraph.graph.build import check

    violations = check(_data(data))
    _show(["resource", "path", "rule", "message", "origin", "sources"], [v.as_row() for v in violations], as_json)
    if violations:
        raise ValidationFailed(str(_data(data)), violations)


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="turtle, jsonld, nt, graphml (Gephi), or neo4j-admin (-o DIR).")
    ] = "turtle",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write [default: stdout].")] = None,
    ontology: Annotated[bool, typer.Option("--ontology/--no-ontology", help="Include the ontology.")] = False,
    from_neo4j: Annotated[bool, typer.Option("--from-neo4j", help="Read the graph back from Neo4j.")] = False,
    uri: UriOpt = DEFAULT_URI,
    user: UserOpt = "neo4j",
    database: DatabaseOpt = None,
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """Write the whole graph as Turtle, JSON-LD or N-Triples; or its property graph as GraphML."""
    from coopgraph.graph.export import atomic_file, serialize_triples, write

    if fmt == "neo4j-admin":
        return _export_admin_import(output, from_neo4j, data, build)
    store = None if from_neo4j else _graph(data, build).store
    with nullcontext(sys.stdout.buffer) if output is None else atomic_file(output) as out:
        if store is None:
            out.write(serialize_triples(_read_neo4j(_runner(uri, user, database), ontology and fmt != "graphml"), fmt))
        else:
            write(store, fmt, out, with_ontology=ontology)
    if output is not None:
        typer.echo(f"wrote {output} ({output.stat().st_size} bytes)", err=True)


def _export_admin_import(output: Path | None, from_neo4j: bool, data: Path | None, build: Path) -> None:
    """CSV files for `neo4j-admin database import full` (see README, "Very large graphs")."""
    from coopgraph.graph.admin_import import ARRAY_DELIMITER, write_admin_import

    if output is None or from_neo4j:
        raise UsageError("export", "--format neo4j-admin writes a folder: give -o DIR (and no --from-neo4j)")
    files = write_admin_import(_graph(data, build).store, output)
    typer.echo(f"wrote {', '.join(str(f) for f in files)}", err=True)
    nodes, rels = files
    typer.echo(
        f"import: neo4j-admin database import full --nodes={nodes} --relationships={rels} "
        f"--array-delimiter='{ARRAY_DELIMITER}' --multiline-fields=true neo4j",
        err=True,
    )


def _read_neo4j(runner, with_ontology: bool):
    from coopgraph.graph.sync import database_triples
    from coopgraph.ontology import load_ontology

    try:
        return database_triples(runner) + (load_ontology().triples if with_ontology else [])
    finally:
        runner.close()


@app.command()
def partners(
    place: Annotated[str, typer.Argument(help="A place: region, city, district (any spelling).")],
    status: Annotated[str | None, typer.Option(help="Only links with this status (signed, memorandum, ...).")] = None,
    as_json: JsonOpt = False,
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """The place-to-place links of a place and of everything inside it."""
    raw = {"place": place} | ({"status": status} if status else {})
    table = _answer("partners-of", raw, data, build)
    _show(table.columns, table.rows, as_json, title=f"Partners of {place}")


@app.command()
def centers(
    city: Annotated[str | None, typer.Option(help="Only centres in this place.")] = None,
    as_json: JsonOpt = False,
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """Joint laboratories and centres with their hosts, partners and sources."""
    table = _answer("joint-centers-in", {"place": city} if city else {}, data, build)
    _show(table.columns, table.rows, as_json, title=table.title)


@app.command()
def investments(
    by: Annotated[str | None, typer.Option("--by", help="Only those this actor or place takes part in.")] = None,
    as_json: JsonOpt = False,
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """Investments, loans and joint ventures, amounts as stated."""
    table = _answer("investments-by", {"actor": by} if by else {}, data, build)
    _show(table.columns, table.rows, as_json, title=table.title)


@app.command()
def questions(as_json: JsonOpt = False) -> None:
    """The catalogue of canned questions."""
    from coopgraph.queries.catalogue import questions as catalogue

    rows = [
        {
            "question": q.name,
            "title": q.title,
            "parameters": ", ".join(f"{p.name}{'?' if p.optional else ''}" for p in q.params),
            "columns": ", ".join(c.name for c in q.columns),
        }
        for q in catalogue().values()
    ]
    _show(["question", "title", "parameters", "columns"], rows, as_json)


@app.command()
def ask(
    name: Annotated[str, typer.Argument(help="A question from `coopgraph questions`.")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable.")] = None,
    as_json: JsonOpt = False,
    neo4j: Neo4jOpt = False,
    uri: UriOpt = DEFAULT_URI,
    user: UserOpt = "neo4j",
    database: DatabaseOpt = None,
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """Answer a canned question: SPARQL on the embedded store, or Cypher on Neo4j with --neo4j."""
    raw = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError("--param", f"expected key=value, got {item!r}")
        raw[key.strip()] = value.strip()
    if neo4j:
        table = _answer_on_neo4j(name, raw, _runner(uri, user, database))
    else:
        table = _answer(name, raw, data, build)
    _show(table.columns, table.rows, as_json, title=table.title)


def _answer_on_neo4j(name: str, raw: dict[str, str], runner):
    from coopgraph.ontology import load_ontology
    from coopgraph.queries.answers import answer
    from coopgraph.queries.catalogue import question
    from coopgraph.queries.cypher import CypherBackend

    try:
        return answer(question(name), raw, CypherBackend(runner), load_ontology())
    finally:
        runner.close()


@app.command()
def sync(
    uri: UriOpt = DEFAULT_URI,
    user: UserOpt = "neo4j",
    database: DatabaseOpt = None,
    max_batch_bytes: Annotated[
        int, typer.Option(envvar="COOPGRAPH_MAX_BATCH_BYTES", help="Bytes per batch.")
    ] = 4_000_000,
    full: Annotated[bool, typer.Option("--full", help="Compare every node, not only changed ones.")] = False,
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """Write the graph to Neo4j (or FalkorDB): only the difference; what it did not create stays untouched."""
    from rich.progress import Progress

    from coopgraph.graph.sync import sync_store

    graph = _graph(data, build)
    runner = _runner(uri, user, database)
    with Progress(console=_stderr(), transient=True) as bar:
        task = bar.add_task("syncing", total=None)
        report = sync_store(
            graph.store, runner, max_batch_bytes, lambda done, total: bar.update(task, completed=done, total=total),
            full, built=f"{graph.manifest.store}:{graph.manifest.fingerprint}",
        )  # fmt: skip
    runner.close()
    verdict = "changed" if report.changed else "nothing to change"
    typer.echo(
        f"{verdict}: created {report.created}, updated {report.updated}, deleted {report.deleted}, "
        f"unchanged {report.unchanged} in {report.batches} batches, {report.seconds:.2f} s"
    )


def _stderr():
    from rich.console import Console

    return Console(stderr=True)


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or a file that holds one.")],
    as_json: JsonOpt = False,
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """Run a read-only SPARQL query (updates are refused); coop:, skos:, ... are predeclared."""
    from coopgraph.queries.embedded import run_sparql

    text = Path(sparql).read_text(encoding="utf-8") if os.path.isfile(sparql) else sparql
    table = run_sparql(_graph(data, build).store, text)
    _show(table.columns, table.rows, as_json)


@app.command()
def stats(as_json: JsonOpt = False, data: DataOpt = None, build: BuildOpt = Path("build")) -> None:
    """Counts per class and per relation, and the sources the facts cite."""
    from coopgraph.queries.embedded import Embedded
    from coopgraph.queries.stats import stats as graph_stats

    graph = _graph(data, build)
    result = graph_stats(Embedded(graph.store), graph.manifest.triples, graph.manifest.counts)
    _show(["what", "name", "count"], result.as_rows(), as_json)


@app.command()
def path(
    start: Annotated[str, typer.Argument(help="An actor: place or organisation (any spelling).")],
    end: Annotated[str, typer.Argument(help="Another actor.")],
    max_hops: Annotated[int, typer.Option("--max-hops", help="Give up beyond this many hops.")] = 6,
    limit: Annotated[int, typer.Option("--limit", help="How many shortest paths to list.")] = 20,
    as_json: JsonOpt = False,
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """The shortest cooperation paths between two actors, hop by hop, with their sources."""
    from coopgraph.graph.network import paths_between

    table = paths_between(_graph(data, build).store, start, end, max_hops, limit)
    _show(table.columns, table.rows, as_json, title=table.title)


@app.command()
def central(
    by: Annotated[str, typer.Option("--by", help="degree, betweenness or pagerank.")] = "degree",
    kind: Annotated[str | None, typer.Option("--kind", help="Only places or only organizations.")] = None,
    top: Annotated[int, typer.Option("--top", help="How many actors to list.")] = 20,
    as_json: JsonOpt = False,
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """The most connected actors (linked when they take part in the same cooperation)."""
    from coopgraph.graph.network import central_actors

    table = central_actors(_graph(data, build).store, by, kind, top)
    _show(table.columns, table.rows, as_json, title=table.title)


@app.command()
def communities(as_json: JsonOpt = False, data: DataOpt = None, build: BuildOpt = Path("build")) -> None:
    """Clusters of actors that cooperate, with their members and strongest links."""
    from coopgraph.graph.network import communities as find_communities

    table = find_communities(_graph(data, build).store)
    _show(table.columns, table.rows, as_json, title=table.title)


PictureOpt = Annotated[Path | None, typer.Option("--output", "-o", help="A .svg or .png file.")]


def _save_picture(output: Path | None, default: str, draw) -> None:
    from coopgraph.graph.export import write_atomically
    from coopgraph.graph.pictures import picture_format

    output = output or Path(default)
    picture = draw(picture_format(output))
    write_atomically(output, picture)
    typer.echo(f"wrote {output} ({len(picture)} bytes)", err=True)


@app.command()
def draw(
    focus: Annotated[str | None, typer.Option("--focus", help="Only the links of this place.")] = None,
    kind: Annotated[str, typer.Option("--kind", help="twinning, or all cooperation between places.")] = "twinning",
    output: PictureOpt = None,
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """Draw the links between the places of the two countries [default file: coopgraph-network.svg]."""
    from coopgraph.graph.pictures import draw_network

    store = _graph(data, build).store
    _save_picture(output, "coopgraph-network.svg", lambda fmt: draw_network(store, focus, kind, fmt))


@app.command()
def timeline(output: PictureOpt = None, data: DataOpt = None, build: BuildOpt = Path("build")) -> None:
    """Chart cooperation per year by kind [default file: coopgraph-timeline.svg]."""
    from coopgraph.graph.pictures import draw_timeline

    store = _graph(data, build).store
    _save_picture(output, "coopgraph-timeline.svg", lambda fmt: draw_timeline(store, fmt))


@app.command()
def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write into.")] = Path("coopgraph-report"),
    data: DataOpt = None,
    build: BuildOpt = Path("build"),
) -> None:
    """Write a self-contained HTML report (index.html) and a Markdown review (dataset-review.md)."""
    from coopgraph.report import write_report

    files = write_report(_graph(data, build).store, output)
    typer.echo(f"wrote {files.html} and {files.review}", err=True)


def main() -> None:
    """Entry point: user errors become lines on stderr and an exit code, never a traceback."""
    try:
        app()
    except ValidationFailed as e:
        for v in e.violations:
            typer.echo(f"error: {v.line()}", err=True)
        typer.echo(f"error: {e}", err=True)
        raise SystemExit(e.exit_code) from None
    except CoopgraphError as e:
        typer.echo(f"error: {e}", err=True)
        raise SystemExit(e.exit_code) from None
