"""The tagger keeps its rules' matches for the texts tagged last: tagging a text again against
another day (what the story stage does to place an undated report) gives what a fresh tagging
gives, and the days placed are those the tagger gave before it kept them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from newsweave.document.timex import find
from newsweave.document.timex import rules as timex_rules
from newsweave.model import Article, ArticleAnalysis, Sentence
from newsweave.story.story_dates import _report_anchors, resolve_dates

TEXTS = [
    "Flood water breached the Varna levee on Thursday, forcing 3,000 people from their homes, "
    "officials said. The river crested at 6.2 metres on Friday. Repairs to the levee will begin "
    "on Monday, the mayor said.",
    "Crews shored up the Varna levee yesterday, a day after the river crested. Officials said on "
    "Tuesday that 3,000 people had left their homes since Thursday; a review is due by May 3.",
    "The bank manager arrested in Lyre on 03/04/31 was charged late Friday night (2:40 a.m. "
    "GMT). He will be sentenced next month, three weeks after the hearing of April 2, 2031.",
]


def _sentences(text: str) -> list[Sentence]:
    return [
        Sentence(i, m.start(), m.end(), m.group(0))
        for i, m in enumerate(re.finditer(r"[^.]+\.?", text))
        if m.group(0).strip()
    ]


def _fresh(text: str, anchor: date | None, kind: str) -> list[timex_rules.Timex]:
    timex_rules._scanned.cache_clear()
    return timex_rules.tag(text, anchor, _sentences(text), kind)


@pytest.mark.parametrize("kind", ["own", "estimate", "bound", "year"])
def test_a_text_tagged_again_against_other_days_is_tagged_as_afresh(kind: str) -> None:
    days = [None, *(date(2031, 4, 8) + timedelta(days=k) for k in range(0, 9))]
    expected = {(t, d): _fresh(t, d, kind) for t in TEXTS for d in days}
    timex_rules._scanned.cache_clear()
    # the texts in turns, so that each is tagged again while the others' matches are kept
    for d in days:
        for t in TEXTS:
            assert timex_rules.tag(t, d, _sentences(t), kind) == expected[t, d]
    assert timex_rules._scanned.cache_info().hits > 0


def test_equal_texts_read_as_one_and_different_texts_apart() -> None:
    a = TEXTS[0]
    b = "".join(list(a))  # an equal text in another string object
    assert a == b and a is not b
    first = timex_rules.tag(a, date(2031, 4, 12))
    assert timex_rules.tag(b, date(2031, 4, 12)) == first
    other = TEXTS[0].replace("Thursday", "Wednesday")
    assert next(t.text for t in timex_rules.tag(other, date(2031, 4, 12))) == "Wednesday"


def _report(aid: str, text: str, published: str | None = None) -> tuple[Article, ArticleAnalysis]:
    sentences = _sentences(text)
    analysis = ArticleAnalysis(article=aid, version="t", sentences=sentences)
    analysis.dates = find(text, sentences, anchor=published)
    return Article(id=aid, content_hash=aid, text=text, published=published), analysis


_EVENTS = "the story's other reports (the days they give its events)"
_LIKE = "the story's report most like it"

# one dated wire report and four undated ones; the expected days are those the tagger gave
# before it kept its matches (each candidate day tagged the whole report afresh)
FLOOD = [
    _report("wire", TEXTS[0], "2031-04-12"),
    _report(
        "local",
        "The Varna levee gave way on April 10, 2031, after days of rain. Volunteers filled "
        "sandbags through the night on Friday and into Saturday morning.",
    ),
    _report(
        "late",
        "Residents returned on Sunday to homes the flood water reached after the Varna levee "
        "breached on Thursday. The river crested on Friday, officials said, and the mayor said "
        "repairs begin Monday.",
    ),
    _report(
        "yday",
        "Crews shored up the Varna levee yesterday, a day after the river crested at 6.2 metres. "
        "Officials said on Tuesday that 3,000 people had left their homes since Thursday.",
    ),
    _report("none", "A fund for the flood victims opened on Wednesday, the charity said."),
]

# no report dated: the days written with their year are the events
FRAUD = [
    _report(
        "a",
        "Police arrested the bank manager in Lyre on March 3, 2031. He appeared in court on "
        "Friday.",
    ),
    _report(
        "b",
        "The bank manager arrested in Lyre on Monday was charged with fraud yesterday, police "
        "said.",
    ),
    _report(
        "c",
        "The bank manager charged with fraud in Lyre appeared in court on Friday and will "
        "return on Tuesday.",
    ),
]


def _values(reports: list[tuple[Article, ArticleAnalysis]]) -> dict[str, str | None]:
    arts, ans = zip(*reports, strict=True)
    return {
        f"{aid}:{d.text}": d.value
        for (aid, _), items in resolve_dates(list(arts), list(ans)).items()
        for d, _ in items
    }


@pytest.mark.parametrize("cleared", [True, False])
def test_the_days_placed_are_those_placed_before(cleared: bool) -> None:
    if cleared:
        timex_rules._scanned.cache_clear()
    arts, ans = zip(*FLOOD, strict=True)
    assert _report_anchors(list(arts), list(ans)) == {
        "late": ("2031-04-15", _EVENTS),
        "yday": ("2031-04-15", _EVENTS),
        "local": ("2031-04-15", _LIKE),
        "none": ("2031-04-15", _LIKE),
    }
    assert _values(FLOOD) == {
        "late:on Sunday": "2031-04-13",
        "late:on Thursday": "2031-04-10",
        "late:on Friday": "2031-04-11",
        "late:Monday": "2031-04-14",
        "local:on April 10, 2031": "2031-04-10",
        "local:through the night": "2031-04-10",
        "local:on Friday": "2031-04-11",
        "local:Saturday morning": "2031-04-12",
        "none:on Wednesday": "2031-04-09",
        "wire:on Thursday": "2031-04-10",
        "wire:on Friday": "2031-04-11",
        "wire:on Monday": "2031-04-14",
        "yday:yesterday": "2031-04-14",
        "yday:on Tuesday": "2031-04-15",
        "yday:since Thursday": "2031-04-10",
    }
    arts, ans = zip(*FRAUD, strict=True)
    assert _report_anchors(list(arts), list(ans)) == {
        "b": ("2031-03-04", _EVENTS),
        "a": ("2031-03-04", _LIKE),
        "c": ("2031-03-04", _LIKE),
    }
    assert _values(FRAUD) == {
        "a:on March 3, 2031": "2031-03-03",
        "a:on Friday": "2031-02-28",
        "b:on Monday": "2031-03-03",
        "b:yesterday": "2031-03-03",
        "c:on Friday": "2031-03-07",
        "c:on Tuesday": "2031-03-04",
    }
