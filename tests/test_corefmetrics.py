"""The coreference metrics, and B-cubed of a clustering against gold labels, on tiny examples
computed by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from corefmetrics import b_cubed, bcubed_labels, ceaf_e, evaluate, muc

KEY = [{"a", "b", "c"}, {"d", "e"}]
RESPONSE = [{"a", "b"}, {"c", "d", "e"}]


def test_muc_by_hand() -> None:
    # key {a,b,c} is split in 2 parts (1 link kept of 2), {d,e} in 1 (1 of 1): recall 2/3;
    # response {a,b} 1 part (1 of 1), {c,d,e} 2 parts (1 of 2): precision 2/3
    s = muc(KEY, RESPONSE)
    assert s.recall == pytest.approx(2 / 3) and s.precision == pytest.approx(2 / 3)


def test_b_cubed_by_hand() -> None:
    # recall: (2^2 + 1^2)/3 + 2^2/2 = 5/3 + 2 = 11/3 over 5 mentions; precision the same
    s = b_cubed(KEY, RESPONSE)
    assert s.recall == pytest.approx(11 / 15) and s.precision == pytest.approx(11 / 15)


def test_ceaf_e_by_hand() -> None:
    # phi4: ({a,b,c},{a,b}) = 4/5, ({d,e},{c,d,e}) = 4/5; best total 8/5 over 2 clusters each
    s = ceaf_e(KEY, RESPONSE)
    assert s.recall == pytest.approx(0.8) and s.precision == pytest.approx(0.8)


def test_conll_is_the_mean_f1() -> None:
    assert evaluate(KEY, RESPONSE).conll == pytest.approx((2 / 3 + 11 / 15 + 0.8) / 3)


def test_perfect_and_twinless() -> None:
    perfect = evaluate(KEY, KEY)
    assert perfect.conll == pytest.approx(1.0)
    # the response finds one mention of each key cluster and invents one ("x")
    s = evaluate([{"a", "b"}, {"c"}], [{"a", "x"}, {"c"}])
    assert s.muc.recall == 0.0 and s.muc.precision == 0.0  # no right link, one wrong
    # B-cubed recall: a 1/2, b 0, c 1 -> 1.5/3; precision: a 1/2, x 0, c 1 -> 1.5/3
    assert s.b_cubed.recall == pytest.approx(0.5) and s.b_cubed.precision == pytest.approx(0.5)
    # CEAF-e: ({a,b},{a,x}) = 2/4, ({c},{c}) = 1 -> 1.5 over 2 and 2
    assert s.ceaf_e.recall == pytest.approx(0.75) and s.ceaf_e.precision == pytest.approx(0.75)


def test_all_singletons_against_one_cluster() -> None:
    s = evaluate([{"a"}, {"b"}, {"c"}], [{"a", "b", "c"}])
    assert s.muc.recall == 0.0 and s.muc.precision == 0.0
    assert s.b_cubed.recall == pytest.approx(1.0)
    assert s.b_cubed.precision == pytest.approx(1 / 3)
    # CEAF-e: one singleton aligned with the cluster: 2*1/(1+3) = 0.5
    assert s.ceaf_e.recall == pytest.approx(0.5 / 3) and s.ceaf_e.precision == pytest.approx(0.5)


# ------------------------------------------------------------ B-cubed of a clustering (stories)


def test_bcubed_perfect_clustering() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert bcubed_labels([["a", "b"], ["c"]], gold) == pytest.approx((1.0, 1.0, 1.0))


def test_bcubed_all_singletons() -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y"}
    p, r, f = bcubed_labels([["a"], ["b"], ["c"], ["d"]], gold)
    # precision 1; recall (1/3 * 3 + 1) / 4 = 0.5
    assert (p, r) == pytest.approx((1.0, 0.5))
    assert f == pytest.approx(2 / 3)


def test_bcubed_one_big_cluster() -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y"}
    p, r, f = bcubed_labels([["a", "b", "c", "d"]], gold)
    # precision (3/4 * 3 + 1/4) / 4 = 10/16; recall 1
    assert (p, r) == pytest.approx((10 / 16, 1.0))
    assert f == pytest.approx(2 * (10 / 16) / (1 + 10 / 16))


def test_bcubed_mixed_clusters() -> None:
    # gold x = {a, b, c}, y = {d, e}; clusters {a, b, d} and {c, e}
    gold = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}
    p, r, _ = bcubed_labels([["a", "b", "d"], ["c", "e"]], gold)
    # precision: a, b 2/3; d 1/3; c 1/2; e 1/2 -> (4/3 + 1/3 + 1) / 5 = 8/15
    # recall: a, b 2/3; c 1/3; d 1/2; e 1/2 -> (4/3 + 1/3 + 1) / 5 = 8/15
    assert p == pytest.approx(8 / 15)
    assert r == pytest.approx(8 / 15)


def test_bcubed_rejects_bad_clusterings() -> None:
    gold = {"a": "x", "b": "y"}
    with pytest.raises(ValueError, match="more than one"):
        bcubed_labels([["a", "b"], ["a"]], gold)
    with pytest.raises(ValueError, match="no gold"):
        bcubed_labels([["a"], ["b", "z"]], gold)
    with pytest.raises(ValueError, match="in no cluster"):
        bcubed_labels([["a"]], gold)
