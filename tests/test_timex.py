"""Dates on invented text: absolute forms, weekdays against an anchor, tense, roles."""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from newsweave.document import timex
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
    found = find("The museum was founded in 2023. Sales reached 2019 units.", None)
    assert [(d.text, d.value) for d in found] == [("in 2023", "2023")]
    assert timex.precision("2023") == "year"


def test_no_anchor_gives_no_value() -> None:
    # without any year the day of the month is still known: TIMEX3 writes the year as XXXX
    d = one("The ferry sank on December 30.", None)
    assert d.value == "XXXX-12-30"
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


# --------------------------------------------------------------------------- TIMEX3 coverage
# Anchor 2025-01-08 is a Wednesday (ISO week 2025-W02).


def tags(text: str, anchor: str | None = WEDNESDAY) -> list[tuple[str, str, str | None]]:
    return [(t.text, t.type, t.value) for t in timex.tag(text, anchor)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kelm ferry ran for 34 months.", [("34 months", "DURATION", "P34M")]),
        ("It took a five-year plan.", [("five-year", "DURATION", "P5Y")]),
        ("Over the past three years the Brask mill grew.", [("the past three years", "DURATION", "P3Y")]),
        ("The pier was shut for years.", [("years", "DURATION", "PXY")]),
        ("Talks lasted several months.", [("several months", "DURATION", "PXM")]),
        ("The storm lasted two hours.", [("two hours", "DURATION", "PT2H")]),
        ("The Ostra mayor is twenty-four years old.", [("twenty-four years old", "DURATION", "P24Y")]),
    ],
)  # fmt: skip
def test_durations(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert tags(text) == expected


def test_duration_range_keeps_both_bounds() -> None:
    (t,) = timex.tag("Repairs to the Kelm pier will take six to nine months.", WEDNESDAY)
    assert (t.text, t.type, t.value, t.value_max) == (
        "six to nine months",
        "DURATION",
        "P6M",
        "P9M",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kelm ferry was launched 34 months ago.", ("34 months ago", "2022-03")),
        ("Divers left three weeks ago.", ("three weeks ago", "2024-W51")),
        ("The mill closed two days ago.", ("two days ago", "2025-01-06")),
        ("The mill closed a year ago.", ("a year ago", "2024")),
        ("The pier shut three weeks after March 3, 2024.", ("three weeks after March 3, 2024", "2024-03-24")),
        ("It opened two weeks before June 10, 2024.", ("two weeks before June 10, 2024", "2024-05-27")),
    ],
)  # fmt: skip
def test_offsets_anchored(text: str, expected: tuple[str, str]) -> None:
    (t,) = timex.tag(text, WEDNESDAY)
    assert (t.text, t.type, t.value) == (expected[0], "DATE", expected[1])


def test_offset_after_an_event_stays_a_duration() -> None:
    assert tags("The pier reopened three weeks after the storm.") == [
        ("three weeks", "DURATION", "P3W")
    ]


def test_offset_without_anchor_has_no_value() -> None:
    assert tags("The mill closed 34 months ago.", None) == [("34 months ago", "DATE", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sales at the Brask mill fell last month.", [("last month", "DATE", "2024-12")]),
        ("The Kelm line will grow next year.", [("next year", "DATE", "2026")]),
        ("This week the council met.", [("This week", "DATE", "2025-W02")]),
        ("The vote was yesterday.", [("yesterday", "DATE", "2025-01-07")]),
        ("The vote is today.", [("today", "DATE", "2025-01-08")]),
        ("The ferry sails tonight.", [("tonight", "TIME", "2025-01-08TNI")]),
        ("The ferry sails tomorrow morning.", [("tomorrow morning", "TIME", "2025-01-09TMO")]),
        ("Last night the storm hit.", [("Last night", "TIME", "2025-01-07TNI")]),
        ("Earlier this year the port reopened.", [("Earlier this year", "DATE", "2025")]),
        ("The dock was rebuilt late last year.", [("late last year", "DATE", "2024")]),
        ("Over the weekend the ferry was stuck.", [("the weekend", "DATE", "2025-W01-WE")]),
        ("The port is now closed.", [("now", "DATE", "PRESENT_REF")]),
    ],
)  # fmt: skip
def test_relative_to_the_anchor(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert tags(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ferry ran in the summer of 2023.", ("the summer of 2023", "2023-SU")),
        ("The ferry ran last summer.", ("last summer", "2024-SU")),
        ("The ferry will run next spring.", ("next spring", "2025-SP")),
        ("The ice is thick this winter.", ("this winter", "2024-WI")),
        ("Profits rose in the third quarter.", ("the third quarter", "2024-Q3")),
        ("Profits rose in Q2 2023.", ("Q2 2023", "2023-Q2")),
        ("Profits fell last quarter.", ("last quarter", "2024-Q4")),
        ("Profits fell in the fourth quarter of last year.", ("the fourth quarter of last year", "2024-Q4")),
        ("Profits fell in the first half of 2022.", ("the first half of 2022", "2022-H1")),
        ("The Kelm pier opened in September 2022.", ("September 2022", "2022-09")),
        ("The mill was busy in the 1990s.", ("the 1990s", "199")),
        ("The mill was busy in the '80s.", ("the '80s", "198")),
        ("The mill was busy in the early 1970s.", ("the early 1970s", "197")),
        ("The mill was busy in the nineties.", ("the nineties", "199")),
        ("The mill opened in the 19th century.", ("the 19th century", "18")),
        ("The mill reopened in mid-2023.", ("mid-2023", "2023")),
    ],
)  # fmt: skip
def test_seasons_quarters_months_decades(text: str, expected: tuple[str, str]) -> None:
    (t,) = timex.tag(text, WEDNESDAY)
    assert (t.text, t.value) == expected
    assert t.type == "DATE"


