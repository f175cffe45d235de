"""Direct quotations and their speakers, as written in one article.

**Quotations.** Text between quotation marks of any convention news copy uses: straight and curly
double quotes, ``«»``, ``‹›``, ``„“``, ``「」``, wire copy's ``''...''`` (older copy's `````...''``
is turned into curly quotes at ingest), and curly single quotes ``‘...’`` (an apostrophe is not a
closing mark). Marks are paired within a paragraph; an opening mark never closed in its paragraph
opens a quotation that runs to the paragraph's end: news prose repeats the opening mark at each
paragraph of a long quotation and closes it only at the end.

**Speakers.** The speaker is the subject of the speech verb that frames the quotation:
``"...," X said``, ``"...," said X``, ``X said: "..."``, ``X told reporters the ship was
"..."``, ``according to X``. Of the names before the verb, the subject is the first one that is
not inside a relative clause, not after a preposition ("a spokesman for X") and not spoken to
("told X"); a news outlet that relays the words ("told AFP", "the Tribune reported") is never the
speaker, nor is anyone named inside the quotation. A pronoun ("he said") is the last person who
spoke or was the subject of a sentence before it, of a gender that fits when the text tells
("Mrs.", "his wife"); a description ("the doctor said", "said his brother", "the statement
said") is the last person named with that description (the body that issued the statement),
and otherwise stays the description ("police said"). A quotation with no speech verb of its own
continues the attributed quotation just before it (the next sentence, or the next paragraph of
a long quotation), or is the reported speech of the sentence before it ("Dr. Alsip also said
the nominee is tenacious. ¶ "If Regina's in a fight ...""). Quoted phrases with no speaker are
kept only when long enough to be a statement rather than a scare quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from newsweave.document.attribution import MEDIA_WORDS
from newsweave.model import Mention, RawQuote, Sentence

SPEECH_VERBS = (
    "said|says|say|saying|told|tells|telling|added|adds|adding|stated|states|asserted|asserts|"
    "asserting|noted|notes|noting|explained|explains|explaining|declared|declares|announced|"
    "announces|wrote|writes|writing|argued|argues|warned|warns|warning|insisted|insists|urged|"
    "urges|urging|emphasi[sz]ed|emphasi[sz]es|emphasi[sz]ing|stressed|stresses|stressing|"
    "commented|remarked|replied|responded|directed|directs|ordered|orders|instructed|instructs|"
    "called|calling|invited|inviting|quoted|acknowledged|admitted|claimed|claims|promised|"
    "pledged|vowed|recalled|recalls|suggested|continued|concluded|confirmed|tweeted|posted|"
    "testified|conceded|cautioned|complained|agreed|observed|predicted|joked|shouted|asked|"
    "answered|reported|reports|described|describes|recounted|pointed out|went on|"
    # a document reads ("the letter read"); a sign only shows its words
    "(?:(?<=letter )|(?<=statement )|(?<=release )|(?<=memo )|(?<=message ))reads?|"
    "thundered|mused|yelled|yells|cried|screamed|exclaimed|whispered|quipped|boasted|lamented|"
    "countered|reiterated|commanded|muttered|asks|ask|(?<=s )state|dismissed|"
    "asking|describing|recalling|insisting|claiming|declaring|announcing|stating|confirming|"
    "admitting|promising|vowing|complaining|joking|shouting|replying|responding|tweeting|"
    "screaming|yelling|crying|"
    "according to|in a statement|in an interview|(?:released|issued) a statement|"
    # words given as a thing: "offered the explanation that", "gave a stern warning:"
    "(?:offered|gave|issued|made|delivered|sent)\\s+(?:(?:the|an?|this|that|his|her|their|"
    "some|one|a\\s+\\w+)\\s+)?(?:explanation|warning|advice|assurance|promise|reminder|message|"
    "comment|remark|answer|reply|response|assessment|prediction)s?"
)
_SPEECH_ANY = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.IGNORECASE)
#: A passive before a speech verb ("he has been described as"): who is described does not
#: speak; but who "was quoted as saying" did.
_PASSIVE = re.compile(r"\b(?:been|being|was|were|is|are)\s+(?:not\s+)?$", re.IGNORECASE)


class _SpeechVerbs:
    """The speech verbs of a text, passives left out."""

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        for m in _SPEECH_ANY.finditer(text, pos, end):
            if m.group(0).lower() == "quoted" or not _PASSIVE.search(
                text, max(0, m.start() - 12), m.start()
            ):
                yield m

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)


_SPEECH = _SpeechVerbs()
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)
_PRONOUN = re.compile(r"^(?:he|she|they|we)$", re.IGNORECASE)
# a person named right after one of these is spoken to, not speaking ("He told Ana Ruiz: ...")
_ADDRESSEE = re.compile(
    r"\b(?:told|tells|telling|asked|asks|urged|urges|thanked|informed|instructed|directed|"
    r"ordered|invited|warned|reminded|assured|to|with)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# a name after one of these is the object of a preposition, or a possessor: not the subject
#: A name governed by a preposition is no subject: "for Jones", "with the Joneses", and past a
#: relation or a role ("makes pancakes for son Oscar", "spoke to his wife Deb").
_GOVERNED = re.compile(
    r"\b(?i:for|of|from|by|about|on|at|in|into|with|against|toward|towards|behind|to|over|"
    r"under|after|before|like|than|and|as)\s+(?i:(?:the|a|an|his|her|their|its|our|my)\s+)?"
    r"(?:[a-z][a-z-]*\s+){0,2}(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?$",
)
# a non-restrictive relative clause: the people inside it are not the subject of the sentence
_RELATIVE = re.compile(r",\s+(?:who|whom|whose|which|where)\b[^,;:\"“”]*,")
#: A news organisation relays what it was told; it is not the speaker.
_OUTLET = re.compile(
    rf"\b(?:{MEDIA_WORDS}|AFP|Reuters|AP|BBC|CNN|Xinhua|Interfax|TASS|Twitter|Facebook|Instagram)$"
)
#: Verbs that frame a quotation only when a person does it ("He directed the ministry to ..."):
#: "critics called the levy "a threat"" names, it does not quote.
_WEAK = re.compile(
    r"called|calling|invited|inviting|directed|directs|ordered|orders|instructed|instructs|"
    r"dismissed",
    re.IGNORECASE,
)
#: A description set before the name it describes: "said her nephew, Ravi Singh".
_APPOSED = re.compile(r"(?:(?:his|her|their|its|the|a|an)\s+)?[a-z][\w\s'’-]{0,40},\s*")
_NEXT_LINE_SAID = re.compile(
    r"\s*(?P<subj>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+(?P<verb>said|says|added|told)"
    r"\s*[,.]"
)
MIN_WORDS_WITH_SPEAKER = 3
MIN_WORDS_WITHOUT_SPEAKER = 8
#: The longest subject read before a speech verb that follows a quotation ("," Fauzi, an
#: official from the local disaster agency, told AFP"), in words.
MAX_SUBJECT_WORDS = 20
#: How far back a description ("the doctor") is looked up among the people named, in characters.
DESCRIPTION_REACH = 1500

# opening mark -> the closing marks that end it
_PAIRS: dict[str, tuple[str, ...]] = {
    "“": ("”", '"', "''"),
    "„": ("“", "”", '"'),
    "«": ("»",),
    "‹": ("›",),
    "「": ("」",),
    "『": ("』",),
    "‘": ("’",),
    '"': ('"', "”", "''"),
    "''": ("''", "”", '"'),
    "'": ("'",),
}
_SINGLE_OPENING = re.compile(
    r"^\s*'(?=[A-Za-z])(?:(?P<body>.*?[,.!?])'(?=\s|$)"
    # closed with a double mark spaced before the name, as some copy mistypes it ('I cant speak
    # for it, but it looks like a lack of experience, "Gaskin told the Herald')
    r"|(?P<mixed>[^'\"“”]*?[,.!?])\s+\"(?=[A-Z]))"
)
_MARK = re.compile(r"''|[“”„«»‹›「」『』‘’\"]")
#: In copy whose quotation marks are straight single ones, those too.
_MARK_SINGLE = re.compile(r"''|[“”„«»‹›「」『』‘’\"']")
_CLOSERS = ("”", '"', "''", "»")
#: Straight single marks as the copy's quotation marks: one opens a paragraph's quotation
#: ("'We are looking for him,' he said") or follows a colon ("said: 'He idolised ...").
_SINGLE_CONVENTION = re.compile(r"(?:^|\n)\s*'[A-Za-z]|:\s+'[A-Za-z]")


@dataclass
class _Span:
    start: int  # after the opening mark
    end: int  # before the closing mark (or the paragraph's end)
    open_end: bool  # not closed in its paragraph: goes on in the next one
    continued: bool = False  # the rest of a quotation left open in the paragraph before
    mark: int = 1  # length of the opening mark ("''" is two)

    @property
    def opening(self) -> int:
        """Where the opening mark begins."""
        return self.start - (0 if self.continued else self.mark)


def spans(text: str) -> list[_Span]:
    """Quotations, paragraph by paragraph (one paragraph per line). A quotation left open at a
    paragraph's end goes on through paragraphs with no quotation mark when a later one closes it
    before opening another (copy that sets each sentence of a quotation as its own paragraph
    without reopening it), or when a later one reopens it (copy that sets each sentence of a
    paragraph on its own line: the lines before the reopening mark are the same paragraph)."""
    singles = not re.search(r"[\"“”„«»]|''", text) and bool(_SINGLE_CONVENTION.search(text))
    marks = _MARK_SINGLE if singles else _MARK
    out: list[_Span] = []
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    left_open = False  # the paragraph before ended inside a quotation
    i = 0
    while i < len(lines):
        pos, line = lines[i]
        i += 1
        if not line.strip():
            continue
        found = _paragraph_spans(line, pos, left_open, marks)
        closing = _closing_line(lines, i, marks) if found and found[-1].open_end else None
        if closing is not None:
            j, at, width, closed = closing
            last = found[-1]
            found[-1] = replace(last, end=lines[j][0] + at, open_end=not closed)
            if closed:
                rest = lines[j][1][at + width :]
                found += _paragraph_spans(rest, lines[j][0] + at + width, marks=marks)
            i = j + 1
        left_open = bool(found) and found[-1].open_end
        out += found
    return out


#: How many paragraphs with no quotation mark a quotation left open may run through.
MAX_UNMARKED_PARAGRAPHS = 4
#: ... and how many lines with no mark it runs through to a line that reopens it.
MAX_UNMARKED_BEFORE_REOPENING = 3


def _closes(line: str, at: int, width: int) -> bool:
    """True when the mark at ``line[at:at + width]`` can close a quotation: set after its last
    word ("ready,”"), or, as some copy spaces it, after the quotation's end punctuation
    ('fight, "said Doganis', 'at all. "')."""
    before = line[at - 1] if at else " "
    after = line[at + width] if at + width < len(line) else " "
    if not before.isspace():
        return not after.isalnum() or before in ",.!?…"
    return line[:at].rstrip()[-1:] in tuple(",.!?…") and line[at : at + width] == '"'


def _reopens(line: str, marks: re.Pattern[str]) -> bool:
    """True when a paragraph begins with a quotation mark that opens a quotation: any mark but a
    single closing one, with a word after it (a closing mark set there stands for an opening one:
    '” People are asked to avoid the area.”')."""
    m = marks.match(line.lstrip())
    return bool(
        m and m.group(0) not in ("’", "»", "›", "」", "』") and line.lstrip()[m.end() :][:2].strip()
    )


def _apostrophe(line: str, m: re.Match[str]) -> bool:
    """True when a single mark is an apostrophe: between letters ("apartment’s", "We’ve")."""
    return (
        m.group(0) in ("’", "'")
        and m.start() > 0
        and line[m.start() - 1].isalnum()
        and m.end() < len(line)
        and line[m.end()].isalnum()
    )


def _closing_line(
    lines: list[tuple[int, str]], first: int, marks: re.Pattern[str] = _MARK
) -> tuple[int, int, int, bool] | None:
    """Where a quotation left open before paragraph ``first`` goes on to, when the paragraphs up
    to there carry no quotation mark: (index, offset, width of the mark, True) of the closing
    mark of a paragraph that has one before any opening one; (index, end, 0, False) of the last
    unmarked paragraph before one that reopens the quotation; else None."""
    unmarked = 0
    last = -1
    for j in range(first, min(len(lines), first + MAX_UNMARKED_PARAGRAPHS + 1)):
        line = lines[j][1]
        if not line.strip():
            continue
        mark = next((m for m in marks.finditer(line) if not _apostrophe(line, m)), None)
        if mark is None:
            if _SINGLE_OPENING.match(line):
                return None
            unmarked += 1
            last = j
            if unmarked > MAX_UNMARKED_PARAGRAPHS:
                return None
            continue
        if j == first:
            return None  # the next paragraph is the carried case
        if _reopens(line, marks):
            if unmarked <= MAX_UNMARKED_BEFORE_REOPENING:
                return last, len(lines[last][1].rstrip()), 0, False
            return None
        if mark.group(0) not in (*_CLOSERS, "'"):
            return None  # an opening mark: no run-on
        if not _closes(line, mark.start(), len(mark.group(0))):
            return None
        return j, mark.start(), len(mark.group(0)), True
    return None


def _paragraph_spans(
    line: str, offset: int, carried: bool = False, marks: re.Pattern[str] = _MARK
) -> list[_Span]:
    """The quotations of one paragraph. With ``carried`` (the paragraph before ended inside a
    quotation), a closing mark met before any opening one ends the quotation that began there."""
    found: list[_Span] = []
    opener: tuple[str, int] | None = None  # (mark, offset after it)
    lead = len(line) - len(line.lstrip())
    if carried:
        first = next((m for m in marks.finditer(line) if not _apostrophe(line, m)), None)
        if (
            first
            and first.group(0) in (*_CLOSERS, "'")
            and first.start() > lead
            and _closes(line, first.start(), len(first.group(0)))
        ):
            found.append(_Span(offset + lead, offset + first.start(), False, continued=True))
            cut = first.end()
            return found + _paragraph_spans(line[cut:], offset + cut, marks=marks)
    single = _SINGLE_OPENING.match(line)
    if single and (not carried or not marks.search(line)) and marks is _MARK:
        # straight single marks, only as a paragraph's opening quotation ('We are looking for
        # him,' he said): elsewhere a straight apostrophe is too often just that
        group = "body" if single.group("body") is not None else "mixed"
        a, b = single.start(group), single.end(group)
        close = line.index("'" if group == "body" else '"', b)
        rest = _paragraph_spans(line[close + 1 :], offset + close + 1)
        return [_Span(offset + a, offset + close, False), *rest]
    for m in marks.finditer(line):
        mark, a, b = m.group(0), m.start(), m.end()
        before = line[a - 1] if a else " "
        after = line[b] if b < len(line) else " "
        if opener is None:
            if a == lead and mark in ("”", '"') and after == " " and line[b:].strip()[:1].isalnum():
                opener = ("“", b)  # a closing mark opening a paragraph: '” People are asked'
                continue
            if mark == "’" or mark in "”»›」』":
                continue
            opens = before.isspace() or before in "([{—–-:,"
            if mark == "‘" and not (opens and after.isalnum()):
                continue  # an apostrophe or a stray mark
            if mark == "'" and not ((opens or a == 0) and after.isalpha()):
                continue  # an apostrophe
            if mark in ('"', "''") and not (opens and line[b:].strip()[:1] not in ".,;:!?)"):
                continue  # not an opening: an inch mark, a stray close
            opener = (mark, b)
            continue
        kind, start = opener
        if mark not in _PAIRS[kind]:
            continue
        if mark in ("’", "''", "'") and after.isalnum():
            continue  # "Rait’s", "don’t": an apostrophe
        if mark == "'" and (
            before.isspace() or (before == "s" and re.match(r" [a-z]", line[b : b + 2]))
        ):
            continue  # "the kids' room": a plural's apostrophe
        # a straight mark before a word closes only after the quotation's end punctuation
        # ('decades, "Nichols said', as some copy spaces it)
        if mark == '"' and after.isalnum() and line[:a].rstrip()[-1:] not in ",.!?;:—…":
            continue
        found.append(_Span(offset + start, offset + a, False, mark=len(kind)))
        opener = None
    if opener is not None:
        found.append(
            _Span(offset + opener[1], offset + len(line.rstrip()), True, mark=len(opener[0]))
        )
    return found


#: A mention ending in a title is a title the tagger ran into a name ("Bloomington Police Sgt."
#: before "Marty Earley"), not a person.
_TITLE_END = re.compile(
    r"\b(?:Sgt|Lt|Capt|Insp|Const|Det|Dr|Gov|Sen|Rep|Gen|Col|Maj|Cpl|Supt|Cmdr|Adm|Prof|Rev|"
    r"Officer|Sergeant|Inspector|Constable|Commander|Chief|Spokesman|Spokeswoman|Detective|"
    r"Mr|Mrs|Ms|Miss|Dist|Atty|Asst|Dep|Undersheriff|Sheriff|Deputy|Juror)\.?$"
)


#: A person's title right before a name ("President", "Dr."): the name is a person's.
_PERSON_TITLE = re.compile(
    r"(?<![\w.])(?:President|Chairman|Chairwoman|Director|Minister|Secretary|Governor|Senator|"
    r"Mayor|Judge|Commissioner|Spokesman|Spokeswoman|Mr|Mrs|Ms|Dr|Sgt|Lt|Capt|Col|Professor|"
    r"Prof|Dean|Coach|Officer|Deputy|Sheriff|Undersheriff|Detective|Inspector|Chief|Justice|Rev|"
    r"Cpl|Captain|Admiral|Adm)\.?\s+$"
)
#: What the tagger types a person's name as when it mistakes it.
_MISTYPED = ("ORG", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART", "PRODUCT", "EVENT")
#: An age set before a name ("32-year-old protester ").
_AGE_BEFORE = re.compile(r"\b\d{1,3}-year-old\s+(?:[a-z][\w-]*\s+){0,2}$")
#: Words that make a name a body's ("Boone Isaacs" is a person's name, "Grant Hospital" not).
_BODY_WORD = re.compile(
    r"\b(?:Inc|Corp|Company|Group|Association|Department|Ministry|University|College|Bank|"
    r"Hospital|Council|Committee|Party|Agency|Office|Church|School|Club|Academy|Institute|"
    r"Foundation|Society|Union|Court|Police|Army|Navy|Force|Airlines?|News|Times|Post)\b"
)


def _untitled(m: Mention) -> Mention:
    """A person's mention without the title the tagger ran into it ("Undersheriff James Gage"
    -> "James Gage"), unless the title is all it has with the surname ("Professor Vey")."""
    words = m.text.split()
    if len(words) > 2 and _PERSON_TITLE.search(words[0] + " "):
        cut = m.text.index(words[1])
        return Mention(m.start + cut, m.end, m.text[cut:], "PERSON", m.sentence)
    return Mention(m.start, m.end, m.text, "PERSON", m.sentence)


def _people(text: str, mentions: list[Mention], starts: list[int]) -> list[Mention]:
    """The people named: the tagger's person mentions (not titles, not outlets), and every
    further place where one of their names is written that the tagger missed ("Const.
    Fanning said" after "Constable Tim Fanning")."""
    people = [
        m
        for m in mentions
        if m.label == "PERSON" and not _OUTLET.search(m.text) and not _TITLE_END.search(m.text)
    ]
    # a name the tagger typed as a body or a place where only a person's name goes: right after
    # a person's title ("Academy President Boone Isaacs said") or an age ("said 32-year-old
    # protester Paris Kyriakides"), before an age ("Ana Ruiz, 40, said"), or with a title in it
    # ("Professor Varoufakis")
    people += [
        _untitled(m)
        for m in mentions
        if m.label in _MISTYPED
        and (
            _PERSON_TITLE.search(text, max(0, m.start - 20), m.start)
            or _AGE_BEFORE.search(text, max(0, m.start - 40), m.start)
            or re.match(r",\s*\d{1,3}\s*,", text[m.end : m.end + 6])
            or _PERSON_TITLE.search(m.text.split()[0] + " ")
        )
        and re.fullmatch(r"(?:(?:[A-Z]\.){1,3}|[A-Z][a-z'’.-]+)(?:\s+[A-Z][a-z'’-]+){1,2}", m.text)
        and not _BODY_WORD.search(m.text)
    ]
    names = {m.text for m in people} | {
        m.text.split()[-1] for m in people if len(m.text.split()) > 1
    }
    names = {n for n in names if len(n) > 2 and n[:1].isupper()}
    # a name the tagger typed otherwise in one place ("that Benson echoes" as an organisation),
    # or with a first name ("Yanis Varoufakis" as an organisation, "Professor Varoufakis" after)
    extra = [
        Mention(m.start, m.end, m.text, "PERSON", m.sentence)
        for m in mentions
        if m.label != "PERSON"
        and (
            m.text in names
            or (
                m.label in _MISTYPED
                and re.fullmatch(r"[A-Z][a-z'’-]+\s+[A-Z][a-z'’-]+", m.text)
                and m.text.split()[-1] in names
                and not _BODY_WORD.search(m.text)
            )
        )
        and not any(p.start <= m.start < p.end for p in people)
    ]
    taken = bytearray(len(text))  # the characters a mention covers
    for mention in mentions:
        taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    for name in sorted(names, key=len, reverse=True):
        for found in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w-])", text):
            a, b = found.span()
            if any(taken[a:b]):
                continue
            taken[a:b] = b"\x01" * (b - a)
            extra.append(Mention(a, b, name, "PERSON", max(0, bisect_right(starts, a) - 1)))
    return sorted(people + extra, key=lambda m: m.start)


