"""Render a report dict (schema ``newsweave.report/1``) as Markdown and as one HTML page.

The report dict is built elsewhere (``newsweave.report.build``). Every string in it comes from
article text and is treated as untrusted: the HTML goes through Jinja2 with autoescape on (no
``|safe`` on data anywhere), and the Markdown escapes Markdown control characters and HTML.
Links are only made for http(s) URLs.

Both outputs share one *view*: the report regrouped per story (most articles first), with
citations resolved to stable numbers (an article's 1-based position in ``report["articles"]``)
and anchors. Unknown fields are ignored, missing optional ones tolerated.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2

from newsweave.document.timex.values import display
from newsweave.report.view import origins_of, report_name
from newsweave.story.provenance import edge_kind

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"

STATUS_LABELS: dict[str, str] = {
    "corroborated": "corroborated",
    "single-source": "single source",
    "contested": "contested",
}
EVIDENCE_LABELS: dict[str, str] = {
    "attribution": "names it as source",
    "reuse": "reuses its text",
    "credit": "credits it",
}
TYPE_ORDER = ["person", "organisation", "organization", "place", "group", "product", "event"]
TYPE_LABELS: dict[str, str] = {
    "person": "People",
    "organisation": "Organisations",
    "organization": "Organisations",
    "place": "Places",
    "group": "Groups",
    "product": "Products",
    "event": "Events",
    "other": "Other",
}
SECTIONS: list[tuple[str, str]] = [
    ("brief", "Brief"),
    ("facts", "Facts"),
    ("conflicts", "Where reports disagree"),
    ("timeline", "Timeline"),
    ("quotes", "Quotes"),
    ("entities", "Who and what"),
    ("relations", "Actor graph"),
    ("provenance", "Where it comes from"),
    ("unique", "What each report alone adds"),
    ("articles", "Articles"),
]

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_WS_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------- tolerant getters


def _s(value: Any) -> str:
    """A display string: None -> "", whitespace (newlines included) collapsed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return _WS_RE.sub(" ", value).strip()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [x for x in _list(value) if isinstance(x, dict)]


def _strs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(x) for x in _list(value) if x is not None]


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _date(value: Any) -> str:
    text = _s(value)
    match = _DATE_RE.match(text)
    return match.group(0) if match else text


def _timestamp(value: Any) -> str:
    """An ISO timestamp for reading ("2031-04-02 10:00 UTC"); other text as it is."""
    text = _s(value)
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    shown = stamp.strftime("%Y-%m-%d %H:%M")
    offset = stamp.utcoffset()
    if offset is None:
        return shown
    if offset == timedelta(0):
        return shown + " UTC"
    return shown + " " + stamp.strftime("%z")


