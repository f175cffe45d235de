"""The story stage: a story's articles and their analyses in, its account
(:class:`~newsweave.model.StoryAnalysis`) out.

A loop over declared steps (:data:`STEPS`) on one :class:`StoryContext`: entity resolution, dates,
claims grouped into facts, provenance (named origins and text reuse) and independent-origin
counts, relations, quotes merged across reports, conflicts, the brief and what each report alone
adds, the timeline and the title. Never touches storage.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from newsweave.document import quotes as quotes_mod
from newsweave.document import timex
from newsweave.model import (
    Article,
    ArticleAnalysis,
    BriefSentence,
    Conflict,
    ConflictValue,
    Entity,
    Fact,
    Provenance,
    Quote,
    Relation,
    Story,
    StoryAnalysis,
    TimelineEntry,
    Unique,
)
from newsweave.story import brief as brief_mod
from newsweave.story import conflicts as conflicts_mod
from newsweave.story import entities as entities_mod
from newsweave.story import facts as facts_mod
from newsweave.story import provenance as prov
from newsweave.story import relations as relations_mod
from newsweave.story import story_dates
from newsweave.story import timeline as timeline_mod
from newsweave.story.facts import Embedder

log = logging.getLogger(__name__)


@dataclass
class StoryContext:
    """What the story stage knows of one story: its inputs, then what each step adds."""

    story: Story
    articles: list[Article]
    analyses: list[ArticleAnalysis]
    embedder: Embedder
    parser: relations_mod.RelationParser | None = None
    brief_words: int = brief_mod.WORDS
    index: entities_mod.EntityIndex | None = None
    dates: facts_mod.ResolvedDates = field(default_factory=dict)
    claims: list[facts_mod.ClaimInfo] = field(default_factory=list)
    groups: facts_mod.FactGroups | None = None
    facts: list[Fact] = field(default_factory=list)  # ranked, most central first
    named: list[Provenance] = field(default_factory=list)
    edges: list[prov.ReuseEdge] = field(default_factory=list)
    origin_of: dict[str, int] = field(default_factory=dict)  # article -> its origin group
    relations: list[Relation] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    brief: list[BriefSentence] = field(default_factory=list)
    unique: list[Unique] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)

    @property
    def fact_groups(self) -> facts_mod.FactGroups:
        assert self.groups is not None, "the facts step runs first"
        return self.groups

    @property
    def entity_index(self) -> entities_mod.EntityIndex:
        assert self.index is not None, "the entities step runs first"
        return self.index


def _entities(ctx: StoryContext) -> None:
    """People, organisations and places of the story, aliases merged."""
    ctx.index = entities_mod.resolve(ctx.story.id, ctx.articles, ctx.analyses)


def _dates(ctx: StoryContext) -> None:
    """Every date expression resolved, undated reports placed
    (:mod:`newsweave.story.story_dates`)."""
    ctx.dates = story_dates.resolve_dates(ctx.articles, ctx.analyses)


def _facts(ctx: StoryContext) -> None:
    """Claims collected and grouped into facts; the claims' stored parse made ready."""
    ctx.claims = facts_mod.collect_claims(ctx.articles, ctx.analyses, ctx.entity_index, ctx.dates)
    ctx.groups = facts_mod.build_facts(ctx.story.id, ctx.claims, ctx.embedder)
    # relations and conflicts read the claims' parse stored by the document stage
    ctx.parser = (ctx.parser or relations_mod.default_parser()).for_story(
        ctx.articles, ctx.analyses, [(c.article, c.start, c.end, c.text) for c in ctx.claims]
    )


def _provenance(ctx: StoryContext) -> None:
    """Named origins and text reuse; each fact's count of independent origins; facts ranked."""
    ctx.named = [
        p
        for a, an in zip(ctx.articles, ctx.analyses, strict=True)
        for p in prov.named_origins(a, an)
    ]
    ctx.edges = prov.reuse_edges(ctx.articles) + prov.rewrite_edges(
        ctx.fact_groups.facts, ctx.articles, ctx.analyses
    )
    ctx.origin_of = prov.origin_groups(
        [a.id for a in ctx.articles], ctx.named, ctx.edges, {a.id: a.source for a in ctx.articles}
    )
    for fact in ctx.fact_groups.facts:
        fact.origins = len({ctx.origin_of[c.article] for c in fact.claims})
    ctx.facts = ctx.fact_groups.ranked()


def _relations(ctx: StoryContext) -> None:
    """Who did what to whom, from the claims' parse."""
    ctx.relations = relations_mod.build(
        ctx.story.id,
        ctx.articles,
        ctx.analyses,
        ctx.entity_index,
        ctx.claims,
        ctx.facts,
        ctx.origin_of,
        ctx.parser,
        ctx.dates,
    )


