"""The ``newsweave`` command line: thin wrappers over the library (see ``newsweave.pipeline``).

Output that is data (JSON lines, tables) goes to stdout; progress and messages go to stderr.
Exit codes: 0 success (inputs that could not be read are reported and skipped), 1 a newsweave
error (store, model, not found) or a run where no input could be read, 2 a usage error.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from newsweave import settings
from newsweave.errors import NewsweaveError
from newsweave.version import __version__

if TYPE_CHECKING:
    from newsweave.model import Article
    from newsweave.pipeline import IngestResult

app = typer.Typer(
    help="Read many news reports of one event; get the cited, structured account they describe.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

DEFAULT_DB: str = settings.DEFAULT_DB
DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar=settings.env("db"),
        help=settings.help_of("db"),
        show_default=True,
    ),
]
OutOption = Annotated[
    Path, typer.Option("--out", help="Folder for report.json, report.md and report.html.")
]
STEP_LABELS = {
    "assign": "Assigning stories",
    "ingest": "Reading inputs",
    "read": "Analysing articles",
    "stories": "Building accounts",
}


def _version(value: bool) -> None:
    if value:
        out.print(f"newsweave {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
) -> None:
    """newsweave: stories, facts with independent origins, quotes, conflicts and a cited brief."""
    ctx.obj = {"verbose": verbose}
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@contextmanager
def _progress(enabled: bool = True) -> Iterator[Progress | None]:
    if not enabled or not err.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        yield bar


def _callback(bar: Progress | None):
    tasks: dict[str, TaskID] = {}

    def update(step: str, done: int, total: int | None) -> None:
        if bar is None:
            return
        if step not in tasks:
            tasks[step] = bar.add_task(STEP_LABELS.get(step, step), total=total)
        bar.update(tasks[step], completed=done, total=total)

    return update


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except NewsweaveError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", markup=True)
        raise typer.Exit(1) from exc
    except OSError as exc:  # writing the report: a full disk, a read-only folder, ...
        where = f" ({exc.filename})" if exc.filename else ""
        err.print(f"[red]error:[/red] {escape(exc.strerror or str(exc))}{escape(where)}")
        raise typer.Exit(1) from exc


def _nothing_read(result: IngestResult) -> bool:
    """Every input given was a problem: nothing was stored, found stored, or left unchanged."""
    return bool(result.problems) and not (result.added or result.duplicates or result.unchanged)


def _report_ingest(result: IngestResult) -> None:
    for problem in result.problems:
        err.print(f"[yellow]skipped[/yellow] {escape(str(problem))}", markup=True)
    for warning in result.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(warning)}", markup=True)
    for where, existing in result.duplicates:
        err.print(f"duplicate {where}: same text as article {existing}, stored once")
    err.print(
        f"{len(result.added)} new article(s), {len(result.duplicates)} duplicate(s), "
        f"{len(result.unchanged)} unchanged input(s) skipped, {len(result.problems)} problem(s)"
    )


@app.command()
def analyze(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders of reports. Without any: the bundled demo corpus."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    out_dir: OutOption = Path("report"),
    brief_words: Annotated[
        int,
        typer.Option(
            "--brief-words",
            min=20,
            help="Most words in each story's brief (the central facts first).",
        ),
    ] = 250,
) -> None:
    """Ingest reports, analyse them and write the report."""
    from newsweave.pipeline import Pipeline, demo_path
    from newsweave.report import build_report, write_report
    from newsweave.store import Store

    inputs: list[str | Path] = list(paths) if paths else [demo_path()]
    if not paths:
        err.print(f"No path given: analysing the bundled demo corpus ({inputs[0]}).")
    with _errors(), Store.open(db) as store, _progress() as bar:
        pipeline = Pipeline(store, progress=_callback(bar), brief_words=brief_words)
        result = pipeline.run(inputs)
        _report_ingest(result)
        report = build_report(store)
        report["problems"] = [str(p) for p in result.problems] + result.warnings
        written = write_report(report, out_dir)
    err.print(
        f"{len(report['stories'])} story(ies), {len(report['facts'])} fact(s), "
        f"{len(report['conflicts'])} conflict(s); wrote " + ", ".join(str(p) for p in written)
    )
    if _nothing_read(result):
        err.print("error: none of the inputs could be read")
        raise typer.Exit(1)


AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Fetch from private, loopback and link-local addresses too (refused by default).",
    ),
]


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files or folders of reports, URLs, URL lists (.urls), feeds (.rss, .atom) "
            "and WARC archives (.warc, .warc.gz)."
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    urls: Annotated[
        list[Path] | None,
        typer.Option("--urls", help="A file of URLs, one a line (repeatable)."),
    ] = None,
    feeds: Annotated[
        list[str] | None,
        typer.Option("--feed", help="An RSS or Atom feed, file or URL (repeatable)."),
    ] = None,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Store articles only (idempotent; run it again after a crash to resume)."""
    if not (paths or urls or feeds):
        raise typer.BadParameter("give files, folders, URLs, --urls or --feed")
    from newsweave.pipeline import Pipeline
    from newsweave.sources import Collector, Fetcher, FetchPolicy
    from newsweave.store import Store

    with (
        _errors(),
        Store.open(db) as store,
        _progress() as bar,
        Fetcher(FetchPolicy(allow_private=allow_private)) as fetcher,
    ):
        collector = Collector(Pipeline(store, progress=_callback(bar)), fetcher)
        result = collector.ingest(paths or [], feeds=feeds or [], url_files=urls or [])
    _report_ingest(result)
    if _nothing_read(result):
        err.print("error: none of the inputs could be read")
        raise typer.Exit(1)


