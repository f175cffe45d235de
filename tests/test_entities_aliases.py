"""Aliases as written and merges of one person's or body's names, on invented reports."""

from __future__ import annotations

from newsweave.model import Article, ArticleAnalysis, Entity, Mention
from newsweave.story import entities

P = "PERSON"


def _at(aid: str, text: str, *spans: tuple[str, str]) -> tuple[Article, ArticleAnalysis]:
    """An article whose mentions are found in ``text``; a surface followed by ``@n`` is its
    n-th occurrence (from 0)."""
    ms = []
    for spec, label in spans:
        surface, _, nth = spec.partition("@")
        at = -1
        for _ in range(int(nth or 0) + 1):
            at = text.index(surface, at + 1)
        ms.append(Mention(at, at + len(surface), surface, label, 0))
    ms.sort(key=lambda m: m.start)
    return (
        Article(id=aid, content_hash=aid, text=text),
        ArticleAnalysis(article=aid, version="t", mentions=ms),
    )


def resolve(*arts: tuple[Article, ArticleAnalysis]) -> entities.EntityIndex:
    return entities.resolve("s1", [a for a, _ in arts], [b for _, b in arts])


def holding(index: entities.EntityIndex, alias: str) -> list[Entity]:
    return [e for e in index.entities if alias in e.aliases]


def test_a_rank_written_abbreviated_before_a_name_is_an_alias() -> None:
    index = resolve(
        _at(
            "a1",
            "Velmor Police Sgt. Ana Kovrig said the road was shut. Rev. Ivo Drask prayed.",
            ("Velmor Police", "ORG"),
            ("Ana Kovrig", P),
            ("Ivo Drask", P),
        ),
        _at(
            "a2",
            "The ruling came from Selby Court. Kovrig said little.",
            ("Selby Court", "ORG"),
            ("Kovrig", P),
        ),
    )
    (ana,) = holding(index, "Ana Kovrig")
    assert {"Velmor Police Sgt. Ana Kovrig", "Sgt. Ana Kovrig", "Kovrig"} <= set(ana.aliases)
    assert "Rev. Ivo Drask" in holding(index, "Ivo Drask")[0].aliases
    # a sentence ending in a name is no title: "Court." is not "Ct."
    assert not any("Court. Kovrig" in a for a in ana.aliases)


def test_a_nickname_written_inside_a_name_names_the_person() -> None:
    index = resolve(
        _at("a1", 'Luka "Red" Varnel, 40, was charged.', ('Luka "Red" Varnel', P)),
        _at("a2", "Red Varnel was held. Red said nothing.", ("Red Varnel", P), ("Red@1", P)),
        _at("a3", "Luka (Red) Varnel left.", ("Luka (Red) Varnel", "ORG")),
    )
    (e,) = index.entities
    assert {'Luka "Red" Varnel', "Red Varnel", "Red", "Luka (Red) Varnel"} <= set(e.aliases)


def test_junior_and_senior_of_one_name_are_two_people() -> None:
    index = resolve(
        _at("a1", "Tam Oduya Sr. died.", ("Tam Oduya Sr.", P)),
        _at("a2", "His son Tam Oduya Jr. spoke.", ("Tam Oduya Jr.", P)),
        _at("a3", "Tam Oduya was 91.", ("Tam Oduya", P)),
    )
    assert holding(index, "Tam Oduya") == holding(index, "Tam Oduya Sr.")
    assert holding(index, "Tam Oduya Jr.") != holding(index, "Tam Oduya")


