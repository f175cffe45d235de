"""Explicit attribution: the article (or one of its sentences) says where it comes from.

Patterns, with X an organisation named in the text: ``..., reports X``, ``X reported``,
``according to X``, ``told X``, ``a report by X``, ``citing X``, ``X first reported``. An
attribution in the lead (first two sentences) speaks for the whole article; elsewhere it speaks for
its sentence. Credit and signature lines found at ingest (``Source: X``) are article-wide too and
are added by the story stage from ``Article.credits``.
"""

from __future__ import annotations

import re

from newsweave.model import Attribution, Mention, Sentence

LEAD_SENTENCES = 2
_REPORT_VERB = (
    r"(?:reports|reported|reporting|said|says|wrote|writes|first reported|reveal(?:ed|s))"
)
# patterns relative to an organisation mention: text before it / after it
_BEFORE = re.compile(
    r"(?:\b(?:reports|reported|according to|told|(?:said|noted|spoke|speaking|talking) to|"
    r"citing|cited by|quoted by|a report (?:by|from|in)|an article (?:by|in)|reporting by|via|"
    r"as reported by|wrote in|writes)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_AFTER = re.compile(
    rf"^(?:'s?|’s?)?\s*(?:news agency\s+|newspaper\s+)?{_REPORT_VERB}\b", re.IGNORECASE
)


def find(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Attribution]:
    found: list[Attribution] = []
    seen: set[tuple[str, int]] = set()
    for m in mentions:
        if m.label != "ORG":
            continue
        before = text[max(0, m.start - 40) : m.start]
        after = text[m.end : m.end + 40]
        match_b = _BEFORE.search(before)
        match_a = _AFTER.match(after)
        if not match_b and not match_a:
            continue
        phrase_start = m.start - (len(before) - match_b.start()) if match_b else m.start
        phrase_end = m.end + match_a.end() if match_a else m.end
        key = (m.text.casefold(), m.sentence)
        if key in seen:
            continue
        seen.add(key)
        phrase = text[phrase_start:phrase_end]
        told = bool(
            match_b
            and re.match(
                r"\s*(told|said to|noted to|spoke|speaking|talking)", match_b.group(0), re.I
            )
        )
        lead = m.sentence < LEAD_SENTENCES and sentences and not told
        found.append(
            Attribution(
                source=m.text,
                text=phrase,
                sentence=m.sentence,
                scope="article" if lead else "sentence",
            )
        )
    return found
