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
    .venv/bin/python bench/assign_latency.py --open /tmp/m1 --sizes 1000000   # a real store

``--open DIR`` measures what a process pays to start over a big store, through the product's
own code: DIR holds a SQLite store of N articles (built on the first call: the synthetic
counts above as the stored story vectors, each article's text a real ECB+ report, ids of the
store's form, stories and their members written as assignment made them, and the assigner's
snapshot written by :class:`newsweave.pipeline.Pipeline` as it does for any store), then a
fresh process opens the store, loads the story state (``Pipeline._current_assigner``: the
snapshot and the checks against the store), and adds ``--probes`` articles one at a time
through ``Pipeline.assign_stories`` (the article row is written first, as ingest does; the
timed call finds it, assigns it, writes it). ``--before SRC`` runs that process with older
code too (its ``src`` folder), on the same store.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
# NEWSWEAVE_BENCH_SRC: the src folder of other code to measure (--open with --before)
sys.path.insert(0, os.environ.get("NEWSWEAVE_BENCH_SRC") or str(BENCH.parent / "src"))
sys.path.insert(1, str(BENCH))

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


class FastSynth(Synth):
    """:class:`Synth`'s reports (the same random draws, the same counts: tested against it in
    :func:`check_fast`), hashed from tables made once instead of writing and tokenising each
    report's text (about 1.5x faster)."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)
        p = stories.INCREMENTAL
        self._bg = [stories._bucket(f"b{i}", p.fine_word_buckets) for i in range(BACKGROUND)]
        self._own: list[dict[str, tuple[int, float]]] = []
        self._ent: dict[str, tuple[int, float]] = {}

    def new_story(self) -> int:
        n = super().new_story()
        p = stories.INCREMENTAL
        words, ents, _ = self.stories[n]
        self._own.append({w: stories._bucket(w, p.fine_word_buckets) for w in words})
        for e in ents:
            self._ent[e] = stories._bucket(e, p.fine_entity_buckets)
        return n

    def report(self, story: int) -> TermCounts:
        words, ents, day = self.stories[story]
        rng = self.rng
        own = rng.choice(words, size=min(len(words), int(rng.integers(10, 30))), replace=False)
        bg = np.searchsorted(self.cdf, rng.random(int(rng.integers(80, 250))))
        common = [f"c{int(i)}" for i in rng.integers(0, 30, size=int(rng.integers(0, 3)))]
        picked = list(rng.choice(ents, size=int(rng.integers(1, len(ents) + 1)), replace=False))
        # term_counts: each token's count in order of first occurrence (own words once each)
        table = self._own[story]
        order: list[tuple[tuple[int, float], int]] = []
        for w in own:
            order.append((table[str(w)], 1))
        seen: dict[int, int] = {}
        for i in bg.tolist():
            if i in seen:
                seen[i] += 1
            else:
                seen[i] = 1
        order += [(self._bg[i], c) for i, c in seen.items()]
        words_out: dict[int, float] = {}
        for (b, sign), count in order:
            words_out[b] = words_out.get(b, 0.0) + sign * (1.0 + math.log(count))
        p = stories.INCREMENTAL
        ents_out: dict[int, float] = {}
        for e in sorted(set(picked) | set(common)):
            b, sign = self._ent.get(e) or stories._bucket(e, p.fine_entity_buckets)
            ents_out[b] = ents_out.get(b, 0.0) + sign
        counts = TermCounts({b: float(np.float32(v)) for b, v in words_out.items()}, ents_out)
        counts.day = day + int(rng.integers(0, 4))
        return counts


def check_fast(n: int = 2000) -> None:
    """FastSynth gives Synth's reports, bit for bit."""
    slow, fast = Synth(seed=7), FastSynth(seed=7)
    choose = np.random.default_rng(1)
    for _ in range(n):
        if not slow.stories or choose.random() < 0.1:
            assert slow.new_story() == fast.new_story()
        k = int(choose.integers(0, len(slow.stories)))
        a, b = slow.report(k), fast.report(k)
        assert a.to_bytes() == b.to_bytes() and a.day == b.day
        assert list(a.words) == list(b.words) and list(a.entities) == list(b.entities)


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


