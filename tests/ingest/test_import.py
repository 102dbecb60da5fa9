"""Importing indicator values: validation, aliases, all or nothing, history, derived values."""

import io
import json
from importlib import resources

import openpyxl
import pytest

from naravard.catalog.catalogue import CatalogueError, catalogue, get_indicator
from naravard.core.tables import TableError
from naravard.ingest.derive import derive_survey
from naravard.ingest.importer import ImportRefused, import_file
from naravard.ingest.models import ImportBatch, IndicatorValue

pytestmark = pytest.mark.django_db

TABELL_2 = resources.files("naravard.demo").joinpath("data", "tabell2-webbtidbok-2020-03.csv")
ALIASES = ["Götaland=09", "Norrbottnen=25"]
CONTRACT_IDS = [
    "named_doctor_share",
    "online_booking_show",
    "online_booking_book",
    "online_booking_show_per_100k",
    "online_booking_book_per_100k",
    "care_guarantee_3d",
    "digital_contact_share",
    "readmission_30d",
    "gp_specialist_certificate_share",
    "primary_care_cost_share",
    "trust_in_health_care",
    "survey_shared_vision_share",
]


def run(data: str | bytes, indicator=None, name="f.csv", **kw):
    raw = data.encode() if isinstance(data, str) else data
    return import_file(name, indicator, data=raw, name=name, actor="test", **kw)


def count() -> int:
    return IndicatorValue.objects.count()


def test_catalogue_has_the_contract_ids_with_versions_and_targets():
    for indicator_id in CONTRACT_IDS:
        assert indicator_id in catalogue()
    named = get_indicator("named_doctor_share")
    assert named.target_at("2022").value == 55 and named.direction == "higher"
    assert named.caveats_at("2022")["sv"]
    assert get_indicator("readmission_30d").direction == "lower"
    assert "survey_shortage_farmaceut_share" in catalogue()
    with pytest.raises(CatalogueError, match="no indicator"):
        get_indicator("named_doctors")


def test_tabell_2_flags_the_misprints_then_stores_21_regions_times_2_and_derives_per_100k():
    data = TABELL_2.read_bytes()
    with pytest.raises(ImportRefused) as info:
        run(data, name="tabell2.csv")
    problems = info.value.plan.refused
    assert [p.row for p in problems] == [4, 11]
    assert "Götaland" in problems[0].message and "09 Gotlands län" in problems[0].message
    assert "Norrbottnen" in problems[1].message and "25 Norrbottens län" in problems[1].message
    assert count() == 0
    report = run(data, name="tabell2.csv", aliases=ALIASES)
    assert report.plan.added == 42
    assert report.derived == {
        "online_booking_show_per_100k": 21,
        "online_booking_book_per_100k": 21,
    }
    book = IndicatorValue.objects.get(indicator_id="online_booking_book", org_code="01")
    assert (book.value, book.period) == (660, "2020-03")
    per = IndicatorValue.objects.get(indicator_id="online_booking_book_per_100k", org_code="01")
    assert per.value == pytest.approx(660 / 2_377_081 * 100_000, rel=1e-12)
    assert per.denominator == 2_377_081
    batch = report.batch
    assert (
        batch.file_name == "tabell2.csv" and len(batch.sha256) == 64 and "Götaland=09" in batch.note
    )
    before, batches = count(), ImportBatch.objects.count()
    again = run(data, name="tabell2.csv", aliases=ALIASES)
    assert again.batch is None and again.plan.unchanged == 42
    assert (count(), ImportBatch.objects.count()) == (before, batches)


def test_a_correction_supersedes_and_history_is_kept():
    run("org,period,value\n01,2022,61\n", "named_doctor_share")
    report = run("org,period,value\nRegion Stockholm,2022,62.5\n", "named_doctor_share")
    assert report.plan.changed == 1
    rows = IndicatorValue.objects.filter(indicator_id="named_doctor_share", org_code="01")
    old, new = rows.get(is_current=False), rows.get(is_current=True)
    assert (old.value, new.value) == (61, 62.5) and old.superseded_by == new


def test_dry_run_reports_row_by_row_and_stores_nothing():
    run("org,period,value\n01,2022,61\n", "named_doctor_share")
    before = count()
    report = run("org,period,value\n01,2022,65\n03,2022,40\n", "named_doctor_share", dry_run=True)
    lines = report.plan.lines()
    assert lines[0].startswith("row 2: change") and "61 -> 65" in lines[0]
    assert "2022-12-31" in lines[0]  # a point in time is stored as its day
    assert lines[1].startswith("row 3: add")
    assert count() == before