#: Words next to a name that tell whether "he" or "she" may stand for it.
_FEMALE = re.compile(
    r"\b(?:Ms|Mrs|Miss|Madam|wife|mother|daughter|sister|woman|girl|grandmother|actress|aunt|"
    r"widow|girlfriend|niece|queen|princess|she|her)\b\.?,?\s*$",
    re.IGNORECASE,
)
_MALE = re.compile(
    r"\b(?:Mr|Sir|husband|father|son|brother|man|boy|grandfather|actor|uncle|widower|"
    r"boyfriend|nephew|king|prince|he|his)\b\.?,?\s*$",
    re.IGNORECASE,
)


@dataclass
class _Speaker:
    text: str
    start: int
    person: bool  # a person named (or a pronoun resolved to one), not a description or a body


def find(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[RawQuote]:
    starts = [s.start for s in sentences]
    found = spans(text)
    ranges = [(q.opening, q.end + 1) for q in found]

    def outside(x: int) -> bool:
        return all(not (qa <= x < qb) for qa, qb in ranges)

    # whoever is named inside a quotation is spoken of, not speaking
    people = [m for m in _people(text, mentions, starts) if outside(m.start)]
    bodies = [
        m
        for m in mentions
        if (
            m.label in {"ORG", "NORP"}
            # "Centre-left daily Eleftherotypia" typed as a place: a body
            or (m.label in _MISTYPED and _KIND_BEFORE.search(text, max(0, m.start - 20), m.start))
        )
        and outside(m.start)
        and not any(p.start <= m.start < p.end for p in people)
    ]

    def sentence_of(x: int) -> int:
        return max(0, bisect_right(starts, x) - 1) if starts else 0

    result: list[RawQuote] = []
    # who spoke, for pronouns: the speakers of the quotations so far, and of reported speech
    spoke = _reported_speakers(text, sentences, people, bodies, outside)
    previous: tuple[_Span, RawQuote] | None = None
    pending: RawQuote | None = None  # a short open quotation waiting for its speaker
    guessed: set[int] = set()  # quotations whose speaker was read from the sentence before
    for k, q in enumerate(found):
        inner = text[q.start : q.end]
        words = len(inner.split())
        if words < MIN_WORDS_WITH_SPEAKER and not _told_briefly(text, q, inner):
            continue
        s_first, s_last = sentence_of(q.start), sentence_of(max(q.start, q.end - 1))
        w_start = sentences[s_first].start if sentences else 0
        w_end = sentences[s_last].end if sentences else len(text)
        line_end = text.find("\n", q.end)
        line_end = len(text) if line_end < 0 else line_end
        w_end = max(w_end, min(line_end, q.end + 1))
        # the frame: the sentence around the quotation, up to the neighbouring quotations
        left_start = max([w_start] + [found[j].end + 1 for j in range(k) if found[j].end < q.start])
        # after the quotation: to the end of its paragraph (a title's full stop, "Const. Fanning
        # said", may have ended the sentence); the patterns read only its first words
        right_end = min([line_end] + [found[j].start - 1 for j in range(k + 1, len(found))])
        if text[q.end + 1 : line_end].strip() == "" and re.match(r"\n[a-z]", text[line_end:]):
            # the attribution goes on on the next line: '..."\nhis mother told a columnist.'
            after = text.find("\n", line_end + 1)
            after = len(text) if after < 0 else after
            right_end = min([after] + [found[j].start - 1 for j in range(k + 1, len(found))])
        speaker = _frame_speaker(text, q, left_start, right_end, people, bodies, outside, spoke)
        if words < MIN_WORDS_WITH_SPEAKER:
            # a word or two a person is quoted saying ('described them as "very dangerous"'),
            # not a phrase in quotation marks
            if speaker is not None and speaker.person:
                result.append(_raw(text, q, inner, sentence_of(q.start), speaker))
            continue
        for j in range(k + 1, len(found)) if speaker is None else ():
            # '"Greece is a unique case" because it "has cheated for years," Rehn said': the
            # attribution closing the sentence names the speaker of its every quotation
            later = found[j]
            if sentence_of(later.opening) != s_last or "\n" in text[q.end : later.opening]:
                break
            if any(outside(v.start()) for v in _SPEECH.finditer(text, q.end, later.opening)):
                break
            later_end = min([line_end] + [found[i].start - 1 for i in range(j + 1, len(found))])
            speaker = _frame_speaker(
                text, later, later.opening, later_end, people, bodies, outside, spoke
            )
            if speaker is not None:
                break
        if speaker is None and not q.open_end and not text[q.end + 1 : line_end].strip():
            # the attribution set as a paragraph of its own: "Pearce said, adding ..."
            nxt = _NEXT_LINE_SAID.match(text, line_end + 1)
            if nxt:
                speaker = _subject_before(
                    text, nxt.start("subj"), nxt.start("verb"), people, bodies, spoke
                )
        if speaker is not None and q.continued and previous is not None:
            last_span, last = previous
            if last_span.open_end and (last.speaker_text is None or id(last) in guessed):
                last.speaker_text, last.speaker_start = speaker.text, speaker.start
                if pending is last:
                    result.append(last)  # kept now that its end names the speaker
        pending = None
        from_before = False  # the speaker is read from before the quotation, not its frame
        if speaker is None and previous is not None:
            last_span, last = previous
            if last.speaker_text is not None and _continues(
                text, last_span, last, q, sentences, s_first
            ):
                speaker = _Speaker(last.speaker_text, last.speaker_start or 0, True)
                from_before = True
        if speaker is None and sentences and not _SPEECH.search(text, q.end, right_end):
            par_start = text.rfind("\n", 0, q.start) + 1
            before = None
            if not text[par_start : q.opening].strip() and par_start > 0:
                # the quotation opens its paragraph: the last sentence of the one before
                s = sentences[sentence_of(par_start - 1)]
                before = (max(s.start, text.rfind("\n", 0, par_start - 1) + 1), par_start - 1)
            elif s_first > 0 and _ADVERBIAL.fullmatch(text, sentences[s_first].start, q.opening):
                # the quotation opens its sentence, or follows an adverbial only ("Later in the
                # afternoon, "I went back ...""): the sentence before
                before = (sentences[s_first - 1].start, sentences[s_first - 1].end)
            if before is not None:
                speaker = _reported(
                    text, *before, people, bodies, spoke, outside, _FIRST_PERSON.search(inner)
                )
                from_before = speaker is not None
        raw = _raw(text, q, inner, s_first, speaker)
        if speaker is None and words < MIN_WORDS_WITHOUT_SPEAKER:
            # too short to keep without a speaker, unless the paragraph after names one
            pending = raw if q.open_end else None
            previous = (q, raw) if q.open_end else None
            continue
        if from_before and q.open_end:
            guessed.add(id(raw))  # its closing part may name the speaker
        result.append(raw)
        previous = (q, raw)
        if speaker is not None:
            spoke.append(speaker)
    result.sort(key=lambda r: r.start)
    return result


def _raw(text: str, q: _Span, inner: str, sentence: int, speaker: _Speaker | None) -> RawQuote:
    lead = len(inner) - len(inner.lstrip())
    return RawQuote(
        start=q.start + lead,
        end=q.start + lead + len(inner.strip()),
        text=inner.strip(),
        sentence=sentence,
        speaker_text=speaker.text if speaker else None,
        speaker_start=speaker.start if speaker else None,
    )


#: Words before a quotation in its sentence that only say when or where ("Later in the
#: afternoon, "), no subject and no verb of speech.
_ADVERBIAL = re.compile(r"\s*(?:[A-Z][^,;:\"“”.!?]{0,50},\s*)?")
#: The speaker speaks of themself ("I", "we", "my").
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|me|my|we|We|our|Our|us)\b")


