"""Cross-document entity coreference on ECB+, and what relation extraction costs.

Scores the entity merging of the story stage
(``newsweave.story.entities.resolve``) with MUC, B-cubed,
CEAF-e and the CoNLL F1 (``bench/corefmetrics.py``), per the usual ECB+ setup (Cybulska and
Vossen 2015; Barhom et al. 2019): entity mentions are the HUMAN, NON_HUMAN, LOC and TIME
markables, only the manually validated sentences (``ECBplus_coreference_sentences.csv``) are
scored, singletons are kept, chains are the cross-document instances (``CROSS_DOC_COREF``) and
within-document chains (``INTRA_DOC_COREF``). Every topic (both sub-topics) is one story.

Systems, in one run:

* ``newsweave (own mentions)``: the document stage's named-entity mentions, merged by
  ``entities.resolve``; a system mention matches a gold one only with the same tokens, so gold
  mentions it does not find (common nouns, pronouns) count against recall;
* ``newsweave merging (gold mentions)``: the gold mentions, labelled with the NER label of the
  document stage's mention of the same span (else by their gold class), merged by
  ``entities.resolve``;
* ``same head lemma (gold mentions)``: the lemma baseline of the ECB+ literature, every gold
  mention of a topic with the same head lemma in one cluster;
* ``singletons (gold mentions)``: every mention alone.

Nothing here is tuned: the rules are those of the story stage. ``--split`` picks train, dev or
test topics (default test, 36-45).

``--cost DIR|ecb`` measures the relations step instead: parse time and relations per article
(the story stage's parser run over the claims that can carry a relation).

    .venv/bin/python bench/coref.py                    # ECB+ test topics
    .venv/bin/python bench/coref.py --split dev
    .venv/bin/python bench/coref.py --cost ../shared/seeds
    .venv/bin/python bench/coref.py --cost ecb
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import logging
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corefmetrics import CorefScores, evaluate
from ecbplus import DEFAULT_ROOT, DEV_TOPICS, TEST_TOPICS, TRAIN_TOPICS, detokenize
from newsweave.document import nlp
from newsweave.model import Article, ArticleAnalysis, Mention
from newsweave.story import entities

log = logging.getLogger("bench.coref")
SENTENCES_CSV = DEFAULT_ROOT.parent / "ECBplus_coreference_sentences.csv"
ENTITY_CLASSES = ("HUMAN", "NON_HUMAN", "LOC", "TIME")
LABEL_OF_CLASS = {"HUM": "PERSON", "NON": "ORG", "LOC": "GPE", "TIM": "DATE"}

MentionKey = tuple[str, frozenset[str]]  # (document, token ids)


@dataclass
class GoldMention:
    doc: str
    tokens: frozenset[str]
    sentence: int
    klass: str  # HUM | NON | LOC | TIM
    chain: str
    start: int = -1  # character offsets in the document text, when aligned
    end: int = -1


@dataclass
class Doc:
    name: str  # "36_1ecb"
    topic: int
    text: str
    offsets: dict[str, tuple[int, int]]  # token id -> (start, end) in text
    sentence_of: dict[str, int]  # token id -> XML sentence number
    mentions: list[GoldMention] = field(default_factory=list)


def _klass(tag: str) -> str | None:
    if tag.startswith("ACTION") or tag.startswith("NEG"):
        return None
    if tag.startswith("NON_HUMAN"):
        return "NON"
    if tag.startswith("HUMAN"):
        return "HUM"
    if tag.startswith("LOC"):
        return "LOC"
    if tag.startswith("TIME"):
        return "TIM"
    return None


def selected_sentences(path: Path = SENTENCES_CSV) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    with path.open(encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for topic, file, sentence in reader:
            out[f"{topic}_{file}"].add(int(sentence))
    return out


def read_doc(path: Path) -> Doc:
    """Tokens, text (one detokenised line per sentence; the URL line of ecbplus files dropped)
    with each token's offsets, and the gold entity mentions with their chains."""
    root = ET.parse(path).getroot()
    name = path.stem
    by_sentence: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for el in root.iter("token"):
        by_sentence[int(el.get("sentence", "0"))].append(
            (int(el.get("number", "0")), el.get("t_id", ""), el.text or "")
        )
    lines: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    sentence_of: dict[str, int] = {}
    pos = 0
    quotes = [False, False]
    for sent in sorted(by_sentence):
        toks = sorted(by_sentence[sent])
        for _, tid, _ in toks:
            sentence_of[tid] = sent
        if name.endswith("ecbplus") and sent == 0:
            continue
        line = detokenize([t for _, _, t in toks], False, quotes)
        cursor = 0
        for _, tid, text in toks:
            at = line.find(text, cursor) if text else -1
            if at >= 0:
                offsets[tid] = (pos + at, pos + at + len(text))
                cursor = at + len(text)
        lines.append(line)
        pos += len(line) + 1
    doc = Doc(name, int(name.split("_")[0]), "\n".join(lines), offsets, sentence_of)

    anchors: dict[str, list[str]] = {}
    tags: dict[str, str] = {}
    for el in root.find("Markables") or []:
        if el.get("TAG_DESCRIPTOR") is not None:
            continue  # an instance, not a mention
        mid = el.get("m_id", "")
        anchors[mid] = [a.get("t_id", "") for a in el.findall("token_anchor")]
        tags[mid] = el.tag
    chain: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in relations.findall("CROSS_DOC_COREF") if relations is not None else []:
        for src in rel.findall("source"):
            chain[src.get("m_id", "")] = rel.get("note", "")
    for rel in relations.findall("INTRA_DOC_COREF") if relations is not None else []:
        for src in rel.findall("source"):
            chain.setdefault(src.get("m_id", ""), f"INTRA_{rel.get('r_id')}_{name}")
    for mid, tids in anchors.items():
        klass = _klass(tags[mid])
        if klass is None or not tids:
            continue
        spans = [doc.offsets[t] for t in tids if t in doc.offsets]
        m = GoldMention(
            doc=name,
            tokens=frozenset(tids),
            sentence=doc.sentence_of[tids[0]],
            klass=klass,
            chain=chain.get(mid, f"SINGLETON_{name}_{mid}"),
        )
        if spans:
            m.start, m.end = min(s for s, _ in spans), max(e for _, e in spans)
        doc.mentions.append(m)
    return doc


