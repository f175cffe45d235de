"""Turn a received Document into a cleaned Article.

Steps: normalise the text (NFC, line endings, invisible characters, spaces, one line per
paragraph), classify every line with :func:`newsweave.ingest.metalines.scan_lines`, keep the body
lines and lift the metadata (date, credits, headline) into the article's fields.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata

from newsweave.errors import EmptyInput
from newsweave.ingest.language import detect_language
from newsweave.ingest.metalines import pick_title, scan_lines, split_bullet
from newsweave.model import Article, Document

__all__ = ["clean_document", "content_hash", "normalise_text", "paragraph_lines"]

log = logging.getLogger(__name__)

_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad]")
_SPACES_RE = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WRAP_WIDTH = 100  # lines of hard-wrapped text are at most this long
_TERMINAL = tuple(".!?\"”’'»)]…:;")
_SINGLE_QUOTES_RE = re.compile("[‘’‚‛′`´]")
_DOUBLE_QUOTES_RE = re.compile("[“”„‟″«»]")
_DASHES_RE = re.compile("[‐‑‒–—―−]")


def normalise_text(text: str) -> str:
    """NFC, ``\\n`` line endings, no zero-width or control characters, single spaces, stripped
    lines, no blank lines; hard-wrapped paragraphs are joined so each paragraph is one line."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n\n")
    text = _ZERO_WIDTH_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    return "\n".join(paragraph_lines(text))


def _wrapped(prev: str, line: str, width: int) -> bool:
    """Does ``line`` continue the paragraph of ``prev`` in text hard-wrapped at ``width``?"""
    if split_bullet(line)[1] or prev.endswith(":"):
        return False
    if line[:1].islower():
        return True
    return len(prev) >= 0.6 * width and len(prev.split()) >= 5 and not prev.endswith(_TERMINAL)


def paragraph_lines(text: str) -> list[str]:
    """One stripped line per paragraph. Lines are joined only when the text separates its
    paragraphs with blank lines and a line clearly continues the previous one."""
    raw = [line.strip() for line in text.strip().split("\n")]
    width = max((len(line) for line in raw), default=0)
    # hard-wrapped text: paragraphs separated by blank lines, no line longer than a wrap width
    has_blank = any(not line for line in raw) and width <= WRAP_WIDTH
    out: list[str] = []
    prev_blank = True
    for line in raw:
        if not line:
            prev_blank = True
            continue
        if has_blank and not prev_blank and out and _wrapped(out[-1], line, width):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        prev_blank = False
    return out


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
    lines = normalise_text(doc.text or "").split("\n")
    lines = [line for line in lines if line]
    results = scan_lines(lines, title=doc.title)

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