def _told_briefly(text: str, q: _Span, inner: str) -> bool:
    """True when a quotation of a word or two is told as someone's words: right after a speech
    verb's object and "as" or "a" ('described those responsible as "very dangerous"', 'called
    him a "congenital liar"'), or closed with its own punctuation and attributed ('"Expedite,"
    he commanded')."""
    if not inner.strip() or not inner.strip()[0].isalpha():
        return False
    left = text[max(0, q.opening - 80) : q.opening]
    if re.search(
        r"\b(?:known|called|dubbed|named|nicknamed|termed|been|being|was|were|is|are)\s+"
        r"(?:as|a|an)?\s*$",
        left,
        re.I,
    ):
        return False  # a name ('known as "take"'), or said of someone ('was described as "..."')
    if re.search(rf"\b(?:{SPEECH_VERBS})\b[^.;:!?\"“”]{{0,50}}\b(?:as|a|an)\s+$", left, re.I):
        return not re.search(
            r"\b(?:been|being|was|were|is|are)\s+(?:\w+ly\s+)?(?:described|called|dubbed)\b",
            left,
            re.I,
        )
    after = text[q.end : q.end + 30]
    return inner.rstrip()[-1:] in ",.!?" and bool(
        re.match(rf"[\"”’']?\s*(?:\w+\s+){{0,3}}(?:{SPEECH_VERBS})\b", after, re.I)
    )