def _quotes(ctx: StoryContext) -> None:
    """Quotations merged across reports, one per speaker the reports give them to."""
    ctx.quotes = _merge_quotes(ctx.story.id, ctx.articles, ctx.analyses, ctx.entity_index)


def _name_people(
    people: conflicts_mod.PeopleAt, articles: Sequence[Article], persons: Sequence[Entity]
) -> None:
    """Add to ``people`` the places the tagger missed where a report names a person of the
    story by a name the story's entities know ("Okafor completed 17 passes"), when that name is
    one person's alone."""
    owners: dict[str, set[str]] = defaultdict(set)
    for e in persons:
        for name in {e.name, *e.aliases}:
            if len(name) > 2 and name[0].isupper():
                owners[name].add(e.id)
    names = sorted((n for n, ids in owners.items() if len(ids) == 1), key=len, reverse=True)
    if not names:
        return
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    for article in articles:
        known = people.setdefault(article.id, [])
        for m in pattern.finditer(article.text):
            if not any(a < m.end() and m.start() < b for a, b, _ in known):
                known.append((m.start(), m.end(), next(iter(owners[m.group(0)]))))
        known.sort()


def _conflicts(ctx: StoryContext) -> None:
    """Where the reports disagree: values of one slot, names, ages, ranks, speakers; each
    conflict marks the facts it concerns, and every fact gets its status."""
    groups, index = ctx.fact_groups, ctx.entity_index
    # a person's mentions, with those the tagger typed otherwise (a surname as an
    # organisation) that the story's entities take for a person
    persons = {e.id for e in index.entities if e.type == "person"}
    people: conflicts_mod.PeopleAt = {
        an.article: [
            (m.start, m.end, eid)
            for m in an.mentions
            if (eid := index.entity_of(an.article, m.start)) is not None
            and (m.label == "PERSON" or eid in persons)
        ]
        for an in ctx.analyses
    }
    _name_people(people, ctx.articles, [e for e in index.entities if e.id in persons])
    articles, analyses, story_id = ctx.articles, ctx.analyses, ctx.story.id
    within = conflicts_mod.find(groups, ctx.dates, ctx.embedder, people, ctx.parser)
    across = conflicts_mod.find_across(groups, ctx.dates, ctx.embedder, people, ctx.parser)
    across += conflicts_mod.find_ages(story_id, groups, index, articles, analyses)
    across += conflicts_mod.find_entities(
        groups, index, articles, analyses, ctx.dates, ctx.embedder, ctx.relations, ctx.parser
    )
    across += _new_names(
        conflicts_mod.find_spellings(story_id, articles, analyses, index), within + across
    )
    across += conflicts_mod.find_ranks(story_id, index, articles, analyses)
    across += conflicts_mod.find_colours(story_id, articles)
    across += _speaker_conflicts(story_id, ctx.quotes, index)
    for conflict, concerned in within + across:
        conflict.facts = list(dict.fromkeys([conflict.about, *concerned]))
        ctx.conflicts.append(conflict)
    contested = {f for c in ctx.conflicts for f in c.facts}
    for fact in groups.facts:
        if fact.id in contested:
            fact.status = "contested"
        elif fact.origins >= 2:
            fact.status = "corroborated"
        else:
            fact.status = "single-source"


def _brief(ctx: StoryContext) -> None:
    """The brief (central facts first, each sentence cited to the reports stating it) and what
    each report alone adds."""
    ctx.brief = brief_mod.build(ctx.facts, ctx.fact_groups, ctx.brief_words, _recency(ctx.articles))
    ctx.unique = brief_mod.unique(ctx.facts, [a.id for a in ctx.articles])


def _timeline(ctx: StoryContext) -> None:
    """The dated events of the story."""
    ctx.timeline = timeline_mod.build(
        ctx.story.id, ctx.facts, ctx.fact_groups, ctx.dates, ctx.conflicts
    )


def _titled(ctx: StoryContext) -> None:
    """The story's title: its most representative headline."""
    ctx.story.title = _title(ctx.story, ctx.articles, ctx.facts)


Step = Callable[[StoryContext], None]

#: The story stage, in order. Each step reads what the steps before it put in the context.
STEPS: tuple[tuple[str, Step], ...] = (
    ("entities", _entities),
    ("dates", _dates),
    ("facts", _facts),
    ("provenance", _provenance),
    ("relations", _relations),
    ("quotes", _quotes),
    ("conflicts", _conflicts),
    ("brief", _brief),
    ("timeline", _timeline),
    ("title", _titled),
)


