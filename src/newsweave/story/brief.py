"""The brief: a short account of a story, at most ``words`` words (250 by default), in which
every sentence is report text and cites the reports that state it.

It leads with the central event: of the facts reports lead with, the one most like the other
reports' leads and stating the figures most reports give. Each fact is scored by how central it
is to the story (the cosine of its representative claim to the story's centroid), how widely it
is stated (independent origins, then reports), how early the reports state it (news puts what
happened, where, when, who and the figures in the lead) and how recent its reports are; what
reports speculate about or comment on ("could", "may", "appears to") and background (what
happened years before, a history) come last. After the lead, the next sentence is the fact whose
score, less :data:`REPEAT_PENALTY` times its likeness to what the brief already says, is highest;
facts are taken so, skipping any too close to one already taken (by meaning or by words: a
transcript line repeated under several time stamps is one sentence), until the budget is spent.
Each brief sentence is the fact's representative claim, verbatim except for a leading connective
("However, ") that only made sense in its own article, and cites exactly the reports whose claims
state it (:mod:`newsweave.story.support`). Disagreements are not retold here: the conflicts ledger
sets
them side by side.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from newsweave.model import BriefSentence, Fact, Unique
from newsweave.story.facts import FactGroups

WORDS = 250
REDUNDANT = 0.80  # cosine of two representative claims: one says what the other does
REDUNDANT_WORDS = 0.6  # share of the shorter sentence's content words found in the other
#: How much a fact's likeness to what the brief already says takes off its score (a sentence
#: retelling the lead in other words gives the reader nothing new).
REPEAT_PENALTY = 0.25
_CONNECTIVE = re.compile(
    r"^(?:However|Moreover|Meanwhile|Additionally|In addition|Furthermore|Also|Still|Yet|"
    r"Nevertheless|Nonetheless|Indeed|Notably|Separately|Meanwhile)\s*,\s+"
)


# what a report speculates about or comments on, rather than states as having happened (lower
# case only: "May" is a month)
_HEDGED = re.compile(
    r"\b(?:could|might|may|would|appears? to|seems? to|likely|potentially|possibly|perhaps|"
    r"raises? (?:further )?(?:questions|considerations)|remains? to be seen)\b"
)
# what happened before the story: a history, a time long ago (a year before the story's own is
# found by :func:`background`)
_BACKGROUND = re.compile(
    r"\b(?:years? ago|decades? ago|last year|in the past|previously|history of|"
    r"has a history)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_CONTENT = re.compile(r"[A-Za-z][A-Za-z'-]{2,}|\d+(?:[.,]\d+)?")
_STOP_WORDS = (
    "the and for that with from this was were has have had his her its their said says after "
    "been are but not who which when where while into over about than they them there"
)
STOP = frozenset(_STOP_WORDS.split())  # function words no two sentences share by meaning


def compress(text: str) -> str:
    m = _CONNECTIVE.match(text)
    if not m:
        return text
    rest = text[m.end() :]
    return rest[:1].upper() + rest[1:]


def _content(text: str) -> set[str]:
    return {w.lower() for w in _CONTENT.findall(text)} - STOP


def _same_words(a: set[str], b: set[str]) -> bool:
    small = min(len(a), len(b))
    return small > 0 and len(a & b) / small >= REDUNDANT_WORDS


def story_year(texts: list[str]) -> int | None:
    """The year the story's claims name most often (None when they name none)."""
    years = Counter(int(y) for t in texts for y in set(_YEAR.findall(t)))
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0] if years else None


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")


def sentence_like(text: str) -> bool:
    """Reads as a sentence on its own: opens with a capital, a digit or a quotation mark and
    ends with a full stop, a question or an exclamation mark (a clause of a compound sentence
    such as "crew aboard and was heading to the island" does not)."""
    first = text.lstrip()[:1]
    return bool(first) and not first.islower() and bool(_SENTENCE_END.search(text))


def background(text: str, year: int | None = None) -> bool:
    """A claim about what happened before the story: a history, "years ago", or only years
    before the story's own ``year``."""
    if _BACKGROUND.search(text):
        return True
    years = [int(y) for y in _YEAR.findall(text)]
    return bool(years and year is not None and max(years) < year)


