"""The all-MiniLM-L6-v2 BERT encoder as an ONNX graph, built by hand and run with onnxruntime.

No torch and no hub: the graph is written node by node with :mod:`onnx.helper` from the
safetensors weights, then pooled in the graph:

    ids, mask -> EmbedLayerNormalization -> 6 x (Attention, add & LayerNorm, FFN with exact
              GELU, add & LayerNorm) -> mean over the mask -> L2 norm -> (batch, hidden) float32

``EmbedLayerNormalization`` and ``Attention`` are fused operators of onnxruntime's
``com.microsoft`` domain (CPU provider); the rest are standard ONNX operators (opset 20).

Two variants:

* ``fp32``: the float graph; matches the numpy reference to float rounding.
* ``int8``: dynamic int8 quantisation (:func:`onnxruntime.quantization.quantize_dynamic`):
  weights int8 per output channel, 7-bit range (``reduce_range``: on CPUs without VNNI the
  u8 x s8 kernels add pairs of products in int16, which saturates with full 8-bit weights),
  activations quantised per call to uint8 with one range per tensor. That one range is what
  costs accuracy: a few channels of the feed-forward inputs are 5-20x larger than the rest and
  would stretch it. Those channels, found by running the float graph on a fixed set of
  calibration sentences (:data:`CALIBRATION_TEXTS`), go through small float32 MatMuls beside
  the int8 one: the hidden channels entering each FFN (zeroed on the int8 side) and the
  intermediate channels leaving it (their columns of the first FFN weight, GELU and rows of
  the second weight computed apart).

Built models are cached as files under the user's cache directory (:func:`cache_dir`), keyed by
the SHA-256 of the weights file, the variant and :data:`BUILD_VERSION`, so later loads only
hash the weights and read the file.

``onnx`` and ``onnxruntime`` are imported only inside the functions that need them, so this
module imports without them; :func:`available` tells whether they can be imported.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsweave import settings
from newsweave.errors import ModelError

logger = logging.getLogger(__name__)

# Bump when the graph, the calibration or the quantisation recipe changes: cache files of older
# builds are then ignored.
BUILD_VERSION = 2
OPSET = 20
MS_DOMAIN = "com.microsoft"
VARIANTS = ("fp32", "int8")
# Nodes whose names start with this stay float32 when the graph is quantised.
FLOAT_PREFIX = "float32_"
# Channels per FFN input (hidden) and per FFN intermediate kept in float32 in the int8 variant.
OUTLIER_CHANNELS = 8
# onnxruntime fuses Add + LayerNormalization into SkipLayerNormalization, whose CPU kernel was
# measured several times slower than the two nodes it replaces on this model.
DISABLED_OPTIMIZERS = ("SkipLayerNormFusion",)

# Fictional news sentences of varied length and form, used only to find the outlying channels
# (which belong to the model: they are the same few on any English text).
CALIBRATION_TEXTS = (
    "The harbour authority of Port Velmar closed the northern pier on Tuesday after a crane "
    "collapsed during the night.",
    "Nobody was hurt, a spokeswoman said.",
    "Prices of bread, milk and diesel rose 4.2% in March, the statistics office of Ostrava "
    "Minor reported.",
    '"We will not sign this agreement," the union leader told reporters outside the ministry.',
    "Heavy rain flooded 300 homes in the river valley; about 1,200 residents were moved to "
    "schools and sports halls.",
    "According to the Kelvane Courier, the mayor had known about the audit for months.",
    "Shares in Brightwater Mining fell by a third after the company cut its forecast.",
    "The central bank of Norland kept its main rate at 3.25 percent.",
    "Police in Lindau arrested two men suspected of stealing copper cable from the railway.",
    "The festival, first held in 1987, drew a record 48,000 visitors this year.",
    "Talks between the two provinces broke down late on Friday without a deal on water rights.",
    "Who pays for the new bridge is still unclear.",
    'The minister denied the report and called it "completely false".',
    "Firefighters fought the blaze for eleven hours before bringing it under control early on "
    "Sunday morning, officials said, adding that the cause was being investigated.",
    "Zürich-based Alpenlink AG bought the ferry operator for €240 million.",
    "Breaking: parliament votes 212-198 to delay the election.",
    "Two earlier inquiries, in 2019 and 2021, found no wrongdoing.",
    "Witnesses said the bus left the road near the village of Stara Brana at about 6 p.m.",
    "The opposition accused the government of hiding the true cost of the stadium.",
    "Schools will reopen on Monday.",
    "Analysts at a regional brokerage expect exports to recover in the second half of the year "
    "as demand from neighbouring markets picks up.",
    "The hospital said 14 people were treated for smoke inhalation and three remain in serious "
    "condition.",
    "A court in Haldern sentenced the former director to six years in prison for fraud.",
    "Officials did not say when the road would reopen.",
)


def available() -> bool:
    """True when both onnx and onnxruntime can be imported (without importing them)."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in ("onnx", "onnxruntime"))
    except (ImportError, ValueError):
        return False


