"""The watcher: the change report between two snapshots of story accounts, and (slow: it runs
the models) feeds on a loopback server polled into stories that form and facts that gain
independent support, with watchlist alerts posted to a webhook; a restart fetches nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _sources_server import Site, rss, serve
from newsweave.cli import app
from newsweave.model import Claim, Conflict, ConflictValue, Entity, Fact, Story, StoryAnalysis
from newsweave.sources import Fetcher, FetchPolicy, Watcher, format_changes, parse_interval
from newsweave.sources.watch import Changes, diff_accounts
from newsweave.store import Store
from test_feeds import serve_reports

DATA = Path(__file__).parent / "data" / "two_stories"
POLICY = FetchPolicy(allow_private=True, host_interval=0.0, retries=0, timeout=5.0)
runner = CliRunner()


def fact(fid: str, claims: list[tuple[str, int]], origins: int, text: str = "") -> Fact:
    return Fact(
        id=fid,
        story="s1",
        text=text or f"fact {fid}",
        claims=[Claim(a, s, f"claim {a}:{s}") for a, s in claims],
        reports=len({a for a, _ in claims}),
        origins=origins,
    )


def account(sid: str, articles: list[str], facts: list[Fact], conflicts: list[Conflict] = ()
            ) -> StoryAnalysis:  # fmt: skip
    return StoryAnalysis(
        story=Story(sid, f"Story {sid}", articles),
        facts=facts,
        conflicts=list(conflicts),
        entities=[Entity("e1", "Lena Okafor", "person", ["Okafor", "Lena Okafor"])],
    )


def test_diff_reports_new_stories_facts_support_and_conflicts() -> None:
    toll = Conflict("number", "f2", [ConflictValue("4", "four died", ["a1"]),
                                     ConflictValue("5", "five died", ["a2"])])  # fmt: skip
    before = {
        "s1": account(
            "s1",
            ["a1", "a2"],
            [
                fact("f1", [("a1", 0), ("a2", 0)], 2),
                fact("f2", [("a1", 1)], 1),
                fact("f3", [("a1", 2), ("a2", 3)], 2),
            ],
            [toll],
        )
    }
    new_toll = Conflict("number", "f9", [ConflictValue("4", "", ["a1"]),
                                         ConflictValue("6", "", ["a3"])])  # fmt: skip
    after = {
        # the story gained a3: f1 keeps its support, f2 gains an origin (new id: new claims),
        # f3 loses one (a2 turned out to copy a1), f4 is new
        "s1": account(
            "s1",
            ["a1", "a2", "a3"],
            [
                fact("f1", [("a1", 0), ("a2", 0)], 2),
                fact("f2x", [("a1", 1), ("a3", 0)], 2),
                fact("f3", [("a1", 2), ("a2", 3)], 1),
                fact("f4", [("a3", 4)], 1, "A new fact."),
            ],
            [toll, new_toll],
        ),
        "s2": account("s2", ["b1"], [fact("g1", [("b1", 0)], 1)]),
    }
    changes = Changes(polled_at="now")
    diff_accounts(before, after, changes)
    assert [s["story"] for s in changes.new_stories] == ["s2"]
    assert changes.grown_stories == [
        {"story": "s1", "title": "Story s1", "reports_before": 2, "reports": 3}
    ]
    assert sorted(f["fact"] for f in changes.new_facts) == ["f4", "g1"]
    assert [(c.fact, c.origins_before, c.origins_after) for c in changes.gained] == [("f2x", 1, 2)]
    assert [(c.fact, c.origins_before, c.origins_after) for c in changes.lost] == [("f3", 2, 1)]
    assert [[v["value"] for v in c["values"]] for c in changes.new_conflicts] == [["4", "6"]]
    text = format_changes(changes)
    assert "NEW STORY s2" in text and "support gained: 1 -> 2" in text
    assert "support lost: 2 -> 1" in text and "new conflict (number): '4' vs '6'" in text
    json.dumps(changes.to_dict())  # JSON-ready
    # nothing changed
    same = Changes(polled_at="now")
    diff_accounts(after, after, same)
    assert same.empty() and "nothing changed" in format_changes(same)


def test_change_report_has_no_terminal_escapes() -> None:
    changes = Changes(polled_at="now")
    changes.new_stories.append({"story": "s9", "title": "Evil \x1b[2J title\u202e", "reports": 1})
    text = format_changes(changes)
    assert "\x1b" not in text and "\u202e" not in text and "Evil [2J title" in text


def test_intervals() -> None:
    assert parse_interval("90") == 90 and parse_interval("30s") == 30
    assert parse_interval("10m") == 600 and parse_interval("1.5h") == 5400
    assert parse_interval("1d") == 86400
    for bad in ("", "ten minutes", "-5m", "0"):
        with pytest.raises(ValueError):
            parse_interval(bad)


# --------------------------------------------------------------------------- end to end

TITLES = {
    "a1_esterby_wire.txt": ("River Telva floods Esterby, three dead", "Mon, 09 Feb 2026 07:00:00 GMT"),
    "a2_norvik_star.txt": ("Esterby counts the cost as Telva bursts its banks", "Mon, 09 Feb 2026 09:00:00 GMT"),
    "a4_radio_bulletin.txt": ("Norvik Radio 07:00 bulletin", "Mon, 09 Feb 2026 07:05:00 GMT"),
    "a3_esterby_cleanup.txt": ("Esterby begins the clean-up", "Wed, 11 Feb 2026 10:00:00 GMT"),
    "b1_brannoch_flash_flood.txt": ("Flash flood kills two in Brannoch", "Thu, 12 Mar 2026 16:00:00 GMT"),
}  # fmt: skip


def feed_items(urls: dict[str, str], names: list[str]) -> list[dict[str, str]]:
    return [
        {"title": TITLES[n][0], "link": urls[n], "guid": n, "date": TITLES[n][1]} for n in names
    ]


@pytest.fixture()
def site() -> Iterator[Site]:
    with serve() as s:
        s.routes["/hook"] = lambda h: h.reply(204, b"", "text/plain")
        yield s


@pytest.mark.slow
def test_watching_feeds_forms_stories_and_facts_gain_support(site: Site, tmp_path: Path) -> None:
    urls = serve_reports(site, list(TITLES))
    first = ["a1_esterby_wire.txt", "a2_norvik_star.txt"]
    site.static("/feed.xml", rss("Norvik Desk", feed_items(urls, first)),
                "application/rss+xml", etag='"v1"')  # fmt: skip
    db = tmp_path / "watch.db"
    feed = site.base + "/feed.xml"
    with Store.open(db) as store, Fetcher(POLICY) as fetcher:
        watcher = Watcher(store, [feed], fetcher=fetcher, watchlist=["Rosalind Achebe"],
                          webhook=site.base + "/hook")  # fmt: skip
        one = watcher.poll()
        assert len(one.added) == 2 and len(one.new_stories) == 1 and one.new_facts
        assert {a.article for a in one.alerts} == set(one.added)  # both name the mayor
        posted = [r for r in site.log if r.method == "POST"]
        assert len(posted) == 1 and one.webhook_status == 204
        payload = json.loads(posted[0].body)
        assert payload["type"] == "newsweave.watch.alerts" and len(payload["alerts"]) == 2
        two = watcher.poll()  # the feed has not changed: 304, nothing fetched, nothing new
        assert two.feeds[0].not_modified and two.empty()
    # stop; the feed gains reports; restart on the same store
    site.static("/feed.xml", rss("Norvik Desk", feed_items(urls, list(TITLES))),
                "application/rss+xml", etag='"v2"')  # fmt: skip
    with Store.open(db) as store, Fetcher(POLICY) as fetcher:
        three = Watcher(store, [feed], fetcher=fetcher).poll()
        assert len(three.added) == 3
        assert three.grown_stories and three.grown_stories[0]["reports"] == 4
        assert [s["reports"] for s in three.new_stories] == [1]  # the Brannoch flood
        assert three.gained and all(c.origins_after > c.origins_before for c in three.gained)
        assert "support gained" in format_changes(three)
    for name in TITLES:
        assert site.hits(f"/news/{name[:-4]}.html") == 1, name
    # the command line: one poll, nothing new, a readable report
    result = runner.invoke(app, ["watch", feed, "--once", "--allow-private", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "not modified" in result.output and "nothing changed" in result.output
    result = runner.invoke(app, ["watch", feed, "--once", "--db", str(db)])
    assert "private, loopback or link-local" in result.output


def test_watch_command_checks_its_options(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    result = runner.invoke(app, ["watch", "f.rss", "--every", "soon", "--db", db])
    assert result.exit_code == 2 and "not an interval" in result.output
    result = runner.invoke(app, ["watch", "f.rss", "--webhook", "file:///tmp/x", "--db", db])
    assert result.exit_code == 2 and "only http and https" in result.output
