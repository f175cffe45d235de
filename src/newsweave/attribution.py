"""Explicit attribution: the article (or one of its sentences) says where it comes from.

A source is a capitalised name next to a reporting cue: ``..., reports X``, ``X reported``,
``according to X``, ``a report by X``, ``citing X``, ``as reported by X``, ``X first reported``,
``told X``. Names that the NER tags as people are skipped: "according to Smith" sources a claim
to a person, it does not say which outlet the report comes from.

Scope: a reporting cue in the lead (the first paragraph, at most three sentences) speaks for the
whole article, so it names the article's origin; elsewhere it speaks for its sentence only, and so
does ``told X`` or ``X said`` anywhere (someone told an outlet something, the article did not
necessarily come from it). Credit and signature lines found at ingest (``Source: X``) are
article-wide too; the story stage adds them from ``Article.credits``.
"""

from __future__ import annotations

import re

from newsweave.model import Attribution, Mention, Sentence

LEAD_SENTENCES = 3
_WORD = r"(?:[A-Z][\w&'’.-]*|de|of|la|for|and)"
_NAME = rf"(?P<name>{_WORD}(?:\s+{_WORD}){{0,5}})"
_THE = r"(?:the\s+)?"
# cue before the name: (pattern, article-wide?)
_BEFORE = [
    (
        re.compile(
            rf"\b(?i:reports|reported by|as reported by|according to|citing|via|"
            rf"a report (?:by|from|in)|an article (?:by|in)|first reported by)\s+{_THE}{_NAME}"
        ),
        True,
    ),
    (
        re.compile(
            rf"\b(?i:told|said to|noted to|spoke to|speaking to|talking to|in an interview "
            rf"with)\s+{_THE}{_NAME}"
        ),
        False,
    ),
]
# cue after the name
_AFTER = [
    (
        re.compile(
            rf"{_NAME}(?:['’]s?)?\s+(?:news agency\s+|newspaper\s+)?(?:reported|reports|"
            rf"first reported|has reported|was reporting)\b"
        ),
        True,
    ),
]
_BAD_NAMES = {"He", "She", "It", "They", "The", "This", "That", "We", "I", "A", "An", "In", "On"}


def _clean(name: str) -> str:
    name = re.sub(r"^(?:the|The)\s+", "", name.strip())
    name = re.sub(r"(?:\s+(?:de|of|la|for|and))+$", "", name)
    return name.rstrip(".,;:'’")


def find(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Attribution]:
    people = {m.text for m in mentions if m.label == "PERSON"}
    found: list[Attribution] = []
    seen: set[tuple[str, int]] = set()
    lead_end = _lead_end(sentences)
    for s in sentences:
        chunk = text[s.start : s.end]
        for patterns in (_BEFORE, _AFTER):
            for pattern, article_wide in patterns:
                for m in pattern.finditer(chunk):
                    name = _clean(m.group("name"))
                    if not name or name in _BAD_NAMES or name.split()[0] in _BAD_NAMES:
                        continue
                    if name in people or any(name in p or p in name for p in people):
                        continue
                    key = (name.casefold(), s.index)
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append(
                        Attribution(
                            source=name,
                            text=m.group(0).rstrip(".,;:"),
                            sentence=s.index,
                            scope="article" if article_wide and s.index < lead_end else "sentence",
                        )
                    )
    return found


def _lead_end(sentences: list[Sentence]) -> int:
    """Index of the first sentence after the lead (first paragraph, at most three sentences)."""
    if not sentences:
        return 0
    first_para = sentences[0].paragraph
    n = sum(1 for s in sentences if s.paragraph == first_para)
    return min(LEAD_SENTENCES, max(1, n))
