"""Named origins, reuse passages and origin groups on invented reports."""

from __future__ import annotations

from newsweave.model import Article, ArticleAnalysis, Attribution
from newsweave.story import provenance

PARAGRAPH = (
    "Divers from the Kelm coast guard recovered the ferry's voyage recorder from a depth of "
    "forty metres on Thursday afternoon, and investigators flew it to the capital for analysis."
)


def art(aid: str, text: str, published: str | None = None, credits: list[str] | None = None):
    return Article(
        id=aid, content_hash=aid, text=text, published=published, credits=list(credits or [])
    )


def analysis(aid: str, *attributions: Attribution) -> ArticleAnalysis:
    return ArticleAnalysis(article=aid, version="test", attributions=list(attributions))


ORIGINAL = art(
    "orig",
    f"The Ostra ferry capsized near Kelm on Tuesday. {PARAGRAPH} Families gathered at the pier.",
    published="2025-03-04",
)
COPY = art(
    "copy",
    f"Local fishermen joined the search early. {PARAGRAPH} The port stays closed this week.",
    published="2025-03-05",
)
UNRELATED = art(
    "museum",
    "A new art museum opened in Brask with maritime paintings from the last three centuries, "
    "and the mayor cut the ribbon in front of a crowd of schoolchildren.",
    published="2025-03-01",
)


def test_copied_paragraph_gives_a_reuse_edge_with_the_later_article_as_copy() -> None:
    (edge,) = provenance.reuse_edges([COPY, ORIGINAL, UNRELATED])
    assert (edge.copy, edge.origin) == ("copy", "orig")
    assert 0.5 < edge.coverage < 1.0
    # the passage is quoted as written, not as normalised tokens
    assert edge.passages[0] == PARAGRAPH.rstrip(".")


def test_direction_follows_dates_not_argument_order() -> None:
    early = art("zzz", COPY.text, published="2025-03-01")
    late = art("aaa", ORIGINAL.text, published="2025-03-09")
    (edge,) = provenance.reuse_edges([late, early])
    assert (edge.copy, edge.origin) == ("aaa", "zzz")


def test_without_dates_the_more_covered_text_is_the_copy() -> None:
    short = art("s1", f"Briefly: {PARAGRAPH}")
    long = art("l1", ORIGINAL.text + " The ferry had sailed the route since 1990 without loss.")
    (edge,) = provenance.reuse_edges([long, short])
    assert (edge.copy, edge.origin) == ("s1", "l1")


def test_short_shared_phrases_are_not_reuse() -> None:
    a = art("a", "The harbour master said the weather was bad on Tuesday night near Kelm.")
    b = art("b", "Fishermen in Brask said the weather was bad on Tuesday night again.")
    assert provenance.reuse_edges([a, b]) == []


def test_a_shared_quotation_is_not_reuse() -> None:
    statement = (
        '"The ferry service will remain suspended until every vessel in the fleet has passed '
        'a full inspection by independent engineers," '
    )
    a = art("a", f"{statement}the Kelm harbour board said on Wednesday after the capsizing.")
    b = art("b", f"Rescuers left Brask at dawn. {statement}the board wrote in a short notice.")
    assert provenance.reuse_edges([a, b]) == []


def test_two_articles_crediting_the_same_wire_form_one_origin_group() -> None:
    a = art("a", "The ferry capsized.", credits=["Baltwire"])
    b = art("b", "A ferry went down near Kelm.")
    c = art("c", "Unrelated: a museum opened in Brask.")
    named = provenance.named_origins(a, analysis("a"))
    named += provenance.named_origins(
        b,
        analysis(
            "b",
            Attribution(source="the Baltwire news agency", text="...", sentence=0, scope="article"),
        ),
    )
    named += provenance.named_origins(c, analysis("c"))
    groups = provenance.origin_groups(["a", "b", "c"], named, [])
    assert groups["a"] == groups["b"] != groups["c"]


def test_sentence_scope_attributions_name_no_origin() -> None:
    a = art("a", "A survivor told Baltwire the crew panicked.")
    told = Attribution(source="Baltwire", text="told Baltwire", sentence=0, scope="sentence")
    assert provenance.named_origins(a, analysis("a", told)) == []


