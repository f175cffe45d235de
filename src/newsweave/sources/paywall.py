"""Recognise paywall, consent and sign-in pages, so their text is never stored as an article.

General signals only: HTTP 402; a redirect to a consent host; structured data marking the page
as not free (``isAccessibleForFree: false``) when little text is visible; and the wording of
subscription prompts and cookie walls when it makes up a page with little else on it.

A sign-in page (a login wall with no article) is recognised by what every login form has, on a
page with little text: a password field, a title or heading that is nothing but "Sign in" /
"Log in (to ...)", and the furniture of login forms ("Forgot your password?", "Remember me",
"Don't have an account?", lone "Email" / "Password" labels). Two of these on a short page, or
one when the page has almost no text of its own; a password box in the header of a page with
an article on it is not a sign-in page.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsweave.errors import WallPage

__all__ = ["Wall", "WallPage", "detect_signin", "detect_wall"]

_PAYWALL_RE = re.compile(
    r"subscribe (?:now )?to (?:continue |keep )?read(?:ing)?"
    r"|(?:to )?continue reading,? (?:subscribe|sign in|log in|register)"
    r"|(?:this|the) (?:article|story|content) is (?:only )?(?:available|reserved|exclusive)"
    r" (?:to|for) (?:paying )?(?:subscribers|members)"
    r"|(?:for|to) (?:subscribers|members) only"
    r"|already (?:a subscriber|subscribed|have an account)\??"
    r"|you(?:'|’)?ve (?:reached|used) (?:your|all)[\w ]{0,20} (?:free )?"
    r"(?:article|story|stories|articles)"
    r"|(?:sign|log) ?in (?:or subscribe )?to (?:continue|read)"
    r"|(?:create|register for) a free account to (?:continue|read)"
    r"|unlock (?:this|the full) (?:article|story)"
    r"|(?:start|get) (?:your|a) (?:free )?(?:trial|subscription)"
    r"|subscription required|premium (?:article|content)|subscribers? only",
    re.IGNORECASE,
)
_CONSENT_RE = re.compile(
    r"(?:we|our partners) (?:and our partners )?use cookies"
    r"|(?:accept|reject|allow|refuse) (?:all )?(?:cookies|tracking)"
    r"|(?:accept|reject) all"
    r"|cookie (?:policy|settings|preferences|consent|notice)"
    r"|manage (?:your )?(?:consent|privacy|cookie)"
    r"|(?:your )?privacy (?:choices|settings|preferences)"
    r"|before you continue"
    r"|(?:consent|agree) to (?:the use of|our use of) (?:cookies|your data)"
    r"|legitimate interest|personali[sz]ed (?:ads|advertising)",
    re.IGNORECASE,
)
_NOT_FREE_RE = re.compile(r"[\"']?isAccessibleForFree[\"']?\s*:\s*[\"']?false", re.IGNORECASE)
_CONSENT_HOST_RE = re.compile(r"^(?:consent|privacy|cmp|gdpr|cookies?)\.", re.IGNORECASE)
SHORT_PAGE_WORDS = 250  # a page with more words than this is an article with some furniture

_PASSWORD_FIELD_RE = re.compile(
    r"<input\b[^>]*\btype\s*=\s*[\"']?password\b"
    r"|\bautocomplete\s*=\s*[\"']?current-password\b",
    re.IGNORECASE,
)
_SIGN_IN = r"(?:sign[\s-]?(?:in|on)|log[\s-]?(?:in|on)|login|logon)"
#: A title or heading that is only a sign-in prompt: "Sign in", "Log in to your account",
#: "Member login", "Sign in or register", "Please log in" (not a headline about logging in)
_SIGNIN_TITLE_RE = re.compile(
    rf"^(?:please\s+)?(?:(?:subscriber|member|customer|user|reader|account|secure)s?\s+)?"
    rf"{_SIGN_IN}(?:\s+(?:to|into)\s+(?:your\s+(?:\w+\s+){{0,2}}account|continue(?:\s+reading)?"
    r"|read(?:\s+more)?|comment|(?:the\s+)?(?-i:[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){0,2})))?"
    r"(?:\s*(?:or|/|&|and)\s*(?:register|sign[\s-]?up|subscribe|create\s+(?:an|your)\s+account))?"
    r"(?:\s+(?:page|required))?\s*[.!]?$",
    re.IGNORECASE,
)
#: What login forms say around their fields
_SIGNIN_RE = re.compile(
    r"forgot(?:ten)? (?:your |my )?(?:password|username|user name|login)"
    r"|reset (?:your |my )?password"
    r"|remember me|(?:keep|stay) (?:me )?(?:signed|logged) in"
    r"|(?:don't|don’t|do not) have an account|(?:not|not yet) a (?:member|subscriber)\?"
    r"|new (?:user|here|customer)\?"
    rf"|{_SIGN_IN} with (?:google|apple|facebook|microsoft|linkedin|twitter|email|your)"
    r"|continue with (?:google|apple|facebook|microsoft|email)"
    r"|enter your (?:e-?mail|password|user ?name)"
    r"|(?:incorrect|invalid|wrong) (?:e-?mail|password|user ?name)"
    r"|^(?:e-?mail(?: address)?|user ?name|password|e-?mail or user ?name)\s*\*?:?$"
    rf"|^{_SIGN_IN}$",
    re.IGNORECASE,
)
_TITLE_TAG_RE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HEADING_RE = re.compile(r"<h[12]\b[^>]*>(.*?)</h[12]>", re.IGNORECASE | re.DOTALL)
_TITLE_PARTS_RE = re.compile(r"\s+[|\-–—·•»]\s+|\s*[|·•»]\s*|:\s+")
SIGNIN_ALONE_WORDS = 20  # a password form alone makes a sign-in page only of this little text
SIGNIN_TITLE_WORDS = 50  # ... a sign-in title alone, of this little


@dataclass
class Wall:
    kind: str  # "paywall" | "consent" | "signin"
    evidence: str  # what gave it away, as a short phrase


def _words(text: str) -> int:
    return len(text.split())


def _share(pattern: re.Pattern[str], text: str) -> tuple[float, str | None]:
    """Share of the text's lines that match, and the first match."""
    lines = [line for line in text.splitlines() if line.strip()]
    hits = [m.group(0) for line in lines if (m := pattern.search(line))]
    if not lines:
        return 0.0, None
    return len(hits) / len(lines), (hits[0] if hits else None)


