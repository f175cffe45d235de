"""Read files and folders of reports into :class:`~newsweave.model.Document` objects.

Every input problem is *yielded* as an :class:`~newsweave.errors.InputError` subclass (never
raised), so one bad file does not stop a run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from newsweave.errors import (
    EmptyInput,
    InputError,
    InputWarning,
    TooLarge,
    UnsupportedFormat,
)
from newsweave.ingest.dates import to_iso_date
from newsweave.ingest.decode import decode_bytes
from newsweave.ingest.html import ExtractedHtml, extract_html
from newsweave.model import Document
from newsweave.settings import MAX_INPUT_BYTES

__all__ = ["FORMATS", "InputWarning", "decode_bytes", "input_files", "read_file", "read_paths"]

log = logging.getLogger(__name__)

#: File suffix -> Document.format
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".parquet": "parquet",
}
_DOC_FILES = {"readme", "license", "licence", "copying", "changelog", "contributing"}
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_OPENING_RE = re.compile(r"\A---[ \t]*\n")
#: A top-level "key:" line of YAML front matter (a plain or quoted key).
_KEY_LINE_RE = re.compile(r"""^(?:[A-Za-z_][\w.-]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?:[ \t]|$)""")
#: What PyYAML raises: its errors, ValueError for timestamps that are not real ("2031-13-45")
#: or time zones out of range, OverflowError and RecursionError for absurd input.
_YAML_ERRORS = (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError)


# --------------------------------------------------------------------------- formats


def _text_or_empty(text: str, where: str) -> str:
    if not text.strip():
        raise EmptyInput(where, "empty: no text in the file")
    return text


def _yaml_error(exc: BaseException, first_line: int, *, where: bool = True) -> str:
    """One short line on a YAML error: what went wrong and, with ``where``, on which line of
    the file (``first_line`` is the file's line of the YAML's first line)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        what = exc.problem or "invalid"
        if exc.context:
            what = f"{exc.context}: {what}"
        mark = exc.context_mark or exc.problem_mark
        if where and mark is not None:
            what = f"line {mark.line + first_line}: {what}"
    elif isinstance(exc, RecursionError):
        what = "nested too deeply"
    else:
        what = str(exc).strip().split("\n")[0] or type(exc).__name__
    return what if len(what) <= 120 else what[:119] + "…"


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _fields_of(root: yaml.MappingNode, first_line: int) -> tuple[dict[str, Any], list[str]]:
    """The fields of a front matter whose YAML is well formed but holds values that cannot be
    built (an impossible date, an unknown tag), each field on its own; and a problem naming
    each field that could not be read."""
    data: dict[str, Any] = {}
    problems: list[str] = []
    loader = yaml.SafeLoader("")
    with contextlib.suppress(*_YAML_ERRORS):
        loader.flatten_mapping(root)  # merge keys ("<<: *defaults")
    loader.dispose()
    for key_node, value_node in root.value:
        try:
            data[str(_construct(key_node))] = _construct(value_node)
        except _YAML_ERRORS as exc:
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            raw = value_node.value if isinstance(value_node, yaml.ScalarNode) else ""
            raw = " ".join(str(raw).split())[:60]
            what = _yaml_error(exc, first_line, where=False)
            problems.append(
                f"front matter field {name!r} on line {value_node.start_mark.line + first_line} "
                f"cannot be read ({f'{raw!r}: ' if raw else ''}{what}); the field is ignored"
            )
    return data, problems


def _entries(block: str) -> list[str]:
    """The top-level entries of a front matter: a line at the left margin with the indented
    (or list) lines under it. Blank and comment lines are left out."""
    entries: list[str] = []
    for line in block.split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        if line[:1] not in (" ", "\t", "-") or not entries:
            entries.append(line)
        else:
            entries[-1] += "\n" + line
    return entries


def _looks_like_front_matter(block: str) -> bool:
    """The first top-level entry, and at least half of them, are "key: value" lines."""
    entries = _entries(block)
    keyed = sum(1 for e in entries if _KEY_LINE_RE.match(e))
    return bool(entries) and bool(_KEY_LINE_RE.match(entries[0])) and 2 * keyed >= len(entries)


