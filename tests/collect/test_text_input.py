"""Text that PostgreSQL would refuse (the NUL character, a lone surrogate) is cleaned where it
enters, by the API, the web form, a query or an uploaded file: the answer is saved, nothing is
lost but the character itself, and nothing answers 500 (core/text.py holds the rule)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from naravard.accounts.models import ApiToken, User
from naravard.collect import services
from naravard.collect.models import Answer, Query, ResponseStatus
from tests.helpers import COMPLETE

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_0180(survey_round, make_user):
    _, secret = ApiToken.issue(make_user("sys0180", "municipality_respondent", "0180"), "system")
    return f"/api/collect/rounds/{survey_round.pk}/responses/0180", {
        "HTTP_AUTHORIZATION": f"Bearer {secret}"
    }


def stored(survey_round, org="0180") -> dict:
    return services.stored_answers(survey_round.responses.get(municipality_id=org))


def test_an_api_save_with_a_nul_keeps_the_answer_without_it(survey_round, api_0180):
    path, auth = api_0180
    version = survey_round.responses.get(municipality_id="0180").version
    body = {"version": version, "answers": {"2": "ja", "4": "Delade\u0000 tjänster"}}
    saved = put(path, json.dumps(body), auth)
    assert saved.status_code == 200, saved.content
    assert saved.json()["answers"]["4"] == "Delade tjänster"
    assert saved.json()["status"] == ResponseStatus.DRAFT
    assert stored(survey_round)["2"] == "ja"  # the other answers are kept
    assert Answer.objects.get(response__municipality_id="0180", item_id="4").value == (
        "Delade tjänster"
    )


def test_an_api_save_with_a_lone_surrogate_keeps_a_replacement_character(survey_round, api_0180):
    path, auth = api_0180
    version = survey_round.responses.get(municipality_id="0180").version
    # written as the JSON escapes a client sends: a lone high surrogate, then a valid pair
    body = (
        f'{{"version": {version}, "answers": {{"2": "ja", "4": "brist\\ud800 p\\u00e5 '
        'l\\u00e4kare \\ud83d\\ude00"}, "reasons": {"4\\udc00": "x"}}'
    )
    saved = put(path, body, auth)
    assert saved.status_code == 200, saved.content
    assert stored(survey_round)["4"] == "brist\ufffd på läkare \U0001f600"
    assert stored(survey_round)["2"] == "ja"


@pytest.mark.parametrize(
    "body",
    [
        b'{"version": 1, "answers": {"4": "\xff\xfe"}}',  # not UTF-8
        b'{"version": 1, "answers": {"4": "a"',  # not JSON
        b"\x00",
    ],
)
def test_an_unreadable_api_body_is_a_400_with_a_message(survey_round, api_0180, body):
    path, auth = api_0180
    refused = put(path, body, auth)
    assert refused.status_code == 400
    assert refused.json()["detail"]
    assert stored(survey_round).get("4") is None


def put(path, body, auth):
    from django.test import Client

    return Client().put(path, body, content_type="application/json", **auth)


# ---------------------------------------------------------------- web form ---


def url(rnd, code, suffix=""):
    return f"/insamling/omgang/{rnd.pk}/svar/{code}/{suffix}"


def test_the_web_form_saves_a_draft_without_the_nul(survey_round, client, make_user):
    client.force_login(make_user("kommun", "municipality_respondent", "0180"))
    response = survey_round.responses.get(municipality_id="0180")
    page = client.post(
        url(survey_round, "0180"),
        {"2": "ja", "4": "Vi\u0000 delar\u0007 tjänster.", "version": response.version},
    )
    assert page.status_code in (200, 302), page.content[:300]
    assert stored(survey_round)["4"] == "Vi delar tjänster."
    assert stored(survey_round)["2"] == "ja"
    assert survey_round.responses.get(municipality_id="0180").status == ResponseStatus.DRAFT
    # a surrogate's bytes in a form (not UTF-8): Django reads them as replacement characters
    version = survey_round.responses.get(municipality_id="0180").version
    raw = client.post(
        url(survey_round, "0180"),
        f"2=ja&4=brist%ED%A0%80%00&version={version}",
        content_type="application/x-www-form-urlencoded",
    )
    assert raw.status_code in (200, 302)
    assert stored(survey_round)["4"] == "brist\ufffd\ufffd\ufffd"


def test_a_group_row_and_an_override_reason_are_cleaned(status_round, client, make_user):
    client.force_login(make_user("sam", "region_coordinator", "04"))
    page = client.post(
        url(status_round, "04"),
        {
            "beslut.strategi": "ja",
            "insatser.1.omrade": "omstallning",
            "insatser.1.beskrivning": "Mobilt\u0000 team",
            "insatser.1.skede": "pilot",
            "skal:insatser": "Därför\u0000",
            "version": 0,
        },
    )
    assert page.status_code in (200, 302), page.content[:300]
    answers = services.stored_answers(status_round.responses.get(region_id="04"))
    assert answers["beslut.strategi"] == "ja"
    assert answers["insatser"][0]["beskrivning"] == "Mobilt team"


def test_a_query_and_its_reply_are_cleaned(survey_round, client, make_user):
    from django.test import Client

    client.force_login(make_user("ana", "analyst"))
    client.post(url(survey_round, "0180", "fraga/"), {"item_id": "4", "text": "Varför\u0000?"})
    query = Query.objects.get()
    assert query.text == "Varför?"
    respondent = Client()
    respondent.force_login(make_user("kommun", "municipality_respondent", "0180"))
    reply = respondent.post(f"/insamling/fraga/{query.pk}/svara/", {"reply": "Så\u0000 här."})
    assert reply.status_code == 302
    query.refresh_from_db()
    assert query.reply == "Så här."


def test_a_query_string_or_a_url_with_a_nul_is_not_an_error(
    survey_round, client, api_0180, make_user
):
    path, auth = api_0180
    assert client.get(path + "%00", **auth).json()["org"] == "0180"
    client.force_login(User.objects.get(username="sys0180"))
    assert client.get(url(survey_round, "0180%00")).status_code == 200
    client.force_login(make_user("ana", "analyst"))
    audit = client.get(f"/insamling/omgang/{survey_round.pk}/logg/?org=0180%00")
    assert audit.status_code == 200


def test_an_uploaded_file_with_a_nul_in_a_cell_is_imported_without_it(
    survey_round, client, make_user
):
    client.force_login(make_user("kommun", "municipality_respondent", "0180"))
    answers = {**COMPLETE, "4": "Introduktion\u0000 för nya."}
    header = ",".join(["org", *answers])
    row = ",".join(["0180", *answers.values()])
    upload = SimpleUploadedFile("svar.csv", f"{header}\n{row}\n".encode(), "text/csv")
    page = client.post(url(survey_round, "0180", "ladda-upp/"), {"fil": upload})
    assert page.status_code == 302, page.content[:500]
    assert stored(survey_round)["4"] == "Introduktion för nya."
    assert survey_round.responses.get(municipality_id="0180").status == ResponseStatus.SUBMITTED
