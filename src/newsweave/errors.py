"""Exceptions raised by newsweave.

    NewsweaveError                 base: catch this to handle every newsweave failure
    ├── InputError                 one input (file, line, URL) cannot be read; the run goes on
    │   ├── UnsupportedFormat      the file type is not one newsweave reads
    │   ├── EmptyInput             nothing left after extraction
    │   ├── BinaryInput            the bytes are not text (an image, a PDF, an archive)
    │   ├── TooLarge               over the configured size limit
    │   ├── DecodeError            the encoding could not be determined
    │   └── InputWarning           part of an input cannot be read (a front matter field); the
    │                              rest is read and stored: a warning, not a skipped input
    ├── StoreError                 the store cannot be opened, migrated or written
    ├── ModelError                 a required model package is missing or broken
    └── NotFound                   a story, article or entity id does not exist in the store

The library never prints; the CLI turns these into one-line messages and exit codes.
"""

from __future__ import annotations


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


class StoreError(NewsweaveError):
    pass


class ModelError(NewsweaveError):
    pass


class NotFound(NewsweaveError):
    pass
