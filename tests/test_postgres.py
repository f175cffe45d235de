"""The store on PostgreSQL: URLs, migrations, its own text search, serialised writers, and the
whole pipeline giving the same report as on SQLite.

Each test gets a fresh database on a real server (tests/conftest.py: ``NEWSWEAVE_TEST_PG``, or a
throwaway server started from the PostgreSQL binaries; skipped, saying why, when neither is
available). The store-level tests of tests/test_store.py and tests/test_search.py run here too,
through their parametrized ``store`` fixtures. All data is invented.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

import newsweave
from newsweave.cli import app
from newsweave.errors import StoreError
from newsweave.model import Article, Fact, Story, StoryAnalysis
from newsweave.store import Store, head_revision
from newsweave.store import schema as t
from newsweave.store.search import is_search_table, search
from newsweave.store.sql import LockLost, _alembic_config, lock_key
from newsweave.web import create_app

TWO = Path(__file__).parent / "data" / "two_stories"
runner = CliRunner()


def article(n: int, text: str | None = None, **kw: Any) -> Article:
    body = text or f"The Dunmore tram {n} stopped at the Quillon bridge, the depot said."
    return Article(
        id=f"pg{n:03d}",
        content_hash=f"{n:064x}",
        text=body,
        language="en",
        words=len(body.split()),
        **kw,
    )


def plain(url: str) -> str:
    """The URL as a user types it: ``postgresql://`` without a driver name."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def execute(url: str, *statements: str) -> None:
    u = make_url(url)
    dsn = f"host={u.host} port={u.port} user={u.username} dbname={u.database}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql.encode())


def schema_diff(store: Store) -> list[Any]:
    def include_name(name: str | None, type_: str, parent: Any) -> bool:
        return not (type_ == "table" and name is not None and is_search_table(name))

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": include_name})
        return list(compare_metadata(ctx, t.metadata))


# ----------------------------------------------------------------------------- open / migrate


def test_a_plain_postgresql_url_creates_and_migrates(pg_empty_url: str) -> None:
    url = plain(pg_empty_url)
    with Store.open(url) as store:
        assert store.engine.dialect.name == "postgresql"
        assert store.engine.dialect.driver == "psycopg"
        assert store.revision() == head_revision()
        assert schema_diff(store) == []
        names = set(inspect(store.engine).get_table_names())
        assert {n for n in names if is_search_table(n)} == {"search_articles", "search_facts"}
        assert store.add_article(article(1))
    with Store.open(url) as store:  # at head already: nothing to migrate
        assert store.article_ids() == ["pg001"]


def test_a_database_of_another_program_is_refused_and_left_alone(pg_empty_url: str) -> None:
    execute(pg_empty_url, "CREATE TABLE recipes (name text)")
    with pytest.raises(StoreError, match=r"not a newsweave database.*recipes"):
        Store.open(pg_empty_url)
    engine = create_engine(pg_empty_url)
    try:
        assert set(inspect(engine).get_table_names()) == {"recipes"}
    finally:
        engine.dispose()


def test_an_unknown_revision_is_refused(pg_url: str) -> None:
    execute(pg_url, "UPDATE alembic_version SET version_num = 'zz99'")
    with pytest.raises(StoreError, match="revision zz99 is unknown"):
        Store.open(pg_url)


def test_a_store_at_0006_is_migrated_and_its_rows_are_indexed(pg_empty_url: str) -> None:
    engine = create_engine(pg_empty_url)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0006")
            conn.execute(
                insert(t.articles).values(
                    id="old1",
                    seq=1,
                    content_hash="1" * 64,
                    text="The Quillon bridge reopened to trams on Friday.",
                    title="Bridge reopens",
                    words=8,
                    credits=[],
                    dropped=[],
                    meta={},
                    ingested_at=newsweave.store.sql._now(),
                )
            )
    finally:
        engine.dispose()
    with Store.open(pg_empty_url) as store:
        assert store.revision() == head_revision()
        assert [h.id for h in search(store, "quillon", "article").hits] == ["old1"]
        assert schema_diff(store) == []


def test_processes_opening_a_new_database_at_once_migrate_it_once(pg_empty_url: str) -> None:
    errors: list[BaseException] = []
    revisions: list[str | None] = []

    def open_it() -> None:
        try:
            with Store.open(pg_empty_url) as store:
                revisions.append(store.revision())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert errors == []
    assert revisions == [head_revision()] * 4


