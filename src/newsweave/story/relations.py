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
* **appositions** of an entity with a common noun give ``entity -> "is" -> phrase``;
* **rankings** give ``ranking -> "rank" -> ranked`` with the place as ``value`` ("X ranks 12th
  out of 40 countries in Z", "X was ranked 12th by Z", "Z places X 12th", "X's position at 12th
  in Z"), when the ranking is a named entity;
* a purpose clause belongs to the thing created ("announced the creation of Y to unite Z": Y
  unites Z), and "the instructions task X" is an order of whoever the report names as issuing
  them (:data:`ISSUER`);
* a date reached through another clause is not the relation's ("tasked ..., with a report
  expected by June"), and "by" / "since" / "until" dates are qualifiers, not its date.

Phrase objects also merge when their head nouns agree (creation nouns are one class) and they
name a shared entity. Predicates are normalised to a kind: verbs of one meaning ("instruct",
"direct", "order", "task") are one kind (:data:`KINDS`), while each report's wording is kept.
Relations are merged across reports on (subject, kind, object) (phrase objects when their
content words mostly agree), with their supporting reports, independent origins, first report,
the facts whose claims state them, and conflicts (different dates, or different objects for a
role or a rank).
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

from newsweave import syntax
from newsweave.model import (
    Article,
    ArticleAnalysis,
    Entity,
    Fact,
    Mention,
    Relation,
    RelationConflict,
    RelationEvidence,
)
from newsweave.models import SPACY_MODEL
from newsweave.story.entities import EntityIndex, normalise
from newsweave.story.facts import ClaimInfo, ResolvedDates

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)

MODEL = SPACY_MODEL  # the one model name, declared in newsweave.models
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
#: Roles many people hold at one organisation ("CNN's medical correspondent", "Troy police
#: Lt."): role relations, never one holder nor a conflict.
STAFF_NOUNS = {
    "correspondent", "reporter", "sheriff", "undersheriff", "lieutenant", "lt", "constable",
    "const", "sergeant", "sgt", "detective", "det", "inspector", "superintendent",
    "commissioner", "attorney", "lawyer", "analyst", "official", "aide", "adviser", "advisor",
    "trustee", "dean", "professor", "producer", "anchor", "columnist", "economist",
    "researcher", "employee", "staffer", "administrator", "treasurer", "counsel",
    "representative", "delegate", "vice-president", "associate",
}  # fmt: skip
_ROLE_DROP = {"the", "a", "an", "its", "his", "her", "their", "former", "then"}
#: Nouns naming an order: "the instructions task X to ..." is an order of whoever issued them.
DIRECTIVE_NOUNS = {"instruction", "directive", "order", "decree", "mandate", "edict"}
#: Nouns naming the making of a thing: "the creation of X to unite Y" is X uniting Y.
CREATION_NOUNS = {
    "creation", "formation", "establishment", "founding", "foundation", "launch", "setting",
    "set-up", "setup", "inauguration", "unveiling",
}  # fmt: skip
#: Nouns naming a position in a ranking: "X's position at 12th in the Index".
RANK_NOUNS = {"position", "rank", "ranking", "place", "placing", "standing", "spot"}
#: Common nouns that, with "the", stand for the place last named in the sentence.
PLACE_NOUNS = {"country", "nation", "state", "republic", "kingdom"}
_NAMING = {"call", "name", "dub", "title", "christen", "brand"}
_OPEN_QUOTES = {'"', "“", "‘", "'", "``", "«"}
_SUBJ = {"nsubj", "csubj"}
_OBJ = {"dobj", "attr", "oprd", "dative"}
_PHRASE_CUT = {"relcl", "acl", "appos", "punct", "advcl", "cc", "parataxis", "mark", "prep"}
_QUANT_OBJ = re.compile(r"^\d+(?:st|nd|rd|th)?$|^(?:first|second|third|last|top)$", re.I)

# --------------------------------------------------------------------------- modality

ASSERTED, HEDGED, NEGATED, PLANNED = "asserted", "hedged", "negated", "planned"
#: Auxiliaries that make a clause a possibility, not a fact ("may name", "could have").
HEDGE_MODALS = {"may", "might", "could", "should", "ought"}
#: Auxiliaries of the future ("will name", "would be handed over").
FUTURE_AUX = {"will", "'ll", "shall", "would", "wo", "'d"}
#: Adverbs that hedge the clause they modify ("allegedly opened fire").
HEDGE_ADVERBS = {
    "allegedly", "reportedly", "possibly", "probably", "perhaps", "maybe", "apparently",
    "supposedly", "purportedly", "presumably", "seemingly", "likely", "reputedly", "ostensibly",
    "conceivably", "potentially", "unlikely",
}  # fmt: skip
#: Adjectives that hedge what they govern ("is likely to", "a possible cause is that ...").
HEDGE_ADJ = {
    "possible", "alleged", "suspected", "likely", "unlikely", "probable", "potential", "apparent",
    "purported", "supposed", "presumed", "unconfirmed", "unclear", "uncertain", "plausible",
}  # fmt: skip
#: Nouns naming a possibility ("the theory is that ...", "allegations that ...").
HEDGE_NOUNS = {
    "possibility", "theory", "assumption", "hypothesis", "suspicion", "allegation",
    "speculation", "rumour", "rumor", "likelihood", "chance", "suggestion", "guess",
}  # fmt: skip
#: Verbs whose complement is a claim not (yet) established: "police allege X opened fire",
#: "X is accused of shooting Y", "X is believed to have", "X denied killing Y".
HEDGE_HEADS = {
    "allege", "accuse", "suspect", "believe", "claim", "think", "suppose", "presume",
    "speculate", "rumor", "rumour", "appear", "seem", "doubt", "deny", "fear", "suggest",
    "charge", "indict", "arrest", "investigate", "question", "guess", "assume",
}  # fmt: skip
#: Verbs that ask someone to act: what is asked is not done by asking.
_ASKING = {
    "urge", "ask", "tell", "invite", "call", "press", "push", "encourage", "persuade",
    "request", "demand", "advise", "recommend", "appeal",
}  # fmt: skip
#: Verbs whose complement is not done yet: "plans to", "is expected to", "urged Y to".
PLAN_HEADS = _ASKING | {
    "plan", "intend", "aim", "expect", "hope", "want", "wish", "seek", "agree", "promise",
    "pledge", "vow", "prepare", "decide", "schedule", "propose", "threaten", "offer", "mean",
    "set", "due", "need", "try", "attempt", "vote", "move",
    # orders and mandates: what is ordered is not done by ordering
    "order", "instruct", "direct", "task", "command", "mandate", "require", "authorize",
    "authorise", "commission", "assign", "entrust", "empower", "allow", "permit", "nominate",
    "appoint",
}  # fmt: skip
#: Passives that only frame their infinitive ("is set to", "is expected to", "is believed to"):
#: no relation of their own.
RAISING = {
    "set", "expect", "due", "schedule", "suppose", "believe", "say", "report", "think", "know",
    "allege", "rumour", "rumor", "slate", "poise", "bind", "likely",
}  # fmt: skip
#: Verbs whose "from" clause did not happen: "prevented pirates from attacking".
PREVENT_HEADS = {"prevent", "stop", "bar", "ban", "keep", "deter", "block", "prohibit", "save"}
#: Nouns whose infinitive is not done yet: "announced his intent to nominate".
PLAN_NOUNS = {
    "intent", "intention", "plan", "bid", "proposal", "promise", "pledge", "threat", "decision",
    "aim", "goal", "plot", "offer", "attempt", "effort", "call", "request", "order", "readiness",
    "willingness", "move", "push", "desire", "wish", "agreement", "commitment",
}  # fmt: skip
#: Verbs that ask someone else to act: with no one named to act, the asker does not act.
REQUEST_HEADS = _ASKING | {"implore", "beg", "warn"}
#: Nouns naming a part of an organisation: a role "of the press service of X" is not X's.
UNIT_NOUNS = {
    "service", "office", "department", "division", "unit", "bureau", "committee", "board",
    "council", "branch", "section", "team", "wing", "desk", "arm", "subsidiary", "directorate",
    "staff", "secretariat", "panel", "subcommittee", "caucus", "chapter", "affiliate",
}  # fmt: skip
#: Kinds of verbs that mean something else without a direct object: "heads the fleet" leads
#: it, "heading to the United States" is movement; "brought to court" unites no one.
MOTION_KINDS = {"lead", "unite"}


