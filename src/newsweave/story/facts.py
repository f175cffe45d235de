"""Claims and facts: every claim sentence of a story, grouped with its paraphrases in other reports.

Two claims state the same thing when their sentence embeddings are close *and* they share the
particular words, names and numbers of a statement, not only the story's topic. The score of a pair
is the cosine of their MiniLM embeddings, raised by their overlap in content words weighted by
rarity within the story, raised when they name the same (rare) entities or give the same numbers,
lowered when they name none in common or give different numbers. Claims are then grouped by
average-linkage agglomeration over pairs from different articles; groups holding claims of one
article merge only at a higher score (a restatement). Finally a claim also supports any other fact
it would have joined on its own (:func:`extend_support`), so a sentence stating two facts supports
both.

The grouping is deterministic: pairs are merged in a fixed order (score, then position).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from scipy import sparse

from newsweave.document import quantities as qty
from newsweave.model import Article, ArticleAnalysis, Claim, DateMention, Fact, Quantity
from newsweave.story import support
from newsweave.story.entities import EntityIndex

Told = tuple[tuple[int, int], ...]
#: Dates per (article, sentence) as the story stage resolved them, each with a note saying how
#: (None when the expression carries its own year or the report its own date).
ResolvedDates = dict[tuple[str, int], list[tuple[DateMention, str | None]]]

MIN_CLAIM_WORDS = 5
DIM = 384
MIN_LEXICAL_FOR_EMBEDDING = 0.08
PAIR_THRESHOLD = 0.86  # a pair may seed or extend a fact at this adjusted score
LINK_THRESHOLD = 0.80  # average adjusted score between two groups to merge them
SAME_ARTICLE_LINK = 0.86  # ... when both groups hold claims of one article (a restatement)
LEXICAL_WEIGHT = 0.3
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d+(?:[.,]\d+)?")
_LEADING_PRONOUN = re.compile(r"^(?:He|She|It|They|This|These|That|Those|His|Her|Its|Their)\b")


class Embedder(Protocol):
    """What the story stage needs from a sentence encoder (``newsweave.embed.Embedder``): one
    L2-normalised row per text, in input order."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class ClaimInfo:
    article: str
    sentence: int
    text: str
    position: float  # relative position in the article, 0 = lead
    start: int = 0  # offsets of the claim in the article text
    end: int = 0
    entities: frozenset[str] = frozenset()
    quantities: list[Quantity] = field(default_factory=list)
    dates: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    unresolved: frozenset[str] = frozenset()  # date expressions no anchor could resolve
    # the places, organisations and other non-person entities the claim states something about
    # (a person may be "he" or "the governor" in another report; who tells it, "X said", is no
    # value): a claim citing it must name them too
    named: frozenset[str] = frozenset()
    told: Told = ()  # offsets of the words saying who tells it (", officials said on Monday")

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.article, self.sentence, self.start)


