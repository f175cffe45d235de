"""Alias merging on invented people, organisations and places (hand-built mentions)."""

from __future__ import annotations

from newsweave.model import Article, ArticleAnalysis, Entity, Mention
from newsweave.story import entities

P = "PERSON"


def article(aid: str, *mentions: tuple[str, ...], text: str | None = None) -> tuple:
    """An article whose text is the mentions written one after another (or ``text``)."""
    ms: list[Mention] = []
    pos = 0
    for spec in mentions:
        surface, label = spec[0], spec[1]
        title = spec[2] if len(spec) > 2 else None
        ms.append(Mention(pos, pos + len(surface), surface, label, 0, title=title))
        pos += len(surface) + 1
    body = text if text is not None else " ".join(spec[0] for spec in mentions)
    return (
        Article(id=aid, content_hash=aid, text=body),
        ArticleAnalysis(article=aid, version="test", mentions=ms),
    )


def resolve(*arts: tuple) -> entities.EntityIndex:
    return entities.resolve("s1", [a for a, _ in arts], [b for _, b in arts])


def by_name(index: entities.EntityIndex) -> dict[str, Entity]:
    return {e.name: e for e in index.entities}


def test_full_name_surname_and_title_merge() -> None:
    index = resolve(
        article("a1", ("Maria Gonzalez", P), ("Gonzalez", P)),
        article("a2", ("Maria Gonzalez", P, "President"), ("Gonzalez", P)),
    )
    (e,) = index.entities
    assert e.name == "Maria Gonzalez" and e.type == "person"
    assert set(e.aliases) == {"Maria Gonzalez", "Gonzalez", "President Maria Gonzalez"}
    assert e.roles == ["President"]
    assert e.mentions == 4 and e.articles == ["a1", "a2"]
    assert index.entity_of("a2", 0) == index.entity_of("a1", len("Maria Gonzalez") + 1) == e.id


def test_two_people_sharing_a_surname_are_not_merged_blindly() -> None:
    index = resolve(
        article("a1", ("Maria Gonzalez", P), ("Gonzalez", P)),
        article("a2", ("Luis Gonzalez", P), ("Gonzalez", P)),
    )
    people = by_name(index)
    assert set(people) == {"Maria Gonzalez", "Luis Gonzalez"}
    surname_at = len("Maria Gonzalez") + 1
    assert index.entity_of("a1", surname_at) == people["Maria Gonzalez"].id
    assert index.entity_of("a2", len("Luis Gonzalez") + 1) == people["Luis Gonzalez"].id
    assert people["Maria Gonzalez"].mentions == 2 and people["Luis Gonzalez"].mentions == 2


def test_ambiguous_surname_in_one_article_goes_to_the_last_named() -> None:
    index = resolve(article("a1", ("Maria Gonzalez", P), ("Luis Gonzalez", P), ("Gonzalez", P)))
    people = by_name(index)
    surname_at = len("Maria Gonzalez Luis Gonzalez ")
    assert index.entity_of("a1", surname_at) == people["Luis Gonzalez"].id
    assert people["Maria Gonzalez"].mentions == 1


def test_ambiguous_surname_with_no_full_name_in_its_article_stays_apart() -> None:
    index = resolve(
        article("a1", ("Maria Gonzalez", P)),
        article("a2", ("Luis Gonzalez", P)),
        article("a3", ("Gonzalez", P)),
    )
    assert {e.name for e in index.entities} == {"Maria Gonzalez", "Luis Gonzalez", "Gonzalez"}


def test_first_name_joins_when_unambiguous() -> None:
    index = resolve(article("a1", ("Tomas Vey", P), ("Tomas", P)))
    assert [e.aliases for e in index.entities] == [["Tomas", "Tomas Vey"]]


def test_full_names_extending_one_another() -> None:
    index = resolve(article("a1", ("Tomas Vey", P), ("Tomas K. Vey", P), ("Tomas Vey-Lind", P)))
    assert sorted(len(e.aliases) for e in index.entities) == [1, 2]


