"""Dates on invented news text: date lines with their clock, days restated in brackets,
direction by tense and modality, event-anchored days, clock times in two zones."""

from __future__ import annotations

import re

import pytest

from newsweave.document import timex
from newsweave.model import Sentence

# 2031-03-12 is a Wednesday
WEDNESDAY = "2031-03-12"


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for m in re.finditer(r"[^.!?]+[.!?]*", text):
        if m.group(0).strip():
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            out.append(Sentence(index=len(out), start=start, end=m.end(), text=m.group(0).strip()))
    return out


def values(text: str, anchor: str | None = WEDNESDAY) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in timex.tag(text, anchor, sentences(text))]


@pytest.mark.parametrize(
    "line, span, value",
    [
        ("12 March 2031 Last updated at 09:41 GMT", None, "2031-03-12T09:41+00:00"),
        ("March 12, 2031 | Updated 5:03 pm", None, "2031-03-12T17:03"),
        ("Published: 12 March 2031, posted at 10:15", "12 March 2031, posted at 10:15",
         "2031-03-12T10:15"),
    ],
)  # fmt: skip
def test_a_date_lines_day_and_the_clock_of_its_last_edit_are_one_time(
    line: str, span: str | None, value: str
) -> None:
    assert values(line) == [(span or line, value)]


def test_a_day_restated_in_brackets_is_one_expression_on_the_day_written_out() -> None:
    text = "The harbour office said at 08:15 this morning (Tuesday 11 March 2031) that ferries ran."
    assert values(text) == [("08:15 this morning (Tuesday 11 March 2031)", "2031-03-11T08:15")]
    text = "The pier reopened yesterday (March 11th) after repairs."
    assert values(text) == [("yesterday (March 11th)", "2031-03-11")]
    # brackets that hold no day leave the expression as it is
    text = "The pier reopened on Monday (pictured) after repairs."
    assert values(text) == [("Monday", "2031-03-10")]


@pytest.mark.parametrize(
    "text, value",
    [
        # an appointment made in the past is still ahead of the report
        ("Mr Brill was remanded in custody to appear before Ostra Crown Court on 19 March.",
         "2031-03-19"),
        ("The council was preparing for the harbour bylaws to be voted on Thursday.",
         "2031-03-13"),
        ("Brill is to be formally sentenced March 20 by Judge Hale.", "2031-03-20"),
        ("A trial was pencilled in for May, and Brill's due to enter his plea in April.",
         "2031-04"),
        # a past clause without an appointment stays in the past
        ("Brill was formally charged on Thursday.", "2031-03-06"),
    ],
)  # fmt: skip
def test_an_appointment_made_in_the_past_points_forward(text: str, value: str) -> None:
    assert values(text)[-1][1] == value


def test_a_weekday_naming_a_publication_and_a_clock_naming_a_habit_are_no_dates() -> None:
    assert values("The owner of the Ostra Herald and two Sunday papers spoke.") == []
    assert values("Their secret 2 a.m. meetings in a car park went on.") == [
        ("2 a.m.", "XXXX-XX-XXT02:00")
    ]
    # a clock introduced by a preposition is a time of that day
    assert values("The blast at 2 a.m. damaged shops.") == [("2 a.m.", "2031-03-12T02:00")]


def test_a_day_without_its_year_takes_the_year_of_its_month_written_just_before() -> None:
    text = (
        "In November 1998, students occupied the Ostra college. "
        "Fearing unrest, on Nov. 17 the police moved in."
    )
    assert values(text) == [("November 1998", "1998-11"), ("Nov. 17", "1998-11-17")]
    text = "Brill was killed June 24, 2029 while investigating a June 20 robbery."
    assert values(text)[-1] == ("June 20", "2029-06-20")
    # a day of that month in the sentence before is no frame for it, nor a month said in passing
    text = "Brill was born on March 29, 1958. He died on March 10 at home."
    assert values(text)[-1] == ("March 10", "2031-03-10")
    text = "The line opens to riders in March 2033. The first train runs on March 20 for crews."
    assert values(text)[-1] == ("March 20", "2031-03-20")


