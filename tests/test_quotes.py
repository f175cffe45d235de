"""Quotations and speakers on invented text (hand-built mentions, and one run of the NER)."""

from __future__ import annotations

import re

import pytest

from newsweave.document import quotes
from newsweave.model import Article, ArticleAnalysis, Mention, RawQuote, Sentence


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for p_index, line in enumerate(text.split("\n")):
        # a title's or an initial's full stop ends no sentence ("Ms. Ruiz", "D. A.")
        for m in re.finditer(
            r"(?:[^.!?]|(?<=\b(?:Mr|Ms|Dr|St))\.|(?<=\bMrs)\.|(?<=\b[A-Z])\.)+(?:[.!?]+[\"”]?|$)",
            line,
        ):
            if not m.group(0).strip():
                continue
            start = pos + m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            out.append(
                Sentence(
                    index=len(out),
                    start=start,
                    end=pos + m.end(),
                    text=m.group(0).strip(),
                    paragraph=p_index,
                )
            )
        pos += len(line) + 1
    return out


def mentions(text: str, sents: list[Sentence], names: dict[str, str]) -> list[Mention]:
    out: list[Mention] = []
    for name, label in names.items():
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            index = max(s.index for s in sents if s.start <= m.start())
            out.append(Mention(m.start(), m.end(), name, label, index))
    return sorted(out, key=lambda m: m.start)


def find(text: str, **names: str) -> list[RawQuote]:
    sents = sentences(text)
    people = {n.replace("_", " "): label for n, label in names.items()}
    return quotes.find(text, sents, mentions(text, sents, people))


def speakers(found: list[RawQuote]) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker_text) for q in found]


P = "PERSON"


@pytest.mark.parametrize(
    "text",
    [
        '"The hull was sound when we left port," Mara Lind said.',
        'Mara Lind said: "The hull was sound when we left port."',
        '"The hull was sound when we left port," said Mara Lind.',
        "“The hull was sound when we left port,” said Mara Lind, the ferry's owner.",
    ],
)
def test_speaker_patterns(text: str) -> None:
    (q,) = find(text, Mara_Lind=P)
    assert q.speaker_text == "Mara Lind"
    assert q.text.startswith("The hull was sound when we left port")
    assert text[q.start : q.end] == q.text
    assert q.speaker_start == text.index("Mara Lind")


def test_pronoun_speaker_is_the_last_subject_of_a_compatible_gender() -> None:
    text = 'Mara Lind met Tomas Vey at the pier. She said: "We will rebuild it before summer."'
    assert speakers(find(text, Tomas_Vey=P, Mara_Lind=P)) == [
        ("We will rebuild it before summer.", "Mara Lind")
    ]
    text = 'Tomas Vey met his wife Mara Lind at the pier. She said: "We will rebuild it soon."'
    assert find(text, Tomas_Vey=P, Mara_Lind=P)[0].speaker_text == "Mara Lind"
    text = 'Tomas Vey cooks for his wife Mara Lind. "She is the best thing in my life," he said.'
    assert find(text, Tomas_Vey=P, Mara_Lind=P)[0].speaker_text == "Tomas Vey"


def test_pronoun_with_partial_quote() -> None:
    text = 'Harbour chief Tomas Vey arrived first. He said the crew "acted with great courage".'
    assert speakers(find(text, Tomas_Vey=P)) == [("acted with great courage", "Tomas Vey")]


def test_person_told_is_addressed_not_speaking() -> None:
    text = 'Tomas Vey arrived at noon. He told Mara Lind: "The pier will be rebuilt by summer."'
    assert find(text, Tomas_Vey=P, Mara_Lind=P)[0].speaker_text == "Tomas Vey"
    text = '"The pier will be rebuilt by summer," Lind told Tomas Vey.'
    assert find(text, Lind=P, Tomas_Vey=P)[0].speaker_text == "Lind"


def test_person_inside_a_relative_clause_is_not_the_speaker() -> None:
    text = 'Lind, who met Tomas Vey on Monday, said: "The pier will be rebuilt by summer."'
    assert find(text, Lind=P, Tomas_Vey=P)[0].speaker_text == "Lind"


def test_two_quotes_two_speakers_in_one_sentence() -> None:
    text = '"The pier stays," Lind said, while Vey said "the town cannot afford it at all".'
    assert speakers(find(text, Lind=P, Vey=P)) == [
        ("The pier stays,", "Lind"),
        ("the town cannot afford it at all", "Vey"),
    ]


def test_continuation_in_the_same_paragraph() -> None:
    text = '"We will rebuild the pier," Lind said. "The town deserves nothing less."'
    assert speakers(find(text, Lind=P)) == [
        ("We will rebuild the pier,", "Lind"),
        ("The town deserves nothing less.", "Lind"),
    ]


def test_continuation_in_the_next_paragraph() -> None:
    text = '"We will rebuild the pier," Lind said.\n"The town deserves nothing less."'
    found = find(text, Lind=P)
    assert speakers(found) == [
        ("We will rebuild the pier,", "Lind"),
        ("The town deserves nothing less.", "Lind"),
    ]
    assert found[1].sentence == 1


def test_no_continuation_after_narration() -> None:
    text = (
        '"We will rebuild the pier," Lind said. The council met later.\n'
        '"The town deserves nothing less."'
    )
    assert speakers(find(text, Lind=P)) == [("We will rebuild the pier,", "Lind")]


