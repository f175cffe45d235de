"""The bundled demo corpus and the test corpora agree with their expected-account files.

These tests check the fixtures themselves (every snippet, quote and alias the expected files
name is really in the reports), so that pipeline tests written against them test the pipeline.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
DEMO = resources.files("newsweave") / "demo"
DEMO_EXPECTED = json.loads((DATA / "demo_expected.json").read_text(encoding="utf-8"))
TWO = DATA / "two_stories"
TWO_EXPECTED = json.loads((TWO / "expected.json").read_text(encoding="utf-8"))


def _body(name: str) -> str:
    """The readable text of a demo file, whitespace collapsed (HTML: the <article> only)."""
    raw = (DEMO / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        article = raw[raw.index("<article>") : raw.index("</article>")]
        raw = html.unescape(re.sub(r"<[^>]+>", " ", article))
    return re.sub(r"\s+", " ", raw).lower()


def _demo_files() -> list[str]:
    return sorted(
        p.name for p in DEMO.iterdir() if p.name.endswith((".txt", ".md", ".html", ".jsonl"))
    )


def test_demo_files_are_package_data_and_listed() -> None:
    files = _demo_files()
    assert 6 <= len(files) <= 8
    assert sorted(DEMO_EXPECTED["story"]["files"]) == files
    assert sorted(DEMO_EXPECTED["files"]) == files
    formats = {DEMO_EXPECTED["files"][f]["format"] for f in files}
    assert {"text", "markdown", "html"} <= formats


@pytest.mark.parametrize("name", _demo_files())
def test_demo_file_length(name: str) -> None:
    words = len(_body(name).split())
    assert 150 <= words <= 400, f"{name}: {words} words"


def test_markdown_front_matter() -> None:
    md = [f for f, meta in DEMO_EXPECTED["files"].items() if meta["format"] == "markdown"]
    assert len(md) == 1
    text = (DEMO / md[0]).read_text(encoding="utf-8")
    head = text.split("---")[1]
    meta = DEMO_EXPECTED["files"][md[0]]
    assert f"source: {meta['source']}" in head
    assert f"published: {meta['published']}" in head
    assert "title:" in head


@pytest.mark.parametrize("fact", DEMO_EXPECTED["facts"], ids=lambda f: f["id"])
def test_fact_support_is_verbatim(fact: dict) -> None:
    assert sorted(fact["support"]) == fact["files"]
    assert fact["reports"] == len(fact["files"])
    for name, snippet in fact["support"].items():
        assert snippet.lower() in _body(name), f"{fact['id']}: {snippet!r} not in {name}"


def test_fact_origins_follow_origin_groups() -> None:
    group_of = {f: g for g, files in DEMO_EXPECTED["origin_groups"].items() for f in files}
    assert sorted(group_of) == _demo_files()
    for fact in DEMO_EXPECTED["facts"]:
        assert fact["origins"] == len({group_of[f] for f in fact["files"]}), fact["id"]


@pytest.mark.parametrize("quote", DEMO_EXPECTED["quotes"], ids=lambda q: q["text"][:30])
def test_quotes_are_verbatim(quote: dict) -> None:
    words = quote["text"].rstrip(",.").lower()
    for name in quote["files"]:
        assert words in _body(name), f"{quote['text']!r} not in {name}"
        assert quote["speaker_as_written"][name].lower() in _body(name)


def test_conflicting_values_are_in_the_text() -> None:
    death = next(c for c in DEMO_EXPECTED["conflicts"] if c["kind"] == "number")
    low, high = death["values"]
    assert set(low["files"]).isdisjoint(high["files"])
    for name in high["files"]:
        assert high["text"].lower() in _body(name)
    dates = next(c for c in DEMO_EXPECTED["conflicts"] if c["kind"] == "date")
    for value in dates["values"]:
        for name, written in value["as_written"].items():
            assert written.lower() in _body(name)


@pytest.mark.parametrize("entity", DEMO_EXPECTED["entities"], ids=lambda e: e["name"])
def test_entity_aliases_occur(entity: dict) -> None:
    for alias in entity["aliases"]:
        assert any(alias.lower() in _body(f) for f in entity["files"]), alias


def test_dropped_lines_occur_verbatim() -> None:
    for name, meta in DEMO_EXPECTED["files"].items():
        raw = (DEMO / name).read_text(encoding="utf-8")
        for line in meta.get("dropped", []):
            assert line["text"] in raw, (name, line["text"])
        for person in meta.get("not_entities", []):
            assert person in raw


def test_html_boilerplate_is_outside_the_article() -> None:
    name = next(f for f, m in DEMO_EXPECTED["files"].items() if m["format"] == "html")
    raw = (DEMO / name).read_text(encoding="utf-8")
    body = _body(name)
    for phrase in DEMO_EXPECTED["files"][name]["boilerplate_not_in_body"]:
        assert phrase in raw
        if phrase not in ("Related stories", "Storm warning issued for the lakes district"):
            assert phrase.lower() not in body  # <aside> inside <article> holds the other two


def test_two_stories_gold_covers_every_file_once() -> None:
    listed = [f for s in TWO_EXPECTED["stories"].values() for f in s["files"]]
    on_disk = sorted(p.name for p in TWO.glob("*.txt"))
    assert sorted(listed) == on_disk
    assert len(listed) == len(set(listed))
    assert 6 <= len(on_disk) <= 8


def test_two_stories_share_entities_but_not_their_own() -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in TWO.glob("*.txt")}
    stories = TWO_EXPECTED["stories"]
    for entity in TWO_EXPECTED["shared_entities"]:
        for story in stories.values():
            assert any(entity in texts[f] for f in story["files"]), entity
    for key, names in TWO_EXPECTED["distinct_entities"].items():
        own = stories[key]["files"]
        for name in names:
            assert all(name in texts[f] for f in own[:1]), name
