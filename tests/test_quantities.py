"""Quantities on invented text: amounts, percentages, ranks, folds, ranges, counts."""

from __future__ import annotations

import re

import pytest

from newsweave.document import quantities
from newsweave.model import Article, Quantity, Sentence


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for m in re.finditer(r"[^.!?]+[.!?]*", text):
        if m.group(0).strip():
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            out.append(Sentence(index=len(out), start=start, end=m.end(), text=m.group(0).strip()))
    return out


def find(text: str) -> list[Quantity]:
    return quantities.find(text, sentences(text))


def one(text: str) -> Quantity:
    found = find(text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


def test_amount_pair_in_two_currencies() -> None:
    text = "The Osterlund pension fund now holds Rbs4.1trn ($40bn) in bonds."
    found = find(text)
    assert [q.text for q in found] == ["Rbs4.1trn", "$40bn"]
    rub, usd = found
    assert rub.value == pytest.approx(4.1e12) and rub.unit == "RUB"
    assert usd.value == pytest.approx(40e9) and usd.unit == "USD"
    assert not quantities.comparable(rub, usd)
    assert text[rub.start : rub.end] == "Rbs4.1trn"


def test_unknown_currency_prefix_glued_to_scaled_number() -> None:
    found = find("The Vantor budget is Zl4.5trn ($1.2bn) this year.")
    assert [(q.text, q.unit) for q in found] == [("Zl4.5trn", "ZL"), ("$1.2bn", "USD")]
    assert found[0].value == pytest.approx(4.5e12)


def test_amounts_with_scale_words_and_currency_words() -> None:
    text = "A levy of €5 million, a loan of £3.2bn and 2 billion dollars in aid."
    got = [(q.text, q.value, q.unit) for q in find(text)]
    assert got == [
        ("€5 million", pytest.approx(5e6), "EUR"),
        ("£3.2bn", pytest.approx(3.2e9), "GBP"),
        ("2 billion dollars", pytest.approx(2e9), "USD"),
    ]


def test_percentages() -> None:
    found = find("Turnout in Brask reached 80% while support fell 12 percent and 3.5 per cent.")
    assert [(q.value, q.unit) for q in found] == [(80.0, "%"), (12.0, "%"), (3.5, "%")]


def test_rank_out_of() -> None:
    q = one("Norland sits 31st out of 83 nations in the harbour safety table.")
    assert (q.text, q.value, q.unit) == ("31st out of 83", 31.0, "rank/83")
    assert one("Kelm ranked 12th of 40 ports.").unit == "rank/40"


@pytest.mark.parametrize(
    ("text", "value"),
    [("seven-fold", 7.0), ("3-fold", 3.0), ("tenfold", 10.0), ("sevenfold", 7.0)],
)
def test_folds(text: str, value: float) -> None:
    q = one(f"Ferry traffic rose {text} since the bridge closed.")
    assert (q.text, q.value, q.unit) == (text, value, "fold")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("six to nine months", 7.5, "months 6-9"),
        ("6-9 months", 7.5, "months 6-9"),
        ("6–9 months", 7.5, "months 6-9"),
        ("between 10 and 20 people", 15.0, "people 10-20"),
        ("3 to 4 percent", 3.5, "% 3-4"),
        ("10 to 15 million dollars", 12.5e6, "USD 10000000-15000000"),
    ],
)
def test_ranges(text: str, value: float, unit: str) -> None:
    q = one(f"Officials in Kelm expect {text} of disruption.")
    assert q.text == text
    assert q.value == pytest.approx(value)
    assert q.unit == unit


def test_range_units_compare_with_single_values() -> None:
    rng = one("Repairs take six to nine months.")
    single = one("Repairs take 8 months.")
    assert quantities.comparable(rng, single)
    assert quantities.unit_family(rng.unit or "") == "month"


def test_scaled_count_of_an_unknown_currency_word() -> None:
    q = one("The Brask council granted 2.5 million crowns to the museum.")
    assert (q.text, q.unit) == ("2.5 million crowns", "crowns")
    assert q.value == pytest.approx(2.5e6)