@app.command()
def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS or Atom feeds: URLs or files.")],
    db: DbOption = DEFAULT_DB,
    every: Annotated[
        str, typer.Option("--every", help="Time between polls: 30s, 10m, 2h, ...")
    ] = "10m",
    once: Annotated[bool, typer.Option("--once", help="Poll once and stop.")] = False,
    terms: Annotated[
        list[str] | None,
        typer.Option("--watch", help="An entity name or keyword to alert on (repeatable)."),
    ] = None,
    webhook: Annotated[
        str | None, typer.Option("--webhook", help="POST alerts as JSON to this URL.")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="text, or jsonl: one JSON object per poll.")
    ] = "text",
    allow_private: AllowPrivateOption = False,
) -> None:
    """Poll feeds, ingest new items, update stories and report what changed (Ctrl-C stops;
    a restart loses nothing and fetches nothing twice)."""
    from newsweave.sources import Changes, Fetcher, FetchPolicy, Watcher, format_changes
    from newsweave.sources import parse_interval as interval_of
    from newsweave.sources.fetch import UnsafeURL, check_url
    from newsweave.store import Store

    if fmt not in {"text", "jsonl"}:
        raise typer.BadParameter("use 'text' or 'jsonl'", param_hint="--format")
    try:
        seconds = interval_of(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from exc
    if webhook:
        try:
            check_url(webhook, allow_private=True)  # the scheme now; addresses when posting
        except UnsafeURL as exc:
            raise typer.BadParameter(exc.problem, param_hint="--webhook") from exc

    def show(changes: Changes) -> None:
        if fmt == "jsonl":
            out.print(json.dumps(changes.to_dict(), ensure_ascii=False), markup=False)
        else:
            out.print(format_changes(changes), markup=False, highlight=False)

    with (
        _errors(),
        Store.open(db) as store,
        Fetcher(FetchPolicy(allow_private=allow_private)) as fetcher,
    ):
        watcher = Watcher(store, feeds, fetcher=fetcher, watchlist=terms or [], webhook=webhook)
        if not once:
            err.print(f"watching {len(feeds)} feed(s) every {every} (Ctrl-C stops)")
        try:
            watcher.run(seconds, polls=1 if once else None, on_changes=show)
        except KeyboardInterrupt:
            err.print("stopped")


@app.command("stories")
def stories_cmd(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[
        str, typer.Option("--format", help="table, or jsonl: one line per article.")
    ] = "table",
    recluster: Annotated[
        bool,
        typer.Option(
            "--recluster", help="Rebuild every story from scratch instead of adding to them."
        ),
    ] = False,
) -> None:
    """List the stories (articles still without a story are assigned first)."""
    if fmt not in {"table", "jsonl"}:
        raise typer.BadParameter("use 'table' or 'jsonl'", param_hint="--format")
    from newsweave.pipeline import Pipeline
    from newsweave.store import Store

    with _errors(), Store.open(db) as store, _progress() as bar:
        pipeline = Pipeline(store, progress=_callback(bar))
        if recluster or store.articles_without_story():
            pipeline.analyze_documents()
            pipeline.assign_stories(recluster=recluster)
        stories = store.stories()
        if fmt == "jsonl":
            for story in stories:
                for article in store.iter_articles(story.articles):
                    line: dict[str, str | None] = {"article": article.id}
                    line.update(_where_given(article))
                    line["story"] = story.id
                    out.print(json.dumps(line, ensure_ascii=False), markup=False)
            return
        table = Table("story", "articles", "title")
        for story in sorted(stories, key=lambda s: (-len(s.articles), s.id)):
            analysis = store.load_story_analysis(story.id)
            title = analysis.story.title if analysis else story.title
            table.add_row(story.id, str(len(story.articles)), title or "(not analysed yet)")
        out.print(table)


def _where_given(article: Article) -> dict[str, str | None]:
    """How the user gave the article: its file path; for a line of a JSON-lines file (many
    articles in one file), its URL if it has one, else ``file:line``."""
    if article.path and "line" not in article.meta:
        return {"path": article.path}
    if article.url:
        return {"url": article.url}
    line = article.meta.get("line")
    return {"path": f"{article.path}:{line}" if article.path and line else article.path}


@app.command()
def report(
    story: Annotated[
        str | None, typer.Argument(help="A story id; all stories when omitted.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    out_dir: OutOption = Path("report"),
) -> None:
    """Rebuild the report from the store, without re-analysing."""
    from newsweave.report import build_report, write_report
    from newsweave.store import Store

    with _errors(), Store.open(db) as store:
        data = build_report(store, [story] if story else None)
        written = write_report(data, out_dir)
    err.print("wrote " + ", ".join(str(p) for p in written))


@app.command()
def dates(
    file: Annotated[str, typer.Argument(help="A text file, or - for standard input.")],
    anchor: Annotated[
        str | None,
        typer.Option("--anchor", help="The date expressions are relative to (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """Print the temporal expressions of a text as JSON, with TIMEX3 types and values."""
    from newsweave.document import timex

    if anchor is not None and timex.parse_iso(anchor) is None:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--anchor")
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]error:[/red] cannot read {file}: {exc}", markup=True)
        raise typer.Exit(1) from exc
    rows = []
    for t in timex.tag(text, anchor):
        row = {"text": t.text, "start": t.start, "end": t.end, "type": t.type, "value": t.value}
        if t.value_max is not None:
            row["value_max"] = t.value_max
        rows.append(json.dumps(row, ensure_ascii=False))
    out.print("[\n  " + ",\n  ".join(rows) + "\n]" if rows else "[]", markup=False)


@app.command()
def graph(
    story: Annotated[
        str | None, typer.Argument(help="A story id; every story when omitted.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[
        str, typer.Option("--format", help="json, graphml, gexf (Gephi) or dot (Graphviz).")
    ] = "json",
    entities_only: Annotated[
        bool, typer.Option("--entities-only", help="Leave out edges to phrases.")
    ] = False,
) -> None:
    """Print the actor graph of a story: entities and the relations between them."""
    from newsweave.store import Store
    from newsweave.story import graph as graph_mod

    if fmt not in graph_mod.FORMATS:
        raise typer.BadParameter("use " + ", ".join(graph_mod.FORMATS), param_hint="--format")
    with _errors(), Store.open(db) as store:
        ids = [story] if story else [s.id for s in store.stories()]
        analyses = []
        for sid in ids:
            store.get_story(sid)  # NotFound for an unknown id
            analysis = store.load_story_analysis(sid)
            if analysis is None:
                err.print(f"story {sid} has not been analysed yet; run 'newsweave analyze' first")
                raise typer.Exit(1)
            analyses.append(analysis)
        text = graph_mod.write(graph_mod.build_graph(analyses, entities_only), fmt)
    sys.stdout.write(text)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar=settings.env("token"),
            help=settings.help_of("token"),
            show_default=False,
        ),
    ] = None,
    protect_reads: Annotated[
        bool, typer.Option("--protect-reads", help="Require the token for reads too.")
    ] = False,
) -> None:
    """Start the web app and the JSON API over the store (schema at /api/openapi.json)."""
    import uvicorn

    from newsweave.web import create_app, is_loopback
    from newsweave.web.app import token_problem

    problem = token_problem(token, host)
    if problem is not None:
        err.print(
            f"[red]error:[/red] {escape(problem)}: pass a good one with --token or set "
            f"{settings.env('token')}",
            markup=True,
        )
        raise typer.Exit(2)
    token = token or None  # an empty NEWSWEAVE_TOKEN on loopback: no token
    if protect_reads and not token:
        raise typer.BadParameter("--protect-reads needs --token", param_hint="--protect-reads")
    with _errors():
        # on loopback, only loopback names in Host: a web page cannot rebind a name to us
        hosts = ["127.0.0.1", "localhost", "::1", host] if is_loopback(host) else None
        web_app = create_app(db, token=token, protect_reads=protect_reads, hosts=hosts)
    err.print(f"newsweave serving {db} on http://{host}:{port}/ (Ctrl-C stops)")
    uvicorn.run(web_app, host=host, port=port, log_level="warning", access_log=False)


@app.command()
def batch(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files, folders or globs (quote them): JSONL, Parquet, WARC, text."),
    ],
    engine: Annotated[
        str, typer.Option("--engine", help="local (this process) or ray (a Ray cluster).")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option("--address", help="The Ray cluster (host:port); default: start one."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar=settings.env("db"), help="Write into this store."),
    ] = None,
    parquet: Annotated[
        Path | None, typer.Option("--out", help="Write Parquet files into this folder.")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Ray actors per stage.")] = 2,
    window_days: Annotated[
        int, typer.Option("--window-days", min=1, help="Days per story shard.")
    ] = 7,
) -> None:
    """Analyse a large corpus in one pass, in-process or on Ray (see docs/scaling.md). Ray's
    own logs show only with newsweave --verbose."""
    from newsweave.batch import BatchOptions, run_batch

    if db is None and parquet is None:
        raise typer.BadParameter("give --db and/or --out", param_hint="--db / --out")
    if engine not in ("local", "ray"):
        raise typer.BadParameter("use local or ray", param_hint="--engine")
    options = BatchOptions(window_days=window_days, workers=workers)
    with _errors():
        result = run_batch(
            inputs,
            engine=engine,
            address=address,
            db=db,
            out=parquet,
            options=options,
            verbose=bool((ctx.obj or {}).get("verbose")),
        )
    for problem in result.problems:
        err.print(f"[yellow]skipped[/yellow] {escape(str(problem))}", markup=True)
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
    err.print(
        f"{result.articles} article(s) ({result.duplicates} duplicate(s)), "
        f"{len(result.stories)} story(ies) from {result.shards} shard(s), "
        f"{len(result.problems)} problem(s); {stages}"
    )
