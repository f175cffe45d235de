"""Ingest: read reports (files, folders, JSONL) and clean them into Articles.

read_paths(paths)      -> Iterator[Document | InputError]  (an InputWarning: the Document follows)
clean_document(doc)    -> Article (raises EmptyInput when no body is left)
detect_language(text)  -> ISO 639-1 code or None
"""

from newsweave.ingest.clean import clean_document, content_hash, normalise_text
from newsweave.ingest.language import detect_language
from newsweave.ingest.metalines import LineResult, scan_lines
from newsweave.ingest.readers import FORMATS, InputWarning, decode_bytes, read_paths

__all__ = [
    "FORMATS",
    "InputWarning",
    "LineResult",
    "clean_document",
    "content_hash",
    "decode_bytes",
    "detect_language",
    "normalise_text",
    "read_paths",
    "scan_lines",
]
