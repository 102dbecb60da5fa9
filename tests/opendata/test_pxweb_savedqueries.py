"""The PxWeb API's saved queries: saved once, run with the data as they stand (issue 20, 5)."""

from __future__ import annotations

import json

import pytest

from naravard.publish.releases import release

pytestmark = pytest.mark.django_db

BASE = "/api/v2"
QUERY = {
    "tableId": "named_doctor_share",
    "language": "sv",
    "selection": {
        "selection": [
            {"variableCode": "Region", "valueCodes": ["01", "03"]},
            {"variableCode": "Kon", "valueCodes": ["1+2"]},
            {"variableCode": "Tid", "valueCodes": ["top(1)"]},
        ],
        "placement": {"heading": ["Tid"], "stub": ["Region"]},
    },
    "outputFormat": "json-stat2",
}


def save(client, body) -> object:
    return client.post(f"{BASE}/savedqueries", json.dumps(body), content_type="application/json")


def test_a_saved_query_gives_back_what_was_saved_and_its_data(client, released_named_doctor):
    response = save(client, QUERY)
    assert response.status_code == 201, response.content
    saved = response.json()
    query_id = saved["id"]
    assert saved["savedQuery"]["tableId"] == "named_doctor_share"
    assert {link["rel"] for link in saved["links"]} == {"self", "data", "selection"}
    assert (
        client.get(f"{BASE}/savedqueries/{query_id}").json()["savedQuery"] == (saved["savedQuery"])
    )
    data = client.get(f"{BASE}/savedqueries/{query_id}/data").json()
    direct = client.post(
        f"{BASE}/tables/named_doctor_share/data",
        json.dumps(QUERY["selection"]),
        content_type="application/json",
    ).json()
    assert data["value"] == direct["value"] and data["id"] == direct["id"]
    selection = client.get(f"{BASE}/savedqueries/{query_id}/selection").json()
    chosen = {s["variableCode"]: s["valueCodes"] for s in selection["selection"]}
    assert chosen["Tid"] == ["2021"] and chosen["Region"] == ["01", "03"]


def test_a_saved_query_answers_with_the_data_as_they_stand_when_it_is_run(
    client, released_named_doctor
):
    query_id = save(client, QUERY).json()["id"]
    assert client.get(f"{BASE}/savedqueries/{query_id}/selection").json()["selection"][-1][
        "valueCodes"
    ] == ["2021"]
    release("named_doctor_share", "2022", actor="test")  # a newer period is published
    data = client.get(f"{BASE}/savedqueries/{query_id}/data").json()
    assert list(data["dimension"]["Tid"]["category"]["index"]) == ["2022"]  # top(1) is now 2022


@pytest.mark.parametrize(
    "change, word",
    [
        ({"tableId": "no_such_table"}, "no_such_table"),
        ({"language": "fi"}, "language"),
        ({"selection": []}, "selection"),
        ({"outputFormat": "pdf"}, "outputFormat"),
        (
            {"selection": {"selection": [{"variableCode": "Region", "valueCodes": ["99"]}]}},
            "Region",
        ),
    ],
)
def test_a_query_that_could_not_run_is_refused_when_saved(
    client, released_named_doctor, change, word
):
    response = save(client, QUERY | change)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert word in response.json()["detail"]


def test_an_unknown_saved_query_is_a_404_problem(client):
    for path in ("x", "x/data", "x/selection"):
        response = client.get(f"{BASE}/savedqueries/{path}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
