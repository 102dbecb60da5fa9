"""Saves sent at once (the deadline): each locks its own response, so they do not wait for each
other, while two saves of one response still do (the second sees the first's version)."""

import datetime as dt
import threading

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from naravard.collect import services
from naravard.collect.models import Response
from tests.helpers import COMPLETE as HELPERS_COMPLETE

pytestmark = pytest.mark.django_db(transaction=True)

COMPLETE = {**HELPERS_COMPLETE, "4": "Vi har infört karriärtjänster för sjuksköterskor."}


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time, whatever is locked")


@pytest.fixture
def survey(db):
    return services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=10), actor="test"
    )


def _response(rnd, code) -> Response:
    return rnd.responses.get(municipality_id=code)


def _holding_a_submit(response: Response, inside):
    """Submit ``response`` in another thread and run ``inside()`` here while that submit's
    transaction is still open; what ``inside`` raises is raised, and so is the thread's
    failure."""
    submitted, release, failed = threading.Event(), threading.Event(), []

    def hold():
        try:
            with transaction.atomic():
                services.save(response, COMPLETE, actor="a", base_version=0, submit=True)
                submitted.set()
                release.wait(30)
        except Exception as exc:  # noqa: BLE001 - handed to the test below
            failed.append(exc)
        finally:
            submitted.set()
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        submitted.wait(30)
        with transaction.atomic():
            with connection.cursor() as cursor:  # waiting longer is what is tested against
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            inside()
    finally:
        release.set()
        thread.join()
    if failed:
        raise failed[0]


def test_submits_of_one_round_do_not_wait_for_each_other(postgresql, survey):
    first, second = _response(survey, "0114"), _response(survey, "0115")

    def submit_another():
        result = services.save(second, COMPLETE, actor="b", base_version=0, submit=True)
        assert result.submitted

    _holding_a_submit(first, submit_another)  # a lock on the round would time out here
    both = survey.responses.filter(pk__in=[first.pk, second.pk])
    assert [(r.status, r.version) for r in both] == [("submitted", 1), ("submitted", 1)]


def test_a_save_of_the_same_response_waits_for_the_one_in_progress(postgresql, survey):
    response = _response(survey, "0114")

    def save_the_same():
        services.save(response, COMPLETE, actor="b", base_version=0)

    with pytest.raises(OperationalError, match="lock timeout"):
        _holding_a_submit(response, save_the_same)
    response.refresh_from_db()
    assert (response.status, response.version) == ("submitted", 1)
    with pytest.raises(services.Conflict):
        services.save(response, COMPLETE, actor="b", base_version=0)