def _salvage(block: str, exc: BaseException, first_line: int) -> tuple[dict[str, Any], list[str]]:
    """The fields of a front matter that is not valid YAML, read entry by entry (those that
    parse on their own are kept), and the problem: the YAML error and what was kept."""
    data: dict[str, Any] = {}
    for entry in _entries(block):
        if not _KEY_LINE_RE.match(entry):
            continue
        try:
            part = yaml.safe_load(entry)
        except _YAML_ERRORS:
            continue
        if isinstance(part, dict) and len(part) == 1:
            data.update((str(k), v) for k, v in part.items())
    kept = "kept " + ", ".join(repr(k) for k in data) if data else "no field kept"
    what = _yaml_error(exc, first_line)
    return data, [f"front matter is not valid YAML ({what}); {kept}; the body is read without it"]


def _unclosed(text: str) -> tuple[str, str] | None:
    """A front matter opened by "---" and never closed: ``(block, body)`` when the lines after
    the opening line, up to the first blank line, are two or more "key: value" lines."""
    m = _OPENING_RE.match(text)
    if not m:
        return None
    end = text.find("\n\n", m.end())
    head = text[m.end() : len(text) if end < 0 else end]
    lines = head.split("\n")
    if len(lines) < 2 or not all(_KEY_LINE_RE.match(line) for line in lines):
        return None
    return head + "\n", text[m.end() + len(head) :].lstrip("\n")


