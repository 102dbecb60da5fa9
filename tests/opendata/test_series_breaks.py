"""A break in a series reaches the open data: PxWeb gives the first period after it a
mandatory value note with the reason (and the table a note when the periods chosen span it),
still valid JSON-stat 2.0; Kolada says it in the KPI's description; the open API's metadata
lists it."""

import json

import pytest
from django.test import Client
from pyjstat import pyjstat

from tests.helpers import SHORTAGE, store_shortage_across_the_break
from tests.opendata.jsonstat import assert_json_stat

pytestmark = pytest.mark.django_db

REASON_SV = "Frågan gällde november 2019 men gäller från 2021 hela året"
REASON_EN = "The question asked about November in 2019 and about the whole year from 2021"
NOTE_SV = f"Tidsseriebrott 2021: {REASON_SV}"
NOTE_EN = f"Break in series 2021: {REASON_EN}"


@pytest.fixture
def published():
    store_shortage_across_the_break()


def data(**params) -> dict:
    response = Client().get(f"/api/v2/tables/{SHORTAGE}/data", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_pxweb_notes_the_first_period_after_the_break(published):
    body = data(**{"valueCodes[Tid]": "*", "valueCodes[Region]": "00,01"})
    assert_json_stat(body)
    time = body["dimension"]["Tid"]
    assert list(time["category"]["index"]) == ["2019", "2021", "2022", "2023"]
    assert list(time["category"]["note"]) == ["2021"]
    assert time["category"]["note"]["2021"][0].startswith(NOTE_SV)
    assert time["extension"]["categoryNoteMandatory"] == {"2021": {"0": True}}
    # periods on both sides of the break: the table says it too, as a note to be shown
    assert body["note"] == time["category"]["note"]["2021"]
    assert body["extension"]["noteMandatory"] == {"0": True}
    frame = pyjstat.Dataset.read(json.dumps(body)).write("dataframe")  # a client reads it
    assert len(frame) == 2 * 4 and frame["value"].notna().all()


def test_pxweb_notes_in_english_and_in_the_metadata(published):
    english = Client().get(f"/api/v2/tables/{SHORTAGE}/metadata", {"lang": "en"}).json()
    assert english["dimension"]["Tid"]["category"]["note"]["2021"][0].startswith(NOTE_EN)
    assert english["note"][0].startswith(NOTE_EN)  # every period: the break is within them


def test_pxweb_periods_on_one_side_of_the_break_need_no_table_note(published):
    after = data(**{"valueCodes[Tid]": "2021,2022"})
    assert_json_stat(after)
    assert "note" not in after and "noteMandatory" not in after["extension"]
    assert after["dimension"]["Tid"]["category"]["note"]["2021"][0].startswith(NOTE_SV)
    before = data(**{"valueCodes[Tid]": "2019"})
    assert_json_stat(before)
    assert "note" not in before and "note" not in before["dimension"]["Tid"]["category"]
    assert "categoryNoteMandatory" not in before["dimension"]["Tid"]["extension"]


def test_pxweb_without_a_break_is_unchanged_and_valid(released_named_doctor):
    body = Client().get("/api/v2/tables/named_doctor_share/data").json()
    assert_json_stat(body)
    assert "note" not in body["dimension"]["Tid"]["category"]


def test_kolada_says_the_break_in_the_kpis_description(published):
    kpi = Client().get(f"/kolada/v3/kpi/{SHORTAGE}").json()["values"][0]
    assert NOTE_SV in kpi["description"]


def test_the_open_api_lists_the_break(published, released_named_doctor):
    meta = Client().get(f"/api/open/indicators/{SHORTAGE}").json()
    assert [b["period"] for b in meta["breaks"]] == ["2021"]
    assert meta["breaks"][0]["reason"]["sv"].startswith(REASON_SV)
    assert meta["breaks"][0]["reason"]["en"].startswith(REASON_EN)
    listed = {i["id"]: i["breaks"] for i in Client().get("/api/open/indicators").json()}
    assert listed["named_doctor_share"] == [] and listed[SHORTAGE] == [meta["breaks"][0]]
