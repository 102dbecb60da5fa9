"""The values of groups of areas (refdata/groupings.py: the NUTS 2 areas, SKR's municipality
groups), computed from their members' values by the rule the nation follows
(:func:`naravard.analysis.profile.combine`).

A group has a value only when every member has one (never from some of them), for each
sex at the age band "total". Disclosure control holds for the sums too: a group's value is
shown only when none of its members' values is hidden, so that it tells nothing the members
do not already tell (a group's sum less its shown members would otherwise give away what
disclosure control hid, and two groupings or a region's sum could be combined to the same
end). A group held back is marked ``suppressed`` and has no value, as an area is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from naravard.analysis.profile import (
    OrgResult,
    StoredValue,
    combine,
    hide_row,
    with_intervals,
)
from naravard.catalog.catalogue import Indicator
from naravard.engine.disclosure import SEXES
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
    numerator, denominator and intervals, or ``suppressed``. ``period_values`` are the
    period's values (every level, sex and age band); ``hidden`` the cells disclosure control
    hides among them (:func:`naravard.analysis.profile.hidden_cells`). A group without a
    value (a member lacks one, or the indicator does not add up) is left out."""
    found = {(v.org_code, v.sex, v.age_band): v for v in period_values if v.age_band == TOTAL_AGE}
    results: dict[GroupKey, OrgResult] = {}
    for grouping in groupings_for(ind):
        for group in grouping.groups:
            for sex in SEXES:
                keys = [(m, sex, TOTAL_AGE) for m in group.members]
                members = [found[key] for key in keys if key in found]
                if len(members) < len(keys):
                    continue
                rows = [
                    OrgResult(
                        v.org_code, v.org_code, period, sex, v.value, v.numerator, v.denominator
                    )
                    for v in members
                ]
                combined = combine(ind, rows)
                if combined is None:
                    continue
                row = OrgResult(group.code, group.code, period, sex, *combined)
                if any(key in hidden for key in keys):
                    hide_row(row)
                results[(grouping.id, group.code, sex)] = with_intervals(ind, row)
    return MappingProxyType(results)
