"""The read model (``newsweave.report.view``): one story view behind report.json, report.md,
report.html and the web's story page, so that they state the same origins, facts and conflicts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsweave.model import (
    Article,
    Claim,
    Conflict,
    ConflictValue,
    Fact,
    Provenance,
    Story,
    StoryAnalysis,
)
from newsweave.report import build_report, render_html, render_markdown
from newsweave.report.view import StoryView, load_story_views, report_name
from newsweave.store import Store
from newsweave.story import provenance as prov
from newsweave.web import create_app

SID = "s-wire"


def _article(n: int, text: str, **kw: str) -> Article:
    return Article(
        id=f"w{n:03d}", content_hash=f"{n:064x}", text=text, words=len(text.split()), **kw
    )  # type: ignore[arg-type]


ARTICLES = [
    # the wire's own report, a paper crediting the wire, and an independent report
    _article(1, "Wire copy: the Osterby ferry ran aground.", source="Reuters", title="Aground"),
    _article(
        2,
        "The Osterby ferry ran aground, Reuters reported.",
        source="Coastal Ledger",
        title="Ferry aground",
    ),
    _article(
        3,
        "Our reporter saw the ferry aground with 40 people aboard.",
        path="/home/someone/reports/harbour-notes.txt",
    ),
]
PROVENANCE = [
    Provenance(article="w002", origin="Reuters", evidence="credit", detail="credit: Reuters")
]


def _analysis() -> StoryAnalysis:
    ids = [a.id for a in ARTICLES]
    return StoryAnalysis(
        story=Story(id=SID, title="Ferry aground off Osterby", articles=ids),
        facts=[
            Fact(
                id="f-aground",
                story=SID,
                text="The Osterby ferry ran aground.",
                claims=[Claim(a, 0, "The Osterby ferry ran aground.") for a in ids],
                reports=3,
                origins=2,
                status="corroborated",
            ),
            Fact(
                id="f-aboard",
                story=SID,
                text="40 people were aboard.",
                claims=[Claim("w003", 0, "40 people aboard.")],
                reports=1,
                origins=1,
                status="contested",
            ),
        ],
        conflicts=[
            Conflict(
                kind="number",
                about="f-aboard",
                story=SID,
                values=[
                    ConflictValue("40", "40 people aboard", ["w003"]),
                    ConflictValue("38", "38 passengers", ["w001"]),
                ],
            )
        ],
        provenance=PROVENANCE,
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = Store.open(tmp_path_factory.mktemp("read") / "read.db")
    for a in ARTICLES:
        s.add_article(a)
    s.save_story(Story(id=SID, title="", articles=[a.id for a in ARTICLES]))
    s.save_story_analysis(_analysis())
    yield s
    s.close()


class _Text(HTMLParser):
    """The text a reader sees (no script, style or attribute values)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_origins_are_the_story_stages_groups() -> None:
    """A wire's own report and a report crediting the wire are one origin, as the story stage
    counts them (the web page coloured them as two)."""
    view = StoryView.build(_analysis(), ARTICLES)
    stage = prov.origin_groups(
        [a.id for a in ARTICLES], PROVENANCE, [], {a.id: a.source for a in ARTICLES}
    )
    assert view.origin_of["w001"] == view.origin_of["w002"] != view.origin_of["w003"]
    assert len(view.origins) == len(set(stage.values())) == 2
    same = {(a, b) for a in stage for b in stage if stage[a] == stage[b]}
    assert same == {(a, b) for a in stage for b in stage if view.origin_of[a] == view.origin_of[b]}
    assert view.origins[0].named == ["Reuters"]
    assert view.origin_label(view.origins[1]) == "harbour-notes.txt"


def test_web_page_html_report_and_json_agree(store: Store) -> None:
    report = build_report(store, [SID])
    html = visible(render_html(report))
    text = render_markdown(report)
    client = TestClient(create_app(store))
    api = client.get(f"/api/stories/{SID}").json()
    page = visible(client.get(f"/stories/{SID}").text)

    # origins: report.json's derivation groups are the web's legend and colours
    groups = sorted(sorted(g) for g in report["derivation"][0]["groups"] if g)
    assert groups == sorted(sorted(g["articles"]) for g in api["matrix"]["legend"])
    assert groups == [["w001", "w002"], ["w003"]]
    colours = {c["id"]: c["colour"] for c in api["matrix"]["columns"]}
    assert colours["w001"] == colours["w002"] != colours["w003"]
    assert "2 independent origins" in html and "2 independent origins" in page
    assert "2 independent origins" in text

    # facts and conflicts: the same ones, in the same words
    for fact in report["facts"]:
        assert fact["text"] in html and fact["text"] in page
    assert [f["id"] for f in api["facts"]] == [f["id"] for f in report["facts"]]
    for conflict in report["conflicts"]:
        for value in conflict["values"]:
            assert value["text"] in html and value["text"] in page
    assert api["conflicts"] == report["conflicts"]


def test_reports_are_named_alike_everywhere(store: Store) -> None:
    """By outlet and headline, else by file name: never by an id or a local path."""
    report = build_report(store, [SID])
    client = TestClient(create_app(store))
    outputs = [
        visible(render_html(report)),
        render_markdown(report),
        visible(client.get(f"/stories/{SID}").text),
        visible(client.get("/articles/w003").text),
    ]
    for out in outputs:
        assert "harbour-notes.txt" in out
        assert "/home/someone" not in out
    for out in outputs[:3]:
        assert "Coastal Ledger — Ferry aground" in out
        assert not re.search(r"\bw00[123]\b", out.replace("#w00", "")), "an id shown as a name"


def test_one_report_with_no_outlet_is_counted_as_such(store: Store) -> None:
    report = build_report(store, [SID])
    assert "2 outlets (1 report with no known outlet)" in visible(render_html(report))
    assert "2 outlets (1 report with no known outlet)" in render_markdown(report)


def test_a_story_view_reads_each_analysis_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = Store.load_story_analysis

    def counted(self: Store, story_id: str) -> StoryAnalysis | None:
        calls.append(story_id)
        return real(self, story_id)

    monkeypatch.setattr(Store, "load_story_analysis", counted)
    client = TestClient(create_app(store))
    assert client.get(f"/stories/{SID}").status_code == 200
    assert calls == [SID]
    calls.clear()
    [view] = load_story_views(store, [SID])
    assert calls == [SID] and view.numbers == {"w001": 1, "w002": 2, "w003": 3}


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"source": "AP", "title": "Ferry  aground"}, "AP — Ferry aground"),
        ({"title": "Ferry aground"}, "Ferry aground"),
        ({"source": "AP", "published": "2031-04-02T10:00:00Z"}, "AP, 2031-04-02"),
        ({"source": "AP"}, "AP"),
        ({"path": "C:\\Users\\me\\notes.md"}, "notes.md"),
        ({"path": "/tmp/x/notes.md", "url": "https://e.com/a"}, "notes.md"),
        ({"url": "https://e.com/a"}, "https://e.com/a"),
        ({}, "untitled report"),
    ],
)
def test_report_name(fields: dict[str, str], name: str) -> None:
    assert report_name(**fields) == name


def test_version_is_the_projects() -> None:
    from newsweave.version import __version__

    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert re.search(rf'^version = "{re.escape(__version__)}"$', pyproject, re.MULTILINE)
