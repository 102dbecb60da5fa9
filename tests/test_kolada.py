"""The Kolada v3-compatible endpoint, read with the unmodified koladapy client."""

import pytest
from koladapy import KoladaAPI

from naravard.ingest.importer import import_file
from naravard.ingest.models import IndicatorValue
from naravard.publish.releases import release
from naravard.refdata import files


pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep refdata


@pytest.fixture
def published():
    """Named-doctor shares for every region in 2021 (released) and 2022 (not released);
    Jönköping (0006 in Kolada) has three persons, so it is suppressed."""
    lines = ["org,period,sex,numerator,denominator"]
    for i, region in enumerate(files.regions()):
        women = 3 if region.code == "06" else 400 + i
        for sex, n, d in (("K", women, 1000), ("M", 300 + i, 1000), ("T", women + 300 + i, 2000)):
            lines.append(f"{region.code},2021,{sex},{n},{d}")
            lines.append(f"{region.code},2022,{sex},{n + 100},{d}")
    import_file("n.csv", "named_doctor_share", data="\n".join(lines).encode(), name="n.csv",
                actor="test")
    release("named_doctor_share", "2021", actor="test")


def client(live_server) -> KoladaAPI:
    return KoladaAPI(base_url=f"{live_server.url}/kolada/v3/", max_requests_per_second=50)


def test_koladapy_reads_the_published_values(live_server, published):
    api = client(live_server)
    assert [k["id"] for k in api.search_kpis("")] == ["named_doctor_share"]
    regions = api.get_municipalities(municipality_type="L")
    assert {"id": "0001", "title": "Region Stockholm", "type": "L"} in regions
    frame = api.get_data_as_dataframe(kpi_id="named_doctor_share", municipality_id="0014",
                                      years=[2021, 2022])
    assert set(frame.period) == {2021}  # 2022 is not published
    stored = {v.sex: v for v in IndicatorValue.objects.filter(
        indicator_id="named_doctor_share", org_code="14", period="2021-12-31", is_current=True)}
    by_gender = dict(zip(frame.gender, frame.value))
    assert by_gender["K"] == pytest.approx(stored["K"].value)
    assert by_gender["M"] == pytest.approx(stored["M"].value)
    assert by_gender["T"] == pytest.approx(stored["T"].value)
    assert frame.status.eq("").all()


def test_suppressed_values_carry_kolada_status(live_server, published):
    frame = client(live_server).get_data_as_dataframe(
        kpi_id="named_doctor_share", municipality_id="0006", years=[2021])
    women = frame[frame.gender == "K"].iloc[0]
    assert women.status == ".." and women.value != women.value  # NaN: no value
    assert set(frame[frame.status == ".."].gender) >= {"K"}


def test_paging_follows_next_url(live_server, published):
    import requests

    first = requests.get(f"{live_server.url}/kolada/v3/data/",
                         params={"kpi_id": "named_doctor_share", "year": 2021, "per_page": 10}).json()
    assert first["count"] == 22 and len(first["values"]) == 10 and first["next_url"]
    last = requests.get(f"{live_server.url}/kolada/v3/data/",
                        params={"kpi_id": "named_doctor_share", "year": 2021, "per_page": 10,
                                "page": 3}).json()
    assert len(last["values"]) == 2 and last["next_url"] is None
    everything = client(live_server).get_values("named_doctor_share", years=[2021])
    assert len(everything) == 22


def test_unknown_kpis_and_bad_ids_are_refused(live_server, published):
    import requests

    base = f"{live_server.url}/kolada/v3/data/"
    assert requests.get(base, params={"kpi_id": "nope"}).status_code == 404
    assert "not a Kolada id" in requests.get(
        base, params={"kpi_id": "named_doctor_share", "municipality_id": "Stockholm"}).json()["error"]
    assert requests.get(base).status_code == 400
