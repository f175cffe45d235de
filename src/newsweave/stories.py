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
and memory, so :func:`cluster` serves benchmarks and small batches.

The store uses **incremental assignment** (:class:`Assigner`, :func:`assign_all`; see the
section below): each article, in arrival order, joins the closest *thread* (the coverage of one
subject) or opens a new one, found through an approximate nearest-neighbour index (usearch HNSW)
over fixed-size hashed vectors, so adding one article does not scan the store; the thread's
recent reports are then re-grouped into stories, one per event, with the IDF computed within
the thread. Publication dates, when known, make reports far apart in time less likely to share
a thread or a story. :func:`cluster` is the batch method of 0.1 (O(n^2)), kept for the
benchmark.

A story's id is ``s-`` + the id of its first article in ingest order (or the id its first
article's story had), so ids survive re-clustering as long as that article stays first.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from newsweave.story.facts import Embedder

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
    published: str | None = None  # ISO date; only incremental assignment uses it
    title: str | None = None  # the headline; only incremental assignment uses it


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
    return [[items[r].id for r in rows] for rows in _linkage_groups(sim, threshold)]


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
            from newsweave import models

            embedder = models.embedder()
        leads = [lead(i.text, params.lead_sentences, params.lead_words) for i in items]
        vectors = np.asarray(embedder.embed(leads))
    sim = similarity(items, vectors, params)
    groups = group(items, sim, cut)
    log.debug("clustered %d articles into %d stories", len(items), len(groups))
    return groups


# =========================================================================== incremental
#
# Assigning one article at a time, in two levels.
#
# **Threads.** Each article becomes a fixed-size vector: its words (English stop words removed,
# sublinear counts) and its entities, each hashed into a fixed number of signed buckets and
# weighted by an IDF computed from the document frequencies of the articles seen *so far* (the
# article itself included), then L2-normalised per view and scaled so that the dot product of two
# vectors is ``(1 - w) * word cosine + w * entity cosine``, the same combination as
# :func:`similarity`. A vector is frozen when its article is assigned. An article joins the
# thread whose members (at most ``max_members`` of the latest) are on average the most similar
# to it, among the threads of its ``neighbours`` nearest articles (an approximate
# nearest-neighbour index), if that average, discounted by the time gap between the article's
# date and the thread's window, reaches ``threshold``; otherwise it opens a new thread. The
# threshold is loose: a thread gathers the coverage of one subject (two earthquakes in one
# region, two rehab stays of one actor), with few articles of other subjects.
#
# **Stories.** Within a thread, the subject's own vocabulary is shared by every report and says
# nothing about which event a report tells; what tells the events apart is what only some reports
# share (the other town, the other date, the other defendant). So each time an article joins a
# thread, the thread's latest members (at most ``split_window``) are re-grouped into stories by
# average-linkage clustering cut relative to the thread's own similarity level, fragments then
# joining their closest core group (:func:`split_groups`), on a similarity whose IDF is
# computed *within the thread*, with
# the pairwise time discount (an undated report takes the date of its most similar dated
# report); earlier members keep their stories. A group keeps the id of the
# story its first member was in (if no earlier group took it), otherwise it is ``s-`` + the id
# of its first article; so stories are stable as long as their first article stays first, and a
# new report may move recent reports between the stories of its thread (their analyses become
# stale and are rebuilt). The batch result is this algorithm run over the articles in ingest
# order, so batch and incremental runs over the same input in the same order agree by
# construction.


@dataclass(frozen=True)
class IncrementalParams:
    """Parameters of :class:`Assigner` (thresholds and weights tuned on ECB+ train/dev only)."""

    threshold: float = 0.08  # least time-discounted average similarity to join a thread
    entity_weight: float = 0.35
    word_buckets: int = 1024
    entity_buckets: int = 256
    neighbours: int = 20  # nearest articles whose threads are candidates
    max_members: int = 50  # a thread is compared through at most its latest members
    time_slack_days: float = 3.0  # no discount within this many days
    time_half_life_days: float = 14.0  # beyond the slack, the similarity halves this often
    #: An article must also reach this share of the thread's cohesion (the mean similarity its
    #: members had when they joined it), once ``cohesion_min_joins`` members have joined; 0
    #: turns the rule off (the story split does that work since the two-level design).
    cohesion_ratio: float = 0.0
    cohesion_min_joins: int = 3
    #: An article also joins a thread when one of the thread's reports, discounted by the gap
    #: between their two dates, is this similar to it (a thread grows along close reports even
    #: when its older reports are far in time or wording: the story split sorts them out).
    link_threshold: float = 0.40
    #: In the story split, an undated report is given the date of its most similar dated
    #: report in the thread when that similarity reaches this (0 turns it off).
    impute_min: float = 0.30
    split_threshold: float = 0.90  # average-linkage cut on 1 - within-thread similarity
    #: The cut is relative too: a group's members must be on average at least this share of
    #: the window's mean pairwise similarity alike (``1 - split_threshold`` is the floor), so
    #: a thread whose reports are all alike is split where its events differ, not where its
    #: subject does; 0 keeps the absolute cut alone.
    split_relative: float = 0.80
    #: After that cut, groups of fewer members are fragments: a fragment joins the group of at
    #: least this many (a core) it is on average most similar to, when that average reaches
    #: ``attach_min`` and ``attach_ratio`` of the fragment's own cohesion (a short report shares
    #: few words with any one report of its event but more with its event than with the
    #: other; a tight pair of reports of a third event stays apart). 0 or 1 keeps the
    #: fragments as they are.
    split_core: int = 4
    attach_min: float = 0.05
    attach_ratio: float = 0.30
    split_entity_weight: float = 0.35
    split_min: int = 3  # threads smaller than this are one story
    split_window: int = 150  # a thread is re-split over at most its latest members
    index_dtype: str = "f16"  # the nearest-neighbour index's scalar type (usearch)
    #: The hashed counts keep this many buckets (collisions are rare, so the story split sees
    #: single words); thread vectors fold them into ``word_buckets`` / ``entity_buckets``.
    fine_word_buckets: int = 1 << 20
    fine_entity_buckets: int = 1 << 16

    @property
    def dim(self) -> int:
        return self.word_buckets + self.entity_buckets