def _reported_speakers(
    text: str,
    sentences: list[Sentence],
    people: list[Mention],
    bodies: list[Mention],
    outside: Callable[[int], bool],
) -> list[_Speaker]:
    """Who speaks in each sentence's reported speech outside quotations, read from the first
    speech verb: "Waldie said there was no way to know", "a neighbour recalled seeing him",
    "according to a relative, he had ...". Pronoun subjects are left out."""
    out: list[_Speaker] = []
    for s in sentences:
        for v in _SPEECH.finditer(text, s.start, s.end):
            if not outside(v.start()) or _WEAK.fullmatch(v.group(0)):
                continue
            if (
                not outside(s.start)
                or not outside(v.start() - 1)
                or _MARK.search(text, s.start, v.start())
            ):
                break  # a quotation's frame, read with the quotation
            comma = text.rfind(",", s.start, v.start())
            if v.group(0).lower().startswith("according"):
                found = _subject_after(text, v.end(), s.end, people, bodies, [])
            elif comma >= 0 and re.fullmatch(
                r"[\s,]*(?i:he|she|they|we)\s*", text[comma : v.start()]
            ):
                break  # "..., she said": a pronoun, no new speaker
            else:
                found = None
                clause = _clause_start(text, s.start, v.start())
                if re.match(r"[\s,]*(?i:he|she|they|we|i|it)\b", text[clause : v.start()]):
                    break  # "He later said he regretted not giving Williams a chance"
                found = _subject_before(text, clause, v.start(), people, bodies, [])
                if found is None:
                    found = _subject_after(text, v.end(), s.end, people, bodies, [], inverted=True)
            if found is not None:
                out.append(found)
                break
    return out


def _frame_speaker(
    text: str,
    q: _Span,
    left_start: int,
    right_end: int,
    people: list[Mention],
    bodies: list[Mention],
    outside: Callable[[int], bool],
    spoke: list[_Speaker],
) -> _Speaker | None:
    """The speaker the words around one quotation name, or None."""
    after_at = q.end + 1
    right = text[after_at:right_end]
    left = text[left_start : max(left_start, q.opening)]
    # 0. '," People quoted him as saying': whom the relaying outlet quotes is the speaker
    relayed = re.match(
        r"^[\s,.;:!?…—–-]*(?:[^\"“”«».!?]|(?<=Mr|Ms|Dr)\.|(?<=Mrs)\.){1,60}?\bquoted\s+(?P<who>him|her|(?-i:[A-Z])[\w.'’-]*"
        r"(?:\s+(?-i:[A-Z])[\w.'’-]*){0,3})\s+as\s+saying\b",
        right,
        re.IGNORECASE,
    )
    if relayed:
        who = after_at + relayed.start("who")
        named = next(
            (p for p in people if p.start <= who < p.end or who <= p.start < who + 5), None
        )
        if relayed.group("who")[:1].isupper():
            # "Mr. Gravano quoted Mr. Gotti as saying": Gotti said it
            return _Speaker(named.text, named.start, True) if named else None
        found = _antecedent(text, who, people, spoke)
        for acc in _ACCORDING.finditer(left) if found is None else ():
            # "According to Laurence Mark, ... “...,” People quoted him as saying."
            found = _subject_after(text, left_start + acc.end(), len(text), people, bodies, spoke)
            if found is not None:
                break
        return found
    # 1. after the quotation: '," X said' or '," said X'
    m = re.match(rf"^[\s,.;:!?…—–-]*(?P<verb>{SPEECH_VERBS})\b", right, re.IGNORECASE)
    if m and not m.group("verb").lower().startswith(("according", "in a", "in an")):
        found = _subject_after(text, after_at + m.end(), right_end, people, bodies, spoke)
        if found:
            return found
    relayed_by: _Speaker | None = None  # an outlet reporting the words
    m = re.match(r"^[\s,.;:!?…—–-]*(?P<subj>[^\"“”«»]{1,160}?)\s+(?P<verb>" + SPEECH_VERBS + r")\b",
                 right, re.IGNORECASE)  # fmt: skip
    if m and len(m.group("subj").split()) <= MAX_SUBJECT_WORDS and _one_sentence(m.group("subj")):
        lo = after_at + m.start("subj")
        found = _subject_before(text, lo, after_at + m.start("verb"), people, bodies, spoke)
        if found and _OUTLET.search(found.text) and re.match(r"(?i:report)", m.group("verb")):
            # '...: "...," the Daily News reported': it relays who said it before, if anyone
            relayed_by = found
            found = None
        if found or _PRONOUN_CLAUSE.fullmatch(m.group("subj")):
            return found  # '"...," she said': she, whoever she is, not a source named after
    # 1c. a speech verb later in the sentence, then the name: '"We heard pop, pop, pop,"
    # smelled gunpowder and heard co-workers yelling, said Jean Larson'
    sentence_end = re.search(r"[.!?](?:\s|$)", right)
    for v in _SPEECH.finditer(right[: sentence_end.start() if sentence_end else len(right)]):
        if _WEAK.fullmatch(v.group(0)):
            continue
        found = _subject_after(
            text, after_at + v.end(), right_end, people, bodies, spoke, inverted=True
        )
        if found and not re.match(
            r"\s+(?!who\b|which\b)[a-z]", text[found.start + len(found.text) :]
        ):
            return found  # not '..." and insisted Nixon had no knowledge': Nixon opens a clause
    # 2. "according to X" anywhere in the frame (an outlet too: "According to the Times, ..."),
    # unless another speech verb comes between it and the quotation
    for part_start, part in ((after_at, right), (left_start, left)):
        for acc in _ACCORDING.finditer(part):
            closer = part is left and any(
                not v.group(0).lower().startswith("according")
                for v in _SPEECH.finditer(text, part_start + acc.end(), q.opening)
            )
            if acc.end() < len(part) and not closer:
                found = _subject_after(
                    text, part_start + acc.end(), len(text), people, bodies, spoke
                )
                if found:
                    return found
    # 3. before the quotation: 'X said: "' / 'X told reporters the crew "'
    line_start = text.rfind("\n", 0, q.opening) + 1
    line_end = text.find("\n", q.end)
    ends_line = not re.search(r"\w", text[q.end : len(text) if line_end < 0 else line_end])
    if _TRANSCRIPT.fullmatch(text[line_start : q.opening]) and (q.open_end or ends_line):
        # a transcript's line: 'Haldeman: “Yes, sir.”' (not a headline's 'Name: "Title" Dies')
        line_names = [p for p in people if line_start <= p.start and p.end <= q.opening]
        if line_names:
            return _Speaker(line_names[-1].text, line_names[-1].start, True)
    verbs = [
        v
        for v in _SPEECH.finditer(text, left_start, max(left_start, q.opening))
        if outside(v.start())
    ]
    for v in reversed(verbs):
        clause = _clause_start(text, left_start, v.start())
        found = _subject_before(text, clause, v.start(), people, bodies, spoke)
        if found and not (_WEAK.fullmatch(v.group(0)) and not found.person):
            return found
        if _PRONOUN_BEFORE.search(text, clause, v.start()):
            return None  # "but it says she devised ...": it, whatever it is, says so
        found = _subject_after(text, v.end(), q.opening, people, bodies, spoke, inverted=True)
        rest = text[found.start + len(found.text) : q.opening] if found else ""
        if found and (not re.match(r"\s+[a-z]", rest) or re.match(r"\s*as\s", rest)):
            # 'said Lind: "..."', 'described by the Times as "..."'; not 'says Deputy Ortiz
            # "spotted him"', where the name opens the clause reported
            return found
    if not verbs and left.rstrip().endswith(":") and (q.open_end or ends_line):
        # "In typical fashion, she released a jokey response to the honor: "...""
        found = _colon_subject(text, left_start, q.opening, people, bodies, spoke)
        if found is not None:
            return found
    return relayed_by