def test_a_count_from_an_event_the_report_dates_is_a_date() -> None:
    text = (
        "Deputy Varn was shot dead on May 4, 2029. "
        "Friends gathered at the station 48 hours after his death."
    )
    assert values(text)[-1] == ("48 hours after his death", "2029-05-06")
    text = (
        "Kell was convicted in November 2020. "
        "Seven months after the conviction, the governor pardoned him."
    )
    assert values(text)[-1] == ("Seven months after the conviction", "2021-06")
    text = "Police searched for Brill the day before his May 4, 2029 arrest."
    assert values(text) == [("the day before his May 4, 2029", "2029-05-03")]
    # without a day for the event the count stays a duration; hours short of a day are no day
    assert values("The pier reopened three weeks after the storm.") == [("three weeks", "P3W")]
    assert [v for _, v in values("Varn died on May 4, 2029. Six hours after his death, ...")] == [
        "2029-05-04",
        "PT6H",
    ]


def test_a_clock_in_brackets_after_another_is_the_same_moment_in_another_zone() -> None:
    text = "Thieves struck early on Tuesday, at 4:30 a.m. local time (10:30 p.m. ET)."
    assert values(text) == [
        ("early on Tuesday, at 4:30 a.m. local time", "2031-03-11T04:30"),
        ("10:30 p.m. ET)", "2031-03-10T22:30-04:00"),  # the evening before, in New York
    ]
    assert values("The vote closed at 14:00 local time (12:00 GMT).")[-1] == (
        "12:00 GMT)",
        "2031-03-12T12:00+00:00",
    )


def test_a_day_in_a_story_that_never_gives_its_year_keeps_its_day_and_month() -> None:
    assert values("The deputy was shot early Aug. 2 near his home.", None) == [
        ("Aug. 2", "XXXX-08-02")
    ]
    # a blog's stamp: the day and the clock, the year unknown
    found = timex.find("Posted Dec. 18 - 11:14 pm", sentences("Posted Dec. 18 - 11:14 pm"))
    assert [(d.value, d.clock) for d in found] == [("XXXX-12-18", "23:14")]
    assert timex.display("XXXX-12-18") == "18 December"
    # a weekday or a clock alone still needs the report's day
    text = "The deputy was shot on Friday at 7 p.m."
    assert [d.value for d in timex.find(text, sentences(text))] == [None, None]


@pytest.mark.parametrize(
    "text, value",
    [
        ("Repairs end during the week beginning 17 March 2031.", "2031-W12"),
        ("Talks resume the week of March 24.", "2031-W13"),
        ("In the last week of February, the archive opened its files.", "2031-W09"),
        ("The plant closed exactly two years ago.", "2029-03-12"),
        ("The plant closed two years ago.", "2029"),
    ],
)
def test_weeks_named_by_a_day_or_a_month_and_exact_anniversaries(text: str, value: str) -> None:
    assert values(text)[-1][1] == value


def test_a_report_dated_in_the_evening_tells_of_the_next_day_not_six_days_back() -> None:
    text = "The jury ruled on Thursday and the defendant laughed."
    # 2031-03-12 is a Wednesday: posted at 9 p.m., "Thursday" is the day after
    assert values(text, "2031-03-12T21:00") == [("Thursday", "2031-03-13")]
    # posted in the morning, or without a clock, a bare past weekday is the one before
    assert values(text, "2031-03-12T09:00") == [("Thursday", "2031-03-06")]
    assert values(text) == [("Thursday", "2031-03-06")]


def test_a_day_with_an_ordinal_after_this_or_next_is_that_day() -> None:
    assert values("He was shot outside his home this August 2nd.", None) == [
        ("August 2nd", "XXXX-08-02")
    ]
    assert values("The talks open next June 3rd in Ostra.")[-1] == ("June 3rd", "2031-06-03")
    assert values("The talks open next June 3rd in Ostra.", "2031-09-12")[-1] == (
        "June 3rd",
        "2032-06-03",
    )
