"""Dates on invented text: absolute forms, weekdays against an anchor, tense, roles."""

from __future__ import annotations

import re
from datetime import date

import pytest

from newsweave import timex
from newsweave.model import DateMention, Sentence

# 2025-01-08 is a Wednesday; 2025-01-10 a Friday.
WEDNESDAY = "2025-01-08"
FRIDAY = "2025-01-10"


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for m in re.finditer(r"[^.!?]+[.!?]*", text):
        if m.group(0).strip():
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            out.append(Sentence(index=len(out), start=start, end=m.end(), text=m.group(0).strip()))
    return out


def find(text: str, anchor: str | None) -> list[DateMention]:
    return timex.find(text, sentences(text), anchor=anchor)


def one(text: str, anchor: str | None) -> DateMention:
    found = find(text, anchor)
    assert len(found) == 1, [d.text for d in found]
    return found[0]


def test_weekday_resolved_back_from_anchor() -> None:
    d = one("The Kelm ferry sank on Wednesday.", FRIDAY)
    assert (d.text, d.value) == ("on Wednesday", "2025-01-08")
    # the anchor's own weekday is the anchor day itself
    assert one("The Kelm ferry sank on Wednesday.", WEDNESDAY).value == WEDNESDAY


def test_future_tense_weekday_goes_forward() -> None:
    assert one("Talks will resume on Thursday.", FRIDAY).value == "2025-01-16"
    assert one("The inquiry is due to report on Friday.", WEDNESDAY).value == "2025-01-10"
    assert one("She'll speak in Brask on Friday.", WEDNESDAY).value == "2025-01-10"


def test_until_weekday_goes_forward_and_marks_an_end() -> None:
    d = one("The Brask bridge stays closed until Saturday.", FRIDAY)
    assert d.value == "2025-01-11"
    assert timex.role(d.text) == "end"


def test_said_on_weekday_stays_past_despite_later_future_clause() -> None:
    d = one("The port said on Tuesday that repairs will take weeks.", WEDNESDAY)
    assert d.value == "2025-01-07"


def test_capitalised_last_and_next() -> None:
    found = find("Last Friday the port shut. Next Monday it reopens.", WEDNESDAY)
    assert [(d.text, d.value) for d in found] == [
        ("Last Friday", "2025-01-03"),
        ("Next Monday", "2025-01-13"),
    ]


def test_resolve_weekday_directly() -> None:
    anchor = date(2025, 1, 8)  # Wednesday
    assert timex.resolve_weekday(2, anchor, "last") == date(2025, 1, 1)
    assert timex.resolve_weekday(2, anchor, None) == anchor
    assert timex.resolve_weekday(2, anchor, "next") == date(2025, 1, 15)
    assert timex.resolve_weekday(0, anchor, None, future=True) == date(2025, 1, 13)


def test_month_day_without_year_near_january_goes_to_previous_year() -> None:
    d = one("The Ostra ferry capsized on December 30.", "2025-01-02")
    assert d.value == "2024-12-30"
    assert one("The Ostra ferry capsized on 30 December.", "2025-01-02").value == "2024-12-30"
    assert one("On Dec. 30 the Ostra ferry capsized.", "2025-01-02").value == "2024-12-30"


def test_month_day_without_year_forward_when_future() -> None:
    d = one("By March 3 the repairs should end.", "2025-12-20")
    assert (d.value, timex.role(d.text)) == ("2026-03-03", "end")
    assert one("The Kelm pier will reopen on January 9.", "2024-12-28").value == "2025-01-09"


def test_month_day_in_the_same_year() -> None:
    assert one("The vote was held on 12 May.", "2025-06-01").value == "2025-05-12"


def test_impossible_day_has_no_value() -> None:
    assert one("The sailing on February 30 was cancelled.", "2025-03-01").value is None


def test_iso_date() -> None:
    d = one("The claim was filed 2024-12-11 in Port Ellis.", None)
    assert (d.text, d.value) == ("2024-12-11", "2024-12-11")


def test_month_year_precision() -> None:
    d = one("In December 2024 the Kelm ferry line opened.", None)
    assert d.value == "2024-12"
    assert timex.precision(d.value) == "month"


def test_year_with_preposition() -> None:
    found = find("The museum was founded in 2023. The 2019 season was wet.", None)
    assert [(d.text, d.value) for d in found] == [("in 2023", "2023")]
    assert timex.precision("2023") == "year"


def test_no_anchor_gives_no_value() -> None:
    d = one("The ferry sank on December 30.", None)
    assert d.value is None
    assert one("The ferry sank on Wednesday.", None).value is None


def test_month_alone_needs_an_introducing_word() -> None:
    assert one("A first report is expected by April.", "2025-01-02").value == "2025-04"
    assert one("The port reopened in March.", "2025-06-10").value == "2025-03"
    assert one("The port reopened in November.", "2025-06-10").value == "2024-11"
    assert find("May brings storms to Kelm.", "2025-06-10") == []


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("until Saturday", "end"),
        ("By March 3", "end"),
        ("since May 2020", "start"),
        ("from 2019", "start"),
        ("on Wednesday", "point"),
        ("December 30", "point"),
        ("", "point"),
    ],
)
def test_role(text: str, role: str) -> None:
    assert timex.role(text) == role


def test_role_words_are_part_of_the_span() -> None:
    found = find("The route ran since May 2020 and closed until 2026-02-01.", None)
    assert [(d.text, timex.role(d.text)) for d in found] == [
        ("since May 2020", "start"),
        ("until 2026-02-01", "end"),
    ]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2024-12", "2024-12-11", True),
        ("2024-12-11", "2024-12", True),
        ("2024", "2024-12-11", True),
        ("2024-12-11", "2024-12-11", True),
        ("2024-12", "2024-11-30", False),
        ("2024-12-10", "2024-12-11", False),
        ("2024-1", "2024-12", False),
    ],
)
def test_agree(a: str, b: str, expected: bool) -> None:
    assert timex.agree(a, b) is expected


def test_sentence_index_and_offsets() -> None:
    text = "Divers searched the bay. The ferry sank on Wednesday."
    d = one(text, FRIDAY)
    assert d.sentence == 1
    assert text[d.start : d.end] == d.text
