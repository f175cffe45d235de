"""Metadata-line recognition, on fictional reports written for these tests."""

from __future__ import annotations

import pytest

from newsweave.ingest.metalines import pick_title, scan_lines, strip_labels

BODY = "The Lakeside council approved the new ferry timetable on Monday, officials said."
BODY2 = "Ferries will run every 20 minutes from April, the operator Bluewater Lines said."


def kept(lines: list[str]) -> list[str]:
    return [r.kept for r in scan_lines(lines) if r.kept]


def reasons(lines: list[str]) -> list[tuple[str, str | None]]:
    return [(d.reason, d.value) for r in scan_lines(lines) for d in r.dropped]


# --------------------------------------------------------------------------- dates


def test_date_prefix_keeps_first_sentence() -> None:
    results = scan_lines([f"date 2025-01-02 {BODY}", BODY2])
    assert results[0].kept == BODY
    assert results[0].date == "2025-01-02"
    assert results[0].dropped[0].reason == "dateline"


@pytest.mark.parametrize(
    "line, iso",
    [
        ("Published: 2 January 2025", "2025-01-02"),
        ("Published on January 2, 2025 at 10:30 GMT", "2025-01-02"),
        ("Thursday, 2 January 2025", "2025-01-02"),
        ("2025-01-02", "2025-01-02"),
        ("Posted 02.01.2025", "2025-01-02"),
    ],
)
def test_date_lines_at_top(line: str, iso: str) -> None:
    results = scan_lines([line, BODY, BODY2])
    assert results[0].kept is None
    assert results[0].date == iso
    assert kept([line, BODY, BODY2]) == [BODY, BODY2]


@pytest.mark.parametrize(
    "line, iso",
    [
        ("Friday August 2, 2013 @ 8:13am PDT", "2013-08-02"),
        ("8:13 AM PDT 8/2/2013", "2013-08-02"),
        ("8:44AM BST 16 Sep 2013", "2013-09-16"),
        ("14:25 Sun Sep 15 2013", "2013-09-15"),
        ("POSTED: 1052 GMT (1852 HKT), April 10, 2007", "2007-04-10"),
        ("on April 30, 2008 at 4:31 AM, updated May 1, 2008 at 8:33 AM", "2008-04-30"),
        ("16 September 2013 Last updated at 12:42 GMT", "2013-09-16"),
        ("10:55 P. M. FEB. 2, 2009", "2009-02-02"),
        ("FOR IMMEDIATE RELEASE July 13, 2009", "2009-07-13"),
        ("Washington D. C., Jul 13, 2009/02:00 pm (CNA)", "2009-07-13"),
        # a two-digit year: US month first, dots day first; a forum's edit stamp
        ("11/30/09 05:40 PM ET", "2009-11-30"),
        ("POSTED: 04/02/07, 9:00 PM PDT |", "2007-04-02"),
        ("21.07.13 09:12", "2013-07-21"),
        ("Edited on Mon Dec-19-05 03:49 PM", "2005-12-19"),
    ],
)
def test_date_lines_of_every_form_give_the_report_date(line: str, iso: str) -> None:
    results = scan_lines(["A Headline Over The Story", line, BODY, BODY2])
    assert results[1].kept is None
    assert results[1].date == iso
    assert kept(["A Headline Over The Story", line, BODY, BODY2]) == [BODY, BODY2]


def test_a_headline_or_lead_holding_a_date_is_no_date_line() -> None:
    lead = "On April 30, 2008 the company announced its biggest loss in years."
    headline = "Quake of July 2, 2013 kills five"
    results = scan_lines([headline, lead, BODY, BODY2])
    assert [r.date for r in results] == [None, None, None, None]
    assert kept([headline, lead, BODY, BODY2])[-3:] == [lead, BODY, BODY2]


def test_updated_line_is_dropped_and_marked_updated() -> None:
    results = scan_lines(["Updated: 5 March 2025", "Updated 10:42 GMT", BODY, BODY2])
    assert results[0].date_kind == "updated"
    assert results[1].kept is None
    assert [r.kept for r in results if r.kept] == [BODY, BODY2]


def test_sentence_starting_with_date_is_kept() -> None:
    line = "March 3 was the day the Lakeside ferry first sailed, records show."
    assert kept([BODY, line, BODY2]) == [BODY, line, BODY2]
    first = "January 2, 2025 was the coldest day of the winter in Lakeside."
    assert kept([first, BODY]) == [first, BODY]


def test_date_sentence_below_top_is_kept() -> None:
    line = f"Published: 2 January 2025 {BODY2}"
    lines = [BODY, BODY2, BODY, line]
    assert kept(lines)[-1] == line