# --------------------------------------------------------------------------- a real store


def _article_id(k: int) -> str:
    """An id of the store's form (12 hex digits of a content hash), stable for ``k``."""
    import hashlib

    return hashlib.sha256(f"synthetic article {k}".encode()).hexdigest()[:12]


def _real_texts() -> list[str]:
    """ECB+ reports' texts (the articles' stored text), or a placeholder without ECB+."""
    try:
        from ecbplus import EcbplusMissing, load_ecbplus
    except ImportError:  # pragma: no cover
        return ["(text)"]
    try:
        return [d.text for d in load_ecbplus()]
    except EcbplusMissing:
        log("ECB+ is missing: the articles' text is a placeholder")
        return ["(text)"]


def build_store(folder: Path, n: int, probes: int, seed: int = 0, bulk: bool = True) -> None:
    """The store of ``n`` articles in ``folder`` (see the module's ``--open``), its snapshot,
    and the ``probes`` articles to add (``probes.npz``).

    The assigner state is what :meth:`Assigner.restore` builds with the thread numbers known,
    except, with ``bulk``, its nearest-neighbour graph: the vectors are added to it in chunks
    of 20,000 on every CPU with ``expansion_add`` 16 (the product adds them one at a time with
    64, which a million articles on this shared machine cannot wait for). The graph has the
    same parameters, size and file format, so loading it costs the same; which neighbours a
    search finds in it may differ."""
    from datetime import datetime, timezone

    from newsweave.pipeline import Pipeline
    from newsweave.store import Store

    folder.mkdir(parents=True, exist_ok=True)
    texts = _real_texts()
    synth = FastSynth(seed=seed)
    assigner = Assigner()
    index = assigner._index._index
    keys: list[int] = []
    vecs: list[np.ndarray] = []
    if bulk and index is not None:
        index.expansion_add = 16

        def buffered(key: int, vector: np.ndarray) -> None:
            keys.append(key)
            vecs.append(vector.astype(np.float16))
            if len(keys) >= 20_000:
                flush_index()

        def flush_index() -> None:
            assert index is not None
            index.add(np.array(keys, dtype=np.uint64), np.stack(vecs), threads=os.cpu_count() or 1)
            keys.clear()
            vecs.clear()

        assigner._index.add = buffered  # type: ignore[method-assign]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    start = time.perf_counter()
    with Store.open(folder / "store.db") as store:
        first_of: dict[int, str] = {}
        articles: list[tuple[object, ...]] = []
        vectors: list[tuple[object, ...]] = []

        def flush() -> None:
            with store.engine.begin() as conn:
                conn.exec_driver_sql(
                    "INSERT INTO articles (id, seq, content_hash, language, words, text, "
                    "credits, dropped, meta, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    articles,
                )
                conn.exec_driver_sql(
                    "INSERT INTO story_vectors (article_id, seq, version, day, data) "
                    "VALUES (?, ?, ?, ?, ?)",
                    vectors,
                )
            articles.clear()
            vectors.clear()

        count = 0
        while count < n:
            story = synth.new_story()
            for _ in range(int(synth.rng.integers(1, 41))):
                if count >= n:
                    break
                aid = _article_id(count)
                sid = first_of.setdefault(story, stories.story_id(aid))
                counts = synth.report(story)
                assigner.restore(aid, counts, sid, thread=story)
                count += 1
                text = texts[count % len(texts)]
                row = (aid, count, f"synthetic-{aid}", "en", len(text.split()), text)
                articles.append((*row, "[]", "[]", "{}", now))
                vectors.append((aid, count, stories.VECTOR_VERSION, counts.day, counts.to_bytes()))
                if len(articles) >= 5000:
                    flush()
                if count % 50_000 == 0:
                    log(f"built {count:,} of {n:,} in {time.perf_counter() - start:.0f} s")
        if articles:
            flush()
        if keys:
            flush_index()
        if index is not None:
            index.expansion_add = 64
            del assigner._index.add  # the instance's own again
        log(f"state and rows of {n:,} articles in {time.perf_counter() - start:.0f} s")
        groups = assigner.stories()
        with store.engine.begin() as conn:
            story_rows = [(sid, "", "", now) for sid in groups]
            member_rows = [
                (sid, a, r) for sid, members in groups.items() for r, a in enumerate(members)
            ]
            conn.exec_driver_sql(
                "INSERT INTO stories (id, title, digest, updated_at) VALUES (?, ?, ?, ?)",
                story_rows,
            )
            conn.exec_driver_sql(
                "INSERT INTO story_articles (story_id, article_id, rank) VALUES (?, ?, ?)",
                member_rows,
            )
        del story_rows, member_rows
        pipeline = Pipeline(store)
        started = time.perf_counter()
        try:  # the snapshot, as the product writes it (with the mark of the articles seen)
            pipeline._keep(assigner, store.article_mark())  # type: ignore[call-arg]
        except (TypeError, AttributeError):  # older code
            pipeline._keep(assigner)
        log(f"snapshot written in {time.perf_counter() - started:.0f} s")
    # the articles to add afterwards: half of existing stories, half new
    data, days = [], []
    for k in range(probes):
        story = int(synth.rng.integers(0, len(synth.stories))) if k % 2 else synth.new_story()
        counts = synth.report(story)
        data.append(np.frombuffer(counts.to_bytes(), dtype=np.uint8))
        days.append(-1 if counts.day is None else counts.day)
    lengths = np.array([len(d) for d in data], dtype=np.int64)
    np.savez(folder / "probes.npz", data=np.concatenate(data), lengths=lengths, days=days)
    (folder / "built").write_text(f"{n}\n", encoding="utf-8")


