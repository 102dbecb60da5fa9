"""Register indicators as Ibis expressions: one definition each, the same on DuckDB, Polars and Spark.

Every function takes the backend's tables and the years to compute and returns one expression
for all of them, with the columns year, org (and where meaningful sex, age_band, month),
numerator and denominator. Whether a run asks for all its years in one query or for one year
per query is each definition's choice (``years_at_once``, measured). For averages the numerator is the sum of a per-person value and the
denominator the number of persons, so that every result adds up across
municipalities, sexes and age bands. Shares are written as sums of conditions, not
means, so every backend gives the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ibis
from ibis import _

from naravard.catalog.catalogue import get_indicator
from naravard.engine.schemas import SCHEMAS

AVOIDABLE_ICD10 = ("J44", "I50", "E11", "J45", "I10", "N39", "E86", "J18")
DIGITAL_MODES = ("video", "chat")
CARE_PROFESSIONS = ("doctor", "nurse")


@dataclass(frozen=True)
class Definition:
    """A register indicator: the catalogue entry it computes and how.

    ``by_care_region``: ``org`` is the region that gave the care, not where the patient lives,
    so there are no municipality values (the catalogue lists the indicator for regions only;
    system check naravard.E006). The other indicators are by municipality of residence and
    summed to regions.
    """

    indicator_id: str
    build: Callable[..., ibis.Table]
    kind: str  # "fraction": numerator/denominator; "mean": sum of a per-person value / persons
    by_care_region: bool = False
    local: str = "polars"  # the faster one-machine backend for it (bench/engine_bench.py)
    # all the years of a run in one query, or one query per year (False). One per year is
    # faster for every indicator on the national register and holds a quarter of the memory
    # (five years at scale 1.0: 54 s and 2,6 GB against 67 s and 10 GB; at scale 0.1 three
    # of them were faster at once); bench/engine_bench.py --years measures both
    years_at_once: bool = False

    @property
    def scale(self) -> float:
        """value = scale * numerator / denominator: the scale of the catalogue entry's unit
        (100 for a percentage, 100 000 for a rate per 100 000; catalog/units.py)."""
        return get_indicator(self.indicator_id).scale


def _days(start, end):
    """Whole days from ``start`` to ``end`` (a date difference cast to an integer is days on
    DuckDB but microseconds on Polars, so it is spelt out)."""
    return end.delta(start, unit="day")


Years = Sequence[int]
BY_CELL = ["year", "org", "sex", "age_band"]  # the cells of every indicator but one
YEAR_TYPE = str(SCHEMAS["persons"].field("year").type)  # the register's year column


def _years(column, years: Years):
    """``column`` (a year) is one of ``years``."""
    return column.isin(list(years))


def _year_end(year):
    """31 December of each row's ``year``."""
    return ibis.date(year.cast("int32"), 12, 31)


def _residents(t, years: Years) -> ibis.Table:
    """Residents on 31 December of each year; ``org`` is the municipality (regions are summed
    from it)."""
    p = t["persons"].filter(_years(_.year, years))
    age = p.year - p.birth_year
    band = ibis.cases((age < 20, "0-19"), (age < 65, "20-64"), (age < 80, "65-79"), else_="80+")
    return p.mutate(org=p.municipality, age=age, age_band=band)


def named_doctor_share(t, years: Years) -> ibis.Table:
    """Residents listed with a named doctor on 31 December / residents, by municipality of
    residence (and so by region) and sex."""
    listings = t["listings"].filter(_years(_.year, years) & _.named_doctor)
    end = _year_end(listings.year)
    listed = (
        listings.filter(
            (listings.valid_from <= end) & (listings.valid_to.isnull() | (listings.valid_to >= end))
        )
        .select("person_id", "year")
        .distinct()
        .mutate(listed=ibis.literal(1))
    )
    p = _residents(t, years).left_join(listed, ["person_id", "year"])
    return p.group_by(BY_CELL).aggregate(
        numerator=p.listed.fill_null(0).sum(), denominator=p.count()
    )