def test_fall_as_a_verb_is_not_a_season() -> None:
    assert tags("Prices fell in the fall, and may fall again.") == []


def test_month_resolution_by_tense() -> None:
    assert one("The Brask port reopened in March.", "2025-06-10").value == "2025-03"
    assert one("The Brask port will reopen in March.", "2025-06-10").value == "2026-03"
    assert one("The Brask port shut last June.", "2025-06-10").value == "2024-06"
    assert one("The Brask port opens next June.", "2025-06-10").value == "2026-06"


def test_second_month_of_a_pair() -> None:
    found = find("The Ostra ferry ran in March and June.", "2025-07-01")
    assert [(d.text, d.value) for d in found] == [("in March", "2025-03"), ("June", "2025-06")]


def test_clock_times_join_their_day() -> None:
    assert tags("The vote was held at 3 p.m. on Tuesday.") == [
        ("3 p.m. on Tuesday", "TIME", "2025-01-07T15:00")
    ]
    assert tags("The shop opens at 9:30 am.") == [("9:30 am", "TIME", "2025-01-08T09:30")]
    assert tags("The bell rang at noon.") == [("noon", "TIME", "2025-01-08T12:00")]
    assert tags("Wednesday night was calm.") == [("Wednesday night", "TIME", "2025-01-08TNI")]
    assert tags("I am sure 7 men came.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kelm ferry sails every week.", ("every week", "P1W")),
        ("The market opens every Wednesday.", ("every Wednesday", "XXXX-WXX-3")),
        ("The census runs every two years.", ("every two years", "P2Y")),
        ("The bus runs daily.", ("daily", "P1D")),
        ("The council met twice a week.", ("twice a week", "P1W")),
        ("The line carried 15 passengers a day.", ("a day", "P1D")),
        ("The council meets on Mondays.", ("Mondays", "XXXX-WXX-1")),
    ],
)
def test_sets(text: str, expected: tuple[str, str]) -> None:
    (t,) = timex.tag(text, WEDNESDAY)
    assert (t.text, t.type, t.value) == (expected[0], "SET", expected[1])


def test_anaphoric_days_follow_the_latest_date() -> None:
    assert tags("The crash was on Monday. The next day divers came. That same day it rained.") == [
        ("Monday", "DATE", "2025-01-06"),
        ("The next day", "DATE", "2025-01-07"),
        ("That same day", "DATE", "2025-01-06"),
    ]


def test_find_returns_points_only_with_their_type() -> None:
    text = "The Kelm pier shut for 34 months, weekly, until yesterday evening; it is now open."
    found = find(text, WEDNESDAY)
    assert [(d.text, d.type, d.value, d.clock) for d in found] == [
        ("until yesterday evening", "TIME", "2025-01-07", "EV")
    ]
    assert timex.role(found[0].text) == "end"
    (d,) = find("The shooting was reported at about 10:30 a.m. on Monday.", WEDNESDAY)
    assert (d.value, d.clock) == ("2025-01-06", "10:30")


def test_tag_extent_leaves_out_the_introducing_word() -> None:
    (t,) = timex.tag("The pier shut until May 5, 2024.", None)
    assert (t.text, t.value) == ("May 5, 2024", "2024-05-05")
    assert "The pier shut until May 5, 2024."[t.lead : t.end] == "until May 5, 2024"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2024-Q4", "2024-11-30", True),
        ("2024-Q4", "2024-09", False),
        ("199", "1994-05", True),
        ("199", "2004", False),
        ("2024-12-11", "2024-12-11T15:00", True),
        ("2024-12-11T14:00", "2024-12-11T15:00", False),
        ("2024-WI", "2025-01-15", True),
        ("2025-W02", "2025-01-08", True),
        ("P3W", "P3W", True),
    ],
)
def test_agree_beyond_days(a: str, b: str, expected: bool) -> None:
    assert timex.agree(a, b) is expected


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("2025-01-08T15:00", "time"),
        ("2025-W02", "week"),
        ("2025-W02-WE", "weekend"),
        ("2024-Q3", "quarter"),
        ("2024-H1", "half"),
        ("2024-SU", "season"),
        ("199", "decade"),
        ("19", "century"),
        ("P3W", "other"),
    ],
)
def test_precision_of_other_values(value: str, name: str) -> None:
    assert timex.precision(value) == name


def test_interval() -> None:
    assert timex.interval("2024-WI") == (date(2024, 12, 1), date(2025, 2, 28))
    assert timex.interval("2024-Q1") == (date(2024, 1, 1), date(2024, 3, 31))
    assert timex.interval("P3W") is None


# --------------------------------------------------------------------------- the command


def test_dates_command_prints_json(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from newsweave.cli import app

    path = tmp_path / "report.txt"
    text = "The Kelm ferry sank on Wednesday, 34 months after its launch. It sails every Friday."
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["dates", str(path), "--anchor", FRIDAY])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["text"], r["type"], r["value"]) for r in rows] == [
        ("Wednesday", "DATE", "2025-01-08"),
        ("34 months", "DURATION", "P34M"),
        ("every Friday", "SET", "XXXX-WXX-5"),
    ]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    bad = CliRunner().invoke(app, ["dates", str(path), "--anchor", "2025-13-40"])
    assert bad.exit_code == 2


