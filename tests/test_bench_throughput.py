"""The throughput benchmark's plan of runs: older code runs once per worker count too."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_throughput", REPO / "bench" / "throughput.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load()


def test_older_code_runs_first_once_per_worker_count() -> None:
    old = Path("/tmp/old/src")
    modes = ["analyze", "spacy-ner", "spacy-full"]
    assert bench._plan(modes, old, [0, 2]) == [
        ("analyze", old, 0),
        ("analyze", old, 2),
        ("analyze", None, 0),
        ("analyze", None, 2),
        ("spacy-ner", None, None),
        ("spacy-full", None, None),
    ]
    assert bench._plan(modes, old, None)[:2] == [("analyze", old, None), ("analyze", None, None)]
    assert bench._plan(["spacy-ner", "spacy-full"], old, [0]) == [
        ("spacy-ner", None, None),
        ("spacy-full", None, None),
    ]
