"""Articles per second of ``newsweave batch`` in-process and on a local Ray cluster.

The same input (the first N ECB+ documents, written as JSONL files into a temporary folder;
ECB+ is read from ../shared, never copied) is analysed, in one invocation:

* ``local``      ``run_batch(engine="local")``: everything in one process
* ``ray-1``      ``run_batch(engine="ray")`` on a local Ray cluster (127.0.0.1) of 2 CPUs with
                 one analysis actor and one account actor
* ``ray-2``      the same with two actors per stage

Each run is a fresh child process writing a fresh SQLite store; its wall time per stage comes
from :attr:`newsweave.batch.BatchResult.timings`, and the peak memory is the largest sum of the
resident memory of the child and every process below it (Ray's raylet, GCS and workers),
sampled every 0.2 s. The load average before and after each run is printed, since the machine
may be shared.

Usage::

    python bench/scaling.py                 # 200 documents, local, ray-1, ray-2
    python bench/scaling.py --n 50 --only local
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

CONFIGS = {"local": ("local", 0), "ray-1": ("ray", 1), "ray-2": ("ray", 2)}
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(pid: int) -> list[int]:
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    out, todo = [pid], [pid]
    while todo:
        current = todo.pop()
        kids = [p for p, pp in parent.items() if pp == current]
        out += kids
        todo += kids
    return out


def _rss(pids: Sequence[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def child(config: str, inputs: list[str], db: str) -> dict[str, Any]:
    from newsweave.batch import BatchOptions, run_batch

    engine, workers = CONFIGS[config]
    options = BatchOptions(workers=max(workers, 1))
    t0 = time.perf_counter()
    if engine == "ray":
        os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # a cluster on 127.0.0.1 only
        import ray

        ray.init(
            num_cpus=2,
            include_dashboard=False,
            _node_ip_address="127.0.0.1",
            log_to_driver=False,
            configure_logging=False,
        )
    started = time.perf_counter()
    result = run_batch(inputs, engine=engine, db=db, options=options)
    wall = time.perf_counter() - t0
    result.timings["start"] = round(started - t0 + result.timings.get("start", 0.0), 3)
    if engine == "ray":
        import ray

        ray.shutdown()
    return {
        "config": config,
        "articles": result.articles,
        "stories": len(result.stories),
        "shards": result.shards,
        "wall": round(wall, 2),
        "timings": result.timings,
    }


def run(config: str, inputs: list[str], tmp: Path) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    cmd = [
        sys.executable,
        __file__,
        "--child",
        config,
        "--db",
        str(tmp / f"{config}.db"),
        *inputs,
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _rss(_tree(proc.pid)))
        time.sleep(0.2)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"{config} failed (exit {proc.returncode})")
    row: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    row["peak_mb"] = round(peak / 2**20)
    row["load"] = (round(load_before, 2), round(os.getloadavg()[0], 2))
    return row


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=200, help="ECB+ documents (first N by topic)")
    ap.add_argument("--files", type=int, default=4, help="JSONL files the input is split into")
    ap.add_argument("--only", default=",".join(CONFIGS), help="configs, comma-separated")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("inputs", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.inputs, args.db)))
        return 0

    from ecbplus import load_ecbplus, write_jsonl

    docs = load_ecbplus()[: args.n]
    rows = []
    with tempfile.TemporaryDirectory(prefix="nwscale") as tmp_name:
        tmp = Path(tmp_name)
        per = -(-len(docs) // args.files)
        inputs = []
        for i in range(0, len(docs), per):
            path = tmp / f"ecb-{i // per}.jsonl"
            write_jsonl(docs[i : i + per], path)
            inputs.append(str(path))
        for config in args.only.split(","):
            rows.append(run(config, inputs, tmp))
            print(json.dumps(rows[-1]), file=sys.stderr)
    print(f"\n{len(docs)} ECB+ documents, {os.cpu_count()} CPUs\n")
    stages = ["start", "read", "analyse", "stories", "accounts", "write"]
    head = ["config", "articles/s", "articles/s (no start)", "wall s", *stages, "peak MB", "load"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        t = r["timings"]
        work = max(r["wall"] - t.get("start", 0.0), 1e-9)
        cells = [
            r["config"],
            f"{r['articles'] / r['wall']:.2f}",
            f"{r['articles'] / work:.2f}",
            f"{r['wall']:.1f}",
            *(f"{t.get(s, 0.0):.1f}" for s in stages),
            str(r["peak_mb"]),
            f"{r['load'][0]} → {r['load'][1]}",
        ]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
