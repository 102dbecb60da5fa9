"""A trend that turns is said on the public pages: the indicator page (the nation and each
region, Swedish and English) and a region's page; a series without a turn keeps the words of
the test over the last points."""

import re

import pytest

from tests.helpers import page_words, store_turning_digital_shares

pytestmark = pytest.mark.django_db

TURN_SV = "ökade 2019–2021 och minskade därefter"
TURN_EN = "increased 2019–2021 and decreased after that"


@pytest.fixture
def published():
    store_turning_digital_shares(release_them=True)


def trend_cell(html: str, name: str) -> str:
    """The last cell (the trend) of the table row headed by ``name``."""
    row = re.search(
        rf"<tr[^>]*>(?:(?!</tr>).)*?>{re.escape(name)}</(?:a|th)>(.*?)</tr>", html, re.S
    )
    assert row is not None, name
    return re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", row.group(1), re.S)[-1]).strip()


def test_the_indicator_page_says_the_turn(client, published):
    response = client.get("/statistik/digital_contact_share/")
    assert f"Trenden i riket: {TURN_SV}." in page_words(response)
    html = response.content.decode()
    assert trend_cell(html, "Riket") == TURN_SV
    assert trend_cell(html, "Västra Götalandsregionen") == TURN_SV
    assert trend_cell(html, "Region Stockholm") == "ökar"  # 01 rises all along: no turn
    english = client.get("/en/statistik/digital_contact_share/")
    assert f"The national trend: {TURN_EN}." in page_words(english)


def test_before_five_points_there_is_no_turn_to_say(client, published):
    body = page_words(client.get("/statistik/digital_contact_share/?period=2022"))
    assert "Trenden i riket:" in body  # the last points' test (four of them)
    assert "minskade därefter" not in body


def test_a_regions_page_says_its_turn(client, published):
    html = client.get("/region/14/").content.decode()
    assert TURN_SV in html
    assert "ökade 2019–2021" not in client.get("/region/01/").content.decode()
