"""Whether one claim states what another says: the check behind every citation.

Similar wording makes two claims candidates for one fact; it does not make one report a source for
the other's sentence. A claim *states* a statement when it gives every value the statement gives
(its numbers, as digits or words, and its calendar dates) and says it the same way: both assert
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

from newsweave import timex
from newsweave.quantities import WORD_NUMBERS

_WORD_NUMBER = {w: v for w, v in WORD_NUMBERS.items() if " " not in w and w != "hundred"}
_NUMBER = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])|\b(?:"
    + "|".join(sorted(_WORD_NUMBER, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
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


def numbers(text: str) -> frozenset[str]:
    """The numbers a text gives, normalised ("five" = "5", "1,000" = "1000", "6.0" = "6").
    "one" is left out (mostly a pronoun: "one of the climbers")."""
    out: set[str] = set()
    for m in _NUMBER.finditer(text):
        tok = m.group(0).lower()
        if tok in _WORD_NUMBER:
            out.add(_canonical(float(_WORD_NUMBER[tok])))
            continue
        if tok == "one":
            continue
        if _THOUSANDS.match(tok):
            tok = tok.replace(",", "")
        try:
            out.add(_canonical(float(tok.replace(",", "."))))
        except ValueError:
            continue
    out.discard("1")  # "1" as written is as often a list item or a rank as a count
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

    @property
    def size(self) -> int:
        return len(self.numbers) + len(self.dates)


def signature(text: str, dates: Iterable[str] = (), unresolved: Iterable[str] = ()) -> Signature:
    """``dates``: the claim's resolved date values (days and months count; years and seasons
    only situate); ``unresolved``: date expressions nothing could resolve ("on Wednesday" in a
    report of unknown date), compared as written."""
    return Signature(
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
    if not statement.numbers <= claim.numbers:
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
