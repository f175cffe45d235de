"""Latency of adding one article to a store of N articles (incremental story assignment).

A synthetic store of N articles is built: stories of 1-40 reports, each report drawing words
from its story's own vocabulary (a few dozen words) and from a shared Zipf-distributed
background vocabulary of 50,000 words, plus 2-6 entities of its story and 0-2 common ones, with
publication days spread over two years. The :class:`newsweave.stories.Assigner` state is built
from them as a process rebuilds it from the store (:meth:`Assigner.restore`: vectors replayed,
HNSW index filled), then ``--probes`` new articles (half of existing stories, half new) are
assigned one by one, timed. With ``--store``, the same is done through a real SQLite store: N
rows written in bulk, then each probe is assigned *and* written (``Store.assign_article``).

Usage, from the repo root::

    .venv/bin/python bench/assign_latency.py --sizes 1000,10000,100000
    .venv/bin/python bench/assign_latency.py --sizes 1000,10000 --store
    .venv/bin/python bench/assign_latency.py --sizes 10000,100000 --snapshot
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))

from newsweave import stories  # noqa: E402
from newsweave.stories import Assigner, TermCounts  # noqa: E402

BACKGROUND = 50_000
DAY0 = 22_000  # days since 1970 (2030)


class Synth:
    """Deterministic synthetic reports (seeded)."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        ranks = np.arange(1, BACKGROUND + 1)
        self.zipf = 1.0 / ranks
        self.zipf /= self.zipf.sum()
        self.cdf = np.cumsum(self.zipf)
        self.stories: list[tuple[list[str], list[str], int]] = []

    def new_story(self) -> int:
        n = len(self.stories)
        words = [f"s{n}w{i}" for i in range(int(self.rng.integers(20, 60)))]
        ents = [f"s{n}e{i}" for i in range(int(self.rng.integers(2, 7)))]
        self.stories.append((words, ents, DAY0 + int(self.rng.integers(0, 730))))
        return n

    def report(self, story: int) -> TermCounts:
        words, ents, day = self.stories[story]
        rng = self.rng
        own = rng.choice(words, size=min(len(words), int(rng.integers(10, 30))), replace=False)
        bg = np.searchsorted(self.cdf, rng.random(int(rng.integers(80, 250))))
        text = " ".join([*own, *(f"b{i}" for i in bg)])
        common = [f"c{int(i)}" for i in rng.integers(0, 30, size=int(rng.integers(0, 3)))]
        picked = list(rng.choice(ents, size=int(rng.integers(1, len(ents) + 1)), replace=False))
        counts = stories.term_counts(text, [*picked, *common])
        counts.day = day + int(rng.integers(0, 4))
        return counts

    def stream(self, n: int) -> list[TermCounts]:
        out: list[TermCounts] = []
        while len(out) < n:
            story = self.new_story()
            for _ in range(int(self.rng.integers(1, 41))):
                out.append(self.report(story))
        return out[:n]


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(n: int, synth: Synth, threads_known: bool = False) -> tuple[Assigner, float]:
    """An assigner holding ``n`` synthetic articles, restored as from a store (each article in
    its own synthetic story's first report's story, as the store would say). With
    ``threads_known`` the thread numbers are given (each synthetic story is one thread, numbered
    in order of its first report), which skips the nearest-neighbour search of the replay; the
    articles are generated and replayed one at a time, never held together."""
    assigner = Assigner()
    start = time.perf_counter()
    story_of_report: dict[int, str] = {}
    count = 0
    while count < n:
        story = synth.new_story()
        for _ in range(int(synth.rng.integers(1, 41))):
            if count >= n:
                break
            aid = f"a{count}"
            sid = story_of_report.setdefault(story, stories.story_id(aid))
            thread = story if threads_known else None
            assigner.restore(aid, synth.report(story), sid, thread=thread)
            count += 1
            if count % 100_000 == 0:
                log(f"built {count:,} of {n:,} in {time.perf_counter() - start:.0f} s")
    return assigner, time.perf_counter() - start


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def probe(assigner: Assigner, synth: Synth, probes: int) -> list[float]:
    times: list[float] = []
    for k in range(probes):
        story = int(synth.rng.integers(0, len(synth.stories))) if k % 2 else synth.new_story()
        counts = synth.report(story)
        start = time.perf_counter()
        assigner.assign(f"p{k}", counts)
        times.append(time.perf_counter() - start)
    return times