def _infinitive(verb: Token) -> bool:
    """An infinitive or a controlled complement ("to go", "made them go"), not a finite clause
    ("told police he had gone")."""
    return verb.dep_ == "xcomp" or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def modality(verb: Token) -> tuple[str, str]:
    """How a clause states what its verb says: ``asserted``, ``hedged`` (a modal of
    possibility, a hedging adverb, or a clause under "allege", "accused of", "is believed to",
    "the possible cause is that ..."), ``negated`` ("did not") or ``planned`` (future, or what
    someone intends, expects or is asked to do), with the words that make it so. Hedged wins
    over negated, negated over planned."""
    hedges: list[str] = []
    plans: list[str] = []
    negated = False
    t = verb
    own = True
    for _ in range(8):
        for c in t.children:
            low = c.lower_
            if c.dep_ in {"aux", "auxpass"}:
                if low in HEDGE_MODALS:
                    hedges.append(c.text)
                elif low in FUTURE_AUX:
                    plans.append(c.text)
                elif low == "to" and t.dep_ == "ROOT" and t.i == verb.i:
                    plans.append(c.text)  # a headline's "X to name Y"
            elif c.dep_ == "neg" and own:
                negated = True
            elif (c.dep_ == "advmod" and low in HEDGE_ADVERBS) or (
                c.dep_ == "mark" and low in {"if", "unless", "whether"} and own
            ):
                hedges.append(c.text)
            elif c.dep_ in {"nsubj", "nsubjpass"} and own:
                # "the suspected gunman X shot Y"; "Police allege X ..." misread as one noun
                # phrase ("allege" a compound of the subject)
                hedges.extend(
                    w.text
                    for w in c.subtree
                    if w.i < c.i
                    and w.dep_ in {"amod", "compound"}
                    and (
                        w.lower_ in HEDGE_ADJ
                        or (w.dep_ == "compound" and w.lemma_.lower() in {"allege", "claim"})
                    )
                )
        head, dep = t.head, t.dep_
        if head.i == t.i:
            break
        hl = head.lemma_.lower()
        if dep == "conj" and not any(c.dep_ in _SUBJ | {"nsubjpass"} for c in t.children):
            t = _coordinated_head(t)  # "allegedly produced a weapon and fired": both hedged
            continue
        if (
            dep == "advcl"
            and t.tag_ == "VBG"
            and not any(c.dep_ in _SUBJ | {"mark", "nsubjpass"} for c in t.children)
        ):
            t = head  # "allegedly opened fire, killing Y": the killing is hedged too
            continue
        if dep in {"xcomp", "ccomp"}:
            passive = any(c.dep_ == "auxpass" for c in head.children)
            if (
                hl in HEDGE_HEADS
                or (passive and hl in {"say", "report", "know", "think"})
                or (head.pos_ == "ADJ" and hl in HEDGE_ADJ)
            ):
                hedges.append(head.text)
            elif (hl in PLAN_HEADS and _infinitive(t)) or (
                hl == "go" and head.tag_ == "VBG" and dep == "xcomp"
            ):
                plans.append(head.text)  # "told Y to go", not "told police Y had gone"
            elif hl == "be":
                for c in head.children:
                    if c.dep_ == "acomp" and c.lower_ in HEDGE_ADJ:
                        hedges.append(c.text)
                    elif c.dep_ in _SUBJ:
                        if c.lemma_.lower() in HEDGE_NOUNS:
                            hedges.append(c.text)
                        hedges.extend(
                            a.text for a in c.children if a.dep_ == "amod" and a.lower_ in HEDGE_ADJ
                        )
            elif hl in REPORTING:
                break  # "police said X did Y": attributed, asserted
            t, own = head, False
            continue
        if dep == "pcomp" and head.dep_ == "prep":
            # "accused of shooting Y", "suspected of killing", "charged with"
            gov = head.head
            gl = gov.lemma_.lower()
            if gl in HEDGE_HEADS or (gov.pos_ in {"ADJ", "NOUN"} and gl in HEDGE_ADJ):
                hedges.append(f"{gov.text} {head.text}")
            elif gl in PREVENT_HEADS and head.lower_ == "from":
                negated = True  # "prevented pirates from attacking": they did not attack
            elif gl in PLAN_HEADS or gl in PLAN_NOUNS:
                plans.append(f"{gov.text} {head.text}")
            t, own = gov, False
            continue
        if dep == "advcl" and hl in PLAN_HEADS and _infinitive(t):
            plans.append(head.text)  # "was nominated to serve", parsed as a purpose clause
            break
        if dep == "acl" and head.pos_ in {"NOUN", "PROPN"}:
            nl = head.lemma_.lower()
            if nl in PLAN_NOUNS and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
                plans.append(head.text)
            elif nl in HEDGE_NOUNS:
                hedges.append(head.text)
        break
    if hedges:
        return HEDGED, " ".join(dict.fromkeys(hedges))
    if negated:
        return NEGATED, ""
    if plans:
        return PLANNED, " ".join(dict.fromkeys(plans))
    return ASSERTED, ""


