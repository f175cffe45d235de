"""Rewrites and near-duplicates: newsweave's detector against a plain MinHash baseline.

Three parts:

1. **Labelled pairs from ECB+** (read as text by ``bench/ecbplus.py``). Positives are made from
   one document by rules written here: a verbatim copy, a truncation, a re-headlined copy, a
   copy with boilerplate added (``Read more`` lines, a newsletter footer), a light paraphrase
   (synonym swaps, clause reordering, sentences dropped) and all of these at once. Negatives are
   two different documents of one gold story (the hard case: same event, same names) and, apart,
   two documents of one topic but different stories. Per transformation the set is balanced:
   ``--n`` positives against the same ``--n`` hard negatives. Systems:
   ``newsweave`` (LSH candidate + passage alignment, :func:`newsweave.reuse.align`),
   ``newsweave 8-gram`` (the story stage's word-for-word rule, :func:`provenance.reuse_edges`) and
   the baseline ``datasketch MinHash`` (word 3-gram shingles, 128 permutations, estimated Jaccard
   >= 0.5, and >= the threshold best on this very set, an optimistic baseline).
2. **The LSH index** (:class:`newsweave.reuse.LSHIndex`): documents per second to index,
   candidate recall against exact Jaccard on perturbed ECB+ texts, and query latency at 10k and
   100k documents.
3. **The story stage**: :func:`provenance.reuse_edges` on one story of all ECB+ documents plus
   transformed copies, candidates from all pairs vs. from LSH buckets.
4. **The seeds** (``../shared/seeds``): which seed pairs the text detector links, and what the
   full story stage (``newsweave analyze``) records as provenance.

Usage::

    .venv/bin/python bench/rewrites.py                 # all three parts
    .venv/bin/python bench/rewrites.py --part pairs --n 300
    .venv/bin/python bench/rewrites.py --part lsh --sizes 10000,100000
    .venv/bin/python bench/rewrites.py --part story
    .venv/bin/python bench/rewrites.py --part seeds
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ecbplus import EcbDoc, EcbplusMissing, load_ecbplus
from newsweave import reuse
from newsweave.model import Article
from newsweave.story import provenance

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

# --------------------------------------------------------------------------- transformations

SYNONYMS = {
    "said": "stated",
    "says": "states",
    "told": "informed",
    "killed": "left dead",
    "died": "lost their lives",
    "people": "individuals",
    "police": "officers",
    "officials": "authorities",
    "announced": "unveiled",
    "reported": "indicated",
    "after": "following",
    "before": "prior to",
    "about": "around",
    "more than": "over",
    "because": "since",
    "began": "started",
    "start": "begin",
    "big": "large",
    "large": "big",
    "new": "fresh",
    "several": "a number of",
    "many": "numerous",
    "help": "assist",
    "tried": "attempted",
    "buy": "acquire",
    "bought": "acquired",
    "show": "display",
    "showed": "displayed",
    "also": "additionally",
    "however": "yet",
    "near": "close to",
    "home": "house",
    "car": "vehicle",
    "found": "discovered",
    "arrested": "detained",
    "injured": "hurt",
    "attack": "assault",
    "company": "firm",
    "deal": "agreement",
    "film": "movie",
    "game": "match",
    "win": "victory",
    "won": "claimed",
    "leader": "chief",
    "president": "head of state",
    "city": "town",
    "area": "region",
    "made": "produced",
    "make": "produce",
    "number": "count",
    "used": "employed",
    "use": "employ",
    "during": "throughout",
    "earlier": "previously",
    "later": "subsequently",
    "told reporters": "said to journalists",
    "according to": "as stated by",
    "on monday": "monday",
    "on tuesday": "tuesday",
    "on wednesday": "wednesday",
    "on thursday": "thursday",
    "on friday": "friday",
    "on saturday": "saturday",
    "on sunday": "sunday",
}
_SYN = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_LEAD_CLAUSE = re.compile(
    r"^(?P<lead>(?:After|When|While|On|In|As|Before|Following) [^,]{3,60}), (?P<rest>.+)$"
)
_SAID = re.compile(r"^(?P<body>.{20,}?),? (?P<who>[A-Z][\w .'-]{1,40}) said\.$")

READ_MORE = [
    "Read more: Our full coverage of the week's top stories",
    "READ MORE: Five things to know before you travel this weekend",
    "Advertisement",
    "Sign up for our morning newsletter to get the day's news in your inbox.",
]
FOOTER = (
    "\n\nYou are reading the free edition of The Daily Lantern newsletter. "
    "Subscribe to get unlimited access to our reporting, podcasts and weekly analysis. "
    "Copyright 2024 Lantern Media Group. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed without permission."
)


def sentences(text: str) -> list[str]:
    return [s for s in text.split("\n") if s.strip()]


def swap_synonyms(sentence: str, rng: random.Random, rate: float) -> str:
    def repl(m: re.Match[str]) -> str:
        if rng.random() > rate:
            return m.group(0)
        new = SYNONYMS[m.group(0).lower()]
        return new.capitalize() if m.group(0)[0].isupper() else new

    return _SYN.sub(repl, sentence)


def reorder_clauses(sentence: str) -> str:
    """ "After the storm, crews cleared roads." -> "Crews cleared roads after the storm."; "X,
    Y said." -> "Y said X." """
    m = _LEAD_CLAUSE.match(sentence)
    if m and m.group("rest").endswith("."):
        lead = m.group("lead")
        rest = m.group("rest")[:-1]
        return rest[0].upper() + rest[1:] + " " + lead[0].lower() + lead[1:] + "."
    m = _SAID.match(sentence)
    if m:
        body = m.group("body").rstrip(",")
        return f"{m.group('who')} said {body[0].lower() + body[1:]}."
    return sentence