def test_weekday_prefix_does_not_cross_a_line_break() -> None:
    found = tags(
        "Kelm ferry talks end Friday\nSeptember 18, 2008\nThe talks resumed.", "2008-09-18"
    )
    assert [t[0] for t in found] == ["Friday", "September 18, 2008"]
    assert tags("Talks ended Thursday, September 18, 2008.", None)[0][0] == (
        "Thursday, September 18, 2008"
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The ferry sank on Tuesday night; the inquiry will report by April.", "2026-03-03"),
        ("Palmer will meet the families on Thursday, the company said.", "2026-03-05"),
        ("On Friday, officials said the bridge will reopen.", "2026-02-27"),
        ("The port said on Tuesday that repairs will take weeks.", "2026-03-03"),
    ],
)
def test_a_weekday_takes_the_tense_of_its_own_clause(text: str, value: str) -> None:
    from newsweave.model import Sentence

    found = timex.find(text, [Sentence(0, 0, len(text), text)], anchor="2026-03-04")
    assert found[0].value is not None and found[0].value.startswith(value)


# --------------------------------------------------------------------------- datelines, clocks
# Anchor 2025-05-07 is a Wednesday.
MAY7 = "2025-05-07"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PUBLISHED: TUESDAY, MAY 6, 2025, 1:32 PM", ("TUESDAY, MAY 6, 2025, 1:32 PM", "2025-05-06T13:32")),
        ("Posted 05/06/2025 at 11:00 AM EDT", ("05/06/2025 at 11:00 AM EDT", "2025-05-06T11:00-04:00")),
        ("May 6, 2025 | 5:03pm", ("May 6, 2025 | 5:03pm", "2025-05-06T17:03")),
        ("May 6, 2025 - 4:43 pm", ("May 6, 2025 - 4:43 pm", "2025-05-06T16:43")),
        ("9:53 AM, TUE 6 MAY 2025", ("9:53 AM, TUE 6 MAY 2025", "2025-05-06T09:53")),
        ("Last updated 13:26 14/09/2024", ("13:26 14/09/2024", "2024-09-14T13:26")),
        ("Fri., May 2, 2025 11:45 AM PDT", ("Fri., May 2, 2025 11:45 AM PDT", "2025-05-02T11:45-07:00")),
    ],
)  # fmt: skip
def test_datelines_in_capitals_numbers_and_separators(text: str, expected: tuple) -> None:
    found = [(t.text, t.value) for t in timex.tag(text, MAY7)]
    assert found == [expected]


@pytest.mark.parametrize(
    ("text", "anchor", "value"),
    [
        ("The Brask mill reopened on 11/09/2024.", "2024-09-12", "2024-09-11"),  # day first
        ("The Brask mill reopened on 09/11/2024.", "2024-09-12", "2024-09-11"),  # month first
        ("The Brask mill reopened on 03/04/2024.", None, "2024-03-04"),  # a tie: month first
        ("The Brask mill reopened on 11/30/09.", None, "2009-11-30"),
    ],
)
def test_numeric_dates_take_the_reading_nearest_the_anchor(
    text: str, anchor: str | None, value: str
) -> None:
    assert [t.value for t in timex.tag(text, anchor)] == [value]


def test_an_evening_clock_time_is_the_day_before_a_morning_report() -> None:
    # the report is dated the anchor day, 9:15 in the morning: "8 p.m." is the evening before
    text = (
        "Harbour Courier, May 7, 2025 9:15 AM\n"
        "The Osprey ferry capsized shortly after 8 p.m. near the pier, the rescue service said."
    )
    clock = [t for t in timex.tag(text, MAY7) if t.text.startswith("8")]
    assert [t.value for t in clock] == ["2025-05-06T20:00"]
    # a future clock time stays on the anchor day
    text = "Harbour Courier, May 7, 2025 9:15 AM\nThe minister will visit the pier at 3 p.m. today."
    assert "2025-05-07T15:00" in [t.value for t in timex.tag(text, MAY7)]


def test_a_clock_time_takes_the_day_named_before_it_not_the_report_date() -> None:
    text = (
        "A ferry sank on Lake Ostra late on Monday, officials said on Wednesday. "
        "It overturned at 7 p.m. about 4 km from the harbour."
    )
    found = {t.text: t.value for t in timex.tag(text, MAY7)}
    assert found["late on Monday"] == "2025-05-05"
    assert found["Wednesday"] == "2025-05-07"
    assert found["7 p.m."] == "2025-05-05T19:00"
    # with no day named, no dateline: the anchor's day
    assert tags("The blaze was reported at 3:33 a.m.", MAY7) == [
        ("3:33 a.m.", "TIME", "2025-05-07T03:33")
    ]


