"""The package's version, in a module of its own so that the package's modules never import
the package root for it (``pyproject.toml`` states the same number; a test checks)."""

__version__ = "0.1.0"