# ----------------------------------------------------------------------------- writers


def test_concurrent_writers_store_each_article_once_in_a_gapless_order(pg_url: str) -> None:
    """Six connections add the same 30 articles in different orders at once: each is stored
    once, by exactly one of them, and ingest order is 1..30 without gaps or repeats."""
    arts = [article(n) for n in range(1, 31)]
    added: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def writer(k: int) -> None:
        try:
            with Store.open(pg_url) as store:
                for a in arts[k:] + arts[:k]:
                    if store.add_article(a):
                        with lock:
                            added.append(a.id)
                    store.record_source(f"in/{a.id}.txt", 10, 1.0, "stored", None, a.id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k * 5,)) for k in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert errors == []
    assert sorted(added) == sorted(a.id for a in arts)
    with Store.open(pg_url) as store:
        assert store.count_articles() == 30
        with store.engine.connect() as conn:
            seqs = sorted(r.seq for r in conn.execute(t.articles.select()))
        assert seqs == list(range(1, 31))
        assert all(store.source_seen(f"in/{a.id}.txt", 10, 1.0) for a in arts)


@pytest.mark.parametrize("hold", [0.4])
def test_exclusive_keeps_out_other_holders_until_released(store_url: str, hold: float) -> None:
    events: list[tuple[str, float]] = []
    with Store.open(store_url) as one, Store.open(store_url) as two:
        started = threading.Event()

        def first() -> None:
            with one.exclusive("stories"):
                events.append(("first in", time.monotonic()))
                started.set()
                time.sleep(hold)
                events.append(("first out", time.monotonic()))

        th = threading.Thread(target=first)
        th.start()
        assert started.wait(30)
        with two.exclusive("stories"):
            events.append(("second in", time.monotonic()))
            with one.exclusive("other"):  # another name is another lock
                pass
        th.join(30)
    assert [e for e, _ in events] == ["first in", "first out", "second in"]


# ----------------------------------------------------------------------------- a lost lock


def _admin(pg_server: str) -> Any:
    url = make_url(pg_server)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")


def _lock_holders(admin: Any, name: str) -> list[int]:
    """The backends holding the named lock of Store.exclusive."""
    key = lock_key(name)
    with admin.connect() as conn:
        return list(
            conn.exec_driver_sql(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid::bigint = %(hi)s AND objid::bigint = %(lo)s AND objsubid = 1",
                {"hi": (key >> 32) & 0xFFFFFFFF, "lo": key & 0xFFFFFFFF},
            ).scalars()
        )


def _terminate_lock_session(admin: Any, name: str) -> int:
    (pid,) = _lock_holders(admin, name)
    with admin.connect() as conn:
        assert conn.exec_driver_sql("SELECT pg_terminate_backend(%(p)s)", {"p": pid}).scalar()
    deadline = time.monotonic() + 10
    while _lock_holders(admin, name) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _lock_holders(admin, name) == []
    return int(pid)


