"""Names spelled two ways by two reports of one story: a name conflict about the name, and the
look-alikes that are not one (a plural, an accent, British spelling, two given names, places,
a surname alone, a report that writes both spellings against none)."""

from __future__ import annotations

import pytest

from newsweave.model import Article, ArticleAnalysis, Mention
from newsweave.story.conflicts import _edits, _respelled, find_spellings, romanised


def _report(aid: str, names: list[tuple[str, str]]) -> tuple[Article, ArticleAnalysis]:
    """A report naming ``names`` ((surface, NER label)), one sentence each."""
    text, mentions = "", []
    for k, (surface, label) in enumerate(names):
        start = len(text)
        text += f"{surface} was there. "
        mentions.append(Mention(start, start + len(surface), surface, label, k))
    return Article(id=aid, content_hash=aid, text=text), ArticleAnalysis(aid, "t", [], mentions)


def _spellings(reports: dict[str, list[tuple[str, str]]]) -> list[list[tuple[str, list[str]]]]:
    built = [_report(aid, names) for aid, names in reports.items()]
    found = find_spellings("s-1", [a for a, _ in built], [an for _, an in built])
    assert all(c.kind == "name" and not facts for c, facts in found)
    return [[(v.value, v.articles) for v in c.values] for c, _ in found]


def test_a_surname_spelled_two_ways_is_a_conflict_with_the_reports_of_each_spelling() -> None:
    found = _spellings(
        {
            "a": [("Ilene Wolfe", "PERSON")],
            "b": [("spokeswoman Ilene Wolfe", "PERSON")],
            "c": [("Ilene Wolff", "PERSON")],
        }
    )
    assert found == [[("Ilene Wolfe", ["a", "b"]), ("Ilene Wolff", ["c"])]]


def test_an_organisation_named_two_ways_and_case_alone_is_one_spelling() -> None:
    found = _spellings(
        {
            "a": [("TallGrass Distribution Ltd.", "ORG")],
            "b": [("Tallgrass Distributors Ltd", "ORG")],
            "c": [("TallGrass Distributors Ltd.", "ORG")],
        }
    )
    assert len(found) == 1
    (_, first_docs), (second, second_docs) = found[0]
    assert (first_docs, second_docs) == (["b", "c"], ["a"])
    assert second == "TallGrass Distribution"


def test_look_alikes_that_are_not_one_name_spelled_two_ways() -> None:
    assert not _spellings(
        {
            "a": [("Texas Ranger", "ORG"), ("Iran", "GPE"), ("Mark Vinar", "PERSON")],
            "b": [("Texas Rangers", "ORG"), ("Iraq", "GPE"), ("Miles Vinar", "PERSON")],
        }
    )
    assert not _spellings(  # given names both known: two people of one family
        {"a": [("John Smith", "PERSON")], "b": [("Joan Smith", "PERSON")]}
    )
    assert not _spellings(  # a surname alone may be someone else's
        {"a": [("Wolfe", "PERSON")], "b": [("Wolff", "PERSON")]}
    )
    assert not _spellings(  # accents and conventions are not a disagreement
        {
            "a": [("José Alvarez", "PERSON"), ("Ministry of Defence", "ORG")],
            "b": [("Jose Alvarez", "PERSON"), ("Ministry of Defense", "ORG")],
        }
    )
    assert not _spellings(  # one report writes both, the other one of them: no clash
        {
            "a": [("Duncan Rait", "PERSON"), ("Duncan Raite", "PERSON")],
            "b": [("Duncan Rait", "PERSON")],
        }
    )


def test_words_count_as_respelled_only_a_few_letters_apart() -> None:
    assert _edits("wolfe", "wolff") == 1
    assert _edits("ca", "ac") == 1  # a transposition is one edit
    assert _respelled("LaCalamita", "Calamita", False)
    assert _respelled("Salahaddin", "Salaluddin", False)
    assert not _respelled("Austria", "Australia", False)
    assert not _respelled("North", "South", False)
    assert not _respelled("Ann", "Anne", False)  # too short to tell


