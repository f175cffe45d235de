"""Coreference metrics: MUC, B-cubed, CEAF-e and their CoNLL average.

Clusters are sets of mention ids. Key (gold) and response (system) may hold different mentions:
a mention only one side has counts as its own cluster on the other side's partition (MUC), adds
nothing to the intersections (B-cubed, CEAF-e), as in the reference CoNLL scorer (Pradhan et
al., 2014).

* MUC (Vilain et al., 1995): links. Recall = sum over key clusters K of (|K| - p(K)) over the sum
  of (|K| - 1), where p(K) is the number of parts the response splits K into (each mention of K
  the response lacks is a part of its own); precision swaps key and response.
* B-cubed (Bagga and Baldwin, 1998): per mention. Recall = sum over K, R of |K & R|^2 / |K| over
  the number of key mentions; precision = sum of |K & R|^2 / |R| over the response mentions.
* CEAF-e (Luo, 2005): the best one-to-one alignment of key and response clusters by
  phi4(K, R) = 2 |K & R| / (|K| + |R|); recall = total similarity / number of key clusters,
  precision = total similarity / number of response clusters.
* CoNLL F1: the mean of the three F1 scores.

:func:`bcubed_labels` is B-cubed in the form the story benchmarks use: a clustering of item ids
against a gold label per item, every item in exactly one cluster, as (precision, recall, F1).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

Clusters = Sequence[frozenset[Hashable]]


@dataclass(frozen=True)
class Score:
    recall: float
    precision: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r > 0 else 0.0


def _clean(clusters: Iterable[Iterable[Hashable]]) -> list[frozenset[Hashable]]:
    out = [frozenset(c) for c in clusters]
    return [c for c in out if c]


def _muc_side(key: list[frozenset[Hashable]], response: list[frozenset[Hashable]]) -> float:
    where = {m: i for i, c in enumerate(response) for m in c}
    num = den = 0
    for k in key:
        parts = {where[m] for m in k if m in where} | {("alone", m) for m in k if m not in where}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num / den if den else 0.0


def muc(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Score:
    k, r = _clean(key), _clean(response)
    return Score(recall=_muc_side(k, r), precision=_muc_side(r, k))


def _b3_side(key: list[frozenset[Hashable]], response: list[frozenset[Hashable]]) -> float:
    where = {m: c for c in response for m in c}
    total = sum(len(c) for c in key)
    if not total:
        return 0.0
    score = 0.0
    for k in key:
        overlaps: dict[frozenset[Hashable], int] = {}
        for m in k:
            if m in where:
                overlaps[where[m]] = overlaps.get(where[m], 0) + 1
        score += sum(n * n for n in overlaps.values()) / len(k)
    return score / total


def b_cubed(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Score:
    k, r = _clean(key), _clean(response)
    return Score(recall=_b3_side(k, r), precision=_b3_side(r, k))


def bcubed_labels(
    clusters: Iterable[Iterable[str]], gold: Mapping[str, str]
) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``clusters`` (lists of item ids) against ``gold``
    (item id -> gold label), averaged over items (Bagga & Baldwin 1998).

    For each item, precision is the share of its cluster that has its gold label and recall the
    share of its gold class that is in its cluster. Every gold item must be in exactly one
    cluster and no cluster may hold an item without a gold label (ValueError otherwise).
    """
    response = [list(c) for c in clusters]
    seen: set[str] = set()
    for c in response:
        for item in c:
            if item in seen:
                raise ValueError(f"item {item!r} is in more than one cluster")
            if item not in gold:
                raise ValueError(f"item {item!r} has no gold label")
            seen.add(item)
    if len(seen) != len(gold):
        missing = sorted(set(gold) - seen)[:3]
        raise ValueError(f"{len(gold) - len(seen)} gold items are in no cluster, e.g. {missing}")
    classes: dict[str, list[str]] = {}
    for item, label in gold.items():
        classes.setdefault(label, []).append(item)
    s = b_cubed(classes.values(), response)
    return s.precision, s.recall, s.f1


def ceaf_e(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Score:
    k, r = _clean(key), _clean(response)
    if not k or not r:
        return Score(0.0, 0.0)
    where = {m: j for j, c in enumerate(r) for m in c}
    sim = np.zeros((len(k), len(r)))
    for i, kc in enumerate(k):
        for m in kc:
            j = where.get(m)
            if j is not None:
                sim[i, j] += 1
    sizes_k = np.array([len(c) for c in k], dtype=float)[:, None]
    sizes_r = np.array([len(c) for c in r], dtype=float)[None, :]
    phi = 2 * sim / (sizes_k + sizes_r)
    rows, cols = linear_sum_assignment(-phi)
    best = float(phi[rows, cols].sum())
    return Score(recall=best / len(k), precision=best / len(r))


@dataclass(frozen=True)
class CorefScores:
    muc: Score
    b_cubed: Score
    ceaf_e: Score

    @property
    def conll(self) -> float:
        return (self.muc.f1 + self.b_cubed.f1 + self.ceaf_e.f1) / 3


def evaluate(
    key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]
) -> CorefScores:
    k, r = _clean(key), _clean(response)
    return CorefScores(muc=muc(k, r), b_cubed=b_cubed(k, r), ceaf_e=ceaf_e(k, r))