def test_a_clock_joins_a_weekday_with_a_part_of_the_day() -> None:
    assert tags("The shots rang out just after 8:30pm Tuesday night.", MAY7) == [
        ("8:30pm Tuesday night", "TIME", "2025-05-06T20:30")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kelm pier burned late Thursday.", [("late Thursday", "DATE", "2025-05-01")]),
        ("It burned early on Sunday.", [("early on Sunday", "DATE", "2025-05-04")]),
        ("It burned in the early hours of Sunday.", [("the early hours of Sunday", "TIME", "2025-05-04TMO")]),
        ("She returned minutes later with a rifle.", [("minutes later", "DURATION", "PTXM")]),
        ("Minutes after the blast the alarm rang.", [("Minutes", "DURATION", "PTXM")]),
        ("The tremor lasted 30 seconds.", [("30 seconds", "DURATION", "PT30S")]),
        ("The talks ended a couple hours ago.", [("a couple hours ago", "DATE", "2025-05-07")]),
        ("All links were back up as of 07:35GMT.", [("07:35GMT", "TIME", "2025-05-07T07:35+00:00")]),
        ("The Weekly Courier printed it.", []),
        ("Between 1991 and 1998 he sailed.", [("1991", "DATE", "1991"), ("1998", "DATE", "1998")]),
        ("He was jailed over a 2012 car crash.", [("2012", "DATE", "2012")]),
        ("Sales reached 2019 units.", []),
    ],
)  # fmt: skip
def test_news_expressions(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert tags(text, MAY7) == expected


def test_parts_of_the_day_read_against_the_day_last_named() -> None:
    text = (
        "The Kelm ferry sank on Monday. Divers arrived in the early hours of the morning "
        "and left the next night. The crew spent the night on the pier."
    )
    assert [(t.text, t.value) for t in timex.tag(text, MAY7)] == [
        ("Monday", "2025-05-05"),
        ("the early hours of the morning", "2025-05-05TMO"),
        ("the next night", "2025-05-06TNI"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The convict was at large until Dec. 7, when he was found.", "2024-12-07"),
        ("The Brask bridge stays closed until Dec. 7.", "2025-12-07"),
        ("A bail hearing was scheduled for Friday at the Ostra court.", "2025-05-09"),
        ("The judge said before adjourning the trial until Monday.", "2025-05-12"),
        (
            "She killed two co-workers in September at the Ostra plant and will face trial.",
            "2024-09",
        ),
    ],
)
def test_tense_of_the_clause_settles_days_without_a_year(text: str, value: str) -> None:
    assert tags(text, MAY7)[0][2] == value


# --------------------------------------------------------------------------- ESC benchmark reader
REPO = Path(__file__).resolve().parent.parent
ESC_ROOT = (
    REPO.parent / "shared" / "benchmarks" / "ecbplus" / "EventStoryLine_v1.5" / "annotated_data"
)


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_timex_esc", REPO / "bench" / "timex_esc.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2013-05-02T18:32Z", "2013-05-02T18:32"),
        ("2013-05-3", "2013-05-03"),
        ("PRES_REF", "PRESENT_REF"),
        ("2013W19", "2013-W19"),
        ("201X", "201"),
        ("2013-05-02T5:03pm", "2013-05-02T17:03"),
        ("2005-07-24TXX:XX", "2005-07-24"),
        ("2013:05:02T10:00Z", "2013-05-02T10:00"),
        ("P90D", "P90D"),
        ("", None),
        ("1940's, 1950's", None),
    ],
)
def test_esc_values_map_to_timex3(raw: str, value: str | None) -> None:
    assert _bench().esc_value(raw) == value


def test_esc_value_less_gold_is_scored_for_its_span_only() -> None:
    b = _bench()
    text = "On May 2 the mill shut. It reopened later."
    doc = b.EscDoc(
        id="x",
        topic=1,
        text=text,
        dct="2013-05-03",
        sentences=[(0, 23), (24, len(text))],
        annotated=[(0, 23), (24, len(text))],
        gold=[
            b.Gold(3, 8, "DATE", "2013-05-02", "2013-05-02", False),
            b.Gold(36, 41, "DATE", None, "", False),
        ],
    )
    system = [b.Span(3, 8, "DATE", "2013-05-02"), b.Span(36, 41, "DATE", "X")]
    s = b.score_doc(doc, system)
    assert (s.span.gold, s.span.strict, s.span.relaxed) == (2, 2, 2)
    assert (s.value.gold, s.value.system, s.value.value) == (1, 1, 1)  # the span-only pair is out
    # a system expression outside the annotated sentences is not counted
    doc.annotated = [(0, 23)]
    assert b.score_doc(doc, system).span.system == 1


@pytest.mark.slow
def test_esc_gold_spans_are_the_markable_tokens() -> None:
    if not ESC_ROOT.is_dir():
        pytest.skip(f"EventStoryLine not found at {ESC_ROOT} (../shared is absent)")
    b = _bench()
    docs, left_out = b.load_esc(topics=[1])
    assert docs and left_out <= 1
    for doc in docs:
        for g in doc.gold:
            span = doc.text[g.start : g.end]
            assert span.strip() == span and span, (doc.id, g)
            assert any(a <= g.start < b_ for a, b_ in doc.annotated)
    first = next(d for d in docs if d.id == "1_10ecbplus.xml")
    assert ("on June 8", "2012-06-08") in [
        (first.text[g.start : g.end], g.value) for g in first.gold
    ]


# --------------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The polls closed at 8 p.m. EDT on Tuesday.", "2031-06-03T20:00-04:00"),
        ("Trading resumed at 09:30 GMT.", "2031-06-05T09:30+00:00"),
        ("The rocket lifted off at 10:15 a.m. (PDT) on Tuesday.", "2031-06-03T10:15-07:00"),
        ("Updated June 4, 2031, 6:05 PM ET", "2031-06-04T18:05-04:00"),  # US daylight time
        ("Updated January 4, 2031, 6:05 PM ET", "2031-01-04T18:05-05:00"),  # standard time
        ("Doors open at 7 pm CEST in Lyon.", "2031-06-05T19:00+02:00"),
    ],
)
def test_a_clock_time_with_its_zone_keeps_its_offset(text: str, value: str) -> None:
    found = [t for t in timex.tag(text, "2031-06-05") if t.type == "TIME"]
    assert [t.value for t in found] == [value]


def test_zones_that_are_not_zones_or_are_ambiguous_add_no_offset() -> None:
    # "et al." is no zone; IST is India, Ireland or Israel: the local clock stays as it is
    for text in ("The study by Moor et al. was out at 3 pm et al.", "It began at 5 pm IST."):
        values = [t.value for t in timex.tag(text, "2031-06-05") if t.type == "TIME"]
        assert values and all(v and re.fullmatch(r"[\d-]+T\d\d:\d\d", v) for v in values), values


