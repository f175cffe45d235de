"""The account on real reports, scored against gold written by reading them (``bench/gold/``).

Runs the product path, ``newsweave analyze`` over one ``.txt`` file per ECB+ document of a split
(all its topics in one store, as a user's folder), then reads ``report.json`` and scores, per
area, beside a simple baseline where one applies:

* **citations** (gold ``support``): for each gold statement, the fact holding the claim that
  states it in its document; of the reports that fact cites, how many state it (strict), state
  it or part of it (lenient); how many of the reports that state it are cited (recall). The
  same for the statements the brief cites to two or more reports. And, without gold, the share
  of multi-cited brief sentences whose every cited claim gives the sentence's own numbers and
  negation (the held-out check's measure).
* **conflicts** (gold ``conflicts`` / ``not_conflicts``): a listed conflict is right when two of
  its values are held by reports on two different sides of one gold conflict; precision over
  the conflicts listed, recall over the gold ones; false alarms that are known traps are
  counted apart. Baseline: any two values of one kind in similar sentences (TF-IDF cosine) of
  two reports of one story.
* **brief** (gold ``key_facts``): the key facts of each event found in the first 250 words of
  the brief of the story holding most of its reports; beside the lead of one report and a
  round-robin of all reports' leads; the brief's length.
* **stories**: B-cubed F1 against the gold stories, and the share of single-report stories.
* **quotes** (gold ``quotes``): found, and speaker right, beside the nearest person named to
  the quotation (baseline); **entities** (gold ``entities``,
  ``distinct``): alias sets merged, wrong merges.
* **dates** (gold ``dates``): read from the store the run leaves, each temporal expression as
  the story stage resolves it (the values the timeline and the conflicts use, with the time of
  day a clock time gives, its zone offset left out as the gold writes local times): found,
  value right, day right (the calendar day of a value with a clock time), traps left without a
  value; a report's date line is right when it became the report's date (a clock time in it:
  as the tagger reads that dropped line against that date). Baseline: dateparser
  on the gold span with the report's date (else the story's) as the base.

Usage, from the repo root::

    .venv/bin/python bench/real_gold.py                  # dev topics
    .venv/bin/python bench/real_gold.py --split test     # test topics (rarely)
    .venv/bin/python bench/real_gold.py --split dev --replay /tmp/dev   # story stage only, on
                                                   # the store a --keep /tmp/dev run left
    .venv/bin/python bench/real_gold.py --report /tmp/x/report.json   # score a report again
    .venv/bin/python bench/real_gold.py --order shuffle --seed 1      # files in another order
    .venv/bin/python bench/real_gold.py --show conflicts  # print what was listed, right or wrong
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from corefmetrics import bcubed_labels  # noqa: E402
from ecbplus import DEV_TOPICS, TEST_TOPICS, TRAIN_TOPICS, EcbDoc, EcbplusMissing, load_ecbplus  # noqa: E402

GOLD = BENCH / "gold" / "ecbplus"
SPLITS = {"train": TRAIN_TOPICS, "dev": DEV_TOPICS, "test": TEST_TOPICS}
BRIEF_WORDS = 250


# --------------------------------------------------------------------------- text helpers

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "`": "'", "—": "-", "–": "-"})


def norm(text: str) -> str:
    """Lower case, straight quotes, one space, no space before punctuation."""
    text = text.translate(_QUOTES).replace("''", '"').lower()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ([,.;:!?)'\"])", r"\1", text)
    text = re.sub(r"(\d[.,]) (\d)", r"\1\2", text)  # "$500, 000" as an older reader printed it
    return text.strip()


def contains(haystack: str, span: str) -> bool:
    return norm(span) in norm(haystack)


_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "dozen": 12,
}  # fmt: skip
_NUM = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)*(?=[a-z]{0,3}\b)(?!ers\b)|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b",
    re.I,
)
_NEGATION = re.compile(r"\b(?:not|no|never|n't|none|neither|nor|without|unlikely|denied)\b", re.I)


def numbers(text: str) -> set[str]:
    """The numbers a sentence gives, digits and number words alike ("five" = "5"); "one" is
    not counted (as often a pronoun as a number: "one of them", "another one")."""
    out = set()
    for m in _NUM.finditer(text.translate(_QUOTES)):
        tok = m.group(0).lower()
        if tok in _NUMBER_WORDS:
            out.add(str(_NUMBER_WORDS[tok]))
        else:
            out.add(tok.replace(",", ""))
    return out


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text.translate(_QUOTES)))


def words(text: str) -> list[str]:
    return text.split()


# --------------------------------------------------------------------------- running the product


def doc_key(doc: EcbDoc) -> str:
    return Path(doc.id).stem


def run_product(
    docs: Sequence[EcbDoc], work: Path, order: str, seed: int, extra: Sequence[str] = ()
) -> tuple[dict[str, Any], float]:
    """``newsweave analyze`` over the documents as text files; the report and the seconds."""
    folder = work / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in docs:
        p = folder / f"{doc_key(doc)}.txt"
        p.write_text(doc.text + "\n", encoding="utf-8")
        paths.append(str(p))
    if order == "shuffle":
        random.Random(seed).shuffle(paths)
        args = paths
    else:
        args = [str(folder)]
    out = work / "report"
    cmd = [
        sys.executable,
        "-m",
        "newsweave",
        "analyze",
        *args,
        "--db",
        str(work / "bench.db"),
        "--out",
        str(out),
        *extra,
    ]
    # this checkout's code (a git worktree sharing another checkout's environment too)
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=path)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"newsweave analyze failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads((out / "report.json").read_text(encoding="utf-8")), took


#: Re-runs the story stage of every story of a store with the code on PYTHONPATH (the stories
#: and the document analyses stay as stored; a document whose stored analysis is of another
#: version is analysed again).
_REPLAY = """
import sys
from newsweave.pipeline import Pipeline
from newsweave.store import Store
store = Store.open(sys.argv[1])
Pipeline(store).analyze_stories(force=True)
"""


def replay_product(kept: Path, work: Path) -> tuple[dict[str, Any], float]:
    """A copy of a kept run's store (``--keep``) with every story's account built again by this
    checkout's code, and the report rebuilt from it: the story stage alone, in seconds rather
    than the minutes of a full run (the stories themselves do not change)."""
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.db"
    shutil.copyfile(kept / "bench.db", db)
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=path)
    out = work / "report"
    t0 = time.perf_counter()
    for cmd in (
        [sys.executable, "-c", _REPLAY, str(db)],
        [sys.executable, "-m", "newsweave", "report", "--db", str(db), "--out", str(out)],
    ):
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"replay failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    took = time.perf_counter() - t0
    return json.loads((out / "report.json").read_text(encoding="utf-8")), took


# --------------------------------------------------------------------------- the report, indexed


@dataclass
class Account:
    report: dict[str, Any]
    doc_of: dict[str, str] = field(default_factory=dict)  # article id -> doc id
    story_of_doc: dict[str, str] = field(default_factory=dict)  # doc id -> output story id
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    brief: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # story -> sentences

    @classmethod
    def of(cls, report: dict[str, Any], docs: Iterable[str]) -> Account:
        """The report's account of the stories that hold any of ``docs`` (the gold's)."""
        acc = cls(report)
        wanted = set(docs)
        for a in report["articles"]:
            name = a.get("path") or a.get("url") or a["id"]
            acc.doc_of[a["id"]] = Path(name).stem
        stories = [
            s for s in report["stories"] if wanted & {acc.doc_of.get(a) for a in s["articles"]}
        ]
        ids = {s["id"] for s in stories}
        acc.report = dict(report, stories=stories)
        for key in ("facts", "conflicts", "quotes", "entities", "brief"):
            acc.report[key] = [x for x in report[key] if x.get("story") in ids]
        for s in stories:
            for aid in s["articles"]:
                acc.story_of_doc[acc.doc_of.get(aid, aid)] = s["id"]
        acc.facts = {f["id"]: f for f in acc.report["facts"]}
        for b in acc.report["brief"]:
            acc.brief.setdefault(b["story"], []).append(b)
        return acc

    def docs(self, article_ids: Iterable[str]) -> set[str]:
        return {self.doc_of.get(a, a) for a in article_ids}

    def story_for(self, doc_ids: Iterable[str]) -> str | None:
        """The output story holding most of these documents."""
        votes = Counter(self.story_of_doc[d] for d in doc_ids if d in self.story_of_doc)
        return votes.most_common(1)[0][0] if votes else None

    def facts_stating(self, doc: str, span: str) -> list[dict[str, Any]]:
        """Facts with a claim of ``doc`` holding ``span``."""
        return [
            f
            for f in self.facts.values()
            if any(
                self.doc_of.get(c["article"]) == doc and contains(c["text"], span)
                for c in f["claims"]
            )
        ]


# --------------------------------------------------------------------------- scores


@dataclass
class Ratio:
    hit: int = 0
    total: int = 0

    def add(self, hit: int, total: int = 1) -> None:
        self.hit += hit
        self.total += total

    def __str__(self) -> str:
        if not self.total:
            return "-"
        return f"{self.hit / self.total:.1%} ({self.hit}/{self.total})"

    @property
    def value(self) -> float:
        return self.hit / self.total if self.total else float("nan")


def score_support(acc: Account, gold: list[dict[str, Any]], show: bool) -> dict[str, Ratio]:
    """The citations of the facts whose text is a gold statement (its span, from its document):
    each report cited beside that document either states the statement (gold ``states``),
    states part of it (``partial``) or not. A fact whose text is another sentence than the
    gold's is not judged here: the gold says who states the gold sentence, not that one."""
    strict, lenient, recall, wrong_not = Ratio(), Ratio(), Ratio(), Ratio()
    found = Ratio()
    brief_strict, brief_lenient = Ratio(), Ratio()
    brief_facts = {f for bs in acc.brief.values() for b in bs for f in b.get("facts", [])}
    for g in (s for t in gold for s in t.get("support", [])):
        states = set(g.get("states", [])) | {g["doc"]}
        partial = set(g.get("partial", []))
        nots = {n["doc"] for n in g.get("not", [])}
        facts = [
            f for f in acc.facts_stating(g["doc"], g["span"]) if contains(f["text"], g["span"])
        ]
        found.add(bool(facts))
        for f in facts:
            cited = acc.docs(c["article"] for c in f["claims"])
            others = cited - {g["doc"]}
            strict.add(len(others & states), len(others))
            lenient.add(len(others & (states | partial)), len(others))
            wrong_not.add(len(others & nots), len(others))
            want = states - {g["doc"]}
            recall.add(len(want & cited), len(want))
            if f["id"] in brief_facts and others:
                brief_strict.add(len(others & states), len(others))
                brief_lenient.add(len(others & (states | partial)), len(others))
            if show and others - states - partial:
                print(
                    f"  support: {g['doc']} «{g['span']}» also cited to "
                    f"{sorted(others - states - partial)}"
                )
    return {
        "gold statements that are a fact's text": found,
        "cited reports that state it (strict)": strict,
        "cited reports that state it or part (lenient)": lenient,
        "cited reports the gold says say otherwise": wrong_not,
        "reports stating it that are cited (recall)": recall,
        "brief sentences: cited reports stating it (strict)": brief_strict,
        "brief sentences: cited reports stating it or part (lenient)": brief_lenient,
    }


