"""The analysts' page of a status-report round's initiatives over time: how their stages moved
since the round before, for the nation, per development area and per region."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from naravard.accounts.permissions import analyst_view
from naravard.analysis import transitions
from naravard.collect import initiatives, statusreport
from naravard.collect.models import Round
from naravard.core.language import current
from naravard.presentation import charts
from naravard.refdata.models import Region


def matrix_view(
    m: transitions.Matrix,
    stage_labels: dict[str, str],
    key: str,
    caption: str,
    chart: bool = False,
) -> dict:
    """What a page shows of one matrix: its table and, if asked, its chart (the same
    numbers)."""
    header, rows = transitions.table(m, stage_labels)
    cells = transitions.cells(m, stage_labels)
    return {
        "key": key,
        "caption": caption,
        "header": header,
        "rows": rows,
        "spec": charts.transition_matrix(cells, caption) if chart and cells else None,
        "total": m.total,
    }


def region_rows(result: transitions.Transitions, names: dict[str, str]) -> list[list]:
    """Per region: its initiatives in the round before, where they went, and its new ones."""
    missing: dict[str, int] = {}
    for code, _initiative in result.following.missing:
        missing[code] = missing.get(code, 0) + 1
    out = []
    for code in result.following.regions:
        m = result.by_region.get(code) or transitions.Matrix(result.nation.stages)
        moved = m.moved()
        out.append(
            [
                names.get(code, code),
                m.followed,
                moved["forward"],
                moved["same"],
                moved["back"],
                moved[statusreport.ENDED],
                moved[statusreport.MERGED],
                moved[statusreport.NEW],
                missing.get(code, 0),
            ]
        )
    return out


@analyst_view
def round_initiatives(request, round_id: int):
    """A status-report round's initiatives against the round before: the nation's transition
    matrix as a chart and a table, one matrix per development area and per region, and a
    summary per region."""
    rnd = get_object_or_404(Round, pk=round_id)
    following = initiatives.follow(rnd)
    context: dict = {"round": rnd, "following": following}
    if following is not None:
        lang = current()
        stage_field = statusreport.stage_field(rnd.form)
        area_field = statusreport.area_field(rnd.form)
        assert stage_field is not None and area_field is not None, "checked by naravard.E022"
        stage_labels = {c.code: c.text[lang] for c in stage_field.choices}
        result = transitions.transitions(following, stage_field.codes)
        names = dict(Region.objects.values_list("code", "name"))
        context |= {
            "result": result,
            "nation": matrix_view(
                result.nation,
                stage_labels,
                "riket",
                _("Riket: insatsernas skeden i %(before)s och i %(now)s")
                % {"before": following.previous.title, "now": rnd.title},
                chart=True,
            ),
            "areas": [
                matrix_view(
                    m,
                    stage_labels,
                    f"omrade-{code}",
                    _("%(area)s: insatsernas skeden")
                    % {"area": area_field.choice_text(code, lang)},
                )
                for code, m in result.by_area.items()
            ],
            "regions": [
                matrix_view(
                    m,
                    stage_labels,
                    f"region-{code}",
                    _("%(region)s: insatsernas skeden") % {"region": names.get(code, code)},
                )
                for code, m in result.by_region.items()
            ],
            "region_header": [
                _("Region"),
                _("Insatser i förra rapporten"),
                _("Till ett senare skede"),
                _("Samma skede"),
                _("Till ett tidigare skede"),
                _("Avslutade"),
                _("Sammanslagna"),
                _("Nya"),
                _("Saknas i svaret"),
            ],
            "region_rows": region_rows(result, names),
        }
    return render(request, "workspace/round_initiatives.html", context)
