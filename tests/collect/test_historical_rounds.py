"""Historical rounds: a collection whose deadline had passed before naravard held it is opened
locked, respondents cannot answer it, and an analyst's import fills it with each answer's own
submission day, which the pages and the exports show."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from naravard.collect import services
from naravard.collect.models import STOCKHOLM, AuditAction, ResponseStatus, Round
from naravard.core.dates import period_label
from tests.helpers import COMPLETE

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2019, 11, 30)


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def answers_csv(rows: list[dict]) -> str:
    columns = ["org", "submitted_at", *COMPLETE]
    lines = [",".join(columns)] + [
        ",".join(str(r.get(c, COMPLETE.get(c, ""))) for c in columns) for r in rows
    ]
    return "\n".join(lines) + "\n"


def historical_survey() -> Round:
    return services.open_round("kommunenkat-2019", DEADLINE, actor="test", historical=True)


def test_the_command_line_opens_a_historical_round_locked_and_marked(cli):
    out = cli(
        "rounds", "open", "--form", "kommunenkat-2019", "--deadline", "2019-11-30", "--historical"
    )
    assert out.returncode == 0, out.stderr
    rnd = Round.objects.get()
    assert out.stdout.startswith(f"Opened historical round {rnd.pk}: ")
    assert f"--round {rnd.pk}" in out.stdout  # how to fill it
    assert rnd.historical and rnd.locked_at is not None and rnd.is_locked
    assert rnd.locked_at == rnd.closes_at  # closed at its deadline
    assert rnd.year == 2019  # the deadline's year, not this year
    assert timezone.localtime(rnd.opened_at, STOCKHOLM).date() == DEADLINE
    assert rnd.responses.count() == 290
    actions = list(rnd.audit_events.order_by("pk").values_list("action", flat=True))
    assert actions == [AuditAction.OPEN, AuditAction.LOCK]
    assert "historisk" in rnd.audit_events.get(action=AuditAction.LOCK).note
    listed = cli("rounds", "list")
    assert f"{rnd.pk}\tkommunenkat-2019\tlocked (historical)\tdeadline 2019-11-30" in listed.stdout


def test_a_year_given_wins_over_the_deadlines(cli):
    out = cli(
        "rounds", "open", "--form", "nulagesrapport-2019", "--deadline", "2020-01-15",
        "--historical", "--year", "2019",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert Round.objects.get().year == 2019


@pytest.mark.parametrize("days", [0, 1, 30])
def test_a_historical_round_with_a_future_deadline_is_refused(cli, days):
    deadline = (timezone.localdate() + dt.timedelta(days=days)).isoformat()
    out = cli(
        "rounds", "open", "--form", "kommunenkat-2019", "--deadline", deadline, "--historical"
    )
    assert out.returncode == 1
    assert out.stderr.strip() == (
        f"error: A historical round must have a deadline that has passed; {deadline} has not "
        "passed."
    )
    assert not Round.objects.exists()


def test_without_historical_a_past_deadline_stays_refused(cli):
    out = cli("rounds", "open", "--form", "kommunenkat-2019", "--deadline", "2019-11-30")
    assert out.returncode == 1
    assert out.stderr.strip() == "error: The deadline 2019-11-30 has already passed."
    assert not Round.objects.exists()


def test_a_historical_round_opens_beside_the_open_round_of_its_form():
    open_now = services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=20), actor="test"
    )
    old = historical_survey()
    assert old.is_locked and not Round.objects.get(pk=open_now.pk).is_locked
    assert services.open_round_for("kommunenkat-2019") == open_now


def test_respondents_cannot_answer_a_historical_round(client, make_user):
    rnd = historical_survey()
    response = rnd.responses.get(municipality_id="0180")
    respondent = make_user("k", "municipality_respondent", "0180")
    assert not response.editable
    with pytest.raises(services.NotEditable):
        services.save(response, dict(COMPLETE), user=respondent, submit=True)
    client.force_login(respondent)
    url = f"/insamling/omgang/{rnd.pk}/svar/0180/"
    upload = SimpleUploadedFile(
        "svar.csv", answers_csv([{"org": "0180", "submitted_at": ""}]).encode(), "text/csv"
    )
    refused = client.post(url + "ladda-upp/", {"fil": upload})
    assert refused.status_code == 400
    assert "omgången är låst sedan sista svarsdagen passerat" in page_text(refused)
    assert not rnd.responses.filter(status=ResponseStatus.SUBMITTED).exists()


def test_an_import_keeps_each_rows_submission_day_in_pages_and_exports(
    cli, tmp_path, client, make_user
):
    rnd = historical_survey()
    file = tmp_path / "svar-2019.csv"
    file.write_text(
        answers_csv(
            [
                {"org": "0180", "submitted_at": "2019-11-28"},
                {"org": "Uppsala", "submitted_at": "2019-11-12 14:05"},
                {"org": "2584", "submitted_at": "2019-10-31 08:30"},
            ]
        ),
        encoding="utf-8",
    )
    out = cli(
        "responses", "import", str(file), "--form", "kommunenkat-2019", "--round", str(rnd.pk)
    )
    assert out.returncode == 0, out.stderr
    assert "stored 3 responses" in out.stdout

    submitted = {
        r.municipality_id: timezone.localtime(r.submitted_at, STOCKHOLM)
        for r in rnd.responses.filter(status=ResponseStatus.SUBMITTED)
    }
    assert submitted == {
        "0180": dt.datetime(2019, 11, 28, 0, 0, tzinfo=STOCKHOLM),
        "0380": dt.datetime(2019, 11, 12, 14, 5, tzinfo=STOCKHOLM),
        "2584": dt.datetime(2019, 10, 31, 8, 30, tzinfo=STOCKHOLM),
    }
    assert all(r.imported_at for r in rnd.responses.filter(status=ResponseStatus.SUBMITTED))

    exported = cli("responses", "export", "--form", "kommunenkat-2019", "--round", str(rnd.pk))
    rows = list(csv.DictReader(io.StringIO(exported.stdout.lstrip("\ufeff"))))
    assert {r["org"]: r["submitted_at"] for r in rows} == {
        "0180": "2019-11-28 00:00",
        "0380": "2019-11-12 14:05",
        "2584": "2019-10-31 08:30",
    }
    again = tmp_path / "export.csv"
    again.write_text(exported.stdout, encoding="utf-8")
    reread = cli(
        "responses", "import", str(again), "--form", "kommunenkat-2019", "--round", str(rnd.pk)
    )
    assert "stored 0 responses, 3 unchanged" in reread.stdout

    client.force_login(make_user("ana", "analyst"))
    today = period_label(timezone.localdate())
    answer = page_text(client.get(f"/insamling/omgang/{rnd.pk}/svar/0380/"))
    assert f"inskickad 12 november 2019 (importerad {today})" in answer
    round_page = page_text(client.get(f"/insamling/omgang/{rnd.pk}/"))
    assert "Den är historisk" in round_page
    assert f"inskickad 31 oktober 2019 (importerad {today})" in round_page
    web_export = client.get(f"/insamling/omgang/{rnd.pk}/export.csv")
    web_rows = list(csv.DictReader(io.StringIO(web_export.content.decode().lstrip("\ufeff"))))
    assert {r["org"]: r["submitted_at"] for r in web_rows}["0180"] == "2019-11-28 00:00"


def test_an_analyst_uploads_into_a_historical_round_on_its_page(client, make_user):
    rnd = historical_survey()
    client.force_login(make_user("ana", "analyst"))
    page = page_text(client.get(f"/insamling/omgang/{rnd.pk}/"))
    assert "Läs in svar från fil" in page and "Omgången är låst." in page
    upload = SimpleUploadedFile(
        "svar.csv",
        answers_csv([{"org": "0180", "submitted_at": "2019-11-20 10:15"}]).encode(),
        "text/csv",
    )
    done = page_text(
        client.post(f"/insamling/omgang/{rnd.pk}/ladda-upp/", {"fil": upload}, follow=True)
    )
    assert "1 svar sparade" in done
    stockholm = rnd.responses.get(municipality_id="0180")
    assert timezone.localtime(stockholm.submitted_at, STOCKHOLM) == dt.datetime(
        2019, 11, 20, 10, 15, tzinfo=STOCKHOLM
    )
    assert stockholm.imported_at is not None


def test_the_analysts_page_opens_a_historical_round(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    assert "Historisk omgång" in page_text(client.get("/insamling/"))
    page = client.post(
        "/insamling/omgang/ny/",
        {"form_id": "nulagesrapport-2019", "deadline": "2019-10-15", "year": "", "historical": "1"},
        follow=True,
    )
    rnd = Round.objects.get()
    assert rnd.historical and rnd.is_locked and rnd.year == 2019
    assert "Den är historisk" in page_text(page)
    listed = page_text(client.get("/insamling/"))
    assert "låst (historisk)" in listed
