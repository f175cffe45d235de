"""Where reports of one fact disagree: different numbers of the same kind, or dates that are not
refinements of one another ("December 2024" and "December 11, 2024" agree; "December 30" and
"January 1" do not).

A disagreement needs two reports each giving a value the other does not: a report that adds a
second figure to a claim does not contradict one that gives only the first. Dates are compared only
within one role (a point in time, a deadline "until Saturday", a start "since 2019"), so the day
something happened is never set against the day something else ends.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from newsweave import quantities as qty
from newsweave import timex
from newsweave.facts import Embedder, FactGroups
from newsweave.model import Conflict, ConflictValue, DateMention


def find(
    groups: FactGroups,
    dates: dict[tuple[str, int], list[tuple[DateMention, str | None]]],
) -> list[Conflict]:
    """Conflicts between the claims of each fact. ``dates`` maps (article, sentence) to the
    sentence's resolved dates, each with a note saying how it was resolved (None if explicit)."""
    conflicts: list[Conflict] = []
    for fact in groups.facts:
        members = groups.members[fact.id]
        if fact.reports < 2:
            continue
        claims = [groups.claims[i] for i in members]
        # numbers, by unit family
        by_family: dict[str, dict[str, list[tuple[qty.Quantity, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for c in claims:
            for q in c.quantities:
                if q.value is None or q.unit is None:
                    continue
                by_family[qty.unit_family(q.unit)][c.article].append((q, c.article))
        for _family, per_article in sorted(by_family.items()):
            if len(per_article) < 2:
                continue
            values = _disagreeing(
                {
                    a: [(f"{q.value:g} {q.unit}", q.text, None) for q, _ in items]
                    for a, items in per_article.items()
                },
                same=lambda x, y: x == y,
            )
            if values:
                conflicts.append(
                    Conflict(kind="number", about=fact.id, values=values, story=fact.story)
                )
        # dates
        by_role: dict[str, dict[str, list[tuple[str, str, str | None]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for c in claims:
            for d, note in dates.get((c.article, c.sentence), []):
                if d.value and c.start <= d.start < c.end and _comparable_date(d.value):
                    by_role[timex.role(d.text)][c.article].append((d.value, d.text, note))
        for _role, per_article_dates in sorted(by_role.items()):
            if len(per_article_dates) < 2:
                continue
            values = _disagreeing(per_article_dates, same=timex.agree)
            if values:
                conflicts.append(
                    Conflict(kind="date", about=fact.id, values=values, story=fact.story)
                )
    return conflicts


def _comparable_date(value: str, year: bool = True) -> bool:
    """Calendar values a disagreement can be read from: a day, a month (or a year, when the two
    claims are already one fact); not a season, quarter or decade, which only situate."""
    return timex.precision(value) in ({"day", "month", "year"} if year else {"day", "month"})


def _disagreeing(
    per_article: dict[str, list[tuple[str, str, str | None]]], same
) -> list[ConflictValue]:
    """The values of each article, if two articles each give a value the other lacks, and no
    report gives both of those values (values one report states side by side are about different
    things, such as the day of an accident and the day of the search that followed)."""
    articles = sorted(per_article)
    values = {a: [v for v, _, _ in per_article[a]] for a in articles}

    def together(x: str, y: str) -> bool:
        return any(
            any(same(x, v) for v in vs) and any(same(y, v) for v in vs) for vs in values.values()
        )

    clash = any(
        not together(x, y)
        for i, a in enumerate(articles)
        for b in articles[i + 1 :]
        for x in values[a]
        if not any(same(x, v) for v in values[b])
        for y in values[b]
        if not any(same(y, v) for v in values[a])
    )
    if not clash:
        return []
    merged: dict[str, ConflictValue] = {}
    for a in articles:
        for value, text, note in per_article[a]:
            cv = merged.get(value)
            if cv is None:
                cv = merged[value] = ConflictValue(value=value, text=text, articles=[], note=note)
            if a not in cv.articles:
                cv.articles.append(a)
    return sorted(merged.values(), key=lambda v: (-len(v.articles), v.value))


SLOT_SIMILARITY = 0.80  # masked local contexts of two values: the same slot
CLAIM_SIMILARITY = 0.60  # adjusted score of the two claims: about the same thing
CONTEXT_WORDS = 4
_NUMBER_TOKEN = re.compile(r"\d[\d.,]*")


@dataclass
class _Fill:
    """One value a claim gives: a number (kind "number", family = unit family) or a date (kind
    "date", family = role), with where it sits in the article."""

    claim: int
    kind: str
    family: str
    value: str
    text: str
    start: int
    end: int
    note: str | None = None

    def same(self, other: _Fill) -> bool:
        if self.kind == "date":
            return timex.agree(self.value, other.value)
        return self.value == other.value


def slot_phrase(text: str, start: int, end: int, claim_start: int) -> str:
    """The words around a value with the value masked: what it counts, measures or dates ("at
    least N people were killed", "the ferry capsized on D"), comparable across reports whatever
    the value."""
    a, b = start - claim_start, end - claim_start
    before = text[:a].split()[-CONTEXT_WORDS:]
    after = text[b:].split()[:CONTEXT_WORDS]
    return _NUMBER_TOKEN.sub("N", " ".join([*before, "N", *after]))


def _fills(
    groups: FactGroups, dates: dict[tuple[str, int], list[tuple[DateMention, str | None]]]
) -> list[list[_Fill]]:
    out: list[list[_Fill]] = []
    for i, c in enumerate(groups.claims):
        fills = [
            _Fill(
                i,
                "number",
                qty.unit_family(q.unit),
                f"{q.value:g} {q.unit}",
                q.text,
                q.start,
                q.end,
            )
            for q in c.quantities
            if q.value is not None and q.unit is not None
        ]
        for d, note in dates.get((c.article, c.sentence), []):
            if d.value and c.start <= d.start < c.end and _comparable_date(d.value, year=False):
                fills.append(
                    _Fill(i, "date", timex.role(d.text), d.value, d.text, d.start, d.end, note)
                )
        out.append(fills)
    return out


def find_across(
    groups: FactGroups,
    dates: dict[tuple[str, int], list[tuple[DateMention, str | None]]],
    embedder: Embedder,
) -> list[tuple[Conflict, list[str]]]:
    """Values that fill the same slot in different facts, each conflict with the ids of the
    facts it concerns (its ``about`` names the first). "At least nine people have died" and
    "at least 11 people were killed" land in two facts because their numbers differ, yet they
    answer one question. Two claims of different reports conflict when they are about the same
    thing (claim score), give values of one kind with none in common, and the masked phrases
    around those values say the same thing; a death toll of an earlier accident (its claim dated
    differently) is another slot. All claims of the two facts that fill the slot give their
    values, and the usual rule holds: no report may give both of two conflicting values."""
    fact_of: dict[int, str] = {}
    for fact in groups.facts:
        for i in groups.members[fact.id]:
            fact_of.setdefault(i, fact.id)
    claims = groups.claims
    fills = _fills(groups, dates)
    candidates: list[tuple[_Fill, _Fill]] = []
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.article == b.article or fact_of.get(i) == fact_of.get(j):
                continue
            if float(groups.scores[i, j]) < CLAIM_SIMILARITY:
                continue
            for kind in ("number", "date"):
                xs = [f for f in fills[i] if f.kind == kind]
                ys = [f for f in fills[j] if f.kind == kind]
                if not xs or not ys or any(x.same(y) for x in xs for y in ys):
                    continue
                if (
                    kind == "number"
                    and a.dates
                    and b.dates
                    and not any(timex.agree(x, y) for x in a.dates for y in b.dates)
                ):
                    continue
                candidates += [(x, y) for x in xs for y in ys if x.family == y.family]
    if not candidates:
        return []

    def phrase(f: _Fill) -> str:
        c = claims[f.claim]
        return slot_phrase(c.text, f.start, f.end, c.start)

    cache: dict[str, np.ndarray] = {}

    def embed(texts: list[str]) -> np.ndarray:
        new = sorted({t for t in texts if t not in cache})
        if new:
            cache.update(zip(new, embedder.embed(new), strict=True))
        return np.stack([cache[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)

    vectors = embed([phrase(f) for pair in candidates for f in pair])
    slots: dict[tuple[str, str, str], list[np.ndarray]] = {}
    for k, (x, y) in enumerate(candidates):
        if float(vectors[2 * k] @ vectors[2 * k + 1]) >= SLOT_SIMILARITY:
            fa, fb = sorted((fact_of[x.claim], fact_of[y.claim]))
            slots.setdefault((fa, fb, x.kind), []).extend([vectors[2 * k], vectors[2 * k + 1]])
    conflicts: list[tuple[Conflict, list[str]]] = []
    for (fa, fb, kind), slot_vectors in sorted(slots.items(), key=lambda kv: kv[0]):
        members = [
            f for fid in (fa, fb) for i in groups.members[fid] for f in fills[i] if f.kind == kind
        ]
        member_vectors = embed([phrase(f) for f in members])
        slot = np.stack(slot_vectors)
        per_article: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
        for f, vec in zip(members, member_vectors, strict=True):
            if float(np.max(slot @ vec)) >= SLOT_SIMILARITY:
                entry = (f.value, f.text, f.note)
                article = claims[f.claim].article
                if entry not in per_article[article]:
                    per_article[article].append(entry)
        same = timex.agree if kind == "date" else (lambda x, y: x == y)
        values = _disagreeing(per_article, same=same)
        if values:
            conflict = Conflict(kind=kind, about=fa, values=values, story=groups.facts[0].story)
            conflicts.append((conflict, [fa, fb]))
    return _merge_shared(conflicts)


def _merge_shared(
    conflicts: list[tuple[Conflict, list[str]]],
) -> list[tuple[Conflict, list[str]]]:
    """One conflict per slot: two conflicts of one kind that concern a common fact (the one report
    saying "Monday" against two facts saying "Tuesday") become one, values pooled."""
    merged: list[tuple[Conflict, list[str]]] = []
    for conflict, facts in conflicts:
        home = next(
            (m for m in merged if m[0].kind == conflict.kind and set(m[1]) & set(facts)), None
        )
        if home is None:
            merged.append((conflict, list(facts)))
            continue
        target, target_facts = home
        target_facts.extend(f for f in facts if f not in target_facts)
        for value in conflict.values:
            same = next((v for v in target.values if v.value == value.value), None)
            if same is None:
                target.values.append(value)
            else:
                same.articles.extend(a for a in value.articles if a not in same.articles)
        target.values.sort(key=lambda v: (-len(v.articles), v.value))
    return merged
