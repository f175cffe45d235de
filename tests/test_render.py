"""Tests of newsweave.report.render on hand-built reports of fictional events."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from newsweave.report.render import (
    build_view,
    md,
    render_html,
    render_markdown,
    safe_url,
    write_report,
)

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_SOURCE = "[x](javascript:alert(2))"
HOSTILE_QUOTE = '"><img src=x onerror=alert(3)> **bold** `code`'


def make_report() -> dict[str, Any]:
    """A fictional event: the Vellmar harbour bridge closes after a crack is found."""
    return {
        "schema": "newsweave.report/1",
        "generated": "2031-04-02T10:00:00+00:00",
        "generator": "newsweave 0.1.0",
        "articles": [
            {
                "id": "a1",
                "path": "in/north-wire.txt",
                "source": "North Wire",
                "title": "Vellmar closes harbour bridge after crack found",
                "published": "2031-04-01",
                "language": "en",
                "words": 412,
                "credits": [],
            },
            {
                "id": "a2",
                "url": "https://ledger.example/vellmar-bridge?id=7&ref=home",
                "source": "Coastal Ledger",
                "title": "Harbour bridge shut for inspections",
                "published": "2031-04-01",
                "language": "en",
                "words": 388,
                "credits": ["North Wire"],
            },
            {
                "id": "a3",
                "path": "in/times.html",
                "source": "Vellmar Times",
                "title": "Bridge repairs could take months, engineer says",
                "published": "2031-04-02T08:30:00",
                "language": "en",
                "words": 655,
                "credits": [],
            },
            {
                "id": "a4",
                "url": "javascript:alert(4)",
                "source": HOSTILE_SOURCE,
                "title": HOSTILE_TITLE,
                "published": None,
                "language": "en",
                "words": 120,
                "credits": [],
            },
        ],
        "stories": [
            {
                "id": "s-bridge",
                "title": "Vellmar harbour bridge closed",
                "articles": ["a1", "a2", "a3", "a4"],
            }
        ],
        "entities": [
            {
                "id": "e1",
                "name": "Maren Oduya",
                "type": "person",
                "aliases": ["Oduya", "Mayor Oduya"],
                "articles": ["a1", "a2", "a3"],
                "mentions": 7,
                "story": "s-bridge",
            },
            {
                "id": "e2",
                "name": "Vellmar Transit Authority",
                "type": "organisation",
                "aliases": ["VTA"],
                "articles": ["a1", "a3"],
                "mentions": 4,
                "story": "s-bridge",
            },
            {
                "id": "e3",
                "name": "Vellmar",
                "type": "place",
                "aliases": [],
                "articles": ["a1", "a2", "a3", "a4"],
                "mentions": 9,
                "story": "s-bridge",
            },
        ],
        "facts": [
            {
                "id": "f1",
                "story": "s-bridge",
                "text": "The harbour bridge was closed on Tuesday after inspectors found a crack.",
                "claims": [
                    {"article": "a1", "sentence": 0, "text": "The bridge closed on Tuesday."},
                    {"article": "a2", "sentence": 1, "text": "Inspectors shut the bridge."},
                    {"article": "a3", "sentence": 0, "text": "A crack closed the bridge."},
                ],
                "reports": 3,
                "origins": 2,
                "status": "corroborated",
            },
            {
                "id": "f2",
                "story": "s-bridge",
                "text": "The crack is 40 centimetres long.",
                "claims": [
                    {"article": "a1", "sentence": 2, "text": "The crack is 40 centimetres long."},
                    {"article": "a3", "sentence": 4, "text": "A 60 cm crack was found."},
                ],
                "reports": 2,
                "origins": 2,
                "status": "contested",
            },
            {
                "id": "f3",
                "story": "s-bridge",
                "text": "Repairs could take up to four months.",
                "claims": [
                    {"article": "a3", "sentence": 6, "text": "Repairs could take four months."}
                ],
                "reports": 1,
                "origins": 1,
                "status": "single-source",
            },
        ],
        "quotes": [
            {
                "text": "Nobody crosses until we are sure it is safe.",
                "speaker": "e1",
                "speaker_name": "Maren Oduya",
                "articles": ["a1", "a2"],
            },
            {"text": HOSTILE_QUOTE, "speaker": None, "speaker_name": None, "articles": ["a4"]},
        ],
        "conflicts": [
            {
                "kind": "number",
                "about": "f2",
                "values": [
                    {"value": "40 cm", "text": "40 centimetres long", "articles": ["a1"]},
                    {"value": "60 cm", "text": "A 60 cm crack", "articles": ["a3"]},
                ],
            }
        ],
        "provenance": [
            {"article": "a2", "origin": "a1", "evidence": "reuse", "detail": "4 of 6 sentences"},
            {
                "article": "a2",
                "origin": "North Wire",
                "evidence": "credit",
                "detail": "credit line: North Wire",
            },
            {
                "article": "a4",
                "origin": "North Wire",
                "evidence": "attribution",
                "detail": "reports North Wire",
            },
        ],
        "brief": [
            {
                "text": "Vellmar closed its harbour bridge after inspectors found a crack.",
                "articles": ["a1", "a2", "a3"],
                "facts": ["f1"],
            },
            {
                "text": "Reports differ on the crack's length.",
                "articles": ["a1", "a3"],
                "facts": ["f2"],
            },
        ],
        "unique": [{"article": "a3", "facts": ["f3"]}, {"article": "a2", "facts": []}],
        "some_future_field": {"ignored": True},
    }


class _Collector(HTMLParser):
    """Collects ids, same-page links, all hrefs, tags and attributes of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.cites: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        d = {k: v or "" for k, v in attrs}
        self.attrs.extend(d.items())
        if "id" in d:
            self.ids.append(d["id"])
        if "href" in d:
            self.hrefs.append(d["href"])
            if "cite" in d.get("class", "").split():
                self.cites.append((d["href"], d.get("data-tip", "")))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    c.close()
    return c