def test_a_lost_stories_lock_is_taken_again_when_nobody_took_it(
    pg_server: str, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The stories lock's session is terminated while the lock is held (an administrator's
    pg_terminate_backend): the next write under the lock takes it again, since no other
    process took it meanwhile, and the lock keeps others out until it is released."""
    admin = _admin(pg_server)
    try:
        with Store.open(pg_url) as one, Store.open(pg_url) as two:
            for n in (1, 2):
                one.add_article(article(n))
            entered: list[str] = []
            with one.exclusive("stories"):
                one.assign_article("pg001", "s-pg001", "v1", None, b"1")
                old = _terminate_lock_session(admin, "stories")
                one.assign_article("pg002", "s-pg001", "v1", None, b"2")  # takes it again
                holders = _lock_holders(admin, "stories")
                assert len(holders) == 1 and holders != [old]

                def other() -> None:
                    with two.exclusive("stories"):
                        entered.append("two")

                waiter = threading.Thread(target=other)
                waiter.start()
                waiter.join(0.5)
                assert entered == []  # held again: the other process waits
            waiter.join(30)
            assert entered == ["two"]
            assert one.get_story("s-pg001").articles == ["pg001", "pg002"]
    finally:
        admin.dispose()
    assert "taken again" in caplog.text


def test_a_lost_stories_lock_taken_by_another_process_fails_the_write_cleanly(
    pg_server: str, pg_url: str
) -> None:
    """The stories lock's session is terminated and another process takes the lock before
    this one writes again: the write is refused with a StoreError (LockLost) and nothing of it
    is stored, so the other holder's view of the stories stays true; after both let go, the
    step run again goes through."""
    admin = _admin(pg_server)
    try:
        with Store.open(pg_url) as one, Store.open(pg_url) as two:
            for n in (1, 2, 3):
                one.add_article(article(n))
            taken, release = threading.Event(), threading.Event()

            def other() -> None:
                with two.exclusive("stories"):
                    two.assign_article("pg003", "s-pg003", "v1", None, b"3")
                    taken.set()
                    release.wait(30)

            with one.exclusive("stories"):
                one.assign_article("pg001", "s-pg001", "v1", None, b"1")
                _terminate_lock_session(admin, "stories")
                holder = threading.Thread(target=other)
                holder.start()
                assert taken.wait(30)
                with pytest.raises(StoreError, match="lock 'stories' was lost") as failed:
                    one.assign_article("pg002", "s-pg001", "v1", None, b"2")
                assert isinstance(failed.value, LockLost)
                assert "nothing more was written" in str(failed.value)
                release.set()
                holder.join(30)
            assert one.story_of("pg002") is None  # nothing of the refused write
            assert one.get_story("s-pg003").articles == ["pg003"]
            with one.exclusive("stories"):  # the step again: it goes through
                one.assign_article("pg002", "s-pg001", "v1", None, b"2")
            assert one.get_story("s-pg001").articles == ["pg001", "pg002"]
    finally:
        admin.dispose()


def test_an_assignment_retried_after_its_commit_was_lost_succeeds(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The server commits an assignment, then the connection drops before the acknowledgement
    comes back (here: the real commit on the real server, then the error psycopg raises for a
    dropped connection). The store runs the call once more; finding exactly that assignment
    stored, it succeeds without writing it twice. An article assigned to another story is
    still an error."""
    from sqlalchemy.exc import OperationalError

    from newsweave.store import sql

    original = sql.Store._write
    lost: list[str] = []

    @contextlib.contextmanager
    def write_then_lose_the_ack(self: Store, what: str) -> Iterator[Any]:
        with original(self, what) as conn:
            yield conn
        if what == "assigning article" and not lost:  # committed: now the acknowledgement
            lost.append(what)
            cause = psycopg.OperationalError("server closed the connection unexpectedly")
            raise StoreError(f"{what} failed") from OperationalError(
                "COMMIT", {}, cause, connection_invalidated=True
            )

    with Store.open(pg_url) as store:
        for n in (1, 2, 3):
            store.add_article(article(n))
        store.assign_article("pg001", "s-pg001", "v1", None, b"1")
        monkeypatch.setattr(sql.Store, "_write", write_then_lose_the_ack)
        moves = {"s-pg001": ["pg001"], "s-pg002": ["pg002"]}
        store.assign_article("pg002", "s-pg001", "v1", 3, b"2", moves)
        assert lost == ["assigning article"]
        assert "retrying once" in caplog.text
        assert store.get_story("s-pg002").articles == ["pg002"]
        assert store.get_story("s-pg001").articles == ["pg001"]
        assert store.count_story_vectors() == 2
        with pytest.raises(StoreError, match="belongs to a story already"):
            store.assign_article("pg002", "s-pg001", "v1", 3, b"2")  # another story than its own
        with pytest.raises(StoreError, match="belongs to a story already"):
            store.assign_article("pg002", "s-pg002", "v1", 3, b"other")  # another vector


# ----------------------------------------------------------------------------- search, web