def test_named_origins_deduplicate_credit_and_lead() -> None:
    a = art("a", "x", credits=["Baltwire News Agency"])
    lead = Attribution(source="Baltwire", text="reports Baltwire", sentence=0, scope="article")
    other = Attribution(
        source="Kelm Courier", text="says the Kelm Courier", sentence=0, scope="article"
    )
    found = provenance.named_origins(a, analysis("a", lead, other))
    assert [(p.origin, p.evidence) for p in found] == [
        ("Baltwire News Agency", "credit"),
        ("Kelm Courier", "attribution"),
    ]


def test_unrelated_articles_share_no_group() -> None:
    arts = [ORIGINAL, UNRELATED, art("third", "Storms closed three schools in Veldt on Monday.")]
    edges = provenance.reuse_edges(arts)
    assert edges == []
    groups = provenance.origin_groups([a.id for a in arts], [], edges)
    assert len(set(groups.values())) == 3


def test_reuse_edges_join_groups() -> None:
    arts = [ORIGINAL, COPY, UNRELATED]
    edges = provenance.reuse_edges(arts)
    groups = provenance.origin_groups([a.id for a in arts], [], edges)
    assert groups["orig"] == groups["copy"] != groups["museum"]


def test_origin_key() -> None:
    assert provenance.origin_key("The Baltwire news agency") == "baltwire"
    assert provenance.origin_key("BALTWIRE") == provenance.origin_key("Baltwire News")
    assert provenance.origin_key("Kelm Courier") != provenance.origin_key("Baltwire")


def test_provenance_records_describe_reuse() -> None:
    edges = provenance.reuse_edges([ORIGINAL, COPY])
    records = provenance.provenance_records([], edges)
    assert [(r.article, r.origin, r.evidence) for r in records] == [("copy", "orig", "reuse")]
    assert "Divers from the Kelm coast guard" in records[0].detail


def _facts_for(layout: dict[str, list[str]]) -> list:
    """Facts built by hand: article id -> the fact ids it states, in its own order."""
    from newsweave.model import Claim, Fact

    facts: dict[str, Fact] = {}
    for article, fact_ids in layout.items():
        for position, fid in enumerate(fact_ids):
            fact = facts.setdefault(fid, Fact(id=fid, story="s", text=fid))
            fact.claims.append(Claim(article=article, sentence=position, text=fid))
    return list(facts.values())


def test_a_paraphrased_rewrite_is_found_by_its_facts_and_their_order() -> None:
    from newsweave.model import Article
    from newsweave.story.provenance import rewrite_edges

    arts = [
        Article(id="wire", content_hash="1", text="x", published="2026-01-02"),
        Article(id="rewrite", content_hash="2", text="x", published="2026-01-03"),
        Article(id="shuffled", content_hash="3", text="x", published="2026-01-03"),
        Article(id="independent", content_hash="4", text="x", published="2026-01-03"),
    ]
    facts = _facts_for(
        {
            "wire": ["a", "b", "c", "d", "e", "f"],
            "rewrite": ["a", "b", "x1", "c", "d", "e"],
            "shuffled": ["e", "d", "c", "b", "a", "y1"],
            "independent": ["a", "z1", "z2", "z3", "b", "z4"],
        }
    )
    edges = {(e.copy, e.origin) for e in rewrite_edges(facts, arts)}
    assert ("rewrite", "wire") in edges
    assert not any("shuffled" in pair for pair in edges)
    assert not any("independent" in pair for pair in edges)


# --------------------------------------------------------------------------- LSH, passages, graph

WIRE_STORIES = [
    "Floodwater from the Vell river broke through a levee north of Ostra on Friday night and "
    "forced about two thousand people from their homes, the provincial emergency office said. "
    "Army trucks carried families to schools in higher districts, where volunteers handed out "
    "blankets and soup until the early hours.",
    "The Kelm shipyard launched the largest ferry it has ever built on Saturday, a vessel of "
    "ninety metres that will carry six hundred passengers between the islands from next spring, "
    "the yard's owner told a crowd of workers and their families at the slipway.",
    "A fire at a paper warehouse in the port of Brask burned through the night and sent a "
    "column of black smoke over the old town, where residents were told to keep their windows "
    "shut while crews from three districts fought the flames.",
]