# --------------------------------------------------------------------------- sections


def test_html_renders_every_section_in_order() -> None:
    html = render_html(make_report())
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert headings == [
        "Brief",
        "Facts",
        "Where reports disagree",
        "Timeline",
        "Quotes",
        "Who and what",
        "Actor graph",
        "Where it comes from",
        "What each report alone adds",
        "Articles",
    ]
    assert "Vellmar harbour bridge closed" in html
    assert "4 articles" in html and "4 outlets" in html
    assert "2031-04-01 – 2031-04-02" in html  # date span, datetime cut to its date
    for text in (
        "Vellmar closed its harbour bridge after inspectors found a crack.",
        "The crack is 40 centimetres long.",
        "60 cm",
        "Nobody crosses until we are sure it is safe.",
        "Maren Oduya",
        "Mayor Oduya",
        "Vellmar Transit Authority",
        "Repairs could take up to four months.",
        "4 of 6 sentences",
        "times.html",
    ):
        assert text in html, text
    assert "in/times.html" not in html  # a file by its name, not the folders before it
    # status badges per status
    assert 'class="badge corroborated"' in html
    assert 'class="badge contested"' in html
    assert 'class="badge single-source"' in html
    # claims per fact are folded
    assert "<details>" in html and "3 claims as worded in each report" in html
    # the future field is ignored, not shown
    assert "some_future_field" not in html


def test_markdown_renders_every_section_in_order() -> None:
    text = render_markdown(make_report())
    headings = re.findall(r"^### (.*)$", text, flags=re.M)
    assert headings == [
        "Brief",
        "Facts",
        "Where reports disagree",
        "Timeline",
        "Quotes",
        "Who and what",
        "Actor graph",
        "Where it comes from",
        "What each report alone adds",
        "Articles",
    ]
    assert text.startswith("# newsweave report\n")
    assert "## Contents" in text
    assert "`corroborated`" in text and "`contested`" in text and "`single source`" in text
    assert "3 reports · 2 independent origins" in text
    assert "| **40 cm** |" in text and "| **60 cm** |" in text
    assert "> — **Maren Oduya**" in text
    assert "Mayor Oduya" in text
    assert "Repairs could take up to four months\\." not in text  # '.' is not escaped
    assert "Repairs could take up to four months." in text


