"""The later reports' cost indicators in open data once released: the share without grants
(computed on import) and the cost per resident in fixed prices (a unit of its own) reach the
open API, PxWeb and Kolada with their units and decimals."""

from pathlib import Path

import pytest
from django.test import Client

from naravard.ingest.importer import import_file
from naravard.ingest.models import IndicatorValue
from naravard.publish.releases import release_everything_stored

pytestmark = pytest.mark.django_db

COSTS = Path(__file__).parents[1] / "ingest" / "fixtures" / "primary-care-costs.csv"
SHARE = "primary_care_cost_share_excl_grants"
PER_RESIDENT = "primary_care_cost_fixed_per_inhabitant"


@pytest.fixture
def released(db):
    import_file(COSTS.name, None, data=COSTS.read_bytes(), name=COSTS.name, actor="test")
    index = b"org,period,value\n00,2021,104\n00,2022,111\n"
    import_file("lpik.csv", "price_index", data=index, name="lpik.csv", actor="test")
    release_everything_stored(actor="test")


def stored(indicator_id: str, org: str, period: str) -> float:
    return IndicatorValue.objects.get(
        indicator_id=indicator_id, org_code=org, period=period, is_current=True
    ).value


def test_the_open_api_gives_the_computed_share_without_grants(released):
    client = Client()
    listed = {i["id"] for i in client.get("/api/open/indicators").json()}
    assert {SHARE, PER_RESIDENT, "primary_care_state_grants"} <= listed
    rows = client.get(f"/api/open/indicators/{SHARE}/values", {"period": "2022"}).json()
    by_org = {r["org"]: r for r in rows}
    assert by_org["01"]["value"] == pytest.approx(stored(SHARE, "01", "2022"))
    assert set(by_org) == {"01", "03", "12"}  # three regions of 21: no nation is computed


def test_pxweb_names_the_units_and_their_decimals(released):
    for indicator_id, base, decimals in (
        (SHARE, "procent", 1),
        (PER_RESIDENT, "kronor per invånare, fasta priser", 0),
    ):
        meta = Client().get(f"/api/v2/tables/{indicator_id}/metadata").json()
        units = meta["dimension"]["ContentsCode"]["category"]["unit"]
        assert units["value"] == {"base": base, "decimals": decimals}
        assert meta["extension"]["px"]["decimals"] == decimals
        assert list(meta["dimension"]["Tid"]["category"]["index"]) == ["2021", "2022"]


def test_kolada_titles_end_with_the_unit(released):
    kpis = Client().get(f"/kolada/v3/kpi/{PER_RESIDENT},{SHARE}").json()["values"]
    titles = {k["id"]: k["title"] for k in kpis}
    assert titles[PER_RESIDENT].endswith(", kronor per invånare, fasta priser")
    assert titles[SHARE].endswith(", procent")
