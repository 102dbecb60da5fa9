"""The register engine: synthetic register, schema validation, Ibis indicators on DuckDB, Polars and Spark."""

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from naravard.engine.compute import run, store_cells
from naravard.engine.indicators import DEFINITIONS, get_definition
from naravard.engine.schemas import SchemaError, validate_dataset, validate_file
from naravard.synth.generator import Spec, estimated_persons, generate
from tests.engine.conftest import SCALE, YEARS, assert_same_cells


def table(root, name, year=None):
    data = ds.dataset(str(root / name), format="parquet").to_table()
    return data if year is None else data.filter(pc.equal(data["year"], year))


def test_synthetic_register_is_deterministic_and_calibrated(register, tmp_path):
    root, counts = register
    persons_per_year = counts["persons"] / len(YEARS)
    assert persons_per_year == pytest.approx(10_327_589 * SCALE, rel=0.02)
    assert estimated_persons(SCALE) == pytest.approx(persons_per_year, rel=0.02)  # progress
    assert counts["contacts"] / counts["persons"] == pytest.approx(3.9, rel=0.15)
    assert counts["episodes"] / counts["persons"] == pytest.approx(0.135, rel=0.25)
    again = tmp_path / "again"
    assert generate(again, Spec(SCALE, (2019,), seed=7))["persons"] == persons_per_year
    first_year = root / "persons" / "year=2019" / "part-000.parquet"
    assert pq.read_table(first_year).equals(
        pq.read_table(again / "persons" / "year=2019" / "part-000.parquet")
    )
    other = tmp_path / "other"
    generate(other, Spec(SCALE, (2019,), seed=8))
    assert not pq.read_table(first_year).equals(
        pq.read_table(other / "persons" / "year=2019" / "part-000.parquet")
    )


def test_years_written_side_by_side_are_those_written_one_after_another(register, tmp_path):
    """Each year in a process of its own gives the very files of one process (the test
    register, made in one)."""
    root, counts = register
    apart = tmp_path / "apart"
    assert generate(apart, Spec(SCALE, YEARS, seed=7), processes=2) == counts
    files = sorted(path.relative_to(root) for path in root.rglob("*.parquet"))
    assert files == sorted(path.relative_to(apart) for path in apart.rglob("*.parquet"))
    for path in files:
        assert pq.read_table(root / path).equals(pq.read_table(apart / path)), path


def test_levels_follow_the_published_spread(register):
    root, _ = register
    cells = {
        (c.indicator_id, c.org, c.period, c.sex): c
        for c in run(
            root,
            list(YEARS),
            "duckdb",
            ["named_doctor_share", "digital_contact_share"],
            validate=False,
        ).cells
    }
    assert cells[("named_doctor_share", "10", "2019", "T")].value == pytest.approx(6, abs=3)
    assert cells[("named_doctor_share", "23", "2019", "T")].value == pytest.approx(96, abs=3)
    digital = [cells[("digital_contact_share", "01", str(y), "T")].value for y in YEARS]
    assert digital[0] < digital[1] and digital[2] > digital[3]  # up into 2020-2021, then down


def _broken(tmp_path, name, table_name, mutate):
    root = tmp_path / "src"
    generate(root, Spec(0.0005, (2019,), seed=3))
    path = root / table_name / "year=2019" / "part-000.parquet"
    data = mutate(pq.read_table(path))
    target = tmp_path / name
    pq.write_table(data, target)
    return target


@pytest.mark.parametrize(
    "table_name, mutate, expected",
    [
        ("episodes", lambda t: t.drop(["icd10"]), "column icd10 is missing"),
        (
            "episodes",
            lambda t: t.set_column(
                t.schema.get_field_index("planned"), "planned", pc.cast(t["planned"], pa.int8())
            ),
            "column planned is int8",
        ),
        (
            "episodes",
            lambda t: t.set_column(
                t.schema.get_field_index("region"), "region", pa.array(["99"] * t.num_rows)
            ),
            "unknown region code",
        ),
        (
            "episodes",
            lambda t: t.set_column(
                t.schema.get_field_index("discharged"),
                "discharged",
                pa.array(t["admitted"].to_numpy() - np.timedelta64(1, "D"), type=pa.date32()),
            ),
            "discharged before admission",
        ),
    ],
)
def test_a_file_that_breaks_the_schema_is_refused(tmp_path, table_name, mutate, expected):
    path = _broken(tmp_path, "broken.parquet", table_name, mutate)
    with pytest.raises(SchemaError) as info:
        validate_file(path, table_name)
    message = str(info.value)
    assert str(path) in message and expected in message
    if "row(s)" in message:
        assert re_count(message) > 0