def test_citation_numbers_are_positions_in_articles() -> None:
    view = build_view(make_report())
    brief = view["groups"][0]["brief"]
    assert [c.label for c in brief[0]["cites"]] == ["1", "2", "3"]
    assert [c.href for c in brief[1]["cites"]] == ["#art-1", "#art-3"]
    rows = view["groups"][0]["articles"]
    assert [(r["n"], r["id"]) for r in rows] == [(1, "a1"), (2, "a2"), (3, "a3"), (4, "a4")]


def test_html_links_resolve_to_existing_anchors() -> None:
    page = parse(render_html(make_report()))
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    local = [h for h in page.hrefs if h.startswith("#")]
    assert local, "no same-page links"
    for href in local:
        assert href[1:] in page.ids, href
    # citations show source and title on hover
    tips = dict(page.cites)
    assert tips["#art-2"] == "Coastal Ledger — Harbour bridge shut for inspections"
    assert tips["#art-4"] == f"{HOSTILE_SOURCE} — {HOSTILE_TITLE}"


def test_markdown_links_resolve_to_existing_anchors() -> None:
    text = render_markdown(make_report())
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    targets = re.findall(r"\]\(#([^\s)]+)", text)
    assert targets
    for t in targets:
        assert t in anchors, t
    assert "- Reports differ on the crack's length. [[1]](#art-1)[[3]](#art-3)" in text


def test_conflict_values_name_who_says_which() -> None:
    report = make_report()
    report["conflicts"][0]["values"][1]["articles"] = ["a3", "a2", "a3"]
    text = render_markdown(report)
    row = next(line for line in text.splitlines() if line.startswith("| **60 cm**"))
    assert row.endswith(
        "| [[2]](#art-2) Coastal Ledger — Harbour bridge shut for inspections; "
        "[[3]](#art-3) Vellmar Times — Bridge repairs could take months, engineer says |"
    )
    html = render_html(report)
    conflicts = html.split('id="s1-conflicts"')[1].split('id="s1-quotes"')[0]
    assert conflicts.count('href="#art-3"') == 1
    assert "Coastal Ledger — Harbour bridge shut for inspections</li>" in conflicts


def test_brief_shows_supporting_claims_in_details() -> None:
    html = render_html(make_report())
    brief = html.split('id="s1-brief"')[1].split('id="s1-facts"')[0]
    assert "<summary>Supporting claims</summary>" in brief
    assert "Inspectors shut the bridge." in brief
    assert "A 60 cm crack was found." in brief
    assert 'href="#fact-1"' in brief


def test_provenance_is_grouped_by_origin() -> None:
    view = build_view(make_report())
    origins = view["groups"][0]["provenance"]
    assert [o["label"] for o in origins] == [
        "North Wire",
        "North Wire — Vellmar closes harbour bridge after crack found",
    ]
    wire = origins[0]
    assert not wire["is_article"] and wire["n_articles"] == 2
    assert [d["cite"].label for d in wire["derived"]] == ["2", "4"]
    assert origins[1]["is_article"] and origins[1]["cite"].href == "#art-1"


def test_unique_lists_only_articles_with_facts() -> None:
    view = build_view(make_report())
    unique = view["groups"][0]["unique"]
    assert len(unique) == 1
    assert unique[0]["cite"].label == "3"
    assert unique[0]["facts"][0]["text"] == "Repairs could take up to four months."


# --------------------------------------------------------------------------- security


def test_html_escapes_hostile_strings() -> None:
    html = render_html(make_report())
    assert HOSTILE_TITLE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    page = parse(html)
    assert page.tags.count("script") == 1  # only our own inline script
    assert not any("alert" in s for s in page.scripts)
    assert "img" not in page.tags
    assert not [k for k, _ in page.attrs if k.startswith("on")]
    for href in page.hrefs:
        assert href.startswith("#") or href.startswith(("http://", "https://")), href
    assert "javascript:alert(4)" in html  # shown as text...
    assert 'href="javascript' not in html  # ...never linked


def test_html_has_no_external_assets() -> None:
    html = render_html(make_report())
    page = parse(html)
    assert "link" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
    assert not [v for k, v in page.attrs if k == "src"]
    assert "<style>" in html and "@import" not in html and "url(" not in html


def test_every_style_rule_is_inside_the_style_element() -> None:
    """No CSS is printed as page text (the timeline rules once sat after ``</style>``)."""
    import re

    html = render_html(make_report())
    outside = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    assert "ol.timeline" not in outside and ".tl-entry" not in outside
    assert html.count("<style>") == html.count("</style>") == 1


