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

ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b")
MDY = re.compile(
    rf"\b(?P<mon>{_MON})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b"
)
DMY = re.compile(
    rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<y>(?:19|20)\d\d))?\b"
)
MY = re.compile(rf"\b(?P<mon>{_MON})\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b")
YEAR = re.compile(r"\b(?:in|since|by|until|of|from|during|before|after)\s+(?P<y>(?:19|20)\d\d)\b")
WEEKDAY = re.compile(
    r"\b(?:(?P<rel>last|next|this|on|On|until|till|by|from|before|after|since)\s+)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# the sentence speaks of the future: a weekday in it is the next such day
_FUTURE = re.compile(
    r"\b(?:will|shall|is due to|are due to|is to|are to|is expected to|are expected to|"
    r"plans? to|is scheduled to|are scheduled to|is set to|are set to|'ll)\b",
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


def find(text: str, sentences: list[Sentence], anchor: str | None = None) -> list[DateMention]:
    """All temporal expressions in ``text`` with ISO values where they can be given."""
    anchor_date = parse_iso(anchor)
    starts = [s.start for s in sentences]
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(a: int, b: int, value: str | None) -> None:
        if any(not (b <= x or a >= y) for x, y in taken):
            return
        taken.append((a, b))
        idx = max(0, bisect_right(starts, a) - 1) if starts else 0
        found.append(DateMention(start=a, end=b, text=text[a:b], value=value, sentence=idx))

    for m in ISO.finditer(text):
        add(*m.span(), m.group(0))
    for pattern in (MDY, DMY):
        for m in pattern.finditer(text):
            month = MONTHS[m.group("mon").rstrip(".").lower()]
            day = int(m.group("d"))
            if m.group("y"):
                d = _month_day(int(m.group("y")), month, day)
                add(*m.span(), d.isoformat() if d else None)
            elif anchor_date is not None:
                d = _month_day(anchor_date.year, month, day)
                if d is not None and d > anchor_date + timedelta(days=31):
                    d = _month_day(anchor_date.year - 1, month, day)
                add(*m.span(), d.isoformat() if d else None)
            else:
                add(*m.span(), None)
    for m in MY.finditer(text):
        add(*m.span(), f"{int(m.group('y')):04d}-{MONTHS[m.group('mon').rstrip('.').lower()]:02d}")
    for m in YEAR.finditer(text):
        add(m.start(), m.end(), m.group("y"))
    for m in WEEKDAY.finditer(text):
        wd = WEEKDAYS[m.group("wd").lower()]
        value = None
        if anchor_date is not None:
            future = False
            if sentences:
                sent = sentences[max(0, bisect_right(starts, m.start()) - 1)]
                future = bool(_FUTURE.search(text, sent.start, sent.end))
            value = resolve_weekday(wd, anchor_date, m.group("rel"), future).isoformat()
        add(m.start("wd") if not m.group("rel") else m.start(), m.end(), value)
    found.sort(key=lambda d: d.start)
    return found


def precision(value: str) -> str:
    """``day``, ``month`` or ``year`` for an ISO value of that granularity."""
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "other")


def agree(a: str, b: str) -> bool:
    """Two ISO values agree when one is a refinement of the other (2024-12 and 2024-12-11)."""
    return a.startswith(b) or b.startswith(a)


_ROLE_WORDS = {
    "until": "end", "till": "end", "by": "end", "through": "end", "before": "end",
    "since": "start", "from": "start", "after": "start",
}  # fmt: skip


def role(text: str) -> str:
    """What a date expression marks, from the word that introduces it: ``end`` (until, by),
    ``start`` (since, from) or ``point`` (on, in, or none)."""
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return _ROLE_WORDS.get(first, "point")
