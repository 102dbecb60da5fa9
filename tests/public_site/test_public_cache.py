"""HTTP caching of public answers: fast, and never stale, personal or unreleased."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory

from naravard.core.streaming import Items, StreamedAnswer
from naravard.publish.releases import release, withdraw
from naravard.site import caching
from naravard.site.caching import PublicCacheMiddleware, is_public_path, publication_version
from tests.helpers import store

VALUES = "/api/open/indicators/named_doctor_share/values"
HEADER = caching.CACHE_HEADER


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    caching.invalidate()
    yield
    cache.clear()
    caching.invalidate()


def stockholm(response) -> float:
    return {r["org"]: r for r in response.json()}["01"]["value"]


# ------------------------------------------------------------- the middleware alone ---


class View:
    """A stand-in for the rest of the stack that counts how often it is asked."""

    def __init__(self, status=200, cookie=False, cache_control=None):
        self.calls, self.status, self.cookie, self.cache_control = 0, status, cookie, cache_control

    def __call__(self, request):
        self.calls += 1
        response = HttpResponse(f"answer {self.calls}", status=self.status)
        if self.cookie:
            response.set_cookie("csrftoken", "x")
        if self.cache_control:
            response["Cache-Control"] = self.cache_control
        return response


@pytest.fixture
def version(monkeypatch):
    """A publication version the test sets (no database)."""
    current = {"v": "v1"}
    monkeypatch.setattr(caching, "publication_version", lambda: current["v"])
    return current


def get(middleware, path, user=None, **headers):
    request = RequestFactory().get(path, HTTP_HOST="127.0.0.1", **headers)
    request.user = user or AnonymousUser()
    return middleware(request)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/region/01/",
        "/en/kommun/0180/",
        "/statistik/named_doctor_share/",
        "/en/statistik/x/",
        "/jamfor/",
        "/regioner/",
        "/granser/region.geojson",
        VALUES,
        "/api/open/regions",
        "/api/v2/tables",
        "/kolada/v3/data/?kpi=x",
    ],
)
def test_public_paths(path):
    assert is_public_path(path.split("?")[0])


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/en/admin/",
        "/konto/",
        "/konto/logga-in/",
        "/insamling/",
        "/en/insamling/1/",
        "/indikatorer/",
        "/indikatorer/named_doctor_share/",
        "/api/collect/rounds",
        "/api/indicators/named_doctor_share",
        "/api/docs",
        "/api/openapi.json",
        "/i18n/setlang/",
        "/static/naravard/site.css",
        "/en",
        "/sv/region/01/",
    ],
)
def test_private_paths(path):
    assert not is_public_path(path)


def test_an_anonymous_public_answer_is_kept_per_version(version):
    view = View()
    middleware = PublicCacheMiddleware(view)
    first = get(middleware, VALUES)
    second = get(middleware, VALUES)
    assert view.calls == 1
    assert (first[HEADER], second[HEADER]) == ("MISS", "HIT")
    assert second.content == first.content == b"answer 1"
    for response in (first, second):
        assert response["Cache-Control"] == "public, max-age=60"
        assert response["ETag"] == first["ETag"]
        assert "Cookie" in response["Vary"]
    assert get(middleware, VALUES + "?period=2021")[HEADER] == "MISS"  # the query is in the key
    version["v"] = "v2"  # something was released
    third = get(middleware, VALUES)
    assert third.content == b"answer 3" and third[HEADER] == "MISS"
    assert third["ETag"] != first["ETag"]


class StreamedView:
    """Answers a streamed JSON list of ``n`` numbers, or a streamed file."""

    def __init__(self, n: int = 3, file: bool = False):
        self.calls, self.n, self.file = 0, n, file

    def __call__(self, request):
        self.calls += 1
        if self.file:
            return StreamingHttpResponse(iter([b"a file"]))
        return StreamedAnswer([("call", self.calls), ("values", Items(range(self.n)))])


def test_a_streamed_answer_is_kept_once_it_is_sent_whole(version):
    view = StreamedView()
    middleware = PublicCacheMiddleware(view)
    first = get(middleware, VALUES)
    assert first[HEADER] == "MISS" and first.streaming
    assert view.calls == 1
    assert get(middleware, VALUES)[HEADER] == "MISS"  # not sent yet, so not kept yet
    body = b"".join(first.streaming_content)
    assert json.loads(body) == {"call": 1, "values": [0, 1, 2]}
    kept = get(middleware, VALUES)
    assert kept[HEADER] == "HIT" and kept.content == body
    assert kept["Content-Type"] == "application/json" and kept["ETag"] == first["ETag"]


def test_a_streamed_answer_larger_than_the_limit_is_sent_but_not_kept(version, monkeypatch):
    monkeypatch.setattr(caching, "MAX_BODY", 1000)
    view = StreamedView(n=5000)
    middleware = PublicCacheMiddleware(view)
    body = b"".join(get(middleware, VALUES).streaming_content)
    assert len(body) > 1000 and json.loads(body)["values"] == list(range(5000))
    again = get(middleware, VALUES)
    assert again[HEADER] == "MISS" and view.calls == 2


def test_a_streamed_answer_broken_off_is_not_kept(version):
    view = StreamedView(n=20_000)
    middleware = PublicCacheMiddleware(view)
    first = get(middleware, VALUES)
    chunks = first.streaming_content
    next(chunks), next(chunks)  # the client reads a little and leaves
    assert get(middleware, VALUES)[HEADER] == "MISS"


def test_a_streamed_file_is_never_kept(version):
    view = StreamedView(file=True)
    middleware = PublicCacheMiddleware(view)
    for _ in range(2):
        response = get(middleware, VALUES)
        assert b"".join(response.streaming_content) == b"a file"
        assert HEADER not in response and "private" in response["Cache-Control"]
    assert view.calls == 2


def test_max_age_comes_from_the_settings(version, settings):
    settings.NARAVARD_PUBLIC_MAX_AGE = 5
    assert get(PublicCacheMiddleware(View()), VALUES)["Cache-Control"] == "public, max-age=5"


def test_if_none_match_is_answered_with_304_until_the_version_changes(version):
    view = View()
    middleware = PublicCacheMiddleware(view)
    etag = get(middleware, VALUES)["ETag"]
    response = get(middleware, VALUES, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and response["Cache-Control"] == "public, max-age=60"
    assert get(middleware, VALUES, HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    assert get(middleware, VALUES, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert get(middleware, "/region/01/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    version["v"] = "v2"
    assert get(middleware, VALUES, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert view.calls == 3


def test_the_language_is_part_of_the_key(version):
    from django.utils import translation

    view = View()
    middleware = PublicCacheMiddleware(view)
    with translation.override("sv"):
        sv = get(middleware, VALUES)
    with translation.override("en"):
        en = get(middleware, VALUES)
    assert view.calls == 2 and sv["ETag"] != en["ETag"]


def test_answers_that_set_a_cookie_are_not_kept(version):
    view = View(cookie=True)
    middleware = PublicCacheMiddleware(view)
    for _ in range(2):
        response = get(middleware, "/region/01/")
        assert HEADER not in response and "ETag" not in response
        assert "private" in response["Cache-Control"]
    assert view.calls == 2


@pytest.mark.parametrize("status", [201, 301, 302, 400, 404, 500])
def test_only_200_answers_are_kept(version, status):
    view = View(status=status)
    middleware = PublicCacheMiddleware(view)
    get(middleware, VALUES)
    response = get(middleware, VALUES)
    assert view.calls == 2 and HEADER not in response and "ETag" not in response


def test_a_view_that_says_private_is_not_kept(version):
    view = View(cache_control="private")
    middleware = PublicCacheMiddleware(view)
    get(middleware, VALUES)
    assert HEADER not in get(middleware, VALUES) and view.calls == 2


def test_signed_in_visitors_never_get_nor_leave_a_cached_answer(version):
    class Analyst(AnonymousUser):
        is_authenticated = True

    view = View()
    middleware = PublicCacheMiddleware(view)
    get(middleware, "/region/01/")  # kept for anonymous visitors
    with_session = get(middleware, "/region/01/", HTTP_COOKIE="sessionid=abc")
    assert with_session.content == b"answer 2" and HEADER not in with_session
    assert with_session["Cache-Control"] == "private" and "ETag" not in with_session
    with_token = get(middleware, "/region/01/", HTTP_AUTHORIZATION="Bearer nv_x")
    assert with_token.content == b"answer 3" and HEADER not in with_token
    # signed in some other way: the answer is not kept for others
    for n in (4, 5):
        response = get(middleware, "/statistik/x/", user=Analyst())
        assert response.content == f"answer {n}".encode() and HEADER not in response
        assert response["Cache-Control"] == "private"
    assert get(middleware, "/statistik/x/")[HEADER] == "MISS"


def test_non_public_paths_and_other_methods_are_left_alone(version):
    view = View()
    middleware = PublicCacheMiddleware(view)
    for path in (
        "/konto/",
        "/admin/",
        "/insamling/",
        "/indikatorer/",
        "/api/collect/rounds",
        "/api/docs",
    ):
        for _ in range(2):
            response = get(middleware, path)
            assert HEADER not in response and "ETag" not in response
            assert "Cache-Control" not in response
    request = RequestFactory().post(VALUES, HTTP_HOST="127.0.0.1")
    request.user = AnonymousUser()
    assert HEADER not in middleware(request)
    assert view.calls == 13


# ------------------------------------------------------------------ with the database ---


@pytest.mark.django_db
def test_the_version_follows_what_is_public(survey_round):
    from naravard.collect.models import Round

    before = publication_version()
    store("2021")
    assert publication_version() == before  # stored, not released: nothing public changed
    release("named_doctor_share", "2021", actor="test")
    released = publication_version()
    assert released != before
    store("2021", {"01": 700})  # a correction waits for the next release
    assert publication_version() == released
    withdraw("named_doctor_share", "2021-12-31", actor="test")
    withdrawn = publication_version()
    assert withdrawn not in (before, released)
    Round.objects.filter(pk=survey_round.pk).update(is_published=True)
    assert publication_version() != withdrawn


@pytest.mark.django_db
def test_etags_change_with_a_release_and_nothing_is_kept_inside_a_transaction():
    client = Client()
    store("2021")
    store("2022")
    release("named_doctor_share", "2021", actor="test")
    first = client.get(VALUES)
    assert first.status_code == 200 and first[HEADER] == "MISS"
    assert first["Cache-Control"] == "public, max-age=60"
    assert client.get(VALUES, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # inside the test's transaction the answer may hold uncommitted data: never kept
    assert client.get(VALUES)[HEADER] == "MISS"
    release("named_doctor_share", "2022", actor="test")
    assert client.get(VALUES, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# Committed data, as on a live server: the cache is really used.
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def as_if_committed(monkeypatch):
    """Use the cache inside the test's transaction too (faster than committing)."""
    monkeypatch.setattr(caching, "in_transaction", lambda: False)


