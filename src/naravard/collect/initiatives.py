"""The status report's initiatives followed from round to round.

A status-report form that follows initiatives (:func:`statusreport.follows_initiatives`) gives
each initiative row a stable id. A region's response in such a round starts from the
initiatives of its submitted response in the round before of the series (:func:`prefill`):
each keeps its id (a row of a form without ids gets the one its place gives it,
:mod:`naravard.collect.rowids`), what the region said of it, and "continues"; initiatives that
ended or were merged then are not carried. The region gives each its stage now and whether it
continues, has ended or was merged into another, and may add new ones.

:func:`row_ids` says which ids a response may carry and :func:`findings` what the region must
say of its carried initiatives; :func:`follow` links each initiative of a round to its stage in
the round before, for the analysis of stage transitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from naravard.collect import rowids, statusreport
from naravard.collect.definition import FormDefinition, series_of
from naravard.collect.models import Response, ResponseStatus, Round
from naravard.collect.statusreport import (
    CONTINUATION,
    CONTINUES,
    DESCRIPTION,
    ENDED,
    INITIATIVE_ID,
    INITIATIVES,
    MERGED,
    MERGED_INTO,
    NEW,
    STAGE,
)
from naravard.collect.validation import SUBMIT, Finding, RowIds, Validation
from naravard.refdata.models import Region


def previous_round(rnd: Round) -> Round | None:
    """The round of the same series before ``rnd``: of the latest earlier year, the one
    opened last (forms of a series are named ``<series>-<year>``, naravard.E024)."""
    series = series_of(rnd.form)
    if series is None:
        return None
    earlier = [
        r
        for r in Round.objects.filter(form_id__startswith=f"{series}-").exclude(pk=rnd.pk)
        if r.form_year < rnd.form_year
    ]
    return max(earlier, key=lambda r: (r.form_year, r.opened_at), default=None)


def identified(answers: Mapping[str, Any] | None, org: str, year: int) -> dict[str, dict]:
    """A response's initiatives by id, in their order: a row without an id (a form that gave
    none) gets the one its place gives it in a round of ``year``."""
    out: dict[str, dict] = {}
    for n, row in enumerate(statusreport.initiative_rows(dict(answers or {})), start=1):
        if isinstance(row, dict):
            out[str(row.get(INITIATIVE_ID) or rowids.make(org, year, n))] = row
    return out


@dataclass(frozen=True)
class Before:
    """A region's initiatives in the round before: all of them by id, and those carried into
    the next round (not ended, not merged)."""

    round: Round | None
    rows: dict[str, dict] = field(default_factory=dict)

    @property
    def carried(self) -> dict[str, dict]:
        return {
            i: row for i, row in self.rows.items() if row.get(CONTINUATION) not in (ENDED, MERGED)
        }


def before(response: Response) -> Before:
    """The region's initiatives in its submitted response of the round before (as last
    submitted); none for a form that does not follow initiatives."""
    if response.region_id is None or not statusreport.follows_initiatives(response.round.form):
        return Before(None)
    rnd = previous_round(response.round)
    if rnd is None:
        return Before(None)
    answers = (
        Response.objects.filter(round=rnd, region_id=response.region_id)
        .values_list("submitted_answers", flat=True)
        .first()
    )
    return Before(rnd, identified(answers, response.region_id, rnd.form_year))


def carried_row(form: FormDefinition, row_id: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """An initiative of the round before as the next round's row starts: its id, what it keeps
    (an answer the new form no longer offers is left for the region to give), continuing."""
    group = statusreport.initiatives_group(form)
    assert group is not None, "only a status report that follows initiatives carries them"
    fields = {f.id: f for f in group.fields}
    out: dict[str, Any] = {INITIATIVE_ID: row_id}
    for field_id in statusreport.CARRIED_FIELDS:
        value, f = row.get(field_id), fields.get(field_id)
        if f is None or value in (None, ""):
            continue
        if f.choices and value not in f.codes:
            continue
        out[field_id] = value
    out[CONTINUATION] = CONTINUES
    return out


def prefill(response: Response) -> dict[str, Any]:
    """What a response that nobody has saved yet starts from: the region's initiatives carried
    from the round before (nothing for other responses)."""
    if response.status != ResponseStatus.NOT_STARTED or response.region_id is None:
        return {}
    form = response.round.form
    earlier = before(response)
    if not earlier.carried:
        return {}
    return {
        INITIATIVES: [carried_row(form, i, row) for i, row in earlier.carried.items()],
    }


def starting_answers(response: Response, stored: dict[str, Any]) -> tuple[dict[str, Any], list]:
    """The answers a response is shown with: those stored, and for a response nobody has saved
    yet the initiatives carried from the round before; and which items are carried, not yet
    stored."""
    carried = {k: v for k, v in prefill(response).items() if k not in stored}
    return {**stored, **carried}, sorted(carried)


def row_ids(response: Response, earlier: Before | None = None) -> dict[str, RowIds]:
    """The ids the response's initiatives may carry: those carried from the round before and
    those it was given at an earlier save (for a form that follows initiatives)."""
    if response.region_id is None or not statusreport.follows_initiatives(response.round.form):
        return {}
    earlier = earlier or before(response)
    stored = response.answers.filter(item_id=INITIATIVES).values_list("value", flat=True).first()
    own = {
        str(row[INITIATIVE_ID])
        for row in (stored if isinstance(stored, list) else [])
        if isinstance(row, dict) and row.get(INITIATIVE_ID)
    }
    names = dict(Region.objects.values_list("code", "name"))
    return {
        INITIATIVES: RowIds(response.region_id, frozenset(earlier.carried) | frozenset(own), names)
    }


def findings(
    form: FormDefinition,
    validation: Validation,
    earlier: Before,
    mode: str,
    require: bool = True,
) -> list[Finding]:
    """What the region must say of its initiatives: for each carried from the round before
    whether it continues, has ended or was merged (a new one is not said to continue), that it
    is still there at submit, and that a merge names an initiative that goes on."""
    if not statusreport.follows_initiatives(form) or INITIATIVES not in validation.clean:
        return []
    rows = validation.clean[INITIATIVES]
    numbers = validation.row_numbers.get(INITIATIVES) or list(range(1, len(rows) + 1))
    carried = earlier.carried
    status_of = {row.get(INITIATIVE_ID): row.get(CONTINUATION) for row in rows}
    out = []
    submit = mode == SUBMIT and require
    for number, row in zip(numbers, rows, strict=True):
        status, row_id = row.get(CONTINUATION), row.get(INITIATIVE_ID)
        message = ""
        if row_id in carried:
            if status == NEW:
                message = _(
                    "insatsen fanns i förra nulägesrapporten och är inte ny; ange om den "
                    "fortsätter, har avslutats eller har slagits samman med en annan"
                )
            elif status is None and submit:
                message = _(
                    "ange om insatsen fortsätter, har avslutats eller har slagits samman med "
                    "en annan"
                )
        elif status in (CONTINUES, ENDED, MERGED):
            message = _(
                "anges bara för insatser från förra nulägesrapporten; lämna fältet tomt eller "
                "ange att insatsen är ny"
            )
        if message:
            out.append(Finding(INITIATIVES, message, row=number, field=CONTINUATION))
        target = row.get(MERGED_INTO)
        if target and status_of.get(target) in (ENDED, MERGED):
            out.append(
                Finding(
                    INITIATIVES,
                    _("en insats kan bara slås samman med en insats som fortsätter eller är ny"),
                    row=number,
                    field=MERGED_INTO,
                )
            )
    if submit:
        present = {row.get(INITIATIVE_ID) for row in rows}
        out += [
            Finding(
                INITIATIVES,
                _(
                    "insatsen %(id)s (”%(text)s”) från förra nulägesrapporten saknas; behåll "
                    "raden och ange om den fortsätter, har avslutats eller har slagits samman"
                )
                % {"id": row_id, "text": str(row.get(DESCRIPTION, ""))[:80]},
            )
            for row_id, row in carried.items()
            if row_id not in present
        ]
    return out


# ------------------------------------------------------------------ analysis ---


@dataclass(frozen=True)
class Followed:
    """One initiative of a round beside the round before: its stage then (None: new in this
    round) and now, and whether it continues, ended or was merged."""

    region: str
    initiative: str
    area: str
    stage_before: str | None
    stage: str | None
    status: str  # CONTINUES, ENDED, MERGED or NEW
    merged_into: str | None = None


@dataclass
class Following:
    """A round's initiatives followed from the round before, over the regions that submitted
    in the round (``compared``: those that had submitted in the round before too; the others'
    initiatives are all new). ``missing``: initiatives carried into a response that it no
    longer has."""

    round: Round
    previous: Round
    rows: list[Followed]
    regions: list[str]
    compared: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (region, initiative id)


def follow(rnd: Round, regions: Iterable[str] | None = None) -> Following | None:
    """The initiatives of ``rnd`` (as last submitted) beside those of the round before, for
    every region or ``regions``; None when the round does not follow initiatives or has no
    round before."""
    if not statusreport.follows_initiatives(rnd.form):
        return None
    previous = previous_round(rnd)
    if previous is None:
        return None
    wanted = set(regions) if regions is not None else None
    then = {
        code: identified(answers, code, previous.form_year)
        for code, answers in Response.objects.filter(
            round=previous, submitted_answers__isnull=False
        ).values_list("region_id", "submitted_answers")
        if wanted is None or code in wanted
    }
    out = Following(rnd, previous, [], [])
    now = (
        Response.objects.filter(round=rnd, submitted_answers__isnull=False)
        .order_by("region_id")
        .values_list("region_id", "submitted_answers")
    )
    for code, answers in now:
        if wanted is not None and code not in wanted:
            continue
        out.regions.append(code)
        if code in then:
            out.compared.append(code)
        carried = Before(previous, then.get(code, {})).carried
        rows = identified(answers, code, rnd.form_year)
        for row_id, row in rows.items():
            earlier = carried.get(row_id)
            status = row.get(CONTINUATION) or (CONTINUES if earlier is not None else NEW)
            out.rows.append(
                Followed(
                    code,
                    row_id,
                    str(row.get(statusreport.AREA, "")),
                    str(earlier.get(STAGE)) if earlier is not None else None,
                    row.get(STAGE),
                    status if earlier is not None else NEW,
                    row.get(MERGED_INTO),
                )
            )
        out.missing += [(code, row_id) for row_id in carried if row_id not in rows]
    return out