def _du_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure_open(folder: Path) -> dict[str, object]:
    """In this (fresh) process: open the store, load the story state, add the probes one by
    one through the pipeline; what it cost."""
    import json
    from datetime import datetime, timezone

    from sqlalchemy import insert

    from newsweave import pipeline as pipeline_module
    from newsweave.store import Store
    from newsweave.store import schema as t

    packed = np.load(folder / "probes.npz")
    bounds = np.concatenate([[0], np.cumsum(packed["lengths"])])
    probes = [
        stories.TermCounts.from_bytes(packed["data"][a:b].tobytes(), None if int(d) < 0 else int(d))
        for a, b, d in zip(bounds[:-1], bounds[1:], packed["days"], strict=True)
    ]
    by_id = {f"probe{k:07d}": c for k, c in enumerate(probes)}
    result: dict[str, object] = {}
    t0 = time.perf_counter()
    store = Store.open(folder / "store.db")
    t1 = time.perf_counter()
    pipeline = pipeline_module.Pipeline(store)
    # the probes' counts are given (no document stage here): the rest is the product's path
    original = pipeline._term_counts
    pipeline._term_counts = lambda a: by_id[a.id] if a.id in by_id else original(a)  # type: ignore[method-assign]
    assigner = pipeline._current_assigner(stories.VECTOR_VERSION)
    assert assigner is not None, "the store's stories were not made incrementally"
    pipeline._keep(assigner)
    t2 = time.perf_counter()
    rss_ready = maxrss_mb()
    seq = store.count_articles()
    # what run(), the watcher and the web app call per batch of new articles (older code: the
    # only call there was, which also listed every story)
    add = getattr(pipeline, "assign", None) or pipeline.assign_stories
    times = []
    now = datetime.now(timezone.utc)
    for k, aid in enumerate(by_id):
        with store.engine.begin() as conn:  # what ingest writes
            conn.execute(
                insert(t.articles).values(
                    id=aid,
                    seq=seq + k + 1,
                    content_hash=f"probe-{aid}",
                    language="en",
                    words=0,
                    text="",
                    credits=[],
                    dropped=[],
                    meta={},
                    ingested_at=now,
                )
            )
        start = time.perf_counter()
        add()
        times.append(time.perf_counter() - start)
    ms = np.array(times) * 1000
    result.update(
        articles=len(assigner) - len(by_id),
        open_s=t1 - t0,
        ready_s=t2 - t0,
        state_s=t2 - t1,
        first_ms=float(ms[0]),
        median_ms=float(np.median(ms)),
        p95_ms=float(np.percentile(ms, 95)),
        max_ms=float(ms.max()),
        rss_ready_mb=rss_ready,
        peak_rss_mb=maxrss_mb(),
        snapshot_mb=_du_mb(folder / "store.db.state"),
        store_mb=sum(_du_mb(p) for p in folder.glob("store.db*") if p.is_file()),
    )
    store.close()
    print(json.dumps(result))
    return result