def test_acronym_joins_its_expansion() -> None:
    index = resolve(
        article("a1", ("UN", "ORG"), ("United Nations", "ORG")),
        article("a2", ("U.S.", "GPE"), ("US", "GPE"), ("United States", "GPE")),
    )
    names = by_name(index)
    assert set(names) == {"United Nations", "United States"}
    assert set(names["United Nations"].aliases) == {"UN", "United Nations"}
    assert set(names["United States"].aliases) == {"U.S.", "US", "United States"}
    assert names["United States"].type == "place"


def test_acronym_spelling_two_names_joins_only_the_one_in_its_article() -> None:
    index = resolve(
        article("a1", ("KFL", "ORG"), ("Kelm Ferry Line", "ORG")),
        article("a2", ("Kelm Fisheries League", "ORG")),
    )
    assert set(by_name(index)["Kelm Ferry Line"].aliases) == {"KFL", "Kelm Ferry Line"}
    # with both expansions in every article, the acronym stays apart
    index = resolve(
        article("a1", ("KFL", "ORG"), ("Kelm Ferry Line", "ORG"), ("Kelm Fisheries League", "ORG"))
    )
    assert "KFL" in by_name(index)


def test_of_place_joins_the_place() -> None:
    index = resolve(
        article(
            "a1", ("Republic of Norland", "GPE"), ("Norland", "GPE"), ("Bank of Norland", "ORG")
        )
    )
    names = by_name(index)
    assert set(names) == {"Republic of Norland", "Bank of Norland"}
    assert set(names["Republic of Norland"].aliases) == {"Republic of Norland", "Norland"}


def test_of_place_needs_the_place_named() -> None:
    index = resolve(article("a1", ("Republic of Norland", "GPE"), ("Kelm", "GPE")))
    assert len(index.entities) == 2


def test_org_situated_by_a_place() -> None:
    index = resolve(
        article(
            "a1",
            ("Norland Harbour Authority", "ORG"),
            ("Harbour Authority", "ORG"),
            ("Norland", "GPE"),
        )
    )
    names = by_name(index)
    assert set(names["Norland Harbour Authority"].aliases) == {
        "Norland Harbour Authority",
        "Harbour Authority",
    }
    assert "Norland" in names


def test_defined_common_term_is_not_an_entity() -> None:
    text = "Advances in machine learning (ML) reached the Kelm institute."
    index = resolve(article("a1", ("ML", "ORG"), ("Kelm", "GPE"), text=text))
    assert [e.name for e in index.entities] == ["Kelm"]
    assert entities.defined_terms([text]) == {"ml"}
    assert entities.defined_terms(["the Kelm Ferry Line (KFL)"]) == set()


def test_majority_label_decides_the_type() -> None:
    index = resolve(article("a1", ("Vey", P), ("Vey", "ORG"), ("Vey", P)))
    assert [(e.name, e.type, e.mentions) for e in index.entities] == [("Vey", "person", 3)]


def test_canonical_name_drops_article_and_possessive() -> None:
    index = resolve(article("a1", ("the Kelm Courier", "ORG"), ("Kelm Courier's", "ORG")))
    (e,) = index.entities
    assert e.name == "Kelm Courier" and e.id == "e-kelm-courier"


def test_nationalities_are_kept_out_of_the_entity_list() -> None:
    index = resolve(article("a1", ("Norlandic", "NORP"), ("Kelm", "GPE")))
    assert [e.name for e in index.entities] == ["Kelm"]
    assert index.entity_of("a1", 0) is not None


def test_ids_are_deterministic_and_distinct() -> None:
    arts = (article("a1", ("Kelm", "GPE"), ("Kelm", "ORG"), ("Mara Lind", P)),)
    first = [e.id for e in resolve(*arts).entities]
    assert first == [e.id for e in resolve(*arts).entities]
    assert len(set(first)) == len(first)


def test_normalise() -> None:
    assert entities.normalise("the U.S.") == entities.normalise("US") == "us"
    assert entities.normalise("Kelm Courier’s") == "kelm courier"