def test_mr_and_ms_go_to_the_man_and_the_woman_of_one_surname() -> None:
    text = (
        "Dorn Aleski, 40, was charged with killing his neighbour. "
        "His wife, Mara Aleski, said she was at home. Mr. Aleski denied it. "
        "Ms. Aleski wept."
    )
    a = _at("a1", text, ("Dorn Aleski", P), ("Mara Aleski", P), ("Aleski@2", P), ("Aleski@3", P))
    index = resolve(a)
    dorn, mara = holding(index, "Dorn Aleski")[0], holding(index, "Mara Aleski")[0]
    assert index.entity_of("a1", text.index("Aleski denied")) == dorn.id
    assert index.entity_of("a1", text.index("Aleski wept")) == mara.id
    # she is "Ms. Aleski" in the aliases: a bare "Aleski" is her husband's
    assert "Ms. Aleski" in mara.aliases and "Aleski" not in mara.aliases


def test_a_womans_title_and_surname_join_the_one_woman_named_so() -> None:
    index = resolve(
        _at(
            "a1",
            "Chancellor Ilse Marrow said she would stay. Ilse Marrow met her party.",
            ("Ilse Marrow", P),
            ("Ilse Marrow@1", P),
        ),
        _at("a2", "Ms Marrow spoke to her party.", ("Ms Marrow", P)),
    )
    assert {"Ilse Marrow", "Ms Marrow"} <= set(holding(index, "Ilse Marrow")[0].aliases)
    # a man's full name is no "Mrs."'s, nor is one a "Mr." of that name is written beside; with
    # neither, the one person the story names so
    index = resolve(
        _at("a1", "Jon Keel said he would go.", ("Jon Keel", P)),
        _at("a2", "Mrs Keel stayed. Ida Vell came.", ("Mrs Keel", P), ("Ida Vell", P)),
        _at("a3", "Mrs Vell stayed. Abe Dorn spoke.", ("Mrs Vell", P), ("Abe Dorn", P)),
        _at("a4", "Mr. Dorn and Mrs Dorn left.", ("Dorn", P), ("Mrs Dorn", P)),
    )
    assert {"Ida Vell", "Mrs Vell"} <= set(holding(index, "Ida Vell")[0].aliases)
    assert len(holding(index, "Mrs Keel")[0].aliases) == 1
    assert "Mrs Dorn" not in holding(index, "Abe Dorn")[0].aliases


def test_a_surname_alone_is_the_storys_person_not_the_relative_named_before_it() -> None:
    text = (
        "Gary Tolmach, 35, was arrested. Tolmach's mother, Ann Tolmach, 61, was found dead. "
        "Tolmach was held without bail."
    )
    a = _at("a1", text, ("Gary Tolmach", P), ("Tolmach", P), ("Ann Tolmach", P), ("Tolmach@3", P))
    index = resolve(a)
    gary = holding(index, "Gary Tolmach")[0]
    assert index.entity_of("a1", text.index("Tolmach was held")) == gary.id
    assert "Tolmach" not in holding(index, "Ann Tolmach")[0].aliases


def test_an_initial_for_a_given_name_and_the_name_by_its_middle_name_are_one_person() -> None:
    index = resolve(
        _at("a1", "J. Orin Tasker spoke.", ("J. Orin Tasker", P)),
        _at("a2", "James Orin Tasker was 91.", ("James Orin Tasker", P)),
        _at("a3", "Orin Tasker, the source, spoke.", ("Orin Tasker", P)),
    )
    (e,) = index.entities
    assert {"J. Orin Tasker", "James Orin Tasker", "Orin Tasker"} <= set(e.aliases)


def test_a_given_name_in_two_transliterations_or_short_and_long_is_one_person() -> None:
    index = resolve(
        _at("a1", "President Karel Vosko spoke.", ("Karel Vosko", P)),
        _at("a2", "President Carel Vosko spoke.", ("Carel Vosko", P)),
        _at("a3", "Katie Brenn, 15, was found.", ("Katie Brenn", P)),
        _at("a4", "Kathryn Brenn, 15, was found.", ("Kathryn Brenn", P)),
    )
    assert len(index.entities) == 2
    assert {"Karel Vosko", "Carel Vosko"} <= set(holding(index, "Karel Vosko")[0].aliases)


