"""The document stage and the story stage in worker processes.

**Documents**: articles go out in small chunks, analyses come back and are written to the
store in batches, one transaction each.

Each worker is a fresh interpreter (``spawn``: nothing of the parent's open store, threads or
models is inherited) that loads spaCy once, then analyses the chunks it is given with the same
:class:`newsweave.document.nlp.DocumentAnalyzer` the serial path runs, so an article's analysis
does not
depend on where it was made (spaCy's results do not depend on the batch an article is parsed
in; ``tests/test_parallel.py`` holds the two paths to the same stored analyses and report).

The parent keeps a few chunks per worker in flight and stores what has come back whenever it
hands out more, so reading and writing in the parent overlap with the parsing in the workers.
An exception raised in a worker is raised again in the parent when that chunk's results are
collected, as the serial path would raise it; a worker that dies (killed, out of memory) ends
the stage with a :class:`~newsweave.errors.ModelError` that says so.

**Stories** (:class:`StoryWorkers`): the parent reads each story's articles and analyses and
sends them; a worker builds the account (:func:`newsweave.story.account.build_account`) with its own
sentence encoder, reading the store's vector cache (a connection of its own, reads only) and
returning the vectors it computed, which the parent caches with the account. Accounts are
stored in the order the stories were sent, so the store is written as the serial path writes
it; a sentence's vector does not depend on the process or the number of threads that computed
it (the encoder embeds one text at a time).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from newsweave import settings
from newsweave.errors import ModelError

if TYPE_CHECKING:
    from newsweave.document.nlp import DocumentAnalyzer
    from newsweave.model import Article, ArticleAnalysis, Story, StoryAnalysis
    from newsweave.store import Store

log = logging.getLogger(__name__)

#: Articles per chunk sent to a worker (spaCy parses them in one ``pipe`` batch).
CHUNK = 16
#: Chunks per worker kept in flight: enough that a worker never waits for the parent.
AHEAD = 2

_analyzer: DocumentAnalyzer | None = None  # in a worker: its own analyzer


#: How often a worker looks whether the process that started it is still there.
PARENT_CHECK_SECONDS = 0.5


def _exit_with_parent(parent: int) -> None:
    """End this worker when ``parent``, the process that started it, is gone (killed, say, with
    SIGKILL: it cannot stop its workers then, and a worker waiting for work, or writing a
    result nobody reads, would wait for ever). The parent's pid is given, not read here: a
    parent killed while the worker was starting has already left it to another process."""
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="newsweave-parent-watch", daemon=True).start()


def _start_worker(model: str, parent: int) -> None:
    """Runs once in each worker: load the analyzer (spaCy) before the first chunk arrives. A
    model that fails to load here fails again, with its own error, on the first chunk, which
    raises it in the parent as the serial path would."""
    _exit_with_parent(parent)
    global _analyzer
    from newsweave.document.nlp import DocumentAnalyzer
    from newsweave.errors import NewsweaveError

    _analyzer = DocumentAnalyzer(model)
    with contextlib.suppress(NewsweaveError):
        _ = _analyzer.nlp


def _analyze_chunk(articles: list[Article]) -> list[ArticleAnalysis]:
    assert _analyzer is not None, "the worker was not started with _start_worker"
    return list(_analyzer.analyze_many(articles, batch_size=len(articles) or 1))


def cpu_count() -> int:
    """CPUs this process may run on (its affinity mask where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class DocumentWorkers:
    """A pool of ``workers`` processes running the document stage, writing to ``store``.

    :meth:`add` queues an article (and stores whatever analyses are back); :meth:`finish`
    sends what is queued, waits for every chunk and stores the rest; :meth:`close` stops the
    processes. ``on_saved(n)`` is called after each batch written, with its size."""

    def __init__(
        self,
        store: Store,
        workers: int,
        analyzer: DocumentAnalyzer,
        on_saved: Callable[[int], None] | None = None,
        chunk: int = CHUNK,
        min_parallel: int = 0,
        save_every: int = 32,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.store = store
        self.workers = workers
        self.analyzer = analyzer
        self.chunk = chunk
        self.min_parallel = min_parallel
        self.save_every = save_every
        self.on_saved = on_saved
        self.submitted: set[str] = set()
        self._buffer: list[Article] = []
        self._pending: deque[Future[list[ArticleAnalysis]]] = deque()
        self._started = False
        # no process starts before the first chunk is sent
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(analyzer.model, os.getpid()),
        )

    def __enter__(self) -> DocumentWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, article: Article) -> None:
        """Queue one article (each article once: one sent before is ignored)."""
        if article.id in self.submitted:
            return
        self.submitted.add(article.id)
        self._buffer.append(article)
        if not self._started:
            if len(self._buffer) < self.min_parallel:
                return  # maybe too few to be worth starting the workers: wait and see
            self._started = True
        while len(self._buffer) >= self.chunk:
            self._send()
        self._collect(block=False)

    def finish(self) -> None:
        """Send what is queued, then store every analysis still to come. Fewer articles than
        ``min_parallel`` in all are analysed here, in this process, without workers."""
        if not self._started:
            self._analyze_here()
            return
        while self._buffer:
            self._send()
        while self._pending:
            self._store(self._pending.popleft())

    def _analyze_here(self) -> None:
        articles, self._buffer = self._buffer, []
        batch: list[ArticleAnalysis] = []
        for analysis in self.analyzer.analyze_many(articles):
            batch.append(analysis)
            if len(batch) >= self.save_every:
                self._save(batch)
                batch = []
        if batch:
            self._save(batch)

    def close(self) -> None:
        """Stop the workers (chunks not collected are dropped: their articles stay without an
        analysis, so the next run analyses them)."""
        for future in self._pending:
            future.cancel()
        self._pending.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _send(self) -> None:
        chunk, self._buffer = self._buffer[: self.chunk], self._buffer[self.chunk :]
        # never more than AHEAD chunks per worker waiting: the parent stores before it sends
        while len(self._pending) >= self.workers * AHEAD:
            self._store(self._pending.popleft())
        try:
            self._pending.append(self._pool.submit(_analyze_chunk, chunk))
        except BrokenProcessPool as exc:
            raise _died(exc) from exc

    def _collect(self, block: bool) -> None:
        while self._pending and (block or self._pending[0].done()):
            self._store(self._pending.popleft())

    def _store(self, future: Future[list[ArticleAnalysis]]) -> None:
        try:
            analyses = future.result()
        except BrokenProcessPool as exc:
            raise _died(exc) from exc
        self._save(analyses)

    def _save(self, analyses: list[ArticleAnalysis]) -> None:
        self.store.save_analyses(analyses)  # one transaction
        if self.on_saved is not None:
            self.on_saved(len(analyses))