def collect_claims(
    articles: Sequence[Article],
    analyses: Sequence[ArticleAnalysis],
    index: EntityIndex,
    dates: ResolvedDates | None = None,
) -> list[ClaimInfo]:
    """Every claim of the story (a claim-like sentence, or each independent clause of a compound
    one), with the entities it names, the quantities it gives and the dates it mentions (as the
    story stage resolved them, ``dates``, when given: reports without a date of their own read
    against the story's anchor)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    types = {e.id: e.type for e in index.entities}
    claims: list[ClaimInfo] = []
    for article, analysis in zip(articles, analyses, strict=True):
        n = max(1, len(analysis.sentences) - 1)
        mention_entities = [
            (m.start, eid)
            for m in analysis.mentions
            if (eid := index.entity_of(article.id, m.start)) is not None
        ]
        mentions: dict[int, list[DateMention]] = defaultdict(list)
        if dates is None:
            for d in analysis.dates:
                mentions[d.sentence].append(d)
        else:
            for s in analysis.sentences:
                mentions[s.index] = [d for d, _ in dates.get((article.id, s.index), [])]
        for s in analysis.sentences:
            if s.kind != "claim" or len(s.text.split()) < MIN_CLAIM_WORDS:
                continue
            spans = [(a, b) for a, b in s.clauses] or [(s.start, s.end)]
            for start, end in spans:
                text = article.text[start:end]
                if len(text.split()) < MIN_CLAIM_WORDS:
                    continue
                words = frozenset(
                    _stem(w.lower())
                    for w in _WORD.findall(text)
                    if w.lower() not in STOP_WORDS and len(w) > 2
                )
                told = tuple((start + a, start + b) for a, b in support.teller_spans(text))

                def own(pos: int, start: int = start, end: int = end, told: Told = told) -> bool:
                    """In the claim, and not in the words saying who tells it."""
                    return start <= pos < end and not any(a <= pos < b for a, b in told)

                claims.append(
                    ClaimInfo(
                        article=article.id,
                        sentence=s.index,
                        text=text,
                        position=s.index / n,
                        start=start,
                        end=end,
                        entities=frozenset(e for pos, e in mention_entities if start <= pos < end),
                        named=frozenset(
                            e
                            for pos, e in mention_entities
                            if own(pos) and types.get(e) != "person"
                        ),
                        quantities=[q for q in analysis.quantities if start <= q.start < end],
                        dates=frozenset(
                            d.value for d in mentions[s.index] if d.value and own(d.start)
                        ),
                        told=told,
                        unresolved=frozenset(
                            " ".join(d.text.lower().split())
                            for d in mentions[s.index]
                            if not d.value and own(d.start)
                        ),
                        words=words,
                    )
                )
    return claims


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _incidence(items: list[frozenset[str]], weights: dict[str, float] | None = None):
    """A claims x terms matrix (1, or the term's weight) with a stable column order."""
    vocab = {t: k for k, t in enumerate(sorted({t for terms in items for t in terms}))}
    rows = [i for i, terms in enumerate(items) for _ in terms]
    cols = [vocab[t] for terms in items for t in sorted(terms)]
    values = [1.0 if weights is None else weights[t] for terms in items for t in sorted(terms)]
    return sparse.csr_matrix(
        (np.array(values, np.float32), (rows, cols)), shape=(len(items), max(1, len(vocab)))
    )


def lexical_overlap(claims: list[ClaimInfo]) -> np.ndarray:
    """Rarity-weighted overlap coefficient of content words for every pair of claims: the summed
    weight (log n / df within the story) of the words two claims share, over the smaller of their
    own sums. Words the whole story uses (its topic) weigh little, a statement's own words much."""
    n = len(claims)
    df: Counter[str] = Counter(w for c in claims for w in c.words)
    idf = {w: math.log(n / d) for w, d in df.items()}
    plain = _incidence([c.words for c in claims])
    weighted = _incidence([c.words for c in claims], idf)
    shared = (weighted @ plain.T).toarray()
    totals = np.asarray(weighted.sum(axis=1)).ravel()
    denom = np.minimum.outer(totals, totals)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, shared / denom, 0.0).astype(np.float32)


def _entity_adjustments(claims: list[ClaimInfo]) -> np.ndarray:
    """Raised by the share of rare entities two claims both name (rarity across the story's
    articles); lowered a little when both name entities but none in common."""
    per_article: dict[str, set[str]] = {}
    for c in claims:
        per_article.setdefault(c.article, set()).update(c.entities)
    article_df: Counter[str] = Counter(e for es in per_article.values() for e in es)
    n_articles = max(1, len(per_article))
    idf = {e: math.log(1 + n_articles / d) for e, d in article_df.items()}
    plain = _incidence([c.entities for c in claims])
    weighted = _incidence([c.entities for c in claims], idf)
    shared = (weighted @ plain.T).toarray()
    totals = np.asarray(weighted.sum(axis=1)).ravel()
    union = totals[:, None] + totals[None, :] - shared
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(union > 0, shared / union, 0.0)
    has = totals > 0
    both = np.logical_and.outer(has, has)
    return np.where(shared > 0, 0.08 * share, np.where(both, -0.05, 0.0)).astype(np.float32)


