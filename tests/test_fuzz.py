"""Fuzzing the ingest of text, Markdown, HTML, JSONL and WARC files with hypothesis, through the
real readers and ``Pipeline.ingest`` on a temporary store.

Inputs: random bytes, mutated valid files (bytes flipped, inserted, deleted, cut short), valid
text in other encodings, truncated gzip, odd JSON values and YAML front matter, huge lines
within the size limit. The only outcomes allowed for a file are a stored article (or a
duplicate of one) or a one-line :class:`~newsweave.errors.InputError` naming the file; never
an exception escaping ``Pipeline.ingest``, never a hang (a timer fails the example).

CI runs a modest, derandomised number of examples per test; ``NEWSWEAVE_FUZZ_EXAMPLES=2000``
runs more, and ``NEWSWEAVE_FUZZ_RANDOM=1`` draws a new random seed each run.
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsweave.errors import InputError
from newsweave.pipeline import IngestResult, Pipeline
from newsweave.store import Store

EXAMPLES = int(os.environ.get("NEWSWEAVE_FUZZ_EXAMPLES", "25"))
HANG_SECONDS = 60  # one file taking longer than this to ingest is a hang

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=os.environ.get("NEWSWEAVE_FUZZ_RANDOM") != "1",
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one store for all examples of a test, on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# --------------------------------------------------------------------------- valid samples

TEXT = (
    "Storm closes Pellmouth ferry terminal\n\n"
    "PELLMOUTH, March 4, 2031 (Coastline Wire) - A storm closed the Pellmouth ferry terminal on "
    "Tuesday, harbour master Ilse Brandt said. “We expect to reopen on Thursday,” she said.\n\n"
    "About 1,200 passengers were affected, according to the Pellmouth Courier.\n\n"
    "Source: Coastline Wire\n"
)
MARKDOWN = (
    "---\ntitle: Storm closes ferry terminal\nsource: Pellmouth Courier\n"
    "published: 2031-03-04\nurl: https://courier.example/storm\n---\n\n" + TEXT
)
HTML = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    "<title>Storm closes ferry terminal</title>"
    "<meta property='og:site_name' content='Pellmouth Courier'>"
    "<meta property='article:published_time' content='2031-03-04T08:00:00Z'>"
    "<link rel='canonical' href='https://courier.example/storm'></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Storm closes ferry terminal</h1>"
    + "".join(f"<p>{p}</p>" for p in TEXT.split("\n\n")[1:3])
    + "</article><footer>© Pellmouth Courier</footer></body></html>"
)
JSONL = (
    json.dumps({"id": "a1", "text": TEXT, "source": "Pellmouth Courier", "published": "2031-03-04"})
    + "\n"
    + json.dumps({"url": "https://courier.example/storm2", "html": HTML, "title": "Storm"})
    + "\n"
)

SUFFIX = {"text": ".txt", "markdown": ".md", "html": ".html", "jsonl": ".jsonl"}
VALID = {"text": TEXT, "markdown": MARKDOWN, "html": HTML, "jsonl": JSONL}
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252",
             "latin-1", "cp437", "mac_roman", "shift_jis", "koi8-r", "utf-7"]  # fmt: skip


# --------------------------------------------------------------------------- harness


class Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    raise Hang(f"ingesting one file took over {HANG_SECONDS} s")


class Harness:
    """One store and pipeline for all examples of a test; each example is a new file."""

    def __init__(self, root: Path, store: Store) -> None:
        self.root = root
        self.store = store
        self.pipeline = Pipeline(store)
        self.count = itertools.count()

    def ingest(self, data: bytes, suffix: str) -> tuple[Path, IngestResult]:
        path = self.root / f"f{next(self.count):05d}{suffix}"
        path.write_bytes(data)
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
        try:
            result = self.pipeline.ingest([path])  # nothing may escape this
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        check(path, result, self.store)
        return path, result


def check(path: Path, result: IngestResult, store: Store) -> None:
    """A stored article, a duplicate of one, or one clear InputError per problem, naming the
    file; and the store's bookkeeping for it."""
    shown = str(path)
    outcome = result.added or result.duplicates or result.unchanged or result.problems
    assert outcome, f"{shown}: no outcome at all"
    for problem in result.problems:
        assert isinstance(problem, InputError), repr(problem)
        assert problem.where.startswith(shown), f"does not name the file: {problem}"
        assert problem.problem.strip(), f"no problem given: {problem!r}"
        assert "\n" not in str(problem) and len(str(problem)) < 1000, repr(str(problem))
    for article_id in result.added:
        article = store.get_article(article_id)
        assert article.text.strip()
        assert "\x00" not in article.text
    for _where, article_id in result.duplicates:
        store.get_article(article_id)


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    files = tmp_path / "files"
    files.mkdir()
    with Store.open(tmp_path / "fuzz.db") as store:
        yield Harness(files, store)


