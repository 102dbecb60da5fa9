"""The later follow-ups' costs, staffing and specialist certificates: a cost file with the grants
beside the costs, the shares with and without the grants computed from it, the chain from
current prices to fixed prices per resident, and staff per 100 000 residents."""

import csv
from pathlib import Path

import pytest
from django.utils import translation

from naravard.core.tables import parse_number
from naravard.ingest.importer import ImportRefused, import_file
from naravard.ingest.models import ImportBatch, IndicatorValue
from naravard.refdata.models import Population

pytestmark = pytest.mark.django_db

COSTS = Path(__file__).parent / "fixtures" / "primary-care-costs.csv"
SHARES = ("primary_care_cost_share", "primary_care_cost_share_excl_grants")


def run(data: str | bytes, indicator=None, name="f.csv", **kw):
    raw = data.encode() if isinstance(data, str) else data
    return import_file(name, indicator, data=raw, name=name, actor="test", **kw)


def current(indicator_id: str) -> dict[tuple[str, str], IndicatorValue]:
    return {
        (v.org_code, v.period): v
        for v in IndicatorValue.objects.filter(indicator_id=indicator_id, is_current=True)
    }


def fixture_rows() -> list[dict[str, float | str]]:
    codes = {"01": "01", "03": "03", "Region Skåne": "12"}
    with COSTS.open(encoding="utf-8") as fh:
        return [
            {
                "org": codes[r["org"]],
                "period": r["period"],
                **{k: parse_number(v) for k, v in r.items() if k not in ("org", "period")},
            }
            for r in csv.DictReader(fh)
        ]


def test_the_cost_file_stores_costs_and_grants_and_computes_both_shares():
    report = run(COSTS.read_bytes(), name=COSTS.name)
    assert report.plan.added == 18  # three amounts for three regions and two years
    assert report.derived["primary_care_cost_share"] == 6
    assert report.derived["primary_care_cost_share_excl_grants"] == 6
    with_grants, without = current(SHARES[0]), current(SHARES[1])
    for row in fixture_rows():
        key = (row["org"], row["period"])
        total, cost, grants = (
            row["health_care_cost_total"],
            row["primary_care_cost"],
            row["primary_care_state_grants"],
        )
        assert current("primary_care_state_grants")[key].value == grants
        assert current("health_care_cost_total")[key].value == total
        assert with_grants[key].value == pytest.approx(100 * cost / total)
        assert without[key].value == pytest.approx(100 * (cost - grants) / (total - grants))
        assert (without[key].numerator, without[key].denominator) == (
            cost - grants,
            total - grants,
        )
        # taking the grants away lowers the share whenever primary care is below all care
        assert without[key].value < with_grants[key].value
    batches = ImportBatch.objects.filter(kind="derived", indicators=SHARES[1])
    assert "primary_care_state_grants" in batches.get().note
    again = run(COSTS.read_bytes(), name=COSTS.name)
    assert again.batch is None and again.plan.unchanged == 18


def test_a_corrected_grant_recomputes_only_the_share_without_grants():
    run(COSTS.read_bytes(), name=COSTS.name)
    before = current(SHARES[0])[("03", "2022")].value
    report = run("org,period,value\n03,2022,0\n", "primary_care_state_grants")
    assert report.derived[SHARES[1]] == 1
    assert current(SHARES[1])[("03", "2022")].value == pytest.approx(before)
    assert current(SHARES[0])[("03", "2022")].value == before


@pytest.mark.parametrize("lang, words", [("sv", "saknas"), ("en", "is missing")])
def test_a_cost_file_without_the_grants_column_is_refused(lang, words):
    text = "org,period,health_care_cost_total,primary_care_cost\n01,2022,86900000000,15900000000\n"
    with translation.override(lang), pytest.raises(ImportRefused) as info:
        run(text)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (1, "primary_care_state_grants")
    assert words in problem.message and SHARES[1] in problem.message
    assert str(problem).startswith("row 1, column primary_care_state_grants:")
    assert not IndicatorValue.objects.exists()


