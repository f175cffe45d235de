"""The one data model every stage reads and writes.

Plain dataclasses, no behaviour beyond (de)serialisation helpers. The flow is::

    Document (as received) --ingest--> Article (cleaned text + metadata)
    Article --document stage--> ArticleAnalysis (sentences, mentions, quotes, attributions)
    [Article + ArticleAnalysis]* --stories--> Story
    Story + its articles --story stage--> StoryAnalysis (entities, facts, provenance, conflicts,
                                                          brief, unique)

Character offsets (``start``/``end``) always index ``Article.text``.
Identifiers are deterministic: the same input gives the same ids on every run.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

SentenceKind = Literal["claim", "boilerplate", "question", "heading"]
FactStatus = Literal["corroborated", "single-source", "contested"]
Evidence = Literal["attribution", "reuse", "credit"]


def to_dict(obj: Any) -> Any:
    """Recursively turn dataclasses (and lists/dicts of them) into JSON-ready values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Inverse of :func:`to_dict` for the classes of this module (nested lists included)."""
    kwargs: dict[str, Any] = {}
    for name in (f.name for f in dataclasses.fields(cls)):
        if name not in data:
            continue
        value = data[name]
        sub = _NESTED.get((cls.__name__, name))
        if sub is not None and value is not None:
            value = [from_dict(sub, v) for v in value]
        kwargs[name] = value
    return cls(**kwargs)


# --------------------------------------------------------------------------- input


@dataclass
class Document:
    """One report as received, before cleaning. Produced by the readers in ``newsweave.ingest``."""

    text: str
    path: str | None = None  # as given by the user (relative paths stay relative)
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when the container says so
    format: str = "text"  # text | markdown | html | jsonl
    id: str | None = None  # an id the input itself carries (jsonl ``id``)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class DroppedLine:
    """A line removed from the body because it is metadata or furniture, never a claim."""

    text: str
    reason: str  # dateline | credit | caption | photo-credit | section-label | headline | sign-off
    value: str | None = None  # what was taken from it (a date, a source name), if anything


@dataclass
class Article:
    """A cleaned report: body text with metadata lines removed, plus the metadata found."""

    id: str  # short hash of the normalised content: stable and idempotent
    content_hash: str  # full sha256 hex of the normalised body text
    text: str  # the body the analysis reads; offsets index this string
    path: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date or None
    language: str | None = None  # ISO 639-1, or None when unknown
    words: int = 0
    credits: list[str] = field(default_factory=list)  # wire/credit names from signature lines
    dropped: list[DroppedLine] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- document stage


@dataclass
class Sentence:
    index: int  # position in the article, 0-based
    start: int
    end: int
    text: str
    paragraph: int = 0
    kind: SentenceKind = "claim"
    # independent clauses of a compound sentence, as [start, end] offsets; empty when the
    # sentence is one clause ("Nine died, and flags will fly at half-mast" has two)
    clauses: list[list[int]] = field(default_factory=list)


@dataclass
class Mention:
    """A named-entity mention in one article."""

    start: int
    end: int
    text: str  # as written
    label: str  # PERSON | ORG | GPE | LOC | NORP | PRODUCT | EVENT | WORK_OF_ART | LAW | FAC
    sentence: int
    title: str | None = None  # a title or role written right before it ("President", "CEO")
    role: str | None = None  # a role in apposition after it ("Roe, the CEO of the bank, said")


@dataclass
class Quantity:
    """A number in the text, normalised where possible (a first version; the numbers issue
    extends it)."""

    start: int
    end: int
    text: str
    value: float | None
    unit: str | None  # "%", "RUB", "USD", "rank", "months", ... or None
    sentence: int


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    value: str | None  # ISO value (2025-01-02, 2024-12, 2023) or None when unresolved
    sentence: int
    type: str = "DATE"  # TIMEX3 type: DATE or TIME (DURATION, SET only when asked for)
    clock: str | None = None  # a TIME's time of day as TIMEX3 writes it ("19:00", "NI")


@dataclass
class RawQuote:
    """A direct quotation in one article, with the speaker as written (resolved later)."""

    start: int
    end: int
    text: str  # the words inside the quotation marks
    sentence: int
    speaker_text: str | None = None  # "Roe", "He", "Jane Roe", ...
    speaker_start: int | None = None


@dataclass
class Attribution:
    """An explicit statement that (part of) the article comes from a named source."""

    source: str  # "Reuters", "Financial Times", ...
    text: str  # the phrase that says so
    sentence: int | None  # None for credit lines outside the body
    scope: Literal["article", "sentence"] = "sentence"


@dataclass
class ArticleAnalysis:
    """What the document stage finds in one article; cached in the store per article."""

    article: str
    version: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[RawQuote] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    # the dependency parse, packed (newsweave.syntax.encode): read by the story stage
    parse: str = ""


# --------------------------------------------------------------------------- story stage


@dataclass
class Story:
    id: str
    title: str
    articles: list[str] = field(default_factory=list)


@dataclass
class Entity:
    id: str
    name: str
    type: str  # person | organisation | place | group | product | event | other
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentions: int = 0
    story: str | None = None
    roles: list[str] = field(default_factory=list)  # titles seen with it ("CEO of Acme Bank")


@dataclass
class Claim:
    article: str
    sentence: int
    text: str  # the sentence, or one independent clause of it


@dataclass
class Fact:
    id: str
    story: str
    text: str  # the representative wording (one claim's text, verbatim)
    claims: list[Claim] = field(default_factory=list)
    reports: int = 0
    origins: int = 0
    status: FactStatus = "single-source"
    entities: list[str] = field(default_factory=list)


@dataclass
class Quote:
    text: str
    speaker: str | None  # entity id
    articles: list[str] = field(default_factory=list)
    speaker_name: str | None = None
    story: str | None = None


@dataclass
class ConflictValue:
    value: str
    text: str
    articles: list[str] = field(default_factory=list)
    note: str | None = None  # e.g. how a relative date was resolved ("anchor inferred from ...")


@dataclass
class Conflict:
    kind: str  # number | date | name | ...
    about: str  # fact id or a description of the slot
    values: list[ConflictValue] = field(default_factory=list)
    story: str | None = None
    facts: list[str] = field(default_factory=list)  # every fact whose claims give a value


@dataclass
class Provenance:
    article: str
    origin: str  # an article id, or a named source such as "Reuters"
    evidence: Evidence
    detail: str
    story: str | None = None
    # text reuse and rewrites: the share of the copy (of its words, or of its facts for a
    # paraphrase) found in the origin, and the passages as dicts: {"copy": [start, end],
    # "origin": [start, end], "text" (as written in the copy), "words", "exact",
    # "kind": verbatim | edited | restated}; offsets index each article's text
    coverage: float | None = None
    passages: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class BriefSentence:
    text: str
    articles: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)


@dataclass
class Unique:
    article: str
    facts: list[str] = field(default_factory=list)


@dataclass
class RelationEvidence:
    """One report's sentence stating a relation, with the words it used for the predicate."""

    article: str
    sentence: int  # 0-based sentence index in the article
    text: str  # the claim (sentence or clause) as written
    wording: str  # the predicate as this report worded it ("has instructed", "CEO")
    modality: str = "asserted"  # asserted | hedged | negated | planned, as this report says it
    hedge: str = ""  # the words that make it so ("may", "allegedly", "accused of", "will")


