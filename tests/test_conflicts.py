"""The conflicts ledger for names and places, on hand-written fictional stories: a different
person arrested, a different city for one fire, a different holder of one role are conflicts; an
alias, a city against the country that contains it, a place the gazetteer does not know, two
events of one story and a report that adds a second name are not."""

from __future__ import annotations

import pytest

from newsweave.document.nlp import DocumentAnalyzer
from newsweave.embed import get_embedder
from newsweave.ingest import clean_document
from newsweave.model import Conflict, Document, Story, StoryAnalysis, to_dict
from newsweave.story import conflicts as conflicts_mod
from newsweave.story.account import build_account
from newsweave.story.conflicts import Gazetteer, gazetteer
from newsweave.story.facts import ClaimInfo

# ---------------------------------------------------------------- one story with conflicts

POST = """Police arrested Jane Roe on Monday after a fire destroyed a grain warehouse in Lyon.
The fire started shortly after midnight and burned for six hours before crews contained it.
Ann Lee, the chief executive of Acme Foods, said the company would rebuild the grain warehouse.
No one was injured, according to the fire service.
The cause of the blaze is being investigated by the city's fire chief, Mia Stone.
"""

DAILY = """Police arrested Jane Roe on Monday after a fire destroyed a grain warehouse in France.
The blaze started shortly after midnight and burned for six hours before crews contained it.
Acme Foods CEO Lee said the company would rebuild the grain warehouse.
Investigators are examining the building's wiring.
The cause of the blaze is being investigated by the city's fire chief, Mia Stone.
"""

COAST = """Police arrested John Doe on Monday after a fire destroyed a grain warehouse in Marseille.
The fire started shortly after midnight and burned for six hours before firefighters contained it.
Bob Kay, the chief executive of Acme Foods, said the company would rebuild the grain warehouse.
Local residents were told to keep their windows closed.
The cause of the fire is being investigated by the city's fire chief, Leo Grant.
"""

# ---------------------------------------------------------------- one story without any

WIRE = """Police arrested Jane Roe and Mark Poe on Friday after a protest outside the Harlow Dairy plant in Nantes.
Protesters also blocked roads in Brest and Angers during the morning.
The demonstrators accuse the company of cutting milk prices paid to farmers.
The march began on the quay of Tallow Island and ended outside the plant gates.
The dairy's former chief executive, Ivo Marr, backed the farmers in a letter.
"""

HERALD = """Police arrested Jane Roe on Friday after a protest outside the Harlow Dairy plant in Nantes.
Protesters also blocked a road in Brest during the morning.
The demonstrators accuse the company of cutting the milk prices it pays farmers.
"It is a fair demand," said Eli Cole, a spokeswoman for the farmers.
The march began on the quay of Tallow Island and ended outside the plant gates.
"""

GAZETTE = """Police arrested Jane Roe on Friday after a protest outside the Harlow Dairy plant in western France.
Protesters also blocked a road in Angers during the morning.
The demonstrators accuse the company of cutting milk prices paid to farmers.
The march began on the quay of Mirrow Island and ended outside the plant gates.
A second protest is planned for Sunday.
The dairy's chief executive, Paul Brandt, backed the farmers in a letter.
"It is a fair demand," said Dana Fox, a spokeswoman for the farmers.
"""


def _built(docs: list[Document], story_id: str) -> tuple[StoryAnalysis, dict[str, str]]:
    """The account of one story of ``docs``, and each article's path by id."""
    articles = [clean_document(d) for d in docs]
    analyzer = DocumentAnalyzer()
    analyses = [analyzer.analyze(a) for a in articles]
    story = Story(id=story_id, title="", articles=[a.id for a in articles])
    acc = build_account(story, articles, analyses, get_embedder())
    return acc, {a.id: a.path or "" for a in articles}


def _account(texts: list[tuple[str, str]], story_id: str) -> tuple[StoryAnalysis, dict[str, str]]:
    docs = [Document(text=t, path=p, published="2026-04-14") for p, t in texts]
    return _built(docs, story_id)


@pytest.fixture(scope="module")
def contested() -> tuple[StoryAnalysis, dict[str, str]]:
    return _account([("post", POST), ("daily", DAILY), ("coast", COAST)], "s-fire")


@pytest.fixture(scope="module")
def agreed() -> tuple[StoryAnalysis, dict[str, str]]:
    return _account([("wire", WIRE), ("herald", HERALD), ("gazette", GAZETTE)], "s-protest")


def _values(acc: StoryAnalysis, kind: str, names: dict[str, str]) -> list[dict[str, set[str]]]:
    return [
        {v.value: {names[a] for a in v.articles} for v in c.values}
        for c in acc.conflicts
        if c.kind == kind
    ]


@pytest.mark.slow
def test_different_person_arrested_is_a_name_conflict(contested) -> None:
    acc, names = contested
    found = _values(acc, "name", names)
    assert {"Jane Roe": {"post", "daily"}, "John Doe": {"coast"}} in found


