"""The story stage on small hand-written stories: paraphrases group into one fact, sentences that
merely share the topic do not, rewrites of one wire count once, contradictions are recorded, and
the brief cites only the reports that state each sentence."""

from __future__ import annotations

import pytest

from newsweave.document.nlp import DocumentAnalyzer
from newsweave.embed import get_embedder
from newsweave.ingest import clean_document
from newsweave.model import Document, Story
from newsweave.story.account import build_account

pytestmark = pytest.mark.slow

WIRE = """GRANTHAM BAY, May 6 (Coastwire) - The port authority of Grantham Bay approved a 40 million euro plan to dredge the harbour on Tuesday, its chairwoman Elena Varga said.
The work will start in September and take about 18 months, the authority said.
"This harbour has waited twenty years for deeper water," Varga told reporters.
Local fishing groups said they feared the dredging would disturb spawning grounds near the north pier.
"""

REWRITE = """Grantham Bay's port authority has signed off on a 40 million euro harbour dredging plan, Coastwire reported.
Dredging is due to begin in September and should last roughly 18 months.
Chairwoman Elena Varga said: "This harbour has waited twenty years for deeper water."
Source: Coastwire
"""

OTHER = """The port authority of Grantham Bay voted on Tuesday to dredge the harbour at a cost of 45 million euros.
Harbour pilots have complained for years that large cargo ships must wait for high tide.
Varga, who has led the authority since 2019, called the vote historic.
The town's tourist office expects a busy summer season for visiting yachts.
"""


@pytest.fixture(scope="module")
def account():
    docs = [
        Document(text=WIRE, path="wire.txt", published="2026-05-06"),
        Document(text=REWRITE, path="rewrite.txt", published="2026-05-07"),
        Document(text=OTHER, path="other.txt", published="2026-05-07"),
    ]
    articles = [clean_document(d) for d in docs]
    analyzer = DocumentAnalyzer()
    analyses = [analyzer.analyze(a) for a in articles]
    story = Story(id="s-test", title="", articles=[a.id for a in articles])
    acc = build_account(story, articles, analyses, get_embedder())
    names = {a.id: a.path for a in articles}
    return acc, names


def _fact_with(acc, words: str):
    found = [f for f in acc.facts if words in f.text or any(words in c.text for c in f.claims)]
    assert found, words
    return found[0]


def test_paraphrases_are_one_fact(account) -> None:
    acc, names = account
    schedule = _fact_with(acc, "September")
    assert {names[c.article] for c in schedule.claims} == {"wire.txt", "rewrite.txt"}
    plan = _fact_with(acc, "40 million")
    assert {names[c.article] for c in plan.claims} == {"wire.txt", "rewrite.txt"}


def test_a_claim_with_another_value_is_not_support(account) -> None:
    """other.txt says 45 million euros: similar words, another figure, so it is not cited for
    the 40-million sentence (it is a fact of its own, and the ledger sets the two side by side)."""
    acc, names = account
    dearer = _fact_with(acc, "45 million")
    assert {names[c.article] for c in dearer.claims} == {"other.txt"}
    assert dearer.id != _fact_with(acc, "40 million").id


def test_topic_sharing_sentences_are_not_grouped(account) -> None:
    acc, _ = account
    pilots = _fact_with(acc, "pilots")
    tourism = _fact_with(acc, "tourist")
    fishing = _fact_with(acc, "spawning")
    for fact in (pilots, tourism, fishing):
        assert fact.reports == 1, fact.claims


def test_rewrites_of_one_wire_are_one_origin(account) -> None:
    acc, _ = account
    schedule = _fact_with(acc, "September")
    assert schedule.reports == 2 and schedule.origins == 1
    assert schedule.status == "single-source"
    plan = _fact_with(acc, "40 million")
    assert plan.reports == 2 and plan.origins == 1


def test_a_different_amount_is_a_conflict(account) -> None:
    acc, names = account
    numbers = [c for c in acc.conflicts if c.kind == "number"]
    assert numbers
    values = {v.value: {names[a] for a in v.articles} for v in numbers[0].values}
    assert any("4e+07" in v or "40000000" in v for v in values)
    assert any(arts == {"other.txt"} for arts in values.values())
    plan = next(f for f in acc.facts if f.id == numbers[0].about)
    assert plan.status == "contested"


def test_quote_is_merged_with_its_speaker(account) -> None:
    acc, names = account
    quote = next(q for q in acc.quotes if "deeper water" in q.text)
    assert quote.speaker_name == "Elena Varga"
    assert {names[a] for a in quote.articles} == {"wire.txt", "rewrite.txt"}


def test_brief_cites_only_supporting_reports(account) -> None:
    acc, _ = account
    facts = {f.id: f for f in acc.facts}
    for sentence in acc.brief:
        supporters = {c.article for fid in sentence.facts for c in facts[fid].claims}
        assert set(sentence.articles) <= supporters


def test_unique_lists_what_only_one_report_says(account) -> None:
    acc, names = account
    facts = {f.id: f for f in acc.facts}
    other = next(u for u in acc.unique if names[u.article] == "other.txt")
    texts = " ".join(facts[i].text for i in other.facts)
    assert "pilots" in texts and "tourist" in texts
    assert all(facts[i].reports == 1 for i in other.facts)


def test_provenance_names_the_wire(account) -> None:
    acc, names = account
    named = {(names[p.article], p.origin, p.evidence) for p in acc.provenance}
    assert ("rewrite.txt", "Coastwire", "credit") in named
    assert ("wire.txt", "Coastwire", "credit") in named


def test_the_title_is_the_most_representative_headline() -> None:
    from newsweave.model import Article
    from newsweave.story.account import _title

    def art(i: int, title: str) -> Article:
        return Article(id=f"a{i}", content_hash="x", text="", title=title)

    heads = [
        "Powerful quake kills five in Indonesia's Aceh",
        "Five dead, dozens injured in Indonesia quake",
        "PHOTOS",
        "Indonesia quake: five killed in Aceh province",
        "Rescue dogs",
    ]
    story = Story(id="s", title="", articles=[])
    assert _title(story, [art(i, t) for i, t in enumerate(heads)], []) in {heads[0], heads[3]}


def test_a_long_quotation_does_not_swallow_the_shorter_ones_it_holds() -> None:
    from newsweave.story import entities as entities_mod
    from newsweave.story.account import _merge_quotes

    texts = {
        "long.txt": (
            '"It is disappointing to hear about the issue. We will continue to monitor the '
            "situation and let the legal process run its course. The club has always been a "
            'leader in our community," general manager Tom Reyes said.\n'
        ),
        "a.txt": (
            '"We will continue to monitor the situation and let the legal process run its '
            'course," general manager Tom Reyes said in a statement.\n'
        ),
        "b.txt": (
            'Reyes added: "The club has always been a leader in our community."\n'
            '"We will continue to monitor the situation and let the legal process run its '
            'course," Reyes said.\n'
        ),
    }
    articles = [clean_document(Document(text=t, path=p)) for p, t in texts.items()]
    analyzer = DocumentAnalyzer()
    analyses = [analyzer.analyze(a) for a in articles]
    index = entities_mod.resolve("s-q", articles, analyses)
    quotes = _merge_quotes("s-q", articles, analyses, index)
    path = {a.id: a.path for a in articles}
    cited = {q.text[:30]: sorted(path[a] for a in q.articles) for q in quotes}
    assert cited["We will continue to monitor th"] == ["a.txt", "b.txt", "long.txt"]
    assert cited["The club has always been a lea"] == ["b.txt", "long.txt"]
    assert cited["It is disappointing to hear ab"] == ["long.txt"]
