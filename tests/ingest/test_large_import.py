"""A register's ordinary export is long: the 290 municipalities and 21 regions × 25 years ×
sex × five age bands is 116 625 rows. It imports whole, read as it streams, and a correction
among it changes one value; one malformed row at its very end refuses it whole, nothing
stored; problems and a dry run's rows are counted, the first 100 told."""

import io
import itertools
import json
from pathlib import Path

import openpyxl
import pytest

from naravard.core.tables import MAX_ROWS, ImportRefused
from naravard.ingest.importer import import_file
from naravard.ingest.models import AGE_BANDS, ImportBatch, IndicatorValue
from naravard.ingest.store import SHOWN
from naravard.refdata import files

pytestmark = pytest.mark.django_db

ORGS = [m.code for m in files.municipalities()] + [r.code for r in files.regions()]
YEARS = range(1998, 2023)
ROWS = len(ORGS) * len(YEARS) * 3 * len(AGE_BANDS)


def value(n: int) -> str:
    return f"{n % 9000 / 100 + 5:.2f}"


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """The export as a CSV file, every value made from its row's place."""
    path = tmp_path_factory.mktemp("export") / "kolada-export.csv"
    cells = itertools.product(ORGS, YEARS, "TKM", AGE_BANDS)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("org,period,sex,age_band,value\n")
        for n, (org, year, sex, age) in enumerate(cells):
            fh.write(f"{org},{year},{sex},{age},{value(n)}\n")
    return path


def stored() -> int:
    return IndicatorValue.objects.filter(indicator_id="named_doctor_share").count()


def test_the_export_has_the_length_of_the_finding():
    assert ROWS == 116_625 > MAX_ROWS


def test_a_116_625_row_export_imports_whole_and_a_correction_changes_one_value(export, tmp_path):
    report = import_file(export, "named_doctor_share", actor="test")
    assert (report.plan.added, report.batch.added) == (ROWS, ROWS)
    assert stored() == ROWS
    last = IndicatorValue.objects.get(
        org_code=ORGS[-1], period="2022-12-31", sex="M", age_band="80+"
    )
    assert last.value == pytest.approx(float(value(ROWS - 1))) and last.row_number == ROWS + 1
    corrected = tmp_path / "corrected.csv"
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[-1] = lines[-1].rsplit(",", 1)[0] + ",99.5\n"
    corrected.write_text("".join(lines), encoding="utf-8")
    again = import_file(corrected, "named_doctor_share", actor="test")
    assert (again.plan.added, again.plan.changed, again.plan.unchanged) == (0, 1, ROWS - 1)
    assert {o.kind for o in again.plan.outcomes} == {"unchanged"}  # the first 100 rows
    history = IndicatorValue.objects.filter(
        org_code=ORGS[-1], period="2022-12-31", sex="M", age_band="80+"
    )
    old, new = history.get(is_current=False), history.get(is_current=True)
    assert (old.value, new.value, old.superseded_by) == (last.value, 99.5, new)
    assert stored() == ROWS + 1 and ImportBatch.objects.count() == 2


@pytest.mark.parametrize(
    "last_row, problem",
    [
        (f"{ORGS[-1]},2022,M,80+,sextio", "column value: 'sextio' is not a number"),
        (
            f"{ORGS[0]},1998,T,total,5.00",
            f"column org: duplicate of row 2 (named_doctor_share {ORGS[0]} 1998-12-31 T total)",
        ),
    ],
)
def test_a_malformed_last_row_refuses_the_export_and_stores_nothing(
    export, tmp_path, last_row, problem
):
    lines = export.read_text(encoding="utf-8").splitlines()
    if "sextio" in last_row:
        lines[-1] = last_row
    else:
        lines.append(last_row)
    malformed = tmp_path / "malformed.csv"
    malformed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        import_file(malformed, "named_doctor_share", actor="test")
    assert info.value.count == 1
    assert [str(p) for p in info.value.problems] == [f"row {len(lines)}, {problem}"]
    assert stored() == 0 and not ImportBatch.objects.exists()


def test_every_problem_is_counted_and_the_first_hundred_told():
    data = "org,period,value\n" + "Atlantis,2022,50\n" * 500 + "01,2022,50\n"
    with pytest.raises(ImportRefused) as info:
        import_file("a.csv", "named_doctor_share", data=data.encode(), name="a.csv", actor="t")
    refused = info.value
    assert (refused.count, len(refused.problems)) == (500, SHOWN)
    assert [p.row for p in refused.problems] == list(range(2, 2 + SHOWN))
    assert str(refused) == "500 problem(s); nothing was stored"
    assert refused.plan.added == 1 and refused.plan.not_shown == 501 - SHOWN
    assert stored() == 0


def test_a_dry_run_of_a_long_file_tells_the_first_hundred_rows_and_counts_the_rest(export):
    report = import_file(export, "named_doctor_share", actor="test", dry_run=True)
    lines = report.plan.lines()
    assert len(lines) == SHOWN and report.plan.not_shown == ROWS - SHOWN
    assert lines[0] == f"row 2: add named_doctor_share {ORGS[0]} 1998-12-31 T = 5"
    assert lines[1] == f"row 3: add named_doctor_share {ORGS[0]} 1998-12-31 T 0-19 = 5.01"
    assert report.plan.added == ROWS and report.batch is None and stored() == 0


def test_an_excel_file_and_a_json_stat_dataset_longer_than_an_upload_import_whole():
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["org", "period", "value"])
    rows = list(itertools.product(ORGS, range(2003, 2023)))[: MAX_ROWS + 500]
    for n, (org, year) in enumerate(rows):
        sheet.append([org, year, n % 90 + 0.5])
    out = io.BytesIO()
    book.save(out)
    report = import_file("x.xlsx", "named_doctor_share", data=out.getvalue(), actor="test")
    assert report.plan.added == MAX_ROWS + 500 == stored()
    regions = [r.code for r in files.regions()]
    years = [str(y) for y in range(1901, 2001)]
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Region", "Kon", "Tid"],
        "size": [len(regions), 3, len(years)],
        "role": {"time": ["Tid"], "geo": ["Region"]},
        "dimension": {
            "Region": {"category": {"index": regions}},
            "Kon": {"category": {"index": ["1+2", "1", "2"]}},
            "Tid": {"category": {"index": years}},
        },
        "value": [n % 100 for n in range(len(regions) * 3 * len(years))],
    }
    report = import_file(
        "px.json", "trust_in_health_care", data=json.dumps(dataset).encode(), actor="test"
    )
    assert report.plan.added == len(regions) * 3 * len(years) > MAX_ROWS
