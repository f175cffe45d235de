"""Recognise the metadata lines that raw news reports carry inside their text.

Reports copied from the web or a wire feed mix the story with lines that are not part of it:
datelines, bylines, credit and copyright lines, photo captions, section labels ("What happened:"),
the headline of the original story, newsletter promos and page furniture. :func:`scan_lines`
classifies every line with general rules (no outlet or wire names are built in) and says, per
line, what to keep for the body and what was taken out, with the value found (a date, a source).

The rules work on one paragraph per line (see :func:`newsweave.ingest.clean.normalise_text`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsweave.ingest.dates import DATE_PATTERN, DATE_RE, iso_from_match, parse_date_only
from newsweave.model import DroppedLine

__all__ = ["LineResult", "pick_title", "scan_lines", "split_bullet", "strip_labels"]

#: A line is "near the top" while fewer than this many body lines were kept before it ...
TOP_BODY_LINES = 2
#: ... and it is among the first lines of the document.
TOP_MAX_INDEX = 6
#: Sign-offs that could be ordinary prose elsewhere count only in the last lines.
TAIL_LINES = 5
#: At most this many short lines at the top form the leading headline block.
LEADING_MAX_LINES = 4
#: A trailing (or leading) headline has at most this many words.
HEADLINE_MAX_WORDS = 20

_BULLET_RE = re.compile(r"^(?:[-*•·▪◦‣–—]|\d{1,2}[.)])\s+")
_MD_HEADING_RE = re.compile(r"^#{1,6}\s+")
_TERMINAL = tuple(".!?\"”“’'»«)]…:;,")
_QUOTES = '"“”«»„‟'

# --------------------------------------------------------------------------- names

_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*|(?:de|da|di|del|van|von|der|den|la|le|al|el|bin|ibn)(?=\s))"
_NAME = rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,4}}"
_ORG_TAIL_RE = re.compile(
    r"\s*(?:[.;,]?\s*all rights reserved\.?|\.\s*$|,?\s*(?:inc|ltd|llc|plc|gmbh)\.?$)",
    re.IGNORECASE,
)


def _clean_name(value: str) -> str:
    value = value.strip().strip("()[]").strip()
    value = re.sub(r"[.;,:\s]+$", "", value)
    return value.strip()


def _split_names(value: str, *, people: bool = False) -> list[str]:
    """Split "A, B and C" into names; for people drop "in <Place>" suffixes."""
    parts = re.split(r"\s*(?:;|,|\band\b)\s*", value)
    out: list[str] = []
    for part in parts:
        if people:
            part = re.sub(r"\s+in\s+[A-Z][\w .'’-]*$", "", part)
        name = _clean_name(part)
        if name and name not in out:
            out.append(name)
    return out


# --------------------------------------------------------------------------- result


@dataclass
class LineResult:
    """What :func:`scan_lines` decided for one line."""

    text: str  # the line as given
    kept: str | None  # body text to keep (markers and labels stripped), None when dropped
    dropped: list[DroppedLine] = field(default_factory=list)
    date: str | None = None  # ISO date taken from the line
    date_kind: str | None = None  # "published" | "updated"
    credits: list[str] = field(default_factory=list)  # source / organisation credits
    people: list[str] = field(default_factory=list)  # bylines and reporter credits
    place: str | None = None  # place of a wire dateline
    headline: bool = False
    leading: bool = False  # a headline line at the top (masthead, kicker, title)
    bullet: bool = False
    labelled: bool = False  # a section label was stripped from it
    paragraph: bool = False  # the layout marks it as a body paragraph: never a headline

    def drop(self, reason: str, value: str | None = None, text: str | None = None) -> None:
        self.dropped.append(
            DroppedLine(text=self.text if text is None else text, reason=reason, value=value)
        )
        if text is None:
            self.kept = None


def split_bullet(line: str) -> tuple[str, bool]:
    """Strip a list-bullet (or Markdown heading) marker; say whether it was a bullet."""
    m = _BULLET_RE.match(line)
    if m:
        return line[m.end() :].strip(), True
    m = _MD_HEADING_RE.match(line)
    if m:
        return line[m.end() :].strip(), False
    return line, False


# --------------------------------------------------------------------------- furniture

_FURNITURE_RE = re.compile(
    r"(?:advertisement|advertising|sponsored(?: content)?|ad feature"
    r"|related(?: (?:articles?|stories|content|coverage|news|reading|topics))?\s*:?(?:\s.*)?"
    r"|(?:read|see) (?:more|also|next)(?:\s*:.*|\s*[-–—»>].*)?|also read\s*:.*|more\s*:.*"
    r"|share (?:this|the) (?:article|story|page|post)(?:\s.*)?|share(?: on \w+)?|tweet|print|email"
    r"|continue reading.*|story continues below.*|scroll (?:down )?to continue.*"
    r"|skip to (?:main )?content|(?:\d+\s+)?comments?|listen to (?:this|the) (?:article|story).*)"
    r"[.:]?",
    re.IGNORECASE,
)

#: A wire service's transmission code or slug line ("AP-NY-03-04-88 1204EST",
#: "BC-Storm-Pellmouth 03-04 0412"): every word holds a digit or is a compound of three parts.
_CODE_TOKEN_RE = re.compile(r"\S*\d\S*|[^\s-]+-[^\s-]+-\S+")


def _code_line(content: str) -> bool:
    tokens = content.split()
    return (
        2 <= len(tokens) <= 8
        and all(_CODE_TOKEN_RE.fullmatch(t) for t in tokens)
        and any(c.isalpha() for c in content)
    )


# --------------------------------------------------------------------------- credits

_SOURCE_LINE_RE = re.compile(
    r"^\(?(?:sources?|credits?|via|courtesy(?: of)?)\s*:\s*(?P<v>.+?)\)?$", re.IGNORECASE
)
_REPORTING_RE = re.compile(
    r"^\(?\s*(?:(?:additional|further|with)\s+)?(?:reporting|writing|editing|research|compiled"
    r"|contributions?|reported|written)\s+(?:by|from)\s+(?P<v>.+?)\)?\s*\.?$",
    re.IGNORECASE,
)
_CREDIT_PART_RE = re.compile(
    r"(?:(?:additional|further|with)\s+)?(?P<role>reporting|writing|editing|research|compiled"
    r"|contributions?|reported|written)\s+(?:by|from)\s+(?P<v>.+)",
    re.IGNORECASE,
)
_COPYRIGHT_RE = re.compile(
    r"^(?:©|\(c\)|copyright\b)(?:\s*(?:©|\(c\)))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?P<v>.*?)$",
    re.IGNORECASE,
)
_ORIGINAL_RE = re.compile(
    r"^this\s+(?:article|story|piece|post|item|content)\s+(?:was|is|has been)?\s*"
    r"(?:originally|first|previously)?\s*(?:published|appeared|posted|produced|written|provided)"
    r"\s+(?:by|in|on|at|with|for)\s+(?:the\s+)?(?P<v>.+)$"
    r"|^(?:originally|first)\s+(?:published|appeared)\s+(?:by|in|on|at)\s+(?:the\s+)?(?P<v2>.+)$"
    r"|^(?:republished|reprinted|reproduced)\s+(?:with permission\s+)?(?:from|by|courtesy of)\s+"
    r"(?:the\s+)?(?P<v3>.+)$",
    re.IGNORECASE,
)
_DISTRIBUTED_RE = re.compile(
    r"^(?:distributed|syndicated|supplied)\s+(?:by|through|via)\s+(?P<v>.+?)\.?$",
    re.IGNORECASE,
)
_BYLINE_RE = re.compile(
    rf"^(?i:by|written by|words by|story by)\s+(?P<names>{_NAME}(?:\s+(?:and|&)\s+{_NAME})*)"
    r"(?:\s*(?:,|\||[-–—]|\bfor\b|\bof\b)\s*(?P<org>[A-Z][\w&'’. -]{1,60}))?\s*$",
)
_NOT_NAME_START = re.compile(
    r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun"
    r"|January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|The|This|That|These|Those|Then|Now|Next"
    r"|Early|Late|Last|Contrast|Comparison|Far|Way|Midday|Midnight|Noon|Tonight|Today)\.?,?$",
    re.IGNORECASE,
)


def _trim_origin(value: str) -> str:
    value = re.split(
        r"\s+(?:and is|and was|under|with permission|on\s+\d|on\s+[A-Z][a-z]+ \d)\b|[,(]", value
    )[0]
    return _clean_name(value)


def _credit(res: LineResult, content: str, index: int, top: bool, tail: bool) -> bool:
    m = _SOURCE_LINE_RE.match(content)
    value_words = {w.lower() for w in m.group("v").split()} if m else set()
    if m and len(value_words) <= 12 and not value_words & _FINITE:
        names = _split_names(m.group("v"))
        res.credits.extend(names)
        res.drop("credit", "; ".join(names) or None)
        return True
    m = _REPORTING_RE.match(content)
    if m and len(content.split()) <= 40:
        people: list[str] = []
        named: list[str] = []
        for part in re.split(r"\s*;\s*", content.strip("().").strip()):
            pm = _CREDIT_PART_RE.match(part)
            if pm:
                names = _split_names(pm.group("v"), people=True)
                named.extend(names)
                if pm.group("role").lower() != "editing":
                    people.extend(names)
        wrapped = content.startswith("(") and content.rstrip(". ").endswith(")")
        if wrapped or (named and len(content.split()) <= 15 and all(n[0].isupper() for n in named)):
            res.people.extend(people)
            res.drop("credit", "; ".join(people) or _clean_name(m.group("v")))
            return True
    m = _COPYRIGHT_RE.match(content)
    if (
        m
        and len(content.split()) <= 20
        and (
            re.match(r"^(?:©|\(c\))|^copyright\s*(?:©|\(c\)|\d{4})", content, re.IGNORECASE)
            or (len(content.split()) <= 6 and m.group("v")[:1].isupper())
        )
    ):
        value = _ORG_TAIL_RE.sub("", m.group("v")).strip()
        value = _clean_name(value)
        if value:
            res.credits.append(value)
        res.drop("credit", value or None)
        return True
    m = _ORIGINAL_RE.match(content)
    if m and len(content.split()) <= 20:
        value = _trim_origin(m.group("v") or m.group("v2") or m.group("v3") or "")
        if value:
            res.credits.append(value)
        res.drop("credit", value or None)
        return True
    m = _DISTRIBUTED_RE.match(content)
    if m and len(content.split()) <= 8:
        value = _trim_origin(m.group("v"))
        if value:
            res.credits.append(value)
        res.drop("credit", value or None)
        return True
    if top or tail:
        m = _BYLINE_RE.match(content)
        if m and len(content.split()) <= 14 and not content.rstrip().endswith((".", "!", "?")):
            first = m.group("names").split()[0]
            if not _NOT_NAME_START.match(first) and first[0].isupper():
                people = _split_names(m.group("names"), people=True)
                org = _clean_name(m.group("org") or "")
                if re.search(r"\sand\s", org):  # "By A, B and C": three people
                    people.extend(_split_names(org, people=True))
                    org = ""
                res.people.extend(people)
                if org:
                    res.credits.append(org)
                res.drop("credit", "; ".join([*people, *([org] if org else [])]))
                return True
    return False


# --------------------------------------------------------------------------- photos

_PHOTO_WORDS = r"(?:photo(?:graph)?s?|images?|pictures?|pics?|illustrations?|graphics?|videos?)"
_PHOTO_LABEL_RE = re.compile(
    rf"^\(?(?:(?:main|top|header|lead|file)\s+)?{_PHOTO_WORDS}(?:\s+(?:credits?|caption))?\s*[:|]"
    r"\s*(?P<v>.*?)$",
    re.IGNORECASE,
)
_PHOTO_BY_RE = re.compile(
    rf"^\(?{_PHOTO_WORDS}\s+(?:by|courtesy(?: of)?|credit|from|via)\b\s*:?\s*(?P<v>.*?)\)?\.?$",
    re.IGNORECASE,
)
_CAPTION_START_RE = re.compile(
    r"^\[?(?:file\s+photo\b|pictured\s*:|caption\s*:|in\s+this\s+(?:file\s+)?(?:photo|image|picture)"
    r"\b|(?:above|top|below|main image|left|right)\s*:)",
    re.IGNORECASE,
)
_PAREN_CREDIT_END_RE = re.compile(
    r"\((?P<v>[A-Z][^()/]{0,60}/\s?[A-Z][^()]{1,60}"
    r"|(?i:(?:photo|image|picture)s?(?:\s+by|\s*:))[^()]+)\)\s*\.?$"
)
_SLASH_CREDIT_END_RE = re.compile(
    r"(?:^|[\s(])(?P<v>(?:[A-Z]\.|[A-Z][\w'’-]*)(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]*)){0,3}\s?/\s?"
    r"[A-Z][\w.'’&-]+(?:\s+(?:[A-Z][\w.'’&-]*|via|for|of))*)\s*$"
)


def _photo(res: LineResult, content: str) -> bool:
    words = len(content.split())
    m = _PHOTO_LABEL_RE.match(content)
    if m:
        value = m.group("v").strip()
        reason = "photo-credit" if len(value.split()) <= 6 else "caption"
        cm = _PAREN_CREDIT_END_RE.search(value) or _SLASH_CREDIT_END_RE.search(value)
        res.drop(reason, _clean_name(cm.group("v")) if cm else (_clean_name(value) or None))
        return True
    m = _PHOTO_BY_RE.match(content)
    if m and words <= 15:
        res.drop("photo-credit", _clean_name(m.group("v")) or None)
        return True
    if _CAPTION_START_RE.match(content):
        cm = _PAREN_CREDIT_END_RE.search(content) or _SLASH_CREDIT_END_RE.search(content)
        res.drop("caption", _clean_name(cm.group("v")) if cm else None)
        return True
    m = _PAREN_CREDIT_END_RE.search(content)
    if m and words <= 60:
        res.drop("photo-credit" if m.start() == 0 else "caption", _clean_name(m.group("v")))
        return True
    m = _SLASH_CREDIT_END_RE.search(content)
    if m and words <= 40:
        who, agency = (part.strip() for part in m.group("v").split("/", 1))
        if len(agency) >= 3 and (len(who.split()) >= 2 or len(agency.split()) >= 2):
            whole = m.start("v") == 0
            res.drop("photo-credit" if whole else "caption", _clean_name(m.group("v")))
            return True
    return False


# --------------------------------------------------------------------------- sign-offs

_SIGNOFF_ANYWHERE_RE = re.compile(
    r"^(?:sign up\b|subscribe\s+(?:to|now|here|for|today)\b|follow us\b|click here\b|tap here\b"
    r"|download (?:our|the) (?:free )?app\b|like us on\b|join (?:our|us on)\b|don['’]t miss\b"
    r"|get (?:the latest|our)\b.*\b(?:inbox|newsletter|app)\b|want (?:more|the latest)\b"
    r"|(?:listen to|subscribe to) (?:our|the) podcast\b"
    r"|(?:get|receive) (?:breaking )?news alerts\b"
    r"|you (?:are|were) receiving this\b|.*\bunsubscribe\b|manage (?:your )?preferences\b"
    r"|forward this (?:e-?mail|newsletter)\b)",
    re.IGNORECASE,
)
_SIGNOFF_TAIL_RE = re.compile(
    r"^(?:for (?:more|the latest)\s+(?:\w+\s+){0,2}(?:news|stories|information|updates|coverage|"
    r"articles)\b|visit\s+\S+|follow\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s+on\b"
    r"|to (?:receive|get|read)\b|read (?:the|our) (?:full|latest|original)\b"
    r"|more (?:from|on|stories from)\s|(?:find|read) (?:us|more) (?:on|at)\b"
    r"|(?:we|you) (?:can|may) (?:also )?(?:follow|find) (?:us|me)\b|newsletter\b"
    r"|that['’]s (?:it|all) for (?:today|now|this (?:week|morning|evening))\b"
    r"|thanks? (?:you )?for reading\b|see you (?:tomorrow|next|on|soon)\b"
    r"|(?-i:(?:The\s+)?[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,4}\s+team)\s*$)",
    re.IGNORECASE,
)

_GREETING_RE = re.compile(
    r"^(?:(?:good (?:morning|afternoon|evening)|hello|hi|welcome(?: back)?)\b[^.!?]{0,40}[.!?,]?"
    r"\s*)?(?:here['’]s (?:what you need to know|your (?:morning|daily|evening) \w+)\b.*)?$",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- dates

_DATE_KEYWORD_RE = re.compile(
    r"(?P<kw>date(?:d|line)?|published|posted|updated|last\s+updated|first\s+published"
    r"|last\s+modified|modified|issued|released)(?:\s+(?:on|at))?\s*[:\-–—|]?\s*",
    re.IGNORECASE,
)
_DATE_AT_RE = re.compile(DATE_PATTERN, re.IGNORECASE)
_SEPARATOR_RE = re.compile(r"^\s*(?:[-–—|:•·/]+\s*)?")
_RELATIVE_DATE_RE = re.compile(
    r"^(?:published|updated|posted|last updated)\b[^.!?]{0,40}\bago\s*$"
    r"|^(?:(?:published|updated|posted|last updated)\s*(?:on|at)?\s*:?\s*)?"
    r"(?:today|yesterday)?\s*,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?"
    r"(?:\s?(?:[A-Z]{2,5}|UTC[+-]\d{1,2}))?\s*$",
    re.IGNORECASE,
)
_MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WIRE_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][\w'’.-]+(?:[ -][A-Z][\w'’.-]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){0,2}))??"
    rf"(?:,?\s+(?:(?P<date>{DATE_PATTERN})|(?P<dayfirst>\d{{1,2}}\s+{_MONTH_NAME})))?"
    r"\s*(?:\((?P<wire>[^()]{2,40})\)|/(?P<wire2>[^/]{2,40})/)?"
    # AP copy in text archives writes its dashes as " _ "; a date line may stand on its own line
    # ("Mumbai, Nov 11 -")
    r"\s*(?P<dash>--?|[–—]|(?<=\s)_)(?:\s+(?=\S)|\s*$)"
)


_DATE_ANY_RE = re.compile(DATE_PATTERN, re.IGNORECASE)
#: What a date line holds besides its dates: clock times, zone and agency codes, weekdays and
#: the words of publishing ("Published 12:17 am, Monday, ...", "8:44AM BST 16 Sep 2013",
#: "on April 30, 2008 at 4:31 AM, updated ...", "10:55 P. M. FEB. 2, 2009").
_DATELINE_FILLER_RE = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?:\s?[ap]\.?\s?m\b\.?)?|\b\d{1,2}\s?[ap]\.\s?m\b\.?|\b\d{3,4}(?=\s*\(?[A-Z]{2,4}\b)"
    r"|\b(?-i:[A-Z]{2,5})\b|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\b\.?"
    r"|\b(?:on|posted|published|updated|last|at|by|written|first|modified|local|time|released?|date)\b",
    re.IGNORECASE,
)
#: At most this many other words (a place, a short label) and a line of dates is a date line.
DATELINE_OTHER_WORDS = 2


def _loose_dateline(res: LineResult, content: str) -> bool:
    """A line near the top made of dates, times and the words of publishing is the report's
    date line: its first date not marked as an update is the publication date. A line with more
    than :data:`DATELINE_OTHER_WORDS` other words (a headline, a lead sentence) is not."""
    dates = [m for m in _DATE_ANY_RE.finditer(content) if iso_from_match(m)]
    if not dates:
        return False
    rest = content
    for m in reversed(dates):
        rest = rest[: m.start()] + " " + rest[m.end() :]
    rest = _DATELINE_FILLER_RE.sub(" ", rest)
    words = [w for w in re.findall(r"[^\W\d_]{2,}", rest)]
    if len(words) > DATELINE_OTHER_WORDS:
        return False
    published = [
        m
        for m in dates
        if not re.search(
            r"(?i)(?:updated|modified)\W*(?:on|at)?\W*$",
            content[max(0, m.start() - 20) : m.start()],
        )
    ]
    first = (published or dates)[0]
    res.date = iso_from_match(first)
    res.date_kind = "published" if published else "updated"
    res.drop("dateline", res.date)
    return True


def _take_keyword_dates(res: LineResult, content: str, top: bool) -> tuple[str, bool]:
    """Strip ``Published: <date>`` / ``date <date>`` prefixes (stackable); return the rest."""
    rest = content
    found = False
    for _ in range(4):
        km = _DATE_KEYWORD_RE.match(rest)
        if km:
            dm = _DATE_AT_RE.match(rest, km.end())
            if dm is None:
                break
        else:
            dm = _DATE_AT_RE.match(rest)
            if dm is None:
                break
            after = rest[dm.end() :]
            # a bare date opens the line: only a dateline when a separator or nothing follows
            if after.strip() and not re.match(r"^\s*(?:[-–—|•·]|:\s)", after):
                break
        if not top and rest[dm.end() :].strip(" .,|-–—"):
            break  # below the top only whole-line dates are metadata
        iso = iso_from_match(dm)
        kind = (
            "updated"
            if km and km.group("kw").lower().endswith(("updated", "modified"))
            else ("published")
        )
        taken = rest[: dm.end()].strip()
        if iso and (res.date is None or (res.date_kind == "updated" and kind == "published")):
            res.date, res.date_kind = iso, kind
        rest = _SEPARATOR_RE.sub("", rest[dm.end() :], count=1).strip()
        res.dropped.append(DroppedLine(text=taken, reason="dateline", value=iso))
        found = True
        if not rest:
            break
    return rest, found


_TRAILING_DATE_RE = re.compile(
    r"(?P<sep>\s*[|–—:-]\s*|\s+)?(?P<date>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[A-Za-z]*\.?\s+\d{1,2},?\s+\d{4})\s*$"
)


def _trailing_date(res: LineResult, content: str) -> str:
    """A headline with the report's date at its end, glued to it or set off by a separator
    ("... QUEENS DA SAYSSEPTEMBER 19, 2013", "Ferry sinks | May 2, 2025"): the date is the
    report's, the rest the headline. Not a sentence ending in a date (it has its full stop)."""
    m = _TRAILING_DATE_RE.search(content)
    if m is None or res.date is not None or m.start() == 0:
        return content
    sep = m.group("sep") or ""
    glued = not sep and content[m.start() - 1].isalpha()
    marked = bool(sep.strip())
    if not (glued or marked or (content.isupper() and sep)):
        return content
    dm = DATE_RE.fullmatch(re.sub(r"\s+", " ", m.group("date")).title())
    iso = iso_from_match(dm) if dm else None
    if iso is None:
        return content
    res.date, res.date_kind = iso, "published"
    res.dropped.append(DroppedLine(text=m.group("date"), reason="dateline", value=iso))
    return content[: m.start()].rstrip()