def test_one_name_written_differently_is_one_entity() -> None:
    index = resolve(
        article("a1", ("Inspector Dave Gaskin", P), ("Insp Gaskin", P), ("P.J. Carlesimo", P)),
        article("a2", ("David Gaskin", P), ("Mr Gaskin", P), ("PJ Carlesimo", P)),
        article("a3", ("Mt Cook", "LOC"), ("Mount Cook", "LOC"), ("Sam Dalembert", P)),
        article("a4", ("Samuel Dalembert", P), ("Harbour Board", "ORG"), ("Harbor Board", "ORG")),
    )
    names = sorted(sorted(e.aliases) for e in index.entities)
    assert names == [
        ["David Gaskin", "Insp Gaskin", "Inspector Dave Gaskin", "Mr Gaskin"],
        ["Harbor Board", "Harbour Board"],
        ["Mount Cook", "Mt Cook"],
        ["P.J. Carlesimo", "PJ Carlesimo"],
        ["Sam Dalembert", "Samuel Dalembert"],
    ]


def test_a_title_or_short_name_does_not_join_two_people() -> None:
    index = resolve(
        article("a1", ("Inspector Dave Gaskin", P), ("Sam Dalembert", P)),
        article("a2", ("Inspector Ann Gaskin", P), ("Sam Cassell", P)),
    )
    assert len(index.entities) == 4


def test_a_first_name_joins_its_full_name_in_short_or_long_form() -> None:
    index = resolve(
        article("a1", ("Bill Condon", P), ("Bill", P), ("Maurice Cheeks", P), ("Mo", P))
    )
    assert sorted(sorted(e.aliases) for e in index.entities) == [
        ["Bill", "Bill Condon"],
        ["Maurice Cheeks", "Mo"],
    ]


def test_an_acronym_the_tagger_mostly_took_for_a_person_joins_its_expansion() -> None:
    index = resolve(
        article("a1", ("SAG", P), ("Screen Actors Guild", "ORG")),
        article("a2", ("SAG", P), ("SAG", "ORG")),
    )
    (e,) = index.entities
    assert (e.name, e.type, sorted(e.aliases)) == (
        "Screen Actors Guild",
        "organisation",
        ["SAG", "Screen Actors Guild"],
    )


def test_a_wife_named_by_her_title_is_not_merged_into_her_husband() -> None:
    index = resolve(article("a1", ("John Smith", P), ("Mr. Smith", P), ("Mrs. Smith", P)))
    assert sorted(sorted(e.aliases) for e in index.entities) == [
        ["John Smith", "Mr. Smith"],
        ["Mrs. Smith"],
    ]


def _aliases(index: entities.EntityIndex) -> list[set[str]]:
    return [set(e.aliases) for e in index.entities]


def test_a_gulf_of_a_place_is_not_the_place() -> None:
    index = resolve(article("a1", ("Gulf of Varsk", "LOC"), ("Varsk", "GPE")))
    assert {"Gulf of Varsk", "Varsk"} not in _aliases(index)
    assert len(index.entities) == 2


def test_a_team_named_by_its_last_word_joins_its_full_name() -> None:
    index = resolve(
        article("a1", ("Ostra Harbour Gulls", "ORG"), ("Gulls", "PRODUCT"), ("Brask Owls", "ORG")),
        article("a2", ("Gulls", "ORG"), ("Owls", "ORG")),
    )
    assert {"Ostra Harbour Gulls", "Gulls"} in _aliases(index)
    assert {"Brask Owls", "Owls"} in _aliases(index)


def test_a_last_word_two_names_end_with_stays_apart() -> None:
    index = resolve(article("a1", ("Norland Navy", "ORG"), ("Kelm Navy", "ORG"), ("Navy", "ORG")))
    assert len(index.entities) == 3


