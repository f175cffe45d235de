"""Read the ECB+ corpus into plain-text documents with their gold story.

ECB+ (Cybulska & Vossen, LREC 2014) ships 982 tokenised news articles in 43 topics. Each topic
holds two different seminal events: files ending ``ecb.xml`` (the original ECB event) and files
ending ``ecbplus.xml`` (a second, similar event). The gold story of a document is therefore
``"<topic>ecb"`` or ``"<topic>ecbplus"``. In ``*ecbplus.xml`` files sentence 0 is the source URL,
tokenised; it is dropped from the text and returned as :attr:`EcbDoc.url`.

The corpus is read from ``../shared/benchmarks/ecbplus/ECB+_LREC2014/ECB+`` relative to the repo
root (never copied into the project). Usage::

    python bench/ecbplus.py --out /tmp/ecbplus.jsonl          # all 982 documents
    python bench/ecbplus.py --topics 36-45 --out /tmp/test.jsonl

Library use (from another benchmark)::

    from ecbplus import load_ecbplus, write_jsonl
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import signal
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = REPO_ROOT.parent / "shared" / "benchmarks" / "ecbplus" / "ECB+_LREC2014" / "ECB+"

#: The usual split (Cybulska & Vossen 2015; Barhom et al. 2019).
DEV_TOPICS: tuple[int, ...] = (2, 5, 12, 18, 21, 23, 34, 35)
TEST_TOPICS: tuple[int, ...] = tuple(range(36, 46))
TRAIN_TOPICS: tuple[int, ...] = tuple(t for t in range(1, 36) if t not in DEV_TOPICS)


class EcbplusMissing(FileNotFoundError):
    """The ECB+ folder is not there (``../shared`` is absent on this machine)."""


@dataclass
class EcbDoc:
    id: str  # file name, e.g. "1_10ecbplus.xml"
    topic: int
    story: str  # gold story: "1ecb" or "1ecbplus"
    text: str  # detokenised, one paragraph (line) per sentence
    url: str | None = None  # only ecbplus documents carry one


# --------------------------------------------------------------------------- detokenising

# Tokens written without a space before them.
_NO_SPACE_BEFORE = {".", ",", ":", ";", "?", "!", "%", ")", "]", "}", "...", "''", "”", "’"}
# Tokens written without a space after them.
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "``", "“", "‘", "£", "€"}
# Clitics split off by the tokenizer ("do n't", "it 's", "we 're").
_CLITIC = re.compile(r"^(?:'|’)(?:s|d|ll|re|ve|m|t)$|^n['’]t$", re.IGNORECASE)
_CLITIC_TAIL = re.compile(r"^(?:s|d|ll|re|ve|m|t)$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d[\d,.]*$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_WORD = re.compile(r"^\w[\w.'’-]*$")
# Short function words after which a hyphen is a dash, not part of a compound ("5 - and 6").
_INNER_HYPHEN = re.compile(r"\w-\w")
_FUNCTION_WORDS = {"and", "or", "to", "of", "the", "a", "an", "in", "on", "at", "for", "but"}


def detokenize(
    tokens: Sequence[str], split_hyphens: bool = False, quotes: list[bool] | None = None
) -> str:
    """Join one sentence's tokens into readable text.

    Handles: no space before closing punctuation and clitics, none after opening brackets and
    currency signs; PTB quotes (``` `` ``` and ``''``) become curly quotes; straight double quotes
    are opened and closed by parity; ``’`` and ``'`` attach as apostrophes (``Comeaux ’ s`` ->
    ``Comeaux’s``, ``Nichols '`` -> ``Nichols'``); numeric compounds and clock times are joined
    (``12 - gauge`` -> ``12-gauge``, ``8 : 28`` -> ``8:28``, ``11 / 30 / 09`` -> ``11/30/09``,
    ``6 . 1`` -> ``6.1``, ``170 , 000`` -> ``170,000``).

    ``split_hyphens`` says the tokenizer split every hyphenated word of this document (it has no
    token with an inner hyphen): then ``court - ordered`` is joined too; otherwise a lone ``-``
    between words is a dash and keeps its spaces. ``quotes`` is the ``[straight, curly]``
    open-quote state, carried from sentence to sentence of one document (quotes span sentences).
    """
    if quotes is None:
        quotes = [False, False]
    dquote_open, quote_open = quotes
    out: list[str] = []
    glue_next = False  # the previous token asked the next one to attach to it
    n = len(tokens)
    for i, raw in enumerate(tokens):
        tok = {"``": "“", "''": "”", "-LRB-": "(", "-RRB-": ")"}.get(raw, raw)
        prev = tokens[i - 1] if i else ""
        nxt = tokens[i + 1] if i + 1 < n else None
        attach = glue_next
        glue_next = False

        if tok == "“" and quote_open:  # an opening curly quote inside a quote closes it
            tok = "”"
        if tok == "“":
            quote_open = True
        elif tok == "”":
            quote_open = False

        if tok == '"':
            if dquote_open:
                attach = True
            else:
                glue_next = True
            dquote_open = not dquote_open
        elif len(tok) > 1 and (tok.startswith('"') or tok.endswith('"')):
            # a quote the tokenizer left on a word still opens or closes a quotation
            dquote_open = not dquote_open
        elif tok in ("’", "'"):
            # Apostrophe or closing single quote: attach left; glue a clitic tail on the right.
            if prev and prev not in ("“", "(", "[") and i > 0:
                attach = True
            else:
                glue_next = True
            if nxt is not None and _CLITIC_TAIL.match(nxt):
                glue_next = True
        elif tok in ("‘", "`"):
            glue_next = True
        elif (
            tok in (".", ",")
            and i > 0
            and nxt is not None
            and prev[-1:].isdigit()
            and (nxt[:1].isdigit() if tok == "." else re.match(r"\d{3}(?!\d)", nxt) is not None)
        ):
            # a decimal point or a thousands separator the tokenizer split off: 6 . 1, 170 , 000
            attach = True
            glue_next = True
        elif tok in ("-", ":", "/") and i > 0 and nxt is not None:
            joins = False
            if tok == "/":
                joins = bool(_WORD.match(prev) and _WORD.match(nxt))
            elif tok == ":":
                joins = bool(re.fullmatch(r"\d{1,2}", prev) and re.match(r"\d\d", nxt))
            else:  # "-"
                joins = bool(
                    split_hyphens
                    and _WORD.match(prev)
                    and _WORD.match(nxt)
                    and nxt.lower() not in _FUNCTION_WORDS
                ) or bool(
                    _NUMBER.match(prev)
                    and (
                        _NUMBER.match(nxt)
                        or (
                            not _YEAR.match(prev)
                            and _WORD.match(nxt)
                            and nxt.lower() not in _FUNCTION_WORDS
                        )
                    )
                )
            if joins:
                attach = True
                glue_next = True
            elif tok == ":":
                attach = True
        elif tok in _NO_SPACE_BEFORE or _CLITIC.match(tok):
            attach = True
        if tok in _NO_SPACE_AFTER:
            glue_next = True

        if attach and out:
            out[-1] += tok
        else:
            out.append(tok)
    quotes[0], quotes[1] = dquote_open, quote_open
    return " ".join(out)


# --------------------------------------------------------------------------- reading


def _sentences(path: Path) -> list[list[str]]:
    """Tokens of each sentence, in order of the sentence number."""
    root = ET.parse(path).getroot()
    by_sentence: dict[int, list[tuple[int, str]]] = {}
    for el in root.iter("token"):
        sent = int(el.get("sentence", "0"))
        num = int(el.get("number", "0"))
        by_sentence.setdefault(sent, []).append((num, el.text or ""))
    return [[t for _, t in sorted(toks)] for _, toks in sorted(by_sentence.items())]


def read_doc(path: Path) -> EcbDoc:
    """Read one ECB+ XML file."""
    name = path.name
    m = re.match(r"^(\d+)_\d+(ecbplus|ecb)\.xml$", name)
    if m is None:
        raise ValueError(f"{path}: not an ECB+ file name (<topic>_<n>ecb[plus].xml)")
    topic, kind = int(m.group(1)), m.group(2)
    sentences = _sentences(path)
    url: str | None = None
    if kind == "ecbplus" and sentences:
        url = "".join(sentences[0])
        sentences = sentences[1:]
    split_hyphens = not any(_INNER_HYPHEN.search(t) for s in sentences for t in s)
    quotes = [False, False]
    lines = [detokenize(s, split_hyphens, quotes) for s in sentences]
    text = "\n".join(line for line in lines if line.strip())
    return EcbDoc(id=name, topic=topic, story=f"{topic}{kind}", text=text, url=url)


def _doc_key(path: Path) -> tuple[int, int, int]:
    m = re.match(r"^(\d+)_(\d+)(ecbplus|ecb)\.xml$", path.name)
    if m is None:
        return (10**6, 0, 0)
    return (int(m.group(1)), 0 if m.group(3) == "ecb" else 1, int(m.group(2)))


def load_ecbplus(root: Path | None = None, topics: Iterable[int] | None = None) -> list[EcbDoc]:
    """Read every ECB+ document (or those of ``topics``), sorted by topic, sub-corpus, number.

    Raises :class:`EcbplusMissing` (a ``FileNotFoundError``) when the corpus folder is absent.
    """
    root = Path(root) if root is not None else DEFAULT_ROOT
    if not root.is_dir():
        raise EcbplusMissing(
            f"ECB+ not found at {root}: put the shared benchmarks beside the repo "
            "(../shared/benchmarks/ecbplus) or pass root="
        )
    wanted = {int(t) for t in topics} if topics is not None else None
    paths = [
        p
        for p in root.glob("*/*.xml")
        if p.parent.name.isdigit() and (wanted is None or int(p.parent.name) in wanted)
    ]
    docs = [read_doc(p) for p in sorted(paths, key=_doc_key)]
    log.info("read %d ECB+ documents from %s", len(docs), root)
    return docs


def write_jsonl(docs: Iterable[EcbDoc], path: str | Path) -> int:
    """Write one JSON object per line (``id``, ``topic``, ``story``, ``text``, ``url``).

    Returns the number of lines written.
    """
    count = 0
    with Path(path).open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(asdict(doc), ensure_ascii=False) + "\n")
            count += 1
    return count


def write_texts(docs: Iterable[EcbDoc], folder: str | Path) -> list[Path]:
    """Write each document as ``<folder>/<id without .xml>.txt``; return the paths in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for doc in docs:
        p = folder / (Path(doc.id).stem + ".txt")
        p.write_text(doc.text + "\n", encoding="utf-8")
        paths.append(p)
    return paths