INCREMENTAL = IncrementalParams()
#: Bump when the vectors change meaning (tokens, hashing, buckets): stored vectors of another
#: version are rebuilt by re-clustering.
VECTOR_VERSION = "hash-3"  # hash-3: the headline's words count

_TOKEN = re.compile(r"(?u)\b[\w-][\w-]+\b")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def _stop_words() -> frozenset[str]:
    # scikit-learn's list, kept in the package: importing scikit-learn costs seconds at start
    from newsweave._stopwords import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


def _bucket(term: str, buckets: int) -> tuple[int, float]:
    """A stable (process-independent) bucket and sign for ``term``."""
    h = zlib.crc32(term.encode("utf-8"))
    return (h >> 1) % buckets, (1.0 if h & 1 else -1.0)


@dataclass
class TermCounts:
    """An article's raw features, what the store keeps: hashed word buckets with sublinear
    counts (signed), hashed entity buckets (signed, 1 each), both in the fine bucket spaces
    (:attr:`IncrementalParams.fine_word_buckets`), and its day (days since 1970-01-01, or None
    when its date is unknown)."""

    words: dict[int, float]
    entities: dict[int, float]
    day: int | None = None

    def to_bytes(self) -> bytes:
        w = sorted(self.words)
        e = sorted(self.entities)
        head = np.array([len(w), len(e)], dtype="<i4")
        idx = np.array(w + e, dtype="<i4")
        val = np.array([self.words[i] for i in w] + [self.entities[i] for i in e], dtype="<f4")
        return head.tobytes() + idx.tobytes() + val.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, day: int | None = None) -> TermCounts:
        nw, ne = (int(x) for x in np.frombuffer(data, dtype="<i4", count=2))
        n = nw + ne
        idx = np.frombuffer(data, dtype="<i4", count=n, offset=8)
        val = np.frombuffer(data, dtype="<f4", count=n, offset=8 + 4 * n)
        words = {int(i): float(v) for i, v in zip(idx[:nw], val[:nw], strict=True)}
        ents = {int(i): float(v) for i, v in zip(idx[nw:], val[nw:], strict=True)}
        return cls(words, ents, day)


def day_number(published: str | None) -> int | None:
    """Days since 1970-01-01 of an ISO date (``YYYY-MM-DD``, anything after it ignored)."""
    if not published:
        return None
    from datetime import date

    try:
        return date.fromisoformat(published[:10]).toordinal() - date(1970, 1, 1).toordinal()
    except ValueError:
        return None


def term_counts(
    text: str,
    entities: Sequence[str],
    published: str | None = None,
    params: IncrementalParams = INCREMENTAL,
    title: str | None = None,
) -> TermCounts:
    """An article's hashed counts: the words of its headline (``title``, when it has one) and
    its text, its entities and the years it writes out, and its day."""
    if title and title.strip():
        # the headline names the event in few words: it counts with the text
        text = f"{title.strip()}\n{text}"
    stop = _STOP_WORDS
    tf: dict[str, int] = {}
    for tok in _TOKEN.findall(text.lower()):
        if tok not in stop:
            tf[tok] = tf.get(tok, 0) + 1
    words: dict[int, float] = {}
    for tok, count in tf.items():
        b, sign = _bucket(tok, params.fine_word_buckets)
        words[b] = words.get(b, 0.0) + sign * (1.0 + math.log(count))
    ents: dict[int, float] = {}
    # explicit years count as names: reports of two events of one subject often differ there
    years = {f"year:{y}" for y in _YEAR.findall(text)}
    for e in sorted(set(entities) | years):
        b, sign = _bucket(e, params.fine_entity_buckets)
        ents[b] = ents.get(b, 0.0) + sign
    # values as the store keeps them (float32), so a replayed article gets the same vector
    words = {b: float(np.float32(v)) for b, v in words.items()}
    return TermCounts(words, ents, day_number(published))


_STOP_WORDS = _stop_words()