def paraphrase(text: str, rng: random.Random) -> str:
    out = []
    lines = sentences(text)
    for i, s in enumerate(lines):
        if i > 0 and len(lines) > 4 and rng.random() < 0.2:
            continue  # sentence dropped
        s = reorder_clauses(s)
        out.append(swap_synonyms(s, rng, 0.8))
    return "\n".join(out)


def dense_edits(text: str, rng: random.Random) -> str:
    """About one word in six changed: dropped, or replaced by a synonym or a filler word."""
    out = []
    for w in text.split(" "):
        r = rng.random()
        if r < 0.07 and "\n" not in w:
            continue
        if r < 0.17:
            key = w.lower().strip(".,")
            out.append(
                SYNONYMS.get(key, rng.choice(["also", "now", "then", "reportedly"]) + " " + w)
            )
        else:
            out.append(w)
    return " ".join(out)


def truncate(text: str, rng: random.Random) -> str:
    lines = sentences(text)
    keep = max(2, round(len(lines) * rng.uniform(0.35, 0.7)))
    return "\n".join(lines[:keep])


def reheadline(text: str, rng: random.Random) -> str:
    lines = sentences(text)
    first = lines[0].rstrip(".").split()
    head = " ".join(w.capitalize() for w in first[: rng.randint(5, 9)])
    label = rng.choice(["BREAKING:", "UPDATE:", "", "WATCH:"])
    body = lines[1:] if rng.random() < 0.5 and len(lines) > 3 else lines  # old headline dropped
    return f"{label} {head}".strip() + "\n" + "\n".join(body)


def add_boilerplate(text: str, rng: random.Random) -> str:
    lines = sentences(text)
    out: list[str] = []
    for i, s in enumerate(lines):
        out.append(s)
        if i and i % 4 == 0:
            out.append(rng.choice(READ_MORE))
    return "\n".join(out) + FOOTER


def everything(text: str, rng: random.Random) -> str:
    return add_boilerplate(reheadline(paraphrase(truncate(text, rng), rng), rng), rng)