def test_an_academy_of_joins_its_first_word_and_plural_spellings_agree() -> None:
    index = resolve(
        article("a1", ("Academy of Lantern Arts and Sciences", "ORG"), ("Academy", "ORG")),
        article("a2", ("Academy of Lanterns Arts and Sciences", "ORG")),
    )
    (e,) = index.entities
    assert set(e.aliases) == {
        "Academy of Lantern Arts and Sciences",
        "Academy of Lanterns Arts and Sciences",
        "Academy",
    }


def test_company_endings_and_compound_spacing_are_one_name() -> None:
    index = resolve(
        article("a1", ("Tall Reed Distribution Limited", "ORG"), ("Ostra Trail Hawks", "ORG")),
        article("a2", ("TallReed Distribution", "ORG"), ("Ostra Trailhawks", "ORG")),
        article("a3", ("Kelm Police Department", "ORG"), ("Kelm Police", "ORG")),
    )
    assert {"Tall Reed Distribution Limited", "TallReed Distribution"} in _aliases(index)
    assert {"Ostra Trail Hawks", "Ostra Trailhawks"} in _aliases(index)
    assert {"Kelm Police Department", "Kelm Police"} in _aliases(index)


def test_a_name_ending_a_longer_one_joins_it_but_not_one_it_opens() -> None:
    index = resolve(
        article(
            "a1",
            ("Aroha Mount Varn", "LOC"),
            ("Mt Varn", "LOC"),
            ("Mt Varn Village", "GPE"),
        )
    )
    names = _aliases(index)
    assert {"Aroha Mount Varn", "Mt Varn"} in names
    assert {"Mt Varn Village"} in names


def test_a_compound_surname_an_initial_and_a_mistyped_full_name_join_the_person() -> None:
    index = resolve(
        article("a1", ("Cora Boone Ilvane", P), ("Dana K. Merrow", P), ("Tam Oduya", P)),
        article("a2", ("Boone Ilvane", "ORG"), ("K. Merrow", P), ("Tam Oduya", "ORG")),
    )
    names = _aliases(index)
    assert {"Cora Boone Ilvane", "Boone Ilvane"} in names
    assert {"Dana K. Merrow", "K. Merrow"} in names
    assert {"Tam Oduya"} in names and len(index.entities) == 3


def test_a_common_word_opening_a_name_is_the_sentences() -> None:
    text = (
        "Comedian Cora Vell will host. The comedian said so. "
        "Having Dorn on stage helps, Vell said, having seen him. Dorn Aleski agreed."
    )
    a = Article(id="a1", content_hash="a1", text=text)
    spans = [("Comedian Cora Vell", P), ("Having Dorn", P), ("Vell", P), ("Dorn Aleski", P)]
    ms = []
    for surface, label in spans:
        at = text.index(surface)
        ms.append(Mention(at, at + len(surface), surface, label, 0))
    index = entities.resolve("s1", [a], [ArticleAnalysis(article="a1", version="t", mentions=ms)])
    names = _aliases(index)
    assert {"Cora Vell", "Vell"} in names  # the alias is the name, without the sentence's word
    assert {"Dorn Aleski", "Dorn"} in names


def test_a_capitalised_word_inside_a_sentence_is_no_common_word() -> None:
    common = entities.common_words(
        ["Officials said Will Gray spoke; he will go. Later, Rose Vale said prices rose."]
    )
    assert "will" not in common and "rose" not in common
    assert "prices" in common


def test_a_surname_alone_goes_to_the_person_the_story_names_far_more_often() -> None:
    index = resolve(
        article("a1", ("Cora Vell", P), ("Cora Vell", P), ("Cora Vell", P), ("Vell", P)),
        article("a2", ("Cora Vell", P), ("Amos Vell", P)),
        article("a3", ("Vell", P)),  # names neither: Cora, named four times to Amos's once
    )
    cora = by_name(index)["Cora Vell"]
    assert index.entity_of("a3", 0) == cora.id
    assert "Amos Vell" in by_name(index)


