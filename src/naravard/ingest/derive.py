"""Indicators computed from other stored data: per 100 000 residents (or per resident), fixed
prices, a share of two imported amounts (less a third, e.g. targeted state grants), survey shares.

Each derivation goes through the same plan-and-store step as an import, so it
keeps history, records provenance and changes nothing when run twice.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from naravard.catalog.catalogue import Indicator, catalogue, derived_inputs
from naravard.catalog.survey import counted_in
from naravard.collect.definition import FormDefinition, series_of
from naravard.collect.results import clean_submitted
from naravard.ingest.models import NATION, IndicatorValue
from naravard.ingest.store import Observation, store_observations
from naravard.refdata.models import Population

if TYPE_CHECKING:
    from naravard.ingest.store import Plan


def _population_year(period: str, available: list[int], *, year_end: bool = False) -> int | None:
    """Population at the end of the year before the period, or with ``year_end`` at the end of
    the period's own year (the latest available by then)."""
    wanted = int(period[:4]) - (0 if year_end else 1)
    earlier = [y for y in available if y <= wanted]
    return max(earlier) if earlier else None


def _store_derived(observations, *, actor: str, user, note: str) -> int:
    plan, _batch = store_observations(
        observations, kind="derived", actor=actor, user=user, note=note
    )
    return plan.added + plan.changed


def derive_per_population(target: Indicator, *, actor: str, user=None) -> int:
    """target = source × the unit's scale (100 000, or 1 per resident) / population at the
    previous year end (``population_at: year_end``: at the end of the value's year), per region
    and municipality."""

    source_id = target.derived_from["numerator"]
    year_end = target.derived_from.get("population_at") == "year_end"
    population: dict[tuple[str, int], int] = {}
    for code_r, code_m, year, value in Population.objects.filter(
        sex="total", age_band="total"
    ).values_list("region_id", "municipality_id", "year", "population"):
        population[(code_r or code_m, year)] = value
    years = sorted({y for _, y in population})
    out, used = [], set()
    for v in IndicatorValue.objects.filter(
        indicator_id=source_id, is_current=True, sex="T", age_band="total"
    ):
        if v.org_code == NATION or v.value is None:
            continue
        pop_year = _population_year(v.period, years, year_end=year_end)
        pop = population.get((v.org_code, pop_year)) if pop_year else None
        if pop_year is None or not pop:
            continue
        used.add(pop_year)
        out.append(
            Observation(
                0,
                target,
                v.org_code,
                v.period,
                "T",
                target.scale * v.value / pop,
                v.value,
                float(pop),
            )
        )
    times = "" if target.scale == 1 else f" × {target.scale:,.0f}".replace(",", " ")
    note = f"{source_id}{times} / population 31 Dec {', '.join(map(str, sorted(used)))} (SCB)"
    return _store_derived(out, actor=actor, user=user, note=note)


def derive_fixed_prices(target: Indicator, *, actor: str, user=None) -> int:
    """Cost in current prices restated in the prices of the latest year with an index."""

    cost_id, index_id = target.derived_from["numerator"], target.derived_from["deflator"]
    base = str(target.derived_from["base_year"])
    index = {
        v.period: v.value
        for v in IndicatorValue.objects.filter(
            indicator_id=index_id, is_current=True, org_code=NATION, sex="T"
        )
        if v.value
    }
    if base not in index:
        return 0  # no index for the base year yet: nothing can be restated
    out = [
        Observation(
            0,
            target,
            v.org_code,
            v.period,
            v.sex,
            v.value * index[base] / index[v.period],
            None,
            None,
            v.age_band,
        )
        for v in IndicatorValue.objects.filter(indicator_id=cost_id, is_current=True)
        if v.period in index and v.value is not None
    ]
    return _store_derived(
        out,
        actor=actor,
        user=user,
        note=f"{cost_id} in {base} prices with {index_id} (base {base} = {index[base]:g})",
    )