def probe_store(n: int, assigner: Assigner, synth: Synth, probes: int) -> list[float]:
    """Write the ``n`` articles and their stories to a SQLite store in bulk, then time
    assign + ``Store.assign_article`` for each probe."""
    from datetime import datetime, timezone

    from sqlalchemy import insert

    from newsweave.store import Store
    from newsweave.store import schema as t

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        now = datetime.now(timezone.utc)
        groups = assigner.groups()
        with store.engine.begin() as conn:
            ids = [a for g in groups for a in g]
            for i in range(0, len(ids), 5000):
                conn.execute(
                    insert(t.articles),
                    [
                        {
                            "id": a,
                            "seq": i + j + 1,
                            "content_hash": f"h{a}",
                            "words": 0,
                            "text": "",
                            "credits": [],
                            "dropped": [],
                            "meta": {},
                            "ingested_at": now,
                        }
                        for j, a in enumerate(ids[i : i + 5000])
                    ],
                )
            conn.execute(
                insert(t.stories),
                [
                    {"id": stories.story_id(g[0]), "title": "", "digest": "", "updated_at": now}
                    for g in groups
                ],
            )
            conn.execute(
                insert(t.story_articles),
                [
                    {"story_id": stories.story_id(g[0]), "article_id": a, "rank": r}
                    for g in groups
                    for r, a in enumerate(g)
                ],
            )
        store.replace_story_vectors((a, stories.VECTOR_VERSION, None, b"") for a in ids)
        times: list[float] = []
        for k in range(probes):
            story = int(synth.rng.integers(0, len(synth.stories))) if k % 2 else synth.new_story()
            counts = synth.report(story)
            aid = f"q{k}"
            with store.engine.begin() as conn:
                conn.execute(
                    insert(t.articles).values(
                        id=aid,
                        seq=n + k + 1,
                        content_hash=f"h{aid}",
                        words=0,
                        text="",
                        credits=[],
                        dropped=[],
                        meta={},
                        ingested_at=now,
                    )
                )
            start = time.perf_counter()
            sid = assigner.assign(aid, counts)
            store.assign_article(aid, sid, stories.VECTOR_VERSION, counts.day, counts.to_bytes())
            times.append(time.perf_counter() - start)
        return times


def probe_big_thread(members: int, probes: int) -> list[float]:
    """The worst case of one arrival: a thread of ``members`` reports of one subject, so that
    each new report re-splits the thread's full window (``split_window`` latest members)."""
    synth = Synth(seed=members)
    story = synth.new_story()
    assigner = Assigner()
    for i in range(members):
        assigner.assign(f"x{i}", synth.report(story))
    times: list[float] = []
    for k in range(probes):
        counts = synth.report(story)
        start = time.perf_counter()
        assigner.assign(f"p{k}", counts)
        times.append(time.perf_counter() - start)
    return times


def snapshot_table(sizes: list[int], args: argparse.Namespace) -> int:
    """Start-up from a snapshot against the replay of the store, side by side."""
    import copy
    import shutil

    print(
        "| N | replay (restore) s | snapshot save s | snapshot load s | snapshot MB | "
        "probes assigned alike | assign ms p95 after load |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        gc.collect()
        synth = Synth(seed=n)
        built, replay = build(n, synth, args.threads_known)
        with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
            folder = Path(tmp) / "stories"
            start = time.perf_counter()
            built.save(folder)
            save = time.perf_counter() - start
            size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
            start = time.perf_counter()
            loaded, _ = Assigner.load(folder)
            load = time.perf_counter() - start
            shutil.rmtree(folder)
        twin = copy.deepcopy(synth)
        probe(built, synth, args.probes)
        times = np.array(probe(loaded, twin, args.probes)) * 1000
        ids = [f"p{k}" for k in range(args.probes)]
        alike = sum(built.story_of(i) == loaded.story_of(i) for i in ids) / len(ids)
        print(
            f"| {n:,} | {replay:.1f} | {save:.1f} | {load:.1f} | {size:,.0f} | "
            f"{alike:.1%} | {np.percentile(times, 95):.2f} |",
            flush=True,
        )
        del built, loaded
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--probes", type=int, default=200)
    ap.add_argument("--store", action="store_true", help="also time the SQLite write")
    ap.add_argument("--tmp", default=None, help="folder for the snapshot (default: system tmp)")
    ap.add_argument(
        "--big-thread",
        type=int,
        default=0,
        help="also time arrivals into one thread of this many reports (the split's worst case)",
    )
    ap.add_argument(
        "--threads-known",
        action="store_true",
        help="rebuild with the thread numbers given (no search: much faster for 1M)",
    )
    ap.add_argument(
        "--snapshot",
        action="store_true",
        help="also time Assigner.save / Assigner.load (how a process starts over a big store) "
        "and check that the loaded state assigns the probes as the built one does",
    )
    args = ap.parse_args(argv)
    if args.snapshot:
        return snapshot_table([int(x) for x in args.sizes.split(",")], args)
    print(
        "| N | build (restore) s | assign ms median | p95 | max | "
        + ("with store write ms median | p95 | " if args.store else "")
        + "peak RSS MB |"
    )
    print("|---:|---:|---:|---:|---:|" + ("---:|---:|" if args.store else "") + "---:|")
    for n in [int(x) for x in args.sizes.split(",")]:
        gc.collect()
        synth = Synth(seed=n)
        assigner, seconds = build(n, synth, args.threads_known)
        times = np.array(probe(assigner, synth, args.probes)) * 1000
        cells = [
            f"{n:,}",
            f"{seconds:.1f}",
            f"{np.median(times):.2f}",
            f"{np.percentile(times, 95):.2f}",
            f"{times.max():.2f}",
        ]
        if args.store:
            st = np.array(probe_store(len(assigner), assigner, synth, args.probes)) * 1000
            cells += [f"{np.median(st):.2f}", f"{np.percentile(st, 95):.2f}"]
        cells.append(f"{maxrss_mb():.0f}")
        print("| " + " | ".join(cells) + " |", flush=True)
        del assigner
    if args.big_thread:
        times = np.array(probe_big_thread(args.big_thread, args.probes)) * 1000
        print(
            f"\none thread of {args.big_thread:,} reports (window "
            f"{stories.INCREMENTAL.split_window}): assign ms median {np.median(times):.2f}, "
            f"p95 {np.percentile(times, 95):.2f}, max {times.max():.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
