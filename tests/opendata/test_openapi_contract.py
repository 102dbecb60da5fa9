"""The JSON API keeps to its OpenAPI description (/api/openapi.json), checked by schemathesis.

For every operation schemathesis sends requests made from the description (valid and
invalid parameters and bodies, boundary values, and the real rounds, organisations and
indicators of a database holding data) and fails on any server error (5xx), a status the
operation does not declare, a content type it does not declare, or a body that does not
match the declared schema. The open API is called anonymously; the collection and indicator
APIs with a municipality respondent's, a region coordinator's and an analyst's token. A
round trip through the collection (save, refused answers, submit, results) and every
download is checked against the description too, since generated requests seldom get that
far.

Bounded and repeatable: a fixed seed, Hypothesis derandomized, a dozen examples per
operation and phase.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from naravard.accounts.models import ApiToken
from naravard.accounts.provisioning import create_user
from naravard.api import api
from naravard.collect import services
from naravard.collect.models import ResponseStatus, Round
from naravard.publish.releases import release
from tests.helpers import COMPLETE, kept_for_the_module, open_survey_round, store

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 16,
        "generation": {"max-examples": 12, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }
)
# the description as /api/openapi.json serves it, read without a request (which would touch
# the database before a test may); the requests go to the application itself (WSGI)
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder)), config=CONFIG
)
schema.app, schema.location = get_wsgi_application(), "/api/openapi.json"
open_api = schema.include(path_regex="^/api/open/")
signed_in_api = schema.include(path_regex="^/api/(collect|indicators)")
ROLES = ("municipality_respondent", "region_coordinator", "analyst")

# Path parameters of real objects, filled by the module's data: schemathesis draws from
# these as often as from the values the description allows, so that the operations are also
# called on rounds, responses and indicators that exist.
KNOWN: list[dict[str, Any]] = []


@schema.hook("before_generate_path_parameters")
def known_objects_too(context, strategy):
    names = {p.name for p in context.operation.path_parameters}
    known = [{k: v for k, v in known.items() if k in names} for known in KNOWN]
    known = [k for k in known if set(k) == names]
    return st.one_of(st.sampled_from(known), strategy) if known else strategy


@dataclass(frozen=True)
class ApiData:
    survey: int  # the published 2019 survey round
    status: int  # an open status-report round
    municipality: str  # a municipality that has not answered the survey yet
    auth: dict[str, dict[str, str]]  # role -> the Authorization header of its token


@pytest.fixture(scope="module")
def connection_kept():
    """Requests leave the database connection open, as under Django's test client: the end
    of a request closes a connection inside a transaction (the test's) otherwise."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_data(django_db_setup, django_db_blocker, connection_kept):
    """A database holding data, once for this module: the 2019 survey round (published, with
    the report's 226 responses), an open status-report round, named-doctor shares of 2021
    (released) and 2022 (not), and a token for each kind of caller."""
    with kept_for_the_module(django_db_blocker):
        survey = open_survey_round()
        Round.objects.filter(pk=survey.pk).update(is_published=True)
        status = services.open_round(
            "nulagesrapport-2019", timezone.localdate() + dt.timedelta(days=30), actor="test"
        )
        store("2021")
        store("2022")
        release("named_doctor_share", "2021", actor="test")
        waiting = (
            survey.responses.filter(status=ResponseStatus.NOT_STARTED)
            .order_by("municipality_id")
            .values_list("municipality_id", flat=True)
            .first()
        )
        assert waiting is not None
        KNOWN[:] = [
            {"round_id": survey.pk, "org": waiting, "indicator_id": "named_doctor_share"},
            {"round_id": status.pk, "org": "04", "indicator_id": "named_doctor_share"},
            {"round_id": survey.pk, "org": "0114", "indicator_id": "digital_contact_share"},
        ]
        auth = {}
        for role, org in zip(ROLES, (waiting, "04", None), strict=True):
            user = create_user(role, role, org, password="Correct-Horse-9")
            auth[role] = {"Authorization": f"Bearer {ApiToken.issue(user, 'test')[1]}"}
        yield ApiData(survey.pk, status.pk, waiting, auth)
        KNOWN.clear()


@open_api.parametrize()
def test_the_open_api_keeps_to_its_description(case, api_data):
    case.call_and_validate(checks=CHECKS)


@signed_in_api.parametrize()
@pytest.mark.parametrize("role", ROLES)
def test_the_signed_in_api_keeps_to_its_description(case, api_data, role):
    case.call_and_validate(headers=api_data.auth[role], checks=CHECKS)


def call(path: str, method: str = "GET", auth: dict | None = None, **parts) -> Any:
    """One request made by hand, checked against the description like the generated ones."""
    case = schema[path][method].Case(headers=auth, **parts)
    return case.call_and_validate(checks=CHECKS)


def test_a_round_trip_through_the_collection_keeps_to_the_description(api_data):
    respondent = api_data.auth["municipality_respondent"]
    where = {"round_id": api_data.survey, "org": api_data.municipality}
    one = "/api/collect/rounds/{round_id}/responses/{org}"

    def send(path: str, method: str, version: int, answers: dict) -> Any:
        body = {"version": version, "answers": answers}
        return call(path, method, respondent, path_parameters=where, body=body)

    assert call("/api/collect/rounds", auth=respondent).json()[0]["id"] == api_data.survey
    response = call(one, auth=respondent, path_parameters=where)
    assert response.status_code == 200 and response.json()["status"] == "not_started"
    draft = send(one, "PUT", 0, {"1.politisk": "ja"})
    assert draft.status_code == 200 and draft.json()["version"] == 1
    refused = send(one, "PUT", 1, {"1.politisk": "kanske"})
    assert refused.status_code == 422 and refused.json()["problems"][0]["question"] == "1.politisk"
    incomplete = send(one + "/submit", "POST", 1, {"1.politisk": "ja"})
    assert incomplete.status_code == 422 and incomplete.json()["status"] == "draft"
    done = send(one + "/submit", "POST", incomplete.json()["version"], COMPLETE)
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert send(one + "/submit", "POST", done.json()["version"], COMPLETE).status_code == 409
    results = call(
        "/api/collect/rounds/{round_id}/results",
        auth=api_data.auth["analyst"],
        path_parameters={"round_id": api_data.survey},
    )
    assert results.json()["responded"] == 227


@pytest.mark.parametrize("format", ["json", "csv", "xlsx"])
def test_every_download_keeps_to_the_description(api_data, format):
    for path, parameters in (
        ("/api/open/indicators/{indicator_id}/values", {"indicator_id": "named_doctor_share"}),
        ("/api/open/surveys/{round_id}/results", {"round_id": api_data.survey}),
        ("/api/open/regions", {}),
        ("/api/open/municipalities", {}),
    ):
        for excel in (False, True):
            query = {"format": format, "excel": excel}
            response = call(path, path_parameters=parameters, query=query)
            assert response.status_code == 200


def test_the_analysis_keeps_to_the_description(api_data):
    rows = call(
        "/api/indicators/{indicator_id}/analysis",
        auth=api_data.auth["analyst"],
        path_parameters={"indicator_id": "named_doctor_share"},
    ).json()
    assert len(rows) == 22 and rows[0]["trend"] is not None
