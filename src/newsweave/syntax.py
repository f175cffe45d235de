"""An article's dependency parse, kept compactly in its analysis, and claim ``Doc``\\ s rebuilt
from it.

The document stage parses every article once (tagger, sentence boundaries, parser and NER in one
spaCy pass, :func:`newsweave.document.nlp.load_spacy`); :func:`encode` packs what later steps
read of
that parse, per token: its character offset and length, fine-grained tag, dependency label and
head. :func:`claim_doc` gives back a spaCy ``Doc`` of one claim (a sentence, or one clause of
it) with that tagging and parse, so the story stage (relations, name and place conflicts) reads
the parse instead of running a second parser over the claims.

The packed form is one string: ``"<format>\\t<tags>\\t<labels>\\t<data>"``, the tags and
dependency labels the article uses separated by spaces, and ``data`` the token arrays (int32,
one row per field) compressed with zlib, in base64. About 4 bytes a token.
"""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

FORMAT = "p1"
_FIELDS = 5  # gap before the token, length, tag code, label code, head - index


@dataclass(frozen=True)
class Parse:
    """The unpacked parse of one article: per token, ``start``/``end`` character offsets,
    ``tags`` and ``deps`` (strings) and ``heads`` (absolute token index; a root is its own
    head)."""

    start: np.ndarray
    end: np.ndarray
    tags: list[str]
    deps: list[str]
    heads: np.ndarray

    def __len__(self) -> int:
        return int(self.start.shape[0])


def encode(doc: Doc) -> str:
    """The packed parse of a parsed and tagged ``doc``."""
    n = len(doc)
    if n == 0:
        return f"{FORMAT}\t\t\t"
    tag_codes: dict[str, int] = {}
    dep_codes: dict[str, int] = {}
    rows = np.zeros((_FIELDS, n), dtype="<i4")
    prev_end = 0
    for i, tok in enumerate(doc):
        idx = tok.idx
        length = len(tok.text)
        rows[0, i] = idx - prev_end
        rows[1, i] = length
        rows[2, i] = tag_codes.setdefault(tok.tag_, len(tag_codes))
        rows[3, i] = dep_codes.setdefault(tok.dep_, len(dep_codes))
        rows[4, i] = tok.head.i - i
        prev_end = idx + length
    data = base64.b64encode(zlib.compress(rows.tobytes(), 6)).decode("ascii")
    return f"{FORMAT}\t{' '.join(tag_codes)}\t{' '.join(dep_codes)}\t{data}"


def decode(packed: str) -> Parse | None:
    """The :class:`Parse` in ``packed``; None when it is empty or of another format."""
    parts = packed.split("\t")
    if len(parts) != 4 or parts[0] != FORMAT:
        return None
    tag_names, dep_names = parts[1].split(" "), parts[2].split(" ")
    raw = zlib.decompress(base64.b64decode(parts[3])) if parts[3] else b""
    rows = np.frombuffer(raw, dtype="<i4").reshape(_FIELDS, -1).astype(np.int64)
    n = rows.shape[1]
    gaps, lengths = rows[0], rows[1]
    # start[i] = start[i-1] + length[i-1] + gap[i]
    ends_before = np.concatenate([[0], np.cumsum(gaps + lengths)[:-1]]) if n else gaps
    start = ends_before + gaps
    return Parse(
        start=start,
        end=start + lengths,
        tags=[tag_names[c] for c in rows[2]],
        deps=[dep_names[c] for c in rows[3]],
        heads=rows[4] + np.arange(n),
    )


def claim_doc(vocab: Vocab, text: str, parse: Parse, start: int, end: int) -> Doc | None:
    """A ``Doc`` of ``text[start:end]`` (character offsets in the article's ``text``) carrying the
    stored tags and parse; token offsets are relative to ``start``. A token whose head lies
    outside the span becomes a root of its own (a clause cut from its sentence). None when the
    stored tokens do not cover the span exactly (then the caller parses the text itself)."""
    from spacy.tokens import Doc

    a = int(np.searchsorted(parse.start, start, side="left"))
    b = int(np.searchsorted(parse.start, end, side="left"))
    if a >= b or parse.start[a] != start or parse.end[b - 1] != end:
        return None
    words: list[str] = []
    spaces: list[bool] = []
    for i in range(a, b):
        s, e = int(parse.start[i]), int(parse.end[i])
        words.append(text[s:e])
        if i + 1 < b:
            nxt = int(parse.start[i + 1])
            if nxt == e:
                spaces.append(False)
            elif nxt == e + 1 and text[e] == " ":
                spaces.append(True)
            else:  # text between tokens that no token holds: not spaCy's tokenisation
                return None
        else:
            spaces.append(False)
    heads: list[int] = []
    deps: list[str] = []
    for i in range(a, b):
        h = int(parse.heads[i])
        if a <= h < b and h != i:
            heads.append(h - a)
            deps.append(parse.deps[i])
        else:
            heads.append(i - a)
            deps.append("ROOT")
    return Doc(vocab, words=words, spaces=spaces, tags=parse.tags[a:b], deps=deps, heads=heads)
