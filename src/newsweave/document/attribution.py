"""Explicit attribution: the article (or one of its sentences) says where it comes from.

A source is a capitalised name next to a reporting cue: ``..., reports X``, ``X reported``,
``according to X``, ``a report by X``, ``citing X``, ``as reported by X``, ``X first reported``,
``told X``, and ``X said`` when X is a news organisation ("the Baltic Press said", "Baltwire news
agency said"). Names that the NER tags as people are skipped: "according to Smith" sources a claim
to a person, it does not say which outlet the report comes from.

Scope: a reporting cue in the lead (the first paragraph, at most three sentences) speaks for the
whole article, so it names the article's origin; elsewhere it speaks for its sentence only, and so
does ``told X`` anywhere (someone told an outlet something, the article did not necessarily
come from it). Credit and signature lines found at ingest (``Source: X``) are
article-wide too; the story stage adds them from ``Article.credits``.
"""

from __future__ import annotations

import re

from newsweave.model import Attribution, Mention, Sentence

LEAD_SENTENCES = 3
_CAP = r"[A-Z][\w&'’.-]*"
_WORD = rf"(?:{_CAP}|(?:de|of|la|for|and)\b)"
_NAME = rf"(?P<name>{_CAP}(?:\s+{_WORD}){{0,5}})"
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
#: "X said" names an outlet only when X is one: a name ending like a news organisation's, or one
#: called a news agency, newspaper, broadcaster or wire service ("the Interior Ministry said" is
#: a source inside the story, not where the report comes from).
MEDIA_WORDS = (
    "Press|News|Newswire|Wire|Agency|Times|Post|Journal|Herald|Tribune|Gazette|Courier"
    "|Telegraph|Chronicle|Observer|Radio|Television|TV|Broadcasting"
)
_MEDIA_END = re.compile(rf"\b(?:{MEDIA_WORDS})$")
_SAID = re.compile(
    rf"{_NAME}(?:['’]s?)?\s+(?P<kind>(?i:news agency|newspaper|broadcaster|wire service)\s+)?"
    r"(?:said|says)\b"
)
_AFTER.append((_SAID, True))
_BAD_NAMES = {"He", "She", "It", "They", "The", "This", "That", "We", "I", "A", "An", "In", "On"}


def _clean(name: str) -> str:
    name = re.sub(r"^(?:the|The)\s+", "", name.strip())
    name = re.sub(r"(?:\s+(?:de|of|la|for|and))+$", "", name)
    return name.rstrip(".,;:'’")


def _is_person(name: str, start: int, end: int, mentions: list[Mention]) -> bool:
    """The name is a person's: the NER tags a person at that place, or the name is a person's
    full name or surname written elsewhere in the article."""
    tokens = name.split()
    for m in mentions:
        if m.label != "PERSON":
            continue
        if m.start < end and start < m.end:
            return True
        person = m.text.split()
        if tokens == person or (len(tokens) == 1 and person[-1:] == tokens):
            return True
    return False


def _split(name: str, start: int, mentions: list[Mention]) -> list[tuple[str, int]]:
    """ "the Kelm Courier and Baltwire" names two sources, unless one mention covers it all."""
    if " and " not in name or any(m.text == name for m in mentions):
        return [(name, start)]
    out: list[tuple[str, int]] = []
    offset = 0
    for part in name.split(" and "):
        part_clean = _clean(part)
        if not part_clean[:1].isupper():
            return [(name, start)]
        out.append((part_clean, start + offset + part.find(part_clean)))
        offset += len(part) + len(" and ")
    return out


def find(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Attribution]:
    found: list[Attribution] = []
    seen: set[tuple[str, int]] = set()
    lead_end = _lead_end(sentences)
    # a "person" written after "the" is a mis-tagged name ("told the Kelm Courier")
    people = [
        m
        for m in mentions
        if m.label == "PERSON" and not re.search(r"\bthe\s+$", text[max(0, m.start - 4) : m.start])
    ]
    named = [m for m in mentions if m.label != "PERSON" or m not in people]
    for s in sentences:
        chunk = text[s.start : s.end]
        for patterns, after in ((_BEFORE, False), (_AFTER, True)):
            for pattern, article_wide in patterns:
                for m in pattern.finditer(chunk):
                    raw = m.group("name")
                    raw_start = s.start + m.start("name")
                    lead = re.match(r"(?:the|The)\s+", raw)
                    cleaned = _clean(raw)
                    name_start = raw_start + (lead.end() if lead else 0)
                    if not cleaned or cleaned in _BAD_NAMES or cleaned.split()[0] in _BAD_NAMES:
                        continue
                    if pattern is _SAID and not (m.group("kind") or _MEDIA_END.search(cleaned)):
                        continue  # "the Interior Ministry said": not a news organisation
                    name_end = name_start + len(cleaned)
                    # "Rescuers reported ...": a capitalised common noun opening the sentence is
                    # a source only when the NER names something there
                    opens = after and not text[s.start : raw_start].strip()
                    if (
                        opens
                        and len(cleaned.split()) == 1
                        and not any(n.start < name_end and name_start < n.end for n in named)
                    ):
                        continue
                    for name, start in _split(cleaned, name_start, named):
                        if _is_person(name, start, start + len(name), people):
                            continue
                        key = (name.casefold(), s.index)
                        if key in seen:
                            continue
                        seen.add(key)
                        wide = article_wide and s.index < lead_end
                        found.append(
                            Attribution(
                                source=name,
                                text=m.group(0).rstrip(".,;:"),
                                sentence=s.index,
                                scope="article" if wide else "sentence",
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
