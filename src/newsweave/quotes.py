"""Direct quotations and their speakers, as written in one article.

A quotation is text between double quotation marks (straight, curly or guillemets). Its speaker is
found around it with the patterns news prose uses: ``"...," X said``, ``X said: "..."``,
``said X``, ``X ..., emphasising the need to "..."``, ``He directed ... to "..."`` (a pronoun is
taken to mean the person last named before it). Quoted phrases with no speech cue and no person
nearby are kept only when they are long enough to be a statement rather than a scare quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from newsweave.model import Mention, RawQuote, Sentence

SPEECH_VERBS = (
    "said|says|say|saying|told|tells|telling|added|adds|stated|states|asserted|asserts|asserting|"
    "noted|notes|noting|explained|explains|declared|declares|announced|announces|wrote|writes|"
    "argued|argues|warned|warns|insisted|insists|urged|urges|urging|emphasi[sz]ed|emphasi[sz]es|"
    "emphasi[sz]ing|stressed|stresses|stressing|commented|remarked|replied|responded|directed|"
    "directs|ordered|orders|instructed|instructs|called|calling|invited|inviting|quoted|"
    "acknowledged|admitted|claimed|claims|promised|pledged|vowed|recalled|suggested|"
    "according to|in a statement|in an interview|posted"
)
_SPEECH = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.IGNORECASE)
_QUOTE = re.compile(r"“([^“”]{3,}?)”|\"([^\"\n]{3,}?)\"|«([^«»]{3,}?)»")
_PRONOUN = re.compile(r"\b(he|she|He|She)\b")
# a person named right after one of these is spoken to, not speaking ("He told Ana Ruiz: ...")
_ADDRESSEE = re.compile(
    r"\b(?:told|tells|telling|asked|asks|urged|urges|thanked|informed|instructed|directed|"
    r"ordered|invited|warned|reminded|assured)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# a non-restrictive relative clause: the people inside it are not the subject of the sentence
_RELATIVE = re.compile(r",\s+(?:who|whom|whose|which)\b[^,;:\"“”]*,")
MIN_WORDS_WITH_SPEAKER = 3
MIN_WORDS_WITHOUT_SPEAKER = 8


def find(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[RawQuote]:
    starts = [s.start for s in sentences]
    spans = [
        (m.start(), m.end(), next(g for g in m.groups() if g is not None))
        for m in _QUOTE.finditer(text)
    ]
    quote_ranges = [(a, b) for a, b, _ in spans]
    people = [m for m in mentions if m.label == "PERSON"]
    speakers_by_org = [m for m in mentions if m.label in {"ORG", "GPE"}]
    result: list[RawQuote] = []
    for a, b, inner in spans:
        words = len(inner.split())
        if words < MIN_WORDS_WITH_SPEAKER:
            continue
        s_first = max(0, bisect_right(starts, a) - 1) if starts else 0
        s_last = max(0, bisect_right(starts, b - 1) - 1) if starts else 0
        w_start = sentences[s_first].start if sentences else 0
        w_end = sentences[s_last].end if sentences else len(text)
        if w_end < b:
            w_end = min(len(text), b + 120)

        def outside(x: int, y: int) -> bool:
            return all(y <= qa or x >= qb for qa, qb in quote_ranges)

        verbs = [m for m in _SPEECH.finditer(text, w_start, w_end) if outside(*m.span())]
        # the cue that introduces this quotation is the one nearest to it
        verbs.sort(key=lambda v: (max(0, a - v.end(), v.start() - b), v.start()))
        cands = [
            m
            for m in people
            if w_start <= m.start < w_end
            and outside(m.start, m.end)
            and not _ADDRESSEE.search(text, max(w_start, m.start - 40), m.start)
        ]
        clauses = [r.span() for r in _RELATIVE.finditer(text, w_start, w_end)]
        main = [m for m in cands if not any(x < m.start < y for x, y in clauses)]
        cands = main or cands
        speaker: tuple[str, int] | None = None
        if cands:
            anchor = verbs[0].start() if verbs else a
            best = min(cands, key=lambda m: (abs(m.start - anchor), m.start))
            speaker = (best.text, best.start)
        elif verbs:
            pron = [m for m in _PRONOUN.finditer(text, w_start, w_end) if outside(*m.span())]
            if pron:
                previous = [
                    m
                    for m in people
                    if m.end <= pron[0].start()
                    and not _ADDRESSEE.search(text, max(0, m.start - 40), m.start)
                ]
                if previous:
                    speaker = (previous[-1].text, previous[-1].start)
            if speaker is None:
                orgs = [
                    m
                    for m in speakers_by_org
                    if w_start <= m.start < w_end and outside(m.start, m.end)
                ]
                if orgs:
                    best = min(orgs, key=lambda m: abs(m.start - verbs[0].start()))
                    speaker = (best.text, best.start)
        if speaker is None and result and _continues(result[-1], a, text, sentences, s_first):
            # "... ," Fenn said. "Second sentence of the same quotation."
            speaker = (result[-1].speaker_text or "", result[-1].speaker_start or 0)
        if speaker is None and words < MIN_WORDS_WITHOUT_SPEAKER:
            continue
        lead = len(inner) - len(inner.lstrip())
        result.append(
            RawQuote(
                start=a + 1 + lead,
                end=a + 1 + lead + len(inner.strip()),
                text=inner.strip(),
                sentence=s_first,
                speaker_text=speaker[0] if speaker else None,
                speaker_start=speaker[1] if speaker else None,
            )
        )
    return result


def _continues(
    previous: RawQuote, start: int, text: str, sentences: list[Sentence], sentence: int
) -> bool:
    """True when a quotation opens the sentence right after another attributed quotation: the same
    speaker goes on, in the same paragraph or in the next one (news prose opens a new paragraph
    for each further sentence of one quotation)."""
    if previous.speaker_text is None or not sentences:
        return False
    if sentence - previous.sentence != 1:
        return False
    return not text[sentences[sentence].start : start].strip()


def normalise(text: str) -> str:
    """A comparison key: lower case, letters and digits only, single spaces."""
    return " ".join(re.findall(r"\w+", text.casefold().replace("’", "'")))