def score_brief_values(acc: Account, show: bool) -> dict[str, Ratio]:
    """Multi-cited brief sentences whose every cited claim gives the sentence's numbers and
    negation (no gold needed)."""
    ok = Ratio()
    for briefs in acc.brief.values():
        for b in briefs:
            if len(b["articles"]) < 2 or not b.get("facts"):
                continue
            fact = acc.facts.get(b["facts"][0])
            if fact is None:
                continue
            own = numbers(b["text"])
            neg = negated(b["text"])
            claims_of: dict[str, list[str]] = defaultdict(list)
            for c in fact["claims"]:
                claims_of[c["article"]].append(c["text"])
            bad = []
            for art in b["articles"]:
                texts = claims_of.get(art, [])
                good = any(own <= numbers(t) and negated(t) == neg for t in texts)
                if not good:
                    bad.append((acc.doc_of.get(art, art), texts[:1]))
            ok.add(not bad)
            if show and bad:
                print(f"  brief «{b['text'][:90]}» cites {bad[0][0]}: {str(bad[0][1])[:120]}")
    return {"multi-cited brief sentences, every cited claim has its values": ok}


def _kind(kind: str) -> str:
    """Gold writes clock times as dates ("time of the arrest")."""
    if kind == "time":
        return "date"
    return "name" if kind in ("name", "place", "other", "rank", "colour", "speaker") else kind