@dataclass
class RelationConflict:
    """Reports that disagree about a relation: different dates, or different objects for a
    relation that admits one (a rank, a role holder)."""

    kind: str  # "when" | "object"
    values: dict[str, list[str]] = field(default_factory=dict)  # value -> article ids


@dataclass
class Relation:
    """subject -> predicate -> object between a story's entities, merged across its reports."""

    id: str
    subject: str  # entity id
    predicate: str  # normalised relation kind ("direct", "lead", "CEO of", ...)
    object: str  # entity id when ``object_is_entity``, else a short phrase
    object_is_entity: bool = True
    wordings: list[str] = field(default_factory=list)  # predicates as the reports worded them
    when: str | None = None  # ISO date (or month, year) when the reports give one
    qualifiers: dict[str, str] = field(default_factory=dict)  # where, how much, purpose, ...
    articles: list[str] = field(default_factory=list)
    reports: int = 0
    origins: int = 0
    first_article: str | None = None
    facts: list[str] = field(default_factory=list)
    evidence: list[RelationEvidence] = field(default_factory=list)
    conflicts: list[RelationConflict] = field(default_factory=list)
    story: str | None = None
    #: How the reports state it: "asserted" (it happened / holds), "hedged" ("may", "possible",
    #: "allegedly", "accused of"), "negated" ("did not"), "planned" ("will", "intends to",
    #: "urged ... to": not done yet). Relations differing only in modality are kept apart.
    modality: str = "asserted"
    hedge: str = ""  # the hedging or future words most reports use ("may", "allegedly")


@dataclass
class TimelineExpression:
    """One report's wording of a timeline entry's date."""

    article: str
    text: str  # as written, with its introducing word ("on Wednesday", "by April")
    value: str  # its resolved ISO value
    note: str | None = None  # how a relative date was resolved when the anchor was inferred


@dataclass
class TimelineEntry:
    """A dated event of a story: a fact and a date its claims give, with the reports."""

    id: str
    date: str  # ISO value at its precision (2025-01-08, 2024-12, 2023, 2024-Q3)
    precision: str  # day | month | year | week | quarter | season | ...
    start: str  # first day of the interval the value names (ISO date)
    end: str  # last day of it
    text: str  # the claim that dates the event, verbatim
    fact: str | None = None
    articles: list[str] = field(default_factory=list)
    expressions: list[TimelineExpression] = field(default_factory=list)
    role: str = "point"  # point | start (since, from) | end (until, by)
    inferred: bool = False  # every value rests on an anchor inferred from the story
    note: str | None = None
    disputed: bool = False  # the conflicts ledger records a date disagreement about the fact
    story: str | None = None


@dataclass
class StoryAnalysis:
    story: Story
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)
    brief: list[BriefSentence] = field(default_factory=list)
    unique: list[Unique] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)


_NESTED: dict[tuple[str, str], type] = {
    ("Article", "dropped"): DroppedLine,
    ("ArticleAnalysis", "sentences"): Sentence,
    ("ArticleAnalysis", "mentions"): Mention,
    ("ArticleAnalysis", "quantities"): Quantity,
    ("ArticleAnalysis", "dates"): DateMention,
    ("ArticleAnalysis", "quotes"): RawQuote,
    ("ArticleAnalysis", "attributions"): Attribution,
    ("Fact", "claims"): Claim,
    ("Conflict", "values"): ConflictValue,
    ("Relation", "evidence"): RelationEvidence,
    ("Relation", "conflicts"): RelationConflict,
    ("TimelineEntry", "expressions"): TimelineExpression,
}