def _tag_text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _signin_title(html: str, title: str | None) -> str | None:
    """The page's title (or its first top heading) when it is only a sign-in prompt; a title
    is read part by part ("Sign in | Harbour Gazette": "Sign in")."""
    candidates = [title or ""]
    m = _TITLE_TAG_RE.search(html)
    if m:
        candidates.append(_tag_text(m.group(1)))
    m = _HEADING_RE.search(html)
    if m:
        candidates.append(_tag_text(m.group(1)))
    for candidate in candidates:
        for part in _TITLE_PARTS_RE.split(candidate.strip()):
            part = part.strip()
            if part and len(part) <= 80 and _SIGNIN_TITLE_RE.match(part):
                return part
    return None


def detect_signin(html: str, text: str, title: str | None = None) -> Wall | None:
    """Is this page a sign-in page (a login wall, no article)? See the module docstring."""
    words = _words(text)
    if words >= SHORT_PAGE_WORDS:
        return None
    form = bool(_PASSWORD_FIELD_RE.search(html))
    heading = _signin_title(html, title)
    share, prompt = _share(_SIGNIN_RE, text)
    evidence = [
        *(["a password field"] if form else []),
        *([f"titled '{heading}'"] if heading else []),
        *([f"'{prompt}'"] if prompt and prompt.lower() != (heading or "").lower() else []),
    ]
    if (
        len(evidence) >= 2
        or (form and words < SIGNIN_ALONE_WORDS)
        or (heading and words < SIGNIN_TITLE_WORDS)
        or (prompt and (share >= 0.3 or (words < 80 and share >= 0.1)))
    ):
        little = f"{words} word{'s' if words != 1 else ''} of text"
        return Wall("signin", ", ".join([*evidence, little]))
    return None


def detect_wall(
    html: str,
    text: str,
    *,
    status: int = 200,
    final_url: str = "",
    title: str | None = None,
) -> Wall | None:
    """Is this page (its ``html``, its extracted ``text`` and ``title``) a paywall, a consent
    wall or a sign-in page?"""
    if status == 402:
        return Wall("paywall", "HTTP 402 Payment Required")
    host = urlsplit(final_url).hostname or ""
    if _CONSENT_HOST_RE.match(host):
        return Wall("consent", f"redirected to {host}")
    words = _words(text)
    short = words < SHORT_PAGE_WORDS
    if short and _NOT_FREE_RE.search(html):
        m = _PAYWALL_RE.search(text)
        return Wall("paywall", f"'{m.group(0)}'" if m else "marked as not free to read")
    for kind, pattern in (("paywall", _PAYWALL_RE), ("consent", _CONSENT_RE)):
        share, first = _share(pattern, text)
        if first is None:
            continue
        # a prompt on a short page, or prompts making up a good part of the text
        if (short and (words < 80 or share >= 0.1)) or share >= 0.3:
            return Wall(kind, f"'{first}'")
    if not text.strip():
        for kind, pattern in (("paywall", _PAYWALL_RE), ("consent", _CONSENT_RE)):
            m = pattern.search(re.sub(r"<[^>]+>", " ", html))
            if m:
                return Wall(kind, f"'{m.group(0)}'")
    return detect_signin(html, text, title)