def build(
    ranked: list[Fact],
    groups: FactGroups,
    words: int = WORDS,
    recency: dict[str, float] | None = None,
) -> list[BriefSentence]:
    """The brief from the story's facts, at most ``words`` words. ``recency`` gives each
    article's publication time within the story (0 = first report, 1 = latest), if known."""
    if not ranked:
        return []
    embeddings = groups.embeddings
    vectors = np.stack([embeddings[groups.rep[f.id]] for f in ranked])
    weights = np.array([f.reports for f in ranked], np.float32)
    centroid = (vectors * weights[:, None]).sum(axis=0)
    norm = float(np.linalg.norm(centroid))
    centrality = vectors @ (centroid / norm) if norm > 0 else np.zeros(len(ranked), np.float32)
    most_origins = max(f.origins for f in ranked) or 1
    year = story_year([c.text for f in ranked for c in f.claims])

    def score(k: int) -> float:
        f = ranked[k]
        value = 0.5 * float(centrality[k])
        value += 0.4 * math.log1p(f.origins) / math.log1p(most_origins)
        value += 0.1 * min(f.reports, 5) / 5
        value += 0.4 * (1.0 - groups.position(f.id))
        if recency:
            value += 0.1 * max((recency.get(c.article, 0.0) for c in f.claims), default=0.0)
        if _HEDGED.search(f.text):
            value -= 0.5
        if background(f.text, year):
            value -= 0.8
        return value

    scores = np.array([score(k) for k in range(len(ranked))], np.float32)
    lead = _typical_lead(ranked, vectors, year)
    chosen: list[int] = []
    left = set(range(len(ranked)))
    used = 0
    while left:
        if lead is not None and lead in left:
            k = lead
        else:
            # what is left, each fact's score less how much it repeats what is taken already
            near = (
                (vectors[sorted(left)] @ vectors[chosen].T).max(axis=1)
                if chosen
                else np.zeros(len(left), np.float32)
            )
            gain = scores[sorted(left)] - REPEAT_PENALTY * np.maximum(near, 0.0)
            k = sorted(left)[int(np.argmax(gain))]
        left.discard(k)
        f = ranked[k]
        text = compress(f.text)
        if not sentence_like(text):
            continue  # a clause cut from a longer sentence does not read on its own
        n = len(text.split())
        if used + n > words:
            if used >= words * 0.8:
                break
            continue
        vec = vectors[k]
        mine = _content(text)
        if any(
            float(vectors[j] @ vec) >= REDUNDANT or _same_words(mine, _content(ranked[j].text))
            for j in chosen
        ):
            continue
        chosen.append(k)
        used += n
    return [
        BriefSentence(
            text=compress(ranked[k].text),
            articles=sorted({c.article for c in ranked[k].claims}),
            facts=[ranked[k].id],
        )
        for k in chosen
    ]


def _typical_lead(ranked: list[Fact], vectors: np.ndarray, year: int | None) -> int | None:
    """The fact that opens the brief: of the facts a report leads with (its first claim: news
    puts what happened, where, when and who there), the one most like the other reports'
    leads; None when fewer than :data:`MIN_LEADS` reports lead with a fact of their own."""
    first: dict[str, int] = {}
    for f in ranked:
        for c in f.claims:
            first[c.article] = min(first.get(c.article, c.sentence), c.sentence)
    leads = [
        k
        for k, f in enumerate(ranked)
        if any(c.sentence == first[c.article] for c in f.claims)
        and sentence_like(compress(f.text))
        and not _HEDGED.search(f.text)
        and not background(f.text, year)
    ]
    if len(leads) < MIN_LEADS:
        return None
    weight = {k: sum(1 for c in ranked[k].claims if c.sentence == first[c.article]) for k in leads}
    sims = vectors[leads] @ vectors[leads].T
    # the figures most reports give (a score, a toll): a lead that states them tells the event
    told_by: dict[str, set[str]] = {}
    for f in ranked:
        for c in f.claims:
            for n in _FIGURE.findall(c.text):
                told_by.setdefault(n, set()).add(c.article)
    reports = len(first)

    def figures(k: int) -> float:
        shares = [len(told_by.get(n, ())) / reports for n in set(_FIGURE.findall(ranked[k].text))]
        return max(shares, default=0.0)

    def likeness(i: int) -> float:
        others = [(float(sims[i, j]), weight[leads[j]]) for j in range(len(leads)) if j != i]
        total = sum(w for _, w in others)
        return (sum(x * w for x, w in others) / total if total else 0.0) + figures(leads[i])

    best = max(range(len(leads)), key=lambda i: (likeness(i), -leads[i]))
    return leads[best]


#: A figure a report gives: a number that is not a year ("20-13", "226", "3.5").
_FIGURE = re.compile(r"(?<![\w.,-])(?!(?:1[89]|20)\d\d\b)\d+(?:[.,-]\d+)*(?![\w-])")


#: Reports that must lead with a fact of their own before the most typical lead opens the brief.
MIN_LEADS = 3


def unique(facts: list[Fact], article_ids: list[str]) -> list[Unique]:
    """Per article, the facts that no other report states."""
    own: dict[str, list[str]] = {a: [] for a in article_ids}
    for f in facts:
        supporters = {c.article for c in f.claims}
        if len(supporters) == 1:
            (only,) = supporters
            own.setdefault(only, []).append(f.id)
    return [Unique(article=a, facts=own[a]) for a in article_ids if own.get(a)]