def _colon_subject(
    text: str, lo: int, hi: int, people: list[Mention], bodies: list[Mention], spoke: list[_Speaker]
) -> _Speaker | None:
    """Who opens a clause that introduces words with a colon ("General Manager A.J. Smith issued
    the following statement:", "In typical fashion, she released a response:"): a name opening
    it, or a pronoun for the one it takes up."""
    found = _subject_before(text, lo, hi, people, bodies, spoke, first_only=True)
    if found is not None:
        return found
    opening = _OPENING_CLAUSE.match(text, lo, hi) or _ADVERBIAL_OPENING.match(text, lo, hi)
    start = opening.end() if opening else lo
    pronoun = re.match(r"\s*(?:[Hh]e|[Ss]he)\b", text[start:hi])
    return _antecedent(text, start + pronoun.start(), people, spoke) if pronoun else None


#: An adverbial opening a sentence, up to its comma ("In typical fashion,").
_ADVERBIAL_OPENING = re.compile(
    r"\s*(?:In|On|At|For|After|With|By|Later|Earlier)\b[^,;:\"“”]{0,40},"
)


#: A transcript's line: a name and a colon before the words ("Haldeman: “Yes, sir.”").
_TRANSCRIPT = re.compile(r"\s*(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*\s*:\s*")


def _reported(
    text: str,
    lo: int,
    hi: int,
    people: list[Mention],
    bodies: list[Mention],
    spoke: list[_Speaker],
    outside: Callable[[int], bool],
    first_person: object = None,
) -> _Speaker | None:
    """The speaker of the reported speech in the sentence ``text[lo:hi]`` before a quotation that
    has no speech verb of its own ("Dr. Alsip also said Dr. Benjamin is tenacious. ¶ "If Regina's
    in a fight, ..."", "..., said Sean Tipton, spokesman for the society. ¶ "He has ...""): the
    person or body who said it. A reporting clause closing the sentence (", Dr. Terry said.")
    speaks for all of it."""
    if text[lo:hi].rstrip().endswith(":"):
        # "General Manager A.J. Smith issued the following statement on Jackson's arrest:"
        found = _colon_subject(text, lo, hi, people, bodies, spoke)
        if found is not None:
            return found
    verbs = [
        v
        for v in _SPEECH.finditer(text, lo, hi)
        if outside(v.start()) and not _WEAK.fullmatch(v.group(0))
    ]
    closing = verbs[-1] if verbs else None
    if closing is not None and len(verbs) > 1 and closing.group(0).lower().startswith("accord"):
        closing = None  # "she said years later, according to her website": she said it
    if closing is not None:
        tail = text[closing.end() : hi]
        head = text[lo : closing.start()]
        comma = head.rfind(",")
        if len(tail.split()) <= 6 and comma >= 0 and len(head[comma:].split()) <= 8:
            if re.fullmatch(r"[\s,]*(?i:he|she|they|we)\s*", head[comma:]):
                # "France Telecom isn't sure what caused it, she said": she, not the body
                return _antecedent(text, lo + comma + 1, people, spoke)
            found = _subject_before(text, lo + comma + 1, closing.start(), people, bodies, spoke)
            if found is None:
                found = _subject_after(
                    text, closing.end(), hi, people, bodies, spoke, inverted=True
                )
            if found is None and not text[lo + comma + 1 : closing.start()].strip(" ,”\"’'"):
                found = _description(text, closing.end(), hi, people, bodies)  # "..., says one."
            if found is not None:
                return found
    for v in verbs:
        clause = _clause_start(text, lo, v.start())
        found = _subject_before(text, clause, v.start(), people, bodies, spoke)
        if found is None:
            found = _subject_after(text, v.end(), hi, people, bodies, spoke, inverted=True)
        if found is not None:
            return found
    if first_person and not verbs:
        # a person introduced, then their words: "T.J. Simons, 17, who works nearby, also heard
        # the blast. ¶ "At first I thought it was thunder.""
        opening = [p for p in people if lo <= p.start and len(text[lo : p.start].split()) <= 1]
        if opening and _subject_position(text, opening[0]):
            return _Speaker(opening[0].text, opening[0].start, True)
    return None


def _one_sentence(words: str) -> bool:
    """No sentence ends inside ``words``: a full stop ends one unless it closes a title or an
    initial ("Const. Fanning", "Sgt. Marty Earley", "A. J. Smith")."""
    return all(
        len(m.group(1)) <= 5 and m.group(1)[:1].isupper()
        for m in re.finditer(r"(\w+)[.!?]+\s+(?=[A-Z])", words)
    ) and not re.search(r"[!?]\s", words)


def _clause_start(text: str, lo: int, hi: int) -> int:
    """Where the clause holding ``hi`` begins: after the last semicolon or "while"/"but" before
    it (the subject of "Lind said ... while Vey said" is Vey for the second verb)."""
    cut = lo
    for m in re.finditer(r";|\b(?:while|but|whereas|and|that)\s+(?=[A-Z])", text[lo:hi]):
        if m.group(0).startswith("and") and re.search(
            r"\b[A-Z][\w'’.-]*\s+$", text[lo : lo + m.start()]
        ):
            continue  # "the Faculty of Design and Construction": one name
        cut = lo + m.end()
    return cut


#: A pronoun right before a verb: its subject ("but it says").
_PRONOUN_BEFORE = re.compile(r"\b(?i:he|she|it|they|we|i)\s+(?:\w+ly\s+)?$")
#: A subject that is a pronoun alone ("she" in '", she said').
_PRONOUN_CLAUSE = re.compile(r"[\s,]*(?i:he|she|they|we)\s*")

#: A subordinate clause opening a sentence, up to its comma ("Asked if Ortiz could have lived,",
#: "Speaking to reporters,", "When the ship sank,").
_OPENING_CLAUSE = re.compile(
    r"\s*(?:[A-Z][a-z]+(?:ed|ing)|If|When|After|Although|Though|While|As|Before|Since|Because|"
    r"Once|Until|Unless|According\s+to)\b[^,;:\"“”]*,"
)


