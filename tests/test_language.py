"""Language identification (lingua, restricted to common news languages)."""

from __future__ import annotations

import time

import pytest

from newsweave.ingest.language import LANGUAGES, detect_language


@pytest.mark.parametrize(
    "text, code",
    [
        ("The Lakeside council approved the new ferry timetable on Monday, officials said.", "en"),
        ("Der Stadtrat von Seedorf hat am Montag den neuen Fährfahrplan beschlossen.", "de"),
        ("Le conseil municipal de Lacville a approuvé lundi le nouvel horaire des ferries.", "fr"),
        (
            "El ayuntamiento de Villalago aprobó el lunes el nuevo horario de los transbordadores.",
            "es",
        ),
        ("Городской совет Озёрска в понедельник утвердил новое расписание паромов.", "ru"),
        ("湖滨市议会周一批准了新的渡轮时刻表，官员们表示。", "zh"),
    ],
)
def test_detects_common_languages(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "OK", "Hello there", "12345 67890", "  \n "])
def test_too_short_is_none(text: str) -> None:
    assert detect_language(text) is None


def test_mixed_is_none() -> None:
    english = (
        "The Lakeside council approved the new ferry timetable on Monday after a long debate "
        "about fares, night sailings and the future of the old pier, officials said."
    )
    german = (
        "Der Stadtrat von Seedorf hat am Montag nach einer langen Debatte über Fahrpreise, "
        "Nachtfahrten und die Zukunft des alten Stegs den neuen Fährfahrplan beschlossen."
    )
    assert detect_language(english + "\n" + german) is None
    assert detect_language(english + "\n" + english) == "en"


def test_only_the_chosen_languages_and_fast() -> None:
    assert len(LANGUAGES) == 15
    text = "The Lakeside council approved the new ferry timetable on Monday. " * 2000
    detect_language("warm up the detector with a sentence in English.")
    start = time.perf_counter()
    assert detect_language(text) == "en"
    assert time.perf_counter() - start < 1.0
