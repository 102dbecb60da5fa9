"""The analysts' indicator pages: for analysts only, values as people read them."""

import pytest


@pytest.mark.django_db
def test_analyst_pages(client, tabell_2, make_user):
    assert client.get("/indikatorer/").status_code == 302
    client.force_login(make_user("k", "region_coordinator", "01"))
    assert client.get("/indikatorer/").status_code == 403
    client.force_login(make_user("ana", "analyst"))
    listing = client.get("/indikatorer/").content.decode()
    assert 'href="/indikatorer/online_booking_show/"' in listing
    page = client.get("/indikatorer/online_booking_book_per_100k/?period=2020-03")
    html = page.content.decode().replace("\xa0", " ")
    assert page.status_code == 200 and "Region Halland" in html and "148,0" in html
    assert client.get("/indikatorer/online_booking_book/?period=1999").status_code == 404
    assert client.get("/indikatorer/online_booking_book/?alder=99-100").status_code == 404
    assert client.get("/indikatorer/online_booking_book/?alder=65-79").status_code == 200
    assert client.get("/indikatorer/okand/").status_code == 404
