"""newsweave: read many news reports of one event and return the cited, structured account they
describe.

Library first: every command of the ``newsweave`` CLI is a thin wrapper over these calls::

    import newsweave
    report = newsweave.analyze(["reports/"], db="newsweave.db", out="report/")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsweave.errors import (
    InputError,
    ModelError,
    NewsweaveError,
    NotFound,
    StoreError,
)
from newsweave.version import __version__

if TYPE_CHECKING:
    from newsweave.pipeline import IngestResult, Pipeline, analyze, demo_path
    from newsweave.report import build_report, write_report
    from newsweave.store import Store

# The pipeline, the report and the store load their models and libraries when first used, so
# that ``import newsweave`` (and ``newsweave --help``) stays quick.
_LAZY = {
    "IngestResult": "newsweave.pipeline",
    "Pipeline": "newsweave.pipeline",
    "analyze": "newsweave.pipeline",
    "demo_path": "newsweave.pipeline",
    "build_report": "newsweave.report",
    "write_report": "newsweave.report",
    "Store": "newsweave.store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newsweave' has no attribute {name!r}")


__all__ = [
    "IngestResult",
    "InputError",
    "ModelError",
    "NewsweaveError",
    "NotFound",
    "Pipeline",
    "Store",
    "StoreError",
    "__version__",
    "analyze",
    "build_report",
    "demo_path",
    "write_report",
]