def _best_sides(sides: list[dict[str, Any]], docs: set[str]) -> set[int]:
    """The gold sides most of a value's reports stand on (several on a tie, none if none)."""
    overlap = [len(docs & set(s["docs"])) for s in sides]
    best = max(overlap, default=0)
    return {k for k, n in enumerate(overlap) if n == best} if best else set()


def conflict_matches(value_docs: list[set[str]], sides: list[dict[str, Any]]) -> bool:
    """Two values whose reports stand on two different sides of the gold conflict (a report the
    gold puts on two sides, because it gives both values, may stand on either)."""
    best = [_best_sides(sides, d) for d in value_docs]
    return any(a != b for i, x in enumerate(best) for y in best[i + 1 :] for a in x for b in y)


def _fit(value_docs: list[set[str]], sides: list[dict[str, Any]]) -> float:
    """How well the values' reports fit the gold sides: the share of their reports found on
    the side each stands on best."""
    found = sum(max((len(d & set(s["docs"])) for s in sides), default=0) for d in value_docs)
    return found / max(1, sum(len(d) for d in value_docs))


def _shared_words(label: str, gold: dict[str, Any]) -> int:
    """Words (and numbers) a listed conflict's values share with a gold conflict's sides."""
    said = " ".join(
        [gold.get("about", "")] + [f"{s['value']} {s.get('as_written', '')}" for s in gold["sides"]]
    )
    words = {w for w in re.findall(r"[a-z]{3,}|\d+", said.lower())}
    return len(words & set(re.findall(r"[a-z]{3,}|\d+", label.lower())))


