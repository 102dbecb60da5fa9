"""The Kolada v3-compatible endpoint, read with the unmodified koladapy client."""

import pytest
from koladapy import KoladaAPI

from naravard.ingest.models import IndicatorValue

# the client talks to a live server in another thread: the data must be committed
pytestmark = pytest.mark.django_db(transaction=True)


def client(live_server) -> KoladaAPI:
    return KoladaAPI(base_url=f"{live_server.url}/kolada/v3/", max_requests_per_second=50)


def test_koladapy_reads_the_published_values(live_server, released_named_doctor):
    api = client(live_server)
    assert [k["id"] for k in api.search_kpis("")] == ["named_doctor_share"]
    regions = api.get_municipalities(municipality_type="L")
    assert {"id": "0001", "title": "Region Stockholm", "type": "L"} in regions
    frame = api.get_data_as_dataframe(
        kpi_id="named_doctor_share", municipality_id="0014", years=[2021, 2022]
    )
    assert set(frame.period) == {2021}  # 2022 is not published
    stored = {
        v.sex: v
        for v in IndicatorValue.objects.filter(
            indicator_id="named_doctor_share", org_code="14", period="2021-12-31", is_current=True
        )
    }
    by_gender = dict(zip(frame.gender, frame.value, strict=True))
    assert by_gender["K"] == pytest.approx(stored["K"].value)
    assert by_gender["M"] == pytest.approx(stored["M"].value)
    assert by_gender["T"] == pytest.approx(stored["T"].value)
    assert frame.status.eq("").all()


def test_suppressed_values_carry_kolada_status(live_server, released_named_doctor):
    frame = client(live_server).get_data_as_dataframe(
        kpi_id="named_doctor_share", municipality_id="0006", years=[2021]
    )
    women = frame[frame.gender == "K"].iloc[0]
    assert women.status == ".." and women.value != women.value  # NaN: no value
    assert set(frame[frame.status == ".."].gender) >= {"K"}


def test_paging_follows_next_url(live_server, released_named_doctor):
    import requests

    first = requests.get(
        f"{live_server.url}/kolada/v3/data/",
        params={"kpi_id": "named_doctor_share", "year": 2021, "per_page": 10},
    ).json()
    assert first["count"] == 22 and len(first["values"]) == 10 and first["next_url"]
    last = requests.get(
        f"{live_server.url}/kolada/v3/data/",
        params={"kpi_id": "named_doctor_share", "year": 2021, "per_page": 10, "page": 3},
    ).json()
    assert len(last["values"]) == 2 and last["next_url"] is None
    everything = client(live_server).get_values("named_doctor_share", years=[2021])
    assert len(everything) == 22


def test_unknown_kpis_and_bad_ids_are_refused(live_server, released_named_doctor):
    import requests

    base = f"{live_server.url}/kolada/v3/data/"
    assert requests.get(base, params={"kpi_id": "nope"}).status_code == 404
    assert (
        "inget Kolada-id"
        in requests.get(
            base, params={"kpi_id": "named_doctor_share", "municipality_id": "Stockholm"}
        ).json()["error"]
    )
    assert requests.get(base).status_code == 400