def pair_scores(
    claims: list[ClaimInfo], embeddings: np.ndarray, lexical: np.ndarray | None = None
) -> np.ndarray:
    """The adjusted similarity of every pair of claims (symmetric matrix, diagonal 1)."""
    if lexical is None:
        lexical = lexical_overlap(claims)
    scores = (embeddings @ embeddings.T).astype(np.float32)
    scores += LEXICAL_WEIGHT * lexical
    scores += _entity_adjustments(claims)
    valued = [i for i, c in enumerate(claims) if c.quantities or any(len(d) >= 7 for d in c.dates)]
    for x, i in enumerate(valued):
        for j in valued[x + 1 :]:
            adj = _number_adjustment(claims[i], claims[j])
            scores[i, j] += adj
            scores[j, i] += adj
    np.fill_diagonal(scores, 1.0)
    return scores


def needs_embedding(claims: list[ClaimInfo], lexical: np.ndarray) -> np.ndarray:
    """Which claims could join another report's claim at all. A claim that shares no rare word and
    no specific value with any claim of another article cannot reach the grouping threshold
    whatever its embedding, so it stays a single-report fact without one being computed; unless
    it gives a value of the kind another report's claim gives (:func:`_rival_values`)."""
    articles = np.array([c.article for c in claims])
    other = articles[:, None] != articles[None, :]
    need = ((lexical >= MIN_LEXICAL_FOR_EMBEDDING) & other).any(axis=1)
    valued = [i for i, c in enumerate(claims) if c.quantities or c.dates]
    for x, i in enumerate(valued):
        for j in valued[x + 1 :]:
            if need[i] and need[j]:
                continue
            if claims[i].article != claims[j].article and (
                _number_adjustment(claims[i], claims[j]) > 0 or _rival_values(claims[i], claims[j])
            ):
                need[i] = need[j] = True
    return need


def _rival_values(a: ClaimInfo, b: ClaimInfo) -> bool:
    """Two claims that give values of one kind (counts of one thing, days): they may state one
    fact with two values, a conflict, which only their embeddings can tell (the words they share
    are the story's own, so they share no rare word)."""
    if any(qty.comparable(x, y) for x in a.quantities for y in b.quantities):
        return True
    return any(len(d) >= 10 for d in a.dates) and any(len(d) >= 10 for d in b.dates)


SHARED_VALUE_BONUS = (0.15, 0.20)  # for the first and the second specific value both claims give


def _number_adjustment(a: ClaimInfo, b: ClaimInfo) -> float:
    """Specific values both claims give (an amount, a count, a day or a month; not a bare year)
    are strong evidence that they state the same fact, even when the wording differs ("The work
    will start in September and take 18 months" / "Dredging is due to begin in September and
    should last roughly 18 months"). Numbers on both sides but none in common suggest two facts
    (or a conflict, which the ledger finds inside a fact, so that penalty is mild when the numbers
    are of the same kind)."""
    shared = 0
    penalty = 0.0
    if a.quantities and b.quantities:
        shared += sum(1 for x in a.quantities if any(qty.same_value(x, y) for y in b.quantities))
        if not shared:
            comparable = any(qty.comparable(x, y) for x in a.quantities for y in b.quantities)
            penalty = -0.04 if comparable else -0.10
    shared += len({d for d in a.dates & b.dates if len(d) >= 7})
    return sum(SHARED_VALUE_BONUS[: min(shared, len(SHARED_VALUE_BONUS))]) + penalty