def _trap_matches(value_docs: list[set[str]], trap: dict[str, Any]) -> bool:
    docs = set(trap.get("docs", []))
    return bool(docs) and sum(1 for d in value_docs if d & docs) >= 1


def score_conflicts(
    listed: Listed, gold: list[dict[str, Any]], labels: list[str], show: bool
) -> dict[str, Ratio]:
    golds = [c for t in gold for c in t.get("conflicts", [])]
    traps = [c for t in gold for c in t.get("not_conflicts", [])]
    precision, recall, trap_hits = Ratio(), Ratio(), Ratio()
    matched: set[int] = set()
    for (kind, value_docs), label in zip(listed, labels, strict=True):
        hit = [
            k
            for k, g in enumerate(golds)
            if (kind is None or _kind(g.get("kind", "")) == _kind(kind))
            and conflict_matches(value_docs, g["sides"])
        ]
        precision.add(bool(hit))
        if hit:  # credited to the one gold conflict its reports fit best (then its words)
            matched.add(
                max(
                    hit,
                    key=lambda k: (
                        _fit(value_docs, golds[k]["sides"]),
                        _shared_words(label, golds[k]),
                        -k,
                    ),
                )
            )
        if not hit:
            trap_hits.add(any(_trap_matches(value_docs, t) for t in traps))
        if show:
            print(f"  {'REAL ' if hit else 'false'} {label[:150]}")
    for k, g in enumerate(golds):
        recall.add(k in matched)
        if show and k not in matched:
            sides = " / ".join(f"{s['value']} {s['docs']}" for s in g["sides"])
            print(f"  missed {g['story']} {g['about']}: {sides}")
    return {
        "precision": precision,
        "recall": recall,
        "false alarms in a gold trap's reports": trap_hits,
    }


Listed = list[tuple[str | None, list[set[str]]]]


def listed_conflicts(acc: Account) -> tuple[Listed, list[str]]:
    out, labels = [], []
    for c in acc.report["conflicts"]:
        out.append((c["kind"], [acc.docs(v["articles"]) for v in c["values"]]))
        labels.append(
            f"{c['kind']}: "
            + " | ".join(f"{v['text']!r} {sorted(acc.docs(v['articles']))}" for v in c["values"])
        )
    return out, labels