def test_two_romanisations_of_one_foreign_name_are_no_conflict() -> None:
    for a, b in [
        ("Yiannis", "Giannis"),
        ("Karolos", "Carolos"),
        ("Ilias", "Elias"),
        ("Aleksei", "Alexey"),
        ("Vassilios", "Vassilis"),
        ("Papagiorgiou", "Papayorgiou"),
    ]:
        assert romanised(a) == romanised(b), (a, b)
        assert not _respelled(a, b, False)
    # an English name spelled two ways is still one
    assert _respelled("Hickock", "Hickok", False)
    assert _respelled("Wolfe", "Wolff", False)
    assert not _spellings(
        {"a": [("Dimitris Kostopoulos", "PERSON")], "b": [("Dimitris Costopoulos", "PERSON")]}
    )


# --------------------------------------------------------------- counts named in other words


def test_counts_of_one_thing_named_in_other_words_are_one_slot() -> None:
    import newsweave.story.conflicts as conflicts_mod
    from newsweave.embed import get_embedder
    from newsweave.model import Quantity
    from newsweave.story.facts import ClaimInfo

    def counted(article: str, text: str, figure: str, value: float, unit: str) -> tuple:
        at = text.index(figure)
        q = Quantity(at, at + len(figure), figure, value, unit, 0)
        c = ClaimInfo(article=article, sentence=0, text=text, position=0, end=len(text))
        return (c, q, *conflicts_mod._slot(c, q))

    rows = [
        counted(
            "a", "Pirates hold nearly 300 crewmen and 12 ships.", "300 crewmen", 300, "crewmen"
        ),
        counted("a", "Pirates hold nearly 300 crewmen and 12 ships.", "12 ships", 12, "ships"),
        counted(
            "b", "Pirates hold more than 300 crew members.", "300 crew members", 300, "members"
        ),
        counted("c", "Police seized seven rifles.", "seven rifles", 7, "rifles"),
        counted("d", "Police seized nine guns.", "nine guns", 9, "guns"),
        counted("e", "Five men and four women were hurt.", "Five men", 5, "men"),
        counted("e", "Five men and four women were hurt.", "four women", 4, "women"),
    ]
    alias = conflicts_mod._count_synonyms(rows, get_embedder())
    family = {r[1].text: alias.get(r[2], r[2]) for r in rows}
    assert family["300 crewmen"] == family["300 crew members"]
    assert family["seven rifles"] == family["nine guns"]
    assert family["300 crewmen"] != family["12 ships"]  # counted side by side
    assert family["Five men"] != family["four women"]


def test_hedged_figures_agree_only_when_what_they_allow_overlaps() -> None:
    from newsweave.story.conflicts import _same_number

    nearly, over = (
        ("300 crewmen", "nearly 300 crewmen", None),
        ("300 members", "more than 300", None),
    )
    assert not _same_number(nearly, over)
    assert _same_number(("300 crewmen", "300 crewmen", None), ("300 members", "300 members", None))
    assert _same_number(("300 a", "at least 300", None), ("300 b", "more than 300", None))
    assert _same_number(("12 ships", "about a dozen ships", None), ("14 v", "at least 14 v", None))
    assert not _same_number(("14 v", "at least 14 v", None), ("17 v", "at least 17 v", None))


# ------------------------------------------------------------------------ ranks and colours


def test_a_rank_is_read_right_before_a_name_and_civil_offices_are_not_ranks() -> None:
    from newsweave.story.conflicts import _rank_before

    def rank(text: str, name: str) -> str | None:
        found = _rank_before(text, text.index(name))
        return found[0] if found else None

    assert rank("said navy spokesman Commander Nirad Sinha.", "Nirad") == "commander"
    assert rank("“We fired,” Commodore Nirad Sinha said.", "Nirad") == "commodore"
    assert rank("said Lt. Col. Ann Roe.", "Ann") == "lieutenant colonel"
    assert rank("Attorney General Eric Holder said", "Eric") is None
    assert rank("said General Manager A.J. Smith", "A.J.") is None
    assert rank("the White House said Ann Roe", "Ann") is None