def _wire_dateline(res: LineResult, content: str) -> str | None:
    m = _WIRE_DATELINE_RE.match(content)
    if not m:
        return None
    place = m.group("place")
    first = place.split()[0]
    if _NOT_NAME_START.match(first) or first.lower() in _FUNCTION_WORDS:
        return None
    wire = (m.group("wire") or m.group("wire2") or "").strip()
    date_m = DATE_RE.fullmatch(m.group("date")) if m.group("date") else None
    dated = date_m is not None or m.group("dayfirst") is not None  # a day, with or without its year
    letters = re.sub(r"[^A-Za-z]", "", place)
    if not (wire or dated) and not (place.isupper() and len(letters) >= 3):
        return None
    if wire and (wire[0].islower() or len(wire.split()) > 5 or re.search(r"\d", wire)):
        return None
    if not place.isupper() and len(place.split()) > 3:
        return None
    rest = content[m.end() :].strip()
    if not rest and not dated:
        return None  # "WASHINGTON --" alone on a line: not told from a heading
    # a date line without its year ("BEIJING, Dec. 24 (Xinhua) --") keeps its text: the story
    # stage reads its day, the year from the story's other reports
    iso = iso_from_match(date_m) if date_m else None
    res.place = place.title() if place.isupper() else place
    if iso:
        res.date, res.date_kind = iso, "published"
    if wire:
        res.credits.append(wire)
    res.dropped.append(
        DroppedLine(text=content[: m.end()].strip(), reason="dateline", value=iso or res.place)
    )
    return rest


