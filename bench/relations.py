"""Relations (the actor graph) on real reports, scored against gold written by reading them.

Gold: ``bench/gold/relations/<topic>.json`` (see ``bench/gold/README.md``): per topic, edges a
reader draws (subject, action, object, modality: ``asserted`` / ``hedged`` / ``negated`` /
``planned``) located by document and a short verbatim span of the sentence, and traps (a
preposition read as an action, a role given to the wrong organisation, "X urged Y to do Z" read
as X doing Z, a hedge dropped).

Runs the product path: ``newsweave analyze`` over one ``.txt`` file per ECB+ document of the
gold's topics of a split (as ``bench/real_gold.py`` does), then reads ``report.json``'s
``relations`` (with their entities and evidence). ``--replay DIR`` re-runs only the story stage
on the store a ``--keep DIR`` run left (seconds instead of minutes; the relations are built in
the story stage).

Scores, per split:

* **edges found** (recall): gold edges with a relation whose evidence is that document's sentence,
  whose subject entity carries the gold subject's name, whose predicate or wording is the gold
  action, and whose object (entity name or phrase) shares a word with the gold object;
* **precision in gold sentences**: of the relations whose evidence is a sentence holding a gold
  edge and whose subject is a gold edge's subject there, the share that are gold edges (the gold
  lists the actions and organisation roles a reader draws for those actors in those sentences;
  descriptions, "X is a physician", "X has role President", are not judged). Conservative: a
  right edge the gold writer did not list counts as wrong;
* **modality right**: of the edges found, those whose modality is the gold's;
* **traps avoided**: ``must_not`` traps with no such relation; ``must_modality`` traps with no
  relation for that subject/object in that sentence of another modality.

Baseline: plain subject-verb-object from the same dependency parse (``nsubj`` -> verb ->
``dobj``, or ``nsubjpass`` with a ``by`` agent), every edge asserted; subjects and objects are
the words of the subject and object subtrees.

Usage, from the repo root::

    .venv/bin/python bench/relations.py --split dev --keep /tmp/rel-dev      # full run, kept
    .venv/bin/python bench/relations.py --split dev --replay /tmp/rel-dev    # story stage again
    .venv/bin/python bench/relations.py --split train --report /tmp/x/report/report.json
    .venv/bin/python bench/relations.py --split dev --replay /tmp/rel-dev --show  # misses, FPs
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from ecbplus import load_ecbplus  # noqa: E402
from real_gold import replay_product, run_product  # noqa: E402

GOLD = BENCH / "gold" / "relations"
#: Edges that describe an entity rather than relate it ("X is a physician", "X has role
#: President"): not what the gold lists, so not judged for precision.
DESCRIPTIONS = {"is", "be", "has role"}
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "`": "'", "—": "-", "–": "-"})
_STOP = {"the", "a", "an", "of", "to", "in", "on", "at", "for", "by", "his", "her", "their", "its"}


def norm(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split())


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", norm(text)) if w not in _STOP}


def in_sentence(span: str, text: str) -> bool:
    """The gold span lies in the sentence (or clause) ``text`` (most of its words, in case the
    claim is a clause of the sentence)."""
    s, t = norm(span), norm(text)
    if s in t:
        return True
    sw = re.findall(r"[a-z0-9]+", s)
    tw = set(re.findall(r"[a-z0-9]+", t))
    return bool(sw) and sum(w in tw for w in sw) / len(sw) >= 0.8


def load_gold(split: str) -> list[dict[str, Any]]:
    out = []
    for p in sorted(GOLD.glob("*.json"), key=lambda p: int(p.stem)):
        g = json.loads(p.read_text(encoding="utf-8"))
        if g.get("split") == split:
            out.append(g)
    return out


# --------------------------------------------------------------------------- candidates


@dataclass
class Edge:
    """One relation as one report's sentence states it (or a baseline edge)."""

    doc: str
    text: str  # the sentence / claim
    subject: set[str]  # names of the subject (entity name and aliases, or the words)
    predicate: str
    wording: str
    object: set[str]  # names of the object
    modality: str = "asserted"
    hedge: str = ""
    label: str = ""  # for printing
    extra: dict[str, Any] = field(default_factory=dict)


