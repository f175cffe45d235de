"""Aliases as written and merges of one person's or body's names, on invented reports."""

from __future__ import annotations

from newsweave import entities
from newsweave.model import Article, ArticleAnalysis, Entity, Mention

P = "PERSON"


def _at(aid: str, text: str, *spans: tuple[str, str]) -> tuple[Article, ArticleAnalysis]:
    """An article whose mentions are found in ``text``; a surface followed by ``@n`` is its
    n-th occurrence (from 0)."""
    ms = []
    for spec, label in spans:
        surface, _, nth = spec.partition("@")
        at = -1
        for _ in range(int(nth or 0) + 1):
            at = text.index(surface, at + 1)
        ms.append(Mention(at, at + len(surface), surface, label, 0))
    ms.sort(key=lambda m: m.start)
    return (
        Article(id=aid, content_hash=aid, text=text),
        ArticleAnalysis(article=aid, version="t", mentions=ms),
    )


def resolve(*arts: tuple[Article, ArticleAnalysis]) -> entities.EntityIndex:
    return entities.resolve("s1", [a for a, _ in arts], [b for _, b in arts])


def holding(index: entities.EntityIndex, alias: str) -> list[Entity]:
    return [e for e in index.entities if alias in e.aliases]


def test_a_rank_written_abbreviated_before_a_name_is_an_alias() -> None:
    index = resolve(
        _at(
            "a1",
            "Velmor Police Sgt. Ana Kovrig said the road was shut. Rev. Ivo Drask prayed.",
            ("Velmor Police", "ORG"),
            ("Ana Kovrig", P),
            ("Ivo Drask", P),
        ),
        _at(
            "a2",
            "The ruling came from Selby Court. Kovrig said little.",
            ("Selby Court", "ORG"),
            ("Kovrig", P),
        ),
    )
    (ana,) = holding(index, "Ana Kovrig")
    assert {"Velmor Police Sgt. Ana Kovrig", "Sgt. Ana Kovrig", "Kovrig"} <= set(ana.aliases)
    assert "Rev. Ivo Drask" in holding(index, "Ivo Drask")[0].aliases
    # a sentence ending in a name is no title: "Court." is not "Ct."
    assert not any("Court. Kovrig" in a for a in ana.aliases)