def _died(exc: BaseException, stage: str = "document") -> ModelError:
    return ModelError(
        f"a {stage} worker process stopped unexpectedly ({exc or 'killed'}); "
        "run again (what was stored is kept), with fewer workers if memory is short"
    )


# --------------------------------------------------------------------------- the story stage


class _WorkerCache:
    """What :class:`newsweave.embed.CachedEmbedder` asks of a store, in a worker: the
    vectors this worker computed, else the store's cache (read only); the vectors computed
    here are kept in :attr:`fresh` for the parent to store."""

    def __init__(self, reader: Store | None) -> None:
        self.reader = reader
        self.local: dict[str, bytes] = {}
        self.fresh: dict[str, bytes] = {}

    def get_embeddings(self, keys: object) -> dict[str, bytes]:
        wanted = set(keys)  # type: ignore[call-overload]
        found = {k: self.local[k] for k in wanted if k in self.local}
        rest = [k for k in wanted if k not in found]
        if rest and self.reader is not None:
            found.update(self.reader.get_embeddings(rest))
        return found

    def put_embeddings(self, vectors: dict[str, bytes]) -> None:
        if len(self.local) > 200_000:  # a bound on a long run's memory; the store has them
            self.local.clear()
        self.local.update(vectors)
        self.fresh.update(vectors)


_story_state: dict[str, object] = {}  # in a worker: its encoder and store reader


def _start_story_worker(db: str, threads: int | None, parent: int) -> None:
    _exit_with_parent(parent)
    if threads:
        settings.put("embed_threads", str(threads))
    from newsweave.errors import NewsweaveError
    from newsweave.store import Store

    reader = None
    with contextlib.suppress(NewsweaveError):  # without: the vectors are computed again
        reader = Store.open_reader(db)
    _story_state["cache"] = _WorkerCache(reader)
    with contextlib.suppress(NewsweaveError):
        from newsweave import models

        _story_state["embedder"] = models.embedder()


def _build_account(
    story: Story,
    articles: list[Article],
    analyses: list[ArticleAnalysis],
    options: dict[str, object],
) -> tuple[StoryAnalysis, dict[str, bytes]]:
    from newsweave import models
    from newsweave.embed import CachedEmbedder
    from newsweave.story.account import build_account

    embedder = _story_state.get("embedder") or models.embedder()  # raises its own error
    cache = _story_state.get("cache")
    assert isinstance(cache, _WorkerCache), "the worker was not started with its initializer"
    cache.fresh = {}
    cached = CachedEmbedder(cache, embedder)
    account = build_account(story, articles, analyses, cached, **options)  # type: ignore[arg-type]
    return account, cache.fresh


class StoryWorkers:
    """A pool of ``workers`` processes building story accounts, stored by the parent in the
    order the stories were given. :meth:`add` sends one story (with its articles and
    analyses); :meth:`finish` stores every account still to come."""

    def __init__(
        self,
        store: Store,
        workers: int,
        options: dict[str, object],
        on_saved: Callable[[int], None] | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.store = store
        self.workers = workers
        self.options = options
        self.on_saved = on_saved
        self._pending: deque[Future[tuple[StoryAnalysis, dict[str, bytes]]]] = deque()
        # each worker's encoder gets its share of the CPUs (its vectors do not depend on it)
        threads = max(1, cpu_count() // workers)
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_story_worker,
            initargs=(store.url, threads, os.getpid()),
        )

    def __enter__(self) -> StoryWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, story: Story, articles: list[Article], analyses: list[ArticleAnalysis]) -> None:
        while len(self._pending) >= self.workers * AHEAD:
            self._store(self._pending.popleft())
        try:
            future = self._pool.submit(_build_account, story, articles, analyses, self.options)
        except BrokenProcessPool as exc:
            raise _died(exc, "story") from exc
        self._pending.append(future)
        while self._pending and self._pending[0].done():
            self._store(self._pending.popleft())

    def finish(self) -> None:
        while self._pending:
            self._store(self._pending.popleft())

    def close(self) -> None:
        for future in self._pending:
            future.cancel()
        self._pending.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _store(self, future: Future[tuple[StoryAnalysis, dict[str, bytes]]]) -> None:
        try:
            account, fresh = future.result()
        except BrokenProcessPool as exc:
            raise _died(exc, "story") from exc
        self.store.put_embeddings(fresh)
        self.store.save_story_analysis(account)
        if self.on_saved is not None:
            self.on_saved(1)
