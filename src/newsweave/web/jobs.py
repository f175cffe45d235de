"""Background work for the web app: ingest and re-analysis, one job at a time, in one thread.

The models load once, lazily, in the worker thread (the first job waits for them). A job's state
(``queued``, ``running``, ``done``, ``failed``), its current step and counts are polled by the
page through the API.
"""

from __future__ import annotations

import logging
import queue
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsweave.errors import InputError, NewsweaveError
from newsweave.ingest.readers import read_file
from newsweave.model import Document
from newsweave.pipeline import IngestResult, Pipeline
from newsweave.store import Store

log = logging.getLogger(__name__)

STEP_LABELS = {
    "models": "Loading the language models",
    "ingest": "Reading inputs",
    "read": "Analysing articles",
    "assign": "Assigning stories",
    "stories": "Building accounts",
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_JOBS_KEPT = 200


def safe_name(name: str) -> str:
    """A file name made of safe characters only, never a path (no separators, no leading dot)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _SAFE_NAME.sub("_", base).lstrip(".")[:100]
    return cleaned or "upload"


@dataclass
class Upload:
    name: str  # as the client named it (shown only, never used as a path)
    data: bytes


@dataclass
class Job:
    id: str
    kind: str  # ingest | reanalyse
    state: str = "queued"
    step: str | None = None
    done: int = 0
    total: int | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "step": self.step,
            "step_label": STEP_LABELS.get(self.step or "", self.step),
            "done": self.done,
            "total": self.total,
            "added": self.added,
            "duplicates": self.duplicates,
            "stories": self.stories,
            "problems": self.problems,
            "error": self.error,
        }


class Worker:
    """One background thread running jobs in order over one store."""

    def __init__(
        self, store: Store, pipeline_factory: Callable[[Store], Pipeline] | None = None
    ) -> None:
        self.store = store
        self._factory = pipeline_factory or (lambda s: Pipeline(s))
        self._pipeline: Pipeline | None = None
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[Job, Callable[[Job], None]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.generation = 0  # bumped after every job: the app's cached views are stale then

    # ------------------------------------------------------------------ public
    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def submit_ingest(self, pasted: list[Document], uploads: list[Upload]) -> Job:
        job = self._new("ingest")

        def run(j: Job) -> None:
            self._ingest(j, pasted, uploads)

        self._queue.put((job, run))
        self._start()
        return job

    def submit_reanalyse(self, story_id: str) -> Job:
        job = self._new("reanalyse")

        def run(j: Job) -> None:
            pipeline = self._get_pipeline(j)
            story = self.store.get_story(story_id)
            j.step, j.done, j.total = "stories", 0, 1
            pipeline.analyze_story(story)
            j.done, j.stories = 1, [story_id]

        self._queue.put((job, run))
        self._start()
        return job

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=5)

    # ------------------------------------------------------------------ internals
    def _new(self, kind: str) -> Job:
        job = Job(id=uuid.uuid4().hex[:16], kind=kind)
        with self._lock:
            if len(self._jobs) >= MAX_JOBS_KEPT:
                finished = [j for j in self._jobs.values() if j.finished is not None]
                for old in sorted(finished, key=lambda j: j.created)[: len(finished) // 2 + 1]:
                    self._jobs.pop(old.id, None)
            self._jobs[job.id] = job
        return job

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="newsweave-web-worker", daemon=True
                )
                self._thread.start()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, run = item
            job.state = "running"
            try:
                run(job)
                job.state = "done"
            except NewsweaveError as exc:
                job.state, job.error = "failed", str(exc)
                log.warning("job %s failed: %s", job.id, exc)
            except Exception:  # the worker outlives any one job; the page says it failed
                job.state, job.error = "failed", "internal error (see the server log)"
                log.exception("job %s failed", job.id)
            finally:
                job.finished = time.time()
                self.generation += 1

    def _get_pipeline(self, job: Job) -> Pipeline:
        if self._pipeline is None:
            job.step = "models"
            self._pipeline = self._factory(self.store)
        pipeline = self._pipeline

        def progress(step: str, done: int, total: int | None) -> None:
            job.step, job.done, job.total = step, done, total

        pipeline.progress = progress
        return pipeline

    def _ingest(self, job: Job, pasted: list[Document], uploads: list[Upload]) -> None:
        pipeline = self._get_pipeline(job)
        result = IngestResult()
        job.step, job.done, job.total = "ingest", 0, len(pasted) + len(uploads)
        for doc in pasted:
            pipeline.ingest_document(doc, result)
            job.done += 1
        if uploads:
            tmp = Path(tempfile.mkdtemp(prefix="newsweave-upload-"))
            try:
                for i, up in enumerate(uploads):
                    shown = f"upload:{safe_name(up.name)}"
                    path = tmp / f"{i:04d}-{safe_name(up.name)}"
                    path.write_bytes(up.data)
                    # read under the name shown, so that each problem names the file as the
                    # client named it and, for a JSONL line, the line ("upload:x.jsonl:7")
                    for item in read_file(path, shown):
                        if isinstance(item, InputError):
                            if str(tmp) in str(item):  # never show the server's folders
                                item = InputError(
                                    item.where.replace(str(tmp), "upload:"),
                                    item.problem.replace(str(tmp), "upload:"),
                                )
                            result.problems.append(item)
                            continue
                        line = item.meta.get("line")
                        item.path = f"{shown}:{line}" if line else shown
                        item.meta.pop("line", None)
                        pipeline.ingest_document(item, result)
                    job.done += 1
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        job.added = list(result.added)
        job.duplicates = [existing for _, existing in result.duplicates]
        job.problems = [str(p) for p in result.problems] + list(result.warnings)
        pipeline.analyze_documents()
        pipeline.assign()
        pipeline.analyze_stories()
        stories = []
        for aid in [*job.added, *job.duplicates]:
            sid = self.store.story_of(aid)
            if sid and sid not in stories:
                stories.append(sid)
        job.stories = stories
        job.step = None