def baseline_conflicts(docs: Sequence[EcbDoc], acc: Account) -> tuple[Listed, list[str]]:
    """Any two sentences of two reports of one (output) story, similar by TF-IDF cosine >= 0.5,
    that each give numbers and share none."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    by_story: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for d in docs:
        story = acc.story_of_doc.get(doc_key(d))
        if story is None:
            continue
        for line in d.text.split("\n"):
            if numbers(line):
                by_story[story].append((doc_key(d), line))
    out, labels = [], []
    for sents in by_story.values():
        if len(sents) < 2:
            continue
        matrix = TfidfVectorizer(stop_words="english").fit_transform([s for _, s in sents])
        sim = (matrix @ matrix.T).toarray()
        for i in range(len(sents)):
            for j in range(i + 1, len(sents)):
                (da, sa), (db, sb) = sents[i], sents[j]
                if da != db and sim[i, j] >= 0.5 and not numbers(sa) & numbers(sb):
                    out.append(("number", [{da}, {db}]))
                    labels.append(f"{sa[:60]!r} {da} | {sb[:60]!r} {db}")
    return out, labels


def first_words(sentences: Iterable[str], limit: int = BRIEF_WORDS) -> str:
    taken: list[str] = []
    for s in sentences:
        if len(taken) >= limit:
            break
        taken.extend(words(s))
    return " ".join(taken[:limit])


def key_fact_found(fact: dict[str, Any], text: str) -> bool:
    return all(re.search(p, text, re.I | re.S) for p in fact["patterns"])


def score_brief(
    acc: Account, docs: Sequence[EcbDoc], gold: list[dict[str, Any]], show: bool
) -> dict[str, Any]:
    by_story: dict[str, list[EcbDoc]] = defaultdict(list)
    for d in docs:
        by_story[d.story].append(d)
    ours, lead, rr = Ratio(), Ratio(), Ratio()
    for topic in gold:
        for event in topic.get("events", []):
            story_docs = by_story.get(event["story"], [])
            facts = [k for k in topic.get("key_facts", []) if k["story"] == event["story"]]
            if not story_docs or not facts:
                continue
            out_story = acc.story_for(doc_key(d) for d in story_docs)
            brief = first_words(b["text"] for b in acc.brief.get(out_story or "", []))
            lines = [d.text.split("\n") for d in story_docs]
            lead_text = first_words(lines[0])
            rr_sents = [ls[k] for k in range(max(map(len, lines))) for ls in lines if k < len(ls)]
            rr_text = first_words(rr_sents)
            for k in facts:
                ours.add(key_fact_found(k, brief))
                lead.add(key_fact_found(k, lead_text))
                rr.add(key_fact_found(k, rr_text))
                if show and not key_fact_found(k, brief):
                    print(f"  key fact missed in {event['story']}: {k['fact']}")
    lengths = [sum(len(words(b["text"])) for b in bs) for bs in acc.brief.values()]
    sentences = [len(bs) for bs in acc.brief.values()]
    return {
        "key facts in the brief's first 250 words": ours,
        "baseline: lead of one report (250 words)": lead,
        "baseline: round-robin of the reports' leads": rr,
        "brief words per story (median / max)": _median_max(lengths),
        "brief sentences per story (median / max)": _median_max(sentences),
    }


def _median_max(values: list[int]) -> str:
    if not values:
        return "-"
    values = sorted(values)
    return f"{values[len(values) // 2]} / {values[-1]}"


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed of the stories (item -> story) over the items both sides hold."""
    items = [i for i in gold if i in pred]
    clusters: dict[str, list[str]] = defaultdict(list)
    for i in items:
        clusters[pred[i]].append(i)
    return bcubed_labels(clusters.values(), {i: gold[i] for i in items})


def score_stories(acc: Account, docs: Sequence[EcbDoc]) -> dict[str, Any]:
    gold = {doc_key(d): d.story for d in docs}
    p, r, f = bcubed(acc.story_of_doc, gold)
    sizes = [len(s["articles"]) for s in acc.report["stories"]]
    singles = sum(1 for n in sizes if n == 1)
    return {
        "B-cubed P / R / F1": f"{p:.3f} / {r:.3f} / {f:.3f}",
        "stories (gold)": f"{len(sizes)} ({len(set(gold.values()))})",
        "single-report stories": f"{singles / max(1, len(sizes)):.1%} ({singles}/{len(sizes)})",
    }


