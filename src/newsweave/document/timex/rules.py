"""The tagger: regular expressions that propose temporal expressions, and their normalisation.

Every rule proposes candidates; the longest wins where candidates overlap (ties: the rule listed
first). Then two passes join neighbours (``three weeks after March 3``, ``Tuesday at 3 p.m.``)
and resolve anaphoric expressions (``the next day``) against the latest date mentioned before.

Spans: ``start``/``end`` are the TimeML extent (``last Friday``, ``34 months ago``); ``lead`` is
where the introducing preposition starts (``on`` in ``on Friday``, ``until`` in ``until May``),
the same as ``start`` when there is none.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from newsweave.document.timex import zones
from newsweave.document.timex.values import at_precision, interval, shift
from newsweave.model import Sentence

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}  # fmt: skip
WEEKDAYS = {
    d: i
    for i, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
# names start with a capital; the rest may be capitals too (datelines: "THURSDAY, MAY 2, 2013")
_MON = (
    r"(?=[A-Z])(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTH_FULL = (
    r"(?=[A-Z])(?i:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_WD = r"(?=[A-Z])(?i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# a weekday written before a date may be abbreviated ("Fri., May 3", "MON 22 JUL 2013")
_WD_ABBR = r"(?=[A-Z])(?i:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?"
_YEAR = r"(?:1[6-9]|20)\d\d"
# what may follow four digits after "at" for them to be a clock ("at 1930 on Saturday")
_AT_CLOCK_AFTER = (
    r"\s*(?:[,.;)](?!\d)|$|\(|(?i:on|local|hours|hrs|today|tonight|yesterday|tomorrow|this|last)\b"
    r"|(?=[A-Z])(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)"
)
_AT_CLOCK = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")
# the word that introduces an expression: part of the lead span (role() reads it), not the extent
_PREPS = (
    r"on|in|by|until|till|through|since|from|before|after|during|at|for|to|of|within|over|"
    r"throughout|around|as of|between"
)
# rules mark where an introducing word may stand with this empty group; the word itself is found
# by looking back from the match (an optional prefix in every pattern is slow to scan for)
_PRE = r"(?P<pre>)"
_LOOKBACK = re.compile(rf"\b(?P<rel>(?i:{_PREPS}))\s+$")
_MOD = (
    r"(?:(?P<mod>(?i:early|earlier|late|later|mid|the end of|the start of|the beginning of|"
    r"the middle of|the rest of|the remainder of|the close of))(?:\s+|-))?"
)
_NUMW = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?)"
)
_NUM = (
    rf"(?:\d+(?:\.\d+)?|{_NUMW}|an?|a couple(?: of)?|a few|several|few|many|some|dozens of|"
    r"hundreds of|a number of)"
)
_SMALL = {
    w: i
    for i, w in enumerate(
        re.split(
            " ",
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen",
        )
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(re.split(" ", "twenty thirty forty fifty sixty seventy eighty ninety"))
}
_UNIT_CODE = {
    "year": "Y", "month": "M", "week": "W", "day": "D", "decade": "DE", "century": "CE",
    "centurie": "CE", "quarter": "Q", "hour": "H", "minute": "MIN", "second": "S",
}  # fmt: skip
_UNIT = (
    r"(?:years?|months?|weeks?|days?|decades?|century|centuries|quarters?|hours?|minutes?|seconds)"
)
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_ORD = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "final": 4, "last": 4,
}  # fmt: skip
_CENTURY_WORDS = {
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}  # fmt: skip
_DECADE_WORDS = {
    w: i + 2
    for i, w in enumerate(
        re.split(" ", "twenties thirties forties fifties sixties seventies eighties nineties")
    )
}

# the sentence speaks of the future: a weekday in it is the next such day
_FUTURE = re.compile(
    r"\b(?:will|shall|is due to|are due to|is to|are to|is expected to|are expected to|"
    r"plans? to|is scheduled to|are scheduled to|is set to|are set to|'ll|"
    # modality: what could, would or may happen is ahead ("could reopen on Wednesday", "would
    # give a proposal on Wednesday"), unless the verb reports speech ("could not say on Monday")
    # ("May" capitalised is the month: "checked into a clinic in May as part of a deal")
    r"(?:could|would|might|(?-i:may))(?:\s+(?:not|also|still|then|now|soon|only|never))*\s+"
    r"(?!(?:not|also|still|then|now|soon|only|never|have|say|tell|confirm|comment|recall|"
    r"remember|explain|be\s+reached)\b)[a-z]+|"
    r"(?:expects?|expected|hopes?|hoped|aims?|intends?|wants?|is going|are going|was going)\s+to|"
    # a forecast or a readiness: "the storm is forecast to hit Thursday", "is poised to sign"
    r"(?:forecast|predicted|projected|likely|poised|tipped|ready|planning|preparing)\s+to|"
    # "the ruling is expected in March", "results are expected Monday"
    r"(?:is|are|'s)\s+(?:now\s+|also\s+)?expected(?!\s+to\s+have)|"
    # a plan, a deadline: "police plan a news conference Monday", "a May 10 deadline"
    r"plans?\s+(?:an?|the|to)|deadlines?|"
    # an appointment made: "remanded in custody to appear before the court on 19 August", "due
    # to enter his plea in September", "for the measures to be voted on Thursday"
    r"(?:due\s+)?to\s+(?:appear|face|stand\s+trial|enter\s+(?:a|his|her|their)\s+plea|"
    r"return\s+to\s+court|be\s+(?:\w+ly\s+)?(?:sentenced|tried|arraigned|voted|heard|released|"
    r"decided|announced|signed|debated|held|named|sworn|buried|extradited))|"
    r"(?:'s|is|are)\s+due\s+to|"
    # a scheduled event in the present tense: "the special airs November 23", "opens December 25"
    r"(?:opens|airs|premieres|debuts|launches|starts|begins|kicks off|goes on sale|go on sale|"
    r"hits stores|takes place|is held|are held|resumes|returns|arrives|is due|are due|due out|"
    # what a team or a party is scheduled to do: "the Chargers leave Friday for Pittsburgh"
    r"leaves?|departs?|travels?|plays?|meets?|faces?|hosts?|"
    # what is held, decided or closed on a day ahead: "parliament votes Thursday", "the party
    # holds its congress Sunday", "voters go to the polls on Sunday", "the offer expires Friday"
    r"votes|holds|visits|go(?:es)?\s+to\s+the\s+polls|reports?\s+(?:its\s+|their\s+)?earnings|"
    r"unveils|closes|ends|expires|reopens|convenes|takes\s+effect|take\s+effect|"
    r"comes?\s+into\s+(?:force|effect))|"
    # "the report, due in September": what is due is ahead ("was due in court" is told past)
    r"(?<!\bwas\s)(?<!\bwere\s)due\s+(?:in|on|by)(?=\s)|"
    # "held pending his next court hearing April 19": the next sitting is ahead
    r"pending|(?:next|upcoming)\s+(?:\w+\s+)?(?:hearing|appearance|date|trial|session|meeting|"
    r"game|match|race|vote|election)s?|"
    # a date an event was put on is ahead of it: "a hearing was scheduled for Wednesday"
    r"(?:scheduled|set|slated|planned|fixed|listed|postponed|adjourned|delayed|put off|"
    r"pencill?ed\s+in|booked|moved|pushed\s+back)"
    r"\s+(?:for|until|till|to))\b",
    re.IGNORECASE,
)
# the sentence speaks of the past: a weekday next to one of these is a day gone by, even when a
# future cue comes later ("the port said on Tuesday that repairs will take weeks")
_PAST = re.compile(
    r"\b(?:said|told|announced|reported|confirmed|added|stated|noted|wrote|was|were|had|did|"
    r"ago|"
    # common irregular past forms ("the ferry sank on Tuesday and rescuers may never know why")
    r"sank|struck|took|went|came|fell|found|left|began|broke|caught|ran|shot|gave|made|saw|"
    r"got|held|hit|lost|met|paid|put|rose|sent|set|spoke|stole|stood|threw|won|wore|drove|"
    r"flew|fled|fought|knew|led|quit|sold|swore|thought|understood|woke|would have|could have|"
    r"may have|might have|"
    r"(?:could|would)(?:\s+not|n't)\s+(?:say|comment|confirm|tell|be\s+reached))\b",
    re.IGNORECASE,
)
_PAST_AUX = re.compile(r"\b(?:was|were|had|did)\b", re.IGNORECASE)
# a regular past form ("killed", "charged") not after a form of "be" ("will be charged")
_PAST_ED = re.compile(
    r"(?<!\bbe )(?<!\bbeen )(?<!\bis )(?<!\bare )(?<!\bam )(?<!'s )(?<!’s )"
    r"\b(?<!\bbe [a-z]{2}ly )"
    r"(?<!\bbe [a-z]{3}ly )(?<!\bbe [a-z]{4}ly )(?<!\bbe [a-z]{5}ly )(?<!\bbe [a-z]{6}ly )"
    r"(?<!\bbe [a-z]{7}ly )(?<!\bbe [a-z]{8}ly )[a-z]{3,}ed\b"
)  # "will be formally charged": the participle after "be" and an adverb is no past either
# the present tense of what is arranged, told just before the date: "the funeral is Saturday",
# "the hearing is on Monday", "the ministers are meeting on Friday", "are playing Chicago on
# Sunday" (a progressive with no object phrase between: "are investigating the shooting on
# Monday" may date the shooting; "is recovering after being shot Monday" dates the shooting)
_PRESENT_AHEAD = re.compile(
    r"\b(?:is|are|'re)\s+(?:(?:also|now|still|tentatively)\s+)?"
    r"(?:(?!(?:being|going|nothing|something|anything|everything|morning|evening|during)\b)"
    r"[a-z]{2,}ing\b(?:\s+(?!(?:after|since|following|when|because|over|from|of|for|the|a|an|"
    r"his|her|their|its|this|that|these|those|who|which|by)\b)[\w'’-]+){0,4}\s+"
    r"|)(?:(?:on|in)\s+)?$",
    re.IGNORECASE,
)
# a participle after a verb of state is an adjective, no past: "will remain closed through
# Friday", "stays locked until Monday"
_STATE_VERB = re.compile(
    r"\b(?:remain|remains|stay|stays|seem|seems|look|looks|get|gets|keep|keeps)\s+"
    r"(?:[a-z]+ly\s+)?$",
    re.IGNORECASE,
)
_AFTER_BE = re.compile(r"\b(?:be|been|being)\s+(?:[a-z]+ly\s+)?$", re.IGNORECASE)
# a base form that is also a past form after "to" or a modal is no past: "forecast to hit",
# "will set", "could cut"
_BASE_FORM = re.compile(
    r"\b(?:to|will|shall|would|could|should|can|may|might|must|'ll)\s+(?:[a-z]+ly\s+)?$",
    re.IGNORECASE,
)
_FORWARD = {"next", "until", "till", "by", "within"}
# a colon inside a clock time ("20:00") or a number does not end a clause
_CLAUSE_BREAK = re.compile(r"[,;()]|:(?!\d)|\s[–—-]\s")


@dataclass(frozen=True)
class Timex:
    """One temporal expression. ``value`` follows TIMEX3 (``2025-01-08``, ``2024-Q3``, ``P34M``,
    ``XXXX-WXX-3``, ``PRESENT_REF``); None when it needs an anchor that is missing or invalid.
    ``value_max`` is the upper bound of a range (``six to nine months``: P6M .. P9M)."""

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    lead: int
    value_max: str | None = None


@dataclass(frozen=True)
class _Cand:
    lead: int
    start: int
    end: int
    type: str
    value: str | None
    rank: int
    value_max: str | None = None
    anaphor: tuple[str, int] | None = None  # (unit, offset) against the latest date
    shift: tuple[str, int] | None = None  # (unit, n): "N units" that may join "after <date>"
    clock: str | None = None  # "19:00": a clock time with no day of its own (yet)
    part: str | None = None  # part of the day an anaphor ends with ("the next morning": MO)
    # (name or "", event noun, count, unit, the count as a duration: its end and value) for "the
    # day after X's death", "seven months after the conviction"
    event: tuple[str, str, int, str, tuple[int, str] | None] | None = None
    # an anaphor that needs a day named before it ("two days later"), else this duration
    alone: str | None = None


def number(words: str) -> int | float | None:
    """``34`` -> 34, ``twenty-four`` -> 24, ``a`` -> 1, ``a couple of`` -> 2; vague -> None."""
    w = words.lower().strip()
    if re.fullmatch(r"\d+", w):
        return int(w)
    if re.fullmatch(r"\d+\.\d+", w):
        return float(w)
    if w in {"a", "an"}:
        return 1
    if w in {"a couple of", "a couple"}:
        return 2
    if w in _SMALL:
        return _SMALL[w]
    parts = re.split(r"[- ]", w)
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_SMALL.get(parts[1], 0) if len(parts) > 1 else 0)
    return None


def _code(unit: str) -> str:
    u = unit.lower()
    return _UNIT_CODE[u[:-1] if u.endswith("s") and u[:-1] in _UNIT_CODE else u]


def duration(n: int | float | None, code: str) -> str:
    """TIMEX3 duration: P34M, P3W, PT2H, PXY (vague)."""
    amount = "X" if n is None else (f"{n:g}" if isinstance(n, float) else str(n))
    if code == "H":
        return f"PT{amount}H"
    if code == "MIN":
        return f"PT{amount}M"
    if code == "S":
        return f"PT{amount}S"
    if code == "Q":
        return "PXM" if n is None else f"P{n * 3:g}M"
    return f"P{amount}{code}"


def resolve_weekday(weekday: int, anchor: date, relation: str | None, future: bool = False) -> date:
    """The date of ``weekday`` relative to ``anchor``. News reports speak of the past: a bare or
    ``on``/``last`` weekday is the latest such day on or before the anchor; ``next``/``until``/
    ``by``, the first one after it; with ``future=True`` alone (the sentence speaks of what will
    happen: "will be charged Tuesday" in a Tuesday report), the first one on or after it."""
    if relation and relation.lower() in _FORWARD:
        delta = (weekday - anchor.weekday()) % 7 or 7
        return anchor + timedelta(days=delta)
    if future:
        return anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
    delta = (anchor.weekday() - weekday) % 7
    if relation and relation.lower() == "last" and delta == 0:
        delta = 7
    return anchor - timedelta(days=delta)


def pick(values: list[str], anchor: date, mode: str) -> str | None:
    """Choose among calendar values (the same period in neighbouring years) the one meant.
    ``last``: the latest that ended before the anchor; ``next``: the first that starts after it;
    ``this``: the one containing the anchor, else the one in its year; ``past``: the latest that
    started on or before it; ``future``: the first that has not ended."""
    spans = [(v, s) for v in values if (s := interval(v)) is not None]
    if mode == "last":
        ok = [(s[0], v) for v, s in spans if s[1] < anchor]
        return max(ok)[1] if ok else None
    if mode == "next":
        ok = [(s[0], v) for v, s in spans if s[0] > anchor]
        return min(ok)[1] if ok else None
    if mode == "this":
        for v, s in spans:
            if s[0] <= anchor <= s[1]:
                return v
        same = [v for v, s in spans if s[0].year == anchor.year]
        return same[0] if same else None
    if mode == "past":
        ok = [(s[0], v) for v, s in spans if s[0] <= anchor]
        return max(ok)[1] if ok else None
    ok = [(s[0], v) for v, s in spans if s[1] >= anchor]
    return min(ok)[1] if ok else None


def _month_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


class _Context:
    def __init__(
        self,
        text: str,
        sentences: list[Sentence],
        anchor: date | None,
        kind: str = "own",
        clock: str | None = None,
    ) -> None:
        self.text = text
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.anchor = anchor
        self.kind = kind  # what the anchor is: see tag()
        self.clock = clock  # the report's own clock time ("13:26"), when known
        self.rel: str | None = None  # the introducing word of the match being normalised
        self._told_past = False

    def sentence_at(self, pos: int) -> Sentence | None:
        if not self.sentences:
            return None
        return self.sentences[max(0, bisect_right(self.starts, pos) - 1)]

    def future(self, at: int) -> bool:
        """True when the tense cue nearest to offset ``at`` in its sentence is a future one."""
        sentence = self.sentence_at(at)
        if sentence is None:
            return False

        def distance(m: re.Match[str]) -> int:
            return max(0, m.start() - at, at - m.end())

        text = self.text
        # only the expression's own clause (between commas, semicolons, dashes) decides: in "X will
        # meet them on Thursday, the company said", "said" belongs to the reporting clause, and in
        # "the ferry sank on Tuesday; the inquiry will report" the "will" is another clause's;
        # with no cue of its own, a date in a news report is a past one
        before = [m.end() for m in _CLAUSE_BREAK.finditer(text, sentence.start, at)]
        lo = max([sentence.start, *before])
        after = _CLAUSE_BREAK.search(text, at, sentence.end)
        hi = after.start() if after else sentence.end
        future, past = self._cues(lo, hi, distance)
        ahead = _PRESENT_AHEAD.search(text, max(lo, at - 80), at)
        if ahead is not None:
            future.append(distance(ahead))
        if not future and not past and lo == sentence.start and after is not None:
            # a fronted adverbial ("In September, the company plans to cut jobs"): the clause
            # it opens tells the tense
            nxt = _CLAUSE_BREAK.search(text, after.end(), sentence.end)
            future, past = self._cues(after.end(), nxt.start() if nxt else sentence.end, distance)
        self._told_past = bool(past) and (not future or min(past) < min(future))
        return bool(future) and (not past or min(future) < min(past))

    def _cues(
        self, lo: int, hi: int, distance: Callable[[re.Match[str]], int]
    ) -> tuple[list[int], list[int]]:
        """The distances of the future and the past cues between ``lo`` and ``hi``."""
        text = self.text
        future = [distance(m) for m in _FUTURE.finditer(text, lo, hi)]
        # an irregular participle after "be" is no past ("will be held on October 4")
        past = [
            distance(m)
            for m in _PAST.finditer(text, lo, hi)
            if not _AFTER_BE.search(text, max(lo, m.start() - 24), m.start())
            and not _BASE_FORM.search(text, max(lo, m.start() - 24), m.start())
        ]
        past += [
            distance(m)
            for m in _PAST_ED.finditer(text, lo, hi)
            if not _STATE_VERB.search(text, max(lo, m.start() - 24), m.start())
        ]
        return future, past

    def told_past(self, at: int) -> bool:
        """True when the tense cue nearest to offset ``at`` in its clause is a past one
        ("O'Brien, fired on June 8, ...")."""
        self.future(at)
        return self._told_past

    def past(self, at: int) -> bool:
        """True when the clause of offset ``at`` has a past auxiliary (``was``, ``had``) and no
        nearer future cue."""
        sentence = self.sentence_at(at)
        if sentence is None or self.future(at):
            return False
        text = self.text
        before = [m.end() for m in _CLAUSE_BREAK.finditer(text, sentence.start, at)]
        lo = max([sentence.start, *before])
        after = _CLAUSE_BREAK.search(text, at, sentence.end)
        hi = after.start() if after else sentence.end
        # only past auxiliaries: a participle can be an adjective ("stays closed until May"), a
        # reporting verb belongs to another event ("the judge said before adjourning until May")
        return bool(_PAST_AUX.search(text, lo, hi))

    def mode(self, rel: str | None, which: str | None, at: int) -> str:
        """How to choose a period named without its year: last / next / this / past / future."""
        w = (which or "").lower().replace("the ", "").strip()
        if w in {"last", "previous", "past"}:
            return "last"
        if w in {"next", "coming"}:
            return "next"
        if w in {"this", "current"}:
            return "this"
        if rel and rel.lower() in _FORWARD and not self.past(at):
            return "future"  # "by March 3", unless the clause is past ("was held until May 2")
        return "future" if self.future(at) else "past"


Rule = Callable[[_Context], Iterator[_Cand]]
RULES: list[Rule] = []
# a rule's matches in a text, with what the text alone says of each: (match, lead, start, the
# introducing word, end); the anchor only changes what a rule makes of them
_Hit = tuple[re.Match[str], int, int, str | None, int]
_SCANS: list[Callable[[str], list[_Hit]]] = []


@lru_cache(maxsize=16)
def _scanned(text: str) -> tuple[list[_Hit], ...]:
    """Every rule's matches in ``text``, kept for the texts tagged last: the story stage tags a
    report again against each day it may have been written, and the regular expressions' scan
    is most of a tagging (their matches do not depend on the anchor)."""
    return tuple(scan(text) for scan in _SCANS)


def rule(pattern: str, flags: int = 0) -> Callable[[Callable], Rule]:
    """Register ``fn(ctx, match) -> (type, value) | None`` for every match of ``pattern``;
    the optional ``pre`` group is the introducing word (lead only)."""
    compiled = re.compile(pattern, flags)

    def wrap(fn: Callable[[_Context, re.Match[str]], tuple | None]) -> Rule:
        rank = len(RULES)
        groups = compiled.groupindex
        marked = _PRE in pattern

        def scan(text: str) -> list[_Hit]:
            hits: list[_Hit] = []
            for m in compiled.finditer(text):
                lead, start, rel = m.start(), m.start(), None
                if marked:
                    back = _LOOKBACK.search(text, max(0, start - 16), start)
                    if back is not None:
                        rel, lead = back.group("rel"), back.start()
                elif "pre" in groups and m.group("pre"):
                    rel, start = m.group("pre").strip(), m.end("pre")
                end = m.end("ext") if "ext" in groups and m.group("ext") is not None else m.end()
                hits.append((m, lead, start, rel, end))
            return hits

        def run(ctx: _Context) -> Iterator[_Cand]:
            for m, lead, start, rel, end in _scanned(ctx.text)[rank]:
                ctx.rel = rel
                out = fn(ctx, m)
                if out is None:
                    continue
                kind, value, *extra = out
                yield _Cand(lead, start, end, kind, value, rank, *extra)

        RULES.append(run)
        _SCANS.append(scan)
        return run

    return wrap


def _g(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


# ------------------------------------------------------------------ absolute dates


@rule(
    rf"\b{_PRE}(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>0[1-9]|1[0-2])(?P=sep)"
    r"(?P<d>0[1-9]|[12]\d|3[01])\b(?![-/.]\d)"
)
def _iso(ctx: _Context, m: re.Match[str]) -> tuple:
    return "DATE", f"{m.group('y')}-{m.group('m')}-{m.group('d')}"


@rule(
    rf"\b{_PRE}(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d|\d\d)\b"
    r"(?![-/.]\d)"
)
def _numeric_date(ctx: _Context, m: re.Match[str]) -> tuple | None:
    """``05/03/2013``, ``11/30/09``, ``21.07.2013``: month first (US) or day first, whichever
    makes a date; when both do, the one nearer the anchor (a tie: month first; dots: day first)."""
    y = int(m.group("y"))
    if y < 100:
        y += 2000 if y < 50 else 1900
    a, b = int(m.group("a")), int(m.group("b"))
    readings = [d for d in (_month_day(y, a, b), _month_day(y, b, a)) if d is not None]
    if m.group("sep") == ".":
        readings.reverse()
    if not readings:
        return None
    if ctx.anchor is not None and len(readings) == 2:
        anchor = ctx.anchor
        best = min(readings, key=lambda d: abs((d - anchor).days))
        return "DATE", best.isoformat()
    return "DATE", readings[0].isoformat()


def _day_month(ctx: _Context, m: re.Match[str]) -> tuple:
    month = MONTHS[m.group("mon").rstrip(".").lower()]
    day = int(m.group("d"))
    if m.group("y"):
        d = _month_day(int(m.group("y")), month, day)
        return "DATE", d.isoformat() if d else None
    year = _narrative_year(ctx, m.start(), month)
    if year is not None:
        # "killed June 24, 2005 while investigating a June 20 shooting": that June's year
        d = _month_day(year, month, day)
        return "DATE", d.isoformat() if d else None
    anchor = ctx.anchor
    if anchor is None:
        # no year anywhere: the day of the month is still known (TIMEX3 writes the year XXXX)
        leap = _month_day(2000, month, day)
        return "DATE", f"XXXX-{month:02d}-{day:02d}" if leap else None
    d = _month_day(anchor.year, month, day)
    if ctx.kind == "year":
        # the report is written in the anchor's year, its day unknown: that year's day
        return "DATE", d.isoformat() if d else None
    if ctx.kind == "bound":
        # the anchor is the latest day the story writes out, the report is on or after it: the
        # first such day from a month before it ("On November 19" with September 15, 2008)
        days = [x for y in (-1, 0, 1) if (x := _month_day(anchor.year + y, month, day))]
        later = [x for x in days if x >= anchor - timedelta(days=31)]
        d = min(later) if later else d
    elif ctx.mode(ctx.rel, None, m.start()) == "future" or re.search(
        r"\b(?i:next|coming)\s+$", ctx.text[max(0, m.start() - 8) : m.start()]
    ):
        # the next such day: "by March 3" written in December is next year's
        if d is not None and d < anchor - timedelta(days=31):
            d = _month_day(anchor.year + 1, month, day)
    elif d is not None and d > anchor + timedelta(days=31):
        # the latest such day: "December 30" written in January is last year's
        d = _month_day(anchor.year - 1, month, day)
    elif (
        d is not None
        and ctx.kind == "own"
        and d > anchor + timedelta(days=1)
        and ctx.told_past(m.start())
    ):
        # told in the past by a report of its own date: not a day after it ("fired on June 8"
        # in a report of May 16 is last year's June 8)
        d = _month_day(anchor.year - 1, month, day)
    return "DATE", d.isoformat() if d else None


# a month written with its year ("June 24, 2005", "In November 1973", "3 May 2010")
_MONTH_WITH_YEAR = re.compile(
    rf"\b(?:(?P<mon>{_MON})\s+(?:[0-3]?\d(?:st|nd|rd|th)?,?\s+)?(?:of\s+)?|[0-3]?\d(?:st|nd|rd|th)?"
    rf"\s+(?:of\s+)?(?P<mon2>{_MON}),?\s+)(?P<y>{_YEAR})\b"
)


_FRAME_OPENS = re.compile(r"\W*(?i:in|by|during|since|from|until|throughout|through)?\s*")


def _narrative_year(ctx: _Context, at: int, month: int) -> int | None:
    """The year of the same month written with its year before offset ``at`` in its sentence, or
    as a frame in the one before ("In November 1973, students ... On Nov. 17 the police moved
    in"), else None."""
    if not ctx.sentences:
        return None
    idx = max(0, bisect_right(ctx.starts, at) - 1)
    lo = ctx.sentences[max(0, idx - 1)].start
    own = ctx.sentences[idx].start
    year = None
    for w in _MONTH_WITH_YEAR.finditer(ctx.text, lo, at):
        name = (w.group("mon") or w.group("mon2")).rstrip(".").lower()
        # in the sentence before, only a month that opens it as a frame ("In November 1973,
        # students ..."), not a day of it ("born on March 29, 1958. He died on March 10") nor
        # a month said in passing ("... into service in November 2006. It arrives November 11")
        framed = w.start() >= own or (
            _FRAME_OPENS.fullmatch(ctx.text, lo, w.start()) is not None
            and not re.search(r"\d\s*,?\s*$", ctx.text[w.start() : w.start("y")])
        )
        if MONTHS.get(name) == month and framed:
            year = int(w.group("y"))
    return year


_WDP = rf"(?:(?:{_WD}|{_WD_ABBR}),?[ \t]+)?"
rule(
    rf"\b{_PRE}{_WDP}(?P<mon>{_MON})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"(?:\s*,?\s+(?P<y>{_YEAR}))?\b(?![.,]?\d)"
)(_day_month)
rule(
    rf"\b{_PRE}{_WDP}(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})"
    rf"(?:\s*,?\s+(?P<y>{_YEAR}))?\b"
)(_day_month)


@rule(rf"\b{_PRE}{_MOD}(?P<mon>{_MON})\s*,?\s+(?:of\s+)?(?P<y>{_YEAR})\b")
def _month_year(ctx: _Context, m: re.Match[str]) -> tuple:
    return "DATE", f"{int(m.group('y')):04d}-{MONTHS[m.group('mon').rstrip('.').lower()]:02d}"


# a month named alone needs an introducing word ("by April"; "May" alone is too often a verb)
@rule(
    rf"\b(?:{_PRE}{_MOD}|(?P<which>(?i:next|last|this|early|late|mid))[\s-]+)"
    rf"(?P<mon>{_MONTH_FULL})\b(?!\s+(?:[0-3]?\d(?:st|nd|rd|th)?\b|of\s+\d))"
    r"(?:\s+(?P<ry>(?i:this|last|next))\s+(?i:year)\b)?"
)
def _month(ctx: _Context, m: re.Match[str]) -> tuple | None:
    if not (ctx.rel or m.group("mod") or m.group("which")):
        return None
    if ctx.anchor is None:
        return "DATE", None
    month = MONTHS[m.group("mon").lower()]
    if m.group("ry"):  # "in September last year"
        year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m.group("ry").lower()]
        return "DATE", f"{year:04d}-{month:02d}"
    which = m.group("which")
    if which and which.lower() in {"early", "late", "mid"}:
        which = None
    y = ctx.anchor.year
    values = [f"{year:04d}-{month:02d}" for year in range(y - 2, y + 3)]
    if ctx.kind == "year" and not which:
        return "DATE", f"{y:04d}-{month:02d}"  # the month of the report's year
    if ctx.kind == "bound" and not which:
        # the report is written on or after the anchor: the first such month from a month
        # before it ("early December" with September 15, 2008 is December 2008)
        floor = ctx.anchor - timedelta(days=31)
        return "DATE", next((v for v in values if (s := interval(v)) and s[1] >= floor), None)
    return "DATE", pick(values, ctx.anchor, ctx.mode(ctx.rel, which, m.start()))


