"""One parse: the document stage stores the dependency parse it makes, and the story stage
rebuilds each claim's parse from it instead of parsing the claim again."""

from __future__ import annotations

import pytest

from newsweave import syntax
from newsweave.document.nlp import DocumentAnalyzer, load_spacy
from newsweave.model import Article, ArticleAnalysis
from newsweave.story import relations as rel

pytestmark = pytest.mark.slow

TEXT = (
    "Valdez ordered Borlund Bank to build a robot plant in Moravia.\n"
    "Three climbers died and two were still missing after the avalanche, police said. "
    "The  council met on Monday; it voted to act.\n"
    "“We will not sign,” Tamsin Okafor told reporters."
)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_spacy()


@pytest.fixture(scope="module")
def analysis() -> ArticleAnalysis:
    article = Article(id="a1", content_hash="a1", text=TEXT, language="en")
    return DocumentAnalyzer().analyze(article)


def test_the_packed_parse_gives_back_every_token(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    parse = syntax.decode(syntax.encode(doc))
    assert parse is not None and len(parse) == len(doc)
    assert [TEXT[s:e] for s, e in zip(parse.start, parse.end, strict=True)] == [t.text for t in doc]
    assert parse.tags == [t.tag_ for t in doc]
    assert parse.deps == [t.dep_ for t in doc]
    assert parse.heads.tolist() == [t.head.i for t in doc]
    assert syntax.decode("") is None and syntax.decode("p0\t\t\t") is None


def test_the_parser_keeps_the_sentence_starts_and_entities_of_the_document_stage(nlp) -> None:  # type: ignore[no-untyped-def]
    without = load_spacy(parse=False)
    assert "parser" not in without.pipe_names
    names = nlp.pipe_names
    assert names.index("parser") > names.index("senter")
    a, b = nlp(TEXT), without(TEXT)
    assert [t.is_sent_start for t in a] == [t.is_sent_start for t in b]
    assert [(e.start, e.end, e.label_) for e in a.ents] == [
        (e.start, e.end, e.label_) for e in b.ents
    ]
    assert [t.tag_ for t in a] == [t.tag_ for t in b]
    # one tree per sentence
    assert all(t.head.sent.start == t.sent.start for t in a)


def test_a_claim_doc_is_the_sentence_as_parsed_in_its_article(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    parse = syntax.decode(syntax.encode(doc))
    assert parse is not None
    vocab = rel.RelationParser().vocab()
    for sent in doc.sents:
        words = [t for t in sent if not t.is_space]
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        claim = syntax.claim_doc(vocab, TEXT, parse, start, end)
        assert claim is not None
        assert claim.text == TEXT[start:end]
        base = words[0].i
        assert [(t.text, t.tag_, t.dep_, t.head.i) for t in claim] == [
            (t.text, t.tag_, t.dep_, t.head.i - base) for t in doc[base : base + len(claim)]
        ]


def test_a_clause_cut_from_its_sentence_keeps_its_own_roots(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    parse = syntax.decode(syntax.encode(doc))
    assert parse is not None
    start = TEXT.index("it voted")
    claim = syntax.claim_doc(rel.RelationParser().vocab(), TEXT, parse, start, start + 15)
    assert claim is not None and claim.text == "it voted to act"
    voted = claim[1]
    assert voted.dep_ == "ROOT" and voted.head.i == voted.i
    assert claim[0].head.i == voted.i  # "it" hangs on "voted" as in the whole sentence
    # a span that cuts a token, or text no token holds, is not rebuilt
    assert (
        syntax.claim_doc(rel.RelationParser().vocab(), TEXT, parse, start + 1, start + 13) is None
    )


def test_the_story_stage_reads_the_stored_parse_and_parses_nothing(analysis) -> None:  # type: ignore[no-untyped-def]
    assert analysis.parse.startswith(syntax.FORMAT)
    article = Article(id="a1", content_hash="a1", text=TEXT, language="en")
    sentence = analysis.sentences[0]

    class NoParsing(rel.RelationParser):
        def parse(self, texts, batch_size=64):  # type: ignore[no-untyped-def]
            if texts:
                raise AssertionError(f"parsed again: {texts}")
            return {}

    stored = NoParsing().for_story(
        [article], [analysis], [("a1", sentence.start, sentence.end, sentence.text)]
    )
    docs = stored.parse([sentence.text])
    spans = [(0, 6, "e-valdez", "PERSON"), (15, 27, "e-bank", "ORG"), (54, 61, "e-moravia", "GPE")]
    got = {(r.subject, r.predicate, r.object) for r in rel.extract(docs[sentence.text], spans, [])}
    fresh = rel.RelationParser().parse([sentence.text])[sentence.text]
    want = {(r.subject, r.predicate, r.object) for r in rel.extract(fresh, spans, [])}
    assert got == want and ("e-valdez", "direct", "e-bank") in got
    # lemmas and coarse POS are filled in as for a fresh parse
    assert [(t.lemma_, t.pos_) for t in docs[sentence.text]] == [(t.lemma_, t.pos_) for t in fresh]


def test_texts_without_a_stored_parse_go_to_the_base_parser(analysis) -> None:  # type: ignore[no-untyped-def]
    article = Article(id="a1", content_hash="a1", text=TEXT, language="en")
    bare = ArticleAnalysis(article="a1", version=analysis.version, sentences=analysis.sentences)
    seen: list[str] = []

    class Recording(rel.RelationParser):
        def parse(self, texts, batch_size=64):  # type: ignore[no-untyped-def]
            seen.extend(texts)
            return super().parse(texts, batch_size)

    s = analysis.sentences[0]
    docs = (
        Recording()
        .for_story([article], [bare], [("a1", s.start, s.end, s.text)])
        .parse([s.text, "An unknown sentence."])
    )
    assert sorted(seen) == sorted([s.text, "An unknown sentence."])
    assert set(docs) == {s.text, "An unknown sentence."}
