"""Story B-cubed F1 of the product path in several arrival orders, replayed from a kept store.

``bench/real_gold.py --keep DIR`` leaves the store ``newsweave analyze`` made (``DIR/bench.db``).
This script reads its articles with the features the product's story stage reads (body,
headline, entities of the document stage, publication date: ``Pipeline._term_counts``) and
runs ``stories.assign_all`` over them in name order (what ``newsweave analyze FOLDER`` does:
the same result as the store's own stories) and in ``random.Random(seed)`` shuffles of that
order (what ``newsweave analyze`` does with the files given in that order), so the arrival
order's effect is measured without running the document stage again. Beside it, the TF-IDF
baseline of ``bench/stories.py`` (raw ECB+ text, average linkage, threshold tuned on dev).

Usage, from the repo root (after ``bench/real_gold.py --keep /tmp/x_dev``)::

    .venv/bin/python bench/story_orders.py /tmp/x_dev                  # name order + seeds 1-3
    .venv/bin/python bench/story_orders.py /tmp/x_dev /tmp/x_train --seeds 1,2,3,4,5
    .venv/bin/python bench/story_orders.py /tmp/x_dev --set split_relative=0.75   # a variant
    .venv/bin/python bench/story_orders.py /tmp/x_trainall --make train  # every train topic
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from corefmetrics import bcubed_labels  # noqa: E402
from ecbplus import DEV_TOPICS, load_ecbplus  # noqa: E402
from newsweave import stories  # noqa: E402
from newsweave.stories import StoryInput  # noqa: E402
from newsweave.story.entities import normalise  # noqa: E402


def store_items(folder: Path) -> tuple[list[StoryInput], dict[str, str]]:
    """The store's articles as the story stage reads them, sorted by file name, and article id
    -> document name."""
    from newsweave.document import nlp
    from newsweave.store import Store

    store = Store.open(folder / "bench.db")
    items: list[tuple[str, StoryInput]] = []
    doc_of: dict[str, str] = {}
    try:
        for article in store.iter_articles():
            analysis = store.get_analysis(article.id, nlp.VERSION)
            if analysis is None:
                continue
            ents = sorted({normalise(m.text) for m in analysis.mentions})
            name = Path(article.path or article.url or article.id).stem
            doc_of[article.id] = name
            item = StoryInput(article.id, article.text, ents, article.published, article.title)
            items.append((name, item))
    finally:
        store.close()
    items.sort(key=lambda x: x[0])
    return [i for _, i in items], doc_of


def score(
    groups: Sequence[Sequence[str]], doc_of: dict[str, str], gold: dict[str, str]
) -> tuple[float, float, float, float]:
    """B-cubed P, R, F1 over the documents the gold holds, and the share of one-report stories
    (over the stories holding any of them)."""
    clusters = [[doc_of[a] for a in g if doc_of[a] in gold] for g in groups]
    clusters = [c for c in clusters if c]
    p, r, f = bcubed_labels(clusters, {d: gold[d] for c in clusters for d in c})
    singles = sum(1 for c in clusters if len(c) == 1) / max(1, len(clusters))
    return p, r, f, singles


def tfidf_baseline(topics: Sequence[int]) -> tuple[float, float]:
    """The TF-IDF baseline of ``bench/stories.py`` on the raw text of ``topics``: its threshold
    (the best on dev) and F1."""
    from newsweave.stories import StoryInput as Item
    from stories import Split, baseline, best_baseline_threshold

    def split(name: str, tops: Sequence[int]) -> Split:
        docs = load_ecbplus(topics=tops)
        return Split(name, docs, [Item(d.id, d.text, []) for d in docs])

    dev = split("dev", DEV_TOPICS)
    threshold, _ = best_baseline_threshold(dev)
    here = dev if sorted(topics) == sorted(DEV_TOPICS) else split("here", topics)
    groups = baseline(here.items, threshold)
    return threshold, bcubed_labels(groups, here.gold_story)[2]


def parse_set(pairs: Sequence[str]) -> stories.IncrementalParams:
    types = {
        f.name: type(getattr(stories.INCREMENTAL, f.name)) for f in fields(stories.INCREMENTAL)
    }
    changes = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key not in types:
            raise SystemExit(f"no parameter {key!r}")
        changes[key] = types[key](value)
    return replace(stories.INCREMENTAL, **changes)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="+", type=Path, help="folders kept by real_gold.py --keep")
    ap.add_argument("--seeds", default="1,2,3", help="comma-separated shuffle seeds")
    ap.add_argument("--set", action="append", default=[], help="parameter=value (a variant)")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument(
        "--make",
        choices=["train", "dev", "test"],
        help="first run newsweave analyze over every document of this split (all its topics, "
        "not only those with gold) into the one folder given, in name order",
    )
    args = ap.parse_args(argv)
    if args.make:
        import real_gold

        if len(args.folders) != 1:
            raise SystemExit("--make takes one folder")
        docs = load_ecbplus(topics=real_gold.SPLITS[args.make])
        args.folders[0].mkdir(parents=True, exist_ok=True)
        if (args.folders[0] / "bench.db").exists():
            (args.folders[0] / "bench.db").unlink()
        real_gold.run_product(docs, args.folders[0], "name", 0)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    params = parse_set(args.set)
    head = ["name order", *(f"shuffled {s}" for s in seeds)]
    print("| store | reports | " + " | ".join(head) + " | mean | min | TF-IDF baseline |")
    print("|---|---:|" + "---:|" * (len(head) + 3))
    for folder in args.folders:
        items, doc_of = store_items(folder)
        topics = sorted({int(doc_of[i.id].split("_")[0]) for i in items})
        docs = load_ecbplus(topics=topics)
        gold = {Path(d.id).stem: d.story for d in docs}
        cells, f1s = [], []
        for seed in [None, *seeds]:
            order = list(items)
            if seed is not None:
                random.Random(seed).shuffle(order)
            _, _, f, singles = score(stories.assign_all(order, params), doc_of, gold)
            f1s.append(f)
            cells.append(f"{f:.3f} ({singles:.0%} single)")
        base = "-"
        if not args.no_baseline:
            threshold, bf = tfidf_baseline(topics)
            base = f"{bf:.3f} (t={threshold:.2f})"
        mean = sum(f1s) / len(f1s)
        print(
            f"| {folder} | {len(items)} | "
            + " | ".join(cells)
            + f" | {mean:.3f} | {min(f1s):.3f} | {base} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