# a month modifying a noun after "the": "the September meeting", "the June vote" ("May" is too
# often a verb to be read so)
@rule(rf"(?<=\b[Tt]he )(?!May\b){_MONTH_FULL}(?=\s+[a-z]{{3,}}\b)")
def _month_modifier(ctx: _Context, m: re.Match[str]) -> tuple | None:
    if ctx.anchor is None:
        return "DATE", None
    month = MONTHS[m.group(0).lower()]
    y = ctx.anchor.year
    if ctx.kind == "year":
        return "DATE", f"{y:04d}-{month:02d}"
    values = [f"{year:04d}-{month:02d}" for year in range(y - 2, y + 3)]
    mode = ctx.mode(None, None, m.start())
    if mode == "past" and not ctx.told_past(m.start()):
        # no tense says which: the nearest such month
        anchor = ctx.anchor
        spans = [
            (abs((span[0] - anchor).days), v) for v in values if (span := interval(v)) is not None
        ]
        return "DATE", min(spans)[1]
    return "DATE", pick(values, ctx.anchor, mode)


@rule(
    r"(?:(?<=\band )|(?<=\bor )|\b(?P<pre>(?:to|through|until)\s+))"
    rf"(?P<mon>{_MONTH_FULL})\b(?!\s+[0-3]?\d\b)"
)
def _month_coordinated(ctx: _Context, m: re.Match[str]) -> tuple | None:
    """``in March and June``: the second month is introduced by the first."""
    before = ctx.text[max(0, m.start() - 20) : m.start()]
    if not re.search(
        rf"\b{_MONTH_FULL}(?:\s+[0-3]?\d)?,?\s*(?:and|or|to|through|until)?\s*$", before
    ):
        return None
    if ctx.anchor is None:
        return "DATE", None
    month = MONTHS[m.group("mon").lower()]
    y = ctx.anchor.year
    values = [f"{year:04d}-{month:02d}" for year in range(y - 2, y + 3)]
    return "DATE", pick(values, ctx.anchor, ctx.mode(None, None, m.start()))


