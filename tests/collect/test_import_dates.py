"""Imported answers keep the submission date their file gives, or show as imported: the day of
an import is never shown as the day an organisation submitted."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from naravard.collect import services
from naravard.collect.models import STOCKHOLM, ResponseStatus
from naravard.core.dates import period_label
from tests.helpers import COMPLETE

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def csv_file(rows: list[dict], extra: list[str] = ()) -> SimpleUploadedFile:
    columns = ["org", *extra, *COMPLETE]
    lines = [",".join(columns)] + [
        ",".join(str(r.get(c, COMPLETE.get(c, ""))) for c in columns) for r in rows
    ]
    return SimpleUploadedFile("svar-2019.csv", "\n".join(lines).encode(), "text/csv")


@pytest.fixture
def open_survey(db):
    return services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=30), actor="test", year=2019
    )


@pytest.fixture
def analyst(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    return client


def test_the_file_gives_the_day_each_organisation_submitted(open_survey, analyst):
    upload = csv_file(
        [
            {"org": "0180", "submitted_at": "2019-11-28"},
            {"org": "Uppsala", "submitted_at": "2019-12-02 14:05"},
        ],
        extra=["submitted_at"],
    )
    page = analyst.post(
        f"/insamling/omgang/{open_survey.pk}/ladda-upp/", {"fil": upload}, follow=True
    )
    assert "2 svar sparade" in page_text(page)
    today = period_label(timezone.localdate())
    stockholm = open_survey.responses.get(municipality_id="0180")
    assert stockholm.status == ResponseStatus.SUBMITTED
    assert timezone.localtime(stockholm.submitted_at, STOCKHOLM).date() == dt.date(2019, 11, 28)
    text = page_text(analyst.get(f"/insamling/omgang/{open_survey.pk}/svar/0180/"))
    assert f"inskickad 28 november 2019 (importerad {today})" in text
    uppsala = open_survey.responses.get(municipality_id="0380")
    assert timezone.localtime(uppsala.submitted_at, STOCKHOLM) == dt.datetime(
        2019, 12, 2, 14, 5, tzinfo=STOCKHOLM
    )


def test_without_a_date_the_answer_shows_as_imported_not_submitted_today(
    open_survey, analyst, make_user
):
    analyst.post(
        f"/insamling/omgang/{open_survey.pk}/ladda-upp/", {"fil": csv_file([{"org": "0180"}])}
    )
    response = open_survey.responses.get(municipality_id="0180")
    assert response.status == ResponseStatus.SUBMITTED and response.submitted_at is None
    today = period_label(timezone.localdate())
    from django.test import Client

    respondent = Client()
    respondent.force_login(make_user("k", "municipality_respondent", "0180"))
    for text in (
        page_text(respondent.get(f"/insamling/omgang/{open_survey.pk}/svar/0180/")),
        page_text(respondent.get("/insamling/")),
        page_text(respondent.get("/konto/kommun/0180/")),
    ):
        assert f"importerad {today}" in text
        assert f"inskickad {today}" not in text


def test_a_respondents_own_upload_is_their_submission_and_gives_no_date(
    open_survey, client, make_user
):
    client.force_login(make_user("k", "municipality_respondent", "0180"))
    url = f"/insamling/omgang/{open_survey.pk}/svar/0180/"
    refused = client.post(
        url + "ladda-upp/",
        {"fil": csv_file([{"org": "0180", "inskickad": "2019-11-28"}], extra=["inskickad"])},
    )
    assert refused.status_code == 400
    assert "inskickningsdatum anges bara när en analytiker läser in" in page_text(refused)
    client.post(url + "ladda-upp/", {"fil": csv_file([{"org": "0180"}])})
    response = open_survey.responses.get(municipality_id="0180")
    assert response.imported_at is None and response.submitted_at is not None
    assert "inskickad " + period_label(timezone.localdate()) in page_text(client.get(url))


@pytest.mark.parametrize(
    "value, message",
    [
        ("28/11/2019", "”28/11/2019” är inte ett datum ÅÅÅÅ-MM-DD"),
        ("2999-01-01", "2999-01-01 har inte inträffat än"),
    ],
)
def test_a_date_that_is_not_a_past_day_is_refused_with_its_row(
    open_survey, analyst, value, message
):
    page = analyst.post(
        f"/insamling/omgang/{open_survey.pk}/ladda-upp/",
        {"fil": csv_file([{"org": "0180", "submitted_at": value}], extra=["submitted_at"])},
    )
    assert page.status_code == 400
    text = page_text(page)
    assert message in text and "<td>2</td>" in page.content.decode()
    assert not open_survey.responses.filter(status=ResponseStatus.SUBMITTED).exists()


def test_the_demos_2019_status_reports_carry_days_before_the_2019_deadline(client, make_user):
    from naravard.demo.rounds import build_status_reports_2019

    rnd = build_status_reports_2019()
    responses = list(rnd.responses.all())
    assert len(responses) == 21 and all(r.status == ResponseStatus.SUBMITTED for r in responses)
    days = {timezone.localtime(r.submitted_at, STOCKHOLM).date() for r in responses}
    assert min(days) >= dt.date(2019, 9, 23) and max(days) <= dt.date(2019, 10, 15)
    assert all(d.weekday() < 5 for d in days)
    client.force_login(make_user("sam", "region_coordinator", "06"))
    jonkoping = rnd.responses.get(region_id="06")
    day = period_label(timezone.localtime(jonkoping.submitted_at, STOCKHOLM).date())
    text = page_text(client.get("/konto/region/06/"))
    assert f"inskickad {day} (importerad" in text
    assert "inskickad " + period_label(timezone.localdate()) not in text
