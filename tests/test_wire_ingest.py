"""Wire copy as text archives keep it: indented paragraphs, hard-wrapped lines, SGML entity codes;
and the lead it leaves whole for attribution. The stories are invented (Pellmouth is fictional)."""

from __future__ import annotations

import re

import pytest

from newsweave.document import attribution
from newsweave.ingest import clean_document, normalise_text
from newsweave.ingest.clean import replace_wire_codes
from newsweave.model import Article, Document, Sentence

LEAD = (
    "A storm closed the Pellmouth ferry terminal on Tuesday, stranding about 1,200 "
    "passengers, harbour master Ilse Brandt said."
)
SECOND = (
    "Winds of up to 90 mph tore the roof from a waiting hall and pushed two empty ferries "
    "against the pier, Brandt told reporters at the harbour."
)
THIRD = "The operator, Bluewater Lines, said it would refund all tickets."


def paragraphs(text: str) -> list[str]:
    return normalise_text(text).split("\n")


def clean(text: str) -> Article:
    return clean_document(Document(text=text, path="wire.txt"))


# --------------------------------------------------------------------------- SGML entity codes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("&HT;Police said.", "\tPolice said."),
        ("Pellmouth &MD; a port town &MD; voted.", "Pellmouth \u2014 a port town \u2014 voted."),
        ("Bluewater &AMP; Sons", "Bluewater & Sons"),
        ("the pier.&QL;", "the pier."),
        ("&UR; ELECTION '98 &LR; Voters queued.", " ELECTION '98  Voters queued."),
        ("w2346 &Cx1f; wstm-", "w2346  wstm-"),
        ("hall&UP;Winds", "hall Winds"),  # a code between two words leaves them apart
    ],
)
def test_wire_codes_are_replaced_or_dropped(raw: str, expected: str) -> None:
    assert replace_wire_codes(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "AT&T; R&D; Q&A; S&P 500",  # ampersands of ordinary text
        "&amp; &eacute; &Eacute; &nbsp;",  # HTML entities: the HTML reader's business
        "&QUOT;a&QUOT; &LT; &COPY;",  # upper-case names that HTML defines
        "& HT; &ht; &H; &TOOLONG;",
    ],
)
def test_ordinary_text_and_html_entities_are_left_alone(text: str) -> None:
    assert replace_wire_codes(text) == text


def test_wire_codes_in_a_report() -> None:
    raw = (
        "&HT;    PELLMOUTH, England &MD; A storm closed the Pellmouth ferry terminal on\n"
        "Tuesday, stranding about 1,200 passengers, harbour master Ilse Brandt said.&QL;\n"
        "&HT;    The operator, Bluewater &AMP; Sons, said it would refund all tickets.&UR;\n"
    )
    article = clean(raw)
    assert article.text.split("\n") == [
        LEAD,
        "The operator, Bluewater & Sons, said it would refund all tickets.",
    ]
    assert article.meta["place"] == "Pellmouth"
    assert "&" not in article.text.replace("Bluewater & Sons", "")


# --------------------------------------------------------------------------- indented paragraphs


@pytest.mark.parametrize("indent", ["\t", "  ", "   ", "     ", "        "])
def test_indented_one_line_paragraphs_are_body(indent: str) -> None:
    raw = f"Storm closes Pellmouth ferry terminal\n{indent}{LEAD}\n{indent}{SECOND}\n{indent}{THIRD}\n"
    article = clean(raw)
    assert article.text.split("\n") == [LEAD, SECOND, THIRD]
    assert article.title == "Storm closes Pellmouth ferry terminal"  # still the headline
    assert [d.reason for d in article.dropped] == ["headline"]


def test_indented_short_paragraphs_are_not_headlines() -> None:
    # short paragraphs without a final period, as a wire can send them
    raw = (
        "Storm Closes Ferry Terminal\n"
        "   PELLMOUTH, England (AP) -- A storm closed the Pellmouth ferry terminal on\n"
        "Tuesday, stranding about 1,200 passengers\n"
        "   Winds of up to 90 mph tore the roof from a waiting hall and pushed two\n"
        "empty ferries against the pier\n"
        "   The operator said it would refund all tickets\n"
    )
    article = clean(raw)
    assert article.text.split("\n") == [
        "A storm closed the Pellmouth ferry terminal on Tuesday, stranding about 1,200 passengers",
        "Winds of up to 90 mph tore the roof from a waiting hall and pushed two empty ferries "
        "against the pier",
        "The operator said it would refund all tickets",
    ]
    assert article.title == "Storm Closes Ferry Terminal"