# --------------------------------------------------------------------------- section labels

_LABEL_RE = re.compile(r"^(?P<label>[^\W\d_][^:\"“”«»„‟]{0,70}?)\s*:(?=\s|$)\s*")
_SPEECH = {
    "said", "says", "say", "told", "tells", "tell", "added", "adds", "wrote", "writes", "stated",
    "states", "explained", "explains", "noted", "notes", "declared", "declares", "announced",
    "announces", "asked", "asks", "replied", "replies", "tweeted", "posted", "commented",
    "insisted", "warned", "warns", "argued", "argues", "claimed", "claims", "continued",
    "concluded", "responded", "testified", "recalled", "remarked", "reported", "reports",
    "quoted", "according", "reporters", "journalists", "statement", "interview", "speaking",
    "speech", "read", "reads", "saying", "telling", "adding", "urged", "vowed",
    "acknowledged", "admitted", "conceded", "suggested", "predicted", "observed", "answered",
}  # fmt: skip
_FINITE = {
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would",
    "can", "could", "should", "must", "may", "might", "shall", "did", "does", "do", "am",
}  # fmt: skip
_PRONOUNS = {
    "he", "she", "they", "we", "i", "it", "you", "this", "that", "these", "those", "there",
    "his", "her", "their", "our", "its", "one", "someone", "everyone", "nobody",
}  # fmt: skip
_FUNCTION_WORDS = {
    "on", "in", "at", "by", "for", "from", "to", "of", "with", "since", "after", "before",
    "as", "and", "but", "or", "so", "if", "when", "while", "because", "although", "though",
    "a", "an", "the", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i",
    "officials", "police", "witnesses", "sources", "residents",
}  # fmt: skip
_CONJUNCTIONS = {
    "since", "because", "although", "though", "while", "if", "unless", "whereas", "whether",
    "once", "until", "as", "so", "and", "but", "or", "then",
}  # fmt: skip
_CONTRACTION_RE = re.compile(
    r"\b(?:it|here|there|that|let|he|she|this)['’]s\b|n['’]t\b|['’](?:re|ll|ve|d|m)\b",
    re.IGNORECASE,
)
_WH = {"what", "why", "how", "who", "where", "when", "which", "what's", "what’s", "whats"}
_META_LABELS = re.compile(
    r"^(?:sources?|credits?|photo|image|caption|via|by|published|updated|posted|date)$",
    re.IGNORECASE,
)


