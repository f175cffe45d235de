"""Near-duplicate candidates and reused passages between texts.

Two tools, both deterministic (fixed seeds, no salted hashes):

* :class:`LSHIndex`: a streaming MinHash LSH index over word shingles. Documents are added one at
  a time; a query returns the documents that share at least one LSH bucket with it, so finding
  the candidates of one document costs about the same with ten or ten million documents indexed
  (sub-quadratic over a collection). Signatures are min-hashes under ``num_perm`` universal hash
  functions ``(a * h + b) mod (2**61 - 1)`` of the 32-bit CRC of each shingle; the signature is cut
  into ``bands`` bands of ``rows`` values, and two documents are candidates when any band agrees,
  which happens with probability ``1 - (1 - J**rows) ** bands`` for Jaccard similarity ``J``.
* :func:`align`: the passages two texts share, with character offsets in both. Shared word
  k-grams are anchors; anchors on (nearly) the same diagonal are chained across small gaps (a
  swapped word, an inserted or dropped word), so a lightly edited passage stays one passage.
  Each passage says whether it is word for word (``exact``).
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

_TOKEN = re.compile(r"\w+", re.UNICODE)
# a direct quotation: shared words of a speaker, not of a writer
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"\n]*\"|«[^«»]*»")
_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)


@dataclass
class Tokens:
    """Words of a text (case-folded) with their character offsets."""

    words: list[str]
    spans: list[tuple[int, int]]
    quoted: list[bool] = field(default_factory=list)  # the word stands inside a quotation


def tokenize(text: str, *, quotes: bool = False) -> Tokens:
    """Word tokens of ``text``; with ``quotes``, also which words stand inside a quotation."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text):
        words.append(m.group(0).casefold())
        spans.append(m.span())
    quoted: list[bool] = []
    if quotes:
        quoted = inside_quotes(text, [s for s, _ in spans])
    return Tokens(words, spans, quoted)


def inside_quotes(text: str, positions: Sequence[int]) -> list[bool]:
    """For each character position, whether it stands strictly inside a direct quotation."""
    inside = [m.span() for m in _QUOTED.finditer(text)]  # in order, never overlapping
    starts = [a for a, _ in inside]
    out: list[bool] = []
    for pos in positions:
        n = bisect_left(starts, pos) - 1  # the last quotation opening before pos
        out.append(n >= 0 and pos < inside[n][1])
    return out


def shingle_hashes(words: Sequence[str], k: int) -> np.ndarray:
    """The distinct 32-bit hashes of the word k-grams (one shingle for a text shorter than k)."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    n = max(1, len(words) - k + 1)
    crc = zlib.crc32
    values = {crc(" ".join(words[i : i + k]).encode("utf-8")) for i in range(n)}
    return np.fromiter(values, dtype=np.uint64, count=len(values))


class MinHasher:
    """MinHash signatures under ``num_perm`` fixed universal hash functions."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        # a, b < 2**32 and h < 2**32: a * h + b < 2**64, so no overflow before the modulus
        self.a = rng.integers(1, 1 << 32, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64)
        self.num_perm = num_perm

    def signatures(self, hashes: np.ndarray, bounds: Sequence[tuple[int, int]]) -> np.ndarray:
        """Signatures (one row each) of the sets ``hashes[start:end]`` for each (start, end)
        of ``bounds``, from one pass over the hashes."""
        ph = ((hashes[:, None] * self.a + self.b) % _PRIME) & _MAX32
        out = np.empty((len(bounds), self.num_perm), dtype=np.uint32)
        for n, (start, end) in enumerate(bounds):
            out[n] = ph[start:end].min(axis=0) if end > start else 0xFFFFFFFF
        return out

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        """The signature (``num_perm`` uint32 values) of a set of shingle hashes."""
        if hashes.size == 0:
            return np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        out = np.full(self.num_perm, _MAX32, dtype=np.uint64)
        for start in range(0, hashes.size, 512):  # bounded memory for long texts
            hv = hashes[start : start + 512, None]
            ph = ((hv * self.a + self.b) % _PRIME) & _MAX32
            np.minimum(out, ph.min(axis=0), out=out)
        return out.astype(np.uint32)


