"""Stories: which reports tell the same story.

Each pair of articles gets a similarity that combines three views of them:

* **words**: cosine of TF-IDF vectors of the whole text (sublinear counts, English stop words
  removed, IDF fitted on the articles being clustered);
* **entities**: cosine of IDF-weighted sets of the named entities the document stage found
  (normalised surfaces), so shared rare names (a person, a town) count and common ones do not;
* **lead**: cosine of sentence embeddings (all-MiniLM-L6-v2, :mod:`newsweave.embed`) of the
  article's lead, its first few sentences, where a report says what happened, to whom and where.

``similarity = w_words * words + w_entities * entities + w_lead * lead`` (weights sum to 1).
Articles are grouped by average-linkage agglomerative clustering on ``1 - similarity``, cut at a
fixed distance; every article gets a story (a singleton is a story too). The weights and the cut
were tuned on the ECB+ train/dev topics (``bench/stories.py``; results in docs/benchmarks.md);
:data:`WORDS_AND_ENTITIES` leaves the lead embeddings out (20-30 times faster).
The result depends only on the input order and contents (no randomness). Cost is O(n^2) in time
and memory: the incremental, index-backed version is a later issue; the interface stays.

A story's id is ``s-`` + the id of its first article in ingest order, so ids survive
re-clustering as long as that article stays first.

:func:`bcubed` scores a clustering against gold labels (B-cubed precision, recall, F1).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from newsweave.facts import Embedder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Params:
    """Weights of the entity and lead views (words get the rest) and the distance cut."""

    threshold: float = 0.75  # on 1 - combined similarity
    entity_weight: float = 0.20
    embed_weight: float = 0.15
    lead_sentences: int = 3
    lead_words: int = 80


#: Words, entities and MiniLM embeddings of the lead (best smoothed train/dev score, 0.895).
WITH_LEAD = Params()
#: Words and entities only: within noise of WITH_LEAD on train/dev (0.890) and 20-50 times
#: faster, so it is the default (see docs/benchmarks.md for how the choice was made).
WORDS_AND_ENTITIES = Params(threshold=0.83, entity_weight=0.35, embed_weight=0.0)
DEFAULT = WORDS_AND_ENTITIES
DISTANCE_THRESHOLD = DEFAULT.threshold


@dataclass
class StoryInput:
    id: str
    text: str
    entities: list[str]


def story_id(first_article: str) -> str:
    return f"s-{first_article}"


# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before a space and
# an upper-case letter, a digit or an opening quote. Good enough for picking a lead.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]?\s+(?=[A-Z0-9\"“‘(])")


def lead(
    text: str, sentences: int = WITH_LEAD.lead_sentences, words: int = WITH_LEAD.lead_words
) -> str:
    """The first ``sentences`` sentences of ``text`` (each line is at least one sentence), at
    most ``words`` words."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        for sentence in _SENTENCE_END.split(line):
            if sentence.strip():
                out.append(sentence.strip())
            if len(out) >= sentences:
                break
        if len(out) >= sentences:
            break
    return " ".join(" ".join(out).split()[:words])


