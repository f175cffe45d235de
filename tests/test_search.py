"""Full-text search over articles and facts (newsweave.store.search), on a store of fictional
reports written for this test. Every test that takes ``store`` runs on SQLite (FTS5) and on
PostgreSQL (tsvector + GIN), see tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsweave.model import Article, Claim, Fact, Story, StoryAnalysis
from newsweave.store import Store
from newsweave.store.search import _search_like, is_search_table, search, terms


def article(n: int, text: str, title: str | None = None, source: str | None = None) -> Article:
    return Article(
        id=f"a{n:03d}",
        content_hash=f"{n:064x}",
        text=text,
        title=title,
        source=source,
        language="en",
        words=len(text.split()),
    )


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as s:
        s.add_article(
            article(
                1,
                "The lighthouse keeper of Vellmore reported a fire on the quay at dawn.",
                title="Fire on Vellmore quay",
                source="Coastline Gazette",
            )
        )
        s.add_article(
            article(2, "Firefighters from Osterby reached the quay within twenty minutes.")
        )
        s.add_article(article(3, "Tram fares in Castelmar rise by ten cents from Monday."))
        s.save_story(Story(id="s-a001", title="Quay fire", articles=["a001", "a002"]))
        s.save_story_analysis(
            StoryAnalysis(
                story=Story(id="s-a001", title="Quay fire", articles=["a001", "a002"]),
                facts=[
                    Fact(
                        id="f-1",
                        story="s-a001",
                        text="A fire broke out on the Vellmore quay at dawn.",
                        claims=[Claim("a001", 0, "A fire broke out on the Vellmore quay.")],
                    ),
                    Fact(id="f-2", story="s-a001", text="Firefighters came from Osterby."),
                ],
            )
        )
        yield s


def test_articles_are_found_ranked_with_highlighted_snippets(store: Store) -> None:
    page = search(store, "quay", "article")
    assert page.total == 2
    assert {h.id for h in page.hits} == {"a001", "a002"}
    top = page.hits[0]
    assert top.id == "a001"  # the title matches too
    assert top.story == "s-a001"
    assert top.title == "Fire on Vellmore quay"
    assert ("quay", True) in top.parts
    assert "lighthouse" in top.snippet


def test_last_word_is_a_prefix_and_every_word_must_match(store: Store) -> None:
    assert [h.id for h in search(store, "Caste", "article").hits] == ["a003"]
    assert search(store, "quay tram", "article").total == 0
    assert search(store, "tram fares", "article").hits[0].story is None  # no story yet


def test_facts_are_found_and_follow_story_results(store: Store) -> None:
    page = search(store, "osterby", "fact")
    assert [(h.id, h.story) for h in page.hits] == [("f-2", "s-a001")]
    # re-analysing the story replaces its facts: the index follows
    store.save_story_analysis(
        StoryAnalysis(
            story=Story(id="s-a001", title="Quay fire", articles=["a001", "a002"]),
            facts=[Fact(id="f-3", story="s-a001", text="Crews from Osterby arrived quickly.")],
        )
    )
    assert [h.id for h in search(store, "osterby", "fact").hits] == ["f-3"]
    assert search(store, "dawn", "fact").total == 0
    store.delete_story("s-a001")
    assert search(store, "osterby", "fact").total == 0


def test_query_syntax_is_never_an_error(store: Store) -> None:
    for query in ['"', "AND OR NOT", "quay*)(", "NEAR(", "col:quay", "-", "", "   "]:
        page = search(store, query, "article")
        assert page.total >= 0
    assert terms('fire "quay" -OR (dawn)') == ["fire", "quay", "OR", "dawn"]
    assert search(store, "quay)", "article").total == 2


def test_pagination(store: Store) -> None:
    first = search(store, "quay", "article", limit=1)
    second = search(store, "quay", "article", limit=1, offset=1)
    assert first.total == second.total == 2
    assert [h.id for h in first.hits + second.hits] == ["a001", "a002"]
    assert search(store, "quay", "article", limit=1, offset=5).hits == []


def test_unknown_kind_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        search(store, "quay", "entity")  # type: ignore[arg-type]


def test_portable_fallback_gives_the_same_hits(store: Store) -> None:
    from newsweave.store.search import SearchPage

    page = SearchPage(query="quay", kind="article", total=0, offset=0, limit=10)
    _search_like(store, ["quay"], page)
    assert page.total == 2 and {h.id for h in page.hits} == {"a001", "a002"}
    assert any(matched for _, matched in page.hits[0].parts)
    facts = SearchPage(query="osterby", kind="fact", total=0, offset=0, limit=10)
    _search_like(store, ["osterby"], facts)
    assert [h.id for h in facts.hits] == ["f-2"]


def test_index_tables_are_named_apart(store: Store) -> None:
    from sqlalchemy import inspect

    names = set(inspect(store.engine).get_table_names())
    extra = {n for n in names if is_search_table(n)}
    if store.engine.dialect.name == "sqlite":
        assert {"search_articles", "search_facts", "search_fact_docs"} <= extra
    else:
        assert extra == {"search_articles", "search_facts"}
    assert not is_search_table("articles")


def test_snippets_of_long_texts_are_cut_around_the_match(store: Store) -> None:
    words = " ".join(f"word{i}" for i in range(80))
    store.add_article(article(9, f"{words} the bellringer of Dunmore {words}"))
    (hit,) = search(store, "bellringer", "article").hits
    assert hit.id == "a009"
    assert ("bellringer", True) in hit.parts
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet.split()) < 40
