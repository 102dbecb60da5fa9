"""The text rule (core/text.py) and where it is applied to what comes in over HTTP and in
uploaded tables (core/cleaning.py, core/tables.py)."""

import json

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from naravard.core.cleaning import CleanParser, CleanTextMiddleware, cleaned
from naravard.core.tables import read_table
from naravard.core.text import clean_data, clean_text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Vårdcentral i Kiruna", "Vårdcentral i Kiruna"),
        ("a\x00b", "ab"),
        ("rad ett\r\nrad två\ttabb", "rad ett\r\nrad två\ttabb"),  # tab and line breaks kept
        ("\x01\x02\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f", ""),
        ("brist\ud800 på", "brist\ufffd på"),  # a lone high surrogate
        ("\udc00", "\ufffd"),  # a lone low surrogate
        ("😀 \u00e5\u0308 \u200b \ufeff", "😀 \u00e5\u0308 \u200b \ufeff"),  # not controls
        ("\x85\u2028", "\x85\u2028"),  # C1 and Unicode line breaks are not C0 controls
        ("", ""),
    ],
)
def test_clean_text(text, expected):
    assert clean_text(text) == expected


def test_clean_text_returns_clean_text_itself():
    text = "Ett svar utan något att rensa.\n"
    assert clean_text(text) is text


def test_clean_data_cleans_every_string_keys_too():
    data = {"4\x00": ["a\x00", {"b": "\ud800"}], "n": 1, "x": None, "ok": True, "f": 1.5}
    assert clean_data(data) == {
        "4": ["a", {"b": "\ufffd"}],
        "n": 1,
        "x": None,
        "ok": True,
        "f": 1.5,
    }


def test_a_query_dict_is_cleaned_and_kept_when_clean():
    data = QueryDict("q=team%00&q=b&region=25")
    clean = cleaned(data)
    assert clean.getlist("q") == ["team", "b"] and clean["region"] == "25"
    assert not clean._mutable
    already = QueryDict("q=team&region=25")
    assert cleaned(already) is already


def test_the_api_parser_cleans_the_body_and_the_query():
    factory = RequestFactory()
    request = factory.put(
        "/api/x",
        '{"answers": {"4": "a\\u0000b\\ud800", "5": ["\\u0007c"]}}',
        content_type="application/json",
    )
    assert CleanParser().parse_body(request) == {"answers": {"4": "ab\ufffd", "5": ["c"]}}
    query = QueryDict("org=01%00&kod=a&kod=b%00")
    assert CleanParser().parse_querydict(query, ["kod"], request) == {
        "org": "01",
        "kod": ["a", "b"],
    }
    with pytest.raises(ValueError):  # not UTF-8: django-ninja answers 400
        CleanParser().parse_body(factory.put("/api/x", b'"\xff"', content_type="application/json"))
    with pytest.raises(json.JSONDecodeError):
        CleanParser().parse_body(factory.put("/api/x", b'{"a":', content_type="application/json"))


def _through_middleware(request, view, **kwargs):
    middleware = CleanTextMiddleware(lambda r: None)
    middleware.process_view(request, view, (), kwargs)
    return request, kwargs


def test_the_middleware_cleans_query_form_and_url_parts():
    def view(request):
        return None

    factory = RequestFactory()
    request, kwargs = _through_middleware(
        factory.post("/x/?q=a%00b", {"text": "Svar\x00 här", "n": "1"}), view, code="0180\x00"
    )
    assert request.GET["q"] == "ab" and request.POST["text"] == "Svar här"
    assert kwargs == {"code": "0180"}


def test_the_middleware_leaves_a_csrf_exempt_views_body_to_it():
    """The JSON API's views are CSRF-exempt: their body is read by the API's parser, so the
    middleware does not read it as a form (that would make ``request.body`` unreadable)."""
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def api_view(request):
        return None

    factory = RequestFactory()
    request = factory.post("/api/x", {"text": "a\x00b"})
    _through_middleware(request, api_view)
    assert b"a\x00b" in request.body


def test_an_uploaded_table_is_read_without_control_characters():
    header, rows = read_table("svar.csv", b"org,4\x00\n0180,a\x00b\x1b\n")
    assert header == ["org", "4"] and rows == [["0180", "ab"]]
