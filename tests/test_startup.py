"""What a process pays before its first article: the pipeline imports no library it does not
use (scikit-learn for a stop-word list, scipy.special for a table took seconds), and what
replaced them gives the same values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest


def test_the_pipeline_imports_neither_sklearn_nor_scipy_special() -> None:
    code = (
        "import sys, json; import newsweave.pipeline, newsweave.embed, newsweave.report; "
        "print(json.dumps([m for m in ('sklearn', 'scipy.special', 'scipy.stats', 'pandas') "
        "if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_stop_words_are_scikit_learns() -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    from newsweave import stories
    from newsweave._stopwords import ENGLISH_STOP_WORDS

    assert frozenset(text.ENGLISH_STOP_WORDS) == ENGLISH_STOP_WORDS
    assert stories._stop_words() == ENGLISH_STOP_WORDS


def test_gelu_table_is_the_one_scipy_erf_gives() -> None:
    special = pytest.importorskip("scipy.special")
    from newsweave import embed

    limit, step = embed._PHI_LIMIT, embed._PHI_STEP
    grid = np.arange(-limit, limit + 2 * step, step, dtype=np.float64)
    phi = 0.5 * (1.0 + special.erf(grid / np.sqrt(2.0)))
    slopes = np.diff(phi, append=phi[-1])
    assert np.array_equal(embed._PHI_VALUES, phi.astype(np.float32))
    assert np.array_equal(embed._PHI_SLOPES, slopes.astype(np.float32))


def test_write_report_renders_what_the_renderers_give(tmp_path: Path) -> None:
    from newsweave.report import render_html, render_markdown, write_report
    from test_render import make_report  # the render tests' fictional report

    report = make_report()
    report["relations"] = [
        {
            "id": f"r{k}",
            "subject": f"e-{k}",
            "predicate": "inspect",
            "object": f"e-{k + 1}",
            "object_is_entity": True,
            "when": "2025-11",
            "articles": ["a1"],
            "reports": 1,
            "origins": 1,
            "story": "s1",
        }
        for k in range(4)
    ]
    write_report(report, tmp_path)
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == render_markdown(report)
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == render_html(report)


def test_onnxruntime_loads_after_usearch() -> None:
    """usearch carries its own C++ runtime: imported first, it made onnxruntime's import crash
    once nothing else loaded the system's runtime before it (newsweave._native)."""
    code = (
        "import numpy\n"
        "from newsweave.stories import _NearestIndex\n"
        "_NearestIndex(8)\n"
        "import onnxruntime\n"
        "print('loaded')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert out.returncode == 0 and "loaded" in out.stdout, out.stderr[-2000:]