def kind_of(lemma: str) -> str:
    """The normalised relation kind of a verb lemma (the lemma itself when it has no class)."""
    low = lemma.lower()
    return KIND_OF.get(low, low)


# --------------------------------------------------------------------------- the parser


class RelationParser:
    """One dependency-parser pipeline, loaded on first use (tagger, parser, lemmatizer; no NER).

    The story stage reads the parse the document stage stored instead (:meth:`for_story`); this
    pipeline parses only texts without a stored parse (analyses made by hand, claims whose tokens
    the stored parse does not cover)."""

    def __init__(self, model: str = MODEL) -> None:
        self.model = model
        self._nlp: Language | None = None
        self._lemmas: _Lemmas | None = None
        self._vocab: Vocab | None = None
        self._lock = threading.Lock()

    @property
    def nlp(self) -> Language:
        with self._lock:
            if self._nlp is None:
                self._nlp = load_parser(self.model)
            return self._nlp

    def lemmas(self) -> _Lemmas | None:
        """The verb and noun lemmatiser, from the model's rule tables (read from disk on first
        use, without loading the pipeline)."""
        with self._lock:
            if self._lemmas is None:
                lookups = _lemma_lookups(self.model, self._nlp)
                if lookups is not None:
                    self._lemmas = _Lemmas(lookups)
            return self._lemmas

    def vocab(self) -> Vocab:
        """The vocabulary of the claim docs rebuilt from stored parses (English lexical
        attributes, no model)."""
        with self._lock:
            if self._vocab is None:
                import spacy

                self._vocab = spacy.blank("en").vocab
            return self._vocab

    def parse(self, texts: Sequence[str], batch_size: int = 64) -> dict[str, Doc]:
        """Each distinct text parsed once, in batches, with coarse POS and lemmas filled in."""
        unique = sorted(set(texts))
        if not unique:
            return {}
        nlp = self.nlp
        lemmas = self.lemmas()
        docs = {}
        for text, doc in zip(unique, nlp.pipe(unique, batch_size=batch_size), strict=True):
            _coarse(doc, lemmas)
            docs[text] = doc
        return docs

    def for_story(
        self,
        articles: Sequence[Article],
        analyses: Sequence[ArticleAnalysis],
        spans: Iterable[tuple[str, int, int, str]],
    ) -> StoredParses:
        """A parser for one story that reads each claim's parse from its article's stored parse
        (``spans``: article id, start and end character, text of each claim)."""
        return StoredParses(self, articles, analyses, spans)


class StoredParses(RelationParser):
    """:meth:`RelationParser.parse` over one story's claims, read from the parse the document
    stage stored with each article (:mod:`newsweave.syntax`), so nothing is parsed twice. A text
    it does not know, or whose article has no stored parse, goes to the base parser."""

    def __init__(
        self,
        base: RelationParser,
        articles: Sequence[Article],
        analyses: Sequence[ArticleAnalysis],
        spans: Iterable[tuple[str, int, int, str]],
    ) -> None:
        super().__init__(base.model)
        self.base = base
        self._text = {a.id: a.text for a in articles}
        self._packed = {an.article: an.parse for an in analyses if an.parse}
        self._decoded: dict[str, syntax.Parse | None] = {}
        self._where: dict[str, tuple[str, int, int]] = {}
        # a text several reports share is read from one of them, the same whatever their order
        for article_id, start, end, text in sorted(spans):
            if article_id in self._packed and article_id in self._text:
                self._where.setdefault(text, (article_id, start, end))

    @property
    def nlp(self) -> Language:
        return self.base.nlp

    def lemmas(self) -> _Lemmas | None:
        return self.base.lemmas()

    def vocab(self) -> Vocab:
        return self.base.vocab()

    def _stored(self, article_id: str) -> syntax.Parse | None:
        if article_id not in self._decoded:
            self._decoded[article_id] = syntax.decode(self._packed[article_id])
        return self._decoded[article_id]

    def parse(self, texts: Sequence[str], batch_size: int = 64) -> dict[str, Doc]:
        docs: dict[str, Doc] = {}
        missing: list[str] = []
        lemmas = self.lemmas()
        for text in sorted(set(texts)):
            where = self._where.get(text)
            parse = self._stored(where[0]) if where else None
            doc = None
            if where is not None and parse is not None:
                article_id, start, end = where
                doc = syntax.claim_doc(self.vocab(), self._text[article_id], parse, start, end)
            if doc is None:
                missing.append(text)
                continue
            _coarse(doc, lemmas)
            docs[text] = doc
        if missing:
            docs.update(self.base.parse(missing, batch_size))
        return docs


def _lemma_lookups(model: str, nlp: Language | None) -> object | None:
    """The lemmatizer's lookup tables of ``model``: from the loaded pipeline, else read from the
    installed model's folder, else from the pipeline loaded for them; None without a
    lemmatizer."""
    if nlp is None:
        try:
            import spacy.util
            from spacy.lookups import Lookups

            root = spacy.util.get_package_path(model)
            for folder in sorted(root.glob("*/lemmatizer/lookups")):
                return Lookups().from_disk(folder)
        except (ImportError, OSError, ValueError) as exc:  # not an installed package
            log.debug("lemma tables of %s not read from disk (%s)", model, exc)
        nlp = load_parser(model)
    if "lemmatizer" not in nlp.component_names:
        return None
    return nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]


def load_parser(model: str = MODEL) -> Language:
    """The relation parser's spaCy pipeline (:func:`newsweave.models.parser_pipeline`: tok2vec,
    tagger and parser only, loaded once per process)."""
    from newsweave import models

    return models.parser_pipeline(model)


_TAG_POS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "PRP": "PRON",
    "PRP$": "PRON", "WP": "PRON", "WP$": "PRON", "WDT": "PRON", "EX": "PRON", "IN": "ADP",
    "RP": "ADP", "TO": "PART", "POS": "PART", "CD": "NUM", "DT": "DET", "PDT": "DET",
    "MD": "AUX", "CC": "CCONJ", "UH": "INTJ",
}  # fmt: skip
_BE = {"be", "is", "are", "was", "were", "been", "being", "am", "'m", "'re"}


