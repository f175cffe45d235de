"""Relations between a story's entities: extraction rules on hand-written (fictional) text,
predicate normalisation, merging across reports, conflicts, and the store round trip."""

from __future__ import annotations

import pytest

from newsweave.model import (
    Article,
    ArticleAnalysis,
    Claim,
    Entity,
    Fact,
    Mention,
    Relation,
    RelationConflict,
    RelationEvidence,
    Sentence,
    Story,
    StoryAnalysis,
)
from newsweave.store import Store
from newsweave.story import relations as rel
from newsweave.story.entities import EntityIndex

# --------------------------------------------------------------------------- no model needed


def test_the_tokens_of_each_entity_span_are_its_tokens_the_last_span_winning() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    words = ["Acme", "CEO", "Jane", "Roe", "met", "Roe", "'s", "lawyer", "in", "Lyon", "."]
    spaces = [True, True, True, False, True, False, True, True, True, False, False]
    doc = Doc(Vocab(), words=words, spaces=spaces)
    text = doc.text
    spans = [
        (text.index("Jane"), text.index("Jane") + len("Jane Roe"), "e-roe", "PERSON"),
        (0, len("Acme CEO Jane"), "e-acme", "ORG"),  # overlaps the name: the later span wins
        (text.index("Roe's"), text.index("Roe's") + 3, "e-roe", "PERSON"),
        (text.index("Lyon"), text.index("Lyon") + 4, "e-lyon", "GPE"),
    ]
    ctx = rel._make_context(doc, spans, [], None, None)
    expected: dict[int, str] = {}
    for start, end, eid, _ in spans:
        for tok in doc:
            if start <= tok.idx < end:
                expected[tok.i] = eid
    assert list(ctx.ent_of.items()) == list(expected.items())  # same tokens, same order
    assert ctx.ent_of[2] == "e-acme" and ctx.ent_of[3] == "e-roe" and ctx.ent_of[9] == "e-lyon"
    assert ctx.label_of == {"e-roe": "PERSON", "e-acme": "ORG", "e-lyon": "GPE"}


def test_verbs_of_one_meaning_share_a_kind() -> None:
    kinds = {rel.kind_of(v) for v in ("instruct", "direct", "order", "task", "Instruct")}
    assert kinds == {"direct"}
    assert rel.kind_of("lead") == rel.kind_of("spearhead") == "lead"
    assert rel.kind_of("paint") == "paint"  # no class: the lemma itself


def _article(aid: str, published: str | None = None) -> Article:
    return Article(id=aid, content_hash=aid, text="", published=published)


def _raw(
    subject: str, pred: str, obj: str, article: str, sentence: int = 0, **kw
) -> rel.RawRelation:
    entity = kw.pop("entity", True)
    return rel.RawRelation(
        subject, pred, obj, entity, kw.pop("wording", pred), article=article, sentence=sentence,
        text=f"sentence {sentence} of {article}", **kw,
    )  # fmt: skip


def test_merge_counts_reports_origins_first_report_and_facts() -> None:
    articles = [_article("a1", "2031-03-02"), _article("a2", "2031-03-01"), _article("a3")]
    raw = [
        _raw("e-valdez", "direct", "e-bank", "a1", wording="has instructed"),
        _raw("e-valdez", "direct", "e-bank", "a2", 3, wording="ordered"),
        _raw("e-valdez", "direct", "e-bank", "a3", wording="has directed"),
        _raw("e-valdez", "announce", "e-alliance", "a1", 2),
    ]
    facts = [Fact(id="f-1", story="s", text="x", claims=[Claim("a2", 3, "t")])]
    out = rel.merge("s", raw, articles, facts, origin_of={"a1": 0, "a2": 0, "a3": 1})
    top = out[0]
    assert (top.subject, top.predicate, top.object) == ("e-valdez", "direct", "e-bank")
    assert top.wordings == ["has instructed", "ordered", "has directed"]
    assert top.reports == 3 and top.origins == 2
    assert top.first_article == "a2"  # the earliest publication date
    assert top.facts == ["f-1"]
    assert [(e.article, e.sentence) for e in top.evidence] == [("a1", 0), ("a2", 3), ("a3", 0)]
    assert out[1].predicate == "announce" and out[1].reports == 1
    assert top.id.startswith("r-") and top.id != out[1].id


