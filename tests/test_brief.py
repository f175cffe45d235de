"""The brief on hand-built facts: stated facts come before speculation, near-duplicates are
skipped, a leading connective is dropped, each sentence cites the fact's reports."""

from __future__ import annotations

import numpy as np

from newsweave.model import Claim, Fact
from newsweave.story import brief
from newsweave.story.facts import ClaimInfo, FactGroups


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
    out = brief.build(groups_ranked, groups)
    texts = [b.text for b in out]
    assert "The council approved the bridge on Monday." in texts  # connective dropped
    assert sum("approved the bridge" in t for t in texts) == 1  # its near-duplicate skipped
    assert texts[-1].startswith("The new bridge could")  # speculation last
    by_text = {b.text: b for b in out}
    assert by_text["Work starts in May."].articles == ["a", "d"]
    short = [b.text for b in brief.build(groups_ranked, groups, words=12)]
    assert short and not any("could" in t for t in short)  # speculation gives way
    assert sum(len(t.split()) for t in short) <= 12


def test_the_brief_keeps_to_its_word_budget_and_leads_with_the_event() -> None:
    texts = [
        ("A ferry sank off Lindos on Tuesday, killing 12 people.", ["a", "b", "c"]),
        ("The ferry was built in 1988 in a Norwegian shipyard.", ["a", "b", "c", "d"]),
        ("Rescuers found 40 survivors in the water.", ["a", "b"]),
    ] + [
        (f"Witness number {k} described the scene at length to reporters.", ["e"])
        for k in range(40)
    ]
    vectors = np.zeros((len(texts), 8), np.float32)
    vectors[:, 0] = 1.0
    for k in range(3, len(texts)):
        vectors[k, k % 7 + 1] = 3.0
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    groups = _groups(texts, vectors)
    # the lead sentence is stated first by the reports; the build year is background
    for i, claim in enumerate(groups.claims):
        claim.position = 0.0 if claim.text.startswith("A ferry") else 0.2 + 0.01 * i
    out = brief.build(groups.ranked(), groups, words=60)
    assert sum(len(b.text.split()) for b in out) <= 60
    assert out[0].text.startswith("A ferry sank")
    assert "built in 1988" in out[-1].text or all("1988" not in b.text for b in out)
    # word-level near-duplicates (one line under several time stamps) appear once
    assert sum("Witness number" in b.text for b in out) <= 1


def test_background_is_what_happened_before_the_story() -> None:
    assert brief.background("In 2004 a tsunami killed 170,000 people.", 2013)
    assert not brief.background("The quake struck on July 2, 2013.", 2013)
    assert brief.background("The port was flooded three years ago as well.")
    assert brief.story_year(["in 2013", "July 2013", "in 2004"]) == 2013


def test_a_clause_that_does_not_read_as_a_sentence_is_left_out() -> None:
    assert brief.sentence_like("At least nine people have died.")
    assert brief.sentence_like("\u201cWe will not rest,\u201d Kollberg said.")
    assert not brief.sentence_like("crew aboard and was heading to the island when a storm struck")
    assert not brief.sentence_like("The ferry had 112 passengers")


def test_the_lead_most_like_the_other_reports_leads_opens_the_brief() -> None:
    # four reports; each leads with its own wording of the event, and all repeat one detail
    leads = [
        ("A ferry sank off Port Laran on Tuesday, killing 12 people.", "a"),
        ("Twelve people died when a ferry went down near Port Laran.", "b"),
        ("The ferry disaster left 12 dead, officials in Port Laran said.", "c"),
        ("Storms battered the coast for a third day.", "d"),
    ]
    detail = "Rescue crews worked through the night in heavy rain."
    claims: list[ClaimInfo] = []
    facts: list[Fact] = []
    members: dict[str, list[int]] = {}
    rep: dict[str, int] = {}
    for n, (text, article) in enumerate(leads):
        members[f"f-{n}"] = [len(claims)]
        rep[f"f-{n}"] = len(claims)
        claims.append(ClaimInfo(article=article, sentence=0, text=text, position=0.0))
        facts.append(Fact(f"f-{n}", "s", text, [Claim(article, 0, text)], reports=1, origins=1))
    members["f-d"] = list(range(len(claims), len(claims) + 4))
    rep["f-d"] = len(claims)
    for article in "abcd":
        claims.append(ClaimInfo(article=article, sentence=3, text=detail, position=0.3))
    facts.append(
        Fact("f-d", "s", detail, [Claim(a, 3, detail) for a in "abcd"], reports=4, origins=4)
    )
    event, other, storm, night = np.eye(4)
    emb = np.stack(
        [event, 0.9 * event + 0.1 * other, 0.7 * event + 0.3 * other, storm] + [night] * 4
    ).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    groups = FactGroups(
        facts=facts, claims=claims, scores=emb @ emb.T, members=members, rep=rep, embeddings=emb
    )
    out = brief.build(groups.ranked(), groups)
    assert out[0].text == leads[0][0]  # like the other leads, and it gives the figure they give
    assert detail in [b.text for b in out]


def test_a_sentence_retelling_what_the_brief_says_gives_way_to_a_new_fact() -> None:
    eye = np.eye(4, dtype=np.float32)
    retold = 0.79 * eye[0] + 0.61 * eye[1]  # like the lead, below the hard redundancy cut
    groups = _groups(
        [
            ("A ferry sank off the island on Tuesday, killing 12 people.", ["a", "b", "c"]),
            ("The captain was arrested on Wednesday.", ["a", "b", "c"]),
            ("The sinking of the ferry off the island left a dozen dead.", ["a", "b", "c"]),
        ],
        np.stack([eye[0], 0.5 * eye[0] + 0.866 * eye[2], retold / np.linalg.norm(retold)]),
    )
    out = brief.build(groups.ranked(), groups, words=30)
    assert [b.text for b in out] == [
        "A ferry sank off the island on Tuesday, killing 12 people.",
        "The captain was arrested on Wednesday.",
        "The sinking of the ferry off the island left a dozen dead.",
    ]
