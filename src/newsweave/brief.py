"""The brief: a short account of a story in which every sentence is report text and cites the
reports that support it.

Facts are taken most corroborated first (independent origins, then reports, then how early the
reports state them), what reports state as having happened before what they speculate about or
comment on ("could", "may", "appears to"); a fact too close to one already taken is skipped.
Each brief sentence is the fact's representative claim, verbatim except for a leading connective
("However, ") that only made sense in its own article. Disagreements follow, each as the
reports' own words side by side.
"""

from __future__ import annotations

import re

import numpy as np

from newsweave.facts import FactGroups
from newsweave.model import BriefSentence, Conflict, Fact, Unique

MAX_SENTENCES = 8
REDUNDANT = 0.80
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


def compress(text: str) -> str:
    m = _CONNECTIVE.match(text)
    if not m:
        return text
    rest = text[m.end() :]
    return rest[:1].upper() + rest[1:]


def build(ranked: list[Fact], groups: FactGroups, conflicts: list[Conflict]) -> list[BriefSentence]:
    """The brief from facts ranked most corroborated first (:meth:`FactGroups.ranked`)."""
    embeddings = groups.embeddings

    def position(f: Fact) -> float:
        return groups.position(f.id)

    chosen: list[Fact] = []
    chosen_vecs: list[np.ndarray] = []
    # stated facts before speculation and comment, each in corroboration order
    ranked = sorted(ranked, key=lambda f: bool(_HEDGED.search(f.text)))
    pool = [f for f in ranked if f.reports >= 2] or ranked
    if len([f for f in pool if f.reports >= 2]) < 3:
        pool = pool + [f for f in ranked if f not in pool]
    for f in pool:
        if len(chosen) >= MAX_SENTENCES:
            break
        vec = embeddings[groups.rep[f.id]]
        if chosen_vecs and float(max(v @ vec for v in chosen_vecs)) >= REDUNDANT:
            continue
        chosen.append(f)
        chosen_vecs.append(vec)
    # tell the story in the order the reports tell it
    chosen.sort(key=lambda f: (position(f), f.id))
    brief = [
        BriefSentence(
            text=compress(f.text),
            articles=sorted({c.article for c in f.claims}),
            facts=[f.id],
        )
        for f in chosen
    ]
    for c in conflicts:
        parts = []
        for v in c.values:
            note = f", {v.note}" if v.note else ""
            parts.append(f'"{v.text}" ({v.value}{note})')
        fact_ids = [c.about] if c.about.startswith("f-") else []
        brief.append(
            BriefSentence(
                text=f"Reports disagree on a {c.kind}: " + " versus ".join(parts) + ".",
                articles=sorted({a for v in c.values for a in v.articles}),
                facts=fact_ids,
            )
        )
    return brief


def unique(facts: list[Fact], article_ids: list[str]) -> list[Unique]:
    """Per article, the facts that no other report states."""
    own: dict[str, list[str]] = {a: [] for a in article_ids}
    for f in facts:
        supporters = {c.article for c in f.claims}
        if len(supporters) == 1:
            (only,) = supporters
            own.setdefault(only, []).append(f.id)
    return [Unique(article=a, facts=own[a]) for a in article_ids if own.get(a)]