def _story(texts: dict[str, str]):
    from newsweave.document.nlp import DocumentAnalyzer
    from newsweave.model import Article
    from newsweave.story.entities import resolve

    analyzer = DocumentAnalyzer()
    articles = [Article(id=k, content_hash=k, text=t) for k, t in texts.items()]
    analyses = [analyzer.analyze(a) for a in articles]
    return articles, analyses, resolve("s-1", articles, analyses)


def test_one_officer_given_two_ranks_by_two_reports_is_a_rank_conflict() -> None:
    from newsweave.story.conflicts import find_ranks

    articles, analyses, index = _story(
        {
            "a": "The navy fired on the boat, navy spokesman Commander Nirad Sinha said.",
            "b": "“The pirates fired first,” Commodore Nirad Sinha told reporters on Friday.",
            "c": "Lt. Col. Ann Roe led the raid. Col. Ann Roe said it went well.",
            "d": "The raid was led by Colonel Ann Roe, the army said.",
        }
    )
    found = find_ranks("s-1", index, articles, analyses)
    assert [[(v.value, v.articles) for v in c.values] for c, _ in found] == [
        [("commander", ["a"]), ("commodore", ["b"])]
    ]
    assert found[0][0].kind == "rank" and "Sinha" in found[0][0].about


def test_a_car_given_two_colours_is_a_colour_conflict_and_other_colours_are_not() -> None:
    from newsweave.model import Article
    from newsweave.story.conflicts import find_colours

    def colours(texts: dict[str, str]) -> list[list[tuple[str, list[str]]]]:
        articles = [Article(id=k, content_hash=k, text=t) for k, t in texts.items()]
        return [[(v.value, v.articles) for v in c.values] for c, _ in find_colours("s", articles)]

    assert colours(
        {
            "a": "She was struck by a silver Toyota Camry on Friday.",
            "b": "She was struck by a gray 2013 Toyota Camry.",
            "c": "Police said a grey Camry hit her; she wore a red coat.",
            "d": "The woman, in a blue coat and a red hat, was hit by a dark grey four-door Camry.",
        }
    ) == [[("grey", ["b", "c", "d"]), ("silver", ["a"])]]
    assert not colours(  # names, clothing, and two cars of one report
        {
            "a": "The White House said a red car and a blue car collided. She wore a red coat.",
            "b": "Officials at the White House said a red car hit a blue car. Her coat was blue.",
            "c": "A witness in a blue coat saw it.",
        }
    )


def test_two_people_sharing_only_a_given_name_are_not_one_person() -> None:
    from newsweave.model import Entity
    from newsweave.story.conflicts import _pair_kind

    def person(eid: str, name: str, *aliases: str) -> Entity:
        return Entity(id=eid, name=name, type="person", aliases=list(aliases))

    assert _pair_kind(person("x", "A.J. Smith"), person("y", "A.J. Butler")) == "name"
    assert _pair_kind(person("x", "Vincent Jackson"), person("y", "Jackson")) is None
    assert _pair_kind(person("x", "Vincent Jackson"), person("y", "Vincent")) is None
    assert _pair_kind(person("x", "Mark Vinar"), person("y", "Miles Vinar")) is None


def test_a_one_word_name_is_compared_only_when_the_resolver_made_the_spellings_one() -> None:
    from newsweave.model import Entity
    from newsweave.story.entities import EntityIndex

    built = [_report("a", [("Salahaddin", "ORG")]), _report("b", [("Salaluddin", "ORG")])]
    articles, analyses = [a for a, _ in built], [an for _, an in built]
    one = EntityIndex(
        [Entity("e1", "Salahaddin", "organisation")], {("a", 0): "e1", ("b", 0): "e1"}
    )
    two = EntityIndex(
        [Entity("e1", "Salahaddin", "organisation"), Entity("e2", "Salaluddin", "organisation")],
        {("a", 0): "e1", ("b", 0): "e2"},
    )
    found = find_spellings("s", articles, analyses, one)
    assert [[v.value for v in c.values] for c, _ in found] == [["Salahaddin", "Salaluddin"]]
    assert not find_spellings("s", articles, analyses, two)
    assert not find_spellings("s", articles, analyses)


