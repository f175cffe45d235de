"""The document stage: one article in, its :class:`~newsweave.model.ArticleAnalysis` out.

Sentences, named-entity mentions (with the title written before a name), quantities, dates,
direct quotations with their speaker as written, and explicit attributions. Everything here looks
at one article only, so results are cached per article in the store and recomputed only when
:data:`VERSION` changes.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from spacy.language import Language

from newsweave import syntax
from newsweave.document import attribution, quantities, quotes, timex
from newsweave.model import Article, ArticleAnalysis, Mention, Sentence
from newsweave.models import SPACY_MODEL

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

VERSION = "doc-19"  # bump when what the document stage stores changes
MODEL = SPACY_MODEL  # the one model name, declared in newsweave.models
ENTITY_LABELS = {
    "PERSON", "ORG", "GPE", "LOC", "NORP", "PRODUCT", "EVENT", "FAC", "LAW", "WORK_OF_ART",
}  # fmt: skip

# Words that, written right before a name, give a person's title or role. Capitalised forms only.
TITLE_WORDS = {
    "President", "Vice", "Prime", "Minister", "Deputy", "First", "Chief", "Executive", "CEO",
    "Chairman", "Chairwoman", "Chair", "Director", "General", "Governor", "Senator", "Sen.",
    "Representative", "Rep.", "Secretary", "Mayor", "King", "Queen", "Prince", "Princess", "Pope",
    "Dr", "Dr.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Sir", "Dame", "Lord", "Lady", "Judge",
    "Justice", "Chancellor", "Ambassador", "Commissioner", "Spokesman", "Spokeswoman",
    "Spokesperson", "Founder", "Co-founder", "Professor", "Prof.", "Foreign", "Defence", "Defense",
    "Finance", "Economy", "Interior", "Health", "Energy", "Trade", "State", "Commander",
    "Colonel", "Col.", "Major", "Captain", "Lieutenant", "Sergeant", "Officer", "Head", "Leader",
    "Premier", "Emir", "Sheikh", "Archbishop", "Bishop", "Cardinal", "Rabbi", "Imam", "Coach",
    "Manager", "Analyst", "Economist", "Attorney", "Speaker", "Councillor", "Councilor", "COO",
    "CFO", "CTO", "Managing", "Senior", "Assistant", "Acting", "Former", "former", "Superintendent",
    "Gov.", "Capt.", "Lt.", "Gen.", "Sgt.", "Cmdr.", "Adm.", "Supt.", "Insp.", "Det.", "Pres.",
    "Amb.", "Sec.", "Atty.", "Gov", "Capt", "Lt", "Gen", "Sgt", "Inspector", "Detective",
    "Admiral", "Marshal", "Constable", "Magistrate", "Provost", "Dean", "Rector",
}  # fmt: skip

_POSSESSIVE = re.compile(r"(?:['’‘`]s|['’])$")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")


def _paragraphs(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (paragraph index, start offset, paragraph text) for each non-empty line."""
    pos = 0
    index = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            yield index, pos + (len(line) - len(line.lstrip())), stripped
            index += 1
        pos += len(line) + 1


def sentence_kind(text: str) -> str:
    stripped = text.rstrip()
    if stripped.endswith("?"):
        return "question"
    words = len(stripped.split())
    if words < 4:
        return "heading" if stripped[-1:] not in ".!”\"'" else "boilerplate"
    if stripped[-1:] not in ".!”\"')’:;" and words <= 12:
        return "heading"
    return "claim"


