"""Exceptions raised by newsweave.

    NewsweaveError                 base: catch this to handle every newsweave failure
    ├── InputError                 one input (file, line, URL) cannot be read; the run goes on
    │   ├── UnsupportedFormat      the file type is not one newsweave reads
    │   ├── EmptyInput             nothing left after extraction
    │   ├── BinaryInput            the bytes are not text (an image, a PDF, an archive)
    │   ├── TooLarge               over the configured size limit
    │   ├── DecodeError            the encoding could not be determined
    │   ├── InputWarning           part of an input cannot be read (a front matter field); the
    │   │                          rest is read and stored: a warning, not a skipped input
    │   ├── FetchError             a URL could not be fetched (network, HTTP status, too slow,
    │   │   │                      too large, too many redirects); ``where`` is the URL
    │   │   ├── UnsafeURL          refused by the safety rules (scheme, credentials, a private
    │   │   │                      address): fix the URL or allow private addresses
    │   │   └── RobotsDisallowed   the site's robots.txt does not allow fetching it
    │   └── WallPage               a paywall, consent or sign-in page: reported, never stored
    ├── StoreError                 the store cannot be opened, migrated or written
    │   └── LockLost               a store lock was lost to another process: nothing more was
    │                              written; run the step again
    ├── ModelError                 a required model package is missing or broken
    └── NotFound                   a story, article or entity id does not exist in the store

The library never prints; the CLI turns these into one-line messages and exit codes.
"""

from __future__ import annotations

from typing import Protocol


class NewsweaveError(Exception):
    """Base class of every error newsweave raises on purpose."""


class InputError(NewsweaveError):
    """One input cannot be used. ``where`` names the file (or file:line, or URL)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class UnsupportedFormat(InputError):
    pass


class EmptyInput(InputError):
    pass


class InputWarning(InputError):
    """A problem with part of an input that is read all the same: the reader yields this warning,
    then the Document for the input. It is an :class:`InputError`, so a caller that knows only
    those reports it as a problem; the input is not skipped for it."""


class BinaryInput(InputError):
    pass


class TooLarge(InputError):
    pass


class DecodeError(InputError):
    pass


class FetchError(InputError):
    """A URL could not be fetched; ``where`` is the URL (:mod:`newsweave.sources.fetch`)."""


class UnsafeURL(FetchError):
    """A URL refused by the safety rules (scheme, credentials, private address)."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow fetching this URL."""


class _Wall(Protocol):
    kind: str  # "paywall" | "consent" | "signin"
    evidence: str


_WALLS = {
    "paywall": "a paywall",
    "consent": "a consent (cookie) wall",
    "signin": "a sign-in page, not an article",
}


class WallPage(InputError):
    """A paywall, consent or sign-in page (:func:`newsweave.sources.paywall.detect_wall`):
    reported, never stored. ``wall`` says which and what gave it away."""

    def __init__(self, where: str, wall: _Wall) -> None:
        what = _WALLS.get(wall.kind, f"a {wall.kind} page")
        super().__init__(where, f"{what} ({wall.evidence}); its text is not stored")
        self.wall = wall


class StoreError(NewsweaveError):
    pass


class LockLost(StoreError):
    """A named lock (:meth:`Store.exclusive <newsweave.store.Store.exclusive>`) on a database
    server was lost with its session (an administrator's pg_terminate_backend, a server
    restart) and another process has taken it since: this process's view of what the lock
    protects is stale, so nothing more is written under it. Not retried; running the step again
    resumes it."""


class ModelError(NewsweaveError):
    pass


class NotFound(NewsweaveError):
    pass
