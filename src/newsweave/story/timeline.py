"""The story's timeline: its dated events, each with its date, precision, wording and reports.

An event is a fact (a claim, or the claims of several reports grouped as one fact) together with
a date that one of its claims gives *inside the claim itself* (the clause, not the whole
sentence: "The bank was told in April to report, after the plan announced in December" dates
two clauses differently). Dates are the resolved TIMEX3 values of the document stage, or, for a
report without a publication date, the values resolved against the story's inferred anchor; an
entry resting only on such values says so (``inferred`` and ``note``), so no precise date is
presented as known when it was inferred.

The values that the reports of one fact give are merged when they agree (one is a refinement of
the other: "December 2024" and "December 11, 2024" are one event dated 2024-12-11, supported by
both reports); values that do not agree stay separate entries, and an entry is ``disputed`` when
the conflicts ledger records a date disagreement about its fact. Entries are ordered by the start
of their interval, the finer first on ties, then by the fact's rank; a claim that supports two
facts is placed once.

Only calendar points are placed (days, months, years, weeks, quarters, seasons...): durations and
sets ("for 34 months", "every Wednesday") are not events.

**Event-anchored expressions** ("three weeks after the bank's announcement", "two days before the
vote") are resolved in a second pass against the timeline itself: the event phrase is matched to
the entry whose wording shares most of its content words (word stems, so "announcement" meets
"announced"), and the offset is applied to that entry's date when the entry is at least as
precise as the offset's unit. The new entry's ``note`` names the anchoring entry; an ambiguous
match (two entries as good, with different dates) or no match leaves the expression unresolved.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from newsweave.document import timex
from newsweave.document.timex.rules import number
from newsweave.document.timex.values import at_precision, shift
from newsweave.model import Conflict, DateMention, Fact, TimelineEntry, TimelineExpression
from newsweave.story.facts import FactGroups

#: How fine a value is, finest first (ties in the order are broken by this rank).
_FINENESS = {
    "time": 0,
    "day": 1,
    "weekend": 2,
    "week": 3,
    "month": 4,
    "season": 5,
    "quarter": 5,
    "half": 6,
    "year": 7,
    "decade": 8,
    "century": 9,
}


@dataclass
class _Group:
    value: str  # the finest value of the group
    role: str
    expressions: list[TimelineExpression] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (article, claim text)


def _fineness(value: str) -> int:
    return _FINENESS.get(timex.precision(value), 10)


def build(
    story_id: str,
    facts: Sequence[Fact],
    groups: FactGroups,
    dates: Mapping[tuple[str, int], Sequence[tuple[DateMention, str | None]]],
    conflicts: Sequence[Conflict] = (),
) -> list[TimelineEntry]:
    """The timeline of a story from its ranked ``facts``, their claim groups, the resolved dates
    per (article, sentence) with their notes (None when the value needs no inferred anchor),
    and the story's conflicts."""
    disputed = {f for c in conflicts if c.kind in ("date", "time") for f in c.facts or [c.about]}
    rank = {f.id: i for i, f in enumerate(facts)}
    entries: list[tuple[tuple[str, int, int], TimelineEntry]] = []
    for fact in facts:
        found: list[_Group] = []
        for i in groups.members.get(fact.id, []):
            claim = groups.claims[i]
            for mention, note in dates.get((claim.article, claim.sentence), []):
                value = mention.value
                if not value or not (claim.start <= mention.start < claim.end):
                    continue
                if timex.interval(value) is None:
                    continue
                role = timex.role(mention.text)
                expression = TimelineExpression(
                    article=claim.article, text=mention.text, value=value, note=note
                )
                target = next(
                    (g for g in found if g.role == role and timex.agree(g.value, value)), None
                )
                if target is None:
                    target = _Group(value=value, role=role)
                    found.append(target)
                elif _fineness(value) < _fineness(target.value):
                    target.value = value
                target.expressions.append(expression)
                target.texts.append((claim.article, claim.text))
        for g in found:
            interval = timex.interval(g.value)
            assert interval is not None
            articles = list(dict.fromkeys(e.article for e in g.expressions))
            notes = [e.note for e in g.expressions]
            inferred = all(n is not None for n in notes)
            # the wording: a claim that gives the finest value, else the first one
            text = next(
                (t for (a, t), e in zip(g.texts, g.expressions, strict=True) if e.value == g.value),
                g.texts[0][1],
            )
            key = f"{story_id}\x1f{fact.id}\x1f{g.value}\x1f{g.role}"
            entry = TimelineEntry(
                id="t-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12],
                date=g.value,
                precision=timex.precision(g.value),
                start=interval[0].isoformat(),
                end=interval[1].isoformat(),
                text=text,
                fact=fact.id,
                articles=articles,
                expressions=g.expressions,
                role=g.role,
                inferred=inferred,
                note=next((n for n in notes if n), None) if inferred else None,
                disputed=fact.id in disputed,
                story=story_id,
            )
            entries.append(((entry.start, _fineness(g.value), rank[fact.id]), entry))
    entries.sort(key=lambda kv: kv[0])
    # a claim that supports two facts, or a sentence whose clauses are two facts, would place
    # its date twice: the higher-ranked fact's entry keeps it, with the other's reports added
    out: list[TimelineEntry] = []
    seen: dict[tuple[str, str, str], TimelineEntry] = {}
    for _, e in entries:
        same = (e.date, e.role, e.text)
        if same in seen:
            kept = seen[same]
            kept.disputed = kept.disputed or e.disputed
            kept.articles += [a for a in e.articles if a not in kept.articles]
            known = {(x.article, x.text, x.value) for x in kept.expressions}
            kept.expressions += [
                x for x in e.expressions if (x.article, x.text, x.value) not in known
            ]
            kept.inferred = kept.inferred and e.inferred
            kept.note = kept.note if kept.inferred else None
            continue
        seen[same] = e
        out.append(e)
    anchored = _event_anchored(story_id, facts, groups, out)
    if anchored:
        out = sorted(
            out + anchored, key=lambda e: (e.start, _fineness(e.date), rank.get(e.fact or "", 0))
        )
    return out