@rule(
    rf"\b(?:{_PRE}{_MOD}(?P<fy>(?i:fiscal|the year|financial year)\s+)?"
    r"|(?P<m2>(?i:early|late|mid))[\s-]+)"
    rf"(?P<y>{_YEAR})\b(?![-/]\d)(?!\s*(?:%|per cent|percent))"
)
def _year(ctx: _Context, m: re.Match[str]) -> tuple | None:
    after = ctx.text[m.end() : m.end() + 24]
    if (
        re.search(r"\b[Aa]t\s+$", ctx.text[max(0, m.start("y") - 4) : m.start("y")])
        and _AT_CLOCK.fullmatch(m.group("y"))
        and re.match(_AT_CLOCK_AFTER, after)
    ):
        return None  # "at 1930 on Saturday": a clock (_clock)
    if ctx.rel and ctx.rel.lower() == "at" and re.match(r"\s+[A-Z][a-z]", after):
        return None  # "a home at 2016 Ontario Street": a street number
    before = ctx.text[max(0, m.start() - 12) : m.start()]
    if re.search(r"\b(?i:a|an)\s+$", before) and re.match(r"(?:\s+[a-z]+)?\s+[A-Z]", after):
        return None  # "a 2007 silver Ford Fusion": a model year, not a date
    if not (ctx.rel or m.group("mod") or m.group("fy") or m.group("m2")):
        before = ctx.text[max(0, m.start() - 12) : m.start()]
        # "between 1991 and 1998": the second year is introduced by the first
        coordinated = re.search(rf"\b{_YEAR}(?:\s+(?:and|or|to)|\s+[-–])\s+$", before)
        # "a 2012 car crash", "the 2005 murder": a year that modifies a noun
        modifier = re.search(r"\b(?i:a|an|the|his|her|its|their)\s+$", before) and re.match(
            r"\s+(?!per\b|percent\b)[a-z]{3,}", ctx.text[m.end() : m.end() + 12]
        )
        if not (coordinated or modifier):
            return None
    return "DATE", m.group("y")