@pytest.mark.slow
def test_different_role_holder_is_a_name_conflict(contested) -> None:
    acc, names = contested
    found = _values(acc, "name", names)
    holder = [f for f in found if "Bob Kay" in f]
    assert holder and set(holder[0]) == {"Ann Lee", "Bob Kay"}
    assert holder[0]["Ann Lee"] == {"post", "daily"}  # "Lee" is Ann Lee: an alias, not a rival
    # a role in apposition before the name
    assert {"Mia Stone": {"post", "daily"}, "Leo Grant": {"coast"}} in found


@pytest.mark.slow
def test_different_city_is_a_place_conflict_and_the_country_is_not(contested) -> None:
    acc, names = contested
    found = _values(acc, "place", names)
    assert found == [{"Lyon": {"post"}, "Marseille": {"coast"}}]


@pytest.mark.slow
def test_conflicts_make_facts_contested_and_stay_in_the_ledger(contested) -> None:
    acc, _ = contested
    about = {c.about for c in acc.conflicts if c.kind in {"name", "place"}}
    assert about and all(f.status == "contested" for f in acc.facts if f.id in about)
    places = [c for c in acc.conflicts if c.kind == "place"]
    assert places and {"Lyon", "Marseille"} <= {v.value for v in places[0].values}
    # the brief is report text only: the ledger, not the brief, sets the sides side by side
    assert not any(b.text.startswith("Reports disagree") for b in acc.brief)


@pytest.mark.slow
def test_no_false_conflicts(agreed) -> None:
    acc, _ = agreed
    # a second name added by one report, two road blocks named together by one report, a city
    # against the country that holds it, two islands the gazetteer does not know, a former
    # holder of a role against the current one, two speakers with one role
    assert [c for c in acc.conflicts if c.kind in {"name", "place"}] == []


FRIDAY = """Police arrested Jane Roe on Friday, April 10, after a protest outside the Harlow Dairy plant in Nantes.
Farmers say the dairy has cut the price it pays for milk twice this year.
"""

SUNDAY = """Police arrested Carl Moe on Sunday, April 12, after a protest outside the Harlow Dairy plant in Rennes.
Farmers say the dairy has cut the price it pays for milk twice this year.
"""


@pytest.mark.slow
def test_two_dated_events_are_not_a_conflict() -> None:
    acc, _ = _account([("friday", FRIDAY), ("sunday", SUNDAY)], "s-two")
    assert [c for c in acc.conflicts if c.kind in {"name", "place"}] == []


# ---------------------------------------------------------------- the gazetteer


def test_gazetteer_containment_and_distance() -> None:
    g: Gazetteer = gazetteer()
    assert g.relation(["Lyon"], ["France"]) == "contains"
    assert g.relation(["France"], ["Lyon"]) == "contains"
    assert g.relation(["Lyon"], ["Marseille"]) == "apart"
    assert g.relation(["Lyon"], ["Germany"]) == "apart"
    assert g.relation(["Austin"], ["Texas"]) == "contains"
    assert g.relation(["Kyiv"], ["Kiev"]) == "same"
    assert g.relation(["the United States"], ["USA"]) == "same"
    assert g.relation(["Tallow Island"], ["Lyon"]) is None
    assert g.relation(["Lyon"], ["Mirrow Island"]) is None


