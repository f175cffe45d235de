"""Time-zone abbreviations written after clock times in news ("11:00 a.m. EDT", "7:31 AM ET",
"15:00 GMT"), and their UTC offsets on a given day.

Only abbreviations with one common reading in English-language news are listed. ``IST``
(India, Ireland, Israel) and ``AST`` (Atlantic, Arabia) are left out: a clock written with them
keeps its local value without an offset. ``CST``/``CDT`` are read as US Central time (the
common reading in English-language news; China Standard Time is usually written "Beijing
time"). The generic US zones (``ET``, ``CT``, ``MT``, ``PT``) follow US daylight saving time:
from the second Sunday of March to the first Sunday of November since 2007, from the first
Sunday of April to the last Sunday of October before.
"""

from __future__ import annotations

from datetime import date, timedelta

#: abbreviation -> minutes east of UTC
FIXED: dict[str, int] = {
    "UTC": 0, "GMT": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120, "EET": 120,
    "EEST": 180, "MSK": 180, "SAST": 120, "EAT": 180, "GST": 240, "PKT": 300, "HKT": 480,
    "SGT": 480, "AWST": 480, "JST": 540, "KST": 540, "ACST": 570, "AEST": 600, "AEDT": 660,
    "NZST": 720, "NZDT": 780, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480,
    "HST": -600,
}  # fmt: skip
#: generic US zones -> standard-time minutes east of UTC (one hour more in daylight time)
US_GENERIC: dict[str, int] = {"ET": -300, "CT": -360, "MT": -420, "PT": -480}

NAMES = tuple(sorted([*FIXED, *US_GENERIC], key=len, reverse=True))


def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def _last_sunday(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def us_daylight(day: date) -> bool:
    """Is US daylight saving time in force on ``day`` (by its date; the switch hour is 2 a.m.,
    so the two switch days count as after the switch)."""
    if day.year >= 2007:
        start, end = _nth_sunday(day.year, 3, 2), _nth_sunday(day.year, 11, 1)
    else:
        start, end = _nth_sunday(day.year, 4, 1), _last_sunday(day.year, 10)
    return start <= day < end


def offset(name: str, day: date) -> str | None:
    """The UTC offset (``-04:00``, ``+05:30``) of the zone ``name`` on ``day``; None when the
    abbreviation is not known."""
    if name in FIXED:
        minutes = FIXED[name]
    elif name in US_GENERIC:
        minutes = US_GENERIC[name] + (60 if us_daylight(day) else 0)
    else:
        return None
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"
