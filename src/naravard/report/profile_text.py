"""The opening paragraph of a region's profile, written from its data: the targets it reached
and did not, where it differs significantly from the nation, its initiatives by stage, and the
themes its status report raises. Three to five sentences in the active language, the same for
the same store; numbers as the report prints them (:func:`naravard.presentation.charts.number`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from naravard.analysis.wording import names_listed
from naravard.catalog import units
from naravard.catalog.catalogue import Indicator
from naravard.collect import statusreport
from naravard.core.language import pick
from naravard.presentation import charts
from naravard.qualitative import link
from naravard.refdata.models import Region

if TYPE_CHECKING:
    from naravard.analysis.profile import OrgResult, Profile
    from naravard.report.content import Builder


class Opening(NamedTuple):
    """The paragraph, and its part that is the region's own: without the comparison with the
    nation, which another region's correction may change (what the region's approval covers,
    report/factcheck.py)."""

    text: str
    own: str

    def __bool__(self) -> bool:
        return bool(self.text)


def opening(builder: Builder, region: Region) -> Opening:
    """The profile's first paragraph (empty when the store says nothing of the region)."""
    rows = _own_rows(builder, region)
    own = [*_targets(rows), _initiatives(builder, region), _themes(builder, region)]
    versus = _versus(rows)
    sentences = [*own[:-2], versus, *own[-2:]]
    return Opening(" ".join(s for s in sentences if s), " ".join(s for s in own if s))


def _own_rows(builder: Builder, region: Region) -> list[tuple[Indicator, Profile, OrgResult]]:
    """Each indicator of the report with the region's latest value, in the report's order."""
    out = []
    for ind in builder.indicators:
        p = builder.latest(ind.id)
        row = next((r for r in p.rows if r.org == region.code), None) if p else None
        if p is not None and row is not None and row.value is not None and not row.suppressed:
            out.append((ind, p, row))
    return out


def _name(ind: Indicator) -> str:
    name = pick(ind.name)
    return name[:1].lower() + name[1:]


def value_text(value: float | None, unit: str) -> str:
    """'78,4 %', '1 502 per 100 000 invånare', '0,63' (a unit written after its value)."""
    shown = charts.number(value, charts.decimals(unit))
    return f"{shown} {charts.unit_label(unit)}" if units.UNITS[unit].after_value else shown


def _targets(rows: list[tuple[Indicator, Profile, OrgResult]]) -> list[str]:
    """'X har nått målet för 2 av 3 indikatorer med mål: a och b.' and the ones not reached,
    with the value and the target."""
    with_target = [(ind, p, row) for ind, p, row in rows if p.target is not None]
    if not with_target:
        return []
    reached = [ind for ind, _p, row in with_target if row.target_reached is True]
    missed = [(ind, p, row) for ind, p, row in with_target if row.target_reached is False]
    unsure = [ind for ind, _p, row in with_target if row.target_reached is None]
    n = len(with_target)
    first = (
        ngettext(
            "Regionen har nått målet för %(r)d av %(n)d indikator med mål: %(names)s.",
            "Regionen har nått målet för %(r)d av %(n)d indikatorer med mål: %(names)s.",
            n,
        )
        % {"r": len(reached), "n": n, "names": names_listed([_name(i) for i in reached])}
        if reached
        else ngettext(
            "Regionen har inte säkert nått målet för den indikator som har ett mål.",
            "Regionen har inte säkert nått målet för någon av de %(n)d indikatorer som har mål.",
            n,
        )
        % {"n": n}
    )
    out = [first]
    if missed:
        out.append(
            _("Målet är inte nått för %(items)s.")
            % {
                "items": names_listed(
                    [
                        _("%(name)s (%(value)s; målet är %(target)s)")
                        % {
                            "name": _name(ind),
                            "value": value_text(row.value, ind.unit),
                            "target": charts.target_text(p.target, ind.unit),
                        }
                        for ind, p, row in missed
                    ]
                )
            }
        )
    if unsure and reached:
        out[-1] = out[-1][:-1] + (
            _("; för %(names)s går det inte att säga säkert.")
            % {"names": names_listed([_name(i) for i in unsure])}
        )
    return out


