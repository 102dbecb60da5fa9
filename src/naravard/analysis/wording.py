"""How an analysed result is put in words, the same on the pages and in the report."""

from __future__ import annotations

from django.utils.translation import gettext as _


def vs_national(row) -> str:
    """'better', 'worse' or 'similar' than the nation ('' when not compared)."""
    return {"better": _("bättre"), "worse": _("sämre"), "similar": _("likvärdig")}.get(
        getattr(row, "vs_national", None) or "", ""
    )


def target_status(row, target) -> str:
    """Reached the target (sure at 95 %), not reached, or uncertain ('' without a target or
    a value)."""
    if not target or row is None or row.value is None:
        return ""
    return {True: _("nått"), False: _("inte nått")}.get(row.target_reached, _("osäkert"))


def trend(row) -> str:
    """The trend test's result in words; '–' with too few points, '' when there is none."""
    t = getattr(row, "trend", None)
    if t is None:
        return ""
    return {"not_enough_points": "–", "increasing": _("ökar"), "decreasing": _("minskar")}.get(
        t.direction, _("ingen säker förändring")
    )


def assessment(row) -> str:
    """'Bättre än riket; trenden: ökar.' (what is known of the two)."""
    compared = {
        "better": _("Bättre än riket"),
        "worse": _("Sämre än riket"),
        "similar": _("I nivå med riket"),
    }.get(getattr(row, "vs_national", None) or "")
    words_trend = trend(row)
    parts = [compared] if compared else []
    if words_trend and words_trend != "–":
        parts.append(_("trenden: %(trend)s") % {"trend": words_trend})
    words = "; ".join(parts)
    return words[:1].upper() + words[1:] + "." if words else ""
