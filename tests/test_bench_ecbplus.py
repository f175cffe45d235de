"""The ECB+ reader used by the benchmarks: detokenising and reading the corpus."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
ECB_ROOT = REPO.parent / "shared" / "benchmarks" / "ecbplus" / "ECB+_LREC2014" / "ECB+"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_ecbplus", REPO / "bench" / "ecbplus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ecb = _load()


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        ("The mayor said , `` we are ready . ''", "The mayor said, “we are ready.”"),
        ("It does n't matter ( really ) .", "It doesn't matter (really)."),
        (
            "The harbour ’ s pier and the boats ' engines",
            "The harbour’s pier and the boats' engines",
        ),
        (
            "a 12 - gauge shotgun at 8 : 28 PM on 11 / 30 / 09",
            "a 12-gauge shotgun at 8:28 PM on 11/30/09",
        ),
        ("in March 2004 - saying he left", "in March 2004 - saying he left"),
        ("He paid $ 3 million , or 5 % .", "He paid $3 million, or 5%."),
        ("the film ‘ Low Tide ’ opened", "the film ‘Low Tide’ opened"),
        ('She said : " Go home . "', 'She said: "Go home."'),
        ("a 6 . 1 - magnitude quake killed 170 , 000", "a 6.1-magnitude quake killed 170,000"),
        ("$ 500 , 000 and $1 . 2 million", "$500,000 and $1.2 million"),
    ],
)
def test_detokenize(tokens: str, text: str) -> None:
    assert ecb.detokenize(tokens.split(" ")) == text


def test_split_hyphens_joins_word_compounds_only_when_asked() -> None:
    tokens = ["a", "court", "-", "ordered", "stay", "-", "and", "a", "fine"]
    assert ecb.detokenize(tokens) == "a court - ordered stay - and a fine"
    assert ecb.detokenize(tokens, split_hyphens=True) == "a court-ordered stay - and a fine"


def test_straight_quotes_carry_across_sentences() -> None:
    state = [False, False]
    first = ecb.detokenize(['"', "It", "is", "over", "."], quotes=state)
    second = ecb.detokenize(["We", "lost", ".", '"', "Then", "he", "left", "."], quotes=state)
    assert (first, second) == ('"It is over.', 'We lost." Then he left.')


def _write_doc(folder: Path, name: str, sentences: list[list[str]]) -> None:
    rows = []
    t_id = 1
    for s, toks in enumerate(sentences):
        for n, tok in enumerate(toks):
            rows.append(f'<token t_id="{t_id}" sentence="{s}" number="{n}">{tok}</token>')
            t_id += 1
    xml = f'<Document doc_name="{name}" doc_id="X">\n' + "\n".join(rows) + "\n</Document>\n"
    (folder / name).write_text(xml, encoding="utf-8")


def test_load_ecbplus_on_a_small_tree(tmp_path: Path) -> None:
    topic = tmp_path / "7"
    topic.mkdir()
    url = ["http", ":", "/", "/", "news", ".", "example", "/", "a"]
    _write_doc(topic, "7_2ecbplus.xml", [url, ["Floods", "hit", "Esterby", "."]])
    _write_doc(
        topic,
        "7_1ecb.xml",
        [["Rain", "fell", "&amp;", "fell", "."], ["Then", "it", "stopped", "."]],
    )
    docs = ecb.load_ecbplus(tmp_path)
    assert [d.id for d in docs] == ["7_1ecb.xml", "7_2ecbplus.xml"]
    assert [d.story for d in docs] == ["7ecb", "7ecbplus"]
    assert docs[0].url is None and docs[0].text == "Rain fell & fell.\nThen it stopped."
    assert docs[1].url == "http://news.example/a" and docs[1].text == "Floods hit Esterby."
    assert ecb.load_ecbplus(tmp_path, topics=[8]) == []
    out = tmp_path / "docs.jsonl"
    assert ecb.write_jsonl(docs, out) == 2
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {"id", "topic", "story", "text", "url"}


def test_missing_corpus_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="ECB\\+ not found"):
        ecb.load_ecbplus(tmp_path / "absent")


@pytest.mark.slow
@pytest.mark.skipif(not ECB_ROOT.is_dir(), reason="../shared/benchmarks/ecbplus is absent")
def test_full_corpus_counts() -> None:
    docs = ecb.load_ecbplus()
    assert len(docs) == 982
    assert len({d.topic for d in docs}) == 43
    assert len({d.story for d in docs}) == 86
    plus = [d for d in docs if d.story.endswith("ecbplus")]
    assert len(plus) == 502
    assert all(d.url and d.url.startswith(("http", "www")) for d in plus)
    stray = re.compile(r"\s[.,;:](?:\s|$)")  # punctuation left detached by the tokenizer
    assert all(d.text and not stray.search(d.text) for d in docs)