class DocumentAnalyzer:
    """Runs spaCy (NER + sentence boundaries) and the rule-based extractors over articles."""

    def __init__(self, model: str = MODEL) -> None:
        self.model = model
        self._nlp: Language | None = None
        self._lock = threading.Lock()

    @property
    def nlp(self) -> Language:
        with self._lock:
            if self._nlp is None:
                self._nlp = load_spacy(self.model)
            return self._nlp

    def analyze(self, article: Article) -> ArticleAnalysis:
        return next(iter(self.analyze_many([article])))

    def analyze_many(
        self, articles: Iterable[Article], batch_size: int = 64
    ) -> Iterator[ArticleAnalysis]:
        """Analyse articles in input order; streams (holds one batch of articles at a time)."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Article]) -> Iterator[ArticleAnalysis]:
        texts = (article.text for article in batch)
        for article, doc in zip(batch, self.nlp.pipe(texts, batch_size=32), strict=True):
            yield self._assemble(article, doc)

    def _assemble(self, article: Article, doc: Doc) -> ArticleAnalysis:
        analysis = ArticleAnalysis(article=article.id, version=VERSION)
        text = article.text
        para_starts = [start for _, start, _ in _paragraphs(text)]
        # one pass over the tokens (spaCy's per-span accessors re-walk the doc for each sentence)
        toks = [_Tok(t.text, t.lower_, t.tag_, t.idx, bool(t.is_sent_start)) for t in doc]
        bounds = [i for i, t in enumerate(toks) if i == 0 or t.sent_start] + [len(toks)]
        sentence_starts: list[int] = []
        for a, b in itertools.pairwise(bounds):
            span = toks[a:b]
            while span and not span[0].text.strip():
                span = span[1:]
            while span and not span[-1].text.strip():
                span = span[:-1]
            if not span:
                continue
            s_start, s_end = span[0].idx, span[-1].idx + len(span[-1].text)
            s_text = text[s_start:s_end]
            analysis.sentences.append(
                Sentence(
                    index=len(analysis.sentences),
                    start=s_start,
                    end=s_end,
                    text=s_text,
                    paragraph=max(0, bisect_right(para_starts, s_start) - 1),
                    kind=sentence_kind(s_text),  # type: ignore[arg-type]
                    clauses=[[x, y] for x, y in clauses(span)],
                )
            )
            sentence_starts.append(s_start)
        for ent in doc.ents:
            index = max(0, bisect_right(sentence_starts, ent.start_char) - 1)
            mention = _mention(ent, text, index)
            if mention is not None:
                if mention.label == "PERSON":
                    mention.role = role_after(text, mention.end)
                analysis.mentions.append(mention)
        analysis.quantities = quantities.find(
            text, analysis.sentences, [(t.idx, t.text, t.tag) for t in toks]
        )
        analysis.dates = timex.find(text, analysis.sentences, anchor=article.published)
        analysis.quotes = quotes.find(text, analysis.sentences, analysis.mentions)
        analysis.attributions = attribution.find(text, analysis.sentences, analysis.mentions)
        if doc.has_annotation("DEP"):
            analysis.parse = syntax.encode(doc)
        return analysis


FINITE = {"VBD", "VBZ", "VBP", "MD"}
SUBJECT_START = {"DT", "PRP", "PRP$", "NNP", "NNPS", "NN", "NNS", "CD", "JJ", "EX"}
COORDINATORS = {"and", "but", "while", "whereas", "yet"}
MIN_CLAUSE_WORDS = 4


class _Tok(NamedTuple):
    text: str
    lower: str
    tag: str
    idx: int
    sent_start: bool


def clauses(tokens: Sequence[_Tok]) -> list[tuple[int, int]]:
    """Independent clauses of a compound sentence (its tokens) as (start, end) character offsets,
    or [] when it is one clause. A split is made at a semicolon, or at a coordinator ("and",
    "but", "while") that joins two clauses each with its own finite verb, the second opening with
    a subject ("Nine died and 14 were missing", not "they searched and found"); never inside a
    quotation."""
    cuts: list[int] = []  # token indices (within the sentence) where a new clause starts
    in_quote = False
    start = 0
    for i, tok in enumerate(tokens):
        if tok.text in {'"', "“", "”"}:
            in_quote = not in_quote if tok.text == '"' else tok.text == "“"
            continue
        if in_quote or i == 0:
            continue
        nxt = i + 1
        if tok.text == ";":
            cut = nxt
        elif tok.lower in COORDINATORS and nxt < len(tokens):
            if not (
                any(t.tag in FINITE for t in tokens[start:i])
                and tokens[nxt].tag in SUBJECT_START
                and _own_verb(tokens[nxt + 1 : nxt + 9])
            ):
                continue
            cut = i
        else:
            continue
        if cut - start >= MIN_CLAUSE_WORDS and len(tokens) - cut >= MIN_CLAUSE_WORDS:
            cuts.append(cut)
            start = cut
    if not cuts:
        return []
    bounds = [0, *cuts, len(tokens)]
    spans: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(bounds):
        part = list(tokens[a:b])
        while part and (part[0].lower in COORDINATORS or part[0].text in _EDGE_PUNCT):
            part = part[1:]
        while part and part[-1].text in _EDGE_PUNCT:
            part = part[:-1]
        if part:
            spans.append((part[0].idx, part[-1].idx + len(part[-1].text)))
    return spans if len(spans) > 1 else []


_EDGE_PUNCT = {",", ".", ";", ":", "—", "–", "-"}


def _own_verb(tokens: Sequence[_Tok]) -> bool:
    """True when a finite verb comes before any relative pronoun or comma: the words after a
    coordinator form a clause of their own, not a noun phrase with a relative clause."""
    for t in tokens:
        if t.tag in {"WDT", "WP", "WP$"} or t.text == ",":
            return False
        if t.tag in FINITE:
            return True
    return False


def _mention(ent: Span, text: str, sentence: int) -> Mention | None:
    """The mention of an entity span; ``text`` is the doc's text (``Doc.text`` is rebuilt from
    its tokens on every access, so it is passed in)."""
    if ent.label_ not in ENTITY_LABELS:
        return None
    start, end = ent.start_char, ent.end_char
    surface = ent.text
    m = _LEADING_THE.match(surface)
    if m:
        start += m.end()
        surface = surface[m.end() :]
    m = _POSSESSIVE.search(surface)
    if m:
        surface = surface[: m.start()]
        end = start + len(surface)
    dotted = re.fullmatch(r"(?:[A-Za-z]\.){2,}", surface)  # "U.S." keeps its last dot
    surface = surface if dotted else surface.strip(" \t-–—,.;:\"“”‘’'()[]")
    if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
        return None
    if ent.label_ in {"PERSON", "ORG", "GPE", "LOC"} and any(ch.isdigit() for ch in surface):
        # "Rbs11.2trn" tagged ORG, "109bn" tagged PERSON: amounts, not names.
        return None
    # re-anchor on the cleaned surface so offsets stay exact
    rel = text.find(surface, start)
    if rel < 0:
        return None
    start, end = rel, rel + len(surface)
    title = None
    if ent.label_ == "PERSON":
        title = _title_before(ent)
    return Mention(
        start=start,
        end=end,
        text=surface,
        label=ent.label_,
        sentence=sentence,
        title=title,
    )


_ROLE_WORDS = re.compile(
    r"\b(?:president|chairman|chairwoman|chair|chief|ceo|cfo|coo|cto|director|head|minister|"
    r"secretary|governor|mayor|spokesman|spokeswoman|spokesperson|founder|owner|commander|"
    r"leader|manager|editor|ambassador|senator|deputy|officer|executive|prime minister|"
    r"chancellor|king|queen|prince|judge|prosecutor|professor|economist|analyst|captain)\b",
    re.IGNORECASE,
)
_APPOSITION = re.compile(r",\s+(?:the\s+|a\s+|an\s+)?(?P<role>[^,;:()\"“”]{3,80}?)\s*(?:,|\))")


def role_after(text: str, end: int) -> str | None:
    """A role written in apposition right after a name: "Jane Roe, the CEO of Acme Bank, said"
    gives "CEO of Acme Bank"; "Lind, a former finance minister, said" gives "former finance
    minister". Only phrases naming a position count (not "Lind, who ...", not "Lind, 52,")."""
    m = _APPOSITION.match(text, end)
    if not m:
        return None
    role = m.group("role").strip()
    if not _ROLE_WORDS.search(role) or role.split()[0].lower() in {"who", "which", "that", "whose"}:
        return None
    if len(role.split()) > 10:
        return None
    return role


def _title_before(ent: Span) -> str | None:
    """The run of title words (and a nationality or organisation) written before a name."""
    doc = ent.doc
    i = ent.start - 1
    first = ent.start
    while i >= 0:
        tok = doc[i]
        if tok.text in TITLE_WORDS or (tok.text.islower() and tok.text in {"of", "and"}):
            first = i
            i -= 1
            continue
        if first < ent.start and tok.ent_type_ in {"NORP", "GPE", "ORG"} and tok.text[:1].isupper():
            first = i
            i -= 1
            continue
        break
    while first < ent.start and doc[first].text in {"of", "and"}:
        first += 1
    if first == ent.start:
        return None
    return doc[first : ent.start].text


def load_spacy(model: str = MODEL, parse: bool = True) -> Language:
    """The document stage's spaCy pipeline (:func:`newsweave.models.spacy_pipeline`: loaded
    once per process)."""
    from newsweave import models

    return models.spacy_pipeline(model, parse)
