"""The values of groups of areas (refdata/groupings.py: the NUTS 2 areas, SKR's municipality
groups), computed from their members' values by the rule the nation follows
(:func:`naravard.analysis.profile.combine`).

A group has a value only when every member has one (never from some of them), and for the
indicator's every sex at the age band "total". Disclosure control holds for the sums too:
every group of every grouping of one period is checked together, against every relation
already published (women and men, age bands, regions and their municipalities, the nation),
and a group's value is shown only where no hidden cell can then be worked out
(:func:`naravard.engine.disclosure.publishable_sums`); a group held back is marked
``suppressed`` and has no value, as an area does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from naravard.analysis.profile import (
    OrgResult,
    StoredValue,
    combine,
    hide_row,
    period_cells,
    with_intervals,
)
from naravard.catalog.catalogue import Indicator
from naravard.engine.disclosure import (
    SEXES,
    CellCounts,
    Relation,
    publishable_sums,
    relations,
    threshold,
)
from naravard.refdata.groupings import Grouping, groupings

TOTAL_AGE = "total"
GroupKey = tuple[str, str, str]  # (grouping id, group code, sex)


def groupings_for(ind: Indicator) -> tuple[Grouping, ...]:
    """The groupings whose members are areas the indicator has values for."""
    return tuple(g for g in groupings() if g.level in ind.levels)


def group_results(
    ind: Indicator, period: str, period_values: Sequence[StoredValue], hidden: set
) -> Mapping[GroupKey, OrgResult]:
    """Every group's result of one period, by (grouping, group, sex): the value with its
    numerator, denominator and intervals, or ``suppressed``. ``period_values`` are all the
    period's values (every level, sex and age band); ``hidden`` the cells disclosure
    control hides among them (:func:`naravard.analysis.profile.hidden_cells`). A group
    without a value (a member lacks one, or the indicator does not add up) is left out."""
    found = {(v.org_code, v.sex, v.age_band): v for v in period_values if v.age_band == TOTAL_AGE}
    results: dict[GroupKey, OrgResult] = {}
    sums: list[tuple[Relation, CellCounts]] = []
    among_sums: list[Relation] = []  # each group's women and men against its total
    for grouping in groupings_for(ind):
        for group in grouping.groups:
            cell = f"{grouping.id}:{group.code}"  # never an area's code
            for sex in SEXES:
                members = [found.get((m, sex, TOTAL_AGE)) for m in group.members]
                if any(v is None for v in members):
                    continue
                rows = [
                    OrgResult(
                        v.org_code, v.org_code, period, sex, v.value, v.numerator, v.denominator
                    )
                    for v in members
                    if v is not None
                ]
                combined = combine(ind, rows)
                if combined is None:
                    continue
                value, numerator, denominator = combined
                results[(grouping.id, group.code, sex)] = OrgResult(
                    group.code, group.code, period, sex, value, numerator, denominator
                )
                parts = tuple((m, sex, TOTAL_AGE) for m in group.members)
                sums.append(
                    (Relation((cell, sex, TOTAL_AGE), parts), CellCounts(numerator, denominator))
                )
            if all((grouping.id, group.code, s) in results for s in SEXES):
                among_sums.append(
                    Relation(
                        (cell, "T", TOTAL_AGE), ((cell, "K", TOTAL_AGE), (cell, "M", TOTAL_AGE))
                    )
                )
    if ind.min_cell is not None and sums:
        cells = period_cells(ind, period_values)
        shown = publishable_sums(
            relations(cells) + among_sums, hidden, sums, threshold(ind.min_cell), ind.is_share
        )
        for (grouping_id, code, sex), row in results.items():
            if (f"{grouping_id}:{code}", sex, TOTAL_AGE) not in shown:
                hide_row(row)
    for row in results.values():
        with_intervals(ind, row)
    return MappingProxyType(results)
