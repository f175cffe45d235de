"""Shared fixtures: a PostgreSQL server for the tests that run on both stores.

``pg_server`` is the server: ``NEWSWEAVE_TEST_PG`` when set (a SQLAlchemy URL of a server where
the user may create databases; CI sets it after starting one), else a throwaway server this
session starts from the PostgreSQL binaries on the machine (initdb into a temporary directory,
a free port on 127.0.0.1, stopped at the end), else the PostgreSQL tests skip saying why.

``pg_url`` is a fresh, migrated database per test (a copy of a template migrated once per
session), so tests never see each other's data. ``store_url`` is parametrized over both
backends: a test that takes it (or the ``store`` fixtures built on it) runs once on SQLite and
once on PostgreSQL.

``NEWSWEAVE_TEST_DB=postgresql`` makes PostgreSQL the default store of the whole suite (CI's
second pytest run): ``store_url`` gives PostgreSQL only, and every store a test opens in this
process at a SQLite file path (``Store.open(tmp_path / "x.db")``, ``--db x.db``,
``newsweave.analyze(db=...)``) is a PostgreSQL database instead, one per path, made when the path
is first opened and dropped after the test. Paths of files that exist already (a file that is
not a database, say) stay SQLite, and so do tests marked ``sqlite_file`` (they look at the file
itself); processes the tests start use what they are given.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "NEWSWEAVE_TEST_PG"
DB_ENV = "NEWSWEAVE_TEST_DB"
_TEMPLATE = "newsweave_test_template"


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for path in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return path
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    """A throwaway PostgreSQL cluster in a temporary directory."""

    def __init__(self) -> None:
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise RuntimeError("PostgreSQL binaries (initdb, pg_ctl) are not installed")
        self.pg_ctl = pg_ctl
        self.root = Path(tempfile.mkdtemp(prefix="newsweave-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            runuser = shutil.which("runuser")
            if not runuser:
                raise RuntimeError("running as root, and runuser is missing")
            shutil.chown(self.root, "postgres", "postgres")
            self.as_user = [runuser, "-u", "postgres", "--"]
        self.root.chmod(0o700)
        self._run(initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        opts = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=100"
        )
        self._run(
            pg_ctl, "-D", str(self.data), "-l", str(self.root / "log"), "-o", opts, "-w", "start"
        )
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self.as_user, *cmd], check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            subprocess.run(
                [*self.as_user, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
                check=False,
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.root, ignore_errors=True)


def _admin(url: str, *statements: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    with psycopg.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username,
        password=u.password,
        dbname=u.database or "postgres",
        autocommit=True,
        connect_timeout=10,
    ) as conn:
        for sql in statements:
            conn.execute(sql.encode())


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url).set(database=name)
    if u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a PostgreSQL server's maintenance database (see the module docstring)."""
    given = os.environ.get(PG_ENV)
    if given:
        yield given
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests need psycopg (pip install 'newsweave[postgres]')")
    try:
        server = _Server()
    except (RuntimeError, OSError, subprocess.SubprocessError, KeyError) as exc:
        pytest.skip(f"no PostgreSQL server: {PG_ENV} is unset and one cannot be started ({exc})")
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> Iterator[str]:
    """A database migrated to head once; each test's database is a copy of it."""
    from newsweave.store import Store

    name = f"{_TEMPLATE}_{os.getpid()}"
    _admin(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    Store.open(_with_database(pg_server, name)).close()
    try:
        yield name
    finally:
        _admin(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_server: str, pg_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database, migrated to head, dropped after the test."""
    name = f"nwt_{uuid.uuid4().hex[:16]}"
    for attempt in range(20):  # the template may still be in use for a moment
        try:
            _admin(pg_server, f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
            break
        except Exception:
            if attempt == 19:
                raise
            time.sleep(0.1)
    try:
        yield _with_database(pg_server, name)
    finally:
        _admin(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_empty_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database (no newsweave tables yet)."""
    name = f"nwt_{uuid.uuid4().hex[:16]}"
    _admin(pg_server, f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(pg_server, name)
    finally:
        _admin(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _backends() -> list[str]:
    wanted = os.environ.get(DB_ENV, "").strip().lower()
    if wanted in ("postgresql", "postgres", "pg"):
        return ["postgresql"]
    if wanted == "sqlite":
        return ["sqlite"]
    return ["sqlite", "postgresql"]


@pytest.fixture(params=_backends())
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store on each backend: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    url: str = request.getfixturevalue("pg_url")
    return url


# ----------------------------------------------------------------------------- the switch


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"sqlite_file: looks at the SQLite file itself; stays on SQLite under {DB_ENV}=postgresql",
    )


def _postgresql_default() -> bool:
    return _backends() == ["postgresql"]


class _Redirect:
    """Maps SQLite file paths opened by tests to PostgreSQL databases (see module docstring)."""

    def __init__(self, server: str, template: str) -> None:
        self.server = server
        self.template = template
        self.urls: dict[str, str] = {}  # resolved path -> database URL
        self.names: dict[str, str] = {}  # resolved path -> database name
        self.enabled = True

    def url_for(self, db: object) -> str | None:
        if not self.enabled or not isinstance(db, (str, Path)):
            return None
        if isinstance(db, str) and ("://" in db or db.startswith(":memory")):
            return None
        key = str(Path(db).expanduser().resolve())
        if key in self.urls:
            return self.urls[key]
        if Path(key).exists() or not Path(key).parent.is_dir():
            return None  # an existing file, or a bad path: SQLite says what is wrong with it
        name = f"nwt_{uuid.uuid4().hex[:16]}"
        _admin(self.server, f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.urls[key] = _with_database(self.server, name)
        self.names[key] = name
        return self.urls[key]

    def drop(self, keys: list[str]) -> None:
        for key in keys:
            name = self.names.pop(key)
            self.urls.pop(key)
            with contextlib.suppress(Exception):
                _admin(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", autouse=True)
def _state_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Stores keep derived state (story snapshots) in a folder of the test session, never in
    the user's cache (a server store's state goes there otherwise)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSWEAVE_STATE_DIR", str(tmp_path_factory.mktemp("state")))
        yield


@pytest.fixture(scope="session", autouse=True)
def _postgresql_as_default_store(request: pytest.FixtureRequest) -> Iterator[_Redirect | None]:
    if not _postgresql_default():
        yield None
        return
    from newsweave.store import Store

    server: str = request.getfixturevalue("pg_server")
    template: str = request.getfixturevalue("pg_template")
    redirect = _Redirect(server, template)
    original = Store.open.__func__  # type: ignore[attr-defined]

    def open_redirected(cls: type[Store], db: str | Path = "newsweave.db") -> Store:
        url = redirect.url_for(db)
        return original(cls, url if url is not None else db)  # type: ignore[no-any-return]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Store, "open", classmethod(open_redirected))
        try:
            yield redirect
        finally:
            redirect.drop(list(redirect.names))


@pytest.fixture(autouse=True)
def _postgresql_per_test(
    request: pytest.FixtureRequest, _postgresql_as_default_store: _Redirect | None
) -> Iterator[None]:
    redirect = _postgresql_as_default_store
    if redirect is None:
        yield
        return
    before = set(redirect.names)
    redirect.enabled = request.node.get_closest_marker("sqlite_file") is None
    try:
        yield
    finally:
        redirect.enabled = True
        redirect.drop([k for k in redirect.names if k not in before])
