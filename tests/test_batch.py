"""``newsweave batch``: the sharded story assignment (fast, on texts written here), the batch
against ``newsweave analyze`` on the seeds, and the Ray path against the in-process path on a
local Ray cluster the test starts (slow: they load the models)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsweave import stories
from newsweave.batch import (
    UNDATED,
    BatchOptions,
    Item,
    assign_stories,
    expand_inputs,
    join_boundary,
    list_files,
    run_batch,
    window_of,
)
from newsweave.ingest import read_paths
from newsweave.model import Document
from newsweave.report import build_report
from newsweave.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ECB_ROOT = SEEDS.parent / "benchmarks" / "ecbplus" / "ECB+_LREC2014" / "ECB+"
WEEK = 7

# Two fictional events, each told by several fictional outlets.
FLOOD = [
    "The river Marrow burst its banks in Varnholt on Tuesday, flooding 300 homes in the old "
    "quarter. Mayor Edda Lindqvist said the Varnholt emergency service evacuated 1,200 residents "
    "to the Kessing sports hall. Engineers from the Marrow water board blamed a failed sluice.",
    "Floodwater from the Marrow covered the old quarter of Varnholt after the river burst its "
    "banks. About 1,200 residents were evacuated to the Kessing sports hall, Mayor Edda "
    "Lindqvist said. The Marrow water board said a sluice had failed upstream of Varnholt.",
    "Residents of Varnholt returned to flooded homes as the Marrow receded. Mayor Edda "
    "Lindqvist said 300 homes in the old quarter were damaged and the Kessing sports hall "
    "would stay open. The Marrow water board is inspecting the failed sluice.",
]
VOTE = [
    "Councillor Oren Maddox won the Pellworth mayoral vote with 54 percent, the Pellworth "
    "electoral office said. Turnout was 61 percent. Maddox promised a new tram line to the "
    "Brisk harbour and a review of the Pellworth parking fees.",
    "Oren Maddox will be the next mayor of Pellworth after taking 54 percent of the vote. The "
    "electoral office put turnout at 61 percent. Maddox campaigned on a tram line to Brisk "
    "harbour and lower parking fees in Pellworth.",
]


def _entities(text: str) -> list[str]:
    """Capitalised words after the first of each sentence: the names in these texts."""
    out = []
    for sentence in text.split(". "):
        words = sentence.split()
        out += [w.strip(".,").lower() for w in words[1:] if w[:1].isupper()]
    return sorted(set(out))


def _iso(day: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=day)).isoformat()


def _item(seq: int, text: str, day: int | None) -> Item:
    counts = stories.term_counts(text, _entities(text), None if day is None else _iso(day))
    return Item(f"a{seq}", seq, counts)


BOUNDARY = 2950 * WEEK  # a window boundary (days since 1970-01-01)


def test_windows_count_days_from_the_epoch() -> None:
    assert window_of(BOUNDARY - 1, WEEK) + 1 == window_of(BOUNDARY, WEEK)
    assert window_of(None, WEEK) == UNDATED


def test_a_story_across_a_window_boundary_is_joined_and_others_stay_apart() -> None:
    items = [
        _item(0, FLOOD[0], BOUNDARY - 1),
        _item(1, VOTE[0], BOUNDARY - 2),
        _item(2, FLOOD[1], BOUNDARY),
        _item(3, VOTE[1], BOUNDARY + 30),  # weeks later: no boundary with the first window
        _item(4, FLOOD[2], BOUNDARY + 1),
    ]
    groups, shards, joined = assign_stories(items, _run, BatchOptions(window_days=WEEK))
    assert shards == 3
    assert joined == 1
    assert list(groups.values()) == [["a0", "a2", "a4"], ["a1"], ["a3"]]
    assert list(groups) == ["s-a0", "s-a1", "s-a3"]  # the earlier window's story id stays


def test_a_single_window_gives_what_the_assigner_gives() -> None:
    items = [_item(i, t, BOUNDARY + i % 2) for i, t in enumerate(FLOOD + VOTE)]
    groups, shards, joined = assign_stories(items, _run, BatchOptions(window_days=WEEK))
    inputs = [
        stories.StoryInput(it.id, t, _entities(t), _iso(BOUNDARY + i % 2))
        for i, (it, t) in enumerate(zip(items, FLOOD + VOTE, strict=True))
    ]
    assert (shards, joined) == (1, 0)
    assert list(groups.values()) == stories.assign_all(inputs)


QUAKE = [
    "An earthquake of magnitude 5.9 shook Osterby in Kallen province; the Osterby mayor Rina "
    "Dahl said the Kallen dam held and two schools were damaged.",
    "Rina Dahl, mayor of Osterby, said engineers inspected the Kallen dam after the magnitude "
    "5.9 earthquake damaged two schools in the province.",
    "Schools in Osterby stay closed after the Kallen province earthquake, mayor Rina Dahl said, "
    "while the dam on the Kallen river was inspected again.",
]


def test_a_big_window_is_cut_by_thread_and_gives_what_the_whole_window_gives() -> None:
    """A window of more than ``shard_max`` articles: its threads are found first, then whole
    threads are packed into shards whose stories are made apart; the stories equal those of
    the window in one piece, since the story split reads only the thread."""
    from newsweave.batch import find_threads, thread_shards

    texts = FLOOD + VOTE + QUAKE
    items = [_item(i, t, BOUNDARY + i % 3) for i, t in enumerate(texts)]
    whole, one, _ = assign_stories(items, _run, BatchOptions(window_days=WEEK))
    cut, many, _ = assign_stories(items, _run, BatchOptions(window_days=WEEK, shard_max=3))
    assert one == 1 and many == 3
    assert cut == whole
    threads = find_threads(items, stories.INCREMENTAL)
    shards = thread_shards(items, threads, 3)
    assert sorted(it.id for shard in shards for it in shard) == sorted(it.id for it in items)
    for shard in shards:  # whole threads only
        ids = {it.id for it in shard}
        assert {a for a, t in threads.items() if t in {threads[i] for i in ids}} == ids
    assert thread_shards(items, threads, 100) == [items]


def test_cutting_a_window_by_thread_changes_no_story_on_a_thousand_reports() -> None:
    """Synthetic reports of 150 subjects (each its own words and names, over a shared
    background vocabulary; subjects of one theme share some names, so threads hold several
    stories and reports move between them): shards of at most 150 articles give exactly the
    stories of the window in one piece."""
    import random

    rng = random.Random(5)
    background = [f"common{i}" for i in range(400)]
    items = []
    for subject in range(150):
        theme = subject // 3
        words = [f"s{subject}w{i}" for i in range(25)] + [f"t{theme}w{i}" for i in range(10)]
        names = [f"s{subject}n{i}" for i in range(3)] + [f"t{theme}n{i}" for i in range(2)]
        for _ in range(rng.randint(1, 13)):
            text = " ".join(rng.sample(words, 14) + rng.sample(background, 60))
            ents = rng.sample(names, rng.randint(2, 5))
            day = _iso(BOUNDARY + rng.randint(0, WEEK - 1))
            items.append((text, ents, day))
    rng.shuffle(items)
    batch = [
        Item(f"a{i}", i, stories.term_counts(text, ents, day))
        for i, (text, ents, day) in enumerate(items)
    ]
    whole, one, _ = assign_stories(batch, _run, BatchOptions(window_days=WEEK))
    cut, many, _ = assign_stories(batch, _run, BatchOptions(window_days=WEEK, shard_max=150))
    assert one == 1 and many > 3
    assert cut == whole


def test_an_undated_report_goes_to_the_window_of_its_closest_report() -> None:
    items = [
        _item(0, FLOOD[0], BOUNDARY + 10),
        _item(1, VOTE[0], BOUNDARY - 20),
        _item(2, FLOOD[1], None),
        _item(3, "Xylophone quartet tuning harpsichord wax.", None),  # like nothing: own shard
    ]
    groups, shards, _ = assign_stories(items, _run, BatchOptions(window_days=WEEK))
    assert shards == 3  # two windows and the undated shard
    assert ["a0", "a2"] in groups.values()
    assert ["a3"] in groups.values()


def test_join_boundary_pairs_each_story_once() -> None:
    left = {"s-a0": [_item(0, FLOOD[0], BOUNDARY - 1)], "s-a1": [_item(1, VOTE[0], BOUNDARY - 1)]}
    right = {
        "s-a2": [_item(2, FLOOD[1], BOUNDARY)],
        "s-a3": [_item(3, FLOOD[2], BOUNDARY)],
        "s-a4": [_item(4, VOTE[1], BOUNDARY)],
    }
    pairs = join_boundary(left, right, stories.INCREMENTAL)
    lefts = [a for a, _ in pairs]
    rights = [b for _, b in pairs]
    assert len(set(lefts)) == len(lefts) and len(set(rights)) == len(rights)
    assert ("s-a1", "s-a4") in pairs
    assert {b for a, b in pairs if a == "s-a0"} <= {"s-a2", "s-a3"}
    assert join_boundary(left, {}, stories.INCREMENTAL) == []


def _run(fn: Any, args: list[tuple[Any, ...]]) -> list[Any]:
    return [fn(*a) for a in args]


def test_inputs_globs_and_folders_in_reading_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "b/1.md", "a.jsonl", "notes.bin"):
        (tmp_path / name).write_text("Text of a fictional report from Varnholt.\n")
    assert expand_inputs([str(tmp_path / "*.jsonl")]) == [str(tmp_path / "a.jsonl")]
    assert expand_inputs([str(tmp_path / "nothing-*.txt")]) == [str(tmp_path / "nothing-*.txt")]
    files, problems = list_files([tmp_path / "b", str(tmp_path / "*.jsonl"), tmp_path / "gone"])
    assert [Path(f["path"]).name for f in files] == ["1.md", "2.txt", "a.jsonl"]
    assert [f["file"] for f in files] == [0, 1, 2]
    assert len(problems) == 1 and "no such file" in problems[0]


def test_parquet_rows_are_read_like_jsonl_lines(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="Parquet input needs pyarrow")
    import pyarrow.parquet as pq

    rows = [
        {"id": "p1", "text": FLOOD[0], "source": "Varnholt Post", "published": "2031-03-04"},
        {"id": "p2", "text": "   ", "source": None, "published": None},
        {"id": "p3", "text": VOTE[0], "source": "Pellworth <b>Echo</b>", "published": None},
    ]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "news.parquet")
    jsonl = tmp_path / "news.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    from_parquet = list(read_paths([tmp_path / "news.parquet"]))
    from_jsonl = list(read_paths([jsonl]))
    assert len(from_parquet) == 3
    for a, b in zip(from_parquet, from_jsonl, strict=True):
        assert type(a) is type(b)
        if isinstance(a, Document) and isinstance(b, Document):
            assert (a.text, a.id, a.source, a.published, a.meta) == (
                b.text,
                b.id,
                b.source,
                b.published,
                b.meta,
            )
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet")
    (problem,) = list(read_paths([broken]))
    assert "Parquet" in str(problem)


# --------------------------------------------------------------------------- slow: models


def _ecbplus(folder: Path, n: int = 12) -> Path | None:
    """The first ``n`` ECB+ documents as one JSONL file (bench/ecbplus.py), or None without
    ../shared."""
    if not ECB_ROOT.is_dir():
        return None
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_ecbplus", Path(__file__).resolve().parents[1] / "bench" / "ecbplus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    folder.mkdir(parents=True, exist_ok=True)
    module.write_jsonl(module.load_ecbplus(ECB_ROOT, topics=[1, 2])[:n], folder / "ecb.jsonl")
    return folder / "ecb.jsonl"


def _report(db: Path) -> dict[str, Any]:
    with Store.open(db) as store:
        report = build_report(store)
    report.pop("generated", None)
    report.pop("problems", None)
    return json.loads(json.dumps(report, sort_keys=True, default=str))


def _corpus(folder: Path) -> Path:
    """Fictional reports over a window boundary (JSONL and Parquet, one undated, one twice)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        {"id": "f1", "text": FLOOD[0], "source": "Varnholt Post", "published": _iso(BOUNDARY - 1)},
        {"id": "v1", "text": VOTE[0], "source": "Pellworth Echo", "published": _iso(BOUNDARY - 2)},
        {"id": "f2", "text": FLOOD[1], "source": "Marrow Times", "published": _iso(BOUNDARY)},
        {"id": "f1b", "text": FLOOD[0], "source": "Varnholt Post", "published": None},
    ]
    (folder / "a.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    rows = [
        {"id": "v2", "text": VOTE[1], "source": "Brisk Daily", "published": _iso(BOUNDARY + 1)},
        {"id": "f3", "text": FLOOD[2], "source": "Kessing Radio", "published": None},
    ]
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), folder / "b.parquet")
    except ImportError:
        (folder / "b.jsonl").write_text("\n".join(json.dumps(x) for x in rows) + "\n")
    return folder


