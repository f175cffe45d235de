"""Temporal expressions against in-text gold: the EventStoryLine v1.5 time markables on ECB+
texts, ``newsweave.document.timex`` beside dateparser's ``search_dates`` in one run, scored with the
TempEval-3 scorer (``bench/timexmetrics.py``).

The data (``../shared/benchmarks/ecbplus/EventStoryLine_v1.5/annotated_data/v1.5``, CAT-XML,
258 ``*ecbplus`` documents of 22 ECB+ topics, CC BY 3.0): time markables ``TIME_DATE``,
``TIME_OF_THE_DAY``, ``TIME_DURATION``, ``TIME_REPETITION`` anchored to tokens, with a ``value``;
the DCT is a ``TIME_DATE`` or ``TIME_OF_THE_DAY`` with ``DCT="TRUE"`` (on the dateline's tokens
in 230 documents, a value only in 27). Four documents are left out: one has no DCT, three a DCT
that is not a day (``2006``, ``PRESENT_REF``, ``t_2013-09-09``). There is no ``TIME_REPETITION``
markable in this release, so sets are not measured.

How the gold is read (checked on the data, see ``docs/benchmarks.md``):

* text: the ESC tokens of each sentence but sentence 0 (the source URL), joined with the ECB+
  detokeniser (``bench/ecbplus.py``), one line per sentence; gold spans are character offsets of
  the markable's first and last token;
* **only annotated sentences are scored**: ESC annotated a selection of sentences (those of
  ``ECBplus_coreference_sentences.csv`` and some more; 1,671 of 4,574 carry a markable). A
  sentence counts as annotated when it carries any markable (event, participant, location or
  time); system expressions elsewhere are not counted (no gold exists there);
* types: ``TIME_DATE`` -> DATE, ``TIME_OF_THE_DAY`` -> TIME, ``TIME_DURATION`` -> DURATION,
  ``TIME_REPETITION`` -> SET;
* values, ESC -> TIMEX3 (:func:`esc_value`): a trailing ``Z`` is dropped (ESC often converted
  clock times to UTC, not always: the value stays as written, so a converted clock is a miss for
  every system unless the text gives the zone; the ``day`` column compares values cut at ``T``);
  a system's clock time written with a zone ("11:00 AM EDT": ``T11:00-04:00`` for newsweave, a
  zone-aware datetime for dateparser) is compared as the same moment in UTC, for both systems;
  ``PRES_REF`` -> PRESENT_REF;
  one-digit months / days padded (``2013-05-3``); ``2013W19`` -> ``2013-W19``; ``201X`` (decade)
  -> ``201``; ``PXTH`` -> ``PTXH``; a 12-hour clock (``T5:03pm``) -> 24-hour; an unknown clock
  (``TXX:XX``) is dropped. An empty or unparseable value (8 markables) is scored for its span
  only: it and the system expression matched to it are left out of the value scores.
* per type: recall and value accuracy over the gold of that type.

Anchor: both systems get the day of the gold DCT value (dateparser as ``RELATIVE_BASE``).

Split (ECB+ topics): test = 36-45, dev = 2, 5, 12, 18, 21, 23, 34, 35, train = the rest of 1-35.
Rules were changed looking at train and dev errors only. Usage, from the repo root::

    .venv/bin/python bench/timex_esc.py                      # table: train, dev, test
    .venv/bin/python bench/timex_esc.py --split dev --errors 60   # newsweave errors (tuning)

dateparser (1.5.0 here) is a benchmark-only dependency: ``.venv/bin/pip install dateparser``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from ecbplus import _INNER_HYPHEN, DEV_TOPICS, TEST_TOPICS, TRAIN_TOPICS, detokenize  # noqa: E402
from newsweave.document import timex  # noqa: E402
from newsweave.model import Sentence  # noqa: E402
from timexmetrics import Scores, Span, score  # noqa: E402

ROOT = (
    BENCH.parent.parent
    / "shared"
    / "benchmarks"
    / "ecbplus"
    / "EventStoryLine_v1.5"
    / "annotated_data"
    / "v1.5"
)
SPLITS = {"train": TRAIN_TOPICS, "dev": DEV_TOPICS, "test": TEST_TOPICS}
TYPES = {
    "TIME_DATE": "DATE",
    "TIME_OF_THE_DAY": "TIME",
    "TIME_DURATION": "DURATION",
    "TIME_REPETITION": "SET",
}
_TOKEN_FORM = {"``": "“", "''": "”", "-LRB-": "(", "-RRB-": ")"}


@dataclass
class Gold:
    start: int
    end: int
    type: str
    value: str | None  # TIMEX3 after esc_value; None = span only
    raw: str  # the value as ESC writes it
    dct: bool


@dataclass
class EscDoc:
    id: str
    topic: int
    text: str
    dct: str | None  # the DCT's day (YYYY-MM-DD)
    sentences: list[tuple[int, int]]  # every sentence of the text (offsets)
    annotated: list[tuple[int, int]]  # those carrying an ESC markable
    gold: list[Gold] = field(default_factory=list)


def esc_value(raw: str | None) -> str | None:
    """An ESC value in TIMEX3 form; None when it is empty or not a value."""
    v = (raw or "").strip().upper()
    if not v or " " in v or "'" in v:
        return None
    if v == "PRES_REF":
        return "PRESENT_REF"
    if v == "PXTH":
        return "PTXH"
    if m := re.fullmatch(r"(\d{4}):(\d\d):(\d\d)(T.*)?", v):  # 2013:05:02T..
        v = f"{m.group(1)}-{m.group(2)}-{m.group(3)}{m.group(4) or ''}"
    if m := re.fullmatch(r"(\d{4})W(\d\d.*)", v):
        v = f"{m.group(1)}-W{m.group(2)}"
    if m := re.fullmatch(r"(\d{3})X", v):  # 201X: the decade
        return m.group(1)
    day, sep, clock = v.partition("T")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", day):
        day = f"{m.group(1)}-{int(m.group(2)):02d}"
        if m.group(3):
            day += f"-{int(m.group(3)):02d}"
    if sep and not day.startswith("P"):
        clock = clock.removesuffix("Z")
        if m := re.fullmatch(r"(\d{1,2}):(\d\d)(AM|PM)", clock):
            h = int(m.group(1)) % 12 + (12 if m.group(3) == "PM" else 0)
            clock = f"{h:02d}:{m.group(2)}"
        elif m := re.fullmatch(r"(\d):(\d\d.*)", clock):
            clock = f"0{m.group(1)}:{m.group(2)}"
        if clock in {"XX:XX", "XX"}:
            return day
    return f"{day}{sep}{clock}"


def _offsets(tokens: list[str], line: str, base: int) -> list[tuple[int, int]]:
    """Start and end of each token in its detokenised line (detokenize only maps a few tokens
    and inserts single spaces)."""
    out, at = [], 0
    for tok in tokens:
        shown = _TOKEN_FORM.get(tok, tok)
        while shown and at < len(line) and line[at] == " " and not shown.startswith(" "):
            at += 1
        if shown and line[at : at + len(shown)] != shown and shown not in {"“", "”"}:
            raise ValueError(f"token {tok!r} not at {at} in {line!r}")
        out.append((base + at, base + at + len(shown)))
        at += len(shown)
    return out


def read_esc(path: Path) -> EscDoc | None:
    """One ESC CAT-XML file; None when it has no DCT."""
    root = ET.parse(path).getroot()
    name = path.name.removesuffix(".xml")
    by_sentence: dict[int, list[tuple[int, str, str]]] = {}
    for el in root.iter("token"):
        sent = int(el.get("sentence", "0"))
        by_sentence.setdefault(sent, []).append(
            (int(el.get("number", "0")), el.get("t_id", ""), el.text or "")
        )
    sentences = [[(t, w) for _, t, w in sorted(v)] for k, v in sorted(by_sentence.items()) if k]
    sentence_ids = [k for k in sorted(by_sentence) if k]
    split_hyphens = not any(_INNER_HYPHEN.search(w) for s in sentences for _, w in s)
    quotes = [False, False]
    text, spans, where = "", {}, {}
    bounds: dict[int, tuple[int, int]] = {}
    for sid, toks in zip(sentence_ids, sentences, strict=True):
        words = [w for _, w in toks]
        line = detokenize(words, split_hyphens, quotes)
        if not line.strip():
            continue
        if text:
            text += "\n"
        for (tid, _), off in zip(toks, _offsets(words, line, len(text)), strict=True):
            spans[tid], where[tid] = off, sid
        bounds[sid] = (len(text), len(text) + len(line))
        text += line
    marked: set[int] = set()
    gold: list[Gold] = []
    dct: str | None = None
    markables = root.find("Markables")
    for m in markables if markables is not None else []:
        if m.get("DCT") == "TRUE" and dct is None:
            day = timex.parse_iso(esc_value(m.get("value")))
            dct = day.isoformat() if day else None
        ids = [a.get("t_id", "") for a in m.findall("token_anchor")]
        ids = [t for t in ids if t in spans]
        if not ids:
            continue
        marked.update(where[t] for t in ids)
        if m.tag in TYPES:
            first = min(ids, key=lambda t: spans[t][0])
            last = max(ids, key=lambda t: spans[t][1])
            gold.append(
                Gold(
                    spans[first][0],
                    spans[last][1],
                    TYPES[m.tag],
                    esc_value(m.get("value")),
                    m.get("value") or "",
                    m.get("DCT") == "TRUE",
                )
            )
    if dct is None:
        return None
    return EscDoc(
        id=name,
        topic=int(name.split("_", 1)[0]),
        text=text,
        dct=dct,
        sentences=[bounds[k] for k in sorted(bounds)],
        annotated=[bounds[k] for k in sorted(marked) if k in bounds],
        gold=sorted(gold, key=lambda g: (g.start, g.end)),
    )


def load_esc(root: Path | None = None, topics: list[int] | tuple[int, ...] | None = None):
    """(documents, number left out for want of a DCT) of ``topics`` (every topic if None)."""
    root = root or ROOT
    paths = sorted(
        p for p in root.glob("*/*.xml") if topics is None or int(p.parent.name) in topics
    )
    docs = [read_esc(p) for p in paths]
    kept = [d for d in docs if d is not None]
    return kept, len(docs) - len(kept)


# ------------------------------------------------------------------ the two systems


def ours(doc: EscDoc) -> list[Span]:
    sents = [
        Sentence(index=i, start=a, end=b, text=doc.text[a:b])
        for i, (a, b) in enumerate(doc.sentences)
    ]
    # a clock time written with its zone carries its offset; ESC writes clock times in UTC
    return [
        Span(t.start, t.end, t.type, timex.utc(t.value) if t.value else t.value)
        for t in timex.tag(doc.text, doc.dct, sents)
    ]


_CLOCK = re.compile(r"\d:\d\d|\b\d{1,2}\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b", re.IGNORECASE)
_PARSER = None


def dateparser_search(doc: EscDoc) -> list[Span]:
    """``search_dates`` per sentence with the DCT as ``RELATIVE_BASE``; each value is written at
    the precision dateparser reports for the found text (``get_date_data(...).period``)."""
    global _PARSER
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    base = datetime.fromisoformat(doc.dct or "2000-01-01")
    settings = {"RELATIVE_BASE": base, "RETURN_TIME_AS_PERIOD": True}
    parser = DateDataParser(languages=["en"], settings=settings)
    out: list[Span] = []
    for a, b in doc.sentences:
        sentence = doc.text[a:b]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            hits = search_dates(sentence, languages=["en"], settings={"RELATIVE_BASE": base})
        at = 0
        for surface, when in hits or []:
            i = sentence.find(surface, at)
            if i < 0:
                continue
            at = i + len(surface)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                period = parser.get_date_data(surface).period or "day"
            if period == "time" or _CLOCK.search(surface):
                if when.tzinfo is not None:  # a zone in the text: the moment in UTC, as ESC
                    when = when.astimezone(timezone.utc)
                kind, value = "TIME", when.strftime("%Y-%m-%dT%H:%M")
            elif period == "year":
                kind, value = "DATE", f"{when.year:04d}"
            elif period == "month":
                kind, value = "DATE", f"{when.year:04d}-{when.month:02d}"
            elif period == "week":
                iso = when.isocalendar()
                kind, value = "DATE", f"{iso[0]:04d}-W{iso[1]:02d}"
            else:
                kind, value = "DATE", when.date().isoformat()
            out.append(Span(a + i, a + at, kind, value))
    return out


SYSTEMS: dict[str, Callable[[EscDoc], list[Span]]] = {
    "dateparser search_dates (DCT as RELATIVE_BASE)": dateparser_search,
    "newsweave.document.timex": ours,
}


# ------------------------------------------------------------------ scoring


def _day(value: str | None) -> str | None:
    return value.split("T", 1)[0] if value and not value.startswith("P") else value


def _inside(spans: list[Span], bounds: list[tuple[int, int]]) -> list[Span]:
    return [s for s in spans if any(a <= s.start < b for a, b in bounds)]


def _first_overlap(g: Gold, system: list[Span], used: set[int]) -> int | None:
    for i, s in enumerate(system):
        if i not in used and s.start < g.end and g.start < s.end:
            return i
    return None


@dataclass
class DocScore:
    span: Scores  # every gold expression (strict / relaxed span, type)
    value: Scores  # gold with a value, and what is not matched to a value-less gold
    day: Scores  # the same with values cut at T (clock times and parts of day dropped)
    by_type: dict[str, Scores]


def score_doc(doc: EscDoc, found: list[Span]) -> DocScore:
    system = sorted(_inside(found, doc.annotated), key=lambda s: (s.start, s.end))
    gold = [Span(g.start, g.end, g.type, g.value) for g in doc.gold]
    span = score(gold, system)
    used: set[int] = set()
    for g in doc.gold:  # the same one-to-one pairing as the scorer's
        i = _first_overlap(g, system, used)
        if i is not None:
            used.add(i)
            if g.value is None:
                system[i] = Span(-1, -1)  # matched to a span-only gold: out of value scores
    kept = [s for s in system if s.start >= 0]
    valued = [g for g in gold if g.value is not None]
    value = score(valued, kept)
    day = score(
        [Span(g.start, g.end, g.type, _day(g.value)) for g in valued],
        [Span(s.start, s.end, s.type, _day(s.value)) for s in kept],
    )
    by_type = {t: score([g for g in valued if g.type == t], kept) for t in TYPES.values()}
    for t in by_type:  # per type: recall-side counts only (system types differ from gold's)
        by_type[t].system = 0
    return DocScore(span, value, day, by_type)


@dataclass
class Row:
    split: str
    system: str
    docs: int = 0
    found: int = 0
    seconds: float = 0.0
    span: Scores = field(default_factory=Scores)
    value: Scores = field(default_factory=Scores)
    day: Scores = field(default_factory=Scores)
    by_type: dict[str, Scores] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def run(split: str, systems: dict[str, Callable[[EscDoc], list[Span]]] | None = None) -> list[Row]:
    docs, _ = load_esc(topics=SPLITS[split])
    rows = []
    for name, system in (systems or SYSTEMS).items():
        row = Row(split, name, docs=len(docs))
        found: dict[str, list[Span]] = {}
        t0 = time.perf_counter()
        for doc in docs:
            found[doc.id] = system(doc)
        row.seconds = time.perf_counter() - t0
        for doc in docs:
            row.found += len(found[doc.id])
            s = score_doc(doc, found[doc.id])
            row.span += s.span
            row.value += s.value
            row.day += s.day
            for t, sc in s.by_type.items():
                row.by_type[t] = row.by_type.get(t, Scores()) + sc
            row.errors.extend(_errors(doc, found[doc.id]))
        rows.append(row)
    return rows


def _errors(doc: EscDoc, found: list[Span]) -> list[str]:
    system = _inside(found, doc.annotated)
    out = []
    used: set[int] = set()
    for g in doc.gold:
        i = _first_overlap(g, system, used)
        line = next((doc.text[a:b] for a, b in doc.sentences if a <= g.start < b), "")
        gtext = doc.text[g.start : g.end]
        if i is None:
            out.append(f"MISS {doc.id} [{gtext}] {g.type} {g.value} (dct {doc.dct}) | {line}")
            continue
        used.add(i)
        s = system[i]
        if g.value is not None and (s.value or "").upper() != g.value:
            out.append(
                f"VALUE {doc.id} [{gtext}] gold {g.value} sys [{doc.text[s.start : s.end]}] "
                f"{s.value} (dct {doc.dct}) | {line}"
            )
        elif (s.start, s.end) != (g.start, g.end):
            out.append(f"SPAN {doc.id} gold [{gtext}] sys [{doc.text[s.start : s.end]}]")
    for i, s in enumerate(system):
        if i not in used:
            out.append(f"FP {doc.id} [{doc.text[s.start : s.end]}] {s.type} {s.value}")
    return out


def table(rows: list[Row]) -> str:
    out = [
        "| split | system | docs | gold | system | strict P / R / F1 | relaxed P / R / F1 "
        "| value acc | **value F1** | value acc (day) | type acc | articles/s | expressions/s |",
        "|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        sp, rp = r.span.strict_prf, r.span.relaxed_prf
        out.append(
            f"| {r.split} | {r.system} | {r.docs} | {r.span.gold} | {r.span.system} "
            f"| {sp[0]:.3f} / {sp[1]:.3f} / {sp[2]:.3f} | {rp[0]:.3f} / {rp[1]:.3f} / {rp[2]:.3f} "
            f"| {r.value.value_accuracy:.3f} | **{r.value.value_f1:.3f}** "
            f"| {r.day.value_accuracy:.3f} | {r.span.type_accuracy:.3f} "
            f"| {r.docs / r.seconds:,.1f} | {r.found / r.seconds:,.0f} |"
        )
    return "\n".join(out)


def type_table(rows: list[Row]) -> str:
    types = list(TYPES.values())
    out = [
        "| split | system | "
        + " | ".join(f"{t}: gold / relaxed R / value acc" for t in types)
        + " |",
        "|---|---|" + "---|" * len(types),
    ]
    for r in rows:
        cells = []
        for t in types:
            s = r.by_type.get(t, Scores())
            cells.append(f"{s.gold} / {s.relaxed_prf[1]:.2f} / {s.value_accuracy:.2f}")
        out.append(f"| {r.split} | {r.system} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="train,dev,test", help="train, dev, test (commas)")
    parser.add_argument("--errors", type=int, default=0, help="print N newsweave errors")
    parser.add_argument("--ours-only", action="store_true", help="skip dateparser (tuning)")
    args = parser.parse_args()
    if not ROOT.is_dir():
        print(f"skipped: {ROOT} is absent")
        return
    systems: dict[str, Callable[[EscDoc], list[Span]]] = (
        {"newsweave.document.timex": ours} if args.ours_only else SYSTEMS
    )
    rows: list[Row] = []
    for split in args.split.split(","):
        rows.extend(run(split, systems))
    print(table(rows))
    print()
    print(type_table(rows))
    if args.errors:
        for r in rows:
            if r.system == "newsweave.document.timex":
                print(f"\n{r.split}: {len(r.errors)} errors")
                print("\n".join(r.errors[: args.errors]))


if __name__ == "__main__":
    main()
