"""Rows to objects and back, declared once per table.

A :class:`RowMap` names the columns that hold a model class's fields (``column <- field``).
Values go through :func:`~newsweave.model.to_dict` and :func:`~newsweave.model.from_dict`, so
nested lists (a conflict's values, an article's dropped lines) are JSON in the row and
dataclasses again when read. With ``data``, the fields no column names go to the row's JSON
``data`` column (relations, timeline entries: a field added to the model needs no migration).
A NULL column gives the field's default when the field has a default factory (an empty list
or dict). The story-stage tables are listed in :data:`RESULTS`, in the order of
:class:`~newsweave.model.StoryAnalysis`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Table

from newsweave.model import (
    Article,
    BriefSentence,
    Claim,
    Conflict,
    Entity,
    Fact,
    Provenance,
    Quote,
    Relation,
    TimelineEntry,
    Unique,
    from_dict,
    to_dict,
)
from newsweave.store import schema as t


@dataclass(frozen=True)
class RowMap:
    """How the objects of one model class are kept in one table."""

    table: Table
    cls: type
    #: ``(column, field)`` pairs; a bare name where the column is named as the field
    columns: tuple[tuple[str, str], ...]
    #: The :class:`~newsweave.model.StoryAnalysis` list kept here ('' for none)
    attr: str = ""
    #: Fields no column names are kept in the JSON column ``data``
    data: bool = False
    #: List columns written as NULL when the list is empty
    empty_as_null: frozenset[str] = frozenset()

    def row(self, item: Any) -> dict[str, Any]:
        """The column values of one object (without the keys the caller adds: story, rank)."""
        plain = to_dict(item)
        row = {
            col: (plain[f] or None) if col in self.empty_as_null else plain[f]
            for col, f in self.columns
        }
        if self.data:
            named = {f for _, f in self.columns} | {"story"}
            row["data"] = {k: v for k, v in plain.items() if k not in named}
        return row

    def rows(self, story_id: str, items: Sequence[Any]) -> list[dict[str, Any]]:
        """The rows of a story's list, ranked in list order."""
        return [{"story_id": story_id, "rank": i, **self.row(x)} for i, x in enumerate(items)]

    def values(self, row: Row[Any]) -> dict[str, Any]:
        """The fields of one row as :func:`~newsweave.model.to_dict` gives them."""
        values = {**row.data} if self.data else {}
        defaults = _factory_fields(self.cls)
        for col, f in self.columns:
            value = row._mapping[col]
            if value is not None or f not in defaults:
                values[f] = value
        return values

    def item(self, row: Row[Any], **extra: Any) -> Any:
        """The object of one row; ``extra`` fields (the story's id, a fact's claims as
        :meth:`values`) are set when the class has them."""
        names = {f.name for f in dataclasses.fields(self.cls)}
        values = self.values(row)
        values.update({k: v for k, v in extra.items() if k in names})
        return from_dict(self.cls, values)


def _factory_fields(cls: type) -> frozenset[str]:
    return frozenset(
        f.name for f in dataclasses.fields(cls) if f.default_factory is not dataclasses.MISSING
    )


def _cols(*names: str, **renamed: str) -> tuple[tuple[str, str], ...]:
    """``(column, field)`` pairs: bare names, then ``column=field``."""
    return tuple((n, n) for n in names) + tuple(renamed.items())


ARTICLES = RowMap(
    t.articles,
    Article,
    _cols(
        "id", "content_hash", "path", "url", "source", "title", "published", "language",
        "words", "text", "credits", "dropped", "meta",
    ),
)  # fmt: skip

ENTITIES = RowMap(
    t.entities,
    Entity,
    _cols("id", "name", "type", "aliases", "articles", "mentions", "roles"),
    "entities",
)
FACTS = RowMap(
    t.facts,
    Fact,
    _cols("id", "text", "reports", "origins", "status", "entities"),
    "facts",
)
#: A fact's claims: rows of their own, ranked within the fact (``fact_id`` set by the caller)
CLAIMS = RowMap(t.claims, Claim, _cols("sentence", "text", article_id="article"))
QUOTES = RowMap(t.quotes, Quote, _cols("text", "speaker", "speaker_name", "articles"), "quotes")
CONFLICTS = RowMap(t.conflicts, Conflict, _cols("kind", "about", "values"), "conflicts")
PROVENANCE = RowMap(
    t.provenance,
    Provenance,
    _cols("origin", "evidence", "detail", "coverage", "passages", article_id="article"),
    "provenance",
    empty_as_null=frozenset({"passages"}),
)
BRIEF = RowMap(t.brief, BriefSentence, _cols("text", "articles", "facts"), "brief")
UNIQUES = RowMap(t.uniques, Unique, _cols("facts", article_id="article"), "unique")
RELATIONS = RowMap(
    t.relations, Relation, _cols("id", "subject", "predicate", "object"), "relations", data=True
)
TIMELINE = RowMap(t.timeline, TimelineEntry, _cols("date"), "timeline", data=True)

#: The tables of a story's account, by the StoryAnalysis list each keeps (claims: see FACTS)
RESULTS = (
    ENTITIES, FACTS, QUOTES, CONFLICTS, PROVENANCE, BRIEF, UNIQUES, RELATIONS, TIMELINE,
)  # fmt: skip