def test_search_uses_postgresql_text_search(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        store.add_article(article(1, "Crews cleared the Quillon bridge of snow by noon."))
        store.add_article(
            article(2, "Snowploughs from Dunmore reached Quillon at dawn.", title="Q")
        )
        store.save_story_analysis(
            StoryAnalysis(
                story=Story("s-pg001", "Snow", ["pg001", "pg002"]),
                facts=[Fact("f-1", "s-pg001", "Crews cleared the Quillon bridge by noon.")],
            )
        )
        with store.engine.connect() as conn:
            plan = "\n".join(
                conn.exec_driver_sql(
                    "EXPLAIN SELECT seq FROM search_articles "
                    "WHERE tsv @@ to_tsquery('simple', 'snow:*')"
                ).scalars()
            )
        assert "search_articles" in plan
        page = search(store, "snow", "article")
        assert page.total == 2 and page.hits[0].score > 0
        assert ("Snowploughs", True) in page.hits[1].parts or ("snow", True) in page.hits[0].parts
        assert [h.id for h in search(store, "quillon noon", "fact").hits] == ["f-1"]
        # articles written after the facts were indexed are found at once (trigger)
        store.add_article(article(3, "Quillon trams run again."))
        assert search(store, "quillon", "article").total == 3


def test_web_app_reads_and_searches_a_postgresql_store(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        store.add_article(article(1, "A heron nested on the Quillon bridge lamp.", title="Heron"))
        store.save_story(Story("s-pg001", "Heron", ["pg001"]))
        client = TestClient(create_app(store, token="t-123"), raise_server_exceptions=False)
        res = client.get("/api/search", params={"q": "heron", "kind": "article"})
        assert res.status_code == 200, res.text
        assert [h["id"] for h in res.json()["items"]] == ["pg001"]
        assert client.get("/").status_code == 200


# ----------------------------------------------------------------------------- whole pipeline


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the moment it was made."""
    out = dict(report)
    out.pop("generated", None)
    return json.loads(json.dumps(out, sort_keys=True, default=str))


@pytest.mark.slow
@pytest.mark.sqlite_file  # the SQLite side stays SQLite when PostgreSQL is the suite's default
def test_demo_corpus_gives_the_same_report_on_both_stores(tmp_path: Path, pg_url: str) -> None:
    on_sqlite = newsweave.analyze([], db=tmp_path / "demo.db")
    on_pg = newsweave.analyze([], db=pg_url)
    assert on_pg["facts"] and on_pg["conflicts"]
    a, b = _comparable(on_sqlite), _comparable(on_pg)
    for key in sorted(set(a) | set(b)):
        assert a.get(key) == b.get(key), key


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.mark.slow
@pytest.mark.sqlite_file
@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are in ../shared/seeds (absent here)")
def test_seeds_give_the_same_report_on_both_stores(tmp_path: Path, pg_url: str) -> None:
    on_sqlite = newsweave.analyze([SEEDS], db=tmp_path / "seeds.db")
    on_pg = newsweave.analyze([SEEDS], db=pg_url)
    assert len(on_pg["stories"]) == 1 and on_pg["facts"] and on_pg["conflicts"]
    a, b = _comparable(on_sqlite), _comparable(on_pg)
    for key in sorted(set(a) | set(b)):
        assert a.get(key) == b.get(key), key


@pytest.mark.slow
def test_every_command_works_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    corpus = tmp_path / "in"
    shutil.copytree(TWO, corpus, ignore=shutil.ignore_patterns("*.json"))
    sqlite = str(tmp_path / "two.db")
    outputs: dict[str, dict[str, str]] = {}
    for db in (sqlite, plain(pg_url)):
        res = runner.invoke(app, ["ingest", str(corpus), "--db", db])
        assert res.exit_code == 0, res.output
        res = runner.invoke(app, ["ingest", str(corpus), "--db", db])  # resumable: all skipped
        assert res.exit_code == 0 and "7 unchanged" in res.output, res.output
        res = runner.invoke(app, ["stories", "--db", db, "--format", "jsonl"])
        assert res.exit_code == 0, res.output
        lines = [json.loads(x) for x in res.stdout.splitlines() if x.strip()]
        res = runner.invoke(app, ["analyze", str(corpus), "--db", db, "--out", str(tmp_path / "r")])
        assert res.exit_code == 0, res.output
        res = runner.invoke(app, ["report", "--db", db, "--out", str(tmp_path / "r2")])
        assert res.exit_code == 0, res.output
        rebuilt = json.loads((tmp_path / "r2" / "report.json").read_text())
        outputs[db] = {
            "stories": json.dumps(sorted((x["path"], x["story"]) for x in lines)),
            "report": json.dumps(_comparable(rebuilt), sort_keys=True),
        }
        res = runner.invoke(app, ["stories", "--db", db, "--recluster"])
        assert res.exit_code == 0, res.output
    first, second = outputs.values()
    assert first["stories"].replace(str(corpus), "") == second["stories"].replace(str(corpus), "")
    assert first["report"] == second["report"]