def test_a_file_of_the_primary_care_cost_alone_needs_no_grants():
    report = run("org,period,primary_care_cost\n01,2022,15900000000\n")
    assert report.plan.added == 1
    assert report.derived[SHARES[0]] == report.derived[SHARES[1]] == 0  # no total cost yet


@pytest.mark.parametrize("lang, words", [("sv", "är större än"), ("en", "is larger than")])
def test_a_grant_larger_than_the_cost_is_refused_naming_row_and_column(lang, words):
    text = COSTS.read_text(encoding="utf-8").replace(
        "03,2022,14600000000,2410000000,121000000", "03,2022,14600000000,2410000000,2500000000"
    )
    with translation.override(lang), pytest.raises(ImportRefused) as info:
        run(text)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (5, "primary_care_state_grants")
    assert words in problem.message
    assert "2500000000" in problem.message and "2410000000" in problem.message
    assert "primary_care_cost" in problem.message
    assert not IndicatorValue.objects.exists()


def test_a_primary_care_cost_above_all_health_care_is_refused():
    text = "org,period,health_care_cost_total,primary_care_cost,primary_care_state_grants\n"
    text += "01,2022,1000,2000,10\n"
    with pytest.raises(ImportRefused) as info:
        run(text)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (2, "primary_care_cost")
    assert "health_care_cost_total" in problem.message


def _population(code: str, year: int) -> int:
    rows = Population.objects.filter(sex="total", age_band="total", year__lte=year)
    rows = rows.filter(region_id=code) if len(code) == 2 else rows.filter(municipality_id=code)
    return rows.order_by("-year").values_list("population", flat=True)[0]


def test_cost_in_fixed_prices_per_resident_follows_cost_and_price_index():
    run(COSTS.read_bytes(), name=COSTS.name)
    report = run("org,period,value\n00,2021,104\n00,2022,111\n", "price_index")
    assert report.derived["primary_care_cost_fixed"] == 6
    assert report.derived["primary_care_cost_fixed_per_inhabitant"] == 6
    per = current("primary_care_cost_fixed_per_inhabitant")
    for row in fixture_rows():
        year = int(str(row["period"]))
        fixed = row["primary_care_cost"] * 111 / (104 if year == 2021 else 111)
        pop = _population(str(row["org"]), year)
        value = per[(row["org"], row["period"])]
        assert value.value == pytest.approx(fixed / pop)
        assert value.denominator == pop
    # a new price index restates the costs and, in turn, the cost per resident
    report = run("org,period,value\n00,2021,100\n", "price_index")
    assert report.derived["primary_care_cost_fixed_per_inhabitant"] == 3
    assert current("primary_care_cost_fixed_per_inhabitant")[("01", "2021")].value == (
        pytest.approx(14830000000 * 111 / 100 / _population("01", 2021))
    )


def test_staff_and_certificates_per_100k_use_the_population_at_the_year_end():
    text = (
        "org,period,doctors_regional_primary_care,nurses_regional_primary_care,"
        "gp_specialist_certificates\n25,2019,180,640,14\n"
    )
    report = run(text)
    assert report.derived == {
        "doctors_regional_primary_care_per_100k": 1,
        "nurses_regional_primary_care_per_100k": 1,
        "gp_specialist_certificates_per_100k": 1,
    }
    pop = _population("25", 2019)
    assert current("doctors_regional_primary_care_per_100k")[("25", "2019")].value == (
        pytest.approx(180 * 100_000 / pop)
    )
    report = run("org,period,value\n2584,2019,61\n25,2019,700\n", "nurses_municipal_health_care")
    assert report.derived == {"nurses_municipal_health_care_per_100k": 2}
    municipal = current("nurses_municipal_health_care_per_100k")
    assert municipal[("2584", "2019")].value == pytest.approx(
        61 * 100_000 / _population("2584", 2019)
    )
    assert municipal[("25", "2019")].denominator == pop
