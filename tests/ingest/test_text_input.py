"""An imported table with the NUL character (or another control) in a cell is read without it
(core/tables.py cleans every cell by core/text.py's rule), so a name or a number typed with one
is still recognised, and nothing reaches PostgreSQL that it would refuse."""

import pytest

from naravard.ingest.importer import import_file
from naravard.ingest.models import ImportBatch, IndicatorValue

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_cell_of_an_imported_file_is_removed():
    data = (
        b"org,period,numerator,denominator\n"
        b"Region\x00 Stockholm,2021,400\x00,1000\n"
        b"25,2021\x01,300,1000\n"
    )
    import_file("n.csv", "named_doctor_share", data=data, name="n.csv", actor="test")
    stored = {v.org_code: v.value for v in IndicatorValue.objects.all()}
    assert stored == {"01": pytest.approx(40.0), "25": pytest.approx(30.0)}
    assert ImportBatch.objects.get().file_name == "n.csv"