def test_a_name_with_and_without_accents_is_one_and_a_capital_the_is_part_of_a_name() -> None:
    index = resolve(
        _at(
            "a1",
            "Thieves hit a shop on Place Vélin, said The Daily Courier.",
            ("Place Vélin", P),
            ("Daily Courier", "ORG"),
        ),
        _at(
            "a2",
            "Place Velin was shut. The Daily Courier said so.",
            ("Place Velin", "ORG"),
            ("Place Velin@0", "ORG"),
            ("Daily Courier", "ORG"),
        ),
    )
    (square,) = holding(index, "Place Velin")
    assert "Place Vélin" in square.aliases and square.type == "organisation"
    (paper,) = holding(index, "Daily Courier")
    # "The" opening a sentence is the sentence's; inside one, the paper's name
    assert paper.aliases == ["Daily Courier", "The Daily Courier"]


def test_a_surname_with_a_title_is_no_persons_name() -> None:
    text = "Ada Brill spoke. Mr. Brill left. Mr. Brill came back. His wife Una Brill stayed."
    index = resolve(
        _at("a1", text, ("Ada Brill", P), ("Brill@1", P), ("Brill@2", P), ("Una Brill", P))
    )
    assert {e.name for e in index.entities} == {"Ada Brill", "Una Brill"}


def test_a_bodys_name_with_its_kind_after_it_or_a_word_left_out_is_one_body() -> None:
    index = resolve(
        _at(
            "a1",
            "Robbers hit Dunmore Gray Bank and Vell Plc.",
            ("Dunmore Gray Bank", "ORG"),
            ("Vell Plc", "ORG"),
        ),
        _at("a2", "Dunmore Gray said Vell lost money.", ("Dunmore Gray", "ORG"), ("Vell", "ORG")),
        _at("a3", "He was held at Tarn County Courthouse.", ("Tarn County Courthouse", "ORG")),
        _at("a4", "He was held at Tarn Courthouse.", ("Tarn Courthouse", "ORG")),
    )
    assert len(index.entities) == 3


def test_a_place_a_common_word_or_another_bodys_name_is_not_a_bodys_part() -> None:
    index = resolve(
        _at(
            "a1",
            "Police in Tarn said the Police Department and Tarn Rovers Club agreed.",
            ("Police", "ORG"),
            ("Tarn", "GPE"),
            ("Police Department", "ORG"),
            ("Tarn Rovers Club", "ORG"),
        ),
        _at(
            "a2",
            "University of Ostrava and University of South Ostrava met; the police came.",
            ("University of Ostrava", "ORG"),
            ("University of South Ostrava", "ORG"),
        ),
    )
    assert len(index.entities) == 6


def test_a_given_name_taken_for_a_place_is_the_person_unless_written_as_a_place() -> None:
    index = resolve(
        _at(
            "a1",
            "Orla Brenn won. It was vintage Orla at her best.",
            ("Orla Brenn", P),
            ("Orla@1", "LOC"),
        ),
        _at(
            "a2",
            "Austin Keel scored. Austin won the game.",
            ("Austin Keel", P),
            ("Austin@1", "GPE"),
        ),  # a city's name
        _at(
            "a3",
            "Idris Moll left. Fans flew in Idris to see him.",
            ("Idris Moll", P),
            ("Idris@1", "GPE"),
        ),  # written as a place
    )
    assert "Orla" in holding(index, "Orla Brenn")[0].aliases
    assert "Austin" not in holding(index, "Austin Keel")[0].aliases
    assert "Idris" not in holding(index, "Idris Moll")[0].aliases


def test_one_part_of_a_double_surname_is_the_same_person() -> None:
    index = resolve(
        _at("a1", "Ana Vell-Roe ran.", ("Ana Vell-Roe", P)),
        _at("a2", "Ana Roe ran.", ("Ana Roe", P)),
    )
    (e,) = index.entities
    assert set(e.aliases) == {"Ana Vell-Roe", "Ana Roe"}


