"""TIMEX3 values: what period a value covers, how precise it is, whether two values agree.

Calendar values, coarsest to finest: ``19`` (century), ``199`` (decade), ``2024``,
``2024-H1``, ``2024-Q3``, ``2024-SU`` (season), ``2024-12``, ``2024-W51``, ``2024-W51-WE``
(weekend), ``2024-12-11``, ``2024-12-11TNI`` / ``2024-12-11T15:30`` (part of day, clock time).
A clock time written with its time zone keeps the local clock and adds the offset
(``2013-05-03T11:00-04:00`` for "11 a.m. EDT"): :func:`utc` gives the same moment in UTC, so
reports written in different zones can be compared.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
_VALUE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>0[1-9]|1[0-2])(?:-(?P<d>0[1-9]|[12]\d|3[01]))?"
    r"|W(?P<w>0[1-9]|[1-4]\d|5[0-3])(?P<we>-WE)?|Q(?P<q>[1-4])|H(?P<h>[12])"
    r"|(?P<s>SP|SU|FA|WI)))?(?:T(?P<t>.+))?$"
)
_DECADE = re.compile(r"^(?P<c>\d{2})(?P<d>\d)?$")


def parse_iso(value: str | None) -> date | None:
    """The day of a day-precise value (``2024-12-11``, ``2024-12-11T15:00``), else None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def interval(value: str | None) -> tuple[date, date] | None:
    """First and last day of the period a calendar value covers; None for other values."""
    if not value:
        return None
    m = _VALUE.match(value)
    if m is None:
        d = _DECADE.match(value)
        if d is None:
            return None
        if d.group("d") is None:  # century: "19" is 1900-1999
            first = int(d.group("c")) * 100
            return date(max(first, 1), 1, 1), date(first + 99, 12, 31)
        first = int(d.group("c") + d.group("d")) * 10
        return date(max(first, 1), 1, 1), date(first + 9, 12, 31)
    year = int(m.group("y"))
    try:
        if m.group("d"):
            day = date(year, int(m.group("m")), int(m.group("d")))
            return day, day
        if m.group("m"):
            month = int(m.group("m"))
            return date(year, month, 1), _month_end(year, month)
        if m.group("w"):
            monday = date.fromisocalendar(year, int(m.group("w")), 1)
            if m.group("we"):
                return monday + timedelta(days=5), monday + timedelta(days=6)
            return monday, monday + timedelta(days=6)
        if m.group("q"):
            q = int(m.group("q"))
            return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
        if m.group("h"):
            h = int(m.group("h"))
            return date(year, 6 * h - 5, 1), _month_end(year, 6 * h)
        if m.group("s"):
            first, last = _SEASON_MONTHS[m.group("s")]
            end_year, end_month = (year + 1, last - 12) if last > 12 else (year, last)
            return date(year, first, 1), _month_end(end_year, end_month)
    except ValueError:
        return None
    return date(year, 1, 1), date(year, 12, 31)


def precision(value: str) -> str:
    """``day``, ``month`` or ``year`` for an ISO value of that granularity; ``time``, ``week``,
    ``weekend``, ``quarter``, ``half``, ``season``, ``decade``, ``century`` for the other
    calendar values; ``other`` for anything else (durations, sets, references)."""
    m = _VALUE.match(value)
    if m is None:
        d = _DECADE.match(value)
        if d is None:
            return "other"
        return "century" if d.group("d") is None else "decade"
    for group, name in (
        ("t", "time"),
        ("d", "day"),
        ("we", "weekend"),
        ("w", "week"),
        ("m", "month"),
        ("q", "quarter"),
        ("h", "half"),
        ("s", "season"),
    ):
        if m.group(group):
            return name
    return "year"


_ZONED = re.compile(r"^(?P<local>\d{4}-\d\d-\d\dT\d\d:\d\d)(?P<off>[+-]\d\d:\d\d)$")


def utc(value: str) -> str:
    """A clock time with an offset as the same moment in UTC, without offset
    (``2013-05-02T22:00-04:00`` -> ``2013-05-03T02:00``); any other value as it is."""
    m = _ZONED.match(value)
    if m is None:
        return value
    try:
        moment = datetime.fromisoformat(m.group("local") + m.group("off"))
    except ValueError:
        return value
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M")