def test_markdown_escapes_hostile_strings() -> None:
    text = render_markdown(make_report())
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in text
    assert "](javascript:" not in text
    assert "\\[x\\]\\(javascript:alert\\(2\\)\\)" in text
    assert "\\*\\*bold\\*\\*" in text and "\\`code\\`" in text
    # every raw tag in the output is one of ours
    assert set(re.findall(r"<(/?[a-zA-Z]+)", text)) <= {"a", "/a"}
    # the http URL is linked, with & kept as a query separator in the destination
    assert "](https://ledger.example/vellmar-bridge?id=7&ref=home)" in text


def test_md_escape_function() -> None:
    assert md("a*b_c") == "a\\*b\\_c"
    assert md("<b>&") == "&lt;b&gt;&amp;"
    assert md("1. first") == "1\\. first"
    assert md("line\nbreak | pipe") == "line break \\| pipe"
    assert md("- not a list") == "\\- not a list"
    assert md("+ x") == "\\+ x" and md("= x") == "\\= x" and md("3) x") == "3\\) x"
    assert md("2031-04-01, a-b") == "2031-04-01, a-b"  # inner hyphens stay readable
    assert md("&lt;b&gt;") == "&amp;lt;b&amp;gt;"  # entities shown as written, not decoded
    assert md(None) == ""
    assert md(42) == "42"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/a?b=1&c=2", "https://x.example/a?b=1&c=2"),
        ("http://x.example/a b", None),
        ("https://x.example/(a)", "https://x.example/%28a%29"),
        ('https://x.example/"><script>', "https://x.example/%22%3E%3Cscript%3E"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("//x.example/a", None),
        ("https:///nohost", None),
        (None, None),
        ("", None),
    ],
)
def test_safe_url(url: Any, expected: str | None) -> None:
    assert safe_url(url) == expected


# --------------------------------------------------------------------------- tolerance


def test_empty_lists_say_so_plainly() -> None:
    report = make_report()
    for key in ("conflicts", "quotes", "provenance", "unique", "brief", "entities"):
        report[key] = []
    html = render_html(report)
    text = render_markdown(report)
    for out in (html, text):
        assert "The reports do not disagree on any fact found." in out
        assert "No quotes were found." in out
        assert "No report was traced to another report or to a named source." in out
        assert "No report adds a fact that the others lack." in out
        assert "No brief was written for this story." in out
        assert "No people, organisations or places were found." in out


def test_missing_optional_fields() -> None:
    report = make_report()
    for art in report["articles"]:
        for key in ("path", "url", "published", "language", "words", "credits", "source"):
            art.pop(key, None)
    for fact in report["facts"]:
        for key in ("reports", "origins", "status", "story"):
            fact.pop(key)
    for q in report["quotes"]:
        q.pop("speaker_name")
    for key in ("conflicts", "provenance", "unique", "generated", "generator", "schema"):
        report.pop(key)
    html = render_html(report)
    text = render_markdown(report)
    assert "The reports do not disagree on any fact found." in html
    assert 'class="badge unknown"' in html
    # speaker name falls back to the entity's name
    assert "<strong>Maren Oduya</strong>" in html
    assert "> — **Maren Oduya**" in text
    # facts without a story are placed by their claims' articles
    assert "The crack is 40 centimetres long." in html
    page = parse(html)
    for href in page.hrefs:
        if href.startswith("#"):
            assert href[1:] in page.ids


def test_empty_and_minimal_reports() -> None:
    for report in ({}, {"articles": [], "stories": []}, {"articles": None, "facts": "junk"}):
        html = render_html(report)
        text = render_markdown(report)
        assert "This report has no stories and no articles." in html
        assert "This report has no stories and no articles." in text


def test_unknown_citation_is_unlinked() -> None:
    report = make_report()
    report["brief"][0]["articles"].append("nope")
    html = render_html(report)
    assert '<span class="cite missing" data-tip="article nope is not in this report">?</span>' in (
        html
    )
    assert "\\[?\\]" in render_markdown(report)


