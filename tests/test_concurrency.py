"""Several writers on one store at once, in separate processes, on SQLite (WAL) and PostgreSQL.

The inputs are the fictional reports of tests/data/two_stories and of the bundled demo corpus,
spread over folders that overlap: a folder both processes read, and folders of their own that
repeat some of the shared texts under other names. Afterwards the store must hold each text
once, in a gapless ingest order, with every input recorded; and when the processes also assign
stories (each holding ``Store.exclusive("stories")`` for the read-assign-write step, as every
process that assigns stories must), every article is in exactly one story, story vectors match
memberships, and the stories are what one process assigning them in ingest order would make.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from newsweave.pipeline import Pipeline, demo_path
from newsweave.store import Store
from newsweave.store import schema as t

TWO = Path(__file__).parent / "data" / "two_stories"
TIMEOUT = 120

#: One writer process: ingests its inputs a few at a time and, with ``assign``, assigns stories
#: after each batch, holding the store's "stories" lock for that step.
WORKER = """
import sys
from newsweave.pipeline import Pipeline
from newsweave.store import Store

db, assign, *paths = sys.argv[1:]
with Store.open(db) as store:
    pipeline = Pipeline(store)
    for i in range(0, len(paths), 3):
        result = pipeline.ingest(paths[i : i + 3])
        assert not result.problems, result.problems
        if assign == "1":
            with store.exclusive("stories"):
                pipeline.assign_stories()
"""


def _reports() -> list[Path]:
    demo = demo_path()
    files = [p for p in sorted(TWO.iterdir()) if p.suffix != ".json"]
    return files + sorted(p for p in demo.iterdir() if p.is_file())


def _folders(tmp_path: Path) -> tuple[list[Path], list[Path], int]:
    """Inputs of two processes: a shared folder plus one folder each; returns both input lists
    and the number of distinct texts."""
    reports = _reports()
    shared, own_a, own_b = tmp_path / "shared", tmp_path / "a", tmp_path / "b"
    for folder in (shared, own_a, own_b):
        folder.mkdir()
    for i, src in enumerate(reports):
        if i % 3 == 0:
            shutil.copy(src, shared / src.name)
            shutil.copy(src, own_b / f"again-{src.name}")  # the same text under another name
        elif i % 3 == 1:
            shutil.copy(src, own_a / src.name)
            shutil.copy(src, own_b / f"copy-{src.name}")
        else:
            shutil.copy(src, own_b / src.name)
    a = sorted(shared.iterdir()) + sorted(own_a.iterdir())
    b = sorted(own_b.iterdir()) + sorted(shared.iterdir(), reverse=True)
    return a, b, len(reports)


def _run_both(commands: list[list[str]]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NEWSWEAVE_DB"}
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        for cmd in commands
    ]
    outputs = [p.communicate(timeout=TIMEOUT)[0].decode(errors="replace") for p in procs]
    for p, out in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out


def _check_articles(store: Store, inputs: list[Path], distinct: int) -> None:
    assert store.count_articles() == distinct
    with store.engine.connect() as conn:
        rows = conn.execute(t.articles.select().order_by(t.articles.c.seq)).all()
    assert [r.seq for r in rows] == list(range(1, distinct + 1))  # gapless, no repeats
    assert len({r.content_hash for r in rows}) == distinct
    ids = {r.id for r in rows}
    for path in inputs:
        rec = store.get_source(str(path))
        assert rec is not None, path
        assert rec["status"] in {"stored", "duplicate"} and rec["article_id"] in ids, rec


def test_two_ingest_processes_store_each_text_once(store_url: str, tmp_path: Path) -> None:
    a, b, distinct = _folders(tmp_path)
    Store.open(store_url).close()  # both processes find the store made (opening is tested apart)
    cli = [sys.executable, "-m", "newsweave", "ingest"]
    _run_both(
        [
            [*cli, *map(str, a), "--db", store_url],
            [*cli, *map(str, b), "--db", store_url],
        ]
    )
    with Store.open(store_url) as store:
        _check_articles(store, a + b, distinct)


def test_two_processes_ingesting_and_assigning_stories_agree(
    store_url: str, tmp_path: Path
) -> None:
    a, b, distinct = _folders(tmp_path)
    worker = [sys.executable, "-c", WORKER, store_url, "1"]
    _run_both([[*worker, *map(str, a)], [*worker, *map(str, b)]])
    with Store.open(store_url) as store:
        _check_articles(store, a + b, distinct)
        stories = store.stories()
        members = [m for s in stories for m in s.articles]
        assert sorted(members) == sorted(store.article_ids())  # each article in one story
        assert all(s.articles for s in stories)
        assert store.count_story_vectors() == store.count_assigned() == distinct
        for article_id, story_id, *_ in store.iter_story_vectors():
            assert story_id == store.story_of(article_id)
        # what one process assigning every article in ingest order makes
        again = Pipeline(store).assign_stories(recluster=True)
        assert sorted((s.id, tuple(s.articles)) for s in again) == sorted(
            (s.id, tuple(s.articles)) for s in stories
        )
        assert len(stories) >= 2


def test_the_stories_lock_does_not_block_other_writes(store_url: str, tmp_path: Path) -> None:
    """While this process holds the stories lock, a writer process that does not assign stories
    still stores articles, and the lock is free again afterwards."""
    a, _, _ = _folders(tmp_path)
    with Store.open(store_url) as store, store.exclusive("stories"):
        _run_both([[sys.executable, "-c", WORKER, store_url, "0", *map(str, a)]])
        assert store.count_articles() == len(a)
    with Store.open(store_url) as store, store.exclusive("stories"):
        pass