TRANSFORMS: dict[str, Callable[[str, random.Random], str]] = {
    "verbatim": lambda t, r: t,
    "truncated": truncate,
    "re-headlined": reheadline,
    "boilerplate": add_boilerplate,
    "paraphrase": paraphrase,
    "dense edits": dense_edits,
    "all combined": everything,
}

# --------------------------------------------------------------------------- systems


@dataclass
class Pair:
    copy: str
    origin: str
    label: bool
    kind: str


def newsweave_detector(index_params: dict[str, int] | None = None) -> Callable[[Pair], bool]:
    params = index_params or {}

    def detect(p: Pair) -> bool:
        index = reuse.LSHIndex(**params)
        index.add("origin", p.origin)
        if not index.query(p.copy):
            return False
        return reuse.is_reuse(reuse.align(p.copy, p.origin))

    return detect


def eight_gram_detector(p: Pair) -> bool:
    a = Article(id="a", content_hash="a", text=p.copy)
    b = Article(id="b", content_hash="b", text=p.origin)
    return bool(provenance.reuse_edges([a, b]))


def datasketch_scores(pairs: Sequence[Pair]) -> list[float]:
    from datasketch import MinHash

    def mh(text: str) -> MinHash:
        words = reuse.tokenize(text).words
        m = MinHash(num_perm=128, seed=1)
        for i in range(max(1, len(words) - 2)):
            m.update(" ".join(words[i : i + 3]).encode("utf-8"))
        return m

    return [mh(p.copy).jaccard(mh(p.origin)) for p in pairs]


