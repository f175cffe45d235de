"""The actor graph of a story (or of the whole store): entities as nodes, relations as edges.

Built from story analyses as a :class:`networkx.MultiDiGraph`: one node per entity (type,
aliases, roles, reports naming it), one node per phrase object (type ``phrase``), one edge per
relation (predicate, wordings, date, qualifiers such as a rank's value or a deadline, reports,
independent origins, articles, sentences). Written
as JSON (node-link), GraphML, GEXF (both open in Gephi) or Graphviz DOT (written here, every
string quoted and escaped).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from newsweave.model import StoryAnalysis

FORMATS = ("json", "graphml", "gexf", "dot")


def phrase_node(text: str) -> str:
    """The node id of a phrase object."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60] or "x"
    return f"t-{slug}"


def build_graph(analyses: Iterable[StoryAnalysis], entities_only: bool = False) -> nx.MultiDiGraph:
    """The graph of the given story analyses. Entity ids are unique within a story only, so with
    several stories node ids are ``<story>/<entity>``."""
    analyses = list(analyses)
    prefix = len(analyses) > 1
    g = nx.MultiDiGraph()

    def nid(story: str, local: str) -> str:
        return f"{story}/{local}" if prefix else local

    for an in analyses:
        sid = an.story.id
        names = {e.id: e.name for e in an.entities}
        for e in an.entities:
            g.add_node(
                nid(sid, e.id),
                label=e.name,
                type=e.type,
                aliases="; ".join(e.aliases),
                roles="; ".join(e.roles),
                reports=len(e.articles),
                mentions=e.mentions,
                story=sid,
            )
        for r in an.relations:
            if not r.object_is_entity and entities_only:
                continue
            src = nid(sid, r.subject)
            if r.object_is_entity:
                dst = nid(sid, r.object)
            else:
                dst = nid(sid, phrase_node(r.object))
                if dst not in g:
                    g.add_node(dst, label=r.object, type="phrase", reports=0, story=sid)
            for node in (src, dst):
                if node not in g:
                    g.add_node(node, label=node, type="other", story=sid)
            g.add_edge(
                src,
                dst,
                key=r.id,
                id=r.id,
                label=r.predicate if r.modality == "asserted" else f"{r.predicate} ({r.modality})",
                predicate=r.predicate,
                modality=r.modality,
                hedge=r.hedge,
                wordings="; ".join(r.wordings),
                when=r.when or "",
                qualifiers="; ".join(
                    f"{k}: {names.get(v, v)}" for k, v in sorted(r.qualifiers.items())
                ),
                reports=r.reports,
                origins=r.origins,
                weight=r.origins,
                articles=" ".join(r.articles),
                facts=" ".join(r.facts),
                sentences=" | ".join(ev.text for ev in r.evidence),
                story=sid,
            )
    return g


def to_json(g: nx.MultiDiGraph) -> str:
    nodes = [{"id": n, **attrs} for n, attrs in g.nodes(data=True)]
    edges = [{"source": u, "target": v, **attrs} for u, v, attrs in g.edges(data=True)]
    return json.dumps(
        {"directed": True, "nodes": nodes, "edges": edges}, indent=2, ensure_ascii=False
    )


def _dot_quote(value: Any) -> str:
    text = str(value)
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r", " ").replace("\n", "\\n")
    return f'"{text}"'


def to_dot(g: nx.MultiDiGraph) -> str:
    """Graphviz DOT; ids, labels and attributes are always quoted strings."""
    lines = ["digraph actors {", "  rankdir=LR;", '  node [shape=box, style="rounded"];']
    for n, attrs in g.nodes(data=True):
        shape = "ellipse" if attrs.get("type") == "phrase" else "box"
        extra = ", ".join(
            f"{k}={_dot_quote(v)}" for k, v in sorted(attrs.items()) if k not in {"label"}
        )
        lines.append(
            f"  {_dot_quote(n)} [label={_dot_quote(attrs.get('label', n))}, shape={shape}"
            + (f", {extra}" if extra else "")
            + "];"
        )
    for u, v, attrs in g.edges(data=True):
        value = re.search(r"(?:^|; )value: ([^;]+)", attrs.get("qualifiers", ""))
        predicate = attrs.get("predicate", "") + (f" {value.group(1)}" if value else "")
        if attrs.get("modality", "asserted") != "asserted":
            predicate += f" [{attrs['modality']}]"  # "name [hedged]": not a fact
        label = f"{predicate} ({attrs.get('origins', 0)})"
        width = 1 + min(4, int(attrs.get("origins", 0) or 0))
        lines.append(
            f"  {_dot_quote(u)} -> {_dot_quote(v)} [label={_dot_quote(label)}, "
            f"penwidth={width}, id={_dot_quote(attrs.get('id', ''))}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(g: nx.MultiDiGraph, fmt: str) -> str:
    """The graph serialised in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return to_json(g)
    if fmt == "dot":
        return to_dot(g)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(g)) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(g)) + "\n"
    raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(FORMATS)}")