def parse_topics(spec: str | None) -> list[int] | None:
    """``"36-45"``, ``"1,3,5-7"``, ``"test"``, ``"dev"``, ``"train"`` -> topic numbers."""
    if not spec:
        return None
    named = {"test": TEST_TOPICS, "dev": DEV_TOPICS, "train": TRAIN_TOPICS}
    if spec in named:
        return list(named[spec])
    topics: list[int] = []
    for part in spec.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            topics.extend(range(int(a), int(b) + 1))
        elif part.strip():
            topics.append(int(part))
    return topics


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=None, help=f"ECB+ folder (default {DEFAULT_ROOT})")
    ap.add_argument("--topics", default=None, help="e.g. 36-45, 1,3,5-7, test, dev, train")
    ap.add_argument("--out", type=Path, default=None, help="write JSONL here")
    ap.add_argument("--show", default=None, help="print the text of this document id")
    args = ap.parse_args(argv)
    try:
        docs = load_ecbplus(args.root, parse_topics(args.topics))
    except EcbplusMissing as exc:
        print(f"skipped: {exc}", file=sys.stderr)
        return 0
    if args.show:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        for d in docs:
            if d.id == args.show:
                print(f"# {d.id}  story={d.story}  url={d.url}\n{d.text}")
        return 0
    stories = {d.story for d in docs}
    print(f"{len(docs)} documents, {len({d.topic for d in docs})} topics, {len(stories)} stories")
    if args.out:
        n = write_jsonl(docs, args.out)
        print(f"wrote {n} lines to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