def _is_label(label: str, rest: str) -> bool:
    words = label.split()
    if not 1 <= len(words) <= 6 or not label[0].isupper():
        return False
    if (
        re.search(r"[!?;,()\[\]]|\.\s|https?$|\bwww\b", label)
        or label.endswith(".")
        or label[-1].isdigit()
    ):
        return False
    lowered = [w.lower().strip(",.'’()") for w in words]
    if lowered[0] in _CONJUNCTIONS:
        return False
    if any(w in _SPEECH for w in lowered):
        return False
    wh = lowered[0] in _WH
    if not wh:
        if lowered[0] in _PRONOUNS or any(w in _FINITE for w in lowered):
            return False
        if _CONTRACTION_RE.search(label):
            return False  # "It's official:", "Here's a prediction:", "Can't go wrong:"
        if any(len(w) > 4 and w.endswith("ed") for w in lowered[1:]):
            return False  # "The council approved two measures: ..." is a clause, not a label
    if rest and rest[0].islower() and len(words) > 2:
        return False
    if rest and rest[0] in "\"“”'‘`«„":
        return False  # "Mayor Quill: “We are ready.”" is a speaker and a quotation
    if rest and not rest.endswith(_TERMINAL):
        return False  # "Sheriff: suspect fled" is a headline with a speaker, not a labelled text
    return not (len(words) == 1 and _META_LABELS.match(lowered[0]))


