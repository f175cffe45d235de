"""The document and story stages in worker processes give what the serial path gives: the same
stored analyses, sentence vectors and report; a worker's error reaches the caller as the
serial path's would."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newsweave.document import nlp
from newsweave.errors import ModelError, NewsweaveError
from newsweave.model import ArticleAnalysis, to_dict
from newsweave.pipeline import Pipeline, demo_path, resolve_workers
from newsweave.report import build_report, write_report
from newsweave.store import Store

TWO = Path(__file__).parent / "data" / "two_stories"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
pytestmark = pytest.mark.slow


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """The two floods, the demo corpus and (when present) the seed reports: 11-15 articles."""
    folder = tmp_path / "in"
    shutil.copytree(TWO, folder / "two", ignore=shutil.ignore_patterns("*.json"))
    shutil.copytree(demo_path(), folder / "demo")
    if SEEDS.is_dir():
        shutil.copytree(SEEDS, folder / "seeds", ignore=shutil.ignore_patterns("*.md"))
    return folder


def _run(corpus: Path, db: Path, out: Path, workers: int) -> tuple[dict[str, Any], bool]:
    """The report of a run, and whether this process parsed (loaded spaCy) or embedded (loaded
    the sentence encoder) itself."""
    with Store.open(db) as store:
        pipeline = Pipeline(store, workers=workers)
        pipeline.workers_min = pipeline.story_workers_min = 0  # workers even for a few
        pipeline.run([corpus])
        report = build_report(store)
        report["generated"] = "2030-01-01T00:00:00+00:00"  # the one thing that may differ
        write_report(report, out)
        return report, pipeline.analyzer._nlp is not None or pipeline._embedder is not None


def _cached_vectors(db: Path) -> dict[str, bytes]:
    from sqlalchemy import select

    from newsweave.store import schema as t

    with Store.open(db) as store, store.engine.connect() as conn:
        rows = conn.execute(select(t.sentence_embeddings.c.key, t.sentence_embeddings.c.vector))
        return {r.key: bytes(r.vector) for r in rows}


def _analyses(db: Path) -> dict[str, dict[str, Any]]:
    with Store.open(db) as store:
        out = {}
        for article in store.iter_articles():
            an = store.get_analysis(article.id, nlp.VERSION)
            assert isinstance(an, ArticleAnalysis), article.id
            out[article.id] = to_dict(an)
        return out


def test_workers_store_what_the_serial_path_stores(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsweave import parallel

    monkeypatch.setattr(parallel, "CHUNK", 3)  # several chunks for each worker
    serial, parsed_here = _run(corpus, tmp_path / "serial.db", tmp_path / "serial", workers=0)
    parallel_report, parsed_there = _run(
        corpus, tmp_path / "workers.db", tmp_path / "workers", workers=2
    )
    assert parsed_here and not parsed_there  # the second run's work was in the workers

    one, two = _analyses(tmp_path / "serial.db"), _analyses(tmp_path / "workers.db")
    assert len(one) >= 11
    assert one == two
    assert serial == parallel_report
    vectors = _cached_vectors(tmp_path / "serial.db")
    assert vectors and _cached_vectors(tmp_path / "workers.db") == vectors
    for name in ("report.json", "report.md", "report.html"):
        a = (tmp_path / "serial" / name).read_text(encoding="utf-8")
        b = (tmp_path / "workers" / name).read_text(encoding="utf-8")
        assert a == b, name


def test_few_articles_stay_in_this_process(corpus: Path, tmp_path: Path) -> None:
    with Store.open(tmp_path / "few.db") as store:
        pipeline = Pipeline(store, workers=2)  # fewer articles than workers_min
        pipeline.run([corpus])
        assert pipeline.analyzer._nlp is not None  # parsed here
        assert not store.articles_without_analysis(nlp.VERSION)


def test_a_worker_error_is_raised_as_the_serial_path_raises_it(
    corpus: Path, tmp_path: Path
) -> None:
    messages = []
    for workers in (0, 2):
        with Store.open(tmp_path / f"bad{workers}.db") as store:
            pipeline = Pipeline(
                store, analyzer=nlp.DocumentAnalyzer("no_such_model_xyz"), workers=workers
            )
            pipeline.workers_min = 0
            with pytest.raises(ModelError) as caught:
                pipeline.run([corpus])
            messages.append(str(caught.value))
            # every article stays stored, to be analysed by the next run
            assert store.count_articles() >= 11
            assert store.articles_without_analysis(nlp.VERSION)
    assert messages[0] == messages[1]
    assert "no_such_model_xyz" in messages[0]


def test_workers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsweave import parallel

    monkeypatch.delenv("NEWSWEAVE_WORKERS", raising=False)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 1)
    monkeypatch.setattr("newsweave.pipeline.cpu_count", lambda: 1)
    assert resolve_workers() == 0  # auto on one CPU: none
    monkeypatch.setattr("newsweave.pipeline.cpu_count", lambda: 4)
    assert resolve_workers() == 4
    assert resolve_workers(0) == 0 and resolve_workers(3) == 3
    monkeypatch.setenv("NEWSWEAVE_WORKERS", "2")
    assert resolve_workers() == 2 and resolve_workers(1) == 1
    monkeypatch.setenv("NEWSWEAVE_WORKERS", "many")
    with pytest.raises(NewsweaveError, match="NEWSWEAVE_WORKERS"):
        resolve_workers()
    with pytest.raises(NewsweaveError):
        resolve_workers(-1)


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _running(pid: int) -> bool:
    """The process exists and has not ended (an ended one nobody reaped is a zombie, "Z")."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_workers_end_when_their_run_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves a run no moment to stop its workers: they see their parent gone and end."""
    folder = tmp_path / "in"
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(TWO.rglob("*.txt"))]
    for i in range(120):  # enough for worker processes, each report its own
        (folder / f"r{i:03}.txt").write_text(
            f"{texts[i % len(texts)]}\n\nReport {i} was filed by desk {i * 7 % 13}.\n",
            encoding="utf-8",
        )
    cmd = [sys.executable, "-m", "newsweave", "analyze", str(folder), "--db",
           str(tmp_path / "k.db"), "--out", str(tmp_path / "out")]  # fmt: skip
    env = {**os.environ, "NEWSWEAVE_WORKERS": "2"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            workers = [
                p
                for p in _children(proc.pid)
                if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()
            ]
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "the run started no worker processes"
        time.sleep(1.0)  # the workers' start-up has run
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_running(p) for p in workers):
        time.sleep(0.2)
    alive = [p for p in workers if _running(p)]
    for p in alive:
        os.kill(p, signal.SIGKILL)
    assert alive == []


def test_a_worker_whose_parent_died_while_it_started_ends_at_once() -> None:
    """A worker started by a run killed before the worker's set-up ran has already been handed
    to another parent: the pid it was given is not its parent's, and it ends."""
    code = (
        "import os, time\n"
        "from newsweave.parallel import _exit_with_parent\n"
        "_exit_with_parent(os.getppid() + 1_000_000)\n"
        "time.sleep(30)\n"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], timeout=60, check=False)
    assert done.returncode == 1
    assert time.monotonic() - started < 20
    alive = (
        "import os\n"
        "from newsweave.parallel import _exit_with_parent\n"
        "_exit_with_parent(os.getppid())\n"
    )
    assert subprocess.run([sys.executable, "-c", alive], timeout=60, check=False).returncode == 0
