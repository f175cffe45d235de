"""Turn a received Document into a cleaned Article.

Steps: normalise the text (NFC, line endings, invisible characters, spaces, one line per
paragraph), classify every line with :func:`newsweave.ingest.metalines.scan_lines`, keep the body
lines and lift the metadata (date, credits, headline) into the article's fields.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
import unicodedata
from dataclasses import dataclass
from html.entities import html5 as html5_entities

from newsweave.errors import EmptyInput
from newsweave.ingest.language import detect_language
from newsweave.ingest.metalines import pick_title, scan_lines, split_bullet
from newsweave.model import Article, Document

__all__ = [
    "clean_document",
    "content_hash",
    "normalise_text",
    "paragraph_lines",
    "replace_wire_codes",
    "wire_quotes",
]

log = logging.getLogger(__name__)

_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad]")
_SPACES_RE = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LEADING_SPACES_RE = re.compile("^[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SINGLE_QUOTES_RE = re.compile("[‘’‚‛′`´]")
_DOUBLE_QUOTES_RE = re.compile("[“”„‟″«»]")
_DASHES_RE = re.compile("[‐‑‒–—―−]")
WRAP_WIDTH = 100  # lines of hard-wrapped text are at most this long
#: A paragraph's first line is indented by 2 to this many columns (a tab counts 8) in text
#: that marks its paragraphs by indentation; deeper lines (centred titles, tables) do not count.
MAX_PARAGRAPH_INDENT = 16
#: A line is "full" when the next line's first word would not have fitted on it within this
#: share of the wrap width: hard-wrapping broke the line there, the paragraph goes on.
FULL_LINE = 0.9
#: A wire dateline opening a line ("PELLMOUTH, England (AP) --", "WASHINGTON (AP) _"): near the
#: top of a story such a line starts a paragraph, it does not continue a headline above it.
_DATELINE_START_RE = re.compile(
    r"^[A-Z][A-Z'’.-]{2,}(?: [A-Z][A-Z'’.-]+){0,3}(?:,|\s*\(|\s+[-–—_])"
)
TOP_LINES = 6  # ... among the first lines of the text
#: SGML entity references of typesetting systems that archived wire copy keeps as text
#: (``&HT;``, ``&QL;``, ``&MD;``, ``&Cx1f;``): upper-case names, or ``Cx`` and a hex byte.
_WIRE_CODE_RE = re.compile(r"&(?P<name>[A-Z]{2,5}|Cx[0-9A-Fa-f]{1,2});")
#: The wire codes that stand for a character; every other one is a layout code and is dropped.
WIRE_CODES: dict[str, str] = {"HT": "\t", "MD": "\u2014", "AMP": "&"}


def replace_wire_codes(text: str) -> str:
    """Replace the SGML entity references of archived wire copy: ``&HT;`` (a tab), ``&MD;``
    (an em dash) and ``&AMP;`` by their character, and drop layout codes (``&QL;``, ``&UR;``,
    ``&Cx1f;``, ...). Names that are HTML entities (``&Eacute;``, ``&QUOT;``) are left alone."""

    def sub(m: re.Match[str]) -> str:
        name = m.group("name")
        if name in WIRE_CODES:
            return WIRE_CODES[name]
        if f"{name};" in html5_entities:
            return m.group(0)
        # a layout code: between two words it leaves a space, so they stay apart
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        return " " if before.isalnum() and after.isalnum() else ""

    return _WIRE_CODE_RE.sub(sub, text) if "&" in text else text


_WIRE_QUOTE_RE = re.compile(r"``(.{0,3000}?)''", re.S)


def wire_quotes(text: str) -> str:
    r"""Quotation marks typed as two backquotes and two apostrophes, as older wire copy writes
    them (``\`\`We are safe,'' he said``), become curly ones, so quotes are read as quotes. A
    quotation over several paragraphs repeats its opening mark and closes only at its end: each
    opening mark becomes an opening quote; ``''`` is a closing quote only after an opening one."""
    if "``" not in text:
        return text
    text = _WIRE_QUOTE_RE.sub(lambda m: "\u201c" + m.group(1) + "\u201d", text)
    return text.replace("``", "\u201c")


def normalise_text(text: str) -> str:
    """NFC, ``\\n`` line endings, no zero-width or control characters, wire codes replaced,
    single spaces, stripped lines, no blank lines; hard-wrapped paragraphs are joined so each
    paragraph is one line (see :func:`paragraph_lines`)."""
    return "\n".join(line for line, _ in _normalised(text))


def _normalised(text: str) -> list[tuple[str, bool]]:
    """:func:`normalise_text` line by line, with the body-paragraph mark of :func:`_paragraphs`."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n\n")
    text = _ZERO_WIDTH_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    return _paragraphs(wire_quotes(replace_wire_codes(text)))


@dataclass
class _Line:
    text: str  # spaces collapsed, stripped; "" for a blank line
    indent: int  # columns of leading white space (a tab to the next multiple of 8)
    width: int  # columns, indentation included


def _measure(raw: str) -> _Line:
    lead = _LEADING_SPACES_RE.match(raw)
    leading = lead.group(0) if lead else ""
    indent = 0
    for ch in leading:
        indent = (indent // 8 + 1) * 8 if ch == "\t" else indent + 1
    text = _SPACES_RE.sub(" ", raw).strip()
    return _Line(text, indent if text else 0, indent + len(raw[len(leading) :].rstrip()))


def _first_lines_indented(lines: list[_Line], base: int) -> bool:
    """Does the text mark paragraphs by indenting their first line? Yes when an indented line
    opening a sentence is followed by a less indented one (its continuation) more often than a
    line is followed by a more indented continuation (a hanging indent, as in a list)."""
    first = hanging = 0
    for prev, line in itertools.pairwise(lines):
        if not (prev.text and line.text):
            continue
        if prev.indent > line.indent and 2 <= prev.indent - base <= MAX_PARAGRAPH_INDENT:
            if not prev.text[:1].islower() and not split_bullet(prev.text)[1]:
                first += 1
        elif prev.indent < line.indent and (line.text[:1].islower() or split_bullet(prev.text)[1]):
            hanging += 1
    return first > hanging


def _continues(prev: _Line, line: _Line, width: int) -> bool:
    """Does ``line`` continue the paragraph of ``prev`` in text hard-wrapped at ``width``?

    Not when it is a separate item: a list item, an all-capitals line of two words or more (a
    heading, a code, a sign-off) under ordinary text, or a line after one that ended early (a
    heading, a label, a dateline, a byline): the first word of ``line`` would have fitted on
    ``prev``. A line starting in lower case continues unless ``prev`` ended early at a colon."""
    if split_bullet(line.text)[1]:
        return False
    if (
        len(line.text.split()) >= 2
        and any(c.isalpha() for c in line.text)
        and not any(c.islower() for c in line.text)
        and any(c.islower() for c in prev.text)
    ):
        return False
    first_word = line.text.split(" ", 1)[0]
    full = len(prev.text.split()) >= 5 and prev.width + 1 + len(first_word) > FULL_LINE * width
    if prev.text.endswith(":"):
        return full
    return full or line.text[:1].islower()


def _join(parts: list[str]) -> str:
    """The lines of one paragraph as one line; a word broken at its hyphen ("well-" and
    "known") is joined without a space."""
    out = parts[0]
    for prev, line in itertools.pairwise(parts):
        hyphen = len(prev) >= 2 and prev[-1] == "-" and prev[-2].isalpha() and line[:1].isalpha()
        out += line if hyphen else f" {line}"
    return out


def paragraph_lines(text: str) -> list[str]:
    """One line per paragraph, spaces collapsed and stripped.

    Lines are joined only in hard-wrapped text (no line longer than :data:`WRAP_WIDTH`) that
    separates its paragraphs with blank lines or by indenting their first line (a tab, or a few
    spaces, as wire copy does): a line continues the previous one unless a blank line, an
    indented first line or (near the top) a wire dateline starts a new paragraph, or it is a
    separate item (see :func:`_continues`). Other text keeps one paragraph per line."""
    return [line for line, _ in _paragraphs(text)]


def _paragraphs(text: str) -> list[tuple[str, bool]]:
    """:func:`paragraph_lines`, each line with whether its layout marks it as a body paragraph:
    its first line is indented (by 2 to :data:`MAX_PARAGRAPH_INDENT` columns) in text where
    paragraphs are, at least two and a third of them; so a headline set flush above indented
    paragraphs stays a headline, and an indented heading above flush paragraphs is no paragraph."""
    lines = [_measure(raw) for raw in text.split("\n")]
    filled = [line for line in lines if line.text]
    if not filled:
        return []
    width = max(line.width for line in filled)
    base = min(line.indent for line in filled)
    marked = [2 <= line.indent - base <= MAX_PARAGRAPH_INDENT for line in filled]
    first = next(i for i, line in enumerate(lines) if line.text)
    last = max(i for i, line in enumerate(lines) if line.text)
    has_blank = any(not line.text for line in lines[first:last])
    indented = width <= WRAP_WIDTH and _first_lines_indented(lines, base)
    if width > WRAP_WIDTH or not (has_blank or indented):
        return _marks_kept([(line.text, m) for line, m in zip(filled, marked, strict=True)])
    out: list[tuple[list[str], bool]] = []  # the lines of each paragraph, its mark
    prev: _Line | None = None
    number = 0  # of the non-blank line
    for line in lines:
        if not line.text:
            prev = None
            continue
        mark = marked[number]
        number += 1
        starts = (
            prev is None
            or (indented and line.indent - base >= 2)
            or (len(out) < TOP_LINES and bool(_DATELINE_START_RE.match(line.text)))
        )
        if not starts and prev is not None and _continues(prev, line, width):
            out[-1][0].append(line.text)
        else:
            out.append(([line.text], mark))
        prev = line
    return _marks_kept([(_join(parts), mark) for parts, mark in out])


def _marks_kept(paragraphs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    marked = sum(1 for _, mark in paragraphs if mark)
    if marked >= 2 and 3 * marked >= len(paragraphs):
        return paragraphs
    return [(text, False) for text, _ in paragraphs]


def _hash_form(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SINGLE_QUOTES_RE.sub("'", text)
    text = _DOUBLE_QUOTES_RE.sub('"', text)
    text = _DASHES_RE.sub("-", text)
    text = text.replace("…", "...")
    return " ".join(text.split())


def content_hash(text: str) -> str:
    """sha256 hex of the body in a normalised form (casefolded, whitespace collapsed,
    typographic quotes and dashes unified): the same article twice hashes the same."""
    return hashlib.sha256(_hash_form(text).encode("utf-8")).hexdigest()


def clean_document(doc: Document) -> Article:
    """Clean one document. Raises :class:`~newsweave.errors.EmptyInput` if no body is left."""
    where = doc.path or doc.url or "<text>"
    if "line" in doc.meta and doc.path:
        where = f"{doc.path}:{doc.meta['line']}"
    normalised = [(line, mark) for line, mark in _normalised(doc.text or "") if line]
    lines = [line for line, _ in normalised]
    results = scan_lines(lines, title=doc.title, paragraphs=[mark for _, mark in normalised])

    body = [r.kept for r in results if r.kept]
    if not body:
        raise EmptyInput(where, "no body text left after removing metadata lines")
    text = "\n".join(body)

    dropped = [d for r in results for d in r.dropped]
    published = doc.published
    if not published:
        dated = [r for r in results if r.date]
        firsts = [r for r in dated if r.date_kind == "published"] or dated
        published = firsts[0].date if firsts else None
    # credits name the organisations a report comes from (outlets, wires); the people of bylines
    # and "Reporting by" lines are its authors, kept apart so they never count as an origin
    credits = list(dict.fromkeys(c for r in results for c in r.credits))
    authors = [p for p in dict.fromkeys(p for r in results for p in r.people) if p not in credits]
    title = doc.title or pick_title(results)

    meta = dict(doc.meta)
    places = [r.place for r in results if r.place]
    if places:
        meta.setdefault("place", places[0])
    updated = [r.date for r in results if r.date and r.date_kind == "updated"]
    if updated:
        meta.setdefault("updated", updated[0])
    if doc.id is not None:
        meta["given_id"] = doc.id
    if authors:
        meta["authors"] = authors

    digest = content_hash(text)
    article = Article(
        id=digest[:12],
        content_hash=digest,
        text=text,
        path=doc.path,
        url=doc.url,
        source=doc.source or (credits[0] if credits else None),
        title=title,
        published=published,
        language=detect_language(text),
        words=len(text.split()),
        credits=credits,
        dropped=dropped,
        meta=meta,
    )
    log.debug("cleaned %s: %d words, %d lines dropped", where, article.words, len(dropped))
    return article