def load(topics: Sequence[int], root: Path = DEFAULT_ROOT) -> list[Doc]:
    paths = sorted(p for t in topics for p in (root / str(t)).glob("*.xml"))
    return [read_doc(p) for p in paths]


def _article(doc: Doc) -> Article:
    digest = hashlib.sha256(doc.text.encode()).hexdigest()
    return Article(id=doc.name, content_hash=digest, text=doc.text, language="en")


def _tokens_in(doc: Doc, start: int, end: int) -> frozenset[str]:
    return frozenset(t for t, (s, e) in doc.offsets.items() if s < end and start < e)


@dataclass
class TopicRun:
    key: list[set[MentionKey]]
    own: list[set[MentionKey]]
    own_lenient: list[set[MentionKey]]
    gold_merge: list[set[MentionKey]]
    lemma: list[set[MentionKey]]
    own_mentions: int
    own_matched: int


def run_topic(
    docs: list[Doc],
    analyses: list[ArticleAnalysis],
    selected: dict[str, set[int]],
    lemma_of: dict[str, str],
) -> TopicRun:
    articles = [_article(d) for d in docs]
    scored = [m for d in docs for m in d.mentions if m.sentence in selected.get(d.name, set())]
    chains: dict[str, set[MentionKey]] = defaultdict(set)
    for m in scored:
        chains[m.chain].add((m.doc, m.tokens))
    key = list(chains.values())
    gold_keys = {(m.doc, m.tokens) for m in scored}

    # newsweave on its own mentions
    index = entities.resolve("t", articles, analyses)
    by_doc = {d.name: d for d in docs}
    own: dict[str, set[MentionKey]] = defaultdict(set)
    n_own = 0
    for an in analyses:
        doc = by_doc[an.article]
        for m in an.mentions:
            eid = index.entity_of(an.article, m.start)
            toks = _tokens_in(doc, m.start, m.end)
            if eid is None or not toks:
                continue
            sent = doc.sentence_of[min(toks, key=lambda t: doc.offsets[t][0])]
            if sent not in selected.get(doc.name, set()):
                continue
            n_own += 1
            own[eid].add((doc.name, toks))
    matched = sum(1 for c in own.values() for k in c if k in gold_keys)
    # lenient: a system mention stands for the gold mention of its document it overlaps most
    # ("the FBI" for gold "FBI"), each gold mention taken once
    gold_by_doc: dict[str, list[frozenset[str]]] = defaultdict(list)
    for m in scored:
        gold_by_doc[m.doc].append(m.tokens)
    taken: set[MentionKey] = set()
    lenient: dict[str, set[MentionKey]] = defaultdict(set)
    for eid, members in sorted(own.items()):
        for doc_name, toks in sorted(members, key=lambda k: (k[0], sorted(k[1]))):
            best = max(gold_by_doc[doc_name], key=lambda g: len(g & toks), default=None)
            mk = (doc_name, best) if best is not None and best & toks else (doc_name, toks)
            if mk in taken:
                mk = (doc_name, toks)
            taken.add(mk)
            lenient[eid].add(mk)

    # newsweave merging over the gold mentions
    ner_label = {(an.article, m.start, m.end): m.label for an in analyses for m in an.mentions}
    gold_analyses = []
    for d in docs:
        ms = []
        for m in d.mentions:
            if m.sentence not in selected.get(d.name, set()) or m.start < 0:
                continue
            label = ner_label.get((d.name, m.start, m.end), LABEL_OF_CLASS[m.klass])
            ms.append(Mention(m.start, m.end, d.text[m.start : m.end], label, m.sentence))
        gold_analyses.append(ArticleAnalysis(article=d.name, version="gold", mentions=ms))
    gindex = entities.resolve("t", articles, gold_analyses)
    merged: dict[str, set[MentionKey]] = defaultdict(set)
    by_span = {(m.doc, m.start): m for m in scored if m.start >= 0}
    for (aid, start), eid in gindex.by_mention.items():
        gm = by_span.get((aid, start))
        if gm is not None:
            merged[eid].add((gm.doc, gm.tokens))
    for m in scored:  # mentions resolve() dropped (defined terms, no letters) stay alone
        if not any((m.doc, m.tokens) in c for c in merged.values()):
            merged[f"alone-{m.doc}-{sorted(m.tokens)}"].add((m.doc, m.tokens))

    # same head lemma
    lemma: dict[str, set[MentionKey]] = defaultdict(set)
    for m in scored:
        text = by_doc[m.doc].text[m.start : m.end] if m.start >= 0 else ""
        lemma[lemma_of.get(text, text.lower())].add((m.doc, m.tokens))
    return TopicRun(
        key,
        list(own.values()),
        list(lenient.values()),
        list(merged.values()),
        list(lemma.values()),
        n_own,
        matched,
    )