def test_scare_quotes_are_dropped() -> None:
    assert find('Critics called the plan a "fresh start" for the Kelm port.') == []
    text = 'Critics called the new levy "a threat to the port" at the meeting.'
    assert find(text) == []


def test_long_quote_without_speaker_is_kept_unattributed() -> None:
    text = 'A sign read "No swimming beyond this point after dark by order of the board".'
    (q,) = find(text)
    assert q.speaker_text is None


def test_organisation_speaker_when_no_person() -> None:
    text = 'The Harbour Board said in a statement: "Ferries remain suspended until further notice."'
    (q,) = find(text, Harbour_Board="ORG")
    assert q.speaker_text == "Harbour Board"


def test_offsets_skip_padding_inside_the_marks() -> None:
    text = 'Lind said "  the pier is safe  " to reporters.'
    (q,) = find(text, Lind=P)
    assert q.text == "the pier is safe"
    assert text[q.start : q.end] == q.text


def test_normalise() -> None:
    assert quotes.normalise("We’re  READY, now!") == "we re ready now"
    assert quotes.normalise("“We're ready”") == quotes.normalise("We're ready.")


@pytest.fixture(scope="module")
def analysed() -> tuple[Article, ArticleAnalysis]:
    from newsweave.document.nlp import DocumentAnalyzer

    text = (
        "The Ostra ferry capsized off the coast on Tuesday.\n"
        "Harbour master Tomas Vey said the crew had followed every rule. "
        '"Nobody could have foreseen a wave of that size," Vey said.\n'
        '"We owe the rescuers everything."\n'
        'Critics called the timetable a "bad joke" for years.'
    )
    article = Article(id="q1", content_hash="q1", text=text, published="2025-03-06")
    return article, DocumentAnalyzer().analyze(article)


def test_quotes_through_the_document_stage(analysed: tuple[Article, ArticleAnalysis]) -> None:
    article, analysis = analysed
    got = [(q.text, q.speaker_text) for q in analysis.quotes]
    assert got == [
        ("Nobody could have foreseen a wave of that size,", "Vey"),
        ("We owe the rescuers everything.", "Vey"),
    ]
    for q in analysis.quotes:
        assert article.text[q.start : q.end] == q.text


def test_every_mark_convention() -> None:
    for text in (
        "Lind said: «The pier will be rebuilt by summer.»",
        "Lind said: „The pier will be rebuilt by summer.“",
        "Lind said: ''The pier will be rebuilt by summer,” to reporters.",
        "Lind said: ‘The pier will be rebuilt by summer.’",
        "Lind said: 「The pier will be rebuilt by summer.」",
    ):
        (q,) = find(text, Lind=P)
        assert (q.text.rstrip(".,"), q.speaker_text) == (
            "The pier will be rebuilt by summer",
            "Lind",
        )
    # an apostrophe is no closing mark
    (q,) = find("Lind said: ‘The pier’s deck will be rebuilt by summer.’", Lind=P)
    assert q.text == "The pier’s deck will be rebuilt by summer."


def test_a_quotation_over_paragraphs() -> None:
    # the opening mark repeated at each paragraph, the closing one only at the end
    text = (
        "“We will rebuild the pier before the summer season,” Lind said.\n"
        "“The town deserves nothing less.\n"
        "“Every family here has used it.”"
    )
    assert [s for _, s in speakers(find(text, Lind=P))] == ["Lind", "Lind", "Lind"]
    # the attribution at the end of the last paragraph names the speaker of the first
    text = (
        "“I turned around and there was a man shouting at a car to stop.\n"
        "And there was a woman on the ground in front of the tire,” recalled Benson."
    )
    found = find(text, Benson=P)
    assert [s for _, s in speakers(found)] == ["Benson", "Benson"]
    assert found[1].text.startswith("And there was a woman")


def test_speaker_of_the_reported_speech_before() -> None:
    text = (
        "Dr. Jorge Alsip said the nominee is tenacious.\n"
        '"If Regina is in a fight, do not ever bet against her."'
    )
    assert find(text, Jorge_Alsip=P)[0].speaker_text == "Jorge Alsip"
    text = (
        "She is approachable, said Sean Tipton, spokesman for the society.\n"
        '"He has an ability to talk to the public and to policymakers."'
    )
    assert find(text, Sean_Tipton=P)[0].speaker_text == "Sean Tipton"


def test_names_the_tagger_missed_and_titles_it_ran_into_names() -> None:
    text = (
        "Constable Tim Fanning arrived first. Lind left.\n"
        "“Everyone got out of the building safely,” Const. Fanning said."
    )
    assert find(text, Tim_Fanning=P, Lind=P)[0].speaker_text == "Fanning"
    text = "“He was tased by the police,” said Bloomington Police Sgt. Marty Earley."
    found = find(text, **{"Bloomington Police Sgt": P, "Marty_Earley": P})
    assert found[0].speaker_text == "Marty Earley"