def prf(pred: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


COPY_RUN = 20


def longest_common_run(a: str, b: str) -> int:
    """Words in the longest run two texts share word for word."""
    from difflib import SequenceMatcher

    wa, wb = reuse.tokenize(a).words, reuse.tokenize(b).words
    m = SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    return m.size


def build_pairs(docs: list[EcbDoc], n: int, seed: int) -> tuple[list[Pair], list[Pair], list[Pair]]:
    rng = random.Random(seed)
    usable = [d for d in docs if len(sentences(d.text)) >= 4]
    positives: list[Pair] = []
    for kind, fn in TRANSFORMS.items():
        for d in rng.sample(usable, n):
            positives.append(Pair(fn(d.text, rng), d.text, True, kind))
    by_story: dict[str, list[EcbDoc]] = {}
    by_topic: dict[int, list[EcbDoc]] = {}
    for d in usable:
        by_story.setdefault(d.story, []).append(d)
        by_topic.setdefault(d.topic, []).append(d)
    same_story = [(a, b) for ds in by_story.values() for a, b in itertools.combinations(ds, 2)]
    rng.shuffle(same_story)
    hard: list[Pair] = []
    copies = 0
    for a, b in same_story:  # ECB+ holds real wire copies among a story's documents: not negatives
        if len(hard) == n:
            break
        if longest_common_run(a.text, b.text) >= COPY_RUN:
            copies += 1
            continue
        hard.append(Pair(a.text, b.text, False, "same story"))
    print(
        f"(skipped {copies} same-story pairs sharing a {COPY_RUN}+ word verbatim run: real copies)"
    )
    other = [
        (a, b)
        for ds in by_topic.values()
        for a, b in itertools.combinations(ds, 2)
        if a.story != b.story
    ]
    topic = [Pair(a.text, b.text, False, "same topic") for a, b in rng.sample(other, n)]
    return positives, hard, topic


def run_pairs(docs: list[EcbDoc], n: int, seed: int) -> None:
    positives, hard, topic = build_pairs(docs, n, seed)
    everything_ = positives + hard + topic
    t0 = time.perf_counter()
    ours = [newsweave_detector()(p) for p in everything_]
    t_ours = time.perf_counter() - t0
    aligned = [reuse.is_reuse(reuse.align(p.copy, p.origin)) for p in everything_]
    t0 = time.perf_counter()
    eight = [eight_gram_detector(p) for p in everything_]
    t_eight = time.perf_counter() - t0
    t0 = time.perf_counter()
    scores = datasketch_scores(everything_)
    t_base = time.perf_counter() - t0
    gold = [p.label for p in everything_]
    # the baseline's best threshold on this very set (pairs of every type and both negatives)
    best_t, best_f = 0.5, -1.0
    for t in np.arange(0.02, 0.95, 0.01):
        f = prf([s >= t for s in scores], gold)[2]
        if f > best_f:
            best_t, best_f = float(t), f
    systems: dict[str, list[bool]] = {
        "newsweave (LSH + alignment)": ours,
        "newsweave alignment alone (story stage)": aligned,
        "newsweave 8-gram rule (story stage before)": eight,
        "datasketch MinHash J>=0.5": [s >= 0.5 for s in scores],
        f"datasketch MinHash J>={best_t:.2f} (best on this set)": [s >= best_t for s in scores],
    }
    kinds = list(TRANSFORMS)
    print(
        f"\n### Pairs: {n} positives per transformation, {n} hard negatives (same story, no "
        f"{COPY_RUN}-word run in common)\n"
    )
    print(
        "| system | " + " | ".join(kinds) + " | all (P / R / F1) | FP same story | FP same topic |"
    )
    print("|---|" + "---|" * (len(kinds) + 3))
    n_pos = len(positives)
    for name, pred in systems.items():
        cells = []
        for kind in kinds:
            idx = [i for i, p in enumerate(positives) if p.kind == kind]
            sub_pred = [pred[i] for i in idx] + pred[n_pos : n_pos + len(hard)]
            sub_gold = [True] * len(idx) + [False] * len(hard)
            p_, r_, f_ = prf(sub_pred, sub_gold)
            cells.append(f"{p_:.2f} / {r_:.2f} / {f_:.2f}")
        p_, r_, f_ = prf(pred[: n_pos + len(hard)], gold[: n_pos + len(hard)])
        fp_hard = sum(pred[n_pos : n_pos + len(hard)])
        fp_topic = sum(pred[n_pos + len(hard) :])
        print(
            f"| {name} | " + " | ".join(cells) + f" | {p_:.2f} / {r_:.2f} / {f_:.2f} | "
            f"{fp_hard}/{len(hard)} | {fp_topic}/{len(topic)} |"
        )
    print(
        f"\nTime over {len(everything_)} pairs: newsweave {t_ours:.1f} s, 8-gram rule "
        f"{t_eight:.1f} s, datasketch {t_base:.1f} s."
    )
    missed = [p for p, o in zip(everything_, ours, strict=True) if p.label and not o]
    false = [p for p, o in zip(everything_, ours, strict=True) if o and not p.label]
    print(f"newsweave misses: {len(missed)}; false alarms: {len(false)}")
    for p in false[:3]:
        al = reuse.align(p.copy, p.origin)
        print(f"  false alarm ({p.kind}): coverage {al.copy_coverage}: {al.passages[0].text!r}")


# --------------------------------------------------------------------------- LSH scale


def perturb(text: str, rng: random.Random) -> str:
    """A light, random variant of a text, so synthetic documents are not exact copies."""
    words = text.split()
    out = []
    for w in words:
        r = rng.random()
        if r < 0.08:
            continue
        if r < 0.16:
            out.append(rng.choice(words))
        else:
            out.append(w)
    return " ".join(out)


def run_lsh(docs: list[EcbDoc], sizes: list[int], seed: int) -> None:
    rng = random.Random(seed)
    texts = [d.text for d in docs]
    print("\n### LSH index (newsweave.reuse.LSHIndex, defaults)\n")
    print(
        "Candidate recall: 300 ECB+ originals indexed, each queried with 4 variants "
        "perturbed 1-4 times.\n"
    )
    # candidate recall against exact Jaccard, on pairs of an original and perturbed variants
    index = reuse.LSHIndex()
    k = index.shingle
    base = [t for t in texts if len(t.split()) >= 60]
    rows: list[tuple[float, bool]] = []
    index_pairs = reuse.LSHIndex()
    for i, t in enumerate(rng.sample(base, 300)):
        index_pairs.add(f"o{i}", t)
        words = reuse.tokenize(t).words
        sh = set(reuse.shingle_hashes(words, k).tolist())
        for j in range(4):
            v = t
            for _ in range(j + 1):
                v = perturb(v, rng)  # one to four rounds: Jaccard from about 0.5 down to 0.1
            found = f"o{i}" in index_pairs.query(v)
            vs = set(reuse.shingle_hashes(reuse.tokenize(v).words, k).tolist())
            rows.append((reuse.jaccard(sh, vs), found))
    print("| exact Jaccard (3-word shingles) | pairs | candidate recall | expected 1-(1-J^2)^64 |")
    print("|---|---:|---:|---:|")
    for lo, hi in ((0.0, 0.1), (0.1, 0.2), (0.2, 0.3), (0.3, 0.5), (0.5, 1.01)):
        sel = [(j, f) for j, f in rows if lo <= j < hi]
        if sel:
            found = np.mean([f for _, f in sel])
            theory = np.mean([1 - (1 - j**index.rows) ** index.bands for j, _ in sel])
            print(f"| {lo:.1f}-{min(hi, 1.0):.1f} | {len(sel)} | {found:.3f} | {theory:.3f} |")
    # throughput and latency as the index grows
    print(
        "\n| documents indexed | index docs/s | query p50 / p99 (ms) | query with signature "
        "p50 (ms) | candidates per query (mean) | index memory (MB, RSS growth) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        rss0 = _rss_mb()
        idx = reuse.LSHIndex(keep_signatures=False)
        spent = 0.0
        for start in range(0, size, 1000):
            batch = [
                texts[n] if n < len(texts) else perturb(texts[n % len(texts)], rng)
                for n in range(start, min(size, start + 1000))
            ]
            t0 = time.perf_counter()
            for n, text in enumerate(batch, start):
                idx.add(f"d{n}", text)
            spent += time.perf_counter() - t0
        mem = _rss_mb() - rss0
        queries = [perturb(rng.choice(texts), rng) for _ in range(300)]
        full, lookup, cands = [], [], []
        for q in queries:
            t0 = time.perf_counter()
            sig = idx.signature(q)
            t1 = time.perf_counter()
            c = idx.query(signature=sig)
            t2 = time.perf_counter()
            full.append((t2 - t0) * 1000)
            lookup.append((t2 - t1) * 1000)
            cands.append(len(c))
        print(
            f"| {size:,} | {size / spent:,.0f} | {np.percentile(full, 50):.2f} / "
            f"{np.percentile(full, 99):.2f} | {np.percentile(lookup, 50):.3f} | "
            f"{np.mean(cands):.0f} | {mem:.0f} |"
        )
        del idx
    print(
        "\n(index docs/s: tokenising, shingling, MinHash and bucketing; a query: signature and "
        "bucket lookup. Documents beyond the "
        f"{len(texts)} ECB+ texts are perturbed copies of them, so each query has about "
        f"size/{len(texts)} true near-duplicates in the index. Machine shared with other jobs.)"
    )


def _rss_mb() -> float:
    import gc

    gc.collect()
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 1e6


# --------------------------------------------------------------------------- story stage


def run_story(docs: list[EcbDoc], seed: int) -> None:
    """provenance.reuse_edges on one big "story": every ECB+ document plus a transformed copy of
    a third of them, candidates from all pairs sharing a shingle vs. from LSH buckets."""
    rng = random.Random(seed)
    arts = [Article(id=f"e{n}", content_hash=str(n), text=d.text) for n, d in enumerate(docs)]
    kinds = list(TRANSFORMS)
    for n, d in enumerate(rng.sample(docs, len(docs) // 3)):
        text = TRANSFORMS[kinds[n % len(kinds)]](d.text, rng)
        arts.append(Article(id=f"x{n}", content_hash=f"x{n}", text=text))
    t0 = time.perf_counter()
    exact = provenance.reuse_edges(arts, exact_max=len(arts))
    t_exact = time.perf_counter() - t0
    t0 = time.perf_counter()
    lsh = provenance.reuse_edges(arts, exact_max=0)
    t_lsh = time.perf_counter() - t0
    pe = {(e.copy, e.origin) for e in exact}
    pl = {(e.copy, e.origin) for e in lsh}
    print(f"\n### Story stage: reuse edges in one story of {len(arts)} articles\n")
    print("| candidates | edges | edges also found by all pairs | time (s) |")
    print("|---|---:|---:|---:|")
    print(f"| all pairs sharing an 8-gram | {len(pe)} | {len(pe)} | {t_exact:.1f} |")
    print(f"| LSH buckets | {len(pl)} | {len(pl & pe)} | {t_lsh:.1f} |")
    print(f"\nLSH recall of the all-pairs edges: {len(pl & pe) / max(1, len(pe)):.3f}")


# --------------------------------------------------------------------------- seeds


def run_seeds() -> None:
    if not SEEDS.is_dir():
        print(f"skipped seeds: {SEEDS} is absent")
        return
    paths = sorted(SEEDS.glob("*.txt"))
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in paths}
    print("\n### Seeds: text reuse between each pair (newsweave.reuse.align)\n")
    print(
        "| copy | origin | LSH candidate | est. Jaccard | copy coverage | longest passage "
        "(words) | reuse |"
    )
    print("|---|---|---|---:|---:|---:|---|")
    index = reuse.LSHIndex()
    cands = reuse.candidate_pairs(texts, index)
    for a, b in itertools.permutations(sorted(texts), 2):
        al = reuse.align(texts[a], texts[b])
        longest = max((p.words for p in al.passages), default=0)
        key = (a, b) if a < b else (b, a)
        print(
            f"| {a} | {b} | {'yes' if key in cands else 'no'} | {index.estimate(a, b):.2f} | "
            f"{al.copy_coverage:.2f} | {longest} | {'yes' if reuse.is_reuse(al) else 'no'} |"
        )
    import newsweave

    with tempfile.TemporaryDirectory() as tmp:
        report = newsweave.analyze([str(SEEDS)], db=Path(tmp) / "s.db", out=Path(tmp) / "out")
    names = {a["id"]: Path(a["path"]).name[:3] for a in report["articles"]}
    print("\n### Seeds: provenance recorded by the story stage\n")
    print("| article | origin | evidence | coverage | detail |")
    print("|---|---|---|---:|---|")
    for p in report["provenance"]:
        origin = names.get(p["origin"], p["origin"])
        cov = p.get("coverage")
        detail = p["detail"] if len(p["detail"]) < 90 else p["detail"][:87] + "..."
        print(
            f"| {names[p['article']]} | {origin} | {p['evidence']} | "
            f"{'' if cov is None else f'{cov:.2f}'} | {detail} |"
        )
    origins = [(f["origins"], f["reports"]) for f in report["facts"] if f["reports"] >= 2]
    print(
        f"\nFacts stated by 2+ seeds: {len(origins)}; their (origins, reports): "
        f"{sorted(set(origins))}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=["all", "pairs", "lsh", "story", "seeds"], default="all")
    ap.add_argument("--n", type=int, default=200, help="positives per transformation")
    ap.add_argument("--sizes", default="10000,100000", help="index sizes for the LSH part")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    if args.part in ("all", "pairs", "lsh", "story"):
        try:
            docs = load_ecbplus()
        except EcbplusMissing as exc:
            print(f"skipped: {exc}", file=sys.stderr)
            return 0
        if args.part in ("all", "pairs"):
            run_pairs(docs, args.n, args.seed)
        if args.part in ("all", "lsh"):
            run_lsh(docs, [int(s) for s in args.sizes.split(",")], args.seed)
        if args.part in ("all", "story"):
            run_story(docs, args.seed)
    if args.part in ("all", "seeds"):
        run_seeds()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