# "in '86", "(1983, '86, '87)": a year written with an apostrophe and two digits, after a
# preposition or in a list of years
@rule(r"(?<![\w'’])['’](?P<yy>\d\d)\b(?!['’]?s\b)")
def _short_year(ctx: _Context, m: re.Match[str]) -> tuple | None:
    before = ctx.text[max(0, m.start() - 14) : m.start()]
    listed = re.search(rf"(?:\b{_YEAR}|['’]\d\d),\s*$", before)
    introduced = re.search(r"\b(?i:in|of|since|from|until|by|to|and|through)\s+$", before)
    if not (listed or introduced):
        return None
    yy = int(m.group("yy"))
    now = (ctx.anchor.year if ctx.anchor else 2030) % 100
    return "DATE", f"{20 if yy <= now else 19}{yy:02d}"


@rule(
    rf"\b{_PRE}(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?"
    r"(?:(?P<dec>(?:1[6-9]|20)\d0)'?s|'(?P<short>\d)0s)(?![\w'])"
)
def _decade(ctx: _Context, m: re.Match[str]) -> tuple:
    if m.group("dec"):
        return "DATE", m.group("dec")[:3]
    d = int(m.group("short"))
    return "DATE", f"{19 if d >= 3 else 20}{d}"


@rule(rf"\b{_PRE}the\s+(?:nineteen[- ])?(?P<w>{'|'.join(_DECADE_WORDS)})\b", re.IGNORECASE)
def _decade_words(ctx: _Context, m: re.Match[str]) -> tuple:
    return "DATE", f"19{_DECADE_WORDS[m.group('w').lower()]}"


@rule(
    rf"\b{_PRE}(?:the\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>{'|'.join(_CENTURY_WORDS)}))"
    r"\s+century\b",
    re.IGNORECASE,
)
def _century(ctx: _Context, m: re.Match[str]) -> tuple:
    n = int(m.group("n")) if m.group("n") else _CENTURY_WORDS[m.group("w").lower()]
    return "DATE", f"{n - 1:02d}"


# ------------------------------------------------------------------ seasons, quarters, halves


@rule(
    rf"\b{_PRE}{_MOD}(?:(?P<which>(?:the\s+)?(?:last|next|this|coming|past|previous))\s+|the\s+)?"
    r"(?P<s>spring|summer|autumn|fall|winter)(?:\s*,?\s+(?:of\s+)?(?P<y>(?:1[6-9]|20)\d\d))?\b",
    re.IGNORECASE,
)
def _season(ctx: _Context, m: re.Match[str]) -> tuple | None:
    s = _SEASONS[m.group("s").lower()]
    if m.group("y"):
        return "DATE", f"{m.group('y')}-{s}"
    which = m.group("which")
    if not which and not (ctx.rel and s != "FA") and not m.group("mod"):
        return None
    if ctx.anchor is None:
        return "DATE", None
    y = ctx.anchor.year
    values = [f"{year:04d}-{s}" for year in range(y - 2, y + 2)]
    return "DATE", pick(values, ctx.anchor, ctx.mode(ctx.rel, which, m.start()))


# holidays with a day of their own: "Christmas", "on New Year's Eve", "last Thanksgiving"
_HOLIDAY = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
    "boxing day": (12, 26), "new year's eve": (12, 31), "new year's day": (1, 1),
    "halloween": (10, 31), "valentine's day": (2, 14),
}  # fmt: skip
_MOVABLE = {"easter": 0, "easter sunday": 0, "easter monday": 1, "good friday": -2}


def _easter(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _holiday_day(name: str, year: int) -> date:
    if name in _HOLIDAY:
        month, day = _HOLIDAY[name]
        return date(year, month, day)
    if name.startswith("thanksgiving"):  # the fourth Thursday of November (US)
        first = date(year, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return _easter(year) + timedelta(days=_MOVABLE[name])


@rule(
    rf"\b{_PRE}(?:(?P<which>(?i:last|next|this))\s+)?(?=[A-Z])(?P<h>(?i:christmas\s+eve|"
    r"christmas\s+day|christmas|boxing\s+day|new\s+year['’]s\s+(?:eve|day)|halloween|"
    r"valentine['’]s\s+day|thanksgiving(?:\s+day)?|easter(?:\s+sunday|\s+monday)?|good\s+friday))"
    rf"(?:\s*,?\s+(?P<y>{_YEAR}))?\b"
)
def _holiday(ctx: _Context, m: re.Match[str]) -> tuple | None:
    name = re.sub(r"\s+", " ", m.group("h").lower()).replace("’", "'")
    if name == "thanksgiving day":
        name = "thanksgiving"
    if m.group("y"):
        return "DATE", _holiday_day(name, int(m.group("y"))).isoformat()
    if ctx.anchor is None:
        return "DATE", None
    y = ctx.anchor.year
    if ctx.kind == "year":
        return "DATE", _holiday_day(name, y).isoformat()
    days = [_holiday_day(name, year) for year in range(y - 2, y + 3)]
    if ctx.kind == "bound" and not m.group("which"):
        later = [d for d in days if d >= ctx.anchor - timedelta(days=31)]
        return "DATE", min(later).isoformat()
    mode = ctx.mode(ctx.rel, m.group("which"), m.start())
    if mode == "past" and not m.group("which") and not ctx.told_past(m.start()):
        # no tense says which ("the Christmas tree", "Christmas shoppers"): the nearest one
        anchor = ctx.anchor
        return "DATE", min(days, key=lambda d: abs((d - anchor).days)).isoformat()
    return "DATE", pick([d.isoformat() for d in days], ctx.anchor, mode)


# "14-Mar-2013", "03-Dec-09": a day, a month's name and a year between hyphens
@rule(rf"\b{_PRE}(?P<d>[0-3]?\d)-(?P<mon>{_MON})-(?P<y>{_YEAR}|\d\d)\b(?!-)")
def _hyphen_date(ctx: _Context, m: re.Match[str]) -> tuple | None:
    y = int(m.group("y"))
    if y < 100:
        y += 2000 if y < 50 else 1900
    d = _month_day(y, MONTHS[m.group("mon").rstrip(".").lower()], int(m.group("d")))
    return ("DATE", d.isoformat()) if d else None


@rule(
    rf"\b{_PRE}{_MOD}(?:the\s+)?(?P<o>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+"
    r"(?:(?:fiscal|financial|calendar)\s+)?(?P<part>quarter|half)"
    rf"(?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<y>{_YEAR})|(?P<ry>this|last|next)\s+year))?\b",
    re.IGNORECASE,
)
def _quarter(ctx: _Context, m: re.Match[str]) -> tuple | None:
    o = m.group("o").lower()
    if o == "last" and not (m.group("y") or m.group("ry")):
        # "(the) last quarter" is the one before the anchor's, not the fourth
        if ctx.anchor is None:
            return "DATE", None
        part = "H" if m.group("part").lower() == "half" else "Q"
        return "DATE", at_precision(shift(ctx.anchor, part, -1), part)
    n = _ORD[o]
    half = m.group("part").lower() == "half"
    if half and n > 2:
        n = 2 if o in {"final", "last"} else 0
        if not n:
            return None
    code = f"H{n}" if half else f"Q{n}"
    if m.group("y"):
        return "DATE", f"{m.group('y')}-{code}"
    if ctx.anchor is None:
        return "DATE", None
    y = ctx.anchor.year
    if m.group("ry"):
        y += {"this": 0, "last": -1, "next": 1}[m.group("ry").lower()]
        return "DATE", f"{y:04d}-{code}"
    values = [f"{year:04d}-{code}" for year in range(y - 2, y + 2)]
    return "DATE", pick(values, ctx.anchor, ctx.mode(ctx.rel, None, m.start()))


@rule(rf"\b{_PRE}(?:(?P<y1>{_YEAR})\s*)?Q(?P<q>[1-4])(?:\s*[-/ ]?\s*(?P<y>{_YEAR}|'\d\d))?\b")
def _q_short(ctx: _Context, m: re.Match[str]) -> tuple | None:
    y = m.group("y") or m.group("y1")
    code = f"Q{m.group('q')}"
    if y:
        return "DATE", f"{'20' + y[1:] if y.startswith(chr(39)) else y}-{code}"
    if ctx.anchor is None:
        return "DATE", None
    a = ctx.anchor.year
    values = [f"{year:04d}-{code}" for year in range(a - 2, a + 2)]
    return "DATE", pick(values, ctx.anchor, ctx.mode(ctx.rel, None, m.start()))


# ------------------------------------------------------------------ weeks of a month or a day


# "the week beginning 17 October 2011", "the week of March 3": the week that holds that day
@rule(
    rf"\b{_PRE}(?i:the\s+week\s+(?:beginning|starting|commencing|of)(?:\s+on)?)\s+"
    rf"(?:(?:{_WD}|{_WD_ABBR}),?\s+)?(?:(?P<mon>{_MON})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"|(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{_MON}))"
    rf"(?:\s*,?\s+(?P<y>{_YEAR}))?\b"
)
def _week_of_day(ctx: _Context, m: re.Match[str]) -> tuple | None:
    month = MONTHS[(m.group("mon") or m.group("mon2")).rstrip(".").lower()]
    day = int(m.group("d") or m.group("d2"))
    year = int(m.group("y")) if m.group("y") else ctx.anchor.year if ctx.anchor else None
    d = _month_day(year, month, day) if year else None
    return "DATE", at_precision(d, "W") if d else None


# "in the last week of November": the week with most of its days at that end of the month
@rule(
    rf"\b{_PRE}(?i:the\s+(?P<o>first|second|third|fourth|last|final)\s+week\s+of)\s+"
    rf"(?P<mon>{_MONTH_FULL})(?:\s*,?\s+(?P<y>{_YEAR}))?\b"
)
def _week_of_month(ctx: _Context, m: re.Match[str]) -> tuple | None:
    month = MONTHS[m.group("mon").lower()]
    if m.group("y"):
        year: int | None = int(m.group("y"))
    elif ctx.anchor is not None:
        values = [f"{y:04d}-{month:02d}" for y in range(ctx.anchor.year - 2, ctx.anchor.year + 3)]
        chosen = pick(values, ctx.anchor, ctx.mode(ctx.rel, None, m.start()))
        year = int(chosen[:4]) if chosen else None
    else:
        year = None
    if year is None:
        return "DATE", None
    o = m.group("o").lower()
    if o in {"last", "final"}:
        mid = date(year, month, 1) + timedelta(days=31)
        mid = mid.replace(day=1) - timedelta(days=4)  # the month's last day, less three
    else:
        mid = date(year, month, 1) + timedelta(days=3 + 7 * (_ORD[o] - 1))
    return "DATE", at_precision(mid, "W")


# ------------------------------------------------------------------ relative to the anchor


@rule(
    rf"\b{_PRE}{_MOD}(?P<which>last|next|this|coming|current|previous|the coming|the current)"
    r"\s+(?P<unit>week|month|year|quarter|decade|century|weekend)\b(?P<poss>'s)?",
    re.IGNORECASE,
)
def _relative(ctx: _Context, m: re.Match[str]) -> tuple | None:
    if ctx.anchor is None:
        return "DATE", None
    unit = m.group("unit").lower()
    which = m.group("which").lower().replace("the ", "")
    step = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
    if unit == "weekend":
        return "DATE", at_precision(ctx.anchor + timedelta(weeks=step), "WE")
    code = _code(unit)
    if unit == "week" and step == -1 and ctx.anchor.weekday() >= 5 and ctx.kind == "own":
        # written on a weekend (the report's own date), "last week" is the working week just
        # ended (the ISO week the weekend closes), not the one before it
        step = 0
    return "DATE", at_precision(shift(ctx.anchor, code, step), code)


# "by the end of the month", "the start of the year", "year-end": the anchor's own period
@rule(
    rf"\b{_PRE}(?:(?:the\s+)?(?:end|close|start|beginning|middle|rest)\s+of\s+the\s+"
    r"(?P<unit>week|month|year)|(?P<unit2>year|month)(?:-end|['’]s\s+end))\b",
    re.IGNORECASE,
)
def _end_of_the(ctx: _Context, m: re.Match[str]) -> tuple:
    if ctx.anchor is None:
        return "DATE", None
    code = _code((m.group("unit") or m.group("unit2")).lower())
    return "DATE", at_precision(ctx.anchor, code)


@rule(rf"\b{_PRE}(?:the|(?i:this\s+past))\s+weekend\b")
def _weekend(ctx: _Context, m: re.Match[str]) -> tuple:
    if ctx.anchor is None:
        return "DATE", None
    a = ctx.anchor
    if "past" in m.group(0).lower():  # "this past weekend": the last one, however told
        day = a - timedelta(days=(a.weekday() - 5) % 7) if a.weekday() != 6 else a
        return "DATE", at_precision(day, "WE")
    if ctx.mode(ctx.rel, None, m.start()) == "future":
        day = a + timedelta(days=(5 - a.weekday()) % 7)
    else:
        day = a - timedelta(days=(a.weekday() - 5) % 7) if a.weekday() != 6 else a
    return "DATE", at_precision(day, "WE")


@rule(
    rf"\b{_PRE}(?:the\s+day\s+"
    r"(?P<beyond>before\s+yesterday|after\s+tomorrow)|(?P<w>today|tonight|yesterday|tomorrow)"
    r"(?:\s+(?P<pod>morning|afternoon|evening|night))?)(?P<poss>'s)?\b",
    re.IGNORECASE,
)
def _today(ctx: _Context, m: re.Match[str]) -> tuple:
    if m.group("beyond"):
        step = -2 if m.group("beyond").lower().startswith("before") else 2
        w = None
    else:
        w = m.group("w").lower()
        step = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]
    pod = "NI" if w == "tonight" else _PARTS.get((m.group("pod") or "").lower())
    kind = "TIME" if pod else "DATE"
    if ctx.anchor is None:
        return kind, None
    day = (ctx.anchor + timedelta(days=step)).isoformat()
    return kind, f"{day}T{pod}" if pod else day


