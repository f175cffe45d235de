"""The TempEval-3 scorer of temporal expressions (bench/timexmetrics.py) on hand-made spans."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from timexmetrics import Span, score


def test_tempeval3_scorer_on_a_hand_made_example() -> None:
    # "The Kelm ferry sank on Wednesday, January 8, three weeks after the storm; now ..."
    gold = [
        Span(23, 43, "DATE", "2025-01-08"),  # exact span, right value
        Span(45, 56, "DURATION", "P3W"),  # system span shorter (relaxed only), wrong value
        Span(80, 83, "DATE", "PRESENT_REF"),  # missed
    ]
    system = [
        Span(23, 43, "DATE", "2025-01-08"),
        Span(45, 50, "DURATION", "P3D"),
        Span(90, 95, "DATE", "2025"),  # spurious
    ]
    s = score(gold, system)
    assert (s.gold, s.system, s.strict, s.relaxed, s.value, s.type) == (3, 3, 1, 2, 1, 2)
    assert s.strict_prf == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert s.relaxed_prf == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert s.value_accuracy == pytest.approx(0.5)
    assert s.value_f1 == pytest.approx(1 / 3)
    total = s + score([Span(0, 4, "DATE", "2024")], [])
    assert (total.gold, total.system, total.relaxed) == (4, 3, 2)
    assert total.relaxed_prf[1] == pytest.approx(0.5)


def test_scorer_matches_one_to_one() -> None:
    s = score(
        [Span(0, 10, "DATE", "2024")], [Span(0, 4, "DATE", "2024"), Span(5, 10, "DATE", "2024")]
    )
    assert (s.relaxed, s.value) == (1, 1)
    assert s.relaxed_prf[0] == pytest.approx(0.5)
