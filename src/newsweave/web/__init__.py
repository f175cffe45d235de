"""The analyst's workbench: a web app and a JSON API over the store (``newsweave serve``)."""

from newsweave.web.app import create_app, is_loopback

__all__ = ["create_app", "is_loopback"]