def _same_person(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return a is None and b is None
    wa = {w for w in norm(a).replace(".", " ").split() if len(w) > 1}
    wb = {w for w in norm(b).replace(".", " ").split() if len(w) > 1}
    return bool(wa & wb)


def _letters(text: str) -> str:
    """Letters and digits only: one quotation told by two reports with other punctuation ("I
    can't speak for the first death but" / "I cant speak for the first death, but") is one."""
    return re.sub(r"[\W_]+", "", text.lower())


def _told(span: str, text: str) -> bool:
    """True when a quotation's text holds the gold span: letter for letter, or, for a quotation
    several reports give in slightly different words (the account shows one report's wording and
    cites them all), four in five of the span's words in order."""
    if _letters(span) in _letters(text):
        return True
    want = re.findall(r"\w+", span.lower())
    have = re.findall(r"\w+", text.lower())
    common = difflib.SequenceMatcher(None, want, have, autojunk=False)
    return sum(b.size for b in common.get_matching_blocks()) >= 0.8 * len(want)


def score_quotes(acc: Account, gold: list[dict[str, Any]], show: bool) -> dict[str, Ratio]:
    found, speaker = Ratio(), Ratio()
    for q in (q for t in gold for q in t.get("quotes", [])):
        hits = [
            x
            for x in acc.report["quotes"]
            if q["doc"] in acc.docs(x["articles"]) and _told(q["span"], x["text"])
        ]
        found.add(bool(hits))
        got = hits[0].get("speaker_name") if hits else None
        if (
            hits
            and hits[0].get("speaker") is None
            and got
            and got[:1].islower()
            and not (q.get("speaker") or "X")[:1].islower()  # the gold names a description too
        ):
            got = None  # a description ("a senior officer"): the report does not say who
        right = bool(hits) and _same_person(got, q.get("speaker"))
        speaker.add(right)
        if show and not right:
            shown = hits[0].get("speaker_name") if hits else "(not found)"
            print(f"  quote {q['doc']} «{q['span'][:50]}»: {shown!r} vs gold {q.get('speaker')!r}")
    return {"quotes found": found, "quotes with the right speaker": speaker}


def baseline_quote_speakers(db: Path, gold: list[dict[str, Any]]) -> Ratio:
    """Baseline: the person named nearest to the quotation in its report (the tagger's PERSON
    mentions outside the quoted words), the speaker a reader skimming for names would guess."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsweave.document import nlp
    from newsweave.store import Store

    store = Store.open(db)
    by_doc = {Path(a.path).stem: a for a in store.iter_articles() if a.path}
    right = Ratio()
    for q in (q for t in gold for q in t.get("quotes", [])):
        article = by_doc.get(q["doc"])
        analysis = store.get_analysis(article.id, nlp.VERSION) if article else None
        if article is None or analysis is None:
            right.add(False)
            continue
        at = article.text.find(q["span"])
        if at < 0:
            m = re.search(
                r"\W+".join(re.escape(w) for w in re.findall(r"\w+", q["span"])), article.text
            )
            at = m.start() if m else -1
        if at < 0:
            right.add(False)
            continue
        end = at + len(q["span"])
        people = [m for m in analysis.mentions if m.label == "PERSON" and not at <= m.start < end]
        nearest = min(
            people, key=lambda m: min(abs(m.start - at), abs(m.start - end)), default=None
        )
        right.add(_same_person(nearest.text if nearest else None, q.get("speaker")))
    return right


def score_entities(acc: Account, gold: list[dict[str, Any]], show: bool) -> dict[str, Ratio]:
    merged, wrong = Ratio(), Ratio()
    entities = acc.report["entities"]
    for t in gold:
        for e in t.get("entities", []):
            story_docs = [d for d, s in acc.story_of_doc.items() if d.startswith(f"{t['topic']}_")]
            out_story = acc.story_for(d for d in story_docs if _story_of_id(d) == e["story"])
            forms = {norm(f) for f in e["forms"]}
            holders = [
                x
                for x in entities
                if x.get("story") == out_story
                and forms & {norm(a) for a in x["aliases"] + [x["name"]]}
            ]
            seen = (
                set().union(
                    *({norm(a) for a in x["aliases"] + [x["name"]]} & forms for x in holders)
                )
                if holders
                else set()
            )
            ok = len(holders) == 1 and len(seen) >= min(2, len(forms))
            merged.add(ok)
            if show and not ok:
                print(
                    f"  entity {e['name']}: {[sorted({*x['aliases'], x['name']}) for x in holders]}"
                )
        for a, b in t.get("distinct", []):
            both = [
                x
                for x in entities
                if {norm(a), norm(b)} <= {norm(y) for y in x["aliases"] + [x["name"]]}
            ]
            wrong.add(bool(both), 1)
            if show and both:
                print(f"  wrong merge: {a!r} + {b!r}")
    return {"alias sets merged in one entity": merged, "distinct pairs merged (wrong)": wrong}


def _story_of_id(doc: str) -> str:
    topic, rest = doc.split("_", 1)
    return topic + ("ecbplus" if rest.endswith("ecbplus") else "ecb")


# --------------------------------------------------------------------------- dates


def _locate(text: str, context: str, span: str) -> tuple[int, int] | None:
    """Where ``span`` sits in ``text``, found through its ``context`` (whitespace-insensitive)."""
    at = text.find(context)
    if at < 0:
        pattern = r"\s+".join(re.escape(w) for w in context.split())
        m = re.search(pattern, text)
        if m is None:
            return None
        at, context = m.start(), m.group(0)
    inner = re.search(r"\s+".join(re.escape(w) for w in span.split()), context)
    if inner is None:
        return None
    return at + inner.start(), at + inner.end()


def _value_right(gold: str, got: str | None) -> tuple[bool, bool]:
    """(value right, day right): the day of a value with a clock time is enough for the second;
    a year the reports never give ("XXXX-12-11") is compared by month and day."""
    if got is None:
        return False, False
    if "T" not in gold:
        got = got.split("T", 1)[0]  # the gold marked a day inside a longer expression ("today")
    if gold.startswith("XXXX-"):
        same = got[4:10] == gold[4:10] and len(got) >= 10
        return same and len(got) == len(gold), same
    return got == gold, got[:10] == gold[:10] and len(gold) >= 10 and len(got) >= 10


def _dateparser_value(span: str, anchor: str | None) -> str | None:
    import datetime as dt

    import dateparser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if anchor:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(anchor[:10])
    try:
        got = dateparser.parse(span, languages=["en"], settings=settings)
    except Exception:  # the baseline's failures are misses
        return None
    if got is None:
        return None
    if re.search(r"\d\s*(?:[ap]\.?\s?m\b|:\d\d)|\bnoon\b|\bmidnight\b", span, re.IGNORECASE):
        return got.strftime("%Y-%m-%dT%H:%M")
    return got.date().isoformat()


def _dateline_value(article: Any, context: str, span: str, day: str) -> str | None:
    """The value the tagger gives ``span`` in the date line (dropped from the body) that holds
    ``context``, against the report's date ``day``; the local clock, its zone left out."""
    from newsweave.document import timex

    for line in article.dropped:
        if line.reason != "dateline" or (where := _locate(line.text, context, span)) is None:
            continue
        lo, hi = where
        for t in timex.tag(line.text, day):
            if t.start < hi and lo < t.end and t.value and t.value[:10] == day[:10]:
                return re.sub(r"(?:Z|[+-]\d\d:?\d\d)$", "", t.value)
    return None


def score_dates(db: Path, gold: list[dict[str, Any]], show: bool) -> dict[str, str]:
    """Gold temporal expressions against the story stage's resolved dates, beside dateparser."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsweave.document import nlp
    from newsweave.store import Store
    from newsweave.story.story_dates import dateline_days, infer_anchor, resolve_dates

    entries = [e for t in gold for e in t.get("dates", [])]
    if not entries:
        return {}
    store = Store.open(db)
    by_doc = {Path(a.path).stem: a for a in store.iter_articles() if a.path}
    resolved: dict[str, list[Any]] = {}  # article id -> its expressions as resolved
    anchors: dict[str, str | None] = {}
    # the report's own day: its publication date, else the day its date line writes without
    # the year, the year from the story (what the story stage resolves it against)
    own_day: dict[str, str | None] = {}
    for story in store.stories():
        articles = list(store.iter_articles(story.articles))
        analyses = [store.get_analysis(a.id, nlp.VERSION) for a in articles]
        if any(an is None for an in analyses):
            continue
        anchor = infer_anchor(articles, analyses)  # type: ignore[arg-type]
        for (article, _), items in resolve_dates(articles, analyses).items():  # type: ignore[arg-type]
            resolved.setdefault(article, []).extend(d for d, _ in items)
        lined = dateline_days(articles, analyses)  # type: ignore[arg-type]
        for a in articles:
            anchors[a.id] = a.published or lined.get(a.id) or anchor
            own_day[a.id] = a.published or lined.get(a.id)
    found, value, day, traps = Ratio(), Ratio(), Ratio(), Ratio()
    base_value, base_day, base_traps = Ratio(), Ratio(), Ratio()
    for e in entries:
        article = by_doc.get(e["doc"])
        if article is None:
            continue
        where = _locate(article.text, e["context"], e["span"])
        got: str | None = None
        hit = False
        if where is None:
            # not in the body: a date line the reader took as the report's date, with the clock
            # time the tagger reads beside it in that line ("AUGUST 2, 2013 | 08:06AM PT")
            got = own_day.get(article.id) if e.get("value") else None
            hit = got is not None
            if got and "T" in e["value"]:
                got = _dateline_value(article, e["context"], e["span"], got) or got
        else:
            lo, hi = where
            over = [d for d in resolved.get(article.id, []) if d.start < hi and lo < d.end]
            if over:
                best = max(over, key=lambda d: min(hi, d.end) - max(lo, d.start))
                got, hit = best.value, True
                if got and best.clock:
                    got += "T" + re.sub(r"(?:Z|[+-]\d\d:?\d\d)$", "", best.clock)
        base = _dateparser_value(e["span"], anchors.get(article.id))
        if e.get("value") is None:
            traps.add(got is None)
            base_traps.add(base is None)
            if show and got is not None:
                print(f"  date trap {e['doc']} «{e['span']}» read as {got}")
            continue
        found.add(hit)
        right, right_day = _value_right(e["value"], got)
        value.add(right)
        day.add(right or right_day)
        b_right, b_day = _value_right(e["value"], base)
        base_value.add(b_right)
        base_day.add(b_right or b_day)
        if show and not right:
            print(f"  date {e['doc']} «{e['span']}»: {got} vs gold {e['value']}")
    return {
        "expressions found": f"{found} | -",
        "value right": f"{value} | {base_value}",
        "day right (values with a clock time)": f"{day} | {base_day}",
        "traps left without a value": f"{traps} | {base_traps}",
    }


# --------------------------------------------------------------------------- main


def load_gold(topics: Iterable[int]) -> list[dict[str, Any]]:
    out = []
    for t in topics:
        p = GOLD / f"{t}.json"
        if p.exists():
            out.append(json.loads(p.read_text(encoding="utf-8")))
    return out


def table(title: str, rows: dict[str, Any]) -> None:
    print(f"\n### {title}\n\n| measure | value |\n|---|---|")
    for k, v in rows.items():
        print(f"| {k} | {v} |")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--split", choices=sorted(SPLITS), default="dev")
    ap.add_argument("--topics", help="comma-separated topics instead of a split")
    ap.add_argument("--report", help="score this report.json instead of running newsweave")
    ap.add_argument("--keep", help="run in this folder and keep it (report, store)")
    ap.add_argument(
        "--replay",
        help="a folder a --keep run left: copy its store, build every story's account again with "
        "this checkout's code, score that (the stories and document analyses as stored)",
    )
    ap.add_argument("--order", choices=["name", "shuffle"], default="name")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--show",
        default="",
        help="comma list: support,brief,conflicts,baseline,keyfacts,quotes,entities,dates",
    )
    args = ap.parse_args(argv)
    show = set(filter(None, args.show.split(",")))

    topics = [int(t) for t in args.topics.split(",")] if args.topics else list(SPLITS[args.split])
    gold = load_gold(topics)
    if not gold:
        print("skipped: no gold files for these topics in bench/gold/ecbplus/")
        return 0
    topics = [g["topic"] for g in gold]
    try:
        docs = load_ecbplus(topics=topics)
    except EcbplusMissing as exc:
        print(f"skipped: {exc}")
        return 0

    if args.report:
        report = json.loads(Path(args.report).read_text(encoding="utf-8"))
        took = math.nan
        db = Path(args.report).resolve().parent.parent / "bench.db"
    elif args.replay:
        work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nw-replay-"))
        report, _ = replay_product(Path(args.replay), work)
        took = math.nan
        db = work / "bench.db"
        print(f"report (replayed story stage): {work / 'report' / 'report.json'}")
    else:
        work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nw-gold-"))
        if (work / "bench.db").exists():
            (work / "bench.db").unlink()
        report, took = run_product(docs, work, args.order, args.seed)
        db = work / "bench.db"
        print(f"report: {work / 'report' / 'report.json'}")
    acc = Account.of(report, [doc_key(d) for d in docs])
    print(
        f"\n## newsweave on real reports: ECB+ topics {','.join(map(str, topics))} "
        f"({len(docs)} reports, order {args.order}"
        + (f" seed {args.seed}" if args.order == "shuffle" else "")
        + (f", {len(docs) / took:.2f} articles/s" if took == took else "")
        + ")"
    )
    table("Citations (gold support)", score_support(acc, gold, "support" in show))
    table(
        "Citations (no gold: values of multi-cited brief sentences)",
        score_brief_values(acc, "brief" in show),
    )
    listed, labels = listed_conflicts(acc)
    conflicts = score_conflicts(listed, gold, labels, "conflicts" in show)
    base_listed, base_labels = baseline_conflicts(docs, acc)
    base = score_conflicts(base_listed, gold, base_labels, "baseline" in show)
    print(
        "\n### Conflicts\n\n| measure | newsweave | baseline: two values in similar sentences |"
        "\n|---|---|---|"
    )
    for k in conflicts:
        print(f"| {k} | {conflicts[k]} | {base[k]} |")
    table("Brief", score_brief(acc, docs, gold, "keyfacts" in show))
    table("Stories", score_stories(acc, docs))
    quotes = score_quotes(acc, gold, "quotes" in show)
    if db.exists():
        quotes["baseline: nearest person named, right speaker"] = baseline_quote_speakers(db, gold)
    table("Quotes", quotes)
    table("Entities", score_entities(acc, gold, "entities" in show))
    if db.exists():
        dates = score_dates(db, gold, "dates" in show)
        print("\n### Dates\n\n| measure | newsweave | baseline: dateparser |\n|---|---|---|")
        for k, v in dates.items():
            print(f"| {k} | {v} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
