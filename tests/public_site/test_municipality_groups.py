"""A municipality's page compares it with its group of similar municipalities (SKR's
municipality groups) as well as with the nation."""

import re

import pytest

from naravard.presentation.charts import number
from naravard.publish.open_data import public_groups

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace(
        "\xa0", " "
    )


def group_value(code: str) -> str:
    row = public_groups("readmission_30d", "2021")[("kommungrupper", code, "T")]
    return "–" if row.suppressed else number(row.value, 1)


def test_a_municipality_is_shown_beside_its_group_and_the_nation(client, municipal_readmissions):
    response = client.get("/kommun/0180/")
    assert response.status_code == 200
    body, html = text(response), response.content.decode()
    assert "Kommungrupp Storstäder" in body  # the fact, with the grouping named
    assert "Kommungruppen Storstäder: 3 kommuner" in body
    assert 'href="/kommun/1280/"' in html and 'href="/kommun/1480/"' in html
    assert "Kommungruppen Storstäder Riket" in body  # the table's columns, the group named
    table = html[html.index('id="org-indicators"') :]
    row = re.search(r"30 dagar[^|]*?</th>(.*?)</tr>", table, re.S)
    assert row is not None
    cells = [
        re.sub(r"<[^>]+>", "", c).replace("\xa0", " ")
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]
    assert cells[2].startswith(group_value("A1"))  # period, the municipality, its group


def test_a_group_with_a_hidden_member_shows_no_value(client, municipal_readmissions):
    # Ale's women are hidden; its group A2 shows no value where a member is hidden
    rows = public_groups("readmission_30d", "2021")
    assert rows[("kommungrupper", "A2", "K")].suppressed
    response = client.get("/kommun/1440/")
    assert response.status_code == 200
    assert "Kommungruppen Pendlingskommun nära storstad" in text(response)


def test_the_english_page_names_the_group(client, municipal_readmissions):
    response = client.get("/en/kommun/0180/")
    assert response.status_code == 200
    body = text(response)
    assert "Municipality group Large cities" in body
    assert "Municipality group Large cities: 3 municipalities" in body


def test_the_comparison_tool_sets_municipalities_and_groups_beside_regions(
    client, municipal_readmissions
):
    response = client.get(
        "/jamfor/",
        {
            "region": ["01"],
            "kommun": ["0180", "1440"],
            "grupp": ["A1"],
            "indikator": ["readmission_30d"],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    body = text(response)
    assert "Kommungruppen Storstäder" in body
    result = html[html.index('id="result-heading"') :]
    result = result[result.index("<tbody>") :]
    row = re.search(r"30 dagar[^|]*?</th>(.*?)</tr>", result, re.S)
    cells = [
        re.sub(r"<[^>]+>", "", c).replace("\xa0", " ")
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]
    # period, Region Stockholm, Stockholm, Ale, the group A1, the nation, the target
    assert cells[4].startswith(group_value("A1"))
    assert cells[1] != "–" and cells[2] != "–" and cells[3] != "–"
    # over time: one table per indicator, a row per area and the nation
    over = re.search(r'<table class="over-time">(.*?)</table>', html, re.S)[1]
    names = re.findall(r'<th scope="row">([^<]+)</th>', over)
    assert names == ["Region Stockholm", "Stockholm", "Ale", "Kommungruppen Storstäder", "Riket"]
    # the form keeps the choices
    assert '<option value="1440" selected>' in html and 'id="g-A1" checked' in html
    # and the file for people has the same columns
    sheet = client.get(
        "/jamfor/hamta.csv",
        {"region": ["01"], "kommun": ["0180"], "grupp": ["A1"], "indikator": ["readmission_30d"]},
    ).content.decode("utf-8-sig")
    assert "Kommungruppen Storstäder" in sheet.splitlines()[0]


def test_the_comparison_tool_refuses_too_many_areas_and_names_unknown_ones(
    client, municipal_readmissions
):
    codes = ["0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128", "0136"]
    response = client.get(
        "/jamfor/",
        {
            "kommun": [*codes, "0138", "0139", "0140"],
            "grupp": ["ZZ"],
            "indikator": ["readmission_30d"],
        },
    )
    body = text(response)
    assert "Högst 12 områden åt gången" in body and "Okända val hoppades över: ZZ" in body