# --------------------------------------------------------------------------- hard-wrapped lines

AP_ARCHIVE = """\
Storm Closes Pellmouth Ferry Terminal
By JANE DOE
Associated Press Writer
   PELLMOUTH, England (AP) _ A storm closed the Pellmouth ferry terminal on
Tuesday, stranding about 1,200 passengers, harbour master Ilse Brandt said.
   Winds of up to 90 mph tore the roof from a waiting hall and pushed two
empty ferries against the pier, Brandt told reporters at the harbour.
   ``We expect to reopen on Thursday if the wind drops,'' she said.
   The operator, Bluewater Lines, said it would refund all tickets.
AP-NY-03-04-88 1204EST
"""


def test_paragraphs_marked_by_first_line_indent_are_joined() -> None:
    assert paragraphs(AP_ARCHIVE) == [
        "Storm Closes Pellmouth Ferry Terminal",
        "By JANE DOE",
        "Associated Press Writer",
        "PELLMOUTH, England (AP) _ " + LEAD,
        SECOND,
        "\u201cWe expect to reopen on Thursday if the wind drops,\u201d she said.",
        THIRD,
        "AP-NY-03-04-88 1204EST",
    ]


def test_archived_wire_story_is_read_as_paragraphs() -> None:
    article = clean(AP_ARCHIVE)
    assert article.text.split("\n")[:2] == [LEAD, SECOND]
    assert article.title == "Storm Closes Pellmouth Ferry Terminal"
    assert article.credits == ["AP"]
    assert article.meta["place"] == "Pellmouth"
    assert article.meta["authors"] == ["JANE DOE"]
    assert not any(
        d.reason == "headline" and "ferry terminal on" in d.text for d in article.dropped
    )


def test_tab_indented_wrapped_paragraphs() -> None:
    raw = (
        "\tPELLMOUTH, March 4 (Xinhua) -- A storm closed the Pellmouth ferry terminal on\n"
        "Tuesday, stranding about 1,200 passengers, harbour master Ilse Brandt said.\n"
        "\tWinds of up to 90 mph tore the roof from a waiting hall and pushed two\n"
        "empty ferries against the pier, Brandt told reporters at the harbour.\n"
    )
    article = clean(raw)
    assert article.text.split("\n") == [LEAD, SECOND]
    assert article.credits == ["Xinhua"]


BLANK_SEPARATED = """\
Storm closes Pellmouth ferry terminal as winds reach 90 mph
PELLMOUTH, England (AP) -- A storm closed the Pellmouth ferry terminal on
Tuesday, stranding about 1,200 passengers, harbour master Ilse Brandt said.

Winds of up to 90 mph tore the roof from a waiting hall and pushed two
empty ferries against the pier, Brandt told reporters at the harbour.

Key points:
- Fares will rise by five percent from the first of April, the operator
  said on Monday
- Night sailings end

(Reporting by Jane Doe; Editing by Tom Reed)
"""


def test_paragraphs_separated_by_blank_lines_are_joined_but_not_separate_items() -> None:
    assert paragraphs(BLANK_SEPARATED) == [
        "Storm closes Pellmouth ferry terminal as winds reach 90 mph",  # a dateline follows
        "PELLMOUTH, England (AP) -- " + LEAD,
        SECOND,
        "Key points:",
        "- Fares will rise by five percent from the first of April, the operator said on Monday",
        "- Night sailings end",
        "(Reporting by Jane Doe; Editing by Tom Reed)",
    ]


def test_a_sentence_ending_at_the_margin_does_not_end_the_paragraph() -> None:
    raw = (
        "The Lakeside council approved the new ferry timetable on Monday evening.\n"
        "Ferries will run every 20 minutes from April, the operator said on Tuesday.\n\n"
        "Fares rise by five percent.\n"
    )
    assert paragraphs(raw) == [
        "The Lakeside council approved the new ferry timetable on Monday evening. Ferries will "
        "run every 20 minutes from April, the operator said on Tuesday.",
        "Fares rise by five percent.",
    ]


