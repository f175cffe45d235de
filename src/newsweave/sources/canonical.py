"""URL canonicalisation: the same article reached through two URLs gets one key.

General rules only: lower-case scheme and host, no default port, no fragment, no tracking
parameters (``utm_*``, click ids, share and referral markers), the remaining parameters sorted,
no trailing slash; AMP variants (``/amp``, ``.amp.html``, ``?amp=1``, ``amp.`` hosts, AMP-cache
URLs) and mobile hosts (``m.``, ``mobile.``) become the plain page; ``www.`` is dropped.
The canonical form is a key: it is not promised to resolve.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["canonical_url", "is_http_url", "same_site", "site_of"]

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "mtm_", "at_", "hsa_", "_hs", "vero_", "oly_")
_TRACKING = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
        "li_fat_id", "wbraid", "gbraid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref",
        "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ocid", "smid",
        "smtyp", "share", "shared", "s_cid", "s_kwcid", "guccounter", "guce_referrer",
        "guce_referrer_sig", "ito", "itm_source", "itm_medium", "itm_campaign", "ncid", "sr_share",
        "soc_src", "soc_trk", "spm", "trk", "trkid", "xtor", "wt.mc_id",
        "__twitter_impression", "rss", "rssfeed",
    }
)  # fmt: skip
# query values that ask for the AMP or mobile rendering of the same page
_VARIANT_PARAMS = frozenset({"amp", "amp_js_v", "usqp", "outputtype"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_VARIANT_HOST_RE = re.compile(r"^(?:www\d*|m|mobile|amp|mobil)\.(?=[^.]+\.)", re.IGNORECASE)
_AMP_CACHE_RE = re.compile(r"(?:^|\.)cdn\.ampproject\.org$|^amp\.[^.]+\.google\.", re.IGNORECASE)
_AMP_PATH_RE = re.compile(r"(?:/amp/?$|/amp(?=/)|\.amp(?=\.html?$)|\.amp$)", re.IGNORECASE)


def is_http_url(text: str) -> bool:
    """Does ``text`` look like an http(s) URL (as opposed to a file path)?"""
    return bool(re.match(r"^https?://[^\s/]", text.strip(), re.IGNORECASE))


def site_of(url: str) -> str:
    """The host of a URL without ``www.``, mobile or AMP prefixes and without a port."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    while True:
        stripped = _VARIANT_HOST_RE.sub("", host, count=1)
        if stripped == host:
            return host
        host = stripped


def same_site(a: str, b: str) -> bool:
    """Do two URLs belong to the same site (after removing www, mobile and AMP prefixes)?"""
    sa, sb = site_of(a), site_of(b)
    return bool(sa) and (sa == sb or sa.endswith("." + sb) or sb.endswith("." + sa))


def _from_amp_cache(parts: tuple[str, str, str, str, str]) -> str | None:
    """``https://host-name.cdn.ampproject.org/c/s/host.name/path`` -> ``https://host.name/path``."""
    _scheme, netloc, path, query, _fragment = parts
    if not _AMP_CACHE_RE.search(netloc.split(":")[0]):
        return None
    m = re.match(r"^/(?:[a-z]/)+(s/)?([^/]+)(/.*)?$", path)
    if not m:
        return None
    scheme = "https" if m.group(1) else "http"
    rest = m.group(3) or "/"
    return urlunsplit((scheme, m.group(2), rest, query, ""))


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in _TRACKING or low.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The canonical form of an http(s) URL (other strings come back stripped, unchanged)."""
    url = url.strip()
    if not is_http_url(url):
        return url
    parts = urlsplit(url)
    unwrapped = _from_amp_cache((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    if unwrapped:
        parts = urlsplit(unwrapped)
    scheme = parts.scheme.lower()
    host = site_of(urlunsplit(parts))
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if scheme == "http" and port in (None, 80):
        scheme = "https"  # the same page over http and https is one article
    path = quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=-._~%")
    path = _AMP_PATH_RE.sub("", path) or "/"
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(k) and k.lower() not in _VARIANT_PARAMS
    ]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))