def test_claim_pairs_are_the_pairs_the_plain_double_loop_finds() -> None:
    """The array version of the pair selection keeps exactly the pairs of two reports, both
    naming an entity, that share a fact or are at least CLAIM_SIMILARITY alike."""
    import types

    import numpy as np

    from newsweave.story.conflicts import CLAIM_SIMILARITY, _claim_pairs

    rng = np.random.default_rng(7)
    n = 60
    claims = [types.SimpleNamespace(article=f"a{int(rng.integers(0, 5))}") for _ in range(n)]
    scores = rng.random((n, n))
    scores = (scores + scores.T) / 2
    named = [["x"] if rng.random() < 0.7 else [] for _ in range(n)]
    fact_of = {i: f"f{int(rng.integers(0, 12))}" for i in range(n) if rng.random() < 0.9}
    groups = types.SimpleNamespace(claims=claims, scores=scores)
    expected = [
        (i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if named[i]
        and named[j]
        and claims[i].article != claims[j].article
        and (fact_of.get(i) == fact_of.get(j) or scores[i, j] >= CLAIM_SIMILARITY)
    ]
    assert expected and _claim_pairs(groups, named, fact_of) == expected  # type: ignore[arg-type]


def test_relative_days_are_set_only_against_a_written_date() -> None:
    same = conflicts_mod._same_date
    # two relative expressions rest on two anchors: no clash, unless they name two weekdays
    assert same(("2013-09-13", "on Friday", None), ("2013-09-15", "yesterday", None))
    assert same(("2013-09-13", "on Friday", None), ("2013-09-06", "last Friday", None))
    assert not same(("2011-11-10", "on Thursday", None), ("2011-11-11", "on Friday", None))
    assert same(("2013-09-15", "about 3pm", "inferred"), ("2013-09-16", "about 3pm", "inferred"))
    # a written date against a weekday read from an inferred anchor: the weekday decides
    assert not same(("2024-12-30", "on December 30", "n"), ("2025-01-01", "On Wednesday", "n"))
    assert same(("2009-02-01", "on February 1", None), ("2009-03-29", "early Sunday", "n"))
    # against the report's own date, within reach of relative words
    assert not same(("2013-07-02", "on July 2", None), ("2013-07-03", "on Wednesday", None))
    # the same words without a year, a day and month whose year was inferred, a month: no clash
    assert same(("2012-03", "in March", "n"), ("2011-03", "in March", "n"))
    assert same(("2007-01-31", "January 31", "n"), ("2008-01-31", "Jan. 31, 2008", None))
    assert same(("2013-05", "in May", None), ("2013-04-29", "April 29", None))
    # a written date far from the report's day is another event
    assert same(("2004-04-21", "on April 21, 2004", None), ("2005-05-23", "on Monday", None))


def test_clock_times_within_one_zone() -> None:
    from types import SimpleNamespace

    def times(text: str) -> list[tuple[str, str, str]]:
        claim = SimpleNamespace(text=text, start=0, told=[])
        return [(zone, e[0], e[1]) for zone, e, _ in conflicts_mod._clock_times(claim)]  # type: ignore[arg-type]

    assert times("stopped at about 1:30 a.m. on Friday; 10:37 local time (0337 GMT)") == [
        ("", "01:30", "about 1:30 a.m."),
        ("", "10:37", "10:37 local time"),
        ("GMT", "03:37", "0337 GMT"),
    ]
    assert times("in 2013 at the 1990 games, 7-1, 12 AT") == []  # years, scores: no times
    same = conflicts_mod._same_time
    assert not same(("10:00", "about 10 a.m.", None), ("10:30", "around 10:30 a.m.", None))
    assert not same(("02:00", "shortly after 2 a.m.", None), ("02:30", "2:30 a.m.", None))
    assert same(("10:00", "about 10 a.m.", None), ("10:20", "10:20 a.m.", None))
    assert same(("19:00", "around 7 p.m.", None), ("22:00", "before 10 p.m.", None))
    assert not same(("10:37", "10:37", None), ("10:40", "10:40", None))


def test_bounds_estimates_updates_totals_and_parts_are_not_clashes() -> None:
    assert conflicts_mod._qualifier("a dozen countries") == "about"
    same = conflicts_mod._same_number
    assert same(("40 people", "at least 40 people", None), ("45 people", "45 people", None))
    assert same(("100 rounds", "about 100 rounds", None), ("107 rounds", "107 rounds", None))
    assert not same(("80 USD", "nearly $80 million", None), ("82 USD", "$82 million", None))
    assert not same(("5 people", "five people", None), ("7 people", "seven people", None))
    # rounding and a scale word left out
    assert same(("22.1 USD", "$22.1 billion", None), ("22 USD", "$22 billion", None))
    assert same(("5.4 USD", "$5.4", None), ("5.4e+09 USD", "$5.4 billion", None))
    assert not same(("281 USD", "$281m", None), ("334 USD", "$334 million", None))
    assert not same(
        ("9 people", "at least nine people", None), ("11 people", "at least 11 people", None)
    )
    from newsweave.model import Quantity
    from newsweave.story.facts import ClaimInfo

    def claim(text: str) -> ClaimInfo:
        at = text.index("12")
        q = Quantity(
            start=at, end=at + 11, text=text[at : at + 11], value=12.0, unit="magazines", sentence=0
        )
        return ClaimInfo(
            article="a", sentence=0, text=text, position=0, start=0, end=len(text), quantities=[q]
        )

    assert conflicts_mod._counted(claim("Commandos seized 12 magazines of ammunition."))
    assert not conflicts_mod._counted(
        claim("The navy has seized a total of 12 magazines in five operations.")
    )
    assert not conflicts_mod._counted(claim("The toll rose to 12 magazines, officials said."))
    assert not conflicts_mod._counted(claim("They found another 12 magazines."))


def test_an_acronym_and_its_expansion_are_one_name() -> None:
    assert conflicts_mod._abbreviates(["U.N."], ["United Nations"])
    assert conflicts_mod._abbreviates(["AMD"], ["Advanced Micro Devices"])
    assert not conflicts_mod._abbreviates(["Jane Roe"], ["John Doe"])


CLIMB_A = """Ravi Hollis, 32, fell about 600 metres while climbing to a hut on Mount Tarrow on Saturday, police said.
The day before, another climber slipped and fell about 60 metres from a ridge in the same park.
"""

CLIMB_B = """A 31-year-old Ravi Hollis fell about 2,000 feet while climbing to a hut on Mount Tarrow on Saturday.
Police said another climber had fallen about 200 feet from a ridge the day before.
"""

CLIMB_C = """Police said climber Ravi Hollis, 32, died on Mount Tarrow on Saturday.
On Friday another climber fell about 150 metres from a ridge in the same park and died.
"""


@pytest.mark.slow
def test_ages_of_one_person_and_lengths_in_other_units() -> None:
    acc, names = _account([("a", CLIMB_A), ("b", CLIMB_B), ("c", CLIMB_C)], "s-climb")
    ages = [c for c in acc.conflicts if any("Hollis" in v.text for v in c.values)]
    assert ages, acc.conflicts
    sides = {v.value: {names[a] for a in v.articles} for v in ages[0].values}
    assert sides == {"32": {"a", "c"}, "31": {"b"}}
    # 60 metres and 200 feet are one length (one side), against 150 metres
    falls = [c for c in acc.conflicts if any(v.value == "150 m" for v in c.values)]
    assert falls and len(falls[0].values) == 2, falls
    other = {names[a] for v in falls[0].values if v.value != "150 m" for a in v.articles}
    assert "a" in other
    # 600 metres and 2,000 feet agree: no conflict between them
    assert not any({"600 m", "610 m"} <= {v.value for v in c.values} for c in acc.conflicts)


def test_what_is_counted_and_lists_of_figures() -> None:
    from newsweave.document.quantities import find
    from newsweave.model import Sentence
    from newsweave.story.facts import ClaimInfo

    def claim(text: str) -> ClaimInfo:
        qs = find(text, [Sentence(0, 0, len(text), text)])
        return ClaimInfo(
            article="a", sentence=0, text=text, position=0, start=0, end=len(text), quantities=qs
        )

    c = claim("The quake killed five people and injured at least 50 people in the district.")
    slots = {conflicts_mod._slot(c, q)[0] for q in conflicts_mod._counted(c)}
    assert slots == {"people:dead", "people:injured"}
    prices = claim("The laptops cost $999, $1,199 and $1,499 at launch.")
    assert conflicts_mod._counted(prices) == []


def test_ages_in_words_and_after_age_and_counts_of_a_part() -> None:
    assert conflicts_mod._age("Sixty") == 60
    assert conflicts_mod._age("sixty-one") == 61
    assert conflicts_mod._age("nineteen") == 19
    found = conflicts_mod._AGE_BEFORE.search("Sixty-year-old ")
    assert found and conflicts_mod._age(found.group(1)) == 60
    found = conflicts_mod._AGE_AFTER.match(", age 61, with")
    assert found and found.group(1) == "61"
    from newsweave.model import Quantity
    from newsweave.story.facts import ClaimInfo

    def claim(text: str, written: str, value: float, unit: str) -> ClaimInfo:
        at = text.index(written)
        q = Quantity(at, at + len(written), written, value, unit, 0)
        return ClaimInfo("a", 0, text, 0, 0, len(text), quantities=[q])

    part = claim(
        "He was hit by three of the seven bullets fired.",
        "three of the seven bullets",
        3,
        "bullets",
    )
    ratio = claim(
        "Manning completed 29-of-34 passes for 364 yards.", "29-of-34 passes", 29, "passes"
    )
    whole = claim("Officers fired seven bullets at him.", "seven bullets", 7, "bullets")
    assert not conflicts_mod._counted(part)
    assert not conflicts_mod._counted(ratio)
    assert conflicts_mod._counted(whole)


def test_an_amount_converted_into_another_currency_is_not_set_against_others() -> None:
    from newsweave.document.quantities import find
    from newsweave.model import Sentence
    from newsweave.story.facts import ClaimInfo

    def claim(text: str) -> ClaimInfo:
        qs = find(text, [Sentence(0, 0, len(text), text)])
        return ClaimInfo("a", 0, text, 0, 0, len(text), quantities=qs)

    converted = claim("They agreed a 110 billion euros ($143 billion) bailout.")
    assert [q.unit for q in conflicts_mod._counted(converted)] == ["EUR"]
    plain = claim("The company paid $143 billion for the bank.")
    assert [q.unit for q in conflicts_mod._counted(plain)] == ["USD"]


def test_a_measure_of_one_thing_is_not_set_against_a_total() -> None:
    from newsweave.document.quantities import find
    from newsweave.model import Sentence
    from newsweave.story.facts import ClaimInfo

    def slots(text: str) -> set[str]:
        c = ClaimInfo(
            "a", 0, text, 0, 0, len(text), quantities=find(text, [Sentence(0, 0, len(text), text)])
        )
        return {conflicts_mod._slot(c, q)[0] for q in conflicts_mod._counted(c)}

    assert slots("Charles broke an 86-yard run.") != slots("Charles ran for 226 yards.")
    assert slots("Charles broke an 86-yard run.") == slots("Charles broke an 84-yard run.")


def _claim_of(text: str) -> ClaimInfo:
    from newsweave.document.quantities import find
    from newsweave.model import Sentence

    qs = find(text, [Sentence(0, 0, len(text), text)])
    return ClaimInfo("a", 0, text, 0, 0, len(text), quantities=qs)


def _slots(text: str) -> dict[str, str]:
    c = _claim_of(text)
    return dict(conflicts_mod._slot(c, q) for q in conflicts_mod._counted(c))


def test_a_duration_is_one_slot_however_it_is_written() -> None:
    adjectival = _slots("In 1961 the smuggler got a five-year sentence.")
    plural = _slots("The smuggler was sentenced to seven years in prison.")
    assert set(adjectival) == set(plural) == {"year"}
    assert adjectival["year"] != plural["year"]
    # a measure of one thing stays apart from a total
    assert set(_slots("Noor broke a 61-yard run.")) != set(_slots("Noor ran for 140 yards."))


def test_people_seized_or_jailed_are_held() -> None:
    assert set(_slots("Police seized 41 members of the gang on Tuesday.")) == {"member:held"}
    assert set(_slots("The 12 suspects were jailed overnight.")) == {"suspect:held"}


def test_the_whole_a_part_is_counted_of_is_set_against_nothing() -> None:
    told = _claim_of("Okafor completed 17 of 26 passes for 212 yards.")
    assert [q.text for q in conflicts_mod._counted(told)] == ["212 yards"]
    assert [q.text for q in conflicts_mod._counted(_claim_of("Okafor completed 17 passes."))] == [
        "17 passes"
    ]


def test_two_lower_bounds_of_a_duration_agree_and_of_a_count_do_not() -> None:
    same = conflicts_mod._same_number
    assert same(("30 hours", "more than 30 hours", None), ("4 hours", "more than four hours", None))
    assert not same(("9 people", "at least nine people", None), ("11 people", "at least 11", None))


def test_a_year_alone_fills_a_date_slot() -> None:
    assert conflicts_mod._YEAR_ALONE.fullmatch("In 1969")
    assert conflicts_mod._YEAR_ALONE.fullmatch("1970")
    assert not conflicts_mod._YEAR_ALONE.fullmatch("in April 1970")
    assert not conflicts_mod._YEAR_ALONE.fullmatch("the 1970s")


def test_people_are_found_where_the_tagger_missed_them_by_a_name_of_one_person() -> None:
    from newsweave.model import Article, Entity
    from newsweave.story.account import _name_people

    text = "Vereker threw for 301 yards. Lind and Vereker met. Ana Lind scored."
    article = Article(id="a1", content_hash="x", text=text)
    persons = [
        Entity(id="e-tomas-vereker", name="Tomas Vereker", type="person", aliases=["Vereker"]),
        Entity(id="e-ana-lind", name="Ana Lind", type="person", aliases=["Lind"]),
        Entity(id="e-olaf-lind", name="Olaf Lind", type="person", aliases=["Lind"]),
    ]
    people: conflicts_mod.PeopleAt = {"a1": [(text.index("Ana Lind"), len(text) - 8, "e-ana-lind")]}
    _name_people(people, [article], persons)
    found = {(text[s:e], eid) for s, e, eid in people["a1"]}
    # "Lind" is two people's name: left alone; the tagged "Ana Lind" is kept as it was
    assert found == {
        ("Vereker", "e-tomas-vereker"),
        ("Ana Lind", "e-ana-lind"),
    }
    assert len(people["a1"]) == 3


def test_dates_of_similar_claims_clash_only_when_told_alike() -> None:
    from newsweave.model import ConflictValue

    embedder = get_embedder()
    told = {
        ("a", "1998-06"): ["after being convicted in N of armed robbery in the county"],
        ("b", "1999-06"): ["the family moved back to the coast in N after the storm"],
        ("c", "1999-07"): ["after being convicted in N of armed robbery in that county"],
    }
    steps = [
        ConflictValue(value="1998-06", text="in June 1998", articles=["a"]),
        ConflictValue(value="1999-06", text="in June 1999", articles=["b"]),
    ]
    clash = [
        ConflictValue(value="1998-06", text="in June 1998", articles=["a"]),
        ConflictValue(value="1999-07", text="in July 1999", articles=["c"]),
    ]
    assert not conflicts_mod._dated_alike(steps, told, embedder)
    assert conflicts_mod._dated_alike(clash, told, embedder)


def test_a_count_of_people_and_of_some_people_with_one_role_are_one_slot() -> None:
    one = conflicts_mod._one_family
    assert one("people:held", "fan:held")
    assert one("person:dead", "miner:dead")
    assert not one("people:held", "fan:injured")  # what befell them differs
    assert not one("people", "fan")  # nothing befell them: two counts of anything
    assert not one("fan:held", "officer:held")  # two kinds of people
    assert not one("people+other:held", "fan:held")  # the rest of a list


def test_a_length_has_no_role_of_the_people_near_it() -> None:
    """ "fell about 150 metres to his death" measures a fall: it is set against "fell about 200
    ft", not kept apart as a count of the dead."""
    from newsweave.model import Quantity
    from newsweave.story.conflicts import _slot

    def slot(text: str, figure: str, value: float, unit: str) -> tuple[str, str]:
        at = text.index(figure)
        q = Quantity(at, at + len(figure), figure, value, unit, 0)
        return _slot(ClaimInfo("a", 0, text, 0, 0, len(text), quantities=[q]), q)

    fall = slot("A climber is dead after falling about 150 metres.", "150 metres", 150, "metres")
    other = slot("The climber fell about 200 ft from a ridge.", "200 ft", 200, "ft")
    assert fall == ("length", "150 m") and other[0] == "length"
    dead = slot("Five people were killed in the crash.", "Five people", 5, "people")
    assert dead[0] == "people:dead"  # a count of people keeps its role


def _dated_account(texts: list[tuple[str, str, str]]) -> list[Conflict]:
    """The conflicts of one story of (path, published, text) reports."""
    docs = [Document(text=t, path=p, published=d) for p, d, t in texts]
    return _built(docs, "s-days")[0].conflicts


@pytest.mark.slow
def test_a_report_that_dates_both_events_tells_them_apart() -> None:
    """ "charged on Monday" in one report and "convicted on Friday" in a later one that also says
    he was charged on Monday: two events, not two days of one."""
    charged = (
        "Prosecutors charged the former mayor with fraud on Monday over the sale of city land, "
        "the prosecutor's office said. He denies wrongdoing."
    )
    convicted = (
        "A court convicted the former mayor of fraud on Friday over the sale of city land. He "
        "was charged on Monday and tried in an expedited hearing, the prosecutor's office said."
    )
    found = _dated_account([("a", "2024-10-08", charged), ("b", "2024-10-12", convicted)])
    assert [c for c in found if c.kind == "date"] == []
    # the day of one event told two ways stays a conflict
    thursday = (
        "An avalanche buried a group of hikers in the northern range on Thursday, killing four "
        "of them, mountain rescuers said. Two hikers were rescued alive."
    )
    wednesday = (
        "Four hikers were killed when an avalanche buried their group in the northern range on "
        "Wednesday, mountain rescuers said. Two were rescued alive."
    )
    found = _dated_account([("a", "2024-12-06", thursday), ("b", "2024-12-06", wednesday)])
    assert [sorted(v.value for v in c.values) for c in found if c.kind == "date"] == [
        ["2024-12-04", "2024-12-05"]
    ]


def test_told_apart_needs_the_other_event_told_alike_on_its_day() -> None:
    """Report b tells a's event ("charged ... Monday") as well as its own: told apart. Report
    b giving a's day to something else (a funeral) does not part the two."""
    import numpy as np

    from newsweave.model import ConflictValue
    from newsweave.story.facts import FactGroups

    def claim(article: str, text: str, day: str) -> ClaimInfo:
        return ClaimInfo(article, 0, text, 0, 0, len(text), dates=frozenset({day}))

    claims = [
        claim("a", "The mayor was charged with fraud on Monday.", "2024-10-07"),
        claim("b", "The mayor was convicted of fraud on Friday.", "2024-10-11"),
        claim("b", "He had been charged on Monday.", "2024-10-07"),
    ]
    sides = [
        ConflictValue(value="2024-10-07", text="on Monday", articles=["a"]),
        ConflictValue(value="2024-10-11", text="on Friday", articles=["b"]),
    ]
    told_in = {"2024-10-07": [0], "2024-10-11": [1]}
    of_article = {"a": [0], "b": [1, 2]}

    def groups(score: float) -> FactGroups:
        scores = np.eye(3, dtype=np.float32)
        scores[0, 2] = scores[2, 0] = score
        return FactGroups([], claims, scores, {}, {}, np.zeros((3, 1), np.float32))

    assert conflicts_mod._told_apart(sides, groups(0.8), told_in, of_article)
    assert not conflicts_mod._told_apart(sides, groups(0.2), told_in, of_article)


def test_claims_with_rival_values_are_embedded_whatever_words_they_share() -> None:
    """In a story of two reports every word the two share is the story's own, so no rare word
    links "killed on Thursday" to "killed on Wednesday"; their days of one kind still earn both
    an embedding, else the conflict between them could never be found."""
    import numpy as np

    from newsweave.model import Quantity
    from newsweave.story.facts import needs_embedding

    def claim(article: str, text: str, dates: frozenset[str], qs: list[Quantity]) -> ClaimInfo:
        return ClaimInfo(article, 0, text, 0, 0, len(text), quantities=qs, dates=dates)

    thursday = claim(
        "a", "Four hikers died in an avalanche on Thursday.", frozenset({"2024-12-05"}), []
    )
    wednesday = claim(
        "b", "An avalanche killed hikers on Wednesday.", frozenset({"2024-12-04"}), []
    )
    nothing = claim("c", "Rescuers praised the hikers.", frozenset(), [])
    crew = claim(
        "c",
        "The ship had 18 sailors.",
        frozenset(),
        [Quantity(13, 23, "18 sailors", 18, "sailors", 0)],
    )
    other = claim(
        "d",
        "The ship had 21 sailors.",
        frozenset(),
        [Quantity(13, 23, "21 sailors", 21, "sailors", 0)],
    )
    claims = [thursday, wednesday, nothing, crew, other]
    need = needs_embedding(claims, np.zeros((len(claims), len(claims)), np.float32))
    assert need.tolist() == [True, True, False, True, True]


@pytest.mark.slow
def test_days_of_an_action_done_again_are_no_conflict() -> None:
    first = (
        "The fishing boat sank on Monday. Divers resumed the search for the missing on "
        "Wednesday, the navy said."
    )
    later = (
        "Divers searched the wreck of the fishing boat again on Thursday, the navy said. It sank "
        "on Monday."
    )
    found = _dated_account([("a", "2024-03-14", first), ("b", "2024-03-15", later)])
    assert [c for c in found if c.kind == "date"] == []
    assert conflicts_mod._REPEATED.search("They tried once more on Friday.")
    assert not conflicts_mod._REPEATED.search("The boat sank on Friday.")


def test_a_body_counted_by_its_size_and_its_members_are_one_slot() -> None:
    """ "a crew of 21" is a count of the crew, as "18 crew members" is; "a man of 60" is no
    count and "a crew of 21 sailors" is counted by its own noun."""
    from newsweave.model import Quantity
    from newsweave.story.conflicts import _collectives, _counted, _slot

    ship = "The ship, which had a crew of 21, sank on Sunday."
    c = ClaimInfo("a", 0, ship, 0, 0, len(ship))
    (q,) = _collectives(c, [])
    assert (q.value, _slot(c, q)[0]) == (21, "crew")
    assert [x.value for x in _counted(c)] == [21]
    for text in ("A man of 60 was hurt.", "It had a crew of 21 sailors."):
        assert not _collectives(ClaimInfo("a", 0, text, 0, 0, len(text)), [])
    members = "The ship sank with 18 crew members on board."
    at = members.index("18")
    m = Quantity(at, at + len("18 crew members"), "18 crew members", 18, "members", 0)
    c = ClaimInfo("b", 0, members, 0, 0, len(members), quantities=[m])
    assert _slot(c, m)[0] == "crew"


def test_magnitudes_and_unnamed_ages_are_read_where_the_quantities_reader_leaves_them() -> None:
    from newsweave.story.conflicts import _collectives, _one_family, _slot

    def read(text: str) -> list[tuple[float | None, str]]:
        c = ClaimInfo("a", 0, text, 0, 0, len(text))
        return [(q.value, _slot(c, q)[0]) for q in _collectives(c, [])]

    assert read("A magnitude 6.1 earthquake struck.") == [(6.1, "magnitude")]
    assert read("It had a magnitude of 5.8, the centre said.") == [(5.8, "magnitude")]
    assert read("A 7.0-magnitude quake hit the coast.") == [(7.0, "magnitude")]
    assert read("Police arrested a 25-year-old man.") == [(25, "age-m")]
    assert read("The 27-year-old suspect was held.") == [(27, "age")]
    assert read("The 30-year-old woman's car was found.") == []  # her car, not her
    assert _one_family("age", "age-m") and not _one_family("age-m", "age-f")
    text = "Police arrested a 25-year-old man."
    c = ClaimInfo("a", 0, text, 0, 0, len(text))
    (q,) = _collectives(c, [])
    assert _slot(c, q)[1] == "25 years old"


@pytest.mark.slow
def test_each_pair_of_entities_is_judged_once_with_the_same_conflicts(
    contested, monkeypatch
) -> None:
    # the claims of a story pair the same two entities many times: their kind (a name or a
    # place conflict, or none) is worked out once per ordered pair
    acc, _ = contested
    seen: list[tuple[str, str]] = []
    judge = conflicts_mod._pair_kind

    def counted(x, y, is_place=None):  # type: ignore[no-untyped-def]
        if is_place is not None:
            seen.append((x.id, y.id))
        return judge(x, y, is_place)

    monkeypatch.setattr(conflicts_mod, "_pair_kind", counted)
    again, _ = _account([("post", POST), ("daily", DAILY), ("coast", COAST)], "s-fire")
    assert seen and len(seen) == len(set(seen))
    assert to_dict(again.conflicts) == to_dict(acc.conflicts)


def test_claims_compared_across_facts_are_the_pairs_the_loop_over_all_pairs_took() -> None:
    # the pairs find_across compares, from arrays: the same pairs in the same order as a loop
    # over every pair, a score at the bound (in float32, as the scores are) included
    from types import SimpleNamespace
    from typing import Any, cast

    import numpy as np

    rng = np.random.default_rng(7)
    n = 60
    claims = [SimpleNamespace(article=f"a{k % 5}") for k in range(n)]
    scores = rng.uniform(0.3, 0.9, (n, n)).astype(np.float32)
    scores = np.maximum(scores, scores.T)
    bound = np.float32(conflicts_mod.CLAIM_SIMILARITY)
    scores[3, 17] = scores[17, 3] = bound
    scores[4, 18] = scores[18, 4] = np.nextafter(bound, np.float32(0))
    slot_of = {k: k // 4 for k in range(0, n, 2)}
    fills = [[object()] if k % 7 else [] for k in range(n)]
    expected = [
        (i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if claims[i].article != claims[j].article
        and slot_of.get(i, -1 - i) != slot_of.get(j, -1 - j)
        and not float(scores[i, j]) < conflicts_mod.CLAIM_SIMILARITY
        and fills[i]
        and fills[j]
    ]
    groups = cast(Any, SimpleNamespace(claims=claims, scores=scores))
    assert conflicts_mod._similar_pairs(groups, slot_of, cast(Any, fills)) == expected
    assert (3, 17) in expected and (4, 18) not in expected


def test_a_date_dates_the_event_it_hangs_on() -> None:
    """The word a date hangs on in the parse names the event it dates, with the names taking
    part in it; the date of a report's own posting dates no event of the story."""
    from newsweave.story.conflicts import _dated_event, _one_event
    from newsweave.story.relations import default_parser

    def event(text: str, date: str) -> tuple[str, frozenset[str]] | None:
        doc = default_parser().parse([text])[text]
        at = text.index(date)
        return _dated_event(doc, at, at + len(date))

    killed = event("Tomas Verel was killed by a police bullet on 6 December.", "on 6 December")
    shot = event("Officer Dane Holt killed Verel on Sunday during a clash.", "on Sunday")
    assert killed is not None and killed[0] == "kill"
    assert _one_event(killed, shot)
    sold = event("The family sold the field for $30 million in 1957.", "in 1957")
    assert sold is not None and sold[0] == "sell"
    assert not _one_event(killed, sold)
    ada = event("Hurricane Ada destroyed the clinic in 1998.", "in 1998")
    bret = event("The clinic was destroyed in Hurricane Bret in 2005.", "in 2005")
    assert ada is not None and bret is not None and ada[0] == bret[0] == "destroy"
    assert not _one_event(ada, bret)  # two hurricanes: two events
    assert event("Posted in Accidents on Friday, September 20, 2013.", "on Friday") is None
    assert event("The minister said on Monday that talks failed.", "on Monday") is None


@pytest.mark.slow
def test_one_event_dated_two_ways_in_words_unlike_is_a_conflict() -> None:
    """ "killed by a police bullet on 6 December" / "killed Verel on Sunday during a clash": the
    words around the two days differ, the event they date is one."""
    a = (
        "Riots spread across the capital. It was near the market district where Tomas Verel, 15, "
        "was killed by a police bullet on 6 December. Shops were burned overnight."
    )
    b = (
        "According to the charge sheet, Officer Dane Holt killed Verel on Sunday during a clash "
        "with youths in the market district, an incident which sparked the riots."
    )
    found = _dated_account([("a", "2008-12-11", a), ("b", "2008-12-11", b)])
    assert [sorted(v.value for v in c.values) for c in found if c.kind == "date"] == [
        ["2008-12-06", "2008-12-07"]
    ]


def test_a_weekday_of_an_undated_report_is_set_against_another_weekday() -> None:
    """ "died on Friday" in a report no date was found for keeps its weekday, which differs
    from "died Thursday"; a value like both sides ("this morning") makes no report give both."""
    from newsweave.document.timex.values import display
    from newsweave.story.conflicts import _disagreeing, _same_date, _weekday_only

    assert _weekday_only("on Friday") == "XXXX-WXX-5"
    assert _weekday_only("Friday, March 8") is None  # a date written out is read as such
    assert _weekday_only("this morning") is None
    assert display("XXXX-WXX-5") == "a Friday"
    fri = ("XXXX-WXX-5", "on Friday", "inferred")
    thu = ("2024-03-07", "Thursday", "inferred")
    morning = ("2024-03-09", "this morning", "inferred")
    assert not _same_date(fri, thu)
    assert _same_date(fri, ("XXXX-WXX-5", "Friday", None))
    assert _same_date(fri, morning)  # names no weekday: no clash
    found = _disagreeing({"a": [fri], "b": [thu], "c": [morning]}, same=_same_date)
    assert {v.value for v in found} == {"XXXX-WXX-5", "2024-03-07"}
    # a report that does give both weekdays tells two days apart
    assert _disagreeing({"a": [fri], "b": [thu], "c": [fri, thu]}, same=_same_date) == []


def test_a_figure_of_a_claim_opening_with_he_is_the_person_named_before() -> None:
    """ "He has 53 catches for 605 yards and five touchdowns" after "Marvin Hale did not play"
    tells Hale's figures, not figures of no one that any other player's could contradict."""
    from newsweave.model import Quantity
    from newsweave.story.conflicts import _owner

    article = "Marvin Hale did not play on Thursday. He has 53 catches and five touchdowns."
    start = article.index("He has")
    claim = ClaimInfo("a", 1, article[start:], 0.5, start, len(article))
    at = article.index("five touchdowns")
    five = Quantity(at, at + len("five touchdowns"), "five touchdowns", 5.0, "touchdowns", 1)
    people = [(0, len("Marvin Hale"), "e-hale")]
    assert _owner(claim, five, people) == "e-hale"
    assert _owner(claim, five, []) is None  # no one named before
    said = "Marvin Hale did not play. He said five touchdowns were scored."
    start = said.index("He said")
    claim = ClaimInfo("a", 1, said[start:], 0.5, start, len(said))
    at = said.index("five touchdowns")
    five = Quantity(at, at + len("five touchdowns"), "five touchdowns", 5.0, "touchdowns", 1)
    assert _owner(claim, five, people) is None  # he tells it: a figure of no one
