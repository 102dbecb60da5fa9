"""System checks of the public cache against the URLs of the site (naravard.E010–E011).

Every URL is either cached as public or says why not, both in :mod:`naravard.site.caching`;
the checks walk ``get_resolver().url_patterns`` (the language prefix of ``i18n_patterns``
counts as nothing: the cache strips it) down to the literal beginning of every URL.
Registered in :class:`naravard.site.apps.SiteConfig`; see :mod:`naravard.core.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.checks import CheckMessage
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from naravard.core.checks import error
from naravard.site import caching

URL_UNDECIDED = 10
DECISION_UNUSED = 11
CACHING_FILE = "src/naravard/site/caching.py"
REGEX_SPECIAL = set(".^$*+?{}[]\\|()")
OPTIONAL = set("?*{")  # the character before one of these may be absent


@dataclass(frozen=True)
class UrlStart:
    """The literal beginning of some URLs ('/statistik/'); ``whole`` if it is the whole URL."""

    start: str
    whole: bool


def _literal(pattern) -> tuple[str, bool]:
    """The literal beginning of a URL pattern, and whether it is the whole pattern."""
    if isinstance(pattern, LocalePrefixPattern):
        return "", True
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        head, _sep, _rest = route.partition("<")
        return head, head == route
    if isinstance(pattern, RegexPattern):
        regex = str(pattern).removeprefix("^")
        for i, char in enumerate(regex):
            if char in REGEX_SPECIAL:
                whole = char == "$" and i == len(regex) - 1
                return regex[: i - 1 if char in OPTIONAL and i else i], whole
        return regex, False  # no "$": the pattern matches longer URLs too
    return "", False  # another kind of pattern: only its parents' beginning is known


def url_starts(patterns=None, prefix: str = "/") -> list[UrlStart]:
    """The literal beginning of every URL of the site, from the root URLconf down."""
    out = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        literal, whole = _literal(entry.pattern)
        if isinstance(entry, URLResolver) and whole:
            out += url_starts(entry.url_patterns, prefix + literal)
        else:
            out.append(UrlStart(prefix + literal, whole and not isinstance(entry, URLResolver)))
    return out


def urls_decided(app_configs=None, **kwargs) -> list[CheckMessage]:
    """naravard.E010: every URL of the site is cached as public or says why not."""
    undecided = sorted(
        {u.start for u in url_starts() if caching.caching_decision(u.start, u.whole) is None}
    )
    return [
        error(
            URL_UNDECIDED,
            f"URLs starting {start!r} are neither cached as public nor say why not.",
            f"Add its prefix to PUBLIC_PAGE_PREFIXES or PUBLIC_API_PREFIXES, or to NOT_CACHED "
            f"with the reason, in {CACHING_FILE}.",
            obj=start,
        )
        for start in undecided
    ]


def decisions_used(app_configs=None, **kwargs) -> list[CheckMessage]:
    """naravard.E011: every prefix the cache decides on begins some URL of the site."""
    starts = url_starts()
    prefixes = (*caching.PUBLIC_API_PREFIXES, *caching.PUBLIC_PAGE_PREFIXES, *caching.NOT_CACHED)
    unused = [p for p in prefixes if not any(_begins(p, u) for u in starts)]
    unused += [p for p in caching.PUBLIC_PAGES if UrlStart(p, True) not in starts]
    return [
        error(
            DECISION_UNUSED,
            f"The public cache decides on {prefix!r}, but no URL of the site starts so.",
            f"Remove {prefix!r} from {CACHING_FILE}, or correct it to the URL's prefix.",
            obj=prefix,
        )
        for prefix in unused
    ]


def _begins(prefix: str, url: UrlStart) -> bool:
    """Could a URL beginning ``url.start`` start with ``prefix``?"""
    if url.whole:
        return url.start.startswith(prefix)
    return url.start.startswith(prefix) or prefix.startswith(url.start)
