"""Batch analysis of a large corpus, in-process or on a Ray cluster (``newsweave batch``).

The same functions run on either engine; only who calls them differs:

1. **read** (per input file): :func:`read_rows` turns one file (text, Markdown, HTML, JSONL,
   Parquet, WARC) into rows of serialised Documents, or problems.
2. **clean** (per document): :func:`clean_row`, then duplicates (same content hash, hence the
   same article id) are dropped on the driver, the first in input order kept.
3. **analyse** (per batch of articles): :class:`AnalyzeBatch` loads spaCy once per worker and
   returns each article's analysis (JSON) and its story features (hashed term counts and day).
4. **stories** (sharded): articles are bucketed by time window (``window_days``, by their
   publication day); an undated article goes to the window of its most similar dated article
   (:func:`place_undated`: the story split's similarity, the Assigner's bar for joining a
   thread), or to an ``undated`` shard. Each shard is assigned by
   :class:`newsweave.stories.Assigner` in input order (:func:`assign_shard`); then stories of
   adjacent windows are joined when the story split would join them (:func:`join_boundary`:
   average-linkage distance below the split threshold, on the split's within-group similarity
   with its time discount), at most one partner each.
5. **accounts** (per story): :class:`AccountBatch` loads the sentence encoder once per worker
   and builds each story's account.

The output goes to a store (``db``: the same tables ``newsweave analyze`` writes, so ``report``,
``serve`` and the rest work afterwards) and/or to Parquet files (``out``); see docs/scaling.md.
On Ray, steps 1-3 and 5 are Ray Data stages (actor pools for 3 and 5), step 4's shards and
boundaries are Ray tasks, and the driver holds only the story features (about 2 KB an article)
and the story membership.
"""

from __future__ import annotations

import glob
import json
import logging
import pickle
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from newsweave import settings, stories
from newsweave.document import nlp
from newsweave.errors import InputError, NewsweaveError
from newsweave.ingest import clean_document
from newsweave.ingest.readers import input_files, read_file
from newsweave.model import Article, ArticleAnalysis, Document, Story, StoryAnalysis, from_dict
from newsweave.model import to_dict as model_to_dict
from newsweave.story.entities import normalise

log = logging.getLogger(__name__)

ENGINES = ("local", "ray")
SUPPORTED_LANGUAGES = {"en"}
UNDATED = -1  # the window number of the undated shard
_GLOB_CHARS = set("*?[")

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class BatchOptions:
    """How the batch is cut up. ``window_days``: the time window of a story shard;
    ``workers``: analysis / account actors on Ray (and the Ray tasks' parallelism);
    ``batch_size``: articles per analysis batch."""

    window_days: int = 7
    workers: int = 2
    batch_size: int = 16
    #: CPUs each Ray actor reserves: below 1 so that a cluster of ``workers`` CPUs keeps room
    #: for the tasks feeding the actors (a pool holding every CPU starves them and stalls)
    actor_cpus: float = 0.5
    params: stories.IncrementalParams = stories.INCREMENTAL
    #: A window holding more articles than this is cut further, by thread: its threads are
    #: found first (:func:`find_threads`), then packed into shards of about this many
    #: articles, whose stories are made apart (:func:`thread_shards`).
    shard_max: int = 20_000


@dataclass
class BatchResult:
    """What a batch did: counts, the stories (members in input order), problems, and the
    seconds each stage took."""

    engine: str
    documents: int = 0
    articles: int = 0
    duplicates: int = 0
    analysed: int = 0
    stories: list[Story] = field(default_factory=list)
    shards: int = 0
    joined: int = 0  # stories joined across window boundaries
    problems: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


# =========================================================================== rows
#
# Every stage passes plain rows (dicts of str / int / bytes) so Ray Data can hold them in Arrow
# blocks; dataclasses travel as JSON.


def _dumps(obj: Any) -> str:
    return json.dumps(model_to_dict(obj), ensure_ascii=False, sort_keys=True)