def test_phrase_objects_merge_when_their_words_agree() -> None:
    articles = [_article("a1"), _article("a2"), _article("a3")]
    raw = [
        _raw("e-x", "announce", "the creation of a Robotics Alliance", "a1", entity=False),
        _raw("e-x", "announce", "creation of the Robotics Alliance", "a2", entity=False),
        _raw("e-x", "announce", "a tax on imported steel", "a3", entity=False),
    ]
    out = rel.merge("s", raw, articles, [], {})
    assert sorted(r.reports for r in out) == [1, 2]


def test_different_dates_or_values_are_conflicts_but_finer_dates_are_not() -> None:
    articles = [_article("a1"), _article("a2"), _article("a3")]
    raw = [
        _raw("e-x", "meet", "e-y", "a1", when="2031-03"),
        _raw("e-x", "meet", "e-y", "a2", when="2031-03-04"),
    ]
    assert rel.merge("s", raw, articles, [], {})[0].conflicts == []
    raw.append(_raw("e-x", "meet", "e-y", "a3", when="2031-05-01"))
    (merged,) = rel.merge("s", raw, articles, [], {})
    assert [c.kind for c in merged.conflicts] == ["when"]
    ranks = [
        _raw("e-r", "rank", "Global Robotics Index", "a1", entity=False, qualifiers={"value": "12th"}),
        _raw("e-r", "rank", "the Global Robotics Index", "a2", entity=False, qualifiers={"value": "14th"}),
    ]  # fmt: skip
    (ranked,) = rel.merge("s", ranks, articles, [], {})
    assert ranked.conflicts[0].kind == "value"
    assert ranked.conflicts[0].values == {"12th": ["a1"], "14th": ["a2"]}


def test_a_nationality_names_the_place_the_story_names() -> None:
    ents = [
        Entity("e-ruritania", "Ruritania", "place"),
        Entity("e-moravia", "Moravia", "place"),
        Entity("e-acme", "Acme", "organisation"),
    ]
    resolve = rel._demonym_resolver(ents)
    assert resolve("Ruritanian") == "e-ruritania"
    assert resolve("Moravian") == "e-moravia"
    assert resolve("Ruritania") is None  # the name itself is not a nationality
    assert resolve("Acmeish") is None  # organisations are not nations
    assert resolve("western") is None


def test_titles_and_appositive_roles_become_role_relations() -> None:
    text = (
        "Borlund Bank CEO Tamsin Okafor spoke. Ruritanian President Anton Valdez agreed. "
        "Okafor, the first deputy CEO of Kestrel Media, left. Prime Minister Ilse Brandt stayed."
    )

    def at(s: str, label: str, **kw) -> Mention:
        start = text.index(s)
        return Mention(start, start + len(s), s, label, 0, **kw)

    mentions = [
        at("Borlund Bank", "ORG"),
        at("Tamsin Okafor", "PERSON", title="Borlund Bank CEO"),
        at("Ruritanian", "NORP"),
        at("Anton Valdez", "PERSON", title="Ruritanian President"),
        at("Okafor,", "PERSON", role="the first deputy CEO of Kestrel Media"),
        at("Kestrel Media", "ORG"),
        at("Ilse Brandt", "PERSON", title="Prime Minister"),
    ]
    mentions[4].text, mentions[4].end = "Okafor", mentions[4].start + 6
    ids = ["e-bank", "e-okafor", "e-ruritanian", "e-valdez", "e-okafor", "e-kestrel", "e-brandt"]
    index = EntityIndex(
        entities=[], by_mention={("a", m.start): i for m, i in zip(mentions, ids, strict=True)}
    )
    analysis = ArticleAnalysis(
        article="a", version="t", sentences=[Sentence(0, 0, len(text), text)], mentions=mentions
    )
    article = Article(id="a", content_hash="a", text=text)
    places = {"Ruritanian": "e-ruritania"}
    out = rel.title_relations(article, analysis, index, places.get)
    got = {(r.subject, r.predicate, r.object) for r in out}
    assert ("e-okafor", "CEO of", "e-bank") in got
    assert ("e-valdez", "President of", "e-ruritania") in got
    assert ("e-okafor", "first deputy CEO of", "e-kestrel") in got
    assert ("e-brandt", "has role", "Prime Minister") in got
    assert all(r.functional for r in out if r.object_is_entity)