class Vectoriser:
    """Turns :class:`TermCounts` into frozen vectors, keeping the running document frequencies
    of the buckets (an article counts in the frequencies used for its own vector)."""

    def __init__(self, params: IncrementalParams = INCREMENTAL) -> None:
        self.params = params
        self.n = 0
        self.df = np.zeros(params.dim, dtype=np.int64)

    def add(self, counts: TermCounts) -> np.ndarray:
        p = self.params
        self.n += 1
        vec = np.zeros(p.dim, dtype=np.float64)
        for values, buckets, offset, weight in (
            (counts.words, p.word_buckets, 0, 1.0 - p.entity_weight),
            (counts.entities, p.entity_buckets, p.word_buckets, p.entity_weight),
        ):
            if not values:
                continue
            fine = np.fromiter(values, dtype=np.int64, count=len(values))
            vals = np.fromiter(values.values(), dtype=np.float64, count=len(values))
            # fold the fine buckets (their number is a multiple of ``buckets``)
            idx, inverse = np.unique(fine % buckets, return_inverse=True)
            folded = np.zeros(len(idx), dtype=np.float64)
            np.add.at(folded, inverse, vals)
            idx = idx + offset
            self.df[idx] += 1
            if weight <= 0:
                continue
            folded *= np.log((1 + self.n) / (1 + self.df[idx])) + 1.0
            norm = float(np.linalg.norm(folded))
            if norm > 0:
                vec[idx] = folded * (math.sqrt(weight) / norm)
        return vec.astype(np.float32)


class _NearestIndex:
    """Approximate nearest neighbours by inner product: a usearch HNSW graph, filled one vector
    at a time in assignment order so the graph (and every answer) depends only on that order.
    Without usearch installed, an exact scan of the in-memory vectors (same interface)."""

    def __init__(self, dim: int, dtype: str = "f16") -> None:
        self.dim = dim
        try:
            from newsweave._native import load_cxx_runtime

            load_cxx_runtime()  # before usearch, or a later onnxruntime import crashes
            from usearch.index import Index
        except ImportError:  # pragma: no cover - usearch is a dependency
            log.warning("usearch is not installed: nearest articles are found by a full scan")
            self._index = None
        else:
            self._index = Index(
                ndim=dim,
                metric="ip",
                dtype=dtype,
                connectivity=16,
                expansion_add=64,
                expansion_search=64,
            )

    def add(self, key: int, vector: np.ndarray) -> None:
        if self._index is not None:
            self._index.add(key, vector, threads=1)

    def search(self, vector: np.ndarray, k: int, matrix: _Rows) -> list[int]:
        """Keys of (about) the ``k`` vectors nearest ``vector``; ``matrix`` holds them all, by
        key, for the exact fallback."""
        if not len(matrix) or k <= 0:
            return []
        if self._index is None:
            sims = matrix.all() @ vector
            order = np.lexsort((np.arange(len(sims)), -sims))[:k]
            return [int(i) for i in order]
        found = self._index.search(vector, k, threads=1)
        return [int(key) for key in found.keys]