# --------------------------------------------------------------------------- strategies

# (position, operation, bytes): applied in order, positions taken modulo the current length
EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1 << 20),
        st.sampled_from(["flip", "insert", "delete", "replace", "cut", "repeat"]),
        st.binary(min_size=1, max_size=16),
    ),
    min_size=1,
    max_size=8,
)


def mutate(data: bytes, edits: list[tuple[int, str, bytes]]) -> bytes:
    buf = bytearray(data)
    for pos, op, chunk in edits:
        i = pos % (len(buf) + 1)
        if op == "flip" and buf:
            i = min(i, len(buf) - 1)
            buf[i] ^= chunk[0] or 0x80
        elif op == "insert":
            buf[i:i] = chunk
        elif op == "delete":
            del buf[i : i + len(chunk)]
        elif op == "replace":
            buf[i : i + len(chunk)] = chunk
        elif op == "cut":
            del buf[i:]
        elif op == "repeat":
            buf[i:i] = bytes(buf[i : i + 64]) * (chunk[0] % 50 + 1)
    return bytes(buf)


WORDS = st.sampled_from(
    ["the", "harbour", "Pellmouth", "said", "2031", "March", "4,", "—", "“quote”", "Source:",
     "By", "Reuters-like", "<b>", "</p>", "&amp;", "\u200b", "\t", "\r\n", "\n\n", "🙂", "é",
     "Ilse", "Brandt", "(Reporting", "by", "Jonah", "Falk)", "Copyright", "©", "2031.", "...",
     "Photo:", "•", "-", "*", "#", "|", "http://x.example/a?b=c", "@handle", "00:00", "UTC"]
)  # fmt: skip
WORDY_TEXT = st.lists(WORDS, min_size=1, max_size=300).map(" ".join)
ANY_TEXT = st.one_of(st.text(max_size=2000), WORDY_TEXT)

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    ANY_TEXT,
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["id", "text", "html", "url", "source", "title", "published"]
RECORDS = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)),
    st.one_of(JSON_VALUES, ANY_TEXT, st.sampled_from([TEXT, HTML])),
    max_size=8,
)


def jsonl_line(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (ValueError, TypeError):
        return "null"


# --------------------------------------------------------------------------- the fuzz tests


@FUZZ
@given(fmt=st.sampled_from(sorted(SUFFIX)), data=st.binary(max_size=4096))
@example(fmt="text", data=b"\xff\xfe")
@example(fmt="jsonl", data=b"\x00")
@example(fmt="html", data=b"<")
@example(fmt="jsonl", data=b'{"text": 1' + b"1" * 5000 + b"}")  # an integer over 4300 digits
def test_random_bytes(harness: Harness, fmt: str, data: bytes) -> None:
    harness.ingest(data, SUFFIX[fmt])


@FUZZ
@given(fmt=st.sampled_from(sorted(SUFFIX)), edits=EDITS)
def test_mutated_valid_files(
    harness: Harness, fmt: str, edits: list[tuple[int, str, bytes]]
) -> None:
    harness.ingest(mutate(VALID[fmt].encode("utf-8"), edits), SUFFIX[fmt])


@FUZZ
@given(
    fmt=st.sampled_from(sorted(SUFFIX)),
    encoding=st.sampled_from(ENCODINGS),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=5000)),
)
def test_other_encodings(harness: Harness, fmt: str, encoding: str, cut: int | None) -> None:
    data = VALID[fmt].encode(encoding, errors="replace")
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    harness.ingest(data, SUFFIX[fmt])


@FUZZ
@given(fmt=st.sampled_from(sorted(SUFFIX)), text=ANY_TEXT, encoding=st.sampled_from(ENCODINGS))
def test_generated_text(harness: Harness, fmt: str, text: str, encoding: str) -> None:
    if fmt == "html":
        text = f"<html><body><p>{text}</p><div>{text[::-1]}</div></body></html>"
    elif fmt == "markdown":
        text = f"---\n{text[:200]}\n---\n{text}"
    elif fmt == "jsonl":
        text = jsonl_line({"text": text}) + "\n" + text
    harness.ingest(text.encode(encoding, errors="replace"), SUFFIX[fmt])


@FUZZ
@given(records=st.lists(st.one_of(RECORDS, JSON_VALUES), min_size=1, max_size=6))
@example(records=[{"text": TEXT, "published": "1" * 5000, "id": 10**4000}])
@example(records=[{"text": TEXT, "published": 1e308, "id": [1, {"a": None}]}])
@example(records=[{"text": TEXT, "published": "9999999999-99-99"}])
@example(records=[{"html": "<p>" * 3000 + "deep"}])
def test_jsonl_records(harness: Harness, records: list[object]) -> None:
    harness.ingest("\n".join(jsonl_line(r) for r in records).encode("utf-8"), ".jsonl")