def build_account(
    story: Story,
    articles: Sequence[Article],
    analyses: Sequence[ArticleAnalysis],
    embedder: Embedder,
    parser: relations_mod.RelationParser | None = None,
    brief_words: int = brief_mod.WORDS,
) -> StoryAnalysis:
    """A story's account: runs :data:`STEPS` over one :class:`StoryContext` (the time of each
    step is logged at debug level)."""
    ctx = StoryContext(story, list(articles), list(analyses), embedder, parser, brief_words)
    for name, step in STEPS:
        started = time.perf_counter()
        step(ctx)
        log.debug("story %s: %s in %.3f s", story.id, name, time.perf_counter() - started)
    return StoryAnalysis(
        story=ctx.story,
        entities=ctx.entity_index.entities,
        facts=ctx.facts,
        quotes=ctx.quotes,
        conflicts=ctx.conflicts,
        provenance=[
            _with_story(p, story.id) for p in prov.provenance_records(ctx.named, ctx.edges)
        ],
        brief=ctx.brief,
        unique=ctx.unique,
        relations=ctx.relations,
        timeline=ctx.timeline,
    )


def _new_names(
    found: list[tuple[Conflict, list[str]]], known: list[tuple[Conflict, list[str]]]
) -> list[tuple[Conflict, list[str]]]:
    """The spelling conflicts of ``found`` that no conflict of ``known`` already states (a
    misspelt name can also fill a slot that another report fills with the other spelling): one
    known value holds the word one spelling writes, another the word the other writes."""
    out = []
    for conflict, facts in found:
        x, y = ({w.casefold() for w in v.value.split()} for v in conflict.values[:2])
        dx, dy = x - y, y - x
        stated = any(
            any(dx <= set(a.value.casefold().split()) for a in c.values)
            and any(dy <= set(b.value.casefold().split()) for b in c.values)
            for c, _ in known
            if c.kind == "name"
        )
        if not stated:
            out.append((conflict, facts))
    return out


def _with_story(p: prov.Provenance, story_id: str) -> prov.Provenance:
    p.story = story_id
    return p


def _recency(articles: Sequence[Article]) -> dict[str, float]:
    """Each dated article's place in the story's span of publication dates (0 first, 1 last)."""
    dated = {a.id: d for a in articles if (d := timex.parse_iso(a.published)) is not None}
    if len(set(dated.values())) < 2:
        return {}
    first, last = min(dated.values()), max(dated.values())
    span = (last - first).days
    return {a: (d - first).days / span for a, d in dated.items()}


