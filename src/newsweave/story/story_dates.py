"""Dates of a story: every date expression of its reports resolved, the day an undated report
was most likely written inferred from the others (the story stage's dates step).

A report with a publication date resolves its expressions against it; one without is placed by
the days its relative expressions give events other reports date, else by the report most like
it, else by the story's anchor (:func:`infer_anchor`). Values resolved against an inferred day
carry a note saying so.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from newsweave.document import timex
from newsweave.model import Article, ArticleAnalysis, DateMention
from newsweave.story import brief as brief_mod
from newsweave.story import facts as facts_mod


def infer_anchor(
    articles: Sequence[Article], analyses: Sequence[ArticleAnalysis] | None = None
) -> str | None:
    """The story's reference date for reports that carry none: the median of the known
    publication dates of its reports; when none is known, the latest of the calendar days the
    reports write out with their year ("on January 4, 2009") in the years around their median
    (news writes of days behind its own, and of few far ahead); else None (no date is
    guessed)."""
    known = sorted(a.published for a in articles if a.published and timex.parse_iso(a.published))
    if known:
        return statistics.median_low(known)
    written = sorted(
        d.value
        for an in analyses or ()
        for d in an.dates
        if d.value and is_explicit(d.text) and timex.precision(d.value) == "day"
    )
    if not written:
        return None
    # the latest day written, of the years near the middle: background dates lie behind a
    # report's own day, a date set for next year's event not far ahead of it
    middle = int(statistics.median_low(written)[:4])
    return max(v for v in written if int(v[:4]) <= middle + 1)


# a year said in the present tense is the report's own ("It is the third time in 2031 that",
# "have been cut twice in 2009"): a present verb, a few words with no past participle, clause
# word or word of a schedule, then "in <year>"
_PRESENT_YEAR = re.compile(
    r"\b(?:is|are|has\s+been|have\s+been)\s+"
    r"(?:(?!(?:who|which|that|when|where|due|set|to|until|by|since|from|expected|scheduled|"
    r"planned|slated)\b)[a-z]+(?<!ed)(?<!en)\s+){0,4}"
    r"in\s+(?P<y>(?:19|20)\d\d)\b(?![-/]\d|(?-i:\s+[A-Z]))",
    re.IGNORECASE,
)


def story_year(analyses: Sequence[ArticleAnalysis]) -> str | None:
    """The year a story's reports are written in, from a year they say in the present tense
    ("It is the third time in 2031 that ..."), for a story none of whose reports is dated nor
    writes out a day with its year; None when no report says one, or two say different years."""
    years = {
        m.group("y")
        for an in analyses
        for s in an.sentences
        for m in _PRESENT_YEAR.finditer(s.text)
    }
    return years.pop() if len(years) == 1 else None


_MONTH_NAMED = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)",
    re.IGNORECASE,
)
# a holiday names its day as a month and day do ("during Christmas"): its year is the bound's
_HOLIDAY_NAMED = re.compile(
    r"^(?:\w+\s+)?(?:Christmas|New\s+Year|Halloween|Valentine|Thanksgiving|Easter|Boxing\s+Day|"
    r"Good\s+Friday)"
)


# a month named in an expression ("in early December", "November-end"): its year is the bound's;
# "last January" would need the report's own day
_QUALIFIED = re.compile(r"(?i)\b(?:last|next|this|coming|past|previous)\b")
_YEAR_WORDS = re.compile(r"(?i)\b(?:this|last|next|previous|coming)\s+year\b")
_MONTH_WORD = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b",
    re.IGNORECASE,
)


_YEARLESS_DAY = re.compile(r"^XXXX-(\d\d)-(\d\d)")


def dateline_days(
    articles: Sequence[Article], analyses: Sequence[ArticleAnalysis]
) -> dict[str, str]:
    """The day of each undated report whose date line writes its day without the year ("BEIJING,
    Dec. 24 (Xinhua) --", "Mumbai, Nov 11 -", "Dec. 24 4:33 AM EST"), the year the one that puts
    that day nearest the story's anchor (the median of its dated reports), or, when none is
    dated, the first on or after a month before the latest day its reports write out (news
    writes of days behind its own). Empty when the story gives no year."""
    undated = [a for a in articles if not a.published]
    if not undated:
        return {}
    anchor = timex.parse_iso(infer_anchor(articles, analyses))
    if anchor is None:
        return {}
    bound = not any(a.published for a in articles)
    out: dict[str, str] = {}
    for article in undated:
        for line in article.dropped:
            if line.reason != "dateline":
                continue
            days = [
                m
                for t in timex.tag(line.text)
                if t.type in {"DATE", "TIME"} and t.value and (m := _YEARLESS_DAY.match(t.value))
            ]
            if not days:
                continue
            month, day = int(days[0].group(1)), int(days[0].group(2))
            readings = [
                d
                for y in (anchor.year - 1, anchor.year, anchor.year + 1)
                if (d := _day_of(y, month, day)) is not None
            ]
            if bound:
                later = [d for d in readings if d >= anchor - timedelta(days=31)]
                found = min(later) if later else None
            else:
                found = min(readings, key=lambda d: abs((d - anchor).days), default=None)
            if found is not None:
                out[article.id] = found.isoformat()
                break
    return out


def _day_of(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_dates(
    articles: Sequence[Article], analyses: Sequence[ArticleAnalysis]
) -> facts_mod.ResolvedDates:
    """Dates per (article, sentence). A report without a publication date is re-read against the
    day it was most likely written (:func:`_report_anchors`: the day its own weekdays and
    "yesterday" put it at when they name an event another report dates, else the date of the
    report most like it), else the story's anchor; such values carry a note saying the anchor
    was inferred. A report whose date line writes its day without the year is dated by it
    (:func:`dateline_days`)."""
    lined = dateline_days(articles, analyses)
    if lined:
        articles = [replace(a, published=lined[a.id]) if a.id in lined else a for a in articles]
        analyses = [
            replace(
                an,
                dates=timex.find(a.text, an.sentences, anchor=lined[a.id]),
            )
            if a.id in lined
            else an
            for a, an in zip(articles, analyses, strict=True)
        ]
    anchor = infer_anchor(articles, analyses)
    source = (
        "the story's other reports"
        if any(a.published for a in articles)
        else "the dates the story's reports write out"
    )
    own = _report_anchors(articles, analyses)
    year = (
        story_year(analyses) if anchor is None and not any(a.published for a in articles) else None
    )
    out: facts_mod.ResolvedDates = {}
    for article, analysis in zip(articles, analyses, strict=True):
        note = None
        mentions = analysis.dates
        linked = own.get(article.id)
        clock = timex.report_time(article.dropped, article.published)
        if clock:
            # the date line's clock time: a clock later than it in a report of that day is of
            # the day before ("Last updated 13:26 14/09" and "was called about 3pm")
            mentions = timex.find(article.text, analysis.sentences, anchor=clock)
        elif not article.published and linked:
            day, why = linked
            mentions = timex.find(article.text, analysis.sentences, day, "estimate")
            note = f"resolved against {day}, inferred from {why}"
        elif not article.published and anchor:
            dated = any(a.published for a in articles)
            # without a dated report the anchor is the latest day written: a bound
            kind = "estimate" if dated else "bound"
            mentions = timex.find(article.text, analysis.sentences, anchor, kind)
            note = f"resolved against {anchor}, inferred from {source}"
            if not dated:
                # an anchor read from the dates the reports write gives the year of a day they
                # name ("on Nov. 25"); a weekday or "last month" would need the report's own day
                mentions = [
                    d
                    if _MONTH_NAMED.search(d.text)
                    or _HOLIDAY_NAMED.search(d.text)
                    or is_explicit(d.text)
                    or (
                        _MONTH_WORD.search(d.text)
                        and not _QUALIFIED.search(d.text)
                        and d.value
                        and len(d.value) == 7
                    )
                    else replace(d, value=None, clock=None)
                    for d in mentions
                ]
        elif not article.published and year:
            # only the year is known: the days and months it names are of that year, "this
            # year" is it, a weekday or "last month" would need the report's own day
            mentions = [
                d
                if is_explicit(d.text)
                or (
                    d.value
                    and len(d.value) in (7, 10)
                    and _MONTH_WORD.search(d.text)
                    and not _QUALIFIED.search(d.text)
                )
                or _MONTH_NAMED.search(d.text)
                or _HOLIDAY_NAMED.search(d.text)
                or (d.value and len(d.value) == 4 and _YEAR_WORDS.search(d.text))
                else replace(d, value=None, clock=None)
                for d in timex.find(article.text, analysis.sentences, f"{year}-01-01", "year")
            ]
            note = f"resolved in {year}, the year the story's reports say they are written in"
        if article.id in lined:
            note = (
                f"resolved against {lined[article.id]}, the date line's day in the year the "
                "story's reports give"
            )
        for d in mentions:
            explicit = d.value is not None and is_explicit(d.text)
            out.setdefault((article.id, d.sentence), []).append((d, None if explicit else note))
    if anchor is None or not any(a.published for a in articles):
        _years_ago(articles, analyses, out)
    return out


_YEARS_AGO = re.compile(r"(?i)\b(?:\d+|[a-z]+(?:-[a-z]+)?)\s+years?\s+ago\b")
_YEAR_ONLY = re.compile(r"^(?:1[6-9]|20)\d\d$")


def _years_ago(
    articles: Sequence[Article], analyses: Sequence[ArticleAnalysis], out: facts_mod.ResolvedDates
) -> None:
    """In a story no report of which is dated, "41 years ago" that tells of an event the story's
    reports date by its year ("in 1967", the same content words near both) is that year: the
    report's own year is not known, the event's is."""
    events: list[tuple[str, set[str], set[str]]] = []
    for article, analysis in zip(articles, analyses, strict=True):
        by_index = {s.index: s.text for s in analysis.sentences}
        for d in analysis.dates:
            if d.value and _YEAR_ONLY.match(d.value) and is_explicit(d.text):
                words = _stems(by_index.get(d.sentence, ""))
                events.append((d.value, words, _near(article.text, analysis, d)))
    if not events:
        return
    for article, analysis in zip(articles, analyses, strict=True):
        by_index = {s.index: s.text for s in analysis.sentences}
        for d in analysis.dates:
            if d.value is not None or not _YEARS_AGO.search(d.text):
                continue
            mine = _stems(by_index.get(d.sentence, ""))
            near = _near(article.text, analysis, d)
            alike = [
                ((len(near & local), len(mine & words)), year)
                for year, words, local in events
                if len(mine & words) >= _SAME_EVENT_WORDS
            ]
            if not alike:
                continue
            top = max(key for key, _ in alike)
            years = {year for key, year in alike if key == top}
            if len(years) != 1:
                continue  # two events as alike, of two years: no year is guessed
            (year,) = years
            items = out.get((article.id, d.sentence), [])
            note = f"{d.text!r}: the year the story's reports give the event it tells of"
            out[(article.id, d.sentence)] = [
                (replace(m, value=year), note) if m.start == d.start else (m, n) for m, n in items
            ]


# words that say when, not what: no evidence that two sentences tell of one event
_WHEN_WORDS = frozenset(
    re.split(
        r"\s+",
        "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight morning "
        "afternoon evening night early late earlier later last next week month year day days "
        "january february march april june july august september october november december "
        "said says told according",
    )
)
_RELATIVE_DAY = re.compile(
    r"(?i)\b(?:yesterday|today|tonight|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
)
_QUALIFIED_DAY = re.compile(r"(?i)\b(?:last|next|this|coming|past|previous)\s+\w*day\b")
_PLACED_BY_EVENTS = "the story's other reports (the days they give its events)"
_SAME_EVENT_WORDS = 3  # content words two sentences must share to tell of one event
_NEWS_DAYS = 7  # a report is written within a week of the day its weekdays name
_NEAR_WORDS = 8  # words either side of a date expression that say what it dates
# a day a report fixes: the day, the content words of its sentence, those near the expression
_Event = tuple[date, set[str], set[str]]


def _stems(text: str) -> set[str]:
    """The content words of a sentence, cut to five letters (a crude stem: "arrest" and
    "arrested" agree), without function words and words of time."""
    return {
        w[:5]
        for w in re.findall(r"[a-z][a-z'-]{2,}", text.lower())
        if w not in brief_mod.STOP and w not in _WHEN_WORDS
    }


def _report_anchors(
    articles: Sequence[Article], analyses: Sequence[ArticleAnalysis]
) -> dict[str, tuple[str, str]]:
    """The day each undated report was most likely written, with what says so.

    The days the story's reports fix (every resolved day of a dated report, every day written
    with its year in an undated one) are events, each with the content words of its sentence. An
    undated report's relative days ("early Tuesday", "yesterday") whose sentence shares
    :data:`_SAME_EVENT_WORDS` content words with an event's sentence tell of that event: the
    report's day is the one, within :data:`_NEWS_DAYS` after it, that puts most of them on their
    event's day; of those, the one that puts fewest bare weekdays before the event (a report
    writes "on Wednesday" of the week it tells of), the earliest first. A report none of whose
    days names a dated event takes the day of the dated or so-placed report whose words are
    most like its own."""
    dated = any(a.published for a in articles)
    bound = None if dated else infer_anchor(articles, analyses)
    events: list[_Event] = []
    fixed: dict[str, list[DateMention]] = {}  # report -> the days it writes out
    for article, analysis in zip(articles, analyses, strict=True):
        by_index = {s.index: s.text for s in analysis.sentences}
        mentions = analysis.dates
        if bound is not None:
            # no report of the story is dated: the days written with their month take the year
            # of the latest day written out ("on Dec. 6" beside "December 13, 2008")
            mentions = timex.find(article.text, analysis.sentences, bound, "bound")
        for d in mentions:
            day = timex.parse_iso(d.value) if d.value and len(d.value) == 10 else None
            if day is None or not (
                article.published or is_explicit(d.text) or _MONTH_NAMED.search(d.text)
            ):
                continue
            fixed.setdefault(article.id, []).append(d)
            words = _stems(by_index.get(d.sentence, ""))
            if len(words) >= _SAME_EVENT_WORDS:
                events.append((day, words, _near(article.text, analysis, d)))
    floors = {
        a.id: _floor(a, an, fixed.get(a.id, []))
        for a, an in zip(articles, analyses, strict=True)
        if not a.published
    }
    placed: dict[str, tuple[str, str]] = {}
    for article, analysis in zip(articles, analyses, strict=True):
        if article.published or not events:
            continue
        found = _place_report(article, analysis, events, floors.get(article.id))
        if found is not None:
            placed[article.id] = (found, _PLACED_BY_EVENTS)
    # the rest: the day of the report most like it, among those whose day is known
    known = {a.id: a.published for a in articles if a.published and timex.parse_iso(a.published)}
    known.update({k: v[0] for k, v in placed.items()})
    if not known:
        return placed
    stems_of = {a.id: _stems(a.text) for a in articles}
    for article in articles:
        if article.published or article.id in placed:
            continue

        def likeness(other: str, mine: set[str] = stems_of[article.id]) -> tuple[float, str]:
            theirs = stems_of[other]
            union = len(mine | theirs) or 1
            return (len(mine & theirs) / union, other)

        floor = floors.get(article.id)
        best = max(
            (
                k
                for k in known
                if k != article.id and (floor is None or date.fromisoformat(known[k]) >= floor)
            ),
            key=likeness,
            default=None,
        )
        if best is not None and likeness(best)[0] > 0:
            placed[article.id] = (known[best], "the story's report most like it")
    return placed


def _near(text: str, analysis: ArticleAnalysis, d: DateMention) -> set[str]:
    """The content words within :data:`_NEAR_WORDS` words of a date expression in its
    sentence: what the date is said of ("the fatal police shooting ... Saturday night")."""
    sentence = next((s for s in analysis.sentences if s.index == d.sentence), None)
    lo, hi = (sentence.start, sentence.end) if sentence else (0, len(text))
    before = text[lo : max(lo, d.start)].split()[-_NEAR_WORDS:]
    after = text[min(d.end, hi) : hi].split()[:_NEAR_WORDS]
    return _stems(" ".join(before + after))


def _floor(article: Article, analysis: ArticleAnalysis, own: list[DateMention]) -> date | None:
    """The latest day a report writes out of what has happened: it is written on or after it
    ("On November 19, the frigate sank a trawler"); a day ahead ("will be sentenced May 3")
    bounds nothing."""
    return max(
        (
            day
            for d in own
            if (day := timex.parse_iso(d.value) if d.value and len(d.value) == 10 else None)
            and not timex.told_ahead(article.text, analysis.sentences, d.start)
        ),
        default=None,
    )


def _place_report(
    article: Article, analysis: ArticleAnalysis, events: list[_Event], floor: date | None
) -> str | None:
    """The day an undated report was written, from its relative days that name a dated event
    (see :func:`_report_anchors`), or None. A relative day that falls on the day of an event
    whose sentence shares :data:`_SAME_EVENT_WORDS` content words with its own counts for the
    candidate anchor, by the words it shares with that event's near the expressions (what each
    date is said of), then by the words the sentences share."""
    by_index = {s.index: s.text for s in analysis.sentences}
    candidates: set[date] = set()
    # relative day (by offset) -> event day -> (words shared near the dates, in the sentences)
    alike: dict[int, dict[date, tuple[int, int]]] = {}
    for d in analysis.dates:
        if not _RELATIVE_DAY.search(d.text) or _QUALIFIED_DAY.search(d.text):
            continue
        mine = _stems(by_index.get(d.sentence, ""))
        near = _near(article.text, analysis, d)
        for event_day, theirs, local in events:
            shared = len(mine & theirs)
            if shared < _SAME_EVENT_WORDS:
                continue
            days = alike.setdefault(d.start, {})
            days[event_day] = max(days.get(event_day, (0, 0)), (len(near & local), shared))
            ahead = (event_day + timedelta(days=k) for k in range(1, _NEWS_DAYS + 1))
            candidates.update(day for day in ahead if floor is None or day >= floor)
    best: tuple[tuple[int, int], int, date] | None = None
    for anchor in sorted(candidates):
        found = timex.find(article.text, analysis.sentences, anchor=anchor.isoformat())
        told: dict[int, tuple[int, int]] = {}  # sentence -> best words shared with its event
        first: date | None = None
        bare: list[date] = []
        for d in found:
            day = timex.parse_iso(d.value) if d.value and len(d.value) == 10 else None
            if day is None or not _RELATIVE_DAY.search(d.text) or _QUALIFIED_DAY.search(d.text):
                continue
            if day >= anchor:
                # a day ahead ("for Sunday's game") is no event the report tells of, and a day
                # ahead resolves to the report's own day when that is the same weekday
                continue
            bare.append(day)
            words = alike.get(d.start, {}).get(day)
            if words is not None:
                told[d.sentence] = max(told.get(d.sentence, (0, 0)), words)
                first = day if first is None else min(first, day)
        if first is None:
            continue
        total = (sum(n for n, _ in told.values()), sum(n for _, n in told.values()))
        key = (total, -sum(1 for day in bare if day < first), anchor)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2].isoformat() if best else None


def is_explicit(text: str) -> bool:
    """True when an expression carries its own year (no anchor needed)."""
    return any(ch.isdigit() for ch in text) and any(
        len(tok) == 4 and tok.isdigit() for tok in text.replace("-", " ").replace(",", " ").split()
    )