def test_us_daylight_time_switches_on_the_right_sundays() -> None:
    from newsweave.document.timex import zones

    assert not zones.us_daylight(date(2031, 3, 8)) and zones.us_daylight(date(2031, 3, 9))
    assert zones.us_daylight(date(2031, 11, 1)) and not zones.us_daylight(date(2031, 11, 2))
    assert zones.us_daylight(date(2005, 4, 3)) and not zones.us_daylight(date(2005, 4, 2))
    assert zones.offset("PT", date(2031, 7, 1)) == "-07:00"
    assert zones.offset("ACST", date(2031, 7, 1)) == "+09:30"
    assert zones.offset("XYZ", date(2031, 7, 1)) is None


def test_clock_times_in_two_zones_agree_when_they_are_one_moment() -> None:
    from newsweave.document.timex import agree, utc

    assert utc("2031-06-04T22:00-04:00") == "2031-06-05T02:00"
    assert agree("2031-06-05T02:00+00:00", "2031-06-04T22:00-04:00")
    assert not agree("2031-06-05T03:00+00:00", "2031-06-04T22:00-04:00")
    assert agree("2031-06-04", "2031-06-04T22:00-04:00")  # the local day
    assert agree("2031-06-04T22:00", "2031-06-04T22:00-04:00")  # the local clock
    assert not agree("2031-06-04T21:00", "2031-06-04T22:00-04:00")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-03-02", "2 March 2026"),
        ("2025-11", "November 2025"),
        ("2025-SU", "summer 2025"),
        ("199", "the 1990s"),
        ("2025-W36", "week of 1 September 2025"),
        ("2026-Q1", "first quarter of 2026"),
        ("2026-03-03TNI", "3 March 2026, night"),
        ("2013-09-16T08:44", "16 September 2013, 08:44"),
        ("PRESENT_REF", "now"),
        ("P3D", "P3D"),
    ],
)
def test_values_as_people_write_them(value: str, shown: str) -> None:
    assert timex.display(value) == shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a 24-hour clock without a colon is a clock only with its zone or "hours" after it
        ("POSTED: 0330 GMT (1130 HKT), May 6, 2025", ("1130 HKT), May 6, 2025", "2025-05-06T11:30+08:00")),
        ("Tuesday 6 May 2025 03.31 BST", ("Tuesday 6 May 2025 03.31 BST", "2025-05-06T03:31+01:00")),
        ("Tue May 6 2025, 0119 hrs", ("Tue May 6 2025, 0119 hrs", "2025-05-06T01:19")),
        # the part of the day says a.m. or p.m.
        ("at about 9:25 in the morning of 6th May", ("about 9:25 in the morning of 6th May", "2025-05-06T09:25")),
        ("at 7.30 in the evening on Tuesday", ("7.30 in the evening on Tuesday", "2025-05-06T19:30")),
        ("at 11:40 at night on Tuesday", ("11:40 at night on Tuesday", "2025-05-06T23:40")),
    ],
)  # fmt: skip
def test_clock_times_without_a_colon_or_with_a_part_of_the_day(text: str, expected: tuple) -> None:
    assert expected in [(t.text, t.value) for t in timex.tag(text, MAY7)]


@pytest.mark.parametrize(
    "text", ["It was built in 1852 by settlers.", "The rate rose 3.31 points.", "In 1130 the town"]
)
def test_four_digits_without_a_zone_are_no_clock(text: str) -> None:
    assert not [t for t in timex.tag(text, MAY7) if t.type == "TIME"]


def test_a_day_counted_from_a_named_partys_event_takes_the_day_the_report_gives_it() -> None:
    text = (
        "A climber died on Friday after falling from a ridge near Ostra. "
        "Jan Varnel was with a group of skiers. "
        "Pia Holm fell on Saturday, police said. "
        "The day following Varnel's death another climber set out. "
        "The day before Holm's death the weather turned. "
        "Two days after Holm's fall the hut was closed."
    )
    found = {d.text: d.value for d in find(text, MAY7)}
    # Varnel is not named with a day: the sentence that tells of a death is Friday's (May 2)
    assert found["The day following Varnel's death"] == "2025-05-03"
    # Holm is named with Saturday (May 3)
    assert found["The day before Holm's death"] == "2025-05-02"
    assert found["Two days after Holm's fall"] == "2025-05-05"


def test_a_day_counted_from_an_event_the_report_does_not_date_has_no_value() -> None:
    text = "Quarry staff met the day after Orlov's resignation."
    assert [(d.text, d.value) for d in find(text, MAY7)] == [
        ("the day after Orlov's resignation", None)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The All-Star (1983, '86, '87) was hired.", [("'86", "1986"), ("'87", "1987")]),
        ("She graduated in '98 and left.", [("'98", "1998")]),
        ("He said 'twas '98 percent' done.", []),
        ("He drove a 2007 silver Ford Fusion to work.", []),  # a model year
        ("Police left the home at 2016 Ontario Street.", []),  # a street number
        ("He was charged in a 2005 murder.", [("2005", "2005")]),
    ],
)
def test_short_years_model_years_and_street_numbers(text: str, expected: list) -> None:
    assert [(t.text, t.value) for t in timex.tag(text, MAY7) if t.type == "DATE"] == expected