def _versus(rows: list[tuple[Indicator, Profile, OrgResult]]) -> str:
    """Where the region differs significantly from the nation, with both values."""
    compared = [(ind, p, row) for ind, p, row in rows if row.vs_national]

    def items(judgements: tuple[str, ...]) -> list[str]:
        return [
            _("%(name)s (%(value)s mot rikets %(national)s)")
            % {
                "name": _name(ind),
                "value": value_text(row.value, ind.unit),
                "national": value_text(p.national.value if p.national else None, ind.unit),
            }
            for ind, p, row in compared
            if row.vs_national in judgements
        ]

    better, worse = items(("better",)), items(("worse",))
    higher, lower = items(("higher",)), items(("lower",))
    parts = []
    if better:
        parts.append(_("bättre för %(items)s") % {"items": names_listed(better)})
    if worse:
        parts.append(_("sämre för %(items)s") % {"items": names_listed(worse)})
    if higher:
        parts.append(_("högre för %(items)s") % {"items": names_listed(higher)})
    if lower:
        parts.append(_("lägre för %(items)s") % {"items": names_listed(lower)})
    if parts:
        return _("Jämfört med riket ligger regionen signifikant %(parts)s.") % {
            "parts": names_listed(parts)
        }
    if compared:
        return ngettext(
            "Regionen skiljer sig inte signifikant från riket på den indikator som jämförs.",
            "Regionen skiljer sig inte signifikant från riket på någon av de %(n)d indikatorer "
            "som jämförs.",
            len(compared),
        ) % {"n": len(compared)}
    return ""


def _initiatives(builder: Builder, region: Region) -> str:
    """How many initiatives the status report describes, in how many areas, by stage."""
    rnd = builder.f.status_round
    if rnd is None:
        return ""
    rows = builder.initiatives.get(region.code)
    if rows is None:
        return _("Regionen har inte lämnat någon nulägesrapport.")
    if not rows:
        return _("Regionens nulägesrapport beskriver inga insatser.")
    areas = {r.get(statusreport.AREA) for r in rows if r.get(statusreport.AREA)}
    counts = [
        (label, sum(r.get(statusreport.STAGE) == code for r in rows))
        for code, label in builder._stages()
    ]
    stages = [
        f"{label[:1].lower() + label[1:]} ({charts.number(n, 0)})" for label, n in counts if n
    ]
    sentence = ngettext(
        "Nulägesrapporten beskriver %(n)d insats",
        "Nulägesrapporten beskriver %(n)d insatser",
        len(rows),
    ) % {"n": len(rows)} + ngettext(
        " inom %(a)d utvecklingsområde", " inom %(a)d utvecklingsområden", len(areas)
    ) % {"a": len(areas)}
    if stages:
        sentence += _(", i skedena %(stages)s") % {"stages": names_listed(stages)}
    return sentence + "."


def _themes(builder: Builder, region: Region) -> str:
    """How many of the frame's themes the analysts coded in the region's status report, and
    the (at most two) with the most coded passages, the frame's order breaking ties."""
    if builder.f.status_round is None:
        return ""
    raised = link.region_themes(region.code, builder.f.status_round_id)
    if not raised:
        return ""
    most = sorted(raised, key=lambda t: -len(t.passages))[:2]  # sorted() keeps ties in order
    return ngettext(
        "Analytikernas kodning finner %(r)d av kodningsramens %(n)d tema i "
        "nulägesrapporten, flest passager om %(most)s.",
        "Analytikernas kodning finner %(r)d av kodningsramens %(n)d teman i "
        "nulägesrapporten, flest passager om %(most)s.",
        len(builder.pictures),
    ) % {
        "r": len(raised),
        "n": len(builder.pictures),
        "most": names_listed(
            [f"{t.name[:1].lower()}{t.name[1:]} ({len(t.passages)})" for t in most]
        ),
    }