def test_short_lines_at_the_top_stay_apart() -> None:
    raw = (
        "Storm closes ferry terminal\n"
        "By Jane Doe\n"
        "Published: 4 March 2025\n\n"
        "A storm closed the Pellmouth ferry terminal on Tuesday, stranding about\n"
        "1,200 passengers, harbour master Ilse Brandt said in a statement.\n"
    )
    assert paragraphs(raw) == [
        "Storm closes ferry terminal",
        "By Jane Doe",
        "Published: 4 March 2025",
        "A storm closed the Pellmouth ferry terminal on Tuesday, stranding about 1,200 "
        "passengers, harbour master Ilse Brandt said in a statement.",
    ]


def test_word_broken_at_its_hyphen_is_joined_without_a_space() -> None:
    raw = (
        "   The council approved the long-awaited, much-debated and widely well-\n"
        "known ferry timetable on Monday after a long debate, officials said.\n"
        "   Fares rise.\n"
    )
    assert paragraphs(raw)[0].startswith(
        "The council approved the long-awaited, much-debated and widely well-known ferry timetable"
    )


def test_text_with_one_paragraph_per_line_is_not_joined() -> None:
    raw = f"{LEAD}\n{SECOND}\n{THIRD}\n"
    assert paragraphs(raw) == [LEAD, SECOND, THIRD]
    # indented alike, without continuation lines: still one paragraph per line
    assert paragraphs("".join(f"    {p}\n" for p in (LEAD, SECOND, THIRD))) == [
        LEAD,
        SECOND,
        THIRD,
    ]


def test_long_lines_are_never_joined() -> None:
    long = LEAD + " " + SECOND  # over the wrap width: the text is not hard-wrapped
    raw = f"{long}\nthe next line starts in lower case.\n\n{THIRD}\n"
    assert paragraphs(raw) == [long, "the next line starts in lower case.", THIRD]


# --------------------------------------------------------------------------- the lead's attribution


def _sentences(text: str) -> list[Sentence]:
    """Sentences as the document stage gives them: a line is a paragraph, a line break ends a
    sentence."""
    out: list[Sentence] = []
    pos = 0
    for p_index, line in enumerate(text.split("\n")):
        for m in re.finditer(r"[^.!?]+[.!?]+", line):
            start = pos + m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            end = pos + m.end()
            out.append(Sentence(len(out), start, end, text[start:end], paragraph=p_index))
        pos += len(line) + 1
    return out


@pytest.mark.parametrize(
    ("tail", "source"),
    [("Reuters reported.", "Reuters"), ("according to Xinhua.", "Xinhua")],
)
def test_attribution_at_the_end_of_a_wrapped_lead_speaks_for_the_article(
    tail: str, source: str
) -> None:
    raw = (
        "   PELLMOUTH, England -- A storm closed the Pellmouth ferry terminal on\n"
        f"Tuesday, stranding about 1,200 passengers, {tail}\n"
        "   Winds of up to 90 mph tore the roof from a waiting hall and pushed\n"
        "two empty ferries against the pier, the harbour master said.\n"
    )
    article = clean(raw)
    lead = article.text.split("\n")[0]
    assert lead.endswith(tail)  # the sentence stays: it is still a claim
    found = attribution.find(article.text, _sentences(article.text), [])
    assert [(a.source, a.scope) for a in found] == [(source, "article")]


def test_wire_quotation_marks_become_quotes_with_their_speaker() -> None:
    from newsweave.ingest.clean import wire_quotes
    from newsweave.model import Document

    assert wire_quotes("``We are safe,'' he said.") == "\u201cWe are safe,\u201d he said."
    # a quotation over two paragraphs: the opening mark repeated, one closing mark
    two = "``The water rose fast.\n\n``We ran,'' she said."
    assert wire_quotes(two) == "\u201cThe water rose fast.\n\n\u201cWe ran,\u201d she said."
    assert wire_quotes("He is 5'11'' tall.") == "He is 5'11'' tall."  # no opening mark
    text = (
        "The mayor spoke on Monday.\n\n"
        "``The harbour will reopen on Friday,'' Mayor John Harris told reporters.\n"
    )
    article = clean_document(Document(text=text, path="wire.txt"))
    from newsweave.document.nlp import DocumentAnalyzer

    quotes = DocumentAnalyzer().analyze(article).quotes
    assert [(q.text, q.speaker_text) for q in quotes] == [
        ("The harbour will reopen on Friday,", "John Harris")
    ]