YAML_VALUES = st.one_of(
    JSON_SCALARS,
    st.sampled_from(
        ["2031-03-04", "2031-03-04T08:00:00Z", "!!binary aGVsbG8=", "[1, [2, [3]]]", "{a: {b: c}}",
         "&a [*a]", "!!python/object:os.system ls", "9999-12-31", "0000-00-00", "yes", "~",
         "1e999", "-.inf", ".nan", "0x1F", "2031-13-45", "12:30:00", "'", '"', "|", ">"]
    ),
)  # fmt: skip


@FUZZ
@given(
    fields=st.dictionaries(
        st.one_of(st.sampled_from(["title", "source", "url", "published"]), st.text(max_size=6)),
        YAML_VALUES.map(str),
        max_size=6,
    ),
    body=st.one_of(st.just(TEXT), ANY_TEXT),
)
@example(fields={"published": "!!binary aGVsbG8="}, body=TEXT)
@example(fields={"published": "1e999", "title": "[1, [2]]"}, body=TEXT)
@example(fields={"published": "2031-03-04T08:00:00+25:00"}, body=TEXT)
def test_markdown_front_matter(harness: Harness, fields: dict[str, str], body: str) -> None:
    front = "".join(f"{k}: {v}\n" for k, v in fields.items())
    harness.ingest(f"---\n{front}---\n{body}".encode(), ".md")


@FUZZ
@given(
    fmt=st.sampled_from(["text", "markdown", "html", "jsonl"]),
    length=st.integers(min_value=10_000, max_value=400_000),
    word=WORDS,
)
def test_huge_lines(harness: Harness, fmt: str, length: int, word: str) -> None:
    line = ((word + " ") * (length // (len(word) + 1) + 1))[:length]
    text = {
        "text": f"Title\n\n{line}\n",
        "markdown": f"---\ntitle: t\n---\n{line}\n",
        "html": f"<html><body><p>{line}</p></body></html>",
        "jsonl": jsonl_line({"text": line}) + "\n",
    }[fmt]
    harness.ingest(text.encode("utf-8"), SUFFIX[fmt])


TAGS = ["p", "div", "span", "article", "main", "h1", "h2", "script", "style", "time", "a", "li",
        "ul", "table", "tr", "td", "br", "img", "svg", "noscript", "template", "iframe", "nav",
        "header", "footer", "aside", "form", "pre", "blockquote", "figure", "figcaption", "b"]  # fmt: skip
ATTRS = ["class", "id", "datetime", "content", "property", "name", "itemprop", "href", "lang",
         "charset", "rel", "style"]  # fmt: skip
DATEISH = st.one_of(
    st.sampled_from(["2024-03-04", "2024-03-04T08:00:00+25:00", "9999-99-99", "March 4, 2024",
                     "0000-00-00T00:00:00Z", "1" * 50, "yesterday", "2024-02-30", "-1"]),
    st.text(max_size=30),
)  # fmt: skip


@st.composite
def html_pages(draw: st.DrawFn, depth: int = 0) -> str:
    """A random tree of elements with random attributes (dates among them) and text."""
    parts = []
    for _ in range(draw(st.integers(min_value=0, max_value=4 if depth < 4 else 0))):
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.dictionaries(st.sampled_from(ATTRS), DATEISH, max_size=3))
        rendered = "".join(f' {k}="{v.replace(chr(34), "")}"' for k, v in attrs.items())
        inner = draw(html_pages(depth + 1)) if draw(st.booleans()) else draw(ANY_TEXT)
        closing = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # some left open
        parts.append(f"<{tag}{rendered}>{inner}{closing}")
    return "".join(parts)


@FUZZ
@given(
    head=st.lists(
        st.tuples(st.sampled_from(["og:title", "article:published_time", "og:site_name",
                                   "date", "og:url", "author"]), DATEISH),
        max_size=4,
    ),
    body=html_pages(),
    title=ANY_TEXT,
)  # fmt: skip
def test_generated_html_pages(
    harness: Harness, head: list[tuple[str, str]], body: str, title: str
) -> None:
    metas = "".join(f'<meta property="{k}" content="{v.replace(chr(34), "")}">' for k, v in head)
    page = f"<html><head><title>{title}</title>{metas}</head><body>{body}</body></html>"
    harness.ingest(page.encode("utf-8", errors="replace"), ".html")
    harness.ingest(jsonl_line({"html": page}).encode("utf-8", errors="replace"), ".jsonl")


# --------------------------------------------------------------------------- WARC


def warc_bytes(pages: list[tuple[str, str, str, bytes]], gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for uri, status, ctype, body in pages:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2031-03-04T06:00:00Z"},
        )
        writer.write_record(record)
    return out.getvalue()


VALID_PAGES = [
    ("https://courier.example/storm", "200 OK", "text/html; charset=utf-8", HTML.encode()),
    ("https://courier.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("https://star.example/storm", "200 OK", "text/html", TEXT.replace("\n", "<br>").encode()),
]
PAGES = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(["https://a.example/x", "", "not a url", "http://[::1"]), st.text(max_size=40)),
        st.one_of(st.sampled_from(["200 OK", "404 Not Found", "200", "abc", "²00 OK"]), st.text(max_size=12)),
        st.one_of(st.sampled_from(["text/html", "text/html; charset=rot13", "text/html; charset=utf-16", ""]), st.text(max_size=30)),
        st.one_of(st.binary(max_size=2000), st.sampled_from([HTML.encode(), HTML.encode("utf-16")])),
    ),
    min_size=1,
    max_size=4,
)  # fmt: skip