def test_articles_without_stories_get_one_group() -> None:
    report = make_report()
    report["stories"] = []
    view = build_view(report)
    assert len(view["groups"]) == 1
    g = view["groups"][0]
    assert g["title"] == "All reports"
    assert len(g["articles"]) == 4 and len(g["facts"]) == 3 and len(g["brief"]) == 2


def test_stories_most_articles_first_and_items_follow_their_story() -> None:
    report = make_report()
    report["articles"].append(
        {"id": "b1", "source": "Dune Post", "title": "Desert rally postponed", "words": 90}
    )
    report["stories"].insert(0, {"id": "s-rally", "title": "Rally postponed", "articles": ["b1"]})
    report["facts"].append(
        {
            "id": "g1",
            "story": "s-rally",
            "text": "The rally moved to May.",
            "claims": [{"article": "b1", "sentence": 0, "text": "It moved to May."}],
        }
    )
    report["brief"].append({"text": "The rally was postponed.", "articles": ["b1"], "facts": []})
    report["quotes"].append({"text": "Too hot.", "speaker_name": "Ilse Varn", "articles": ["b1"]})
    view = build_view(report)
    first, second = view["groups"]
    assert first["title"] == "Vellmar harbour bridge closed"
    assert second["title"] == "Rally postponed"
    assert [f["id"] for f in second["facts"]] == ["g1"]
    assert [b["text"] for b in second["brief"]] == ["The rally was postponed."]
    assert [q["speaker"] for q in second["quotes"]] == ["Ilse Varn"]
    assert second["articles"][0]["n"] == 5
    assert len(first["brief"]) == 2 and len(first["facts"]) == 3
    page = parse(render_html(report))
    assert len(page.ids) == len(set(page.ids))
    for href in page.hrefs:
        if href.startswith("#"):
            assert href[1:] in page.ids


def test_render_does_not_modify_report() -> None:
    report = make_report()
    before = copy.deepcopy(report)
    render_html(report)
    render_markdown(report)
    assert report == before


def test_write_report(tmp_path: Path) -> None:
    report = make_report()
    report["articles"][0]["title"] = "Brücke in Vellmar gesperrt — „Risse“"
    out = tmp_path / "deep" / "out"
    paths = write_report(report, out)
    assert [p.name for p in paths] == ["report.json", "report.md", "report.html"]
    assert all(p.is_file() for p in paths)
    raw = paths[0].read_text(encoding="utf-8")
    assert "Brücke in Vellmar gesperrt — „Risse“" in raw  # ensure_ascii off
    assert raw.startswith('{\n  "schema"')  # indent 2, key order kept
    assert json.loads(raw) == report
    assert "Brücke" in paths[1].read_text(encoding="utf-8")
    assert "Brücke" in paths[2].read_text(encoding="utf-8")


def test_entity_roles_are_shown_and_escaped() -> None:
    from newsweave.report import render_html, render_markdown

    report = {
        "schema": "newsweave.report/1",
        "articles": [{"id": "a1", "path": "a.txt", "title": "T"}],
        "stories": [{"id": "s-a1", "title": "T", "articles": ["a1"]}],
        "entities": [
            {
                "id": "e-x",
                "name": "Mara Lind",
                "type": "person",
                "aliases": ["Lind"],
                "articles": ["a1"],
                "mentions": 2,
                "roles": ["chair of <b>Kelm</b> Port"],
            }
        ],
        "facts": [],
        "quotes": [],
        "conflicts": [],
        "provenance": [],
        "brief": [],
        "unique": [],
    }
    html = render_html(report)
    assert "chair of &lt;b&gt;Kelm&lt;/b&gt; Port" in html and "<b>Kelm</b>" not in html
    assert "chair of" in render_markdown(report) and "<b>" not in render_markdown(report)


def test_a_failed_write_leaves_the_previous_report_whole(tmp_path: Path) -> None:
    """The report files are replaced whole: a write that fails midway (here: the report cannot
    be serialised) leaves the previous files as they were and no temporary file behind."""
    out = tmp_path / "out"
    first = write_report(make_report(), out)
    before = [p.read_bytes() for p in first]
    broken = make_report()
    broken["articles"][0]["title"] = "\ud800"  # a lone surrogate: UTF-8 cannot encode it
    with pytest.raises(UnicodeEncodeError):
        write_report(broken, out)
    assert [p.read_bytes() for p in first] == before
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json", "report.md"]


