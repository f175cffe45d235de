"""The read model: one story as every output shows it, built once from what the store holds.

A :class:`StoryView` is a story's stored :class:`~newsweave.model.StoryAnalysis` with its reports,
and what every reader of it needs and must agree on: the reports' citation numbers and names,
the independent-origin groups (by the story stage's rule, so the colours of the web page and the
counts of the report are the same groups) and the derivation graph. ``report.json`` is written
from views (:func:`report_from_views`), Markdown and HTML render that, and the web's story page
renders one view (``newsweave.web.views``).

Reports are named one way everywhere (:func:`report_name`): the outlet and the headline, else the
outlet and the date, else the file name, else the web address; never an id or a local path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from newsweave.errors import NotFound
from newsweave.model import Article, StoryAnalysis, to_dict
from newsweave.store import Store
from newsweave.story.provenance import derivation_graph, origin_key
from newsweave.version import __version__

SCHEMA = "newsweave.report/1"


def report_name(
    *,
    source: str | None = None,
    title: str | None = None,
    published: str | None = None,
    path: str | None = None,
    url: str | None = None,
) -> str:
    """How a report is named to a reader: "Outlet — Headline", else "Outlet, 2031-04-02", else
    its file name (never the folders before it), else its web address, else "untitled report"."""
    source, title = " ".join((source or "").split()), " ".join((title or "").split())
    if title:
        return f"{source} — {title}" if source else title
    date = (published or "")[:10]
    if source:
        return f"{source}, {date}" if date else source
    if path:
        name = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
        if name:
            return name
    if url:
        return " ".join(url.split())
    return "untitled report"


def article_name(article: Article) -> str:
    return report_name(
        source=article.source,
        title=article.title,
        published=article.published,
        path=article.path,
        url=article.url,
    )


@dataclass
class Origin:
    """One independent origin of a story: the reports that rest on it (one another's text, or
    one named source), and the sources they name."""

    number: int  # 0, 1, ... in the order of the story's reports
    articles: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)  # the sources these reports name, as written

    def label(self, names: dict[str, str]) -> str:
        return ", ".join(self.named) or names.get(self.articles[0], "a report")


def origins_of(graph: dict[str, Any], article_ids: Sequence[str]) -> list[Origin]:
    """The independent origins of a story from its derivation graph (as
    :func:`newsweave.story.provenance.derivation_graph` makes it, or as ``report.json`` holds it),
    among ``article_ids``, numbered in their order; each with the sources its reports name or
    are published by. The groups are the story stage's: the counts of every fact rest on them."""
    position = {aid: k for k, aid in enumerate(dict.fromkeys(article_ids))}
    groups = [
        sorted((a for a in group if a in position), key=position.__getitem__)
        for group in graph.get("groups") or []
        if isinstance(group, list)
    ]
    groups = sorted((g for g in groups if g), key=lambda g: position[g[0]])
    seen = {a for g in groups for a in g}
    groups += [[a] for a in position if a not in seen]  # a report the graph does not know
    groups.sort(key=lambda g: position[g[0]])
    origins = [Origin(k, list(g)) for k, g in enumerate(groups)]
    number = {aid: o.number for o in origins for aid in o.articles}
    labels = {
        n.get("id"): n.get("label")
        for n in graph.get("nodes") or []
        if isinstance(n, dict) and n.get("kind") == "source"
    }
    for edge in graph.get("edges") or []:
        if not isinstance(edge, dict):
            continue
        name, aid = labels.get(edge.get("target")), edge.get("source")
        if isinstance(name, str) and aid in number:
            named = origins[number[aid]].named
            if all(origin_key(n) != origin_key(name) for n in named):
                named.append(" ".join(name.split()))
    return origins


