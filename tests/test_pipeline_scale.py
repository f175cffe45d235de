"""What one more article costs does not grow with the store: a process that kept its story
state asks the store only for the articles ingested since its last call, lists no story it
does not need, and finds the stories to re-analyse in one query."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from newsweave.pipeline import Pipeline
from newsweave.store import Store

TWO = Path(__file__).parent / "data" / "two_stories"
FRENCH = (
    "Le conseil municipal de Brannoch a voté hier soir un budget de crise après les "
    "inondations qui ont détruit trois ponts et une centaine de maisons dans la vallée. "
    "Le maire a annoncé que les travaux de reconstruction commenceront au printemps.\n"
)
pytestmark = pytest.mark.slow


def _spy(store: Store, calls: list[Any]) -> None:
    original = store.articles_without_story

    def spied(after: int = 0) -> list[str]:
        found = original(after=after)
        calls.append((after, found))
        return found

    store.articles_without_story = spied  # type: ignore[method-assign]


def test_a_kept_state_looks_only_at_articles_ingested_since(tmp_path: Path) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    names = sorted(p.name for p in TWO.glob("*.txt"))
    first.mkdir()
    later.mkdir()
    for name in names[:-2]:
        shutil.copy(TWO / name, first / name)
    (first / "zz_french.txt").write_text(FRENCH, encoding="utf-8")
    for name in names[-2:]:
        shutil.copy(TWO / name, later / name)

    with Store.open(tmp_path / "kept.db") as store:
        pipeline = Pipeline(store, workers=0)
        calls: list[Any] = []
        _spy(store, calls)
        pipeline.ingest([first])
        pipeline.analyze_documents()
        assert pipeline.assign() == len(names) - 2 + 1  # the French report is looked at ...
        french = [a.id for a in store.iter_articles() if a.language == "fr"]
        assert len(french) == 1 and store.story_of(french[0]) is None  # ... and left out
        mark = store.article_mark()
        assert calls[-1][0] == 0  # no kept state yet: every article without a story

        pipeline.ingest([later])
        pipeline.analyze_documents()
        assert pipeline.assign() == 2
        after, found = calls[-1]
        assert after == mark and french[0] not in found and len(found) == 2
        assert pipeline.assign() == 0  # nothing new
        expected = {s.id: s.articles for s in store.stories()}
        assert all(store.story_of(a.id) for a in store.iter_articles() if a.language == "en")

    # the same stories as one pass over the whole store in ingest order
    with Store.open(tmp_path / "kept.db") as store:
        again = Pipeline(store, workers=0).assign_stories(recluster=True)
        assert {s.id: s.articles for s in again} == expected


def test_another_process_and_a_snapshot_keep_the_shortcut_right(tmp_path: Path) -> None:
    """Process 1 assigns, process 2 assigns one more report; process 1's kept state replays
    it and still looks only at later articles; a third process starting from the snapshot
    looks only at articles after the snapshot's mark, and its stories are the store's."""
    first, later, last = tmp_path / "first", tmp_path / "later", tmp_path / "last"
    names = sorted(p.name for p in TWO.glob("*.txt"))
    for folder, chosen in ((first, names[:-2]), (later, names[-2:-1]), (last, names[-1:])):
        folder.mkdir()
        for name in chosen:
            shutil.copy(TWO / name, folder / name)
    (first / "zz_french.txt").write_text(FRENCH, encoding="utf-8")
    db = tmp_path / "two.db"
    with Store.open(db) as s1, Store.open(db) as s2:
        p1, p2 = Pipeline(s1, workers=0), Pipeline(s2, workers=0)
        p1.snapshot_min = 1
        p1.ingest([first])
        p1.analyze_documents()
        p1.assign()  # writes a snapshot
        mark = s1.article_mark()
        p2.ingest([later])
        p2.analyze_documents()
        p2.assign()  # the other process assigns one more report
        calls: list[Any] = []
        _spy(s1, calls)
        assert p1.assign() == 0
        assert calls[-1] == (mark, [])
        assert p1._assigner is not None and len(p1._assigner) == len(names) - 1
        expected = {s.id: s.articles for s in s1.stories()}

    with Store.open(db) as s3:
        p3 = Pipeline(s3, workers=0)
        p3.ingest([last])
        p3.analyze_documents()
        calls = []
        _spy(s3, calls)
        assert p3.assign() == 1
        assert calls[-1][0] == mark  # the snapshot's mark: the French report is not re-read
        new = [a for a in s3.iter_articles() if a.path and a.path.endswith(names[-1])]
        assert calls[-1][1] == [new[0].id]
        now = {s.id: s.articles for s in s3.stories()}
        assert {k: v for k, v in now.items() if k in expected}  # earlier stories are kept
        again = Pipeline(s3, workers=0).assign_stories(recluster=True)
        assert {s.id: s.articles for s in again} == now  # as one pass in ingest order


def test_a_loaded_snapshot_reads_its_big_parts_as_needed(tmp_path: Path) -> None:
    """The vectors and hashed counts of a loaded snapshot stay in its files (memory maps), the
    rows added afterwards go beside them, and a save writes both back as one."""
    import numpy as np

    from newsweave import stories

    rng = np.random.default_rng(3)
    first = stories.Assigner()
    counts = [
        stories.term_counts(
            " ".join(f"w{int(i)}" for i in rng.integers(0, 60, size=40)),
            [f"e{int(rng.integers(0, 5))}"],
        )
        for _ in range(30)
    ]
    for k, c in enumerate(counts[:20]):
        first.assign(f"a{k}", c)
    first.save(tmp_path / "snap")
    loaded, _ = stories.Assigner.load(tmp_path / "snap")

    def mapped(array: object) -> bool:
        return isinstance(array, np.memmap) or isinstance(getattr(array, "base", None), np.memmap)

    assert mapped(loaded._matrix._base)
    assert loaded._sparse._base is not None
    assert mapped(loaded._sparse._base["w_idx"]) and mapped(loaded._sparse._base["w_val"])
    for k, c in enumerate(counts[20:], start=20):
        assert loaded.assign(f"a{k}", c) == first.assign(f"a{k}", c)
    rows = [0, 25, 3, 29, 19, 20]  # loaded and added rows, mixed
    assert np.array_equal(loaded._matrix.take(rows), first._matrix.take(rows))
    assert np.array_equal(loaded.vectors, first.vectors)
    loaded.save(tmp_path / "snap")  # over the files it maps
    assert len(loaded._matrix) == 30 and loaded._matrix._n_extra == 0
    again, _ = stories.Assigner.load(tmp_path / "snap")
    assert np.array_equal(again.vectors, first.vectors)
    assert again.stories() == first.stories() and again.threads() == first.threads()
    everyone = range(30)
    assert np.array_equal(again.local_similarity(everyone), first.local_similarity(everyone))


def test_a_kept_state_is_checked_without_counting_the_store(tmp_path: Path) -> None:
    """While only assignments happen, a call checks its kept state with single-row reads; a
    story saved by someone else (a re-clustering, the web app) makes the next call count."""
    first, later = tmp_path / "first", tmp_path / "later"
    names = sorted(p.name for p in TWO.glob("*.txt"))
    first.mkdir()
    later.mkdir()
    for name in names[:-1]:
        shutil.copy(TWO / name, first / name)
    shutil.copy(TWO / names[-1], later / names[-1])
    with Store.open(tmp_path / "marks.db") as store:
        pipeline = Pipeline(store, workers=0)
        pipeline.ingest([first])
        pipeline.analyze_documents()
        pipeline.assign()
        counted: list[str] = []
        for name in ("count_story_vectors", "count_assigned", "story_vector_mark"):
            original = getattr(store, name)

            def spied(*args: Any, _f: Any = original, _n: str = name, **kw: Any) -> Any:
                counted.append(_n)
                return _f(*args, **kw)

            setattr(store, name, spied)
        pipeline.ingest([later])
        pipeline.analyze_documents()
        assert pipeline.assign() == 1
        assert counted == []
        expected = {s.id: s.articles for s in store.stories()}
        story = store.stories()[0]
        store.save_story(story)  # someone else saves a story: the mark moves
        assert pipeline.assign() == 0
        assert "count_story_vectors" in counted and "story_vector_mark" in counted
        assert {s.id: s.articles for s in store.stories()} == expected
        counted.clear()
        assert pipeline.assign() == 0
        assert counted == []  # checked once at the new mark
