"""The public search finds indicators by the words people use, in Swedish and English, and
places by their names; the search terms name only indicators of the catalogue."""

import re

import pytest

from naravard.catalog.catalogue import catalogue
from naravard.publish.releases import release
from naravard.site import find

pytestmark = pytest.mark.django_db


def hits(client, query: str, lang: str = "") -> list[str]:
    response = client.get(f"{lang}/sok/", {"q": query})
    assert response.status_code == 200, (query, response.status_code)
    html = response.content.decode()
    return re.findall(r'<li><a href="(?:/en)?/statistik/([a-z0-9_]+)/"', html)


@pytest.fixture
def published(released_named_doctor, municipal_readmissions):
    from naravard.ingest.importer import import_file

    lines = ["org,period,numerator,denominator"]
    lines += [f"0{i},2021-03,{60 + i},100" for i in (1, 3, 4, 5, 6, 7, 8, 9)]
    import_file("c.csv", "care_guarantee_3d", data="\n".join(lines).encode(), actor="test")
    release("care_guarantee_3d", "2021-03", actor="test")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("namngiven", "named_doctor_share"),
        ("listning", "named_doctor_share"),
        ("fast läkare", "named_doctor_share"),
        ("Fast läkarkontakt", "named_doctor_share"),
        ("väntetid", "care_guarantee_3d"),
        ("väntetider", "care_guarantee_3d"),
        ("vårdgaranti", "care_guarantee_3d"),
        ("återinskrivning", "readmission_30d"),
        ("named doctor", "named_doctor_share"),
        ("waiting times", "care_guarantee_3d"),
        ("readmissions", "readmission_30d"),
    ],
)
def test_words_people_use_find_the_indicator(client, published, query, first):
    found = hits(client, query)
    assert found and found[0] == first, found


def test_every_published_indicator_can_be_searched_for(client, published):
    for query in ("1177", "Stockholm", "2021", "%", "ä"):
        assert client.get("/sok/", {"q": query}).status_code in (200, 302, 404), query


def test_english_pages_search_the_same_way(client, published):
    assert hits(client, "regular doctor", "/en")[0] == "named_doctor_share"
    html = client.get("/en/sok/", {"q": "vårdgaranti"}).content.decode()
    assert 'href="/en/statistik/care_guarantee_3d/"' in html


def test_a_word_that_names_no_indicator_is_not_mistaken_for_a_place(client, published):
    response = client.get("/sok/", {"q": "namngiven"})
    assert "Ånge" not in response.content.decode()  # once suggested as the nearest place
    assert client.get("/sok/", {"q": "Upplands-Väsby"})["Location"] == "/kommun/0114/"
    unknown = client.get("/sok/", {"q": "qwzx"})
    assert unknown.status_code == 404
    assert "Ingen indikator, region eller kommun heter så" in unknown.content.decode()


def test_every_word_of_the_query_must_match(client, published):
    assert client.get("/sok/", {"q": "namngiven återinskrivning"}).status_code == 404
    assert hits(client, "fast läkare") == ["named_doctor_share"]  # not every doctor
    assert find.query_words("och i the") == []  # a query of small words only finds nothing


def test_the_search_terms_name_indicators_of_the_catalogue():
    terms = find.search_terms()
    assert set(terms) <= set(catalogue())
    for indicator_id, texts in terms.items():
        assert texts["sv"] and texts["en"], indicator_id
    assert "1177" in terms["online_booking_book"]["sv"]  # a number is a word too
    wanted = find.query_words("1177")
    found = [ind.id for ind in catalogue().values() if find.score(ind, wanted)]
    assert "online_booking_book" in found  # every indicator's words are read