def test_relations_survive_the_store(tmp_path) -> None:
    story = Story(id="s-1", title="t", articles=[])
    relation = Relation(
        id="r-1",
        subject="e-valdez",
        predicate="direct",
        object="the government",
        object_is_entity=False,
        wordings=["ordered", "has instructed"],
        when="2031-03",
        qualifiers={"to": "hold consultations with Moravia"},
        articles=["a1", "a2"],
        reports=2,
        origins=1,
        first_article="a1",
        facts=["f-1"],
        evidence=[RelationEvidence("a1", 0, "Valdez ordered the government ...", "ordered")],
        conflicts=[RelationConflict(kind="when", values={"2031-03": ["a1"], "2031-04": ["a2"]})],
    )
    with Store.open(tmp_path / "x.db") as store:
        store.save_story_analysis(StoryAnalysis(story=story, relations=[relation]))
        loaded = store.load_story_analysis("s-1")
    assert loaded is not None
    relation.story = "s-1"
    assert loaded.relations == [relation]


# --------------------------------------------------------------------------- with the models

WIRE = """Ruritanian President Anton Valdez has instructed the government and Borlund Bank to deepen cooperation with Moravia in robotics, reports Coastwire.
Borlund Bank CEO Tamsin Okafor and Prime Minister Ilse Brandt have been tasked with leading the programme, with a first report expected by June.
Ruritania ranks 12th out of 40 countries in the Global Robotics Index published by Kestrel Media.
In March 2031, Valdez announced the creation of a Robotics Alliance to unite engineers from Baltic states.
"""
REWRITE = """President Anton Valdez has directed the Ruritanian government and Borlund Bank, the country's largest lender, to strengthen cooperation with Moravia in robotics.
Okafor, the CEO of Borlund Bank, said the bank would build a new industrial robot.
Borlund Bank, which leads Ruritania's national robotics effort, has been tasked by Valdez with a report by June.
Ruritania ranks 14th in the Global Robotics Index, which Kestrel Media publishes every year.
"""
OTHER = """Valdez ordered the government to hold consultations with Moravia on robotics.
Ruritania and Moravia will hold consultations in Vesna next month, the foreign ministry said.
The CEO of Borlund Bank met Moravian officials in Vesna on Tuesday.
"""


@pytest.fixture(scope="module")
def story_relations():
    from newsweave.document.nlp import DocumentAnalyzer
    from newsweave.embed import get_embedder
    from newsweave.ingest import clean_document
    from newsweave.model import Document
    from newsweave.story.account import build_account

    docs = [
        Document(text=WIRE, path="wire.txt", published="2031-03-20"),
        Document(text=REWRITE, path="rewrite.txt", published="2031-03-21"),
        Document(text=OTHER, path="other.txt", published="2031-03-22"),
    ]
    articles = [clean_document(d) for d in docs]
    analyzer = DocumentAnalyzer()
    analyses = [analyzer.analyze(a) for a in articles]
    story = Story(id="s-rel", title="", articles=[a.id for a in articles])
    acc = build_account(story, articles, analyses, get_embedder())
    names = {e.id: e.name for e in acc.entities}
    files = {a.id: a.path for a in articles}

    def show(r: Relation) -> tuple[str, str, str]:
        obj = names.get(r.object, r.object) if r.object_is_entity else r.object
        return (names.get(r.subject, r.subject), r.predicate, obj)

    return acc, show, files


