"""Attribution cues and their scope on invented text (Baltwire, the Kelm Courier: fictional)."""

from __future__ import annotations

import re

import pytest

from newsweave.document import attribution
from newsweave.model import Article, ArticleAnalysis, Attribution, Mention, Sentence


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for p_index, line in enumerate(text.split("\n")):
        for m in re.finditer(r"[^.!?]+[.!?]+", line):
            start = pos + m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            out.append(
                Sentence(
                    index=len(out),
                    start=start,
                    end=pos + m.end(),
                    text=m.group(0).strip(),
                    paragraph=p_index,
                )
            )
        pos += len(line) + 1
    return out


def find(text: str, names: dict[str, str] | None = None) -> list[Attribution]:
    sents = sentences(text)
    ms: list[Mention] = []
    for name, label in (names or {}).items():
        for m in re.finditer(re.escape(name), text):
            index = max(s.index for s in sents if s.start <= m.start())
            ms.append(Mention(m.start(), m.end(), name, label, index))
    return attribution.find(text, sents, ms)


def got(found: list[Attribution]) -> list[tuple[str, str, int | None]]:
    return [(a.source, a.scope, a.sentence) for a in found]


def test_reports_x_in_the_lead_is_article_scope() -> None:
    text = "The Ostra ferry capsized off Kelm on Tuesday, reports Baltwire.\nDivers searched."
    found = find(text)
    assert got(found) == [("Baltwire", "article", 0)]
    assert found[0].text == "reports Baltwire"


def test_told_x_is_sentence_scope_even_in_the_lead() -> None:
    text = "A survivor told Baltwire the crew panicked.\nDivers searched the bay."
    assert got(find(text)) == [("Baltwire", "sentence", 0)]


def test_reporting_cue_after_the_lead_is_sentence_scope() -> None:
    text = (
        "The Ostra ferry capsized off Kelm on Tuesday.\n"
        "Divers searched the bay overnight.\n"
        "The cause is unclear, reports Baltwire."
    )
    assert got(find(text)) == [("Baltwire", "sentence", 2)]


def test_lead_is_at_most_three_sentences() -> None:
    text = "One ferry sank. Two boats came. Three crews helped. Four died, reports Baltwire.\nEnd."
    assert got(find(text)) == [("Baltwire", "sentence", 3)]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The ferry sank, according to the Kelm Courier.", "Kelm Courier"),
        ("According to Baltwire, the ferry sank.", "Baltwire"),
        ("The Kelm Courier reported that the ferry sank.", "Kelm Courier"),
        ("The ferry sank, the Kelm Courier reported.", "Kelm Courier"),
        ("The ferry sank, Baltwire news agency reported on Tuesday.", "Baltwire"),
        ("The ferry sank, as first reported by Nordic Signal.", "Nordic Signal"),
        ("The ferry sank, according to The Kelm Courier.", "Kelm Courier"),
        ("The ferry sank, according to the Kelm Port Authority.", "Kelm Port Authority"),
    ],
)
def test_cues(text: str, source: str) -> None:
    assert got(find(text)) == [(source, "article", 0)]


def test_according_to_a_person_is_skipped() -> None:
    assert find("The ferry sank, according to Mara Lind.", {"Mara Lind": "PERSON"}) == []
    text = "The ferry sank, according to Harbour Master Tomas Vey."
    assert find(text, {"Tomas Vey": "PERSON"}) == []
    # a surname alone, the full name written elsewhere in the article
    text = "Mara Lind spoke first. The ferry sank, according to Lind."
    assert find(text, {"Mara Lind": "PERSON"}) == []


def test_a_person_sharing_letters_with_an_outlet_does_not_hide_it() -> None:
    text = "Berg spoke. The ferry sank, according to the Bergen Tidings."
    assert got(find(text, {"Berg": "PERSON"})) == [("Bergen Tidings", "article", 1)]


def test_lowercase_common_nouns_are_not_sources() -> None:
    assert find("The ferry sank, according to officials.") == []
    assert find("The ferry sank, according to data from the port.") == []


def test_capitalised_common_noun_opening_a_sentence_is_not_a_source() -> None:
    assert find("Rescuers reported 12 survivors.") == []
    assert find("Police reported the crash near Kelm.") == []
    # ... unless the NER names something there
    assert got(find("Baltwire reported the crash.", {"Baltwire": "ORG"})) == [
        ("Baltwire", "article", 0)
    ]


def test_two_outlets_joined_by_and() -> None:
    text = "The ferry sank, according to a report by the Kelm Courier and Baltwire."
    assert got(find(text)) == [("Kelm Courier", "article", 0), ("Baltwire", "article", 0)]


def test_one_source_per_sentence() -> None:
    text = "Baltwire reported the crash, reports Baltwire."
    assert len(find(text, {"Baltwire": "ORG"})) == 1


def test_pronouns_are_not_sources() -> None:
    assert find("It reported the crash on Tuesday.") == []


@pytest.fixture(scope="module")
def analysed() -> ArticleAnalysis:
    from newsweave.document.nlp import DocumentAnalyzer

    text = (
        "The Ostra ferry capsized off the coast on Tuesday, reports Baltwire.\n"
        "Harbour master Tomas Vey told the Kelm Courier the crew had followed every rule.\n"
        "The sea was calm, according to Tomas Vey."
    )
    return DocumentAnalyzer().analyze(Article(id="a1", content_hash="a1", text=text))


def test_attribution_through_the_document_stage(analysed: ArticleAnalysis) -> None:
    assert [(a.source, a.scope) for a in analysed.attributions] == [
        ("Baltwire", "article"),
        ("Kelm Courier", "sentence"),
    ]


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