def head_lemmas(texts: set[str]) -> dict[str, str]:
    """The lemma of each mention text's syntactic head (the root of its parse), lower case."""
    from newsweave.story.relations import RelationParser

    parser = RelationParser()
    docs = parser.parse(sorted(texts))
    out = {}
    for text, doc in docs.items():
        roots = [t for t in doc if t.head.i == t.i]
        head = roots[-1] if roots else (doc[-1] if len(doc) else None)
        out[text] = (head.lemma_ if head is not None else text).lower()
    return out


def _fmt(s: CorefScores) -> str:
    cells = []
    for part in (s.muc, s.b_cubed, s.ceaf_e):
        cells.append(f"{100 * part.recall:.1f} / {100 * part.precision:.1f} / {100 * part.f1:.1f}")
    return " | ".join(cells) + f" | **{100 * s.conll:.1f}**"


def coref(split: str) -> int:
    topics = {"train": TRAIN_TOPICS, "dev": DEV_TOPICS, "test": TEST_TOPICS}[split]
    docs = load(topics)
    selected = selected_sentences()
    analyzer = nlp.DocumentAnalyzer()
    t0 = time.perf_counter()
    analyses = list(analyzer.analyze_many(_article(d) for d in docs))
    log.info("document stage: %d docs in %.1fs", len(docs), time.perf_counter() - t0)
    texts = {
        d.text[m.start : m.end]
        for d in docs
        for m in d.mentions
        if m.start >= 0 and m.sentence in selected.get(d.name, set())
    }
    lemma_of = head_lemmas(texts)
    by_topic: dict[int, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        by_topic[d.topic].append(i)
    key: list[set[MentionKey]] = []
    systems: dict[str, list[set[MentionKey]]] = defaultdict(list)
    n_own = matched = 0
    for _, idx in sorted(by_topic.items()):
        run = run_topic([docs[i] for i in idx], [analyses[i] for i in idx], selected, lemma_of)
        key += run.key
        systems["newsweave (own mentions, exact match)"] += run.own
        systems["newsweave (own mentions, overlap match)"] += run.own_lenient
        systems["newsweave merging (gold mentions)"] += run.gold_merge
        systems["same head lemma (gold mentions)"] += run.lemma
        systems["singletons (gold mentions)"] += [{k} for c in run.key for k in c]
        n_own += run.own_mentions
        matched += run.own_matched
    n_gold = sum(len(c) for c in key)
    print(
        f"ECB+ {split} topics {topics[0]}-{topics[-1]}: {len(docs)} documents, "
        f"{n_gold} gold entity mentions in {len(key)} chains (validated sentences)"
    )
    print(
        f"own mentions: {n_own}, of which {matched} match a gold mention exactly "
        f"(mention P {matched / max(1, n_own):.3f}, R {matched / max(1, n_gold):.3f})"
    )
    print()
    print("| system | MUC R / P / F1 | B³ R / P / F1 | CEAF-e R / P / F1 | CoNLL F1 |")
    print("|---|---|---|---|---:|")
    for name, response in systems.items():
        print(f"| {name} | {_fmt(evaluate(key, response))} |")
    return 0


def cost(target: str) -> int:
    """Seconds and relations per article of the relations step, over a folder of reports (one
    story) or the ECB+ test topics (one story per topic)."""
    from newsweave.ingest import clean_document, read_paths
    from newsweave.model import Document
    from newsweave.story import facts, relations

    stories: list[list[Article]] = []
    if target == "ecb":
        docs = load(TEST_TOPICS)
        by_topic: dict[int, list[Article]] = defaultdict(list)
        for d in docs:
            by_topic[d.topic].append(_article(d))
        stories = list(by_topic.values())
    else:
        items = [x for x in read_paths([target]) if isinstance(x, Document)]
        stories = [[clean_document(x) for x in items]]
    analyzer = nlp.DocumentAnalyzer()
    parser = relations.RelationParser()
    parser.parse(["Warm up the parser."])
    n_articles = n_relations = n_claims = n_parsed = 0
    spent = 0.0
    doc_stage = 0.0
    for arts in stories:
        t0 = time.perf_counter()
        analyses = list(analyzer.analyze_many(arts))
        doc_stage += time.perf_counter() - t0
        index = entities.resolve("s", arts, analyses)
        claims = facts.collect_claims(arts, analyses, index)
        counter = _CountingParser(parser)
        t0 = time.perf_counter()
        rels = relations.build("s", arts, analyses, index, claims, [], {}, counter)
        spent += time.perf_counter() - t0
        n_articles += len(arts)
        n_relations += len(rels)
        n_claims += len(claims)
        n_parsed += counter.parsed
    print(
        f"{target}: {n_articles} articles, {n_claims} claims, {n_parsed} distinct claims "
        f"parsed, {n_relations} relations"
    )
    print(
        f"relations step: {spent:.2f}s = {1000 * spent / max(1, n_articles):.1f} ms/article "
        f"(document stage for comparison: {1000 * doc_stage / max(1, n_articles):.1f} "
        f"ms/article)"
    )
    return 0


class _CountingParser:
    """The relation parser, counting the texts it parses."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.parsed = 0

    def parse(self, texts: Sequence[str], batch_size: int = 64) -> dict:
        self.parsed += len(set(texts))
        return self.inner.parse(texts, batch_size)  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--split", choices=["train", "dev", "test"], default="test")
    ap.add_argument("--cost", help="measure the relations step on a folder of reports, or 'ecb'")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if not DEFAULT_ROOT.is_dir():
        print(f"skipped: ECB+ not found at {DEFAULT_ROOT}")
        return 0
    if args.cost:
        return cost(args.cost)
    return coref(args.split)


if __name__ == "__main__":
    raise SystemExit(main())
