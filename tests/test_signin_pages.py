"""Sign-in pages (a login wall with no article) are reported, never stored: fetched from a real
HTTP server on loopback, uploaded to the web app, read from an .html file or a JSONL ``html``
field. The pages are invented here in several shapes (a classic form, a heading instead of a
title, a script-rendered page, a bare password box, single sign-on buttons), next to article
pages that only mention logging in or carry a login box in their header."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from _sources_server import serve
from newsweave.cli import app as cli_app
from newsweave.ingest.html import extract_html
from newsweave.ingest.readers import read_file
from newsweave.pipeline import IngestResult, Pipeline
from newsweave.sources import Collector, Fetcher, FetchPolicy
from newsweave.sources.paywall import WallPage, detect_wall
from newsweave.store import Store
from newsweave.web import create_app

POLICY = FetchPolicy(allow_private=True, host_interval=0.0, retries=0, timeout=2.0)

HEADER_LOGIN = (
    "<header><a href='/'>Tarnwick Courier</a><form action='/session' method='post'>"
    "<input name='email' placeholder='Email'><input type='password' name='pw'>"
    "<button>Log in</button><a href='/reset'>Forgot password?</a></form></header>"
)

SIGN_IN_PAGES = {
    "classic form": (
        "<!doctype html><html><head><title>Sign in | Tarnwick Courier</title></head><body>"
        "<main><h1>Sign in</h1><form method='post' action='/session'>"
        "<label for='e'>Email address</label><input id='e' name='email' type='email'>"
        "<label for='p'>Password</label><input id='p' name='password' type='password'>"
        "<label><input type='checkbox' name='keep'> Remember me</label>"
        "<button type='submit'>Sign in</button></form>"
        "<p><a href='/reset'>Forgot your password?</a></p>"
        "<p>Don't have an account? <a href='/join'>Register</a></p></main></body></html>"
    ),
    "heading, not title": (
        "<html><head><title>Osterby Herald</title></head><body>"
        "<div class='box'><h1>Log in to your account</h1>"
        "<form><p><input name='user' placeholder='Username'></p>"
        "<p><input name='secret' type=password autocomplete='current-password'></p>"
        "<p><input type='checkbox'> Keep me logged in</p><p><button>Continue</button></p>"
        "</form><p>New here? <a href='/signup'>Create an account</a></p></div></body></html>"
    ),
    "script-rendered": (
        "<html><head><title>Member login – Pellworth Echo</title>"
        "<script src='/app.js'></script></head><body><div id='root'>"
        "<noscript>Please enable JavaScript.</noscript><p>Loading…</p></div></body></html>"
    ),
    "bare password box": (
        "<html><head><title>Brisk Daily</title></head><body><form action='/auth'>"
        "<input name='id'><input type='PASSWORD' name='pin'><button>Go</button>"
        "</form></body></html>"
    ),
    "single sign-on": (
        "<html><head><title>Welcome back - Kessing Radio</title></head><body><main>"
        "<h2>Welcome back</h2><p>Continue with Google</p><p>Continue with Apple</p>"
        "<p>Sign in with email</p><p>Not a member? Join today.</p></main></body></html>"
    ),
}

ARTICLE = [
    "The Tarnwick harbour board approved a new ferry timetable on Tuesday after a long debate.",
    "Boats to Osterby will leave every forty minutes from June, the board said in a statement.",
    "Fishermen had asked for later evening sailings so that catches could reach the market.",
    "The board's chair, Ada Lorne, said the change would cost about 120,000 crowns a year.",
    "Two members voted against the plan, saying the harbour could not take more traffic.",
    "A public meeting on the new piers will be held at the town hall next month.",
    "Residents near the quay complained about noise from early departures last summer.",
    "The operator said quieter engines would be fitted to its two oldest boats by autumn.",
]


def _page(title: str, header: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>{header}"
        f"<article><h1>{title}</h1>{body}</article><footer>About us</footer></body></html>"
    )


NOT_SIGN_IN = {
    # a long article under a header with a login box
    "article with a login box": _page("Ferry timetable approved", HEADER_LOGIN, ARTICLE * 4),
    # a short article about logging in
    "short article about log-ins": _page(
        "Bank customers locked out as log-in system fails",
        "",
        [
            "Customers of Varnholt Savings could not log in to its app for six hours on Monday.",
            "The bank said no money was lost and asked customers to reset their password only "
            "if they had been told to by the bank.",
            "A spokesman said engineers traced the fault to a failed update of the login servers.",
            "The outage came a week after a similar fault at a rival lender in Pellworth.",
        ],
    ),
    # a short article under a header with a password box
    "short article with a login box": _page(
        "Ferry timetable approved", "<form><input type='password'></form>", ARTICLE[:4]
    ),
}


def _wall(html: str) -> object:
    extracted = extract_html(html)
    return detect_wall(html, extracted.text, title=extracted.title)


@pytest.mark.parametrize("name", sorted(SIGN_IN_PAGES))
def test_sign_in_pages_are_recognised(name: str) -> None:
    wall = _wall(SIGN_IN_PAGES[name])
    assert wall is not None and wall.kind == "signin", (name, wall)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(NOT_SIGN_IN))
def test_articles_that_mention_or_carry_a_login_are_not_sign_in_pages(name: str) -> None:
    assert _wall(NOT_SIGN_IN[name]) is None, name


def test_a_fetched_sign_in_page_is_reported_naming_the_url(tmp_path: Path) -> None:
    with serve() as site, Store.open(tmp_path / "s.db") as store, Fetcher(POLICY) as fetcher:
        site.static("/account/login", SIGN_IN_PAGES["classic form"])
        site.static("/news/ferry.html", NOT_SIGN_IN["article with a login box"])
        collector = Collector(Pipeline(store), fetcher)
        result = IngestResult()
        url = site.base + "/account/login"
        added = collector.ingest_urls([url, site.base + "/news/ferry.html"], result)
        assert len(added) == 1 and store.count_articles() == 1
        walls = [p for p in result.problems if isinstance(p, WallPage)]
        assert [w.wall.kind for w in walls] == ["signin"]
        assert str(walls[0]).startswith(url + ": a sign-in page")
        assert "not stored" in str(walls[0])
        assert store.get_source(url)["status"] == "signin-wall"


def test_an_html_file_or_jsonl_line_that_is_a_sign_in_page_is_a_problem(tmp_path: Path) -> None:
    login = tmp_path / "login.html"
    login.write_text(SIGN_IN_PAGES["heading, not title"], encoding="utf-8")
    items = list(read_file(login))
    assert len(items) == 1 and isinstance(items[0], WallPage)
    assert str(items[0]).startswith(f"{login}: a sign-in page")
    lines = tmp_path / "pages.jsonl"
    lines.write_text(
        json.dumps({"html": NOT_SIGN_IN["article with a login box"]})
        + "\n"
        + json.dumps({"html": SIGN_IN_PAGES["single sign-on"]})
        + "\n",
        encoding="utf-8",
    )
    first, second = read_file(lines)
    assert not isinstance(first, Exception)
    assert isinstance(second, WallPage) and second.where == f"{lines}:2"
    # the CLI: reported as skipped, nothing stored, exit 1 (no input could be read)
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli_app, ["ingest", str(login), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "a sign-in page" in result.output and "login.html" in result.output
    with Store.open(db) as store:
        assert store.count_articles() == 0


def test_an_uploaded_sign_in_page_is_a_problem_of_the_job(tmp_path: Path) -> None:
    """Through the real web app and worker (the models load for the analysis steps)."""
    c = TestClient(create_app(tmp_path / "web.db"), raise_server_exceptions=False)
    page = SIGN_IN_PAGES["script-rendered"].encode()
    job = c.post("/api/ingest", files={"files": ("login.html", page, "text/html")}).json()
    deadline = time.monotonic() + 300
    while job["state"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = c.get(f"/api/jobs/{job['id']}").json()
    assert job["state"] == "done", job
    assert job["added"] == []
    assert len(job["problems"]) == 1
    assert job["problems"][0].startswith("upload:login.html: a sign-in page"), job["problems"]
