"""The web app and its JSON API, in process (FastAPI's TestClient over a real store).

A store is written by hand (fictional reports; no models needed) for the fast tests; the slow ones
analyse the demo corpus with the full pipeline and ingest through the API.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from newsweave.cli import app as cli_app
from newsweave.model import (
    Article,
    BriefSentence,
    Claim,
    Conflict,
    ConflictValue,
    Entity,
    Fact,
    Provenance,
    Quote,
    Story,
    StoryAnalysis,
    Unique,
)
from newsweave.store import Store
from newsweave.web import create_app, is_loopback

TOKEN = "test-token-9f3c"
XSS = "<script>alert(1)</script>"


def _article(n: int, text: str, **kw: str) -> Article:
    return Article(
        id=f"a{n:03d}",
        content_hash=f"{n:064x}",
        text=text,
        language="en",
        words=len(text.split()),
        **kw,  # type: ignore[arg-type]
    )


def build_store(path: Path) -> Store:
    store = Store.open(path)
    store.add_article(
        _article(
            1,
            "A fire broke out on the Vellmore quay at dawn on Monday.",
            title=XSS,
            source="Coastline Gazette",
            published="2031-05-05",
        )
    )
    store.add_article(
        _article(
            2,
            "Fire crews from Osterby fought a blaze on the Vellmore quay.",
            title="Quay blaze",
            source=f"Wire {XSS}",
            published="2031-05-06",
        )
    )
    store.add_article(
        _article(
            3,
            'Osterby crews said 14 boats burned. "We saw the flames," said Ada Lorne.',
            title="Boats burned",
            source="Harbour Post",
        )
    )
    ids = ["a001", "a002", "a003"]
    sid = "s-a001"
    store.save_story(Story(id=sid, title="", articles=ids))
    store.save_story_analysis(
        StoryAnalysis(
            story=Story(id=sid, title=f"Quay fire {XSS}", articles=ids),
            entities=[
                Entity(
                    id="e-vellmore",
                    name="Vellmore",
                    type="place",
                    aliases=["Vellmore", "Vellmore town"],
                    articles=ids[:2],
                    mentions=2,
                ),
                Entity(
                    id="e-ada-lorne",
                    name="Ada Lorne",
                    type="person",
                    aliases=["Ada Lorne", "Lorne"],
                    articles=["a003"],
                    mentions=1,
                ),
            ],
            facts=[
                Fact(
                    id="f-1",
                    story=sid,
                    text=f"A fire broke out on the Vellmore quay {XSS}.",
                    claims=[
                        Claim("a001", 0, "A fire broke out on the Vellmore quay at dawn."),
                        Claim("a002", 0, "Fire crews fought a blaze on the Vellmore quay."),
                    ],
                    reports=2,
                    origins=1,
                    status="single-source",
                    entities=["e-vellmore"],
                ),
                Fact(
                    id="f-2",
                    story=sid,
                    text="Fourteen boats burned.",
                    claims=[Claim("a003", 0, "Osterby crews said 14 boats burned.")],
                    reports=1,
                    origins=1,
                    status="contested",
                    entities=["e-ada-lorne"],
                ),
            ],
            quotes=[
                Quote(
                    text="We saw the flames",
                    speaker="e-ada-lorne",
                    articles=["a003"],
                    speaker_name="Ada Lorne",
                )
            ],
            conflicts=[
                Conflict(
                    kind="number",
                    about="f-2",
                    values=[
                        ConflictValue("14", "14 boats", ["a003"]),
                        ConflictValue("12", "12 boats", ["a002"]),
                    ],
                )
            ],
            provenance=[
                Provenance(
                    article="a002", origin="a001", evidence="reuse", detail="shares a passage"
                )
            ],
            brief=[
                BriefSentence(
                    text=f"A fire broke out on the Vellmore quay {XSS}.",
                    articles=["a001", "a002"],
                    facts=["f-1"],
                )
            ],
            unique=[Unique(article="a003", facts=["f-2"])],
        )
    )
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = build_store(tmp_path_factory.mktemp("web") / "web.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False)


def test_stories_api_is_paginated(client: TestClient) -> None:
    data = client.get("/api/stories", params={"limit": 1}).json()
    assert data["total"] == 1 and data["limit"] == 1
    story = data["items"][0]
    assert story["id"] == "s-a001" and story["articles"] == 3
    assert story["first"] == "2031-05-05" and story["last"] == "2031-05-06"
    assert client.get("/api/stories", params={"offset": 5}).json()["items"] == []
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422


def test_story_api_has_matrix_graph_timeline(client: TestClient) -> None:
    data = client.get("/api/stories/s-a001").json()
    assert data["n_origins"] == 2  # a002 reuses a001; a003 stands alone
    rows = {r["id"]: r for r in data["matrix"]["rows"]}
    assert [c["colour"] is not None for c in rows["f-1"]["cells"]] == [True, True, False]
    assert rows["f-1"]["one_origin"] is True
    assert {e["copy"]: e["origin"] for e in data["graph"]["edges"]} == {"a002": "a001"}
    assert [e["value"] for e in data["timeline"]["entries"]] == ["2031-05-05", "2031-05-06"]
    assert data["brief"][0]["articles"] == ["a001", "a002"]
    assert client.get("/api/stories/s-a001/facts", params={"limit": 1}).json()["total"] == 2


def test_story_page_escapes_untrusted_text(client: TestClient) -> None:
    r = client.get("/stories/s-a001")
    assert r.status_code == 200
    assert XSS not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "Brief" in r.text and 'class="matrix"' in r.text and 'class="timeline"' in r.text
    assert "We saw the flames" in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for page in ("/", "/articles/a001", "/entities/e-vellmore", "/?q=quay", "/ingest"):
        r = client.get(page)
        assert r.status_code == 200, page
        assert XSS not in r.text, page


def test_article_page_links_claims_to_facts(client: TestClient) -> None:
    data = client.get("/api/articles/a001").json()
    assert data["article"]["story"] == "s-a001"
    r = client.get("/articles/a001")
    assert "Coastline Gazette" in r.text


def test_entity_page_lists_facts_and_quotes(client: TestClient) -> None:
    data = client.get("/api/entities/e-ada-lorne").json()
    assert data["name"] == "Ada Lorne" and data["aliases"] == ["Lorne"]
    story = data["stories"][0]
    assert [f["id"] for f in story["facts"]] == ["f-2"]
    assert story["quotes"][0]["text"] == "We saw the flames"


def test_search_api(client: TestClient) -> None:
    facts = client.get("/api/search", params={"q": "vellmore", "kind": "fact"}).json()
    assert [h["id"] for h in facts["items"]] == ["f-1"]
    arts = client.get("/api/search", params={"q": "osterby", "kind": "article"}).json()
    assert {h["id"] for h in arts["items"]} == {"a002", "a003"}
    assert client.get("/api/search", params={"q": '"(NEAR', "kind": "article"}).status_code == 200


def test_exports(client: TestClient) -> None:
    j = client.get("/api/stories/s-a001/export.json")
    assert j.json()["schema"] == "newsweave.report/1"
    md = client.get("/api/stories/s-a001/export.md")
    assert md.status_code == 200 and "Vellmore" in md.text and XSS not in md.text
    html = client.get("/api/stories/s-a001/export.html")
    assert XSS not in html.text
    csv = client.get("/api/stories/s-a001/export.facts.csv").text.splitlines()
    assert csv[0].startswith("id,story,text") and len(csv) == 3
    ents = client.get("/api/stories/s-a001/export.entities.csv").text
    assert "Ada Lorne" in ents
    assert client.get("/api/stories/s-a001/export.exe").status_code == 422


def test_errors_are_generic(client: TestClient) -> None:
    for url in (
        "/stories/s-nope",
        "/api/stories/s-nope",
        "/articles/zzz",
        "/entities/e-x",
        "/nope",
    ):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "Traceback" not in r.text
    r = client.get("/api/stories/..%2F..%2Fetc%2Fpasswd")
    assert r.status_code in (404, 422)
    assert client.get("/static/../store/sql.py").status_code == 404


def test_writes_need_the_token(client: TestClient, store: Store) -> None:
    assert client.post("/api/ingest", data={"text": "x"}).status_code == 401
    assert client.delete("/api/stories/s-a001").status_code == 401
    bad = {"Authorization": "Bearer wrong"}
    assert client.post("/api/stories/s-a001/reanalyse", headers=bad).status_code == 401
    ok = {"Authorization": f"Bearer {TOKEN}"}
    # checked before anything runs: type and size limits
    r = client.post(
        "/api/ingest", headers=ok, files={"files": ("x.exe", b"MZ", "application/octet-stream")}
    )
    assert r.status_code == 415
    r = client.post("/api/ingest", headers=ok, data={"text": ""})
    assert r.status_code == 400
    assert store.get_story("s-a001")  # nothing deleted


def test_body_limit(store: Store) -> None:
    small = TestClient(create_app(store, token=TOKEN, max_body=1000), raise_server_exceptions=False)
    r = small.post("/api/ingest", headers={"X-Newsweave-Token": TOKEN}, data={"text": "x" * 5000})
    assert r.status_code == 413


def test_reads_can_be_protected(store: Store) -> None:
    c = TestClient(
        create_app(store, token=TOKEN, protect_reads=True), raise_server_exceptions=False
    )
    assert c.get("/api/stories").status_code == 401
    assert c.get("/api/stories", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    r = c.post("/signin", data={"token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/").status_code == 200  # the cookie the sign-in set


def test_loopback_and_serve_refuses_open_host(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    result = CliRunner().invoke(
        cli_app,
        ["serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0"],
        env={"NEWSWEAVE_TOKEN": ""},
    )
    assert result.exit_code == 2
    assert "needs a token" in result.output


def test_fuzz_openapi_no_server_error(client: TestClient) -> None:
    """Every operation of the generated OpenAPI schema, with generated inputs: never a 5xx."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            response = case.call()
            assert response.status_code < 500, (case.method, case.formatted_path, response.text)

        check()