def test_description_speakers() -> None:
    text = (
        "Ema Suryani, a doctor at the clinic, saw the injured.\n"
        "“We have received around 50 people with injuries,” added the doctor.\n"
        "“Two of the roads are closed to all traffic,” police said."
    )
    assert [s for _, s in speakers(find(text, Ema_Suryani=P))] == ["Ema Suryani", "police"]
    # an outlet told the words: it relays them, it does not speak
    text = "“The hull was sound when we left port,” the captain told Reuters."
    assert find(text, Reuters="ORG")[0].speaker_text == "the captain"


def test_more_frames() -> None:
    # a straight single mark opening a paragraph
    text = "Lt. Gerry Scherlinck spoke to reporters.\n'We're actively looking for him,' he said."
    assert speakers(find(text, Gerry_Scherlinck=P)) == [
        ("We're actively looking for him,", "Gerry Scherlinck")
    ]
    # the speech verb later in the sentence, then the name
    text = '"We heard pop, pop, pop," and then yelling, said Jean Larson, an accountant.'
    assert find(text, Jean_Larson=P)[0].speaker_text == "Jean Larson"
    # a description set before the name
    text = "“We are really just shocked,” said her nephew, Ravi Singh, 32."
    assert find(text, Ravi_Singh=P)[0].speaker_text == "Ravi Singh"
    # a statement introduced by a colon
    text = (
        "General Manager Anna Smith issued the following statement on the arrest:\n"
        "“We're aware of the issue and are gathering all the facts.”"
    )
    assert find(text, Anna_Smith=P)[0].speaker_text == "Anna Smith"


def test_attributions_closing_the_sentence_before_or_set_apart() -> None:
    text = (
        "Dr. Benjamin is more liberal than many physicians on the coast, Dr. Terry said.\n"
        '"Maybe the president saw a little of that in her."'
    )
    assert find(text, Benjamin=P, Terry=P)[0].speaker_text == "Terry"
    text = (
        "The vessel called for help, a Defence Ministry statement said.\n"
        "“On sighting the helicopter, the boats disengaged and attempted escape.”"
    )
    assert find(text, Defence_Ministry="ORG")[0].speaker_text == "Defence Ministry"
    text = "“A couple of us tried to exit and they told us to stay,”\nPearce said, adding more."
    assert find(text, Pearce=P)[0].speaker_text == "Pearce"
    text = (
        "John Banky, Ben's older brother, spoke briefly on Monday.\n"
        "“He spoke a few languages and could play any instrument,” said his brother."
    )
    assert find(text, John_Banky=P, Ben=P)[0].speaker_text == "John Banky"


def test_organisation_before_a_person_and_possessed_names() -> None:
    text = "The deal will be bad “for anyone without a contract,” said IDC analyst Bob Welch."
    assert find(text, IDC="ORG", Bob_Welch=P)[0].speaker_text == "Bob Welch"
    text = (
        "But AMD's Lisa Su says the company has been eyeing such technologies.\n"
        "“We have been looking at the key technology innovations for years.”"
    )
    assert find(text, AMD="ORG", Lisa_Su=P)[0].speaker_text == "Lisa Su"


def test_a_straight_closing_mark_spaced_before_the_name() -> None:
    text = '"We do not need him here right now, "Utah prosecutor Craig Barlow said.'
    (q,) = find(text, Craig_Barlow=P)
    assert (q.text, q.speaker_text) == ("We do not need him here right now,", "Craig Barlow")


@pytest.mark.slow
def test_a_relative_after_a_preposition_and_a_name_before_a_role_are_not_the_speaker() -> None:
    from newsweave.document.nlp import DocumentAnalyzer

    text = (
        "The actor Hugh Jackman will host the ceremony.\n"
        "Jackman sings ballads at home and makes pancakes for son Oscar, 8, and daughter Ava.\n"
        "“My kids have been the best things that have ever happened to me,” he said.\n"
        "“We are going back to the old days a little bit,” said Oscar producer Laurence Mark.\n"
    )
    found = DocumentAnalyzer().analyze(Article(id="a", content_hash="a", text=text)).quotes
    speakers = {q.text[:10]: q.speaker_text for q in found}
    assert speakers == {"My kids ha": "Jackman", "We are goi": "Laurence Mark"}


@pytest.mark.slow
def test_one_quotation_given_to_two_people_is_two_quotes_and_a_speaker_conflict() -> None:
    from newsweave.document.nlp import DocumentAnalyzer
    from newsweave.embed import get_embedder
    from newsweave.ingest import clean_document
    from newsweave.model import Document, Story
    from newsweave.story.account import build_account

    said = (
        "“We are aware of the issue involving our receiver,” {} said in a statement. "
        "“Obviously we are disappointed in him.”"
    )
    texts = {
        "one": "The team suspended its receiver on Tuesday.\n" + said.format("manager Ann Roe"),
        "two": "The receiver was arrested on Tuesday.\n" + said.format("manager Ann Roe"),
        "three": "The receiver was arrested early Tuesday.\n" + said.format("manager Bo Lind"),
    }
    docs = [Document(text=t, path=p, published="2026-04-14") for p, t in texts.items()]
    articles = [clean_document(d) for d in docs]
    analyses = [DocumentAnalyzer().analyze(a) for a in articles]
    story = Story(id="s-1", title="", articles=[a.id for a in articles])
    acc = build_account(story, articles, analyses, get_embedder())
    name = {a.id: a.path for a in articles}
    quoted = [q for q in acc.quotes if "We are aware" in q.text]
    assert sorted((q.speaker_name, sorted(name[a] for a in q.articles)) for q in quoted) == [
        ("Ann Roe", ["one", "two"]),
        ("Bo Lind", ["three"]),
    ]
    [conflict] = [c for c in acc.conflicts if c.kind == "speaker"]  # one for both quotations
    assert conflict.about == (
        "who said “We are aware of the issue involving our receiver” and 1 more quotation"
    )
    assert [(v.value, len(v.articles)) for v in conflict.values] == [("Ann Roe", 2), ("Bo Lind", 1)]


