"""Temporal expressions on the SemEval-2015 Task 4 TimeML files: ``newsweave.document.timex``
against
dateparser's ``search_dates`` (the DCT as ``RELATIVE_BASE``), side by side in one run.

What the shared data holds (checked by this script, printed with the table): each TimeML file
has a DCT and the raw Wikinews text split in ``<s>`` sentences, but **no in-text TIMEX3** (the
only TIMEX3 of a document is its DCT, 30 per corpus). What is gold for dates:

* the dateline: sentence 1 of every article is its publication date (``March 01 , 2008``),
  annotated as the DCT; it is scored with the TempEval-3 scorer (``bench/timexmetrics.py``),
  gold = that sentence, system = what each tagger finds inside it (strict/relaxed span P/R/F1,
  value accuracy, value F1);
* the gold timelines: each entry anchors one event mention (document, sentence, word) to a date
  (``2008-03-01``, ``2008-03-XX``, ``2008-XX-XX``; ``XXXX-XX-XX`` = not anchored, left out).
  Each tagger anchors the event to the DATE/TIME expression nearest to the event word in the
  sentence, else to the DCT (the same rule for both); ``exact`` = the value equals the gold date
  at the gold's precision, ``compatible`` = one refines the other (``timex.agree``).

Also: expressions per 1,000 words and expressions/s. Usage, from the repo root::

    .venv/bin/python bench/timex.py                  # table: trial + the 3 evaluation corpora
    .venv/bin/python bench/timex.py --corpora trial --errors 40   # anchoring errors (tuning)
    .venv/bin/python bench/timex.py --timeml DIR     # TempEval-3 span/value scores on any TimeML
                                                     # folder whose text carries TIMEX3 tags

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
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from newsweave.document import timex  # noqa: E402
from timexmetrics import Scores, Span, score  # noqa: E402

ROOT = BENCH.parent.parent / "shared" / "benchmarks" / "semeval2015-timeline"
CORPORA = {
    "trial": ("Corpus-trial-data_task4_TimeML", "TimeLines_trial_data_task4_v1.2"),
    **{
        f"corpus_{i}": (
            f"SemEval_Task4_data/corpus_{i}/corpus_trackA_TimeML",
            f"SemEval_Task4_data/corpus_{i}/TimeLines_Gold_Standard",
        )
        for i in (1, 2, 3)
    },
}


@dataclass
class Doc:
    id: str
    dct: str
    text: str
    sentences: dict[int, tuple[int, int]]  # sentence id -> (start, end) in text
    words: dict[int, list[tuple[str, int]]] = field(default_factory=dict)  # id -> (token, offset)
    gold: list[Span] = field(default_factory=list)  # in-text TIMEX3, when the file has any


_GLUE_LEFT = re.compile(r"^(?:[,.;:!?%)\]}]|'s|'re|'ve|'ll|'d|'m|n't|'')$")


def _detok(tokens: list[str], base: int) -> tuple[str, list[tuple[str, int]]]:
    """Join tokens with sensible spacing; offsets of each token in the joined text."""
    out, offsets = "", []
    glue_next = False
    for tok in tokens:
        shown = '"' if tok in {"``", "''"} else tok
        if out and not glue_next and not _GLUE_LEFT.match(tok):
            out += " "
        offsets.append((tok, base + len(out)))
        out += shown
        glue_next = tok in {"(", "[", "$", "``", "#"}
    return out, offsets


def load_timeml(path: Path) -> Doc:
    root = ET.parse(path).getroot()
    dct_el = root.find("DCT/TIMEX3")
    dct = dct_el.get("value", "") if dct_el is not None else ""
    if m := re.fullmatch(r"(\d\d)-(\d\d)-(\d{4})", dct):  # one file writes DD-MM-YYYY
        dct = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    text, sentences, words, gold = "", {}, {}, []
    body = root.find("TEXT")
    assert body is not None, path
    for s in body.iter("s"):
        sid = int(s.get("id", len(sentences)))
        start = len(text)
        tokens: list[str] = []
        marks: list[tuple[int, int, ET.Element]] = []
        for piece, el in _pieces(s):
            first = len(tokens)
            tokens.extend(piece.split())
            if el is not None and el.tag == "TIMEX3":
                marks.append((first, len(tokens), el))
        joined, offs = _detok(tokens, start)
        for a, b, el in marks:
            if a < b:
                end = offs[b - 1][1] + len(offs[b - 1][0])
                gold.append(Span(offs[a][1], end, el.get("type"), el.get("value")))
        text += joined
        sentences[sid] = (start, len(text))
        words[sid] = offs
        text += "\n"
    return Doc(path.stem.split("_")[0].split("-")[0], dct, text, sentences, words, gold)


def _pieces(el: ET.Element) -> list[tuple[str, ET.Element | None]]:
    out: list[tuple[str, ET.Element | None]] = [(el.text or "", None)]
    for child in el:
        out.append(("".join(child.itertext()), child))
        out.append((child.tail or "", None))
    return out


# ------------------------------------------------------------------ the two systems


@dataclass
class Found:
    start: int
    end: int
    type: str
    value: str | None


def ours(doc: Doc) -> list[Found]:
    sents = [
        timex.Sentence(index=i, start=a, end=b, text=doc.text[a:b])
        for i, (a, b) in enumerate(sorted(doc.sentences.values()))
    ]
    return [Found(t.start, t.end, t.type, t.value) for t in timex.tag(doc.text, doc.dct, sents)]


def dateparser_search(doc: Doc) -> list[Found]:
    from dateparser.search import search_dates

    base = datetime.fromisoformat(doc.dct)
    out: list[Found] = []
    for a, b in sorted(doc.sentences.values()):
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
            out.append(Found(a + i, a + at, "DATE", when.date().isoformat()))
    return out


SYSTEMS: dict[str, Callable[[Doc], list[Found]]] = {
    "dateparser search_dates (DCT as RELATIVE_BASE)": dateparser_search,
    "newsweave.document.timex": ours,
}


# ------------------------------------------------------------------ gold timelines


def load_timelines(folder: Path) -> list[tuple[str, str, int, str]]:
    """(gold date, document id, sentence id, event word) for every anchored timeline entry."""
    out = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) < 3 or cols[1].startswith("XXXX"):
                continue
            doc, sent, word = cols[2].split("-", 2)
            out.append((cols[1], doc, int(sent), word))
    return out


def gold_value(date: str) -> str:
    return "-".join(p for p in date.split("-") if "X" not in p)


def anchor_event(doc: Doc, found: list[Found], sent: int, word: str) -> str:
    a, b = doc.sentences.get(sent, (0, 0))
    head = word.split("_")[0]
    at = next((off for tok, off in doc.words.get(sent, []) if tok in {word, head}), a)
    near = [
        f
        for f in found
        if a <= f.start < b
        and f.type in {"DATE", "TIME"}
        and f.value
        and timex.interval(f.value) is not None
    ]
    if not near:
        return doc.dct
    best = min(near, key=lambda f: max(0, f.start - at, at - f.end))
    return best.value.split("T")[0] if best.value else doc.dct


# ------------------------------------------------------------------ the run


@dataclass
class Row:
    corpus: str
    system: str
    docs: int = 0
    words: int = 0
    found: int = 0
    seconds: float = 0.0
    dateline: Scores = field(default_factory=Scores)
    events: int = 0
    not_dct: int = 0  # events whose gold date is not the DCT's (a text expression anchors them)
    not_dct_exact: int = 0
    exact: int = 0
    compatible: int = 0
    in_text_gold: Scores = field(default_factory=Scores)
    errors: list[str] = field(default_factory=list)


def run(corpus: str) -> list[Row]:
    tml, lines = CORPORA[corpus]
    docs = {d.id: d for d in (load_timeml(p) for p in sorted((ROOT / tml).glob("*.tml")))}
    entries = load_timelines(ROOT / lines)
    rows = []
    for name, system in SYSTEMS.items():
        row = Row(corpus, name, docs=len(docs))
        found: dict[str, list[Found]] = {}
        t0 = time.perf_counter()
        for doc in docs.values():
            found[doc.id] = system(doc)
        row.seconds = time.perf_counter() - t0
        for doc in docs.values():
            row.words += len(doc.text.split())
            row.found += len(found[doc.id])
            spans = [Span(f.start, f.end, f.type, f.value) for f in found[doc.id]]
            row.in_text_gold += score(doc.gold, spans)
            if 1 in doc.sentences:  # the dateline
                a, b = doc.sentences[1]
                inside = [s for s in spans if a <= s.start < b]
                row.dateline += score([Span(a, b, "DATE", doc.dct)], inside)
        for date, doc_id, sent, word in entries:
            doc = docs.get(doc_id)
            if doc is None:
                continue
            row.events += 1
            got = anchor_event(doc, found[doc_id], sent, word)
            want = gold_value(date)
            row.exact += got == want
            if not timex.agree(want, doc.dct):
                row.not_dct += 1
                row.not_dct_exact += got == want
            row.compatible += timex.agree(got, want)
            if got != want:
                a, b = doc.sentences.get(sent, (0, 0))
                row.errors.append(
                    f"{doc_id}-{sent} {word!r}: gold {want} got {got} | {doc.text[a:b]}"
                )
        rows.append(row)
    return rows


def table(rows: list[Row]) -> str:
    head = (
        "| corpus | system | docs | expressions (per 1k words) | dateline strict P/R/F1 "
        "| dateline relaxed P/R/F1 | dateline value acc / F1 | anchored events "
        "| **event date exact** | event date compatible | not-DCT events: exact "
        "| expressions/s |\n"
        "|---|---|---:|---:|---|---|---|---:|---:|---:|---:|---:|"
    )
    out = [head]
    for r in rows:
        sp, rp = r.dateline.strict_prf, r.dateline.relaxed_prf
        out.append(
            f"| {r.corpus} | {r.system} | {r.docs} | {r.found} ({1000 * r.found / r.words:.1f}) "
            f"| {sp[0]:.2f} / {sp[1]:.2f} / {sp[2]:.2f} | {rp[0]:.2f} / {rp[1]:.2f} / {rp[2]:.2f} "
            f"| {r.dateline.value_accuracy:.2f} / {r.dateline.value_f1:.2f} | {r.events} "
            f"| **{r.exact / r.events:.3f}** | {r.compatible / r.events:.3f} "
            f"| {r.not_dct_exact / r.not_dct:.3f} ({r.not_dct}) "
            f"| {r.found / r.seconds:,.0f} |"
        )
    return "\n".join(out)


def timeml_table(folder: Path) -> str:
    out = [
        "| system | gold | system | strict P/R/F1 | relaxed P/R/F1 | value acc | value F1 "
        "| type acc |",
        "|---|---:|---:|---|---|---:|---:|---:|",
    ]
    docs = [load_timeml(p) for p in sorted(folder.glob("*.tml"))]
    for name, system in SYSTEMS.items():
        total = Scores()
        for doc in docs:
            spans = [Span(f.start, f.end, f.type, f.value) for f in system(doc)]
            total += score(doc.gold, spans)
        sp, rp = total.strict_prf, total.relaxed_prf
        out.append(
            f"| {name} | {total.gold} | {total.system} | {sp[0]:.3f} / {sp[1]:.3f} / {sp[2]:.3f} "
            f"| {rp[0]:.3f} / {rp[1]:.3f} / {rp[2]:.3f} | {total.value_accuracy:.3f} "
            f"| {total.value_f1:.3f} | {total.type_accuracy:.3f} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="trial,corpus_1,corpus_2,corpus_3")
    parser.add_argument("--errors", type=int, default=0, help="print N anchoring errors (ours)")
    parser.add_argument("--timeml", type=Path, help="score a TimeML folder with in-text TIMEX3")
    args = parser.parse_args()
    if args.timeml:
        print(timeml_table(args.timeml))
        return
    if not ROOT.is_dir():
        print(f"skipped: {ROOT} is absent")
        return
    rows: list[Row] = []
    for corpus in args.corpora.split(","):
        rows.extend(run(corpus))
    print(table(rows))
    gold = sum(r.in_text_gold.gold for r in rows)
    print(f"\nin-text gold TIMEX3 in these TimeML files (besides the DCT): {gold}")
    if args.errors:
        for r in rows:
            if r.system == "newsweave.document.timex":
                print(f"\n{r.corpus}: {len(r.errors)} anchoring errors")
                print("\n".join(r.errors[: args.errors]))


if __name__ == "__main__":
    main()