def _subject_before(
    text: str,
    lo: int,
    verb: int,
    people: list[Mention],
    bodies: list[Mention],
    spoke: list[_Speaker],
    first_only: bool = False,
) -> _Speaker | None:
    """The subject of a speech verb at ``verb`` whose clause begins at ``lo`` (``first_only``:
    a name opening the clause, or nothing). An opening subordinate clause is passed over ("Asked
    if Ortiz could have lived, Waldie said")."""
    opening = _OPENING_CLAUSE.match(text, lo, verb)
    if opening and text[opening.end() : verb].strip():
        lo = opening.end()
    region = text[lo:verb]
    clauses = [(lo + r.start(), lo + r.end()) for r in _RELATIVE.finditer(region)]

    def free(m: Mention) -> bool:
        if not (lo <= m.start and m.end <= verb):
            return False
        if any(a < m.start < b for a, b in clauses):
            return False
        head = text[max(lo, m.start - 30) : m.start]
        governed = _GOVERNED.search(head)
        if governed and governed.group(0).lower().startswith("and"):
            # "team president and general manager Ed Stefanski said": one title of the name,
            # unless a name before it is what "and" joins it to
            rest = _GOVERNED.search(head, governed.start() + 3)
            if rest is None and not any(lo <= n.start < m.start for n in people + bodies):
                governed = None
        return not (
            governed
            or _ADDRESSEE.search(head)
            or text[m.end : m.end + 2] in ("'s", "’s")  # a possessor: "Kafoury's son"
            or (m.text.endswith("s") and re.match(r"['’]\s", text[m.end : m.end + 2]))
        )

    aside = re.search(
        rf",\s*(?P<np>(?:{_ONE_OF}|one|a|an|the|his|her|their)\s+(?:[a-z][\w-]*\s+){{0,2}}?[a-z][\w-]*)"
        r"(?:\s+(?:would|will|could|can|may|might|should|must|did|does|do|has|had|have|also|"
        r"later|then|\w+ly))*\s*$",
        region,
    )
    if aside and not any(lo + aside.start() <= n.start < verb for n in people + bodies):
        # "... when, one of his key lawyers would later say, it was apparent": the aside's
        # subject, not a name before it
        found = _description(text, lo + aside.start("np"), lo + aside.end("np"), people, bodies)
        if found is not None:
            return found
    small = re.search(r"(?:^|,\s*|\band\s+)(?P<np>(?:his|her|their|the|a|an)\s+[a-z]+)\s+$", region)
    if small and re.match(r"\w+ing\b", text[verb : verb + 20]):
        # "..., and her daughter screaming, "...": who does it, right before the verb
        return _description(text, lo + small.start("np"), verb, people, bodies, spoke=spoke)
    last = _PRONOUN_BEFORE.search(region)
    if last and last.start() > 0 and not any(a <= lo + last.start() < b for a, b in clauses):
        # "..., but it says she devised a scheme": the pronoun right before the verb is its
        # subject, not a name before it
        if last.group(0).split()[0].lower() not in ("he", "she", "it"):
            return None  # "I wrote", "they said": the writer, or no one named
        return _subject_before(text, lo + last.start(), verb, people, bodies, spoke)
    persons = [m for m in people if free(m)]
    if first_only:
        named = sorted([m for m in people + bodies if free(m)], key=lambda m: m.start)
        if named and len(text[lo : named[0].start].split()) <= 3:
            return _Speaker(named[0].text, named[0].start, named[0] in people)
        return None
    if persons:
        head = persons[0]
        for nxt in persons[1:]:
            # "Helicopter Line pilot Jim Campbell": the last name of one noun phrase is its head
            if not re.fullmatch(r"[\s\w.'’-]{0,30}", text[head.end : nxt.start]) or re.search(
                r"\b(?:and|or|with|who|whom|whose|that)\b", text[head.end : nxt.start]
            ):
                break
            head = nxt
        return _Speaker(head.text, head.start, True)
    words = re.findall(r"[\w'’.-]+", region)
    first = words[0] if words else ""
    if len(words) <= 2 and _PRONOUN.match(first):
        return _antecedent(text, lo, people, spoke)
    if len(words) <= 2 and first.lower() == "it":
        # '"...," it added': the body named that spoke last, just before
        said = [
            sp
            for sp in spoke
            if not sp.person
            and 0 < lo - sp.start <= IT_REACH
            and any(b.start == sp.start for b in bodies)
        ]
        return max(said, key=lambda sp: sp.start) if said else None
    orgs = [m for m in bodies if free(m)]
    if orgs:
        body = orgs[0]
        # "an Eastern Conference executive said", "a White House official said": the body says
        # where the speaker works; the speaker is the person described, not the body
        det = re.search(r"\b(?:a|an|the|one|another)\s+$", text[lo : body.start], re.IGNORECASE)
        role = re.match(r"\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*(?=[\s,]*$)", text[body.end : verb])
        if (
            det
            and role
            and not _SPEECH.search(role.group(0))
            and role.group(0).split()[-1].lower() not in _DOCUMENTS  # "a Ministry statement"
            and not _SPOKES.fullmatch(role.group(0).split()[-1])  # "a Police spokeswoman"
            and not any(_NOT_ROLE.fullmatch(w) for w in role.group(0).split())  # "... has"
        ):
            return _described_as(text[lo + det.start() : body.end + role.end()], lo + det.start())
        return _Speaker(body.text, body.start, False)
    found = _description(text, lo, verb, people, bodies, before_verb=True, spoke=spoke)
    if found is None:
        # the subject of a verb in a series: "..., which indicate he grabbed her ... and told
        # her, "..."": the last "he" or "she" before it
        pronouns = [
            p
            for p in re.finditer(r"\b(?:[Hh]e|[Ss]he)\b", region)
            if not any(a < lo + p.start() < b for a, b in clauses)
        ]
        if pronouns:
            return _antecedent(text, lo + pronouns[-1].start(), people, spoke)
    return found


def _subject_after(
    text: str,
    lo: int,
    hi: int,
    people: list[Mention],
    bodies: list[Mention],
    spoke: list[_Speaker],
    inverted: bool = False,
) -> _Speaker | None:
    """The subject named right after a speech verb ('said X', 'according to X'). With
    ``inverted`` (a verb before the quotation), only a name right after the verb counts."""
    if inverted and re.search(
        r"\b(?i:told|tells|telling|asked|asks|asking)\s*$", text[max(0, lo - 20) : lo]
    ):
        return None  # "she told ABC News' Peter Jennings": who is told does not speak
    tail = text[lo:hi]
    m = re.match(r"^[\s,]*(?:(?:the|a|an)\s+)?", tail)
    at = lo + (m.end() if m else 0)
    near = [
        p
        for p in people + bodies
        if at <= p.start <= at + 60 and p.start < hi and not _ADDRESSEE.search(text, at, p.start)
    ]
    near.sort(key=lambda p: p.start)
    between = text[at : near[0].start] if near else ""
    if inverted and re.search(r"\b(?i:he|she|they|we|i|it)\b", between):
        return None  # "said he regretted not giving Williams a chance": he speaks
    if inverted and near and _VERB_AFTER.match(text, near[0].end):
        return None  # "claiming Chris Weitz is getting the job": the name opens what is claimed
    if (
        near
        and _one_sentence(between + "X")
        and (
            not re.search(r"[,;:]", between)
            # "said her nephew, Ravi Singh": the name in apposition; not "according to a
            # relative, Vey had been ill", where the name opens the clause reported
            or (_APPOSED.fullmatch(between) and not re.match(r"\s+[a-z]", text[near[0].end :]))
        )
    ):
        p = near[0]
        described = re.match(r"\s+[a-z][\w-]*(?:\s+(?:and\s+)?[a-z][\w-]*){0,3}", text[p.end : hi])
        if (
            p not in people
            and m
            and m.group(0).strip()
            and described
            and not re.search(
                r"\b(?:said|says|told|of|for|at|in|by|to|and\s+was|was|were|is|are|has|had|who)\b",
                described.group(0),
            )
            and described.group(0).split()[0] not in ("and", "or", "but")
            and not _OUTLET.search(p.text)
        ):
            # "said an Egyptian blogger and journalist": a person described, not the body
            phrase = text[lo + m.start() : p.end + described.end()].strip(" ,")
            return _described_as(phrase, lo)
        if p.label == "NORP" and m and m.group(0).strip():
            # "said the Democrat who is familiar with the talks": a person described
            return _described_as(text[lo + m.start() : p.end].strip(" ,"), lo)
        for q in near[1:]:
            # "said IDC analyst Bob Welch", "said Oscar producer Laurence Mark": a name before a
            # role and a person names where the person works or what for; the person speaks
            if q not in people:
                break
            gap = text[p.end : q.start]
            role = re.fullmatch(r"(?:['’]s)?\s+(?:[a-z][\w.-]*\s+){0,3}[a-z][\w.-]*,?\s+", gap)
            if (
                role or (p not in people and re.fullmatch(r"(?:['’]s)?[\s\w.-]{0,40}", gap))
            ) and not re.search(r"\b(?:and|or|with|to|for)\b", gap):
                p = q
            break
        return _Speaker(p.text, p.start, p in people)
    if inverted:
        return None
    first = re.match(r"^[\s,]*(\w+)", text[lo:hi])
    if first and _PRONOUN.match(first.group(1)):
        return _antecedent(text, lo, people, spoke)
    return _description(text, lo, hi, people, bodies, spoke=spoke)


def _antecedent(
    text: str, before: int, people: list[Mention], spoke: list[_Speaker]
) -> _Speaker | None:
    """Whom "he" or "she" at ``before`` means: the last one who spoke or was the subject of a
    sentence, among those whose gender, when the text tells it, fits the pronoun; else the last
    person named who fits. A sentence's subject is the person it names before a speech verb
    ("Asked if Ortiz could have lived, Waldie said"), else its first person named, not after a
    preposition ("according to X" names a speaker); a sentence that opens with a pronoun has
    none of its own. Who spoke may be a description ("a neighbour recalled ... ¶ '...,' he
    said")."""
    pronoun = re.match(r"^[\s,]*(\w+)", text[before : before + 20])
    word = pronoun.group(1).lower() if pronoun else ""
    word = {"him": "he", "her": "she"}.get(word, word)
    named = [
        m
        for m in people
        if m.end <= before
        and (
            not _ADDRESSEE.search(text, max(0, m.start - 40), m.start)
            or re.search(r"(?i:according\s+to)\s+$", text[max(0, m.start - 40) : m.start])
        )
    ]
    wanted = {"she": "f", "he": "m"}.get(word, "")
    if wanted:
        named = [m for m in named if _gender(text, m, people) in ("", wanted)]
    by_sentence: dict[int, list[Mention]] = {}
    for m in named:
        if _subject_position(text, m):
            by_sentence.setdefault(m.sentence, []).append(m)
    subjects = []
    for ms in by_sentence.values():
        if re.match(r"(?i:he|she|they|it|i|we)\b", _sentence_head(text, ms[0].start).lstrip()):
            continue  # "He later said he regretted not giving Williams a chance"
        speaking = [m for m in ms if _SPEECH_AFTER.match(text, m.end)]
        subjects.append((speaking or ms)[0])
    subjects.sort(key=lambda m: m.start)
    options = [(m.start, _Speaker(m.text, m.start, True)) for m in subjects[-1:]]
    earlier = [
        sp
        for sp in spoke
        if sp.start < before
        and (
            any(_same_name(sp.text, m.text) for m in named)
            if sp.person
            else _describes_one(sp.text, wanted) and word in ("he", "she")
        )
    ]
    options += [(sp.start, sp) for sp in sorted(earlier, key=lambda sp: sp.start)[-1:]]
    if wanted == "f":
        # "she": a woman the text marks as one ("his daughter, Joan"), when one is near, before
        # a name that says nothing of its gender
        marked = [
            (m.start, _Speaker(m.text, m.start, True))
            for m in subjects
            if before - m.start <= SHE_REACH and _gender(text, m, people) == "f"
        ]
        options = (
            marked[-1:]
            if marked and not any(not sp.person and o > marked[-1][0] for o, sp in options)
            else options
        )
    if options:
        # the last sentence's; in one sentence, who speaks in it ("According to a relative, Vey
        # had been ill" ¶ "..., she said": the relative) before its subject
        return max(
            options, key=lambda o: (o[0] - len(_sentence_head(text, o[0])), o[1] in spoke, o[0])
        )[1]
    free = [m for m in named if _subject_position(text, m)]
    if free:  # "makes pancakes for son Oscar": a name a preposition governs is no speaker
        return _Speaker(free[-1].text, free[-1].start, True)
    return None