@rule(
    rf"\b{_PRE}(?:(?:early|late)\s+)?(?P<which>this|last)\s+"
    r"(?P<pod>morning|afternoon|evening|night)\b",
    re.IGNORECASE,
)
def _part_of_day(ctx: _Context, m: re.Match[str]) -> tuple | None:
    which, pod = m.group("which").lower(), m.group("pod").lower()
    if which == "last" and pod != "night":
        return None
    if ctx.anchor is None:
        return "TIME", None
    day = ctx.anchor - timedelta(days=1 if which == "last" else 0)
    return "TIME", f"{day.isoformat()}T{_PARTS[pod]}"


@rule(
    rf"\b{_PRE}(?:(?P<mod>(?i:early|late))\s+(?:(?i:on)\s+)?)?"
    rf"(?:(?P<which>(?i:last|next|this))\s+)?(?P<wd>{_WD})"
    r"(?P<ext>(?:\s+(?P<pod>(?i:morning|afternoon|evening|night)))?)\b(?!s)"
)
def _weekday(ctx: _Context, m: re.Match[str]) -> tuple | None:
    if _PUBLICATION.match(ctx.text, m.end()):
        return None  # "the Sunday papers": a publication, not a day
    if _named_by(ctx.text, m.start("wd"), m.end("wd")):
        return None  # "the Sunday Telegraph", "Monday Night Football": a name, not a day
    pod = _PARTS.get((m.group("pod") or "").lower())
    return _on_weekday(ctx, m, pod)


# "last week Friday", "on Tuesday last week", "Monday of last week": that day of the week
# before the report's, however far back (a report of a Thursday: "Tuesday last week" is nine
# days back, not two)
@rule(
    rf"\b{_PRE}(?:(?i:last\s+week)\s*,?\s+(?:(?i:on)\s+)?(?P<wd>{_WD})"
    rf"|(?P<wd2>{_WD})\s*,?\s+(?:(?i:of)\s+)?(?i:last\s+week))\b"
)
def _weekday_last_week(ctx: _Context, m: re.Match[str]) -> tuple | None:
    if ctx.anchor is None:
        return "DATE", None
    wd = WEEKDAYS[(m.group("wd") or m.group("wd2")).lower()]
    monday = ctx.anchor - timedelta(days=ctx.anchor.weekday() + 7)
    return "DATE", (monday + timedelta(days=wd)).isoformat()


# a weekday that names a publication or a programme ("Sunday newspapers", "a Monday edition")
_PUBLICATION = re.compile(
    r"\s+(?:newspapers?|papers?|editions?|magazines?|supplements?|tabloids?|broadsheets?|"
    r"programmes?|programs?|shows?)\b",
    re.IGNORECASE,
)


# a capitalised word after a weekday that makes it a masthead or a programme's name
_MASTHEAD = re.compile(
    r"\s+(?:Times|Telegraph|Post|Herald|Mail|Express|Mirror|Star|Independent|Tribune|Journal|"
    r"Observer|Gazette|Age|Sun|Review|Standard|Record|Courier|Chronicle|Bulletin|Edition|"
    r"Magazine|Night\s+(?:Football|Live|Raw)|Morning\s+Herald)\b"
)
_NOT_NAME = frozenset(MONTHS) | {m.capitalize() for m in MONTHS} | {
    "Morning", "Afternoon", "Evening", "Night", "I", "A", "The",
}  # fmt: skip


def _named_by(text: str, start: int, end: int) -> bool:
    """True when the weekday at ``start`` is part of a name: a masthead or programme word
    follows it ("Sunday Times", "Monday Night Football"), or "the" comes before it and a
    capitalised word after it in mid-sentence ("in the Sunday Express", "the Tuesday Review")."""
    if _MASTHEAD.match(text, end):
        return True
    after = re.match(r"\s+([A-Z][a-z]+)\b", text[end : end + 30])
    before = text[max(0, start - 5) : start]
    return (
        after is not None
        and after.group(1) not in _NOT_NAME
        and re.search(r"\b[Tt]he\s+$", before) is not None
    )


# "the early hours of Sunday (morning)": the small hours of that day
@rule(
    rf"\b{_PRE}(?i:the\s+(?:early|small|wee)\s+hours\s+of\s+)(?P<wd>{_WD})"
    r"(?:\s+(?i:morning))?\b"
)
def _early_hours(ctx: _Context, m: re.Match[str]) -> tuple:
    return _on_weekday(ctx, m, "MO")


def _on_weekday(ctx: _Context, m: re.Match[str], pod: str | None) -> tuple:
    kind = "TIME" if pod else "DATE"
    if ctx.anchor is None:
        return kind, None
    rel = ctx.rel or _g(m, "which")
    if rel and rel.lower() in _FORWARD and rel.lower() != "next" and ctx.past(m.start()):
        rel = None  # "was held until Friday": a day gone by
    if (
        rel
        and rel.lower() == "through"
        and not ctx.told_past(m.start())
        and _PRESENT_THROUGH.search(ctx.text, max(0, m.start() - 40), m.start())
    ):
        # "the festival runs through Sunday" (present): the coming one; "ran through Sunday"
        # and a clause with no verb keep the day gone by
        rel = "until"
    future = ctx.future(m.start())
    found = resolve_weekday(WEEKDAYS[m.group("wd").lower()], ctx.anchor, rel, future)
    if (
        (not rel or rel.lower() in {"on", "since", "from"})
        and ctx.kind == "own"
        and ctx.clock is not None
        and ctx.clock >= _EVENING
        and (ctx.anchor - found).days == 6
    ):
        # a report dated in the evening is read and updated the next day (and a date line in
        # one zone lags the news of a zone ahead): a bare weekday six days back is more likely
        # the day after its date line ("POSTED 04/02/07, 9:00 PM" and "laughed Tuesday")
        found = ctx.anchor + timedelta(days=1)
    day = found.isoformat()
    return kind, f"{day}T{pod}" if pod else day


# a present verb of lasting just before "through": "runs through", "is open through"
_PRESENT_THROUGH = re.compile(
    r"\b(?:runs|run|lasts|last|continues|continue|remains|remain|stays|stay|is|are|'s|"
    r"extends|extend|goes|go)\b(?:\s+(?:open|closed|shut|in\s+effect|in\s+place|on))?"
    r"\s+(?:(?i:through|thru))\s+$",
    re.IGNORECASE,
)
_EVENING = "18:00"  # a report's own clock from which the next day is near


@rule(
    r"\b(?P<ref>now|currently|recently|nowadays|at\s+present|at\s+the\s+moment|"
    r"the\s+past|the\s+future)\b(?!\s+(?:\w+\s+)?" + _UNIT + r")",
    re.IGNORECASE,
)
def _reference(ctx: _Context, m: re.Match[str]) -> tuple:
    ref = m.group("ref").lower()
    if ref in {"recently", "the past"}:
        return "DATE", "PAST_REF"
    if ref == "the future":
        return "DATE", "FUTURE_REF"
    return "DATE", "PRESENT_REF"


# ------------------------------------------------------------------ durations and offsets


