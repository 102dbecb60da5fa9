"""What `naravard serve` puts around the application: the proxy's headers believed only from
the proxy, and bodies larger than the limit refused before they are read."""

from naravard import server


def _call(app, **environ):
    seen = {}

    def inner(env, start_response):
        seen.update(env)
        start_response("200 OK", [])
        return [b"ok"]

    statuses = []
    body = b"".join(app(inner)(environ, lambda status, headers: statuses.append(status)))
    return statuses[0], body, seen


def test_the_trusted_proxy_names_the_client_host_and_scheme():
    status, _, env = _call(
        lambda inner: server._from_proxy(inner, "127.0.0.1"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_HOST="127.0.0.1:8000",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
        HTTP_X_FORWARDED_HOST="naravard.example.se",
        HTTP_X_FORWARDED_PROTO="https",
        **{"wsgi.url_scheme": "http"},
    )
    assert status == "200 OK"
    # the last address is the one the proxy added; the one before is the client's own word
    assert env["REMOTE_ADDR"] == "198.51.100.7"
    assert env["HTTP_HOST"] == "naravard.example.se"
    assert env["wsgi.url_scheme"] == "https"
    assert not any(name in env for name in server.FORWARDED)


def test_anyone_elses_forwarded_headers_are_dropped():
    spoofed = dict(
        REMOTE_ADDR="203.0.113.9",
        HTTP_HOST="naravard.example.se",
        HTTP_X_FORWARDED_FOR="10.0.0.1",
        HTTP_X_FORWARDED_HOST="evil.example",
        HTTP_X_FORWARDED_PROTO="https",
        **{"wsgi.url_scheme": "http"},
    )
    for wrap in (lambda inner: server._from_proxy(inner, "127.0.0.1"), server._without_forwarded):
        _, _, env = _call(wrap, **spoofed)
        assert env["REMOTE_ADDR"] == "203.0.113.9"
        assert env["HTTP_HOST"] == "naravard.example.se"
        assert env["wsgi.url_scheme"] == "http"
        assert not any(name in env for name in server.FORWARDED)


def test_a_scheme_other_than_http_or_https_from_the_proxy_is_ignored():
    _, _, env = _call(
        lambda inner: server._from_proxy(inner, "127.0.0.1"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_PROTO="javascript",
        **{"wsgi.url_scheme": "http"},
    )
    assert env["wsgi.url_scheme"] == "http"


def test_a_body_over_the_limit_is_refused_in_swedish_before_the_application_sees_it():
    status, body, env = _call(server._limit_body, CONTENT_LENGTH=str(server.MAX_REQUEST_BYTES + 1))
    assert status.startswith("413") and "för stor" in body.decode()
    assert env == {}  # the application never ran
    status, body, env = _call(server._limit_body, CONTENT_LENGTH="-5")
    assert status.startswith("400") and env == {}
    status, _, env = _call(server._limit_body, CONTENT_LENGTH=str(server.MAX_REQUEST_BYTES))
    assert status == "200 OK" and env