@pytest.mark.parametrize(
    "content, expected",
    [
        ("org|period|value\n01|2022|61\n", "delimiter"),
        ("org,period,value\n01,2022,sextio\n", "is not a number"),
        ("org,period,value\nRegion Atlantis,2022,50\n", "Atlantis"),
        ("org,period,value\n01,2022,120\n", "outside"),
        ("org,period,value\n01,,50\n", "missing period"),
        ("org,period,value\n01,2022-13,50\n", "not a point period"),
        ("org,period,value\n01,2022,50\nStockholms län,2022,51\n", "duplicate of row 2"),
        ("org,period,numerator,denominator\n01,2022,60,50\n", "larger than denominator"),
        ("org,period,value,sex\n01,2022,50,X\n", "not T, K or M"),
    ],
)
def test_bad_rows_refuse_the_whole_file(content, expected):
    ok_row = "03,2022,40\n" if "numerator" not in content and "sex" not in content else ""
    before = count()
    with pytest.raises(ImportRefused) as info:
        run(content + ok_row, "named_doctor_share")
    assert any(expected in str(p) for p in info.value.plan.refused), info.value.plan.refused
    assert count() == before


def test_a_municipality_is_refused_where_only_regions_have_values():
    with pytest.raises(ImportRefused) as info:
        run("org,period,value\n0180,2022,10\n", "digital_contact_share")
    assert "is not a region" in str(info.value.plan.refused[0])


def test_a_22nd_region_in_tabell_2_refuses_it_whole():
    data = TABELL_2.read_text(encoding="utf-8") + "Atlantis,2020-03,5,5\n"
    with pytest.raises(ImportRefused) as info:
        run(data, aliases=ALIASES)
    assert [p.row for p in info.value.plan.refused] == [23]
    assert count() == 0


@pytest.mark.parametrize(
    "data, message",
    [(b"", "filen är tom"), (b"\xff\xfe\x00\x01", "UTF-8"), (b"{not json", "not JSON")],
)
def test_unreadable_files_are_refused(data, message):
    with pytest.raises(TableError, match=message):
        run(data, "named_doctor_share", name="x.json" if data.startswith(b"{") else "x.csv")
    assert count() == 0


def test_values_from_counts_are_checked_like_values():
    with pytest.raises(ImportRefused):
        run("org,period,numerator,denominator\n01,2020-04,10,5\n", "online_booking_show_per_100k")
    with pytest.raises(ImportRefused) as info:
        run("org,period,value,numerator,denominator\n01,2022,50,476,1000\n", "named_doctor_share")
    assert "does not match" in str(info.value.plan.refused[0])
    with pytest.raises(ImportRefused) as info:
        run("org,period,value\nFoo,2022,50\n", "digital_contact_share", aliases=["Foo=0180"])
    assert "a municipality" in str(info.value.plan.refused[0])


def test_the_same_point_in_time_written_two_ways_is_a_duplicate():
    with pytest.raises(ImportRefused) as info:
        run("org,period,value\n01,2020,50\n01,2020-12-31,51\n", "named_doctor_share")
    assert "duplicate of row 2" in str(info.value.plan.refused[0])


def test_numerator_and_denominator_give_the_value():
    run("org,period,numerator,denominator\n01,2022,1300000,2377081\n", "named_doctor_share")
    v = IndicatorValue.objects.get(indicator_id="named_doctor_share", org_code="01")
    assert v.value == pytest.approx(100 * 1_300_000 / 2_377_081)


def test_xlsx_and_json_stat_are_read():
    book = openpyxl.Workbook()
    book.active.append(["org", "period", "value"])
    book.active.append(["Region Uppsala", "2022", 58])
    out = io.BytesIO()
    book.save(out)
    run(out.getvalue(), "named_doctor_share", name="v.xlsx")
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Region", "Kon", "ContentsCode", "Tid"],
        "size": [2, 2, 1, 1],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "dimension": {
            "Region": {"category": {"index": {"01": 0, "03": 1}}},
            "Kon": {"category": {"index": {"1": 0, "2": 1}}},
            "ContentsCode": {"category": {"index": {"X1": 0}}},
            "Tid": {"category": {"index": {"2021": 0}}},
        },
        "value": [50.5, 52.5, 40, None],
    }
    report = run(json.dumps(dataset), "trust_in_health_care", name="px.json")
    stored = {(o.org, o.sex): o.value for o in report.plan.outcomes if o.kind == "add"}
    assert stored == {("01", "M"): 50.5, ("01", "K"): 52.5, ("03", "M"): 40}


def test_survey_indicators_reproduce_the_national_shares(survey_round):
    derive_survey(survey_round, actor="test")
    rows = IndicatorValue.objects.filter(indicator_id="survey_shared_vision_share", is_current=True)
    assert rows.count() == 21
    assert sum(r.numerator for r in rows) == 62 and sum(r.denominator for r in rows) == 225
    politisk = IndicatorValue.objects.filter(indicator_id="survey_decision_politisk_share")
    assert sum(r.denominator for r in politisk) == 221
    derive_survey(survey_round, actor="test")  # again: nothing changes
    assert IndicatorValue.objects.filter(indicator_id="survey_shared_vision_share").count() == 21