def test_a_day_told_in_the_past_is_not_after_the_reports_own_date() -> None:
    # written on May 7, 2025: "fired on June 1" is last year's June 1; "will meet on June 1" ahead
    assert one("The coach, fired on June 1, is suing.", MAY7).value == "2024-06-01"
    assert one("The board will meet on June 1.", MAY7).value == "2025-06-01"
    held = "The judge ordered him held pending his next court hearing June 1."
    assert one(held, MAY7).value == "2025-06-01"
    # against an estimated day (an undated report), a few weeks ahead is allowed
    text = "The coach, fired on June 1, is suing."
    found = timex.find(text, sentences(text), MAY7, "estimate")
    assert [d.value for d in found] == ["2025-06-01"]


def test_a_bound_anchor_puts_a_day_without_its_year_on_or_after_it() -> None:
    # the latest day the story writes is September 15, 2008: the report is from then or later
    text = "On November 19, the frigate sank a trawler. On August 30, it left port."
    found = timex.find(text, sentences(text), "2008-09-15", "bound")
    assert [d.value for d in found] == ["2008-11-19", "2008-08-30"]


def test_the_reports_clock_makes_a_later_clock_the_day_before() -> None:
    text = "Police were called about 3pm to assist with the search."
    assert [d.value for d in find(text, "2025-05-07T13:26")] == ["2025-05-06"]
    assert [d.value for d in find(text, "2025-05-07T18:40")] == ["2025-05-07"]


def test_the_report_time_comes_from_a_dropped_date_line() -> None:
    from newsweave.model import DroppedLine

    lines = [
        DroppedLine("Ferry capsizes off Ostra", "headline"),
        DroppedLine("Posted: May 07, 2025 11:06 PM CEST", "dateline", "2025-05-07"),
    ]
    assert timex.report_time(lines, MAY7) == "2025-05-07T23:06"
    assert timex.report_time(lines[:1], MAY7) is None
    assert timex.report_time(lines, None) is None


def test_an_irregular_participle_after_be_is_no_past() -> None:
    # "held" after "will be" is the future's participle, not a past tense
    assert one("The inquest will be held on October 4.", "2031-07-10").value == "2031-10-04"
    assert one("The ferry will be formally sold on October 4.", "2031-07-10").value == (
        "2031-10-04"
    )
    # "he's" is "he is": "sentenced" after it is no past either
    assert one("He faces life when he's sentenced Aug. 2.", "2031-07-10").value == "2031-08-02"
    # a past "held" still points back
    assert one("The suspect was held on October 4.", "2031-07-10").value == "2030-10-04"
    assert one("He was sentenced Aug. 2.", "2031-07-10").value == "2030-08-02"


def test_may_capitalised_is_the_month_not_a_modal() -> None:
    # "in May as part of" is no "may" of modality: the May before the report
    assert one(
        "The singer checked into a clinic in May as part of a deal.", "2031-06-20"
    ).value == ("2031-05")
    assert one("The ferry may sail on Monday.", "2031-06-18").value == "2031-06-23"


def test_last_week_written_on_a_weekend_is_the_working_week_just_ended() -> None:
    # 2031-06-21 is a Saturday, 2031-06-22 a Sunday: the week of Monday 2031-06-16 is ISO W25
    assert one("The inmate escaped last week.", "2031-06-21").value == "2031-W25"
    assert one("Last week's escape shocked the town.", "2031-06-22").value == "2031-W25"
    # on a weekday, the week before the report's
    assert one("The inmate escaped last week.", "2031-06-18").value == "2031-W24"


def test_a_count_later_or_earlier_is_the_day_counted_from_the_day_named_before() -> None:
    text = "The ferry sank on Monday. Two days later, divers found the wreck."
    assert [(d.text, d.value) for d in find(text, "2031-06-20")] == [
        ("on Monday", "2031-06-16"),
        ("Two days later", "2031-06-18"),
    ]
    text = "The line opened in March 2030. Two years later it closed."
    assert [d.value for d in find(text, "2031-06-20")] == ["2030-03", "2032"]
    # with no day named before (a date line is the report's day), or a comparison, it stays a
    # count (no point in time)
    assert find("Two days later, divers found the wreck.", "2031-06-20") == []
    assert [
        d.text
        for d in find("June 20, 2031\nA man fired four days earlier came back.", "2031-06-20")
    ] == ["June 20, 2031"]
    assert [
        d.value for d in find("It sank on Monday, four days earlier than planned.", "2031-06-20")
    ] == ["2031-06-16"]


def test_last_week_on_an_estimated_weekend_day_stays_the_week_before() -> None:
    from newsweave.document.timex import tag

    # only the report's own date says it was written on a weekend
    (t,) = tag("The inmate escaped last week.", "2031-06-21", anchor_kind="estimate")
    assert t.value == "2031-W24"


def _whole(text: str, anchor: str) -> list[tuple[str, str | None, str | None]]:
    """Values of ``text`` read as one sentence (abbreviations' full stops kept inside)."""
    found = timex.find(text, [Sentence(0, 0, len(text), text)], anchor=anchor)
    return [(d.text, d.value, d.clock) for d in found]


def test_what_is_arranged_told_in_the_present_is_ahead() -> None:
    # 2025-01-08 is a Wednesday
    assert one("The funeral is Saturday.", WEDNESDAY).value == "2025-01-11"
    assert one("The Orle hearing is on Monday.", WEDNESDAY).value == "2025-01-13"
    assert one("The ministers are meeting on Friday.", WEDNESDAY).value == "2025-01-10"
    assert one("The Kelm rovers are playing Brask on Sunday.", WEDNESDAY).value == "2025-01-12"
    assert one("Police plan a news conference Monday.", WEDNESDAY).value == "2025-01-13"
    assert one("The storm is forecast to hit on Thursday.", WEDNESDAY).value == "2025-01-09"
    # a progressive with an object phrase, or after "after", dates what is told of: the past
    assert one("Police are investigating the shooting on Monday.", WEDNESDAY).value == (
        "2025-01-06"
    )
    assert one("He is recovering after being shot on Monday.", WEDNESDAY).value == "2025-01-06"
    assert one("The funeral was Saturday.", WEDNESDAY).value == "2025-01-04"