@rule(
    rf"\b{_PRE}"
    r"(?P<span>(?:the\s+(?P<which>past|last|next|coming|previous|first|final|following)\s+)?"
    r"(?:(?:more\s+than|less\s+than|fewer\s+than|about|around|nearly|almost|over|under|"
    r"at\s+least|at\s+most|up\s+to|roughly|some|approximately|just\s+over|just\s+under)\s+)?"
    rf"(?:(?P<n>{_NUM})(?:\s*(?:to|-|–|or)\s*(?P<n2>{_NUM}))?[\s-]+)?(?P<unit>{_UNIT}))"
    r"(?P<ext>(?:\s+(?P<tail>ago|back|from\s+now|earlier|later|old|long))?)\b",
    re.IGNORECASE,
)
def _duration(ctx: _Context, m: re.Match[str]) -> tuple | None:
    which = (m.group("which") or "").lower()
    if not m.group("n"):
        if which not in {"past", "last", "coming"} or m.group("unit").lower().endswith("s"):
            return None
        n: int | float | None = 1
    else:
        n = number(m.group("n"))
    n2 = number(m.group("n2")) if m.group("n2") else None
    if (
        ctx.rel
        and ctx.rel.lower() in {"at", "by", "until", "till", "from", "around"}
        and _AT_CLOCK.fullmatch(m.group("n") or "")
        and _code(m.group("unit")) == "H"
    ):
        return None  # "at 1850 hours": a clock (_clock)
    if (m.group("n") or "").lower() in {"a", "an"} and _is_rate(ctx.text, m.start("span")):
        return None  # "15 a year" is a set
    code = _code(m.group("unit"))
    tail = (m.group("tail") or "").lower().replace(" ", "")
    if tail in {"ago", "back", "fromnow"} and not m.group("which"):
        if ctx.anchor is None:
            return "DATE", None
        if n is None or isinstance(n, float) or code in {"H", "MIN", "S"}:
            if code in {"H", "MIN", "S"}:
                return "DATE", ctx.anchor.isoformat()
            return "DATE", "FUTURE_REF" if tail == "fromnow" else "PAST_REF"
        day = shift(ctx.anchor, code, n if tail == "fromnow" else -n)
        exact = re.search(
            r"\b(?i:exactly|to the day)\s+$", ctx.text[max(0, m.start() - 20) : m.start()]
        )
        # "exactly two years ago": that very day
        return "DATE", at_precision(day, "D" if exact else code)
    value = duration(n, code)
    vmax = duration(n2, code) if m.group("n2") else None
    if (
        tail in {"later", "earlier"}
        and not which
        and isinstance(n, int)
        and not n2
        and code in {"D", "W", "M", "Y"}
        and not re.match(r"\s+(?i:than)\b", ctx.text[m.end() :])
    ):
        # "Two days later, he was arrested": the day counted from the day named before it
        # (TimeML dates it); with none named it stays the count
        step = n if tail == "later" else -n
        return "DATE", None, None, (code, step), None, None, None, None, value
    joinable = (code, int(n)) if isinstance(n, int) and not n2 else None
    return "DURATION", value, vmax, None, joinable


def _is_rate(text: str, at: int) -> bool:
    before = text[max(0, at - 60) : at].lower().split()[-3:]
    if not before or before[-1] in {"for", "in", "within", "over", "after", "during", "about"}:
        return False
    return any(
        re.fullmatch(r"[\d.,%$£€]+|times|once|twice|million|billion|thousand|hundred", w)
        or w in _SMALL
        or w in _TENS
        for w in before
    )


# "earlier in the day", "later in the day": the day last named (TimeML dates it)
@rule(r"\b(?P<which>earlier|later)\s+in\s+the\s+day\b", re.IGNORECASE)
def _in_the_day(ctx: _Context, m: re.Match[str]) -> tuple:
    return "DATE", None, None, ("D", 0)


# "a weeklong manhunt", "a day-long strike", "a matter of minutes"
@rule(
    r"\b(?:a\s+)?(?P<unit>day|week|month|year)[- ]?long\b"
    r"|\ba\s+matter\s+of\s+(?P<vague>minutes|hours|days|weeks|months|years)\b",
    re.IGNORECASE,
)
def _long(ctx: _Context, m: re.Match[str]) -> tuple:
    if m.group("vague"):
        return "DURATION", duration(None, _code(m.group("vague")))
    return "DURATION", duration(1, _code(m.group("unit")))


@rule(r"\b(?P<pre>(?:for|in|over)\s+)(?P<unit>years|months|weeks|decades|days)\b", re.IGNORECASE)
def _vague_duration(ctx: _Context, m: re.Match[str]) -> tuple:
    return "DURATION", duration(None, _code(m.group("unit")))


# "minutes later", "Minutes after the blast", "hours before": an unstated number of units
@rule(
    r"\b(?P<unit>(?i:seconds|minutes|hours|days|weeks|months|years))"
    r"(?P<ext>\s+(?i:later|earlier)\b|(?=\s+(?i:after|before)\b))"
)
def _vague_offset(ctx: _Context, m: re.Match[str]) -> tuple:
    return "DURATION", duration(None, _code(m.group("unit")))


@rule(
    r"\b(?:(?:the|that)\s+(?P<which>previous|next|following|same|prior)|that)\s+"
    r"(?P<unit>day|week|month|year)\b",
    re.IGNORECASE,
)
def _anaphoric(ctx: _Context, m: re.Match[str]) -> tuple | None:
    which = (m.group("which") or "").lower()
    unit = m.group("unit").lower()
    step = {"previous": -1, "prior": -1, "next": 1, "following": 1}.get(which, 0)
    return "DATE", None, None, (_code(unit), step)


@rule(
    rf"\b{_PRE}(?i:the)\s+(?:(?P<which>(?i:next|following|previous|same))\s+)?"
    r"(?:(?i:early|small|wee)\s+hours\s+of\s+the\s+)?(?P<pod>(?i:morning|afternoon|evening|night))\b"
    r"(?P<ext>(?:\s+(?P<dir>(?i:before|after))\b)?)"
)
def _part_anaphoric(ctx: _Context, m: re.Match[str]) -> tuple | None:
    """``in the morning``, ``the next night``, ``the night before``: a part of the day last
    named (or of the one after or before it)."""
    which = (m.group("which") or "").lower()
    rest = ctx.text[m.end() : m.end() + 12]
    if m.group("dir") and re.match(r"\s*\w", rest):
        return None  # "the night before the vote": the vote's eve, not an anaphor
    if re.match(r"\s+of\b", rest) or not (which or m.group("dir") or ctx.rel):
        return None  # "the night of May 2" is dated by its date; "spend the night" is no date
    step = {"next": 1, "following": 1, "previous": -1}.get(which, 0)
    if m.group("dir"):
        step = -1 if m.group("dir").lower() == "before" else 1
    pod = _PARTS[m.group("pod").lower()]
    return "TIME", None, None, ("D", step), None, None, pod


# "the day following Rait's death", "two days before Smith's arrest", "24 hours after his
# death", "seven months after the conviction": a day (week, month, year) counted from an event,
# dated where the same report tells of that event
@rule(
    r"\b(?P<pre>(?i:on)\s+)?(?P<span>(?i:the\s+(?P<u1>day|week|month|year)|"
    r"(?i:a|one)\s+(?P<ua>day|week|month|year)|(?P<n>"
    + _NUMW
    + r"|\d+)\s+(?P<u>days|hours|weeks|months|years))\s+"
    r"(?P<dir>(?i:after|following|before|preceding))\s+(?:(?:the\s+)?"
    r"(?P<who>(?:[A-Z][\w-]+\s+){0,2}[A-Z][\w-]+)['’]s?|(?P<pro>(?i:his|her|their|its|the)))\s+"
    r"(?P<noun>[a-z]{4,}))\b"
)
def _event_anchored(ctx: _Context, m: re.Match[str]) -> tuple | None:
    n = number(m.group("n")) if m.group("n") else 1
    unit = (m.group("u1") or m.group("ua") or m.group("u") or "day").lower().rstrip("s")
    if not isinstance(n, int):
        return None
    if unit == "hour":
        if n % 24:
            return None  # "six hours after his arrest": a time, not a day
        unit, n = "day", n // 24
    sign = -1 if m.group("dir").lower() in {"before", "preceding"} else 1
    if (m.group("pro") or "").lower() == "the" and not re.match(
        r"\s*(?:[,.;:)]|$)", ctx.text[m.end() :]
    ):
        return None  # "three days after the strike began": an event told as a clause, dated (or
        # not, when the reports disagree) by the story's timeline
    who = m.group("who") or ""
    # a count the report gives no day for stays what it is: "three weeks after the storm"
    fallback = (m.end("u"), duration(n, _code(m.group("u")))) if m.group("u") else None
    if m.group("ua"):  # "a day after the storm", its day not told: "a day" stays a duration
        fallback = (m.end("ua"), duration(1, _code(m.group("ua"))))
    event = (who, m.group("noun"), sign * n, _code(unit), fallback)
    return "DATE", None, None, None, None, None, None, event


# "the day before his June 24, 2005 murder": one day counted from the date that follows
@rule(
    r"\b(?i:the)\s+(?i:day)(?=\s+(?i:before|after)\s+(?:(?i:his|her|their|its|the)\s+)?"
    r"(?:[A-Z][a-z]{2,}\.?\s+[0-3]?\d|[0-3]?\d\s+[A-Z][a-z]{2,}))"
)
def _the_day_before(ctx: _Context, m: re.Match[str]) -> tuple:
    return "DURATION", "P1D", None, None, ("D", 1)


# an event noun and the words a report tells that event with ("death": "died")
_EVENT_WORDS = {
    "death": r"died|dies|dead|death|killed|fell|slipped|drowned",
    "murder": r"murder\w*|killed|shot|stabbed|died",
    "firing": r"fired|firing|dismiss\w*|let go|sacked",
    "conviction": r"convict\w*|found guilty",
    "arrest": r"arrest\w*|detained|taken into custody",
    "shooting": r"shot|shooting|opened fire",
    "disappearance": r"disappear\w*|missing|vanished",
}


def _event_pattern(noun: str) -> re.Pattern[str]:
    words = _EVENT_WORDS.get(noun.lower(), re.escape(noun.lower()[:5]) + r"\w*")
    return re.compile(rf"\b(?:{words})\b", re.IGNORECASE)


