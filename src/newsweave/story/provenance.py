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

Candidate pairs for text reuse come from an inverted index of shingles in stories of up to
:data:`EXACT_MAX_ARTICLES` articles, and from MinHash LSH buckets
(:class:`newsweave.reuse.LSHIndex`) above that, so a story of thousands of rewrites is not compared
pair by pair. Each reuse edge carries its passages with character offsets in both articles
(:func:`newsweave.reuse.align` for text reuse; the sentences stating the shared facts for a
paraphrase).
:func:`derivation_graph` turns the provenance records of a story into its derivation graph.

Articles linked by any of these form one origin group; a fact's ``origins`` is the
number of distinct groups among its supporting articles, so forty rewrites of one wire story count
once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsweave import reuse
from newsweave._disjoint import DisjointSets
from newsweave.model import Article, ArticleAnalysis, Fact, Provenance, to_dict

SHINGLE = 8
MIN_COVERAGE = 0.12  # share of the shorter article's shingles that must be shared
MIN_PASSAGE_WORDS = 12
EXACT_MAX_ARTICLES = 64  # above this many articles, candidate pairs come from LSH buckets
MAX_SHARING = 50  # a shingle shared by more articles than this is boilerplate, not reuse
MAX_PASSAGES = 50  # passages kept per edge
LSH_WINDOW = 60  # words per indexed window when candidates come from LSH
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
    aligned: list[reuse.Passage] = field(default_factory=list)  # with offsets in both articles


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
    t = reuse.tokenize(text, quotes=True)
    return _Tokens(t.words, t.spans, t.quoted)


