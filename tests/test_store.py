"""The store on real SQLite files and real PostgreSQL databases, through real SQLAlchemy and
Alembic. Tests that take the ``store`` fixture run on both backends (see tests/conftest.py);
the ones about SQLite files and pragmas run on SQLite only.

All data here is invented: fictional towns, outlets and people."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, func, select

from newsweave.errors import NotFound, StoreError
from newsweave.model import (
    Article,
    ArticleAnalysis,
    Attribution,
    BriefSentence,
    Claim,
    Conflict,
    ConflictValue,
    DateMention,
    DroppedLine,
    Entity,
    Fact,
    Mention,
    Provenance,
    Quantity,
    Quote,
    RawQuote,
    Sentence,
    Story,
    StoryAnalysis,
    Unique,
)
from newsweave.store import Store, head_revision, membership_digest
from newsweave.store import schema as t
from newsweave.store.search import is_search_table
from newsweave.store.sql import BUSY_TIMEOUT_MS


def make_article(n: int, **kw: Any) -> Article:
    text = kw.pop(
        "text", f"The Brackwater ferry {n} sailed late on Tuesday, the harbour office said."
    )
    return Article(
        id=kw.pop("id", f"art{n:03d}"),
        content_hash=kw.pop("content_hash", f"{n:064x}"),
        text=text,
        path=f"reports/{n}.txt",
        source=kw.pop("source", "Harbour Gazette"),
        title=kw.pop("title", f"Ferry {n} delayed"),
        published="2031-04-0" + str(1 + n % 9),
        language="en",
        words=len(text.split()),
        credits=["Lanterns Wire"],
        dropped=[
            DroppedLine(
                text="BRACKWATER, April 2 (Lanterns Wire) -", reason="dateline", value="2031-04-02"
            ),
            DroppedLine(text="Photo: staff", reason="photo-credit"),
        ],
        meta={"author": "Ida Marsh", "tags": ["ferries", "weather"], "n": n},
        **kw,
    )


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store.open(store_url)
    yield s
    s.close()


def add(store: Store, *ns: int) -> list[Article]:
    arts = [make_article(n) for n in ns]
    for a in arts:
        assert store.add_article(a)
    return arts


# ----------------------------------------------------------------------------- open / migrate


@pytest.mark.sqlite_file
def test_open_creates_migrates_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    with Store.open(path) as s:
        assert path.exists()
        assert s.url == f"sqlite:///{path}"
        assert s.revision() == head_revision()
        s.add_article(make_article(1))
    # Alembic recorded the version in the file itself
    con = sqlite3.connect(path)
    assert con.execute("select version_num from alembic_version").fetchall() == [(head_revision(),)]
    assert con.execute("pragma journal_mode").fetchone() == ("wal",)
    con.close()
    with Store.open(str(path)) as s:  # a str path, already at head: nothing to migrate
        assert s.article_ids() == ["art001"]
        assert s.revision() == head_revision()
    with Store.open(f"sqlite:///{path}") as s:  # a URL is used as is
        assert s.count_articles() == 1


def _schema_diff(conn: Any) -> list[Any]:
    """Differences between a migrated database and the schema module. The full-text index
    (FTS5 tables and their shadow tables, all named search_*) is not in the schema module."""

    def include_name(name: str | None, type_: str, parent: Any) -> bool:
        return not (type_ == "table" and name is not None and is_search_table(name))

    context = MigrationContext.configure(conn, opts={"include_name": include_name})
    return list(compare_metadata(context, t.metadata))


def test_migrated_schema_equals_schema_module(store: Store) -> None:
    with store.engine.connect() as conn:
        assert _schema_diff(conn) == []


@pytest.mark.sqlite_file
def test_sqlite_connections_enforce_foreign_keys(tmp_path: Path) -> None:
    with Store.open(tmp_path / "news.db") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("shopping list: bread, lamp oil, rope\n" * 50)
    with pytest.raises(
        StoreError, match=r"cannot open store .*notes\.db: not a newsweave database"
    ):
        Store.open(bad)


def test_sqlite_database_of_another_program(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("create table recipes (name text)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match=r"not a newsweave database.*recipes"):
        Store.open(other)
    con = sqlite3.connect(other)  # left untouched
    names = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    con.close()
    assert names == {"recipes"}


@pytest.mark.sqlite_file
def test_unknown_revision_and_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    Store.open(path).close()
    con = sqlite3.connect(path)
    con.execute("update alembic_version set version_num = 'zz99'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="revision zz99 is unknown"):
        Store.open(path)
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "no" / "such" / "news.db")


def test_closed_store_refuses_work(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "news.db")
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.count_articles()


def test_in_memory_store_works() -> None:
    with Store.open("sqlite://") as s:
        add(s, 1, 2)
        assert s.article_ids() == ["art001", "art002"]


# ----------------------------------------------------------------------------- articles


def test_article_round_trip_and_not_found(store: Store) -> None:
    (a,) = add(store, 7)
    assert store.get_article("art007") == a
    with pytest.raises(NotFound):
        store.get_article("nope")


def test_add_article_is_idempotent_by_content_hash(store: Store) -> None:
    a = make_article(1)
    assert store.add_article(a) is True
    assert store.add_article(a) is False
    # the same body under another id/title: still a duplicate, and the first stays as it was
    twin = make_article(1, id="other", title="Another headline")
    assert store.add_article(twin) is False
    assert store.count_articles() == 1
    assert store.get_article("art001").title == "Ferry 1 delayed"
    with pytest.raises(NotFound):
        store.get_article("other")


def test_same_id_different_hash_is_an_error(store: Store) -> None:
    add(store, 1)
    with pytest.raises(StoreError, match="different content hash"):
        store.add_article(make_article(2, id="art001"))
    assert store.count_articles() == 1


def test_ingest_order_is_kept(store: Store) -> None:
    add(store, 5, 2, 9, 1)  # ids not in sorted order
    expected = ["art005", "art002", "art009", "art001"]
    assert store.article_ids() == expected
    assert [a.id for a in store.iter_articles()] == expected
    assert store.count_articles() == 4
    # a subset comes back in ingest order, whatever order it was asked in, each once
    got = [a.id for a in store.iter_articles(["art001", "art005", "art001", "art009"])]
    assert got == ["art005", "art009", "art001"]
    assert list(store.iter_articles([])) == []


def test_iter_articles_unknown_id_raises_before_yielding(store: Store) -> None:
    add(store, 1)
    with pytest.raises(NotFound, match="ghost"):
        store.iter_articles(["art001", "ghost"])


def test_iter_articles_streams_in_batches(store: Store) -> None:
    add(store, *range(1, 8))
    store.batch_size = 3
    selects: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM articles" in statement:
            selects.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        it = store.iter_articles()
        first = next(it)
        assert first.id == "art001"
        assert len(selects) == 1  # one batch fetched, not the table
        # the caller may write between items: no transaction is held open across batches
        store.save_analysis(ArticleAnalysis(article=first.id, version="v1"))
        rest = [a.id for a in it]
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert rest == [f"art{n:03d}" for n in range(2, 8)]
    assert len(selects) == 3  # 3 + 3 + 1 rows
    assert "LIMIT" in selects[0].upper()


# ----------------------------------------------------------------------------- sources


def test_source_seen_for_resumable_ingest(store: Store) -> None:
    add(store, 1)
    key = "reports/1.txt"
    assert not store.source_seen(key, 120, 1700000000.25)
    store.record_source(key, 120, 1700000000.25, "ok", article_id="art001")
    assert store.source_seen(key, 120, 1700000000.25)
    assert not store.source_seen(key, 121, 1700000000.25)  # size changed
    assert not store.source_seen(key, 120, 1700000099.0)  # touched
    assert not store.source_seen(key, 120, None)
    # a failed input is tried again next time
    store.record_source("reports/2.txt", 10, 5.0, "error", message="binary input")
    assert not store.source_seen("reports/2.txt", 10, 5.0)
    rec = store.get_source("reports/2.txt")
    assert rec is not None and rec["message"] == "binary input" and rec["article_id"] is None
    # recording again replaces
    store.record_source("reports/2.txt", 10, 5.0, "duplicate", article_id="art001")
    assert store.source_seen("reports/2.txt", 10, 5.0)
    # URLs and jsonl lines have no size or mtime
    store.record_source("https://example.invalid/a", None, None, "ok", article_id="art001")
    assert store.source_seen("https://example.invalid/a", None, None)
    assert store.get_source("never") is None


def test_record_source_with_unknown_article_fails_cleanly(store: Store) -> None:
    with pytest.raises(StoreError, match="recording source failed"):
        store.record_source("x.txt", 1, 1.0, "ok", article_id="ghost")
    assert store.get_source("x.txt") is None


# ----------------------------------------------------------------------------- analyses


def make_analysis(article: str, version: str = "doc-1") -> ArticleAnalysis:
    return ArticleAnalysis(
        article=article,
        version=version,
        sentences=[
            Sentence(0, 0, 40, "The Brackwater ferry sailed late.", 0, "claim"),
            Sentence(1, 41, 60, "Why?", 1, "question"),
        ],
        mentions=[
            Mention(4, 14, "Brackwater", "GPE", 0),
            Mention(0, 3, "Ida", "PERSON", 1, title="Harbourmaster"),
        ],
        quantities=[Quantity(20, 25, "3.5%", 3.5, "%", 0), Quantity(1, 2, "x", None, None, 1)],
        dates=[DateMention(30, 37, "Tuesday", "2031-04-01", 0)],
        quotes=[RawQuote(41, 60, "We were ready", 1, "Ida Marsh", 61)],
        attributions=[Attribution("Lanterns Wire", "Lanterns Wire reported", None, "article")],
    )


def test_analysis_round_trip_and_versions(store: Store) -> None:
    add(store, 1, 2, 3)
    an = make_analysis("art002")
    store.save_analysis(an)
    assert store.get_analysis("art002", "doc-1") == an
    assert store.get_analysis("art002", "doc-2") is None
    assert store.get_analysis("art001", "doc-1") is None
    assert store.articles_without_analysis("doc-1") == ["art001", "art003"]
    # a newer version replaces the article's cached analysis
    newer = make_analysis("art002", "doc-2")
    newer.sentences = newer.sentences[:1]
    store.save_analysis(newer)
    assert store.get_analysis("art002", "doc-2") == newer
    assert store.get_analysis("art002", "doc-1") is None
    assert store.articles_without_analysis("doc-1") == ["art001", "art002", "art003"]
    assert store.articles_without_analysis("doc-2") == ["art001", "art003"]
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.analyses)).scalar() == 1


def test_analysis_of_unknown_article_fails(store: Store) -> None:
    with pytest.raises(StoreError):
        store.save_analysis(make_analysis("ghost"))


def test_analyses_saved_in_one_transaction(store: Store) -> None:
    add(store, 1, 2, 3, 4)
    store.save_analysis(make_analysis("art001"))
    newer = make_analysis("art001", "doc-2")
    batch = [newer, make_analysis("art002", "doc-2"), make_analysis("art003", "doc-2")]
    store.save_analyses(batch)  # one replaced, two new
    assert [store.get_analysis(f"art00{n}", "doc-2") for n in (1, 2, 3)] == batch
    assert store.get_analysis("art001", "doc-1") is None
    assert store.articles_without_analysis("doc-2") == ["art004"]
    store.save_analyses([])
    # all or nothing: an unknown article fails the batch, and nothing of it is written
    with pytest.raises(StoreError):
        store.save_analyses([make_analysis("art004", "doc-2"), make_analysis("ghost", "doc-2")])
    assert store.articles_without_analysis("doc-2") == ["art004"]


# ----------------------------------------------------------------------------- stories


def test_story_save_replace_delete(store: Store) -> None:
    add(store, 1, 2, 3, 4)
    assert store.articles_without_story() == ["art001", "art002", "art003", "art004"]
    store.save_story(Story("s-b", "Ferry delays", ["art003", "art001"]))
    store.save_story(Story("s-a", "Lighthouse fire", ["art002"]))
    assert store.get_story("s-b") == Story("s-b", "Ferry delays", ["art003", "art001"])
    assert [s.id for s in store.stories()] == ["s-a", "s-b"]
    assert store.story_of("art001") == "s-b"
    assert store.story_of("art004") is None
    assert store.articles_without_story() == ["art004"]
    # replace: new title and members
    store.save_story(Story("s-b", "Ferry delays go on", ["art004", "art003"]))
    assert store.get_story("s-b") == Story("s-b", "Ferry delays go on", ["art004", "art003"])
    assert store.articles_without_story() == ["art001"]
    # an article moves from one story to another
    store.save_story(Story("s-a", "Lighthouse fire", ["art002", "art003"]))
    assert store.get_story("s-b").articles == ["art004"]
    assert store.story_of("art003") == "s-a"
    store.delete_story("s-a")
    with pytest.raises(NotFound):
        store.get_story("s-a")
    with pytest.raises(NotFound):
        store.delete_story("s-a")
    assert store.articles_without_story() == ["art001", "art002", "art003"]
    assert store.stories() == [Story("s-b", "Ferry delays go on", ["art004"])]


def test_story_rejects_duplicates_and_unknown_articles(store: Store) -> None:
    add(store, 1)
    with pytest.raises(StoreError, match="more than once"):
        store.save_story(Story("s", "x", ["art001", "art001"]))
    with pytest.raises(StoreError):
        store.save_story(Story("s", "x", ["art001", "ghost"]))
    # nothing of the failed write remains
    assert store.stories() == []
    assert store.story_of("art001") is None


# ----------------------------------------------------------------------------- story stage


def make_story_analysis(
    sid: str = "s1", arts: tuple[str, ...] = ("art001", "art002", "art003")
) -> StoryAnalysis:
    a1, a2, a3 = arts
    story = Story(sid, "Brackwater ferry delays", list(arts))
    return StoryAnalysis(
        story=story,
        entities=[
            Entity(
                "e-ida",
                "Ida Marsh",
                "person",
                ["Marsh", "Ida Marsh"],
                [a1, a2],
                4,
                sid,
                ["harbourmaster"],
            ),
            Entity("e-brk", "Brackwater", "place", [], [a1, a2, a3], 6, sid),
        ],
        facts=[
            Fact(
                "f2",
                sid,
                "The ferry sailed three hours late.",
                [
                    Claim(a2, 0, "The ferry sailed three hours late."),
                    Claim(a1, 3, "The ferry left three hours behind schedule."),
                ],
                2,
                1,
                "corroborated",
                ["e-brk"],
            ),
            Fact(
                "f1",
                sid,
                "Fog closed the harbour.",
                [Claim(a3, 1, "Fog closed the harbour.")],
                1,
                1,
                "single-source",
                [],
            ),
            Fact("f3", sid, "Forty passengers waited.", [], 0, 0, "contested", ["e-ida"]),
        ],
        quotes=[
            Quote("We were ready", "e-ida", [a1, a2], "Ida Marsh", sid),
            Quote("Nobody told us", None, [a3], None, sid),
        ],
        conflicts=[
            Conflict(
                "number",
                "f3",
                [
                    ConflictValue("40", "Forty passengers", [a1]),
                    ConflictValue("55", "55 passengers", [a2, a3]),
                ],
                sid,
            ),
        ],
        provenance=[
            Provenance(a2, a1, "reuse", "near-identical sentences", sid),
            Provenance(a3, "Lanterns Wire", "credit", "credit line", sid),
        ],
        brief=[
            BriefSentence("The ferry sailed three hours late.", [a1, a2], ["f2"]),
            BriefSentence("Fog closed the harbour.", [a3], ["f1"]),
        ],
        unique=[Unique(a3, ["f1"]), Unique(a1, [])],
    )


def test_story_analysis_round_trip(store: Store) -> None:
    add(store, 1, 2, 3)
    an = make_story_analysis()
    store.save_story_analysis(an)
    assert store.load_story_analysis("s1") == an
    assert store.get_story("s1") == an.story
    # everything is queryable as rows: claims of each fact, in rank order
    with store.engine.connect() as conn:
        q = (
            select(t.facts.c.id, t.claims.c.article_id)
            .join(
                t.claims,
                (t.claims.c.story_id == t.facts.c.story_id) & (t.claims.c.fact_id == t.facts.c.id),
            )
            .order_by(t.facts.c.rank, t.claims.c.rank)
        )
        assert [tuple(r) for r in conn.execute(q)] == [
            ("f2", "art002"),
            ("f2", "art001"),
            ("f1", "art003"),
        ]


def test_story_analysis_none_story_fields_are_filled(store: Store) -> None:
    add(store, 1, 2, 3)
    an = make_story_analysis()
    items: list[Entity | Quote | Conflict | Provenance] = [
        *an.entities,
        *an.quotes,
        *an.conflicts,
        *an.provenance,
    ]
    for item in items:
        item.story = None
    store.save_story_analysis(an)
    loaded = store.load_story_analysis("s1")
    assert loaded is not None
    assert {e.story for e in loaded.entities} == {"s1"}
    assert loaded == make_story_analysis()
    bad = make_story_analysis()
    bad.entities[0].story = "elsewhere"
    with pytest.raises(StoreError, match="belongs to elsewhere"):
        store.save_story_analysis(bad)


def test_stale_stories_are_the_stories_not_fresh(store: Store) -> None:
    add(store, 1, 2, 3, 4, 5)
    store.save_story(Story("s1", "Ferry delays", ["art001", "art002", "art003"]))
    store.save_story(Story("s2", "Lighthouse fire", ["art005", "art004"]))
    store.save_story(Story("s0", "", []))
    store.save_story_analysis(make_story_analysis())  # s1's, of its members
    expected = [s for s in store.stories() if not store.story_analysis_fresh(s.id)]
    assert store.stale_stories() == expected
    assert [s.id for s in expected] == ["s0", "s2"]
    assert expected[1].articles == ["art005", "art004"]
    store.save_story(Story("s1", "Ferry delays", ["art001", "art002"]))  # members changed
    assert [s.id for s in store.stale_stories()] == ["s0", "s1", "s2"]


def test_the_story_state_mark_is_raised_by_all_but_assignments(store: Store) -> None:
    add(store, 1, 2, 3, 4)
    assert store.story_state() == 0
    store.assign_article("art001", "s-1", "v1", None, b"x")
    store.assign_article("art002", "s-1", "v1", None, b"y", {"s-1": ["art001", "art002"]})
    assert store.story_state() == 0  # assignments (with the moves they make) only
    assert store.story_vector_last() == (2, "art002")
    assert store.story_vector_at(1) == "art001" and store.story_vector_at(9) is None
    store.save_story(Story("s-3", "", ["art003"]))
    assert store.story_state() == 1
    store.delete_story("s-3")
    assert store.story_state() == 2
    store.replace_story_vectors([("art001", "v1", None, b"x")])
    assert store.story_state() == 3
    store.assign_article("art003", "s-3", "v1", None, b"z")
    assert store.story_state() == 3
    # assigning an article whose old vector is still stored removes it: more than an assignment
    store.delete_story("s-3")
    assert store.story_state() == 4
    store.assign_article("art003", "s-1", "v1", None, b"z")
    assert store.story_state() == 5


def test_articles_without_story_after_a_mark(store: Store) -> None:
    assert store.article_mark() == 0
    add(store, 1, 2, 3)
    mark = store.article_mark()
    store.save_story(Story("s1", "", ["art002"]))
    add(store, 4, 5)
    assert store.articles_without_story() == ["art001", "art003", "art004", "art005"]
    assert store.articles_without_story(after=mark) == ["art004", "art005"]
    assert store.article_mark() > mark


def test_story_analysis_replaced_whole_and_atomically(store: Store) -> None:
    add(store, 1, 2, 3)
    first = make_story_analysis()
    store.save_story_analysis(first)
    second = make_story_analysis()
    second.facts = second.facts[1:2]
    second.quotes = []
    second.brief = second.brief[:1]
    store.save_story_analysis(second)
    assert store.load_story_analysis("s1") == second
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.claims)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(t.quotes)).scalar() == 0
    # a write that fails half-way (a claim citing an unknown article) changes nothing
    broken = make_story_analysis()
    broken.facts[1].claims.append(Claim("ghost", 0, "x"))
    with pytest.raises(StoreError, match="saving story analysis failed"):
        store.save_story_analysis(broken)
    assert store.load_story_analysis("s1") == second
    assert store.story_analysis_fresh("s1")


def test_delete_story_removes_its_results(store: Store) -> None:
    add(store, 1, 2, 3, 4)
    store.save_story_analysis(make_story_analysis("s1"))
    store.save_story(Story("s2", "Other", ["art004"]))
    store.delete_story("s1")
    assert store.load_story_analysis("s1") is None
    with store.engine.connect() as conn:
        for table in (*t.STORY_RESULT_TABLES, t.story_articles):
            rows = conn.execute(
                select(func.count()).select_from(table).where(table.c.story_id == "s1")
            ).scalar()
            assert rows == 0, table.name
    assert store.stories() == [Story("s2", "Other", ["art004"])]


def test_freshness_follows_membership(store: Store) -> None:
    add(store, 1, 2, 3, 4)
    assert not store.story_analysis_fresh("s1")  # no such story
    store.save_story(Story("s1", "Ferry", ["art001", "art002", "art003"]))
    assert not store.story_analysis_fresh("s1")  # never analysed
    assert store.load_story_analysis("s1") is None
    store.save_story_analysis(make_story_analysis())
    assert store.story_analysis_fresh("s1")
    # same members in another order, new title: still fresh
    store.save_story(Story("s1", "Ferry, again", ["art003", "art001", "art002"]))
    assert store.story_analysis_fresh("s1")
    # a new member: stale until analysed again
    store.save_story(Story("s1", "Ferry", ["art001", "art002", "art003", "art004"]))
    assert not store.story_analysis_fresh("s1")
    assert store.load_story_analysis("s1") is not None  # still readable, just stale
    store.save_story(Story("s1", "Ferry", ["art001", "art002", "art004"]))
    store.save_story_analysis(make_story_analysis("s1", ("art001", "art002", "art004")))
    assert store.story_analysis_fresh("s1")
    assert store.get_story("s1").articles == ["art001", "art002", "art004"]
    # losing a member to another story makes it stale too
    store.save_story(Story("s2", "Fog", ["art002"]))
    assert not store.story_analysis_fresh("s1")
    assert store.get_story("s1").articles == ["art001", "art004"]


def test_a_slow_analysis_never_undoes_another_writers_assignments(store: Store) -> None:
    """An analysis made from the members a story had when it started is saved, but the members
    the story has by then are kept, and the analysis is stale."""
    add(store, 1, 2, 3, 4)
    store.save_story(Story("s1", "", ["art001", "art002", "art003"]))
    started_from = make_story_analysis()  # made from art001..art003
    store.assign_article("art004", "s1", "v1", None, b"x")  # another writer, meanwhile
    store.save_story_analysis(started_from)
    assert store.get_story("s1") == Story(
        "s1", "Brackwater ferry delays", ["art001", "art002", "art003", "art004"]
    )
    assert not store.story_analysis_fresh("s1")  # made again on the next run
    loaded = store.load_story_analysis("s1")
    assert loaded is not None and loaded.facts == started_from.facts
    # a story deleted meanwhile (its reports moved to another story) is not brought back
    store.save_story(Story("s2", "Ferry", ["art001", "art002", "art003", "art004"]))
    store.delete_story("s1")
    store.save_story_analysis(make_story_analysis())
    assert [(s.id, s.articles) for s in store.stories()] == [
        ("s2", ["art001", "art002", "art003", "art004"])
    ]
    assert store.load_story_analysis("s1") is None
    # a new story made from free articles is created by its analysis, as before
    store.delete_story("s2")
    store.save_story_analysis(make_story_analysis("s3"))
    assert store.get_story("s3").articles == ["art001", "art002", "art003"]
    assert store.story_analysis_fresh("s3")


def test_membership_digest_ignores_order() -> None:
    assert membership_digest(["b", "a"]) == membership_digest(["a", "b"])
    assert membership_digest(["a"]) != membership_digest(["a", "b"])
    assert membership_digest(["ab"]) != membership_digest(["a", "b"])


def test_two_stores_on_one_database(store_url: str) -> None:
    with Store.open(store_url) as one, Store.open(store_url) as two:
        add(one, 1)
        assert two.article_ids() == ["art001"]
        assert two.add_article(make_article(1)) is False
        add(two, 2)
        assert one.article_ids() == ["art001", "art002"]


def test_errors_never_show_a_url_password() -> None:
    # no server listens there (or no driver is installed): either way a clean StoreError
    with pytest.raises(StoreError) as err:
        Store.open("postgresql://reader:hunter2@127.0.0.1:9/newsroom")
    assert "hunter2" not in str(err.value)
    assert "cannot open store postgresql://reader:***@127.0.0.1:9/newsroom" in str(err.value)


# ----------------------------------------------------------------------------- story vectors


@pytest.mark.sqlite_file
def test_store_at_0001_is_migrated_to_head_with_its_data(tmp_path: Path) -> None:
    from alembic import command

    from newsweave.store.sql import _alembic_config, _sqlite_engine

    path = tmp_path / "old.db"
    engine = _sqlite_engine(f"sqlite:///{path}", memory=False)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
    engine.dispose()
    con = sqlite3.connect(path)
    names = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    con.close()
    assert "articles" in names and "story_vectors" not in names
    with Store.open(path) as s:
        assert s.revision() == head_revision()
        add(s, 1)
        s.assign_article("art001", "s-art001", "v1", None, b"\x00")
        with s.engine.connect() as conn:
            assert _schema_diff(conn) == []


def test_assign_article_appends_and_records_vectors_in_order(store: Store) -> None:
    add(store, 1, 2, 3)
    store.assign_article("art002", "s-art002", "v1", 20000, b"two")
    store.assign_article("art001", "s-art002", "v1", None, b"one")
    store.assign_article("art003", "s-art003", "v1", 20001, b"three")
    assert [(s.id, s.articles) for s in store.stories()] == [
        ("s-art002", ["art002", "art001"]),
        ("s-art003", ["art003"]),
    ]
    assert store.get_story("s-art002").title == ""
    assert list(store.iter_story_vectors()) == [
        ("art002", "s-art002", "v1", 20000, b"two"),
        ("art001", "s-art002", "v1", None, b"one"),
        ("art003", "s-art003", "v1", 20001, b"three"),
    ]
    assert store.count_story_vectors() == 3 == store.count_assigned()
    assert store.count_story_vectors("v2") == 0
    assert store.articles_without_story() == []
    with pytest.raises(StoreError, match="belongs to a story already"):
        store.assign_article("art001", "s-art003", "v1", None, b"again")
    # the digest follows membership, so a saved analysis goes stale
    with store.engine.connect() as conn:
        digest = conn.execute(
            select(t.stories.c.digest).where(t.stories.c.id == "s-art002")
        ).scalar_one()
    assert digest == membership_digest(["art001", "art002"])


def test_replace_story_vectors_and_vectors_of_a_deleted_story(store: Store) -> None:
    add(store, 1, 2)
    store.assign_article("art001", "s-art001", "v1", None, b"a")
    store.delete_story("s-art001")
    assert list(store.iter_story_vectors()) == [("art001", None, "v1", None, b"a")]
    store.batch_size = 1  # several batches
    store.replace_story_vectors([("art002", "v2", 5, b"b"), ("art001", "v2", None, b"c")])
    assert list(store.iter_story_vectors()) == [
        ("art002", None, "v2", 5, b"b"),
        ("art001", None, "v2", None, b"c"),
    ]
    store.replace_story_vectors([])
    assert store.count_story_vectors() == 0


def test_sentence_embeddings_are_cached_once(store: Store) -> None:
    assert store.get_embeddings(["a", "b"]) == {}
    store.put_embeddings({"a": b"\x00\x01", "b": b"\x02"})
    store.put_embeddings({"a": b"changed", "c": b"\x03"})  # a stored key is never overwritten
    assert store.get_embeddings(["a", "b", "c", "d"]) == {
        "a": b"\x00\x01",
        "b": b"\x02",
        "c": b"\x03",
    }
    store.put_embeddings({})


def test_exclusive_is_reentrant_in_one_thread_and_released_after(tmp_path: Path) -> None:
    import threading

    path = tmp_path / "locks.db"
    with Store.open(path) as one, Store.open(path) as two:
        got: list[str] = []
        with one.exclusive("stories"), one.exclusive("stories"):  # nested: no deadlock

            def other() -> None:
                with two.exclusive("stories"):
                    got.append("two")

            waiter = threading.Thread(target=other)
            waiter.start()
            waiter.join(0.5)
            assert got == []  # the other holder waits while the outer hold lasts
        waiter.join(10)
        assert got == ["two"]


@pytest.mark.sqlite_file  # looks at the files beside the SQLite file
def test_a_cli_run_leaves_no_lock_file_beside_the_store(tmp_path: Path) -> None:
    """The stories lock of a SQLite store is a file beside it, made for the hold and removed
    when it is released: after `newsweave ingest` and `newsweave stories` (which assigns the
    new article under the lock) only the database is left in its folder (the story snapshot
    goes to NEWSWEAVE_STATE_DIR in the tests)."""
    import os
    import subprocess
    import sys

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "quay.txt").write_text(
        "A fire broke out on the Vellmore quay at dawn on Monday, the harbour master said.\n"
    )
    folder = tmp_path / "store"
    folder.mkdir()
    db = folder / "newsweave.db"
    for args in (["ingest", str(inputs)], ["stories"], ["stories", "--recluster"]):
        done = subprocess.run(
            [sys.executable, "-m", "newsweave", *args, "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=600,
            env=os.environ.copy(),
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert sorted(p.name for p in folder.iterdir()) == ["newsweave.db"], args
    with Store.open(db) as store:
        assert len(store.stories()) == 1


@pytest.mark.sqlite_file  # the lock file of a SQLite file
def test_the_sqlite_lock_keeps_others_out_while_its_file_comes_and_goes(tmp_path: Path) -> None:
    """Holders remove the lock file when they let go, so a waiter may find it has locked a
    removed file: it must take the lock again on the file now there. Several stores (own file
    descriptors, as separate processes have) taking turns: never two inside at once."""
    import threading
    import time

    path = tmp_path / "turns.db"
    Store.open(path).close()
    inside: list[int] = []
    overlaps: list[int] = []
    done: list[int] = []

    def worker(n: int) -> None:
        with Store.open(path) as store:
            for _ in range(25):
                with store.exclusive("stories"):
                    if inside:
                        overlaps.append(n)
                    inside.append(n)
                    time.sleep(0.001)
                    inside.remove(n)
        done.append(n)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert sorted(done) == [0, 1, 2, 3] and overlaps == []
    assert not (tmp_path / "turns.db-stories.lock").exists()


def test_assign_article_applies_the_threads_regrouping_in_one_transaction(store: Store) -> None:
    add(store, 1, 2, 3, 4)
    store.assign_article("art001", "s-art001", "v1", None, b"1")
    store.assign_article("art002", "s-art001", "v1", None, b"2")
    store.assign_article("art003", "s-art003", "v1", None, b"3")
    # art004 arrives; its thread is re-grouped: art002 moves to a new story with it, and the
    # story of art003 is gone (art003 joins art001)
    moves = {
        "s-art001": ["art001", "art003"],
        "s-art002": ["art002", "art004"],
        "s-art003": [],
    }
    store.assign_article("art004", "s-art002", "v1", None, b"4", moves)
    assert [(s.id, s.articles) for s in store.stories()] == [
        ("s-art001", ["art001", "art003"]),
        ("s-art002", ["art002", "art004"]),
    ]
    assert store.count_assigned() == 4 == store.count_story_vectors()
    # a failure inside leaves nothing of it: art001 is assigned already
    with pytest.raises(StoreError):
        store.assign_article("art001", "s-x", "v1", None, b"x", {"s-art001": []})
    assert [s.id for s in store.stories()] == ["s-art001", "s-art002"]