def _contacts_of_residents(t, years: Years, condition) -> ibis.Table:
    """The years' contacts that meet ``condition``, with the patient's sex and age band that
    year; ``org`` is the region of the unit that gave the care."""
    c = t["contacts"].filter(_years(_.year, years) & condition)
    home = _residents(t, years).select("person_id", "year", "sex", "age_band")
    return c.join(home, ["person_id", "year"]).mutate(org=_.region)


def care_guarantee_3d(t, years: Years) -> ibis.Table:
    """First contacts for a new problem needing a medical assessment that got it within 3
    days, by region of care, month, sex and age band."""
    c = _contacts_of_residents(t, years, _.new_problem & _.needs_assessment)
    c = c.mutate(month=c.date.month(), ok=(_days(c.date, c.assessed_on) <= 3).cast("int64"))
    return c.group_by(["year", "org", "month", "sex", "age_band"]).aggregate(
        numerator=c.ok.sum(), denominator=c.count()
    )


def digital_contact_share(t, years: Years) -> ibis.Table:
    """Doctor and nurse contacts by video or chat / all doctor and nurse contacts, by region
    of care, sex and age band."""
    c = _contacts_of_residents(t, years, _.profession.isin(CARE_PROFESSIONS))
    c = c.mutate(digital=c["mode"].isin(DIGITAL_MODES).cast("int64"))
    return c.group_by(BY_CELL).aggregate(numerator=c.digital.sum(), denominator=c.count())


def _discharges(t, years: Years) -> ibis.Table:
    """Episodes that end in one of ``years``, ``year`` being that of the discharge (the
    resident's municipality, sex and age are that year's)."""
    e = t["episodes"]
    year = e.discharged.year()
    return e.filter(_years(year, years)).select(
        "person_id", "admitted", "discharged", year=year.cast(YEAR_TYPE)
    )


def readmission_30d(t, years: Years) -> ibis.Table:
    """Discharges in the year followed by an unplanned admission within 30 days (the same day
    included) of another episode, by municipality of residence (and so by region), sex and
    age band. The last year's December discharges have less than 30 days of follow-up if the
    next year is not in the data."""
    e = t["episodes"]
    index = _discharges(t, years)
    later = e.filter(~e.planned).select(
        person_id="person_id", re_admitted="admitted", re_discharged="discharged"
    )
    pairs = index.join(later, "person_id").filter(
        lambda r: (
            (r.re_admitted >= r.discharged)
            & (_days(r.discharged, r.re_admitted) <= 30)
            & ~((r.re_admitted == r.admitted) & (r.re_discharged == r.discharged))
        )
    )
    hit = pairs.select("person_id", "admitted", "discharged").distinct().mutate(hit=ibis.literal(1))
    home = _residents(t, years).select("person_id", "year", "org", "sex", "age_band")
    flagged = index.join(home, ["person_id", "year"]).left_join(
        hit, ["person_id", "admitted", "discharged"]
    )
    return flagged.group_by(BY_CELL).aggregate(
        numerator=flagged.hit.fill_null(0).sum(), denominator=flagged.count()
    )


def avoidable_hospitalisations(t, years: Years) -> ibis.Table:
    """Unplanned admissions for conditions manageable in primary care, per resident, by
    municipality of residence (and so by region) and sex."""
    e = t["episodes"]
    hits = e.filter(_years(e.year, years) & ~e.planned & e.icd10.substr(0, 3).isin(AVOIDABLE_ICD10))
    per_person = hits.group_by(["person_id", "year"]).aggregate(n=hits.count())
    p = _residents(t, years).left_join(per_person, ["person_id", "year"])
    return p.group_by(BY_CELL).aggregate(numerator=p.n.fill_null(0).sum(), denominator=p.count())


