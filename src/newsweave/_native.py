"""Native libraries that must be loaded in a given order.

usearch's extension carries its own copy of the C++ runtime. Loaded before any library that
uses the system's C++ runtime, it makes a later ``import onnxruntime`` crash (a segmentation
fault, reproduced with ``import numpy, usearch.index, onnxruntime``). Before newsweave stopped
importing scikit-learn, scipy's linear algebra happened to load the system's runtime first;
:func:`load_cxx_runtime` now does it on purpose, before usearch is imported.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys

_done = False


def load_cxx_runtime() -> None:
    """Load the system's C++ runtime into the global symbol namespace (Linux; once)."""
    global _done
    if _done or not sys.platform.startswith("linux"):
        return
    _done = True
    with contextlib.suppress(OSError):  # no shared C++ runtime: nothing to order
        ctypes.CDLL("libstdc++.so.6", mode=ctypes.RTLD_GLOBAL)
