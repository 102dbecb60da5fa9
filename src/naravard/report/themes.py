"""What the report says of the coded material, in words: per theme of the coding frame who
raises it and at which stages its coded initiatives stand, and per region the themes its
status report raises. The numbers come from :func:`naravard.qualitative.picture
.national_picture`; :class:`~naravard.report.content.Builder` puts the sentences, the quotes
and the fact boxes in its blocks (``Prose``, ``Quote``, ``FactBox`` in report/content.py).

A theme's block goes in the chapters of the outline that name the theme (``themes:``); the
themes no chapter names go in a chapter of their own, :data:`OWN_CHAPTER`, after the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from naravard.analysis.wording import names_listed
from naravard.qualitative.picture import ThemePicture

OWN_CHAPTER = "teman"  # the key of the chapter of the themes no chapter names
MAX_NAMED = 12  # more municipalities than this are counted, not named (the coding pages name them)


def own_chapter_title() -> str:
    return _("Teman i regionernas rapporter")


def shown(t: ThemePicture) -> bool:
    """Does the theme get a block: someone raises it, or an analyst wrote a fact box?"""
    return t.raised or bool(t.examples)


def unplaced(pictures: Iterable[ThemePicture], named: Iterable[str]) -> list[ThemePicture]:
    """The shown themes that no chapter names (``named``: the themes the chapters name)."""
    named = set(named)
    return [t for t in pictures if shown(t) and t.theme.id not in named]


def theme_sentences(t: ThemePicture, n_regions: int, n_municipalities: int) -> list[str]:
    """Who raises the theme ("5 av 21 regioner tar upp temat …: A, B och C."), which
    municipalities, and the stages of its coded initiatives as the regions reported them."""
    out = [
        ngettext(
            "%(r)d av %(n)d regioner tar upp temat i nulägesrapporten: %(names)s.",
            "%(r)d av %(n)d regioner tar upp temat i nulägesrapporterna: %(names)s.",
            len(t.regions),
        )
        % {"r": len(t.regions), "n": n_regions, "names": names_listed([r.name for r in t.regions])}
        if t.regions
        else _("Ingen region tar upp temat i nulägesrapporterna."),
        _municipalities(t, n_municipalities),
    ]
    if t.initiatives:
        out.append(
            ngettext(
                "%(n)d kodad insats under temat, i det skede regionen angav: %(stages)s.",
                "%(n)d kodade insatser under temat, i det skede regionen angav: %(stages)s.",
                t.initiatives,
            )
            % {
                "n": t.initiatives,
                "stages": ", ".join(f"{name.lower()} {n}" for _code, name, n in t.stages if n),
            }
        )
    return out


def _municipalities(t: ThemePicture, n_municipalities: int) -> str:
    """Which municipalities raise the theme: named up to :data:`MAX_NAMED`, beyond that
    counted with the number of counties they are in."""
    m = t.municipalities
    if not m:
        return _("Ingen kommun tar upp temat i enkätens fritextsvar.")
    if len(m) > MAX_NAMED:
        return _(
            "%(m)d av %(n)d kommuner tar upp temat i enkätens fritextsvar, i %(c)d av länen."
        ) % {"m": len(m), "n": n_municipalities, "c": len({x.region_id for x in m})}
    return _("%(m)d av %(n)d kommuner tar upp temat i enkätens fritextsvar: %(names)s.") % {
        "m": len(m),
        "n": n_municipalities,
        "names": names_listed([x.name for x in m]),
    }


def region_raises(pictures: Iterable[ThemePicture], region_code: str) -> list[ThemePicture]:
    """The themes the region's own texts raise, in the frame's order."""
    return [t for t in pictures if any(r.code == region_code for r in t.regions)]


def region_sentence(raised: Sequence[ThemePicture], name: str) -> str:
    """ "Region X tar upp mobila team, psykisk ohälsa och samverkan i nulägesrapporten." """
    return _("%(name)s tar upp %(themes)s i nulägesrapporten.") % {
        "name": name,
        "themes": names_listed([t.name[:1].lower() + t.name[1:] for t in raised]),
    }
