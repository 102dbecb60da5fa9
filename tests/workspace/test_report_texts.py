"""The analysts' pages of the report text: the chapters with their versions, the editor that
saves versions with their author, and the preview (with and without JavaScript) that shows
the computed numbers and the typed ones to correct (workspace/report_texts.py)."""

import datetime as dt

import pytest

from naravard.report import preview as previews
from naravard.report import texts
from tests.helpers import make_followup, page_text, page_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def followup():
    previews.forget()
    return make_followup("2020", dt.date(2020, 3, 31), dt.date(2020, 6, 15))


@pytest.fixture
def analyst(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    return client


def edit_url(key="forord", lang="sv"):
    return f"/konto/uppfoljningar/2020/text/{key}/{lang}/"


def test_the_list_names_every_chapter_and_profile_with_its_newest_version(analyst, followup):
    texts.save(followup, "forord", "sv", "Förord.", "Anna Analytiker")
    text = page_words(analyst.get("/konto/uppfoljningar/2020/text/"))
    assert "Förord (forord) version 1, Anna Analytiker skriv" in text
    assert "Profil: Region Stockholm (profil-01)" in text
    assert "Avslutande diskussion" in text and "standarddispositionen" in text


def test_saving_stores_a_version_with_its_author(analyst, followup):
    response = analyst.post(edit_url(), {"text": "Uppföljning {{ uppfoljning.namn }}."})
    assert response.status_code == 302
    (stored,) = texts.history(followup, "forord", "sv")
    assert (stored.version, stored.author) == (1, "ana (webb)")
    page = page_words(analyst.get(edit_url()))
    assert "Version 1 är sparad." in page and "Uppföljning 2020." in page
    again = analyst.post(edit_url(), {"text": "Uppföljning {{ uppfoljning.namn }}."}, follow=True)
    assert "oförändrad" in page_words(again)


def test_the_preview_without_javascript_shows_the_text_and_what_to_correct(analyst, followup):
    response = analyst.post(
        edit_url(),
        {"text": "Data till {{ uppfoljning.data_till | datum }}; 12 regioner.", "preview": "1"},
    )
    text = page_words(response)
    assert "Data till 31 mars 2020; 12 regioner." in text
    assert "rad 1: talet 12 är inskrivet i texten" in text
    assert not texts.history(followup, "forord", "sv")  # a preview stores nothing


def test_the_preview_address_answers_the_script_with_a_fragment(analyst, followup):
    url = edit_url() + "forhandsgranska/"
    ok = analyst.post(url, {"text": "**{{ uppfoljning.namn }}**\n\n{{ figur('karta') }}"})
    assert ok.status_code == 200
    assert "<strong>2020</strong>" in ok.content.decode()
    assert "Här placeras figuren eller tabellen karta." in page_text(ok)
    failing = analyst.post(url, {"text": "rad ett\n{{ finns_inte }}"})
    assert "rad 2: uttrycket gick inte att räkna ut" in page_text(failing)
    assert analyst.get(url).status_code == 405


def test_unknown_chapters_languages_and_other_roles_are_refused(
    analyst, followup, client, make_user
):
    assert analyst.get(edit_url("inget-kapitel")).status_code == 404
    assert analyst.get(edit_url("forord", "de")).status_code == 404
    assert analyst.get("/konto/uppfoljningar/1999/text/").status_code == 404
    client.force_login(make_user("reg", "region_coordinator", "01"))
    assert client.get(edit_url()).status_code == 403
    assert client.post(edit_url() + "forhandsgranska/", {"text": "x"}).status_code == 403
