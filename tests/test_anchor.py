"""The story's reference date for reports that carry none."""

from __future__ import annotations

from newsweave.document.timex import find
from newsweave.model import Article, ArticleAnalysis, Sentence
from newsweave.story.story_dates import infer_anchor, resolve_dates


def _report(aid: str, text: str, published: str | None = None) -> tuple[Article, ArticleAnalysis]:
    sentences = [Sentence(0, 0, len(text), text)]
    analysis = ArticleAnalysis(article=aid, version="t", sentences=sentences)
    analysis.dates = find(text, sentences, anchor=published)
    return Article(id=aid, content_hash=aid, text=text, published=published), analysis


def test_the_median_publication_date_comes_first() -> None:
    reports = [
        _report("a", "The quake struck on Sunday.", "2009-01-05"),
        _report("b", "It struck on January 4, 2009.", "2009-01-07"),
        _report("c", "Aftershocks went on."),
    ]
    arts, ans = zip(*reports, strict=True)
    assert infer_anchor(arts, ans) == "2009-01-05"


def test_without_publication_dates_the_days_the_reports_write_out() -> None:
    reports = [
        _report("a", "The quake struck on January 4, 2009, and again on Monday."),
        _report("b", "Rescuers arrived on January 6, 2009; a memorial is planned for January 11."),
        _report("c", "The 2004 tsunami killed many; the quake came on Sunday."),
    ]
    arts, ans = zip(*reports, strict=True)
    assert infer_anchor(arts, ans) == "2009-01-06"  # the latest day written
    dates = resolve_dates(list(arts), list(ans))
    # the anchor gives the year of a day a report names, with a note saying where it came from
    memorial, note = next(x for x in dates[("b", 0)] if x[0].text.endswith("11"))
    assert memorial.value == "2009-01-11"
    assert note is not None and "write out" in note
    # a weekday would need the report's own day: it is left unresolved, not guessed
    monday, _ = next(x for x in dates[("a", 0)] if x[0].text.endswith("Monday"))
    assert monday.value is None
    explicit, none = next(x for x in dates[("b", 0)] if x[0].text.endswith("2009"))
    assert (explicit.value, none) == ("2009-01-06", None)  # a date with its year needs no note
    # a year alone ("the 2004 tsunami") is no anchor: with nothing else, no date is guessed
    arts2, ans2 = zip(_report("c", "The 2004 tsunami killed many."), strict=True)
    assert infer_anchor(arts2, ans2) is None


def _sentences(text: str) -> list[Sentence]:
    import re

    out = []
    for m in re.finditer(r"[^.]+\.?", text):
        if m.group(0).strip():
            out.append(Sentence(len(out), m.start(), m.end(), m.group(0)))
    return out


def _multi(aid: str, text: str, published: str | None = None) -> tuple[Article, ArticleAnalysis]:
    sentences = _sentences(text)
    analysis = ArticleAnalysis(article=aid, version="t", sentences=sentences)
    analysis.dates = find(text, sentences, anchor=published)
    return Article(id=aid, content_hash=aid, text=text, published=published), analysis


# a story of two events a month apart: the Osprey ferry ran aground on Tuesday 2031-01-07, the
# Heron ferry sank on Sunday 2031-02-02; the dated reports are all of February
STORY = [
    _multi(
        "feb1",
        "The Heron ferry sank early Sunday near Ostra pier, the coastguard said. "
        "The Osprey ferry ran aground near Brask harbour on Jan. 7, the coastguard said.",
        "2031-02-04",
    ),
    _multi("feb2", "The Heron ferry sank on Sunday near Ostra pier after a storm.", "2031-02-03"),
]


def test_an_undated_report_takes_the_day_its_weekdays_put_it_at_for_a_dated_event() -> None:
    undated = _multi(
        "jan",
        "The Osprey ferry ran aground near Brask harbour early Tuesday. "
        "The harbour master said on Wednesday that the ferry will sail on Saturday.",
    )
    arts, ans = zip(*STORY, undated, strict=True)
    dates = resolve_dates(list(arts), list(ans))
    values = {d.text: (d.value, note) for v in dates.values() for d, note in v if d.text}
    tuesday, note = values["early Tuesday"]
    assert tuesday == "2031-01-07"  # the day another report dates this grounding, not February
    assert note is not None and "2031-01-08" in note  # the report is of the day after
    assert values["on Wednesday"][0] == "2031-01-08"
    assert values["on Saturday"][0] == "2031-01-11"  # ahead of the report's day