def _resolve_events(ctx: _Context, cands: list[_Cand]) -> list[_Cand]:
    """Days counted from a party's event ("the day before Buckley's death", "24 hours after his
    death") against the day the same report gives that event: the first sentence with a date
    that names the party and tells of the event, else one that names the party, else the first
    that tells of the event (a date in the expression's own sentence is not that event's). A
    count of months or years takes an event dated to the month ("in November 1980")."""
    if not any(c.event for c in cands):
        return cands
    dated = [c for c in cands if c.type in {"DATE", "TIME"} and c.value and interval(c.value)]
    out: list[_Cand] = []
    for c in cands:
        if c.event is None:
            out.append(c)
            continue
        who, noun, step, unit, fallback = c.event
        name = who.split()[-1] if who else None
        own = ctx.sentence_at(c.start)
        told = _event_pattern(noun)
        ranked: list[tuple[int, int, date]] = []
        for d in dated:
            span = interval(d.value)
            assert span is not None
            fine = span[0] == span[1] or (
                unit not in {"D", "W"} and span[1] - span[0] < timedelta(days=31)
            )
            sent = ctx.sentence_at(d.start)
            if not fine or sent is None or sent is own:
                continue
            text = ctx.text[sent.start : sent.end]
            named = name is not None and re.search(rf"\b{re.escape(name)}\b", text) is not None
            tells = told.search(text) is not None
            if named or tells:
                ranked.append((-(2 * named + tells), d.start, span[0]))
        if ranked and ctx.anchor is not None and ctx.kind == "own" and not ctx.future(c.start):
            # told in the past, a day counted from an event is not after the report's own day:
            # an event that would put it there is another one ("six days after the accident")
            ranked = [
                r
                for r in ranked
                if (
                    interval(at_precision(shift(r[2], unit, step), unit))
                    or (ctx.anchor, ctx.anchor)
                )[0]
                <= ctx.anchor
            ]
        if ranked:
            value = at_precision(shift(min(ranked)[2], unit, step), unit)
            out.append(replace(c, value=value, event=None))
        elif fallback is not None:
            end, length = fallback
            out.append(replace(c, lead=c.start, end=end, type="DURATION", value=length, event=None))
        else:
            out.append(replace(c, value=None, event=None))
    return out


# ------------------------------------------------------------------ clock times


@rule(
    rf"\b{_PRE}(?:(?i:about|around|approximately|roughly)\s+)?"
    r"(?:(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d)(?::[0-5]\d)?)?\s*(?P<ap>(?i:[ap]))"
    # "5:55p", "10:30a" (sports listings): the letter alone, glued to the minutes
    r"(?:\.\s?(?i:m)\b\.?|\s?(?i:m)\b|(?<=:\d\d[apAP])(?![\w.]))"
    # "9:25 in the morning", "7.30 in the evening": the part of the day says a.m. or p.m.
    r"|(?P<hp>1[0-2]|0?[1-9])[:.](?P<mip>[0-5]\d)\s+(?i:in\s+the\s+(?P<part>morning|"
    r"afternoon|evening|night)|at\s+night)\b"
    r"|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?::[0-5]\d)?(?:\b|(?=[A-Z]))(?!:\d)"
    r"(?:\s*(?:hours|hrs|h)\b)?"
    # a 24-hour clock written "1852 HKT", "0330 hrs" or "03.31 BST": only with its zone or
    # "hours" after it (a bare "1852" is a year, "3.31" a number)
    r"|(?P<hz>[01]\d|2[0-3])\.?(?P<miz>[0-5]\d)(?=\s*(?:\(?(?-i:"
    + "|".join(zones.NAMES)
    + r")\b|(?i:hours|hrs)\b|local[ \t]+time\b|[A-Z][a-z]+[ \t]+(?-i:Time)\b(?!\s*:)))"
    r"(?:\s*(?i:hours|hrs)\b)?"
    # "at 1930 on Saturday", "at 0645.": four digits after "at" and before a day, a stop or
    # the end are a 24-hour clock ("at 1500 metres" is not)
    r"|(?<=\b[Aa]t\s)(?P<ha>[01]\d|2[0-3])(?P<mia>[0-5]\d)\b(?=" + _AT_CLOCK_AFTER + r")"
    r"|(?P<word>noon|midday|midnight))"
    # "local time", "Beijing Time", "Moscow time": the clock of a place named
    r"(?:\s*\(?(?:" + "|".join(zones.NAMES) + r"|[A-Z]{2,4}T)\b\)?"
    r"|[ \t]+(?:local|[A-Z][a-z]+)[ \t]+(?-i:time|Time)\b(?!\s*:))?"
)
def _clock(ctx: _Context, m: re.Match[str]) -> tuple:
    if m.group("word"):
        hm = "00:00" if m.group("word").lower() == "midnight" else "12:00"
    elif m.group("h24"):
        hm = f"{int(m.group('h24')):02d}:{m.group('mi24')}"
    elif m.group("hz"):
        hm = f"{m.group('hz')}:{m.group('miz')}"
    elif m.group("ha"):
        hm = f"{m.group('ha')}:{m.group('mia')}"
    elif m.group("hp"):
        h = int(m.group("hp")) % 12
        if (m.group("part") or "night").lower() != "morning" and not (
            m.group("part") is None and h < 5
        ):
            h += 12  # afternoon, evening; "at night" after 5 (3:00 at night is the small hours)
        hm = f"{h:02d}:{m.group('mip')}"
    else:
        h = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
        hm = f"{h:02d}:{m.group('mi') or '00'}"
    if ctx.rel is None and _HABIT.match(ctx.text, m.end()):
        # "their 2 a.m. meetings": a time of day things happened at, no day
        return "SET", f"XXXX-XX-XXT{hm}"
    if ctx.anchor is None:
        # no day yet: a day without its year may still join it ("Dec. 18 - 11:14 pm")
        return "TIME", f"XXXX-XX-XXT{hm}", None, None, None
    # the day is settled after the joins: the day named before it, else the anchor's (_clock_days)
    return "TIME", f"{ctx.anchor.isoformat()}T{hm}", None, None, None, hm


# a clock time that modifies a plural noun: a habit ("2 a.m. meetings", "6 a.m. flights")
_HABIT = re.compile(
    r"\s+(?!(?:is|was|has|as|its|this|thus|plus|hours|hrs|minutes|seconds|news|series|"
    r"bus|gas|press|mass|class|process|status|address|access|express)\b)[a-z]{3,}s\b"
)


# ------------------------------------------------------------------ sets

_SET_UNITS = {
    "day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "quarter": "P3M",
    "decade": "P10Y", "hour": "PT1H", "minute": "PT1M", "weekend": "XXXX-WXX-WE",
    "morning": "XXXX-XX-XXTMO", "afternoon": "XXXX-XX-XXTAF", "evening": "XXXX-XX-XXTEV",
    "night": "XXXX-XX-XXTNI",
}  # fmt: skip
_ADVERBS = {
    "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M", "yearly": "P1Y",
    "annually": "P1Y", "hourly": "PT1H", "nightly": "XXXX-XX-XXTNI", "biweekly": "P2W",
    "fortnightly": "P2W",
}  # fmt: skip


@rule(
    r"\b(?P<every>every|each)\s+(?:(?P<other>other)\s+|(?P<n>\d+|"
    + _NUMW
    + r")\s+)?(?P<u>days?|weeks?|months?|years?|quarters?|decades?|hours?|minutes?|weekends?|"
    r"mornings?|afternoons?|evenings?|nights?|(?P<wd>monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|(?P<mon>" + _MONTH_FULL + r"))\b",
    re.IGNORECASE,
)
def _every(ctx: _Context, m: re.Match[str]) -> tuple | None:
    if m.group("wd"):
        return "SET", f"XXXX-WXX-{WEEKDAYS[m.group('wd').lower()] + 1}"
    if m.group("mon"):
        return "SET", f"XXXX-{MONTHS[m.group('mon').lower()]:02d}"
    u = m.group("u").lower().rstrip("s")
    n = 2 if m.group("other") else (number(m.group("n")) if m.group("n") else 1)
    if n != 1 and u in _UNIT_CODE:
        return "SET", duration(n, _code(u))
    return "SET", _SET_UNITS.get(u)


@rule(r"\b(?P<a>" + "|".join(_ADVERBS) + r")\b(?!\s+(?:basis|newspaper|paper|mail))", re.I)
def _adverb(ctx: _Context, m: re.Match[str]) -> tuple | None:
    if m.group("a")[0].isupper() and re.match(r"\s+[A-Z]", ctx.text[m.end() : m.end() + 3]):
        return None  # part of a name: "the Morning Daily Courier", "Weekly Standard"
    return "SET", _ADVERBS[m.group("a").lower()]


@rule(
    rf"\b(?:(?P<f>once|twice|thrice|(?:\d+|{_NUMW})\s+times)\s+)?(?P<per>a|an|per|each)\s+"
    r"(?P<u>day|week|month|year|quarter|hour|minute)\b",
    re.IGNORECASE,
)
def _rate(ctx: _Context, m: re.Match[str]) -> tuple | None:
    if not m.group("f") and m.group("per").lower() != "per" and not _is_rate(ctx.text, m.start()):
        return None
    return "SET", _SET_UNITS[m.group("u").lower()]


@rule(r"\b(?P<pre>(?i:on)\s+)(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s\b")
def _on_weekdays(ctx: _Context, m: re.Match[str]) -> tuple:
    return "SET", f"XXXX-WXX-{WEEKDAYS[m.group('wd').lower()] + 1}"


# ------------------------------------------------------------------ selection and joins

# what may stand between a day and its clock time: "May 2, 2013, 1:12 PM", "May 2, 2013 | 5:03pm",
# "August 8, 2012 - 4:43 pm", "12 January 2010 @ 9:29 pm", "3 p.m. on Tuesday"
_JOIN_TIME = re.compile(r"\s*(?:[,|@–-]\s*)?(?:(?:on|at|of)\s+)?$", re.IGNORECASE)
# a date line's day and the clock of its last edit: "21 July 2013 Last updated at 11:11 GMT"
# a day restated in brackets: "today (10 October 2011)", "09:30 this morning (Tuesday 16 August)"
_BRACKET_OPEN = re.compile(r"\s*\(\s*")
_BRACKET_CLOSE = re.compile(r"\s*\)")
_JOIN_EDIT = re.compile(
    r"\s*[,|–-]?\s*(?:last\s+)?(?:updated|published|posted|modified)\s*:?\s*(?:(?:on|at)\s+)?$",
    re.IGNORECASE,
)
# a day restated in brackets: "today (10 October 2011)", "09:30 this morning (Tuesday 16 August)"
_BRACKET_OPEN = re.compile(r"\s*\(\s*$")
_BRACKET_CLOSE = re.compile(r"\s*\)")
_OFFSET = re.compile(
    r"\s+(?P<dir>after|before|from)\s+(?:(?:his|her|their|its|the)\s+)?$", re.IGNORECASE
)


def _select(cands: list[_Cand]) -> list[_Cand]:
    chosen: list[_Cand] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.lead), -(c.end - c.start), c.rank, c.lead)):
        if any(c.lead < y and x < c.end for x, y in taken):
            continue
        taken.append((c.lead, c.end))
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.lead)


