"""Story clustering (src/newsweave/stories.py): determinism, singletons, the two-flood corpus and
an ECB+ smoke test."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from newsweave import stories
from newsweave.stories import Params, StoryInput, cluster, lead, story_id

REPO = Path(__file__).resolve().parent.parent
TWO_STORIES = REPO / "tests" / "data" / "two_stories"
ECB_ROOT = REPO.parent / "shared" / "benchmarks" / "ecbplus" / "ECB+_LREC2014" / "ECB+"


# --------------------------------------------------------------------------- clustering

_EVENTS = {
    "bridge": [
        "The Harlow Street bridge in the fictional city of Quellmoor collapsed on Tuesday morning, "
        "injuring four commuters, the Quellmoor fire service said. Engineer Mirela Totts said "
        "corrosion of the steel cables was the likely cause of the collapse.",
        "Four people were hurt when the Harlow Street bridge in Quellmoor gave way on Tuesday. "
        "Mirela Totts, the city engineer, blamed corroded steel cables for the bridge collapse.",
        "Quellmoor closes roads after the Harlow Street bridge collapse. Four commuters were "
        "injured; engineer Mirela Totts pointed to cable corrosion.",
    ],
    "vaccine": [
        "The drug maker Ostrava Biolabs said on Friday that its malaria vaccine trial in the "
        "fictional republic of Sendara cut infections by half among 9,000 children.",
        "A malaria vaccine from Ostrava Biolabs halved infections in a trial of 9,000 children "
        "in Sendara, the company announced on Friday.",
    ],
}


def _items() -> list[StoryInput]:
    out = []
    for event, texts in _EVENTS.items():
        for k, text in enumerate(texts):
            words = [w.strip(".,;") for w in text.split()]
            ents = sorted({w.casefold() for w in words if w[:1].isupper() and len(w) > 3})
            out.append(StoryInput(id=f"{event}{k}", text=text, entities=ents))
    # interleave, as reports of two events arrive in a real store
    return [out[i] for i in (0, 3, 1, 4, 2)]


def test_lead_takes_the_first_sentences() -> None:
    text = "Headline of a report\nFirst sentence here. Second one! Third? Fourth.\nLater line."
    assert lead(text, 1) == "Headline of a report"
    assert lead(text, 3) == "Headline of a report First sentence here. Second one!"
    assert lead(text, 9, words=5) == "Headline of a report First"


def test_cluster_separates_two_events_and_is_deterministic() -> None:
    items = _items()
    first = cluster(items)
    assert first == cluster(items)
    assert sorted(map(sorted, first)) == [
        ["bridge0", "bridge1", "bridge2"],
        ["vaccine0", "vaccine1"],
    ]
    # lists in ingest order, ordered by their first article
    assert first == [["bridge0", "bridge1", "bridge2"], ["vaccine0", "vaccine1"]]
    assert story_id(first[0][0]) == "s-bridge0"


def test_cluster_without_embeddings_also_separates_the_events() -> None:
    groups = cluster(_items(), params=Params(threshold=0.8, embed_weight=0.0))
    assert sorted(map(sorted, groups)) == [
        ["bridge0", "bridge1", "bridge2"],
        ["vaccine0", "vaccine1"],
    ]


def test_singletons_and_edge_cases() -> None:
    assert cluster([]) == []
    only = StoryInput(id="x", text="A lone report about a fictional regatta.", entities=[])
    assert cluster([only]) == [["x"]]
    unrelated = [
        only,
        StoryInput(id="y", text="Quarterly tin prices rose in Varnholt markets.", entities=[]),
        StoryInput(id="z", text="", entities=[]),  # nothing to compare: still gets a story
    ]
    assert cluster(unrelated) == [["x"], ["y"], ["z"]]


def test_every_article_gets_exactly_one_story() -> None:
    items = _items()
    groups = cluster(items, threshold=0.99)  # a loose cut merges more, never drops articles
    assert sorted(i for g in groups for i in g) == sorted(i.id for i in items)


@pytest.fixture(scope="module")
def two_floods() -> list[StoryInput]:
    """The two-flood corpus read, cleaned and analysed as the pipeline does."""
    from newsweave.document.nlp import DocumentAnalyzer
    from newsweave.ingest import clean_document, read_paths
    from newsweave.model import Document
    from newsweave.story.entities import normalise

    docs = [d for d in read_paths([TWO_STORIES]) if isinstance(d, Document)]
    docs = [d for d in docs if d.path and d.path.endswith(".txt")]
    assert len(docs) == 7
    articles = [clean_document(d) for d in docs]
    analyses = DocumentAnalyzer().analyze_many(articles)
    return [
        StoryInput(
            id=Path(a.path or "").name,
            text=a.text,
            entities=sorted({normalise(m.text) for m in x.mentions}),
        )
        for a, x in zip(articles, analyses, strict=True)
    ]


@pytest.mark.parametrize("params", [stories.WITH_LEAD, stories.WORDS_AND_ENTITIES])
def test_two_floods_corpus_is_split_into_its_events(
    two_floods: list[StoryInput], params: Params
) -> None:
    """Two floods in one fictional province, sharing places, an agency, a premier and a wire;
    one report of the second flood even recalls the first."""
    expected = json.loads((TWO_STORIES / "expected.json").read_text())
    groups = cluster(two_floods, params=params)
    want = sorted(sorted(s["files"]) for s in expected["stories"].values())
    assert sorted(sorted(g) for g in groups) == want


# --------------------------------------------------------------------------- ECB+ smoke test


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_stories", REPO / "bench" / "stories.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not ECB_ROOT.is_dir(), reason=f"ECB+ not found at {ECB_ROOT} (../shared is absent)"
)
def test_ecbplus_smoke() -> None:
    """Two test topics, clustered together with the entities the document stage finds (as the
    pipeline does): the stories of two different topics are never merged and most stories are
    found."""
    from newsweave.document.nlp import DocumentAnalyzer
    from newsweave.model import Article
    from newsweave.story.entities import normalise

    bench = _bench()
    docs = bench.load_ecbplus(ECB_ROOT, [37, 41])
    analyzer = DocumentAnalyzer()
    analyses = analyzer.analyze_many(
        Article(id=d.id, content_hash=d.id, text=d.text, language="en") for d in docs
    )
    items = [
        StoryInput(id=d.id, text=d.text, entities=sorted({normalise(m.text) for m in an.mentions}))
        for d, an in zip(docs, analyses, strict=True)
    ]
    groups = stories.cluster(items)
    topic = {d.id: str(d.topic) for d in docs}
    story = {d.id: d.story for d in docs}
    assert bench.bcubed(groups, topic)[0] == pytest.approx(1.0)
    assert bench.bcubed(groups, story)[2] > 0.75
    # incremental assignment, the two topics interleaved as they might arrive
    mixed = [items[i] for i in sorted(range(len(items)), key=lambda i: (i * 7919) % len(items))]
    incremental = stories.assign_all(mixed)
    assert bench.bcubed(incremental, topic)[0] == pytest.approx(1.0)
    assert bench.bcubed(incremental, story)[2] > 0.75


# --------------------------------------------------------------------------- incremental


def _counts(item: StoryInput) -> stories.TermCounts:
    return stories.term_counts(item.text, item.entities, item.published)


def test_term_counts_round_trip_and_stable_hashing() -> None:
    item = _items()[0]
    c = _counts(item)
    assert c.words and c.entities
    back = stories.TermCounts.from_bytes(c.to_bytes(), c.day)
    assert back.words == pytest.approx(c.words) and back.entities == c.entities
    # stop words are dropped, repeated words count sublinearly, hashing is process-independent
    again = stories.term_counts("the the harbour harbour harbour", [])
    assert len(again.words) == 1
    assert abs(next(iter(again.words.values()))) == pytest.approx(1 + np.log(3))
    assert stories._bucket("harbour", 1024) == stories._bucket("harbour", 1024)
    assert stories.day_number("1970-01-02") == 1
    assert stories.day_number("2031-04-02T10:00:00Z") == stories.day_number("2031-04-02")
    assert stories.day_number("April") is None and stories.day_number(None) is None


def test_the_headline_counts_with_the_text() -> None:
    body = "Rescuers searched the ridge on Sunday."
    plain = stories.term_counts(body, ["Mount Cook"])
    headed = stories.term_counts(body, ["Mount Cook"], title="Climber dies in 2013 fall")
    assert stories.term_counts(body, ["Mount Cook"], title="  ") == plain
    for word in ("climber", "dies", "fall"):
        bucket, _ = stories._bucket(word, stories.INCREMENTAL.fine_word_buckets)
        assert bucket in headed.words and bucket not in plain.words
    year, _ = stories._bucket("year:2013", stories.INCREMENTAL.fine_entity_buckets)
    assert year in headed.entities and year not in plain.entities
    items = [StoryInput("a", body, [], title="Climber dies"), StoryInput("b", body, [])]
    assert stories.assign_all(items) == [["a", "b"]]


def test_vectors_combine_the_views_like_the_batch_similarity() -> None:
    v = stories.Vectoriser()
    a = v.add(stories.term_counts("harbour ferry sank storm", ["brackwater"]))
    b = v.add(stories.term_counts("harbour ferry sank storm", ["brackwater"]))
    assert float(a @ a) == pytest.approx(1.0, abs=1e-5)
    assert float(a @ b) == pytest.approx(1.0, abs=1e-5)
    words_only = v.add(stories.term_counts("harbour ferry sank storm", []))
    assert float(words_only @ words_only) == pytest.approx(1 - INC.entity_weight, abs=1e-5)


INC = stories.INCREMENTAL


def test_incremental_separates_two_events_and_is_deterministic() -> None:
    items = _items()
    first = stories.assign_all(items)
    assert first == stories.assign_all(items)
    assert first == [["bridge0", "bridge1", "bridge2"], ["vaccine0", "vaccine1"]]
    assert sorted(i for g in first for i in g) == sorted(i.id for i in items)


def test_every_article_gets_a_story_even_without_words() -> None:
    items = [
        StoryInput(id="x", text="", entities=[]),
        StoryInput(id="y", text="the and of", entities=[]),
        StoryInput(id="z", text="Tin prices rose in Varnholt.", entities=["varnholt"]),
    ]
    assert stories.assign_all(items) == [["x"], ["y"], ["z"]]


def test_reports_far_apart_in_time_are_kept_apart() -> None:
    text = (
        "A fire destroyed the Pellworth grain mill in the fictional town of Dunmere; the mill "
        "owner Osk Brenner said the dryer overheated and fire crews fought the blaze overnight."
    )
    ents = ["pellworth", "dunmere", "osk brenner"]

    def run(dates: list[str | None]) -> list[list[str]]:
        items = [
            StoryInput(id=f"r{i}", text=text + f" Report {i}.", entities=ents, published=d)
            for i, d in enumerate(dates)
        ]
        return stories.assign_all(items)

    assert run(["2031-05-01", "2031-05-02", "2031-05-04"]) == [["r0", "r1", "r2"]]
    # a story's window follows its articles: each report is near the last one
    assert run(["2031-05-01", "2031-05-03", "2031-05-06", "2031-05-09"]) == [
        ["r0", "r1", "r2", "r3"]
    ]
    # the same words a year later: another story; an undated report is not penalised
    assert run(["2031-05-01", "2032-05-01", None]) == [["r0", "r2"], ["r1"]]


def test_restored_assigner_continues_exactly_like_the_one_that_never_stopped() -> None:
    items = [
        StoryInput(id=f"{i.id}-{k}", text=i.text + f" Update {k}.", entities=i.entities)
        for k in range(3)
        for i in _items()
    ]
    full = stories.Assigner()
    sids = [full.assign(i.id, _counts(i)) for i in items]
    half = len(items) // 2
    restored = stories.Assigner()
    for item, sid in zip(items[:half], sids[:half], strict=True):
        restored.restore(item.id, stories.TermCounts.from_bytes(_counts(item).to_bytes()), sid)
    rest = [restored.assign(i.id, _counts(i)) for i in items[half:]]
    assert rest == sids[half:]
    assert restored.groups() == full.groups()
    assert np.array_equal(restored.vectors, full.vectors)
    # with the thread numbers kept, the replay skips the search and ends in the same state
    thread_of = {a: t for t, members in enumerate(full.threads()) for a in members}
    fast = stories.Assigner()
    for item, sid in zip(items[:half], sids[:half], strict=True):
        fast.restore(item.id, _counts(item), sid, thread=thread_of[item.id])
    assert [fast.assign(i.id, _counts(i)) for i in items[half:]] == sids[half:]
    assert fast.groups() == full.groups() and fast.threads() == full.threads()


# Two events of one subject (two earthquakes in one province, years apart): the reports share
# the subject's words, and each event's reports share their own town, people and year.
QUAKE_A = [
    "An earthquake of magnitude 6.1 struck the mountain town of Oskerby in Varnholt province in "
    "2031, collapsing the old granary; mayor Liss Tammer said the Oskerby dam held.",
    "Mayor Liss Tammer said rescue teams pulled two miners from the collapsed Oskerby granary "
    "after the 2031 earthquake in Varnholt province.",
    "Aftershocks rattled Oskerby overnight; the granary collapse killed four, Liss Tammer told "
    "reporters, as the dam on the Osker river was inspected.",
]
QUAKE_B = [
    "An earthquake of magnitude 5.4 hit the coastal town of Pellmouth in Varnholt province in "
    "2034; harbour chief Dorn Akkeby closed the Pellmouth piers.",
    "Dorn Akkeby said a ferry was damaged at Pellmouth harbour when the 2034 earthquake struck "
    "Varnholt province, and fishermen were evacuated.",
    "Pellmouth harbour stays closed after the quake, Dorn Akkeby said; a lighthouse cracked and "
    "fishing boats were moved out to sea.",
]


def _quakes() -> list[StoryInput]:
    items = []
    for k in range(3):
        items.append(StoryInput(f"a{k}", QUAKE_A[k], ["varnholt", "oskerby", "liss tammer"]))
        items.append(StoryInput(f"b{k}", QUAKE_B[k], ["varnholt", "pellmouth", "dorn akkeby"]))
    return items


def test_a_thread_is_split_into_its_events_as_reports_arrive() -> None:
    """Both earthquakes join one thread (same subject); once each event has reports of its own,
    the thread's stories are re-grouped by what only some reports share, and the assigner says
    which stories changed."""
    assigner = stories.Assigner()
    seen = []
    for item in _quakes():
        sid = assigner.assign(item.id, stories.term_counts(item.text, item.entities))
        seen.append((item.id, sid, dict(assigner.changed)))
    assert assigner.threads() == [["a0", "b0", "a1", "b1", "a2", "b2"]]
    assert assigner.groups() == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]
    assert assigner.stories() == {"s-a0": ["a0", "a1", "a2"], "s-b0": ["b0", "b1", "b2"]}
    # the last report moved b0 and b1 out of the story they had joined early
    last_id, last_sid, changed = seen[-1]
    assert (last_id, last_sid) == ("b2", "s-b0")
    assert changed == {"s-a0": ["a0", "a1", "a2"], "s-b0": ["b0", "b1", "b2"]}
    assert stories.assign_all(_quakes()) == assigner.groups()


def test_within_thread_similarity_discounts_the_shared_subject() -> None:
    assigner = stories.Assigner()
    for item in _quakes():
        assigner.assign(item.id, stories.term_counts(item.text, item.entities))
    sim = assigner.local_similarity(range(6))
    same = [sim[0, 2], sim[0, 4], sim[1, 3], sim[1, 5]]
    other = [sim[0, 1], sim[2, 3], sim[4, 5], sim[0, 5]]
    assert min(same) > 2 * max(other)
    assert np.allclose(sim, sim.T) and np.allclose(np.diag(sim), 1.0)


def _two_events_and_fragments() -> np.ndarray:
    """Rows 0-4 one event, 5-9 another of the same subject (alike 0.4 within, 0.12 across),
    row 10 a short report of the first (0.07 to each of its reports, 0.02 to the other's), row
    11 a report of neither (0.03 to every report)."""
    n = 12
    sim = np.full((n, n), 0.12)
    sim[:5, :5] = sim[5:10, 5:10] = 0.4
    sim[10, :5] = sim[:5, 10] = 0.07
    sim[10, 5:10] = sim[5:10, 10] = 0.02
    sim[11, :] = sim[:, 11] = 0.03
    np.fill_diagonal(sim, 1.0)
    return sim


def test_the_split_cut_follows_the_threads_own_level_and_fragments_join_their_event() -> None:
    sim = _two_events_and_fragments()
    groups = stories.split_groups(sim, stories.INCREMENTAL)
    assert groups == [[0, 1, 2, 3, 4, 10], [5, 6, 7, 8, 9], [11]]
    # the absolute cut alone (as before) puts the two events in one story and leaves the short
    # report of the first apart
    absolute = stories.IncrementalParams(split_relative=0.0, split_core=0)
    assert stories.split_groups(sim, absolute) == [list(range(10)), [10], [11]]
    # a fragment joins only when it is alike enough to the event on average
    strict = stories.IncrementalParams(attach_min=0.08)
    assert stories.split_groups(sim, strict) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10], [11]]


def test_a_tight_fragment_of_another_event_stays_apart() -> None:
    """Rows 10 and 11 are two reports of a third event (alike 0.6), each 0.07 to the first
    event's reports: alike enough to that event for a lone report, not for a pair that much
    more alike to each other."""
    sim = _two_events_and_fragments()
    sim[11, :] = sim[:, 11] = 0.02
    sim[10, 11] = sim[11, 10] = 0.6
    sim[11, :5] = sim[:5, 11] = 0.07
    sim[11, 11] = 1.0
    events = [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert stories.split_groups(sim, stories.INCREMENTAL) == [events[0], events[1], [10, 11]]
    lenient = stories.IncrementalParams(attach_ratio=0.0)
    assert stories.split_groups(sim, lenient) == [[0, 1, 2, 3, 4, 10, 11], events[1]]


def test_a_thread_without_a_core_group_keeps_the_absolute_cut() -> None:
    sim = np.full((3, 3), 0.2)
    np.fill_diagonal(sim, 1.0)
    # three reports are fewer than a core group: the absolute cut decides
    assert stories.split_groups(sim, stories.INCREMENTAL) == [[0, 1, 2]]
    sim[2, :2] = sim[:2, 2] = 0.05
    assert stories.split_groups(sim, stories.INCREMENTAL) == [[0, 1], [2]]


# --------------------------------------------------------------------------- in the store


def test_the_store_follows_reports_moved_between_stories(tmp_path: Path) -> None:
    from newsweave.pipeline import Pipeline
    from newsweave.store import Store

    runs = [tmp_path / "run1", tmp_path / "run2"]
    for run in runs:
        run.mkdir()
    for k, (a, b) in enumerate(zip(QUAKE_A, QUAKE_B, strict=True)):
        run = runs[0] if k < 2 else runs[1]
        (run / f"{k}a.txt").write_text(a + "\n")
        (run / f"{k}b.txt").write_text(b + "\n")
    db = tmp_path / "quakes.db"
    with Store.open(db) as store:
        pipeline = Pipeline(store)
        for run in runs:
            pipeline.ingest([run])
            pipeline.analyze_documents()
            pipeline.assign_stories()
        incremental = {s.id: s.articles for s in store.stories()}
        paths = {a.id: Path(a.path or "").name for a in store.iter_articles()}
        assert sorted(sorted(paths[i] for i in m) for m in incremental.values()) == [
            ["0a.txt", "1a.txt", "2a.txt"],
            ["0b.txt", "1b.txt", "2b.txt"],
        ]
        assert store.articles_without_story() == []
        assert store.count_assigned() == 6 == store.count_story_vectors()
        again = {s.id: s.articles for s in pipeline.assign_stories(recluster=True)}
        assert again == incremental


def test_store_incremental_equals_recluster_and_batch(tmp_path: Path) -> None:
    """Articles arrive in two runs (the process stops in between): the stories equal those of
    `--recluster` and of assigning everything at once; earlier stories are only added to."""
    import shutil

    from typer.testing import CliRunner

    from newsweave.cli import app
    from newsweave.pipeline import Pipeline
    from newsweave.store import Store

    files = sorted(p for p in TWO_STORIES.iterdir() if p.suffix == ".txt")
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for p in files[:4]:
        shutil.copy(p, first / p.name)
    for p in files[4:]:
        shutil.copy(p, second / p.name)
    db = tmp_path / "news.db"
    with Store.open(db) as store:
        pipeline = Pipeline(store)
        pipeline.ingest([first])
        pipeline.analyze_documents()
        early = {s.id: s.articles for s in pipeline.assign_stories()}
        assert store.articles_without_story() == []
        assert store.count_story_vectors(stories.VECTOR_VERSION) == 4
    with Store.open(db) as store:  # a new process: the index is rebuilt from the store
        pipeline = Pipeline(store)
        pipeline.ingest([second])
        pipeline.analyze_documents()
        incremental = {s.id: s.articles for s in pipeline.assign_stories()}
        assert store.articles_without_story() == []
        for sid, members in early.items():  # stories only grow
            assert incremental[sid][: len(members)] == members
        items = []
        for article in store.iter_articles():
            an = store.get_analysis(article.id, nlp_version())
            assert an is not None
            ents = sorted({normalise(m.text) for m in an.mentions})
            items.append(StoryInput(article.id, article.text, ents, article.published))
        batch = stories.Assigner()
        for item in items:
            batch.assign(item.id, stories.term_counts(item.text, item.entities, item.published))
        assert incremental == batch.stories()
        again = {s.id: s.articles for s in pipeline.assign_stories(recluster=True)}
        assert again == incremental
        assert store.count_story_vectors() == 7
    result = CliRunner().invoke(
        app, ["stories", "--recluster", "--format", "jsonl", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert {line["article"]: line["story"] for line in lines} == {
        a: sid for sid, members in incremental.items() for a in members
    }


def test_stories_made_without_vectors_are_reclustered_once(tmp_path: Path) -> None:
    from newsweave.model import Story
    from newsweave.pipeline import Pipeline
    from newsweave.store import Store

    with Store.open(tmp_path / "old.db") as store:
        pipeline = Pipeline(store)
        pipeline.ingest(
            [TWO_STORIES / "a1_esterby_wire.txt", TWO_STORIES / "b1_brannoch_flash_flood.txt"]
        )
        pipeline.analyze_documents()
        ids = store.article_ids()
        # as an older newsweave left it: one story, no vectors
        store.save_story(Story(id="s-" + ids[0], title="", articles=ids))
        assert store.count_story_vectors() == 0
        pipeline.assign_stories()
        assert store.count_story_vectors() == 2 == store.count_assigned()
        assert sorted(a for s in store.stories() for a in s.articles) == sorted(ids)


def nlp_version() -> str:
    from newsweave.document import nlp

    return nlp.VERSION


def normalise(text: str) -> str:
    from newsweave.story.entities import normalise as norm

    return norm(text)


def test_an_undated_report_takes_the_date_of_its_closest_dated_report_in_the_split() -> None:
    from dataclasses import replace

    text = (
        "Floodwater covered the Brannoch valley road near the fictional village of Ulverby; "
        "council engineer Mora Quist said the culvert failed."
    )
    items = [
        StoryInput("r0", text + " First report.", ["brannoch", "ulverby"], "2031-01-10"),
        StoryInput("r1", text + " The road stays shut.", ["brannoch", "ulverby", "mora quist"]),
        StoryInput(
            "r2",
            text + " The road stays shut today.",
            ["brannoch", "ulverby", "mora quist"],
            "2031-06-10",
        ),
    ]

    def sims(params: stories.IncrementalParams) -> np.ndarray:
        assigner = stories.Assigner(params)
        for item in items:
            assigner.assign(item.id, stories.term_counts(item.text, item.entities, item.published))
        return assigner.local_similarity(range(3))

    on, off = sims(INC), sims(replace(INC, impute_min=0.0))
    assert off[0, 1] > 0.5  # undated: no time discount without imputation
    assert on[0, 1] < 0.1 * off[0, 1]  # r1 is dated like r2, five months after r0
    assert on[1, 2] == pytest.approx(off[1, 2])  # r1 and r2: same (imputed) day
    assert on[0, 2] == pytest.approx(off[0, 2])  # dated pairs are unchanged


# --------------------------------------------------------------------------- snapshots


def test_a_snapshot_continues_like_the_assigner_that_never_stopped(tmp_path: Path) -> None:
    items = [
        StoryInput(id=f"{i.id}-{k}", text=i.text + f" Update {k}.", entities=i.entities)
        for k in range(3)
        for i in [*_items(), *_quakes()]
    ]
    full = stories.Assigner()
    sids = [full.assign(i.id, _counts(i)) for i in items]
    half = len(items) // 2
    first = stories.Assigner()
    for item in items[:half]:
        first.assign(item.id, _counts(item))
    first.save(tmp_path / "snap", {"seq": half})
    loaded, extra = stories.Assigner.load(tmp_path / "snap")
    assert extra == {"seq": half} and len(loaded) == half
    assert loaded.stories() == first.stories() and loaded.threads() == first.threads()
    assert np.array_equal(loaded.vectors, first.vectors)
    assert [loaded.assign(i.id, _counts(i)) for i in items[half:]] == sids[half:]
    assert loaded.groups() == full.groups() and loaded.threads() == full.threads()
    assert np.array_equal(loaded.vectors, full.vectors)
    # saving over a snapshot replaces it whole, and leaves no temporary folder behind
    loaded.save(tmp_path / "snap", {"seq": len(items)})
    again, extra = stories.Assigner.load(tmp_path / "snap")
    assert extra["seq"] == len(items) and again.stories() == full.stories()
    # the hashed counts the split reads survive a second round (loaded ones + added ones)
    everyone = range(len(items))
    assert np.allclose(again.local_similarity(everyone), full.local_similarity(everyone))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap"]


def test_an_empty_assigner_round_trips(tmp_path: Path) -> None:
    stories.Assigner().save(tmp_path / "snap")
    empty, extra = stories.Assigner.load(tmp_path / "snap")
    assert len(empty) == 0 and extra == {}
    item = _items()[0]
    assert empty.assign(item.id, _counts(item)) == story_id(item.id)


def test_a_damaged_or_foreign_snapshot_is_refused(tmp_path: Path) -> None:
    assigner = stories.Assigner()
    for item in _items():
        assigner.assign(item.id, _counts(item))
    with pytest.raises(ValueError, match="no usable snapshot"):
        stories.Assigner.load(tmp_path / "missing")
    assigner.save(tmp_path / "snap")
    other = stories.IncrementalParams(split_threshold=0.5)
    with pytest.raises(ValueError, match="other vectors or parameters"):
        stories.Assigner.load(tmp_path / "snap", other)
    (tmp_path / "snap" / "matrix.npy").write_bytes(b"\x93NUMPY garbage")
    with pytest.raises(ValueError, match="damaged"):
        stories.Assigner.load(tmp_path / "snap")


def test_relabel_follows_moves_made_elsewhere() -> None:
    assigner = stories.Assigner()
    for item in _quakes():
        assigner.assign(item.id, stories.term_counts(item.text, item.entities))
    assert assigner.thread_window("a0") == ["a0", "b0", "a1", "b1", "a2", "b2"]
    assigner.relabel({"b1": "s-a0", "unknown": "s-x"})
    assert assigner.story_of("b1") == "s-a0"
    assert assigner.stories() == {"s-a0": ["a0", "a1", "b1", "a2"], "s-b0": ["b0", "b2"]}


def _quake_runs(tmp_path: Path, runs: int) -> list[Path]:
    folders = []
    for r in range(runs):
        folders.append(tmp_path / f"run{r}")
        folders[-1].mkdir()
    for k, (a, b) in enumerate(zip(QUAKE_A, QUAKE_B, strict=True)):
        (folders[min(k, runs - 1)] / f"{k}a.txt").write_text(a + "\n")
        (folders[min(k, runs - 1)] / f"{k}b.txt").write_text(b + "\n")
    return folders


def test_a_process_starts_from_the_snapshot_and_replays_what_came_after(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Process 1 assigns the first reports and writes a snapshot; process 2 assigns the last
    ones (the last moves two earlier reports between stories) without writing one; process 3
    starts from the stale snapshot, replays process 2's arrivals and takes the moves from the
    store: its state equals a replay of the whole store, and so do the stories it makes."""
    import logging

    from newsweave.pipeline import Pipeline
    from newsweave.store import Store

    runs = _quake_runs(tmp_path, 3)
    db = tmp_path / "quakes.db"

    def process(folder: Path | None, snapshot_every: int) -> tuple[Pipeline, Store]:
        store = Store.open(db)
        pipeline = Pipeline(store)
        pipeline.snapshot_min, pipeline.snapshot_every = 1, snapshot_every
        if folder is not None:
            pipeline.ingest([folder])
            pipeline.analyze_documents()
        return pipeline, store

    p1, s1 = process(runs[0], 1)
    p1.assign_stories()
    assert s1.state_dir is not None
    snap = s1.state_dir / "stories"
    s1.close()
    assert (snap / "meta.json").is_file()
    assert stories.Assigner.load(snap)[1]["seq"] == 2

    p2, s2 = process(runs[1], 100)
    p2.assign_stories()
    p2.ingest([runs[2]])
    p2.analyze_documents()
    p2.assign_stories()  # b2 arrives: it moves b0 and b1
    expected = {s.id: s.articles for s in s2.stories()}
    s2.close()
    assert stories.Assigner.load(snap)[1]["seq"] == 2  # process 2 wrote no snapshot

    caplog.set_level(logging.INFO, logger="newsweave.pipeline")
    p3, s3 = process(None, 100)
    with s3:
        assert {s.id: s.articles for s in p3.assign_stories()} == expected
        assert "story state: 2 articles from the snapshot, 4 replayed" in caplog.text
        kept = p3._assigner
        assert kept is not None and kept.stories() == expected
        fresh = stories.Assigner()
        p3._catch_up(fresh, 0, stories.VECTOR_VERSION)
        assert kept.stories() == fresh.stories() and kept.threads() == fresh.threads()


def test_a_snapshot_that_does_not_match_the_store_is_not_used(tmp_path: Path) -> None:
    """A snapshot of another store (or of this one before it was rebuilt) fails the check of
    the vector at its mark, and the store is replayed instead; a damaged one is skipped too."""
    import shutil

    from newsweave.pipeline import Pipeline
    from newsweave.store import Store

    runs = _quake_runs(tmp_path, 2)
    snaps = []
    for name, folder in (("one.db", runs[0]), ("two.db", runs[1])):
        with Store.open(tmp_path / name) as store:
            pipeline = Pipeline(store)
            pipeline.snapshot_min = 1
            pipeline.run([folder])
            assert store.state_dir is not None
            snaps.append(store.state_dir / "stories")
    one, two = snaps
    expected = stories.Assigner.load(two)[0].stories()
    shutil.rmtree(two)
    shutil.copytree(one, two)  # the wrong store's snapshot
    with Store.open(tmp_path / "two.db") as store:
        pipeline = Pipeline(store)
        pipeline.snapshot_min = 1
        assert {s.id: s.articles for s in pipeline.assign_stories()} == expected
        assert pipeline._assigner is not None and pipeline._assigner.stories() == expected
    # the rejected snapshot was replaced by one of this store
    assert stories.Assigner.load(two)[0].stories() == expected
    (two / "ids.npy").write_bytes(b"broken")
    with Store.open(tmp_path / "two.db") as store:
        pipeline = Pipeline(store)
        assert {s.id: s.articles for s in pipeline.assign_stories()} == expected
