"""The SemEval-2015 Task 4 timeline scorer on hand-made timelines, values computed by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from timelinemetrics import (
    BEFORE,
    SIMULTANEOUS,
    Closure,
    Line,
    Relation,
    graph,
    micro,
    parse,
    reduce,
    render,
    score,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"

A, B, C = "1-2-opened", "1-3-closed", "2-4-sold"
JAN, FEB, MAR = "2031-01-05", "2031-02-XX", "2031-03-XX"


def ev(m: str) -> tuple[str, str, int]:
    return ("e", m, 0)


def tx(v: str) -> tuple[str, str, int]:
    return ("t", v, 0)


def test_parse_and_render_round_trip() -> None:
    text = f"Harbour Line\n0\tXXXX-XX-XX\t{C}\n1\t{JAN}\t{A}\t{B}\n"
    name, lines = parse(text)
    assert name == "Harbour Line"
    assert lines == [Line(0, "XXXX-XX-XX", (C,)), Line(1, JAN, (A, B))]
    assert render(name, lines) == text


def test_graph_skips_rank_zero_and_chains_events() -> None:
    rels = graph([Line(0, "XXXX-XX-XX", (C,)), Line(1, JAN, (A, B)), Line(2, FEB, (C,))])
    assert rels == [
        Relation(SIMULTANEOUS, ev(A), tx(JAN), anchor=True),
        Relation(SIMULTANEOUS, ev(B), tx(JAN), anchor=True),
        Relation(SIMULTANEOUS, ev(C), tx(FEB), anchor=True),
        Relation(SIMULTANEOUS, ev(A), ev(B)),
        Relation(BEFORE, ev(B), ev(C)),
    ]


def test_closure_and_reduction() -> None:
    rels = graph([Line(1, JAN, (A, B)), Line(2, FEB, (C,))])
    plus = Closure(rels)
    assert plus.holds(Relation(BEFORE, ev(A), ev(C)))  # through B = A
    assert plus.holds(Relation(BEFORE, tx(JAN), tx(FEB)))  # dates ordered through their events
    assert not plus.holds(Relation(BEFORE, ev(C), ev(A)))
    assert plus.holds(Relation(SIMULTANEOUS, ev(B), ev(A)))
    # A = B follows from A = JAN = B: the event-event link goes, the anchors stay
    assert reduce(rels) == [r for r in rels if r != Relation(SIMULTANEOUS, ev(A), ev(B))]


def test_identical_timelines_score_one() -> None:
    gold = [Line(1, JAN, (A,)), Line(2, FEB, (B,)), Line(3, MAR, (C,))]
    got = score(gold, list(gold))
    assert (got.precision, got.recall, got.f1) == (1.0, 1.0, 1.0)
    # 3 anchors + 2 BEFORE links, none entailed by the others
    assert got.gold_total == got.sys_total == 5


def test_merged_ranks() -> None:
    # gold: A (JAN) before B (FEB); system: A and B together on JAN.
    gold = [Line(1, JAN, (A,)), Line(2, FEB, (B,))]
    system = [Line(1, JAN, (A, B))]
    got = score(gold, system)
    # Sys- = {A=JAN, B=JAN} (A=B is entailed): only A=JAN holds in gold -> P = 1/2.
    # Ref- = {A=JAN, B=FEB, A<B}: only A=JAN holds in the system's closure -> R = 1/3.
    assert (got.sys_verified, got.sys_total, got.gold_verified, got.gold_total) == (1, 2, 1, 3)
    assert got.f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))  # 0.4


def test_missing_event_transitivity() -> None:
    # gold A < B < C; the system misses B but orders A < C: its BEFORE is in the gold closure.
    gold = [Line(1, JAN, (A,)), Line(2, FEB, (B,)), Line(3, MAR, (C,))]
    system = [Line(1, JAN, (A,)), Line(2, MAR, (C,))]
    got = score(gold, system)
    assert (got.sys_verified, got.sys_total) == (3, 3)
    # Ref- = 3 anchors + A<B + B<C; the system has A=JAN and C=MAR -> R = 2/5
    assert (got.gold_verified, got.gold_total) == (2, 5)
    assert got.f1 == pytest.approx(2 * 1.0 * 0.4 / 1.4)


def test_wrong_order_and_wrong_date() -> None:
    gold = [Line(1, JAN, (A,)), Line(2, FEB, (B,))]
    system = [Line(1, FEB, (B,)), Line(2, "2031-01-XX", (A,))]
    got = score(gold, system)
    # Sys- = {B=FEB (holds), A=2031-01-XX (no such date in gold), B<A (wrong)} -> 1/3
    assert (got.sys_verified, got.sys_total) == (1, 3)
    # Ref- = {A=JAN, B=FEB (holds), A<B} -> 1/3
    assert (got.gold_verified, got.gold_total) == (1, 3)


def test_rank_zero_lines_are_not_scored() -> None:
    gold = [Line(1, JAN, (A,)), Line(2, FEB, (B,))]
    base = score(gold, [Line(1, JAN, (A,))])
    extra = score(gold, [Line(0, "XXXX-XX-XX", (C, B)), Line(1, JAN, (A,))])
    assert base == extra


def test_empty_system_and_micro_average() -> None:
    one = ([Line(1, JAN, (A,)), Line(2, FEB, (B,))], [Line(1, JAN, (A,)), Line(2, FEB, (B,))])
    empty = ([Line(1, JAN, (C,))], [])
    assert score(*empty).recall == 0.0 and score(*empty).precision == 0.0
    total = micro([one, empty])
    # 3 + 0 verified of 3 + 0 system relations; 3 + 0 of 3 + 1 gold relations
    assert (total.precision, total.recall) == (1.0, 0.75)
    assert total.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_intraday_order_is_kept_as_simultaneous() -> None:
    # Two events of one day at different ranks: A = JAN = B contradicts A < B; the equality wins.
    gold = [Line(1, JAN, (A,)), Line(2, JAN, (B,))]
    plus = Closure(graph(gold))
    assert plus.holds(Relation(SIMULTANEOUS, ev(A), ev(B)))
    assert not plus.holds(Relation(BEFORE, ev(A), ev(B)))


@pytest.mark.slow
def test_gold_against_itself_on_the_shared_corpus() -> None:
    folder = SHARED / "semeval2015-timeline" / "SemEval_Task4_data" / "corpus_1"
    if not folder.is_dir():
        pytest.skip(f"../shared benchmark data absent: {folder}")
    pairs = []
    for path in sorted((folder / "TimeLines_Gold_Standard").glob("*.txt")):
        _, lines = parse(path.read_text(encoding="utf-8"))
        pairs.append((lines, lines))
    total = micro(pairs)
    assert total.gold_total > 100
    assert (total.precision, total.recall) == (1.0, 1.0)


# ------------------------------------------------------------------ bench/timelines.py helpers


def _bench() -> object:
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "bench" / "timelines.py"
    if "bench_timelines" in sys.modules:
        return sys.modules["bench_timelines"]
    spec = importlib.util.spec_from_file_location("bench_timelines", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_timelines"] = module
    spec.loader.exec_module(module)
    return module


def test_task_dates_at_the_tasks_precision() -> None:
    b = _bench()
    assert b.task_date("2031-04-09") == "2031-04-09"  # type: ignore[attr-defined]
    assert b.task_date("2031-04") == "2031-04-XX"  # type: ignore[attr-defined]
    assert b.task_date("2031-Q2") == "2031-XX-XX"  # type: ignore[attr-defined]
    assert b.task_date("2031-W02") == "2031-01-XX"  # type: ignore[attr-defined]
    assert b.task_date("203") == "XXXX-XX-XX"  # a decade: not placed  # type: ignore[attr-defined]
    assert b.task_date(None) == "XXXX-XX-XX"  # type: ignore[attr-defined]


def test_entity_aliases() -> None:
    b = _bench()

    def names(name: str, sentence: str) -> bool:
        return bool(b.names_entity(sentence, b.aliases(name)))  # type: ignore[attr-defined]

    assert names("Harbour Ferries", "Shares of harbour ferries fell.")
    assert names("Harbour Ferries", "HF said on Monday it would appeal.")
    assert not names("Harbour Ferries", "The hf band was weak.")  # initials keep their case
    assert names("Velo 450 Glider", "The 450 Glider flew again.")
    assert names("Marta Quill", "Quill said the vote was close.")  # surname
    assert not names("Skyway 9", "Nine flights, 9 of them late.")  # a tail under 3 characters
    assert not names("Harbour Ferries", "Harbour Ferrieslike text")


def test_build_orders_by_date_and_shares_ranks() -> None:
    b = _bench()
    doc = b.Doc(  # type: ignore[attr-defined]
        id="7",
        dct="2031-05-02",
        text="Quillcorp news\nIn March 2031 Quillcorp opened a plant; it hired staff today.\n",
        sentences={0: (0, 14), 2: (15, 76)},
    )
    opened = doc.text.index("opened")
    hired = doc.text.index("hired")
    doc.events = [
        b.Event("7-2-opened", 2, opened),  # type: ignore[attr-defined]
        b.Event("7-2-hired", 2, hired),  # type: ignore[attr-defined]
    ]
    tagged, _ = b.tag_all([doc])  # type: ignore[attr-defined]
    lines = b.build(tagged, "Quillcorp", b.date_by_timex)  # type: ignore[attr-defined]
    assert lines == [Line(1, "2031-03-XX", ("7-2-opened",)), Line(2, "2031-05-02", ("7-2-hired",))]
    base = b.build(tagged, "Quillcorp", b.date_by_dct)  # type: ignore[attr-defined]
    assert base == [Line(1, "2031-05-02", ("7-2-opened", "7-2-hired"))]


@pytest.mark.slow
def test_bench_runs_on_corpus_1() -> None:
    b = _bench()
    if not b.ROOT.is_dir():  # type: ignore[attr-defined]
        pytest.skip(f"../shared benchmark data absent: {b.ROOT}")  # type: ignore[attr-defined]
    rows, speed = b.run("corpus_1", None)  # type: ignore[attr-defined]
    assert speed.docs == 30 and speed.expressions > 0
    assert len(rows) == 2 and all(0.0 < r.counts.f1 < 1.0 for r in rows)