def _merge_quotes(
    story_id: str,
    articles: Sequence[Article],
    analyses: Sequence[ArticleAnalysis],
    index: entities_mod.EntityIndex,
) -> list[Quote]:
    names = {e.id: e.name for e in index.entities}
    groups: list[dict[str, Any]] = []
    for article, analysis in zip(articles, analyses, strict=True):
        for q in analysis.quotes:
            key = quotes_mod.normalise(q.text)
            if not key:
                continue
            speaker = None
            if q.speaker_start is not None:
                speaker = index.entity_of(article.id, q.speaker_start)
            target = next((g for g in groups if _same_quote(key, g["key"])), None)
            if target is None:
                target = {
                    "key": key,
                    "texts": Counter(),
                    "speakers": Counter(),
                    "speaker_names": Counter(),
                    "articles": [],
                    "said_by": {},  # article -> the speaker it names
                }
                groups.append(target)
            elif len(key) > len(target["key"]):
                target["key"] = key
            target["texts"][q.text] += 1
            if speaker:
                target["speakers"][speaker] += 1
                target["said_by"].setdefault(article.id, speaker)
            elif q.speaker_text:
                target["speaker_names"][q.speaker_text] += 1
            if article.id not in target["articles"]:
                target["articles"].append(article.id)
    # a report whose longer quotation holds a shorter one told by others says that one too
    for g in groups:
        for other in groups:
            if other is g or g["key"] not in other["key"]:
                continue
            for article in other["articles"]:
                if article not in g["articles"]:
                    g["articles"].append(article)
                    if article in other["said_by"]:
                        g["said_by"][article] = other["said_by"][article]
                        g["speakers"][other["said_by"][article]] += 1
    quotes: list[Quote] = []
    for g in groups:
        text = max(g["texts"].items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
        text = re.sub(r"\s*\n\s*", " ", text)  # a quotation over several paragraphs: one line
        if len(g["speakers"]) > 1:
            # reports give the words to different people: one quote per speaker, each with the
            # reports that say so (a report naming no one goes with the most reports' speaker)
            ranked = sorted(g["speakers"], key=lambda e: (-g["speakers"][e], e))
            for speaker in ranked:
                theirs = [
                    a
                    for a in g["articles"]
                    if g["said_by"].get(a, ranked[0] if speaker == ranked[0] else None) == speaker
                ]
                quotes.append(Quote(text, speaker, theirs, names.get(speaker), story=story_id))
            continue
        speaker = None
        speaker_name = None
        if g["speakers"]:
            speaker = max(g["speakers"].items(), key=lambda kv: (kv[1], kv[0]))[0]
            speaker_name = names.get(speaker)
        elif g["speaker_names"]:
            speaker_name = max(g["speaker_names"].items(), key=lambda kv: (kv[1], kv[0]))[0]
        quotes.append(
            Quote(
                text=text,
                speaker=speaker,
                articles=g["articles"],
                speaker_name=speaker_name,
                story=story_id,
            )
        )
    quotes.sort(key=lambda q: (-len(q.articles), q.speaker is None))
    return quotes


#: A quotation inside a longer one is the same quotation when it is most of it; a short one
#: inside a long one is a part of it, kept as a quotation of its own.
SAME_QUOTE_SHARE = 0.6


def _same_quote(a: str, b: str) -> bool:
    """True when two normalised quotations are one: nearly the same words, or one most of the
    other."""
    short, long = sorted((a, b), key=len)
    return fuzz.ratio(a, b) >= 90 or (short in long and len(short) >= SAME_QUOTE_SHARE * len(long))


def _speaker_conflicts(
    story_id: str, quotes: Sequence[Quote], index: entities_mod.EntityIndex
) -> list[tuple[Conflict, list[str]]]:
    """One quotation given to two people by two reports, where no report names both (two
    people quoted together, "said producers Craig Zadan and Neil Meron", are left alone): a
    conflict on who said it."""
    named_in: dict[str, set[str]] = defaultdict(set)
    for (article, _start), entity in index.by_mention.items():
        named_in[article].add(entity)
    by_text: dict[str, list[Quote]] = {}
    for q in quotes:
        if q.speaker is not None:
            by_text.setdefault(q.text, []).append(q)
    # the quotations given to one set of people: one conflict, pooling each one's reports
    by_speakers: dict[frozenset[str], list[tuple[str, list[Quote]]]] = {}
    for text, said in by_text.items():
        speakers = frozenset(q.speaker for q in said if q.speaker is not None)
        if len(said) < 2 or any(len(speakers & named) > 1 for named in named_in.values()):
            continue
        if any(len((q.speaker_name or "").split()) < 2 for q in said):
            continue  # a one-word "speaker" is as often a word the tagger took for a name
        by_speakers.setdefault(speakers, []).append((text, said))
    out: list[tuple[Conflict, list[str]]] = []
    for told in by_speakers.values():
        text = told[0][0].rstrip(" ,;:")
        short = text if len(text) <= 80 else text[:77].rsplit(" ", 1)[0] + "..."
        more = f" and {len(told) - 1} more quotation{'s' if len(told) > 2 else ''}"
        about = f"who said “{short}”" + (more if len(told) > 1 else "")
        values: dict[str, ConflictValue] = {}
        for _, said in told:
            for q in said:
                name = q.speaker_name or ""
                v = values.setdefault(name, ConflictValue(name, name, []))
                v.articles += [a for a in q.articles if a not in v.articles]
        ranked = sorted(values.values(), key=lambda v: (-len(v.articles), v.value))
        out.append((Conflict("speaker", about, ranked, story=story_id), []))
    return out


_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]+")


def _title(story: Story, articles: Sequence[Article], facts: list[Fact]) -> str:
    """The story's most representative headline: the one whose words the other headlines and the
    story's most stated facts share most (not the shortest, nor one late report's); a headline
    with fewer than three words or no lower-case letter (a label, a code, an artefact) is no
    candidate. Without headlines, the most stated fact, cut at 20 words."""
    titles = [a.title for a in articles if a.title and _title_like(a.title)]
    if titles:
        words = [_title_words(t) for t in titles]
        context = Counter(w for ws in words for w in ws)
        for f in facts[:5]:
            context.update(_title_words(f.text))

        def score(k: int) -> tuple[float, int]:
            own = words[k]
            shared = sum(context[w] - 1 for w in own)  # others' use of its words
            return (shared / (len(own) ** 0.5 or 1), -k)

        return titles[max(range(len(titles)), key=score)]
    if facts:
        text = facts[0].text
        tokens = text.split()
        return text if len(tokens) <= 20 else " ".join(tokens[:20]) + " …"
    return story.title or story.id


def _title_like(title: str) -> bool:
    return len(title.split()) >= 3 and any(c.islower() for c in title)


def _title_words(text: str) -> set[str]:
    return {w.lower() for w in _TITLE_WORD.findall(text) if len(w) > 2} - brief_mod.STOP