def test_a_description_speaks_unless_it_is_said_of_a_named_person() -> None:
    # "the source" is not the general manager named in the sentence before
    text = (
        "The timing of this move by general manager Ed Stefanski was a surprise.\n"
        "“Ed just wasn't seeing any progress,” the source said, and Stefanski expected more.\n"
        "“Everybody zones them,” an Eastern Conference executive said Saturday.\n"
        "Police spokesman Dave Gaskin said the deaths were a warning.\n"
        "“It looks like a lack of experience,” the spokesman said."
    )
    found = find(text, Ed_Stefanski=P, Stefanski=P, Eastern_Conference="ORG", Dave_Gaskin=P)
    assert [q.speaker_text for q in found] == [
        "the source",
        "an Eastern Conference executive",
        "Dave Gaskin",
    ]


def test_a_possessor_or_an_addressee_is_no_speaker() -> None:
    text = '"We deny any improper conduct," said Biancardi\'s attorney, James Zeszutek.'
    assert find(text, Biancardi=P, James_Zeszutek=P)[0].speaker_text == "James Zeszutek"
    text = (
        "Benjamin was named Person of the Week.\n"
        '"They are too poor to pay their bills at times," she told ABC News\' Peter Jennings.\n'
        '"Sometimes it is very frustrating and all for nothing in the end."'
    )
    found = find(text, Benjamin=P, Peter_Jennings=P, ABC_News="ORG")
    assert [q.speaker_text for q in found] == ["Benjamin", "Benjamin"]


def test_a_name_after_a_title_is_a_person_whatever_the_tagger_typed() -> None:
    text = 'Academy President Boone Isaacs said, "I agreed with them at once that she is ideal."'
    found = find(text, Academy="ORG", Boone_Isaacs="ORG")
    assert found[0].speaker_text == "Boone Isaacs"


def test_a_quotation_over_paragraphs_not_reopened_is_one_quotation() -> None:
    # copy that sets each sentence of a quotation as its own paragraph without reopening it
    text = (
        "Jackson released a statement through the team later Tuesday.\n"
        "“Yesterday I was stopped by an officer.\n"
        "I don't think any charges will be filed as a result of the stop.\n"
        "In the event they are, I look forward to clearing my name.”\n"
        "Jackson had a breakout year."
    )
    (q,) = find(text, Jackson=P)
    assert q.text.startswith("Yesterday") and q.text.endswith("clearing my name.")
    assert q.speaker_text == "Jackson"
    # a stray opening mark with no closing one later stays a quotation of its paragraph only
    text = '"The building houses several offices.\nThe car is no longer in the parking lot.'
    assert all("\n" not in q.text for q in find(text))


def test_an_open_quotation_takes_the_speaker_its_closing_paragraph_names() -> None:
    text = (
        "“Our prayers are with the man who lost his wife,” said Gallagher, who ran to help.\n"
        "“He was pretty shook up.\n"
        "He tried to provide first aid for her,” said Sgt. Marty Earley of the police."
    )
    found = find(text, Gallagher=P, Marty_Earley=P)
    assert [q.speaker_text for q in found] == ["Gallagher", "Marty Earley", "Marty Earley"]


def test_an_outlet_quoting_someone_is_not_the_speaker() -> None:
    text = (
        "According to Laurence Mark, producer of the telecast, the actor was chosen “because we "
        "want the ceremony to be fun,” People quoted him as saying."
    )
    found = find(text, Laurence_Mark=P, People="ORG")
    assert found[0].speaker_text == "Laurence Mark"


def test_marks_as_copy_converted_from_sentence_per_line_text_sets_them() -> None:
    # a closing mark opening a paragraph opens a quotation
    text = (
        "Mara Lind said: “The fire spread through the store in minutes.\n"
        "” Drivers are asked to keep away from the quay until noon.”"
    )
    assert speakers(find(text, Mara_Lind=P)) == [
        ("The fire spread through the store in minutes.", "Mara Lind"),
        ("Drivers are asked to keep away from the quay until noon.", "Mara Lind"),
    ]
    # a straight closing mark spaced after the quotation's end punctuation closes it
    text = (
        '"We will be at the gates every morning!\nNothing changes unless you push, "said Tomas Vey.'
    )
    assert speakers(find(text, Tomas_Vey=P)) == [
        ("We will be at the gates every morning!", "Tomas Vey"),
        ("Nothing changes unless you push,", "Tomas Vey"),
    ]
    # a quotation left open runs through lines with no mark up to a line that reopens it
    text = (
        'Mara Lind said: "She moved north to find steady work on the boats.\n'
        "Her son went to sea school, I think.\n"
        '"When she came back, he came with her."'
    )
    found = find(text, Mara_Lind=P)
    assert "Her son went to sea school" in found[0].text
    assert [q.speaker_text for q in found] == ["Mara Lind", "Mara Lind"]