def re_count(message: str) -> int:
    import re

    return int(re.search(r"(\d+) row\(s\)", message)[1])


def test_indicators_match_a_hand_count(register):
    root, _ = register
    cells = {
        (c.indicator_id, c.org, c.period, c.sex): c
        for c in run(
            root, [2020], "duckdb", ["named_doctor_share", "readmission_30d"], validate=False
        ).cells
    }
    persons = table(root, "persons", 2020).to_pandas()
    listings = table(root, "listings", 2020).to_pandas()
    named = set(listings.loc[listings.named_doctor, "person_id"])
    residents = persons[persons.municipality.str[:2] == "14"]
    cell = cells[("named_doctor_share", "14", "2020", "T")]
    assert (cell.numerator, cell.denominator) == (
        residents.person_id.isin(named).sum(),
        len(residents),
    )
    episodes = table(root, "episodes").to_pandas()
    discharged_year = episodes.discharged.apply(lambda d: d.year)
    in_14 = set(residents.person_id)
    index = episodes[(discharged_year == 2020) & episodes.person_id.isin(in_14)]
    later = episodes[~episodes.planned]
    merged = index.merge(later, on="person_id", suffixes=("", "_re"))
    gap = (merged["admitted_re"] - merged["discharged"]).apply(lambda d: d.days)
    same = (merged.admitted_re == merged.admitted) & (merged.discharged_re == merged.discharged)
    hits = merged[(gap >= 0) & (gap <= 30) & ~same][
        ["person_id", "admitted", "discharged"]
    ].drop_duplicates()
    cell = cells[("readmission_30d", "14", "2020", "T")]
    assert (cell.numerator, cell.denominator) == (len(hits), len(index))


@pytest.mark.django_db
def test_compute_stores_results_once(register):
    from naravard.ingest.models import IndicatorValue

    root, _ = register
    report = run(root, [2021], "duckdb")
    assert set(report.rows) == {"persons", "listings", "contacts", "episodes", "interventions"}
    first = store_cells(report, root, "duckdb", [2021], actor="test")
    assert first["added"] > 0
    assert IndicatorValue.objects.filter(
        indicator_id="named_doctor_share", period="2021-12-31"
    ).exists()
    assert store_cells(report, root, "duckdb", [2021], actor="test")["added"] == 0


def test_every_backend_gives_the_same_numbers(register):
    """DuckDB, Polars and Spark compute every cell of every indicator alike, and the
    default run (each indicator on its chosen local backend) agrees with them."""
    root, _ = register
    runs = {
        b: run(root, [2020, 2021], b, validate=False).cells
        for b in ("duckdb", "polars", "spark", "auto")
    }
    duck = runs["duckdb"]
    assert len(duck) > 5000
    assert {c.indicator_id for c in duck} == {d.indicator_id for d in DEFINITIONS}
    for backend in ("polars", "spark", "auto"):
        assert_same_cells(duck, runs[backend], backend)


def _by_key(cells):
    return sorted(cells, key=lambda c: (c.indicator_id, c.period, c.org, c.sex, c.age_band))


@pytest.mark.parametrize("backend", ["duckdb", "polars"])
def test_all_years_in_one_query_equal_one_query_per_year(register, backend, monkeypatch):
    """An indicator may read every year in one query or one year per query (as each
    definition says: engine/indicators.py); the cells are those of one year at a time,
    readmissions and days to a contact that cross a new year included, either way."""
    root, _ = register
    years = list(YEARS)
    as_defined = run(root, years, backend, validate=False).cells
    apart = [c for year in years for c in run(root, [year], backend, validate=False).cells]
    assert {c.period[:4] for c in as_defined} == {str(y) for y in years}
    assert_same_cells(_by_key(apart), _by_key(as_defined), backend)
    monkeypatch.setattr(
        "naravard.engine.compute.DEFINITIONS",
        tuple(replace(d, years_at_once=not d.years_at_once) for d in DEFINITIONS),
    )
    assert_same_cells(as_defined, run(root, years, backend, validate=False).cells, backend)