@FUZZ
@given(gz=st.booleans(), edits=st.one_of(st.just([]), EDITS))
def test_mutated_warc(harness: Harness, gz: bool, edits: list[tuple[int, str, bytes]]) -> None:
    data = mutate(warc_bytes(VALID_PAGES, gz), edits) if edits else warc_bytes(VALID_PAGES, gz)
    harness.ingest(data, ".warc.gz" if gz else ".warc")


@FUZZ
@given(gz=st.booleans(), cut=st.integers(min_value=0, max_value=1 << 16))
def test_truncated_warc(harness: Harness, gz: bool, cut: int) -> None:
    data = warc_bytes(VALID_PAGES, gz)
    harness.ingest(data[: cut % len(data)], ".warc.gz" if gz else ".warc")


@FUZZ
@given(pages=PAGES, gz=st.booleans())
def test_generated_warc_records(
    harness: Harness, pages: list[tuple[str, str, str, bytes]], gz: bool
) -> None:
    try:
        data = warc_bytes(pages, gz)
    except Exception:  # a value warcio itself refuses to write: then random bytes do
        data = b"WARC/1.0\r\n" + b"".join(p[3] for p in pages)
    harness.ingest(data, ".warc.gz" if gz else ".warc")


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".warc", ".warc.gz"]))
@example(data=gzip.compress(b"WARC/1.0\r\n")[:-5], suffix=".warc.gz")
@example(data=gzip.compress(b"not a warc at all"), suffix=".warc.gz")
def test_random_warc_bytes(harness: Harness, data: bytes, suffix: str) -> None:
    harness.ingest(data, suffix)


# --------------------------------------------------------------------------- plain checks


def test_truncated_gzip_in_a_text_file_is_a_clear_error(harness: Harness) -> None:
    data = gzip.compress(TEXT.encode())[:40]
    _path, result = harness.ingest(data, ".txt")
    assert not result.added and len(result.problems) == 1
    assert "GZIP" in result.problems[0].problem


def test_a_valid_file_of_each_format_is_stored(harness: Harness) -> None:
    for fmt, text in VALID.items():
        _path, result = harness.ingest(text.encode(), SUFFIX[fmt])
        assert result.added or result.duplicates, (fmt, result.problems)
    _path, result = harness.ingest(warc_bytes(VALID_PAGES, True), ".warc.gz")
    assert result.added or result.duplicates, result.problems


def test_a_long_page_full_of_dates_is_read_in_bounded_time(harness: Harness) -> None:
    """(Dates before today: htmldate refuses future ones.) Found by the huge-inputs probe: htmldate ran a date parser on every date-like paragraph
    (3 minutes for 10,000 paragraphs); now it reads the markup, then only the top of the page."""
    import time

    rows = [
        f"<p>On March {1 + i % 28}, 2024, crew {i} of the Pellmouth ferry met.</p>"
        for i in range(6000)
    ]
    page = f"<html><body><h1>Ferry crews</h1>{''.join(rows)}</body></html>"
    start = time.monotonic()
    _path, result = harness.ingest(page.encode(), ".html")
    assert time.monotonic() - start < 30
    (article_id,) = result.added
    assert harness.store.get_article(article_id).published == "2024-03-01"  # from the top


def test_a_page_date_comes_from_its_markup_or_its_dateline(harness: Harness) -> None:
    body = "".join(f"<p>{p}</p>" for p in TEXT.split("\n\n")[1:3])
    meta = f"<html><head><meta property='article:published_time' content='2024-05-06'></head><body>{body}</body></html>"
    _path, result = harness.ingest(meta.encode(), ".html")
    assert harness.store.get_article(result.added[0]).published == "2024-05-06"
    dateline = (
        f"<html><body><p>Published 7 June 2024</p>{body.replace('storm', 'gale')}</body></html>"
    )
    _path, result = harness.ingest(dateline.encode(), ".html")
    assert harness.store.get_article(result.added[0]).published == "2024-06-07"