def agree(a: str, b: str) -> bool:
    """Two values agree when one is a refinement of the other: ``2024-12`` and ``2024-12-11``,
    ``2024-Q4`` and ``2024-11``, ``199`` and ``1994``, ``2024-12-11`` and ``2024-12-11T15:00``.
    Clock times with offsets agree when they are the same moment (``15:00+00:00`` and
    ``11:00-04:00``); against a clock time without one, the local clocks are compared.
    Values that are not calendar values agree when one is a prefix of the other, part by part."""
    za, zb = _ZONED.match(a), _ZONED.match(b)
    if za is not None and zb is not None:
        return utc(a) == utc(b)
    if za is not None or zb is not None:
        a, b = (za.group("local") if za else a), (zb.group("local") if zb else b)
    ia, ib = interval(a), interval(b)
    if ia is not None and ib is not None:
        if not (ia[0] <= ib[0] and ib[1] <= ia[1]) and not (ib[0] <= ia[0] and ia[1] <= ib[1]):
            return False
        ta, tb = a.partition("T")[2], b.partition("T")[2]
        return not ta or not tb or ta == tb
    pa, pb = re.split(r"[-T]", a), re.split(r"[-T]", b)
    n = min(len(pa), len(pb))
    return n > 0 and pa[:n] == pb[:n]


def shift(day: date, unit: str, n: int) -> date:
    """``day`` moved by ``n`` units (D, W, M, Y, DE, CE, Q, H); months clamp to the month end."""
    if unit == "D":
        return day + timedelta(days=n)
    if unit == "W":
        return day + timedelta(weeks=n)
    months = n * {"M": 1, "Q": 3, "H": 6, "Y": 12, "DE": 120, "CE": 1200}[unit]
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, _month_end(year, month).day))


def at_precision(day: date, unit: str) -> str:
    """The value of the period of granularity ``unit`` that contains ``day``."""
    if unit == "D":
        return day.isoformat()
    if unit == "W":
        iso = day.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if unit == "WE":
        iso = day.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}-WE"
    if unit == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "Q":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if unit == "H":
        return f"{day.year:04d}-H{(day.month - 1) // 6 + 1}"
    if unit == "Y":
        return f"{day.year:04d}"
    if unit == "DE":
        return f"{day.year // 10:03d}"
    if unit == "CE":
        return f"{day.year // 100:02d}"
    raise ValueError(unit)


_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}
_PARTS_OF_DAY = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "day"}
_REFERENCES = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}


def display(value: str) -> str:
    """A value as people write it: ``2 March 2026``, ``March 2026``, ``summer 2025``, ``the
    1990s``, ``week of 1 September 2025``, ``3 March 2026, night``; a value it does not know
    is returned as it is."""
    if value in _REFERENCES:
        return _REFERENCES[value]
    weekday = re.fullmatch(r"XXXX-WXX-([1-7])", value)
    if weekday:  # a weekday of a week no report gives
        return f"a {_WEEKDAY_NAMES[int(weekday.group(1)) - 1]}"
    yearless = re.match(r"^XXXX-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:T(\d\d:\d\d))?$", value)
    if yearless:  # a day of a year no report gives
        month, day, clock = yearless.groups()
        text = f"{int(day)} {_MONTH_NAMES[int(month) - 1]}"
        return f"{text}, {clock}" if clock else text
    m = _VALUE.match(value)
    if m is None:
        d = _DECADE.match(value)
        if d is None:
            return value
        if d.group("d") is None:
            return f"the {d.group('c')}00s"
        return f"the {d.group('c')}{d.group('d')}0s"
    year = int(m.group("y"))
    if m.group("d"):
        text = f"{int(m.group('d'))} {_MONTH_NAMES[int(m.group('m')) - 1]} {year}"
    elif m.group("m"):
        text = f"{_MONTH_NAMES[int(m.group('m')) - 1]} {year}"
    elif m.group("w"):
        try:
            first = date.fromisocalendar(year, int(m.group("w")), 6 if m.group("we") else 1)
        except ValueError:
            return value
        what = "weekend" if m.group("we") else "week"
        text = f"{what} of {first.day} {_MONTH_NAMES[first.month - 1]} {first.year}"
    elif m.group("q"):
        text = f"{_ORDINALS[m.group('q')]} quarter of {year}"
    elif m.group("h"):
        text = f"{_ORDINALS[m.group('h')]} half of {year}"
    elif m.group("s"):
        text = f"{_SEASON_NAMES[m.group('s')]} {year}"
    else:
        text = str(year)
    t = m.group("t")
    if t:
        part = _PARTS_OF_DAY.get(t)
        if part is None:
            clock = re.match(r"(\d\d:\d\d)(?::\d\d)?(Z|[+-]\d\d:\d\d)?$", t)
            part = (
                (clock.group(1) + (f" UTC{clock.group(2)}" if clock.group(2) else ""))
                if clock
                else t
            )
        text += f", {part}"
    return text
