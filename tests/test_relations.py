"""Relations between a story's entities: extraction rules on hand-written (fictional) text,
predicate normalisation, merging across reports, conflicts, and the store round trip."""

from __future__ import annotations

import pytest

from newsweave import relations as rel
from newsweave.entities import EntityIndex
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

# --------------------------------------------------------------------------- no model needed


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
    from newsweave.account import build_account
    from newsweave.embed import get_embedder
    from newsweave.ingest import clean_document
    from newsweave.model import Document
    from newsweave.nlp import DocumentAnalyzer

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
    rank = _find(acc, show, "Ruritania", "rank", "Global Robotics Index")
    assert any(c.kind == "value" and set(c.values) == {"12th", "14th"} for c in rank.conflicts)
    _find(acc, show, "Ruritania", "hold", "consultations")
    _find(acc, show, "Moravia", "hold", "consultations")