def test_a_base_form_after_to_or_a_modal_is_no_past() -> None:
    assert one("The strike could hit ports on Friday.", WEDNESDAY).value == "2025-01-10"
    assert one("Crews hope to set off on Friday.", WEDNESDAY).value == "2025-01-10"
    assert one("The storm hit the coast on Friday.", WEDNESDAY).value == "2025-01-03"


def test_through_a_weekday_in_the_present_is_the_coming_one() -> None:
    assert one("The Orle festival runs through Sunday.", WEDNESDAY).value == "2025-01-12"
    assert one("The museum is open through Sunday.", WEDNESDAY).value == "2025-01-12"
    assert one("The Orle festival ran through Sunday.", WEDNESDAY).value == "2025-01-05"


def test_a_deadline_named_by_its_day_is_ahead() -> None:
    assert _whole("The judge gave him a Feb. 1 deadline.", WEDNESDAY) == [
        ("Feb. 1", "2025-02-01", None)
    ]
    assert _whole("He missed a Dec. 1 deadline.", WEDNESDAY) == [("Dec. 1", "2024-12-01", None)]


def test_a_weekday_in_a_masthead_or_a_programme_is_no_day() -> None:
    assert find("The Sunday Clarion first reported the story.", WEDNESDAY) == []
    assert find("He told the Sunday Times that he would stay.", WEDNESDAY) == []
    assert find("It aired on Monday Night Football.", WEDNESDAY) == []
    # a name after a weekday that opens a clause is the subject: the day stays
    assert one("On Tuesday Kelm said the talks had failed.", WEDNESDAY).value == "2025-01-07"


def test_a_weekday_of_last_week() -> None:
    # 2025-01-09 is a Thursday: Tuesday of last week is nine days back, not two
    thursday = "2025-01-09"
    assert one("The Orle plant shut on Tuesday last week.", thursday).value == "2024-12-31"
    assert one("Last week Tuesday, the Orle plant shut.", thursday).value == "2024-12-31"
    assert one("The plant shut Monday of last week.", thursday).value == "2024-12-30"


def test_a_day_or_a_week_after_an_event_the_report_dates() -> None:
    text = "Kelm died on Monday. His partner was arrested a day after his death."
    assert [(d.text, d.value) for d in find(text, WEDNESDAY)] == [
        ("on Monday", "2025-01-06"),
        ("a day after his death", "2025-01-07"),
    ]
    # with no day for the event, "a day" stays a count (no point in time)
    assert find("His partner was arrested a day after his death.", WEDNESDAY) == []


def test_a_24_hour_clock_before_local_time_is_no_year() -> None:
    assert _whole("The plane crashed at around 1900 local time.", WEDNESDAY) == [
        ("at around 1900 local time", WEDNESDAY, "19:00")
    ]
    assert _whole("The blast occurred at 7:45 a.m. Kelm Time Tuesday.", WEDNESDAY) == [
        ("at 7:45 a.m. Kelm Time Tuesday", "2025-01-07", "07:45")
    ]
    assert [v for _, v, _ in _whole("He was born in 1955 in Kelm.", WEDNESDAY)] == ["1955"]


def test_a_local_clock_takes_the_day_of_the_converted_clock_in_brackets() -> None:
    got = _whole("The quake hit at 09:10 hours (0440 GMT) on Monday.", WEDNESDAY)
    assert got[0] == ("at 09:10 hours", "2025-01-06", "09:10")
    # a local clock more than twelve hours behind the bracketed one is of the day before
    got = _whole("The ferry left at 11:30 p.m. local time (1530 GMT) on Tuesday.", WEDNESDAY)
    assert got[0][1:] == ("2025-01-07", "23:30")
    got = _whole("The ferry left at 1:30 a.m. local time (1730 GMT) on Monday.", WEDNESDAY)
    assert got[0][1:] == ("2025-01-07", "01:30")


def test_a_colon_in_a_clock_time_does_not_end_the_clause() -> None:
    assert _whole("The match starts at 20:00 CET on Saturday.", WEDNESDAY)[0][1] == "2025-01-11"


def test_holidays_are_days_chosen_by_tense() -> None:
    # 2031-12-10: Christmas ahead told in the future is this year's; told in the past, last year's
    assert one("There will be delays during Christmas.", "2031-12-10").value == "2031-12-25"
    assert one("Sales fell over Christmas.", "2031-12-10").value == "2030-12-25"
    assert one("The ferry sank on New Year's Eve.", "2032-01-03").value == "2031-12-31"
    assert one("The tree stands in the square for Christmas.", "2031-12-10").value == ("2031-12-25")
    # movable feasts: Easter 2031 is April 13, US Thanksgiving 2031 November 27
    assert one("He died on Easter Sunday.", "2031-05-01").value == "2031-04-13"
    assert one("The Kelm plant closed on Good Friday.", "2031-05-01").value == "2031-04-11"
    assert one("He will return after Thanksgiving.", "2031-11-10").value == "2031-11-27"
    assert one("It reopened after Easter 2029.", "2031-05-01").value == "2029-04-01"
    # lower case is no holiday
    assert find("a christmas card", "2031-12-10") == []