def _story() -> list[Article]:
    """Three wire stories, each copied (with a new opening and an edit) by two outlets."""
    out: list[Article] = []
    for n, wire in enumerate(WIRE_STORIES):
        out.append(art(f"w{n}", wire, published="2026-05-01"))
        for m, opening in enumerate(("Update:", "Our correspondent reports.")):
            body = wire.replace(" said.", " stated.").replace(" told ", " informed ")
            out.append(art(f"c{n}{m}", f"{opening} {body}", published="2026-05-02"))
    return out


def test_lsh_candidates_give_the_same_edges_as_all_pairs() -> None:
    arts = _story()
    exact = provenance.reuse_edges(arts)
    via_lsh = provenance.reuse_edges(arts, exact_max=0)
    assert exact == via_lsh
    pairs = {(e.copy, e.origin) for e in exact}
    for n in range(3):
        assert (f"c{n}0", f"w{n}") in pairs or (f"c{n}1", f"w{n}") in pairs


def test_reuse_edges_carry_passages_with_offsets_in_both_articles() -> None:
    (edge,) = provenance.reuse_edges([COPY, ORIGINAL, UNRELATED])
    (p,) = edge.aligned
    assert COPY.text[p.copy[0] : p.copy[1]] == ORIGINAL.text[p.origin[0] : p.origin[1]]
    assert COPY.text[p.copy[0] : p.copy[1]].startswith("Divers from the Kelm coast guard")
    assert p.exact
    (record,) = provenance.provenance_records([], [edge])
    assert record.coverage == edge.coverage
    assert record.passages[0]["copy"] == p.copy and record.passages[0]["kind"] == "verbatim"


def test_rewrite_edges_pair_the_sentences_stating_shared_facts() -> None:
    from newsweave.model import Sentence

    texts = {
        "wire": "Alpha. Bravo. Charlie. Delta.",
        "rewrite": "One. Two. Three. Four.",
    }
    arts = [
        art("wire", texts["wire"], published="2026-01-02"),
        art("rewrite", texts["rewrite"], published="2026-01-03"),
    ]
    analyses = []
    for aid, text in texts.items():
        sents, pos = [], 0
        for i, s in enumerate(text.split(" ")):
            start = text.index(s, pos)
            sents.append(Sentence(index=i, start=start, end=start + len(s), text=s))
            pos = start + len(s)
        analyses.append(ArticleAnalysis(article=aid, version="t", sentences=sents))
    facts = _facts_for({"wire": ["a", "b", "c", "d"], "rewrite": ["a", "b", "c", "d"]})
    (edge,) = provenance.rewrite_edges(facts, arts, analyses)
    assert (edge.copy, edge.origin) == ("rewrite", "wire")
    assert [p.text for p in edge.aligned] == ["One.", "Two.", "Three.", "Four."]
    assert [texts["wire"][p.origin[0] : p.origin[1]] for p in edge.aligned] == [
        "Alpha.",
        "Bravo.",
        "Charlie.",
        "Delta.",
    ]
    assert {p.kind for p in edge.aligned} == {"restated"}
    (record,) = provenance.provenance_records([], [edge])
    assert provenance.edge_kind(record) == "rewrite"


def test_derivation_graph_matches_origin_groups() -> None:
    arts = [*_story(), UNRELATED]
    a, b = arts[0], arts[3]
    named = [
        *provenance.named_origins(a, analysis(a.id)),
        provenance.Provenance(article=a.id, origin="Baltwire", evidence="credit", detail="x"),
        provenance.Provenance(
            article=b.id, origin="the Baltwire news agency", evidence="attribution", detail="y"
        ),
    ]
    edges = provenance.reuse_edges(arts)
    records = provenance.provenance_records(named, edges)
    graph = provenance.derivation_graph(records, [x.id for x in arts])
    sources = [n for n in graph["nodes"] if n["kind"] == "source"]
    assert [n["id"] for n in sources] == ["source:baltwire"]  # one node for both spellings
    kinds = {(e["source"], e["target"]): e["kind"] for e in graph["edges"]}
    assert kinds[(b.id, "source:baltwire")] == "attribution"
    assert all(kinds[(e.copy, e.origin)] == "copy" and e.coverage > 0 for e in edges)
    groups = provenance.origin_groups([x.id for x in arts], named, edges)
    by_number: dict[int, list[str]] = {}
    for aid, g in groups.items():
        by_number.setdefault(g, []).append(aid)
    assert sorted(sorted(g) for g in by_number.values()) == graph["groups"]
    # the dicts of the report give the same graph
    from newsweave.model import to_dict

    assert provenance.derivation_graph(to_dict(records), [x.id for x in arts]) == graph


