"""The document stage on text written for the test: sentences follow line breaks, compound
sentences split into clauses, titles before and roles after names are kept."""

from __future__ import annotations

import pytest

from newsweave.document.nlp import DocumentAnalyzer, role_after
from newsweave.model import Article

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analyzer() -> DocumentAnalyzer:
    return DocumentAnalyzer()


def _analyze(analyzer: DocumentAnalyzer, text: str):  # type: ignore[no-untyped-def]
    return analyzer.analyze(Article(id="t", content_hash="t", text=text, language="en"))


def test_a_line_break_ends_a_sentence(analyzer: DocumentAnalyzer) -> None:
    text = (
        "Harbour plans without a full stop\nThe council met on Monday. It voted to act.\n- A bullet"
    )
    an = _analyze(analyzer, text)
    assert [s.text for s in an.sentences] == [
        "Harbour plans without a full stop",
        "The council met on Monday.",
        "It voted to act.",
        "- A bullet",
    ]
    assert [s.paragraph for s in an.sentences] == [0, 1, 1, 2]
    assert all(text[s.start : s.end] == s.text for s in an.sentences)


def test_compound_sentences_split_into_clauses(analyzer: DocumentAnalyzer) -> None:
    text = (
        "Three young climbers died and two were still missing after the avalanche near Kelm. "
        "Rescuers searched the slope and found a rucksack. "
        "The mayor met the leaders of Kelm and Varn, who agreed to help."
    )
    an = _analyze(analyzer, text)
    first, second, third = an.sentences
    assert [text[a:b] for a, b in first.clauses] == [
        "Three young climbers died",
        "two were still missing after the avalanche near Kelm",
    ]
    assert second.clauses == []  # one subject, two verbs: one clause
    assert third.clauses == []  # "Varn, who agreed": a relative clause, not a second clause


def test_titles_before_and_roles_after_names(analyzer: DocumentAnalyzer) -> None:
    text = (
        "Governor Maria Lopez visited the port on Monday. "
        "Tomas Vey, the chief executive of Kelm Ferries, said the ships were safe."
    )
    an = _analyze(analyzer, text)
    people = {m.text: m for m in an.mentions if m.label == "PERSON"}
    assert people["Maria Lopez"].title == "Governor"
    assert people["Tomas Vey"].role == "chief executive of Kelm Ferries"


def test_role_after_only_takes_positions() -> None:
    assert role_after("Mara Lind, a former finance minister, said", 9) == "former finance minister"
    assert role_after("Mara Lind, who chairs the board, said", 9) is None
    assert role_after("Mara Lind, 52, said", 9) is None
    assert role_after("Mara Lind said", 9) is None