class _Lemmas:
    """Lemmas of verbs and nouns from the English model's rule tables (suffix rules, exceptions,
    known forms), with the known forms held in sets and each (word, tag) looked up once: the
    pipeline's own rule lemmatizer searches lists and, called per token, cost as much as a
    quarter of the parse. Singular nouns and base-form verbs (tags NN, VB, VBP) are their own
    lemma ("progress", not "progres")."""

    def __init__(self, lookups: object) -> None:
        get = lookups.get_table  # type: ignore[attr-defined]
        tables = [get(name, {}) for name in ("lemma_index", "lemma_exc", "lemma_rules")]
        pos = ("noun", "verb")  # the tables hash their keys: look the parts up by name
        self.index = {p: set(tables[0].get(p) or ()) for p in pos}
        self.exceptions = {p: dict(tables[1].get(p) or {}) for p in pos}
        self.rules = {p: list(tables[2].get(p) or ()) for p in pos}
        self.cache: dict[tuple[str, str], str] = {}

    def __call__(self, word: str, pos: str, tag: str) -> str:
        key = (word, tag)
        lemma = self.cache.get(key)
        if lemma is None:
            lemma = self._lemma(word, "verb" if pos == "AUX" else pos.lower(), tag)
            if len(self.cache) > 200_000:
                self.cache.clear()
            self.cache[key] = lemma
        return lemma

    def _lemma(self, word: str, upos: str, tag: str) -> str:
        low = word.lower()
        if tag in {"NN", "VB", "VBP"}:
            return low
        known = self.index.get(upos, set())
        exceptions = self.exceptions.get(upos, {}).get(low)
        if exceptions:
            return str(exceptions[-1])
        in_index: list[str] = []
        other: list[str] = []
        unknown: list[str] = []
        for old, new in self.rules.get(upos, []):
            if low.endswith(old):
                form = low[: len(low) - len(old)] + new
                if not form:
                    continue
                if form in known:
                    in_index.append(form)
                elif not form.isalpha():
                    other.append(form)
                else:
                    unknown.append(form)
        if in_index:
            return in_index[-1]
        return (other or unknown or [word])[0]


def _coarse(doc: Doc, lemmas: _Lemmas | None) -> None:
    """Universal POS from the fine-grained tags (auxiliaries and copulas apart), and lemmas of
    verbs and nouns (:class:`_Lemmas`)."""
    for tok in doc:
        tag = tok.tag_
        if tag.startswith("VB"):
            aux = tok.dep_ in {"aux", "auxpass"} or tok.lower_ in _BE
            pos = "AUX" if aux else "VERB"
        elif tag.startswith("JJ"):
            pos = "ADJ"
        elif tag.startswith("RB"):
            pos = "ADV"
        else:
            pos = _TAG_POS.get(tag, "PUNCT" if tok.is_punct else "X")
        tok.pos_ = pos
        if lemmas is not None and pos in {"VERB", "NOUN", "AUX"}:
            tok.lemma_ = lemmas(tok.text, pos, tag)
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
    object_head: str = ""  # a phrase object's head noun, normalised ("formation" -> "creation")
    object_entities: frozenset[str] = frozenset()  # the entities a phrase object names
    modality: str = ASSERTED  # asserted | hedged | negated | planned (:func:`modality`)
    hedge: str = ""  # the words that make it so


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
    for c in tok.children:
        # "the largest lender, Acme," and "a new body called the Acme Council" name an entity
        if c.dep_ == "appos" and c.i in ctx.ent_of and c.i > tok.i:
            return ctx.ent_of[c.i]
        if c.dep_ == "acl" and c.lemma_.lower() in _NAMING:
            for n in c.children:
                if n.dep_ in {"oprd", "xcomp", "dobj", "attr"} and n.i in ctx.ent_of:
                    return ctx.ent_of[n.i]
    return None


def _created(tok: Token) -> Token | None:
    """The thing a creation noun makes ("the formation of X": X), else None."""
    if tok.lemma_.lower() not in CREATION_NOUNS:
        return None
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for p in prep.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _title_span(tok: Token) -> tuple[int, int] | None:
    """The token span of a coordinated title written as one name ("a “Chief AI and Robotics
    Officer”"): every word capitalised (or a joining word), and quoted or under one "a"/"an".
    Such a coordination names one thing and must not be split at "and"."""
    doc = tok.doc
    words = [t for t in tok.subtree if t.dep_ not in {"det", "punct"}]
    if not any(t.dep_ == "conj" for t in words):
        return None
    start, end = min(t.i for t in words), max(t.i for t in words)
    inner = [t for t in doc[start : end + 1] if not t.is_punct]
    if not all(t.text[:1].isupper() or t.lower_ in {"and", "of", "for", "&"} for t in inner):
        return None
    quoted = start > 0 and doc[start - 1].text in _OPEN_QUOTES
    single = any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in tok.children)
    return (start, end) if quoted or single else None


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
        if right.dep_ == "prep" and right.lower_ in {"of", "at", "with", "for"}:
            for pobj in right.children:
                if pobj.dep_ != "pobj":
                    continue
                if pobj.i not in ctx.ent_of and pobj.lemma_.lower() in UNIT_NOUNS:
                    # "head of the fleet's press service": the role is in the press service
                    unit = [
                        t.text
                        for t in pobj.subtree
                        if t.i <= pobj.i
                        and t.i not in ctx.ent_of
                        and t.dep_ not in {"det", "case", "poss", "punct"}
                    ]
                    words.extend(["of", *unit])
                    owner = next(
                        (
                            e
                            for t in pobj.subtree
                            if t.i != pobj.i and (e := ctx.ent_of.get(t.i)) is not None
                        ),
                        None,
                    )
                    org = owner or org
                    continue
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


def _conjuncts(tok: Token, ctx: _Context | None = None) -> list[Token]:
    """``tok`` and the nouns coordinated with it. With ``ctx`` (subjects), also a named entity
    the parser hung inside the noun phrase although it carries its own "and" ("Prime Minister
    X and Acme CEO Y have been tasked", parsed as one phrase)."""
    if _title_span(tok) is not None:
        return [tok]
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_conjuncts(c, ctx))
    if ctx is not None and tok.i in ctx.ent_of:
        own = ctx.ent_of[tok.i]
        for t in tok.subtree:
            eid = ctx.ent_of.get(t.i)
            if eid is None or eid == own or t.dep_ not in {"nmod", "compound", "poss"}:
                continue
            if t.dep_ == "poss" or not any(
                c.dep_ == "cc" and c.lower_ == "and" for c in t.children
            ):
                continue
            path = t.head
            while path.i != tok.i and path.dep_ in {"nmod", "compound"}:
                path = path.head
            if path.i == tok.i:
                out.append(t)
    return out