def test_yesterday_names_the_event_and_a_past_clock_is_not_on_a_day_ahead() -> None:
    undated = _multi(
        "jan",
        "After the Osprey ferry ran aground near Brask harbour early yesterday, it will sail "
        "on Saturday's tide. It struck rocks just after 2:30 a.m.",
    )
    arts, ans = zip(*STORY, undated, strict=True)
    dates = resolve_dates(list(arts), list(ans))
    values = {d.text: (d.value, d.clock) for v in dates.values() for d, _ in v}
    assert values["yesterday"][0] == "2031-01-07"
    assert values["after 2:30 a.m."] == ("2031-01-07", "02:30")


def test_an_undated_report_naming_no_dated_event_takes_the_day_of_the_report_most_like_it() -> None:
    # "on Tuesday" names no dated event; the report shares most words with feb2 (Monday
    # 2031-02-03), so that is its day and Tuesday is the one before it
    undated = _multi("x", "Divers searched for the Heron ferry near Ostra pier on Tuesday.")
    arts, ans = zip(*STORY, undated, strict=True)
    dates = resolve_dates(list(arts), list(ans))
    ((d, note),) = dates[("x", 0)]
    assert d.value == "2031-01-28"
    assert note is not None and "2031-02-03" in note and "most like" in note


def test_without_a_dated_report_a_report_is_placed_by_the_days_written_with_their_year() -> None:
    # no report carries a date: the days written out are the events, and a weekday that names
    # one of them places its report (the day after the grounding: "on Wednesday" is that day)
    reports = [
        _multi("a", "The Osprey ferry ran aground near Brask harbour on January 7, 2031."),
        _multi(
            "b",
            "The Osprey ferry ran aground near Brask harbour early Tuesday. "
            "Divers reached the hull on Wednesday.",
        ),
    ]
    arts, ans = zip(*reports, strict=True)
    dates = resolve_dates(list(arts), list(ans))
    tuesday, note = dates[("b", 0)][0]
    assert tuesday.value == "2031-01-07"
    assert note is not None and "2031-01-08" in note
    assert dates[("b", 1)][0][0].value == "2031-01-08"
    # a weekday that names no event the reports date stays unresolved
    alone = _multi("c", "A crane lifted the cargo on Tuesday.")
    arts, ans = zip(reports[0], alone, strict=True)
    dates = resolve_dates(list(arts), list(ans))
    assert [d.value for d, _ in dates[("c", 0)]] == [None]


def test_a_weekday_names_the_event_whose_words_stand_near_it() -> None:
    # two Saturdays a week apart: the storm (March 8) and the protest (March 15). The undated
    # report's sentence shares more words with the protest, but the words around "on Saturday"
    # are the storm's: the report is of the week after the storm
    reports = [
        _multi("a", "Storm winds wrecked the pier on March 8, 2031.", "2031-03-09"),
        _multi(
            "b",
            "Fishermen protested at Brask harbour over the Osprey ferry pier on March 15, 2031.",
            "2031-03-16",
        ),
        _multi(
            "c",
            "Fishermen who protested at Brask harbour said the Osprey ferry pier, wrecked by storm "
            "winds on Saturday, stayed shut.",
        ),
    ]
    arts, ans = zip(*reports, strict=True)
    dates = resolve_dates(list(arts), list(ans))
    saturday, note = dates[("c", 0)][0]
    assert saturday.value == "2031-03-08"
    assert note is not None and "2031-03-09" in note


def test_a_report_is_not_placed_before_a_day_it_tells_of_in_the_past() -> None:
    # the undated report's Saturday would fall on the attack of Saturday March 8, but the
    # report tells of March 19 as past: it is written after that (with the report most like
    # it, of March 21), and its Saturday is the one before
    reports = [
        _multi("a", "Pirates attacked a merchant vessel in the gulf on Saturday.", "2031-03-09"),
        _multi("b", "The navy frigate sank a pirate trawler in the gulf.", "2031-03-21"),
        _multi(
            "c",
            "The navy stopped pirates attacking a merchant vessel in the gulf on Saturday. "
            "On March 19, 2031, the navy frigate sank a pirate trawler.",
        ),
    ]
    arts, ans = zip(*reports, strict=True)
    dates = resolve_dates(list(arts), list(ans))
    saturday, note = dates[("c", 0)][0]
    assert saturday.value == "2031-03-15"
    assert note is not None and "2031-03-21" in note


