"""Cross-document timelines on SemEval-2015 Task 4 (TimeLine), Track B, scored with the task's
metric (``bench/timelinemetrics.py``), beside a DCT-only baseline, in one run.

Track B is the easier track: the event mentions are given (the CAT files of
``corpus_trackB_CAT``, one ``EVENT_MENTION`` per event with its tokens); a system has to pick the
events of each target entity, anchor them in time and order them. Track A starts from raw text.

The system, for each corpus and target entity:

* **events**: every annotated event mention in a sentence that names the entity. A sentence
  names it when it contains (word-bounded) the entity's full name (any case), or the initials of
  its capitalised words when there are two or more (``General Motors`` -> ``GM``, case kept), or,
  for a name of two or more words, its words from the first word holding a digit on
  (``Boeing 777`` -> ``777``, ``Airbus A380`` -> ``A380``) when that is 3 characters or more,
  or, for a name of two capitalised alphabetic words, the second one, case kept (a surname:
  ``Louis Gallois`` -> ``Gallois``; it also gives ``Singapore Airlines`` -> ``Airlines``, a
  known source of wrong sentences). No coreference: a sentence that
  refers to the entity only as ``it`` or ``the company`` is missed;
* **dates** (``newsweave.document.timex``): the document is tagged against its creation time (DCT);
  an event takes the calendar DATE/TIME expression of its own sentence nearest to it, else the
  DCT. Values are written at the task's precision (``2008-03-XX``: a month; ``2008-XX-XX``: a
  year or anything finer than a year but wider than a month, e.g. a quarter); a value wider than
  a year (a decade) is left undated (rank 0, which the task does not score);
* **order**: by the start of the date's period, the coarser value first on ties
  (``2008-XX-XX`` before ``2008-01-XX`` before ``2008-01-01``); events with the same date share
  a rank (the task's graph makes them simultaneous through their shared date anyway) and are
  listed in document order (documents by DCT, then id).

The **baseline** takes the same events and dates every one with its document's DCT.

Usage, from the repo root::

    .venv/bin/python bench/timelines.py                     # trial + corpus_1..3 table
    .venv/bin/python bench/timelines.py --corpora trial --out /tmp/tl   # also write timelines

Tuning used the trial corpus (Apple, 6 timelines) only.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from newsweave.document import timex  # noqa: E402
from newsweave.model import Sentence  # noqa: E402
from timelinemetrics import Counts, Line, parse, render, score  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_timex", BENCH / "timex.py")
assert _spec is not None and _spec.loader is not None
_bench_timex = importlib.util.module_from_spec(_spec)
sys.modules["bench_timex"] = _bench_timex
_spec.loader.exec_module(_bench_timex)
_detok = _bench_timex._detok  # the same detokenisation as bench/timex.py

ROOT = BENCH.parent.parent / "shared" / "benchmarks" / "semeval2015-timeline"
DATA = "SemEval_Task4_data"
CORPORA: dict[str, tuple[str, str, str | None]] = {
    "trial": ("Corpus-trial-data_task4_events_timelines", "TimeLines_trial_data_task4_v1.2", None),
    **{
        f"corpus_{i}": (
            f"{DATA}/corpus_{i}/corpus_trackB_CAT",
            f"{DATA}/corpus_{i}/TimeLines_Gold_Standard",
            f"{DATA}/corpus_{i}/list_target_entities_corpus_{i}.txt",
        )
        for i in (1, 2, 3)
    },
}

#: Published best Track B results: system GPLSIUA_1, micro F1 x 100 per corpus and total
#: P / R / F1, from the results table of Minard et al. (2015), "SemEval-2015 Task 4: TimeLine:
#: Cross-Document Event Ordering", SemEval 2015, pp. 778-786 (doi 10.18653/v1/S15-2132), as
#: reproduced to one decimal in the README of github.com/savac/cdeo; the total F1 25.36 is
#: stated in Navarro-Colorado and Saquete, arXiv:1506.03257 (GPLSIUA's authors). The paper's
#: table itself was not available here: the second decimals are not known.
BEST_SYSTEM = "GPLSIUA_1"
BEST_F1 = {"corpus_1": "22.3", "corpus_2": "19.3", "corpus_3": "33.6"}
BEST_TOTAL = ("21.7", "30.5", "25.36")  # P, R, F1 over the three corpora


@dataclass
class Event:
    mention: str  # <docid>-<sentence>-<tokens joined by _>
    sentence: int
    offset: int  # character offset of its first token in Doc.text


@dataclass
class Doc:
    id: str
    dct: str
    text: str
    sentences: dict[int, tuple[int, int]]
    events: list[Event] = field(default_factory=list)


def load_cat(path: Path) -> Doc:
    root = ET.parse(path).getroot()
    doc_id = root.get("doc_id", path.name.split("_")[0].split("-")[0])
    by_sentence: dict[int, list[tuple[str, str]]] = {}  # sentence -> [(t_id, text)]
    for tok in root.iter("token"):
        by_sentence.setdefault(int(tok.get("sentence", "0")), []).append(
            (tok.get("t_id", ""), tok.text or "")
        )
    text, sentences, where = "", {}, {}
    for sid in sorted(by_sentence):
        toks = by_sentence[sid]
        start = len(text)
        joined, offs = _detok([t for _, t in toks], start)
        for (tid, _), (_, off) in zip(toks, offs, strict=True):
            where[tid] = (sid, off)
        text += joined
        sentences[sid] = (start, len(text))
        text += "\n"
    dct = ""
    for t in root.iter("TIMEX3"):
        if t.get("functionInDocument") == "CREATION_TIME":
            dct = t.get("value", "")
    if m := re.fullmatch(r"(\d\d)-(\d\d)-(\d{4})", dct):  # DD-MM-YYYY in one file
        dct = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    tokens = {tok.get("t_id", ""): tok.text or "" for tok in root.iter("token")}
    doc = Doc(doc_id, dct, text, sentences)
    for ev in root.iter("EVENT_MENTION"):
        ids = [a.get("t_id", "") for a in ev.iter("token_anchor")]
        ids = [i for i in ids if i in where]
        if not ids:
            continue
        sid, off = where[ids[0]]
        words = "_".join(tokens[i] for i in ids)
        doc.events.append(Event(f"{doc_id}-{sid}-{words}", sid, off))
    doc.events.sort(key=lambda e: e.offset)
    return doc


# ------------------------------------------------------------------ entities


def aliases(name: str) -> list[re.Pattern[str]]:
    """Patterns for the sentences that name ``name`` (rules in the module docstring)."""
    words = name.split()
    out = [re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)]
    caps = [w for w in words if w[:1].isupper()]
    if len(caps) >= 2:
        initials = "".join(w[0] for w in caps)
        out.append(re.compile(rf"(?<!\w){re.escape(initials)}(?!\w)"))
    digit = next((i for i, w in enumerate(words) if i > 0 and any(c.isdigit() for c in w)), None)
    if digit is not None and len(tail := " ".join(words[digit:])) >= 3:
        out.append(re.compile(rf"(?<!\w){re.escape(tail)}(?!\w)"))
    if len(words) == 2 and all(w[:1].isupper() and w.isalpha() for w in words):
        out.append(re.compile(rf"(?<!\w){re.escape(words[1])}(?!\w)"))
    return out


def names_entity(sentence: str, patterns: list[re.Pattern[str]]) -> bool:
    return any(p.search(sentence) for p in patterns)


# ------------------------------------------------------------------ dates


def task_date(value: str | None) -> str:
    """A TIMEX3 value at the task's precision: ``2008-03-01``, ``2008-03-XX``, ``2008-XX-XX``,
    or ``XXXX-XX-XX`` for no value or a period wider than a year."""
    span = timex.interval(value)
    if span is None:
        return "XXXX-XX-XX"
    a, b = span
    if a == b:
        return a.isoformat()
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.year:04d}-{a.month:02d}-XX"
    if a.year == b.year:
        return f"{a.year:04d}-XX-XX"
    return "XXXX-XX-XX"


def _sort_key(date: str) -> tuple[str, int]:
    parts = date.split("-")
    start = "-".join(p if "X" not in p else "01" for p in parts)
    return start, sum("X" not in p for p in parts)  # coarser first on ties


@dataclass
class Tagged:
    doc: Doc
    found: list[timex.Timex]


def tag_all(docs: list[Doc]) -> tuple[list[Tagged], float]:
    t0 = time.perf_counter()
    out = []
    for doc in docs:
        sents = [
            Sentence(index=i, start=a, end=b, text=doc.text[a:b])
            for i, (a, b) in enumerate(sorted(doc.sentences.values()))
        ]
        out.append(Tagged(doc, timex.tag(doc.text, doc.dct, sents)))
    return out, time.perf_counter() - t0


def date_by_timex(t: Tagged, ev: Event) -> str:
    a, b = t.doc.sentences[ev.sentence]
    near = [
        f
        for f in t.found
        if a <= f.start < b
        and f.type in timex.POINT_TYPES
        and f.value
        and timex.interval(f.value) is not None
    ]
    if not near:
        return task_date(t.doc.dct)
    best = min(near, key=lambda f: (max(0, f.start - ev.offset, ev.offset - f.end), f.start))
    return task_date(best.value)


def date_by_dct(t: Tagged, ev: Event) -> str:
    return task_date(t.doc.dct)


# ------------------------------------------------------------------ timelines


def build(tagged: list[Tagged], name: str, date_of: Callable[[Tagged, Event], str]) -> list[Line]:
    patterns = aliases(name)
    dated: list[tuple[str, int, str]] = []  # (date, position, mention)
    pos = 0
    for t in sorted(tagged, key=lambda t: (t.doc.dct, t.doc.id)):
        for ev in t.doc.events:
            a, b = t.doc.sentences[ev.sentence]
            pos += 1
            if names_entity(t.doc.text[a:b], patterns):
                dated.append((date_of(t, ev), pos, ev.mention))
    ranks: dict[str, int] = {}
    for date in sorted({d for d, _, _ in dated if not d.startswith("XXXX")}, key=_sort_key):
        ranks[date] = len(ranks) + 1
    lines: dict[tuple[int, str], list[str]] = {}
    for date, _, mention in sorted(dated, key=lambda x: (ranks.get(x[0], 0), x[1])):
        lines.setdefault((ranks.get(date, 0), date), []).append(mention)
    return [Line(rank, date, tuple(ms)) for (rank, date), ms in lines.items()]


SYSTEMS: dict[str, Callable[[Tagged, Event], str]] = {
    "baseline: every event at its DCT": date_by_dct,
    "newsweave.document.timex (sentence expression, else DCT)": date_by_timex,
}


@dataclass
class Row:
    corpus: str
    system: str
    entities: int
    counts: Counts
    events_found: int = 0
    events_gold: int = 0
    events_system: int = 0


@dataclass
class Speed:
    corpus: str
    docs: int
    expressions: int
    seconds: float


def gold_timelines(corpus: str) -> dict[str, tuple[str, list[Line]]]:
    _, gold_dir, _ = CORPORA[corpus]
    out = {}
    for path in sorted((ROOT / gold_dir).glob("*.txt")):
        out[path.stem] = parse(path.read_text(encoding="utf-8"))
    return out


def run(corpus: str, out_dir: Path | None) -> tuple[list[Row], Speed]:
    cat_dir, _, list_file = CORPORA[corpus]
    docs = [load_cat(p) for p in sorted((ROOT / cat_dir).glob("*.xml"))]
    tagged, seconds = tag_all(docs)
    speed = Speed(corpus, len(docs), sum(len(t.found) for t in tagged), seconds)
    gold = gold_timelines(corpus)
    if list_file is not None:  # every listed entity is scored, with or without a gold file
        listed = (ROOT / list_file).read_text(encoding="utf-8").splitlines()
        names = [n.strip() for n in listed if n.strip()]
    else:
        names = [name for name, _ in gold.values()]
    by_name = {name.casefold(): lines for name, lines in gold.values()}
    rows = []
    for system, date_of in SYSTEMS.items():
        total = Counts()
        row = Row(corpus, system, len(names), total)
        for name in names:
            gold_lines = by_name.get(name.casefold(), [])
            sys_lines = build(tagged, name, date_of)
            total += score(gold_lines, sys_lines)
            gold_m = {m for ln in gold_lines if ln.rank for m in ln.mentions}
            sys_m = {m for ln in sys_lines if ln.rank for m in ln.mentions}
            row.events_gold += len(gold_m)
            row.events_system += len(sys_m)
            row.events_found += len(gold_m & sys_m)
            if out_dir is not None:
                folder = out_dir / corpus / ("baseline" if date_of is date_by_dct else "timex")
                folder.mkdir(parents=True, exist_ok=True)
                slug = re.sub(r"\W+", "_", name.casefold()).strip("_")
                (folder / f"{slug}.txt").write_text(render(name, sys_lines), encoding="utf-8")
        row.counts = total
        rows.append(row)
    return rows, speed


def table(rows: list[Row]) -> str:
    out = [
        "| corpus | system | entities | P | R | **F1** | relations sys / gold "
        "| scored gold events found / gold / system |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        c = r.counts
        out.append(
            f"| {r.corpus} | {r.system} | {r.entities} | {100 * c.precision:.2f} "
            f"| {100 * c.recall:.2f} | **{100 * c.f1:.2f}** | {c.sys_total} / {c.gold_total} "
            f"| {r.events_found} / {r.events_gold} / {r.events_system} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="trial,corpus_1,corpus_2,corpus_3")
    parser.add_argument("--out", type=Path, help="write the system timelines under this folder")
    args = parser.parse_args()
    if not ROOT.is_dir():
        print(f"skipped: {ROOT} is absent")
        return
    rows: list[Row] = []
    speeds: list[Speed] = []
    for corpus in args.corpora.split(","):
        got, speed = run(corpus, args.out)
        rows.extend(got)
        speeds.append(speed)
    evaluation = [r for r in rows if r.corpus != "trial"]
    for system in SYSTEMS:
        mine = [r for r in evaluation if r.system == system]
        if len(mine) == 3:
            total = Counts()
            for r in mine:
                total += r.counts
            rows.append(
                Row(
                    "corpus_1-3 (micro)",
                    system,
                    sum(r.entities for r in mine),
                    total,
                    sum(r.events_found for r in mine),
                    sum(r.events_gold for r in mine),
                    sum(r.events_system for r in mine),
                )
            )
    print(table(rows))
    name = f"published best Track B ({BEST_SYSTEM}, Minard et al. 2015)"
    for corpus, f1 in BEST_F1.items():
        if corpus in args.corpora.split(","):
            print(f"| {corpus} | {name} | | | | **{f1}** | | |")
    if all(c in args.corpora.split(",") for c in BEST_F1):
        bp, br, bf = BEST_TOTAL
        print(f"| corpus_1-3 (micro) | {name} | | {bp} | {br} | **{bf}** | | |")
    print("\n| corpus | articles | expressions | expressions/s | articles/s |")
    print("|---|---:|---:|---:|---:|")
    for s in speeds:
        print(
            f"| {s.corpus} | {s.docs} | {s.expressions} | {s.expressions / s.seconds:,.0f} "
            f"| {s.docs / s.seconds:,.0f} |"
        )


if __name__ == "__main__":
    main()