def test_straight_single_marks_in_copy_that_quotes_with_them() -> None:
    text = (
        "One friend of the family, Mara Lind, said: 'He adored his aunt and his cousins.\n"
        "They all helped each other out.'\n"
        "His aunt worked at the port and 'would lend a hand to anyone', said Lind.\n"
        "The kids' school closed on Monday."
    )
    assert speakers(find(text, Mara_Lind=P)) == [
        ("He adored his aunt and his cousins.", "Mara Lind"),
        ("They all helped each other out.", "Mara Lind"),
        ("would lend a hand to anyone", "Lind"),
    ]


def test_descriptions_speak_as_descriptions_and_bodies_through_their_spokesmen() -> None:
    # a description is no name, wherever the sentence began
    text = 'A close friend of the family said: "We cannot believe it happened here."'
    assert find(text)[0].speaker_text == "a close friend"
    text = 'One said: "I heard a loud crash and then the horn of a ship."'
    assert find(text)[0].speaker_text == "one"
    text = 'Then a co-worker said, "Quick, everyone out of the warehouse right now!"'
    assert find(text)[0].speaker_text == "a co-worker"
    # a spokesman or a statement for a body: the body speaks
    for text in (
        'A spokesman for Harbourline said: "Fortunately the crew were all ashore at the time."',
        'A statement from Harbourline said: "The depot roof will have to be replaced."',
        'A Harbourline spokeswoman said: "The depot roof will have to be replaced."',
    ):
        assert find(text, Harbourline="ORG")[0].speaker_text == "Harbourline"
    # a document issued before: its issuer, past the names that only say where they work
    text = (
        "Harbourline issued a statement on Friday.\n"
        "The statement expresses sympathy for the families, saying, “We think of every family here.”"
    )
    assert find(text, Harbourline="ORG")[0].speaker_text == "Harbourline"
    text = (
        "Principal Ana Ruiz of the School of Design and Construction wrote a letter on Monday.\n"
        "“He learned to sail and to mend nets this year,” the letter read."
    )
    found = find(text, Ana_Ruiz=P, **{"School of Design and Construction": "ORG"})
    assert found[0].speaker_text == "Ana Ruiz"


def test_a_title_or_role_is_the_person_named_with_it_whatever_its_case() -> None:
    text = (
        "District Attorney Tomas Vey spoke after the verdict.\n"
        "“We will bring the people who did this to court,” the District Attorney said.\n"
        "Mayor Ana Ruiz greeted the shoppers.\n"
        "“The market was busy again for the first time in weeks,” the mayor said."
    )
    found = find(text, Tomas_Vey=P, Ana_Ruiz=P)
    assert [q.speaker_text for q in found] == ["Tomas Vey", "Ana Ruiz"]


def test_a_conjunction_is_no_speaker() -> None:
    text = 'Lind said the pier was old – he "claimed it was never repaired" – and added more.'
    assert find(text, Lind=P)[0].speaker_text == "Lind"


def test_a_pronoun_takes_up_who_spoke_last_described_or_named() -> None:
    # not the victim the story is about: the neighbour and the relative who spoke
    text = (
        "Police found Ana Ruiz, 58, injured on the quay on Saturday.\n"
        "Tomas Vey, 23, was held nearby.\n"
        "Yesterday a neighbour recalled hearing shouting from the boat at night.\n"
        '"I went out onto the deck and heard two men arguing," he said.\n'
        "According to a relative, Vey had been unwell for years.\n"
        '"He has had a hard life, but he is not a bad man," she said.'
    )
    found = find(text, Ana_Ruiz=P, Tomas_Vey=P)
    assert [q.speaker_text for q in found] == ["a neighbour", "a relative"]
    # "according to X" names a speaker
    text = (
        "Jon Wren, a director at the ferry firm, said the delay was serious.\n"
        "According to Alan Brook, director of the port agency, the berths will be rebuilt.\n"
        '"Two new berths are planned for next year," he said.'
    )
    assert find(text, Jon_Wren=P, Alan_Brook=P)[0].speaker_text == "Alan Brook"


def test_the_subject_a_pronoun_takes_up_is_who_speaks_in_the_sentence() -> None:
    text = (
        "Harbour master Lars Wendel said the pilot had arrived early.\n"
        "Asked if Orvell could have been saved, Wendel said there was no way to know.\n"
        '"There might have been two boats lost," he said.'
    )
    assert find(text, Lars_Wendel=P, Orvell=P)[0].speaker_text == "Wendel"
    text = (
        "Garvin then steered the boat past Rico Wills.\n"
        "He later said he regretted not giving Wills a chance to catch the line.\n"
        "“I thought the wind was too strong to risk it,” he said."
    )
    assert find(text, Garvin=P, Rico_Wills=P)[0].speaker_text == "Garvin"
    # a woman the text marks as one, before a name that says nothing of its gender
    text = (
        "In the end, his daughter, Jolin, persuaded him to sell the boat;\n"
        "after all, Brook was sure to buy it anyway.\n"
        "“We could pay off the mooring fees with it,” she told her father."
    )
    assert find(text, Jolin=P, Brook=P)[0].speaker_text == "Jolin"
    # "..., she said" closing a sentence: she speaks, not the body it names
    text = (
        "Harbourline is not sure what caused the leak, she said.\n"
        '"We have two ideas about what happened out there at the depot."'
    )
    assert find(text, Harbourline="ORG")[0].speaker_text is None


