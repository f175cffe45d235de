"""Numbers in text, normalised to comparable values (first version).

Handles amounts with currencies and scale words (``Rbs11.2trn``, ``$109bn``, ``€5 million``),
percentages (``80%``, ``12 percent``), ranks (``31st out of 83``), multiplicative changes
(``seven-fold``), ranges (``six to nine months``) and counts of things (``12 people``). Spelled-out
numbers up to the tens are read. Years and calendar dates are left to :mod:`newsweave.timex`.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from newsweave.model import Quantity, Sentence

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
}  # fmt: skip
SCALES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "b": 1e9,
    "bn": 1e9, "billion": 1e9, "trn": 1e12, "tn": 1e12, "trillion": 1e12, "lakh": 1e5,
    "crore": 1e7,
}  # fmt: skip
CURRENCY_PREFIX = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "¥": "JPY", "₽": "RUB", "rbs": "RUB", "rub": "RUB", "rs": "INR", "₹": "INR", "a$": "AUD",
    "c$": "CAD", "chf": "CHF", "cny": "CNY", "rmb": "CNY", "yuan": "CNY",
}  # fmt: skip
CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP",
    "roubles": "RUB", "rubles": "RUB", "rouble": "RUB", "ruble": "RUB", "yen": "JPY",
    "yuan": "CNY", "rupees": "INR",
}  # fmt: skip

_NUM = r"\d+(?:[.,]\d+)*(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
_SCALE = "|".join(sorted((re.escape(s) for s in SCALES), key=len, reverse=True))
_CUR = "|".join(sorted((re.escape(c) for c in CURRENCY_PREFIX), key=len, reverse=True))

AMOUNT = re.compile(
    rf"(?<![\w$€£¥₽₹])(?P<cur>{_CUR})\s?(?P<num>{_NUM})\s?(?P<scale>{_SCALE})?\b(?!\w)",
    re.IGNORECASE,
)
AMOUNT_WORD = re.compile(
    rf"\b(?P<num>{_NUM})\s?(?P<scale>{_SCALE})?\s+(?P<curw>{'|'.join(CURRENCY_WORDS)})\b",
    re.IGNORECASE,
)
PERCENT = re.compile(rf"\b(?P<num>{_NUM})\s?(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)
RANK = re.compile(r"\b(?P<num>\d+)(?:st|nd|rd|th)\s+(?:out\s+)?of\s+(?P<of>\d+)\b", re.IGNORECASE)
FOLD = re.compile(rf"\b(?P<num>{_NUM}|{_WORDNUM})[-\s]fold\b", re.IGNORECASE)
RANGE = re.compile(
    rf"\b(?P<a>{_NUM}|{_WORDNUM})\s+(?:to|-|–)\s+(?P<b>{_NUM}|{_WORDNUM})\s+(?P<unit>[a-z]+s)\b",
    re.IGNORECASE,
)
COUNT = re.compile(
    rf"(?<![\w-])(?P<num>{_NUM}|(?i:{_WORDNUM}))(?:\s+(?P<scale>(?i:{_SCALE})))?"
    rf"\s+(?P<unit>[a-z]+)\b(?!-)"
)
# plural nouns that do not end in -s
_IRREGULAR_PLURALS = {"people", "children", "men", "women", "police", "staff", "personnel"}
_NOT_UNITS = {
    "of", "and", "or", "to", "in", "on", "at", "the", "a", "an", "for", "with", "by", "from",
    "is", "are", "was", "were", "has", "have", "had", "percent", "per", "am", "pm", "times",
}  # fmt: skip
_YEARLIKE = re.compile(r"^(1[89]|20)\d\d$")


def parse_number(text: str) -> float | None:
    t = text.strip().lower()
    if t in WORD_NUMBERS:
        return float(WORD_NUMBERS[t])
    t = t.replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


def find(text: str, sentences: list[Sentence]) -> list[Quantity]:
    """All quantities in ``text``, each tagged with the index of its sentence."""
    starts = [s.start for s in sentences]
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(m: re.Match[str], value: float | None, unit: str | None) -> None:
        a, b = m.span()
        if not free(a, b):
            return
        taken.append((a, b))
        idx = max(0, bisect_right(starts, a) - 1) if starts else 0
        found.append(
            Quantity(start=a, end=b, text=m.group(0), value=value, unit=unit, sentence=idx)
        )

    for m in AMOUNT.finditer(text):
        num = parse_number(m.group("num"))
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        add(m, None if num is None else num * scale, CURRENCY_PREFIX[m.group("cur").lower()])
    for m in AMOUNT_WORD.finditer(text):
        num = parse_number(m.group("num"))
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        add(m, None if num is None else num * scale, CURRENCY_WORDS[m.group("curw").lower()])
    for m in PERCENT.finditer(text):
        add(m, parse_number(m.group("num")), "%")
    for m in RANK.finditer(text):
        add(m, parse_number(m.group("num")), f"rank/{m.group('of')}")
    for m in FOLD.finditer(text):
        add(m, parse_number(m.group("num")), "fold")
    for m in RANGE.finditer(text):
        lo, hi = parse_number(m.group("a")), parse_number(m.group("b"))
        if lo is not None and hi is not None:
            add(m, (lo + hi) / 2, f"{m.group('unit').lower()} {lo:g}-{hi:g}")
    for m in COUNT.finditer(text):
        unit = m.group("unit")
        if unit in _NOT_UNITS or _YEARLIKE.match(m.group("num")):
            continue
        if m.group("num").lower() == "one" or not (
            (unit.endswith("s") and not unit.endswith("ss")) or unit in _IRREGULAR_PLURALS
        ):
            continue
        num = parse_number(m.group("num"))
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        add(m, None if num is None else num * scale, unit)
    found.sort(key=lambda q: q.start)
    return found


def same_value(a: Quantity, b: Quantity, tolerance: float = 0.005) -> bool:
    """True when two quantities state the same amount (after scale), within a rounding margin."""
    if a.value is None or b.value is None:
        return a.text.lower() == b.text.lower()
    if a.value == b.value:
        return True
    big = max(abs(a.value), abs(b.value))
    return big > 0 and abs(a.value - b.value) / big <= tolerance


def comparable(a: Quantity, b: Quantity) -> bool:
    """True when two quantities measure the same kind of thing (same unit family)."""
    if a.unit is None or b.unit is None:
        return False
    return unit_family(a.unit) == unit_family(b.unit)


def unit_family(unit: str) -> str:
    if unit.startswith("rank/"):
        return "rank"
    return unit.split(" ")[0].rstrip("s")
