"""The brief on hand-built facts: stated facts come before speculation, near-duplicates are
skipped, a leading connective is dropped, each sentence cites the fact's reports."""

from __future__ import annotations

import numpy as np

from newsweave import brief
from newsweave.facts import ClaimInfo, FactGroups
from newsweave.model import Claim, Conflict, ConflictValue, Fact


def _groups(texts: list[tuple[str, list[str]]], vectors: np.ndarray) -> FactGroups:
    claims: list[ClaimInfo] = []
    facts: list[Fact] = []
    members: dict[str, list[int]] = {}
    rep: dict[str, int] = {}
    for n, (text, articles) in enumerate(texts):
        fid = f"f-{n}"
        idx = []
        for a in articles:
            idx.append(len(claims))
            claims.append(ClaimInfo(article=a, sentence=n, text=text, position=n / 10))
        facts.append(
            Fact(
                id=fid,
                story="s",
                text=text,
                reports=len(articles),
                origins=len(articles),
                claims=[Claim(article=a, sentence=n, text=text) for a in articles],
            )
        )
        members[fid] = idx
        rep[fid] = idx[0]
    emb = np.repeat(vectors, [len(a) for _, a in texts], axis=0)
    return FactGroups(
        facts=facts, claims=claims, scores=emb @ emb.T, members=members, rep=rep, embeddings=emb
    )


def test_stated_facts_come_before_speculation_and_duplicates_are_skipped() -> None:
    eye = np.eye(4, dtype=np.float32)
    groups = _groups(
        [
            (
                "The new bridge could change how the town trades with its neighbours.",
                ["a", "b", "c"],
            ),
            ("However, the council approved the bridge on Monday.", ["a", "b"]),
            ("The council approved the bridge on Monday, officials said.", ["c", "d"]),
            ("Work starts in May.", ["a", "d"]),
        ],
        np.stack([eye[0], eye[1], eye[1], eye[2]]),
    )
    groups_ranked = groups.ranked()
    out = brief.build(groups_ranked, groups, [])
    texts = [b.text for b in out]
    assert "The council approved the bridge on Monday." in texts  # connective dropped
    assert sum("approved the bridge" in t for t in texts) == 1  # its near-duplicate skipped
    assert texts.index("The council approved the bridge on Monday.") < len(texts)
    by_text = {b.text: b for b in out}
    assert by_text["Work starts in May."].articles == ["a", "d"]
    brief.MAX_SENTENCES, saved = 2, brief.MAX_SENTENCES
    try:
        short = [b.text for b in brief.build(groups_ranked, groups, [])]
    finally:
        brief.MAX_SENTENCES = saved
    assert not any("could" in t for t in short)  # speculation gives way when space is short


def test_conflicts_are_told_in_the_reports_words() -> None:
    groups = _groups(
        [("The ferry sank on Tuesday night.", ["a", "b"])], np.eye(1, dtype=np.float32)
    )
    conflict = Conflict(
        kind="date",
        about="f-0",
        values=[
            ConflictValue(value="2026-03-03", text="on Tuesday", articles=["a"]),
            ConflictValue(
                value="2026-03-02", text="on Monday", articles=["b"], note="anchor inferred"
            ),
        ],
    )
    out = brief.build(groups.ranked(), groups, [conflict])
    last = out[-1]
    assert last.text.startswith("Reports disagree on a date")
    assert (
        '"on Tuesday"' in last.text
        and '"on Monday"' in last.text
        and "anchor inferred" in last.text
    )
    assert last.articles == ["a", "b"] and last.facts == ["f-0"]