def reuse_edges(
    articles: Sequence[Article], *, exact_max: int = EXACT_MAX_ARTICLES
) -> list[ReuseEdge]:
    """Pairs of articles that share long passages. Up to ``exact_max`` articles, candidates are
    the pairs sharing at least one shingle (an inverted index); above, the pairs sharing a MinHash
    LSH bucket. Either way a candidate pair is then judged on the shingles it shares, and the
    passages of each edge are aligned with offsets in both articles."""
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
    if len(articles) <= exact_max:
        for sh, ids in index.items():
            if len(ids) < 2 or len(ids) > MAX_SHARING:  # boilerplate shared by many: not reuse
                continue
            for p in range(len(ids)):
                for q in range(p + 1, len(ids)):
                    key = (ids[p], ids[q]) if ids[p] < ids[q] else (ids[q], ids[p])
                    pair_shared.setdefault(key, set()).add(sh)
    else:
        candidates = reuse.candidate_pairs({a.id: a.text for a in articles}, window=LSH_WINDOW)
        for x, y in sorted(candidates):
            small, big = (x, y) if len(shingles[x]) <= len(shingles[y]) else (y, x)
            shared = {
                sh
                for sh in shingles[small]
                if sh in shingles[big] and len(index[sh]) <= MAX_SHARING
            }
            if shared:
                pair_shared[(x, y)] = shared
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
        aligned = reuse.align(by_id[copy].text, by_id[origin].text).passages
        edges.append(
            ReuseEdge(
                copy=copy,
                origin=origin,
                coverage=round(cov_x if copy == x else cov_y, 3),
                passages=passages[:3],
                aligned=aligned[:MAX_PASSAGES],
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
    article_ids: Sequence[str],
    named: list[Provenance],
    edges: list[ReuseEdge],
    sources: Mapping[str, str | None] | None = None,
) -> dict[str, int]:
    """Article id -> origin group number: articles naming one source, or reusing one another's
    text, share a group. With ``sources`` (article id -> the outlet that published it), an
    article published by a source that other articles name as their origin joins them: the
    wire's own report and the reports crediting the wire are one origin. (Two reports of one
    outlet are not joined for that alone.)"""
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
    for aid, outlet in (sources or {}).items():
        key = origin_key(outlet) if outlet else ""
        if key in by_source and aid in sets:
            union(aid, by_source[key])
    for e in edges:
        if e.copy in sets and e.origin in sets:
            union(e.copy, e.origin)
    roots = sorted({find(a) for a in article_ids})
    number = {r: i for i, r in enumerate(roots)}
    return {a: number[find(a)] for a in article_ids}


REWRITE_SHARE = 0.5  # share of the smaller article's facts the other one states too
REWRITE_MIN_FACTS = 4
REWRITE_ORDER = 0.5  # Kendall tau of the shared facts' positions in the two articles


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b of two equally long sequences: (concordant - discordant pairs) over the
    square roots of the pairs not tied in ``x`` and of those not tied in ``y``, in [-1, 1]; NaN
    when every pair is tied in one of them (or fewer than two items). Counted pair by pair (the
    sequences here are a few dozen facts long) and divided in the order SciPy's ``kendalltau``
    divides, so that the value is the same to the last bit (a tau of exactly 0.5 is on the
    bound of :data:`REWRITE_ORDER`); SciPy is not imported for it (about a second in each
    process)."""
    n = len(x)
    if n != len(y):
        raise ValueError(f"sequences of {n} and {len(y)} items")
    total = n * (n - 1) // 2
    concordant = discordant = tied_x = tied_y = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 or dy == 0:
                tied_x += dx == 0
                tied_y += dy == 0
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    if n < 2 or tied_x == total or tied_y == total:
        return math.nan
    tau = (concordant - discordant) / math.sqrt(total - tied_x) / math.sqrt(total - tied_y)
    return min(1.0, max(-1.0, tau))


def rewrite_edges(
    facts: Sequence[Fact],
    articles: Sequence[Article],
    analyses: Sequence[ArticleAnalysis] | None = None,
) -> list[ReuseEdge]:
    """Paraphrased rewrites: two reports that state most of the same facts in the same order.

    Independent reports of one event share its key facts, but not most of what each says, and
    not in the same order; a rewrite of a wire story (by a person or a program) keeps the story's
    facts and their sequence while changing every word, so word-for-word reuse misses it. A pair
    is a rewrite when the facts both state are at least half of the smaller report's facts (and
    at least four), and their order agrees (Kendall tau >= 0.5). With ``analyses``, each edge's
    passages are the sentences stating the shared facts, with offsets in both articles."""
    position: dict[str, dict[str, int]] = {}
    for fact in facts:
        for claim in fact.claims:
            position.setdefault(claim.article, {}).setdefault(fact.id, claim.sentence)
    by_id = {a.id: a for a in articles}
    spans = {(an.article, s.index): (s.start, s.end) for an in analyses or [] for s in an.sentences}
    ids = sorted(a for a in position if a in by_id)
    edges: list[ReuseEdge] = []
    for x, a in enumerate(ids):
        for b in ids[x + 1 :]:
            fa, fb = position[a], position[b]
            shared = [f for f in fa if f in fb]
            smaller = min(len(fa), len(fb))
            if len(shared) < REWRITE_MIN_FACTS or len(shared) < REWRITE_SHARE * smaller:
                continue
            tau = kendall_tau_b([fa[f] for f in shared], [fb[f] for f in shared])
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
                    aligned=_restated(by_id[copy], by_id[origin], shared, position, spans),
                )
            )
    return edges


def _restated(
    copy: Article,
    origin: Article,
    shared: list[str],
    position: dict[str, dict[str, int]],
    spans: dict[tuple[str, int], tuple[int, int]],
) -> list[reuse.Passage]:
    """The copy's sentences stating facts of the origin, paired with the origin's sentences."""
    out: list[reuse.Passage] = []
    seen: set[int] = set()
    for fid in sorted(shared, key=lambda f: position[copy.id][f]):
        cs, os_ = position[copy.id][fid], position[origin.id][fid]
        if cs in seen or (copy.id, cs) not in spans or (origin.id, os_) not in spans:
            continue
        seen.add(cs)
        c, o = spans[(copy.id, cs)], spans[(origin.id, os_)]
        text = " ".join(copy.text[c[0] : c[1]].split())
        out.append(
            reuse.Passage(
                copy=list(c),
                origin=list(o),
                text=text,
                words=len(text.split()),
                exact=False,
                kind="restated",
            )
        )
    return out[:MAX_PASSAGES]


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
                    coverage=e.coverage,
                    passages=to_dict(e.aligned),
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
                coverage=e.coverage,
                passages=to_dict(e.aligned),
            )
        )
    return records


def _field(record: Provenance | dict[str, Any], name: str) -> Any:
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def edge_kind(record: Provenance | dict[str, Any]) -> str:
    """``copy`` (text reused, word for word or lightly edited), ``rewrite`` (the same facts in
    other words), ``credit`` or ``attribution`` (a named origin)."""
    evidence = str(_field(record, "evidence") or "")
    if evidence != "reuse":
        return evidence or "unknown"
    kinds = {p.get("kind") for p in _field(record, "passages") or [] if isinstance(p, dict)}
    if kinds:
        return "rewrite" if kinds == {"restated"} else "copy"
    return "rewrite" if str(_field(record, "detail") or "").startswith("rewrite") else "copy"


def derivation_graph(
    records: Iterable[Provenance | dict[str, Any]],
    article_ids: Iterable[str] = (),
    sources: Mapping[str, str | None] | None = None,
) -> dict[str, Any]:
    """A story's derivation graph from its provenance records (dataclasses or report dicts).

    ``{"nodes": [{"id", "kind": "article" | "source", "label"}],
    "edges": [{"source", "target", "kind", "coverage"}], "groups": [[article ids]]}``. An edge
    points from the derived article to what it comes from: another article (``copy``,
    ``rewrite``) or a named source (``credit``, ``attribution``; node id ``source:<key>``, one
    node per source whatever its spelling). With ``sources`` (article id -> outlet), an article
    published by a named source gets a ``published`` edge to that source's node. ``groups`` are
    the independent origin groups, as :func:`origin_groups` makes them: the connected parts of
    the graph, restricted to articles."""
    records = list(records)
    articles: list[str] = list(dict.fromkeys(article_ids))
    named_nodes: dict[str, str] = {}
    edges: list[dict[str, Any]] = []
    for r in records:
        article = str(_field(r, "article") or "")
        origin = str(_field(r, "origin") or "")
        if not article or not origin:
            continue
        if article not in articles:
            articles.append(article)
        kind = edge_kind(r)
        if _field(r, "evidence") == "reuse":
            target = origin
            if target not in articles:
                articles.append(target)
        else:
            key = origin_key(origin)
            target = f"source:{key}"
            named_nodes.setdefault(target, origin)
        coverage = _field(r, "coverage")
        edges.append({"source": article, "target": target, "kind": kind, "coverage": coverage})
    for aid, outlet in (sources or {}).items():
        target = f"source:{origin_key(outlet)}" if outlet else ""
        if target in named_nodes and aid in articles:
            edges.append({"source": aid, "target": target, "kind": "published", "coverage": None})
    sets = DisjointSets([*articles, *named_nodes])
    for e in edges:
        a, b = sets.find(e["source"]), sets.find(e["target"])
        if a != b:
            sets.union(max(a, b), min(a, b))
    grouped: dict[str, list[str]] = {}
    for a in articles:
        grouped.setdefault(sets.find(a), []).append(a)
    nodes = [{"id": a, "kind": "article", "label": a} for a in articles]
    nodes += [{"id": k, "kind": "source", "label": v} for k, v in named_nodes.items()]
    groups = sorted((sorted(g) for g in grouped.values()), key=lambda g: g[0])
    return {"nodes": nodes, "edges": edges, "groups": groups}