def test_costs_in_fixed_prices_follow_the_imported_price_index():
    run("org,period,value\n01,2019,10000000000\n01,2020,11000000000\n", "primary_care_cost")
    assert not IndicatorValue.objects.filter(indicator_id="primary_care_cost_fixed").exists()
    report = run("org,period,value\n00,2019,100\nRiket,2020,110\n", "price_index")
    assert report.derived["primary_care_cost_fixed"] == 0  # no index for the base year 2022 yet
    report = run("org,period,value\n00,2022,121\n", "price_index")
    assert report.derived["primary_care_cost_fixed"] == 2
    fixed = {
        v.period: v.value
        for v in IndicatorValue.objects.filter(
            indicator_id="primary_care_cost_fixed", is_current=True
        )
    }
    assert fixed == {"2019": pytest.approx(12_100_000_000), "2020": pytest.approx(12_100_000_000)}


def test_a_value_is_read_with_the_definition_and_target_of_its_period():
    from naravard.catalog.catalogue import parse

    raw = [
        {
            "id": "x_share",
            "name": {"sv": "x", "en": "x"},
            "unit": "percent",
            "kind": "share",
            "level": ["region"],
            "period_type": "year",
            "direction": "higher",
            "source": {"sv": "s", "en": "s"},
            "versions": [
                {
                    "valid_from": "2019-01-01",
                    "valid_to": "2020-12-31",
                    "definition": {"sv": "gammal", "en": "old"},
                    "target": {"value": 50, "comparison": ">="},
                },
                {
                    "valid_from": "2021-01-01",
                    "definition": {"sv": "ny", "en": "new"},
                    "target": {"value": 55, "comparison": ">="},
                },
            ],
        }
    ]
    ind = parse(raw)["x_share"]
    assert ind.version_at("2020").definition["en"] == "old" and ind.target_at("2020").value == 50
    assert ind.version_at("2022").definition["en"] == "new" and ind.target_at("2022").value == 55
    raw[0]["versions"][0]["valid_to"] = "2021-06-30"
    with pytest.raises(CatalogueError, match="overlap"):
        parse(raw)


@pytest.mark.parametrize(
    "doc",
    [
        {
            "class": "dataset",
            "id": ["Region", "Tid"],
            "size": [1, 1],
            "dimension": {"Region": {"category": "01"}, "Tid": {"category": {"index": ["2021"]}}},
            "value": [1],
        },
        {
            "class": "dataset",
            "id": ["Region", "Tid"],
            "size": [2, 1],
            "dimension": {
                "Region": {"category": {"index": {"01": 0, "03": 5}}},
                "Tid": {"category": {"index": ["2021"]}},
            },
            "value": [1, 2],
        },
        {
            "class": "dataset",
            "id": ["Region", "Tid"],
            "size": [1.5, 1],
            "dimension": {
                "Region": {"category": {"index": ["01"]}},
                "Tid": {"category": {"index": ["2021"]}},
            },
            "value": {"0": 1},
        },
        {
            "class": "dataset",
            "id": ["Region", "Tid"],
            "size": [1, 1],
            "role": {"geo": [["x"]]},
            "dimension": {
                "Region": {"category": {"index": ["01"]}},
                "Tid": {"category": {"index": ["2021"]}},
            },
            "value": [[1]],
        },
    ],
)
def test_hostile_json_stat_is_refused_cleanly(doc):
    with pytest.raises(TableError, match="JSON-stat|index|size|value|category"):
        run(json.dumps(doc), "trust_in_health_care", name="x.json")


def test_deeply_nested_json_is_refused_cleanly():
    with pytest.raises(TableError):
        run("[" * 100_000 + "]" * 100_000, "trust_in_health_care", name="x.json")


def test_a_percent_formatted_excel_cell_is_read_as_shown():
    book = openpyxl.Workbook()
    book.active.append(["org", "period", "value"])
    book.active.append(["01", "2021", 0.55])
    book.active["C2"].number_format = "0%"
    book.active.append(["03", "2021", None])
    out = io.BytesIO()
    book.save(out)
    report = run(out.getvalue(), "readmission_30d", name="p.xlsx")
    assert [o.value for o in report.plan.outcomes] == [pytest.approx(55)]
    assert report.plan.skipped_rows == [(3, "readmission_30d: no value")]


def test_a_value_stored_by_another_import_meanwhile_refuses_this_one_whole(monkeypatch):
    from naravard.ingest import store

    planned = store.Staging.plan

    def plan_then_another_import_stores(self):
        plan = planned(self)
        batch = ImportBatch.objects.create(kind="import", indicators="x", actor="other")
        IndicatorValue.objects.create(
            indicator_id="named_doctor_share",
            org_code="03",
            period="2022-12-31",
            value=1,
            batch=batch,
        )
        return plan

    monkeypatch.setattr(store.Staging, "plan", plan_then_another_import_stores)
    with pytest.raises(TableError, match="another import changed these values"):
        run("org,period,value\n01,2022,61\n03,2022,40\n", "named_doctor_share")
    assert count() == 0