def safe_url(value: Any) -> str | None:
    """The URL, percent-encoded where needed, when it is an absolute http(s) URL; else None."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or any(ord(c) < 0x20 or c.isspace() for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Keep reserved characters, encode anything that could break out of a Markdown link
    # destination or an attribute: spaces, quotes, <, >, (, ), backslash, backtick.
    return quote(text, safe=":/?#[]@!$&*+,;=%~-._")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~])")
_MD_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def md(value: Any) -> str:
    """Escape text for inline Markdown: HTML is made inert, Markdown controls are literal.

    Newlines are collapsed, so the text never starts a line of its own inside the output;
    list and heading markers are still escaped when the text itself starts with one.
    """
    text = _s(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text
    )


# --------------------------------------------------------------------------- the view


@dataclass
class Cite:
    label: str  # "3", or "?" for an article id not in the report
    href: str | None  # "#art-3"
    tip: str  # "Source — Title" (plain text; escaped by the renderer)
    article: str  # the article id as given


@dataclass
class Group:
    """One story with everything that belongs to it."""

    index: int
    anchor: str
    title: str
    story_id: str | None
    article_ids: list[str] = field(default_factory=list)
    brief: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    provenance: list[dict[str, Any]] = field(default_factory=list)
    unique: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)


def _cite_key(cite: Cite) -> tuple[bool, int]:
    """Known articles by number, unknown ones last."""
    return (cite.href is None, int(cite.label) if cite.href else 0)


class _View:
    """Resolves ids to numbers, anchors and names, and regroups the report per story."""

    def __init__(self, report: dict[str, Any]) -> None:
        if not isinstance(report, dict):
            raise TypeError("report must be a dict")
        self.report = report
        self.articles = _dicts(report.get("articles"))
        self.art_num: dict[str, int] = {}
        self.art_by_id: dict[str, dict[str, Any]] = {}
        for n, art in enumerate(self.articles, start=1):
            aid = _s(art.get("id")) or f"#{n}"
            self.art_num.setdefault(aid, n)
            self.art_by_id.setdefault(aid, art)
        self.facts = _dicts(report.get("facts"))
        self.fact_by_id: dict[str, dict[str, Any]] = {}
        self.fact_anchor: dict[str, str] = {}
        for k, fact in enumerate(self.facts, start=1):
            fid = _s(fact.get("id"))
            if fid and fid not in self.fact_by_id:
                self.fact_by_id[fid] = fact
                self.fact_anchor[fid] = f"fact-{k}"
        self.entity_by_id: dict[str, dict[str, Any]] = {}
        for ent in _dicts(report.get("entities")):
            eid = _s(ent.get("id"))
            if eid:
                self.entity_by_id.setdefault(eid, ent)
        self.derivation: dict[str, dict[str, Any]] = {}
        for entry in _dicts(report.get("derivation")):
            self.derivation.setdefault(_s(entry.get("story")), entry)
        self.groups = self._make_groups()
        self.anchored: set[str] = set()

    # ---------------------------------------------------------------- articles and citations

    def art_label(self, aid: str) -> str:
        """The report's name (:func:`newsweave.report.view.report_name`), never its id."""
        art = self.art_by_id.get(aid)
        if art is None:
            return "a report not in this report"
        return report_name(
            source=_s(art.get("source")),
            title=_s(art.get("title")),
            published=_date(art.get("published")),
            path=_s(art.get("path")),
            url=_s(art.get("url")),
        )

    def cite(self, aid: Any) -> Cite:
        aid = _s(aid)
        n = self.art_num.get(aid)
        if n is None:
            return Cite("?", None, f"article {aid} is not in this report", aid)
        return Cite(str(n), f"#art-{n}", self.art_label(aid), aid)

    def cites(self, ids: Iterable[Any]) -> list[Cite]:
        seen: set[str] = set()
        out: list[Cite] = []
        for aid in ids:
            key = _s(aid)
            if key and key not in seen:
                seen.add(key)
                out.append(self.cite(key))
        return sorted(out, key=_cite_key)

    def article_row(self, aid: str) -> dict[str, Any]:
        art = self.art_by_id.get(aid, {})
        n = self.art_num.get(aid)
        url = _s(art.get("url"))
        path = _s(art.get("path"))
        words = _int(art.get("words"))
        return {
            "n": n,
            "anchor": f"art-{n}" if n is not None else None,
            "id": aid,
            "source": _s(art.get("source")),
            "title": _s(art.get("title")),
            "published": _date(art.get("published")),
            "url": url,
            "href": safe_url(url),
            "path": path,
            # a file is shown by its name: the folders before it are the user's machine's
            "file": path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] if path else "",
            "name": self.art_label(aid),
            "words": words,
            "language": _s(art.get("language")),
            "credits": [_s(c) for c in _strs(art.get("credits")) if _s(c)],
        }

    # ---------------------------------------------------------------- grouping

    def _make_groups(self) -> list[Group]:
        stories = _dicts(self.report.get("stories"))
        ordered = sorted(
            enumerate(stories),
            key=lambda p: (-len(_strs(p[1].get("articles"))), p[0]),
        )
        groups: list[Group] = []
        story_index: dict[str, int] = {}
        article_group: dict[str, int] = {}
        for _, story in ordered:
            gi = len(groups)
            sid = _s(story.get("id")) or None
            title = _s(story.get("title")) or f"Story {gi + 1}"
            ids = list(dict.fromkeys(_s(a) for a in _strs(story.get("articles")) if _s(a)))
            groups.append(Group(gi, f"s{gi + 1}", title, sid, ids))
            if sid:
                story_index.setdefault(sid, gi)
            for aid in ids:
                article_group.setdefault(aid, gi)
        leftover_articles = [a for a in self.art_num if a not in article_group]
        self._story_index = story_index
        self._article_group = article_group

        leftovers: dict[str, list[dict[str, Any]]] = {}
        self._fact_group: dict[str, int] = {}
        for fact in self.facts:
            placed = self._place(fact, [], [c.get("article") for c in _dicts(fact.get("claims"))])
            fid = _s(fact.get("id"))
            if placed is not None and fid:
                self._fact_group.setdefault(fid, placed)

        def distribute(kind: str, items: list[dict[str, Any]], facts_of: Any, arts_of: Any) -> None:
            for item in items:
                gi = self._place(item, facts_of(item), arts_of(item))
                if gi is None and len(groups) == 1:
                    gi = 0
                if gi is None:
                    leftovers.setdefault(kind, []).append(item)
                else:
                    getattr(groups[gi], kind).append(item)

        distribute(
            "facts",
            self.facts,
            lambda f: [f.get("id")],
            lambda f: [c.get("article") for c in _dicts(f.get("claims"))],
        )
        distribute(
            "brief",
            _dicts(self.report.get("brief")),
            lambda b: _strs(b.get("facts")),
            lambda b: _strs(b.get("articles")),
        )
        distribute(
            "conflicts",
            _dicts(self.report.get("conflicts")),
            lambda c: [c.get("about")],
            lambda c: [a for v in _dicts(c.get("values")) for a in _strs(v.get("articles"))],
        )
        distribute(
            "quotes",
            _dicts(self.report.get("quotes")),
            lambda q: [],
            lambda q: _strs(q.get("articles")),
        )
        distribute(
            "entities",
            _dicts(self.report.get("entities")),
            lambda e: [],
            lambda e: _strs(e.get("articles")),
        )
        distribute(
            "provenance",
            _dicts(self.report.get("provenance")),
            lambda p: [],
            lambda p: [p.get("article")],
        )
        distribute(
            "unique",
            _dicts(self.report.get("unique")),
            lambda u: _strs(u.get("facts")),
            lambda u: [u.get("article")],
        )
        distribute(
            "relations",
            _dicts(self.report.get("relations")),
            lambda r: _strs(r.get("facts")),
            lambda r: _strs(r.get("articles")),
        )
        distribute(
            "timeline",
            _dicts(self.report.get("timeline")),
            lambda e: [e.get("fact")],
            lambda e: _strs(e.get("articles")),
        )
        if leftover_articles or leftovers:
            gi = len(groups)
            title = "All reports" if not groups else "Not assigned to a story"
            group = Group(gi, f"s{gi + 1}", title, None, leftover_articles)
            for kind, items in leftovers.items():
                getattr(group, kind).extend(items)
            groups.append(group)
        return groups

    def _place(self, item: dict[str, Any], fact_ids: list[Any], art_ids: list[Any]) -> int | None:
        """The group an item belongs to: its story, else its facts' story, else its articles'."""
        sid = _s(item.get("story"))
        if sid and sid in self._story_index:
            return self._story_index[sid]
        votes: dict[int, int] = {}
        for fid in fact_ids:
            gi = self._fact_group.get(_s(fid))
            if gi is not None:
                votes[gi] = votes.get(gi, 0) + 1
        if not votes:
            for aid in art_ids:
                gi = self._article_group.get(_s(aid))
                if gi is not None:
                    votes[gi] = votes.get(gi, 0) + 1
        if not votes:
            return None
        return min(votes, key=lambda g: (-votes[g], g))

    # ---------------------------------------------------------------- per-section views

    def fact_text(self, fid: Any) -> str:
        fact = self.fact_by_id.get(_s(fid))
        return _s(fact.get("text")) if fact else ""

    def claims_by_article(self, fact: dict[str, Any]) -> list[dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for claim in _dicts(fact.get("claims")):
            aid = _s(claim.get("article"))
            row = rows.setdefault(aid, {"cite": self.cite(aid), "texts": []})
            text = _s(claim.get("text"))
            if text:
                index = _int(claim.get("sentence"))  # 0-based; shown 1-based
                row["texts"].append(
                    {"text": text, "sentence": index + 1 if index is not None else None}
                )
        return sorted(rows.values(), key=lambda r: _cite_key(r["cite"]))

    def build(self) -> dict[str, Any]:
        out_groups = []
        for g in self.groups:
            out_groups.append(self._group_view(g))
        report = self.report
        return {
            "schema": _s(report.get("schema")),
            "generated": _s(report.get("generated")),
            "generated_display": _timestamp(report.get("generated")),
            "generator": _s(report.get("generator")),
            "page_title": (
                "newsweave report: " + self.groups[0].title if self.groups else "newsweave report"
            ),
            "totals": {
                "articles": len(self.articles),
                "stories": len(_dicts(report.get("stories"))),
                "facts": len(self.facts),
                "outlets": len({_s(a.get("source")) for a in self.articles if _s(a.get("source"))}),
                "no_outlet": sum(not _s(a.get("source")) for a in self.articles),
            },
            "groups": out_groups,
            "sections": SECTIONS,
        }

    def _group_view(self, g: Group) -> dict[str, Any]:
        # Every article is in exactly one group's table (articles outside every story go to the
        # last group), so every citation of a known article has an anchor. An article listed by
        # two stories is anchored in the first.
        rows = []
        for aid in g.article_ids:
            if aid in self.art_by_id:
                row = self.article_row(aid)
                row["anchor"] = None if aid in self.anchored else row["anchor"]
                self.anchored.add(aid)
                rows.append(row)
        rows.sort(key=lambda r: r["n"] or 0)
        sources = {r["source"] for r in rows if r["source"]}
        graph = self.derivation.get(g.story_id or "")
        independent = (
            [
                {
                    "label": o.label({r["id"]: r["name"] for r in rows}),
                    "cites": self.cites(o.articles),
                    "named": o.named,
                }
                for o in origins_of(graph, [r["id"] for r in rows])
            ]
            if graph is not None
            else None
        )
        dates = sorted(r["published"] for r in rows if _DATE_RE.match(r["published"] or ""))
        span = ""
        if dates:
            span = dates[0] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}"
        missing = [aid for aid in g.article_ids if aid not in self.art_by_id]

        brief = []
        for b in g.brief:
            supports = []
            for fid in _strs(b.get("facts")):
                fact = self.fact_by_id.get(_s(fid))
                if fact is None:
                    continue
                supports.append(
                    {
                        "text": _s(fact.get("text")),
                        "anchor": self.fact_anchor.get(_s(fid)),
                        "status": _s(fact.get("status")),
                        "claims": self.claims_by_article(fact),
                    }
                )
            brief.append(
                {
                    "text": _s(b.get("text")),
                    "cites": self.cites(_strs(b.get("articles"))),
                    "supports": supports,
                }
            )

        facts = []
        for fact in g.facts:
            fid = _s(fact.get("id"))
            status = _s(fact.get("status")) or "unknown"
            claims = self.claims_by_article(fact)
            facts.append(
                {
                    "id": fid,
                    "anchor": self.fact_anchor.get(fid),
                    "text": _s(fact.get("text")),
                    "status": status,
                    "status_class": status if status in STATUS_LABELS else "unknown",
                    "status_label": STATUS_LABELS.get(status, status),
                    "reports": _int(fact.get("reports")),
                    "origins": _int(fact.get("origins")),
                    "claims": claims,
                    "n_claims": sum(max(1, len(r["texts"])) for r in claims),
                    "cites": [r["cite"] for r in claims],
                }
            )

        conflicts = []
        for c in g.conflicts:
            about = _s(c.get("about"))
            about_fact = self.fact_by_id.get(about)
            conflicts.append(
                {
                    "kind": _s(c.get("kind")) or "other",
                    "about": _s(about_fact.get("text")) if about_fact else about,
                    "about_anchor": self.fact_anchor.get(about) if about_fact else None,
                    "values": [
                        {
                            "value": display(_s(v.get("value")))
                            if _s(c.get("kind")) == "date"
                            else _s(v.get("value")),
                            "text": _s(v.get("text")),
                            "cites": self.cites(_strs(v.get("articles"))),
                        }
                        for v in _dicts(c.get("values"))
                    ],
                }
            )

        quotes = []
        for q in g.quotes:
            name = _s(q.get("speaker_name"))
            if not name:
                ent = self.entity_by_id.get(_s(q.get("speaker")))
                name = _s(ent.get("name")) if ent else ""
            quotes.append(
                {
                    "text": _s(q.get("text")),
                    "speaker": name or "Unattributed",
                    "attributed": bool(name),
                    "cites": self.cites(_strs(q.get("articles"))),
                }
            )

        by_type: dict[str, list[dict[str, Any]]] = {}
        for e in g.entities:
            etype = _s(e.get("type")).lower() or "other"
            name = _s(e.get("name")) or _s(e.get("id"))
            aliases = [
                _s(a) for a in _strs(e.get("aliases")) if _s(a) and _s(a).lower() != name.lower()
            ]
            arts = [a for a in dict.fromkeys(_strs(e.get("articles")))]
            by_type.setdefault(etype, []).append(
                {
                    "id": _s(e.get("id")),
                    "name": name,
                    "aliases": list(dict.fromkeys(aliases)),
                    "n_articles": len(arts),
                    "mentions": _int(e.get("mentions")),
                    "cites": self.cites(arts),
                    "roles": [_s(r) for r in _strs(e.get("roles")) if _s(r)],
                }
            )
        for ents in by_type.values():
            ents.sort(key=lambda x: (-x["n_articles"], -(x["mentions"] or 0), x["name"].lower()))
        type_keys = sorted(
            by_type,
            key=lambda t: (TYPE_ORDER.index(t) if t in TYPE_ORDER else len(TYPE_ORDER), t),
        )
        entities = [
            {"type": t, "label": TYPE_LABELS.get(t, t.capitalize()), "items": by_type[t]}
            for t in type_keys
        ]

        origins: dict[str, dict[str, Any]] = {}
        for p in g.provenance:
            origin = _s(p.get("origin")) or "unknown origin"
            entry = origins.get(origin)
            if entry is None:
                is_article = origin in self.art_num
                entry = {
                    "origin": origin,
                    "is_article": is_article,
                    "cite": self.cite(origin) if is_article else None,
                    "label": self.art_label(origin) if is_article else origin,
                    "derived": [],
                }
                origins[origin] = entry
            evidence = _s(p.get("evidence"))
            evidence_label = EVIDENCE_LABELS.get(evidence, evidence or "unspecified")
            kind = edge_kind(p)
            coverage = p.get("coverage")
            if evidence == "reuse" and isinstance(coverage, (int, float)):
                share = f"{float(coverage):.0%}"
                evidence_label = (
                    f"restates {share} of its facts, in other words"
                    if kind == "rewrite"
                    else f"reuses its text ({share} of the report)"
                )
            detail = _s(p.get("detail"))
            passages = [  # the reused passages, but the one the detail quotes already
                _s(x.get("text"))
                for x in (p.get("passages") or [])
                if isinstance(x, dict)
                and _s(x.get("text"))
                and _s(x.get("text"))[:60] not in detail
            ]
            entry["derived"].append(
                {
                    "cite": self.cite(p.get("article")),
                    "label": self.art_label(_s(p.get("article"))),
                    "evidence": evidence,
                    "evidence_label": evidence_label,
                    "detail": _s(p.get("detail")),
                    "kind": kind,
                    "coverage": coverage if isinstance(coverage, (int, float)) else None,
                    "passages": passages[:3],
                }
            )
        provenance = sorted(
            origins.values(),
            key=lambda o: (-len({d["cite"].article for d in o["derived"]}), o["label"].lower()),
        )
        for entry in provenance:
            entry["n_articles"] = len({d["cite"].article for d in entry["derived"]})

        unique: list[dict[str, Any]] = []
        for u in g.unique:
            texts = [
                {"text": self.fact_text(fid), "anchor": self.fact_anchor.get(_s(fid))}
                for fid in _strs(u.get("facts"))
                if self.fact_text(fid)
            ]
            if texts:
                aid = _s(u.get("article"))
                unique.append(
                    {"cite": self.cite(aid), "label": self.art_label(aid), "facts": texts}
                )
        unique.sort(key=lambda u: _cite_key(u["cite"]))

        return {
            "anchor": g.anchor,
            "index": g.index + 1,
            "title": g.title,
            "id": g.story_id,
            "counts": {
                "articles": len(rows),
                "outlets": len(sources),
                "no_outlet": sum(not r["source"] for r in rows),
                "origins": len(independent) if independent is not None else None,
                "span": span,
            },
            "origins": independent or [],
            "brief": brief,
            "facts": facts,
            "conflicts": conflicts,
            "quotes": quotes,
            "entities": entities,
            "n_entities": len(g.entities),
            "provenance": provenance,
            "unique": unique,
            "relations": self.relations_view(g),
            "timeline": self.timeline_view(g),
            "articles": rows,
            "missing_articles": missing,
        }

    # ---------------------------------------------------------------- timeline

    def timeline_view(self, g: Group) -> list[dict[str, Any]]:
        """The story's dated events in order, each with its reports' wordings of the date."""
        out: list[dict[str, Any]] = []
        for e in g.timeline:
            fid = _s(e.get("fact"))
            wordings = [
                {
                    "text": _s(x.get("text")),
                    "value": _s(x.get("value")),
                    "value_display": display(_s(x.get("value"))),
                    "cite": self.cite(a),
                }
                for x in _dicts(e.get("expressions"))
                if (a := _s(x.get("article")))
            ]
            out.append(
                {
                    "date": _s(e.get("date")),
                    "date_display": display(_s(e.get("date"))),
                    "precision": _s(e.get("precision")),
                    "role": _s(e.get("role")) or "point",
                    "text": _s(e.get("text")),
                    "fact": fid or None,
                    "fact_anchor": self.fact_anchor.get(fid) if fid else None,
                    "cites": self.cites(_strs(e.get("articles"))),
                    "wordings": wordings,
                    "inferred": bool(e.get("inferred")),
                    "note": _s(e.get("note")),
                    "disputed": bool(e.get("disputed")),
                }
            )
        return out

    # ---------------------------------------------------------------- relations (actor graph)

    def relations_view(self, g: Group) -> dict[str, Any]:
        """The story's relations as rows (with the sentences behind each) and a drawing: node
        positions laid out here (no script needed), edges weighted by independent origins."""
        rows: list[dict[str, Any]] = []
        for k, r in enumerate(g.relations, start=1):
            subject = self._entity_name(r.get("subject"))
            is_entity = bool(r.get("object_is_entity", True))
            obj = self._entity_name(r.get("object")) if is_entity else _s(r.get("object"))
            evidence = []
            for ev in _dicts(r.get("evidence")):
                index = _int(ev.get("sentence"))
                evidence.append(
                    {
                        "cite": self.cite(ev.get("article")),
                        "text": _s(ev.get("text")),
                        "wording": _s(ev.get("wording")),
                        "sentence": index + 1 if index is not None else None,
                        "modality_label": modality_label(
                            _s(ev.get("modality")) or "asserted", _s(ev.get("hedge"))
                        ),
                    }
                )
            conflicts = []
            for c in _dicts(r.get("conflicts")):
                raw_values = c.get("values")
                values: dict[str, Any] = raw_values if isinstance(raw_values, dict) else {}
                conflicts.append(
                    {
                        "kind": _s(c.get("kind")),
                        "values": [
                            {"value": _s(v), "cites": self.cites(_strs(arts))}
                            for v, arts in values.items()
                        ],
                    }
                )
            raw_q = r.get("qualifiers")
            qualifiers: dict[str, Any] = raw_q if isinstance(raw_q, dict) else {}
            modality = _s(r.get("modality")) or "asserted"
            hedge = _s(r.get("hedge"))
            rows.append(
                {
                    "anchor": f"{g.anchor}-rel-{k}",
                    "subject_id": _s(r.get("subject")),
                    "object_id": _s(r.get("object")) if is_entity else "",
                    "subject": subject,
                    "predicate": _s(r.get("predicate")),
                    "object": obj,
                    "object_is_entity": is_entity,
                    "wordings": [_s(w) for w in _strs(r.get("wordings")) if _s(w)],
                    "when": _s(r.get("when")),
                    "when_display": display(_s(r.get("when"))) if _s(r.get("when")) else "",
                    "qualifiers": [
                        {"key": _s(key), "value": self._entity_name(v) or _s(v)}
                        for key, v in sorted(qualifiers.items())
                    ],
                    "reports": _int(r.get("reports")),
                    "origins": _int(r.get("origins")) or 0,
                    "cites": self.cites(_strs(r.get("articles"))),
                    "evidence": evidence,
                    "conflicts": conflicts,
                    "modality": modality,
                    "hedge": hedge,
                    "modality_label": modality_label(modality, hedge),
                }
            )
        return {"rows": rows, "drawing": graph_layout(rows)}

    def _entity_name(self, eid: Any) -> str:
        ent = self.entity_by_id.get(_s(eid))
        return (_s(ent.get("name")) or _s(eid)) if ent else _s(eid)