def test_one_name_spelt_a_letter_apart_by_two_outlets_is_one_entity() -> None:
    index = resolve(
        article("a1", ("Ilene Worff", P), ("Ostrakovia", "GPE")),
        article("a2", ("Ilene Wolff", P), ("Ostrakova", "GPE")),
    )
    assert {"Ilene Worff", "Ilene Wolff"} in _aliases(index)
    assert {"Ostrakovia", "Ostrakova"} in _aliases(index)


def test_spellings_a_letter_apart_in_one_report_or_of_short_names_stay_apart() -> None:
    index = resolve(
        article("a1", ("Mara Vinn", P), ("Mara Vinh", P)),  # one report names both: two people
        article("a2", ("Kelm", "GPE")),
        article("a3", ("Kelp", "GPE")),  # short names a letter apart are often two
        article("a4", ("Dana Holt", P)),
        article("a5", ("Jana Holt", P)),  # the differing word starts with another letter
    )
    assert len(index.entities) == 6


def test_a_generation_suffix_is_the_same_person() -> None:
    index = resolve(article("a1", ("Tam Oduya III", P)), article("a2", ("Tam Oduya", P)))
    assert {"Tam Oduya III", "Tam Oduya"} in _aliases(index)


def _at(text: str, *spans: tuple[str, str]) -> tuple:
    """An article whose mentions are found in ``text`` (first occurrence of each surface)."""
    aid = f"t{abs(hash(text)) % 10**6}"
    ms = []
    for surface, label in spans:
        at = text.index(surface)
        ms.append(Mention(at, at + len(surface), surface, label, 0))
    return (
        Article(id=aid, content_hash=aid, text=text),
        ArticleAnalysis(article=aid, version="t", mentions=ms),
    )


def test_a_surname_the_tagger_missed_joins_the_person() -> None:
    a1 = _at(
        "Academy head Sid Varnel spoke first. Varnel said the show runs long.", ("Sid Varnel", P)
    )
    a2 = _at(
        "Mr. Varnel agreed, the paper said. Pond Varnel Street was closed.",
    )
    index = resolve(a1, a2)
    (e,) = [e for e in index.entities if e.type == "person"]
    assert set(e.aliases) == {"Sid Varnel", "Varnel", "Mr. Varnel"} and e.mentions == 3
    # "Pond Varnel Street" is another name: its "Varnel" is not the person's
    assert index.entity_of(a2[0].id, a2[0].text.index("Varnel Street")) is None


def test_the_initials_of_an_organisation_written_alone_join_it() -> None:
    a1 = _at(
        "Parents Against Night Racing (PANR) met. PANR said so.",
        ("Parents Against Night Racing", "ORG"),
    )
    index = resolve(a1)
    (e,) = index.entities
    assert set(e.aliases) == {"Parents Against Night Racing", "PANR"}


def test_a_surname_the_story_writes_in_lower_case_is_not_added() -> None:
    a1 = _at("Ada Rivers spoke. The rivers rose. Rivers flooded the town.", ("Ada Rivers", P))
    index = resolve(a1)
    (e,) = index.entities
    assert e.aliases == ["Ada Rivers"]


def test_a_team_tagged_as_a_person_and_a_dominant_name_ending_with_the_word() -> None:
    index = resolve(
        article("a1", ("Brask Owls", "ORG"), ("Owls", P), ("Owls", P)),
        article(
            "a2",
            ("Norland Navy", "ORG"),
            ("Norland Navy", "ORG"),
            ("Norland Navy", "ORG"),
            ("Kelm Navy", "ORG"),
            ("Navy", "ORG"),
        ),
    )
    names = _aliases(index)
    assert {"Brask Owls", "Owls"} in names
    assert {"Norland Navy", "Navy"} in names and {"Kelm Navy"} in names


def test_a_hospital_and_its_medical_center_are_one_name() -> None:
    index = resolve(
        article("a1", ("Ostra Hospital Medical Center", "ORG")),
        article("a2", ("Ostra Hospital", "ORG")),
    )
    (e,) = index.entities
    assert set(e.aliases) == {"Ostra Hospital Medical Center", "Ostra Hospital"}