def test_a_persons_title_makes_a_person_of_a_name_tagged_as_a_body_but_not_of_a_ship() -> None:
    index = resolve(
        _at("a1", "Economist Ivo Marchetti spoke.", ("Ivo Marchetti", "ORG")),
        _at("a2", "Professor Marchetti warned of cuts.", ("Professor Marchetti", "ORG")),
        _at("a3", "The MS Vela sailed.", ("MS Vela", "ORG")),
    )
    (ivo,) = holding(index, "Ivo Marchetti")
    assert ivo.type == "person" and "Professor Marchetti" in ivo.aliases
    assert holding(index, "MS Vela")[0].type == "organisation"


def test_a_middle_initial_and_a_letter_spelt_otherwise_by_two_outlets_name_one_person() -> None:
    index = resolve(
        _at("a1", "Judge Ovid K. Harrock ruled.", ("Ovid K. Harrock", P)),
        _at("a2", "Judge Ovid Harock ruled.", ("Ovid Harock", P)),
    )
    assert len(index.entities) == 1


def test_a_relative_named_through_anothers_name_is_a_relative() -> None:
    text = "Ben Torvik, 24, was shot. Sam Torvik, Ben's older brother, spoke. Torvik was a student."
    index = resolve(_at("a1", text, ("Ben Torvik", P), ("Sam Torvik", P), ("Torvik@2", P)))
    ben = holding(index, "Ben Torvik")[0]
    assert index.entity_of("a1", text.index("Torvik was")) == ben.id


def test_a_bodys_name_with_its_kind_in_lower_case_after_it_is_an_alias() -> None:
    index = resolve(
        _at(
            "a1",
            "Thieves raided the Vell store and told Orbis news agency and the police.",
            ("Vell", "ORG"),
            ("Orbis", "ORG"),
        ),
        _at("a2", "Vell said its bank was closed.", ("Vell", "ORG")),
    )
    assert set(holding(index, "Vell")[0].aliases) == {"Vell", "Vell store"}
    assert set(holding(index, "Orbis")[0].aliases) == {"Orbis", "Orbis news agency"}


def test_names_of_places_and_bodies_written_otherwise_by_other_reports() -> None:
    index = resolve(
        # a name of a street spelt otherwise in one long word, and hyphenated
        _at("a1", "Police shut Champs Velaines.", ("Champs Velaines", "ORG")),
        _at("a2", "Police shut the Champs-Velaine.", ("Champs-Velaine", "FAC")),
        # a town with the county it lies in
        _at(
            "a3",
            "Tarnby, Kent was quiet. Tarnby has 9,000 people.",
            ("Tarnby, Kent", "GPE"),
            ("Tarnby@1", "GPE"),
        ),
        _at("a4", "Tarnby mourned.", ("Tarnby", "GPE")),
        # the first words of a name by their initials
        _at("a5", "The NV Courier said so.", ("NV Courier", "ORG")),
        _at("a6", "The New Velmor Courier said so.", ("New Velmor Courier", "ORG")),
        # a name given before a unit's name, tagged as a place, and the unit
        _at("a7", "He was moved to Orrin Unit.", ("Orrin Unit", "ORG")),
        _at("a8", "He was moved from Orrin.", ("Orrin", "GPE")),
    )
    assert len(index.entities) == 4


def test_a_surnames_particle_left_out_by_another_report_is_one_person() -> None:
    index = resolve(
        _at("a1", "Anton LaVellito fired.", ("Anton LaVellito", P)),
        _at("a2", "Anton Vellito fired.", ("Anton Vellito", P)),
        _at("a3", "Maddie Korr hid. Madeline Korr hid.", ("Maddie Korr", P)),
        _at("a4", "Madeline Korr hid.", ("Madeline Korr", P)),
    )
    assert len(index.entities) == 2