@pytest.mark.slow
def test_batch_on_the_seeds_gives_what_analyze_gives(tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the seeds are not here ({SEEDS}): ../shared is absent")
    from newsweave.pipeline import analyze

    analyze([SEEDS], db=tmp_path / "analyze.db")
    result = run_batch([SEEDS], db=tmp_path / "batch.db")
    assert result.problems == []
    expected = _report(tmp_path / "analyze.db")
    got = _report(tmp_path / "batch.db")
    assert got["stories"] == expected["stories"]
    assert got["facts"] == expected["facts"]
    assert got == expected


@pytest.mark.slow
def test_batch_twice_stores_nothing_twice_and_writes_parquet(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    first = run_batch([corpus], db=tmp_path / "b.db", out=tmp_path / "pq")
    assert first.duplicates == 1 and first.articles == 5
    report = _report(tmp_path / "b.db")
    with Store.open(tmp_path / "b.db") as store:
        counts = (store.count_articles(), len(store.stories()), store.count_story_vectors())
    with Store.open(tmp_path / "b.db") as store:  # the inputs were recorded as ingest does
        from newsweave.pipeline import Pipeline

        ingest = Pipeline(store).ingest([corpus])
        assert not ingest.added and not ingest.problems
        assert len(ingest.unchanged) == 5 and len(ingest.duplicates) == 1
        assert store.count_articles() == counts[0]
    again = run_batch([corpus], db=tmp_path / "b.db")
    assert [s.articles for s in again.stories] == [s.articles for s in first.stories]
    with Store.open(tmp_path / "b.db") as store:
        assert (store.count_articles(), len(store.stories()), store.count_story_vectors()) == (
            counts
        )
    assert _report(tmp_path / "b.db") == report
    pq = pytest.importorskip("pyarrow.parquet", reason="Parquet output needs pyarrow")
    articles = pq.read_table(tmp_path / "pq" / "articles.parquet").to_pylist()
    assert [a["seq"] for a in articles] == list(range(5))
    facts = pq.read_table(tmp_path / "pq" / "facts.parquet").to_pylist()
    assert len(facts) == len(report["facts"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc), children first."""
    parent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out: list[int] = []
    todo = [pid]
    while todo:
        kids = [p for p, pp in parent.items() if pp == todo[0]]
        out += kids
        todo = todo[1:] + kids
    return out


@pytest.fixture
def ray_cluster(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A local Ray cluster of 2 CPUs on 127.0.0.1 (``ray start --block``), token
    authentication off (loopback only); at the end the ``ray start`` process is asked to stop
    (it drains for a while) and whatever it started and is still running is killed, by id."""
    pytest.importorskip("ray", reason="the Ray engine needs ray[data] (pip install 'ray[data]')")
    ray_cli = shutil.which("ray", path=str(Path(sys.executable).parent))
    if ray_cli is None:
        pytest.skip("the ray command is not installed next to this Python")
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    port = _free_port()
    temp = tempfile.mkdtemp(prefix="nwray")  # short: Ray's socket paths have a length limit
    proc = subprocess.Popen(
        [
            ray_cli,
            "start",
            "--head",
            "--block",
            "--node-ip-address",
            "127.0.0.1",
            "--port",
            str(port),
            "--num-cpus",
            "2",
            "--include-dashboard=false",
            "--temp-dir",
            temp,
            "--disable-usage-stats",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "RAY_AUTH_MODE": "disabled"},
    )
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None:
                pytest.fail("ray start exited early")
            time.sleep(0.5)
        yield f"127.0.0.1:{port}"
    finally:
        import ray

        if ray.is_initialized():
            ray.shutdown()
        started.update(_descendants(proc.pid))
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        for pid in sorted(started | set(_descendants(proc.pid))):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(temp, ignore_errors=True)


@pytest.mark.slow
def test_ray_cluster_gives_what_the_in_process_batch_gives(
    tmp_path: Path, ray_cluster: str
) -> None:
    corpus = _corpus(tmp_path / "in")
    inputs: list[Path] = [corpus]
    if SEEDS.is_dir():  # with ../shared: the seeds and a few ECB+ documents too
        inputs.append(SEEDS)
    ecb = _ecbplus(tmp_path / "ecb")
    if ecb is not None:
        inputs.append(ecb)
    local = run_batch(inputs, db=tmp_path / "local.db")
    on_ray = run_batch(inputs, engine="ray", address=ray_cluster, db=tmp_path / "ray.db")
    assert [(s.id, s.articles) for s in on_ray.stories] == [
        (s.id, s.articles) for s in local.stories
    ]
    assert (on_ray.articles, on_ray.duplicates, on_ray.shards, on_ray.joined) == (
        local.articles,
        local.duplicates,
        local.shards,
        local.joined,
    )
    expected = _report(tmp_path / "local.db")
    got = _report(tmp_path / "ray.db")
    assert got["facts"] == expected["facts"]
    assert got == expected
    # no usage statistics, and no poller thread left running Python beside the caller's
    assert os.environ.get("RAY_USAGE_STATS_ENABLED") == "0"
    assert not [t.name for t in threading.enumerate() if "usage" in t.name]


@pytest.mark.slow
def test_cli_batch_on_ray_keeps_rays_logs_off_the_terminal(tmp_path: Path) -> None:
    """`newsweave batch --engine ray` as a user runs it (a separate process that starts its own
    local Ray cluster of 2 CPUs, so that what Ray's C++ core writes to the terminal is seen
    too) prints no INFO lines (Ray Data's stage log, ray.init's, the workers'), no WARNING
    lines and no Python warnings from Ray; Ray's C++ core still writes its own error-level
    lines (docs/scaling.md). Whatever the run started and left running is killed, by id."""
    import re

    pytest.importorskip("ray", reason="the Ray engine needs ray[data] (pip install 'ray[data]')")
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [
        {"id": "q1", "text": FLOOD[0], "source": "Varnholt Post", "published": _iso(BOUNDARY)},
        {"id": "q2", "text": FLOOD[1], "source": "Marrow Times", "published": _iso(BOUNDARY)},
    ]
    (folder / "a.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env.update(RAY_AUTH_MODE="disabled", RAY_USAGE_STATS_ENABLED="0")
    temp = tempfile.mkdtemp(prefix="nwray")  # short: Ray's socket paths have a length limit
    env["RAY_TMPDIR"] = temp
    cmd = [sys.executable, "-m", "newsweave", "batch", str(folder), "--engine", "ray",
           "--workers", "2", "--db", str(tmp_path / "ray.db")]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 900
        while proc.poll() is None and time.monotonic() < deadline:
            started.update(_descendants(proc.pid))
            time.sleep(0.5)
        if proc.poll() is None:
            proc.kill()
        out, err = proc.communicate(timeout=60)
    finally:
        for pid in sorted(started):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(temp, ignore_errors=True)
    output = out + err
    assert proc.returncode == 0, output[-3000:]
    assert "2 article(s)" in output, output[-3000:]
    core = r"^\[\d{4}-\d\d-\d\d [\d:,]+ ([A-Z]) \d+ \d+\]"  # Ray's C++ log line: its level
    noisy = [
        line
        for line in output.splitlines()
        if re.search(r"\bINFO\b|\bWARNING\b|Warning:|warnings\.warn", line)
        or ((m := re.match(core, line)) is not None and m.group(1) not in "EF")
    ]
    assert noisy == [], "\n".join(noisy[:20])


def test_cli_batch_needs_somewhere_to_write(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsweave.cli import app

    result = CliRunner().invoke(app, ["batch", str(tmp_path)])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["batch", str(tmp_path), "--out", "x", "--engine", "spark"])
    assert result.exit_code == 2


@pytest.mark.slow
def test_cli_batch_writes_a_store_that_report_reads(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsweave.cli import app

    corpus = _corpus(tmp_path / "in")
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(app, ["batch", f"{corpus}/*", "--db", db])
    assert result.exit_code == 0, result.output
    assert "5 article(s) (1 duplicate(s))" in result.output
    result = CliRunner().invoke(app, ["report", "--db", db, "--out", str(tmp_path / "rep")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rep" / "report.json").is_file()