def test_the_name_an_acronym_spells_written_out_untagged_joins_it() -> None:
    a1 = _at(
        "The Parents Against Night Racing group met. PANR said the race must stop.",
        ("PANR", "ORG"),
    )
    index = resolve(a1)
    (e,) = index.entities
    assert set(e.aliases) == {"PANR", "Parents Against Night Racing"}


def test_a_hyphenated_station_name_and_its_spaced_form_are_one() -> None:
    index = resolve(article("a1", ("KOST-TV", "ORG")), article("a2", ("KOST TV", "ORG")))
    (e,) = index.entities
    assert set(e.aliases) == {"KOST-TV", "KOST TV"}


def test_a_given_name_alone_prefers_the_person_who_is_written_with_it() -> None:
    index = resolve(
        article("a1", ("Billy Korr", P), ("Willie Stam", P), ("Billy", P)),
        article("a2", ("Bill Varn", P), ("Billy Osk", P), ("Bill", P)),
    )
    names = _aliases(index)
    assert {"Billy Korr", "Billy"} in names and {"Willie Stam"} in names
    assert {"Bill Varn", "Bill"} in names and {"Billy Osk"} in names


def test_the_last_word_of_the_only_organisation_ending_with_it_joins_it() -> None:
    a1 = _at(
        "A Fisheries Ministry release said so. The Ministry said boats were seized.",
        ("Fisheries Ministry", "ORG"),
    )
    a2 = _at("The Harbour Board and the Port Board met. The Board said no.",
             ("Harbour Board", "ORG"), ("Port Board", "ORG"))  # fmt: skip
    index = resolve(a1, a2)
    names = _aliases(index)
    assert {"Fisheries Ministry", "Ministry"} in names
    assert {"Harbour Board"} in names and {"Port Board"} in names  # two end with it: none added


def test_a_two_word_person_no_one_else_fits_ending_a_place_name_joins_it() -> None:
    index = resolve(
        article("a1", ("Mount Varn Hut", "FAC"), ("Varn Hut", P)),
        article("a2", ("Dana Osk", P), ("Osk", P)),
    )
    names = _aliases(index)
    assert {"Mount Varn Hut", "Varn Hut"} in names
    assert {"Dana Osk", "Osk"} in names


def test_an_association_of_a_place_and_the_place_s_association_are_one() -> None:
    index = resolve(
        article("a1", ("Ferry Association of the State of Norland", "ORG")),
        article("a2", ("Norland Ferry Association", "ORG")),
        article("a3", ("Ferry Association of Norland", "ORG"), ("Kelm Ferry Association", "ORG")),
    )
    names = _aliases(index)
    assert {
        "Ferry Association of the State of Norland",
        "Norland Ferry Association",
        "Ferry Association of Norland",
    } in names
    assert {"Kelm Ferry Association"} in names


def test_a_tie_between_labels_goes_to_the_label_of_names() -> None:
    index = resolve(article("a1", ("Ostra Lines", "PRODUCT"), ("Ostra Lines", "ORG")))
    (e,) = index.entities
    assert e.type == "organisation"


def test_a_groups_type_follows_its_mentions_as_they_are_merged() -> None:
    # the labels are counted once per state of a group's mentions: an added mention or a new
    # list counts them again
    def m(label: str, text: str = "Tarn Works") -> Mention:
        return Mention(text=text, label=label, start=0, end=len(text), sentence=0)

    g = entities._Group("tarn works", [("a", m("ORG"))])
    assert g.type == "organisation" and g.label_counts == {"ORG": 1}
    g.mentions.append(("b", m("GPE")))
    g.mentions.append(("c", m("GPE")))
    assert g.type == "place" and g.label_counts == {"ORG": 1, "GPE": 2}
    g.label_counts.pop("GPE")  # a caller's copy: the group's counts stay
    assert g.type == "place"
    g.mentions = [("a", m("PERSON", "SAG")), ("b", m("ORG", "SAG"))]
    assert g.label_counts == {"ORG": 1} and g.type == "organisation"  # an acronym: no name