def _find(acc, show, subject: str, predicate: str, obj: str) -> Relation:
    for r in acc.relations:
        s, p, o = show(r)
        if s == subject and p == predicate and obj.lower() in o.lower():
            return r
    raise AssertionError((subject, predicate, obj, [show(r) for r in acc.relations]))


@pytest.mark.slow
def test_directives_group_across_wordings_and_passives(story_relations) -> None:
    acc, show, files = story_relations
    bank = _find(acc, show, "Anton Valdez", "direct", "Borlund Bank")
    # "has instructed ... and Borlund Bank" (coordination), "has directed", and the passive
    # "has been tasked by Valdez"
    assert {files[a] for a in bank.articles} == {"wire.txt", "rewrite.txt"}
    assert {"has instructed", "has directed"} <= set(bank.wordings)
    gov = _find(acc, show, "Anton Valdez", "direct", "government")
    assert gov.reports == 3 and "ordered" in gov.wordings
    assert all(ev.text for ev in gov.evidence)


@pytest.mark.slow
def test_roles_titles_and_role_nouns(story_relations) -> None:
    acc, show, files = story_relations
    ceo = _find(acc, show, "Tamsin Okafor", "CEO of", "Borlund Bank")
    assert {files[a] for a in ceo.articles} == {"wire.txt", "rewrite.txt"}
    _find(acc, show, "Anton Valdez", "President of", "Ruritania")
    # "The CEO of Borlund Bank met ...": the story names one CEO of the bank
    met = _find(acc, show, "Tamsin Okafor", "meet", "Moravian officials")
    assert {files[a] for a in met.articles} == {"other.txt"}


@pytest.mark.slow
def test_relative_clauses_appositions_dates_and_rank_conflicts(story_relations) -> None:
    acc, show, _ = story_relations
    _find(acc, show, "Borlund Bank", "lead", "national robotics effort")  # relative clause
    _find(acc, show, "Borlund Bank", "is", "largest lender")  # apposition
    published = _find(acc, show, "Kestrel Media", "publish", "Global Robotics Index")
    assert published.reports == 2  # "published by" and "which Kestrel Media publishes"
    announced = _find(acc, show, "Anton Valdez", "announce", "Robotics Alliance")
    assert announced.when == "2031-03"
    # the NER does not name the index here: the country ranks "in" the phrase
    rank = _find(acc, show, "Ruritania", "rank", "Global Robotics Index")
    assert rank.reports == 2, [show(r) for r in acc.relations]
    assert any(c.kind == "value" and set(c.values) == {"12th", "14th"} for c in rank.conflicts)
    _find(acc, show, "Ruritania", "hold", "consultations")
    _find(acc, show, "Moravia", "hold", "consultations")


# --------------------------------------------------------------------------- single claims


def test_a_possessive_before_a_title_names_the_organisation() -> None:
    text = "Borlund Bank's CEO Tamsin Okafor spoke. Kestrel Media’s chief editor Ana Lind agreed."
    bank, okafor = text.index("Borlund Bank"), text.index("Tamsin Okafor")
    kestrel, lind = text.index("Kestrel Media"), text.index("Ana Lind")
    mentions = [
        Mention(bank, bank + 12, "Borlund Bank", "ORG", 0),
        Mention(okafor, okafor + 13, "Tamsin Okafor", "PERSON", 0, title="CEO"),
        Mention(kestrel, kestrel + 13, "Kestrel Media", "ORG", 1),
        Mention(lind, lind + 8, "Ana Lind", "PERSON", 1, title="chief editor"),
    ]
    ids = ["e-bank", "e-okafor", "e-kestrel", "e-lind"]
    index = EntityIndex(
        entities=[], by_mention={("a", m.start): i for m, i in zip(mentions, ids, strict=True)}
    )
    analysis = ArticleAnalysis(
        article="a", version="t", sentences=[Sentence(0, 0, len(text), text)], mentions=mentions
    )
    out = rel.title_relations(Article(id="a", content_hash="a", text=text), analysis, index, {}.get)
    got = {(r.subject, r.predicate, r.object, r.wording) for r in out}
    assert ("e-okafor", "CEO of", "e-bank", "Borlund Bank's CEO") in got
    assert ("e-lind", "chief editor of", "e-kestrel", "Kestrel Media’s chief editor") in got


