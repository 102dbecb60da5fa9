"""Full-text search over collected sentences, on whichever database the suite runs on."""

import pytest
from django.db import connection
from django.utils import timezone

from naravard.qualitative import search
from naravard.qualitative.models import Segment
from naravard.qualitative.texts import add_text
from naravard.refdata.models import Municipality, Region

pytestmark = pytest.mark.django_db


def _add(body, *, region="25", municipality=None, kind="status_report", title="Rapport"):
    if municipality:
        return add_text(
            kind=kind,
            title=title,
            body=body,
            municipality=Municipality.objects.get(code=municipality),
        )
    return add_text(kind=kind, title=title, body=body, region=Region.objects.get(code=region))


def _bodies(hits):
    return [h.segment.body for h in hits]


def test_inflected_forms_match_by_stem():
    _add("Vi har öppnat en ny vårdcentral i Kiruna. Budgeten är oförändrad.")
    hits = search.search("vårdcentralerna")
    assert _bodies(hits) == ["Vi har öppnat en ny vårdcentral i Kiruna."]
    hit = hits[0]
    assert hit.text.title == "Rapport" and hit.segment.position == 0 and hit.rank > 0
    assert search.search("budget") and search.search("BUDGETEN")
    assert search.search("vårdcentral")[0].segment.pk == hit.segment.pk


def test_swedish_letters_are_kept():
    _add("Äldreomsorgen samverkar med öppenvården. Åtgärder för barn och unga.")
    assert _bodies(search.search("äldreomsorg")) == ["Äldreomsorgen samverkar med öppenvården."]
    assert _bodies(search.search("ÖPPENVÅRD")) == ["Äldreomsorgen samverkar med öppenvården."]
    assert _bodies(search.search("åtgärd")) == ["Åtgärder för barn och unga."]
    assert search.search("aldreomsorg") == []  # å/ä/ö are letters of their own


def test_every_word_must_match_and_phrases_minus_and_or():
    _add("Mobila team besöker patienter i hemmet. Teamen arbetar dagtid. Patienter ringer.")
    assert _bodies(search.search("team hemmet")) == ["Mobila team besöker patienter i hemmet."]
    assert _bodies(search.search('"mobila team"')) == ["Mobila team besöker patienter i hemmet."]
    assert search.search('"team mobila"') == []
    assert _bodies(search.search("team -hemmet")) == ["Teamen arbetar dagtid."]
    assert sorted(_bodies(search.search("dagtid or ringer"))) == [
        "Patienter ringer.",
        "Teamen arbetar dagtid.",
    ]
    assert search.search("-team") == []


def test_region_filter_takes_in_its_municipalities():
    _add("Webbtidboken infördes i regionen.", region="25")
    _add("Webbtidboken infördes i Luleå.", municipality="2580")
    _add("Webbtidboken infördes i Stockholm.", region="01")
    _add("Webbtidboken infördes i Solna.", municipality="0184")
    found = _bodies(search.search("webbtidbok", region="25"))
    assert sorted(found) == ["Webbtidboken infördes i Luleå.", "Webbtidboken infördes i regionen."]
    assert len(search.search("webbtidbok")) == 4
    assert len(search.search("webbtidbok", limit=3)) == 3


def test_kind_filter_and_replaced_texts():
    _add("Patientkontrakt används brett.", kind="status_report")
    _add("Patientkontrakt saknas här.", kind="survey_comment", municipality="2580")
    old = _add("Patientkontrakt testades förra året.")
    old.replaced_at = timezone.now()
    old.save(update_fields=["replaced_at"])
    assert _bodies(search.search("patientkontrakt", kind="survey_comment")) == [
        "Patientkontrakt saknas här."
    ]
    assert len(search.search("patientkontrakt")) == 2
    assert "Patientkontrakt testades förra året." in _bodies(
        search.search("patientkontrakt", include_replaced=True)
    )


def test_order_is_by_rank_then_text_and_position():
    one = _add("Samverkan ökar. Samverkan med kommunerna. Annat.")
    two = _add("Samverkan fungerar.")
    hits = search.search("samverkan")
    keys = [(h.segment.text_id, h.segment.position) for h in hits]
    assert sorted(keys) == [(one.pk, 0), (one.pk, 1), (two.pk, 0)]
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)
    assert hits == search.search("samverkan")


def test_snippet_escapes_the_text_and_marks_the_hit():
    _add('Enkäten <script>alert("x")</script> visade att Vårdcentralen fick & behöll beröm.')
    (hit,) = search.search("vårdcentral")
    html = str(hit.snippet_html)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert "<mark>Vårdcentralen</mark>" in html
    assert html.count("<mark>") == 1
    assert search.snippet("Team & teamen, <b>team</b>", {"team"}) == (
        "<mark>Team</mark> &amp; <mark>teamen</mark>, &lt;b&gt;<mark>team</mark>&lt;/b&gt;"
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '""',
        "*",
        "^",
        "NEAR(",
        "NEAR",
        "a OR",
        "OR",
        "or or",
        "-",
        "--",
        "( )",
        ":",
        "a:b",
        'team "',
        '"team',
        "team*",
        "-team -vård",
        "AND NOT",
        "\x00",
        "'; DROP TABLE",
        "ä" * 10_000,
        "team " * 2_000,
        "x" * 10_000,
    ],
)
def test_hostile_queries_do_not_raise(query):
    _add("Mobila team och vård. NEAR och AND och OR och NOT.")
    assert isinstance(search.search(query), list)
    assert search.search(query, kind="x", region="99", limit=-1) == []


def test_long_queries_are_capped():
    _add("Team ett.")
    assert len(search.parse("team " * 100).groups) == search.MAX_TERMS
    assert search.search("team " * 100)  # the first words still search


def test_reindex_and_unindex():
    _add("Kompetensförsörjning är en utmaning. Uppgiftsväxling prövas.")
    ids = list(Segment.objects.values_list("pk", flat=True))
    assert search.reindex() == len(ids)
    assert search.search("uppgiftsväxling")
    if connection.vendor == "sqlite":
        search.unindex(ids)
        assert search.search("uppgiftsväxling") == []
        search.index(list(Segment.objects.all()))
        search.index(list(Segment.objects.all()))  # twice does no harm
        assert len(search.search("uppgiftsväxling")) == 1