def strip_labels(content: str) -> tuple[str, list[str]]:
    """Strip stacked section labels ("Looking ahead: Why it matters: text") from a line."""
    labels: list[str] = []
    rest = content
    while True:
        m = _LABEL_RE.match(rest)
        if not m:
            break
        after = rest[m.end() :].strip()
        if not _is_label(m.group("label").strip(), after):
            break
        labels.append(rest[: m.end()].strip())
        rest = after
        if not rest:
            break
    return rest, labels


# --------------------------------------------------------------------------- headlines


def _headline_like(res: LineResult) -> bool:
    kept = res.kept or ""
    words = kept.split()
    return (
        not res.bullet
        and not res.paragraph
        and not res.labelled
        and not res.dropped
        and 2 <= len(words) <= HEADLINE_MAX_WORDS
        and not kept.endswith(_TERMINAL)
        and not kept.endswith("—")
    )


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


# --------------------------------------------------------------------------- driver


def scan_lines(
    lines: Sequence[str],
    *,
    title: str | None = None,
    paragraphs: Sequence[bool] | None = None,
) -> list[LineResult]:
    """Classify every line (one paragraph each, non-empty) of a report.

    ``title`` is the title the container gave, if any: a line repeating it near the top is
    dropped as the headline. ``paragraphs`` says, line by line, which lines the layout marks as
    body paragraphs (the indented paragraphs of wire copy, see
    :func:`newsweave.ingest.clean.paragraph_lines`): those are never taken for headlines.
    """
    results: list[LineResult] = []
    kept_before = 0
    wire_done = False
    n = len(lines)
    title_norm = _norm(title) if title else None
    for index, line in enumerate(lines):
        content, bullet = split_bullet(line.strip())
        res = LineResult(text=line, kept=content, bullet=bullet)
        res.paragraph = bool(paragraphs and index < len(paragraphs) and paragraphs[index])
        results.append(res)
        top = kept_before < TOP_BODY_LINES and index < TOP_MAX_INDEX
        tail = index >= n - TAIL_LINES
        if not content:
            res.kept = None
            continue
        if title_norm and top and _norm(content) == title_norm:
            res.headline = True
            res.drop("headline", content)
            continue
        if _FURNITURE_RE.fullmatch(content) or ((top or tail) and _code_line(content)):
            res.drop("furniture")
            continue
        if _credit(res, content, index, top, tail) or _photo(res, content):
            continue
        if _SIGNOFF_ANYWHERE_RE.match(content) or (tail and _SIGNOFF_TAIL_RE.match(content)):
            res.drop("sign-off")
            continue
        if top and len(content.split()) <= 15 and _GREETING_RE.match(content):
            res.drop("furniture")
            continue
        if top and _RELATIVE_DATE_RE.match(content):
            res.drop("dateline")
            continue
        if top and not res.paragraph and _loose_dateline(res, content):
            continue
        rest, _ = _take_keyword_dates(res, content, top)
        if top and not res.paragraph and rest:
            rest = _trailing_date(res, rest)
        if top and not wire_done and rest:
            after_wire = _wire_dateline(res, rest)
            if after_wire is not None:
                wire_done = True
                rest = after_wire
        if rest:
            rest, labels = strip_labels(rest)
            for label in labels:
                res.dropped.append(
                    DroppedLine(text=label, reason="section-label", value=label.rstrip(":").strip())
                )
            res.labelled = bool(labels)
        if not rest:
            res.kept = None
            if not res.dropped:
                res.drop("section-label")
            continue
        if rest == content and parse_date_only(rest) and not top:
            res.drop("dateline", parse_date_only(rest))
            continue
        res.kept = rest
        if len(rest.split()) > HEADLINE_MAX_WORDS or rest.endswith(_TERMINAL) or res.paragraph:
            kept_before += 1  # a short unpunctuated line (a headline, a kicker) is still "top"

    body = [r for r in results if r.kept]
    if len(body) >= 2 and _headline_like(body[-1]):
        body[-1].headline = True
        body[-1].drop("headline", body[-1].kept)
        body.pop()
    # leading block: masthead, kicker, headline (short unpunctuated lines before the first
    # sentence), when at least two body lines follow it
    block: list[LineResult] = []
    for res in body[:LEADING_MAX_LINES]:
        if not _headline_like(res):
            break
        block.append(res)
    if block and len(body) - len(block) >= 2:
        for res in block:
            kept = res.kept or ""
            if len(block) > 1 and kept.isupper() and len(kept.split()) <= 4:
                # an all-capitals name above the headline is the outlet's masthead
                name = " ".join(w.capitalize() for w in kept.split())
                res.credits.append(name)
                res.drop("masthead", name)
                continue
            res.headline = True
            res.leading = True
            res.drop("headline", kept)
    return results


def pick_title(results: Sequence[LineResult]) -> str | None:
    """The title the lines give: a trailing headline, else the longest leading headline line
    that is neither all capitals (a masthead) nor dated, with a section label ("TOP STORY:")
    removed."""
    trailing = [r for r in results if r.headline and not r.leading and r.dropped]
    if trailing:
        return trailing[-1].dropped[-1].value
    leading = [r.dropped[-1].value or "" for r in results if r.leading and r.dropped]
    if not leading:
        return None
    mixed = [line for line in leading if not line.isupper()] or leading
    mixed = [line for line in mixed if not _DATE_AT_RE.search(line)] or mixed
    best = max(mixed, key=lambda line: len(line.split()))
    m = _LABEL_RE.match(best)
    if m and best[m.end() :].strip() and _is_label(m.group("label").strip(), ""):
        best = best[m.end() :].strip()
    return best