def open_table(args: argparse.Namespace) -> int:
    """Build the store once (when DIR has none), then measure its start in fresh processes:
    with ``--before SRC`` first (a copy of the store, so each version adds its own probes)."""
    import json
    import shutil
    import subprocess

    folder = Path(args.open)
    n = int(args.sizes.split(",")[0])
    built = folder / "built"
    if not built.exists() or int(built.read_text().strip()) != n:
        log(f"building a store of {n:,} articles in {folder} (kept for the next runs)")
        shutil.rmtree(folder, ignore_errors=True)
        build_store(folder, n, args.probes)
    if args.build_only:
        return 0
    runs = [("before", Path(args.before))] if args.before else []
    runs.append(("after", None))
    print(
        "| code | articles | open store s | story state s | ready s | first add ms | "
        "add ms median | p95 | max | RSS ready MB | peak RSS MB | snapshot MB | store MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, src in runs:
        work = folder / f"run-{name}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for f in folder.iterdir():  # a fresh copy: each run adds the probes to the same store
            if f.name.startswith("store.db"):
                if f.is_dir():
                    shutil.copytree(f, work / f.name)
                else:
                    shutil.copy2(f, work / f.name)
        shutil.copy2(folder / "probes.npz", work / "probes.npz")
        env = dict(os.environ)
        env.pop("NEWSWEAVE_BENCH_SRC", None)
        if src is not None:
            env["NEWSWEAVE_BENCH_SRC"] = str(src)
            env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
        subprocess.run(["sync"], check=False)
        log(f"measuring {name} (load average {os.getloadavg()[0]:.1f})")
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--measure-open", str(work)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if proc.returncode or not lines:
            print(f"| {name} | failed: {proc.stderr.strip().splitlines()[-1:]} |")
            continue
        r = json.loads(lines[-1])
        print(
            f"| {name} | {r['articles']:,} | {r['open_s']:.2f} | {r['state_s']:.1f} | "
            f"{r['ready_s']:.1f} | {r['first_ms']:.1f} | {r['median_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['max_ms']:.1f} | {r['rss_ready_mb']:,.0f} | "
            f"{r['peak_rss_mb']:,.0f} | {r['snapshot_mb']:,.0f} | {r['store_mb']:,.0f} |",
            flush=True,
        )
        if not args.keep_runs:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
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
    ap.add_argument(
        "--open",
        default=None,
        help="folder of a real store of the first --sizes articles (built when missing): "
        "time a fresh process's start over it and its adding of --probes articles",
    )
    ap.add_argument("--before", default=None, help="with --open: also run older code (src)")
    ap.add_argument("--keep-runs", action="store_true", help="with --open: keep the run copies")
    ap.add_argument("--build-only", action="store_true", help="with --open: build, no runs")
    ap.add_argument("--measure-open", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure_open:
        measure_open(Path(args.measure_open))
        return 0
    if args.open:
        return open_table(args)
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
