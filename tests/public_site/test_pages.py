"""Public pages, login, password change, language, and the security basics; the pages read as
Swedish for people, with no command-line hints."""

import re

import pytest
from django.urls import reverse

from naravard.refdata.models import Population

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_regions_page_lists_all_regions_with_links(client):
    response = client.get("/regioner/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    for code in ("01", "09", "14", "25"):
        assert f'href="/region/{code}/"' in html
    assert html.count('<th scope="row"><a href="/region/') == 21
    assert "10 587 710" in text(response).replace("\xa0", " ")  # SCB, 31 December 2024


def test_region_page_shows_facts_municipalities_and_population(client):
    response = client.get("/region/23/")
    assert response.status_code == 200
    body = text(response).replace("\xa0", " ")
    assert "Region Jämtland Härjedalen" in body
    assert "Jämtlands län" in body and "SE-Z" in body
    assert body.count('href="/kommun/23') == 0  # links are in the markup, not the text
    html = response.content.decode()
    assert len(set(re.findall(r'href="/kommun/(23\d\d)/"', html))) == 8
    assert "130 810" in body  # population 2019
    assert "2019" in body and "2 019" not in body


def test_municipality_page_shows_county_and_age_structure(client):
    response = client.get("/kommun/0180/")
    assert response.status_code == 200
    body = text(response).replace("\xa0", " ")
    assert "Stockholms kommun" in body and "0180" in body
    assert "974 073" in body
    assert 'href="/region/01/"' in response.content.decode()
    assert "100+" in body and "0-4" in body


@pytest.mark.parametrize(
    "url", ["/region/99/", "/kommun/0000/", "/region/%3Cscript%3E/", "/kommun/../../etc/passwd/"]
)
def test_unknown_codes_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


def test_search_redirects_resolves_and_suggests(client):
    assert client.get("/sok/", {"q": "VGR"})["Location"] == "/region/14/"
    assert client.get("/sok/", {"q": "Upplands-Väsby"})["Location"] == "/kommun/0114/"
    ambiguous = client.get("/sok/", {"q": "Stockholm"})
    assert ambiguous.status_code == 200
    assert 'href="/region/01/"' in ambiguous.content.decode()
    assert 'href="/kommun/0180/"' in ambiguous.content.decode()
    unknown = client.get("/sok/", {"q": "Götaland"})
    assert unknown.status_code == 404
    assert 'href="/region/09/"' in unknown.content.decode()
    hostile = client.get("/sok/", {"q": "<script>alert(1)</script>"})
    assert "<script>alert" not in hostile.content.decode()
    assert client.get("/sok/", {"q": "x" * 500}).status_code == 400


def test_english_locale(client):
    response = client.get("/en/region/23/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Municipalities" in html and "Population by year" in html
    assert "Kommuner" not in text(response)


def test_language_link_leads_to_the_same_page_in_the_other_language(client):
    swedish = client.get("/region/23/?x=1").content.decode()
    assert 'href="/en/region/23/?x=1" hreflang="en" lang="en">English</a>' in swedish
    english = client.get("/en/region/23/").content.decode()
    assert 'href="/region/23/" hreflang="sv" lang="sv">Svenska</a>' in english
    assert "csrftoken" not in client.get("/region/23/").cookies  # nothing per visitor


def test_language_switch_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/region/23/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/region/23/"


def test_login_logout_and_landing_page(client, make_user):
    make_user("sam", "region_coordinator", "04")
    page = client.get(reverse("login"))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    response = client.post(reverse("login"), {"username": "sam", "password": "Correct-Horse-9"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 302  # /konto/ -> own region
    assert client.get("/konto/region/04/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/konto/region/04/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, make_user):
    make_user("sam", "region_coordinator", "04")
    response = client.post(reverse("login"), {"username": "sam", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_login_is_rate_limited(client, make_user):
    make_user("sam", "region_coordinator", "04")
    for _ in range(5):
        client.post(reverse("login"), {"username": "sam", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "sam", "password": "Correct-Horse-9"})
    assert locked.status_code == 429
    assert "15 minuter" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change(client, make_user):
    user = make_user("sam", "region_coordinator", "04")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Correct-Horse-9",
            "new_password1": "Another-Horse-17",
            "new_password2": "Another-Horse-17",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-Horse-17")
    weak = client.post(
        reverse("password_change"),
        {
            "old_password": "Another-Horse-17",
            "new_password1": "123",
            "new_password2": "123",
        },
    )
    assert weak.status_code == 200
    user.refresh_from_db()
    assert user.check_password("Another-Horse-17")


def test_csrf_is_enforced(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    make_user("sam", "region_coordinator", "04")
    response = client.post(reverse("login"), {"username": "sam", "password": "Correct-Horse-9"})
    assert response.status_code == 403


def test_security_settings_outside_the_demo(settings):
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.AUTHENTICATION_BACKENDS[0].startswith("axes.")


def test_admin_lists_users_for_analysts(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 200
    assert client.get("/admin/refdata/region/").status_code == 200
    assert client.get("/admin/refdata/region/01/change/").status_code == 200  # read-only view
    assert client.post("/admin/refdata/region/01/delete/").status_code == 403


def test_analyst_overview_lists_gaps(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    make_user("sam", "region_coordinator", "04")
    response = client.get("/konto/organisationer/", {"saknar": "1"})
    html = response.content.decode()
    assert 'href="/konto/region/04/"' not in html
    assert 'href="/konto/region/01/"' in html
    assert html.count('href="/konto/kommun/') == 290


def test_one_municipality_with_a_newer_year_does_not_blank_the_pages(client):
    Population.objects.create(
        year=2025,
        municipality_id="0180",
        sex="total",
        age_band="total",
        population=997_052,
        source="test",
    )
    home = client.get("/regioner/").content.decode().replace("\xa0", " ")
    assert "2 473 307" in home and "10 587 710" in home  # 2024, the latest year all have
    region = client.get("/region/01/").content.decode().replace("\xa0", " ")
    assert "46 635" in region  # Värmdö, another municipality of the county, still has 2024
    municipality = client.get("/kommun/0180/").content.decode().replace("\xa0", " ")
    assert "997 052" in municipality and "1 478 (0,1 %)" in municipality
    assert "0-4" in municipality  # the 2019 age structure is still shown


CLI_HINT = re.compile(
    r"naravard (refdata|data|publish|report|rounds|responses|forms|manage|"
    r"migrate|createuser|compute|synth|coding|indicators|tokens)\b"
)


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/regioner/",
        "/region/01/",
        "/kommun/0180/",
        "/en/kommun/0180/",
        "/rapporter/",
        "/jamfor/",
    ],
)
def test_public_pages_give_no_command_line_hints(client, path):
    page = client.get(path)
    assert page.status_code == 200
    assert not CLI_HINT.search(page_text(page)), CLI_HINT.search(page_text(page))


def test_a_single_population_year_is_stated_without_a_command(client):
    from naravard.refdata.models import Population

    Population.objects.filter(year__gt=2019).delete()  # as before the later years were shipped
    text = page_text(client.get("/kommun/0180/"))
    assert "Folkmängd finns hittills bara för 2019." in text
    assert "import-population" not in text