def test_and_inside_a_name_opens_no_clause() -> None:
    text = (
        "Ana Ruiz, dean of the Faculty of Boats and Harbours, said: "
        '"The whole faculty is proud of the crew and of their rescue."'
    )
    found = find(text, Ana_Ruiz=P, **{"Faculty of Boats and Harbours": "ORG"})
    assert found[0].speaker_text == "Ana Ruiz"


def test_more_speech_verbs_and_titles_that_are_no_names() -> None:
    text = '"A march is one thing and arson is quite another!" Premier Tomas Vey thundered.'
    assert find(text, Tomas_Vey=P)[0].speaker_text == "Tomas Vey"
    text = "“The defendant grew angry and pushed the clerk against a wall,” the records state."
    assert find(text)[0].speaker_text == "the records"
    text = '"This is the case the new rules were written for," said Dist. Atty. Ana Ruiz.'
    assert find(text, Dist=P, Ana_Ruiz=P)[0].speaker_text == "Ana Ruiz"


def test_names_the_tagger_typed_as_places_where_only_a_person_goes() -> None:
    for text, name in (
        (
            "“The noise we make is nothing next to theirs,” said 32-year-old marcher Ana Ruiz.",
            "Ana Ruiz",
        ),
        ("“I worry for the students,” said Ana Ruiz, 40, a harbour clerk.", "Ana Ruiz"),
        ("“What I saw was a square full of broken glass,” Professor Vey said.", "Vey"),
    ):
        found = find(text, Ana_Ruiz="FAC", Professor_Vey="ORG")
        assert found[0].speaker_text.endswith(name)


def test_an_outlet_speaks_in_its_own_words() -> None:
    text = (
        "“Inspectors have established that the leak came from a worn valve,” the Courier reported."
    )
    assert find(text, Courier="ORG")[0].speaker_text == "Courier"
    text = "According to the Courier, “inspectors had a hard time finding a cause for it.”"
    assert find(text, Courier="ORG")[0].speaker_text == "Courier"
    # it relays what it was told
    text = "According to the Courier, the minister said: “We will rebuild the port this year.”"
    assert find(text, Courier="ORG")[0].speaker_text == "the minister"


def test_quoted_as_saying_and_transcripts() -> None:
    text = '"He is as sly as a cat," Mr. Vey quoted Mr. Lind as saying of the skipper.'
    assert find(text, Vey=P, Lind=P)[0].speaker_text == "Lind"
    text = (
        "The recording captured the call.\n"
        "Vey asks: “Somebody at the harbour office?”\n"
        "Lind: “Yes, sir, it is him.\n"
        "If we sack him, he will go out and tell everyone.”"
    )
    found = find(text, Vey=P, Lind=P)
    assert [q.speaker_text for q in found] == ["Vey", "Lind", "Lind"]


def test_quotations_of_one_sentence_share_its_attribution() -> None:
    text = (
        '"The port is a special case in the region" because it "has kept poor records '
        'for years," Commissioner Tomas Vey said.'
    )
    found = find(text, Tomas_Vey=P)
    assert [q.speaker_text for q in found] == ["Tomas Vey", "Tomas Vey"]
    text = (
        'Lawyer Ana Ruiz said that "leaving the money aside," he had suffered from '
        '"a long list of problems with his back and knees," and had surgery.'
    )
    found = find(text, Ana_Ruiz=P)
    assert [q.speaker_text for q in found] == ["Ana Ruiz", "Ana Ruiz"]
    # a long subject before the verb
    text = (
        "“He has the patience and the skill to lead the board,” Harold L. Crane Jr., legal "
        "adviser to the port authority in Velmora and a 30-year veteran of the board, told Vey in a letter."
    )
    assert find(text, **{"Harold L. Crane": P}, Vey=P)[0].speaker_text == "Harold L. Crane"


def test_an_apostrophe_does_not_stop_a_quotation_running_over_lines() -> None:
    text = (
        'The release says Deputy Vey "saw Lind shortly after noon and followed him.\n'
        "Lind was waiting behind the warehouse’s side door.\n"
        'He threw a crate at the deputy and ran."'
    )
    found = find(text, Vey=P, Lind=P)
    assert "He threw a crate at the deputy" in found[0].text


def test_who_the_clause_reported_names_is_not_its_speaker() -> None:
    # the name opening the clause a verb reports does not say it
    text = 'The Harbour Board\'s release says Deputy Vey "saw Lind shortly after noon."'
    assert find(text, Vey=P, Lind=P)[0].speaker_text == "Harbour Board"
    # the subject of a that-clause speaks with the participle after it
    text = 'Ana Ruiz told reporters that Lind called the harbour office, saying "I am the one who cut the ropes."'
    assert find(text, Ana_Ruiz=P, Lind=P)[0].speaker_text == "Lind"
    # a name after a preposition and a title, or after "as", is no subject
    text = (
        "Tomas Vey was released in 2008.\n"
        "In 2005, he was charged with threats against Ms. Ana Ruiz, according to court records, "
        "which say he blocked her door and told her, “You will not sell this boat without me.”"
    )
    assert find(text, Tomas_Vey=P, Ana_Ruiz=P)[0].speaker_text == "Tomas Vey"
    text = "Friends of Ana Ruiz, known as Ana, have described her as a “cheerful and hard-working sailor.”\nHer friends were shocked."
    assert find(text, Ana_Ruiz=P, Ana=P)[0].speaker_text == "friends"


