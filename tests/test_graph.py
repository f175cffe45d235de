"""The actor graph: built from story analyses, exported as JSON, GraphML, GEXF and DOT (quoted
safely), drawn in the HTML report and listed in the Markdown one (text escaped), and the
``newsweave graph`` command."""

from __future__ import annotations

import io
import json

import networkx as nx
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.model import (
    Entity,
    Relation,
    RelationEvidence,
    Story,
    StoryAnalysis,
    to_dict,
)
from newsweave.report import render_html, render_markdown
from newsweave.store import Store
from newsweave.story import graph

EVIL = '<script>alert("x")</script> "quoted" \\ back\nslash'


def _analysis(story_id: str = "s-1") -> StoryAnalysis:
    story = Story(id=story_id, title="Valdez directs the bank", articles=["a1", "a2"])
    entities = [
        Entity("e-valdez", "Anton Valdez", "person", ["Valdez", "Anton Valdez"], ["a1", "a2"], 3),
        Entity("e-bank", "Borlund Bank", "organisation", ["Borlund Bank"], ["a1", "a2"], 2),
        Entity("e-evil", EVIL, "organisation", [EVIL], ["a2"], 1),
    ]
    relations = [
        Relation(
            id="r-1",
            subject="e-valdez",
            predicate="direct",
            object="e-bank",
            wordings=["has instructed", "ordered"],
            articles=["a1", "a2"],
            reports=2,
            origins=2,
            first_article="a1",
            evidence=[
                RelationEvidence(
                    "a1", 0, "Valdez has instructed Borlund Bank to act.", "has instructed"
                ),
                RelationEvidence("a2", 4, "Valdez ordered Borlund Bank to act.", "ordered"),
            ],
        ),
        Relation(
            id="r-2",
            subject="e-evil",
            predicate="announce",
            object=EVIL,
            object_is_entity=False,
            wordings=[EVIL],
            articles=["a2"],
            reports=1,
            origins=1,
            evidence=[RelationEvidence("a2", 1, EVIL, EVIL)],
        ),
    ]
    for r in relations:
        r.story = story_id
    return StoryAnalysis(story=story, entities=entities, relations=relations)


def test_nodes_carry_types_and_aliases_edges_carry_support() -> None:
    g = graph.build_graph([_analysis()])
    assert g.nodes["e-valdez"]["type"] == "person"
    assert "Valdez" in g.nodes["e-valdez"]["aliases"]
    (edge,) = g.get_edge_data("e-valdez", "e-bank").values()
    assert edge["predicate"] == "direct" and edge["origins"] == 2 and edge["reports"] == 2
    assert "has instructed" in edge["wordings"] and "a1" in edge["articles"]
    phrase = graph.phrase_node(EVIL)
    assert g.nodes[phrase]["type"] == "phrase"
    assert graph.build_graph([_analysis()], entities_only=True).number_of_edges() == 1


def test_several_stories_keep_their_entities_apart() -> None:
    g = graph.build_graph([_analysis("s-1"), _analysis("s-2")])
    assert "s-1/e-valdez" in g and "s-2/e-valdez" in g
    assert g.number_of_edges() == 4


def test_every_format_reads_back() -> None:
    g = graph.build_graph([_analysis()])
    data = json.loads(graph.write(g, "json"))
    assert {n["id"] for n in data["nodes"]} >= {"e-valdez", "e-bank"}
    assert any(e["source"] == "e-valdez" and e["target"] == "e-bank" for e in data["edges"])
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        back = reader(io.BytesIO(graph.write(g, fmt).encode()))
        assert back.number_of_edges() == 2, fmt
        assert back.has_edge("e-valdez", "e-bank"), fmt


def test_dot_quotes_every_string() -> None:
    dot = graph.write(graph.build_graph([_analysis()]), "dot")
    assert dot.startswith("digraph actors {") and dot.rstrip().endswith("}")
    assert '\\"quoted\\"' in dot and "\\\\ back\\nslash" in dot
    for line in dot.splitlines():
        # a raw newline or an unescaped quote would end a string early
        body = line.replace('\\"', "")
        assert body.count('"') % 2 == 0, line


def _report() -> dict:
    an = _analysis()
    return {
        "schema": "newsweave.report/1",
        "articles": [{"id": "a1", "source": "Coastwire"}, {"id": "a2", "source": "Ledger"}],
        "stories": [{"id": "s-1", "title": "Valdez", "articles": ["a1", "a2"]}],
        "entities": to_dict(an.entities),
        "facts": [],
        "relations": to_dict(an.relations),
    }


def test_html_draws_the_graph_and_escapes_text() -> None:
    html = render_html(_report())
    assert "<svg" in html and 'href="#s1-rel-1"' in html and 'id="s1-rel-1"' in html
    assert "Valdez has instructed Borlund Bank to act." in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_markdown_lists_relations_escaped() -> None:
    md = render_markdown(_report())
    assert "| **Anton Valdez** | direct | **Borlund Bank** |" in md
    assert "<script>" not in md


def test_graph_command(tmp_path) -> None:
    db = tmp_path / "g.db"
    an = _analysis()
    an.story.articles = []  # the store holds no articles here
    with Store.open(db) as store:
        store.save_story_analysis(an)
    runner = CliRunner()
    result = runner.invoke(app, ["graph", "s-1", "--db", str(db), "--format", "dot"])
    assert result.exit_code == 0, result.output
    assert '"e-valdez" -> "e-bank"' in result.output
    result = runner.invoke(app, ["graph", "--db", str(db), "--format", "gexf"])
    assert result.exit_code == 0 and "<gexf" in result.output
    result = runner.invoke(app, ["graph", "s-404", "--db", str(db)])
    assert result.exit_code == 1
    result = runner.invoke(app, ["graph", "--db", str(db), "--format", "png"])
    assert result.exit_code == 2
