"""Every API path answers its errors in its own format, never with the site's HTML pages: the
JSON API ``{"detail": ...}``, PxWeb an RFC 7807 problem, Kolada ``{"error": ...}``."""

import pytest
from django.test import Client

from naravard.publish.releases import release
from tests.helpers import store

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def client() -> Client:
    # errors are answered, not raised: what a caller gets
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/nope"),
        ("get", "/api/open/nope"),
        ("get", "/api/open/indicators/named_doctor_share/values/more"),
        ("post", "/api/collect/nothing"),
        ("get", "/api/v2x"),
        ("get", "/api/"),
    ],
)
def test_unknown_paths_of_the_json_api_answer_its_json(method, path):
    response = getattr(client(), method)(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": f"{path} is no operation of the API; see /api/docs"}


def test_a_method_the_json_api_does_not_answer_is_its_json():
    response = client().delete("/api/open/regions")
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert response.json() == {"detail": "/api/open/regions answers GET"}


def test_an_unexpected_error_of_the_json_api_is_a_500_in_its_json(monkeypatch, caplog):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr("naravard.opendata.api.public_indicators", broken)
    response = client().get("/api/open/indicators")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error: the request could not be answered"}
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged and logged[0].exc_info and "a bug" in str(logged[0].exc_info[1])
    with pytest.raises(RuntimeError, match="a bug"):  # the test client still sees it
        Client().get("/api/open/indicators")


def test_a_parameter_not_as_declared_is_a_400_naming_it():
    response = client().get("/api/open/surveys/first/results", {"format": "pdf"})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "path parameter round_id: Input should be a valid integer, unable to parse string as "
        "an integer; query parameter format: Input should be 'json', 'csv' or 'xlsx'"
    )


@pytest.mark.parametrize(
    "path", ["/api/v2/nope", "/api/v2/tables/named_doctor_share/data/more", "/api/v2/"]
)
def test_unknown_paths_of_pxweb_answer_problems(path):
    response = client().get(path)
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["title"] == "Not found" and body["instance"] == f"http://testserver{path}"


@pytest.mark.parametrize("days", ["740000", "3652425", "999999999", "1" + "0" * 40])
def test_pxweb_tables_of_any_number_of_past_days(days):
    store("2021")
    release("named_doctor_share", "2021", actor="test")
    response = client().get("/api/v2/tables", {"pastDays": days})
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["tables"]] == ["named_doctor_share"]


@pytest.mark.parametrize("path", ["/kolada/v3/nope", "/kolada/v3/data/more", "/kolada/v3/"])
def test_unknown_paths_of_kolada_answer_its_json(path):
    response = client().get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": f"{path} finns inte i naravards Kolada-API; se kpi, kpi_groups, municipality, "
        "municipality_groups, data, ou, oudata"
    }


def test_kolada_without_the_final_slash_leads_to_its_json():
    response = client().get("/kolada/v3", follow=True)
    assert response.status_code == 404 and "error" in response.json()


def test_a_method_kolada_does_not_answer_is_its_json():
    response = client().post("/kolada/v3/kpi")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert response.json() == {"error": "/kolada/v3/kpi svarar på GET, inte POST"}