def cache_dir() -> Path:
    """Directory for built models: the ``cache_dir`` setting (:func:`newsweave.settings.cache_dir`:
    $NEWSWEAVE_CACHE_DIR, else $XDG_CACHE_HOME/newsweave, else ~/.cache/newsweave)."""
    return settings.cache_dir()


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_path(weights_path: Path, variant: str) -> Path:
    """Cache file of ``variant`` built from the weights at ``weights_path`` (by content)."""
    digest = file_sha256(weights_path)
    return cache_dir() / f"minilm-{digest[:24]}-v{BUILD_VERSION}-{variant}.onnx"


def ffn_inputs(n_layers: int) -> dict[str, str]:
    """{FFN weight name: graph tensor it multiplies}: the hidden state entering each FFN and
    the GELU output inside it. These are the tensors :func:`find_outliers` measures."""
    names: dict[str, str] = {}
    for i in range(n_layers):
        names[f"l{i}_ffn_in_w"] = f"l{i}_h_attn"
        names[f"l{i}_ffn_out_w"] = f"l{i}_ffn_act"
    return names


def build_model(
    weights: Mapping[str, np.ndarray],
    config: Mapping[str, Any],
    eps: float,
    outliers: Mapping[str, Sequence[int]] | None = None,
) -> Any:  # onnx.ModelProto
    """Build the float32 BERT + mean pooling + L2 normalisation graph from BERT weights.

    Inputs ``input_ids`` and ``attention_mask``: int32 (batch, seq), right padded (the mask is
    1 on a prefix of each row). Output ``embedding``: float32 (batch, hidden), unit rows.

    ``outliers`` maps FFN weight names (keys of :func:`ffn_inputs`) to input channels computed
    in separate MatMuls named with :data:`FLOAT_PREFIX` (the float result is the same up to
    rounding; :func:`quantize_int8` leaves those MatMuls float32).
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    n_layers = int(config["num_hidden_layers"])
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
    outliers = outliers or {}

    def get(name: str) -> np.ndarray:
        key = prefix + name
        if key not in weights:
            raise ModelError(f"weight {key!r} missing from the model")
        return np.ascontiguousarray(weights[key], dtype=np.float32)

    initializers: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(
        op: str,
        inputs: list[str],
        outputs: list[str],
        ms: bool = False,
        name: str | None = None,
        **attrs: Any,
    ) -> str:
        nodes.append(
            helper.make_node(
                op,
                inputs,
                outputs,
                name=name or f"{op}_{len(nodes)}",
                domain=MS_DOMAIN if ms else "",
                **attrs,
            )
        )
        return outputs[0]

    def channels(w_name: str, width: int) -> np.ndarray:
        idx = np.unique(np.asarray(outliers.get(w_name, ()), dtype=np.int64))
        if idx.size and (idx[0] < 0 or idx[-1] >= width):
            raise ModelError(f"outlier channel out of range for {w_name}")
        return idx

    def linear(inp: str, w_name: str, w: np.ndarray, out: str) -> str:
        """out = inp @ w (w stored (in, out)), outlying input channels apart in float32."""
        idx = channels(w_name, w.shape[0])
        if not idx.size:
            return node("MatMul", [inp, const(w_name, w)], [out])
        keep = np.ones(w.shape[0], dtype=np.float32)
        keep[idx] = 0.0
        rest = node("Mul", [inp, const(w_name + "_keep", keep)], [w_name + "_rest_x"])
        rest_y = node("MatMul", [rest, const(w_name, w * keep[:, None])], [w_name + "_rest_y"])
        few = node("Gather", [inp, const(w_name + "_idx", idx)], [w_name + "_few_x"], axis=-1)
        few_y = node(
            "MatMul",
            [few, const(w_name + "_few", w[idx])],
            [w_name + "_few_y"],
            name=FLOAT_PREFIX + w_name,
        )
        return node("Add", [rest_y, few_y], [out])

    def add_norm(proj: str, bias: str, residual: str, ln: str, out: str) -> str:
        """out = LayerNorm(proj + bias + residual)."""
        biased = node("Add", [proj, const(out + "_bias", get(bias))], [out + "_biased"])
        total = node("Add", [biased, residual], [out + "_sum"])
        gamma = const(out + "_ln_gamma", get(ln + "weight"))
        beta = const(out + "_ln_beta", get(ln + "bias"))
        return node("LayerNormalization", [total, gamma, beta], [out], axis=-1, epsilon=eps)

    def ffn(x: str, i: int, p: str) -> str:
        """GELU(x @ w_in + b_in) @ w_out, outlying intermediate channels apart in float32."""
        w_in = get(p + "intermediate.dense.weight").T
        b_in = get(p + "intermediate.dense.bias")
        w_out = get(p + "output.dense.weight").T
        idx = channels(f"l{i}_ffn_out_w", w_in.shape[1])
        rest = np.setdiff1d(np.arange(w_in.shape[1]), idx)
        pre = linear(x, f"l{i}_ffn_in_w", w_in[:, rest], f"l{i}_ffn_pre")
        biased = node("Add", [pre, const(f"l{i}_ffn_in_b", b_in[rest])], [f"l{i}_ffn_biased"])
        act = node("Gelu", [biased], [f"l{i}_ffn_act"])  # the exact erf form
        out = node("MatMul", [act, const(f"l{i}_ffn_out_w", w_out[rest])], [f"l{i}_ffn_proj"])
        if not idx.size:
            return out
        name = f"l{i}_ffn_few"
        few_pre = node(
            "MatMul",
            [x, const(name + "_in_w", w_in[:, idx])],
            [name + "_pre"],
            name=FLOAT_PREFIX + name + "_in",
        )
        few_biased = node("Add", [few_pre, const(name + "_in_b", b_in[idx])], [name + "_biased"])
        few_act = node("Gelu", [few_biased], [name + "_act"])
        few_out = node(
            "MatMul",
            [few_act, const(name + "_out_w", w_out[idx])],
            [name + "_proj"],
            name=FLOAT_PREFIX + name + "_out",
        )
        return node("Add", [out, few_out], [f"l{i}_ffn_proj_all"])

    # Token type 0 is the only segment used: fold its row into every position row.
    position = (
        get("embeddings.position_embeddings.weight")
        + get("embeddings.token_type_embeddings.weight")[0]
    )
    node(
        "EmbedLayerNormalization",
        [
            "input_ids",
            "",
            const("word_embeddings", get("embeddings.word_embeddings.weight")),
            const("position_embeddings", position),
            "",
            const("emb_ln_gamma", get("embeddings.LayerNorm.weight")),
            const("emb_ln_beta", get("embeddings.LayerNorm.bias")),
            "attention_mask",
        ],
        ["h_emb", "mask_index"],
        ms=True,
        epsilon=eps,
    )
    x = "h_emb"
    for i in range(n_layers):
        p = f"encoder.layer.{i}."
        qkv = ("query", "key", "value")
        qkv_w = np.concatenate([get(p + f"attention.self.{n}.weight") for n in qkv], axis=0).T
        qkv_b = np.concatenate([get(p + f"attention.self.{n}.bias") for n in qkv])
        ctx = node(
            "Attention",
            [x, const(f"l{i}_qkv_w", qkv_w), const(f"l{i}_qkv_b", qkv_b), "mask_index"],
            [f"l{i}_ctx"],
            ms=True,
            num_heads=heads,
        )
        attn_out_w = get(p + "attention.output.dense.weight").T
        proj = node("MatMul", [ctx, const(f"l{i}_attn_out_w", attn_out_w)], [f"l{i}_attn_proj"])
        h_attn = add_norm(
            proj,
            p + "attention.output.dense.bias",
            x,
            p + "attention.output.LayerNorm.",
            f"l{i}_h_attn",
        )
        x = add_norm(
            ffn(h_attn, i, p), p + "output.dense.bias", h_attn, p + "output.LayerNorm.", f"l{i}_h"
        )

    # Mean over the attended tokens, then divide by the L2 norm (both with tiny floors, as
    # sentence-transformers does).
    node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT)
    node("Unsqueeze", ["mask_f", const("axis_2", np.array([2], dtype=np.int64))], ["mask_3d"])
    node("Mul", [x, "mask_3d"], ["masked"])
    axis_1 = const("axis_1", np.array([1], dtype=np.int64))
    node("ReduceSum", ["masked", axis_1], ["summed"], keepdims=0)
    node("ReduceSum", ["mask_f", axis_1], ["counts_raw"], keepdims=1)
    node("Max", ["counts_raw", const("count_floor", np.array(1e-9, np.float32))], ["counts"])
    node("Div", ["summed", "counts"], ["pooled"])
    node("Mul", ["pooled", "pooled"], ["squares"])
    node("ReduceSum", ["squares", axis_1], ["sq_norm"], keepdims=1)
    node("Sqrt", ["sq_norm"], ["norm_raw"])
    node("Max", ["norm_raw", const("norm_floor", np.array(1e-12, np.float32))], ["norm"])
    node("Div", ["pooled", "norm"], ["embedding"])

    graph = helper.make_graph(
        nodes,
        "minilm_sentence_embedding",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT32, ["batch", "seq"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT32, ["batch", "seq"]),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden])],
        initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)],
        producer_name="newsweave",
    )
    model.ir_version = 9
    onnx.checker.check_model(model)
    return model


def pad_batch(ids_list: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Right-padded int32 (ids, mask) arrays for token id lists."""
    width = max(1, max((len(ids) for ids in ids_list), default=0))
    ids = np.zeros((len(ids_list), width), dtype=np.int32)
    mask = np.zeros((len(ids_list), width), dtype=np.int32)
    for row, seq in enumerate(ids_list):
        ids[row, : len(seq)] = seq
        mask[row, : len(seq)] = 1
    return ids, mask