#: Nouns for a person that no suffix tells ("a relative", "the neighbour").
_PERSON_NOUNS = {
    "relative", "friend", "neighbour", "neighbor", "witness", "source", "official", "aide",
    "expert", "colleague", "cousin", "child", "juror", "chief", "head", "judge", "spouse",
    "boss", "coach", "guard", "pilot", "captain", "nurse", "doctor", "victim", "survivor",
    "one", "another", "analyst", "attache", "deputy", "spokesperson",
}  # fmt: skip
#: Endings of nouns for a person ("worker", "director", "economist", "spokeswoman").
_PERSON_SUFFIX = (
    r"(?:er|or|ist|ian|man|woman|person|ant|ent|ee|ier|ive|wife|mother|daughter|sister|girl|"
    r"widow|aunt|niece|son|boy|uncle|nephew)$"
)

#: How far back "it" takes up a body that spoke, in characters.
IT_REACH = 500

#: How far back a woman the text marks as one is preferred for "she", in characters.
SHE_REACH = 400


#: A speech verb right after a name ("Waldie said", "Waldie also told").
_SPEECH_AFTER = re.compile(
    rf",?\s+(?:(?:also|later|then|\w+ly)\s+)?(?:{SPEECH_VERBS})\b", re.IGNORECASE
)


def _subject_position(text: str, m: Mention) -> bool:
    """True when the name at ``m`` may be a sentence's subject: not governed by a preposition,
    except in "according to X", which names who spoke."""
    head = text[max(0, m.start - 30) : m.start]
    if re.match(r"['’]s?\s", text[m.end : m.end + 3]):
        return False  # "Horton's mother, Denise Peace, said": the mother speaks
    return not _GOVERNED.search(head) or bool(re.search(r"(?i:according\s+to)\s+$", head))


def _sentence_head(text: str, at: int) -> str:
    """The words of the sentence holding ``at`` before it."""
    line = text.rfind("\n", 0, at) + 1
    stops = [m.end() for m in _SENTENCE_STOP.finditer(text, line, at)]
    return text[max([line, *stops]) : at]


_SENTENCE_STOP = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘']?[A-Z])")


def _describes_one(phrase: str, gender: str) -> bool:
    """True when a description stands for one person that ``he``/``she`` (``gender`` "m"/"f",
    or "" for either) may take up: "a neighbour", "the spokeswoman", not "police", "officials",
    "a statement" or a body's name."""
    words = phrase.split()
    if len(words) < 2 or words[0] not in _DETERMINER_SET or words[0] in ("its", "their"):
        return False
    role = words[-1].lower()
    if role.endswith("s") or role in _COLLECTIVE or role in _DOCUMENTS:
        return False
    if any(w[:1].isupper() for w in words[1:]):
        return False
    if (
        role.endswith("ment")
        or role in _BODY_KINDS["paper"]
        or not (role in _PERSON_NOUNS or re.search(_PERSON_SUFFIX, role))
    ):
        return False  # "her official biography", "the department"
    female = bool(re.search(r"(?:woman|wife|mother|daughter|sister|girl|widow|aunt|niece)$", role))
    male = bool(
        re.search(r"(?:\bman|husband|father|\bson|brother|boy|widower|uncle|nephew)$", role)
    )
    return not ((gender == "m" and female) or (gender == "f" and male))


def _gender(text: str, m: Mention, people: list[Mention]) -> str:
    """ "f", "m" or "" (not told): a title or relation before the name ("Mrs.", "his wife", "son"),
    or, for the first person named in a sentence, "his"/"her" later in it ("Jackman makes
    pancakes for ... his wife": Jackman is a man)."""
    head = text[max(0, m.start - 30) : m.start]
    if _FEMALE.search(head):
        return "f"
    if _MALE.search(head):
        return "m"
    first = min((p for p in people if p.sentence == m.sentence), key=lambda p: p.start)
    if first is not m:
        return ""
    end = text.find(".", m.end)
    rest = text[m.end : end if end > 0 else len(text)].lower()
    his, her = bool(re.search(r"\bhis\b", rest)), bool(re.search(r"\bher\b", rest))
    return "m" if his and not her else "f" if her and not his else ""


def _same_name(a: str, b: str) -> bool:
    return bool(set(a.split()) & set(b.split()))


#: Plural bodies spoken for as a whole ("police said"): the description is the speaker.
_COLLECTIVE = {"police", "staff", "military", "army", "navy", "government", "management"}


_DOCUMENTS = {
    "statement", "release", "report", "letter", "memo", "announcement", "email", "message",
}  # fmt: skip
#: Words that open a description of a speaker ("a", "his", "one", "another").
_DETERMINERS = "the|a|an|his|her|their|its|one|another"
#: "one of his lawyers": one of a group, described
_ONE_OF = r"(?:one|two|some|several|many|none)\s+of\s+(?:the|his|her|their|its)"
_DETERMINER_SET = set(_DETERMINERS.split("|"))
#: Words before a speaker's description that are no part of it ("Then a co-worker yelled").
_NOT_SUBJECT = (
    "then|and|but|so|also|later|now|earlier|meanwhile|yet|still|finally|yesterday|today|tonight"
)
#: Words after a body's name that say what it did, not who in it speaks ("the Bureau has").
_NOT_ROLE = re.compile(
    r"has|have|had|is|was|were|are|be|been|will|would|could|can|may|might|should|must|did|"
    r"does|do|also|then|later|now|first|\w+ly"
)
#: Words that are no speaker by themselves.
_FUNCTION_WORD = re.compile(
    rf"(?i:{_NOT_SUBJECT}|or|it|this|that|these|those|there|here|which|who|whom|what|as|if|mr|"
    r"mrs|ms|dr|miss|"
    r"while|because|though|although|after|before|since|until|where)"
)
#: Descriptions of a body by its kind ("the company", "the paper"), with the words that name
#: the same kind.
_BODY_KINDS = {
    "company": {"company", "firm", "retailer", "chain", "corporation", "supermarket", "maker"},
    "paper": {"paper", "newspaper", "daily", "tabloid", "weekly"},
}
#: A verb right after a name: the name is the subject of a clause ("Weitz is getting").
_VERB_AFTER = re.compile(
    r"\s+(?:\w+ly\s+)?(?:is|was|are|were|has|had|have|will|would|could|can|should|may|might|"
    r"must|did|does|do|\w{3,}ed)\b"
)
#: A word for a kind of body right before its name ("daily Eleftherotypia").
_KIND_BEFORE = re.compile(
    r"\b(?:daily|newspaper|paper|tabloid|weekly|magazine|company|firm|retailer|broadcaster)\s+$"
)
#: Who speaks for a body: the body is the speaker ("a spokesman for the board").
_SPOKES = re.compile(r"(?i:spokes(?:man|woman|person|people|men|women)|representatives?)")