def derive_share(target: Indicator, *, actor: str, user=None) -> int:
    """target = scale × (numerator − minus) / (denominator − minus) per organisation, period
    and sex, from the current values of two imported amounts and of the amounts ``minus``
    takes from both (e.g. the primary-care cost and the total health-care cost, less the
    targeted state grants to primary care). An organisation and period where an input is
    missing, or where the amounts taken away are not below both amounts, gets no value."""
    source = target.derived_from
    num_id, den_id = source["numerator"], source["denominator"]
    minus = list(source.get("minus") or ())
    current: dict[str, dict[tuple[str, str, str, str], float]] = {}
    for indicator_id in [num_id, den_id, *minus]:
        current[indicator_id] = {
            (v.org_code, v.period, v.sex, v.age_band): v.value
            for v in IndicatorValue.objects.filter(indicator_id=indicator_id, is_current=True)
            if v.value is not None
        }
    out = []
    for key, num in sorted(current[num_id].items()):
        den = current[den_id].get(key)
        taken = [current[m].get(key) for m in minus]
        if den is None or None in taken:
            continue
        less = sum(t for t in taken if t is not None)
        num, den = num - less, den - less
        if num < 0 or den <= 0 or num > den:
            continue
        org, period, sex, age_band = key
        out.append(
            Observation(0, target, org, period, sex, target.scale * num / den, num, den, age_band)
        )
    less_text = "".join(f" − {m}" for m in minus)
    note = f"({num_id}{less_text}) / ({den_id}{less_text})" if minus else f"{num_id} / {den_id}"
    return _store_derived(out, actor=actor, user=user, note=note)


def _derive(ind: Indicator, *, actor: str, user=None) -> int:
    source = ind.derived_from
    if source.get("per") == "population":
        return derive_per_population(ind, actor=actor, user=user)
    if source.get("deflator"):
        return derive_fixed_prices(ind, actor=actor, user=user)
    return derive_share(ind, actor=actor, user=user)


def derive_after_import(plan: Plan, *, actor: str, user=None) -> dict[str, int]:
    """Recompute the indicators derived from those the plan touched, and in turn those derived
    from them (the primary-care cost restated in fixed prices, then per resident)."""
    return _derive_chain(set(plan.indicators), {}, actor=actor, user=user)


def _derive_chain(touched: set[str], done: dict[str, int], *, actor: str, user) -> dict[str, int]:
    """Derive every indicator whose inputs include one of ``touched``, then those derived from
    them, until nothing more follows."""
    again = True
    while again:
        again = False
        for ind in catalogue().values():
            if ind.id not in done and touched & set(derived_inputs(ind)):
                done[ind.id] = _derive(ind, actor=actor, user=user)
                touched.add(ind.id)
                again = True
    return done


def survey_indicators_of(form: FormDefinition) -> list[tuple[Indicator, str, frozenset[str]]]:
    """The survey indicators a round of ``form`` derives, each with the item of the form it
    counts and the answer codes counted there: those of its series whose question the form
    asks, followed through the lineage (a question the form dropped has no value for its
    year)."""
    series = series_of(form)
    out = []
    for ind in catalogue().values():
        if series and ind.derived_from.get("series") == series:
            found = counted_in(ind.derived_from, form)
            if found:
                out.append((ind, *found))
    return out


def derive_survey(rnd, *, actor: str, user=None) -> dict[str, int]:
    """Shares per county from a survey round's submitted answers (the nation is their sum),
    for the year the round's answers describe. A round of any form of a series derives the
    series' indicators."""

    period = str(rnd.form_year)
    answers = clean_submitted(rnd)
    done = {}
    for ind, item, codes in survey_indicators_of(rnd.form):
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for response, clean in answers:
            if item not in clean:
                continue
            county = response.county_code
            counts[county][1] += 1
            counts[county][0] += clean[item] in codes
        out = [
            Observation(0, ind, county, period, "T", 100.0 * yes / n, float(yes), float(n))
            for county, (yes, n) in sorted(counts.items())
            if n
        ]
        done[ind.id] = _store_derived(
            out,
            actor=actor,
            user=user,
            note=f"round {rnd.pk} ({rnd.title}): {item} = {' or '.join(sorted(codes))}",
        )
    return done


def derive_population_rates(*, actor: str, user=None) -> dict[str, int]:
    """Recompute every indicator per population (and those derived from them in turn) after
    the population changed: each value of a year then uses that year's population."""
    per_population = [i for i in catalogue().values() if i.derived_from.get("per") == "population"]
    done = {ind.id: derive_per_population(ind, actor=actor, user=user) for ind in per_population}
    return _derive_chain(set(done), done, actor=actor, user=user)