def find_outliers(
    model: Any, token_ids: Sequence[Sequence[int]], per_input: int = OUTLIER_CHANNELS
) -> dict[str, list[int]]:
    """The ``per_input`` channels of largest magnitude of each FFN input (:func:`ffn_inputs`),
    measured by running the float graph ``model`` (from :func:`build_model` without outliers)
    on ``token_ids`` (one list of ids per sentence)."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    n_layers = sum(1 for n in model.graph.node if n.op_type == "Attention")
    tensors = ffn_inputs(n_layers)
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for tensor in tensors.values():
        probe.graph.output.append(helper.make_tensor_value_info(tensor, TensorProto.FLOAT, None))
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    peak: dict[str, np.ndarray] = {}
    for seq in token_ids:  # one sentence at a time: no padded positions in the statistics
        ids, mask = pad_batch([seq])
        outputs = session.run(None, {"input_ids": ids, "attention_mask": mask})
        values = dict(zip(names, outputs, strict=True))
        for w_name, tensor in tensors.items():
            a = np.abs(values[tensor]).reshape(-1, values[tensor].shape[-1]).max(axis=0)
            peak[w_name] = a if w_name not in peak else np.maximum(peak[w_name], a)
    return {w: sorted(np.argsort(-a)[:per_input].tolist()) for w, a in peak.items()}


def quantize_int8(model: Any, out_path: Path) -> None:
    """Write ``model`` dynamically quantised to int8 to ``out_path``.

    Weights of the MatMul and Attention nodes become int8 (7-bit range) with one scale per
    output channel; activations are quantised per call. Nodes named with :data:`FLOAT_PREFIX`,
    the embedding tables, LayerNorms, GELU and the pooling stay float32.
    """
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    keep_float = [n.name for n in model.graph.node if n.name.startswith(FLOAT_PREFIX)]
    root = logging.getLogger()
    hush = _QuantizerChatter()
    root.addFilter(hush)
    try:
        quantize_dynamic(
            model,
            out_path,
            op_types_to_quantize=["MatMul", "Attention"],
            per_channel=True,
            reduce_range=True,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=keep_float,
            # Shape inference does not type the outputs of com.microsoft nodes.
            extra_options={"DefaultTensorType": TensorProto.FLOAT},
        )
    finally:
        root.removeFilter(hush)


class _QuantizerChatter(logging.Filter):
    """Drops what the quantiser logs on the root logger while it runs: one INFO line per
    tensor, and its advice to run its pre-processing (which does not apply to a graph built
    fused). Other warnings pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        return "pre-processing before quantization" not in record.getMessage()