def test_an_office_in_lower_case_and_a_longer_written_title_than_the_taggers() -> None:
    text = "He beat sheriff's Deputy Ida Marsh. Velmor Police Chief Tom Kell spoke."
    a = _at("a1", text, ("Ida Marsh", P), ("Velmor", "GPE"), ("Tom Kell", P))
    kell = a[1].mentions[2]
    a[1].mentions[2] = Mention(kell.start, kell.end, kell.text, P, 0, title="Chief")
    index = resolve(a)
    assert "sheriff's Deputy Ida Marsh" in holding(index, "Ida Marsh")[0].aliases
    assert {"Chief Tom Kell", "Velmor Police Chief Tom Kell"} <= set(
        holding(index, "Tom Kell")[0].aliases
    )


def test_a_name_with_an_initial_before_an_apostrophe_surname() -> None:
    index = resolve(
        _at("a1", "John D. O'Mara spoke.", ("John D. O'Mara", P)),
        _at("a2", "John O'Mara spoke.", ("John O'Mara", P)),
    )
    assert len(index.entities) == 1


def test_a_body_named_with_its_kind_in_lower_case_is_the_one_named_with_it_capitalised() -> None:
    index = resolve(
        _at("a1", "Thieves hit the Orlin hotel.", ("Orlin", "ORG")),
        _at("a2", "Thieves hit the Orlin Hotel.", ("Orlin Hotel", "ORG")),
    )
    assert len(index.entities) == 1


def test_an_acronym_leaving_out_one_initial_a_street_the_tagger_calls_a_body_and_a_missed_name() -> (
    None
):
    index = resolve(
        _at(
            "a1",
            "The Los Velmor County Sheriff's Department said so.",
            ("Los Velmor County Sheriff's Department", "ORG"),
        ),
        _at("a2", "The LVSD said so.", ("LVSD", "ORG")),
        _at("a3", "Shops on High Street shut.", ("High Street", "FAC")),
        _at("a4", "Shops on Tarnby High Street shut.", ("Tarnby High Street", "ORG")),
        _at(
            "a5",
            "Police sealed Tarnby High Street. Tarnby High Street was shut.",
            ("Tarnby High Street", "FAC"),
        ),
        _at("a6", "Dorlin said its Dorlin store was hit.", ("Dorlin", "ORG")),
    )
    assert len(index.entities) == 3
    (dorlin,) = holding(index, "Dorlin")
    assert dorlin.mentions == 2 and "Dorlin store" in dorlin.aliases


def test_mr_roe_is_the_one_just_named_not_a_lesser_man_the_reports_show_a_man() -> None:
    index = resolve(
        _at(
            "a1",
            "Ben Torvik was shot. Ben Torvik died. Sam Torvik, his brother, said he wept.",
            ("Ben Torvik", P),
            ("Ben Torvik@1", P),
            ("Sam Torvik", P),
        ),
        _at(
            "a2",
            "The firm mourned its CEO, Ben Torvik. It called Mr. Torvik kind.",
            ("Ben Torvik", P),
            ("Torvik@1", P),
        ),
    )
    text = "The firm mourned its CEO, Ben Torvik. It called Mr. Torvik kind."
    assert index.entity_of("a2", text.index("Torvik kind")) == holding(index, "Ben Torvik")[0].id


def test_a_town_written_with_its_state_or_country_is_an_alias_but_not_a_list_of_places() -> None:
    index = resolve(
        _at(
            "a1",
            "It happened in Tarnby, Ala., on Monday. Oslo, Kenya and Peru sent aid.",
            ("Tarnby", "GPE"),
            ("Oslo", "GPE"),
            ("Kenya", "GPE"),
            ("Peru", "GPE"),
        ),
        _at("a2", "Tarnby, Alabama, is small.", ("Tarnby", "GPE")),
    )
    assert set(holding(index, "Tarnby")[0].aliases) == {"Tarnby", "Tarnby, Ala.", "Tarnby, Alabama"}
    assert holding(index, "Oslo")[0].aliases == ["Oslo"]


