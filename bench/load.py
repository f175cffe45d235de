"""Load check of the web app: the story page and the search API under concurrent requests.

Starts ``newsweave serve`` on loopback in a second process over a store (analysing the demo
corpus into a temporary store when none is given), then runs ``--clients`` concurrent clients for
``--seconds`` against the biggest story's page and the search API, and prints throughput,
p50/p99 latency and errors per target as JSON. Exits non-zero if any request failed.

    .venv/bin/python bench/load.py [--db newsweave.db] [--clients 50] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

QUERIES = ["ferry", "rescue", "minister", "bank", "said", "report", "storm", "president"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(base: str, clients: int, seconds: float) -> dict[str, object]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as probe:
        stories = (await probe.get("/api/stories")).json()["items"]
    story = max(stories, key=lambda s: s["articles"])["id"]
    targets = {"story page": f"/stories/{story}", "search API": "/api/search"}
    stats = {name: {"lat": [], "errors": 0} for name in targets}
    reasons: list[str] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(i: int, http: httpx.AsyncClient) -> None:
        n = i
        while time.perf_counter() < deadline:
            name = "story page" if n % 2 == 0 else "search API"
            params = (
                {"q": QUERIES[n % len(QUERIES)], "kind": "fact"} if name == "search API" else None
            )
            n += 1
            t0 = time.perf_counter()
            try:
                r = await http.get(targets[name], params=params)
                ok = r.status_code == 200
                if not ok:
                    reasons.append(f"HTTP {r.status_code}")
            except httpx.HTTPError as exc:
                ok = False
                reasons.append(type(exc).__name__)
            stats[name]["lat"].append(time.perf_counter() - t0)  # type: ignore[union-attr]
            if not ok:
                stats[name]["errors"] += 1  # type: ignore[operator]

    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(i, http) for i in range(clients)))
        took = time.perf_counter() - started
    out: dict[str, object] = {"clients": clients, "seconds": round(took, 1), "story": story}
    out["error_kinds"] = sorted(set(reasons))
    for name, st in stats.items():
        lat: list[float] = st["lat"]  # type: ignore[assignment]
        out[name] = {
            "requests": len(lat),
            "throughput_rps": round(len(lat) / took, 1),
            "p50_ms": round(pct(lat, 0.50) * 1000, 1),
            "p99_ms": round(pct(lat, 0.99) * 1000, 1),
            "errors": st["errors"],
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an analysed store (default: the demo corpus, analysed now)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("newsweave")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = str(Path(tmp) / "load.db")
            subprocess.run(
                [str(exe), "analyze", "--db", db, "--out", str(Path(tmp) / "r")],
                check=True,
                capture_output=True,
            )
        port = free_port()
        env = dict(os.environ, NEWSWEAVE_TOKEN="")
        server = subprocess.Popen(
            [str(exe), "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    if httpx.get(base + "/api/stories", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            result = asyncio.run(run(base, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(json.dumps(result, indent=2))
    errors = sum(v["errors"] for v in result.values() if isinstance(v, dict))  # type: ignore[misc]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