def group(claims: list[ClaimInfo], scores: np.ndarray) -> list[list[int]]:
    """Average-linkage grouping of claims; returns groups of claim indices."""
    n = len(claims)
    cluster_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    pairs = [
        (float(scores[i, j]), i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if scores[i, j] >= PAIR_THRESHOLD and claims[i].article != claims[j].article
    ]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    for _, i, j in pairs:
        ci, cj = cluster_of[i], cluster_of[j]
        if ci == cj:
            continue
        a, b = members[ci], members[cj]
        shared_article = bool({claims[k].article for k in a} & {claims[k].article for k in b})
        link = float(np.mean(scores[np.ix_(a, b)]))
        if link < (SAME_ARTICLE_LINK if shared_article else LINK_THRESHOLD):
            continue
        keep, drop = (ci, cj) if ci < cj else (cj, ci)
        members[keep] = sorted(members[keep] + members.pop(drop))
        for k in members[keep]:
            cluster_of[k] = keep
    return [members[k] for k in sorted(members)]


def extend_support(
    groups: list[list[int]],
    claims: list[ClaimInfo],
    scores: np.ndarray,
    signatures: list[support.Signature] | None = None,
    reps: list[int] | None = None,
) -> list[list[int]]:
    """Let a claim support every fact it states, not only the one it was grouped into.

    Grouping gives each claim one fact and each fact one claim per article, but a report often
    states one fact in two sentences, or two facts in one sentence. An article that does not yet
    support a fact does so when one of its claims would have joined the fact's group on its own
    (high average and best score against the group's members) and states the fact's
    representative claim (its values, polarity and modality: :func:`support.states`), when
    ``signatures`` and ``reps`` are given (without them: the groups of similar claims the
    conflicts ledger compares)."""
    articles = np.array([c.article for c in claims])
    extended: list[list[int]] = []
    for k, members in enumerate(groups):
        rep = reps[k] if reps is not None else None
        cols = scores[:, members]
        eligible = (cols.max(axis=1) >= PAIR_THRESHOLD) & (cols.mean(axis=1) >= LINK_THRESHOLD)
        eligible &= ~np.isin(articles, list({claims[i].article for i in members}))
        mean = cols.mean(axis=1)
        best: dict[str, int] = {}
        for i in np.flatnonzero(eligible):  # ascending: ties go to the earlier claim
            if (
                signatures is not None
                and rep is not None
                and not support.states(signatures[i], signatures[rep])
            ):
                continue
            a = claims[i].article
            if a not in best or mean[i] > mean[best[a]]:
                best[a] = int(i)
        extended.append(sorted(members + list(best.values())))
    return extended


def verify(
    members: list[int],
    claims: list[ClaimInfo],
    scores: np.ndarray,
    signatures: list[support.Signature],
) -> list[tuple[list[int], int]]:
    """Split a group of similar claims into facts whose every claim states the fact's
    representative: the same values, polarity and modality (:func:`support.states`). Similar
    wording with another number ("five killed" / "seven killed"), a denial or a hedge is a
    different fact (or a conflict, which the ledger weighs), never support.

    Each round takes the most specific statement that the most claims state (corroborated
    before single, more values before fewer), gathers the claims that state it, and picks their
    representative among the claims every one of them states; the rest go round again."""
    remaining = sorted(members)
    says = {
        (c, r): support.states(signatures[c], signatures[r]) for c in remaining for r in remaining
    }
    out: list[tuple[list[int], int]] = []
    while remaining:
        best_key: tuple[int, int, int, float, int] | None = None
        part: list[int] = []
        for r in remaining:
            stating = [c for c in remaining if says[c, r]]
            n = len({claims[c].article for c in stating})
            key = (min(n, 2), signatures[r].size, n, float(np.mean(scores[r, remaining])), -r)
            if best_key is None or key > best_key:
                best_key, part = key, stating
        candidates = [r for r in part if all(says[c, r] for c in part)]
        out.append((part, representative(candidates, claims, scores)))
        taken = set(part)
        remaining = [c for c in remaining if c not in taken]
    return out


def representative(indices: list[int], claims: list[ClaimInfo], scores: np.ndarray) -> int:
    """The claim that best speaks for its group: central, self-contained, not too long."""
    if len(indices) == 1:
        return indices[0]

    def key(i: int) -> tuple[float, float, int]:
        central = float(np.mean([scores[i, j] for j in indices if j != i]))
        penalty = 0.1 if _LEADING_PRONOUN.match(claims[i].text) else 0.0
        length = len(claims[i].text.split())
        penalty += 0.002 * max(0, length - 30)
        return (-(central - penalty), claims[i].position, i)

    return min(indices, key=key)


@dataclass
class FactGroups:
    facts: list[Fact]
    claims: list[ClaimInfo]
    scores: np.ndarray
    members: dict[str, list[int]]  # fact id -> claim indices (every one states the fact)
    rep: dict[str, int]  # fact id -> representative claim index
    embeddings: np.ndarray  # one row per claim (zero for claims no other report comes close to)
    # groups of similar claims before verification split them into facts: what the conflicts
    # ledger compares
    slots: list[list[int]] = field(default_factory=list)

    def position(self, fact_id: str) -> float:
        """How early the reports state a fact: mean relative position of its claims (0 = lead)."""
        return float(np.mean([self.claims[i].position for i in self.members[fact_id]]))

    def ranked(self) -> list[Fact]:
        """Facts most corroborated first: independent origins, reports, then how early."""
        return sorted(self.facts, key=lambda f: (-f.origins, -f.reports, self.position(f.id), f.id))


def embed_claims(claims: list[ClaimInfo], embedder: Embedder) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of the claims that need one (zero rows for the others), and the lexical
    overlap matrix used to decide."""
    if not claims:
        return np.zeros((0, DIM), np.float32), np.zeros((0, 0), np.float32)
    lexical = lexical_overlap(claims)
    need = needs_embedding(claims, lexical)
    embeddings = np.zeros((len(claims), DIM), np.float32)
    todo = np.flatnonzero(need)
    if len(todo):
        # copies of one wire sentence are embedded once
        texts = sorted({claims[i].text for i in todo})
        vectors = dict(zip(texts, embedder.embed(texts), strict=True))
        embeddings = np.zeros((len(claims), len(next(iter(vectors.values())))), np.float32)
        for i in todo:
            embeddings[i] = vectors[claims[i].text]
    return embeddings, lexical


def build_facts(story_id: str, claims: list[ClaimInfo], embedder: Embedder) -> FactGroups:
    """Group the claims into facts (origins and status are filled in by the story stage)."""
    embeddings, lexical = embed_claims(claims, embedder)
    scores = pair_scores(claims, embeddings, lexical) if claims else np.zeros((0, 0), np.float32)
    slots = group(claims, scores) if claims else []
    # a name most reports give is the story's own (its place, its main actors): a claim may
    # leave it to the context; a name few reports give is part of what a claim states
    reports: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        for e in c.named:
            reports[e].add(c.article)
    n = len({c.article for c in claims})
    common = {e for e, arts in reports.items() if len(arts) >= max(3, n / 2)}
    signatures = [
        support.signature(c.text, c.dates, c.unresolved, c.named - common) for c in claims
    ]
    verified = [pair for members in slots for pair in verify(members, claims, scores, signatures)]
    groups = extend_support(
        [part for part, _ in verified], claims, scores, signatures, [r for _, r in verified]
    )
    facts: list[Fact] = []
    members: dict[str, list[int]] = {}
    reps: dict[str, int] = {}
    seen: set[tuple[int, ...]] = set()
    for (_, rep), indices in zip(verified, groups, strict=True):
        if tuple(indices) in seen:
            continue  # the same claims state another fact already taken: one fact, not two
        seen.add(tuple(indices))
        keys = sorted(claims[i].key for i in indices)
        digest = hashlib.sha1(
            (story_id + "|" + ";".join(f"{a}:{s}:{o}" for a, s, o in keys)).encode()
        ).hexdigest()[:10]
        fid = f"f-{digest}"
        ordered = sorted(indices, key=lambda i: claims[i].key)
        entities: list[str] = sorted(set().union(*(claims[i].entities for i in indices)))
        fact = Fact(
            id=fid,
            story=story_id,
            text=claims[rep].text,
            claims=[
                Claim(article=claims[i].article, sentence=claims[i].sentence, text=claims[i].text)
                for i in ordered
            ],
            reports=len({claims[i].article for i in indices}),
            entities=entities,
        )
        facts.append(fact)
        members[fid] = indices
        reps[fid] = rep
    return FactGroups(
        facts=facts,
        claims=claims,
        scores=scores,
        members=members,
        rep=reps,
        embeddings=embeddings,
        slots=extend_support(slots, claims, scores),
    )
