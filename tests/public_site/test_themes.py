"""Findable by theme: the overview groups indicators by theme, a page per theme lists its
indicators and what the regions and municipalities report doing, and search finds themes."""

import re

import pytest

from naravard.publish.releases import release
from naravard.qualitative.frame import current_frame
from tests.helpers import page_text, page_words, store, store_turning_digital_shares, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_themes():
    store("2021")
    release("named_doctor_share", "2021", actor="test")
    store_turning_digital_shares(release_them=True)


def test_the_overview_groups_indicators_under_their_first_theme(client, two_themes):
    html = page_text(client.get("/"))
    sections = re.findall(r'<h2 id="tema-(\w+)"><a href="/tema/\1/">([^<]+)</a></h2>', html)
    frame = current_frame()
    assert [s[0] for s in sections] == ["fast_kontakt", "digital_vard"]  # the frame's order
    assert sections[0][1] == frame.theme("fast_kontakt").name["sv"]
    fast = html[html.index('id="tema-fast_kontakt"') : html.index('id="tema-digital_vard"')]
    assert "Andel invånare med fast läkarkontakt" in fast
    assert "Andel digitala kontakter" not in fast
    assert '<a href="#tema-digital_vard">' in html  # the index of themes at the top


def test_a_theme_page_lists_its_published_indicators(client, two_themes):
    response = client.get("/tema/fast_kontakt/")
    rows = table_rows(page_text(response), "theme-indicators")
    assert rows[1][0].startswith("Andel invånare med fast läkarkontakt")
    assert rows[1][1] == "31 december 2021" and rows[1][2].startswith("50,0")
    assert "Ingen publicerad uppföljning tar upp temat ännu." in page_words(response)
    assert client.get("/tema/no_such/").status_code == 404
    assert client.get("/tema/mobila_team_aldre/").status_code == 404  # a sub-theme


def test_a_theme_page_shows_what_the_newest_published_follow_up_codes(client, followup):
    from naravard.report.models import PublishedReport

    PublishedReport.objects.create(followup=followup, lang="sv", html="", pdf=b"", manifest={})
    words = page_words(client.get("/tema/mobila_team/"))
    found = re.search(r"tar (\d+) regioner upp temat i sina nulägesrapporter", words)
    assert found and int(found[1]) >= 1
    assert "Regioner: Region" in words


def test_search_finds_themes_by_name_and_by_the_frames_terms(client):
    for query, theme in (
        ("mobila team", "mobila_team"),
        ("hembesök", "mobila_team"),
        ("psykisk ohälsa", "psykisk_ohalsa"),
        ("mental", "psykisk_ohalsa"),
    ):
        html = page_text(client.get("/sok/", {"q": query}))
        hits = re.search(r'<ul class="hits" id="theme-hits">(.*?)</ul>', html, re.S)
        assert hits, query
        assert re.findall(r'href="/tema/(\w+)/"', hits[1])[0] == theme, query
