"""End to end in headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against a
real server on loopback, over a store analysed once with the full pipeline (the demo corpus, and
the seed reports when ../shared is present). Screenshots go to ``artifacts/web/`` (git-ignored)."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SHOTS = REPO / "artifacts" / "web"  # git-ignored
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(app: object) -> tuple[Any, threading.Thread, str]:
    """A real uvicorn server for ``app`` on a free loopback port, started in a thread."""
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.1)
    return srv, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from newsweave.pipeline import analyze, demo_path
    from newsweave.web import create_app

    tmp = tmp_path_factory.mktemp("e2e")
    db = tmp / "web.db"
    # the demo read from a deep folder, as from an installed package in CI: the page once showed
    # a report's whole path, unbroken, and was 479 px wide on a phone there (and fine locally)
    demo = tmp / "home" / "runner" / "work" / "newsweave" / ".venv" / "lib" / "python3.11"
    demo = demo / "site-packages" / "newsweave" / "demo-corpus-copied-for-this-test"
    shutil.copytree(demo_path(), demo)
    paths: list[str | Path] = [demo]
    if SEEDS.is_dir():
        paths.append(SEEDS)
    analyze(paths, db=db)
    srv, thread, base = _start(create_app(db))
    yield base
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("dialog", lambda d: errors.append("dialog: " + d.message))
    yield pg
    context.close()
    assert errors == []  # no script error, no alert() from injected text


def _story_href(page, server: str, words: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    link = page.locator("a.story-title", has_text=words).first
    href = link.get_attribute("href")
    assert href
    return str(href)


def _biggest_story(page, server: str) -> str:  # type: ignore[no-untyped-def]
    import json

    page.goto(server + "/api/stories")
    data = json.loads(page.locator("body").inner_text())
    items = sorted(data["items"], key=lambda s: -s["articles"])
    if SEEDS.is_dir():  # the seeds' story: the one holding their reports
        seeded = [s for s in items if s["articles"] == len(list(SEEDS.glob("*.txt")))]
        items = seeded or items
    return "/stories/" + items[0]["id"]


def test_story_page_renders(page, server: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server + "/")
    assert page.locator("a.story-title").count() >= 1
    page.screenshot(path=str(SHOTS / "stories.png"), full_page=True)
    page.goto(server + _biggest_story(page, server))
    assert page.locator("#brief li").count() >= 3
    # the citation popover shows the supporting passage
    first = page.locator("#brief .cw").first
    first.locator("button.cite").click()
    pop = first.locator(".pop")
    assert pop.is_visible()
    assert pop.locator("q.passage").count() >= 1
    page.screenshot(path=str(SHOTS / "story-popover.png"))
    page.keyboard.press("Escape")
    page.mouse.move(5, 5)
    # coverage matrix with origin colours and a legend
    assert page.locator("table.matrix tbody tr").count() >= 5
    assert page.locator("table.matrix td.cell.on").count() >= 5
    colour = page.locator("table.matrix td.cell.on").first.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(243, 245, 248)")
    assert page.locator("#coverage .legend-item").count() >= 1
    # timeline and graph drawn
    assert page.locator("svg.timeline rect.mark").count() >= 1
    assert page.locator("#derivation svg.graph, #derivation p.muted").count() >= 1
    # the actor graph: edges link to the relation and the sentences behind it
    edges = page.locator("svg.actor-graph a.edge")
    assert edges.count() >= 3
    target = edges.first.get_attribute("href") or ""
    assert re.fullmatch(r"#s1-rel-\d+", target) and page.locator(f"tr{target}").count() == 1
    page.locator("#actor-graph").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "actor-graph.png"))
    page.screenshot(path=str(SHOTS / "story.png"), full_page=True)
    page.locator("#reports a").first.click()
    page.wait_for_load_state()
    assert page.locator(".text .hl").count() >= 1
    page.screenshot(path=str(SHOTS / "article.png"), full_page=True)


def test_pages_fit_a_phone_without_sideways_scrolling(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    try:
        pg.goto(server + "/")
        story = server + _biggest_story(pg, server)
        pages = [server + "/", story, server + "/ingest"]
        for href in (story, server + _story_href(pg, server, "Osterra")):  # seeds' and demo's
            pg.goto(href)
            pages.append(server + str(pg.locator("#reports a").first.get_attribute("href")))
        for url in pages:
            pg.goto(url)
            width = pg.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{url} is {width} px wide on a 390 px phone"
        pg.goto(story)
        pg.screenshot(path=str(SHOTS / "story-phone.png"), full_page=False)
    finally:
        context.close()


def test_ingest_through_the_page_joins_the_story(page, server: str) -> None:  # type: ignore[no-untyped-def]
    story = _story_href(page, server, "Osterra")
    page.goto(server + story)
    before = int(page.locator("#reports tbody tr, #reports tr[id]").count())
    page.goto(server + "/ingest")
    page.fill("input[name=title]", "Lake Osterra ferry: search for the missing goes on")
    page.fill("input[name=source]", "Lakeside Evening Star")
    page.fill("input[name=published]", "2026-03-05")
    page.fill(
        "textarea[name=text]",
        "Divers searched Lake Osterra again on Thursday for the people still missing after the "
        "ferry Silver Heron capsized on Tuesday night near Port Meridan.\n\n"
        "Governor Maren Kollberg said the Valdoria Maritime Safety Board inquiry would begin next "
        "week. Osterra Lake Lines said the Silver Heron had passed a safety inspection in November.",
    )
    page.click("button[type=submit]")
    page.locator("#progress a.story-link").first.wait_for(timeout=180_000)
    page.screenshot(path=str(SHOTS / "ingest-done.png"))
    href = page.locator("#progress a.story-link").first.get_attribute("href")
    assert href == story
    page.goto(server + story)
    assert page.locator("#reports tr[id]").count() == before + 1 or before == 0
    assert page.locator("#reports", has_text="Lakeside Evening Star").count() == 1


def test_xss_attempt_stays_inert(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/ingest")
    page.fill("input[name=title]", "<script>alert(1)</script>")
    page.fill("input[name=source]", "<img src=x onerror=alert(2)>")
    page.fill(
        "textarea[name=text]",
        "The Brackwell tram depot reopened on Friday after a <b>month</b> of repairs, the city "
        "transport office said. <script>alert(3)</script> Trams will run every ten minutes.",
    )
    page.click("button[type=submit]")
    page.locator("#progress a.story-link").first.wait_for(timeout=180_000)
    page.locator("#progress a.story-link").first.click()
    page.wait_for_load_state()
    assert page.locator("script:not([src])").count() == 0
    assert "<script>alert(1)</script>" in page.locator("#reports").inner_text()
    page.locator("#reports a").first.click()
    page.wait_for_load_state()
    assert page.locator("img").count() == 0
    page.goto(server + "/?q=brackwell")
    assert page.locator(".hit").count() >= 1
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)


def test_reanalyse_through_the_api(server: str) -> None:
    import httpx

    stories = httpx.get(server + "/api/stories").json()["items"]
    sid = stories[0]["id"]
    job = httpx.post(f"{server}/api/stories/{sid}/reanalyse").json()
    for _ in range(600):
        job = httpx.get(f"{server}/api/jobs/{job['id']}").json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.3)
    assert job["state"] == "done" and job["stories"] == [sid]
    assert httpx.get(f"{server}/api/stories/{sid}").json()["fresh"] is True


def test_sign_in_through_the_page_with_the_write_guard(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The sign-in form is a plain form post: the browser must name the page's own origin in
    it (the app's Referrer-Policy lets it; under ``no-referrer`` Chromium sends ``Origin:
    null``, which the write guard refuses), and the cookie it sets opens protected reads.
    A store without models: no analysis is needed for this."""
    from newsweave.web import create_app

    token = "e2e-sign-in-token-4f1c9a"
    srv, thread, base = _start(create_app(tmp_path / "signin.db", token=token, protect_reads=True))
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "/signin")
        page.fill("input[name=token]", token)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        assert "Stories" in page.title()
        assert page.request.get(base + "/api/stories").status == 200  # the cookie is set
    finally:
        context.close()
        srv.should_exit = True
        thread.join(timeout=10)


def test_report_html_fits_a_phone_when_a_sentence_cites_many_reports(
    browser, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A brief sentence of a big story cites a dozen reports: the badges wrap, the page does
    not scroll sideways at 390 px."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from newsweave.report.render import render_html
    from test_render import make_report

    report = make_report()
    extra = [dict(report["articles"][0], id=f"x{k}", path=f"in/extra-{k}.txt") for k in range(14)]
    report["articles"] += extra
    report["stories"][0]["articles"] += [a["id"] for a in extra]
    report["brief"][0]["articles"] += [a["id"] for a in extra]
    out = tmp_path / "report.html"
    out.write_text(render_html(report), encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.goto(out.as_uri())
        assert pg.locator("ol.brief a.cite").count() >= 17
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"report.html is {width} px wide on a 390 px phone"
    finally:
        context.close()