def test_a_two_word_name_tagged_a_place_ending_with_a_lone_surname_is_that_person() -> None:
    # "Lyon Vardakis" is tagged a place (its first word is a city's); "Vardakis said" a person's
    text = "said protester Lyon Vardakis, 30. The banks failed us, Vardakis said."
    index = resolve(_at("a1", text, ("Lyon Vardakis", "GPE"), ("Vardakis", P)))
    (e,) = holding(index, "Vardakis")
    assert e.type == "person" and "Lyon Vardakis" in e.aliases


def test_a_lone_name_tagged_a_person_does_not_turn_a_qualified_place_into_one() -> None:
    text = "Crowds gathered in New Tarvel. Tarvel said the march went on."
    index = resolve(_at("a1", text, ("New Tarvel", "GPE"), ("Tarvel", P)))
    assert not holding(index, "Tarvel") or "New Tarvel" not in holding(index, "Tarvel")[0].aliases


def test_a_given_name_and_a_generation_is_the_one_person_named_so_in_full() -> None:
    text = (
        "Ida Malvek died on Monday. She leaves her son Oren Malvek III and a brother, "
        "Teo Arlen. Oren III, of Tarnby, spoke at the service."
    )
    index = resolve(
        _at(
            "a1", text, ("Ida Malvek", P), ("Oren Malvek III", P), ("Teo Arlen", P), ("Oren III", P)
        )
    )
    (e,) = holding(index, "Oren III")
    assert "Oren Malvek III" in e.aliases and "Ida Malvek" not in e.aliases


def test_a_company_named_by_the_first_word_of_its_name_is_that_company() -> None:
    index = resolve(
        _at(
            "a1",
            "Cable operator Quandrix Netcom said the line was cut.",
            ("Quandrix Netcom", "ORG"),
        ),
        _at("a2", "Operators such as Quandrix said repairs would take days.", ("Quandrix", "ORG")),
    )
    (e,) = holding(index, "Quandrix")
    assert "Quandrix Netcom" in e.aliases


def test_the_first_word_of_two_companies_names_joins_neither() -> None:
    index = resolve(
        _at(
            "a1",
            "Quandrix Netcom and Quandrix Energy both said so. Quandrix declined to comment.",
            ("Quandrix Netcom", "ORG"),
            ("Quandrix Energy", "ORG"),
            ("Quandrix", "ORG"),
        )
    )
    (e,) = holding(index, "Quandrix")
    assert e.aliases == ["Quandrix"]


def test_a_given_name_that_is_also_a_city_joins_the_person_written_so() -> None:
    # a city's name used as a given name, written alone only with a possessive or a speech verb
    text = (
        "The president named Dallas M. Orvane, a rural doctor. Dallas Orvane, 52, accepted. "
        "Dallas's clinic was rebuilt twice."
    )
    index = resolve(
        _at("a1", text, ("Dallas M. Orvane", P), ("Dallas Orvane", P), ("Dallas@2", "GPE"))
    )
    (e,) = holding(index, "Dallas")
    assert e.type == "person" and "Dallas Orvane" in e.aliases


def test_a_given_name_that_is_also_a_city_written_as_the_city_stays_a_place() -> None:
    text = "Dallas Orvane, 52, a doctor, accepted. Dallas voters approved the clinic."
    index = resolve(_at("a1", text, ("Dallas Orvane", P), ("Dallas@1", "GPE")))
    (e,) = holding(index, "Dallas")
    assert e.type == "place"


