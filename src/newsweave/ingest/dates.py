"""Date recognition shared by the readers and the metadata-line rules.

Only explicit calendar dates are recognised (ISO, ``2 January 2025``, ``January 2, 2025``,
``Jan. 2 2025``, ``02.01.2025``, ...). Relative dates ("yesterday") are left to later stages.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ALIASES: dict[str, int] = {**MONTHS, "sept": 9}
for _name, _num in MONTHS.items():
    _MONTH_ALIASES.setdefault(_name[:3], _num)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"(?:Mon(?:day)?|Tue(?:s|sday)?|Wed(?:nesday)?|Thu(?:rs|rsday)?|Fri(?:day)?"
    r"|Sat(?:urday)?|Sun(?:day)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_TIME = (
    r"(?:(?:\s*,\s*|\s+at\s+|\s+|T)\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s?[aApP]\.?[mM]\.?)?(?:\s?(?:Z|[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\b)?)"
)

#: One calendar date, optionally with a weekday before it and a time after it. Named groups
#: say which form matched; ``year`` may be missing (``March 3``).
DATE_PATTERN = (
    rf"(?:{_WEEKDAY},?\s+)?"
    r"(?:"
    r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
    r"|(?P<ymd>(?P<sy>\d{4})/(?P<sm>\d{1,2})/(?P<sd>\d{1,2}))"
    # a two-digit year in the numeric forms of date lines ("11/30/09 05:40 PM ET")
    r"|(?P<num>(?P<n1>\d{1,2})(?P<nsep>[./])(?P<n2>\d{1,2})(?P=nsep)(?P<ny>\d{4}|\d\d(?![\d/.])))"
    rf"|(?P<dmy>(?P<dd>\d{{1,2}}){_ORD}(?:\s+of)?\s+(?P<dm>{_MONTH}),?\s+(?P<dy>\d{{4}}))"
    rf"|(?P<mdy>(?P<mm>{_MONTH})\s+(?P<md>\d{{1,2}}){_ORD}(?:,?\s+(?P<my>\d{{4}}))?)"
    # a forum's or a blog's stamp: "Dec-19-05", "Dec-19-2005"
    rf"|(?P<hmdy>(?P<hm>{_MONTH})-(?P<hd>\d{{1,2}})-(?P<hy>\d{{4}}|\d\d)(?![\d-]))"
    # the day first: "14-Mar-2013", "03-Dec-09"
    rf"|(?P<hdmy>(?P<xd>\d{{1,2}})-(?P<xm>{_MONTH})-(?P<xy>\d{{4}}|\d\d)(?![\d-]))"
    r")"
    rf"(?P<time>{_TIME})?"
)
DATE_RE = re.compile(DATE_PATTERN)
_FULL_DATE_RE = re.compile(rf"\s*{DATE_PATTERN}\s*[.,]?\s*", re.IGNORECASE)


def _full_year(text: str) -> int:
    """A year as written: ``2009``, or two digits read in the century that puts it nearest
    today's news (``09`` -> 2009, ``98`` -> 1998)."""
    year = int(text)
    if len(text) > 2:
        return year
    return year + (2000 if year < 50 else 1900)


def _month_number(token: str) -> int | None:
    key = token.lower().rstrip(".")
    return _MONTH_ALIASES.get(key) or _MONTH_ALIASES.get(key[:3])


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_from_match(m: re.Match[str]) -> str | None:
    """The ISO date of a :data:`DATE_PATTERN` match, or None (no year, or not a real date)."""
    if m.group("iso"):
        return _iso(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
    if m.group("ymd"):
        return _iso(int(m.group("sy")), int(m.group("sm")), int(m.group("sd")))
    if m.group("num"):
        a, b, year = int(m.group("n1")), int(m.group("n2")), _full_year(m.group("ny"))
        day_first = m.group("nsep") == "."
        if a > 12:
            day_first = True
        elif b > 12:
            day_first = False
        return _iso(year, b, a) if day_first else _iso(year, a, b)
    if m.group("dmy"):
        month = _month_number(m.group("dm"))
        return _iso(int(m.group("dy")), month, int(m.group("dd"))) if month else None
    if m.group("mdy") and m.group("my"):
        month = _month_number(m.group("mm"))
        return _iso(int(m.group("my")), month, int(m.group("md"))) if month else None
    if m.group("hmdy"):
        month = _month_number(m.group("hm"))
        return _iso(_full_year(m.group("hy")), month, int(m.group("hd"))) if month else None
    if m.group("hdmy"):
        month = _month_number(m.group("xm"))
        return _iso(_full_year(m.group("xy")), month, int(m.group("xd"))) if month else None
    return None


def parse_date_only(text: str) -> str | None:
    """ISO date when ``text`` is nothing but one date (weekday/time allowed), else None."""
    m = _FULL_DATE_RE.fullmatch(text)
    return iso_from_match(m) if m else None


def is_date_only(text: str) -> bool:
    """True when ``text`` is nothing but one date, with or without a year."""
    return _FULL_DATE_RE.fullmatch(text) is not None


def to_iso_date(value: Any) -> str | None:
    """Best-effort ISO date (YYYY-MM-DD) from a container value (str, date, datetime)."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    m = DATE_RE.search(text)
    if m:
        iso = iso_from_match(m)
        if iso:
            return iso
    try:
        from dateutil import parser as _parser

        default = _dt.datetime(1, 1, 1)
        parsed = _parser.parse(text, default=default, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed.year == 1:
        return None
    return parsed.date().isoformat()
