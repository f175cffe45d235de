"""Proposed additions to tests/test_attribution.py (they need the attribution.py change)."""

from __future__ import annotations

import pytest

from tests.test_attribution import find, got


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The ferry sank off Kelm on Tuesday, the Baltic Press said.", "Baltic Press"),
        ("The ferry sank, the Kelm Courier said on Tuesday.", "Kelm Courier"),
        ("The ferry sank, Baltwire news agency said.", "Baltwire"),
        ("The Kelm Courier said the ferry sank.", "Kelm Courier"),
    ],
)
def test_a_news_organisation_said_in_the_lead_is_article_scope(text: str, source: str) -> None:
    assert got(find(text)) == [(source, "article", 0)]


def test_anyone_else_said_is_no_source() -> None:
    assert find("The ferry sank, the Kelm Port Authority said.") == []
    assert find("The ferry sank, the Harbour Press Office said.") == []
    assert find("The ferry sank, Mara Lind said.", {"Mara Lind": "PERSON"}) == []


def test_a_news_organisation_said_after_the_lead_is_sentence_scope() -> None:
    text = "The ferry sank.\nDivers searched.\nTwelve were rescued, the Baltic Press said."
    assert got(find(text)) == [("Baltic Press", "sentence", 2)]