def test_a_day_written_day_month_year_with_hyphens() -> None:
    assert one("Posted 14-Mar-2031 by the desk.", "2031-03-20").value == "2031-03-14"
    assert one("Filed 03-Dec-09.", "2031-03-20").value == "2009-12-03"


def test_this_past_weekend_and_the_end_of_the_period() -> None:
    # 2025-01-08 is a Wednesday: the weekend gone by is ISO week 1's
    assert one("The Orle plant shut this past weekend.", WEDNESDAY).value == "2025-W01-WE"
    assert one("The plant will close by the end of the month.", WEDNESDAY).value == "2025-01"
    assert one("The vote is due by year-end.", WEDNESDAY).value == "2025"
    # a year written after "at the end of" stays a year, not a clock
    assert one("Kelm had debts at the end of 2009.", WEDNESDAY).value == "2009"


def test_a_clock_with_the_letter_alone() -> None:
    assert _whole("The Orle game starts at 7:05p ET.", WEDNESDAY) == [
        ("at 7:05p ET", WEDNESDAY, "19:05-05:00")
    ]
    assert _whole("A stamp costs 5p.", WEDNESDAY) == []


def test_what_is_held_or_closed_on_a_day_in_the_present_is_ahead() -> None:
    assert one("The Orle parliament votes on the bill Thursday.", WEDNESDAY).value == "2025-01-09"
    assert one("Voters go to the polls on Sunday.", WEDNESDAY).value == "2025-01-12"
    assert one("The Kelm offer expires Friday.", WEDNESDAY).value == "2025-01-10"
    assert one("Voters went to the polls on Sunday.", WEDNESDAY).value == "2025-01-05"


def test_earlier_or_later_in_the_day_is_the_day_last_named() -> None:
    text = "The Kelm ferry left on Monday. Later in the day, it sank."
    assert [(d.text, d.value) for d in find(text, WEDNESDAY)] == [
        ("on Monday", "2025-01-06"),
        ("Later in the day", "2025-01-06"),
    ]


def test_long_and_a_matter_of_are_durations() -> None:
    got = [(t.text, t.type, t.value) for t in timex.tag("a weeklong hunt, a day-long strike")]
    assert got == [("a weeklong", "DURATION", "P1W"), ("a day-long", "DURATION", "P1D")]
    got = [(t.text, t.value) for t in timex.tag("It was over in a matter of minutes.")]
    assert got == [("a matter of minutes", "PTXM")]


def test_expected_without_to_and_a_participle_of_state() -> None:
    thursday = "2025-01-09"
    assert one("The ruling is expected in March.", thursday).value == "2025-03"
    assert one("A major rally is expected on Friday.", thursday).value == "2025-01-10"
    # "closed" after "remain" is an adjective: the future tense decides
    assert one("Schools will remain closed through Friday.", thursday).value == "2025-01-10"
    assert one("Schools remained closed through Friday.", thursday).value == "2025-01-03"


def test_a_fronted_date_takes_the_tense_of_the_clause_it_opens() -> None:
    august = "2025-08-20"
    assert one("In September, the Orle plant will cut jobs.", august).value == "2025-09"
    assert one("In September, the Orle plant plans to cut jobs.", august).value == "2025-09"
    assert one("In September, the Orle plant cut jobs.", august).value == "2024-09"
    assert _whole("The report, due in September, will say more.", august)[0][1] == "2025-09"
    assert _whole("He was due in court in June but fled.", august)[0][1] == "2025-06"
    assert one("The new rules come into force in January.", august).value == "2026-01"


def test_a_month_modifying_a_noun() -> None:
    august = "2025-08-20"
    assert one("The September meeting will decide.", august).value == "2025-09"
    assert one("The June meeting decided to cut rates.", august).value == "2025-06"
    assert one("The October vote is close.", august).value == "2025-10"
    assert find("The May rally was large.", august) == []


def test_a_day_counted_from_an_event_told_in_the_past_is_not_after_the_report() -> None:
    # two accidents dated; the count from the first named would land after the report's day
    text = (
        "A bus accident in Orle happened on May 9. The ferry accident was on May 2. "
        "Six days after the accident, divers found the wreck."
    )
    got = [(d.text, d.value) for d in find(text, "2025-05-10")]
    assert got[-1] == ("Six days after the accident", "2025-05-08")


def test_four_digits_after_at_before_a_day_or_a_stop_are_a_clock() -> None:
    friday = "2025-01-10"
    assert _whole("The match kicks off at 1930 on Saturday.", friday) == [
        ("at 1930 on Saturday", "2025-01-11", "19:30")
    ]
    assert _whole("The Kelm flight landed at 1850 hours.", friday)[0][1:] == (friday, "18:50")
    assert _whole("It flew at 1500 metres.", friday) == []
    assert _whole("The index closed at 1431.50.", friday) == []
    assert [t.value for t in timex.tag("Volunteers gave 1850 hours of work.", friday)] == [
        "PT1850H"
    ]


def test_the_small_hours_after_a_night_named_are_of_the_next_day() -> None:
    text = "The Kelm ferry sank on Tuesday night. Rescuers arrived at 2 a.m."
    assert [(d.text, d.value, d.clock) for d in find(text, "2025-01-10")] == [
        ("on Tuesday night", "2025-01-07", "NI"),
        ("at 2 a.m.", "2025-01-08", "02:00"),
    ]
    text = "The Kelm ferry sank on Tuesday. Rescuers arrived at 2 a.m."
    assert find(text, "2025-01-10")[1].value == "2025-01-07"