def _description(
    text: str,
    lo: int,
    hi: int,
    people: list[Mention],
    bodies: list[Mention],
    before_verb: bool = False,
    spoke: list[_Speaker] | None = None,
) -> _Speaker | None:
    """A speaker given by description ("the doctor", "police", "a spokeswoman"): the last person
    named before with that description next to the name, else the description itself. One who
    speaks for a body named with it ("a spokesman for the Harbour Board", "a statement from the
    Board") is that body; a title written as a name ("the District Attorney") is the person named
    with it, or nobody. Words before it that are no part of it are passed over ("Then a co-worker
    yelled")."""
    site = re.match(r"^[\s,]*([\w-]+\.(?:com|org|net|gov|edu|co\.uk))\b", text[lo:hi])
    if site:  # "according to washingtonpost.com": a website
        return _Speaker(site.group(1), lo + site.start(1), False)
    owned = re.match(
        rf"^[\s,]*(?:(?i:the)\s+)?(?P<name>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){{0,3}})['’]s\s+"
        rf"(?:[a-z]+\s+)?(?i:{'|'.join(sorted(_DOCUMENTS))})\s*$",
        text[lo:hi],
    )
    if owned:  # "The D. A.'s release says": the issuer
        return _Speaker(owned.group("name"), lo + owned.start("name"), False)
    lead = re.match(rf"^[\s,]*(?:(?i:{_NOT_SUBJECT})\s+)*", text[lo:hi])
    lo += lead.end() if lead else 0
    m = re.match(
        rf"^[\s,]*(?P<np>(?:(?:{_ONE_OF}|{_DETERMINERS})\s+)?(?:[a-z][\w-]*\s+){{0,2}}[a-z][\w-]*)"
        r"(?=\s*(?:$|[,.;:]|\s(?:who|which|that|in|on|at|from|of|with|for|to)\b))",
        text[lo:hi] + " ",
        re.IGNORECASE,
    )
    if m is None:
        return None
    phrase = m.group("np")
    start = lo + m.start("np")
    words = phrase.split()
    speaks_for = re.match(
        r"(?P<head>(?:\S+\s+){0,3}?\S+)\s+(?:for|from|of|at)\s+(?:the\s+)?(?P<body>[A-Z].*)$",
        phrase,
    )
    if speaks_for and _title_case(speaks_for.group("head")) is None:
        role = speaks_for.group("head").split()[-1].lower()
        if _SPOKES.fullmatch(role) or role in _DOCUMENTS:
            # "a spokesman for Waitrose", "a statement from the ministry": the body speaks
            at = start + speaks_for.start("body")
            named = next((b for b in bodies + people if b.start == at), None)
            if named is not None:
                return _Speaker(named.text, named.start, False)
            name = re.match(
                r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|and|&)\s+)?[A-Z][\w'’&.-]*)*", text[at:]
            )
            if name:
                return _Speaker(name.group(0).rstrip("."), at, False)
        phrase = speaks_for.group("head")
        words = phrase.split()
    if _PRONOUN.match(words[0]):
        return None
    if any(w[:1].isupper() for w in words[1:]):
        # "the District Attorney said": the person named with that title, else nobody
        role = words[-1]
        if words[0].lower() != "the" or _title_case(phrase) is None:
            return None
        for p in reversed([p for p in people if p.end <= lo and lo - p.start <= DESCRIPTION_REACH]):
            if _described(text, p, role):
                return _Speaker(p.text, p.start, True)
        return None
    det = words[0].lower() in _DETERMINER_SET
    if (
        not det
        and (
            len(words) > 1
            or _FUNCTION_WORD.fullmatch(words[0])
            or not (words[0][:1].isupper() or words[0].endswith("s") or words[0] in _COLLECTIVE)
            or (words[0][:1].isupper() and words[0].endswith("ly"))  # "Ultimately, it will be"
            or (
                words[0][:1].isupper()
                and text[start + len(words[0]) : start + len(words[0]) + 1] == ","
            )
        )
    ):
        # "and then", "later on", "and", "yelling": no description of a speaker; a word alone
        # is a name the tagger missed ("Manning said") or a body ("police", "officials")
        return None
    common = words[0].lower()
    plural_of = common.endswith("s") and re.match(r"\s+of\b", text[start + len(common) :])
    if not det and common not in _COLLECTIVE and (plural_of or re.search(rf"\b{common}\b", text)):
        return _described_as(common, start)  # "Friends said", written "friends" too
    documents = [i for i, w in enumerate(words) if w.lower() in _DOCUMENTS]
    if documents and documents[0] < len(words) - 1:
        words = words[: documents[0] + 1]  # "The statement expresses condolences": a statement
        phrase = " ".join(words)
    role = words[-1].lower()
    if role in ("it", "this", "that", "which", "who", "there"):
        return None
    if role in _DOCUMENTS:
        # "the statement said": whoever issued it ("Gordon Advisors issued a statement")
        issuers = [n for n in people + bodies if n.end <= lo and lo - n.start <= DESCRIPTION_REACH]
        for n in sorted(issuers, key=lambda n: n.start, reverse=True):
            if _GOVERNED.search(text, max(0, n.start - 30), n.start):
                continue  # "the School of Design and Construction"
            stop = re.search(r"[.!?](?:\s|$)", text[n.end : n.end + 200])
            said = text[n.end : n.end + (stop.start() if stop else 200)]
            if re.search(rf"\b{re.escape(role)}\b", said, re.IGNORECASE):
                return _Speaker(n.text, n.start, n in people)
        # none named issuing it: the body that spoke last ("A Kraft representative confirmed
        # ... ¶ "...," a statement reads")
        for sp in reversed(spoke or []):
            if not sp.person and sp.text[:1].isupper() and 0 <= lo - sp.start <= DESCRIPTION_REACH:
                return sp
        return _described_as(phrase, start)
    if role.endswith("s") or role in _COLLECTIVE:
        return _described_as(phrase, start)  # "police", "officials", "the rescuers"
    for p in reversed([p for p in people if p.end <= lo and lo - p.start <= DESCRIPTION_REACH]):
        if text[p.end : p.end + 2] in ("'s", "’s"):
            continue  # "Ben's older brother": Ben has the brother, he is not him
        if _described(text, p, role):
            return _Speaker(p.text, p.start, True)
    kind = next((k for k, words in _BODY_KINDS.items() if role in words), None)
    if kind is not None and words[0].lower() == "the":
        # "the company said", "the paper said": the body of that kind named last ("Centre-left
        # daily Eleftherotypia", "the Kraft Foods plant"), never one that only relays
        for b in reversed([b for b in bodies if b.end <= lo and lo - b.start <= DESCRIPTION_REACH]):
            said_of = any(_described(text, b, w) for w in _BODY_KINDS[kind])
            outlet = bool(_OUTLET.search(b.text))
            addressed = _ADDRESSEE.search(text, max(0, b.start - 30), b.start)
            if (said_of or (outlet if kind == "paper" else not outlet)) and not addressed:
                return _Speaker(b.text, b.start, False)
    return _described_as(phrase, start)


def _title_case(phrase: str) -> str | None:
    """The title of "the District Attorney" (its words after the article capitalised), else
    None."""
    words = phrase.split()
    if len(words) > 1 and words[0].lower() == "the" and all(w[:1].isupper() for w in words[1:]):
        return " ".join(words[1:])
    return None


def _described_as(phrase: str, start: int) -> _Speaker:
    """A description as the speaker, its article in lower case wherever the sentence began ("A
    close friend said" -> "a close friend"): a description, not a name."""
    first, _, rest = phrase.partition(" ")
    if first.lower() in _DETERMINER_SET:
        phrase = f"{first.lower()} {rest}".strip()
    return _Speaker(phrase, start, False)


def _described(text: str, p: Mention, role: str) -> bool:
    """True when ``role`` is said of the person named at ``p``: set before the name in its noun
    phrase ("general manager Ed Stefanski", "the spokesman for the society, Sean Tipton") or in
    apposition after it ("Dave Gaskin, a police spokesman", "Gaskin, who is the coroner"). A role
    word merely near the name ("Stefanski was a head-scratcher. ... a source said") is not."""
    word = rf"\b{re.escape(role)}\b"
    before = text[max(0, p.start - 60) : p.start]
    title = rf"{re.escape(role[:1].upper())}{re.escape(role[1:])}"
    if re.search(rf"\b{title}[ \t]+$", before):
        return True  # a title right before the name: "the mayor" is "Mayor Ruiz"
    m = re.search(
        rf"{word}((?:[\s,]+(?:(?:of|for|at|with|the)\s+)*[\w.'’-]+){{0,4}})[\s,]*$", before
    )
    # the words between the role and the name hold no sentence end (a title's stop is none)
    if m and not re.search(
        r"[!?;:\"“”]|\w{4,}\.(?:\s|$)|\b(?:and|or|but|said|says|told|is|was|are|were|has|had|"
        r"who|which|that)\b",
        m.group(1),
    ):
        return True
    after = text[p.end : p.end + 80]
    return bool(re.match(rf"^\s*,\s*(?:who\s+(?:is|was)\s+)?[^.;:!?\"“”]{{0,60}}?{word}", after))


#: A speech verb with no subject of its own between two quotations: '" – and added, "'.
_COORDINATED_VERB = re.compile(
    rf"[\W]*(?:and|but)\s+(?:(?:also|then|later)\s+)?(?:{SPEECH_VERBS})\b[\s,:—–-]*[\"“”„«‘']?",
    re.IGNORECASE,
)


def _continues(
    text: str,
    last_span: _Span,
    last: RawQuote,
    q: _Span,
    sentences: list[Sentence],
    sentence: int,
) -> bool:
    """True when a quotation with no speech verb of its own goes on from the attributed one
    before it: the next paragraph of a quotation left open, or a quotation opening the sentence
    right after it (news prose opens a new paragraph for each further sentence of a quotation)."""
    if last_span.open_end and text[last_span.end : q.opening].strip() == "":
        return True
    between = text[last_span.end : q.opening]
    if sentence == last.sentence and (
        not _SPEECH.search(between) or _COORDINATED_VERB.fullmatch(between)
    ):
        # 'said that "putting aside the rest," he had suffered from "..."', '"...," and added,
        # "..."': the same speaker
        return True
    if not sentences or sentence - last.sentence != 1:
        return False
    return not text[sentences[sentence].start : q.opening].strip()


def normalise(text: str) -> str:
    """A comparison key: lower case, letters and digits only, single spaces."""
    return " ".join(re.findall(r"\w+", text.casefold().replace("’", "'")))