def _phrase(tok: Token) -> str:
    """A short phrase for a non-entity object: the noun with its modifiers (no relative clauses,
    appositions or coordinated nouns), and its 'of'/'with' complements, at most a few words."""
    title = _title_span(tok)
    if title is not None:
        return tok.doc[title[0] : title[1] + 1].text
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
            if c.dep_ == "prep" and t.dep_ == "prep":  # "from all over the world"
                walk(c, depth)
                continue
            if c.dep_ == "prep" and (
                depth > 0 or c.lower_ not in {"of", "with", "in", "for", "from"}
            ):
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
        out = [t for s in subj for t in _conjuncts(s, ctx)]
        if all(t.tag_ in {"WDT", "WP"} for t in out) and verb.dep_ == "relcl":
            return _conjuncts(verb.head), False
        return out, False
    if passive:
        return [t for s in passive for t in _conjuncts(s, ctx)], True
    if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ == "VBG"):
        return _conjuncts(verb.head), False
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        # "X thwarted the attack and captured three boats": X captured them
        head = _coordinated_head(verb)
        who, head_passive = _subjects(head, ctx)
        own_aux = any(c.dep_ == "aux" for c in verb.children)
        if any(c.dep_ == "auxpass" for c in verb.children) and not _agents(verb):
            return who, True  # "X was arrested and was charged": X is charged
        if head_passive and verb.tag_ == "VBN" and not own_aux:
            return who, True  # "X was arrested and charged": X is charged
        return who, False  # "Y was devastated and would support Z": Y supports Z
    noun = verb.head
    if (
        verb.dep_ == "acl"
        and noun.lemma_.lower() in PLAN_NOUNS
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    ):
        # "X announced his intent to nominate Y": X nominates Y (planned)
        owner = next((c for c in noun.children if c.dep_ == "poss" and c.i in ctx.ent_of), None)
        if owner is not None:
            return [owner], False
        if noun.dep_ in {"dobj", "nsubjpass"} and noun.head.pos_ == "VERB":
            return _subjects(noun.head, ctx)[0], False
        return [], False
    if verb.dep_ == "acl" and verb.tag_ in {"VBN", "VBD"}:
        # "a body intended to ...", "the bank, tasked with ...": the noun undergoes the verb
        return [_created(t) or t for t in _conjuncts(verb.head)], True
    if _loose_participle(verb):
        # "X announced the creation of Y, intended to ...": the participle describes the object
        objs = [c for c in verb.head.children if c.dep_ == "dobj"]
        return [_created(t) or t for o in objs for t in _conjuncts(o)], True
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if verb.dep_ in {"xcomp", "advcl"} and infinitive and verb.head.pos_ in {"VERB", "AUX"}:
        head_objs = [c for c in verb.head.children if c.dep_ in {"dobj", "dative"}]
        created = [c for o in head_objs if (c := _created(o)) is not None]
        if created:  # "X announced the creation of Y to unite Z": Y unites Z
            return created, False
        head_lemma = verb.head.lemma_.lower()
        controls = verb.dep_ == "xcomp" or kind_of(head_lemma) in CONTROL_KINDS
        if not head_objs and (controls or head_lemma in REQUEST_HEADS):
            # "called on airlines to inspect", "appealed to Y to act": Y acts
            head_objs = [
                p
                for c in verb.head.children
                if c.dep_ == "prep" and c.lower_ in {"on", "upon", "to"} and c.i < verb.i
                for p in c.children
                if p.dep_ == "pobj"
            ]
        if head_objs and controls:  # object control: "X told Y to go": Y goes
            return [t for o in head_objs for t in _conjuncts(o)], False
        if head_lemma in REQUEST_HEADS and verb.dep_ != "xcomp":
            return [], False  # "X urged ... to inspect": X urges, someone else inspects
        # "X appointed Y to keep its edge": X keeps it
        return _subjects(verb.head, ctx)[0], False
    if (
        verb.dep_ == "advcl"
        and verb.tag_ == "VBG"
        and verb.head.pos_ == "VERB"
        and verb.head.lemma_.lower() in REPORTING | {"speak", "announce"}
    ):
        # "..., X said, inviting Y to ...": the speaker does what the participle says
        return _subjects(verb.head, ctx)[0], False
    if (
        verb.dep_ == "xcomp"
        and verb.tag_ == "VBG"
        and verb.head.pos_ == "VERB"
        and not any(c.dep_ == "aux" for c in verb.children)
    ):
        return _subjects(verb.head, ctx)[0], False  # "X denied killing Y": X (hedged)
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep":
        # "X is accused of shooting Y", "X denied killing Y": X shoots / kills Y (with the
        # modality of "accused of"); "kept X from leaving": X leaves (negated)
        gov = verb.head.head
        if gov.pos_ == "VERB" and verb.head.lower_ in {"of", "with", "for", "from"}:
            if _agents(gov):
                return [], False
            objs = [c for c in gov.children if c.dep_ == "dobj"]
            if objs:
                return [t for o in objs for t in _conjuncts(o)], False
            patients = [c for c in gov.children if c.dep_ == "nsubjpass"]
            if patients:
                return [t for p in patients for t in _conjuncts(p, ctx)], False
            return _subjects(gov, ctx)[0], False
    if (
        verb.dep_ == "advcl"
        and verb.tag_ == "VBG"
        and verb.head.pos_ == "VERB"
        and not any(c.dep_ == "mark" for c in verb.children)
        and any(c.dep_ == "dobj" and c.i in ctx.ent_of for c in verb.children)
    ):
        # "X opened fire, killing Y": X killed Y (a named Y: "..., marking a shift" is no act)
        return _subjects(verb.head, ctx)[0], False
    return [], False


def _coordinated_head(verb: Token) -> Token:
    """The verb a conjoined verb is coordinated with. A finite verb the parser hung on an
    infinitive ("X asked Y to investigate the sinking and announced ...") is coordinated with
    the verb governing the infinitive (X announced, not Y); one with its own auxiliary hung on
    a reporting verb ("X said Y was sorry and would pay") with the reported clause (Y pays)."""
    head = verb.head
    said = [c for c in head.children if c.dep_ == "ccomp" and c.i < verb.i]
    if head.lemma_.lower() in REPORTING and said and any(c.dep_ == "aux" for c in verb.children):
        # "Y said the company was devastated and would support ...": the company would
        return said[-1]
    if (
        head.tag_ == "VB"
        and verb.tag_ in {"VBD", "VBZ", "VBP"}
        and head.dep_ in {"xcomp", "ccomp", "advcl"}
        and head.head.pos_ in {"VERB", "AUX"}
    ):
        return head.head
    return head


