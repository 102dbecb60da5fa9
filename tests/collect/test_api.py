"""The JSON API: token and session auth, same validation, conflicts and permissions as the web."""

import json

import pytest

from naravard.accounts.models import ApiToken
from naravard.collect.models import AuditEvent, ResponseStatus

pytestmark = pytest.mark.django_db

REPORT = {
    "beslut.strategi": "ja",
    "beslut.ar": "2019",
    "beslut.beskrivning": "Strategi antagen.",
    "organisation.samordnare": "ja",
    "organisation.beskrivning": "Ett programkontor.",
    "forandringar.beskrivning": "Mobila team i tre kommuner.",
    "medel.erhallna": 5000000,
    "medel.anvanda": "4 000 000",
    "insatser": [
        {
            "omrade": "omstallning",
            "beskrivning": "Mobilt team",
            "skede": "bred_inforing",
            "startar": 2019,
            "kostnad": 800000,
        }
    ],
}


def put(client, path, body, auth):
    return client.put(path, json.dumps(body), content_type="application/json", **auth)


def post(client, path, body, auth):
    return client.post(path, json.dumps(body), content_type="application/json", **auth)


def test_a_region_sends_its_report_from_its_own_system(client, status_round, token_for):
    auth = token_for("sys04", "region_coordinator", "04")
    base = f"/api/collect/rounds/{status_round.pk}/responses/04"
    rounds = client.get("/api/collect/rounds", **auth).json()
    assert [r["id"] for r in rounds] == [status_round.pk]
    current = client.get(base, **auth).json()
    assert current["status"] == "not_started" and current["version"] == 0
    saved = put(client, base, {"version": 0, "answers": {"beslut.strategi": "ja"}}, auth)
    assert saved.status_code == 200 and saved.json()["version"] == 1
    invalid = post(
        client, base + "/submit", {"version": 1, "answers": {**REPORT, "beslut.ar": "1066"}}, auth
    )
    assert invalid.status_code == 422
    assert [p["question"] for p in invalid.json()["problems"]] == ["beslut.ar"]
    version = invalid.json()["version"]
    done = post(client, base + "/submit", {"version": version, "answers": REPORT}, auth)
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["status"] == "submitted"
    assert body["answers"]["medel.anvanda"] == 4000000
    assert body["answers"]["insatser"][0]["skede"] == "bred_inforing"
    assert AuditEvent.objects.filter(action="submit", actor__contains="(api)").exists()
    no_version = post(client, base + "/submit", {"answers": REPORT}, auth)
    assert no_version.status_code == 400  # a body not as declared; 422 is for the answers
    assert no_version.json() == {"detail": "body field version: Field required"}
    again = post(client, base + "/submit", {"version": body["version"], "answers": REPORT}, auth)
    assert again.status_code == 409  # submitted: an analyst must reopen it


def test_api_refuses_other_regions_stale_versions_and_skipped_questions(
    client, status_round, token_for
):
    auth = token_for("sys04", "region_coordinator", "04")
    other = f"/api/collect/rounds/{status_round.pk}/responses/05"
    assert client.get(other, **auth).status_code == 403
    assert (
        put(client, other, {"version": 0, "answers": {"beslut.strategi": "ja"}}, auth).status_code
        == 403
    )
    base = f"/api/collect/rounds/{status_round.pk}/responses/04"
    put(client, base, {"version": 0, "answers": {"beslut.strategi": "ja"}}, auth)
    stale = put(client, base, {"version": 0, "answers": {"beslut.strategi": "nej"}}, auth)
    assert stale.status_code == 409
    skipped = put(
        client,
        base,
        {"version": 1, "answers": {"beslut.strategi": "nej", "beslut.ar": "2019"}},
        auth,
    )
    assert skipped.status_code == 422
    assert skipped.json()["problems"][0]["question"] == "beslut.ar"
    assert status_round.responses.get(region_id="04").status != ResponseStatus.SUBMITTED
    junk = put(
        client,
        base,
        {
            "version": 1,
            "answers": {"insatser": ["junk", {"omrade": ["x"]}], "medel.erhallna": 10**400},
        },
        auth,
    )
    assert junk.status_code == 422
    assert {p["question"] for p in junk.json()["problems"]} == {
        "insatser.1",
        "insatser.2.omrade",
        "medel.erhallna",
    }


def test_api_needs_a_valid_token(client, status_round, make_user):
    assert client.get("/api/collect/rounds").status_code == 401
    bad = client.get("/api/collect/rounds", HTTP_AUTHORIZATION="Bearer nv_not-a-token")
    assert bad.status_code == 401
    token, secret = ApiToken.issue(make_user("s", "region_coordinator", "04"), "x")
    from django.utils import timezone

    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert (
        client.get("/api/collect/rounds", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )


def test_results_over_the_api_for_analysts_only(client, survey_round, token_for):
    analyst = token_for("ana", "analyst")
    data = client.get(f"/api/collect/rounds/{survey_round.pk}/results", **analyst).json()
    assert (data["invited"], data["responded"]) == (290, 226)
    respondent = token_for("k", "municipality_respondent", "0180")
    assert (
        client.get(f"/api/collect/rounds/{survey_round.pk}/results", **respondent).status_code
        == 403
    )


def test_openapi_document_describes_the_collection_api(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/collect/rounds/{round_id}/responses/{org}/submit" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_a_save_asks_the_database_a_few_times_and_answers_with_what_it_stored(
    client, survey_round, token_for, django_assert_max_num_queries
):
    """At the deadline every municipality saves at once: a save must not read back what it has
    just written, nor look up last year's answers for a form that never compares with them."""
    auth = token_for("sys0180", "municipality_respondent", "0180")
    base = f"/api/collect/rounds/{survey_round.pk}/responses/0180"
    answers = {"1.politisk": "ja", "2": "nej"}
    assert client.get(base, **auth).status_code == 200  # the token's use is noted once
    # the request's transaction, the token, the response, a savepoint, the stored answers,
    # the new answers, the audit events, the response again, and two releases
    with django_assert_max_num_queries(10):
        saved = put(client, base, {"version": 0, "answers": answers}, auth)
    assert saved.status_code == 200
    assert saved.json()["answers"] == answers
    assert client.get(base, **auth).json()["answers"] == answers
