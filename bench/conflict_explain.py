"""Why a gold conflict was (not) found: the claims that give each side's value, and the gates.

For a gold conflict of ``bench/gold/ecbplus/<topic>.json`` and a store a ``real_gold.py --keep``
run left, rebuilds the story stage's steps up to the facts (this checkout's code, the stored
analyses) for the story that holds the conflict's reports and prints, for each side, the claims
of its reports that write its value: the group of similar claims (``slot``) and fact each claim
is in, the values each claim fills (kind, family, value), and for each pair of claims of two
sides, the claims' score (``find_across`` compares pairs at or above CLAIM_SIMILARITY) and the
similarity of the masked phrases around their values (SLOT_SIMILARITY). A reading aid, not a
score::

    .venv/bin/python bench/conflict_explain.py /tmp/train 26 "people arrested"

(the third argument picks the topic's gold conflicts whose ``about`` contains it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from newsweave.document import nlp
from newsweave.embed import get_embedder
from newsweave.store import Store
from newsweave.story import account as acc
from newsweave.story import conflicts as cf

GOLD = Path(__file__).resolve().parent / "gold" / "ecbplus"


def _words(s: str) -> list[str]:
    return [w for w in s.replace("/", " ").split() if len(w) > 1]


def main() -> None:
    kept, topic, about = Path(sys.argv[1]), sys.argv[2], sys.argv[3].lower()
    gold = json.loads((GOLD / f"{topic}.json").read_text(encoding="utf-8"))
    store = Store.open(str(kept / "bench.db"))
    doc_of = {a.id: Path(a.path or a.id).stem for a in store.iter_articles()}
    story_of = {doc_of[a]: s for s in store.stories() for a in s.articles if a in doc_of}
    embedder = get_embedder()
    for g in gold["conflicts"]:
        if about not in g["about"].lower():
            continue
        print(f"\n=== {g['story']}: {g['about']}")
        stories = {
            story_of[d].id: story_of[d] for s in g["sides"] for d in s["docs"] if d in story_of
        }
        for story in stories.values():
            articles = list(store.iter_articles(story.articles))
            analyses = [store.get_analysis(a.id, nlp.VERSION) for a in articles]
            ctx = acc.StoryContext(story, articles, analyses, embedder)  # type: ignore[arg-type]
            for name, step in acc.STEPS:
                if name in ("entities", "dates", "facts"):
                    step(ctx)
            groups = ctx.fact_groups
            fills = cf._fills(groups, ctx.dates)
            slot_of = {i: k for k, m in enumerate(groups.slots) for i in m}
            fact_of = {i: f.id for f in groups.facts for i in groups.members[f.id]}
            art_doc = {a.id: doc_of[a.id] for a in articles}
            print(f"-- story {story.id} ({len(articles)} reports, {len(groups.claims)} claims)")
            picked: list[tuple[int, int]] = []
            for k, side in enumerate(g["sides"]):
                print(f" side {k}: {side['value']!r} {side['docs']}")
                keys = _words(side["value"])
                for i, c in enumerate(groups.claims):
                    if art_doc.get(c.article) not in side["docs"]:
                        continue
                    if not any(w.lower() in c.text.lower() for w in keys):
                        continue
                    picked.append((k, i))
                    fl = [(f.kind, f.family, f.value, f.text) for f in fills[i]]
                    doc = ctx.parser.parse([c.text]).get(c.text) if ctx.parser else None
                    for f in fills[i]:
                        if f.kind == "date" and doc is not None:
                            span = doc.char_span(
                                f.start - c.start, f.end - c.start, alignment_mode="expand"
                            )
                            root = span.root if span is not None and len(span) else None
                            how = (
                                f"{root.dep_}<-{root.head.text}/{root.head.dep_}<-{root.head.head.text}"
                                if root is not None
                                else "?"
                            )
                            ev = cf._dated_event(doc, f.start - c.start, f.end - c.start)
                            print(f"       date {f.text!r}: event={ev} ({how})")
                    print(
                        f"   [{i}] {art_doc[c.article]} slot={slot_of.get(i)} "
                        f"fact={fact_of.get(i)} fills={fl}\n       {c.text[:220]!r}"
                    )
            for a, i in picked:
                for b, j in picked:
                    if a >= b or groups.claims[i].article == groups.claims[j].article:
                        continue
                    s = float(groups.scores[i, j])
                    sims = []
                    for x in fills[i]:
                        for y in fills[j]:
                            if x.kind != y.kind:
                                continue
                            ci, cj = groups.claims[i], groups.claims[j]
                            px = cf.slot_phrase(ci.text, x.start, x.end, ci.start)
                            py = cf.slot_phrase(cj.text, y.start, y.end, cj.start)
                            v = embedder.embed([px, py])
                            sims.append(
                                f"{x.family}/{y.family} {x.value}~{y.value} "
                                f"{float(np.dot(v[0], v[1])):.2f} same={x.same(y)}"
                            )
                    print(f"   pair [{i}]x[{j}] score={s:.2f} {'; '.join(sims)}")


if __name__ == "__main__":
    main()