def build_variant(
    weights: Mapping[str, np.ndarray],
    config: Mapping[str, Any],
    eps: float,
    variant: str,
    encode: Callable[[Sequence[str]], list[list[int]]],
) -> bytes:
    """Serialized model of ``variant`` built from ``weights`` (``encode`` tokenizes the
    calibration sentences of the int8 variant)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown ONNX variant {variant!r}; expected one of {VARIANTS}")
    model = build_model(weights, config, eps)
    if variant == "fp32":
        return model.SerializeToString()
    outliers = find_outliers(model, encode(CALIBRATION_TEXTS))
    split = build_model(weights, config, eps, outliers=outliers)
    with tempfile.TemporaryDirectory(prefix="newsweave-onnx-") as scratch:
        out = Path(scratch) / "int8.onnx"
        quantize_int8(split, out)
        return out.read_bytes()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def default_threads() -> int:
    """Intra-op threads: the ``embed_threads`` setting ($NEWSWEAVE_EMBED_THREADS, else
    $OMP_NUM_THREADS), else the usable cores (at most 4)."""
    given = settings.embed_threads()
    if given is not None:
        return given
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


class OnnxBert:
    """An onnxruntime session over a built graph: (ids, mask) -> unit sentence vectors.

    ``session.run`` is thread-safe, so one instance serves concurrent callers.
    """

    def __init__(self, data: bytes, threads: int, variant: str) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # Idle intra-op threads sleep instead of spinning: with one text per call the threads
        # wait between every small kernel, and on a machine shared with other work spinning
        # threads take the cores the working thread needs (measured on 2 busy cores: 70
        # sentences/s without spinning, 33 with; the vectors are bit-identical).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.variant = variant
        self.threads = threads
        try:
            self._session = ort.InferenceSession(
                data,
                sess_options=options,
                providers=["CPUExecutionProvider"],
                disabled_optimizers=list(DISABLED_OPTIMIZERS),
            )
        except Exception as exc:  # onnxruntime raises its own Exception subclasses
            raise ModelError(
                f"onnxruntime cannot load the {variant} embedding graph: {exc}"
            ) from exc

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """(b, t) token ids and 0/1 mask, right padded -> (b, hidden) float32 unit rows."""
        feeds = {
            "input_ids": np.ascontiguousarray(ids, dtype=np.int32),
            "attention_mask": np.ascontiguousarray(mask, dtype=np.int32),
        }
        (out,) = self._session.run(["embedding"], feeds)
        return np.asarray(out, dtype=np.float32)


def load(
    weights_path: Path,
    load_weights: Callable[[], Mapping[str, np.ndarray]],
    config: Mapping[str, Any],
    eps: float,
    variant: str,
    encode: Callable[[Sequence[str]], list[list[int]]],
    threads: int | None = None,
    use_cache: bool = True,
) -> OnnxBert:
    """A session for ``variant`` of the model whose weights are at ``weights_path``.

    Reads the cache file when one built from the same weights (by SHA-256) loads; otherwise
    builds the model (``load_weights`` is only called then) and writes it to the cache. A cache
    that cannot be written is logged and skipped: the model is then built on every load.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown ONNX variant {variant!r}; expected one of {VARIANTS}")
    n_threads = threads or default_threads()
    cached = cache_path(weights_path, variant) if use_cache else None
    if cached is not None and cached.is_file():
        try:
            runner = OnnxBert(cached.read_bytes(), n_threads, variant)
        except (OSError, ModelError) as exc:
            logger.warning("cached ONNX model %s unusable (%s); rebuilding it", cached, exc)
        else:
            logger.debug("using cached ONNX model %s", cached)
            return runner
    data = build_variant(load_weights(), config, eps, variant, encode)
    runner = OnnxBert(data, n_threads, variant)
    if cached is not None:
        try:
            _write_atomically(cached, data)
            logger.info("built the %s ONNX embedding model; cached as %s", variant, cached)
        except OSError as exc:
            logger.warning("cannot cache the ONNX model in %s: %s", cached.parent, exc)
    return runner