def _front_matter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """The YAML front matter of a Markdown file: its fields, the body after it, and the
    problems met reading it (one line each). A front matter that cannot be read in full still
    ends at its closing line: the fields that can be read are kept, the body is the rest. A block
    that is not a mapping (prose between two rules) is no front matter: the text is all body."""
    m = _FRONT_MATTER_RE.match(text)
    problems: list[str] = []
    if m:
        block, body = m.group(1), text[m.end() :]
    else:
        unclosed = _unclosed(text)
        if unclosed is None:
            return {}, text, []
        block, body = unclosed
        problems.append("front matter has no closing '---' line; read up to the first blank line")
    first_line = 2  # the block starts on the file's second line, after "---"
    try:
        data = yaml.safe_load(block)
    except _YAML_ERRORS as exc:
        try:
            root = yaml.compose(block, Loader=yaml.SafeLoader)
        except _YAML_ERRORS:  # not well formed: read what can be read, entry by entry
            if not _looks_like_front_matter(block):
                return {}, text, []
            data, more = _salvage(block, exc, first_line)
            return data, body, problems + more
        if not isinstance(root, yaml.MappingNode):
            return {}, text, []
        data, more = _fields_of(root, first_line)
        return data, body, problems + more
    if not isinstance(data, dict):
        return {}, text, []
    return data, body, problems


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _json_safe(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return str(value)


_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))+(?:\s+\"[^\"]*\")?\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MD_CODE = re.compile(r"`([^`\n]+)`")
_MD_LINE_MARK = re.compile(r"^(?:#{1,6}\s+|>\s?)", re.MULTILINE)


def markdown_text(body: str) -> str:
    """The text a reader sees in a Markdown body: emphasis, links, images, inline code, heading
    hashes and quote markers taken away (their words kept), so no "*Osterra Courier*" reaches a
    claim, a quote or a brief. Lists and paragraphs stay as lines."""
    text = _MD_IMAGE.sub(r"\1", body)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_CODE.sub(r"\1", text)
    text = _MD_STRONG.sub(r"\2", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return _MD_LINE_MARK.sub("", text)


def _markdown(text: str, path: str) -> Iterator[Document | InputWarning]:
    """The Document of a Markdown file, after a warning for each problem with its front
    matter (the fields that could be read are kept; the body never includes the front matter).
    Raises EmptyInput when no body is left."""
    data, body, problems = _front_matter(text.replace("\r\n", "\n"))
    published = to_iso_date(data.get("published"))
    given = _str_or_none(data.get("published"))
    if published is None and given is not None:
        problems.append(
            f"front matter field 'published' is not a date ({given[:60]!r}); the field is ignored"
        )
    for problem in problems:
        yield InputWarning(path, problem)
    meta = {
        str(k): _json_safe(v)
        for k, v in data.items()
        if k not in ("title", "source", "url", "published")
    }
    if not body.strip():
        raise EmptyInput(path, "empty: no text after the front matter")
    yield Document(
        text=markdown_text(body),
        path=path,
        url=_str_or_none(data.get("url")),
        title=_str_or_none(data.get("title")),
        source=_str_or_none(data.get("source")),
        published=published,
        format="markdown",
        meta=meta,
    )


def _refuse_walls(html: str, extracted: ExtractedHtml, where: str) -> None:
    """Raise WallPage when a page read from a file (or a JSONL ``html`` field) is a paywall,
    consent or sign-in page rather than an article: the same checks as for fetched pages
    (:func:`newsweave.sources.paywall.detect_wall`)."""
    from newsweave.sources.paywall import WallPage, detect_wall

    wall = detect_wall(html, extracted.text, title=extracted.title)
    if wall is not None:
        raise WallPage(where, wall)


def _html(text: str, path: str) -> Document:
    extracted = extract_html(text)
    _refuse_walls(text, extracted, path)
    if not extracted.text.strip():
        raise EmptyInput(path, "no article text could be extracted from the HTML")
    return Document(
        text=extracted.text,
        path=path,
        url=extracted.url,
        title=extracted.title,
        source=extracted.source,
        published=extracted.published,
        format="html",
    )


def _record(record: Any, where: str, path: str, number: int) -> Document | InputError:
    """One JSONL line's (or Parquet row's) object as a Document, or the problem with it."""
    if not isinstance(record, dict):
        return InputError(where, "each line must be a JSON object with a 'text' or 'html' field")
    body, html = record.get("text"), record.get("html")
    if not isinstance(body, str) and not isinstance(html, str):
        return InputError(where, "missing a 'text' or 'html' string field")
    title = _str_or_none(record.get("title"))
    source = _str_or_none(record.get("source"))
    url = _str_or_none(record.get("url"))
    published = to_iso_date(record.get("published"))
    fmt = "jsonl"
    if not (isinstance(body, str) and body.strip()) and isinstance(html, str):
        extracted = extract_html(html)
        try:
            _refuse_walls(html, extracted, where)
        except InputError as exc:
            return exc
        body = extracted.text
        title = title or extracted.title
        source = source or extracted.source
        url = url or extracted.url
        published = published or extracted.published
    if not isinstance(body, str) or not body.strip():
        return EmptyInput(where, "empty: no article text on this line")
    given_id = record.get("id")
    return Document(
        text=body,
        path=path,
        url=url,
        title=title,
        source=source,
        published=published,
        format=fmt,
        id=None if given_id is None else str(given_id),
        meta={"line": number},
    )


def _jsonl(text: str, path: str) -> Iterator[Document | InputError]:
    seen_any = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        seen_any = True
        where = f"{path}:{number}"
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except ValueError as exc:  # valid JSON Python refuses: an integer of over 4300 digits
            yield InputError(where, f"not usable JSON ({str(exc).split(';')[0]})")
            continue
        yield _record(record, where, path, number)
    if not seen_any:
        yield EmptyInput(path, "empty: no lines in the JSONL file")


def _parquet(fs_path: Path, path: str) -> Iterator[Document | InputError]:
    """A Parquet file with the JSONL fields as columns (``text`` or ``html``, and any of
    ``id``, ``url``, ``source``, ``title``, ``published``): one Document per row, ``line`` is
    the row number (from 1). Read one row group at a time; needs pyarrow."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield UnsupportedFormat(path, "reading Parquet needs pyarrow (pip install pyarrow)")
        return
    wanted = ["text", "html", "id", "url", "source", "title", "published"]
    number = 0
    try:
        pf = pq.ParquetFile(fs_path)
        columns = [c for c in wanted if c in pf.schema_arrow.names]
        if "text" not in columns and "html" not in columns:
            yield InputError(path, "a Parquet file of articles needs a 'text' or 'html' column")
            return
        for batch in pf.iter_batches(columns=columns, batch_size=1024):
            for record in batch.to_pylist():
                number += 1
                published = record.get("published")
                if published is not None and not isinstance(published, str):
                    record["published"] = str(published)  # a date or timestamp column
                yield _record(record, f"{path}:{number}", path, number)
    except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
        yield InputError(path, f"not a readable Parquet file ({str(exc)[:160]})")
        return
    if number == 0:
        yield EmptyInput(path, "empty: no rows in the Parquet file")


def _is_archive(name: str) -> bool:
    return name.lower().endswith((".warc", ".warc.gz"))


def _read_file(fs_path: Path, shown: str, max_bytes: int) -> Iterator[Document | InputError]:
    if _is_archive(fs_path.name):  # WARC archives: streamed, one Document per HTML response
        from newsweave.sources.warc import read_warc

        yield from read_warc(fs_path)
        return
    fmt = FORMATS.get(fs_path.suffix.lower())
    if fmt == "parquet":  # columnar: read row group by row group, not as bytes
        yield from _parquet(fs_path, shown)
        return
    if fmt is None:
        yield UnsupportedFormat(
            shown,
            f"unsupported file type {fs_path.suffix or '(no suffix)'!r}; "
            f"newsweave reads {', '.join(sorted(FORMATS))}",
        )
        return
    try:
        size = fs_path.stat().st_size
        if size > max_bytes:
            yield TooLarge(shown, f"too large: {size} bytes, the limit is {max_bytes}")
            return
        data = fs_path.read_bytes()
    except OSError as exc:
        yield InputError(shown, f"cannot read: {exc.strerror or exc}")
        return
    if len(data) > max_bytes:  # grew between stat and read
        yield TooLarge(shown, f"too large: over {max_bytes} bytes")
        return
    try:
        if not data.strip():
            raise EmptyInput(shown, "empty file")
        text = decode_bytes(data, shown)
        if fmt == "jsonl":
            yield from _jsonl(text, shown)
            return
        _text_or_empty(text, shown)
        if fmt == "markdown":
            yield from _markdown(text, shown)
        elif fmt == "html":
            yield _html(text, shown)
        else:
            yield Document(text=text, path=shown, format="text")
    except InputError as exc:
        yield exc


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _is_doc_file(name: str) -> bool:
    return name.split(".", 1)[0].lower() in _DOC_FILES


def _walk(root: Path, shown: str) -> Iterator[tuple[Path, str]]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        rel_dir = os.path.relpath(dirpath, root)
        for name in sorted(filenames):
            rel = name if rel_dir == "." else os.path.join(rel_dir, name)
            if _hidden(name):
                continue
            if _is_doc_file(name):
                log.info("skipping documentation file %s", os.path.join(shown, rel))
                continue
            if Path(name).suffix.lower() not in FORMATS and not _is_archive(name):
                log.info("skipping %s: unsupported file type", os.path.join(shown, rel))
                continue
            yield Path(dirpath) / name, os.path.join(shown, rel)


def read_file(
    path: str | Path, shown: str | None = None, *, max_bytes: int = MAX_INPUT_BYTES
) -> Iterator[Document | InputError]:
    """One file (any format of :data:`FORMATS`, or a WARC archive) as :func:`read_paths` reads
    it; ``shown`` is how it is named in Documents and problems (default: ``path``)."""
    yield from _read_file(Path(path), str(path) if shown is None else shown, max_bytes)


def input_files(paths: Iterable[str | Path]) -> Iterator[tuple[str, str] | InputError]:
    """The files :func:`read_paths` would read, in its order, as ``(path, shown)``; folders are
    walked as it walks them. URLs and URL lists are not files: an InputError each."""
    for given in paths:
        shown = str(given)
        fs_path = Path(given)
        if re.match(r"^https?://", shown, re.IGNORECASE) or (
            fs_path.is_file() and fs_path.suffix.lower() == ".urls"
        ):
            yield UnsupportedFormat(shown, "URLs are not read in batch mode; fetch them first")
        elif fs_path.is_dir():
            for file_path, file_shown in _walk(fs_path, shown):
                yield str(file_path), file_shown
        elif fs_path.is_file():
            yield str(fs_path), shown
        elif fs_path.exists():
            yield UnsupportedFormat(shown, "not a regular file or folder")
        else:
            yield InputError(shown, "no such file or folder")


def read_paths(
    paths: Iterable[str | Path], *, max_bytes: int = MAX_INPUT_BYTES, fetcher: Any = None
) -> Iterator[Document | InputError]:
    """Read files and folders (recursively, in sorted order) into Documents.

    Also http(s) URLs (pages, or feeds whose entries are fetched), URL-list files (``.urls``,
    when given by name) and WARC archives (``.warc``, ``.warc.gz``): URLs are fetched with
    ``fetcher`` (a :class:`newsweave.sources.Fetcher`; by default one with the safe defaults).
    Problems are yielded as :class:`~newsweave.errors.InputError` subclasses, one per bad file
    (or per bad JSONL line, or URL), and reading goes on.
    """
    for given in paths:
        shown = str(given)
        fs_path = Path(given)
        if re.match(r"^https?://", shown, re.IGNORECASE):
            from newsweave.sources.read import read_urls

            yield from read_urls([shown], fetcher)
        elif fs_path.is_dir():
            for file_path, file_shown in _walk(fs_path, shown):
                yield from _read_file(file_path, file_shown, max_bytes)
        elif fs_path.is_file() and fs_path.suffix.lower() == ".urls":
            from newsweave.sources.read import read_url_file, read_urls

            found, problems = read_url_file(fs_path)
            yield from problems
            yield from read_urls(found, fetcher)
        elif fs_path.is_file():
            yield from _read_file(fs_path, shown, max_bytes)
        elif fs_path.exists():
            yield UnsupportedFormat(shown, "not a regular file or folder")
        else:
            yield InputError(shown, "no such file or folder")
