"""Settings, declared once: each with its name, default, environment variable and help.

The CLI's options take their environment variable and help from here, the web app reads its
token through :func:`value`, the readers and fetchers take their size limit from here, the
embedder its engine and threads (:func:`text`, :func:`embed_threads`), the store and the model
builder their folders (:func:`text`, :func:`cache_dir`), and ``docs/settings.md`` lists
:data:`SETTINGS` (a test keeps it in step). Nothing else in the package reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_DB",
    "MAX_INPUT_BYTES",
    "SETTINGS",
    "Setting",
    "cache_dir",
    "default",
    "embed_threads",
    "env",
    "help_of",
    "markdown",
    "text",
    "value",
]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    env: str | None  # the environment variable that sets it, if any
    help: str
    shown: str | None = None  # the default as the docs show it, when it is worked out


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db",
        "newsweave.db",
        "NEWSWEAVE_DB",
        "The store: a SQLite file path or a database URL (postgresql://...).",
    ),
    Setting(
        "token",
        None,
        "NEWSWEAVE_TOKEN",
        "Token for the web app's writes (ingest, delete, re-analyse); required beyond loopback, "
        "at least 16 characters. Empty: no token.",
    ),
    Setting(
        "workers",
        "auto",
        "NEWSWEAVE_WORKERS",
        "Worker processes for the document stage (spaCy and the extractors) and the story "
        "stage (accounts): a number, 0 for none (all in one process), or auto (one per CPU "
        "when there are two or more).",
    ),
    Setting(
        "max_input_bytes",
        20_000_000,
        None,
        "The largest file, archive record, feed file or decompressed web page read, in bytes.",
    ),
    Setting(
        "embed_engine",
        "auto",
        "NEWSWEAVE_EMBED_ENGINE",
        "How sentence embeddings are computed: `auto` (ONNX Runtime int8 when it can be "
        "imported, else numpy), `onnx` (int8), `onnx-int8`, `onnx-fp32` or `numpy`.",
    ),
    Setting(
        "embed_threads",
        None,
        "NEWSWEAVE_EMBED_THREADS",
        "Threads of the sentence encoder.",
        shown="`$OMP_NUM_THREADS`, else the usable cores (at most 4)",
    ),
    Setting(
        "cache_dir",
        None,
        "NEWSWEAVE_CACHE_DIR",
        "Folder of what newsweave builds once and reuses: the ONNX graph built from the packaged "
        "weights, the gazetteer's index, a database server store's state.",
        shown="`$XDG_CACHE_HOME/newsweave`, else `~/.cache/newsweave`",
    ),
    Setting(
        "state_dir",
        None,
        "NEWSWEAVE_STATE_DIR",
        "Where stores keep state derived from them to start faster (the story assigner's "
        "snapshot), one folder per store inside; `off` keeps none (docs/storage.md).",
        shown="`<file>.state` beside a SQLite file; `state-<hash>` in the cache folder for a "
        "server",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def _setting(name: str) -> Setting:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no setting {name!r}; the settings are {sorted(_BY_NAME)}") from None


def default(name: str) -> Any:
    return _setting(name).default


def env(name: str) -> str:
    """The environment variable of a setting (for the CLI's ``envvar=``)."""
    variable = _setting(name).env
    if variable is None:
        raise KeyError(f"setting {name!r} has no environment variable")
    return variable


def help_of(name: str) -> str:
    return _setting(name).help


def value(name: str, given: Any = None, environ: Mapping[str, str] | None = None) -> Any:
    """``given`` when it is not None, else the environment variable's value when it is set,
    else the default."""
    if given is not None:
        return given
    setting = _setting(name)
    environ = os.environ if environ is None else environ
    if setting.env is not None and setting.env in environ:
        return environ[setting.env]
    return setting.default


def text(name: str, given: str | None = None, environ: Mapping[str, str] | None = None) -> Any:
    """A setting written as text: ``given`` when it is not blank, else the environment
    variable's value when it is not blank, else the default; stripped of surrounding blanks."""
    if given is not None and given.strip():
        return given.strip()
    setting = _setting(name)
    environ = os.environ if environ is None else environ
    written = environ.get(setting.env, "").strip() if setting.env else ""
    return written or setting.default


def put(name: str, written: str) -> None:
    """Set a setting for this process and the processes it starts from now on (a worker given
    its share of the threads): the one place besides reading that touches the environment."""
    setting = _setting(name)
    if setting.env is None:
        raise KeyError(f"setting {name!r} has no environment variable")
    os.environ[setting.env] = written


def library_default(variable: str, written: str) -> None:
    """Set another library's environment variable for this process and the processes it starts,
    unless the user set it (Ray's usage statistics off: no network at run time)."""
    os.environ.setdefault(variable, written)


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The ``cache_dir`` setting: ``$NEWSWEAVE_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsweave``,
    else ``~/.cache/newsweave``."""
    environ = os.environ if environ is None else environ
    explicit = text("cache_dir", environ=environ)
    if explicit:
        return Path(explicit).expanduser()
    base = environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base).expanduser() / "newsweave"


def embed_threads(environ: Mapping[str, str] | None = None) -> int | None:
    """The ``embed_threads`` setting: ``$NEWSWEAVE_EMBED_THREADS``, else ``$OMP_NUM_THREADS``,
    when it is a whole number above 0; else None (the caller counts the cores)."""
    environ = os.environ if environ is None else environ
    for written in (text("embed_threads", environ=environ), environ.get("OMP_NUM_THREADS", "")):
        written = (written or "").strip()
        if written.isdigit() and int(written) > 0:
            return int(written)
    return None


def markdown() -> str:
    """The settings as ``docs/settings.md`` lists them."""
    lines = [
        "# Settings",
        "",
        "Declared once in `newsweave/settings.py`; this page is generated from there",
        "(`python -c 'from newsweave import settings; print(settings.markdown(), end=\"\")'`).",
        "",
        "| Setting | Environment variable | Default | What it is |",
        "| --- | --- | --- | --- |",
    ]
    for s in SETTINGS:
        variable = f"`{s.env}`" if s.env else "—"
        shown = s.shown or ("none" if s.default is None else f"`{s.default}`")
        lines.append(f"| `{s.name}` | {variable} | {shown} | {s.help} |")
    return "\n".join(lines) + "\n"


#: The store a command or :meth:`Store.open <newsweave.store.Store.open>` opens when none is named.
DEFAULT_DB: str = default("db")

#: The size limit of every reader (files, WARC records, feed files, decompressed pages).
MAX_INPUT_BYTES: int = default("max_input_bytes")
