"""PxWeb API 2.0 parameters as the specification types them: a wrong value is a 400 problem
naming the parameter, never a silent default (issue 20, items 1, 3, 5-7)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

TABLE = "/api/v2/tables/named_doctor_share"


def problem(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["instance"].startswith("http://testserver/api/v2/")
    for word in words:
        assert word in body["detail"], body
    return body


@pytest.mark.parametrize(
    "path, params, words",
    [
        ("/api/v2/tables", {"includeDiscontinued": "null"}, ["includeDiscontinued"]),
        (f"{TABLE}/metadata", {"defaultSelection": "yes"}, ["defaultSelection"]),
        (f"{TABLE}/metadata", {"outputFormat": ""}, ["outputFormat"]),
        (f"{TABLE}/data", {"outputFormat": ""}, ["outputFormat"]),
        ("/api/v2/tables", {"pageSize": "0"}, ["pageSize"]),
    ],
)
def test_a_parameter_of_the_wrong_type_is_a_400_naming_it(
    client, released_named_doctor, path, params, words
):
    problem(client.get(path, params), 400, *words)


@pytest.mark.parametrize("body", ["", "{}", '{"placement": {"heading": ["Tid"]}}'])
def test_a_post_without_a_selection_is_a_400(client, released_named_doctor, body):
    response = client.post(f"{TABLE}/data", body, content_type="application/json")
    problem(response, 400, "selection")


def test_an_unknown_path_is_a_problem_with_an_absolute_instance(client):
    body = problem(client.get("/api/v2/tables/x/y/z"), 404)
    assert body["instance"] == "http://testserver/api/v2/tables/x/y/z"


def test_a_search_without_hits_is_one_empty_page(client, released_named_doctor):
    page = client.get("/api/v2/tables", {"query": "zzzz-ingenting"}).json()["page"]
    assert (page["totalElements"], page["totalPages"], page["pageNumber"]) == (0, 1, 1)


def test_the_metadata_value_is_an_empty_list(client, released_named_doctor):
    assert client.get(f"{TABLE}/metadata").json()["value"] == []


def test_the_default_selection_is_what_the_data_answer_without_one(client, released_named_doctor):
    selection = client.get(f"{TABLE}/defaultselection").json()
    chosen = {s["variableCode"]: s["valueCodes"] for s in selection["selection"]}
    data = client.get(f"{TABLE}/data").json()
    assert chosen == {v: list(data["dimension"][v]["category"]["index"]) for v in data["id"]}
    assert selection["placement"]["heading"] + selection["placement"]["stub"]
    narrowed = client.get(f"{TABLE}/metadata", {"defaultSelection": "TRUE"}).json()
    assert {v: list(narrowed["dimension"][v]["category"]["index"]) for v in narrowed["id"]} == (
        chosen
    )
    # the same selection posted gives the same data
    posted = client.post(
        f"{TABLE}/data",
        json.dumps({"selection": selection["selection"], "placement": selection["placement"]}),
        content_type="application/json",
    ).json()
    assert posted["value"] == data["value"]
