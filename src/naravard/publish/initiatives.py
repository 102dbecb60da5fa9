"""A region's initiatives followed over time as the public pages show them: how their stages
moved between two status-report rounds whose results are both published.

The initiative rows of a published round are public already (the region page lists them); the
transitions between two published rounds say nothing the two lists do not, so they are public
too. A round whose round before is not published shows none.
"""

from __future__ import annotations

from dataclasses import dataclass

from naravard.analysis import transitions
from naravard.collect import initiatives, statusreport
from naravard.collect.models import Round
from naravard.core.language import current
from naravard.publish.releases import published_rounds


@dataclass
class RegionTransitions:
    """One region's initiatives in a published round against the published round before."""

    round: Round
    previous: Round
    matrix: transitions.Matrix
    stage_labels: dict[str, str]
    missing: int = 0  # initiatives carried into the response that it no longer has
    spec: dict | None = None  # the page's chart, when drawn

    @property
    def chart_key(self) -> str:
        return str(self.round.pk)

    def table(self) -> tuple[list[str], list[list]]:
        return transitions.table(self.matrix, self.stage_labels)

    def cells(self) -> list[dict]:
        return transitions.cells(self.matrix, self.stage_labels)


def region_transitions(region_code: str) -> list[RegionTransitions]:
    """The region's stage transitions for each published status-report round that follows
    initiatives and whose round before is published too, newest first."""
    published = published_rounds()
    public = {r.pk for r in published}
    lang = current()
    out = []
    for rnd in published:
        if not statusreport.follows_initiatives(rnd.form):
            continue
        following = initiatives.follow(rnd, [region_code])
        if following is None or following.previous.pk not in public or not following.rows:
            continue
        stage_field = statusreport.stage_field(rnd.form)
        assert stage_field is not None, "checked by naravard.E022"
        result = transitions.transitions(following, stage_field.codes)
        out.append(
            RegionTransitions(
                rnd,
                following.previous,
                result.nation,
                {c.code: c.text[lang] for c in stage_field.choices},
                missing=result.missing,
            )
        )
    return out
