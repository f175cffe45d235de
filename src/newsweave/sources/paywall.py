"""Recognise paywall and consent pages, so their text is never stored as an article.

General signals only: HTTP 402; a redirect to a consent host; structured data marking the page
as not free (``isAccessibleForFree: false``) when little text is visible; and the wording of
subscription prompts and cookie walls when it makes up a page with little else on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsweave.errors import InputError

__all__ = ["Wall", "WallPage", "detect_wall"]

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


@dataclass
class Wall:
    kind: str  # "paywall" | "consent"
    evidence: str  # what gave it away, as a short phrase


class WallPage(InputError):
    """A paywall or consent page: reported, never stored."""

    def __init__(self, where: str, wall: Wall) -> None:
        what = "a paywall" if wall.kind == "paywall" else "a consent (cookie) wall"
        super().__init__(where, f"{what} ({wall.evidence}); its text is not stored")
        self.wall = wall


def _words(text: str) -> int:
    return len(text.split())


def _share(pattern: re.Pattern[str], text: str) -> tuple[float, str | None]:
    """Share of the text's lines that match, and the first match."""
    lines = [line for line in text.splitlines() if line.strip()]
    hits = [m.group(0) for line in lines if (m := pattern.search(line))]
    if not lines:
        return 0.0, None
    return len(hits) / len(lines), (hits[0] if hits else None)


def detect_wall(html: str, text: str, *, status: int = 200, final_url: str = "") -> Wall | None:
    """Is this page (its ``html`` and its extracted ``text``) a paywall or a consent wall?"""
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
    return None
