"""The story timeline (src/newsweave/story/timeline.py): dated events in order, dates that agree merged,
relative dates resolved against each report's own date or an inferred anchor, and marked so."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.pipeline import analyze
from newsweave.report import build_report
from newsweave.store import Store

# Three invented reports of one strike: a dated wire story, an undated rewrite, a dated follow-up.
WIRE = """Harbour strike halts Dunmere port
Published: 2031-03-06

Dockworkers at the port of Dunmere walked off the job on Tuesday, halting all container traffic, the Dunmere Dockers Union said.

The union said the strike began on March 4, 2031 after talks with the Dunmere Port Authority collapsed.

Port director Elsa Varnholm said the authority had offered a 4% raise in February.

The union has promised to stay out until the authority agrees to a new contract, and a court hearing is set for March 20.
"""
REWRITE = """Dunmere port at a standstill as dockers strike

Dockworkers in Dunmere stopped work on Tuesday and the port has been closed since, the Dunmere Dockers Union said.

The strike started in March 2031, after contract talks with the Dunmere Port Authority broke down.

Port director Elsa Varnholm said the authority offered dockers a 4% pay rise in February.

Mediators from the Kelmarsh labour office will meet both sides on Friday, the union said.
"""
FOLLOW_UP = """Dockers' strike enters second week in Dunmere
Published: 2031-03-12

The strike at the port of Dunmere, which began on March 5, 2031, entered its second week on Wednesday, the Dunmere Dockers Union said.

A court hearing on the dispute is set for March 20, a spokesman for the Dunmere Port Authority said.

Port director Elsa Varnholm said the authority had offered a 4% raise in February.

Ferry services to Kelmarsh were suspended two days after talks collapsed, the ferry operator said.

Fuel deliveries to the port were halted three days after the strike began, a supplier said.
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("strike")
    corpus = root / "in"
    corpus.mkdir()
    for name, text in (("a_wire", WIRE), ("b_rewrite", REWRITE), ("c_follow", FOLLOW_UP)):
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    db = root / "strike.db"
    computed = analyze([corpus], db=db)
    with Store.open(db) as store:
        rebuilt = build_report(store)
    assert rebuilt["timeline"] == computed["timeline"]  # stored and reloaded unchanged
    return computed


def _names(report: dict) -> dict[str, str]:
    return {a["id"]: Path(a["path"]).stem for a in report["articles"]}


def _entry(report: dict, date: str, words: str) -> dict:
    found = [e for e in report["timeline"] if e["date"] == date and words in e["text"]]
    assert len(found) == 1, [(e["date"], e["text"]) for e in report["timeline"]]
    return found[0]


@pytest.mark.slow
def test_entries_are_in_date_order_with_interval_and_precision(report: dict) -> None:
    timeline = report["timeline"]
    assert len(report["stories"]) == 1 and timeline
    starts = [e["start"] for e in timeline]
    assert starts == sorted(starts)
    for e in timeline:
        assert e["start"] <= e["end"]
        assert e["date"][:4] == e["start"][:4]
        assert e["precision"] in {"day", "month", "year", "week", "quarter", "season", "half"}
        assert e["id"].startswith("t-") and e["story"] == report["stories"][0]["id"]


@pytest.mark.slow
def test_a_coarser_date_that_agrees_joins_the_finer_one(report: dict) -> None:
    names = _names(report)
    began = _entry(report, "2031-03-04", "strike began on March 4")
    assert began["precision"] == "day"
    assert sorted(names[a] for a in began["articles"]) == ["a_wire", "b_rewrite"]
    wordings = {names[x["article"]]: (x["text"], x["value"]) for x in began["expressions"]}
    assert wordings == {
        "a_wire": ("on March 4, 2031", "2031-03-04"),
        "b_rewrite": ("in March 2031", "2031-03"),
    }
    # another report's other day is another entry, not merged into this one
    other = _entry(report, "2031-03-05", "began on March 5")
    assert [names[a] for a in other["articles"]] == ["c_follow"]


@pytest.mark.slow
def test_relative_dates_resolve_against_each_reports_own_date(report: dict) -> None:
    names = _names(report)
    february = _entry(report, "2031-02", "in February")
    assert february["precision"] == "month"
    assert sorted(names[a] for a in february["articles"]) == ["a_wire", "b_rewrite", "c_follow"]
    # "on Wednesday" in a report of Wednesday 2031-03-12 is that day
    wednesday = _entry(report, "2031-03-12", "second week on Wednesday")
    assert [x["text"] for x in wednesday["expressions"]] == ["on Wednesday"]
    assert not wednesday["inferred"]


@pytest.mark.slow
def test_a_date_resting_only_on_an_inferred_anchor_says_so(report: dict) -> None:
    names = _names(report)
    # the undated rewrite's "on Tuesday" is read against the story's inferred anchor; the wire
    # story dates the same event itself, so the entry is not inferred, but the wording says so
    tuesday = _entry(report, "2031-03-04", "walked off the job on Tuesday")
    assert not tuesday["inferred"]
    notes = {names[x["article"]]: x["note"] for x in tuesday["expressions"]}
    assert notes["a_wire"] is None and "inferred" in notes["b_rewrite"]
    # "on Friday" is in the undated rewrite only: the entry is marked inferred, with the reason
    friday = [e for e in report["timeline"] if "on Friday" in e["text"]]
    assert len(friday) == 1
    assert friday[0]["inferred"] and "inferred from" in friday[0]["note"]
    assert friday[0]["date"] == "2031-03-07"  # the Friday after the anchor 2031-03-06


@pytest.mark.slow
def test_every_entry_is_report_text(report: dict) -> None:
    bodies = [WIRE, REWRITE, FOLLOW_UP]
    for e in report["timeline"]:
        assert any(e["text"] in " ".join(b.split()) or e["text"] in b for b in bodies), e["text"]
        for x in e["expressions"]:
            assert x["text"] in e["text"] or any(x["text"] in b for b in bodies)


@pytest.mark.slow
def test_timeline_is_rendered(report: dict) -> None:
    from newsweave.report.render import render_html, render_markdown

    html = render_html(report)
    assert 'class="timeline"' in html and "2031-03-04" in html
    markdown = render_markdown(report)
    assert "### Timeline" in markdown and "| **February 2031** |" in markdown


@pytest.mark.slow
def test_an_event_anchored_date_resolves_against_the_dated_event(report: dict) -> None:
    names = _names(report)
    ferry = [e for e in report["timeline"] if "two days after talks collapsed" in e["text"]]
    assert len(ferry) == 1
    entry = ferry[0]
    # the talks collapsed on the day the strike began (2031-03-04, in the wire story)
    assert entry["date"] == "2031-03-06" and entry["precision"] == "day"
    assert [names[a] for a in entry["articles"]] == ["c_follow"]
    assert "resolved against 2031-03-04" in entry["note"]
    assert entry["expressions"][0]["text"] == "two days after talks collapsed"
    # the reports disagree on when the strike began (March 4 or 5): no date is guessed
    assert not [e for e in report["timeline"] if "three days after the strike" in e["text"]]