def test_timeline_dates_read_as_people_write_them() -> None:
    report = make_report()
    report["timeline"] = [
        {
            "story": "s-bridge",
            "date": "2030-SU",
            "precision": "season",
            "role": "start",
            "text": "Inspectors first saw the crack last summer.",
            "fact": "f1",
            "articles": ["a1"],
            "expressions": [{"article": "a1", "text": "last summer", "value": "2030-SU"}],
        }
    ]
    html = render_html(report)
    assert '<time datetime="2030-SU">summer 2030</time>' in html
    text = render_markdown(report)
    row = next(line for line in text.splitlines() if "Inspectors first saw" in line)
    assert row.startswith("| **since summer 2030** |")
    assert "([fact](#" in row and "\\(\\[fact\\]" not in row  # the link is live, not escaped


def test_conflicting_dates_read_as_people_write_them() -> None:
    report = make_report()
    report["conflicts"].append(
        {
            "kind": "date",
            "about": "f1",
            "story": "s-bridge",
            "values": [
                {"value": "2031-03-30", "text": "on Sunday", "articles": ["a1"]},
                {"value": "2031-03-29", "text": "on Saturday", "articles": ["a2"]},
            ],
        }
    )
    html = render_html(report)
    assert "30 March 2031" in html and "29 March 2031" in html


def test_actor_graph_boxes_stay_inside_the_drawing() -> None:
    """A long name's box near the edge was cut off (its half-width wider than the margin)."""
    from newsweave.report.render import GRAPH_WIDTH, graph_layout

    long = "Valdoria Maritime Safety Board of Inquiry"
    rows = [
        {
            "subject": long + f" {k}",
            "subject_id": f"e{k}",
            "object": "Maren Kollberg",
            "object_id": "e-mk",
            "object_is_entity": True,
            "predicate": "question",
            "origins": 1,
            "reports": 1,
            "anchor": f"s1-rel-{k}",
        }
        for k in range(6)
    ]
    drawing = graph_layout(rows)
    assert drawing is not None
    for node in drawing["nodes"]:
        assert node["x"] - node["w"] / 2 >= 0 and node["x"] + node["w"] / 2 <= GRAPH_WIDTH
    assert any(n["title"].startswith(long) and n["label"].endswith("…") for n in drawing["nodes"])


def test_actor_graph_labels_of_one_pair_are_stacked_past_the_arrow() -> None:
    """Two relations between one pair of actors ("direct", "ask") were written over each
    other at the edge's middle, where the arrowhead also sits."""
    from newsweave.report.render import graph_layout

    rows = [
        {
            "subject": "Maren Kollberg",
            "subject_id": "e-mk",
            "object": "Valdoria Maritime Safety Board",
            "object_id": "e-board",
            "object_is_entity": True,
            "predicate": predicate,
            "origins": 1,
            "reports": 1,
            "anchor": f"s1-rel-{k}",
        }
        for k, predicate in enumerate(["direct", "ask"])
    ]
    drawing = graph_layout(rows)
    assert drawing is not None
    first, second = drawing["edges"]
    assert (first["lx"], first["ly"]) != (second["lx"], second["ly"])
    assert abs(first["ly"] - second["ly"]) >= 10  # a line of 10 px type apart
    for e in drawing["edges"]:  # beyond the middle, where the arrowhead is, toward the object
        assert (e["lx"], e["ly"] + 4) != (e["mx"], e["my"])
        assert abs(e["lx"] - e["x2"]) <= abs(e["mx"] - e["x2"])


def test_a_relations_date_reads_as_people_write_it_and_stands_apart() -> None:
    report = make_report()
    report["relations"] = [
        {
            "id": "r1",
            "subject": "e-oduya",
            "predicate": "inspect",
            "object": "the bridge",
            "object_is_entity": False,
            "when": "2025-11",
            "articles": ["a1"],
            "reports": 1,
            "origins": 1,
            "story": "s1",
        }
    ]
    page = render_html(report)
    assert 'the bridge</em> <span class="muted when">· November 2025</span>' in page
    assert "| November 2025 |" in render_markdown(report)