def test_a_title_the_ner_took_for_a_person_is_no_entity() -> None:
    from newsweave.story.entities import resolve

    text = "Moravia appointed a Robotics Czar. Deputy Minister Ilse Brandt agreed."
    czar, brandt = text.index("Robotics Czar"), text.index("Ilse Brandt")
    mentions = [
        Mention(czar, czar + 13, "Robotics Czar", "PERSON", 0),
        Mention(brandt, brandt + 11, "Ilse Brandt", "PERSON", 1, title="Deputy Minister"),
    ]
    analysis = ArticleAnalysis(article="a", version="t", sentences=[], mentions=mentions)
    index = resolve("s", [Article(id="a", content_hash="a", text=text)], [analysis])
    assert [e.name for e in index.entities] == ["Ilse Brandt"]


def test_phrase_objects_merge_on_head_noun_and_a_shared_entity() -> None:
    articles = [_article("a1"), _article("a2"), _article("a3")]
    raw = [
        _raw("e-x", "announce", "creation of a Robotics Alliance", "a1", entity=False,
             object_head="creation", object_entities=frozenset({"e-alliance"})),
        _raw("e-x", "announce", "formation of a new body", "a2", entity=False,
             object_head="creation", object_entities=frozenset({"e-alliance", "e-baltic"})),
        _raw("e-x", "announce", "formation of a customs union", "a3", entity=False,
             object_head="creation", object_entities=frozenset({"e-union"})),
    ]  # fmt: skip
    out = rel.merge("s", raw, articles, [], {})
    assert sorted(r.reports for r in out) == [1, 2]
    merged = next(r for r in out if r.reports == 2)
    assert merged.object == "creation of a Robotics Alliance"  # the one naming it


def test_a_directive_noun_is_the_order_of_its_issuer() -> None:
    task = _raw(rel.ISSUER, "direct", "e-bank", "a1", wording="task")
    elsewhere = _raw(rel.ISSUER, "direct", "e-plant", "a2", wording="instructs")
    unknown = _raw(rel.ISSUER, "direct", "e-other", "a3")
    raw = [task, elsewhere, unknown, _raw("e-valdez", "direct", "e-plant", "a1")]
    from collections import Counter

    rel._resolve_issuers(raw, {"a1": Counter({"e-valdez": 2, "e-kremlin": 1})})
    assert task.subject == "e-valdez"  # the issuer the same report names
    assert elsewhere.subject == "e-valdez"  # the one actor directing that object in the story
    assert unknown.subject == rel.ISSUER  # nobody to give it to: dropped later


# --------------------------------------------------------------------------- rules on parses


@pytest.fixture(scope="module")
def parser() -> rel.RelationParser:
    return rel.RelationParser()


ENTS = {
    "Anton Valdez": ("e-valdez", "PERSON"),
    "Valdez": ("e-valdez", "PERSON"),
    "Tamsin Okafor": ("e-okafor", "PERSON"),
    "Ilse Brandt": ("e-brandt", "PERSON"),
    "Borlund Bank": ("e-bank", "ORG"),
    "Global Robotics Index": ("e-index", "ORG"),
    "Robotics Alliance": ("e-alliance", "ORG"),
    "Ruritania": ("e-ruritania", "GPE"),
    "Moravia": ("e-moravia", "GPE"),
    "Baltic": ("e-baltic", "GPE"),
}