#: How a relation's modality reads next to it ("asserted" says nothing).
_MODALITY_WORDS = {"hedged": "hedged", "negated": "denied / did not", "planned": "not yet done"}


def modality_label(modality: str, hedge: str = "") -> str:
    """What a reader is told about how the reports state a relation: "" when they assert it,
    else "hedged: may", "not yet done: will", "denied / did not"."""
    word = _MODALITY_WORDS.get(modality)
    if word is None:
        return ""
    return f"{word}: {hedge}" if hedge else word


GRAPH_WIDTH = 880
GRAPH_HEIGHT = 520
GRAPH_MAX_EDGES = 60
#: How far apart the labels of several edges between one pair of nodes are stacked
EDGE_LABEL_STEP = 12
#: Where along an edge its label sits (0 at the subject, 1 at the object; the arrow is at 0.5)
EDGE_LABEL_AT = 0.62
_NODE_CLASSES = {"person", "organisation", "place", "product", "event", "phrase"}


def _pack_components(g: Any) -> tuple[dict[str, tuple[float, float]], float]:
    """Positions of the nodes of ``g``: each connected part laid out on its own (Kamada-Kawai,
    deterministic) in a box sized by its number of nodes, the boxes placed in rows across
    :data:`GRAPH_WIDTH`, biggest first; and the drawing's height."""
    import math

    import networkx as nx

    pad_x, pad_y, gap = 90.0, 30.0, 50.0
    usable = GRAPH_WIDTH - 2 * pad_x
    parts = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    at: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for part in parts:
        n = len(part)
        w = min(usable, 150.0 * math.sqrt(n) + (60.0 if n > 1 else 0.0))
        h = 30.0 if n <= 2 else min(0.8 * w, 90.0 * math.sqrt(n))
        if n == 1:
            pos = {part[0]: (0.5, 0.5)}
        elif n == 2:
            pos = {part[0]: (0.0, 0.5), part[1]: (1.0, 0.5)}
        else:
            raw = nx.kamada_kawai_layout(g.subgraph(part))
            xs = [float(p[0]) for p in raw.values()]
            ys = [float(p[1]) for p in raw.values()]
            sx, sy = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
            x0, y0 = min(xs), min(ys)
            pos = {k: ((float(p[0]) - x0) / sx, (float(p[1]) - y0) / sy) for k, p in raw.items()}
        if x > 0 and x + w > usable:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        for node, (px, py) in pos.items():
            at[node] = (round(pad_x + x + px * w, 1), round(pad_y + y + py * h, 1))
        x += w + gap
        row_h = max(row_h, h)
    return at, round(y + row_h + 2 * pad_y, 1)