def test_counts_of_things() -> None:
    text = "Some 1,200 people left, 300 homes flooded and twelve boats sank."
    got = [(q.text, q.value, q.unit) for q in find(text)]
    assert got == [
        ("1,200 people", 1200.0, "people"),
        ("300 homes", 300.0, "homes"),
        ("twelve boats", 12.0, "boats"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [("twenty-five people", 25.0), ("two hundred people", 200.0), ("A dozen boats", 12.0)],
)
def test_spelled_out_counts(text: str, value: float) -> None:
    q = one(f"{text} waited at the Kelm pier.")
    assert q.text == text and q.value == value


def test_years_are_not_counts() -> None:
    assert find("In 2023 officials closed the pier; the 2019 floods hit Kelm.") == []
    q = one("The 2019 floods killed 14 people.")
    assert q.text == "14 people"


def test_singular_nouns_and_words_are_not_counts() -> None:
    assert find("He was one of the first on a plan for a trip of 5 day.") == []
    # a measure written as an adjective is the measure, not a count of the noun after it
    found = find("He was one of the first on a 10-year plan for a 5-day trip.")
    assert [(q.value, q.unit) for q in found] == [(10.0, "years"), (5.0, "days")]


def test_measures_written_as_adjectives() -> None:
    text = "Charles had an 86-yard run to the 5-yard line, a 61-year-old said of the 40-foot boat."
    assert [(q.text, q.value, q.unit) for q in find(text)] == [
        ("86-yard", 86.0, "yards"),
        ("40-foot", 40.0, "feet"),
    ]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1,200", 1200.0),
        ("3,500,000", 3.5e6),
        ("1.234.567", 1234567.0),
        ("1,5", 1.5),
        ("1.234,56", 1234.56),
        ("3.5", 3.5),
        ("seven", 7.0),
        ("ninety-nine", 99.0),
        ("1.2.3", None),
        ("ten five", None),
    ],
)
def test_parse_number(written: str, value: float | None) -> None:
    assert quantities.parse_number(written) == value


def test_sentence_index() -> None:
    text = "The ferry left Kelm. It carried 45 passengers. Fares rose 5%."
    assert [(q.text, q.sentence) for q in find(text)] == [("45 passengers", 1), ("5%", 2)]


def test_same_value_and_comparable() -> None:
    a = one("It cost $109bn.")
    b = one("It cost 109 billion dollars.")
    c = one("It cost $110bn.")
    assert quantities.same_value(a, b)
    assert not quantities.same_value(a, c)
    assert quantities.comparable(a, c)
    assert not quantities.comparable(a, one("It rose 12%."))


def _tagged(text: str) -> list[Quantity]:
    from newsweave.document.nlp import load_spacy

    doc = load_spacy()(text)
    return quantities.find(text, [], [(t.idx, t.text, t.tag_) for t in doc])


def test_counts_reach_the_noun_past_describing_words() -> None:
    found = _tagged(
        "They seized seven AK-47 assault rifles, three other automatic rifles, 13 fully "
        "loaded magazines and 12 AK 47 guns from 26 Somalis."
    )
    assert [(q.text, q.value, q.unit) for q in found] == [
        ("seven AK-47 assault rifles", 7.0, "rifles"),
        ("three other automatic rifles", 3.0, "rifles"),
        ("13 fully loaded magazines", 13.0, "magazines"),
        ("12 AK 47 guns", 12.0, "guns"),
        ("26 Somalis", 26.0, "somalis"),
    ]


def test_numbers_in_names_and_bounds_are_not_counts() -> None:
    text = "The Boeing 737 jets and six AK 47 rifles; his three-plus seasons, 20-odd boats."
    found = [(q.text, q.value) for q in _tagged(text)]
    assert found == [("six AK 47 rifles", 6.0)]
    # without tags the plain pattern still refuses the number of a name
    assert [q.text for q in quantities.find("He fired AK 47 rounds.", [])] == []


def test_partitive_counts_and_plurals_in_men() -> None:
    found = _tagged("At least 17 of the hijacked ships and nearly 300 crewmen were held.")
    assert [(q.text, q.value, q.unit) for q in found] == [
        ("17 of the hijacked ships", 17.0, "ships"),
        ("300 crewmen", 300.0, "crewmen"),
    ]


def test_a_number_before_a_word_ending_in_s_that_is_no_plural_is_no_count() -> None:
    text = "Deployed on November 2 this year, it sank 3 boats, his 4 ships and its 2 tugs."
    units = [q.unit for q in find(text)]
    assert "this" not in units and "his" not in units and "its" not in units
    assert "boats" in units


@pytest.mark.slow
def test_a_count_is_whole() -> None:
    from newsweave.document.nlp import DocumentAnalyzer

    text = "Commandos seized a 5.56mm and a 7.62mm rifles and 2.5 million rounds."
    found = DocumentAnalyzer().analyze(Article(id="a", content_hash="a", text=text)).quantities
    assert [(q.value, q.unit) for q in found if q.unit in ("rifles", "rounds")] == [
        (2500000.0, "rounds")
    ]


def test_a_number_after_a_slash_is_no_count() -> None:
    text = "He served 41/2 months in prison, and three months on parole."
    assert [q.text for q in find(text)] == ["three months"]


def test_fractions_after_a_number_and_times_that_are_not_whole() -> None:
    text = "He was sentenced to 2 1/2 years and served 4½ months; police seized 2.5 rifles."
    assert [(q.text, q.value) for q in find(text)] == [("2 1/2 years", 2.5), ("4½ months", 4.5)]
    assert quantities.parse_number("3 1/2") == 3.5
    assert quantities.parse_number("9/11") is None


def test_pounds_weighed_are_a_weight() -> None:
    assert [q.unit for q in find("He is 5-feet-8 inches tall, weighing 130 pounds.")] == ["lb"]
    assert [q.unit for q in find("The ticket cost 130 pounds.")] == ["GBP"]