def product_edges(report: dict[str, Any]) -> list[Edge]:
    names: dict[str, set[str]] = {}
    for e in report.get("entities", []):
        names[e["id"]] = {e.get("name", ""), *e.get("aliases", [])} - {""}
    doc_of = {}
    for a in report.get("articles", []):
        doc_of[a["id"]] = Path(a.get("path") or a.get("url") or a["id"]).stem
    out = []
    for r in report.get("relations", []):
        subj = names.get(r["subject"], {r["subject"]})
        obj = names.get(r["object"], {r["object"]}) if r.get("object_is_entity") else {r["object"]}
        for ev in r.get("evidence", []):
            modality = ev.get("modality") or r.get("modality") or "asserted"
            out.append(
                Edge(
                    doc=doc_of.get(ev["article"], ev["article"]),
                    text=ev.get("text", ""),
                    subject=subj,
                    predicate=r["predicate"],
                    wording=ev.get("wording", ""),
                    object=obj,
                    modality=modality,
                    hedge=ev.get("hedge") or r.get("hedge") or "",
                    label=f"{sorted(subj)[0]} -> {r['predicate']} -> {sorted(obj)[0]}"
                    f" [{modality}{' ' + (ev.get('hedge') or '') if ev.get('hedge') else ''}]",
                )
            )
    return out


def baseline_edges(docs: dict[str, str]) -> list[Edge]:
    """Plain subject-verb-object from the dependency parse, every edge asserted."""
    from newsweave.story.relations import default_parser

    parser = default_parser()
    sentences = [(d, s) for d, text in docs.items() for s in text.split("\n") if s.strip()]
    parsed = parser.parse(list(dict.fromkeys(s for _, s in sentences)))
    out = []
    for d, s in sentences:
        doc = parsed[s]
        for verb in doc:
            if verb.pos_ not in {"VERB", "AUX"}:
                continue
            subj = [c for c in verb.children if c.dep_ == "nsubj"]
            obj = [c for c in verb.children if c.dep_ in {"dobj", "attr"}]
            agent = [p for c in verb.children if c.dep_ == "agent" for p in c.children]
            patient = [c for c in verb.children if c.dep_ == "nsubjpass"]
            if agent and patient:
                subj, obj = agent, patient
            for sj in subj:
                for ob in obj:
                    st = " ".join(t.text for t in sj.subtree)
                    ot = " ".join(t.text for t in ob.subtree)
                    out.append(
                        Edge(d, s, {st}, verb.lemma_.lower(), verb.text, {ot},
                             label=f"{st} -> {verb.lemma_} -> {ot}")
                    )  # fmt: skip
    return out


# --------------------------------------------------------------------------- matching


def subject_matches(gold: str, names: Iterable[str]) -> bool:
    """The gold name and one of the entity's names share the gold's last name word (a surname,
    "Navy" in "Indian Navy"), or one contains the other."""
    g = norm(gold)
    last = g.split()[-1]
    for n in names:
        nn = norm(n)
        if not nn:
            continue
        if g in nn or (nn in g and len(nn) >= 3):
            return True
        if last in re.findall(r"[a-z0-9.]+", nn):
            return True
    return False


def action_matches(actions: Iterable[str], predicate: str, wording: str) -> bool:
    pred = norm(predicate)
    pred_words = pred.replace("/", " ").split()
    wording_words = norm(wording).split()
    for a in actions:
        a = norm(a)
        if a == pred or pred.startswith(a + " ") or (a in pred_words and len(a) > 3):
            return True
        if " " in a and a in pred:
            return True
        stem = a[: max(3, len(a) - 1)]
        if any(w.startswith(stem) for w in wording_words) and len(a) > 2:
            return True
    return False


def object_matches(gold: str, names: Iterable[str], exact: bool = False) -> bool:
    if exact:
        return any(norm(n) == norm(gold) for n in names)
    gw = words(gold)
    return any(gw & words(n) for n in names)


def edge_matches(g: dict[str, Any], e: Edge, *, need_action: bool = True) -> bool:
    if e.doc != g["doc"] or not in_sentence(g["span"], e.text):
        return False
    if "subject" in g and not subject_matches(g["subject"], e.subject):
        return False
    if need_action and "action" in g and not action_matches(g["action"], e.predicate, e.wording):
        return False
    exact = bool(g.get("object_exact"))
    return "object" not in g or object_matches(g["object"], e.object, exact)


@dataclass
class Score:
    found: int = 0
    gold: int = 0
    modality_right: int = 0
    listed: int = 0
    right: int = 0
    traps: int = 0
    avoided: int = 0
    hedges: int = 0  # gold edges that are not asserted
    hedges_kept: int = 0
    lines: list[str] = field(default_factory=list)

    def row(self) -> list[str]:
        def pct(a: int, b: int) -> str:
            return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "-"

        return [
            pct(self.found, self.gold),
            pct(self.right, self.listed),
            pct(self.modality_right, self.found),
            pct(self.hedges_kept, self.hedges),
            pct(self.avoided, self.traps),
        ]