def test_a_quoted_nickname_in_apposition_joins_the_person() -> None:
    text = (
        'Few beat the courts like Oskar Brenn, the so-called "Velvet Judge" who won twice. '
        'The "Velvet Judge" retired. Jana Holt, a lawyer, said "Tarn Bay" was calm.'
    )
    index = resolve(
        _at(
            "a1",
            text,
            ("Oskar Brenn", P),
            ("Velvet Judge", "WORK_OF_ART"),
            ("Velvet Judge@1", "WORK_OF_ART"),
            ("Jana Holt", P),
            ("Tarn Bay", "LOC"),
        )
    )
    (e,) = holding(index, "Oskar Brenn")
    assert "Velvet Judge" in e.aliases
    assert e.name == "Oskar Brenn"  # written more often, the nickname is still no name
    assert "Tarn Bay" not in holding(index, "Jana Holt")[0].aliases


def test_a_quoted_full_name_of_another_person_after_a_name_is_no_nickname() -> None:
    text = 'The case of Oskar Brenn, "Jana Holt" told the court, was closed. Jana Holt left.'
    index = resolve(_at("a1", text, ("Oskar Brenn", P), ("Jana Holt", P), ("Jana Holt@1", P)))
    assert holding(index, "Oskar Brenn")[0] != holding(index, "Jana Holt")[0]


def test_a_ships_prefix_written_by_initials_joins_its_name_in_full_whatever_the_tags() -> None:
    index = resolve(
        _at("a1", "The VNS Tarla sailed at dawn. VNS Tarla turned back.", ("VNS Tarla", P)),
        _at("a2", "The Velmor Naval Ship Tarla was hit.", ("Velmor Naval Ship Tarla", "GPE")),
    )
    (e,) = holding(index, "VNS Tarla")
    assert "Velmor Naval Ship Tarla" in e.aliases


def test_a_given_name_spelt_by_ear_by_another_report_is_one_person() -> None:
    index = resolve(
        _at("a1", "Stefan K. Orlicz, 40, was charged. Orlicz denied it.", ("Stefan K. Orlicz", P)),
        _at("a2", "Stephan Orlicz appeared in court on Monday.", ("Stephan Orlicz", P)),
    )
    (e,) = holding(index, "Stephan Orlicz")
    assert "Stefan K. Orlicz" in e.aliases


def test_two_given_names_alike_in_one_report_are_two_people() -> None:
    text = "Stefan Orlicz and his cousin Stephan Orlicz were charged."
    index = resolve(_at("a1", text, ("Stefan Orlicz", P), ("Stephan Orlicz", P)))
    assert holding(index, "Stefan Orlicz") != holding(index, "Stephan Orlicz")


def test_a_site_named_by_its_own_name_gets_its_kind_as_an_alias_a_town_does_not() -> None:
    text = "He died in the Vellari prison near Tarnby. A Tarnby prison guard saw it."
    index = resolve(_at("a1", text, ("Vellari", "FAC"), ("Tarnby", "GPE"), ("Tarnby@1", "GPE")))
    assert "Vellari prison" in holding(index, "Vellari")[0].aliases
    assert "Tarnby prison" not in holding(index, "Tarnby")[0].aliases


def test_a_police_department_is_written_with_police_in_lower_case_too() -> None:
    index = resolve(
        _at("a1", "The Quarnby Police Department said so.", ("Quarnby Police Department", "ORG")),
        _at("a2", "Quarnby police said the road was shut.", ("Quarnby", "GPE")),
    )
    assert "Quarnby police" in holding(index, "Quarnby Police Department")[0].aliases


def test_a_unit_named_by_an_ordinal_is_an_entity_under_all_its_spellings() -> None:
    index = resolve(
        _at("a1", "Marchers walked to the 41st Precinct on Tarn Ave.", ("Tarn Ave", "FAC")),
        _at("a2", "They gathered outside the 41st Police Precinct station."),
        _at("a3", "Officers of the 41st precinct watched."),
    )
    (e,) = holding(index, "41st Precinct")
    assert {"41st Police Precinct", "41st precinct"} <= set(e.aliases)