def _loose_participle(verb: Token) -> bool:
    """A past participle clause with no subject or auxiliary after the verb's object
    (", intended to ...") that the parser hung on the verb instead of the object."""
    return (
        verb.dep_ == "advcl"
        and verb.tag_ in {"VBN", "VBD"}
        and verb.i > verb.head.i
        and not any(
            c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass", "mark"} for c in verb.children
        )
        and any(c.dep_ == "dobj" for c in verb.head.children)
        and not _agents(verb)
    )


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
    for c in verb.children:  # "places Moravia 9th", parsed as one noun phrase "Moravia 9th"
        if c.dep_ in _OBJ and _QUANT_OBJ.match(c.text):
            direct.extend(
                k for k in c.children if k.dep_ in {"compound", "nmod"} and k.i in ctx.ent_of
            )
    if verb.dep_ == "relcl" and any(d.tag_ in {"WDT", "WP"} for d in direct):
        return [(verb.head, "")]  # "the index, which Z publishes": Z publishes the index
    if direct:
        out = [(t, "") for d in direct for t in _appositive_list(d, ctx)]
        for c in verb.children:  # "instructed the government, alongside the top bank, to ..."
            along = c.lower_ == "alongside" or (
                c.lower_ == "with" and c.i > 0 and c.doc[c.i - 1].lower_ in {"along", "together"}
            )
            if c.dep_ == "prep" and along:
                out.extend((t, "") for p in c.children if p.dep_ == "pobj" for t in _conjuncts(p))
        return out
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


def _appositive_list(tok: Token, ctx: _Context) -> list[Token]:
    """The conjuncts of an object, except that "X, the largest bank and a leader in Y," after a
    named entity and a comma describes X (an apposition the parser took for a list)."""
    parts = _conjuncts(tok)
    if tok.i not in ctx.ent_of or len(parts) < 2:
        return parts
    after = next(
        (t for t in tok.doc[tok.i + 1 :] if ctx.ent_of.get(t.i) != ctx.ent_of[tok.i]), None
    )
    if after is None or after.text != ",":
        return parts
    rest = parts[1:]
    if all(t.i not in ctx.ent_of and t.pos_ == "NOUN" for t in rest):
        return [tok]
    return parts


def _when(verb: Token, ctx: _Context) -> tuple[str | None, dict[str, str]]:
    """The date of what ``verb`` states, and the dates that only qualify it: "by <date>" is a
    deadline (``by``), "since <date>" a start (``since``), "until <date>" an end (``until``).
    A date inside another clause ("a report expected by June") is that clause's, not the
    verb's; clauses the verb controls ("told Y to finish by June") count as the verb's."""
    when: str | None = None
    quals: dict[str, str] = {}
    for start, end, value in ctx.dates:
        toks = [t for t in verb.subtree if start <= t.idx < end]
        if not toks:
            continue
        inside = {t.i for t in toks}
        head = next((t for t in toks if t.head.i not in inside or t.head.i == t.i), toks[0])
        preps: list[str] = []
        t = head
        ours = True
        while t.i != verb.i:
            if t.i != head.i and t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"xcomp", "aux"}:
                ours = False
                break
            if t.pos_ == "ADP" or t.dep_ in {"prep", "agent", "mark"}:
                preps.append(t.lower_)
            if t.head.i == t.i:
                ours = False
                break
            t = t.head
        if not ours:
            continue
        first = preps[0] if preps else ""
        if "since" in preps:
            quals.setdefault("since", value)
        elif first in {"by", "before"}:
            quals.setdefault("by", value)
        elif first in {"until", "till", "through"}:
            quals.setdefault("until", value)
        elif when is None:
            when = value
    return when, quals


