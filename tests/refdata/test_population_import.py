"""A year of SCB's population by age is longer than an upload may be: the municipalities ×
men and women × 21 age bands are 12 180 rows, and the import reads them all."""

import itertools

import pytest

from naravard.refdata import files
from naravard.refdata.population_import import read_rows

pytestmark = pytest.mark.django_db


def test_a_year_of_population_by_age_is_read_whole(tmp_path):
    path = tmp_path / "folkmangd-2023.csv"
    cells = itertools.product(files.municipalities(), ("men", "women"), files.AGE_BANDS)
    path.write_text(
        "year,code,sex,age_band,population\n"
        + "".join(f"2023,{m.code},{sex},{band},{len(band)}\n" for m, sex, band in cells),
        encoding="utf-8",
    )
    rows = read_rows(path)
    assert len(rows) == 290 * 2 * 21 == 12_180
    assert {r.code for r in rows} == {m.code for m in files.municipalities()}
