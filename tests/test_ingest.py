"""Readers (files, folders, formats, bad input) and cleaning into Articles."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from newsweave.errors import (
    BinaryInput,
    DecodeError,
    EmptyInput,
    InputError,
    TooLarge,
    UnsupportedFormat,
)
from newsweave.ingest import (
    InputWarning,
    clean_document,
    content_hash,
    normalise_text,
    read_paths,
)
from newsweave.model import Article, Document
from newsweave.pipeline import Pipeline
from newsweave.store import Store

BODY = (
    "The Lakeside council approved the new ferry timetable on Monday, officials said.\n"
    "Ferries will run every 20 minutes from April, the operator Bluewater Lines said.\n"
)


def read_all(*paths: str | Path, **kwargs: int) -> list[Document | InputError]:
    return list(read_paths(paths, **kwargs))


def only_doc(path: Path) -> Document:
    (item,) = read_all(path)
    assert isinstance(item, Document), item
    return item


def only_error(path: Path) -> InputError:
    (item,) = read_all(path)
    assert isinstance(item, InputError), item
    return item


# --------------------------------------------------------------------------- formats


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")
    doc = only_doc(path)
    assert doc.text == BODY
    assert doc.format == "text"
    assert doc.path == str(path)


def test_utf8_bom_and_utf16(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "Café opens.".encode())
    (tmp_path / "u16.txt").write_bytes("Café opens in Lakeside.".encode("utf-16"))
    assert only_doc(tmp_path / "bom.txt").text == "Café opens."
    assert only_doc(tmp_path / "u16.txt").text == "Café opens in Lakeside."


@pytest.mark.parametrize(
    "text",
    [
        "The café reopened on Monday, said the mayor’s office — a “good day”.",
        "Le café de la gare a rouvert lundi, a déclaré le maire. « C’est très bien », dit-il.",
        "Señor García said the naïve plan would cost €5m.",
    ],
)
def test_cp1252_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("cp1252"))
    assert only_doc(path).text == text


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: Ferry timetable approved\nsource: Lakeside Gazette\n"
        "url: https://lakeside.example/ferry\npublished: 2025-03-04\nauthor: Jane Doe\n---\n"
        + BODY,
        encoding="utf-8",
    )
    doc = only_doc(path)
    assert doc.format == "markdown"
    assert doc.title == "Ferry timetable approved"
    assert doc.source == "Lakeside Gazette"
    assert doc.url == "https://lakeside.example/ferry"
    assert doc.published == "2025-03-04"
    assert doc.meta == {"author": "Jane Doe"}
    assert doc.text.strip() == BODY.strip()


FRONT = "---\ntitle: Ferry timetable approved\nsource: Lakeside Gazette\n"


def read_md(tmp_path: Path, text: str, name: str = "story.md") -> list[Document | InputError]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_all(path)


def warned_doc(items: list[Document | InputError]) -> tuple[list[str], Document]:
    """The warnings (as their one-line messages) and the Document of one Markdown file."""
    *warnings, doc = items
    assert isinstance(doc, Document), doc
    assert all(isinstance(w, InputWarning) for w in warnings), warnings
    return [str(w) for w in warnings], doc


def test_impossible_date_in_front_matter(tmp_path: Path) -> None:
    items = read_md(tmp_path, FRONT + "published: 2025-13-45\nauthor: Jane Doe\n---\n" + BODY)
    (warning,), doc = warned_doc(items)
    assert warning.startswith(f"{tmp_path / 'story.md'}: front matter field 'published' on line 4")
    assert "'2025-13-45'" in warning and "month must be in 1..12" in warning
    assert "\n" not in warning
    # the fields that could be read are kept; the body is the text after the front matter
    assert (doc.title, doc.source, doc.published) == (
        "Ferry timetable approved",
        "Lakeside Gazette",
        None,
    )
    assert doc.meta == {"author": "Jane Doe"}
    assert doc.text == BODY


@pytest.mark.parametrize(
    ("field", "said"),
    [
        ("published: '2025-13-45'", "field 'published' is not a date ('2025-13-45')"),
        ("published: next week", "field 'published' is not a date ('next week')"),
        ("published: 2025-03-04T08:00:00+25:00", "field 'published' on line 4 cannot be read"),
        ("tags: !!python/object:os.system ls", "field 'tags' on line 4 cannot be read"),
    ],
)
def test_front_matter_field_that_cannot_be_read(tmp_path: Path, field: str, said: str) -> None:
    (warning,), doc = warned_doc(read_md(tmp_path, FRONT + field + "\n---\n" + BODY))
    assert said in warning
    assert warning.endswith("the field is ignored")
    assert doc.title == "Ferry timetable approved"
    assert doc.published is None
    assert doc.text == BODY


def test_broken_yaml_front_matter_keeps_the_fields_it_can(tmp_path: Path) -> None:
    text = FRONT + "summary: Fares: up\nauthor: Jane Doe\npublished: 2025-03-04\n---\n" + BODY
    (warning,), doc = warned_doc(read_md(tmp_path, text))
    assert warning == (
        f"{tmp_path / 'story.md'}: front matter is not valid YAML (line 4: mapping values are "
        "not allowed here); kept 'title', 'source', 'author', 'published'; the body is read "
        "without it"
    )
    assert (doc.title, doc.source, doc.published) == (
        "Ferry timetable approved",
        "Lakeside Gazette",
        "2025-03-04",
    )
    assert doc.meta == {"author": "Jane Doe"}
    assert doc.text == BODY


def test_broken_yaml_front_matter_with_nothing_to_keep(tmp_path: Path) -> None:
    (warning,), doc = warned_doc(read_md(tmp_path, '---\ntitle: "Ferry\n---\n' + BODY))
    assert "front matter is not valid YAML (line 2: while scanning a quoted scalar" in warning
    assert "no field kept" in warning
    assert (doc.title, doc.meta, doc.text) == (None, {}, BODY)


def test_front_matter_without_its_closing_line(tmp_path: Path) -> None:
    (warning,), doc = warned_doc(read_md(tmp_path, FRONT + "\n" + BODY))
    assert warning.endswith(
        "front matter has no closing '---' line; read up to the first blank line"
    )
    assert (doc.title, doc.source) == ("Ferry timetable approved", "Lakeside Gazette")
    assert doc.text == BODY


@pytest.mark.parametrize(
    "text",
    [
        "---\nThe ferry: it runs again: from April.\n---\n" + BODY,  # prose between two rules
        "---\nNote: fares rise.\n\n" + BODY,  # a rule, then a labelled paragraph
        "---\n2025-13-45\n---\n" + BODY,  # not a mapping
    ],
)
def test_text_between_rules_is_not_front_matter(tmp_path: Path, text: str) -> None:
    (doc,) = read_md(tmp_path, text)
    assert isinstance(doc, Document)
    assert doc.text == text


def test_front_matter_with_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_bytes((FRONT + "published: 2025-03-04\n---\n" + BODY).replace("\n", "\r\n").encode())
    doc = only_doc(path)
    assert (doc.title, doc.published) == ("Ferry timetable approved", "2025-03-04")
    assert doc.text.split() == BODY.split()


def test_bad_front_matter_with_no_body(tmp_path: Path) -> None:
    items = read_md(tmp_path, FRONT + "published: 2025-13-45\n---\n")
    assert [type(i) for i in items] == [InputWarning, EmptyInput]


def test_bad_front_matter_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(FRONT + "published: 2025-13-45\n---\n" + BODY)
    (tmp_path / "in" / "b.txt").write_text("Harbour workers walked out on Tuesday, the union said.")
    with Store.open(tmp_path / "n.db") as store:
        result = Pipeline(store).ingest([tmp_path / "in"])
        assert len(result.added) == 2
        assert not result.problems  # the file is read: a warning, not a skipped input
        (warning,) = result.warnings
        assert warning.startswith(str(tmp_path / "in" / "a.md") + ": ")
        assert "field 'published'" in warning
        article = next(
            a for a in map(store.get_article, result.added) if a.path and a.path.endswith(".md")
        )
    # the front matter is not read as text: no claim, quote or sentence comes from it
    assert article.text == BODY.strip()
    assert article.title == "Ferry timetable approved"
    assert article.source == "Lakeside Gazette"


HTML = """<!DOCTYPE html><html><head><title>Ferry timetable approved | Lakeside Gazette</title>
<meta property="og:site_name" content="Lakeside Gazette">
<meta property="og:url" content="https://lakeside.example/ferry">
<meta property="article:published_time" content="2025-03-04T09:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry timetable approved</h1>
<p>The Lakeside council approved the new ferry timetable on Monday, officials said, after a
long debate about fares, night sailings and the future of the old pier.</p>
<p>Ferries will run every 20 minutes from April, the operator Bluewater Lines said in a
statement, adding that two new boats would join the fleet in the summer.</p>
<p>Mayor Tom Quill said the decision would help thousands of commuters who cross the lake
every day to reach offices and schools in the town centre.</p>
</article><footer>Contact us</footer></body></html>"""


def test_html_file(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    doc = only_doc(path)
    assert doc.format == "html"
    assert "every 20 minutes" in doc.text
    assert "Contact us" not in doc.text
    assert doc.source == "Lakeside Gazette"
    assert doc.url == "https://lakeside.example/ferry"
    assert doc.published == "2025-03-04"
    assert doc.title and "Ferry timetable approved" in doc.title


def test_broken_html_still_gives_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.htm"
    path.write_text(
        "<html><body><div><p>Harbour workers in Lakeside walked out on Tuesday over pay, "
        "the union said.<p>The strike could last a wee",
        encoding="utf-8",
    )
    doc = only_doc(path)
    assert "Harbour workers in Lakeside walked out" in doc.text


def test_html_without_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title></title></head><body><script>x=1</script></body></html>")
    assert isinstance(only_error(path), EmptyInput)


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": BODY, "url": "https://lakeside.example/1", "source": "LG"}),
        "{not json",
        "",
        json.dumps({"title": "no body"}),
        json.dumps(
            {"html": "<html><body><p>" + BODY + "</p></body></html>", "published": "4 March 2025"}
        ),
        json.dumps({"text": "   "}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_all(path)
    assert [type(i).__name__ for i in items] == [
        "Document",
        "InputError",
        "InputError",
        "Document",
        "EmptyInput",
    ]
    first, bad, nobody, from_html, empty = items
    assert isinstance(first, Document) and isinstance(from_html, Document)
    assert first.path == str(path)
    assert first.meta["line"] == 1
    assert first.id == "a1"
    assert first.url == "https://lakeside.example/1"
    assert first.source == "LG"
    assert first.format == "jsonl"
    assert isinstance(bad, InputError) and bad.where == f"{path}:2"
    assert isinstance(nobody, InputError) and nobody.where == f"{path}:4"
    assert "ferry timetable" in from_html.text
    assert from_html.meta["line"] == 5
    assert from_html.published == "2025-03-04"
    assert isinstance(empty, EmptyInput) and empty.where == f"{path}:6"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x00\x00",
        gzip.compress(b"hello"),
        b"plain start\x00\x00\x00 then nul bytes",
        bytes(range(1, 9)) * 50,
    ],
)
def test_binary(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    error = only_error(path)
    assert isinstance(error, BinaryInput)
    assert error.where == str(path)
    assert "\n" not in str(error)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "e.txt"
    path.write_bytes(content)
    assert isinstance(only_error(path), EmptyInput)


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(BODY * 100, encoding="utf-8")
    error = only_error_with(path, max_bytes=1000)
    assert isinstance(error, TooLarge)
    assert len(read_all(path)) == 1 and isinstance(read_all(path)[0], Document)


def only_error_with(path: Path, max_bytes: int) -> InputError:
    (item,) = read_all(path, max_bytes=max_bytes)
    assert isinstance(item, InputError)
    return item


def test_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "bad16.txt"
    path.write_bytes(b"\xff\xfe" + "Lakeside".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    assert isinstance(only_error(path), DecodeError)


def test_missing_and_unsupported(tmp_path: Path) -> None:
    missing = only_error(tmp_path / "nope.txt")
    assert type(missing) is InputError
    (tmp_path / "a.docx").write_bytes(b"whatever")
    assert isinstance(only_error(tmp_path / "a.docx"), UnsupportedFormat)


# --------------------------------------------------------------------------- folders


def test_folder_walk(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    (root / "b").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a.txt").write_text(BODY)
    (root / "b" / "c.md").write_text(BODY)
    (root / "b" / "a.txt").write_text(BODY)
    (root / ".hidden" / "x.txt").write_text(BODY)
    (root / ".secret.txt").write_text(BODY)
    (root / "README.md").write_text("about this folder")
    (root / "LICENSE").write_text("licence")
    (root / "notes.docx").write_bytes(b"x")
    items = list(read_paths([root]))
    assert all(isinstance(i, Document) for i in items)
    assert [i.path for i in items if isinstance(i, Document)] == [
        str(root / "a.txt"),
        str(root / "b" / "a.txt"),
        str(root / "b" / "c.md"),
    ]


def test_folder_paths_stay_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(BODY)
    monkeypatch.chdir(tmp_path)
    (doc,) = read_paths(["in"])
    assert isinstance(doc, Document)
    assert doc.path == "in/a.txt"


# --------------------------------------------------------------------------- cleaning


def test_normalise_text() -> None:
    raw = "Cafe\u0301 \u200bopens\r\nin   Lake\u00adside.\r\n\r\n\r\nSecond\tpara."
    # blank lines separate paragraphs, so the line starting in lower case continues the first
    assert normalise_text(raw) == "Café opens in Lakeside.\nSecond para."
    assert normalise_text("One line.\nTwo  lines.\n") == "One line.\nTwo lines."


def test_hard_wrapped_paragraphs_are_joined() -> None:
    raw = (
        "The Lakeside council approved the new ferry timetable on Monday after\n"
        "a long debate, officials said.\n\n"
        "Ferries will run every 20 minutes from April, the operator said in a\n"
        "statement on Tuesday.\n"
    )
    assert normalise_text(raw).split("\n") == [
        "The Lakeside council approved the new ferry timetable on Monday after a long debate, "
        "officials said.",
        "Ferries will run every 20 minutes from April, the operator said in a statement on "
        "Tuesday.",
    ]


REPORT = """By Jane Doe, Lakeside Gazette
Published: 4 March 2025
LAKESIDE (Imaginary Press) - The Lakeside council approved the new ferry timetable on Monday.
Photo: Commuters board a ferry. (Ann Lens/Imaginary Images)
The bottom line: Ferries will run every 20 minutes from April, the operator said.
- Fares rise by 5% in April
Sign up for our morning newsletter
Source: Imaginary Press
Lakeside approves new ferry timetable
"""


def test_clean_document_builds_article() -> None:
    article = clean_document(Document(text=REPORT, path="r.txt", format="text"))
    assert isinstance(article, Article)
    assert article.text == (
        "The Lakeside council approved the new ferry timetable on Monday.\n"
        "Ferries will run every 20 minutes from April, the operator said.\n"
        "Fares rise by 5% in April"
    )
    assert article.published == "2025-03-04"
    assert article.title == "Lakeside approves new ferry timetable"
    assert article.credits[:2] == ["Lakeside Gazette", "Imaginary Press"]
    assert "Jane Doe" not in article.credits
    assert article.meta["authors"] == ["Jane Doe"]
    assert article.source == "Lakeside Gazette"
    assert article.meta["place"] == "Lakeside"
    assert article.words == len(article.text.split())
    assert article.id == article.content_hash[:12]
    assert article.language == "en"
    reasons = {d.reason for d in article.dropped}
    assert {"credit", "dateline", "caption", "section-label", "sign-off", "headline"} <= reasons


def test_document_fields_win() -> None:
    doc = Document(
        text=REPORT,
        path="feed.jsonl",
        title="Given title",
        source="Given Source",
        published="2025-01-01",
        id="x-1",
        meta={"line": 3},
    )
    article = clean_document(doc)
    assert article.title == "Given title"
    assert article.source == "Given Source"
    assert article.published == "2025-01-01"
    assert article.meta["given_id"] == "x-1"
    assert article.meta["line"] == 3
    assert article.id == article.content_hash[:12]


def test_hash_is_idempotent_across_whitespace_and_quotes() -> None:
    a = 'The mayor said "fares will rise" - again.\nFerries run at 6am.'
    b = "  The  mayor said “fares will rise” — again.\r\n\r\nFerries   run at 6am.  "
    doc_a = clean_document(Document(text=a))
    doc_b = clean_document(Document(text=b))
    assert doc_a.id == doc_b.id
    assert doc_a.content_hash == content_hash(doc_a.text)
    assert content_hash("It’s") == content_hash("IT'S")
    assert content_hash("Fares rise") != content_hash("Fares fall")


def test_clean_empty_raises() -> None:
    with pytest.raises(EmptyInput):
        clean_document(Document(text="Advertisement\nSource: Imaginary Press\n", path="x.txt"))


def test_no_credit_reaches_text() -> None:
    article = clean_document(Document(text=REPORT))
    for line in article.text.split("\n"):
        assert not line.startswith(("Source:", "By ", "Photo", "Sign up"))


# --------------------------------------------------------------------------- seeds

SEEDS = Path(__file__).parents[1] / "../shared/seeds"


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds (the acceptance fixture) is absent")
def test_seeds() -> None:
    items = list(read_paths([SEEDS]))
    docs = [i for i in items if isinstance(i, Document)]
    assert len(docs) == len(items) == 4
    articles = {Path(d.path or "").name[:3]: clean_document(d) for d in docs}

    seed2 = articles["002"]
    assert seed2.published == "2025-01-02"
    raw2 = normalise_text(docs[2].text).split("\n")[0]
    first_sentence = raw2.split("2025-01-02", 1)[1].strip()
    assert seed2.text.split("\n")[0] == first_sentence
    assert "2025-01-02" not in seed2.text

    for doc, article in zip(docs, articles.values(), strict=True):
        for line in normalise_text(doc.text).split("\n"):
            if line.startswith("Source:"):
                assert line.split(":", 1)[1].strip() in article.credits
                assert line not in article.text

    seed3 = articles["003"]
    labels = [d.text for d in seed3.dropped if d.reason == "section-label"]
    assert labels
    for label in labels:
        assert label not in seed3.text
    last = normalise_text(docs[3].text).split("\n")[-1]
    assert seed3.title == last
    assert last not in seed3.text

    credit_start = ("Source:", "Sources:", "Credit:", "©", "Copyright", "(Reporting")
    byline = re.compile(r"^By(?: [A-Z][\w'-]+){1,4}$")
    for article in articles.values():
        assert article.language == "en"
        for line in article.text.split("\n"):
            assert not line.startswith(credit_start), line
            assert not byline.match(line), line


def test_a_run_where_nothing_could_be_read_exits_1(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsweave.cli import app

    result = CliRunner().invoke(
        app,
        ["analyze", str(tmp_path / "no-such-folder"), "--db", str(tmp_path / "n.db"), "--out",
         str(tmp_path / "r")],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "none of the inputs could be read" in result.output
    (tmp_path / "one.txt").write_text("Harbour workers walked out on Tuesday, the union said.")
    result = CliRunner().invoke(
        app,
        ["ingest", str(tmp_path / "one.txt"), str(tmp_path / "missing.txt"), "--db",
         str(tmp_path / "n.db")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output  # one input read: the run did its work


def test_markdown_body_reads_as_text(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: Ferry sinks\n---\n# Ferry sinks\n\n"
        "Lucia Fenn told the *Osterra Courier* that **the ferry** rolled, see [the map]"
        "(https://lake.example/map_(2)).\n\n> The pier will be rebuilt, the mayor said.\n\n"
        "- a list item keeps snake_case_words and 2*3*4\n",
        encoding="utf-8",
    )
    text = only_doc(path).text
    assert "Lucia Fenn told the Osterra Courier that the ferry rolled, see the map." in text
    assert "\nThe pier will be rebuilt, the mayor said." in text
    assert "*" not in text.replace("2*3*4", "") and "#" not in text and "](" not in text
    assert "snake_case_words" in text
