"""WARC and WARC.gz archives (Common Crawl News and the like) -> Documents, with warcio.

Every ``response`` record with an HTML body and a 2xx status becomes one Document with the
record's URL (canonical form; the original kept in ``meta``) and fetch date (``WARC-Date``, also
the publication date when the page gives none). Other records are skipped; a bad record gives a
one-line problem and reading goes on. The archive is streamed, never loaded whole.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from newsweave.errors import EmptyInput, InputError, TooLarge
from newsweave.ingest.dates import to_iso_date
from newsweave.model import Document
from newsweave.settings import MAX_INPUT_BYTES
from newsweave.sources.canonical import canonical_url
from newsweave.sources.fetch import FetchResult
from newsweave.sources.pages import HTML_TYPES, page_document
from newsweave.sources.paywall import WallPage

__all__ = ["is_warc", "read_warc"]

log = logging.getLogger(__name__)

MAX_RECORD_BYTES = MAX_INPUT_BYTES


def is_warc(path: str | Path) -> bool:
    name = str(path).lower()
    return name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz"))


class _Broken(Exception):
    """warcio failed on a malformed record with an error of its own."""


def _brief(exc: BaseException) -> str:
    text = re.sub(r"\s+", " ", str(exc)).strip()
    return text[:160] or type(exc).__name__


def _records(iterator: Iterator[Any]) -> Iterator[Any]:
    """warcio's records; its assorted errors on malformed input (AttributeError on a record
    without a target URI, ...) become :class:`_Broken`, ``ArchiveLoadFailed`` stays itself."""
    from warcio.exceptions import ArchiveLoadFailed

    while True:
        try:
            record = next(iterator)
        except StopIteration:
            return
        except (ArchiveLoadFailed, OSError, EOFError, ValueError):
            raise
        except Exception as exc:
            raise _Broken(f"{type(exc).__name__}: {exc}") from exc
        yield record


def read_warc(
    path: str | Path,
    *,
    known: Callable[[str], bool] | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[Document | InputError]:
    """Documents from the HTML responses of a WARC file. ``known(canonical_url)`` true skips a
    record without extracting it (a URL stored already)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    shown = str(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed below, after the generator ends)
    except OSError as exc:
        yield InputError(shown, f"cannot read: {exc.strerror or exc}")
        return
    found = 0
    number = 0
    failed = False
    try:
        arc = shown.lower().endswith((".arc", ".arc.gz"))
        records = _records(ArchiveIterator(stream, arc2warc=arc))
        for number, record in enumerate(records, start=1):
            if record.format.startswith("arc") and not arc:
                raise ArchiveLoadFailed("an ARC-style header line where a WARC record should be")
            if record.rec_type != "response" or record.http_headers is None:
                continue
            target = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = f"{shown}: record {number} ({target or 'no URL'})"
            status_text = record.http_headers.get_statuscode() or "0"
            status = int(status_text) if status_text.isdigit() else 0
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if ctype.split(";")[0].strip() not in HTML_TYPES or not 200 <= status < 300:
                continue
            found += 1
            canonical = canonical_url(target)
            if known is not None and target and known(canonical):
                log.info("%s: stored already, skipped", where)
                continue
            try:
                body = record.content_stream().read(max_record_bytes + 1)
            except Exception as exc:  # a broken chunked or compressed body: warcio's own errors
                yield InputError(where, f"record body cannot be read ({_brief(exc)})")
                continue
            if len(body) > max_record_bytes:
                yield TooLarge(where, f"too large: over {max_record_bytes} bytes")
                continue
            if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than announced
                yield InputError(where, "record cut short: the archive is truncated")
                continue
            fetched = record.rec_headers.get_header("WARC-Date") or ""
            headers = {"content-type": ctype}
            try:
                html = FetchResult(target, target, status, headers, body).text()
                doc = page_document(
                    html,
                    url=target or shown,
                    status=status,
                    fetched_at=fetched or None,
                    meta={
                        "warc": shown,
                        "warc_record": record.rec_headers.get_header("WARC-Record-ID"),
                    },
                )
            except InputError as exc:
                if isinstance(exc, WallPage):
                    yield WallPage(where, exc.wall)
                else:
                    yield type(exc)(where, exc.problem)
                continue
            if not doc.published and fetched:
                doc.published = to_iso_date(fetched)
                doc.meta["published_from"] = "fetch date"
            yield doc
    except ArchiveLoadFailed as exc:
        failed = True
        reason = re.sub(r"\s+", " ", str(exc)).strip()
        yield InputError(shown, f"not a readable WARC archive ({reason[:160]})")
    except (OSError, EOFError, ValueError, _Broken) as exc:  # truncated gzip, broken record
        failed = True
        yield InputError(shown, f"archive broken after record {number}: {_brief(exc)}")
    finally:
        stream.close()
    if failed:
        return
    if number == 0:
        yield InputError(shown, "not a readable WARC archive (no records)")
    elif found == 0:
        yield EmptyInput(shown, "no HTML response records in the archive")
