"""Whether one claim states what another says: the check behind every citation.

Similar wording makes two claims candidates for one fact; it does not make one report a source for
the other's sentence. A claim *states* a statement when it gives every value the statement gives
(its numbers, as digits or words, its calendar dates, and the places and organisations it names;
a person may be "he" or "the governor" in another report) and says it the same way: both assert
or both deny, both state or both speculate ("a collision was very unlikely" does not state "a
collision is the most likely cause"; "the quake may have killed five" does not state "the quake
killed five"). A claim that gives a different value for one of the statement's numbers or dates
is not support: it is a different fact, or a conflict that the ledger weighs.

These are checks on the text, deliberately strict: a report is cited for a sentence only when a
reader would find that sentence's values, polarity and modality in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from newsweave.document import timex
from newsweave.document.quantities import WORD_NUMBERS

_WORD_NUMBER = {w: v for w, v in WORD_NUMBERS.items() if " " not in w and w != "hundred"}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
#: A number as written: digits (with a decimal point or thousands separators), glued to a short
#: unit or an ordinal ending ("600m", "10km", "19th"), or a number word.
_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\d+(?:[.,]\d+)*)(?P<tail>st|nd|rd|th|[a-zA-Z]{1,3}\b)?(?![\w])|"
    r"\b(?P<word>"
    + "|".join(sorted({*_WORD_NUMBER, *_ORDINAL_WORDS}, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
#: Glued endings that make a name, not a figure ("76ers").
_NAME_TAIL = re.compile(r"^(?:ers|s)$", re.IGNORECASE)
#: An unresolved expression that names a day or a month (not "recently", "now").
_DAYLIKE = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|yesterday|tomorrow|tonight|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
#: A statement denied: "not", "never", "no one", "unlikely", "denied".
_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|neither|nor|unlikely|den(?:y|ies|ied))\b|n['’]t\b",
    re.IGNORECASE,
)
#: A statement speculated about rather than asserted (lower case: "May" is a month).
_HEDGE = re.compile(
    r"\b(?:may|might|could|possibl[ye]|probabl[ye]|perhaps|likely|unlikely|appears? to|"
    r"seems? to|suspected|believed to|thought to|expected to|feared)\b"
)


_SPEECH = r"(?:said|says|reported|reports|told|tells|added|adds|stated|states|wrote|writes)"
#: Who tells a claim rather than what it tells: ", X said (on Monday)." and ", said X." at its
#: end, "according to X" anywhere. Names and dates there are the telling's, not the claim's.
_TELLER = re.compile(
    rf",\s*[^,;]{{1,80}}?\s+{_SPEECH}\b(?:\s+[^\s,;]+){{0,5}}\W*$|,\s*{_SPEECH}\s+[^,;]{{1,80}}$|"
    r"\baccording to\b[^,;]{1,80}",
    re.IGNORECASE,
)


def teller_spans(text: str) -> list[tuple[int, int]]:
    """Offsets in ``text`` of the words that say who tells it (see ``_TELLER``)."""
    return [m.span() for m in _TELLER.finditer(text.rstrip())]


#: A clock time: "2:30 a.m.", "10.15pm", "2 a.m.", "14:05" (one value, not two numbers).
_CLOCK = re.compile(
    r"(?<![\w.:])(?P<h>\d{1,2})(?:[:.](?P<m>[0-5]\d))?\s*(?P<half>[ap]\.?\s?m\b\.?)|"
    r"(?<![\w.:])(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:])",
    re.IGNORECASE,
)
#: A direction from a place ("150 nautical miles west of Aden", "north-east of the city").
_DIRECTION = re.compile(
    r"\b(?P<dir>(?:north|south)(?:[- ]?(?:east|west))?|east|west)(?:ern)?\s+of\b", re.IGNORECASE
)


def _clock_times(text: str) -> tuple[set[str], str]:
    """The clock times of a text as a clock face shows them ("2 a.m." = "2:00", "2:30 p.m." =
    "2:30", "14:05" = "2:05"), and the text with them blanked out."""
    found: set[str] = set()

    def blank(m: re.Match[str]) -> str:
        hour = int(m.group("h") or m.group("h24"))
        minute = m.group("m") or m.group("m24") or "00"
        if hour <= 24:
            found.add(f"{(hour - 1) % 12 + 1}:{minute}")
        return " " * len(m.group(0))

    return found, _CLOCK.sub(blank, text)


def numbers(text: str) -> frozenset[str]:
    """The numbers a text gives, normalised ("five" = "5", "1,000" = "1000", "6.0" = "6",
    "fifth" = "5th"), clock times as one value each ("2:30 a.m." = "@2:30", not 2 and 30) and
    directions from a place ("west of" = "dir:west"). "one" and "first" are left out (mostly
    a pronoun or an order of telling: "one of the climbers", "the first of the deaths"), and so
    is a lone "1"."""
    times, text = _clock_times(text)
    out: set[str] = {f"@{t}" for t in times}
    for m in _DIRECTION.finditer(text):
        out.add("dir:" + re.sub(r"[- ]", "", m.group("dir").lower()))
    for m in _NUMBER.finditer(text):
        word = (m.group("word") or "").lower()
        if word:
            if word in _ORDINAL_WORDS:
                if word != "first":
                    out.add(f"{_ORDINAL_WORDS[word]}th")
            elif word != "one":
                out.add(_canonical(float(_WORD_NUMBER[word])))
            continue
        tok, tail = m.group("num"), (m.group("tail") or "").lower()
        if tail and _NAME_TAIL.match(tail):
            continue
        if _THOUSANDS.match(tok):
            tok = tok.replace(",", "")
        try:
            value = _canonical(float(tok.replace(",", ".")))
        except ValueError:
            continue
        if tail in ("st", "nd", "rd", "th"):
            out.add(f"{value}th")
        elif value != "1":  # "1" as written is as often a list item or a rank as a count
            out.add(value)
    return frozenset(out)


def _canonical(x: float) -> str:
    return f"{x:g}"


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def hedged(text: str) -> bool:
    return bool(_HEDGE.search(text))


@dataclass(frozen=True)
class Signature:
    """What a claim commits to: its numbers, its (comparable) dates, and how it says it."""

    numbers: frozenset[str]
    dates: frozenset[str]
    negated: bool
    hedged: bool
    names: frozenset[str] = frozenset()  # the entities it names (ids: aliases are one)

    @property
    def size(self) -> int:
        return len(self.numbers) + len(self.dates) + len(self.names)


def signature(
    text: str,
    dates: Iterable[str] = (),
    unresolved: Iterable[str] = (),
    names: Iterable[str] = (),
) -> Signature:
    """``dates``: the claim's resolved date values (days and months count; years and seasons
    only situate); ``unresolved``: date expressions nothing could resolve ("on Wednesday" in a
    report of unknown date), compared as written; ``names``: the entities the claim names, as
    the story's entity ids (so "Putin" and "Vladimir Putin" are one name)."""
    return Signature(
        names=frozenset(names),
        numbers=numbers(text),
        dates=frozenset(d for d in dates if timex.precision(d) in ("day", "month"))
        | frozenset(f"~{u}" for u in unresolved if _DAYLIKE.search(u)),
        negated=negated(text),
        hedged=hedged(text),
    )


def states(claim: Signature, statement: Signature) -> bool:
    """True when ``claim`` gives every value of ``statement`` the same way."""
    if claim.negated != statement.negated or claim.hedged != statement.hedged:
        return False
    if not (statement.numbers <= claim.numbers and statement.names <= claim.names):
        return False
    return all(
        d in claim.dates if d.startswith("~") else any(_agree(d, e) for e in claim.dates)
        for d in statement.dates
    )


def _agree(a: str, b: str) -> bool:
    return not b.startswith("~") and timex.agree(a, b)


def compatible(a: Signature, b: Signature) -> bool:
    """True when neither contradicts the other: one may add values, none differ in the way
    they are said. (Two claims "five killed" and "seven killed" are not compatible.)"""
    return states(a, b) or states(b, a)