def _verb_relations(ctx: _Context) -> list[RawRelation]:
    out: list[RawRelation] = []
    for verb in ctx.doc:
        if verb.pos_ not in {"VERB"} or verb.lemma_.lower() in REPORTING:
            continue
        lemma = verb.lemma_.lower()
        if (verb.dep_ == "acl" and verb.tag_ in {"VBN", "VBD"} and not _agents(verb)) or (
            _loose_participle(verb)
        ):
            continue  # "a body intended to ...": only the clause it governs states a relation
        subjects, passive = _subjects(verb, ctx)
        subj_ids = [(t, e) for t in subjects if (e := _subject_entity(t, ctx, passive)) is not None]
        if not subj_ids:
            continue
        kind = kind_of(lemma)
        particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
        if particle is not None and not (particle == "up" and lemma in KIND_OF):
            # "took off with their weapons" is not "take"; "set up" still creates
            kind = f"{lemma} {particle}"
        if lemma == "charge" and not any(
            c.dep_ in {"xcomp", "pcomp"}
            or (c.dep_ == "prep" and any(p.dep_ == "pcomp" for p in c.children))
            for c in verb.children
        ):
            kind = "charge"  # "charged with murder" accuses; "charged with leading" tasks
        objects = [] if passive else _objects(verb, ctx)
        if kind in MOTION_KINDS and (passive or not any(p == "" for _, p in objects)):
            # "heading to the United States", "was brought to court": movement, not "lead"
            kind = lemma
        aux = [c.text for c in verb.children if c.dep_ in {"aux", "auxpass", "neg"}]
        wording = " ".join([*aux, verb.text, *([particle] if particle else [])])
        mood, hedge = modality(verb)
        if hedge and hedge.split()[0] not in wording.split():
            wording = f"{hedge} {wording}"  # "allegedly opened", "accused of shooting"
        if any(c.dep_ == "neg" for c in verb.children):
            kind = "not " + kind
        qualifiers: dict[str, str] = {}
        value = next(
            (
                c.text
                for c in verb.children
                if c.dep_ in {"advmod", "npadvmod", "dobj", "attr", "acomp", "oprd"}
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
        when, dated = _when(verb, ctx)
        qualifiers.update(dated)
        if kind == "rank" and (passive or not any(p == "" and _entity(o, ctx) for o, p in objects)):
            # "X ranks 12th in the Index", "X was ranked 12th in the Index": the index ranks X
            ranker = _ranker(verb, ctx)
            if ranker is not None:
                for _, eid in subj_ids:
                    if eid != ranker:
                        ranked = _rank(ranker, eid, verb, wording, qualifiers, when)
                        ranked.modality, ranked.hedge = mood, hedge
                        out.append(ranked)
                continue
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
            if lemma in HEDGE_HEADS and any(
                p.dep_ == "pcomp" for c in verb.children if c.dep_ == "prep" for p in c.children
            ):
                continue  # "X is accused of shooting Y": X -> shoot -> Y, hedged, says it
            if complement.dep_ == "xcomp" and lemma in RAISING:
                continue  # "X is set to ask Y", "is believed to have": the inner verb says it
            obj_text = _phrase_clause(complement)
            if obj_text == complement.text and complement.dep_ == "prep":
                continue  # "arrested following" with nothing after the preposition
            for _, eid in subj_ids:
                out.append(
                    RawRelation(
                        eid, f"{kind}/passive", obj_text, False, wording, dict(qualifiers), when,
                        modality=mood, hedge=hedge,
                    )
                )  # fmt: skip
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
                head = obj.lemma_.lower()
                named = frozenset(ctx.ent_of[t.i] for t in obj.subtree if t.i in ctx.ent_of)
                for _, eid in subj_ids:
                    out.append(
                        RawRelation(
                            eid, predicate, text, False, word, dict(qualifiers), when,
                            functional=functional,
                            object_head="creation" if head in CREATION_NOUNS else head,
                            object_entities=named - {eid}, modality=mood, hedge=hedge,
                        )
                    )  # fmt: skip
            else:
                for _, eid in subj_ids:
                    if eid != eid_obj:
                        out.append(
                            RawRelation(
                                eid, predicate, eid_obj, True, word, dict(qualifiers), when,
                                modality=mood, hedge=hedge,
                            )
                        )  # fmt: skip
    return out


ISSUER = "@issuer"
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$|^(?:first|second|third|last|top)$", re.I)


def _subject_entity(tok: Token, ctx: _Context, passive: bool = False) -> str | None:
    """The entity a subject names: its own (:func:`_entity`); for "the instructions" or "the
    order", whoever issued them (named in the phrase, or :data:`ISSUER`, resolved in the story);
    for "the country", the place named last before it in the sentence."""
    eid = _entity(tok, ctx)
    if eid is not None:
        return eid
    low = tok.lemma_.lower()
    if low in DIRECTIVE_NOUNS and tok.tag_ in {"NN", "NNS"} and not passive:
        return _issuer(tok, ctx) or ISSUER
    if low in PLACE_NOUNS and any(c.lower_ == "the" for c in tok.children):
        places = [
            (i, e) for i, e in ctx.ent_of.items() if i < tok.i and ctx.label_of.get(e) == "GPE"
        ]
        if places:
            return max(places)[1]
    return None


def _issuer(tok: Token, ctx: _Context) -> str | None:
    """Who issued a directive noun: "X's directive", "the directive from X", "the X order"."""
    for c in tok.children:
        if c.dep_ in {"poss", "compound"} and (e := _entity(c, ctx)) is not None:
            return e
        if c.dep_ in {"prep", "agent"} and c.lower_ in {"from", "by", "of"}:
            for p in c.children:
                if p.dep_ == "pobj" and (e := _entity(p, ctx)) is not None:
                    return e
    return None


def directive_issuers(doc: Doc, entity_spans: Sequence[tuple[int, int, str, str]]) -> list[str]:
    """The entities a parsed claim names as issuing a directive ("directives from X")."""
    ctx = _make_context(doc, entity_spans, (), None, None)
    found = []
    for tok in doc:
        if tok.lemma_.lower() in DIRECTIVE_NOUNS and tok.tag_ in {"NN", "NNS"}:
            eid = _issuer(tok, ctx)
            if eid is not None and ctx.label_of.get(eid) in ACTOR_LABELS:
                found.append(eid)
    return found


def _ranker(tok: Token, ctx: _Context) -> str | None:
    """The ranking that places a subject: the first "in"/"on"/"by" object found from the verb
    or noun, directly or inside its "out of ..." complement ("out of 40 countries assessed by
    Z"), when it is an entity (an unnamed ranking gives None: "the Index published by Z" is not
    ranked by Z)."""
    queue = [tok]
    seen = 0
    while queue and seen < 12:
        t = queue.pop(0)
        seen += 1
        for c in t.children:
            if c.dep_ in {"prep", "agent"} and c.lower_ in {"in", "on", "by"}:
                pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
                return _entity(pobj, ctx) if pobj is not None else None
        queue.extend(c for c in t.children if c.dep_ in {"prep", "pobj", "acl", "agent"})
    return None


def _rank(
    ranker: str, ranked: str, tok: Token, wording: str, qualifiers: dict[str, str], when: str | None
) -> RawRelation:
    quals = dict(qualifiers)
    if "value" not in quals:
        value = next((t.text for t in tok.subtree if _ORDINAL.match(t.text)), None)
        if value is not None:
            quals["value"] = value
    for out in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "out"):
        for of in (c for c in out.children if c.dep_ == "prep" and c.lower_ == "of"):
            for p in (c for c in of.children if c.dep_ == "pobj"):
                quals["out of"] = _phrase(p)
    return RawRelation(ranker, "rank", ranked, True, wording, quals, when)


def _rank_noun_relations(ctx: _Context) -> list[RawRelation]:
    """ "X's position at 12th in the Index" gives Index -> rank -> X (value 12th)."""
    out: list[RawRelation] = []
    for tok in ctx.doc:
        if tok.lemma_.lower() not in RANK_NOUNS or tok.pos_ != "NOUN":
            continue
        holder = next(
            (e for c in tok.children if c.dep_ == "poss" and (e := _entity(c, ctx)) is not None),
            None,
        )
        if holder is None or not any(_ORDINAL.match(t.text) for t in tok.subtree):
            continue
        ranker = _ranker(tok, ctx)
        if ranker is not None and ranker != holder:
            out.append(_rank(ranker, holder, tok, tok.text, {}, None))
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
            if part.lemma_.lower() in ROLE_NOUNS | STAFF_NOUNS:
                role, org = _role_and_org(part, ctx)
                if org is not None and org != eid:
                    out.append(
                        RawRelation(eid, f"{role} of", org, True, f"{role} of", functional=True)
                    )
                    continue
            if part.pos_ in {"NOUN", "PROPN"}:
                text = _phrase(part)
                if re.search(r"[^\W\d_]{2}", text):  # "X, D-W.Va.,": no words, no description
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
    ctx = _make_context(doc, entity_spans, dates, role_holder, demonym)
    return _verb_relations(ctx) + _apposition_relations(ctx) + _rank_noun_relations(ctx)


def _make_context(
    doc: Doc,
    entity_spans: Sequence[tuple[int, int, str, str]],
    dates: Sequence[tuple[int, int, str]],
    role_holder: Callable[[str, str], str | None] | None,
    demonym: Callable[[str], str | None] | None,
) -> _Context:
    ent_of: dict[int, str] = {}
    label_of: dict[str, str] = {}
    at = [tok.idx for tok in doc]  # the tokens' offsets, read once (a Token is made per read)
    for start, end, eid, label in entity_spans:
        label_of.setdefault(eid, label)
        for i, idx in enumerate(at):
            if start <= idx < end:
                ent_of[i] = eid
    return _Context(
        doc=doc,
        ent_of=ent_of,
        label_of=label_of,
        dates=list(dates),
        role_holder=role_holder or (lambda role, org: None),
        demonym=demonym or (lambda word: None),
    )


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
            if s is not None and not (s.start <= lo and hi <= s.end):
                continue  # a "role" reaching into another sentence is none
            role, org = _split_role(article.text, role_text, lo, hi, by_start, index, article.id)
            if org is None:
                words = role_text.split()
                place = demonym(words[0]) if words else None
                if place is not None:
                    role, org = _role_text(words[1:]), place
            if not role or not any(
                w.lower().strip(".") in ROLE_NOUNS | STAFF_NOUNS or w[:1].isupper()
                for w in role.split()
            ):
                continue
            if org is not None and org != person:
                out.append(
                    RawRelation(
                        person, f"{role} of", org, True, role_text, article=article.id,
                        sentence=m.sentence, text=text, functional=True,
                    )
                )  # fmt: skip
            elif org is None and role.split()[-1].lower().strip(".") in ROLE_NOUNS | STAFF_NOUNS:
                out.append(
                    RawRelation(
                        person, "has role", role, False, role_text, article=article.id,
                        sentence=m.sentence, text=text,
                    )
                )  # fmt: skip
    return out


_POSSESSOR = re.compile(r"(?:^|[\s(])([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,4})['’]s\s+$")


def _role_spans(text: str, m: Mention) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if m.title:
        lo = text.rfind(m.title, 0, m.start)
        if lo >= 0:
            hi = lo + len(m.title)
            # "Acme's CEO Jane Roe": the possessive before the title names the organisation
            own = _POSSESSOR.search(text, max(0, lo - 60), lo)
            if own is not None and own.end() == lo:
                lo = own.start(1)
            spans.append((text[lo:hi], lo, hi))
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
                if kept[:rel].strip():
                    # "head of the X Program in Mombasa": the first name the role reaches is
                    # its organisation; what follows it says where
                    kept = kept[:rel]
                    break
                kept = kept[:rel] + " " * (mention.end - start) + kept[rel + mention.end - start :]
    kept = re.sub(r"(?:^|\s)['’]s?\b", " ", kept)
    kept = re.sub(r"\b(?:of|at|for|with|in)\s*$", "", kept.strip()).strip(" ,")
    words = [w for w in kept.split() if w.lower() not in _ROLE_DROP]
    # "of" stays inside a role ("head of press service"), never at its ends
    while words and words[-1] in {"of", "at", "for", "with", "in"}:
        words.pop()
    while words and words[0] in {"of", "at", "for", "with"}:
        words.pop(0)
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
    dates: ResolvedDates | None = None,
) -> list[Relation]:
    """The story's relations, merged across its reports. ``claims`` are the story's
    :class:`newsweave.story.facts.ClaimInfo`; ``origin_of`` maps an article to its origin group."""
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
    issuers: dict[str, Counter[str]] = defaultdict(Counter)
    for article_id, _, _, _, text, spans in todo:
        issuers[article_id].update(directive_issuers(docs[text], spans))
    for article_id, sentence, start, end, text, spans in todo:
        date_spans = [
            (d.start - start, d.end - start, d.value)
            for d, _ in (dates or {}).get((article_id, sentence), [])
            if d.value and start <= d.start < end
        ]
        for r in extract(docs[text], spans, date_spans, role_holder, demonym):
            r.article, r.sentence, r.text = article_id, sentence, text
            raw.append(r)
    _resolve_issuers(raw, issuers)
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