def expand_inputs(inputs: Iterable[str | Path]) -> list[str]:
    """Inputs with shell-style globs expanded (``**`` recursive), in sorted order; a glob that
    matches nothing stays as given (the reader then says so)."""
    out: list[str] = []
    for given in inputs:
        text = str(given)
        if _GLOB_CHARS & set(text):
            found = sorted(glob.glob(text, recursive=True))
            out.extend(found or [text])
        else:
            out.append(text)
    return out


def list_files(inputs: Iterable[str | Path]) -> tuple[list[dict[str, Any]], list[str]]:
    """The files to read as rows ``{"file": n, "path": ..., "shown": ...}`` (``n`` is the file's
    place in input order), and the problems with inputs that are not readable files."""
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for item in input_files(expand_inputs(inputs)):
        if isinstance(item, InputError):
            problems.append(str(item))
        else:
            rows.append({"file": len(rows), "path": item[0], "shown": item[1]})
    return rows, problems


def read_rows(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Step 1: one file's documents (``doc``: Document JSON) or problems (``problem``), each
    with its place ``(file, item)`` in input order."""
    out: list[dict[str, Any]] = []
    for item, found in enumerate(read_file(row["path"], row["shown"])):
        base = {"file": int(row["file"]), "item": item}
        if isinstance(found, InputError):
            out.append({**base, "doc": "", "problem": str(found)})
        else:
            out.append({**base, "doc": _dumps(found), "problem": ""})
    return out


def clean_row(row: dict[str, Any]) -> dict[str, Any]:
    """Step 2: a document row -> an article row (``article``: Article JSON, ``id``,
    ``language``), or a problem row."""
    out = {"file": row["file"], "item": row["item"], "id": "", "article": "", "language": ""}
    if row["problem"]:
        return {**out, "problem": row["problem"]}
    doc: Document = from_dict(Document, json.loads(row["doc"]))
    where = doc.path or doc.url or "<input>"
    if doc.path and "line" in doc.meta:
        where = f"{doc.path}:{doc.meta['line']}"
    try:
        article = clean_document(doc)
    except InputError as exc:
        return {**out, "problem": str(exc)}
    except NewsweaveError as exc:
        return {**out, "problem": str(InputError(where, str(exc)))}
    return {
        **out,
        "id": article.id,
        "article": _dumps(article),
        "language": article.language or "",
        "problem": "",
    }


def load_article(row: dict[str, Any]) -> Article:
    article: Article = from_dict(Article, json.loads(row["article"]))
    return article


def load_analysis(row: dict[str, Any]) -> ArticleAnalysis:
    analysis: ArticleAnalysis = from_dict(ArticleAnalysis, json.loads(row["analysis"]))
    return analysis


def story_features(article: Article, analysis: ArticleAnalysis) -> stories.TermCounts:
    """What story assignment reads of an article (as :class:`newsweave.pipeline.Pipeline`)."""
    ents = sorted({normalise(m.text) for m in analysis.mentions})
    return stories.term_counts(
        article.text, ents, article.published, stories.INCREMENTAL, article.title
    )


class AnalyzeBatch:
    """Step 3, a callable class: spaCy is loaded once per instance (one per Ray actor)."""

    def __init__(self) -> None:
        self.analyzer = nlp.DocumentAnalyzer()

    def rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        articles = [load_article(r) for r in rows]
        todo = [a for a in articles if a.language in SUPPORTED_LANGUAGES]
        found = {an.article: an for an in self.analyzer.analyze_many(todo)}
        out = []
        for row, article in zip(rows, articles, strict=True):
            analysis = found.get(article.id)
            if analysis is None:  # not analysable (language): stored, in no story
                out.append({**row, "analysis": "", "counts": b"", "day": UNDATED})
                continue
            counts = story_features(article, analysis)
            day = UNDATED if counts.day is None else counts.day
            out.append(
                {**row, "analysis": _dumps(analysis), "counts": counts.to_bytes(), "day": day}
            )
        return out

    def __call__(self, batch: Any) -> Any:
        import pandas as pd

        return pd.DataFrame(self.rows(batch.to_dict("records")))


# =========================================================================== stories


@dataclass
class Item:
    """One analysed article as story assignment sees it."""

    id: str
    seq: int  # place in input order
    counts: stories.TermCounts

    @property
    def day(self) -> int | None:
        return self.counts.day


def window_of(day: int | None, window_days: int) -> int:
    return UNDATED if day is None else day // window_days


def _sparse_rows(
    items: Sequence[Item], params: stories.IncrementalParams
) -> tuple[Any, np.ndarray]:
    """The split's within-group similarity inputs: an Assigner holding ``items`` (replayed in
    one thread, no search) and its positions."""
    assigner = stories.Assigner(params)
    for it in items:
        assigner.restore(it.id, it.counts, "", thread=0)
    return assigner, np.arange(len(items))


def place_undated(
    dated: Sequence[Item], undated: Sequence[Item], params: stories.IncrementalParams
) -> list[tuple[float, int]]:
    """For each undated item, its best similarity to ``dated`` (one window's articles) and that
    article's day, on the story split's similarity with the IDF computed among them all; the
    driver keeps, over all windows, the best, when it reaches ``params.threshold`` (the
    Assigner's bar for joining a thread; the Assigner never discounts an undated report for
    time, so it may join a thread of any date)."""
    if not dated or not undated:
        return [(0.0, UNDATED)] * len(undated)
    assigner, _ = _sparse_rows([*dated, *undated], params)
    sim = assigner.local_similarity(list(range(len(dated) + len(undated))))
    block = sim[len(dated) :, : len(dated)]
    best = np.argmax(block, axis=1)
    out = []
    for row, col in enumerate(best):
        day = dated[int(col)].day
        out.append((float(block[row, col]), UNDATED if day is None else day))
    return out


def assign_shard(
    items: Sequence[Item],
    params: stories.IncrementalParams,
    threads: dict[str, int] | None = None,
) -> dict[str, list[str]]:
    """One shard's stories: its items (in input order) through :class:`stories.Assigner`;
    with ``threads`` (article id -> thread number, from :func:`find_threads`), each article
    joins its given thread and only the story split runs."""
    assigner = stories.Assigner(params)
    local: dict[int, int] = {}  # the window's thread numbers -> this shard's, by first article
    for it in sorted(items, key=lambda i: i.seq):
        if threads is None:
            assigner.assign(it.id, it.counts)
        else:
            thread = local.setdefault(threads[it.id], len(local))
            assigner.assign(it.id, it.counts, thread=thread)
    return assigner.stories()


def find_threads(items: Sequence[Item], params: stories.IncrementalParams) -> dict[str, int]:
    """The thread of each article of a window (level 1 of :class:`stories.Assigner` alone, in
    input order): the cheap, sequential part of story assignment."""
    assigner = stories.Assigner(params)
    return {it.id: assigner.join(it.id, it.counts) for it in sorted(items, key=lambda i: i.seq)}


def thread_shards(
    items: Sequence[Item], threads: dict[str, int], shard_max: int
) -> list[list[Item]]:
    """Whole threads packed, in order of their first article, into shards of at most
    ``shard_max`` articles (a bigger thread is a shard of its own). The story split reads only
    the thread, so each shard's stories are those the whole window would get."""
    by_thread: dict[int, list[Item]] = defaultdict(list)
    for it in sorted(items, key=lambda i: i.seq):
        by_thread[threads[it.id]].append(it)
    shards: list[list[Item]] = []
    current: list[Item] = []
    for thread in sorted(by_thread, key=lambda t: by_thread[t][0].seq):
        members = by_thread[thread]
        if current and len(current) + len(members) > shard_max:
            shards.append(current)
            current = []
        current.extend(members)
    if current:
        shards.append(current)
    return [sorted(shard, key=lambda i: i.seq) for shard in shards]


def join_boundary(
    left: dict[str, list[Item]], right: dict[str, list[Item]], params: stories.IncrementalParams
) -> list[tuple[str, str]]:
    """Pairs (left story, right story) of two adjacent windows that the story split would join:
    the average-linkage distance between them (``1 -`` the mean pairwise similarity of their
    members, the split's within-group similarity with its time discount) is below
    ``params.split_threshold``. Each story joins at most one partner, closest pairs first. A
    story is represented by its latest (left) or earliest (right) ``params.max_members``."""
    if not left or not right:
        return []
    k = params.max_members
    reps: list[tuple[str, list[Item]]] = [(s, m[-k:]) for s, m in sorted(left.items())]
    reps += [(s, m[:k]) for s, m in sorted(right.items())]
    items = [it for _, members in reps for it in members]
    assigner, _ = _sparse_rows(items, params)
    sim = assigner.local_similarity(list(range(len(items))))
    spans: list[tuple[str, int, int]] = []
    start = 0
    for sid, members in reps:
        spans.append((sid, start, start + len(members)))
        start += len(members)
    lefts, rights = spans[: len(left)], spans[len(left) :]
    pairs: list[tuple[float, str, str]] = []
    for ls, la, lb in lefts:
        for rs, ra, rb in rights:
            mean = float(sim[la:lb, ra:rb].mean())
            if 1.0 - mean < params.split_threshold:
                pairs.append((mean, ls, rs))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_l: set[str] = set()
    used_r: set[str] = set()
    out = []
    for _, ls, rs in pairs:
        if ls in used_l or rs in used_r:
            continue
        used_l.add(ls)
        used_r.add(rs)
        out.append((ls, rs))
    return out


# =========================================================================== accounts


class AccountBatch:
    """Step 5, a callable class: the sentence encoder is loaded once per instance. Each call
    gets the rows of one story (``story``, ``seq``, ``article``, ``analysis``)."""

    def __init__(self) -> None:
        from newsweave import models

        self.embedder = models.embedder()

    def account(self, sid: str, rows: list[dict[str, Any]]) -> StoryAnalysis:
        from newsweave.story.account import build_account

        rows = sorted(rows, key=lambda r: int(r["seq"]))
        articles = [load_article(r) for r in rows]
        analyses = [load_analysis(r) for r in rows]
        story = Story(id=sid, title="", articles=[a.id for a in articles])
        return build_account(story, articles, analyses, self.embedder)

    def __call__(self, group: Any) -> Any:
        import pandas as pd

        rows = group.to_dict("records")
        sid = str(rows[0]["story"])
        # pickled: the account travels between Ray processes of one cluster only
        return pd.DataFrame([{"story": sid, "account": pickle.dumps(self.account(sid, rows))}])


# =========================================================================== engines


def _key(row: dict[str, Any]) -> tuple[int, int]:
    return int(row["file"]), int(row["item"])


class _Local:
    """Runs every step in this process, in order."""

    name = "local"

    def __init__(self, options: BatchOptions) -> None:
        self.options = options
        self._cleaned: list[dict[str, Any]] = []
        self._analysed: list[dict[str, Any]] = []

    def close(self) -> None:
        pass

    def read_clean(self, files: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self._cleaned = [clean_row(r) for f in files for r in read_rows(f)]
        return self._cleaned

    def analyze(self, keep: list[dict[str, Any]]) -> list[dict[str, Any]]:
        wanted = {_key(r): int(r["seq"]) for r in keep}
        rows = [{**r, "seq": wanted[_key(r)]} for r in self._cleaned if _key(r) in wanted]
        rows.sort(key=lambda r: r["seq"])
        if not rows:
            return []
        analyzer = AnalyzeBatch()
        size = self.options.batch_size
        for i in range(0, len(rows), size):
            self._analysed.extend(analyzer.rows(rows[i : i + size]))
        return self._analysed

    def map_tasks(self, fn: Callable[..., Any], args: list[tuple[Any, ...]]) -> list[Any]:
        return [fn(*a) for a in args]

    def accounts(self, story_of: dict[str, str]) -> Iterator[tuple[str, StoryAnalysis]]:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self._analysed:
            if r["id"] in story_of:
                groups[story_of[r["id"]]].append(r)
        if not groups:
            return
        builder = AccountBatch()
        for sid in sorted(groups):
            yield sid, builder.account(sid, groups[sid])

    def full_rows(self) -> Iterator[dict[str, Any]]:
        yield from self._analysed


def _with_seq(row: dict[str, Any], wanted: dict[tuple[int, int], int]) -> dict[str, Any]:
    return {**row, "seq": wanted.get(_key(row), -1)}


def _with_story(row: dict[str, Any], membership: dict[str, str]) -> dict[str, Any]:
    return {**row, "story": membership.get(row["id"], "")}


def _light(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "seq": row["seq"],
        "counts": row["counts"],
        "day": row["day"],
        "analysis": "x" if row["analysis"] else "",
    }


def _quiet_ray_data() -> list[tuple[logging.Handler, int]]:
    """Ray Data logs every stage to the console at INFO (its own handlers, not propagated):
    only its errors go to the console now; its log files in the Ray session keep everything.
    Returns the handlers changed with their levels before."""
    from ray.data._internal.logging import SessionFileHandler

    changed = []
    for handler in logging.getLogger("ray.data").handlers:
        if not isinstance(handler, SessionFileHandler):
            changed.append((handler, handler.level))
            handler.setLevel(logging.ERROR)
    return changed


class _Ray:
    """Runs steps 1-3 and 5 as Ray Data stages (actor pools for 3 and 5) and step 4's shards
    and boundaries as Ray tasks; the driver only sees light rows.

    Quiet unless ``verbose``: Ray's own logs (the driver's ``ray`` loggers below ERROR, Ray
    Data's stage lines, the workers' output, Ray's Python warnings) stay off the terminal; with
    ``verbose`` they all show. Ray's C++ core logs to the session's files and, by its own
    default, writes only its errors to the terminal (``RAY_BACKEND_LOG_LEVEL=fatal`` in the
    environment hides those too, but Ray then prints one INFO line saying it read it)."""

    name = "ray"

    def __init__(self, options: BatchOptions, address: str | None, verbose: bool = False) -> None:
        self._warnings: Any = None
        self._levels: list[tuple[logging.Handler, int]] = []
        if not verbose:
            self._warnings = warnings.catch_warnings()
            self._warnings.__enter__()
            warnings.filterwarnings("ignore", module=r"ray(\.|$)")
        try:
            self._start(options, address, verbose)
        except BaseException:
            self.close()
            raise

    def _start(self, options: BatchOptions, address: str | None, verbose: bool) -> None:
        # no usage statistics sent, and no thread in this process polling for them (Ray Data's
        # poller runs Python beside the caller's, every 10 s, for the process's life)
        settings.library_default("RAY_USAGE_STATS_ENABLED", "0")
        settings.library_default("RAY_DATA_USAGE_DISABLED", "1")
        import ray
        import ray.data

        self.options = options
        self.ray = ray
        self._started = False
        if not verbose:
            self._levels = _quiet_ray_data()
        if not ray.is_initialized():
            kwargs: dict[str, Any] = (
                {"address": address}
                if address
                else {"num_cpus": options.workers, "include_dashboard": False}
            )
            host = (address or "").rsplit(":", 1)[0]
            if not address or host.startswith("127.") or host == "localhost":
                # a cluster started here, or one on loopback: this driver is on loopback too
                kwargs["_node_ip_address"] = "127.0.0.1"
            ray.init(
                log_to_driver=verbose,  # the workers' output on this process's stderr
                configure_logging=True,  # the driver's "ray" loggers, at this level:
                logging_level=logging.INFO if verbose else logging.ERROR,
                **kwargs,
            )
            self._started = True
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        self._cleaned: Any = None
        self._analysed: Any = None

    def close(self) -> None:
        try:
            if getattr(self, "_started", False):
                self.ray.shutdown()
        finally:
            if self._warnings is not None:
                self._warnings.__exit__(None, None, None)
                self._warnings = None
            for handler, level in self._levels:
                handler.setLevel(level)
            self._levels = []

    def read_clean(self, files: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not files:
            return []
        ds = self.ray.data.from_items(files, override_num_blocks=min(len(files), 64))
        self._cleaned = ds.flat_map(read_rows).map(clean_row).materialize()
        cols = ["file", "item", "id", "language", "problem"]
        return list(self._cleaned.select_columns(cols).iter_rows())

    def analyze(self, keep: list[dict[str, Any]]) -> list[dict[str, Any]]:
        wanted = {_key(r): int(r["seq"]) for r in keep}
        if not wanted:
            return []
        ds = self._cleaned.map(_with_seq, fn_kwargs={"wanted": wanted})
        ds = ds.filter(lambda r: r["seq"] >= 0).materialize()
        ds = ds.map_batches(
            AnalyzeBatch,
            batch_format="pandas",
            batch_size=self.options.batch_size,
            compute=self.ray.data.ActorPoolStrategy(size=self.options.workers),
            num_cpus=self.options.actor_cpus,
        )
        self._analysed = ds.materialize()
        return list(self._analysed.map(_light).iter_rows())

    def map_tasks(self, fn: Callable[..., Any], args: list[tuple[Any, ...]]) -> list[Any]:
        if not args:
            return []
        remote = self.ray.remote(num_cpus=1)(fn)
        return list(self.ray.get([remote.remote(*a) for a in args]))

    def accounts(self, story_of: dict[str, str]) -> Iterator[tuple[str, StoryAnalysis]]:
        if self._analysed is None or not story_of:
            return
        ds = self._analysed.map(_with_story, fn_kwargs={"membership": story_of})
        ds = ds.filter(lambda r: bool(r["story"]))
        ds = ds.select_columns(["story", "seq", "article", "analysis"]).materialize()
        partitions = max(1, min(len(set(story_of.values())), 4 * self.options.workers))
        out = ds.groupby("story", num_partitions=partitions).map_groups(
            AccountBatch,
            batch_format="pandas",
            compute=self.ray.data.ActorPoolStrategy(size=self.options.workers),
            num_cpus=self.options.actor_cpus,
        )
        for row in out.iter_rows():
            yield str(row["story"]), pickle.loads(row["account"])

    def full_rows(self) -> Iterator[dict[str, Any]]:
        if self._analysed is not None:
            yield from self._analysed.sort("seq").iter_rows()


# =========================================================================== the driver


def assign_stories(
    items: Sequence[Item], map_tasks: Callable[..., list[Any]], options: BatchOptions
) -> tuple[dict[str, list[str]], int, int]:
    """Step 4: the stories of ``items`` (story id -> article ids in input order, stories in
    order of their first article), the number of shards, and how many boundary joins were made.
    ``map_tasks(fn, args)`` runs ``fn(*a)`` for each ``a`` (in this process or as Ray tasks)."""
    p = options.params
    by_window: dict[int, list[Item]] = defaultdict(list)
    undated: list[Item] = []
    for it in items:
        if it.day is None:
            undated.append(it)
        else:
            by_window[window_of(it.day, options.window_days)].append(it)
    windows = sorted(by_window)
    if undated and windows:
        found = map_tasks(place_undated, [(by_window[w], undated, p) for w in windows])
        placed: list[tuple[Item, int]] = []
        leftover: list[Item] = []
        for row, it in enumerate(undated):
            sim, day = max(
                ((f[row][0], f[row][1]) for f in found), key=lambda x: x[0], default=(0.0, -1)
            )
            if sim >= p.threshold and day != UNDATED:
                placed.append((it, window_of(day, options.window_days)))
            else:
                leftover.append(it)
        for it, w in placed:
            by_window[w].append(it)
        undated = leftover
    whole = [(w, by_window[w]) for w in windows]
    if undated:
        whole.append((UNDATED, undated))
    # a window too big for one task: its threads first (one task each), then whole threads
    # packed into shards whose stories are made apart
    big = [(w, its) for w, its in whole if len(its) > options.shard_max]
    threads_of: dict[int, dict[str, int]] = dict(
        zip(
            [w for w, _ in big],
            map_tasks(find_threads, [(its, p) for _, its in big]),
            strict=True,
        )
    )
    shards: list[tuple[int, list[Item], dict[str, int] | None]] = []
    for w, its in whole:
        if w in threads_of:
            parts = thread_shards(its, threads_of[w], options.shard_max)
            shards += [(w, part, {it.id: threads_of[w][it.id] for it in part}) for part in parts]
        else:
            shards.append((w, its, None))
    assigned = map_tasks(assign_shard, [(its, p, th) for _, its, th in shards])
    per_window: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for (w, _, _), groups in zip(shards, assigned, strict=True):
        per_window[w].update(groups)  # story ids are their first article's: no clash
    item_of = {it.id: it for it in items}

    def members(groups: dict[str, list[str]]) -> dict[str, list[Item]]:
        return {sid: [item_of[a] for a in ids] for sid, ids in groups.items()}

    bounds = [(w, w + 1) for w in windows if w + 1 in by_window]
    joins = map_tasks(
        join_boundary,
        [(members(per_window[a]), members(per_window[b]), p) for a, b in bounds],
    )
    parent: dict[str, str] = {}

    def root(sid: str) -> str:
        while sid in parent:
            sid = parent[sid]
        return sid

    joined = 0
    for pairs in joins:
        for left, right in pairs:
            parent[right] = root(left)
            joined += 1
    grouped: dict[str, list[Item]] = defaultdict(list)
    for groups in assigned:
        for sid, ids in groups.items():
            grouped[root(sid)].extend(item_of[a] for a in ids)
    ordered = sorted(
        ((sid, sorted(its, key=lambda i: i.seq)) for sid, its in grouped.items()),
        key=lambda kv: kv[1][0].seq,
    )
    return {sid: [i.id for i in its] for sid, its in ordered}, len(shards), joined


def run_batch(
    inputs: Sequence[str | Path],
    *,
    engine: str = "local",
    address: str | None = None,
    db: str | Path | None = None,
    out: str | Path | None = None,
    options: BatchOptions | None = None,
    verbose: bool = False,
) -> BatchResult:
    """Analyse ``inputs`` (files, folders, globs) with ``engine`` (``local``: in this process;
    ``ray``: on the Ray cluster at ``address``, or a local one started for the run) and write
    the results to the store ``db`` and/or Parquet files in ``out``. On Ray, Ray's own logs
    stay off the terminal unless ``verbose``."""
    if engine not in ENGINES:
        raise NewsweaveError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    options = options or BatchOptions()
    result = BatchResult(engine=engine)
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.timings[stage] = round(now - clock, 3)
        clock = now

    files, result.problems = list_files(inputs)
    runner: _Local | _Ray = (
        _Local(options) if engine == "local" else _Ray(options, address, verbose=verbose)
    )
    lap("start")
    try:
        rows = sorted(runner.read_clean(files), key=_key)
        result.documents = len(rows)
        keep: list[dict[str, Any]] = []
        seen: set[str] = set()
        for r in rows:
            if r["problem"]:
                result.problems.append(r["problem"])
            elif r["id"] in seen:
                result.duplicates += 1
            else:
                seen.add(r["id"])
                keep.append({"file": r["file"], "item": r["item"], "seq": len(keep)})
        result.articles = len(keep)
        lap("read")
        light = runner.analyze(keep)
        items = sorted(
            (
                Item(
                    str(r["id"]),
                    int(r["seq"]),
                    stories.TermCounts.from_bytes(
                        bytes(r["counts"]), None if r["day"] == UNDATED else int(r["day"])
                    ),
                )
                for r in light
                if r["analysis"]
            ),
            key=lambda i: i.seq,
        )
        result.analysed = len(items)
        lap("analyse")
        groups, result.shards, result.joined = assign_stories(items, runner.map_tasks, options)
        result.stories = [Story(id=sid, title="", articles=ids) for sid, ids in groups.items()]
        story_of = {a: sid for sid, ids in groups.items() for a in ids}
        lap("stories")
        accounts = dict(runner.accounts(story_of))
        lap("accounts")
        if db is not None:
            _write_store(db, runner.full_rows(), items, result.stories, accounts)
        if out is not None:
            _write_parquet(Path(out), runner.full_rows(), story_of, result.stories, accounts)
        lap("write")
    finally:
        runner.close()
    log.info(
        "batch (%s): %d articles, %d stories in %d shards", engine, result.articles,
        len(result.stories), result.shards,
    )  # fmt: skip
    return result


def _write_store(
    db: str | Path,
    rows: Iterable[dict[str, Any]],
    items: Sequence[Item],
    made: Sequence[Story],
    accounts: dict[str, StoryAnalysis],
) -> None:
    """Articles (in input order), analyses, stories, story vectors and accounts, into the
    store, as ``newsweave analyze`` leaves them; running again stores nothing twice."""
    from newsweave.pipeline import input_source, persist_article, persist_stories
    from newsweave.store import Store

    with Store.open(db) as store:
        for row in rows:
            article = load_article(row)
            # the input is recorded with the article (one transaction), as ingest does, so a
            # later `ingest` or `analyze` of the same files skips them
            _, key, size, mtime = input_source(article.path, article.url, article.meta)
            persist_article(store, article, key, size, mtime)
            if row["analysis"]:
                store.save_analysis(load_analysis(row))
        persist_stories(
            store,
            made,
            ((it.id, stories.VECTOR_VERSION, it.day, it.counts.to_bytes()) for it in items),
            within={a for s in made for a in s.articles},
        )
        for sid in sorted(accounts):
            if not store.story_analysis_fresh(sid):
                store.save_story_analysis(accounts[sid])


def _write_parquet(
    out: Path,
    rows: Iterable[dict[str, Any]],
    story_of: dict[str, str],
    made: Sequence[Story],
    accounts: dict[str, StoryAnalysis],
) -> None:
    """``articles.parquet`` (metadata, text, story), ``analyses.parquet`` (JSON per article),
    ``stories.parquet`` (members), ``facts.parquet`` (one row per fact) and
    ``accounts.parquet`` (the whole account of each story as JSON)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    articles: list[dict[str, Any]] = []
    analyses: list[dict[str, Any]] = []
    for row in rows:
        a = load_article(row)
        articles.append(
            {
                "id": a.id,
                "seq": int(row["seq"]),
                "story": story_of.get(a.id),
                "path": a.path,
                "url": a.url,
                "source": a.source,
                "title": a.title,
                "published": a.published,
                "language": a.language,
                "words": a.words,
                "text": a.text,
            }
        )
        if row["analysis"]:
            analyses.append({"id": a.id, "version": nlp.VERSION, "analysis": row["analysis"]})
    facts = [
        {
            "story": sid,
            "fact": f.id,
            "text": f.text,
            "status": f.status,
            "reports": f.reports,
            "origins": f.origins,
            "articles": sorted({c.article for c in f.claims}),
        }
        for sid in sorted(accounts)
        for f in accounts[sid].facts
    ]
    tables = {
        "articles": articles,
        "analyses": analyses,
        "stories": [
            {
                "story": s.id,
                "title": accounts[s.id].story.title if s.id in accounts else "",
                "articles": list(s.articles),
            }
            for s in made
        ],
        "facts": facts,
        "accounts": [{"story": sid, "account": _dumps(accounts[sid])} for sid in sorted(accounts)],
    }
    for name, records in tables.items():
        pq.write_table(pa.Table.from_pylist(records), out / f"{name}.parquet")
