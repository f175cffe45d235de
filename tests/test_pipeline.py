"""The pipeline and the CLI end to end: idempotent, resumable ingest; bad inputs reported and
skipped; stories as JSON lines; a report rebuilt from the store equal to the one computed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsweave
from newsweave.cli import app
from newsweave.pipeline import Pipeline
from newsweave.store import Store

TWO = Path(__file__).parent / "data" / "two_stories"
pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(TWO, folder, ignore=shutil.ignore_patterns("*.json"))
    return folder


def test_ingest_is_idempotent_and_skips_unchanged_inputs(corpus: Path, tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as store:
        first = Pipeline(store).ingest([corpus])
        assert len(first.added) == 7 and not first.problems
        second = Pipeline(store).ingest([corpus])
        assert second.added == [] and len(second.unchanged) == 7
        # the same text under another name is a duplicate, stored once
        shutil.copy(corpus / "a1_esterby_wire.txt", corpus / "copy.txt")
        third = Pipeline(store).ingest([corpus])
        assert third.added == [] and len(third.duplicates) == 1
        assert store.count_articles() == 7


def test_bad_inputs_are_reported_and_the_run_goes_on(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_text("   \n")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    (corpus / "broken.html").write_text("<html><body><p>unterminated <b>tag")
    (corpus / "lines.jsonl").write_text('{"text": "A line that is far too short."}\nnot json\n')
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(tmp_path / "b.db")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "empty.txt" in out and "binary.txt" in out and "lines.jsonl:2" in out
    with Store.open(tmp_path / "b.db") as store:
        assert store.count_articles() >= 7


def test_a_crashed_ingest_resumes_without_loss_or_duplicates(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        pipeline = Pipeline(store)
        items = sorted(corpus.iterdir())
        pipeline.ingest(items[:3])  # the "crash": only part of the folder got in
    with Store.open(db) as store:
        result = Pipeline(store).ingest([corpus])
        assert len(result.added) == 4 and len(result.unchanged) == 3
        assert store.count_articles() == 7


def test_analyze_stories_jsonl_and_report_rebuild(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    out1 = tmp_path / "r1"
    result = runner.invoke(app, ["analyze", str(corpus), "--db", db, "--out", str(out1)])
    assert result.exit_code == 0, result.output
    computed = json.loads((out1 / "report.json").read_text())

    result = runner.invoke(app, ["stories", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 7
    assert all(set(line) == {"article", "path", "story"} for line in lines)
    story_of = {Path(line["path"]).name: line["story"] for line in lines}
    expected = json.loads((TWO / "expected.json").read_text())
    for story in expected["stories"].values():
        assert len({story_of[f] for f in story["files"]}) == 1, story["files"]
    a, b = (next(iter(s["files"])) for s in expected["stories"].values())
    assert story_of[a] != story_of[b]

    out2 = tmp_path / "r2"
    result = runner.invoke(app, ["report", "--db", db, "--out", str(out2)])
    assert result.exit_code == 0, result.output
    rebuilt = json.loads((out2 / "report.json").read_text())
    for key in (
        "articles",
        "stories",
        "entities",
        "facts",
        "quotes",
        "conflicts",
        "provenance",
        "brief",
        "unique",
    ):
        assert rebuilt[key] == computed[key], key

    story_id = computed["stories"][0]["id"]
    out3 = tmp_path / "r3"
    result = runner.invoke(app, ["report", story_id, "--db", db, "--out", str(out3)])
    assert result.exit_code == 0, result.output
    one = json.loads((out3 / "report.json").read_text())
    assert [s["id"] for s in one["stories"]] == [story_id]

    result = runner.invoke(app, ["report", "s-nope", "--db", db, "--out", str(out3)])
    assert result.exit_code == 1 and "s-nope" in result.output


def test_analysis_is_deterministic(corpus: Path, tmp_path: Path) -> None:
    first = newsweave.analyze([corpus], db=tmp_path / "e1.db")
    second = newsweave.analyze([corpus], db=tmp_path / "e2.db")
    for key in ("stories", "entities", "facts", "quotes", "conflicts", "provenance", "brief"):
        assert first[key] == second[key], key


def test_every_command_has_help() -> None:
    for command in ([], ["analyze"], ["ingest"], ["stories"], ["report"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.output
    for command in app.registered_commands:
        assert command.callback is not None and command.callback.__doc__, command.name


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database")
    result = runner.invoke(app, ["stories", "--db", str(bad)])
    assert result.exit_code == 1
    assert "notes.db" in result.output


def test_hostile_text_stays_inert_in_every_output(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.md").write_text(
        "---\ntitle: <script>alert(1)</script>\nsource: <img src=x onerror=alert(2)>\n---\n"
        "The mayor of Port Evel said on Monday that the bridge would reopen in June. "
        '"We have <b>fixed</b> it," she said.\n',
        encoding="utf-8",
    )
    (folder / "feed.jsonl").write_text(
        json.dumps(
            {
                "url": "javascript:alert(3)",
                "title": "[x](javascript:alert(4))",
                "text": "The bridge in Port Evel will reopen in June, the mayor said on "
                "Monday, after repairs that took two years.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["analyze", str(folder), "--db", str(tmp_path / "h.db"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "](javascript:" not in md

    result = runner.invoke(app, ["stories", "--db", str(tmp_path / "h.db"), "--format", "jsonl"])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    by_key = {("url" if "url" in line else "path"): line for line in lines}
    assert by_key["url"]["url"] == "javascript:alert(3)"  # data, as given; never a link
    assert by_key["path"]["path"].endswith("x.md")


def test_sentence_vectors_are_cached_in_the_store(corpus: Path, tmp_path: Path) -> None:
    from newsweave.embed import get_embedder

    class Counting:
        def __init__(self) -> None:
            self.inner = get_embedder()
            self.identity = self.inner.identity
            self.dim = self.inner.dim
            self.texts = 0

        def embed(self, texts):  # type: ignore[no-untyped-def]
            self.texts += len(texts)
            return self.inner.embed(texts)

    counting = Counting()
    with Store.open(tmp_path / "v.db") as store:
        pipeline = Pipeline(store, embedder=counting)
        pipeline.run([corpus])
        first = counting.texts
        assert first > 0
        before = newsweave.build_report(store)
        pipeline.analyze_stories(force=True)  # everything again: every vector comes from the store
        assert counting.texts == first
        after = newsweave.build_report(store)
        assert after["facts"] == before["facts"]