def test_wire_dateline() -> None:
    line = "LAKESIDE, March 3, 2025 (Imaginary Press) - " + BODY
    results = scan_lines([line, BODY2])
    assert results[0].kept == BODY
    assert results[0].date == "2025-03-03"
    assert results[0].place == "Lakeside"
    assert results[0].credits == ["Imaginary Press"]


def test_wire_dateline_without_year_gives_no_date() -> None:
    results = scan_lines(["PORT ELLEN, March 3 (Imaginary Press) — " + BODY, BODY2])
    assert results[0].kept == BODY
    assert results[0].date is None
    assert results[0].credits == ["Imaginary Press"]


def test_wire_dateline_day_first_or_alone_on_its_line() -> None:
    # "LAKESIDE, 3 March (Press) -": the day before the month; the year is the story's to give
    results = scan_lines(["LAKESIDE, 3 March (Imaginary Press) - " + BODY, BODY2])
    assert (results[0].kept, results[0].place, results[0].date) == (BODY, "Lakeside", None)
    assert results[0].dropped[0].text == "LAKESIDE, 3 March (Imaginary Press) -"
    # a date line standing on its own line above the body is a date line, not a headline
    results = scan_lines(["Port Ellen, Mar 3 -", BODY, BODY2])
    assert results[0].kept is None
    assert [(d.reason, d.text) for d in results[0].dropped] == [("dateline", "Port Ellen, Mar 3 -")]
    # without a day, a place and a dash alone are not told from a heading
    assert "dateline" not in [reason for reason, _ in reasons(["Port Ellen -", BODY, BODY2])]


def test_a_date_line_written_day_month_year_with_hyphens() -> None:
    results = scan_lines(["14-Mar-2031", BODY, BODY2])
    assert results[0].kept is None
    assert results[0].date == "2031-03-14"


def test_a_byline_written_on_a_date_is_a_date_line() -> None:
    results = scan_lines(["Written by Ann Orle on March 14, 2031", BODY, BODY2])
    assert results[0].kept is None
    assert results[0].date == "2031-03-14"


def test_wire_dateline_with_an_archived_ap_dash() -> None:
    # AP copy in text archives writes its dashes as " _ "
    results = scan_lines(["LAKESIDE (Imaginary Press) _ " + BODY, BODY2])
    assert results[0].kept == BODY
    assert results[0].place == "Lakeside"
    assert results[0].credits == ["Imaginary Press"]
    results = scan_lines(["LAKESIDE _ " + BODY, BODY2])
    assert (results[0].kept, results[0].place) == (BODY, "Lakeside")
    # an underscore in prose, or glued to a word, is no dateline dash
    for line in ("Lakeside _ the town _ approved it.", "LAKESIDE_ " + BODY):
        assert kept([line, BODY2]) == [line, BODY2]


def test_dash_in_later_sentence_is_not_a_dateline() -> None:
    line = "Officials - including the mayor - said the ferry would run."
    assert kept([line, BODY2]) == [line, BODY2]
    later = "LAKESIDE (Imaginary Press) - " + BODY
    assert kept([BODY, BODY2, BODY, later])[-1] == later  # not near the top


# --------------------------------------------------------------------------- credits


@pytest.mark.parametrize(
    "line, value",
    [
        ("Source: Imaginary Press", "Imaginary Press"),
        ("Sources: Imaginary Press, Fictional Wire", "Imaginary Press; Fictional Wire"),
        ("Credit: Fictional Wire", "Fictional Wire"),
        ("© 2025 Fictional Wire. All rights reserved.", "Fictional Wire"),
        ("Copyright 2025 Lakeside Gazette", "Lakeside Gazette"),
        ("This article was originally published by The Lakeside Gazette.", "Lakeside Gazette"),
        ("This story first appeared in Harbour Weekly and is republished here.", "Harbour Weekly"),
        ("Distributed by Pretend Syndicate.", "Pretend Syndicate"),
    ],
)
def test_credit_lines(line: str, value: str) -> None:
    lines = [BODY, BODY2, line]
    results = scan_lines(lines)
    assert results[-1].kept is None
    assert results[-1].dropped[0].reason == "credit"
    assert results[-1].dropped[0].value == value
    assert all(name in value for name in results[-1].credits)
    assert kept(lines) == [BODY, BODY2]


def test_reporting_and_written_by() -> None:
    lines = [
        BODY,
        BODY2,
        "(Reporting by Jane Doe in Lakeside; Editing by Paul Quay)",
        "Additional reporting by Lee Harper and Ann Vale",
    ]
    results = scan_lines(lines)
    assert results[2].people == ["Jane Doe"]
    assert results[3].people == ["Lee Harper", "Ann Vale"]
    assert kept(lines) == [BODY, BODY2]


