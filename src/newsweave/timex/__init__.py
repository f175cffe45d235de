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

from bisect import bisect_right

from newsweave.model import DateMention, Sentence
from newsweave.timex.rules import MONTHS, WEEKDAYS, Timex, resolve_weekday, split_sentences
from newsweave.timex.rules import tag as _tag
from newsweave.timex.values import agree, display, interval, parse_iso, precision, utc

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
    "resolve_weekday",
    "role",
    "split_sentences",
    "tag",
    "utc",
]

POINT_TYPES = frozenset({"DATE", "TIME"})


def tag(
    text: str, anchor: str | None = None, sentences: list[Sentence] | None = None
) -> list[Timex]:
    """Every temporal expression in ``text`` (types DATE, TIME, DURATION, SET), in text order,
    with TimeML extents (``start``/``end``) and the start of the introducing word (``lead``).
    ``sentences`` (optional) bound the tense cues; a plain split is used without them."""
    return _tag(text, parse_iso(anchor), sentences)


def find(text: str, sentences: list[Sentence], anchor: str | None = None) -> list[DateMention]:
    """The points in time in ``text``: DATE and TIME expressions whose value is a calendar value
    (``2025-01-08``, ``2024-12``, ``2024-Q3``, ``199``) or None when it needs a missing anchor.
    A TIME keeps ``type="TIME"`` but its value stops at the day (``Tuesday night`` ->
    ``2025-01-07``): reports are compared day by day; its time of day is in ``clock``
    (``NI``; ``19:00-04:00`` for "7 p.m. EDT").
    Durations, sets and vague references (``recently``) are left out: every caller reads these
    as dates. Spans include the introducing word (``until May 5``)."""
    starts = [s.start for s in sentences]
    out: list[DateMention] = []
    for t in _tag(text, parse_iso(anchor), sentences):
        if t.type not in POINT_TYPES or (t.value is not None and interval(t.value) is None):
            continue
        idx = max(0, bisect_right(starts, t.lead) - 1) if starts else 0
        out.append(
            DateMention(
                start=t.lead,
                end=t.end,
                text=text[t.lead : t.end],
                value=t.value.split("T", 1)[0] if t.value else None,
                sentence=idx,
                type=t.type,
                clock=t.value.split("T", 1)[1] if t.value and "T" in t.value else None,
            )
        )
    return out


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