def _join(ctx: _Context, cands: list[_Cand]) -> list[_Cand]:
    """``Tuesday at 3 p.m.`` / ``3 p.m. on Tuesday`` -> one TIME; ``three weeks after March 3``
    -> one DATE."""
    text = ctx.text
    cands = list(cands)
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        n = cands[i + 1] if i + 1 < len(cands) else None
        if n is not None:
            gap = text[c.end : n.start]
            clock = _clock_of(c) or _clock_of(n)
            day = _day_of(n) if _clock_of(c) else _day_of(c)
            near = (len(gap) <= 6 and _JOIN_TIME.match(gap)) or (
                len(gap) <= 24 and _JOIN_EDIT.match(gap) and _day_of(c)
            )
            if clock and day and near:
                joined = f"{day}T{clock}"
                cands[i + 1] = replace(c, end=n.end, type="TIME", value=joined, clock=None)
                i += 1  # the joined expression may take a day in brackets after it
                continue
            close = _BRACKET_CLOSE.match(text, n.end)
            if _BRACKET_OPEN.fullmatch(gap) and close and _day_of(n) and (day or _day_of(c)):
                # "09:30 this morning (Tuesday 16 August 2011)": one time, on the day written out
                part = c.value.split("T", 1)[1] if c.type == "TIME" and c.value else None
                out.append(
                    replace(
                        c,
                        end=close.end(),
                        type="TIME" if part else "DATE",
                        value=f"{_day_of(n)}T{part}" if part else _day_of(n),
                        clock=None,
                    )
                )
                i += 2
                continue
            off = _OFFSET.match(text[c.end : n.start]) if c.shift else None
            if off is not None and c.shift and n.type == "DATE" and interval(n.value):
                unit, k = c.shift
                span = interval(n.value)
                assert span is not None
                if unit not in {"H", "MIN", "S"}:
                    sign = -1 if off.group("dir").lower() == "before" else 1
                    moved = shift(span[0], unit, sign * k)
                    finer = "D" if span[0] == span[1] else unit
                    out.append(replace(c, end=n.end, type="DATE", value=at_precision(moved, finer)))
                    i += 2
                    continue
        out.append(c)
        i += 1
    return out


def _clock_of(c: _Cand) -> str | None:
    if c.type == "TIME" and c.value and re.search(r"T\d\d:\d\d$", c.value):
        return c.value.split("T", 1)[1]
    return None


def _day_of(c: _Cand) -> str | None:
    """The day of a day-precise DATE, or of a part of a day ("Thursday night" -> its day)."""
    if c.type == "DATE" and c.value and re.fullmatch(r"(?:\d{4}|XXXX)-\d\d-\d\d", c.value):
        return c.value
    if c.type == "TIME" and c.value and re.fullmatch(r"\d{4}-\d\d-\d\dT[A-Z]{2}", c.value):
        return c.value[:10]
    return None


# a day named right after a reporting verb dates the report, not the events ("said on Wednesday")
_REPORTING = re.compile(
    r"\b(?:said|says|told\s+\w+|announced|reported|confirmed|added|stated)\s+$", re.IGNORECASE
)
_SMALL_HOURS_END = "06:00"  # a clock before this after a night named is of the next day
_DATELINE_CHARS = 400  # a day with a clock time this near the top is the report's own time


def _resolve_anaphors(ctx: _Context, cands: list[_Cand]) -> list[_Cand]:
    """Anaphoric days (``the next day``) against the latest date before them, and clock times
    with no day of their own against the latest day named before them that is not a report's
    date; with none, the anchor's day, or the day before when the clock is later than the
    report's own time (a dateline ``March 4, 2026 9:41 AM`` and ``shortly after 7 p.m.``)."""
    out: list[_Cand] = []
    reference: date | None = ctx.anchor
    ref_precision = "D"
    named = False  # a date was named before: "N days later" counts from it
    event_day: date | None = None
    past_day: date | None = None  # the latest named day not after the anchor
    event_night = False  # the event day was named by its evening or night
    published: str | None = ctx.clock  # the report's clock time, from its dateline
    anchor_day = ctx.anchor.isoformat() if ctx.anchor else None
    for c in cands:
        if c.clock is not None and ctx.anchor is not None:
            # a clock in a clause of the past is not on a day ahead named before it ("will play
            # in Sunday's game ... was pulled over just after 2:30 a.m.")
            ahead = event_day is not None and event_day > ctx.anchor
            day = (past_day if ahead and not ctx.future(c.start) else event_day) or ctx.anchor
            if event_night and day == event_day and c.clock < _SMALL_HOURS_END:
                # "the ferry sank on Tuesday night ... rescuers arrived at 2 a.m.": the small
                # hours after a night named are of the next day
                day += timedelta(days=1)
            later = published is not None and c.clock > published
            if event_day is None and later and _in_prose(ctx, c) and not ctx.future(c.start):
                day -= timedelta(days=1)
            c = replace(c, value=f"{day.isoformat()}T{c.clock}", clock=None)
        elif (
            anchor_day
            and published is None
            and c.start < _DATELINE_CHARS
            and c.type == "TIME"
            and c.value
            and re.fullmatch(rf"{anchor_day}T\d\d:\d\d", c.value)
        ):
            published = c.value[-5:]
        if c.anaphor is not None and c.alone is not None and not named:
            c = replace(c, type="DURATION", value=c.alone, anaphor=None, alone=None)
        elif c.anaphor is not None:
            unit, step = c.anaphor
            value = None
            if reference is not None and _finer_or_equal(ref_precision, unit):
                value = at_precision(shift(reference, unit, step), unit)
                if c.part:
                    value = f"{value}T{c.part}"
            if value is None and c.alone is not None:
                c = replace(c, type="DURATION", value=c.alone, anaphor=None, alone=None)
            else:
                c = replace(c, value=value, anaphor=None, part=None, alone=None)
        elif c.type in {"DATE", "TIME"} and c.value and (span := interval(c.value)):
            if span[0] == span[1]:
                reference, ref_precision = span[0], "D"
                dateline = c.start < _DATELINE_CHARS and span[0] == ctx.anchor
                named = named or not dateline  # a date line is the report's day, not a narrative's
                if not dateline and not _REPORTING.search(ctx.text, max(0, c.lead - 40), c.lead):
                    event_day = span[0]
                    event_night = c.value.endswith(("TNI", "TEV"))
                    if ctx.anchor is None or span[0] <= ctx.anchor:
                        past_day = span[0]
            elif span[1] - span[0] <= timedelta(days=31) and span[0].day == 1:
                reference, ref_precision = span[0], "M"
                named = True
        out.append(c)
    return out


# a zone written right after a clock time: "11:00 a.m. EDT", "7:31 AM ET", "15:00 (GMT)"
_ZONE_AFTER_CLOCK = re.compile(
    r"(?:\d|[ap]\.?\s?m\.?|(?<=\d)[ap]|noon|midnight)\s*\(?(?P<z>" + "|".join(zones.NAMES) + r")\b",
    re.IGNORECASE,
)


def _zoned(ctx: _Context, c: _Cand) -> _Cand:
    """A clock time written with its time zone gets the zone's offset on that day."""
    if c.type != "TIME" or not c.value or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", c.value):
        return c
    for m in _ZONE_AFTER_CLOCK.finditer(ctx.text, c.start, c.end):
        name = m.group("z")
        if not name.isupper():
            continue  # "at 5 pm et al." or a word, not an abbreviation
        off = zones.offset(name, date.fromisoformat(c.value[:10]))
        if off is not None:
            return replace(c, value=c.value + off)
    return c


_CLOCK_VALUE = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d):(\d\d)")


# a word of an expression that names its day
_OWN_DAY = re.compile(
    r"(?i)\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|tonight|yesterday|tomorrow|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d[/.-]\d"
)


def _converted(ctx: _Context, cands: list[_Cand]) -> list[_Cand]:
    """A clock time in brackets right after another is the same moment in another zone ("4:30
    a.m. local time (10:30 p.m. ET)"): zones are at most half a day apart, so a clock more than
    twelve hours later is on the day before, one more than twelve hours earlier on the day
    after."""
    out = list(cands)
    for i in range(1, len(out)):
        c, n = out[i - 1], out[i]
        mc = _CLOCK_VALUE.match(c.value or "") if c.type == "TIME" else None
        mn = _CLOCK_VALUE.match(n.value or "") if n.type == "TIME" else None
        if mc is None or mn is None or not _BRACKET_OPEN.fullmatch(ctx.text, c.end, n.start):
            continue
        if not (ctx.text[n.start : n.end].endswith(")") or _BRACKET_CLOSE.match(ctx.text, n.end)):
            # the bracketed clock took a day of its own ("09:10 hours (0440 GMT) on Monday"):
            # the clock before it, with none of its own, is of that day (or the one beside it)
            if not _OWN_DAY.search(ctx.text, c.lead, c.end):
                minutes = (
                    (int(mc.group(2)) - int(mn.group(2))) * 60 + int(mc.group(3)) - int(mn.group(3))
                )
                step = -1 if minutes > 12 * 60 else 1 if minutes < -12 * 60 else 0
                day = date.fromisoformat(mn.group(1)) + timedelta(days=step)
                out[i - 1] = replace(c, value=day.isoformat() + (c.value or "")[10:])
            continue
        minutes = (int(mn.group(2)) - int(mc.group(2))) * 60 + int(mn.group(3)) - int(mc.group(3))
        step = -1 if minutes > 12 * 60 else 1 if minutes < -12 * 60 else 0
        day = date.fromisoformat(mc.group(1)) + timedelta(days=step)
        out[i] = replace(n, value=day.isoformat() + (n.value or "")[10:])
    return out


def _in_prose(ctx: _Context, c: _Cand) -> bool:
    """The expression stands in a line of prose, not in a short header ("Updated 5:40 p.m. ET")."""
    lo = ctx.text.rfind("\n", 0, c.start) + 1
    hi = ctx.text.find("\n", c.end)
    return len(ctx.text[lo : hi if hi >= 0 else len(ctx.text)].split()) >= 6


def _finer_or_equal(have: str, want: str) -> bool:
    order = ["D", "W", "M", "Q", "H", "Y", "DE", "CE"]
    return order.index(have) <= order.index(want) if want in order else False


_SENT = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def split_sentences(text: str) -> list[Sentence]:
    """A plain sentence split, for callers that have none (tense cues look within a sentence)."""
    out: list[Sentence] = []
    for m in _SENT.finditer(text):
        if m.group(0).strip():
            out.append(Sentence(index=len(out), start=m.start(), end=m.end(), text=m.group(0)))
    return out


def tag(
    text: str,
    anchor: date | None,
    sentences: list[Sentence] | None = None,
    kind: str = "own",
    clock: str | None = None,
) -> list[Timex]:
    """Every temporal expression in ``text`` (DATE, TIME, DURATION, SET), in text order.
    ``kind`` says what the anchor is: ``own`` (the report's date), ``estimate`` (a day the report
    was probably written), ``bound`` (a day it was written on or after) or ``year`` (a day of
    the year it was written in: only its year counts); ``clock`` is the
    report's own time of day when its date line gives one."""
    ctx = _Context(
        text, sentences if sentences is not None else split_sentences(text), anchor, kind, clock
    )
    cands = [c for run in RULES for c in run(ctx)]
    chosen = [
        _zoned(ctx, c)
        for c in _converted(
            ctx, _resolve_events(ctx, _resolve_anaphors(ctx, _join(ctx, _select(cands))))
        )
    ]
    return [
        Timex(c.start, c.end, text[c.start : c.end], c.type, c.value, c.lead, c.value_max)
        for c in chosen
    ]