def test_without_a_dated_report_a_month_named_takes_its_year_from_the_latest_day_written() -> None:
    reports = [
        _multi("a", "The frigate began its patrol on September 15, 2031, the navy said."),
        _multi(
            "b", "The frigate sank a pirate ship in early December, and more ships come in May."
        ),
    ]
    arts, ans = zip(*reports, strict=True)
    dates = resolve_dates(list(arts), list(ans))
    assert [d.value for d, _ in dates[("b", 0)]] == ["2031-12", "2032-05"]


def test_years_ago_in_a_story_without_dates_names_the_year_the_reports_give_its_event() -> None:
    reports = [
        _multi("a", "Two women were killed at the Ostra ice cream shop in 1969."),
        _multi(
            "b",
            "Police charged a man with killing two women at the Ostra ice cream shop 52 years ago.",
        ),
        _multi("c", "The Ostra council opened a new park 12 years ago."),
    ]
    arts, ans = zip(*reports, strict=True)
    dates = resolve_dates(list(arts), list(ans))
    ((ago, note),) = dates[("b", 0)]
    assert ago.value == "1969"
    assert note is not None and "year" in note
    # a count of years naming no event the reports date stays without a value
    assert [d.value for d, _ in dates[("c", 0)]] == [None]


def test_a_year_said_in_the_present_tense_is_the_year_of_a_story_without_dates() -> None:
    reports = [
        _multi("a", "It is the third time in 2031 that the Ostra ferry line has stopped."),
        _multi(
            "b",
            "Ferries stopped on Friday. Repairs could take until March 3. "
            "In January, a storm closed the line. Service resumed last month.",
        ),
    ]
    arts, ans = zip(*reports, strict=True)
    dates = resolve_dates(list(arts), list(ans))
    values = [d.value for key in sorted(k for k in dates if k[0] == "b") for d, _ in dates[key]]
    # the days and months of that year; a weekday and "last month" need the report's own day
    assert values == [None, "2031-03-03", "2031-01", None]
    ((_, note),) = dates[("b", 1)]
    assert note is not None and "2031" in note


def test_a_year_of_the_past_or_a_schedule_is_no_year_of_the_story() -> None:
    for said in (
        "The ferry was built in 2029.",
        "The ferry is expected in 2032.",
        "He is the man who sank the ferry in 2029.",
        "The line has been closed by 2031 Ostra rules.",
    ):
        reports = [_multi("a", said), _multi("b", "Repairs could take until March 3.")]
        arts, ans = zip(*reports, strict=True)
        dates = resolve_dates(list(arts), list(ans))
        assert [d.value for d, _ in dates[("b", 0)]] == ["XXXX-03-03"], said


def test_a_date_line_without_its_year_dates_its_report_in_the_story_s_year() -> None:
    from newsweave.model import DroppedLine

    dated = _multi("d1", "The Tamsin bridge over the Orle river collapsed on Sunday.", "2031-12-30")
    art, an = _multi("w1", "The Tamsin bridge collapsed yesterday, the ministry said.")
    art.dropped = [DroppedLine(text="ORLEBY, Jan. 2 (Imaginary Press) --", reason="dateline")]
    dates = resolve_dates([dated[0], art], [dated[1], an])
    values = {d.text: (d.value, note) for v in dates.values() for d, note in v if d.text}
    value, note = values["yesterday"]
    # the date line's January 2 is the one nearest the story's December 30, 2031: 2032
    assert value == "2032-01-01"
    assert note is not None and "date line" in note


def test_a_yearless_date_line_in_a_story_that_gives_no_year_dates_nothing() -> None:
    from newsweave.model import DroppedLine

    art, an = _multi("w1", "The Tamsin bridge collapsed yesterday, the ministry said.")
    art.dropped = [DroppedLine(text="ORLEBY, Jan. 2 (Imaginary Press) --", reason="dateline")]
    dates = resolve_dates([art], [an])
    values = {d.text: d.value for v in dates.values() for d, _ in v if d.text}
    assert values["yesterday"] is None


def test_a_holiday_in_a_story_without_dated_reports_takes_the_year_of_the_days_written() -> None:
    a = _multi("h1", "The Orle cable was cut on December 19, 2031, the operator said.")
    b = _multi("h2", "The operator warned there will be outages during Christmas.")
    dates = resolve_dates([a[0], b[0]], [a[1], b[1]])
    values = {d.text: d.value for v in dates.values() for d, _ in v if d.text}
    assert values["during Christmas"] == "2031-12-25"
