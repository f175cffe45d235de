"""The SemEval-2015 Task 4 (TimeLine: cross-document event ordering) scorer, written from the
task's definition (Minard et al., 2015; the task's "Evaluation tool" page).

A timeline is a list of lines ``rank <TAB> date <TAB> mention [<TAB> mention ...]`` under a first
line naming the entity; a mention is ``<docid>-<sentence>-<event word>``. Each timeline becomes a
TimeML-like graph:

* lines of rank 0 (events the annotators could not place) are left out, on both sides;
* every date is a TIMEX3 node, identified by its value string (``2008-03-XX`` and
  ``2008-03-01`` are different nodes; there are no relations between dates);
* every mention is an event node, ``SIMULTANEOUS`` with the TIMEX3 of its line's date;
* mentions are listed in rank order (a line's mentions in their order) and each is related to the
  next one: ``BEFORE`` when the rank grows, ``SIMULTANEOUS`` when it is the same.

The graphs are compared by temporal awareness (UzZaman and Allen, 2011; the TempEval-3 relation
measure, UzZaman et al., 2013):

* precision = |Sys- & Ref+| / |Sys-|, recall = |Ref- & Sys+| / |Ref-|, where G+ is the temporal
  closure of G and G- its reduced graph (G without the relations the rest of G entails);
* over many timelines (one per target entity) the counts are summed (micro average) and F1 is
  the harmonic mean of the summed precision and recall.

Choices where the definition leaves room (the official tool delegates them to the TempEval-3
script and its Timegraph):

* closure over BEFORE and SIMULTANEOUS only: SIMULTANEOUS is an equivalence, BEFORE is
  transitive across it. A graph that puts two events of one date at different ranks (intraday
  order, frequent in the stock-market gold) is inconsistent (e1 = t = e2 and e1 < e2): the
  equalities are kept and a BEFORE inside one equivalence class entails nothing;
* the reduced graph drops, one at a time, each relation that the relations still kept entail,
  trying event-event relations first, then the date anchors, each group in the order written:
  a date's anchors stay and the chain between events of one date goes;
* a mention that occurs twice in one timeline is two nodes (its first and second occurrence);
* an entity with no system timeline counts as an empty one: its gold relations count in the
  recall denominator (the official ``evaluation_all.py`` skips such an entity altogether).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

SIMULTANEOUS = "SIMULTANEOUS"
BEFORE = "BEFORE"

Node = tuple[str, str, int]  # ("e", mention, occurrence) or ("t", date value, 0)


@dataclass(frozen=True)
class Line:
    """One timeline line: the rank, the date (``2008-03-XX``) and its event mentions."""

    rank: int
    date: str
    mentions: tuple[str, ...]


@dataclass(frozen=True)
class Relation:
    kind: str  # SIMULTANEOUS or BEFORE
    a: Node
    b: Node
    anchor: bool = False  # an event-date relation (else event-event)


def parse(text: str) -> tuple[str, list[Line]]:
    """The entity named on the first line and the timeline's lines (malformed lines skipped)."""
    rows = text.splitlines()
    name = rows[0].strip() if rows else ""
    lines: list[Line] = []
    for row in rows[1:]:
        cols = [c.strip() for c in row.split("\t") if c.strip()]
        if len(cols) < 3 or not cols[0].lstrip("-").isdigit():
            continue
        lines.append(Line(int(cols[0]), cols[1], tuple(cols[2:])))
    return name, lines


def render(name: str, lines: Iterable[Line]) -> str:
    """The task's file format: the entity's name, then one tab-separated line per ``Line``."""
    out = [name]
    out.extend("\t".join([str(ln.rank), ln.date, *ln.mentions]) for ln in lines)
    return "\n".join(out) + "\n"