def score(gold: list[dict[str, Any]], edges: list[Edge]) -> Score:
    sc = Score()
    by_doc: dict[str, list[Edge]] = {}
    for e in edges:
        by_doc.setdefault(e.doc, []).append(e)
    gold_edges = [g for t in gold for g in t["edges"]]
    for g in gold_edges:
        sc.gold += 1
        hits = [e for e in by_doc.get(g["doc"], []) if edge_matches(g, e)]
        hedge = g.get("modality", "asserted") != "asserted"
        sc.hedges += hedge
        if hits:
            sc.found += 1
            ok = any(e.modality == g.get("modality", "asserted") for e in hits)
            sc.modality_right += ok
            sc.hedges_kept += hedge and ok
            if not ok:
                sc.lines.append(
                    f"  modality {g['doc']}: {g['subject']} {g['action'][0]} "
                    f"{g['object']} [{g.get('modality')}] got {hits[0].label}"
                )
        else:
            sc.lines.append(
                f"  missed {g['doc']}: {g['subject']} -> {g['action'][0]} -> "
                f"{g['object']} [{g.get('modality')}]  ({g['span']})"
            )
    # precision: relations in a gold sentence about a gold subject of that sentence
    seen: set[tuple[str, str, str]] = set()
    for e in edges:
        golds = [g for g in gold_edges if g["doc"] == e.doc and in_sentence(g["span"], e.text)]
        golds = [g for g in golds if subject_matches(g["subject"], e.subject)]
        if not golds or e.predicate in DESCRIPTIONS:
            continue
        key = (e.doc, norm(e.text), e.label)
        if key in seen:
            continue
        seen.add(key)
        sc.listed += 1
        if any(edge_matches(g, e) for g in golds):
            sc.right += 1
        else:
            sc.lines.append(f"  wrong {e.doc}: {e.label}  ({e.text[:90]})")
    for t in gold:
        for trap in t["traps"]:
            sc.traps += 1
            docs_edges = by_doc.get(trap["doc"], [])
            if "must_not" in trap:
                pat = dict(trap["must_not"], doc=trap["doc"], span=trap["span"])
                bad = [e for e in docs_edges if edge_matches(pat, e)]
            else:
                want = trap["must_modality"]
                pat = dict(want, doc=trap["doc"], span=trap["span"])
                pat.pop("modality")
                bad = [
                    e
                    for e in docs_edges
                    if edge_matches(pat, e, need_action=False) and e.modality != want["modality"]
                ]
            if bad:
                sc.lines.append(
                    f"  trap {trap['kind']} {trap['doc']}: {bad[0].label}  ({trap['why']})"
                )
            else:
                sc.avoided += 1
    return sc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--keep", help="run newsweave analyze and keep its store here")
    ap.add_argument("--replay", help="re-run the story stage on the store a --keep run left")
    ap.add_argument("--report", help="score this report.json")
    ap.add_argument("--show", action="store_true", help="print misses, wrong edges, traps")
    args = ap.parse_args(argv)
    gold = load_gold(args.split)
    topics = sorted({g["topic"] for g in gold})
    ecb = [d for d in load_ecbplus(topics=topics)]
    if args.report:
        report = json.loads(Path(args.report).read_text(encoding="utf-8"))
    elif args.replay:
        work = Path(tempfile.mkdtemp(prefix="nw-rel-"))
        report, _ = replay_product(Path(args.replay), work)
    else:
        work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nw-rel-"))
        report, _ = run_product(ecb, work, "sorted", 0)
    gold_docs = {g["doc"] for t in gold for g in t["edges"]} | {
        g["doc"] for t in gold for g in t["traps"]
    }
    texts = {Path(d.id).stem: d.text for d in ecb if Path(d.id).stem in gold_docs}
    rows = {
        "baseline (plain SVO, no modality)": score(gold, baseline_edges(texts)),
        "newsweave": score(gold, product_edges(report)),
    }
    n_edges = sum(len(t["edges"]) for t in gold)
    n_traps = sum(len(t["traps"]) for t in gold)
    print(f"## relations, {args.split}: topics {topics}, {n_edges} gold edges, {n_traps} traps")
    head = ["", "edges found", "precision (gold sentences)", "modality right",
            "hedged/planned kept", "traps avoided"]  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, sc in rows.items():
        print("| " + " | ".join([name, *sc.row()]) + " |")
    if args.show:
        for name, sc in rows.items():
            print(f"\n### {name}")
            print("\n".join(sc.lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