def _resolve_issuers(raw: list[RawRelation], issuers: dict[str, Counter[str]]) -> None:
    """ "The instructions task X ..." is an order of whoever the same report names as issuing
    directives ("directives from Y"); failing that, of the one actor the story has directing X."""
    directors: dict[str, set[str]] = defaultdict(set)
    for r in raw:
        if r.predicate == "direct" and r.subject != ISSUER:
            directors[r.object].add(r.subject)
    for r in raw:
        if r.subject != ISSUER:
            continue
        named = issuers.get(r.article, Counter()).most_common(2)
        if len(named) == 1 or (len(named) == 2 and named[0][1] > named[1][1]):
            r.subject = named[0][0]
        elif len(directors.get(r.object, ())) == 1:
            r.subject = next(iter(directors[r.object]))


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
    keys: list[tuple[str, str, str, frozenset[str], str, frozenset[str]]] = []
    for r in sorted(raw, key=lambda r: (order.get(r.article, 0), r.sentence)):
        # "may name" and "named" are different statements: kept apart
        pred = r.predicate.casefold() + ("" if r.modality == ASSERTED else f"|{r.modality}")
        content = frozenset() if r.object_is_entity else _content(r.object)
        target = None
        for i, (s, p, o, words, head, named) in enumerate(keys):
            if s != r.subject or p != pred:
                continue
            if r.object_is_entity and o == r.object:
                target = i
                break
            if not r.object_is_entity and not o and _similar_phrase(words, content):
                target = i
                break
            # "the creation of the X Network" / "the formation of a body called the X Network":
            # one head noun (creation nouns are one) naming one entity
            same_head = not r.object_is_entity and not o and head and head == r.object_head
            if same_head and named & r.object_entities:
                target = i
                break
        if target is None:
            keys.append(
                (
                    r.subject,
                    pred,
                    r.object if r.object_is_entity else "",
                    content,
                    r.object_head,
                    r.object_entities,
                )
            )
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
        else max(
            objects.items(),
            key=lambda kv: (kv[1], sum(w[:1].isupper() for w in kv[0].split()), -len(kv[0]), kv[0]),
        )[0]
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
    mood = "" if first.modality == ASSERTED else f"|{first.modality}"
    digest = hashlib.sha1(
        f"{story_id}|{first.subject}|{first.predicate.casefold()}|{obj}{mood}".encode()
    ).hexdigest()[:10]
    hedges = Counter(m.hedge for m in members if m.hedge)
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
        evidence.append(
            RelationEvidence(m.article, m.sentence, m.text, m.wording, m.modality, m.hedge)
        )
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
        modality=first.modality,
        hedge=hedges.most_common(1)[0][0] if hedges else "",
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