def _account(texts: dict[str, str]):  # type: ignore[no-untyped-def]
    """The account of one story of the given reports (name -> text), and report id -> name."""
    from newsweave.document.nlp import DocumentAnalyzer
    from newsweave.embed import get_embedder
    from newsweave.ingest import clean_document
    from newsweave.model import Document, Story
    from newsweave.story.account import build_account

    docs = [Document(text=t, path=p, published="2026-04-14") for p, t in texts.items()]
    articles = [clean_document(d) for d in docs]
    analyses = [DocumentAnalyzer().analyze(a) for a in articles]
    story = Story(id="s-1", title="", articles=[a.id for a in articles])
    acc = build_account(story, articles, analyses, get_embedder())
    name = {a.id: a.path for a in articles}
    return acc, name


@pytest.mark.slow
def test_a_ship_placed_east_and_west_of_one_port_is_a_place_conflict_and_no_citation() -> None:
    texts = {
        "one": "Pirates attacked the freighter Tana Star 150 nautical miles west of Aden on "
        "Friday, the navy said. A helicopter drove them off.",
        "two": "Pirates attacked the freighter Tana Star about 150 nautical miles east of Aden "
        "on Friday, the navy said. The crew was unharmed.",
    }
    acc, name = _account(texts)
    found = [
        {v.value: [name[a] for a in v.articles] for v in c.values}
        for c in acc.conflicts
        if c.kind == "place"
    ]
    assert found == [{"west": ["one"], "east": ["two"]}]
    for fact in acc.facts:  # neither report is cited for the other's direction
        cited = {name[c.article] for c in fact.claims}
        assert not ("west of Aden" in fact.text and "two" in cited)
        assert not ("east of Aden" in fact.text and "one" in cited)


def test_three_spellings_of_one_name_are_one_conflict() -> None:
    found = _spellings(
        {
            "a": [("Ilene Wolfe", "PERSON")],
            "b": [("Ilene Wolff", "PERSON")],
            "c": [("Ilene Woolfe", "PERSON")],
        }
    )
    assert found == [[("Ilene Wolfe", ["a"]), ("Ilene Wolff", ["b"]), ("Ilene Woolfe", ["c"])]]


def test_number_conflicts_of_one_fact_are_pooled_only_when_their_units_agree() -> None:
    from newsweave.model import Conflict, ConflictValue
    from newsweave.story.conflicts import _merge_shared

    def conflict(*values: tuple[str, str]) -> Conflict:
        return Conflict("number", "f1", [ConflictValue(v, v, [a]) for v, a in values])

    yards = conflict(("404 yards", "a"), ("440 yards", "b"))
    touchdowns = conflict(("two touchdowns", "a"), ("four touchdowns", "c"))
    more_yards = conflict(("404 yards", "a"), ("189 yards", "d"))
    merged = _merge_shared([(yards, ["f1"]), (touchdowns, ["f1"]), (more_yards, ["f1", "f2"])])
    assert [[v.value for v in c.values] for c, _ in merged] == [
        ["189 yards", "404 yards", "440 yards"],
        ["two touchdowns", "four touchdowns"],
    ]


@pytest.mark.slow
def test_figures_told_of_two_players_are_not_set_against_each_other() -> None:
    game = " as the Hawks beat the Owls 80-72 on Saturday night, the league said."
    texts = {
        "one": "Delgado Vaughn finished with 16 points" + game,
        "two": "Marcus Harlin finished with 14 points" + game,
        "three": "Delgado Vaughn finished with 18 points" + game,
    }
    acc, name = _account(texts)
    found = [
        {v.value: [name[a] for a in v.articles] for v in c.values}
        for c in acc.conflicts
        if c.kind == "number"
    ]
    assert found == [{"16 points": ["one"], "18 points": ["three"]}]