def test_the_default_run_uses_each_indicators_chosen_backend(tmp_path):
    from naravard.engine.backends import Session

    session = Session(tmp_path)
    chosen = {d.indicator_id: session.backend_for(d) for d in DEFINITIONS}
    assert set(chosen.values()) == {"duckdb", "polars"}
    assert {Session(tmp_path, "spark").backend_for(d) for d in DEFINITIONS} == {"spark"}
    with pytest.raises(ValueError, match="unknown backend 'oracle'"):
        Session(tmp_path, "oracle")


def test_validate_dataset_counts_rows(register):
    root, counts = register
    rows = validate_dataset(root, [2019])
    assert rows["persons"] == counts["persons"] // len(YEARS)
    with pytest.raises(SchemaError, match="no Parquet files"):
        validate_dataset(root, [1999])


@pytest.mark.parametrize("indicator", [d.indicator_id for d in DEFINITIONS])
def test_breakdowns_add_up_to_their_totals(register, indicator):
    """Every indicator is broken down by sex and age band; those by residence also by
    municipality. Counts add up, and a mean is the persons-weighted mean of its parts."""
    root, _ = register
    cells = run(root, [2020], "duckdb", [indicator], validate=False).cells
    period = max(c.period for c in cells if c.org == "14")
    by = {(c.org, c.sex, c.age_band): c for c in cells if c.period == period}
    total = by[("14", "T", "total")]

    def combined(parts):
        parts = [p for p in parts if p is not None]
        assert sum(p.denominator for p in parts) == total.denominator
        if total.numerator is not None:
            assert sum(p.numerator for p in parts) == total.numerator
        weighted = sum(p.value * p.denominator for p in parts) / total.denominator
        assert weighted == pytest.approx(total.value, rel=1e-9)

    combined([by.get(("14", "T", a)) for a in ("0-19", "20-64", "65-79", "80+")])
    combined([by[("14", "K", "total")], by[("14", "M", "total")]])
    munis = [
        c
        for (org, sex, age), c in by.items()
        if org.startswith("14") and len(org) == 4 and sex == "T" and age == "total"
    ]
    if get_definition(indicator).by_care_region:
        assert not munis  # by the region that gave the care
    else:
        assert len(munis) > 10
        combined(munis)


def _tiny_register(root, persons, contacts, episodes):
    """A hand-made register for edge cases (one year, 2020)."""
    import datetime as dt

    from naravard.engine.schemas import SCHEMAS

    def write(name, rows):
        folder = root / name / "year=2020"
        folder.mkdir(parents=True, exist_ok=True)
        schema = SCHEMAS[name]
        cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
        pq.write_table(pa.table(cols, schema=schema), folder / "part-000.parquet")

    d = dt.date
    write("persons", persons)
    write(
        "listings",
        [
            {
                "person_id": p["person_id"],
                "year": 2020,
                "unit_id": 1,
                "region": "01",
                "named_doctor": True,
                "valid_from": d(2020, 1, 1),
                "valid_to": None,
            }
            for p in persons
        ],
    )
    write("contacts", contacts)
    write("episodes", episodes)
    write("interventions", [])


