"""What the pages and the JSON API show, assembled from the store (no HTML here).

Every function returns plain dicts and lists (JSON-ready). Text in them is untrusted article text:
the templates escape it (Jinja2 autoescape), the API returns it as JSON strings.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from newsweave.document import nlp, timex
from newsweave.errors import NotFound
from newsweave.model import Article, ArticleAnalysis, StoryAnalysis, to_dict
from newsweave.report.render import build_view, modality_label
from newsweave.report.view import (
    StoryView,
    article_name,
    load_story_view,
    report_from_views,
    report_name,
)
from newsweave.store import Store
from newsweave.story.entities import normalise
from newsweave.story.story_dates import infer_anchor

log = logging.getLogger(__name__)

WINDOW_DAYS = 120  # the timeline chart's half-width around the story's publication dates
ORIGIN_COLOURS = 8  # CSS classes o0..o7; more groups reuse them (the legend says which is which)


def article_summary(article: Article, story: str | None = None) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "published": article.published,
        "words": article.words,
        "language": article.language,
        "url": article.url,
        "label": article_name(article),
        "story": story,
    }


# --------------------------------------------------------------------------- stories list


def stories_list(store: Store) -> list[dict[str, Any]]:
    """Every story with size, outlets, date span and the first sentence of its brief, newest and
    biggest first (:meth:`Store.story_summaries`: three queries, whatever the number of
    stories)."""
    out: list[dict[str, Any]] = []
    for h in store.story_summaries():
        arts = h["members"]
        dates = sorted(r["published"] for r in arts if r["published"])
        first_title = next((r["title"] for r in arts if r["title"]), None)
        out.append(
            {
                "id": h["id"],
                "title": h["title"] or first_title or h["id"],
                "articles": len(arts),
                "outlets": sorted({r["source"] for r in arts if r["source"]}),
                "first": dates[0] if dates else None,
                "last": dates[-1] if dates else None,
                "analysed": h["analysed"],
                "lead": h["lead"],
            }
        )
    out.sort(key=lambda s: (s["last"] or "", s["articles"], s["id"]), reverse=True)
    return out


# --------------------------------------------------------------------------- graph


def derivation_layout(view: StoryView) -> dict[str, Any]:
    """The story's derivation graph (:attr:`StoryView.derivation`, the graph ``report.json``
    holds) laid out for an SVG: reports and the sources they name in layers, origins on top,
    edges from each copy to its origin, each with the record that found it."""
    numbers = view.numbers
    graph = view.derivation
    names = {n["id"]: n["label"] for n in graph["nodes"] if n["kind"] == "source"}
    # derivation_graph makes one edge per usable record, in order, then the ``published`` ones
    records = [p for p in view.analysis.provenance if p.article and p.origin]
    edges: list[dict[str, Any]] = []
    for k, e in enumerate(graph["edges"]):
        copy, target = e["source"], e["target"]
        if copy not in numbers or (target not in numbers and target not in names):
            continue
        record = records[k] if k < len(records) else None
        origin = names.get(target, target)
        edges.append(
            {
                "copy": copy,
                "origin": origin,
                "target": target,
                "copy_number": numbers.get(copy),
                "origin_number": numbers.get(target),
                "evidence": record.evidence if record else e["kind"],
                "kind": e["kind"],
                "detail": record.detail if record else f"published by {origin}",
                "coverage": record.coverage if record else None,
                "passages": to_dict(record.passages) if record else [],
            }
        )
    sources = list(dict.fromkeys(e["target"] for e in edges if e["target"] in names))
    ups: dict[str, list[str]] = {}
    for e in edges:
        ups.setdefault(e["copy"], []).append(e["target"])
    depth: dict[str, int] = {s: 0 for s in sources}

    def level(node: str, seen: frozenset[str]) -> int:
        if node in depth:
            return depth[node]
        parents = [u for u in ups.get(node, []) if u not in seen]
        d = 1 + max((level(u, seen | {node}) for u in parents), default=-1 if sources else 0)
        d = max(d, 1 if sources else 0)
        depth[node] = d
        return d

    for a in numbers:
        level(a, frozenset())
    layers: dict[int, list[str]] = {}
    for node in [*sources, *numbers]:
        layers.setdefault(depth[node], []).append(node)
    width, row, pad = 760, 90, 40
    pos: dict[str, tuple[float, float]] = {}
    for d, nodes in sorted(layers.items()):
        step = (width - 2 * pad) / max(1, len(nodes))
        for i, node in enumerate(nodes):
            pos[node] = (pad + step * (i + 0.5), pad + row * d)
    height = int(pad * 2 + row * max(layers or {0: []}))
    nodes_out = []
    for node, (x, y) in pos.items():
        is_article = node in numbers
        label = view.name(node) if is_article else names[node]
        nodes_out.append(
            {
                "id": node,
                "kind": "article" if is_article else "source",
                "number": numbers.get(node),
                "label": label,
                "w": 0 if is_article else min(200, 24 + 7 * len(label)),
                "x": round(x, 1),
                "y": round(y, 1),
            }
        )
    for e in edges:
        (x1, y1), (x2, y2) = pos[e["copy"]], pos[e["target"]]
        # stop short of the node circles so the arrowheads show
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1.0
        r = 16
        e["x1"], e["y1"] = round(x1 + dx / dist * r, 1), round(y1 + dy / dist * r, 1)
        e["x2"], e["y2"] = round(x2 - dx / dist * (r + 4), 1), round(y2 - dy / dist * (r + 4), 1)
    return {"width": width, "height": max(height, 2 * pad), "nodes": nodes_out, "edges": edges}


# --------------------------------------------------------------------------- timeline


def timeline(
    analysis: StoryAnalysis,
    articles: Sequence[Article],
    analyses: dict[str, ArticleAnalysis],
    numbers: dict[str, int],
) -> dict[str, Any]:
    """Dated entries of the story, oldest first, and an SVG layout of them (one lane per report).

    Entries come from a ``timeline`` list on the analysis when the story stage provides one;
    otherwise from each report's publication date and the calendar dates its text mentions
    (relative dates in undated reports resolved against the story's inferred anchor)."""
    entries: list[dict[str, Any]] = []
    given = getattr(analysis, "timeline", None)
    if given:
        for item in to_dict(given):
            if not isinstance(item, dict):
                continue
            value = str(item.get("date") or item.get("value") or item.get("when") or "")
            arts = [a for a in item.get("articles") or [] if isinstance(a, str)]
            entries.append(
                {
                    "value": value,
                    "text": str(item.get("text") or item.get("event") or ""),
                    "kind": "event",
                    "article": arts[0] if arts else None,
                    "sentence": None,
                }
            )
    else:
        anchor = infer_anchor(articles)
        for a in articles:
            if a.published:
                entries.append(
                    {
                        "value": a.published[:10],
                        "text": "published",
                        "kind": "published",
                        "article": a.id,
                        "sentence": None,
                    }
                )
            an = analyses.get(a.id)
            if an is None:
                continue
            mentions = an.dates
            if not a.published and anchor:
                mentions = timex.find(a.text, an.sentences, anchor=anchor)
            sentences = {s.index: s.text for s in an.sentences}
            for d in mentions:
                if d.value:
                    entries.append(
                        {
                            "value": d.value,
                            "text": d.text,
                            "kind": "mentioned",
                            "article": a.id,
                            "sentence": " ".join(sentences.get(d.sentence, "").split()),
                        }
                    )
    dated = []
    for e in entries:
        span = timex.interval(e["value"])
        if span is not None:
            e["start"], e["end"] = span[0].isoformat(), span[1].isoformat()
            dated.append((span, e))
    dated.sort(key=lambda p: (p[0][0], p[0][1], numbers.get(p[1]["article"] or "", 0)))
    out = [e for _, e in dated]
    chart: dict[str, Any] = {"width": 760, "lanes": [], "marks": [], "ticks": [], "outside": 0}
    if dated:
        # the chart shows the story's own days: dates far from the publication dates (or, with
        # none, from the median date) are background, listed but not drawn
        pubs = sorted(date.fromisoformat(e["start"]) for _, e in dated if e["kind"] == "published")
        centre = (pubs or sorted(s[0] for s, _ in dated))[len(pubs or dated) // 2].toordinal()
        near = [(s, e) for s, e in dated if abs(s[0].toordinal() - centre) <= WINDOW_DAYS]
        chart["outside"] = len(dated) - len(near)
        dated = near or dated
        lo = min(s[0] for s, _ in dated).toordinal()
        hi = max(s[1] for s, _ in dated).toordinal()
        lo, hi = lo - 2, hi + 2
        left, right, lane_h, top = 150, 740, 26, 24
        scale = (right - left) / max(1, hi - lo)
        drawn = [e for _, e in dated]
        lane_ids = [a.id for a in articles if any(e["article"] == a.id for e in drawn)]
        if any(e["article"] is None for e in drawn):
            lane_ids.append("")
        lane_of = {aid: i for i, aid in enumerate(lane_ids)}
        for aid, i in lane_of.items():
            chart["lanes"].append(
                {"article": aid or None, "number": numbers.get(aid), "y": top + lane_h * i + 13}
            )
        for _, e in dated:
            s, t = date.fromisoformat(e["start"]).toordinal(), date.fromisoformat(e["end"])
            x1 = left + (s - lo) * scale
            x2 = left + (t.toordinal() + 1 - lo) * scale
            chart["marks"].append(
                {
                    "x": round(x1, 1),
                    "w": round(max(x2 - x1, 6.0), 1),
                    "y": top + lane_h * lane_of[e["article"] or ""] + 6,
                    "kind": e["kind"],
                    "title": f"{timex.display(e['value'])}: {e['text']}",
                }
            )
        span_days = hi - lo
        first = date.fromordinal(lo)
        ticks: list[date] = []
        if span_days <= 45:
            step = max(1, math.ceil(span_days / 10))
            ticks = [date.fromordinal(o) for o in range(lo + 1, hi, step)]
        elif span_days > 2000:
            ticks = [date(y, 1, 1) for y in range(first.year + 1, date.fromordinal(hi).year + 1)]
            if len(ticks) > 10:
                stride = math.ceil(len(ticks) / 10)
                ticks = ticks[::stride]
        else:
            y, m = first.year, first.month
            while date(y, m, 1).toordinal() <= hi:
                if date(y, m, 1).toordinal() >= lo:
                    ticks.append(date(y, m, 1))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            if len(ticks) > 12:
                stride = math.ceil(len(ticks) / 12)
                ticks = ticks[::stride]
        for tick in ticks:
            chart["ticks"].append(
                {
                    "x": round(left + (tick.toordinal() - lo) * scale, 1),
                    "label": f"{tick.day} {tick.strftime('%b')}"
                    if span_days <= 45
                    else (tick.strftime("%b %Y") if span_days <= 2000 else str(tick.year)),
                }
            )
        chart["height"] = top + lane_h * len(lane_ids) + 26
        chart["axis_y"] = top + lane_h * len(lane_ids) + 4
        chart["left"], chart["right"] = left, right
    return {"entries": out, "chart": chart}


# --------------------------------------------------------------------------- one story


def _analysis_or_404(store: Store, story_id: str) -> StoryAnalysis:
    store.get_story(story_id)  # NotFound when unknown
    analysis = store.load_story_analysis(story_id)
    if analysis is None:
        raise NotFound(f"story {story_id} has not been analysed yet")
    return analysis


def story_view(store: Store, story_id: str) -> dict[str, Any]:
    """Everything the story page shows, from the story's one read model (:class:`StoryView`,
    the analysis read once): the report's own view of it (``view``, as report.html shows it),
    and the coverage matrix, derivation graph and timeline drawn from the same view."""
    sv = load_story_view(store, story_id)
    analysis = sv.analysis
    group = build_view(report_from_views([sv]))["groups"][0]
    colour = {aid: n % ORIGIN_COLOURS for aid, n in sv.origin_of.items()}
    columns: list[dict[str, Any]] = [
        {
            "id": a.id,
            "number": sv.numbers[a.id],
            "label": sv.names[a.id],
            "origin": sv.origin_of[a.id],
            "colour": colour[a.id],
        }
        for a in sv.articles
    ]
    rows = []
    for f in analysis.facts:
        by_article: dict[str, list[str]] = {}
        for c in f.claims:
            by_article.setdefault(c.article, []).append(c.text)
        cells = []
        for col in columns:
            texts = by_article.get(col["id"])
            cells.append(
                {"article": col["id"], "colour": col["colour"] if texts else None, "texts": texts}
            )
        one_origin = len({sv.origin_of[a] for a in by_article if a in sv.origin_of}) == 1
        rows.append(
            {
                "id": f.id,
                "text": f.text,
                "status": f.status,
                "reports": f.reports,
                "origins": f.origins,
                "one_origin": one_origin and len(by_article) > 1,
                "cells": cells,
            }
        )
    legend = [
        {
            "group": o.number,
            "colour": o.number % ORIGIN_COLOURS,
            "named": o.named,
            "articles": o.articles,
            "label": sv.origin_label(o),
        }
        for o in sv.origins
    ]
    analyses: dict[str, ArticleAnalysis] = {}
    if not analysis.timeline:  # the fallback timeline reads the reports' own dates
        for a in sv.articles:
            an = store.get_analysis(a.id, nlp.VERSION)
            if an is not None:
                analyses[a.id] = an
    return {
        "id": story_id,
        "title": sv.title,
        "fresh": bool(sv.fresh),
        "counts": group["counts"],
        "n_facts": len(analysis.facts),
        "statuses": {
            k: sum(f.status == k for f in analysis.facts)
            for k in ("corroborated", "contested", "single-source")
        },
        "n_origins": len(sv.origins),
        "articles": [
            dict(
                article_summary(a, story_id),
                number=sv.numbers[a.id],
                origin=sv.origin_of[a.id],
            )
            for a in sv.articles
        ],
        "view": group,
        "matrix": {"columns": columns, "rows": rows, "legend": legend},
        "graph": derivation_layout(sv),
        "timeline": timeline(analysis, sv.articles, analyses, sv.numbers),
        "analysis": to_dict(analysis),
    }


def story_api(view: dict[str, Any]) -> dict[str, Any]:
    """The story view without the render-only parts (the HTML view model)."""
    data = {k: v for k, v in view.items() if k not in ("view", "analysis")}
    an = view["analysis"]
    for key in ("brief", "facts", "quotes", "conflicts", "provenance", "unique"):
        data[key] = an.get(key, [])
    data["entities"] = an.get("entities", [])
    data["relations"] = an.get("relations", [])
    data["graph"] = {k: view["graph"][k] for k in ("nodes", "edges")}
    return data


# --------------------------------------------------------------------------- one article


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """An article's text cut into annotated segments: sentences (claims linked to their facts),
    and within them entity mentions, dates and quotes."""
    article = store.get_article(article_id)
    story_id = store.story_of(article_id)
    analysis = store.get_analysis(article_id, nlp.VERSION)
    story = store.load_story_analysis(story_id) if story_id else None
    fact_of: dict[int, list[dict[str, str]]] = {}
    entity_of: dict[str, str] = {}
    if story is not None:
        for f in story.facts:
            for c in f.claims:
                if c.article == article_id:
                    fact_of.setdefault(c.sentence, []).append({"id": f.id, "status": f.status})
        for e in story.entities:
            for alias in [e.name, *e.aliases]:
                entity_of.setdefault(normalise(alias), e.id)
    text = article.text
    paragraphs: list[list[dict[str, Any]]] = []
    counts = {"mentions": 0, "dates": 0, "quotes": 0, "claims": 0}
    if analysis is None:
        paragraphs = [
            [
                {
                    "kind": "plain",
                    "index": None,
                    "facts": [],
                    "segments": [{"text": t, "classes": []}],
                }
            ]
            for t in text.split("\n\n")
        ]
    else:
        marks: list[tuple[int, int, str, dict[str, Any]]] = []
        for m in analysis.mentions:
            marks.append(
                (
                    m.start,
                    m.end,
                    "ent",
                    {"label": m.label, "entity": entity_of.get(normalise(m.text))},
                )
            )
        for d in analysis.dates:
            marks.append((d.start, d.end, "date", {"value": d.value}))
        for q in analysis.quotes:
            marks.append((q.start, q.end, "quote", {"speaker": q.speaker_text}))
        counts["mentions"], counts["dates"] = len(analysis.mentions), len(analysis.dates)
        counts["quotes"] = len(analysis.quotes)
        current: list[dict[str, Any]] = []
        para = None
        for s in analysis.sentences:
            if para is not None and s.paragraph != para and current:
                paragraphs.append(current)
                current = []
            para = s.paragraph
            facts = fact_of.get(s.index, [])
            counts["claims"] += bool(facts)
            inside = [mk for mk in marks if mk[0] < s.end and mk[1] > s.start]
            cuts = {s.start, s.end}
            for a, b, _, _ in inside:
                cuts.update({max(a, s.start), min(b, s.end)})
            points = sorted(cuts)
            segments = []
            for a, b in itertools.pairwise(points):
                active = [mk for mk in inside if mk[0] <= a and mk[1] >= b]
                classes = sorted({mk[2] for mk in active})
                info: dict[str, Any] = {}
                for mk in active:
                    info.update({k: v for k, v in mk[3].items() if v is not None})
                segments.append({"text": text[a:b], "classes": classes, **info})
            current.append(
                {
                    "kind": s.kind,
                    "index": s.index,
                    "facts": facts,
                    "segments": segments,
                }
            )
        if current:
            paragraphs.append(current)
    named: dict[str, str] = {}
    only: list[dict[str, str]] = []
    if story is not None:
        names = {e.id: e.name for e in story.entities}
        for block in paragraphs:
            for sent in block:
                for seg in sent["segments"]:
                    eid = seg.get("entity")
                    if eid and eid in names:
                        named.setdefault(eid, names[eid])
        fact_text = {f.id: f.text for f in story.facts}
        for u in story.unique:
            if u.article == article_id:
                only = [{"id": f, "text": fact_text[f]} for f in u.facts if f in fact_text]
    return {
        "entities": [{"id": k, "name": v} for k, v in named.items()],
        "only_here": only,
        "article": article_summary(article, story_id),
        "credits": article.credits,
        "file": report_name(path=article.path) if article.path else None,
        "story_title": story.story.title if story else None,
        "paragraphs": paragraphs,
        "counts": counts,
        "analysed": analysis is not None,
    }


# --------------------------------------------------------------------------- one entity


def entity_view(store: Store, entity_id: str) -> dict[str, Any]:
    """An entity (ids are names made slugs, so one id across stories is one name) with the
    stories it appears in, its aliases, and the facts and quotes about or by it."""
    found = []
    names: list[str] = []
    aliases: list[str] = []
    roles: list[str] = []
    etype = None
    for story in store.stories():
        an = store.load_story_analysis(story.id)
        if an is None:
            continue
        ent = next((e for e in an.entities if e.id == entity_id), None)
        if ent is None:
            continue
        etype = etype or ent.type
        names.append(ent.name)
        aliases.extend(a for a in ent.aliases if a not in aliases)
        roles.extend(r for r in ent.roles if r not in roles)
        facts = [
            {"id": f.id, "text": f.text, "status": f.status, "reports": f.reports}
            for f in an.facts
            if entity_id in f.entities
        ]
        quotes = [
            {"text": q.text, "speaker_name": q.speaker_name, "articles": q.articles}
            for q in an.quotes
            if q.speaker == entity_id
        ]
        ent_names = {e.id: e.name for e in an.entities}
        relations = []
        for r in to_dict(getattr(an, "relations", None) or []):
            if not isinstance(r, dict) or entity_id not in (r.get("subject"), r.get("object")):
                continue
            obj = str(r.get("object"))
            relations.append(
                {
                    "subject": ent_names.get(str(r.get("subject")), str(r.get("subject"))),
                    "subject_id": r.get("subject") if r.get("subject") in ent_names else None,
                    "predicate": str(r.get("predicate") or ""),
                    "modality_label": modality_label(
                        str(r.get("modality") or "asserted"), str(r.get("hedge") or "")
                    ),
                    "object": ent_names.get(obj, obj) if r.get("object_is_entity", True) else obj,
                    "object_id": obj if obj in ent_names else None,
                    "when": r.get("when"),
                }
            )
        found.append(
            {
                "id": story.id,
                "relations": relations,
                "title": an.story.title or story.id,
                "mentions": ent.mentions,
                "articles": ent.articles,
                "facts": facts,
                "quotes": quotes,
            }
        )
    if not found:
        raise NotFound(f"no entity {entity_id} in any analysed story")
    name = max(set(names), key=names.count)
    return {
        "id": entity_id,
        "name": name,
        "type": etype,
        "aliases": [a for a in aliases if a.casefold() != name.casefold()],
        "roles": roles,
        "stories": found,
    }


# --------------------------------------------------------------------------- CSV exports


def _csv(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        # a cell that a spreadsheet would read as a formula is prefixed with a quote
        writer.writerow(
            ["'" + c if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row]
        )
    return buf.getvalue()


def facts_csv(analysis: StoryAnalysis) -> str:
    rows: list[list[Any]] = [["id", "story", "text", "status", "reports", "origins", "articles"]]
    for f in analysis.facts:
        arts = " ".join(dict.fromkeys(c.article for c in f.claims))
        rows.append([f.id, analysis.story.id, f.text, f.status, f.reports, f.origins, arts])
    return _csv(rows)


def entities_csv(analysis: StoryAnalysis) -> str:
    rows: list[list[Any]] = [["id", "story", "name", "type", "aliases", "roles", "mentions"]]
    for e in analysis.entities:
        rows.append(
            [
                e.id,
                analysis.story.id,
                e.name,
                e.type,
                " | ".join(e.aliases),
                " | ".join(e.roles),
                e.mentions,
            ]
        )
    return _csv(rows)