def _short(label: str) -> str:
    return label if len(label) <= 28 else label[:27] + "…"


def _label_width(label: str) -> float:
    """The width of a node's box: 7 px a character (the drawing's 12 px type) and a margin."""
    return round(7.0 * len(label) + 14, 1)


def graph_layout(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The actor graph's drawing, for the HTML report and the web app. ``rows``: relations with
    ``subject``/``subject_id``, ``object``/``object_id``, ``object_is_entity``, ``predicate``,
    ``origins``, ``reports`` and ``anchor`` (the id each edge links to). Node positions come
    from a seeded force layout (the same report draws the same picture); the best-supported
    edges first, at most :data:`GRAPH_MAX_EDGES`; entities drawn as boxes, phrases as plain
    labels."""
    if not rows:
        return None
    import networkx as nx

    # the actors' graph: relations between entities (a phrase object, "graphics cards", is
    # listed in the table, not drawn), unless the story has no such relation
    between = [r for r in rows if r["object_is_entity"]] or rows
    shown = sorted(between, key=lambda r: (-r["origins"], -(r["reports"] or 0)))[:GRAPH_MAX_EDGES]
    g = nx.Graph()
    names: dict[str, tuple[str, str]] = {}
    for r in shown:
        src = "e:" + (r["subject_id"] or r["subject"])
        dst = ("e:" + r["object_id"]) if r["object_is_entity"] else "t:" + r["object"]
        names[src] = (r["subject"], "entity")
        names[dst] = (r["object"], "entity" if r["object_is_entity"] else "phrase")
        r["_ends"] = (src, dst)
        g.add_edge(src, dst)
    at, height = _pack_components(g)
    for n, (x, y) in list(at.items()):  # a box wider than the margin stays inside the drawing
        half = _label_width(_short(names[n][0])) / 2 + 2
        at[n] = (round(min(max(x, half), GRAPH_WIDTH - half), 1), y)
    nodes = []
    for n in sorted(g.nodes):
        label, kind = names[n]
        short = _short(label)
        nodes.append(
            {
                "x": at[n][0],
                "y": at[n][1],
                "label": short,
                "title": label,
                "kind": kind,
                "w": _label_width(short),
            }
        )
    edges = []
    between_pair: dict[frozenset[str], int] = {}  # edges drawn so far between two nodes
    for r in shown:
        src, dst = r.pop("_ends")
        mood = f" ({r['modality_label']})" if r.get("modality_label") else ""
        (x1, y1), (x2, y2) = at[src], at[dst]
        # the labels of several edges between one pair are stacked, not written over each other
        nth = between_pair.get(frozenset((src, dst)), 0)
        between_pair[frozenset((src, dst))] = nth + 1
        edges.append(
            {
                "x1": x1,
                "y1": y1,
                "x2": x2,
                "y2": y2,
                "mx": round((x1 + x2) / 2, 1),
                "my": round((y1 + y2) / 2, 1),
                # the label past the arrowhead drawn at the middle, toward the object
                "lx": round(x1 + (x2 - x1) * EDGE_LABEL_AT, 1),
                "ly": round(y1 + (y2 - y1) * EDGE_LABEL_AT - 4 + nth * EDGE_LABEL_STEP, 1),
                "width": 1 + min(5, r["origins"]),
                "href": "#" + r["anchor"],
                "label": r["predicate"] + mood,
                "title": f"{r['subject']} {r['predicate']} {r['object']}{mood}",
                "modality": r.get("modality") or "asserted",
            }
        )
    return {
        "width": GRAPH_WIDTH,
        "height": height,
        "nodes": nodes,
        "edges": edges,
        "omitted": len(rows) - len(shown),
    }


def build_view(report: dict[str, Any]) -> dict[str, Any]:
    """The report regrouped per story with citations resolved; shared by both renderers."""
    return _View(report).build()


# --------------------------------------------------------------------------- Markdown


def _md_cites(cites: list[Cite]) -> str:
    parts = []
    for c in cites:
        if c.href:
            parts.append(f"[[{c.label}]]({c.href})")
        else:
            parts.append("\\[?\\]")
    return "".join(parts)


def _md_count(n: int | None, one: str, many: str) -> str:
    if n is None:
        return ""
    return f"{n} {one if n == 1 else many}"


def _md_outlets(n: int, unknown: int) -> str:
    text = _md_count(n, "outlet", "outlets")
    if unknown:
        text += f" ({_md_count(unknown, 'report', 'reports')} with no known outlet)"
    return text


def _md_cell(value: Any) -> str:
    return md(value) or " "


def _md_group(g: dict[str, Any]) -> list[str]:
    a = g["anchor"]
    out: list[str] = [f'<a id="{a}"></a>', "", f"## {g['index']}. {md(g['title'])}", ""]
    counts = g["counts"]
    meta = [
        _md_count(counts["articles"], "article", "articles"),
        _md_outlets(counts["outlets"], counts["no_outlet"]),
    ]
    if counts["origins"] is not None:
        meta.append(_md_count(counts["origins"], "independent origin", "independent origins"))
    if counts["span"]:
        meta.append(md(counts["span"]))
    out += [" · ".join(meta), ""]

    def section(key: str, title: str) -> None:
        out.extend([f'<a id="{a}-{key}"></a>', "", f"### {title}", ""])

    section("brief", "Brief")
    if g["brief"]:
        for b in g["brief"]:
            out.append(f"- {md(b['text'])} {_md_cites(b['cites'])}".rstrip())
    else:
        out.append("No brief was written for this story.")
    out.append("")

    section("facts", "Facts")
    if g["facts"]:
        for k, f in enumerate(g["facts"], start=1):
            anchor = f'<a id="{f["anchor"]}"></a>' if f["anchor"] else ""
            bits = [f"`{md(f['status_label'])}`"]
            if f["reports"] is not None:
                bits.append(_md_count(f["reports"], "report", "reports"))
            if f["origins"] is not None:
                bits.append(_md_count(f["origins"], "independent origin", "independent origins"))
            out.append(f"{k}. {anchor}**{md(f['text'])}** — {' · '.join(bits)}")
            for row in f["claims"]:
                for t in row["texts"] or [{"text": ""}]:
                    out.append(f"   - {_md_cites([row['cite']])} {md(t['text'])}".rstrip())
    else:
        out.append("No facts were found for this story.")
    out.append("")

    section("conflicts", "Where reports disagree")
    if g["conflicts"]:
        for c in g["conflicts"]:
            about = md(c["about"]) or "unspecified"
            if c["about_anchor"]:
                about = f"[{about}](#{c['about_anchor']})"
            out += [f"**{md(c['kind'])}** — {about}", ""]
            out += ["| Value | As written | Reported by |", "| --- | --- | --- |"]
            for v in c["values"]:
                who = "; ".join(f"{_md_cites([ci])} {md(ci.tip)}" for ci in v["cites"])
                out.append(f"| **{_md_cell(v['value'])}** | {_md_cell(v['text'])} | {who or ' '} |")
            out.append("")
    else:
        out += ["The reports do not disagree on any fact found.", ""]

    section("timeline", "Timeline")
    if g["timeline"]:
        out += ["| Date | Event | Reported by |", "| --- | --- | --- |"]
        for e in g["timeline"]:
            when = {"end": "by ", "start": "since "}.get(e["role"], "") + e["date_display"]
            flags = []
            if e["inferred"]:
                flags.append("date inferred" + (f": {e['note']}" if e["note"] else ""))
            if e["disputed"]:
                flags.append("reports disagree on this date")
            event = md(e["text"])
            if e["fact_anchor"]:
                event += f" ([fact](#{e['fact_anchor']}))"
            if flags:
                event += " *(" + "; ".join(md(f) for f in flags) + ")*"
            who = "; ".join(
                f"{_md_cites([w['cite']])} “{md(w['text'])}”" for w in e["wordings"]
            ) or _md_cites(e["cites"])
            # event and who are Markdown already (their text escaped, their links live)
            out.append(f"| **{_md_cell(when)}** | {event or ' '} | {who or ' '} |")
        out.append("")
    else:
        out += ["No dated events were found.", ""]

    section("quotes", "Quotes")
    if g["quotes"]:
        for q in g["quotes"]:
            speaker = f"**{md(q['speaker'])}**" if q["attributed"] else "*Unattributed*"
            out += [f"> “{md(q['text'])}”", f"> — {speaker} {_md_cites(q['cites'])}".rstrip(), ""]
    else:
        out += ["No quotes were found.", ""]

    section("entities", "Who and what")
    if g["entities"]:
        for t in g["entities"]:
            out += [f"#### {md(t['label'])}", ""]
            for e in t["items"]:
                line = f"- **{md(e['name'])}**"
                if e["aliases"]:
                    line += " (also: " + ", ".join(md(x) for x in e["aliases"]) + ")"
                if e["roles"]:
                    line += " · " + "; ".join(md(x) for x in e["roles"])
                line += " — " + _md_count(e["n_articles"], "article", "articles")
                if e["mentions"] is not None:
                    line += ", " + _md_count(e["mentions"], "mention", "mentions")
                out.append(line)
            out.append("")
    else:
        out += ["No people, organisations or places were found.", ""]

    section("relations", "Actor graph")
    if g["relations"]["rows"]:
        out += [
            "| Subject | Relation | Object | When | Reports | Origins | Cited | Worded |",
            "| --- | --- | --- | --- | ---: | ---: | --- | --- |",
        ]
        for r in g["relations"]["rows"]:
            obj = f"**{md(r['object'])}**" if r["object_is_entity"] else md(r["object"])
            worded = "; ".join(md(w) for w in r["wordings"])
            if r["conflicts"]:
                worded += (
                    " (reports disagree: "
                    + "; ".join(
                        f"{md(c['kind'])} " + " vs ".join(md(v["value"]) for v in c["values"])
                        for c in r["conflicts"]
                    )
                    + ")"
                )
            predicate = md(r["predicate"])
            if r.get("modality_label"):
                predicate += f" *({md(r['modality_label'])})*"
            out.append(
                f"| **{md(r['subject'])}** | {predicate} | {obj} | "
                f"{_md_cell(r['when_display'])} | {r['reports'] or 0} | {r['origins']} | "
                f"{_md_cites(r['cites']) or ' '} | {worded or ' '} |"
            )
        out.append("")
    else:
        out += ["No relations between the entities were found.", ""]

    section("provenance", "Where it comes from")
    if g["origins"]:
        n = _md_count(len(g["origins"]), "independent origin", "independent origins")
        out += [f"{n}:", ""]
        out += [f"- {_md_cites(o['cites'])} {md(o['label'])}" for o in g["origins"]]
        out.append("")
    if g["provenance"]:
        for o in g["provenance"]:
            origin = (
                f"{_md_cites([o['cite']])} {md(o['label'])}" if o["is_article"] else md(o["label"])
            )
            n = _md_count(o["n_articles"], "report", "reports")
            out.append(f"- From **{origin}** ({n}):")
            for d in o["derived"]:
                line = f"  - {_md_cites([d['cite']])} {md(d['label'])}: {md(d['evidence_label'])}"
                if d["detail"]:
                    line += f" — “{md(d['detail'])}”"
                out.append(line)
                for passage in d.get("passages", []):
                    out.append(f"    - reused: “{md(passage)}”")
        out.append("")
    else:
        out += ["No report was traced to another report or to a named source.", ""]

    section("unique", "What each report alone adds")
    if g["unique"]:
        for u in g["unique"]:
            out.append(f"- {_md_cites([u['cite']])} {md(u['label'])}:")
            for f in u["facts"]:
                out.append(f"  - {md(f['text'])}")
        out.append("")
    else:
        out += ["No report adds a fact that the others lack.", ""]

    section("articles", "Articles")
    if g["articles"]:
        out += [
            "| # | Source | Title | Published | Link or file | Words | Language |",
            "| ---: | --- | --- | --- | --- | ---: | --- |",
        ]
        for r in g["articles"]:
            num = f'<a id="{r["anchor"]}"></a>{r["n"]}' if r["anchor"] else str(r["n"])
            source = md(r["source"])
            if r["credits"]:
                source += " (credits: " + ", ".join(md(c) for c in r["credits"]) + ")"
            link = f"[{md(r['url'])}]({r['href']})" if r["href"] else md(r["url"] or r["file"])
            words = "" if r["words"] is None else str(r["words"])
            out.append(
                f"| {num} | {source or ' '} | {_md_cell(r['title'])} | "
                f"{_md_cell(r['published'])} | {link or ' '} | {words or ' '} | "
                f"{_md_cell(r['language'])} |"
            )
    else:
        out.append("No articles.")
    out.append("")
    return out


def render_markdown(report: dict[str, Any], view: dict[str, Any] | None = None) -> str:
    """The report as Markdown: every string from the report is escaped. ``view``: the
    report's :func:`build_view`, when the caller has it already."""
    view = build_view(report) if view is None else view
    t = view["totals"]
    out = ["# newsweave report", ""]
    meta = []
    if view["generated"]:
        meta.append(f"Generated {md(view['generated_display'])}")
    if view["generator"]:
        meta.append(f"by {md(view['generator'])}")
    summary = " · ".join(
        x
        for x in (
            _md_count(t["articles"], "article", "articles"),
            _md_outlets(t["outlets"], t["no_outlet"]),
            _md_count(t["stories"], "story", "stories"),
            _md_count(t["facts"], "fact", "facts"),
        )
        if x
    )
    out += [(" ".join(meta) + (" · " if meta else "") + summary), ""]
    if not view["groups"]:
        out += ["This report has no stories and no articles.", ""]
        return "\n".join(out)
    out += ["## Contents", ""]
    for g in view["groups"]:
        links = " · ".join(f"[{title}](#{g['anchor']}-{key})" for key, title in view["sections"])
        out.append(f"- [{g['index']}. {md(g['title'])}](#{g['anchor']}) — {links}")
    out.append("")
    for g in view["groups"]:
        out += _md_group(g)
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- HTML


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(report: dict[str, Any], view: dict[str, Any] | None = None) -> str:
    """The report as one self-contained HTML page (inline CSS, no external assets). ``view``:
    the report's :func:`build_view`, when the caller has it already."""
    view = build_view(report) if view is None else view
    template = _environment().get_template("report.html.j2")
    return template.render(view=view, status_labels=STATUS_LABELS)


# --------------------------------------------------------------------------- files


def write_report(report: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """Write report.json, report.md and report.html into ``out_dir`` (created); return the paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "report.json", folder / "report.md", folder / "report.html"]
    data = json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"
    view = build_view(report)  # once for both pages (the actor graphs' layout is slow)
    texts = [data, render_markdown(report, view), render_html(report, view)]
    for path, text in zip(paths, texts, strict=True):
        # a temporary file renamed over the old one: a crash (or a full disk) mid-write leaves
        # the previous report whole, never a truncated one
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        log.info("wrote %s", path)
    return paths