def graph(lines: Sequence[Line]) -> list[Relation]:
    """The timeline's relations: date anchors first, then the chain between consecutive events."""
    seen: dict[str, int] = {}
    events: list[tuple[int, Node]] = []
    anchors: list[Relation] = []
    for line in sorted((ln for ln in lines if ln.rank != 0), key=lambda ln: ln.rank):
        for mention in line.mentions:
            node: Node = ("e", mention, seen.get(mention, 0))
            seen[mention] = node[2] + 1
            events.append((line.rank, node))
            anchors.append(Relation(SIMULTANEOUS, node, ("t", line.date, 0), anchor=True))
    chain = [
        Relation(BEFORE if r1 < r2 else SIMULTANEOUS, n1, n2)
        for (r1, n1), (r2, n2) in pairwise(events)
    ]
    return anchors + chain


class Closure:
    """The temporal closure of a set of BEFORE / SIMULTANEOUS relations, queried lazily."""

    def __init__(self, relations: Iterable[Relation]) -> None:
        self._parent: dict[Node, Node] = {}
        rels = list(relations)
        for r in rels:
            if r.kind == SIMULTANEOUS:
                self._union(r.a, r.b)
        self._after: dict[Node, set[Node]] = {}
        for r in rels:
            if r.kind == BEFORE:
                self._after.setdefault(self._find(r.a), set()).add(self._find(r.b))
        self._reach: dict[Node, set[Node]] = {}

    def _find(self, x: Node) -> Node:
        parent = self._parent.setdefault(x, x)
        if parent != x:
            parent = self._parent[x] = self._find(parent)
        return parent

    def _union(self, a: Node, b: Node) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._parent[rb] = ra

    def _later(self, root: Node) -> set[Node]:
        """Every class root strictly after ``root`` (a class in a BEFORE cycle reaches itself)."""
        if root not in self._reach:
            out: set[Node] = set()
            todo = list(self._after.get(root, ()))
            while todo:
                x = todo.pop()
                if x not in out:
                    out.add(x)
                    todo.extend(self._after.get(x, ()))
            self._reach[root] = out
        return self._reach[root]

    def holds(self, r: Relation) -> bool:
        """Whether the closure contains ``r``."""
        if r.a not in self._parent or r.b not in self._parent:
            return r.kind == SIMULTANEOUS and r.a == r.b
        ra, rb = self._find(r.a), self._find(r.b)
        if r.kind == SIMULTANEOUS:
            return ra == rb
        return ra != rb and rb in self._later(ra)


def reduce(relations: Sequence[Relation]) -> list[Relation]:
    """The reduced graph: each relation the others still kept entail is dropped, event-event
    relations tried first, then the date anchors."""
    kept = list(relations)
    for r in [x for x in relations if not x.anchor] + [x for x in relations if x.anchor]:
        i = kept.index(r)
        others = kept[:i] + kept[i + 1 :]
        if Closure(others).holds(r):
            kept = others
    return kept


@dataclass
class Counts:
    """Verified and total relations on each side; precision, recall, F1 in [0, 1]."""

    sys_verified: int = 0  # |Sys- & Ref+|
    sys_total: int = 0  # |Sys-|
    gold_verified: int = 0  # |Ref- & Sys+|
    gold_total: int = 0  # |Ref-|

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.sys_verified + other.sys_verified,
            self.sys_total + other.sys_total,
            self.gold_verified + other.gold_verified,
            self.gold_total + other.gold_total,
        )

    @property
    def precision(self) -> float:
        return self.sys_verified / self.sys_total if self.sys_total else 0.0

    @property
    def recall(self) -> float:
        return self.gold_verified / self.gold_total if self.gold_total else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Sequence[Line], system: Sequence[Line]) -> Counts:
    """Temporal-awareness counts of one system timeline against its gold timeline."""
    g, s = graph(gold), graph(system)
    g_red, s_red = reduce(g), reduce(s)
    g_plus, s_plus = Closure(g), Closure(s)
    return Counts(
        sys_verified=sum(g_plus.holds(r) for r in s_red),
        sys_total=len(s_red),
        gold_verified=sum(s_plus.holds(r) for r in g_red),
        gold_total=len(g_red),
    )


def micro(pairs: Iterable[tuple[Sequence[Line], Sequence[Line]]]) -> Counts:
    """The summed counts of (gold, system) timeline pairs: the task's micro average."""
    total = Counts()
    for gold, system in pairs:
        total += score(gold, system)
    return total
