"""Temporal expressions: find them and normalise them to ISO values (first version).

Absolute dates (``2025-01-02``, ``December 30``, ``30 December 2024``, ``December 2024``,
``in 2023``) and weekday references (``on Wednesday``) resolved against an anchor date, normally
the article's publication date. An expression that needs an anchor and has none gets ``value=None``
rather than a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, timedelta

from newsweave.model import DateMention, Sentence

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}  # fmt: skip
WEEKDAYS = {
    d: i
    for i, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)

# the word that introduces a date is part of its span: role() reads it ("until May 5": end)
_PREP = r"(?:(?P<rel>(?i:on|in|by|until|till|through|since|from|before|after|during))\s+)?"
ISO = re.compile(
    rf"\b{_PREP}(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"
)
MDY = re.compile(
    rf"\b{_PREP}(?P<mon>{_MON})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?\b(?![.,]?\d)"
)
DMY = re.compile(
    rf"\b{_PREP}(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})"
    rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?\b"
)
MY = re.compile(rf"\b{_PREP}(?P<mon>{_MON})\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b")
# a month named alone needs an introducing word ("by April"; "May" alone is too often a verb)
MONTH = re.compile(
    r"\b(?P<rel>(?i:in|by|until|till|through|since|from|before|after|during|next|last))\s+"
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b(?!\s+(?:[0-3]?\d\b|of\s+\d))"
)
YEAR = re.compile(
    r"\b(?i:in|since|by|until|till|through|of|from|during|before|after)\s+(?P<y>(?:19|20)\d\d)\b"
    r"(?![-/]\d)"
)
WEEKDAY = re.compile(
    r"\b(?:(?P<rel>(?i:last|next|this|on|until|till|by|from|before|after|since))\s+)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# the sentence speaks of the future: a weekday in it is the next such day
_FUTURE = re.compile(
    r"\b(?:will|shall|is due to|are due to|is to|are to|is expected to|are expected to|"
    r"plans? to|is scheduled to|are scheduled to|is set to|are set to|'ll)\b",
    re.IGNORECASE,
)
# the sentence speaks of the past: a weekday next to one of these is a day gone by, even when a
# future cue comes later ("the port said on Tuesday that repairs will take weeks")
_PAST = re.compile(
    r"\b(?:said|told|announced|reported|confirmed|added|stated|noted|wrote|was|were|had|did|"
    r"ago)\b",
    re.IGNORECASE,
)
_FORWARD = {"next", "until", "till", "by"}


def parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _month_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_weekday(weekday: int, anchor: date, relation: str | None, future: bool = False) -> date:
    """The date of ``weekday`` relative to ``anchor``. News reports speak of the past: a bare or
    ``on``/``last`` weekday is the latest such day on or before the anchor; ``next``/``until``/
    ``by``, or ``future=True`` (the sentence speaks of what will happen), the first one after it."""
    if (relation and relation.lower() in _FORWARD) or future:
        delta = (weekday - anchor.weekday()) % 7 or 7
        return anchor + timedelta(days=delta)
    delta = (anchor.weekday() - weekday) % 7
    if relation and relation.lower() == "last" and delta == 0:
        delta = 7
    return anchor - timedelta(days=delta)


def _speaks_of_future(text: str, sentence: Sentence | None, at: int) -> bool:
    """True when the cue nearest to offset ``at`` in its sentence speaks of the future."""
    if sentence is None:
        return False

    def distance(m: re.Match[str]) -> int:
        return max(0, m.start() - at, at - m.end())

    future = [distance(m) for m in _FUTURE.finditer(text, sentence.start, sentence.end)]
    if not future:
        return False
    past = [distance(m) for m in _PAST.finditer(text, sentence.start, sentence.end)]
    return not past or min(future) < min(past)


def _forward(relation: str | None, future: bool) -> bool:
    return future or bool(relation and relation.lower() in _FORWARD)


def find(text: str, sentences: list[Sentence], anchor: str | None = None) -> list[DateMention]:
    """All temporal expressions in ``text`` with ISO values where they can be given."""
    anchor_date = parse_iso(anchor)
    starts = [s.start for s in sentences]
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def sentence_at(pos: int) -> Sentence | None:
        return sentences[max(0, bisect_right(starts, pos) - 1)] if sentences else None

    def add(a: int, b: int, value: str | None) -> None:
        if any(not (b <= x or a >= y) for x, y in taken):
            return
        taken.append((a, b))
        idx = max(0, bisect_right(starts, a) - 1) if starts else 0
        found.append(DateMention(start=a, end=b, text=text[a:b], value=value, sentence=idx))

    for m in ISO.finditer(text):
        add(*m.span(), f"{m.group('y')}-{m.group('m')}-{m.group('d')}")
    for pattern in (MDY, DMY):
        for m in pattern.finditer(text):
            month = MONTHS[m.group("mon").rstrip(".").lower()]
            day = int(m.group("d"))
            if m.group("y"):
                d = _month_day(int(m.group("y")), month, day)
                add(*m.span(), d.isoformat() if d else None)
            elif anchor_date is not None:
                forward = _forward(
                    m.group("rel"), _speaks_of_future(text, sentence_at(m.start()), m.start())
                )
                d = _month_day(anchor_date.year, month, day)
                if forward:
                    # the next such day: "by March 3" written in December is next year's
                    if d is not None and d < anchor_date - timedelta(days=31):
                        d = _month_day(anchor_date.year + 1, month, day)
                elif d is not None and d > anchor_date + timedelta(days=31):
                    # the latest such day: "December 30" written in January is last year's
                    d = _month_day(anchor_date.year - 1, month, day)
                add(*m.span(), d.isoformat() if d else None)
            else:
                add(*m.span(), None)
    for m in MY.finditer(text):
        add(*m.span(), f"{int(m.group('y')):04d}-{MONTHS[m.group('mon').rstrip('.').lower()]:02d}")
    for m in YEAR.finditer(text):
        add(m.start(), m.end(), m.group("y"))
    for m in MONTH.finditer(text):
        month = MONTHS[m.group("mon").lower()]
        value = None
        if anchor_date is not None:
            rel = m.group("rel").lower()
            future = _speaks_of_future(text, sentence_at(m.start()), m.start())
            year = anchor_date.year
            if rel == "next" or (rel != "last" and _forward(rel, future)):
                if month < anchor_date.month:
                    year += 1
            elif month > anchor_date.month or (rel == "last" and month == anchor_date.month):
                year -= 1
            value = f"{year:04d}-{month:02d}"
        add(m.start(), m.end(), value)
    for m in WEEKDAY.finditer(text):
        wd = WEEKDAYS[m.group("wd").lower()]
        value = None
        if anchor_date is not None:
            future = _speaks_of_future(text, sentence_at(m.start()), m.start())
            value = resolve_weekday(wd, anchor_date, m.group("rel"), future).isoformat()
        add(m.start("wd") if not m.group("rel") else m.start(), m.end(), value)
    found.sort(key=lambda d: d.start)
    return found


def precision(value: str) -> str:
    """``day``, ``month`` or ``year`` for an ISO value of that granularity."""
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "other")


def agree(a: str, b: str) -> bool:
    """Two ISO values agree when one is a refinement of the other (2024-12 and 2024-12-11)."""
    pa, pb = a.split("-"), b.split("-")
    n = min(len(pa), len(pb))
    return n > 0 and pa[:n] == pb[:n]


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
