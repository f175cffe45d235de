"""Bytes to text: the encodings reports come in (UTF-8 with or without a byte-order mark,
UTF-16/32 by their mark, single-byte Western code pages by detection), and files that are not
text at all (a PDF, an image, an archive) refused by name."""

from __future__ import annotations

import codecs
import logging

from newsweave.errors import BinaryInput, DecodeError

__all__ = ["decode_bytes"]

log = logging.getLogger(__name__)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "a GZIP archive"),
    (b"BZh", "a BZIP2 archive"),
    (b"\xfd7zXZ\x00", "an XZ archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"\x7fELF", "an executable"),
    (b"MZ\x90\x00", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an audio file"),
    (b"ID3", "an audio file"),
    (b"\x00\x00\x01\x00", "an icon"),
)
_LATIN_FAMILY = {
    "ascii", "latin_1", "cp1252", "cp1250", "cp1254", "cp1257", "cp775", "cp437", "cp850",
    "cp852", "cp857", "cp858", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10",
    "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "mac_latin2", "mac_roman",
    "mac_iceland", "mac_turkish",
}  # fmt: skip

_CONTROL_BYTES = set(range(0, 9)) | {11, 14, 15} | set(range(16, 27)) | set(range(28, 32)) | {127}


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    if head and sum(1 for b in head if b in _CONTROL_BYTES) / len(head) > 0.1:
        return "binary data (mostly control characters)"
    return None


def decode_bytes(data: bytes, where: str) -> str:
    """Decode a file's bytes: UTF-8 (BOM or not), UTF-16/32 by BOM, else charset detection
    (single-byte Western text comes out as cp1252). Raises BinaryInput or DecodeError."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(where, f"not valid {codec} despite its byte-order mark") from exc
    kind = _binary_kind(data)
    if kind:
        raise BinaryInput(where, f"not text: looks like {kind}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    western: str | None = None
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if best is None:
        if western is not None:
            return western
        raise DecodeError(where, "cannot determine the text encoding; save it as UTF-8")
    if western is not None and best.encoding in _LATIN_FAMILY:
        return western
    log.debug("%s: decoded as %s", where, best.encoding)
    return str(best)