_ANCHORED = re.compile(
    r"\b(?P<n>\d+|an?|[a-z]+(?:-[a-z]+)?)[\s-]+(?P<unit>days?|weeks?|months?|years?)\s+"
    r"(?P<dir>after|before)\s+(?P<event>[^,.;:!?()]{3,80})",
    re.IGNORECASE,
)
_UNIT = {"day": "D", "week": "W", "month": "M", "year": "Y"}
_PRECISION_UNIT = {"day": "D", "month": "M", "year": "Y"}
#: The finest anchor precision an offset of each unit may be applied to.
_ANCHOR_OK = {"D": {"day"}, "W": {"day"}, "M": {"day", "month"}, "Y": {"day", "month", "year"}}
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "and",
        "or",
        "but",
        "as",
        "its",
        "his",
        "her",
        "their",
        "our",
        "this",
        "that",
        "these",
        "those",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "had",
        "has",
        "have",
        "it",
        "he",
        "she",
        "they",
        "we",
        "which",
        "who",
        "s",
    ]
)
_SUFFIXES = ("ments", "ment", "ations", "ation", "ings", "ing", "ed", "es", "s")


def _stem(word: str) -> str:
    w = word.lower()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    return w.rstrip("e")


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text) if w.lower() not in _STOP}


def _event_anchored(
    story_id: str,
    facts: Sequence[Fact],
    groups: FactGroups,
    entries: Sequence[TimelineEntry],
) -> list[TimelineEntry]:
    """Entries for "N units after/before <event>" whose event is dated on the timeline."""
    dated = [(e, _stems(e.text)) for e in entries if e.precision in {"day", "month", "year"}]
    out: list[TimelineEntry] = []
    seen: set[tuple[str, str]] = set()
    for fact in facts:
        for i in groups.members.get(fact.id, []):
            claim = groups.claims[i]
            for m in _ANCHORED.finditer(claim.text):
                n = number(m.group("n"))
                if not isinstance(n, int) or n <= 0:
                    continue
                unit = _UNIT[m.group("unit").lower().rstrip("s")]
                want = _stems(m.group("event"))
                if not want:
                    continue
                scored = []
                for e, stems in dated:
                    if e.fact == fact.id:
                        continue
                    common = len(want & stems)
                    if common >= min(2, len(want)) and common / len(want) >= 0.5:
                        scored.append((common / len(want), e))
                if not scored:
                    continue
                best = max(score for score, _ in scored)
                tops = [e for score, e in scored if score == best]
                if len({e.date for e in tops}) > 1:
                    continue  # two events as good, with different dates: do not guess
                anchor = tops[0]
                if anchor.precision not in _ANCHOR_OK[unit]:
                    continue
                start = date.fromisoformat(anchor.start)
                moved = shift(start, unit, n if m.group("dir").lower() == "after" else -n)
                value = at_precision(
                    moved, {"day": "D", "month": "M", "year": "Y"}[anchor.precision]
                )
                interval = timex.interval(value)
                if interval is None or (fact.id, value) in seen:
                    continue
                seen.add((fact.id, value))
                text = m.group(0).strip()
                note = f"{text!r} resolved against {anchor.date}, the date of: {anchor.text}"
                key = f"{story_id}\x1f{fact.id}\x1f{value}\x1fanchored"
                out.append(
                    TimelineEntry(
                        id="t-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12],
                        date=value,
                        precision=timex.precision(value),
                        start=interval[0].isoformat(),
                        end=interval[1].isoformat(),
                        text=claim.text,
                        fact=fact.id,
                        articles=[claim.article],
                        expressions=[
                            TimelineExpression(
                                article=claim.article, text=text, value=value, note=note
                            )
                        ],
                        role="point",
                        inferred=anchor.inferred,
                        note=note,
                        disputed=False,
                        story=story_id,
                    )
                )
    return out
