"""Public theme pages: one per theme of the coding frame, with the indicators the catalogue
says the theme should move and what the regions and municipalities report doing under it;
and the overview's indicators grouped by theme."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from naravard.catalog.catalogue import Indicator, indicators_for_theme
from naravard.core.language import pick
from naravard.publish.open_data import public_indicators, public_profile
from naravard.qualitative.frame import Code, current_frame
from naravard.qualitative.picture import national_picture
from naravard.report.newest import public_followup

MAX_QUOTES = 12


def first_theme(ind: Indicator) -> Code | None:
    """The indicator's first theme in the catalogue that the coding frame has (where the
    overview shows it), or None."""
    frame = current_frame()
    known = {t.id: t for t in frame.all_themes}
    return next((known[t] for t in ind.themes if t in known), None)


def by_theme(cards: list[dict]) -> list[tuple[Code | None, list[dict]]]:
    """The overview's cards (each with ``ind``) under their indicator's first theme, in the
    frame's order; those without a theme last (None)."""
    placed = {c["ind"].id: first_theme(c["ind"]) for c in cards}
    sections: list[tuple[Code | None, list[dict]]] = []
    for theme in current_frame().themes:
        mine = [c for c in cards if placed[c["ind"].id] == theme]
        if mine:
            sections.append((theme, mine))
    rest = [c for c in cards if placed[c["ind"].id] is None]
    if rest:
        sections.append((None, rest))
    return sections


def theme(request, theme_id: str):
    """One theme: its published indicators with their latest national value, and the regions
    and municipalities whose texts in the newest published follow-up raise it, with the
    stages of their initiatives and the passages analysts marked as quotes."""
    frame = current_frame()
    try:
        code = frame.theme(theme_id)
    except KeyError:
        raise Http404(f"no theme {theme_id!r}") from None
    if code.parent:
        raise Http404(f"{theme_id!r} is a sub-theme")
    published = {pub.indicator.id for pub in public_indicators()}
    indicators = []
    for ind in indicators_for_theme(code.id):
        if ind.id not in published:
            continue
        level = "region" if "region" in ind.levels else "municipality"
        indicators.append(
            {"ind": ind, "name": pick(ind.name), "p": public_profile(ind.id, level=level)}
        )
    followup = public_followup()
    rounds = (
        [r for r in (followup.status_round, followup.survey_round) if r and r.is_published]
        if followup
        else []
    )
    picture = next((t for t in national_picture(rounds) if t.theme.id == code.id), None)
    return render(
        request,
        "site/theme.html",
        {
            "theme": code,
            "name": pick(code.name),
            "indicators": indicators,
            "followup": followup if rounds else None,
            "picture": picture if picture and picture.raised else None,
            "quotes": picture.quotes[:MAX_QUOTES] if picture else [],
            "themes": [(t, pick(t.name)) for t in frame.themes],
        },
    )