def _visits_per_person(t, years: Years) -> ibis.Table:
    """Doctor visits per person and year (all units, whichever region) for residents with at
    least two, with the municipality of residence, sex and age band."""
    c = t["contacts"].filter(_years(_.year, years) & (_.profession == "doctor"))
    v = c.group_by(["person_id", "year", "unit_id"]).aggregate(n=c.count())
    per = v.group_by(["person_id", "year"]).aggregate(
        total=v.n.sum(), top=v.n.max(), sq=(v.n * v.n).sum()
    )
    home = _residents(t, years).select("person_id", "year", "org", "sex", "age_band")
    return per.filter(per.total >= 2).join(home, ["person_id", "year"])


def _mean_by_residence(per: ibis.Table, value) -> ibis.Table:
    """A per-person value summed (numerator) over persons (denominator): the mean, additive
    across municipalities, sexes and age bands."""
    return per.group_by(BY_CELL).aggregate(numerator=value.sum(), denominator=per.count())


def continuity_upc(t, years: Years) -> ibis.Table:
    """Usual provider continuity: the share of a person's doctor visits at the most used unit,
    averaged over residents with at least two visits, by municipality of residence (and so
    region), sex and age band."""
    per = _visits_per_person(t, years)
    return _mean_by_residence(per, per.top / per.total)


def continuity_coc(t, years: Years) -> ibis.Table:
    """Bice–Boxerman continuity of care (Σ n² − N) / (N (N − 1)), averaged as for UPC."""
    per = _visits_per_person(t, years)
    return _mean_by_residence(per, (per.sq - per.total) / (per.total * (per.total - 1)))


def discharge_to_contact_days(t, years: Years) -> ibis.Table:
    """For discharges of residents 65+: days to the first primary-care contact or municipal
    intervention within 90 days, averaged by municipality of residence, sex and age band."""
    p = _residents(t, years).filter(_.age >= 65)
    p = p.select("person_id", "year", "org", "sex", "age_band")
    e = _discharges(t, years).select("person_id", "discharged", "year")
    e = e.semi_join(p, ["person_id", "year"])
    # only what can fall in a discharge's 90 days
    first_day = ibis.date(dt.date(min(years), 1, 1))
    last_day = ibis.date(dt.date(max(years), 12, 31) + dt.timedelta(days=90))
    contact = t["contacts"].select(person_id="person_id", day="date")
    care = t["interventions"].select(person_id="person_id", day="start")
    after = ibis.union(contact, care).filter(_.day.between(first_day, last_day))
    pairs = e.join(after, "person_id").filter(
        lambda r: (r.day >= r.discharged) & (_days(r.discharged, r.day) <= 90)
    )
    first = (
        pairs.group_by(["person_id", "year", "discharged"])
        .aggregate(days=_days(pairs.discharged, pairs.day).min())
        .join(p, ["person_id", "year"])
    )
    return _mean_by_residence(first, first.days)


DEFINITIONS: tuple[Definition, ...] = (
    Definition("named_doctor_share", named_doctor_share, "fraction"),
    Definition("care_guarantee_3d", care_guarantee_3d, "fraction", by_care_region=True),
    Definition("digital_contact_share", digital_contact_share, "fraction", by_care_region=True),
    Definition("readmission_30d", readmission_30d, "fraction"),
    Definition(
        "avoidable_hospitalisations_per_100k",
        avoidable_hospitalisations,
        "fraction",
        local="duckdb",
    ),
    Definition("continuity_upc", continuity_upc, "mean"),
    Definition("continuity_coc", continuity_coc, "mean"),
    Definition("discharge_to_contact_days_65plus", discharge_to_contact_days, "mean"),
)


def get_definition(indicator_id: str) -> Definition:
    """The register definition of ``indicator_id`` (KeyError if the engine computes no such
    indicator)."""
    for definition in DEFINITIONS:
        if definition.indicator_id == indicator_id:
            return definition
    raise KeyError(indicator_id)