@committed
def test_a_release_or_withdrawal_shows_at_once_and_drafts_never():
    client = Client()
    store("2021")
    store("2022")  # never released in this test
    release("named_doctor_share", "2021", actor="test")
    first = client.get(VALUES)
    assert first[HEADER] == "MISS" and stockholm(first) == pytest.approx(50.0)
    assert client.get(VALUES)[HEADER] == "HIT"
    assert client.get(VALUES, {"period": "2022-12-31"}).status_code == 404
    assert client.get(VALUES, {"period": "2022-12-31"}).status_code == 404

    store("2021", {"01": 700})  # a correction: internal until released again
    assert client.get(VALUES)[HEADER] == "HIT"
    cache.clear()
    assert stockholm(client.get(VALUES)) == pytest.approx(50.0)

    release("named_doctor_share", "2021", actor="test", note="correction")
    corrected = client.get(VALUES)
    assert corrected[HEADER] == "MISS" and stockholm(corrected) == pytest.approx(70.0)
    assert corrected["ETag"] != first["ETag"]
    listed = client.get("/api/open/indicators").json()
    assert listed[0]["periods"] == ["2021-12-31"]

    withdraw("named_doctor_share", "2021-12-31", actor="test", note="wrong")
    assert client.get(VALUES).status_code == 404
    assert client.get("/api/open/indicators").json() == []
    assert client.get(VALUES, HTTP_IF_NONE_MATCH=corrected["ETag"]).status_code == 404


