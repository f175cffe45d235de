"""The pipeline: ingest -> document stage -> stories -> story stage, persisted in one store.

Each step reads what the previous one stored and stores what it produces, so a run can stop at
any point and resume: ingest skips inputs it has seen (same size and modification time) and
articles it holds already (same normalised content); the document stage only analyses articles
without a current analysis; the story stage only re-analyses stories whose membership changed.

The library never prints. Long steps report progress through an optional callback
``progress(step, done, total)``; problems with single inputs are collected and returned, never
raised, so one bad file does not stop a run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from newsweave import settings, stories
from newsweave.document import nlp
from newsweave.errors import InputError, InputWarning, NewsweaveError
from newsweave.ingest import clean_document, read_paths
from newsweave.model import Article, ArticleAnalysis, Document, Story
from newsweave.parallel import DocumentWorkers, StoryWorkers, cpu_count
from newsweave.store import Store
from newsweave.story.account import build_account
from newsweave.story.entities import normalise
from newsweave.story.facts import Embedder

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]
SUPPORTED_LANGUAGES = {"en"}


def _no_progress(step: str, done: int, total: int | None) -> None:
    del step, done, total


@dataclass
class IngestResult:
    """What one ingest did. ``problems`` holds one InputError per input that was not stored."""

    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (where, existing id)
    unchanged: list[str] = field(default_factory=list)  # inputs seen before, skipped
    problems: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def demo_path() -> Path:
    """The folder of the demo corpus bundled with the package."""
    return Path(str(resources.files("newsweave") / "demo"))


def input_source(
    path: str | None, url: str | None, meta: Mapping[str, Any]
) -> tuple[str, str, int | None, float | None]:
    """How an input is named in messages (``where``) and kept in the store's ``sources``
    table: ``(where, key, size, mtime)``. A whole file is known by its path, size and
    modification time (an unchanged file is skipped next time); one line of a file (JSONL,
    Parquet, WARC record) by ``path:line`` alone, its content hash deciding; a fetched page by
    its URL."""
    where = f"{path}:{meta['line']}" if path and "line" in meta else path or url or "<input>"
    key = url if (url and not path) else where
    if path and "line" not in meta and os.path.isfile(path):
        st = os.stat(path)
        return where, key, st.st_size, st.st_mtime
    return where, key, None, None


def persist_article(
    store: Store, article: Article, key: str, size: int | None, mtime: float | None
) -> Literal["added", "unchanged", "duplicate"]:
    """Store an article read from the input ``key`` (``size``, ``mtime``: see
    :func:`input_source`) with the input's bookkeeping, as ingest and ``newsweave batch`` do:
    ``added`` (the article and its input in one transaction), ``unchanged`` (this input stored
    it before: a JSONL line read again) or ``duplicate`` (another input stored the same text:
    the input is recorded as its duplicate; ids derive from the content hash, so the stored
    twin has this very id)."""
    if store.add_article(article, source=(key, size, mtime)):
        return "added"
    known = store.get_source(key)
    if known is not None and known["status"] == "stored" and known["article_id"] == article.id:
        return "unchanged"
    store.record_source(key, size, mtime, "duplicate", f"same text as {article.id}", article.id)
    return "duplicate"


def persist_stories(
    store: Store,
    made: Sequence[Story],
    vectors: Iterable[tuple[str, str, int | None, bytes]],
    within: set[str] | None = None,
) -> None:
    """Make the store's stories those of a clustering: every stored story that differs from
    the one ``made`` gives under its id (or that ``made`` lacks) is deleted with its results,
    the stories ``made`` that the store lacks are saved (members in order), and the story
    vectors are replaced by ``vectors`` (``(article_id, version, day, data)`` in assignment
    order). With ``within`` (article ids), only stored stories with a member among them are
    looked at: ``newsweave batch`` over part of a store. The path of ``stories --recluster``
    and of ``batch``."""
    wanted = {s.id: s for s in made}
    for old in store.stories():
        if within is not None and not within & set(old.articles):
            continue
        if old.id not in wanted or old.articles != wanted[old.id].articles:
            store.delete_story(old.id)
    existing = {s.id for s in store.stories()}
    for story in made:
        if story.id not in existing:
            store.save_story(story)
    store.replace_story_vectors(vectors)


def resolve_workers(workers: int | None = None) -> int:
    """Worker processes for the document stage: ``workers`` when given, else the ``workers``
    setting (``NEWSWEAVE_WORKERS``); ``auto`` is one per CPU this process may use when there
    are two or more, else 0 (everything in this process)."""
    value = settings.value("workers", workers)
    if isinstance(value, str):
        value = value.strip().lower()
        if value == "auto":
            cpus = cpu_count()
            return cpus if cpus >= 2 else 0
        try:
            value = int(value)
        except ValueError:
            raise NewsweaveError(
                f"workers must be a whole number or 'auto', not {value!r} (NEWSWEAVE_WORKERS)"
            ) from None
    if value < 0:
        raise NewsweaveError(f"workers must be 0 or more, not {value}")
    return int(value)


class Pipeline:
    """Runs the stages over one store. Models are loaded lazily, once."""

    def __init__(
        self,
        store: Store,
        *,
        analyzer: nlp.DocumentAnalyzer | None = None,
        embedder: Embedder | None = None,
        progress: Progress | None = None,
        brief_words: int | None = None,
        workers: int | None = None,
    ) -> None:
        self.store = store
        self.brief_words = brief_words
        self.analyzer = analyzer or nlp.DocumentAnalyzer()
        #: Worker processes for the document and story stages (0: all in this process); see
        #: :func:`resolve_workers` for None.
        self.workers = resolve_workers(workers)
        self._documents: DocumentWorkers | None = None  # open while run() ingests
        self._read_done = 0
        self._read_total: int | None = None
        self._embedder = embedder
        self._default_embedder = embedder is None  # a worker loads the same one itself
        self.progress = progress or _no_progress
        self._assigner: stories.Assigner | None = None
        self._assigner_mark: tuple[int, str | None] = (0, None)
        # with the kept state: every article up to this ingest seq was looked at by assignment
        self._looked_upto = 0
        self._kept_used = False  # the last _current_assigner gave the state kept in process
        self._assigner_state: int | None = None  # the story-state mark the kept state is of
        self._state_at_start: int | None = None  # the mark when the current call began
        self._consistent_at: int | None = None  # the mark at which every vector had a story
        self._snapshot_size: int | None = None  # articles in the snapshot on disk, if known

    @property
    def embedder(self) -> Embedder:
        """Sentence vectors, through the store's cache when the encoder names itself."""
        if self._embedder is None:
            from newsweave import models

            self._embedder = models.embedder()
        if getattr(self._embedder, "identity", None):
            from newsweave.embed import CachedEmbedder

            return CachedEmbedder(self.store, self._embedder)
        return self._embedder

    # ------------------------------------------------------------------ ingest
    def ingest(self, paths: Iterable[str | Path]) -> IngestResult:
        result = IngestResult()
        done = 0
        for item in read_paths(paths):
            done += 1
            self.progress("ingest", done, None)
            if isinstance(item, InputWarning):  # the input is read all the same
                result.warnings.append(str(item))
                log.warning("%s", item)
                continue
            if isinstance(item, InputError):
                result.problems.append(item)
                log.warning("%s", item)
                continue
            self.ingest_document(item, result)
        return result

    def ingest_document(self, doc: Document, result: IngestResult) -> None:
        """Ingest one document read elsewhere (a page, a feed entry, a pasted text) with the
        same cleaning, deduplication and bookkeeping as files; the outcome goes in ``result``."""
        where, key, size, mtime = input_source(doc.path, doc.url, doc.meta)
        if size is not None and self.store.source_seen(key, size, mtime):
            result.unchanged.append(where)
            return
        try:
            article = clean_document(doc)
        except InputError as exc:
            result.problems.append(exc)
            self.store.record_source(key, size, mtime, "error", str(exc))
            return
        except NewsweaveError as exc:
            problem = InputError(where, str(exc))
            result.problems.append(problem)
            self.store.record_source(key, size, mtime, "error", str(exc))
            return
        if article.language not in SUPPORTED_LANGUAGES:
            what = (
                "its language could not be identified"
                if article.language is None
                else f"its language is {article.language!r}"
            )
            result.warnings.append(f"{where}: {what}; stored, but only English is analysed for now")
        outcome = persist_article(self.store, article, key, size, mtime)
        if outcome == "added":
            result.added.append(article.id)
            if self._documents is not None and self._analysable(article):
                self._documents.add(article)  # its analysis starts while ingest goes on
        elif outcome == "unchanged":
            result.unchanged.append(where)  # this input stored it before (a JSONL line read again)
        else:
            result.duplicates.append((where, article.id))

    # ------------------------------------------------------------------ document stage
    #: Fewer articles than this to analyse are analysed in this process even with workers
    #: (starting a worker costs about as much as analysing a few dozen articles).
    workers_min = 48
    #: Analyses written per transaction on the serial path.
    save_every = 32

    def analyze_documents(self) -> int:
        """Analyse every stored article without a current analysis; returns how many. With
        :attr:`workers`, in worker processes (:mod:`newsweave.parallel`); inside :meth:`run`
        the workers started on the articles while they were ingested."""
        stage = self._documents
        todo = self.store.articles_without_analysis(nlp.VERSION)
        if stage is not None:
            todo = [i for i in todo if i not in stage.submitted]
        elif not todo:
            return 0
        articles = (a for a in self.store.iter_articles(todo) if self._analysable(a))
        if stage is not None:
            self._read_total = len(stage.submitted) + len(todo)
            for article in articles:
                stage.add(article)
            stage.finish()
            done, self._read_done = self._read_done, 0
            return done
        if self._parallel:
            with self._document_workers(len(todo)) as stage:
                for article in articles:
                    stage.add(article)
                stage.finish()
            done, self._read_done = self._read_done, 0
            return done
        done = 0
        batch: list[ArticleAnalysis] = []
        self.progress("read", 0, len(todo))
        for analysis in self.analyzer.analyze_many(articles):
            batch.append(analysis)
            if len(batch) >= self.save_every:
                self.store.save_analyses(batch)  # one transaction per batch
                done += len(batch)
                batch = []
                self.progress("read", done, len(todo))
        self.store.save_analyses(batch)
        done += len(batch)
        self.progress("read", done, len(todo))
        return done

    @property
    def _parallel(self) -> bool:
        # a worker builds its own DocumentAnalyzer: an analyzer of another kind stays here
        return self.workers > 0 and type(self.analyzer) is nlp.DocumentAnalyzer

    @contextmanager
    def _document_workers(self, total: int | None = None) -> Iterator[DocumentWorkers]:
        """The document stage's worker processes, for the time of the block."""
        self._read_done, self._read_total = 0, total
        self.progress("read", 0, total)

        def saved(n: int) -> None:
            self._read_done += n
            self.progress("read", self._read_done, self._read_total)

        stage = DocumentWorkers(
            self.store,
            self.workers,
            self.analyzer,
            on_saved=saved,
            min_parallel=self.workers_min,
            save_every=self.save_every,
        )
        try:
            yield stage
        finally:
            stage.close()

    @staticmethod
    def _analysable(article: Article) -> bool:
        return article.language in SUPPORTED_LANGUAGES

    # ------------------------------------------------------------------ stories
    def assign_stories(self, recluster: bool = False) -> list[Story]:
        """Put every analysed article that has no story yet into one, incrementally
        (:class:`newsweave.stories.Assigner`: it joins a thread of related reports, and the
        thread's recent reports are re-grouped into stories, so a new report may also move
        recent reports of its thread between stories; other stories are untouched); returns
        every story. ``recluster`` rebuilds all stories from scratch, which gives what
        assigning every article one by one in ingest order gives. A store whose stories were
        made otherwise (before incremental assignment, or with vectors of another version) is
        re-clustered once.

        Several processes may call it at once on one store: they take turns
        (:meth:`Store.exclusive`), since each reads every story vector before it writes."""
        with self.store.exclusive("stories"):
            self._assign_stories(recluster)
            return self.store.stories()

    def assign(self, recluster: bool = False) -> int:
        """:meth:`assign_stories` without listing every story afterwards (which reads the
        whole membership: seconds over a big store); returns how many articles it assigned."""
        with self.store.exclusive("stories"):
            return self._assign_stories(recluster)

    def _assign_stories(self, recluster: bool) -> int:
        version = stories.VECTOR_VERSION
        assigner = None if recluster else self._current_assigner(version)
        upto = self.store.article_mark()
        if assigner is not None:
            # with the state this process kept, only articles ingested since its last call
            # can lack a story (an article looked at then and left out is not analysable)
            after = self._looked_upto if self._kept_used else 0
            todo = self.store.articles_without_story(after=after)
            for i, article in enumerate(self.store.iter_articles(todo)):
                self.progress("assign", i, len(todo))
                if not self._analysable(article):
                    continue
                c = self._term_counts(article)
                sid = assigner.assign(article.id, c)
                # the new article and the stories its thread re-grouped: one transaction
                self.store.assign_article(
                    article.id, sid, version, c.day, c.to_bytes(), assigner.changed
                )
            self.progress("assign", len(todo), len(todo))
            self._keep(assigner, upto)
            return len(todo)

        assigner = stories.Assigner()
        rows: list[tuple[str, str, int | None, bytes]] = []
        for article in self.store.iter_articles():
            if not self._analysable(article):
                continue
            c = self._term_counts(article)
            assigner.assign(article.id, c)
            rows.append((article.id, version, c.day, c.to_bytes()))
        made = [Story(id=sid, title="", articles=m) for sid, m in assigner.stories().items()]
        persist_stories(self.store, made, rows)
        self._snapshot_size = None  # whatever is on disk was made before the re-clustering
        self._keep(assigner, upto)
        return len(rows)

    def _term_counts(self, article: Article) -> stories.TermCounts:
        analysis = self.store.get_analysis(article.id, nlp.VERSION)
        ents = sorted({normalise(m.text) for m in analysis.mentions}) if analysis else []
        return stories.term_counts(
            article.text, ents, article.published, stories.INCREMENTAL, article.title
        )

    # The assigner's state is every assigned article's vector and counts, its thread and its
    # story. Rebuilding it replays the store in assignment order (about 2 ms an article), so a
    # process keeps it between calls, and over a big store it starts from a snapshot in the
    # store's state folder (Store.state_dir) and replays only what was assigned after it.
    #: A snapshot is written once the store holds this many assigned articles ...
    snapshot_min = 2000
    #: ... and again once this many (or 0.2% of the store, if more) were assigned since.
    snapshot_every = 1000

    def _current_assigner(self, version: str) -> stories.Assigner | None:
        """The assigner state matching the store: the one this process kept, else the
        snapshot on disk, else a fresh one, each brought up to date by replaying the vectors
        assigned after it. None when the store's stories must be re-clustered (made by another
        method, or with vectors of another version)."""
        self._kept_used = False
        # what the store's story-state mark says spares the counting (seconds over a million
        # articles) while nothing but assignments happened since it was last seen
        state = self._state_at_start = self.store.story_state()
        if state != self._consistent_at:
            if self.store.count_story_vectors() != self.store.count_assigned():
                log.info("stories were not made incrementally: re-clustering")
                return None
            self._consistent_at = state
        for assigner, seq, last, source, taken_at in self._assigner_candidates():
            if seq:
                if taken_at == state:  # only assignments since: its vectors are the store's
                    same = self.store.story_vector_at(seq) == last
                else:
                    _, count, at = self.store.story_vector_mark(seq)
                    same = count == len(assigner) and at == last
                if not same:
                    log.info("the story state %s does not match the store: not used", source)
                    continue  # the store changed under it: try the next candidate
            start = len(assigner)
            if source == "snapshot":
                self._snapshot_size = start
            if self._catch_up(assigner, seq, version):
                # an article the kept state's (or the snapshot's) process looked at and left
                # without a story is not analysable: the next call need not look at it again
                self._kept_used = source in ("process", "snapshot")
                log.info(
                    "story state: %d articles from the %s, %d replayed from the store",
                    start,
                    source,
                    len(assigner) - start,
                )
                return assigner
            log.info("stories were made with vectors other than %s: re-clustering", version)
            return None
        raise AssertionError("a fresh assigner is always a candidate")  # pragma: no cover

    def _assigner_candidates(
        self,
    ) -> Iterator[tuple[stories.Assigner, int, str | None, str, int | None]]:
        """``(state, its mark's seq, the article at it, where from, the story-state mark it
        was taken at)``: the kept one, the snapshot, a fresh one."""
        if self._assigner is not None:
            yield self._assigner, *self._assigner_mark, "process", self._assigner_state
            self._assigner = None  # a kept state that failed its check is of no further use
        self._snapshot_size = None
        folder = self.store.state_dir
        if folder is not None and (folder / "stories").is_dir():
            try:
                assigner, extra = stories.Assigner.load(folder / "stories")
                seq, last = int(extra["seq"]), extra.get("last")
                looked = int(extra.get("looked", 0))  # older snapshots: look at every article
                taken_at = None if extra.get("state") is None else int(extra["state"])
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("story snapshot not used (%s): replaying the store", exc)
            else:
                self._looked_upto = looked
                yield assigner, seq, last, "snapshot", taken_at
        yield stories.Assigner(), 0, None, "start", None

    def _catch_up(self, assigner: stories.Assigner, seq: int, version: str) -> bool:
        """Replay the story vectors stored after ``seq`` (False: one has another version);
        then take from the store the stories of the reports those arrivals may have moved."""
        replayed: list[str] = []
        for article_id, sid, v, day, data in self.store.iter_story_vectors(after=seq):
            if sid is None or v != version:
                return False
            assigner.restore(article_id, stories.TermCounts.from_bytes(data, day), sid)
            replayed.append(article_id)
        if seq and replayed:
            # each arrival re-grouped the latest reports of its thread (the split window)
            window: set[str] = set()
            for article_id in replayed:
                window.update(assigner.thread_window(article_id, extra=len(replayed)))
            assigner.relabel(self.store.stories_of(window))
        return True

    def _keep(self, assigner: stories.Assigner, looked_upto: int = 0) -> None:
        """Keep the state for the next call (with ``looked_upto``: the last article seq that
        assignment looked at), and write a snapshot when enough changed."""
        seq, last = self.store.story_vector_last()
        self._assigner, self._assigner_mark = assigner, (seq, last)
        # the mark read before this call's assignments: a change by another process during
        # them makes the next call check the state the slow way
        self._assigner_state = self._state_at_start
        self._looked_upto = looked_upto
        folder = self.store.state_dir
        n = len(assigner)
        if folder is None or n < self.snapshot_min:
            return
        since = n - (self._snapshot_size or 0)
        if self._snapshot_size is not None and since < max(self.snapshot_every, n // 500):
            return
        try:
            extra = {"seq": seq, "last": last, "looked": looked_upto, "state": self._state_at_start}
            assigner.save(folder / "stories", extra)
        except OSError as exc:  # only a cache: the store is complete without it
            log.warning("could not write the story snapshot to %s: %s", folder, exc)
            return
        self._snapshot_size = n

    # ------------------------------------------------------------------ story stage
    def analyze_stories(self, force: bool = False) -> list[str]:
        """Build the account of every story whose membership changed; returns their ids."""
        todo = self.store.stories() if force else self.store.stale_stories()
        if (
            self._parallel
            and self._default_embedder
            and self.store.shareable
            and len(todo) >= self.story_workers_min
        ):
            self._analyze_stories_in_workers(todo)
            return [s.id for s in todo]
        for i, story in enumerate(todo):
            self.progress("stories", i, len(todo))
            self.analyze_story(story)
        self.progress("stories", len(todo), len(todo))
        return [s.id for s in todo]

    #: Fewer stories than this to analyse are analysed in this process even with workers
    #: (a worker loads the sentence encoder and the relation parser first: seconds).
    story_workers_min = 12

    def _analyze_stories_in_workers(self, todo: list[Story]) -> None:
        """:meth:`analyze_story` for each story, the accounts built in worker processes
        (:class:`newsweave.parallel.StoryWorkers`) and stored here in the stories' order."""
        done = 0
        self.progress("stories", 0, len(todo))

        def saved(n: int) -> None:
            nonlocal done
            done += n
            self.progress("stories", done, len(todo))

        with StoryWorkers(self.store, self.workers, self._account_options(), saved) as pool:
            for story in todo:
                articles, analyses = self._story_input(story)
                pool.add(story, articles, analyses)
            pool.finish()

    def analyze_story(self, story: Story) -> None:
        articles, analyses = self._story_input(story)
        account = build_account(story, articles, analyses, self.embedder, **self._account_options())
        self.store.save_story_analysis(account)

    def _story_input(self, story: Story) -> tuple[list[Article], list[ArticleAnalysis]]:
        """A story's articles and their analyses (an article without one is analysed now)."""
        articles = list(self.store.iter_articles(story.articles))
        analyses: list[ArticleAnalysis] = []
        for a in articles:
            an = self.store.get_analysis(a.id, nlp.VERSION)
            if an is None:
                an = self.analyzer.analyze(a)
                self.store.save_analysis(an)
            analyses.append(an)
        return articles, analyses

    # ------------------------------------------------------------------ all together
    def _account_options(self) -> dict[str, Any]:
        return {} if self.brief_words is None else {"brief_words": self.brief_words}

    def run(self, paths: Sequence[str | Path]) -> IngestResult:
        if self._parallel:
            # the workers analyse articles while the rest of the inputs are read and stored
            with self._document_workers() as stage:
                self._documents = stage
                try:
                    result = self.ingest(paths)
                    self.analyze_documents()
                finally:
                    self._documents = None
        else:
            result = self.ingest(paths)
            self.analyze_documents()
        self.assign()
        self.analyze_stories()
        return result


def analyze(
    paths: Sequence[str | Path] = (),
    *,
    db: str | Path = "newsweave.db",
    out: str | Path | None = None,
    progress: Progress | None = None,
    brief_words: int | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Ingest ``paths`` (the bundled demo corpus when empty), analyse, and return the report
    dict; with ``out``, also write report.json, report.md and report.html there.
    ``brief_words`` caps each story's brief (250 words by default); ``workers``: processes for
    the document stage (:func:`resolve_workers`)."""
    from newsweave.report import build_report, write_report

    with Store.open(db) as store:
        pipeline = Pipeline(store, progress=progress, brief_words=brief_words, workers=workers)
        result = pipeline.run(list(paths) or [demo_path()])
        report = build_report(store)
        report["problems"] = [str(p) for p in result.problems] + result.warnings
        if out is not None:
            write_report(report, out)
        return report
