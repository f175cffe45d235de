"""Disjoint sets (union-find) over hashable keys, for the stages that merge things: aliases into
entities, articles into origin groups."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class DisjointSets(Generic[K]):
    def __init__(self, keys: Iterable[K]) -> None:
        self._parent: dict[K, K] = {k: k for k in keys}

    def __contains__(self, key: object) -> bool:
        return key in self._parent

    def add(self, key: K) -> None:
        self._parent.setdefault(key, key)

    def find(self, key: K) -> K:
        parent = self._parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, child: K, root: K) -> None:
        """Put ``child``'s set under ``root``'s representative."""
        a, b = self.find(child), self.find(root)
        if a != b:
            self._parent[a] = b
