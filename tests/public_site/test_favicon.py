"""The site has an icon: linked from every page and served at /favicon.ico."""

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served_and_cached(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/en/regioner/", "/konto/logga-in/"])
def test_every_page_links_the_icon(client, path):
    html = client.get(path).content.decode()
    assert '<link rel="icon" href="/static/naravard/favicon.ico" sizes="any">' in html
    assert '<link rel="icon" href="/static/naravard/favicon.svg" type="image/svg+xml">' in html
    assert 'href="data:,"' not in html


def test_the_linked_icons_exist(client):
    from django.contrib.staticfiles import finders

    svg = open(finders.find("naravard/favicon.svg"), encoding="utf-8").read()
    assert svg.startswith("<svg") and 'viewBox="0 0 32 32"' in svg
    assert finders.find("naravard/favicon.ico")
