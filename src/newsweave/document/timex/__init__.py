"""Temporal expressions: find them and normalise them to TIMEX3 values against an anchor date.

The anchor is normally the article's publication date. Covered (see ``rules``): absolute dates
(``2025-01-02``, ``December 30``, ``30 December 2024``, ``December 2024``, ``in 2023``,
``05/03/2013`` read month or day first, whichever is a date nearer the anchor; datelines in
capitals, ``THURSDAY, MAY 2, 2013, 1:32 PM``),
weekdays and bare months resolved by tense, ``yesterday`` / ``today`` / ``tonight``,
``last month`` / ``next year`` / ``this week`` / ``earlier this year``, seasons, quarters and
halves, decades and centuries, clock times (joined to a neighbouring date; alone, on the day
last named, or the day before when later than the dateline's own clock time), offsets
(``34 months ago``, ``three weeks after March 3``), anaphoric days (``the next day``),
durations (``34 months`` -> P34M, ``six to nine months``) and sets (``every Wednesday`` ->
XXXX-WXX-3, ``weekly``). An expression that needs an anchor and has none gets ``value=None``
rather than a guess. Regular expressions only: fast and deterministic.

:func:`find` returns the points in time (DATE and TIME with a calendar value, or None) as
:class:`~newsweave.model.DateMention`, the span including the introducing word that
:func:`role` reads; :func:`tag` returns every expression (durations, sets and ``now``-style
references too) with its TimeML extent.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from newsweave.document.timex.rules import (
    MONTHS,
    WEEKDAYS,
    Timex,
    resolve_weekday,
    split_sentences,
)
from newsweave.document.timex.rules import _Context as _TenseContext
from newsweave.document.timex.rules import tag as _tag
from newsweave.document.timex.values import agree, display, interval, parse_iso, precision, utc
from newsweave.model import DateMention, DroppedLine, Sentence

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "Timex",
    "agree",
    "display",
    "find",
    "interval",
    "parse_iso",
    "precision",
    "report_time",
    "resolve_weekday",
    "role",
    "split_sentences",
    "tag",
    "told_ahead",
    "utc",
]

POINT_TYPES = frozenset({"DATE", "TIME"})
# a day of a year no report gives ("XXXX-12-18"): still a point in time
_YEARLESS = re.compile(r"XXXX-(?:\d\d-\d\d(?:T|$)|XX-XXT)")


def tag(
    text: str,
    anchor: str | None = None,
    sentences: list[Sentence] | None = None,
    anchor_kind: str = "own",
) -> list[Timex]:
    """Every temporal expression in ``text`` (types DATE, TIME, DURATION, SET), in text order,
    with TimeML extents (``start``/``end``) and the start of the introducing word (``lead``).
    ``sentences`` (optional) bound the tense cues; a plain split is used without them. The
    anchor may carry the report's clock time (``2013-09-14T13:26``); ``anchor_kind``: ``own``
    (the report's date), ``estimate`` (a day it was probably written), ``bound`` (a day it was
    written on or after)."""
    return _tag(text, parse_iso(anchor), sentences, anchor_kind, _clock_of(anchor))


def _clock_of(anchor: str | None) -> str | None:
    return anchor[11:16] if anchor and len(anchor) >= 16 and anchor[10] == "T" else None


def find(
    text: str, sentences: list[Sentence], anchor: str | None = None, anchor_kind: str = "own"
) -> list[DateMention]:
    """The points in time in ``text``: DATE and TIME expressions whose value is a calendar value
    (``2025-01-08``, ``2024-12``, ``2024-Q3``, ``199``) or None when it needs a missing anchor.
    A TIME keeps ``type="TIME"`` but its value stops at the day (``Tuesday night`` ->
    ``2025-01-07``): reports are compared day by day; its time of day is in ``clock``
    (``NI``; ``19:00-04:00`` for "7 p.m. EDT").
    Durations, sets and vague references (``recently``) are left out: every caller reads these
    as dates. Spans include the introducing word (``until May 5``). ``anchor`` and
    ``anchor_kind`` as for :func:`tag`."""
    starts = [s.start for s in sentences]
    out: list[DateMention] = []
    for t in _tag(text, parse_iso(anchor), sentences, anchor_kind, _clock_of(anchor)):
        if t.type not in POINT_TYPES or (
            t.value is not None and interval(t.value) is None and not _YEARLESS.match(t.value)
        ):
            continue
        idx = max(0, bisect_right(starts, t.lead) - 1) if starts else 0
        value = None if t.value and t.value.startswith("XXXX-XX-XX") else t.value
        out.append(
            DateMention(
                start=t.lead,
                end=t.end,
                text=text[t.lead : t.end],
                value=value.split("T", 1)[0] if value else None,
                sentence=idx,
                type=t.type,
                clock=value.split("T", 1)[1] if value and "T" in value else None,
            )
        )
    return out


def told_ahead(text: str, sentences: list[Sentence], at: int) -> bool:
    """True when the clause holding offset ``at`` speaks of what is ahead of the report (future
    tense, modality, a schedule: "will be sentenced on May 3", "could reopen on Wednesday")."""
    return _TenseContext(text, sentences, None).future(at)


def report_time(dropped: list[DroppedLine], published: str | None) -> str | None:
    """The report's own moment as a date line ingest took off the top writes it, its clock time
    local as written ("AUGUST 2, 2013 | 08:06AM PT" -> ``2013-08-02T08:06``); None when no date
    line gives a clock time on the publication day."""
    day = parse_iso(published)
    if day is None or published is None:
        return None
    for line in dropped:
        if line.reason != "dateline":
            continue
        for t in _tag(line.text, day, None):
            if t.type == "TIME" and t.value and t.value.startswith(published[:10] + "T"):
                clock = t.value[11:16]
                if len(clock) == 5 and clock[2] == ":":
                    return f"{published[:10]}T{clock}"
    return None


_ROLE_WORDS = {
    "until": "end", "till": "end", "by": "end", "through": "end", "before": "end",
    "next": "point", "last": "point",
    "since": "start", "from": "start", "after": "start",
}  # fmt: skip


def role(text: str) -> str:
    """What a date expression marks, from the word that introduces it: ``end`` (until, by),
    ``start`` (since, from) or ``point`` (on, in, or none)."""
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return _ROLE_WORDS.get(first, "point")