def test_byline_near_top() -> None:
    results = scan_lines(["By Jane Doe, Lakeside Gazette", BODY, BODY2])
    assert results[0].kept is None
    assert results[0].people == ["Jane Doe"]
    assert results[0].credits == ["Lakeside Gazette"]
    written = scan_lines(["Written by Omar Field", BODY, BODY2])
    assert written[0].people == ["Omar Field"]


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday, the ferry operator had cancelled 40 sailings.",
        "By contrast, the bus network kept running.",
        "Reporting by the Lakeside Gazette showed the ferry lost money for years.",
        "Copyright law changes were debated by the council for a second week.",
    ],
)
def test_prose_that_looks_like_credit_is_kept(line: str) -> None:
    assert kept([line, BODY, BODY2]) == [line, BODY, BODY2]


# --------------------------------------------------------------------------- photos


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Photo: Ann Lens/Imaginary Images", "photo-credit"),
        ("Image: Lakeside Gazette", "photo-credit"),
        ("(Photo by Ann Lens/Imaginary Images)", "photo-credit"),
        ("File photo of the Lakeside ferry terminal.", "caption"),
        ("Pictured: the new ferry at its launch.", "caption"),
        ("Caption: Commuters board a ferry.", "caption"),
        ("A man walks past the ferry terminal in Lakeside. (Ann Lens/Imaginary Images)", "caption"),
        ("Commuters queue at the pier on Monday. Ann Lens/Imaginary Images", "caption"),
        ("Ann Lens/Imaginary Images", "photo-credit"),
    ],
)
def test_photo_lines(line: str, reason: str) -> None:
    lines = [BODY, line, BODY2]
    results = scan_lines(lines)
    assert results[1].kept is None
    assert results[1].dropped[0].reason == reason
    assert kept(lines) == [BODY, BODY2]


def test_slashes_in_prose_are_not_photo_credits() -> None:
    line = "Talks on the US/Lakeside trade deal resumed and speeds of 40 km/h were set."
    assert kept([BODY, line, BODY2]) == [BODY, line, BODY2]


# --------------------------------------------------------------------------- section labels


def test_labels_are_stripped_and_stack() -> None:
    assert strip_labels("The bottom line: Fares will rise.") == (
        "Fares will rise.",
        ["The bottom line:"],
    )
    rest, labels = strip_labels("Looking ahead: Why it matters: Fares will rise.")
    assert rest == "Fares will rise."
    assert labels == ["Looking ahead:", "Why it matters:"]


@pytest.mark.parametrize(
    "line",
    [
        'Mayor Tom Quill said: "This is good news."',
        "He told reporters: the ferry would run on time.",
        "The reason is simple: money.",
        "The council approved two measures: a fare cap and a grant.",
        '"We are ready": the operator\'s message to riders.',
        "At 10:30 the first ferry left.",
        "Mayor Tom Quill: “We are ready for the summer.”",
        "Harbour master: ferries to run all night",
        "It's official: the ferry runs at night.",
        "Since the vote on the timetable: nothing changed.",
        "Hey, Lakeside commuters: the ferry is back.",
    ],
)
def test_not_labels(line: str) -> None:
    assert strip_labels(line) == (line, [])
    assert kept([BODY, line, BODY2]) == [BODY, line, BODY2]


def test_label_alone_is_dropped() -> None:
    results = scan_lines([BODY, "What happened:", BODY2])
    assert results[1].kept is None
    assert results[1].dropped[0].reason == "section-label"


def test_labelled_bullets() -> None:
    lines = ["Key points: " + BODY, "- Fares rise by 5% in April", "• Night ferries return", BODY2]
    assert kept(lines) == [BODY, "Fares rise by 5% in April", "Night ferries return", BODY2]


# --------------------------------------------------------------------------- furniture


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "ADVERTISEMENT",
        "Related:",
        "Read more: Lakeside fares rise",
        "Share this article",
    ],
)
def test_furniture(line: str) -> None:
    assert kept([BODY, line, BODY2]) == [BODY, BODY2]


# --------------------------------------------------------------------------- headline


def test_trailing_headline() -> None:
    headline = "Lakeside council approves new ferry timetable"
    results = scan_lines([BODY, BODY2, headline])
    assert results[-1].headline
    assert results[-1].dropped[0].reason == "headline"
    assert results[-1].dropped[0].value == headline


@pytest.mark.parametrize(
    "last",
    [
        "- Night ferries return in May",  # a bullet
        "The first ferry leaves at 6am.",  # punctuated
        "The council will vote again in May on fares for students, pensioners and families "
        "who live on the islands beyond the harbour wall",  # too long
    ],
)
def test_not_trailing_headline(last: str) -> None:
    results = scan_lines([BODY, BODY2, last])
    assert not results[-1].headline
    assert results[-1].kept


