"""Crash safety: `newsweave analyze` killed with SIGKILL at several moments and run again ends
with the same store as a run that was never interrupted: every article stored once, every
article in exactly one story, the same stories, every story's account complete."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsweave.pipeline import Pipeline
from newsweave.report import build_report
from newsweave.store import Store

pytestmark = pytest.mark.slow

EVENTS = 15
REPORTS = 8

PLACES = [
    "Varnholt",
    "Dunmere",
    "Oskerby",
    "Pellmouth",
    "Kelmarsh",
    "Brannoch",
    "Ulverby",
    "Esterby",
    "Haldis",
    "Norvik",
]
FIRST = [
    "Liss",
    "Dorn",
    "Mora",
    "Elsa",
    "Osk",
    "Tamsin",
    "Arvid",
    "Petra",
    "Jonah",
    "Ilse",
    "Rune",
    "Katrin",
]
LAST = [
    "Tammer",
    "Akkeby",
    "Quist",
    "Varnholm",
    "Brenner",
    "Lund",
    "Sorel",
    "Wick",
    "Haller",
    "Moss",
    "Brandt",
    "Falk",
]
WHAT = [
    ("a fire destroyed the {place} grain mill", "fire crews fought the blaze overnight"),
    ("floodwater closed the {place} valley road", "engineers said a culvert had failed"),
    ("dockworkers at the port of {place} walked off the job", "container traffic stopped"),
    ("a bridge over the {place} river was closed after cracks appeared", "traffic was diverted"),
    ("a power cut left {place} without electricity", "the grid operator blamed a transformer"),
]


def _corpus(folder: Path) -> list[Path]:
    rng = random.Random(7)
    paths = []
    for e in range(EVENTS):
        place = PLACES[e % len(PLACES)] + ("" if e < len(PLACES) else " North")
        what, detail = WHAT[e % len(WHAT)]
        official = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        day = 1 + e
        for r in range(REPORTS):
            outlet = f"{rng.choice(PLACES)} {rng.choice(['Courier', 'Herald', 'Star', 'Post'])}"
            text = (
                f"{what.format(place=place).capitalize()} on March {day}, 2031, "
                f"{official} said. {detail.capitalize()}, according to the {outlet}.\n\n"
                f"{official}, who leads the {place} council, said {rng.randint(2, 60)} people "
                f"were affected and that repairs would take {rng.randint(2, 9)} days.\n\n"
                f"Update {r}: residents of {place} were told to follow official notices.\n"
            )
            path = folder / f"e{e:02d}_r{r}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
    return paths


def _counts(db: Path) -> dict[str, int]:
    """What a run has stored so far, read without disturbing it (SQLite WAL readers)."""
    out = {"articles": 0, "assigned": 0, "accounts": 0, "stories": 0}
    if not db.exists():
        return out
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            out["articles"] = con.execute("select count(*) from articles").fetchone()[0]
            out["assigned"] = con.execute("select count(*) from story_articles").fetchone()[0]
            out["stories"] = con.execute("select count(*) from stories").fetchone()[0]
            out["accounts"] = con.execute(
                "select count(*) from stories where analysed_digest = digest"
            ).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:  # not created or not migrated yet
        pass
    return out


def _state(db: Path) -> dict:
    with Store.open(db) as store:
        stories = {s.id: s.articles for s in store.stories()}
        articles = list(store.iter_articles())
        report = build_report(store)
        fresh = all(store.story_analysis_fresh(s) for s in stories)
        return {
            "articles": sorted(a.id for a in articles),
            "hashes": len({a.content_hash for a in articles}),
            "stories": stories,
            "assigned": store.count_assigned(),
            "vectors": store.count_story_vectors(),
            "unassigned": store.articles_without_story(),
            "fresh": fresh,
            "facts": sorted(f["id"] for f in report["facts"]),
        }


def test_killed_runs_resume_to_the_same_store(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    n = len(_corpus(folder))

    reference = tmp_path / "reference.db"
    with Store.open(reference) as store:
        Pipeline(store).run([folder])

    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "newsweave", "analyze", str(folder), "--db", str(db)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # kill points, each read from the store while the run goes on: in the middle of ingest
    # (twice), once story assignment has begun, once the story stage has begun
    points = [("articles", n // 4), ("articles", n // 2), ("assigned", 1), ("accounts", 1)]
    seen: list[tuple[str, int, dict[str, int]]] = []
    for what, at_least in points:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 120
        counts = _counts(db)
        while proc.poll() is None and time.monotonic() < deadline:
            counts = _counts(db)
            if counts[what] >= at_least:
                break
            time.sleep(0.02)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        seen.append((what, at_least, _counts(db)))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    # the kills did land in ingest and in the later stages
    assert 0 < seen[0][2]["articles"] < n, seen
    assert seen[-1][2]["articles"] == n and seen[-1][2]["accounts"] < seen[-1][2]["stories"], seen

    got, want = _state(db), _state(reference)
    assert len(got["articles"]) == n == got["hashes"]  # every input once, no duplicate
    assert got["unassigned"] == []
    assert got["assigned"] == got["vectors"] == n
    assert sorted(a for m in got["stories"].values() for a in m) == got["articles"]
    assert got["fresh"]  # every story's account was rebuilt from its current members
    assert got["articles"] == want["articles"]
    assert got["stories"] == want["stories"]
    assert got["facts"] == want["facts"]


@pytest.mark.sqlite_file  # opens the SQLite file itself read-only
def test_a_read_only_store_is_a_clear_error_and_stays_consistent(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = _corpus(folder)[:6]
    db = tmp_path / "ro.db"
    with Store.open(db) as store:
        Pipeline(store).ingest(paths[:3])
    before = _counts(db)
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    done = subprocess.run(
        [sys.executable, "-m", "newsweave", "analyze", str(folder), "--db", read_only],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    message = done.stdout + done.stderr
    assert "readonly" in message.replace("-", "").replace(" ", "").lower(), message[-1000:]
    assert "Traceback" not in message
    assert _counts(db) == before  # nothing half-written
    with Store.open(db) as store:  # and the store still works
        Pipeline(store).ingest(paths)
        assert store.count_articles() == 6
