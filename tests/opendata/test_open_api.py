"""Open data: only released periods, as they stood when released, reach the public API."""

import csv
import io

import openpyxl
import pytest
from django.test import Client

from naravard.publish.releases import ReleaseError, latest_releases, release, withdraw
from tests.helpers import store

pytestmark = pytest.mark.django_db
API = "/api/open"


def values(client, **params):
    return client.get(f"{API}/indicators/named_doctor_share/values", params)


def test_nothing_stored_is_public_until_released():
    client = Client()
    store("2021")
    assert client.get(f"{API}/indicators").json() == []
    assert values(client).status_code == 404
    assert client.get(f"{API}/indicators/named_doctor_share").status_code == 404
    release("named_doctor_share", "2021", actor="test")
    listed = client.get(f"{API}/indicators").json()
    assert [i["id"] for i in listed] == ["named_doctor_share"]
    assert listed[0]["periods"] == ["2021-12-31"]
    rows = values(client).json()
    assert len(rows) == 22 and rows[-1]["org"] == "00"
    assert rows[0]["value"] == pytest.approx(50.0) and rows[0]["ci_low"] < 50 < rows[0]["ci_high"]


def test_a_later_correction_stays_internal_until_released_again():
    client = Client()
    store("2021")
    release("named_doctor_share", "2021", actor="test")
    store("2021", {"01": 700})  # a correction of Stockholm
    store("2022")  # a new year, not released
    first = {r["org"]: r for r in values(client).json()}
    assert first["01"]["value"] == pytest.approx(50.0)
    assert values(client, period="2022-12-31").status_code == 404
    release("named_doctor_share", "2021", actor="test", note="correction")
    assert {r["org"]: r for r in values(client).json()}["01"]["value"] == pytest.approx(70.0)


def test_withdrawn_periods_disappear_and_the_history_stays():
    store("2021")
    release("named_doctor_share", "2021", actor="test")
    withdraw("named_doctor_share", "2021-12-31", actor="test", note="wrong denominators")
    assert latest_releases() == {}
    assert values(Client()).status_code == 404
    with pytest.raises(ReleaseError, match="is not public"):
        withdraw("named_doctor_share", "2021-12-31", actor="test")
    from naravard.publish.models import Release

    assert Release.objects.count() == 2


def test_release_refuses_what_is_not_there():
    from naravard.catalog.catalogue import CatalogueError

    with pytest.raises(
        ReleaseError, match="no stored values of named_doctor_share for 31 December 2020"
    ):
        release("named_doctor_share", "2020", actor="test")
    with pytest.raises(ReleaseError, match="'last year' is not a period of named_doctor_share"):
        release("named_doctor_share", "last year", actor="test")
    with pytest.raises(CatalogueError):
        release("no_such_indicator", "2020", actor="test")


def test_suppressed_cells_carry_no_numbers_anywhere():
    client = Client()
    store("2021", {"04": 3})  # three persons in Jönköping: disclosure control hides them
    release("named_doctor_share", "2021", actor="test")
    rows = {r["org"]: r for r in values(client).json()}
    hidden = [r for r in rows.values() if r["suppressed"]]
    assert rows["04"] in hidden and len(hidden) >= 2  # and one more, so 04 cannot be worked out
    for r in hidden:
        assert r["value"] is r["numerator"] is r["denominator"] is r["ci_low"] is None
    text = values(client, format="csv").content.decode()
    table = list(csv.DictReader(io.StringIO(text)))
    assert {r["org"]: r for r in table}["04"]["numerator"] == ""
    assert ",3.0," not in text and ",3," not in text


def test_downloads_csv_for_excel_and_xlsx():
    client = Client()
    store("2021")
    release("named_doctor_share", "2021", actor="test")
    excel = values(client, format="csv", excel="true")
    assert excel["Content-Disposition"].startswith('attachment; filename="named_doctor_share-2021')
    body = excel.content.decode("utf-8")
    assert body.startswith("\ufeffindicator;org;name;") and "\r\n" in body
    book = openpyxl.load_workbook(io.BytesIO(values(client, format="xlsx").content))
    sheet = book.active
    assert [c.value for c in sheet[1]][:3] == ["indicator", "org", "name"]
    assert sheet.max_row == 23
    regions = client.get(f"{API}/regions", {"format": "csv"}).content.decode()
    assert regions.count("\n") == 22 and "\n01,Region Stockholm," in regions
    assert len(client.get(f"{API}/municipalities").json()) == 290


@pytest.mark.parametrize(
    "params, status, message",
    [
        ({"format": "pdf"}, 400, "query parameter format: Input should be 'json', 'csv' or 'xlsx'"),
        ({"level": "county"}, 400, "query parameter level: Input should be 'region' or"),
        ({"sex": "X"}, 400, "query parameter sex: Input should be 'T', 'K' or 'M'"),
        ({"period": "1999"}, 404, "inga publicerade värden för 31 december 1999"),
    ],
)
def test_bad_requests_are_named(params, status, message):
    store("2021")
    release("named_doctor_share", "2021", actor="test")
    response = values(Client(), **params)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_only_published_survey_rounds_are_public(survey_round):
    client = Client()
    assert client.get(f"{API}/surveys").json() == []
    assert client.get(f"{API}/surveys/{survey_round.pk}/results").status_code == 404
    survey_round.is_published = True
    survey_round.save()
    assert [s["round"] for s in client.get(f"{API}/surveys").json()] == [survey_round.pk]
    assert (
        client.get(f"{API}/surveys/{survey_round.pk}/results").json()["form"]
        == survey_round.form_id
    )