def test_a_paragraph_marked_by_the_layout_is_never_a_headline() -> None:
    first, short = "Lakeside council approves timetable", "The operator said fares would rise"
    lines = [first, short, BODY, BODY2, short]
    # without the layout's word both short lines look like headlines ...
    assert [r.headline for r in scan_lines(lines)] == [True, True, False, False, True]
    # ... with it (the indented paragraphs of wire copy) only the first is one
    results = scan_lines(lines, paragraphs=[False, True, True, True, True])
    assert [r.headline for r in results] == [True, False, False, False, False]
    assert [r.kept for r in results] == [None, short, BODY, BODY2, short]
    assert pick_title(results) == first


@pytest.mark.parametrize("code", ["AP-NY-03-04-88 1204EST", "BC-Ferry-Lakeside 03-04 0412"])
def test_wire_transmission_codes_at_the_top_or_the_end(code: str) -> None:
    results = scan_lines([code, BODY, BODY2, code])
    assert [r.kept for r in results] == [None, BODY, BODY2, None]
    assert {d.reason for r in results for d in r.dropped} == {"furniture"}
    assert pick_title(results) is None


@pytest.mark.parametrize("line", ["COVID-19 cases rise in Lakeside", "2025-03-04 10:15 GMT"])
def test_lines_with_numbers_are_not_codes(line: str) -> None:
    assert not any(
        d.reason == "furniture" for r in scan_lines([BODY, BODY2, line]) for d in r.dropped
    )


def test_headline_before_credit_line() -> None:
    headline = "Lakeside council approves new ferry timetable"
    results = scan_lines([BODY, BODY2, headline, "Source: Imaginary Press"])
    assert results[2].headline
    assert results[3].credits == ["Imaginary Press"]


def test_leading_headline_and_container_title() -> None:
    headline = "Ferry timetable approved"
    results = scan_lines([headline, BODY, BODY2, BODY])
    assert results[0].headline
    titled = scan_lines(
        ["Ferry Timetable Approved!", BODY, BODY2], title="Ferry timetable approved"
    )
    assert titled[0].headline and titled[0].kept is None


# --------------------------------------------------------------------------- sign-offs


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for our free morning newsletter",
        "Subscribe to the Lakeside Gazette for unlimited access.",
        "Follow us on Chirper and Pictogram",
        "Click here to read more local news.",
        "Get the latest Lakeside headlines delivered to your inbox.",
        "For more news, visit lakeside.example",
    ],
)
def test_sign_offs(line: str) -> None:
    lines = [BODY, BODY2, line]
    results = scan_lines(lines)
    assert results[-1].dropped[0].reason == "sign-off"
    assert kept(lines) == [BODY, BODY2]


def test_leading_block_with_masthead_and_kicker() -> None:
    lines = ["LAKESIDE GAZETTE", "Ferry timetable approved after long debate", BODY, BODY2]
    results = scan_lines(lines)
    assert results[0].dropped[0].reason == "masthead"
    assert results[0].credits == ["Lakeside Gazette"]
    assert results[1].headline
    assert pick_title(results) == "Ferry timetable approved after long debate"
    labelled = scan_lines(["The Daily Lake", "TOP STORY: Ferry timetable approved", BODY, BODY2])
    assert pick_title(labelled) == "Ferry timetable approved"


def test_newsletter_greeting_and_sign_offs() -> None:
    lines = [
        "Good morning. Here's what you need to know today.",
        BODY,
        BODY2,
        "That's it for today. Thanks for reading, and forward this email to a friend.",
        "See you tomorrow,",
        "The Daily Lake team",
        "You are receiving this because you subscribed. Unsubscribe | Manage preferences",
    ]
    assert kept(lines) == [BODY, BODY2]
    assert [d.reason for r in scan_lines(lines) for d in r.dropped] == ["furniture"] + [
        "sign-off"
    ] * 4


@pytest.mark.parametrize(
    ("line", "headline"),
    [
        ("FERRY TIMETABLE CHANGES, COUNCIL SAYSMARCH 3, 2025", "FERRY TIMETABLE CHANGES, COUNCIL SAYS"),
        ("Ferry timetable changes | March 3, 2025", "Ferry timetable changes"),
    ],
)  # fmt: skip
def test_a_date_at_the_end_of_a_headline_is_the_reports(line: str, headline: str) -> None:
    results = scan_lines([line, BODY, BODY2, BODY])
    assert results[0].date == "2025-03-03"
    assert ("dateline", "2025-03-03") in [(d.reason, d.value) for d in results[0].dropped]
    assert headline in [d.value for d in results[0].dropped] or results[0].kept == headline


def test_a_top_sentence_ending_in_a_date_keeps_it() -> None:
    line = "The council approved the ferry timetable on March 3, 2025"
    results = scan_lines([line, BODY, BODY2])
    assert results[0].date is None