def jaccard(a: Iterable[int], b: Iterable[int]) -> float:
    """Exact Jaccard similarity of two sets."""
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


class LSHIndex:
    """A streaming MinHash LSH index: add documents one at a time, query their candidates.

    ``bands * rows`` values of each signature are used; the similarity at which a pair becomes a
    candidate with probability 1/2 is about ``(1 / bands) ** (1 / rows)`` (:attr:`threshold`).
    The defaults (3-word shingles, 64 bands of 2 rows: threshold 0.125) are set for reuse, not
    only near-identity: a truncated or padded copy has a low Jaccard similarity with its origin.
    A pair with Jaccard 0.1 is a candidate with probability 0.47, 0.2 with 0.93, 0.3 with 0.998;
    unrelated news texts (Jaccard under 0.01) with probability under 0.006.

    A bucket holding more than ``max_bucket`` documents (a boilerplate sentence shared by a whole
    site) stops returning candidates, so a query never turns into a scan. Memory: one dict entry
    per (document, band) plus, with ``keep_signatures``, ``4 * num_perm`` bytes per document.
    """

    def __init__(
        self,
        *,
        num_perm: int = 128,
        bands: int = 64,
        rows: int = 2,
        shingle: int = 3,
        seed: int = 1,
        max_bucket: int = 1000,
        keep_signatures: bool = True,
    ) -> None:
        if bands * rows > num_perm:
            raise ValueError(f"bands * rows ({bands * rows}) exceeds num_perm ({num_perm})")
        self.hasher = MinHasher(num_perm, seed)
        self.bands, self.rows, self.shingle = bands, rows, shingle
        self.max_bucket = max_bucket
        self.keep_signatures = keep_signatures
        rng = np.random.default_rng(seed + 1)
        self._mix = rng.integers(1, 1 << 63, size=rows, dtype=np.uint64) | np.uint64(1)
        # band -> key -> the documents in that bucket: one number, or a list when several
        self._buckets: list[dict[int, int | list[int]]] = [{} for _ in range(bands)]
        self._ids: list[str] = []
        self._number: dict[str, int] = {}
        self._sigs: list[np.ndarray] = []

    @property
    def threshold(self) -> float:
        """The Jaccard similarity at which a pair is a candidate with probability about 1/2."""
        return float((1 / self.bands) ** (1 / self.rows))

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._number

    def signature(self, text: str) -> np.ndarray:
        words = _TOKEN.findall(text.casefold())  # the words of tokenize(), without offsets
        return self.hasher.signature(shingle_hashes(words, self.shingle))

    def window_signatures(self, text: str, size: int) -> np.ndarray:
        """Signatures of overlapping windows of ``size`` words, half a window apart (one row for
        a text of at most ``size`` words)."""
        words = _TOKEN.findall(text.casefold())
        k = self.shingle
        if len(words) <= size:
            return self.signature(text)[None, :]
        crc = zlib.crc32
        hashes = np.fromiter(
            (crc(" ".join(words[i : i + k]).encode("utf-8")) for i in range(len(words) - k + 1)),
            dtype=np.uint64,
        )
        step = max(1, size // 2)
        starts = list(range(0, len(words) - size + 1, step))
        if starts[-1] + size < len(words):
            starts.append(len(words) - size)
        bounds = [(i, i + size - k + 1) for i in starts]
        return self.hasher.signatures(hashes, bounds)

    def _keys(self, sig: np.ndarray) -> list[int]:
        used = sig[: self.bands * self.rows].astype(np.uint64).reshape(self.bands, self.rows)
        keys: list[int] = (used * self._mix).sum(axis=1).tolist()  # wraps mod 2**64: fine
        return keys

    def query(self, text: str | None = None, *, signature: np.ndarray | None = None) -> list[str]:
        """Ids of indexed documents sharing a bucket with the text (or signature), in the order
        they were added."""
        sig = signature if signature is not None else self.signature(text or "")
        found: set[int] = set()
        limit = self.max_bucket
        for buckets, key in zip(self._buckets, self._keys(sig), strict=True):
            members = buckets.get(key)
            if isinstance(members, int):
                found.add(members)
            elif members is not None and len(members) <= limit:
                found.update(members)
        return [self._ids[n] for n in sorted(found)]

    def add(
        self, doc_id: str, text: str | None = None, *, signature: np.ndarray | None = None
    ) -> list[str]:
        """Index a document; return the candidates among the documents added before it."""
        if doc_id in self._number:
            raise ValueError(f"{doc_id} is indexed already")
        sig = signature if signature is not None else self.signature(text or "")
        number = len(self._ids)
        self._ids.append(doc_id)
        self._number[doc_id] = number
        if self.keep_signatures:
            self._sigs.append(sig)
        found: set[int] = set()
        limit = self.max_bucket
        for buckets, key in zip(self._buckets, self._keys(sig), strict=True):
            members = buckets.get(key)
            if members is None:
                buckets[key] = number  # most buckets hold one document: no list
            elif isinstance(members, int):
                found.add(members)
                buckets[key] = [members, number]
            elif len(members) <= limit:  # a fuller bucket is boilerplate: no candidates
                found.update(members)
                members.append(number)
        return [self._ids[n] for n in sorted(found)]

    def estimate(self, a: str, b: str) -> float:
        """Estimated Jaccard similarity of two indexed documents (needs ``keep_signatures``)."""
        if not self.keep_signatures:
            raise ValueError("the index keeps no signatures")
        sa, sb = self._sigs[self._number[a]], self._sigs[self._number[b]]
        return float(np.mean(sa == sb))


def candidate_pairs(
    texts: dict[str, str], index: LSHIndex | None = None, *, window: int | None = None
) -> set[tuple[str, str]]:
    """Candidate pairs ``(smaller id, larger id)`` among ``texts`` from one LSH pass.

    With ``window``, each text is indexed as overlapping windows of that many words (half a
    window apart) and two texts are candidates when any of their windows are: a paragraph copied
    into a long article is found although the two whole texts are not alike."""
    index = LSHIndex() if index is None else index
    pairs: set[tuple[str, str]] = set()
    for doc_id in sorted(texts):
        found: set[str] = set()
        if window is None:
            found.update(index.add(doc_id, texts[doc_id]))
        else:
            for n, sig in enumerate(index.window_signatures(texts[doc_id], window)):
                found.update(index.add(f"{doc_id}\x00{n}", signature=sig))
        for key in found:
            other = key.split("\x00", 1)[0]
            if other != doc_id:
                pairs.add((other, doc_id) if other < doc_id else (doc_id, other))
    return pairs


# --------------------------------------------------------------------------- alignment

ANCHOR = 4  # words per anchor k-gram
MAX_GAP = 3  # words of edit tolerated between two anchors of one passage
MIN_WORDS = 8  # a passage shorter than this is not reported
MAX_POSTINGS = 20  # an anchor k-gram occurring more often in the origin is not an anchor


@dataclass
class Passage:
    """A passage of a copy found in its origin. Offsets index each article's text."""

    copy: list[int]  # [start, end] in the copy
    origin: list[int]  # [start, end] in the origin
    text: str  # as written in the copy
    words: int  # words of the copy in the passage
    exact: bool = True  # word for word (after case and punctuation)
    kind: str = "verbatim"  # verbatim | edited (a few words changed) | restated (a paraphrase)


@dataclass
class Alignment:
    passages: list[Passage]
    copy_coverage: float  # share of the copy's words inside a passage
    origin_coverage: float  # share of the origin's words inside a passage


def align(
    copy_text: str,
    origin_text: str,
    *,
    k: int = ANCHOR,
    max_gap: int = MAX_GAP,
    min_words: int = MIN_WORDS,
    skip_quotes: bool = True,
) -> Alignment:
    """The passages of ``copy_text`` found in ``origin_text``, longest first.

    Anchors are word k-grams both texts share (not those wholly inside a quotation of the copy:
    two reports quoting one statement do not reuse each other's text). Consecutive anchors are
    chained into one passage when both texts advance by at most ``k + max_gap`` words and by
    nearly the same amount, which bridges a replaced, inserted or dropped word. Passages do not
    overlap in the copy."""
    ct = tokenize(copy_text, quotes=skip_quotes)
    ot = tokenize(origin_text)
    cw, ow = ct.words, ot.words
    postings: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(ow) - k + 1):
        postings.setdefault(tuple(ow[j : j + k]), []).append(j)
    step = k + max_gap
    chains: list[list[int]] = []  # [i_first, j_first, i_last, j_last, anchors]
    open_chains: list[list[int]] = []
    for i in range(len(cw) - k + 1):
        if ct.quoted and all(ct.quoted[i : i + k]):
            continue
        js = postings.get(tuple(cw[i : i + k]))
        if not js or len(js) > MAX_POSTINGS:
            continue
        open_chains = [c for c in open_chains if i - c[2] <= step]
        for j in js:
            best: list[int] | None = None
            best_skew = max_gap + 1
            for c in open_chains:
                di, dj = i - c[2], j - c[3]
                if di <= 0 or dj <= 0 or dj > step:
                    continue
                skew = abs(di - dj)
                if skew < best_skew or (best is not None and skew == best_skew and c[4] > best[4]):
                    best, best_skew = c, skew
            if best is not None:
                best[2], best[3] = i, j
                best[4] += 1
            else:
                chain = [i, j, i, j, 1]
                chains.append(chain)
                open_chains.append(chain)
    candidates: list[tuple[int, int, int, int, int]] = []
    for i0, j0, i1, j1, anchors in chains:
        words = i1 + k - i0
        if words < min_words or anchors < 2:
            continue  # too short to be a passage
        candidates.append((words, i0, i1 + k, j0, j1 + k))
    candidates.sort(key=lambda cand: (-cand[0], cand[1]))
    taken = np.zeros(len(cw), dtype=bool)
    passages: list[Passage] = []
    origin_taken = np.zeros(len(ow), dtype=bool)
    for _, a, b, oa, ob in candidates:
        while a > 0 and oa > 0 and not taken[a - 1] and cw[a - 1] == ow[oa - 1]:
            a, oa = a - 1, oa - 1  # the anchors start k words in: extend over equal words
        while b < len(cw) and ob < len(ow) and not taken[b] and cw[b] == ow[ob]:
            b, ob = b + 1, ob + 1
        if taken[a:b].any():
            continue
        taken[a:b] = True
        origin_taken[oa:ob] = True
        cs, ce = ct.spans[a][0], ct.spans[b - 1][1]
        os_, oe = ot.spans[oa][0], ot.spans[ob - 1][1]
        exact = cw[a:b] == ow[oa:ob]
        passages.append(
            Passage(
                copy=[cs, ce],
                origin=[os_, oe],
                text=" ".join(copy_text[cs:ce].split()),
                words=b - a,
                exact=exact,
                kind="verbatim" if exact else "edited",
            )
        )
    return Alignment(
        passages=passages,
        copy_coverage=round(float(taken.sum()) / max(1, len(cw)), 3),
        origin_coverage=round(float(origin_taken.sum()) / max(1, len(ow)), 3),
    )


def is_reuse(alignment: Alignment, *, min_coverage: float = 0.12, min_passage: int = 12) -> bool:
    """The text-reuse decision: a passage of at least ``min_passage`` words, and passages covering
    at least ``min_coverage`` of one of the two texts (the shorter one, usually)."""
    return (
        bool(alignment.passages)
        and max(p.words for p in alignment.passages) >= min_passage
        and max(alignment.copy_coverage, alignment.origin_coverage) >= min_coverage
    )
