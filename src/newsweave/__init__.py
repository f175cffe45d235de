"""newsweave: read many news reports of one event and return the cited, structured account they
describe.

Library first: every command of the ``newsweave`` CLI is a thin wrapper over these calls::

    import newsweave
    report = newsweave.analyze(["reports/"], db="newsweave.db", out="report/")
"""

from __future__ import annotations

__version__ = "0.1.0"

from newsweave.errors import (
    InputError,
    ModelError,
    NewsweaveError,
    NotFound,
    StoreError,
)
from newsweave.pipeline import IngestResult, Pipeline, analyze, demo_path
from newsweave.report import build_report, write_report
from newsweave.store import Store

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
