"""Settings, declared once: each with its name, default, environment variable and help.

The CLI's options take their environment variable and help from here, the web app reads its
token through :func:`value`, the readers and fetchers take their size limit from here, and
``docs/settings.md`` lists :data:`SETTINGS` (a test keeps it in step). Nothing else in the package
reads newsweave's environment variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_INPUT_BYTES",
    "SETTINGS",
    "Setting",
    "default",
    "env",
    "help_of",
    "markdown",
    "value",
]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    env: str | None  # the environment variable that sets it, if any
    help: str


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
        shown = "none" if s.default is None else f"`{s.default}`"
        lines.append(f"| `{s.name}` | {variable} | {shown} | {s.help} |")
    return "\n".join(lines) + "\n"


#: The size limit of every reader (files, WARC records, feed files, decompressed pages).
MAX_INPUT_BYTES: int = default("max_input_bytes")