class _Rows:
    """The frozen vectors by position, at half precision (the index's precision): those loaded
    from a snapshot stay in its file, memory-mapped and read as they are needed (a process
    over a million articles starts without reading 2.5 GB); those added since are in an array
    that grows by a quarter."""

    def __init__(self, dim: int, base: np.ndarray | None = None) -> None:
        self.dim = dim
        self._base = base if base is not None else np.zeros((0, dim), dtype=np.float16)
        self._n_base = len(self._base)
        self._extra = np.zeros((64, dim), dtype=np.float16)
        self._n_extra = 0

    def __len__(self) -> int:
        return self._n_base + self._n_extra

    def append(self, vector: np.ndarray) -> None:
        if self._n_extra == len(self._extra):
            grown = np.zeros((self._n_extra + max(64, len(self) // 4), self.dim), np.float16)
            grown[: self._n_extra] = self._extra[: self._n_extra]
            self._extra = grown
        self._extra[self._n_extra] = vector
        self._n_extra += 1

    def take(self, positions: Sequence[int] | np.ndarray) -> np.ndarray:
        """The rows at ``positions`` (a new half-precision array)."""
        idx = np.asarray(positions, dtype=np.intp)
        n = self._n_base
        if not self._n_extra or (len(idx) and int(idx.max()) < n):
            return np.asarray(self._base[idx])
        if not n or int(idx.min()) >= n:
            return self._extra[idx - n]
        out = np.empty((len(idx), self.dim), dtype=np.float16)
        old = idx < n
        out[old] = self._base[idx[old]]
        out[~old] = self._extra[idx[~old] - n]
        return out

    def all(self) -> np.ndarray:
        """Every row in one array (a copy: for the exact search without usearch, and tests)."""
        return np.concatenate([np.asarray(self._base), self._extra[: self._n_extra]])

    def save(self, path: Path) -> None:
        """Write the rows as one ``.npy`` file, the mapped part streamed from its file."""
        out = np.lib.format.open_memmap(
            path, mode="w+", dtype=np.float16, shape=(len(self), self.dim)
        )
        step, n = 65536, self._n_base
        for i in range(0, n, step):
            out[i : min(i + step, n)] = self._base[i : i + step]
        out[self._n_base :] = self._extra[: self._n_extra]
        out.flush()
        del out


@dataclass
class _Thread:
    members: list[int]  # article positions, in assignment order
    first_day: int | None = None
    last_day: int | None = None
    join_sum: float = 0.0  # similarities of the members 2, 3, ... when they joined
    joins: int = 0

    @property
    def cohesion(self) -> float:
        return self.join_sum / self.joins if self.joins else 0.0

    def add(self, pos: int, day: int | None, sim: float | None) -> None:
        self.members.append(pos)
        if sim is not None:
            self.join_sum += sim
            self.joins += 1
        if day is not None:
            self.first_day = day if self.first_day is None else min(self.first_day, day)
            self.last_day = day if self.last_day is None else max(self.last_day, day)


@dataclass
class _Sparse:
    """An article's hashed counts as compact arrays (what the story split reads)."""

    w_idx: np.ndarray
    w_val: np.ndarray
    e_idx: np.ndarray
    e_val: np.ndarray

    @classmethod
    def of(cls, counts: TermCounts) -> _Sparse:
        return cls(
            np.fromiter(counts.words, dtype=np.int32, count=len(counts.words)),
            np.fromiter(counts.words.values(), dtype=np.float32, count=len(counts.words)),
            np.fromiter(counts.entities, dtype=np.int32, count=len(counts.entities)),
            np.fromiter(counts.entities.values(), dtype=np.float32, count=len(counts.entities)),
        )


class _SparseRows:
    """Every article's :class:`_Sparse`, by position: those loaded from a snapshot stay in six
    flat arrays (CSR style) and are sliced on demand; those added since are kept as objects."""

    def __init__(self) -> None:
        self._base: dict[str, np.ndarray] | None = None
        self._n_base = 0
        self._extra: list[_Sparse] = []

    def __len__(self) -> int:
        return self._n_base + len(self._extra)

    def append(self, row: _Sparse) -> None:
        self._extra.append(row)

    def __getitem__(self, pos: int) -> _Sparse:
        if pos >= self._n_base:
            return self._extra[pos - self._n_base]
        b = self._base
        assert b is not None
        w0, w1 = int(b["w_ptr"][pos]), int(b["w_ptr"][pos + 1])
        e0, e1 = int(b["e_ptr"][pos]), int(b["e_ptr"][pos + 1])
        return _Sparse(b["w_idx"][w0:w1], b["w_val"][w0:w1], b["e_idx"][e0:e1], b["e_val"][e0:e1])

    def arrays(self) -> dict[str, np.ndarray]:
        """All rows as the six flat arrays (what a snapshot stores): the loaded ones as they
        are, the rows added since appended."""
        out: dict[str, np.ndarray] = {}
        rows = self._extra
        for name, idx, val in (("w", "w_idx", "w_val"), ("e", "e_idx", "e_val")):
            lengths = np.fromiter(
                (len(getattr(r, idx)) for r in rows), dtype=np.int64, count=len(rows)
            )
            base_ptr = self._base[f"{name}_ptr"] if self._base else np.zeros(1, np.int64)
            base_idx = self._base[idx] if self._base else np.zeros(0, np.int32)
            base_val = self._base[val] if self._base else np.zeros(0, np.float32)
            out[f"{name}_ptr"] = np.concatenate(
                [base_ptr, base_ptr[-1] + np.cumsum(lengths)]
            ).astype(np.int64)
            out[idx] = np.concatenate([base_idx, *(getattr(r, idx) for r in rows)]).astype(np.int32)
            out[val] = np.concatenate([base_val, *(getattr(r, val) for r in rows)]).astype(
                np.float32
            )
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> _SparseRows:
        rows = cls()
        rows._base = {k: np.asarray(arrays[k]) for k in _SPARSE_KEYS}
        rows._n_base = len(rows._base["w_ptr"]) - 1
        return rows


_SPARSE_KEYS = ("w_ptr", "w_idx", "w_val", "e_ptr", "e_idx", "e_val")


def _local_view(rows: Sequence[tuple[np.ndarray, np.ndarray]]) -> Any:
    """A sparse matrix of the rows (bucket indices and values, one article each) weighted by
    the IDF within them, rows L2-normalised."""
    from scipy.sparse import csr_matrix

    k = len(rows)
    lengths = [len(idx) for idx, _ in rows]
    if not sum(lengths):
        return csr_matrix((k, 1))
    all_idx = np.concatenate([idx for idx, _ in rows])
    all_val = np.concatenate([val for _, val in rows]).astype(np.float64)
    cols, inverse = np.unique(all_idx, return_inverse=True)
    df = np.bincount(inverse, minlength=len(cols))
    all_val *= (np.log((1 + k) / (1 + df)) + 1.0)[inverse]
    row_of = np.repeat(np.arange(k), lengths)
    norms = np.sqrt(np.bincount(row_of, weights=all_val * all_val, minlength=k))
    all_val /= np.where(norms > 0, norms, 1.0)[row_of]
    return csr_matrix((all_val, (row_of, inverse)), shape=(k, len(cols)))


def _linkage_groups(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage clusters (row indices, ascending) whose merge distance ``1 - sim`` is
    below ``threshold``, ordered by their first row."""
    n = len(sim)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = np.clip(1.0 - sim, 0.0, 2.0)
    dist = (dist + dist.T) / 2.0
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    # fcluster keeps merges with distance <= t; a strict cut keeps ties at t apart.
    labels = fcluster(tree, t=np.nextafter(threshold, -np.inf), criterion="distance")
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        groups.setdefault(int(label), []).append(row)
    return list(groups.values())  # first-seen order of labels = order of first rows


def split_groups(sim: np.ndarray, params: IncrementalParams = INCREMENTAL) -> list[list[int]]:
    """The story split of one thread's window (``sim``: its pairwise similarity): row indices,
    ascending, grouped in order of their first row.

    1. Average linkage cut where the members of a group are on average less alike than
       ``max(1 - split_threshold, split_relative * mean pairwise similarity)``: the similarity
       that tells two events of one subject apart depends on how much the thread's reports
       share, so the cut follows the thread's own level.
    2. That strict cut leaves the core of each event together and fragments around it (short
       reports, reports that add one new detail): a group smaller than ``split_core`` joins
       the core group it is on average most similar to, if that average reaches
       ``attach_min`` and ``attach_ratio`` times the fragment's own mean pairwise similarity,
       and stays a story of its own otherwise. Without a core group (a small or a diffuse
       thread) the plain absolute cut is kept.
    """
    n = len(sim)
    if n < 3:
        return _linkage_groups(sim, params.split_threshold)
    sim = (sim + sim.T) / 2.0
    floor = 1.0 - params.split_threshold
    mean = float((sim.sum() - np.trace(sim)) / (n * (n - 1)))
    cut = max(floor, params.split_relative * mean)
    groups = _linkage_groups(sim, 1.0 - cut)
    if params.split_core <= 1:
        return groups
    cores = [g for g in groups if len(g) >= params.split_core]
    if not cores:
        return _linkage_groups(sim, params.split_threshold)
    out = [list(g) for g in cores]
    loose: list[list[int]] = []
    for g in groups:
        if len(g) >= params.split_core:
            continue
        averages = [float(sim[np.ix_(g, core)].mean()) for core in cores]
        best = int(np.argmax(averages))  # the first core on a tie
        k = len(g)
        block = sim[np.ix_(g, g)]
        cohesion = float((block.sum() - np.trace(block)) / (k * (k - 1))) if k > 1 else 0.0
        if averages[best] >= max(params.attach_min, params.attach_ratio * cohesion):
            out[best].extend(g)
        else:
            loose.append(list(g))
    return sorted((sorted(g) for g in out + loose), key=lambda g: g[0])


class Assigner:
    """Incremental story assignment: :meth:`assign` puts one article in a thread and a story
    and returns the story's id; :attr:`changed` then says which stories changed and their
    members. The state is the articles' frozen vectors and hashed counts (in memory, rebuilt
    from the store with :meth:`restore`), the running document frequencies, the threads and the
    stories."""

    def __init__(self, params: IncrementalParams = INCREMENTAL) -> None:
        self.params = params
        self.vectoriser = Vectoriser(params)
        # frozen vectors, kept at half precision (the index's precision): 2.5 KB per article
        self._matrix = _Rows(params.dim)
        self._ids: list[str] = []
        self._days: list[int | None] = []
        self._sparse = _SparseRows()
        self._pos: dict[str, int] = {}  # article id -> position
        self._thread_of: list[int] = []  # article position -> thread position
        self._threads: list[_Thread] = []
        self._story: list[str] = []  # article position -> story id
        self._members: dict[str, list[int]] = {}  # story id -> positions, ascending
        self._index = _NearestIndex(params.dim, params.index_dtype)
        #: After :meth:`assign`: every story whose members changed -> its members (article ids
        #: in assignment order); an empty list means the story is gone.
        self.changed: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def vectors(self) -> np.ndarray:
        return self._matrix.all()

    def _append(self, article_id: str, vector: np.ndarray, counts: TermCounts) -> int:
        pos = len(self._ids)
        self._matrix.append(vector)
        self._ids.append(article_id)
        self._pos[article_id] = pos
        self._days.append(counts.day)
        self._sparse.append(_Sparse.of(counts))
        self._index.add(pos, vector)
        return pos

    def _gap_factor(self, gap: np.ndarray | float) -> np.ndarray:
        over = np.asarray(gap, dtype=np.float64) - self.params.time_slack_days
        return np.where(
            over <= 0, 1.0, 0.5 ** (np.maximum(over, 0) / self.params.time_half_life_days)
        )

    def _time_factor(self, day: int | None, thread: _Thread) -> float:
        if day is None or thread.first_day is None or thread.last_day is None:
            return 1.0
        gap = max(0, thread.first_day - day, day - thread.last_day)
        return float(self._gap_factor(gap))

    def _similarity(self, vector: np.ndarray, thread: _Thread) -> float:
        members = thread.members[-self.params.max_members :]
        return float(np.mean(self._matrix.take(members).astype(np.float32) @ vector))

    def scores(self, vector: np.ndarray, day: int | None) -> dict[int, float]:
        """Time-discounted average similarity of a vector to each candidate thread (by thread
        position) that it may join: the threads of its nearest articles."""
        p = self.params
        near = self._index.search(vector, p.neighbours, self._matrix)
        # the closest single report of each thread, discounted by the gap between the two dates
        link: dict[int, float] = {}
        if near:
            sims = self._matrix.take(near).astype(np.float32) @ vector
            for pos, sim in zip(near, sims, strict=True):
                other = self._days[pos]
                factor = 1.0 if day is None or other is None else self._gap_factor(abs(day - other))
                thread = self._thread_of[pos]
                link[thread] = max(link.get(thread, 0.0), float(sim * factor))
        out: dict[int, float] = {}
        for thread in sorted(link):
            state = self._threads[thread]
            score = self._similarity(vector, state) * self._time_factor(day, state)
            tight = p.cohesion_ratio > 0 and state.joins >= p.cohesion_min_joins
            close = score >= p.threshold and (
                not tight or score >= p.cohesion_ratio * state.cohesion
            )
            if close or link[thread] >= p.link_threshold:
                out[thread] = score
        return out

    def _join_thread(self, article_id: str, counts: TermCounts) -> tuple[int, int]:
        """Level 1: the article's position and thread."""
        vector = self.vectoriser.add(counts)
        scores = self.scores(vector, counts.day)
        best = min(scores, key=lambda s: (-scores[s], s)) if scores else None
        pos = self._append(article_id, vector, counts)
        if best is None:
            best = len(self._threads)
            self._threads.append(_Thread([]))
        self._threads[best].add(pos, counts.day, scores.get(best))
        self._thread_of.append(best)
        return pos, best

    def local_similarity(self, positions: Sequence[int]) -> np.ndarray:
        """Pairwise similarity of articles (by position) with the IDF computed among them, and
        the pairwise time discount where both dates are known."""
        p = self.params
        sparse = [self._sparse[i] for i in positions]
        words = _local_view([(sp.w_idx, sp.w_val) for sp in sparse])
        ents = _local_view([(sp.e_idx, sp.e_val) for sp in sparse])
        w = p.split_entity_weight
        sim = (1.0 - w) * (words @ words.T).toarray() + w * (ents @ ents.T).toarray()
        days = np.array([self._days[i] if self._days[i] is not None else -1 for i in positions])
        known = days >= 0
        if known.any() and not known.all() and p.impute_min > 0:
            # an undated report takes the date of its most similar dated report, when close
            # enough: reports are written near in time to the reports they resemble most
            dated = np.flatnonzero(known)
            for row in np.flatnonzero(~known):
                best = dated[int(np.argmax(sim[row, dated]))]
                if sim[row, best] >= p.impute_min:
                    days[row] = days[best]
            known = days >= 0
        if known.sum() > 1:
            gap = np.abs(days[:, None] - days[None, :])
            factor = np.where(known[:, None] & known[None, :], self._gap_factor(gap), 1.0)
            sim = sim * factor
        return np.asarray(sim, dtype=np.float64)

    def _split(self, thread: _Thread) -> dict[str, list[str]]:
        """Level 2: re-group the thread's latest members into stories; the changed stories."""
        p = self.params
        window = thread.members[-p.split_window :]
        if len(window) < p.split_min:
            groups = [list(range(len(window)))]
        else:
            groups = split_groups(self.local_similarity(window), p)
        taken: set[str] = set()
        touched: set[str] = set()
        for rows in groups:
            members = [window[r] for r in rows]
            first = members[0]
            previous = self._story[first] if first < len(self._story) else None
            sid = previous if previous and previous not in taken else story_id(self._ids[first])
            taken.add(sid)
            for pos in members:
                old = self._story[pos] if pos < len(self._story) else None
                if old == sid:
                    continue
                if old is not None:
                    self._members[old].remove(pos)
                    touched.add(old)
                if pos < len(self._story):
                    self._story[pos] = sid
                else:
                    self._story.append(sid)
                self._members.setdefault(sid, [])
                bisect.insort(self._members[sid], pos)
                touched.add(sid)
        changed: dict[str, list[str]] = {}
        for sid in sorted(touched):
            members = self._members.get(sid, [])
            changed[sid] = [self._ids[i] for i in members]
            if not members:
                self._members.pop(sid, None)
        return changed

    def assign(self, article_id: str, counts: TermCounts, thread: int | None = None) -> str:
        """Put one article (given after every article already assigned) in a story; returns
        the story's id. :attr:`changed` holds every story whose members changed. With
        ``thread`` (threads numbered in order of their first article), the article joins that
        thread instead of the one the search finds: a caller that found the threads with
        :meth:`join` (level 1 only) assigns the stories of some threads apart from the rest,
        with the result the whole would give (the story split reads only the thread)."""
        if thread is None:
            pos, thread = self._join_thread(article_id, counts)
        else:
            pos = self._join_given(article_id, counts, thread)
        self.changed = self._split(self._threads[thread])
        return self._story[pos]

    def join(self, article_id: str, counts: TermCounts) -> int:
        """Level 1 only: the thread (numbered in order of first article) the article joins; no
        story is made. An assigner used this way finds the threads of a corpus cheaply."""
        return self._join_thread(article_id, counts)[1]

    def _join_given(self, article_id: str, counts: TermCounts, thread: int) -> int:
        """Level 1 with the thread given: the article's position."""
        vector = self.vectoriser.add(counts)
        while len(self._threads) <= thread:
            self._threads.append(_Thread([]))
        state = self._threads[thread]
        sim = None
        if state.members:  # what it scored when it joined (the cohesion rule reads it)
            sim = self._similarity(vector, state) * self._time_factor(counts.day, state)
        pos = self._append(article_id, vector, counts)
        state.add(pos, counts.day, sim)
        self._thread_of.append(thread)
        return pos

    def restore(
        self, article_id: str, counts: TermCounts, story: str, thread: int | None = None
    ) -> None:
        """Replay an article assigned earlier (in assignment order) that is now in ``story``:
        its thread is recomputed (threads depend only on the order of the vectors), its story
        is taken as given. A caller that kept the thread numbers (in order of their first
        article) passes ``thread``, which skips the nearest-neighbour search."""
        if thread is None:
            pos, _ = self._join_thread(article_id, counts)
        else:
            pos = self._join_given(article_id, counts, thread)
        self._story.append(story)
        bisect.insort(self._members.setdefault(story, []), pos)

    def story_of(self, article_id: str) -> str:
        return self._story[self._pos[article_id]]

    def relabel(self, labels: Mapping[str, str]) -> None:
        """Set the story of articles assigned earlier (article id -> story id), as the store
        says after another process re-grouped their thread; unknown ids are ignored."""
        for article_id, story in labels.items():
            pos = self._pos.get(article_id)
            if pos is None or self._story[pos] == story:
                continue
            old = self._story[pos]
            self._members[old].remove(pos)
            if not self._members[old]:
                del self._members[old]
            self._story[pos] = story
            bisect.insort(self._members.setdefault(story, []), pos)

    def thread_window(self, article_id: str, extra: int = 0) -> list[str]:
        """The article ids of the latest members of ``article_id``'s thread that its story
        split reads (plus ``extra`` more before them)."""
        thread = self._threads[self._thread_of[self._pos[article_id]]]
        return [self._ids[i] for i in thread.members[-(self.params.split_window + extra) :]]

    # ------------------------------------------------------------------ snapshots
    def save(self, path: str | Path, extra: Mapping[str, Any] | None = None) -> None:
        """Write the whole state to the directory ``path`` (replaced atomically: a crash
        leaves the old snapshot or the new one), so a process can :meth:`load` it instead of
        replaying every article. ``extra`` is kept in the snapshot's metadata."""
        import json
        import os
        import shutil

        target = Path(path)
        for kind in ("tmp", "old"):  # left by a process killed while saving
            for stale in target.parent.glob(f"{target.name}.{kind}-*"):
                shutil.rmtree(stale, ignore_errors=True)
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
        tmp.mkdir(parents=True)
        n = len(self._ids)
        nothing = np.iinfo(np.int64).min
        threads = self._threads
        arrays: dict[str, np.ndarray] = {
            "df": self.vectoriser.df,
            "days": np.array([nothing if d is None else d for d in self._days], dtype=np.int64),
            "thread_of": np.array(self._thread_of, dtype=np.int64),
            "first_day": np.array(
                [nothing if t.first_day is None else t.first_day for t in threads], np.int64
            ),
            "last_day": np.array(
                [nothing if t.last_day is None else t.last_day for t in threads], np.int64
            ),
            "join_sum": np.array([t.join_sum for t in threads], dtype=np.float64),
            "joins": np.array([t.joins for t in threads], dtype=np.int64),
            "ids": np.array(self._ids, dtype=str),
            "story": np.array(self._story, dtype=str),
            **self._sparse.arrays(),
        }
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", array, allow_pickle=False)
        self._matrix.save(tmp / "matrix.npy")
        if self._index._index is not None:
            self._index._index.save(str(tmp / "index.usearch"))
        meta = {
            "format": _SNAPSHOT_FORMAT,
            "vector_version": VECTOR_VERSION,
            "params": _params_key(self.params),
            "articles": n,
            "vectoriser_n": self.vectoriser.n,
            "index": self._index._index is not None,
            "extra": dict(extra or {}),
        }
        # the metadata is written last: a snapshot without it is incomplete
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        old = target.with_name(f"{target.name}.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        # read the big parts from the new files from now on (the old ones are gone, and the
        # rows added since the last load are in them)
        self._matrix = _Rows(self.params.dim, np.load(target / "matrix.npy", mmap_mode="r"))
        self._sparse = _SparseRows.from_arrays(
            {k: np.load(target / f"{k}.npy", mmap_mode="r") for k in _SPARSE_KEYS}
        )

    @classmethod
    def load(
        cls, path: str | Path, params: IncrementalParams = INCREMENTAL
    ) -> tuple[Assigner, dict[str, Any]]:
        """The state :meth:`save` wrote, and its ``extra``. ValueError when the snapshot is
        missing, incomplete, or made with other vectors or parameters."""
        import json

        folder = Path(path)
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"no usable snapshot in {folder}: {exc}") from exc
        if (
            meta.get("format") != _SNAPSHOT_FORMAT
            or meta.get("vector_version") != VECTOR_VERSION
            or meta.get("params") != _params_key(params)
        ):
            raise ValueError(f"the snapshot in {folder} was made with other vectors or parameters")
        try:
            # the big read-only parts stay in their files, read as needed
            arrays = {
                name: np.load(
                    folder / f"{name}.npy",
                    allow_pickle=False,
                    mmap_mode="r" if name in _MAPPED else None,
                )
                for name in (*_SNAPSHOT_ARRAYS, *_SPARSE_KEYS)
            }
        except (OSError, ValueError) as exc:
            raise ValueError(f"the snapshot in {folder} is damaged: {exc}") from exc
        n = int(meta["articles"])
        if len(arrays["ids"]) != n or len(arrays["matrix"]) != n or len(arrays["w_ptr"]) != n + 1:
            raise ValueError(f"the snapshot in {folder} is damaged: its parts disagree in size")
        self = cls(params)
        nothing = np.iinfo(np.int64).min
        if arrays["matrix"].dtype != np.float16 or arrays["matrix"].shape[1:] != (params.dim,):
            raise ValueError(f"the snapshot in {folder} is damaged: its vectors have another shape")
        self._matrix = _Rows(params.dim, arrays["matrix"] if n else None)
        self.vectoriser.n = int(meta["vectoriser_n"])
        self.vectoriser.df = np.array(arrays["df"], dtype=np.int64)
        self._ids = arrays["ids"].tolist()
        self._pos = {a: i for i, a in enumerate(self._ids)}
        self._days = [None if d == nothing else int(d) for d in arrays["days"].tolist()]
        self._sparse = _SparseRows.from_arrays(arrays)
        self._thread_of = arrays["thread_of"].tolist()
        members: list[list[int]] = [[] for _ in range(len(arrays["joins"]))]
        for pos, thread in enumerate(self._thread_of):
            members[thread].append(pos)
        self._threads = [
            _Thread(
                m,
                None if first == nothing else int(first),
                None if last == nothing else int(last),
                float(js),
                int(joins),
            )
            for m, first, last, js, joins in zip(
                members,
                arrays["first_day"].tolist(),
                arrays["last_day"].tolist(),
                arrays["join_sum"].tolist(),
                arrays["joins"].tolist(),
                strict=True,
            )
        ]
        self._story = arrays["story"].tolist()
        for pos, story in enumerate(self._story):
            self._members.setdefault(story, []).append(pos)
        if meta.get("index") and self._index._index is not None:
            try:
                self._index._index.load(str(folder / "index.usearch"))
            except (OSError, RuntimeError, ValueError) as exc:
                raise ValueError(f"the snapshot in {folder} is damaged: {exc}") from exc
            if len(self._index._index) != n:
                raise ValueError(f"the snapshot in {folder} is damaged: index size differs")
        elif self._index._index is not None:
            for pos in range(n):  # made without usearch: rebuild the index from the vectors
                self._index.add(pos, self._matrix.take([pos])[0].astype(np.float32))
        return self, dict(meta.get("extra") or {})

    def groups(self) -> list[list[str]]:
        """Every story's article ids in assignment order, stories ordered by first article."""
        stories = sorted(self._members.values(), key=lambda m: m[0])
        return [[self._ids[i] for i in members] for members in stories if members]

    def stories(self) -> dict[str, list[str]]:
        """Story id -> its article ids in assignment order, stories ordered by first article."""
        ordered = sorted(self._members.items(), key=lambda kv: kv[1][0])
        return {sid: [self._ids[i] for i in members] for sid, members in ordered if members}

    def threads(self) -> list[list[str]]:
        """Every thread's article ids in assignment order, ordered by first article."""
        return [[self._ids[i] for i in t.members] for t in self._threads if t.members]


_SNAPSHOT_FORMAT = 1
#: Snapshot arrays read through a memory map (the rest are read whole)
_MAPPED = {"matrix", "w_idx", "w_val", "e_idx", "e_val"}
_SNAPSHOT_ARRAYS = (
    "matrix",
    "df",
    "days",
    "thread_of",
    "first_day",
    "last_day",
    "join_sum",
    "joins",
    "ids",
    "story",
)


def _params_key(params: IncrementalParams) -> str:
    from dataclasses import asdict

    return repr(sorted(asdict(params).items()))


def assign_all(
    items: Sequence[StoryInput], params: IncrementalParams = INCREMENTAL
) -> list[list[str]]:
    """The batch result of incremental assignment: every item assigned in the given order."""
    assigner = Assigner(params)
    for item in items:
        counts = term_counts(item.text, item.entities, item.published, params, item.title)
        assigner.assign(item.id, counts)
    return assigner.groups()