def test_provenance_passages_survive_the_store(tmp_path) -> None:
    from newsweave.model import Story, StoryAnalysis
    from newsweave.store import Store

    (edge,) = provenance.reuse_edges([COPY, ORIGINAL])
    records = provenance.provenance_records(
        [provenance.Provenance(article="orig", origin="Baltwire", evidence="credit", detail="c")],
        [edge],
    )
    with Store.open(tmp_path / "p.db") as store:
        for a in (ORIGINAL, COPY):
            store.add_article(a)
        story = Story(id="s1", title="t", articles=["orig", "copy"])
        store.save_story(story)
        store.save_story_analysis(StoryAnalysis(story=story, provenance=records))
        loaded = store.load_story_analysis("s1")
    assert loaded is not None
    credit, reused = loaded.provenance
    assert credit.coverage is None and credit.passages == []
    assert reused.coverage == edge.coverage
    assert reused.passages == records[1].passages


def test_the_wire_own_report_joins_the_reports_that_credit_it() -> None:
    wire = Article(id="w", content_hash="w", text="x", source="Baltwire")
    credited = art("c", "y", credits=["Baltwire News Agency"])
    own = Article(id="o", content_hash="o", text="z", source="Kelm Courier")
    own2 = Article(id="o2", content_hash="o2", text="q", source="Kelm Courier")
    arts = [wire, credited, own, own2]
    named = provenance.named_origins(credited, analysis("c"))
    sources = {a.id: a.source for a in arts}
    groups = provenance.origin_groups([a.id for a in arts], named, [], sources)
    assert groups["w"] == groups["c"]
    # two reports of one outlet nobody names are not one origin for that alone
    assert len({groups["w"], groups["o"], groups["o2"]}) == 3
    graph = provenance.derivation_graph(
        provenance.provenance_records(named, []), [a.id for a in arts], sources
    )
    assert {"source": "w", "target": "source:baltwire", "kind": "published", "coverage": None} in (
        graph["edges"]
    )
    assert ["c", "w"] in graph["groups"] and ["o"] in graph["groups"]


def test_kendall_tau_b_is_scipys_to_the_last_bit() -> None:
    # rewrites are told by tau >= 0.5, and a tau of exactly 0.5 is common with few facts (four
    # facts, one pair out of order): the value must be SciPy's, bit for bit
    import math
    import random

    from scipy.stats import kendalltau

    from newsweave.story.provenance import kendall_tau_b

    rng = random.Random(17)
    cases = [([0, 1, 2, 3], [0, 1, 3, 2]), ([1, 1, 1, 1], [0, 1, 2, 3]), ([3, 1], [2, 2])]
    for _ in range(600):
        n = rng.randint(2, 30)
        spread = rng.choice([2, 4, n, 3 * n])
        cases.append(
            ([rng.randrange(spread) for _ in range(n)], [rng.randrange(spread) for _ in range(n)])
        )
    at_bound = 0
    for x, y in cases:
        mine, theirs = kendall_tau_b(x, y), float(kendalltau(x, y).statistic)
        assert (math.isnan(mine) and math.isnan(theirs)) or mine == theirs, (x, y)
        at_bound += mine == 0.5
    assert at_bound > 0
    assert (
        kendall_tau_b([0, 1, 2, 3], [0, 1, 3, 2])
        == kendalltau([0, 1, 2, 3], [0, 1, 3, 2]).statistic
    )