@dataclass
class StoryView:
    """One story as the report and the web show it. Build with :meth:`build` (from objects) or
    :func:`load_story_views` (from the store); nothing in it reads the store again."""

    analysis: StoryAnalysis
    articles: list[Article]  # the story's reports the store holds, in the story's order
    numbers: dict[str, int]  # article id -> citation number (1-based, in the whole report)
    names: dict[str, str]  # article id -> the report's name (:func:`report_name`)
    origins: list[Origin]
    origin_of: dict[str, int]  # article id -> its :class:`Origin` number
    derivation: dict[str, Any]  # :func:`newsweave.story.provenance.derivation_graph`
    fresh: bool | None = None  # the analysis was made from the story's current reports

    @classmethod
    def build(
        cls,
        analysis: StoryAnalysis,
        articles: Iterable[Article],
        *,
        first_number: int = 1,
        fresh: bool | None = None,
    ) -> StoryView:
        by_id = {a.id: a for a in articles}
        ordered = [by_id[aid] for aid in dict.fromkeys(analysis.story.articles) if aid in by_id]
        ids = [a.id for a in ordered]
        graph = derivation_graph(analysis.provenance, ids, {a.id: a.source for a in ordered})
        origins = origins_of(graph, ids)
        return cls(
            analysis=analysis,
            articles=ordered,
            numbers={aid: first_number + k for k, aid in enumerate(ids)},
            names={a.id: article_name(a) for a in ordered},
            origins=origins,
            origin_of={aid: o.number for o in origins for aid in o.articles},
            derivation=graph,
            fresh=fresh,
        )

    @property
    def id(self) -> str:
        return self.analysis.story.id

    @property
    def title(self) -> str:
        return self.analysis.story.title or next(
            (a.title for a in self.articles if a.title), self.id
        )

    def name(self, article_id: str) -> str:
        return self.names.get(article_id, "a report not in the store")

    def origin_label(self, origin: Origin) -> str:
        return origin.label(self.names)


def load_story_views(
    store: Store, story_ids: Iterable[str] | None = None, *, freshness: bool = False
) -> list[StoryView]:
    """The views of the given stories (every story when None), most reports first, each
    analysis read once and the reports in one query. Raises NotFound for an unknown or
    unanalysed story. ``freshness``: also ask whether each analysis is current."""
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
    ids = [aid for a in analyses for aid in a.story.articles]
    articles = {a.id: a for a in store.iter_articles(ids)} if ids else {}
    views: list[StoryView] = []
    first = 1
    for analysis in analyses:
        view = StoryView.build(
            analysis,
            [articles[aid] for aid in analysis.story.articles if aid in articles],
            first_number=first,
            fresh=store.story_analysis_fresh(analysis.story.id) if freshness else None,
        )
        first += len(view.articles)
        views.append(view)
    return views


def load_story_view(store: Store, story_id: str) -> StoryView:
    """One story's view, with whether its analysis is current (for the web's story page)."""
    return load_story_views(store, [story_id], freshness=True)[0]


# --------------------------------------------------------------------------- report.json


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


def report_from_views(views: Sequence[StoryView]) -> dict[str, Any]:
    """The report dict (schema ``newsweave.report/1``, documented in ``docs/report.md``) of these
    story views, in their order. Every per-story entry carries its story's id."""
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "generator": f"newsweave {__version__}",
        "generated": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "articles": [article_entry(a) for v in views for a in v.articles],
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
    for view in views:
        analysis, story = view.analysis, view.analysis.story
        report["stories"].append(
            {"id": story.id, "title": story.title, "articles": list(story.articles)}
        )
        for key in ("entities", "facts", "quotes", "conflicts", "provenance", "relations"):
            report[key].extend(to_dict(getattr(analysis, key)))
        report["timeline"].extend(to_dict(analysis.timeline))
        for key in ("brief", "unique"):
            for item in getattr(analysis, key):
                entry = to_dict(item)
                entry["story"] = story.id
                report[key].append(entry)
        report["derivation"].append({"story": story.id, **view.derivation})
    return report
