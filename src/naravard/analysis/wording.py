"""How an analysed result is put in words, the same on the pages and in the report."""

from __future__ import annotations

from django.utils.translation import gettext as _

from naravard.core.dates import period_label


def vs_national(row) -> str:
    """'better', 'worse' or 'similar' than the nation ('' when not compared)."""
    return versus(getattr(row, "vs_national", None))


def versus(judgement: str | None) -> str:
    """A judgement against the nation in words: better, worse or similar, or higher or lower
    for an indicator where neither direction is better ('' for none)."""
    return {
        "better": _("bättre"),
        "worse": _("sämre"),
        "similar": _("likvärdig"),
        "higher": _("högre"),
        "lower": _("lägre"),
    }.get(judgement or "", "")


def target_status(row, target) -> str:
    """Reached the target (sure at 95 %), not reached, or uncertain ('' without a target or
    a value)."""
    if not target or row is None or row.value is None:
        return ""
    return {True: _("nått"), False: _("inte nått")}.get(row.target_reached, _("osäkert"))


def turn(t) -> str:
    """A turn of the whole series in words ('ökade 2019–2021 och minskade därefter'), ''
    when the series does not turn (see :mod:`naravard.analysis.turning`)."""
    found = getattr(t, "turn", None)
    if found is None or not found.turns:
        return ""
    sentences = {
        ("increasing", "decreasing"): _("ökade %(start)s–%(turn)s och minskade därefter"),
        ("decreasing", "increasing"): _("minskade %(start)s–%(turn)s och ökade därefter"),
        ("increasing", "flat"): _("ökade %(start)s–%(turn)s, därefter ingen säker förändring"),
        ("decreasing", "flat"): _("minskade %(start)s–%(turn)s, därefter ingen säker förändring"),
        ("flat", "increasing"): _("ingen säker förändring %(start)s–%(turn)s, ökade därefter"),
        ("flat", "decreasing"): _("ingen säker förändring %(start)s–%(turn)s, minskade därefter"),
    }
    return sentences[(found.before.direction, found.after.direction)] % {
        "start": period_label(found.before.start),
        "turn": period_label(found.period),
    }


def trend(row) -> str:
    """The trend in words: the turn of the whole series when it turns, otherwise the test
    over the last points; '–' with too few points, '' when there is none. A trend taken from
    a break in the series on says so (:func:`since_break`)."""
    t = getattr(row, "trend", None)
    if t is None:
        return ""
    words = turn(t) or {
        "not_enough_points": "–",
        "increasing": _("ökar"),
        "decreasing": _("minskar"),
    }.get(t.direction, _("ingen säker förändring"))
    return since_break(row, words)


def since_break(row, words: str) -> str:
    """A trend's ``words`` said to hold from the break in the series it starts at (the row's
    ``trend_since``, see catalog/breaks.py): 'ökar sedan tidsseriebrottet 2021', and 'för få
    värden sedan tidsseriebrottet 2021' instead of '–'."""
    brk = getattr(row, "trend_since", None)
    if brk is None or not words:
        return words
    when = {"period": period_label(brk.period)}
    if words == "–":
        return _("för få värden sedan tidsseriebrottet %(period)s") % when
    if turn(row.trend):
        return _("%(trend)s (sedan tidsseriebrottet %(period)s)") % {"trend": words, **when}
    return _("%(trend)s sedan tidsseriebrottet %(period)s") % {"trend": words, **when}


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


def names_listed(names) -> str:
    """Names as a sentence lists them: 'A', 'A och B', 'A, B och C' (English 'A and B')."""
    names = [str(n) for n in names]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + _(" och ") + names[-1]
