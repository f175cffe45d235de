"""TempEval-3 scoring of temporal expressions (UzZaman et al. 2013, section 4.1).

* strict span match: same start and end; relaxed: the spans overlap (one to one: each gold
  expression is matched to at most one system expression, the first overlapping one in order);
* precision = matched system / system, recall = matched gold / gold, F1 their harmonic mean;
* value (and type) accuracy = correct values among the relaxed matches; value F1 = the F1 of
  value precision (correct / system) and value recall (correct / gold), i.e. relaxed F1 x
  value accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str | None = None
    value: str | None = None


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _div(a: int, b: int) -> float:
    return a / b if b else 0.0


@dataclass
class Scores:
    gold: int = 0
    system: int = 0
    strict: int = 0  # strictly matched pairs
    relaxed: int = 0  # relaxed (overlap) matched pairs
    value: int = 0  # relaxed pairs with the same value
    type: int = 0  # relaxed pairs with the same type

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.gold + other.gold,
            self.system + other.system,
            self.strict + other.strict,
            self.relaxed + other.relaxed,
            self.value + other.value,
            self.type + other.type,
        )

    def prf(self, matched: int) -> tuple[float, float, float]:
        p, r = _div(matched, self.system), _div(matched, self.gold)
        return p, r, _f1(p, r)

    @property
    def strict_prf(self) -> tuple[float, float, float]:
        return self.prf(self.strict)

    @property
    def relaxed_prf(self) -> tuple[float, float, float]:
        return self.prf(self.relaxed)

    @property
    def value_accuracy(self) -> float:
        return _div(self.value, self.relaxed)

    @property
    def value_f1(self) -> float:
        return self.prf(self.value)[2]

    @property
    def type_accuracy(self) -> float:
        return _div(self.type, self.relaxed)


def _norm(value: str | None) -> str | None:
    return value.strip().upper() if value else value


def score(gold: list[Span], system: list[Span]) -> Scores:
    """Scores of one document's system expressions against its gold expressions."""
    out = Scores(gold=len(gold), system=len(system))
    out.strict = len({(g.start, g.end) for g in gold} & {(s.start, s.end) for s in system})
    used: set[int] = set()
    ordered = sorted(system, key=lambda x: (x.start, x.end))
    for g in sorted(gold, key=lambda x: (x.start, x.end)):
        for i, s in enumerate(ordered):
            if i in used or not (s.start < g.end and g.start < s.end):
                continue
            used.add(i)
            out.relaxed += 1
            out.value += int(g.value is not None and _norm(s.value) == _norm(g.value))
            out.type += int(s.type == g.type)
            break
    return out
