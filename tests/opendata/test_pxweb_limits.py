"""The PxWeb API's calls per time window: announced in /config, enforced per client address."""

from __future__ import annotations

import pytest

from naravard.opendata.limits import CallCounter

pytestmark = pytest.mark.django_db


def test_config_announces_the_limit_it_enforces(client, settings, monkeypatch):
    from naravard.opendata import limits

    monkeypatch.setattr(limits, "COUNTER", CallCounter(clock=lambda: 6000.0))  # mid-window
    settings.PXWEB_MAX_CALLS, settings.PXWEB_TIME_WINDOW = 3, 60
    config = client.get("/api/v2/config", REMOTE_ADDR="192.0.2.7").json()
    assert (config["maxCallsPerTimeWindow"], config["timeWindow"]) == (3, 60)
    answers = [client.get("/api/v2/config", REMOTE_ADDR="192.0.2.7") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["Retry-After"] == "60"  # the window 6000–6060 s has just begun
    problem = refused.json()
    assert problem["status"] == 429 and problem["instance"].startswith("http://")
    # another address has its own count; other paths are not counted
    assert client.get("/api/v2/config", REMOTE_ADDR="192.0.2.8").status_code == 200
    assert client.get("/kolada/v3/kpi", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_new_window_lets_the_client_call_again():
    now = [1000.0]
    counter = CallCounter(clock=lambda: now[0])
    assert [counter.wait("a", 2, 10) for _ in range(2)] == [0.0, 0.0]
    assert counter.wait("a", 2, 10) == pytest.approx(10.0)
    now[0] += 10
    assert counter.wait("a", 2, 10) == 0.0
