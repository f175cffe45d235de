"""Where each report comes from, and how many independent origins stand behind a fact.

Three kinds of evidence:

* **Named origins**: a credit or signature line (``Source: X``, a wire dateline) or an attribution
  in the lead (``..., reports X``) says the article as a whole comes from X.
* **Text reuse**: two articles share long passages word for word. Passages are found from shared
  word 8-grams (after case and punctuation are normalised), merged into maximal runs; a pair is a
  rewrite when the shared passages cover a clear part of the shorter text. The copy is the one
  with the later publication date, or, without dates, the one whose text is covered more.
* **Paraphrased rewrites**: two articles state most of the same facts in the same order in other
  words (:func:`rewrite_edges`), as rewrites of a wire story by people or programs do.

Articles linked by any of these form one origin group; a fact's ``origins`` is the
number of distinct groups among its supporting articles, so forty rewrites of one wire story count
once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsweave._disjoint import DisjointSets
from newsweave.model import Article, ArticleAnalysis, Fact, Provenance

SHINGLE = 8
MIN_COVERAGE = 0.12  # share of the shorter article's shingles that must be shared
MIN_PASSAGE_WORDS = 12
_TOKEN = re.compile(r"\w+", re.UNICODE)
# a direct quotation: two reports quoting one statement word for word are not a rewrite
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"\n]*\"|«[^«»]*»")
_ORG_SUFFIX = re.compile(
    r"\s+(?:news agency|news service|wire service|wire services|newswire|agency|news)$",
    re.IGNORECASE,
)


def origin_key(name: str) -> str:
    """Names of one source compare equal: case, a leading "the", and trailing words such as
    "news agency" are ignored."""
    n = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    n = _ORG_SUFFIX.sub("", n)
    return " ".join(n.split()).casefold()


@dataclass
class ReuseEdge:
    copy: str
    origin: str
    coverage: float  # share of the copy's words (or facts, for a paraphrase) found in the origin
    passages: list[str]
    kind: str = "verbatim"  # verbatim: shared passages; paraphrase: the same facts, same order
    shared_facts: int = 0
    copy_facts: int = 0


def named_origins(article: Article, analysis: ArticleAnalysis) -> list[Provenance]:
    found: list[Provenance] = []
    seen: set[str] = set()
    for credit in article.credits:
        key = origin_key(credit)
        if key and key not in seen:
            seen.add(key)
            found.append(
                Provenance(
                    article=article.id,
                    origin=credit,
                    evidence="credit",
                    detail=f"credit line names {credit}",
                )
            )
    for att in analysis.attributions:
        if att.scope != "article":
            continue
        key = origin_key(att.source)
        if key and key not in seen:
            seen.add(key)
            found.append(
                Provenance(
                    article=article.id,
                    origin=att.source,
                    evidence="attribution",
                    detail=f'"{att.text}" in the lead',
                )
            )
    return found


@dataclass
class _Tokens:
    words: list[str]  # case-folded
    spans: list[tuple[int, int]]  # character offsets of each word in the text
    quoted: list[bool]  # the word stands inside a direct quotation


def _tokenise(text: str) -> _Tokens:
    quotes = [m.span() for m in _QUOTED.finditer(text)]
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    quoted: list[bool] = []
    for m in _TOKEN.finditer(text):
        words.append(m.group(0).casefold())
        spans.append(m.span())
        quoted.append(any(a < m.start() < b for a, b in quotes))
    return _Tokens(words, spans, quoted)


def reuse_edges(articles: Sequence[Article]) -> list[ReuseEdge]:
    """Pairs of articles that share long passages. Candidates come from an inverted index of
    shingles, so only pairs sharing at least one shingle are compared."""
    tokenised = {a.id: _tokenise(a.text) for a in articles}
    tokens = {aid: t.words for aid, t in tokenised.items()}
    index: dict[tuple[str, ...], list[str]] = {}
    shingles: dict[str, dict[tuple[str, ...], list[int]]] = {}
    for a in articles:
        toks = tokens[a.id]
        quoted = tokenised[a.id].quoted
        own: dict[tuple[str, ...], list[int]] = {}
        for i in range(len(toks) - SHINGLE + 1):
            if all(quoted[i : i + SHINGLE]):
                continue  # wholly inside a quotation: shared words of the speaker, not of a writer
            own.setdefault(tuple(toks[i : i + SHINGLE]), []).append(i)
        shingles[a.id] = own
        for sh in own:
            index.setdefault(sh, []).append(a.id)
    pair_shared: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for sh, ids in index.items():
        if len(ids) < 2 or len(ids) > 50:  # boilerplate shared by very many is not reuse
            continue
        for p in range(len(ids)):
            for q in range(p + 1, len(ids)):
                key = (ids[p], ids[q]) if ids[p] < ids[q] else (ids[q], ids[p])
                pair_shared.setdefault(key, set()).add(sh)
    by_id = {a.id: a for a in articles}
    edges: list[ReuseEdge] = []
    for (x, y), shared in sorted(pair_shared.items()):
        cov_x = _coverage(shingles[x], shared, len(tokens[x]))
        cov_y = _coverage(shingles[y], shared, len(tokens[y]))
        if max(cov_x, cov_y) < MIN_COVERAGE:
            continue
        passages = _passages(by_id[x].text, tokenised[x], shingles[x], shared)
        if not passages or max(len(p.split()) for p in passages) < MIN_PASSAGE_WORDS:
            continue
        copy, origin = _direction(by_id[x], by_id[y], cov_x, cov_y)
        edges.append(
            ReuseEdge(
                copy=copy,
                origin=origin,
                coverage=round(cov_x if copy == x else cov_y, 3),
                passages=passages[:3],
            )
        )
    return edges


def _coverage(own: dict[tuple[str, ...], list[int]], shared: set[tuple[str, ...]], n: int) -> float:
    covered: set[int] = set()
    for sh in shared:
        for i in own.get(sh, []):
            covered.update(range(i, i + SHINGLE))
    return len(covered) / max(1, n)


def _passages(
    text: str,
    toks: _Tokens,
    own: dict[tuple[str, ...], list[int]],
    shared: set[tuple[str, ...]],
) -> list[str]:
    """The shared passages as written in ``text`` (longest first)."""
    covered = sorted({j for sh in shared for i in own.get(sh, []) for j in range(i, i + SHINGLE)})
    runs: list[tuple[int, int]] = []
    for i in covered:
        if runs and i == runs[-1][1]:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    runs.sort(key=lambda r: (-(r[1] - r[0]), r[0]))
    return [" ".join(text[toks.spans[a][0] : toks.spans[b - 1][1]].split()) for a, b in runs]


def _direction(a: Article, b: Article, cov_a: float, cov_b: float) -> tuple[str, str]:
    """(copy, origin) for a reused pair."""
    if a.published and b.published and a.published != b.published:
        return (a.id, b.id) if a.published > b.published else (b.id, a.id)
    if abs(cov_a - cov_b) > 0.02:
        return (a.id, b.id) if cov_a > cov_b else (b.id, a.id)
    return (a.id, b.id) if a.id > b.id else (b.id, a.id)


def origin_groups(
    article_ids: Sequence[str], named: list[Provenance], edges: list[ReuseEdge]
) -> dict[str, int]:
    """Article id -> origin group number: articles naming one source, or reusing one another's
    text, share a group."""
    sets = DisjointSets(article_ids)
    find = sets.find

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        sets.union(max(rx, ry), min(rx, ry))  # the smaller id represents: deterministic

    by_source: dict[str, str] = {}
    for p in named:
        if p.article not in sets:
            continue
        key = origin_key(p.origin)
        if key in by_source:
            union(p.article, by_source[key])
        else:
            by_source[key] = p.article
    for e in edges:
        if e.copy in sets and e.origin in sets:
            union(e.copy, e.origin)
    roots = sorted({find(a) for a in article_ids})
    number = {r: i for i, r in enumerate(roots)}
    return {a: number[find(a)] for a in article_ids}


REWRITE_SHARE = 0.5  # share of the smaller article's facts the other one states too
REWRITE_MIN_FACTS = 4
REWRITE_ORDER = 0.5  # Kendall tau of the shared facts' positions in the two articles


def rewrite_edges(facts: Sequence[Fact], articles: Sequence[Article]) -> list[ReuseEdge]:
    """Paraphrased rewrites: two reports that state most of the same facts in the same order.

    Independent reports of one event share its key facts, but not most of what each says, and
    not in the same order; a rewrite of a wire story (by a person or a program) keeps the story's
    facts and their sequence while changing every word, so word-for-word reuse misses it. A pair
    is a rewrite when the facts both state are at least half of the smaller report's facts (and
    at least four), and their order agrees (Kendall tau >= 0.5)."""
    from scipy.stats import kendalltau

    position: dict[str, dict[str, int]] = {}
    for fact in facts:
        for claim in fact.claims:
            position.setdefault(claim.article, {}).setdefault(fact.id, claim.sentence)
    by_id = {a.id: a for a in articles}
    ids = sorted(a for a in position if a in by_id)
    edges: list[ReuseEdge] = []
    for x, a in enumerate(ids):
        for b in ids[x + 1 :]:
            fa, fb = position[a], position[b]
            shared = [f for f in fa if f in fb]
            smaller = min(len(fa), len(fb))
            if len(shared) < REWRITE_MIN_FACTS or len(shared) < REWRITE_SHARE * smaller:
                continue
            tau = kendalltau([fa[f] for f in shared], [fb[f] for f in shared]).statistic
            if not tau >= REWRITE_ORDER:  # NaN (ties only) fails too
                continue
            cov_a, cov_b = len(shared) / len(fa), len(shared) / len(fb)
            copy, origin = _direction(by_id[a], by_id[b], cov_a, cov_b)
            edges.append(
                ReuseEdge(
                    copy=copy,
                    origin=origin,
                    coverage=round(cov_a if copy == a else cov_b, 3),
                    passages=[],
                    kind="paraphrase",
                    shared_facts=len(shared),
                    copy_facts=len(fa) if copy == a else len(fb),
                )
            )
    return edges


def provenance_records(named: list[Provenance], edges: list[ReuseEdge]) -> list[Provenance]:
    records = list(named)
    for e in edges:
        if e.kind == "paraphrase":
            records.append(
                Provenance(
                    article=e.copy,
                    origin=e.origin,
                    evidence="reuse",
                    detail=f"rewrite: states {e.shared_facts} of its {e.copy_facts} facts, "
                    "in the same order, in other words",
                )
            )
            continue
        sample = e.passages[0]
        if len(sample) > 160:
            sample = sample[:157].rsplit(" ", 1)[0] + "..."
        records.append(
            Provenance(
                article=e.copy,
                origin=e.origin,
                evidence="reuse",
                detail=f"{e.coverage:.0%} of its text in passages shared word for word, "
                f'e.g. "{sample}"',
            )
        )
    return records
