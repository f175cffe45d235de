"""What a claim states: the values, polarity and modality a citation must share."""

from __future__ import annotations

from newsweave.story import support


def sig(text: str, dates: tuple[str, ...] = (), unresolved: tuple[str, ...] = ()):
    return support.signature(text, dates, unresolved)


def test_numbers_in_digits_words_ordinals_and_with_units() -> None:
    assert support.numbers("five dead, 1,000 hurt, a 6.1-magnitude quake, 600m down") == {
        "5",
        "1000",
        "6.1",
        "600",
    }
    assert support.numbers("the 21st coach and his fifth season") == {"21th", "5th"}
    # pronoun "one", the order of telling "first", a team's name are no figures
    assert support.numbers("one of the first climbers, the 76ers said") == frozenset()


def test_a_claim_with_another_figure_does_not_state_it() -> None:
    stated = sig("The quake killed at least five people on Tuesday.")
    assert support.states(sig("Five people died in the quake.", ()), sig("Five people died."))
    assert not support.states(sig("The quake killed seven people."), stated)
    assert support.states(sig("A quake killed five people and injured 30."), sig("It killed five."))
    assert not support.states(sig("It killed five."), sig("A quake killed five and injured 30."))


def test_polarity_and_modality_must_match() -> None:
    likely = sig("A collision is the most likely cause of the sinking.")
    unlikely = sig("Officials said a collision was very unlikely.")
    assert not support.compatible(likely, unlikely)
    assert not support.states(sig("The quake may have killed five."), sig("The quake killed five."))
    assert not support.states(sig("He did not resign."), sig("He resigned."))


def test_dates_resolved_and_as_written() -> None:
    wednesday = sig("On Wednesday, officials released the order.", ("2025-01-01",))
    assert support.states(sig("The order came on January 1.", ("2025-01-01",)), wednesday)
    assert not support.states(sig("The order came on December 30.", ("2024-12-30",)), wednesday)
    assert not support.states(sig("The order was released."), wednesday)
    unanchored = sig("On Wednesday, officials released it.", unresolved=("on wednesday",))
    assert support.states(
        sig("Officials released it on Wednesday.", unresolved=("on wednesday",)), unanchored
    )
    assert not support.states(sig("Officials released it.", unresolved=("recently",)), unanchored)


def test_names_are_values_but_who_tells_it_is_not() -> None:
    hospital = support.signature(
        "Chohan was pronounced dead at Jamaica Hospital.", names=("chohan", "jh")
    )
    home = support.signature(
        "Chohan, who lived in South Ozone Park, was walking.", names=("chohan", "sop")
    )
    assert not support.states(home, hospital)
    text = "The authority approved the plan on Tuesday, its chairwoman Elena Varga said."
    (span,) = support.teller_spans(text)
    assert text[span[0] : span[1]] == ", its chairwoman Elena Varga said."
    assert support.teller_spans("Five died, according to police.") == [(11, 31)]
    assert support.teller_spans("Obama said he would nominate Gupta.") == []


def test_the_day_it_was_said_is_not_the_claims_date() -> None:
    text = "14 were missing after the ferry capsized, officials said on Wednesday."
    (span,) = support.teller_spans(text)
    assert text[span[0] :].startswith(", officials said on Wednesday")
    # a content verb is no telling: the date is the claim's own
    assert (
        support.teller_spans(
            "Putin began a partnership, a move announced in a post on December 30."
        )
        == []
    )


def test_a_clock_time_and_a_direction_are_values_a_citation_must_share() -> None:
    from newsweave.story.support import numbers, signature, states

    assert numbers("failed sobriety tests shortly after 2 a.m. on Route 52") == {"@2:00", "52"}
    assert numbers("just after 2:30 a.m.") == {"@2:30"}  # one time, not the numbers 2 and 30
    assert numbers("at 14:05 GMT") == numbers("at 2:05 p.m.")
    early = signature("Jackson failed sobriety tests shortly after 2 a.m.")
    late = signature("Jackson failed sobriety tests just after 2:30 a.m.")
    assert not states(late, early) and not states(early, late)
    assert states(signature("He failed the tests at about 2 a.m. on Tuesday."), early)
    west = signature("The ship was sailing 150 nautical miles west of Aden.")
    east = signature("The ship was sailing 150 nautical miles east of Aden.")
    assert not states(east, west)
    assert states(signature("It was 150 nautical miles west of Aden, the navy said."), west)