def test_a_document_nobody_is_named_issuing_is_the_last_body_that_spoke() -> None:
    text = (
        "A Harbourline representative confirmed the ferry had run aground.\n"
        "“This is a hard week for everyone who works at our depot,” a statement reads."
    )
    assert find(text, Harbourline="ORG")[0].speaker_text == "Harbourline"


def test_a_verb_with_no_subject_of_its_own_and_it_for_a_body() -> None:
    text = (
        'Lind said the crane was needed for the repairs and added, "Since it was never used, that is '
        'obviously in question."'
    )
    assert find(text, Lind=P)[0].speaker_text == "Lind"
    text = (
        "A statement from Harbourline said the store would be rebuilt.\n"
        "“We have set up a fund for the families of the crew,” it added."
    )
    assert find(text, Harbourline="ORG")[0].speaker_text == "Harbourline"


def test_a_word_or_two_a_person_is_quoted_saying() -> None:
    text = 'Lt. Ana Ruiz spoke this morning. She described the men who took the boat as "truly reckless."'
    assert speakers(find(text, Ana_Ruiz=P)) == [("truly reckless.", "Ana Ruiz")]
    text = "“Hurry,” Vey commanded."
    assert speakers(find(text, Vey=P)) == [("Hurry,", "Vey")]
    # a phrase in quotation marks is no quotation
    assert find("Vey, better known as “Old Anchor,” died on Friday.", Vey=P) == []


def test_words_introduced_by_the_sentence_before() -> None:
    text = (
        "Bob Vey, 66, said he saw a police boat block the harbour mouth.\n"
        "Later in the afternoon, “I went back to my desk and heard a loud bang.”"
    )
    assert find(text, Bob_Vey=P)[0].speaker_text == "Bob Vey"
    text = (
        "Ana Ruiz, 17, who works at the kiosk nearby, also heard the bang.\n"
        "“At first I thought it was a storm, until I saw all the fire engines.”"
    )
    assert find(text, Ana_Ruiz=P)[0].speaker_text == "Ana Ruiz"
    # the attribution going on on the next line
    text = '"Tomaso? He is the captain of the bathtub!"\nhis mother told a columnist.'
    assert find(text)[0].speaker_text == "his mother"


def test_a_body_described_by_its_kind_and_a_person_by_a_nationality() -> None:
    text = (
        "Centre-left daily Courier warned the dockers would strike.\n"
        '"If nothing is done, the strike will close the port for weeks," the paper said.'
    )
    assert find(text, Courier="ORG")[0].speaker_text == "Courier"
    text = (
        "A fire broke out at the Harbourline depot on Thursday.\n"
        '"This is a hard day for everyone who works at the depot," the company said.'
    )
    assert find(text, Harbourline="ORG")[0].speaker_text == "Harbourline"
    text = '"I hope they mend the cable before the weekend," said an Icelandic blogger and writer.'
    assert find(text, Icelandic="NORP")[0].speaker_text == "an Icelandic blogger and writer"


def test_titles_joined_by_and_and_titles_the_tagger_ran_into_a_name() -> None:
    text = (
        '"Choices like this one are always hard," team president and general manager Ed Vey said.'
    )
    assert find(text, Ed_Vey=P)[0].speaker_text == "Ed Vey"
    text = '"He probably knew he would be caught," Undersheriff James Garro said.'
    assert find(text, Undersheriff_James_Garro="WORK_OF_ART")[0].speaker_text == "James Garro"
    # an apostrophe before the closing mark of a quotation carried from the line before
    text = (
        "“The ferry immediately turned towards the drifting boats.\n"
        "On seeing the ferry’s lights, the boats tried to row away,” Captain Ana Ruiz said."
    )
    assert [q.speaker_text for q in find(text, Ana_Ruiz=P)] == ["Ana Ruiz", "Ana Ruiz"]
    # a name opening a clause a later verb reports is not its speaker
    text = 'Vey called Lind a "born liar" and insisted Ruiz had no knowledge of the plans.'
    assert find(text, Vey=P, Lind=P, Ruiz=P)[0].speaker_text == "Vey"


def test_what_no_one_is_quoted_saying() -> None:
    # a headline naming a title is no transcript line
    text = 'Ana Ruiz: "Golden Swan" Diver And Singer Dies Aged 88.\nShe died on Friday.'
    assert find(text, Ana_Ruiz=P) == []
    # a name, or who is described, says nothing
    text = "Halvor said the loss of a net, known as “drift,” carries fines."
    assert find(text, Halvor=P) == []
    text = "Vey is a solid rower.\nFor these reasons, he has been described as the “pride of the whole harbour.”"
    assert "Vey" not in [q.speaker_text for q in find(text, Vey=P)]
    # an adverb opening the sentence is no name
    text = (
        "A source tells the paper that the two sides will agree:\n"
        "Ultimately, it will take time, and both will settle,” says one.\n"
        "“Nobody will leave the table fully happy.”"
    )
    assert [q.speaker_text for q in find(text)][-1] == "one"
    # who said it, not where it is written
    text = (
        "Pella never had to testify.\n"
        "For Pella, the songs were harmless fun.\n"
        "“But honestly, who could take any of this seriously?” she said, according to her website.\n"
        "“I never understood how anyone found those lyrics shocking.”"
    )
    assert [q.speaker_text for q in find(text, Pella=P)] == ["Pella", "Pella"]