@pytest.mark.django_db
def test_signed_in_analyst_gets_fresh_pages_that_are_never_kept(as_if_committed, make_user):
    store("2021")
    release("named_doctor_share", "2021", actor="test")
    anonymous = Client()
    anonymous.get(VALUES)
    assert anonymous.get(VALUES)[HEADER] == "HIT"

    analyst = Client()
    analyst.force_login(make_user("ana", "analyst"))
    response = analyst.get(VALUES)
    assert response.status_code == 200 and HEADER not in response
    assert response["Cache-Control"] == "private"
    page = analyst.get("/region/01/")
    assert page.status_code == 200 and "Logga ut ana" in page.content.decode()
    assert HEADER not in page and "private" in page["Cache-Control"]
    for _ in range(2):
        public = anonymous.get("/region/01/")
        assert "Logga ut" not in public.content.decode()


@pytest.mark.django_db
def test_pages_holding_a_csrf_token_and_private_paths_are_not_kept(as_if_committed):
    client = Client()
    for _ in range(2):
        page = client.get("/region/01/")
        assert page.status_code == 200
        if "csrfmiddlewaretoken" in page.content.decode():  # a form on the page
            assert HEADER not in page and "ETag" not in page
            assert "private" in page["Cache-Control"] and "csrftoken" in page.cookies
        login = client.get("/konto/logga-in/")
        assert login.status_code == 200 and HEADER not in login and "ETag" not in login
        assert HEADER not in client.get("/api/openapi.json")