def _cosine(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = x / np.where(norms > 0, norms, 1.0)
    return np.asarray(x @ x.T, dtype=np.float64)


def word_similarity(texts: Sequence[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        x = TfidfVectorizer(
            sublinear_tf=True,
            stop_words="english",
            lowercase=True,
            token_pattern=r"(?u)\b[\w-][\w-]+\b",
        ).fit_transform(texts)
    except ValueError:  # no word left in any text (empty or stop words only)
        return np.zeros((len(texts), len(texts)))
    return _cosine(x.toarray())


def entity_similarity(entities: Sequence[Sequence[str]]) -> np.ndarray:
    """Cosine of IDF-weighted entity sets (smoothed IDF, as TF-IDF does for words)."""
    n = len(entities)
    vocab: dict[str, int] = {}
    for ents in entities:
        for e in sorted(set(ents)):
            vocab.setdefault(e, len(vocab))
    if not vocab:
        return np.zeros((n, n))
    x = np.zeros((n, len(vocab)))
    for row, ents in enumerate(entities):
        for e in set(ents):
            x[row, vocab[e]] = 1.0
    df = x.sum(axis=0)
    x *= np.log((1 + n) / (1 + df)) + 1.0
    return _cosine(x)


def similarity(
    items: Sequence[StoryInput], lead_vectors: np.ndarray | None, params: Params = DEFAULT
) -> np.ndarray:
    """The combined pairwise similarity (n x n). Without ``lead_vectors`` the lead view is left
    out and its weight goes to the words."""
    embed_weight = params.embed_weight if lead_vectors is not None else 0.0
    word_weight = 1.0 - params.entity_weight - embed_weight
    sim = word_weight * word_similarity([i.text for i in items])
    if params.entity_weight:
        sim += params.entity_weight * entity_similarity([i.entities for i in items])
    if lead_vectors is not None and embed_weight:
        sim += embed_weight * _cosine(np.asarray(lead_vectors, dtype=np.float64))
    return sim


def group(items: Sequence[StoryInput], sim: np.ndarray, threshold: float) -> list[list[str]]:
    """Average-linkage clusters of ``items`` whose merge distance (1 - sim) is below
    ``threshold``; lists of ids in input order, ordered by their first article."""
    n = len(items)
    if n == 0:
        return []
    if n == 1:
        return [[items[0].id]]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = np.clip(1.0 - sim, 0.0, 2.0)
    dist = (dist + dist.T) / 2.0
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    # fcluster keeps merges with distance <= t; a strict cut keeps ties at t apart.
    labels = fcluster(tree, t=np.nextafter(threshold, -np.inf), criterion="distance")
    groups: dict[int, list[str]] = {}
    for item, label in zip(items, labels, strict=True):
        groups.setdefault(int(label), []).append(item.id)
    return list(groups.values())  # first-seen order of labels = order of first articles


def cluster(
    items: Sequence[StoryInput],
    threshold: float | None = None,
    *,
    params: Params = DEFAULT,
    embedder: Embedder | None = None,
) -> list[list[str]]:
    """Group articles (given in ingest order) into stories; returns lists of article ids, each in
    ingest order, the lists ordered by their first article.

    ``embedder`` (anything with ``embed(texts) -> array``) embeds the leads; by default the
    packaged MiniLM model is loaded (once per process). Set ``params.embed_weight`` to 0 to
    cluster on words and entities alone. ``threshold`` overrides ``params.threshold``.
    """
    if not items:
        return []
    if len(items) == 1:
        return [[items[0].id]]
    cut = params.threshold if threshold is None else threshold
    vectors = None
    if params.embed_weight:
        if embedder is None:
            from newsweave.embed import get_embedder

            embedder = get_embedder()
        leads = [lead(i.text, params.lead_sentences, params.lead_words) for i in items]
        vectors = np.asarray(embedder.embed(leads))
    sim = similarity(items, vectors, params)
    groups = group(items, sim, cut)
    log.debug("clustered %d articles into %d stories", len(items), len(groups))
    return groups


def bcubed(
    clusters: Sequence[Sequence[str]], gold: Mapping[str, str]
) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``clusters`` (lists of item ids) against ``gold``
    (item id -> gold label), averaged over items (Bagga & Baldwin 1998).

    For each item, precision is the share of its cluster that has its gold label and recall the
    share of its gold class that is in its cluster. Every gold item must be in exactly one
    cluster and no cluster may hold an item without a gold label (ValueError otherwise).
    """
    seen: set[str] = set()
    for c in clusters:
        for item in c:
            if item in seen:
                raise ValueError(f"item {item!r} is in more than one cluster")
            if item not in gold:
                raise ValueError(f"item {item!r} has no gold label")
            seen.add(item)
    if len(seen) != len(gold):
        missing = sorted(set(gold) - seen)[:3]
        raise ValueError(f"{len(gold) - len(seen)} gold items are in no cluster, e.g. {missing}")
    if not gold:
        return 0.0, 0.0, 0.0
    class_size: dict[str, int] = {}
    for label in gold.values():
        class_size[label] = class_size.get(label, 0) + 1
    precision = recall = 0.0
    for c in clusters:
        counts: dict[str, int] = {}
        for item in c:
            counts[gold[item]] = counts.get(gold[item], 0) + 1
        for label, k in counts.items():
            # k items of this cluster share this label: each has k correct of len(c), of class
            precision += k * k / len(c)
            recall += k * k / class_size[label]
    p, r = precision / len(gold), recall / len(gold)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f