def test_who_relays_and_who_the_pronoun_next_to_the_verb_is() -> None:
    # an outlet reporting what someone named before said
    text = (
        "Commissioner Ana Ruiz said: “We are glad the inquiry has found the cause of the "
        "leak,” the Courier reported."
    )
    assert find(text, Ana_Ruiz=P, Courier="ORG")[0].speaker_text == "Ana Ruiz"
    # the pronoun right before the verb is its subject, not a name before it
    text = (
        "Where Olmar heard of it is not explained in the complaint, but it says she drew up "
        'a plan "to hide the real state of the accounts and the losses at the bakery."'
    )
    assert find(text, Olmar=P)[0].speaker_text is None
    # who the possessor has speaks, not the possessor
    text = (
        "Ruiz's mother, Ana Vey, said she is now looking after the children.\n"
        'Of the driver, she said, "He is a danger to everyone on the road."'
    )
    assert find(text, Ruiz=P, Ana_Vey=P)[0].speaker_text == "Ana Vey"
    # a nationality or party with an article is a person described
    text = (
        "Ruiz has been “the board's first pick” for the post, said the Democrat who is "
        "familiar with the talks."
    )
    assert find(text, Ruiz=P, Democrat="NORP")[0].speaker_text == "the Democrat"


def test_participles_asides_and_colons() -> None:
    # "by asking", and "her daughter screaming": who does it
    text = (
        "Ruiz lightened the mood at the gala in 2001, which was delayed, by asking, "
        '"What would annoy them more than a rower in a tuxedo?"'
    )
    assert find(text, Ruiz=P)[0].speaker_text == "Ruiz"
    text = (
        "Ana Vey, his mother, was the first witness, describing the scene, and her son "
        "shouting, “Mum, mum, the boat is sinking under me.”"
    )
    assert find(text, Ana_Vey=P)[0].speaker_text == "her son"
    # an aside naming who said it, not the name before it
    text = (
        "Vey resigned less than two years later when, one of his lawyers would later say, it was "
        "plain that “with the help of a clerk, the auditors worked it all out.”"
    )
    assert find(text, Vey=P)[0].speaker_text == "one of his lawyers"
    # a pronoun opening the clause a colon ends, past an adverbial
    text = (
        "Ana Ruiz will lead the regatta next year.\n"
        "In typical fashion, she released a jokey response to the news: “I am so glad to be "
        "steering it for the second time.”"
    )
    assert find(text, Ana_Ruiz=P)[0].speaker_text == "Ana Ruiz"
    # "claiming X is ...": X opens what is claimed
    text = (
        "A magazine is claiming Tomas Vey is getting the post.\n"
        "“There will be a new harbour master, and he will be a local man.”"
    )
    assert find(text, Tomas_Vey=P)[0].speaker_text != "Tomas Vey"


def test_kinds_of_bodies_and_groups_of_people() -> None:
    # a daily the tagger typed as a place
    text = (
        "Centre-left daily Courier warned the dockers would strike.\n"
        '"If nothing is done, the strike will close the port for weeks," the paper said.'
    )
    assert find(text, Courier="GPE")[0].speaker_text == "Courier"
    # "Friends of X": friends, described
    text = 'Friends of Ana Ruiz, known as Ana, have described her as a "bright and much-liked student."'
    assert find(text, Ana_Ruiz=P, Ana=P)[0].speaker_text == "friends"
    # an opening single mark closed by a double one spaced before the name
    text = "'I cannot speak for the first capsize, but this one looks like a lack of practice, \"Vey said."
    assert find(text, Vey=P)[0].speaker_text == "Vey"


@pytest.mark.parametrize(
    "text",
    [
        'His lawyer, Mara Lind, offered the explanation that "the hull was sound when we left".',
        'Mara Lind gave a stern warning: "The hull was not sound when we left port."',
        'Mara Lind issued a reminder that "the hull was sound when we left port."',
    ],
)
def test_words_given_as_a_thing_name_their_speaker(text: str) -> None:
    """ "offered the explanation that", "gave a warning:": the one who gives them speaks."""
    (q,) = find(text, Mara_Lind=P)
    assert q.speaker_text == "Mara Lind"


def test_a_name_with_initials_the_tagger_typed_as_a_body_is_a_person_before_an_age() -> None:
    """ "T.J. Simons, 17, ..." typed as an organisation is still the person introduced before
    their words in the next paragraph."""
    text = (
        "T.J. Simons, 17, who works at a petrol station nearby, also heard the blast.\n"
        "“At first I thought it was thunder, until I saw all the police cars arriving.”"
    )
    sents = sentences(text)
    (q,) = quotes.find(text, sents, mentions(text, sents, {"T.J. Simons": "ORG"}))
    assert q.speaker_text == "T.J. Simons"
