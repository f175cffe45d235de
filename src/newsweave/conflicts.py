"""Where reports of one fact disagree: different numbers of the same kind, or dates that are not
refinements of one another ("December 2024" and "December 11, 2024" agree; "December 30" and
"January 1" do not).

A disagreement needs two reports each giving a value the other does not: a report that adds a
second figure to a claim does not contradict one that gives only the first. Dates are compared only
within one role (a point in time, a deadline "until Saturday", a start "since 2019"), so the day
something happened is never set against the day something else ends.
"""

from __future__ import annotations

from collections import defaultdict

from newsweave import quantities as qty
from newsweave import timex
from newsweave.facts import FactGroups
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
            for d, note in dates.get(c.key, []):
                if d.value:
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


def _disagreeing(
    per_article: dict[str, list[tuple[str, str, str | None]]], same
) -> list[ConflictValue]:  # type: ignore[no-untyped-def]
    """The values of each article, if at least two articles each give a value the other lacks."""
    articles = sorted(per_article)
    clash = False
    for i, a in enumerate(articles):
        for b in articles[i + 1 :]:
            va = [v for v, _, _ in per_article[a]]
            vb = [v for v, _, _ in per_article[b]]
            only_a = [x for x in va if not any(same(x, y) for y in vb)]
            only_b = [y for y in vb if not any(same(x, y) for x in va)]
            if only_a and only_b:
                clash = True
                break
        if clash:
            break
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
