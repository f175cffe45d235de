"""The MinHash LSH index and passage alignment, on invented wire stories and their rewrites."""

from __future__ import annotations

import numpy as np
import pytest

from newsweave import reuse

WIRE = (
    "Rescue teams in the mountain town of Ostberg pulled eleven hikers from a collapsed mine "
    "shaft on Sunday after a night of digging, the regional fire service said. The hikers had "
    "entered the disused shaft to shelter from a storm when part of the roof gave way behind "
    "them. Two of them were taken to hospital in Varna with broken legs, and the others were "
    "treated at the scene for cold and shock. The mine closed in 1962 and its entrance was meant "
    "to be sealed, but local people say the barrier rusted through years ago."
)
REWRITE = (
    "ELEVEN HIKERS SAVED. Rescue teams in the mountain town of Ostberg pulled eleven hikers from "
    "a collapsed mine shaft on Sunday following a night of digging, the regional fire service "
    "stated. The hikers had entered the disused shaft to shelter from a storm when part of the "
    "roof gave way behind them. Sign up for our newsletter to get the news first."
)
OTHER = (
    "The city council of Brask approved a new budget for its tram network on Tuesday, adding "
    "four lines and forty stops by 2030, after a debate that lasted into the night and ended "
    "with a narrow vote of nineteen to seventeen."
)


def test_signatures_are_deterministic_across_instances() -> None:
    a = reuse.LSHIndex().signature(WIRE)
    b = reuse.LSHIndex().signature(WIRE)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, reuse.LSHIndex(seed=2).signature(WIRE))


def test_index_finds_a_rewrite_and_not_an_unrelated_story() -> None:
    index = reuse.LSHIndex()
    assert index.add("wire", WIRE) == []
    assert index.add("other", OTHER) == []
    assert index.add("rewrite", REWRITE) == ["wire"]
    assert index.query(REWRITE) == ["wire", "rewrite"]
    assert len(index) == 3 and "rewrite" in index
    with pytest.raises(ValueError):
        index.add("wire", WIRE)


def test_minhash_estimate_tracks_exact_jaccard() -> None:
    index = reuse.LSHIndex()
    index.add("wire", WIRE)
    index.add("rewrite", REWRITE)
    words = [reuse.tokenize(t).words for t in (WIRE, REWRITE)]
    exact = reuse.jaccard(
        reuse.shingle_hashes(words[0], 3).tolist(), reuse.shingle_hashes(words[1], 3).tolist()
    )
    assert abs(index.estimate("wire", "rewrite") - exact) < 0.12


def test_candidate_pairs_over_a_collection() -> None:
    texts = {"w": WIRE, "r": REWRITE, "o": OTHER}
    assert reuse.candidate_pairs(texts) == {("r", "w")}


def test_full_buckets_stop_returning_candidates() -> None:
    index = reuse.LSHIndex(max_bucket=2)
    for n in range(4):
        index.add(f"copy{n}", WIRE)
    assert index.query(WIRE) == []  # every bucket holds more than two: boilerplate


def test_align_gives_offsets_in_both_texts_and_bridges_an_edit() -> None:
    al = reuse.align(REWRITE, WIRE)
    first = al.passages[0]
    # one passage across "following"/"after" and "stated"/"said": a lightly edited copy
    assert first.words >= 40
    assert not first.exact and first.kind == "edited"
    assert REWRITE[first.copy[0] : first.copy[1]].startswith("Rescue teams in the mountain")
    assert WIRE[first.origin[0] : first.origin[1]].startswith("Rescue teams in the mountain")
    assert WIRE[first.origin[0] : first.origin[1]].endswith("roof gave way behind them")
    assert first.text == " ".join(REWRITE[first.copy[0] : first.copy[1]].split())
    assert 0.6 < al.copy_coverage < 1.0
    assert reuse.is_reuse(al)


def test_a_verbatim_passage_is_exact() -> None:
    copy = "Briefly. " + WIRE.split(". ")[1] + ". More later."
    (p,) = reuse.align(copy, WIRE).passages
    assert p.exact and p.kind == "verbatim"
    assert copy[p.copy[0] : p.copy[1]] == WIRE[p.origin[0] : p.origin[1]]


def test_shared_quotation_and_unrelated_text_are_not_reuse() -> None:
    quote = (
        '"We will not rest until every shaft in this valley is sealed and every family can walk '
        'these hills without fear," '
    )
    a = f"{quote}the mayor of Ostberg told reporters on Monday morning."
    b = f"Speaking at the town hall, she said: {quote}and then left."
    assert reuse.align(a, b).passages == []
    assert not reuse.is_reuse(reuse.align(OTHER, WIRE))


def _filler(seed: int, words: int) -> str:
    import random

    vocab = [
        "council",
        "harbour",
        "tram",
        "budget",
        "river",
        "festival",
        "school",
        "bridge",
        "market",
        "museum",
        "storm",
        "vote",
        "report",
        "mayor",
        "island",
        "ferry",
        "plan",
        "road",
        "night",
        "crowd",
        "season",
        "price",
        "wall",
        "field",
        "train",
    ]
    rng = random.Random(seed)
    return " ".join(rng.choice(vocab) for _ in range(words)) + "."


def test_windows_find_a_paragraph_copied_into_a_long_article() -> None:
    long_origin = f"{_filler(1, 400)} {WIRE} {_filler(2, 400)}"
    copy = f"{WIRE} {_filler(3, 30)}"
    texts = {"origin": long_origin, "copy": copy, "other": OTHER}
    assert reuse.candidate_pairs(texts, window=60) == {("copy", "origin")}
    index = reuse.LSHIndex()
    assert len(index.window_signatures(long_origin, 60)) > 10
    assert index.window_signatures(OTHER, 60).shape == (1, index.hasher.num_perm)


def test_an_empty_index_passed_in_is_the_one_used() -> None:
    index = reuse.LSHIndex()
    reuse.candidate_pairs({"w": WIRE, "r": REWRITE}, index)
    assert len(index) == 2 and index.estimate("w", "r") > 0.2
