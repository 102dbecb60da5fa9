"""The indicator store at the real follow-up's volume (synth/store_values.py, for
bench/store_bench.py): every indicator at its levels, periods, sexes and age bands, in files
the importer takes whole."""

import pytest

from naravard.catalog.catalogue import catalogue, get_indicator
from naravard.ingest.importer import import_file
from naravard.ingest.models import AGE_BANDS, SEXES, IndicatorValue
from naravard.refdata import files
from naravard.synth.store_values import areas, periods, write_store_files


def test_every_indicator_has_every_area_period_sex_and_age_band_of_its_own(tmp_path):
    written = {f.indicator_id: f for f in write_store_files(tmp_path, 2024, years=2)}
    assert written.keys() == catalogue().keys()
    regions, municipalities = len(files.regions()), len(files.municipalities())
    cells = len(SEXES) * len(AGE_BANDS)
    for ind in catalogue().values():
        n_areas = 1 + (regions if "region" in ind.levels else 0)
        n_areas += municipalities if "municipality" in ind.levels else 0
        n_periods = 24 if ind.period_type == "month" else 2
        lines = written[ind.id].path.read_text(encoding="utf-8").splitlines()
        assert written[ind.id].values == len(lines) - 1 == n_areas * n_periods * cells, ind.id
    assert periods(get_indicator("named_doctor_share"), 2024, 2) == ["2023-12-31", "2024-12-31"]
    assert len(areas(get_indicator("named_doctor_share"))) == 1 + regions + municipalities


def test_two_runs_write_the_same_files(tmp_path):
    first = write_store_files(tmp_path / "a", 2024, years=1, ids=["readmission_30d"])
    second = write_store_files(tmp_path / "b", 2024, years=1, ids=["readmission_30d"])
    assert first[0].path.read_bytes() == second[0].path.read_bytes()


@pytest.mark.django_db
def test_the_importer_takes_every_file_whole(tmp_path):
    written = write_store_files(tmp_path, 2024, years=1)
    for f in written:
        plan = import_file(f.path, f.indicator_id, actor="test").plan
        # a derived indicator may have been worked out from its inputs already: changed then
        assert plan.added + plan.changed + plan.unchanged == f.values, f.indicator_id
    assert (
        IndicatorValue.objects.filter(indicator_id="named_doctor_share", is_current=True).count()
        == written[[f.indicator_id for f in written].index("named_doctor_share")].values
    )
