"""The fetcher against a local HTTP server: retries, Retry-After, timeouts, the rate limit,
conditional requests and answers that are not what they should be."""

from __future__ import annotations

import datetime as dt
import time
from email.utils import format_datetime

import pytest
from werkzeug import Response

from naravard.sources.fetch import Fetcher, RateLimit, SourceError, Validators, retry_after


class Sleeps:
    """A sleep that records instead of waiting."""

    def __init__(self):
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_a_503_with_retry_after_is_tried_again_after_the_wait_the_server_asks(httpserver):
    httpserver.expect_ordered_request("/t").respond_with_data(
        "busy", status=503, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/t").respond_with_json({"ok": 1})
    sleeps = Sleeps()
    with Fetcher(sleep=sleeps) as fetcher:
        assert fetcher.get(httpserver.url_for("/t")).json() == {"ok": 1}
    assert sleeps.waits == [7.0] and fetcher.requests == 2
    assert [f.status for f in fetcher.log] == [503, 200]


def test_a_429_with_an_http_date_waits_until_then():
    now = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
    assert retry_after(format_datetime(now + dt.timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after("not a date") is None and retry_after("") is None


def test_a_server_asking_for_too_long_a_wait_fails_at_once_saying_so(httpserver):
    httpserver.expect_request("/t").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    with Fetcher(sleep=Sleeps()) as fetcher, pytest.raises(SourceError, match="vänta 3600 s"):
        fetcher.get(httpserver.url_for("/t"))
    assert fetcher.requests == 1


def test_errors_that_persist_fail_after_the_last_attempt_with_the_servers_words(httpserver):
    httpserver.expect_request("/t").respond_with_json(
        {"title": "Service Unavailable", "detail": "maintenance"}, status=503
    )
    sleeps = Sleeps()
    with (
        Fetcher(sleep=sleeps, attempts=3) as fetcher,
        pytest.raises(SourceError, match="503 efter 3 försök.*maintenance"),
    ):
        fetcher.get(httpserver.url_for("/t"))
    assert len(sleeps.waits) == 2 and sleeps.waits[1] > sleeps.waits[0]  # backing off


def test_a_slow_answer_times_out_and_is_tried_again(httpserver):
    calls = []

    def slow(request):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(2.5)
        return Response('{"late": false}', content_type="application/json")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    # the test server answers one request at a time: a retry may wait for the slow answer too
    with Fetcher(timeout=1.0, attempts=8, sleep=Sleeps()) as fetcher:
        assert fetcher.get(httpserver.url_for("/slow")).json() == {"late": False}
    assert fetcher.requests >= 2 and fetcher.log[-1].status == 200


def test_a_server_that_never_answers_in_time_is_named(httpserver):
    def slow(request):
        time.sleep(1.0)
        return Response("{}")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with (
        Fetcher(timeout=0.3, attempts=2, sleep=Sleeps()) as fetcher,
        pytest.raises(SourceError, match="inget svar inom 0.3 s, 2 försök"),
    ):
        fetcher.get(httpserver.url_for("/slow"))


def test_an_unreachable_server_is_named():
    with (
        Fetcher(attempts=2, sleep=Sleeps()) as fetcher,
        pytest.raises(SourceError, match="kunde inte nås"),
    ):
        fetcher.get("http://127.0.0.1:9/")


def test_a_client_error_is_not_retried(httpserver):
    httpserver.expect_request("/t").respond_with_json({"error": "no such KPI"}, status=404)
    with Fetcher(sleep=Sleeps()) as fetcher, pytest.raises(SourceError, match="404 no such KPI"):
        fetcher.get(httpserver.url_for("/t"))
    assert fetcher.requests == 1


def test_malformed_json_is_an_error_naming_the_url(httpserver):
    httpserver.expect_request("/t").respond_with_data(
        '{"values": [1, 2', content_type="application/json"
    )
    with Fetcher() as fetcher:
        fetched = fetcher.get(httpserver.url_for("/t"))
        with pytest.raises(SourceError, match=r"/t: svaret är inte JSON"):
            fetched.json()


def test_conditional_requests_send_what_the_server_said_last_time(httpserver):
    httpserver.expect_request(
        "/t",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": "Sun, 06 Dec 2026 10:00:00 GMT"},
    ).respond_with_data("", status=304)
    with Fetcher() as fetcher:
        fetched = fetcher.get(
            httpserver.url_for("/t"),
            validators=Validators('"v1"', "Sun, 06 Dec 2026 10:00:00 GMT"),
        )
    assert fetched.not_modified and fetched.content == b""


def test_the_rate_limit_waits_when_the_window_is_full():
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    limit = RateLimit(2, 10.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limit.wait()
        now[0] += 1.0
    # two calls per 10 s: the third waits for the first to leave the window, and so on
    assert sleeps == [8.0, 8.0]


def test_every_response_is_kept_with_its_digest(httpserver):
    httpserver.expect_request("/a").respond_with_data("abc", headers={"ETag": '"x"'})
    with Fetcher() as fetcher:
        fetcher.get(httpserver.url_for("/a"))
    (kept,) = fetcher.log
    assert kept.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert kept.etag == '"x"' and kept.url.endswith("/a")
