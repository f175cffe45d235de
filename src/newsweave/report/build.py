"""Build the report dict (schema ``newsweave.report/1``) from the store, without re-analysing.

The contract is documented in ``docs/report.md``; fields listed there are stable, new fields may be
added.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from newsweave import __version__
from newsweave.errors import NotFound
from newsweave.model import Article, StoryAnalysis, to_dict
from newsweave.provenance import derivation_graph
from newsweave.store import Store

SCHEMA = "newsweave.report/1"


def article_entry(article: Article) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": article.id}
    if article.url:
        entry["url"] = article.url
    if article.path or not article.url:
        entry["path"] = article.path
    entry.update(
        source=article.source,
        title=article.title,
        published=article.published,
        language=article.language,
        words=article.words,
        credits=list(article.credits),
    )
    return entry


def build_report(store: Store, story_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """The report over the given stories (all stories when None), from what the store holds."""
    stories = store.stories() if story_ids is None else [store.get_story(s) for s in story_ids]
    analyses: list[StoryAnalysis] = []
    for story in stories:
        analysis = store.load_story_analysis(story.id)
        if analysis is None:
            raise NotFound(
                f"story {story.id} has not been analysed yet; run 'newsweave analyze' first"
            )
        analyses.append(analysis)
    analyses.sort(key=lambda a: (-len(a.story.articles), a.story.id))
    article_ids = [aid for a in analyses for aid in a.story.articles]
    articles = {a.id: a for a in store.iter_articles(article_ids)} if article_ids else {}

    report: dict[str, Any] = {
        "schema": SCHEMA,
        "generator": f"newsweave {__version__}",
        "generated": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "articles": [article_entry(articles[aid]) for aid in article_ids if aid in articles],
        "stories": [],
        "entities": [],
        "facts": [],
        "quotes": [],
        "conflicts": [],
        "provenance": [],
        "brief": [],
        "unique": [],
        "relations": [],
        "derivation": [],
        "timeline": [],
    }
    for analysis in analyses:
        story = analysis.story
        report["stories"].append(
            {"id": story.id, "title": story.title, "articles": list(story.articles)}
        )
        report["entities"].extend(to_dict(analysis.entities))
        report["facts"].extend(to_dict(analysis.facts))
        report["quotes"].extend(to_dict(analysis.quotes))
        report["conflicts"].extend(to_dict(analysis.conflicts))
        report["provenance"].extend(to_dict(analysis.provenance))
        for b in analysis.brief:
            entry = to_dict(b)
            entry["story"] = story.id
            report["brief"].append(entry)
        for u in analysis.unique:
            entry = to_dict(u)
            entry["story"] = story.id
            report["unique"].append(entry)
        report["relations"].extend(to_dict(analysis.relations))
        report["timeline"].extend(to_dict(analysis.timeline))
        sources = {aid: articles[aid].source for aid in story.articles if aid in articles}
        graph = derivation_graph(analysis.provenance, story.articles, sources)
        report["derivation"].append({"story": story.id, **graph})
    return report
