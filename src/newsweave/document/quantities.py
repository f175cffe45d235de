"""Numbers in text, normalised to comparable values (first version).

Handles amounts with currencies and scale words (``Rbs11.2trn``, ``$109bn``, ``€5 million``; a
currency prefix with no known code glued to a scaled number, ``Zl4.5trn``, keeps the prefix as its
unit), percentages (``80%``, ``12 percent``), ranks (``31st out of 83``), multiplicative changes
(``seven-fold``, ``tenfold``), ranges (``six to nine months``, ``6-9 months``, ``between 10 and 20
people``, ``3 to 4 percent``; the value is the midpoint, the unit carries the bounds) and counts of
things (``12 people``; with the document stage's part-of-speech tags, also past the words that
describe them, ``seven AK-47 assault rifles``, ``17 of the hijacked ships``, ``26 Somalis``).
Spelled-out numbers up to ninety-nine are read, and ``1,5`` / ``1.234,56`` decimal commas. Years
are not counts, nor numbers in names (``Boeing 737 jets``); calendar dates are left to
:mod:`newsweave.document.timex`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

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
    "crore": 1e7, "hundred": 1e2,
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

#: A number in digits, with an optional fraction after it ("2 1/2", "4½").
_NUM = r"\d+(?:[.,]\d+)*(?:\.\d+)?(?:\s[1-9]/[2-9](?![\d/])|[½¼¾])?"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
# "twenty-five" before the single words, so the compound is read whole
_WORDNUM = rf"(?:{_TENS})[-\s](?:{_UNITS})|" + "|".join(
    re.escape(w) for w in sorted(WORD_NUMBERS, key=len, reverse=True)
)
_SCALE = "|".join(sorted((re.escape(s) for s in SCALES), key=len, reverse=True))
_CUR = "|".join(sorted((re.escape(c) for c in CURRENCY_PREFIX), key=len, reverse=True))

AMOUNT = re.compile(
    rf"(?<![\w$€£¥₽₹])(?P<cur>{_CUR})\s?(?P<num>{_NUM})\s?(?P<scale>{_SCALE})?\b(?!\w)",
    re.IGNORECASE,
)
# a currency this module has no code for, glued to a number with a scale: "Zl4.5trn", "Kr12bn"
AMOUNT_GLUED = re.compile(
    r"(?<![\w$€£¥₽₹])(?P<cur>[A-Z][a-z]{0,2})(?P<num>\d+(?:[.,]\d+)?)"
    r"(?P<scale>trn|tn|bn|mln|mn|m|k)\b"
)
AMOUNT_WORD = re.compile(
    rf"\b(?P<num>{_NUM})\s?(?P<scale>{_SCALE})?\s+(?P<curw>{'|'.join(CURRENCY_WORDS)})\b",
    re.IGNORECASE,
)
#: Words before "N pounds" that make it a weight.
_WEIGHED = re.compile(
    r"\b(?:weigh\w*|[\d-]+\s*(?:feet|foot|ft)[\w\s-]*,)\s*(?:about\s+|around\s+)?$"
)
PERCENT = re.compile(rf"\b(?P<num>{_NUM})\s?(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)
RANK = re.compile(r"\b(?P<num>\d+)(?:st|nd|rd|th)\s+(?:out\s+)?of\s+(?P<of>\d+)\b", re.IGNORECASE)
FOLD = re.compile(
    rf"\b(?P<num>{_NUM}|{_WORDNUM})[-\s]?fold\b",
    re.IGNORECASE,
)
# plural nouns that do not end in -s
_IRREGULAR_PLURALS = {
    "people", "children", "men", "women", "police", "staff", "personnel", "feet",
}  # fmt: skip
#: A length with its unit abbreviated, glued or not ("2000ft", "10 km"; not "600m", which is as
#: often a sum in millions).
MEASURE = re.compile(rf"(?<![\w$€£¥₽₹.,])(?P<num>(?!0\d){_NUM})\s?(?P<unit>km|ft|mi)\b")
#: A measure written as an adjective before its noun ("an 86-yard run", "a five-year sentence",
#: "a 24-hour strike"): the unit in the plural, as "86 yards" would give it. An age ("a
#: 61-year-old") is no measure of this kind.
_ADJECTIVAL_UNITS = (
    "yard|year|foot|metre|meter|mile|kilometre|kilometer|inch|hour|day|week|month|minute|"
    "second|storey|story|tonne|ton|pound"
)
_ADJECTIVAL_PLURAL = {"foot": "feet", "storey": "storeys", "story": "stories"}
ADJECTIVAL = re.compile(
    rf"(?<![\w.,/-])(?P<num>\d+(?:\.\d+)?|(?i:{_WORDNUM}))-(?P<unit>(?i:{_ADJECTIVAL_UNITS}))"
    r"(?![\w-])(?=\s+[a-z])(?!\s+line\b)"  # "the 5-yard line" is a place on the field
)
_RANGE_UNIT = (
    rf"%|per\s?cent\b|percent\b|(?:{'|'.join(CURRENCY_WORDS)})\b|"
    rf"(?:{'|'.join(sorted(_IRREGULAR_PLURALS))})\b|[a-z]+s\b"
)
RANGE = re.compile(
    rf"\b(?:(?P<between>between)\s+)?(?P<a>{_NUM}|{_WORDNUM})(?:\s?(?:%|percent\b|per\s?cent\b))?"
    rf"(?(between)\s+and\s+|(?:\s*[-–]\s*|\s+to\s+))"
    rf"(?P<b>{_NUM}|{_WORDNUM})(?:\s?(?P<scale>{_SCALE})\b)?\s*(?P<unit>{_RANGE_UNIT})",
    re.IGNORECASE,
)
COUNT = re.compile(
    rf"(?<![\w/-])(?P<num>{_NUM}|(?i:{_WORDNUM}))(?:\s+(?P<scale>(?i:{_SCALE})))?"
    rf"\s+(?P<unit>[a-z]+)\b(?!-)"
)
_NOT_UNITS = {
    "of", "and", "or", "to", "in", "on", "at", "the", "a", "an", "for", "with", "by", "from",
    "is", "are", "was", "were", "has", "have", "had", "percent", "per", "am", "pm", "times",
    # words ending in "s" that are no plural ("November 2 this year", "at 3 as planned")
    "this", "his", "its", "as", "us", "plus", "thus", "does", "yes", "unless", "always",
    "perhaps", "besides", "towards", "afterwards", "whereas", "hers", "ours", "yours", "theirs",
}  # fmt: skip
_YEARLIKE = re.compile(r"^(1[89]|20)\d\d$")
_DURATIONS = frozenset(["years", "months", "weeks", "days", "hours", "minutes", "seconds"])


def parse_number(text: str) -> float | None:
    """A number as written: digits with thousands separators (``1,200``, ``1.234.567``), a
    decimal point or comma (``3.5``, ``1,5``, ``1.234,56``), or words (``seven``,
    ``twenty-five``)."""
    t = " ".join(text.strip().lower().replace("-", " ").split())
    fraction = re.fullmatch(r"(\d+)(?:\s([1-9])/([2-9])|([½¼¾]))", t)
    if fraction:  # "2 1/2", "4½"
        whole, num, den, sign = fraction.groups()
        part = {"½": 0.5, "¼": 0.25, "¾": 0.75}[sign] if sign else int(num) / int(den)
        return int(whole) + part if part < 1 else None
    if t in WORD_NUMBERS:
        return float(WORD_NUMBERS[t])
    parts = t.split()
    if len(parts) == 2 and parts[0] in WORD_NUMBERS and parts[1] in WORD_NUMBERS:
        tens, units = WORD_NUMBERS[parts[0]], WORD_NUMBERS[parts[1]]
        if tens >= 20 and tens % 10 == 0 and units < 10:
            return float(tens + units)
        return None
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", t):
        return None
    last_dot, last_comma = t.rfind("."), t.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        # both separators: the last one written is the decimal mark
        decimal = "." if last_dot > last_comma else ","
    elif last_dot >= 0 or last_comma >= 0:
        sep = "." if last_dot >= 0 else ","
        groups = t.split(sep)
        thousands = all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3
        # "1,200" and "1.234.567" group thousands; "1,5", "3.5" and "1.234" are decimals
        if sep == "," and thousands:
            decimal = "."
        elif sep == "." and thousands and len(groups) > 2:
            decimal = ","
        elif len(groups) == 2:
            decimal = sep
        else:
            return None
    else:
        decimal = "."
    other = "," if decimal == "." else "."
    t = t.replace(other, "").replace(decimal, ".")
    try:
        return float(t)
    except ValueError:
        return None


#: Part-of-speech tags of the words a count may have between its number and the plural noun it
#: counts ("seven AK-47 assault rifles", "13 fully loaded magazines", "12 Somali pirates").
_MODIFIER_TAGS = {"JJ", "JJR", "NN", "NNP", "VBN", "RB", "HYPH", "CD"}
_HEAD_TAGS = {"NNS", "NNPS"}
_APPROXIMATE_AFTER = {"plus", "odd", "some"}
#: A number written right after a capitalised word is part of a name ("AK 47 rifles", "Boeing
#: 737 jets", "Flight 370"), unless that word is a day or month ("Sunday 12 people died").
_NAME_BEFORE = re.compile(r"(?<![\w.])(?P<w>[A-Z][A-Za-z]*)[ -]$")
_CALENDAR_WORDS = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct"
    r"|nov|dec|january|february|march|april|june|july|august|september|october|november"
    r"|december|on|in|at|by|the|and|but|of|for|with",
    re.IGNORECASE,
)


def _in_name(text: str, start: int) -> bool:
    head = text[max(0, start - 20) : start]
    m = _NAME_BEFORE.search(head)
    if not m or _CALENDAR_WORDS.fullmatch(m.group("w")):
        return False
    before = text[: start - len(head) + m.start()].rstrip(" \t\"“'(")
    return bool(before) and before[-1] not in ".!?:\n"  # a capital opening a sentence is no name


MAX_MODIFIERS = 3


def find(
    text: str, sentences: list[Sentence], tags: Sequence[tuple[int, str, str]] = ()
) -> list[Quantity]:
    """All quantities in ``text``, each tagged with the index of its sentence. ``tags`` (each
    token's offset, text and part-of-speech tag, as the document stage has them) let a count
    reach the noun it counts past the words that describe it ("seven AK-47 assault rifles");
    without them a count is a number directly before a plural noun."""
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

    for m in RANGE.finditer(text):
        lo, hi = parse_number(m.group("a")), parse_number(m.group("b"))
        if lo is None or hi is None or lo >= hi:
            continue
        if _YEARLIKE.match(m.group("a")) and _YEARLIKE.match(m.group("b")):
            continue  # "2019-2021": a span of years, left to timex
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        lo, hi = lo * scale, hi * scale
        add(m, (lo + hi) / 2, f"{_range_unit(m.group('unit'))} {_fmt(lo)}-{_fmt(hi)}")
    for m in AMOUNT.finditer(text):
        num = parse_number(m.group("num"))
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        add(m, None if num is None else num * scale, CURRENCY_PREFIX[m.group("cur").lower()])
    for m in AMOUNT_GLUED.finditer(text):
        num = parse_number(m.group("num"))
        scale = SCALES[m.group("scale").lower()]
        add(m, None if num is None else num * scale, m.group("cur").upper())
    for m in AMOUNT_WORD.finditer(text):
        num = parse_number(m.group("num"))
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        unit = CURRENCY_WORDS[m.group("curw").lower()]
        if (
            unit == "GBP"
            and not m.group("scale")
            and _WEIGHED.search(text, max(0, m.start() - 40), m.start())
        ):
            unit = "lb"  # "weighing 130 pounds": a weight
        add(m, None if num is None else num * scale, unit)
    for m in PERCENT.finditer(text):
        add(m, parse_number(m.group("num")), "%")
    for m in RANK.finditer(text):
        add(m, parse_number(m.group("num")), f"rank/{m.group('of')}")
    for m in FOLD.finditer(text):
        add(m, parse_number(m.group("num")), "fold")
    for m in MEASURE.finditer(text):
        add(m, parse_number(m.group("num")), m.group("unit"))
    for m in ADJECTIVAL.finditer(text):
        if _YEARLIKE.match(m.group("num")):
            continue
        unit = m.group("unit").lower()
        add(m, parse_number(m.group("num")), _ADJECTIVAL_PLURAL.get(unit, unit + "s"))
    for span, value, unit in _tagged_counts(text, tags):
        if free(*span):
            taken.append(span)
            idx = max(0, bisect_right(starts, span[0]) - 1) if starts else 0
            found.append(
                Quantity(span[0], span[1], text[span[0] : span[1]], value, unit, sentence=idx)
            )
    for m in COUNT.finditer(text):
        unit = m.group("unit")
        if unit in _NOT_UNITS or _YEARLIKE.match(m.group("num")):
            continue
        if m.group("num")[0].isdigit() and _in_name(text, m.start()):
            continue
        if m.group("num").lower() == "one" or not (
            (unit.endswith("s") and not unit.endswith("ss"))
            or unit in _IRREGULAR_PLURALS
            or (unit.endswith("men") and len(unit) > 4)  # "300 crewmen", "two gunmen"
        ):
            continue
        num = parse_number(m.group("num"))
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        if num is not None and not (num * scale).is_integer() and unit not in _DURATIONS:
            continue  # a count is whole; a time may not be ("2 1/2 years")
        add(m, None if num is None else num * scale, unit)
    found.sort(key=lambda q: q.start)
    return found


def _tagged_counts(
    text: str, tags: Sequence[tuple[int, str, str]]
) -> list[tuple[tuple[int, int], float, str]]:
    """Counts read from tagged tokens: a number, at most :data:`MAX_MODIFIERS` describing words,
    then a plural noun, which names the unit ("rifles", "somalis"). A modifier that is itself a
    number is allowed only as part of a name: "12 AK 47 guns" counts 12 guns, not 47."""
    out: list[tuple[tuple[int, int], float, str]] = []
    for i, (start, word, tag) in enumerate(tags):
        if tag != "CD" or (i and tags[i - 1][2] == "HYPH"):
            continue
        value = parse_number(word)
        if value is None or word.lower() == "one" or _YEARLIKE.match(word):
            continue
        if not value.is_integer():  # a count is whole: "7.62mm rifles" is a calibre
            continue
        if word[0].isdigit() and _in_name(text, start):
            continue
        j, modifiers, partitive = i + 1, 0, False
        if (
            j + 1 < len(tags)
            and tags[j][1].lower() == "of"
            and tags[j + 1][1].lower() in ("the", "these", "those", "its", "their")
        ):
            j, partitive = j + 2, True  # "17 of the hijacked ships": a count of the ships
        while j < len(tags) and modifiers < MAX_MODIFIERS:
            w, t = tags[j][1], tags[j][2]
            if t in _HEAD_TAGS or t not in _MODIFIER_TAGS or w.lower() in _NOT_UNITS:
                break
            if t == "CD" and not re.search(r"[a-z]", w, re.IGNORECASE) and tags[j - 1][2] != "NNP":
                break  # a number is a modifier only as part of a name ("AK-47", "AK 47")
            if w.lower() in _APPROXIMATE_AFTER:
                j = len(tags)  # "three-plus seasons", "20-odd boats": a bound, not a count
                break
            j, modifiers = j + 1, modifiers + 1
        if j >= len(tags) or tags[j][2] not in _HEAD_TAGS:
            continue
        if not (modifiers or partitive) and tags[j][2] != "NNPS":
            continue  # a number right before a common plural noun: the plain pattern reads it
        head_start, head, _ = tags[j]
        if not re.fullmatch(r"[\w.-]+", head) or head.lower() in _NOT_UNITS:
            continue
        out.append(((start, head_start + len(head)), value, head.lower()))
    return out


def _fmt(x: float) -> str:
    return f"{x:.0f}" if x == int(x) else f"{x:g}"


def _range_unit(unit: str) -> str:
    u = " ".join(unit.lower().split())
    if u == "%" or u.replace(" ", "") == "percent":
        return "%"
    return CURRENCY_WORDS.get(u, u)


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