def test_delete_story_with_the_token(tmp_path: Path) -> None:
    with build_store(tmp_path / "del.db") as store:
        c = TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False)
        assert c.get("/stories/s-a001").status_code == 200  # cached view
        r = c.delete("/api/stories/s-a001", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200
        assert c.get("/stories/s-a001").status_code == 404  # the cache was dropped
        assert c.get("/api/stories").json()["total"] == 0
        assert (
            c.delete(
                "/api/stories/s-a001", headers={"Authorization": f"Bearer {TOKEN}"}
            ).status_code
            == 404
        )


def test_cross_site_writes_and_unknown_hosts_are_refused(store: Store) -> None:
    c = TestClient(create_app(store, hosts=["testserver"]), raise_server_exceptions=False)
    r = c.post("/api/ingest", data={"text": ""}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    r = c.post("/api/ingest", data={"text": ""}, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = c.post("/api/ingest", data={"text": ""}, headers={"Origin": "http://testserver"})
    assert r.status_code == 400  # same site: on to the handler (nothing to ingest)
    assert c.get("/", headers={"Host": "rebound.example"}).status_code == 400
    assert c.get("/").headers["x-frame-options"] == "DENY"


def test_writes_from_an_opaque_or_other_origin_are_refused(store: Store) -> None:
    """Origin must be this server's own scheme, host and port; ``Origin: null`` (a sandboxed
    frame, a data: page) is refused even without Sec-Fetch-Site; without Origin, Referer is
    checked the same way. A write naming no origin at all (curl) goes on to the handler."""
    c = TestClient(create_app(store), raise_server_exceptions=False)  # http://testserver

    def post(**headers: str) -> int:
        return c.post("/api/ingest", data={"text": ""}, headers=headers).status_code

    refused = [
        {"Origin": "null"},
        {"Origin": "NULL"},
        {"Origin": ""},
        {"Origin": "https://testserver"},  # another scheme
        {"Origin": "http://testserver:8080"},  # another port
        {"Origin": "http://testserver.evil.example"},
        {"Origin": "file://"},
        {"Referer": "https://testserver/ingest"},
        {"Referer": "http://evil.example/ingest"},
        {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
    ]
    for headers in refused:
        assert post(**headers) == 403, headers
    r = c.post("/api/ingest", data={"text": ""}, headers={"Origin": "null"})
    assert "cross-site request refused" in r.json()["detail"]
    # same origin (the default port written out or not), or no origin at all: the handler
    # answers (400: nothing to ingest)
    for headers in (
        {"Origin": "http://testserver"},
        {"Origin": "http://TestServer:80"},
        {"Referer": "http://testserver/ingest"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        {},
    ):
        assert post(**headers) == 400, headers
    # the pages ask browsers to name the origin on the app's own posts
    assert c.get("/").headers["referrer-policy"] == "same-origin"


def test_the_origin_check_uses_the_scheme_the_server_sees(store: Store) -> None:
    """Over https (directly, or behind a trusted proxy that says so in X-Forwarded-Proto, as
    uvicorn's proxy-header handling reads it), an http Origin is another origin."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    tls = TestClient(
        create_app(store), base_url="https://testserver", raise_server_exceptions=False
    )
    ok = tls.post("/api/ingest", data={"text": ""}, headers={"Origin": "https://testserver"})
    assert ok.status_code == 400
    bad = tls.post("/api/ingest", data={"text": ""}, headers={"Origin": "http://testserver"})
    assert bad.status_code == 403
    proxied = TestClient(
        ProxyHeadersMiddleware(create_app(store), trusted_hosts=["testclient"]),
        raise_server_exceptions=False,
    )
    forwarded = {"X-Forwarded-Proto": "https", "Origin": "https://testserver"}
    assert proxied.post("/api/ingest", data={"text": ""}, headers=forwarded).status_code == 400
    plain = {"X-Forwarded-Proto": "https", "Origin": "http://testserver"}
    assert proxied.post("/api/ingest", data={"text": ""}, headers=plain).status_code == 403


def test_serve_beyond_loopback_needs_a_strong_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-character, blank, padded or repetitive token is refused on a public host, with a
    message naming the setting; a strong one starts the server (uvicorn.run, recorded here)."""
    import uvicorn

    started: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(kw))
    db = str(tmp_path / "x.db")

    def serve(host: str, token: str | None, env_token: str = "") -> tuple[int, str]:
        args = ["serve", "--db", db, "--host", host]
        if token is not None:
            args += ["--token", token]
        result = CliRunner().invoke(cli_app, args, env={"NEWSWEAVE_TOKEN": env_token})
        return result.exit_code, " ".join(result.output.split())

    for bad in (
        "x",
        " ",
        "   ",
        "short-token-12",
        "a" * 40,
        "abab" * 8,
        " padded-token-0123456789 ",
    ):
        code, output = serve("0.0.0.0", bad)
        assert code == 2, (bad, output)
        assert "--token" in output and "NEWSWEAVE_TOKEN" in output, output
    code, output = serve("0.0.0.0", None, env_token="x")  # the environment variable too
    assert code == 2 and "at least 16 characters" in output, output
    code, output = serve("0.0.0.0", "y" * 3, env_token="")
    assert "this one has 3 characters" in output
    assert started == []
    code, output = serve("0.0.0.0", "Jx8v-2QpLr_0aZk4")  # 16 characters
    assert code == 0, output
    code, output = serve("192.168.1.4", None, env_token="a-strong-token-from-the-environment")
    assert code == 0, output
    code, output = serve("127.0.0.1", None)  # loopback: no token needed
    assert code == 0, output
    code, output = serve("127.0.0.1", "  ")  # ... but a blank one is a mistake
    assert code == 2 and "blank" in output, output
    assert [kw["host"] for kw in started] == ["0.0.0.0", "192.168.1.4", "127.0.0.1"]


class _NoModels:
    """A pipeline factory for tests that only look at what the web layer accepts: the job it
    queues fails at once (no language models are loaded)."""

    def __call__(self, store: Store) -> object:
        from newsweave.errors import ModelError

        raise ModelError("no models in this test")


def test_a_paste_up_to_the_character_limit_is_accepted_whatever_its_bytes(store: Store) -> None:
    """The documented limit is 1,000,000 characters: a paste of that many characters of up to
    4 bytes each in UTF-8 gets past the form parser (its per-field limit was 1 MB), and a longer
    one is refused with 413 and a message naming the limit, on the API and on the page."""
    from newsweave.web.app import MAX_PASTE

    c = TestClient(create_app(store, pipeline_factory=_NoModels()), raise_server_exceptions=False)
    for char in ("a", "é", "€", "😀"):  # 1 to 4 bytes in UTF-8
        text = char * MAX_PASTE
        r = c.post("/api/ingest", files={"text": (None, text)})
        assert r.status_code == 202, (char, r.text[:200])
        r = c.post("/ingest", files={"text": (None, text)}, follow_redirects=False)
        assert r.status_code == 303, (char, r.text[:200])
    for text in ("a" * 1_200_000, "😀" * (MAX_PASTE + 1)):
        r = c.post("/api/ingest", files={"text": (None, text)})
        assert r.status_code == 413, r.text[:200]
        assert "the limit is 1,000,000 characters" in r.json()["detail"]
        page = c.post("/ingest", files={"text": (None, text)})
        assert page.status_code == 413
        assert "the limit is 1,000,000 characters" in page.text
    assert "up to 1,000,000 characters" in c.get("/ingest").text


def test_an_oversized_chunked_body_gets_413(store: Store) -> None:
    """A body sent without Content-Length (chunked) that grows over the limit is refused with
    413 and a message naming the limit, not the parser's generic 400."""
    c = TestClient(
        create_app(store, max_body=200_000, pipeline_factory=_NoModels()),
        raise_server_exceptions=False,
    )

    def body() -> Iterator[bytes]:
        yield b'--zzz\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
        for _ in range(10):
            yield b"x" * 50_000
        yield b"\r\n--zzz--\r\n"

    for path in ("/api/ingest", "/ingest"):
        r = c.post(
            path, content=body(), headers={"Content-Type": "multipart/form-data; boundary=zzz"}
        )
        assert "content-length" not in {k.lower() for k in r.request.headers}
        assert r.status_code == 413, (path, r.status_code, r.text[:200])
        assert "request body too large: the limit is 200000 bytes" in r.text
    declared = c.post("/api/ingest", files={"text": (None, "x" * 300_000)})
    assert declared.status_code == 413
    assert declared.json()["detail"] == "request body too large: the limit is 200000 bytes"


def _finished(c: TestClient, job: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while job["state"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = c.get(f"/api/jobs/{job['id']}").json()
    return job


def test_problems_of_an_uploaded_jsonl_name_the_file_and_the_line(tmp_path: Path) -> None:
    """Each problem of an uploaded JSONL names the upload and the line, as the CLI does for a
    file on disk; the good lines are stored (the real pipeline: the models load)."""
    lines = [
        json.dumps(
            {"text": "Crews cleared the Quillon bridge of snow by noon on Monday.", "title": "S"}
        ),
        "{not json",
        "",
        json.dumps({"title": "a line without text"}),
        json.dumps({"text": "   "}),
    ]
    c = TestClient(create_app(tmp_path / "up.db"), raise_server_exceptions=False)
    upload = ("reports.jsonl", ("\n".join(lines) + "\n").encode(), "application/jsonl")
    job = _finished(c, c.post("/api/ingest", files={"files": upload}).json())
    assert job["state"] == "done", job
    assert len(job["added"]) == 1
    problems = job["problems"]
    assert [p.split(": ", 1)[0] for p in problems] == [
        "upload:reports.jsonl:2",
        "upload:reports.jsonl:4",
        "upload:reports.jsonl:5",
    ], problems
    assert "not valid JSON" in problems[0] and "newsweave-upload" not in " ".join(problems)


def test_story_page_timeline_is_labelled_in_words(tmp_path: Path) -> None:
    """The web timeline was bars without words: each event now shows its date as people write
    it, its text and each report's wording, as report.html does."""
    from newsweave.model import TimelineEntry, TimelineExpression

    store = build_store(tmp_path / "tl.db")
    analysis = store.load_story_analysis("s-a001")
    assert analysis is not None
    analysis.timeline = [
        TimelineEntry(
            id="t-1",
            date="2031-05-05",
            precision="day",
            start="2031-05-05",
            end="2031-05-05",
            text="A fire broke out on the Vellmore quay.",
            fact="f-1",
            articles=["a001"],
            expressions=[TimelineExpression("a001", "on Monday", "2031-05-05")],
        )
    ]
    store.save_story_analysis(analysis)
    page = TestClient(create_app(store)).get("/stories/s-a001").text
    store.close()
    assert '<time datetime="2031-05-05">5 May 2031</time>' in page
    assert "A fire broke out on the Vellmore quay." in page and "“on Monday”" in page
    assert 'href="#f-1" class="tl-fact"' in page
