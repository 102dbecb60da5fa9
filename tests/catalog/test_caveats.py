"""A caveat holds for the periods it concerns: what happened after 2021 is not printed beside a
2019 or 2020 figure."""

import copy
import datetime as dt
from importlib.resources import files

import pytest
import yaml
from django.utils import translation

from naravard.catalog import catalogue
from naravard.catalog.catalogue import CatalogueError, get_indicator
from naravard.ingest.importer import import_file
from naravard.refdata.models import Region
from naravard.report.content import build_report


def test_a_caveat_is_read_only_within_its_periods():
    digital = get_indicator("digital_contact_share")
    assert digital.caveats_at("2019") is None
    assert digital.caveats_at("2020")["sv"] == "Digitala kontakter ökade kraftigt under pandemin."
    assert "Efter 2021 minskade" in digital.caveats_at("2022")["sv"]
    assert "Efter 2021" not in digital.caveats_at("2021")["sv"]
    named = get_indicator("named_doctor_share")  # a caveat without dates holds always
    assert named.caveats_at("2019") == named.caveats_at("2030")


def test_the_catalogue_refuses_a_malformed_caveat():
    raw = yaml.safe_load(
        (files("naravard.catalog") / "definitions" / "indicators.yaml").read_text(encoding="utf-8")
    )
    bad = copy.deepcopy(raw)
    entry = next(e for e in bad if e["id"] == "digital_contact_share")
    entry["caveats"] = [{"text": {"sv": "x"}, "valid_from": dt.date(2022, 1, 1)}]
    with pytest.raises(CatalogueError, match=r"indicators.yaml: \d+/caveats"):
        catalogue.parse(bad)


@pytest.mark.django_db
def test_a_2020_report_does_not_print_what_happened_after_2021(followup):
    lines = ["org,period,numerator,denominator"]
    for n, region in enumerate(Region.objects.order_by("code")):
        lines.append(f"{region.code},2019,{100 + n},{1000 + 10 * n}")
    import_file(
        "digital.csv",
        "digital_contact_share",
        data="\n".join(lines).encode(),
        name="digital.csv",
        actor="test",
    )
    with translation.override("sv"):
        report = build_report(followup)
    table = next(b for b in report.blocks() if b.key == "definitioner")
    row = next(r for r in table.rows if r[0] == "Andel digitala kontakter i primärvården")
    assert row[-1] == "–"  # 2019: neither the pandemic nor after 2021
    assert not any("Efter 2021" in str(r) for b in report.blocks() for r in b.rows)
