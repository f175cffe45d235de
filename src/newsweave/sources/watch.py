"""Watch feeds: poll, ingest new entries, update stories incrementally, report what changed.

One poll reads every feed (conditionally), stores the articles of entries not handled before,
runs the pipeline's resumable stages (document stage, incremental story assignment, story stage
for the stories whose membership changed) and compares the story accounts before and after:

- new stories (no report in common with any story before) and stories that gained reports;
- new facts (none of their claims belonged to a fact before);
- facts whose independent origins rose or fell;
- new conflicts (a kind and set of values not seen before).

A watchlist (entity names or keywords) is matched against the new reports, and through the
merged aliases of their stories' entities; a match is an alert, posted as JSON to a webhook when
one is configured (through the fetcher's safety rules). Everything that decides what is new
lives in the store, so stopping and restarting the watcher loses nothing and fetches nothing
twice.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from newsweave.errors import InputError
from newsweave.model import StoryAnalysis
from newsweave.pipeline import IngestResult, Pipeline
from newsweave.sources.collect import Collector, FeedPoll
from newsweave.sources.fetch import Fetcher
from newsweave.store import Store

__all__ = [
    "Alert",
    "Changes",
    "FactChange",
    "Watcher",
    "diff_accounts",
    "format_changes",
    "parse_interval",
]

log = logging.getLogger(__name__)

_INTERVAL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """``"90"``, ``"30s"``, ``"10m"``, ``"1.5h"``, ``"1d"`` -> seconds. Raises ValueError."""
    m = _INTERVAL_RE.match(text)
    if not m:
        raise ValueError(f"not an interval: {text!r} (use e.g. 30s, 10m, 2h)")
    seconds = float(m.group(1)) * _UNITS[(m.group(2) or "s").lower()]
    if seconds <= 0:
        raise ValueError("the interval must be positive")
    return seconds


@dataclass
class FactChange:
    story: str
    fact: str
    text: str
    origins_before: int
    origins_after: int
    reports_before: int
    reports_after: int


@dataclass
class Alert:
    term: str
    article: str
    title: str | None
    url: str | None
    story: str | None
    excerpt: str


@dataclass
class Changes:
    """What one poll changed. Lists of plain dicts/dataclasses: ``to_dict`` is JSON-ready."""

    polled_at: str = ""
    feeds: list[FeedPoll] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    new_stories: list[dict[str, Any]] = field(default_factory=list)
    grown_stories: list[dict[str, Any]] = field(default_factory=list)
    new_facts: list[dict[str, Any]] = field(default_factory=list)
    support: list[FactChange] = field(default_factory=list)
    new_conflicts: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    webhook_status: int | None = None

    @property
    def gained(self) -> list[FactChange]:
        return [c for c in self.support if c.origins_after > c.origins_before]

    @property
    def lost(self) -> list[FactChange]:
        return [c for c in self.support if c.origins_after < c.origins_before]

    def empty(self) -> bool:
        return not (
            self.added
            or self.new_stories
            or self.grown_stories
            or self.new_facts
            or self.support
            or self.new_conflicts
            or self.alerts
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- diff


def _conflict_key(kind: str, values: Iterable[str]) -> tuple[str, frozenset[str]]:
    return kind, frozenset(values)


def diff_accounts(
    before: dict[str, StoryAnalysis], after: dict[str, StoryAnalysis], changes: Changes
) -> None:
    """Fill ``changes`` with what differs between two snapshots of story accounts (story id ->
    account). Facts are matched by their claims (fact ids change when their claims do)."""
    claim_owner: dict[tuple[str, int], tuple[str, Any]] = {}
    old_articles: dict[str, set[str]] = {}
    old_conflicts: set[tuple[str, frozenset[str]]] = set()
    for sid, account in before.items():
        old_articles[sid] = set(account.story.articles)
        for fact in account.facts:
            for claim in fact.claims:
                claim_owner[(claim.article, claim.sentence)] = (sid, fact)
        for conflict in account.conflicts:
            old_conflicts.add(_conflict_key(conflict.kind, (v.value for v in conflict.values)))
    seen_before = set().union(*old_articles.values()) if old_articles else set()
    for sid, account in sorted(after.items()):
        members = set(account.story.articles)
        title = account.story.title
        if not members & seen_before:
            changes.new_stories.append(
                {"story": sid, "title": title, "reports": len(members)}
            )  # fmt: skip
        else:
            previous = max(
                (arts for arts in old_articles.values() if arts & members),
                key=lambda arts: len(arts & members),
            )
            if members - previous:
                changes.grown_stories.append(
                    {
                        "story": sid,
                        "title": title,
                        "reports_before": len(previous),
                        "reports": len(members),
                    }
                )
        for fact in account.facts:
            matches: dict[int, tuple[Any, int]] = {}
            for claim in fact.claims:
                owner = claim_owner.get((claim.article, claim.sentence))
                if owner is not None:
                    old = owner[1]
                    count = matches.get(id(old), (old, 0))[1]
                    matches[id(old)] = (old, count + 1)
            if not matches:
                changes.new_facts.append(
                    {
                        "story": sid,
                        "fact": fact.id,
                        "text": fact.text,
                        "reports": fact.reports,
                        "origins": fact.origins,
                    }
                )
                continue
            old, _n = max(matches.values(), key=lambda pair: (pair[1], pair[0].origins))
            if old.origins != fact.origins:
                changes.support.append(
                    FactChange(
                        story=sid,
                        fact=fact.id,
                        text=fact.text,
                        origins_before=old.origins,
                        origins_after=fact.origins,
                        reports_before=old.reports,
                        reports_after=fact.reports,
                    )
                )
        for conflict in account.conflicts:
            key = _conflict_key(conflict.kind, (v.value for v in conflict.values))
            if key not in old_conflicts:
                changes.new_conflicts.append(
                    {
                        "story": sid,
                        "kind": conflict.kind,
                        "about": conflict.about,
                        "values": [
                            {"value": v.value, "text": v.text, "articles": list(v.articles)}
                            for v in conflict.values
                        ],
                    }
                )


# --------------------------------------------------------------------------- report


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _short(text: str, width: int = 110) -> str:
    """One line, no control characters (no terminal escapes from feed or page text)."""
    text = " ".join(_CONTROL_RE.sub(" ", text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def format_changes(changes: Changes) -> str:
    """A readable report of one poll (plain text; the caller escapes for other media)."""
    lines = [f"poll at {changes.polled_at}"]
    for poll in changes.feeds:
        name = _short(poll.title or poll.feed, 60)
        if poll.problem:
            lines.append(f"  feed {name}: {_short(poll.problem)}")
        elif poll.not_modified:
            lines.append(f"  feed {name}: not modified")
        else:
            lines.append(
                f"  feed {name}: {poll.entries} entries, {poll.handled} new, "
                f"{len(poll.added)} article(s) stored"
            )
    for problem in changes.problems:
        lines.append(f"  skipped {_short(problem, 200)}")
    if changes.empty():
        lines.append("  nothing changed")
        return "\n".join(lines)
    for s in changes.new_stories:
        lines.append(f"  NEW STORY {s['story']} ({s['reports']} report(s)): {_short(s['title'])}")
    for s in changes.grown_stories:
        lines.append(
            f"  story {s['story']} grew from {s['reports_before']} to {s['reports']} reports: "
            f"{_short(s['title'])}"
        )
    for f in changes.new_facts:
        lines.append(f"  new fact [{f['origins']} origin(s)] {_short(f['text'])}")
    for c in changes.gained:
        lines.append(
            f"  support gained: {c.origins_before} -> {c.origins_after} independent origin(s): "
            f"{_short(c.text)}"
        )
    for c in changes.lost:
        lines.append(
            f"  support lost: {c.origins_before} -> {c.origins_after} independent origin(s): "
            f"{_short(c.text)}"
        )
    for k in changes.new_conflicts:
        values = " vs ".join(repr(_short(v["value"], 40)) for v in k["values"])
        lines.append(f"  new conflict ({k['kind']}): {values}")
    for a in changes.alerts:
        where = _short(a.title or a.url or a.article, 80)
        lines.append(f"  ALERT '{_short(a.term, 40)}' in {where}: {_short(a.excerpt)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- watchlist


def _term_re(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _excerpt(text: str, start: int, end: int, width: int = 200) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    left = 0 if left < 0 else left + 1
    if start - left > width // 2:
        left = start - width // 2
    right = min(
        (i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0), default=len(text)
    )
    return _short(text[left : right + 1], width)


# --------------------------------------------------------------------------- the watcher


class Watcher:
    """Poll feeds into a store. ``poll()`` does one round and returns its :class:`Changes`."""

    def __init__(
        self,
        store: Store,
        feeds: Sequence[str],
        *,
        fetcher: Fetcher,
        pipeline: Pipeline | None = None,
        watchlist: Sequence[str] = (),
        webhook: str | None = None,
    ) -> None:
        self.store = store
        self.feeds = list(feeds)
        self.fetcher = fetcher
        self.pipeline = pipeline or Pipeline(store)
        self.watchlist = [t for t in (w.strip() for w in watchlist) if t]
        self.webhook = webhook

    def _snapshot(self) -> dict[str, StoryAnalysis]:
        snapshot: dict[str, StoryAnalysis] = {}
        for story in self.store.stories():
            account = self.store.load_story_analysis(story.id)
            if account is not None:
                snapshot[story.id] = account
        return snapshot

    def poll(self) -> Changes:
        changes = Changes(
            polled_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        )  # fmt: skip
        before = self._snapshot()
        result = IngestResult()
        collector = Collector(self.pipeline, self.fetcher)
        for feed in self.feeds:
            changes.feeds.append(collector.ingest_feed(feed, result))
        # the stages resume whatever an interrupted poll left undone
        self.pipeline.analyze_documents()
        self.pipeline.assign()
        self.pipeline.analyze_stories()
        after = self._snapshot()
        changes.added = list(result.added)
        changes.problems = [str(p) for p in result.problems]
        diff_accounts(before, after, changes)
        changes.alerts = self._alerts(result.added, after)
        if changes.alerts and self.webhook:
            self._post(changes)
        return changes

    def _alerts(self, added: list[str], after: dict[str, StoryAnalysis]) -> list[Alert]:
        if not self.watchlist or not added:
            return []
        story_of = {a: sid for sid, acc in after.items() for a in acc.story.articles}
        alerts: list[Alert] = []
        for article in self.store.iter_articles(added):
            sid = story_of.get(article.id)
            for term in self.watchlist:
                patterns = [_term_re(term)]
                if sid is not None:  # the entity's other names in this story
                    for entity in after[sid].entities:
                        names = [entity.name, *entity.aliases]
                        if any(n.casefold() == term.casefold() for n in names):
                            patterns += [_term_re(n) for n in names if len(n) > 2]
                haystack = f"{article.title or ''}\n{article.text}"
                match = next((m for p in patterns if (m := p.search(haystack))), None)
                if match is None:
                    continue
                alerts.append(
                    Alert(
                        term=term,
                        article=article.id,
                        title=article.title,
                        url=article.url,
                        story=sid,
                        excerpt=_excerpt(haystack, match.start(), match.end()),
                    )
                )
        return alerts

    def _post(self, changes: Changes) -> None:
        assert self.webhook is not None
        payload = {
            "type": "newsweave.watch.alerts",
            "polled_at": changes.polled_at,
            "alerts": [asdict(a) for a in changes.alerts],
            "new_stories": changes.new_stories,
            "new_facts": len(changes.new_facts),
            "new_conflicts": len(changes.new_conflicts),
        }
        try:
            changes.webhook_status = self.fetcher.post_json(self.webhook, payload)
        except InputError as exc:
            changes.problems.append(f"webhook {exc}")
            log.warning("webhook: %s", exc)

    def run(
        self,
        every: float,
        *,
        polls: int | None = None,
        on_changes: Callable[[Changes], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Poll every ``every`` seconds (``polls`` times, or until interrupted)."""
        done = 0
        while polls is None or done < polls:
            started = time.monotonic()
            changes = self.poll()
            done += 1
            if on_changes is not None:
                on_changes(changes)
            if polls is not None and done >= polls:
                return
            sleep(max(0.0, every - (time.monotonic() - started)))
