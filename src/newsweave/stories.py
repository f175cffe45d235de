"""Stories: which reports tell the same story (first method).

Each article is represented by a TF-IDF vector of its words (sublinear counts, English stop words
removed) to which its named entities are added as extra, up-weighted terms. Articles are grouped by
average-linkage agglomerative clustering on cosine distance with a fixed threshold; every article
gets a story (a singleton is a story too). A story's id is ``s-`` + the id of its first article in
ingest order, so ids survive re-clustering as long as that article stays first.

The stories issue replaces this with incremental, time-aware clustering; the interface
(:func:`cluster`) stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DISTANCE_THRESHOLD = 0.82  # cosine distance; tuned on ECB+ train/dev topics (bench/stories.py)
ENTITY_WEIGHT = 2


@dataclass
class StoryInput:
    id: str
    text: str
    entities: list[str]


def story_id(first_article: str) -> str:
    return f"s-{first_article}"


def cluster(items: Sequence[StoryInput], threshold: float = DISTANCE_THRESHOLD) -> list[list[str]]:
    """Group articles (given in ingest order) into stories; returns lists of article ids, each in
    ingest order, the lists ordered by their first article."""
    if not items:
        return []
    if len(items) == 1:
        return [[items[0].id]]
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [
        item.text
        + (" " + " ".join("ENT_" + e.replace(" ", "_") for e in item.entities)) * ENTITY_WEIGHT
        for item in items
    ]
    vectors = TfidfVectorizer(
        sublinear_tf=True,
        stop_words="english",
        min_df=1,
        lowercase=True,
        token_pattern=r"(?u)\b[\w-][\w-]+\b",
    ).fit_transform(docs)
    dense = vectors.toarray().astype(np.float32)
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    labels = model.fit_predict(dense)
    groups: dict[int, list[str]] = {}
    for item, label in zip(items, labels, strict=True):
        groups.setdefault(int(label), []).append(item.id)
    order = {item.id: i for i, item in enumerate(items)}
    return sorted(groups.values(), key=lambda g: order[g[0]])