def test_edge_cases_of_the_definitions(tmp_path):
    import datetime as dt

    d = dt.date
    persons = [
        {"person_id": i, "year": 2020, "sex": "K", "birth_year": 1940, "municipality": "0180"}
        for i in (1, 2)
    ]
    contacts = [
        {
            "person_id": 1,
            "year": 2020,
            "date": d(2020, 2, day),
            "unit_id": unit,
            "region": region,
            "profession": "doctor",
            "mode": "physical",
            "new_problem": False,
            "needs_assessment": False,
            "assessed_on": None,
        }
        for day, unit, region in (
            (1, 1001, "01"),
            (2, 1001, "01"),
            (3, 3001, "03"),
            (4, 3002, "03"),
        )
    ]
    episodes = [
        {
            "person_id": 1,
            "year": 2020,
            "admitted": d(2020, 3, 1),
            "discharged": d(2020, 3, 5),
            "planned": False,
            "icd10": "J44",
            "region": "01",
        },
        {
            "person_id": 1,
            "year": 2020,
            "admitted": d(2020, 3, 5),
            "discharged": d(2020, 3, 8),
            "planned": False,
            "icd10": "I50",
            "region": "01",
        },  # readmitted the same day
        {
            "person_id": 2,
            "year": 2020,
            "admitted": d(2020, 4, 1),
            "discharged": d(2020, 4, 3),
            "planned": False,
            "icd10": "K35",
            "region": "01",
        },
    ]
    _tiny_register(tmp_path, persons, contacts, episodes)
    cells = {
        (c.indicator_id, c.org): c
        for c in run(tmp_path, [2020], "duckdb", validate=True).cells
        if c.sex == "T" and c.age_band == "total"
    }
    readmission = cells[("readmission_30d", "01")]
    assert (readmission.numerator, readmission.denominator) == (1, 3)  # same-day counts
    assert cells[("readmission_30d", "0180")].denominator == 3  # by municipality of residence
    upc = cells[("continuity_upc", "01")]  # one person, visits in two regions, region of residence
    assert upc.value == pytest.approx(0.5)
    # visits per unit 2, 1, 1 (N = 4): (4 + 1 + 1 − 4) / (4 · 3)
    assert cells[("continuity_coc", "01")].value == pytest.approx(2 / 12)
    named = cells[("named_doctor_share", "01")]
    assert (named.numerator, named.denominator) == (2, 2)  # open-ended listings count


@pytest.mark.parametrize(
    "table_name, mutate, expected",
    [
        ("persons", lambda t: pa.concat_tables([t, t.slice(0, 1)]), "repeat a person"),
        (
            "persons",
            lambda t: t.set_column(
                t.schema.get_field_index("year"), "year", pa.array([2018] * t.num_rows, pa.int16())
            ),
            "the year of the folder",
        ),
        (
            "contacts",
            lambda t: t.set_column(
                t.schema.get_field_index("profession"),
                "profession",
                pa.array(["wizard"] * t.num_rows),
            ),
            "are not one of",
        ),
        (
            "episodes",
            lambda t: t.set_column(
                t.schema.get_field_index("icd10"),
                "icd10",
                pa.array([None] * t.num_rows, pa.string()),
            ),
            "are empty",
        ),
    ],
)
def test_more_broken_files_are_refused(tmp_path, table_name, mutate, expected):
    root = tmp_path / "src"
    generate(root, Spec(0.0005, (2019,), seed=3))
    path = root / table_name / "year=2019" / "part-000.parquet"
    pq.write_table(mutate(pq.read_table(path)), path)
    with pytest.raises(SchemaError, match=expected):
        validate_file(path, table_name)


def test_a_corrupt_file_is_refused_cleanly(tmp_path):
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 100 + b"PAR1")
    with pytest.raises(SchemaError):
        validate_file(path, "persons")


def test_cells_do_not_depend_on_the_order_the_backend_returns_rows_in():
    """A parallel engine returns rows, and adds within them, in varying order; floating-point
    sums then differ in the last digits, which reached the published report. The cells are the
    same to the last digit whatever the order."""
    from naravard.engine.compute import _cells

    definition = next(d for d in DEFINITIONS if d.indicator_id == "continuity_upc")
    rows = [
        {"year": 2021, "org": "0114", "sex": "K", "numerator": 0.1, "denominator": 1},
        {"year": 2021, "org": "0115", "sex": "K", "numerator": 0.2, "denominator": 1},
        {"year": 2021, "org": "0117", "sex": "K", "numerator": 0.3, "denominator": 1},
    ]
    assert (0.1 + 0.2) + 0.3 != (0.3 + 0.2) + 0.1  # the order matters to a float sum
    forward = _cells(definition, rows)
    backward = _cells(definition, rows[::-1])
    assert forward == backward
    region = next(c for c in forward if c.org == "01" and c.sex == "T")
    assert region.value == pytest.approx(definition.scale * 0.6 / 3)