def _extract(
    parser: rel.RelationParser, text: str, dates: dict[str, str] | None = None
) -> set[tuple[str, str, str]]:
    import re

    spans: list[tuple[int, int, str, str]] = []
    for name in sorted(ENTS, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            if not any(a < m.end() and m.start() < b for a, b, _, _ in spans):
                spans.append((m.start(), m.end(), *ENTS[name]))
    date_spans = [(text.index(d), text.index(d) + len(d), v) for d, v in (dates or {}).items()]
    doc = parser.parse([text])[text]
    found = rel.extract(doc, spans, date_spans)
    _extract.last = found  # type: ignore[attr-defined]
    return {(r.subject, r.predicate, r.object) for r in found}


def _one(subject: str, predicate: str) -> rel.RawRelation:
    found = [r for r in _extract.last if r.subject == subject and r.predicate == predicate]  # type: ignore[attr-defined]
    assert len(found) == 1, [(r.subject, r.predicate, r.object) for r in _extract.last]  # type: ignore[attr-defined]
    return found[0]


@pytest.mark.slow
def test_an_index_ranks_whom_it_places(parser) -> None:
    got = _extract(
        parser, "Ruritania ranks 12th out of 40 countries assessed by the Global Robotics Index."
    )
    assert ("e-index", "rank", "e-ruritania") in got
    r = _one("e-index", "rank")
    assert r.qualifiers["value"] == "12th" and r.qualifiers["out of"] == "40 countries"
    got = _extract(parser, "Moravia was ranked 9th in the Global Robotics Index this year.")
    assert ("e-index", "rank", "e-moravia") in got
    assert _one("e-index", "rank").qualifiers["value"] == "9th"
    got = _extract(parser, "The Global Robotics Index places Moravia 9th among 40 countries.")
    assert ("e-index", "rank", "e-moravia") in got
    got = _extract(
        parser, "Ruritania's position at 12th in the Global Robotics Index worries officials."
    )
    assert ("e-index", "rank", "e-ruritania") in got
    got = _extract(
        parser,
        "Analysts stress Ruritania's weak robotics sector, with surveys showing that the country "
        "ranks 12th in the Global Robotics Index.",
    )
    assert ("e-index", "rank", "e-ruritania") in got
    assert not any(p == "rank" and s != "e-index" for s, p, _ in got)


@pytest.mark.slow
def test_a_purpose_clause_belongs_to_the_thing_created(parser) -> None:
    got = _extract(
        parser,
        "In March 2031, Valdez announced the creation of a Robotics Alliance to unite engineers "
        "from Baltic states.",
    )
    assert ("e-alliance", "unite", "engineers from Baltic states") in got
    assert not any(s == "e-valdez" and p == "unite" for s, p, _ in got)
    got = _extract(
        parser,
        "Valdez announced the formation of a new body called the Robotics Alliance, intended to "
        "unite engineers from Baltic states.",
    )
    assert ("e-alliance", "unite", "engineers from Baltic states") in got
    announce = _one("e-valdez", "announce")
    assert announce.object_head == "creation" and "e-alliance" in announce.object_entities


@pytest.mark.slow
def test_a_capitalised_title_is_not_split_at_and(parser) -> None:
    got = _extract(
        parser, "Moravia is appointing a “Chief Robotics and Drone Officer” to keep its lead."
    )
    assert ("e-moravia", "appoint", "Chief Robotics and Drone Officer") in got
    got = _extract(parser, "Valdez ordered Ruritania and Moravia to hold talks.")
    assert {("e-valdez", "direct", "e-ruritania"), ("e-valdez", "direct", "e-moravia")} <= got


@pytest.mark.slow
def test_deadlines_and_starts_qualify_the_right_verb(parser) -> None:
    _extract(
        parser,
        "Tamsin Okafor has been tasked with leading the programme, with a first report expected "
        "by June 2031.",
        {"June 2031": "2031-06"},
    )
    tasked = _one("e-okafor", "direct/passive")
    assert tasked.when is None and "by" not in tasked.qualifiers  # the report's deadline
    _extract(
        parser,
        "Valdez ordered Borlund Bank to open the plant by June 2031.",
        {"June 2031": "2031-06"},
    )
    ordered = _one("e-valdez", "direct")
    assert ordered.when is None and ordered.qualifiers["by"] == "2031-06"
    _extract(
        parser,
        "Since the floods of March 2030, Ruritania has faced severe shortages.",
        {"March 2030": "2030-03"},
    )
    faced = _one("e-ruritania", "face")
    assert faced.when is None and faced.qualifiers["since"] == "2030-03"
    _extract(parser, "In March 2031, Valdez announced a robotics plan.", {"March 2031": "2031-03"})
    assert _one("e-valdez", "announce").when == "2031-03"


@pytest.mark.slow
def test_who_directs_whom_through_directive_nouns_and_asides(parser) -> None:
    got = _extract(
        parser, "The instructions specifically task Borlund Bank to build a robot plant."
    )
    assert (rel.ISSUER, "direct", "e-bank") in got
    text = "Officials released directives from President Anton Valdez on Monday."
    spans = [(text.index("Anton Valdez"), text.index("Anton Valdez") + 12, "e-valdez", "PERSON")]
    assert rel.directive_issuers(parser.parse([text])[text], spans) == ["e-valdez"]
    got = _extract(parser, "Valdez’s decree was published on Monday.")
    assert not any(p.startswith("direct") or s == rel.ISSUER for s, p, _ in got)
    got = _extract(
        parser,
        "Valdez instructed the government, alongside the country's largest lender, Borlund Bank, "
        "to deepen ties with Moravia.",
    )
    assert ("e-valdez", "direct", "e-bank") in got
    got = _extract(
        parser,
        "The order instructs Borlund Bank, Ruritania's largest lender and a leader in robotics, "
        "to build a plant.",
    )
    assert {o for s, p, o in got if p == "direct"} == {"e-bank"}


@pytest.mark.slow
def test_coordinated_subjects_and_a_speakers_participle(parser) -> None:
    got = _extract(
        parser,
        "Prime Minister Ilse Brandt and Borlund Bank CEO Tamsin Okafor have been tasked with "
        "leading the programme.",
    )
    assert {s for s, p, _ in got if p == "direct/passive"} == {"e-brandt", "e-okafor"}
    got = _extract(
        parser,
        "“We will build the best robots,” Valdez said on Monday, inviting engineers from all over "
        "the world to join the effort.",
    )
    assert any(s == "e-valdez" and p == "invite" and o.startswith("engineers") for s, p, o in got)
    got = _extract(parser, "Valdez ordered a new plant, marking a shift for Ruritania.")
    assert not any(p == "mark" for _, p, _ in got)


def test_the_exported_graph_carries_qualifiers_with_names() -> None:
    from newsweave.story.graph import build_graph, to_dot, to_json

    story = Story(id="s-g", title="t", articles=[])
    rank = Relation(
        id="r-rank", subject="e-index", predicate="rank", object="e-ruritania",
        object_is_entity=True, wordings=["ranks"], qualifiers={"value": "12th", "in": "e-index"},
        articles=["a1"], reports=1, origins=1,
    )  # fmt: skip
    analysis = StoryAnalysis(
        story=story,
        entities=[
            Entity("e-index", "Global Robotics Index", "organisation"),
            Entity("e-ruritania", "Ruritania", "place"),
        ],
        relations=[rank],
    )
    g = build_graph([analysis])
    (edge,) = [a for _, _, a in g.edges(data=True)]
    assert edge["qualifiers"] == "in: Global Robotics Index; value: 12th"
    assert '"rank 12th (1)"' in to_dot(g)
    assert "value: 12th" in to_json(g)


@pytest.mark.slow
def test_lemmas_from_the_rule_tables(parser) -> None:
    text = "Borlund Bank discussed the progress and brought two plants together."
    doc = parser.parse([text])[text]
    lemma = {t.text: t.lemma_ for t in doc if t.pos_ in {"VERB", "NOUN"}}
    assert lemma["discussed"] == "discuss" and lemma["brought"] == "bring"
    assert lemma["progress"] == "progress"  # a singular noun is its own lemma
    assert lemma["plants"] == "plant"
    assert rel.kind_of(lemma["brought"]) == "unite"
