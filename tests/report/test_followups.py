"""Follow-ups as analysts create them: on the command line and on their page, through one
service that refuses what a follow-up cannot be made of and stores nothing then."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from naravard.collect import services
from naravard.report.followups import FollowUpRefused, create_followup
from naravard.report.models import FollowUp, PublishedReport, ReportEvent, ReportEventKind
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

PAGE = "/konto/uppfoljningar/"


@pytest.fixture
def rounds(db):
    """Closed rounds: the 2019 survey and status reports (historical), and the 2018 survey."""
    survey = services.open_round(
        "kommunenkat-2019", dt.date(2020, 1, 27), actor="test", historical=True, year=2019
    )
    status = services.open_round(
        "nulagesrapport-2019", dt.date(2019, 10, 15), actor="test", historical=True
    )
    return survey, status


@pytest.fixture
def open_survey(db):
    return services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=30), actor="test"
    )


def create_args(name: str, survey, status, until="2020-03-31", publish="2020-06-15") -> list:
    return [
        "followup", "create", name,
        "--survey-round", str(getattr(survey, "pk", survey)),
        "--status-round", str(getattr(status, "pk", status)),
        "--periods-until", until,
        "--publish-date", publish,
    ]  # fmt: skip


def test_the_command_line_creates_a_follow_up_with_default_titles(cli, rounds):
    survey, status = rounds
    out = cli(*create_args("2020", survey, status))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Created follow-up 2020: ")
    f = FollowUp.objects.get()
    assert (f.name, f.survey_round, f.status_round) == ("2020", survey, status)
    assert (f.data_until, f.published_on) == (dt.date(2020, 3, 31), dt.date(2020, 6, 15))
    assert f.title_sv == "Uppföljning av omställningen till god och nära vård 2020"
    assert f.title_en == "Follow-up of the transition to good and close care 2020"
    event = ReportEvent.objects.get(followup=f)
    assert event.kind == ReportEventKind.CREATED and "(kommandoraden)" in event.actor


def test_titles_given_are_kept(cli, rounds):
    out = cli(
        *create_args("2020b", *rounds),
        "--title-sv",
        "Nära vård 2020",
        "--title-en",
        "Close care 2020",
    )
    assert out.returncode == 0, out.stderr
    assert FollowUp.objects.values_list("title_sv", "title_en").get() == (
        "Nära vård 2020",
        "Close care 2020",
    )


def test_the_list_tells_rounds_periods_and_publication(cli, rounds):
    survey, status = rounds
    assert cli("followup", "list").stdout.startswith("No follow-up yet")
    cli(*create_args("2020", survey, status))
    cli(*create_args("2021", survey, status, "2021-03-31", "2021-06-15"))
    PublishedReport.objects.create(
        followup=FollowUp.objects.get(name="2020"),
        lang="sv",
        html="<p>x</p>",
        pdf=b"%PDF",
        manifest={},
        actor="test",
    )
    out = cli("followup", "list", "--format", "json")
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert [f["name"] for f in listed] == ["2021", "2020"]  # latest publication first
    assert listed[1] == {
        "name": "2020",
        "title_sv": "Uppföljning av omställningen till god och nära vård 2020",
        "title_en": "Follow-up of the transition to good and close care 2020",
        "survey_round": {
            "id": survey.pk,
            "form": "kommunenkat-2019",
            "year": 2019,
            "title": survey.title,
        },
        "status_round": {
            "id": status.pk,
            "form": "nulagesrapport-2019",
            "year": 2019,
            "title": status.title,
        },
        "periods_until": "2020-03-31",
        "publish_date": "2020-06-15",
        "published": True,
        "published_languages": ["sv"],
    }
    assert listed[0]["published"] is False and listed[0]["published_languages"] == []
    table = cli("followup", "list").stdout.splitlines()
    assert table[1:] == [
        f"2021\t{survey.pk} kommunenkat-2019 2019\t{status.pk} nulagesrapport-2019 2019\t"
        "2021-03-31\t2021-06-15\tno",
        f"2020\t{survey.pk} kommunenkat-2019 2019\t{status.pk} nulagesrapport-2019 2019\t"
        "2020-03-31\t2020-06-15\tsv",
    ]


def refusals(survey, status, open_survey):
    """(arguments, the error line's words) for each input a follow-up cannot be made of."""
    return [
        (create_args("2020", 9999, status), "--survey-round: There is no round 9999."),
        (create_args("2020", survey, "x"), "--status-round: “x” is not a round number."),
        (
            create_args("2020", status, status),
            f"--survey-round: Round {status.pk} (nulagesrapport-2019) is asked of the regions; "
            "the municipal survey must be a round asked of the municipalities.",
        ),
        (
            create_args("2020", survey, survey),
            f"--status-round: Round {survey.pk} (kommunenkat-2019) is asked of the "
            "municipalities; the status reports must be a round asked of the regions.",
        ),
        (
            create_args("2020", open_survey, status),
            f"--survey-round: Round {open_survey.pk} (kommunenkat-2019) is still open, until "
            f"{open_survey.deadline.isoformat()}; a follow-up is made of closed rounds.",
        ),
        (
            create_args("2020", survey, status, until="2020-07-01"),
            "--periods-until: Data up to 2020-07-01 is after the publication day 2020-06-15; a "
            "report can only be built on periods that ended before it is published.",
        ),
        (
            create_args("2020", survey, status, until="2020-02-30"),
            "--periods-until: “2020-02-30” is not a date YYYY-MM-DD.",
        ),
        (
            create_args("2020", survey, status, publish="15/6/2020"),
            "--publish-date: “15/6/2020” is not a date YYYY-MM-DD.",
        ),
        (
            create_args("20 20", survey, status),
            "NAME: “20 20” will not do as a name: at most 20 characters",
        ),
        (create_args("taken", survey, status), "NAME: There is already a follow-up named taken."),
    ]


@pytest.mark.parametrize("case", range(10))
def test_each_refusal_is_one_error_line_and_stores_nothing(cli, rounds, open_survey, case):
    survey, status = rounds
    create_followup(
        "taken",
        survey_round=survey,
        status_round=status,
        data_until="2019-12-31",
        published_on="2020-02-01",
    )
    args, words = refusals(survey, status, open_survey)[case]
    out = cli(*args)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: " + words), out.stderr
    assert list(FollowUp.objects.values_list("name", flat=True)) == ["taken"]
    assert ReportEvent.objects.count() == 1


def test_every_problem_is_told_at_once():
    with pytest.raises(FollowUpRefused) as refused:
        create_followup(
            "",
            survey_round="",
            status_round=None,
            data_until="",
            published_on="i juni",
            title_sv="x" * 201,
        )
    assert set(refused.value.problems) == {
        "name",
        "survey_round",
        "status_round",
        "data_until",
        "published_on",
        "title_sv",
    }
    assert not FollowUp.objects.exists()


def test_a_round_past_its_deadline_counts_as_closed_before_it_is_marked_locked(rounds):
    """is_locked, not locked_at: the deadline passed, the system has not recorded it yet."""
    survey, status = rounds
    late = services.open_round(
        "kommunenkat-2019",
        timezone.localdate() - dt.timedelta(days=3),
        actor="test",
        opened_at=timezone.now() - dt.timedelta(days=40),
    )
    assert late.locked_at is None and late.is_locked
    f = create_followup(
        "sen", survey_round=late.pk, status_round=status.pk, data_until="2020-01-01",
        published_on="2020-02-01",
    )  # fmt: skip
    assert f.survey_round == late


# ------------------------------------------------------------------- the page ---


@pytest.fixture
def analyst(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    return client


def filled_in(survey, status, **changed: str) -> dict[str, str]:
    """The page's form filled in for the follow-up 2020 of these rounds, ``changed`` aside."""
    return {
        "name": "2020",
        "survey_round": str(survey.pk),
        "status_round": str(status.pk),
        "data_until": "2020-03-31",
        "published_on": "2020-06-15",
        **changed,
    }


def test_the_page_lists_follow_ups_and_offers_closed_rounds(analyst, rounds, open_survey):
    survey, status = rounds
    create_followup(
        "2020", survey_round=survey, status_round=status, data_until="2020-03-31",
        published_on="2020-06-15",
    )  # fmt: skip
    page = analyst.get(PAGE)
    assert page.status_code == 200
    text = page_text(page)
    assert "Uppföljning av omställningen till god och nära vård 2020" in text
    assert f"omgång {survey.pk}, kommunenkat-2019, avser 2019" in text
    assert "31 mars 2020" in text and "15 juni 2020" in text
    form = page.context["form"]
    offered = {field: [v for v, _ in form.fields[field].widget.choices if v] for field in
               ("survey_round", "status_round")}  # fmt: skip
    assert offered == {"survey_round": [str(survey.pk)], "status_round": [str(status.pk)]}
    english = page_text(analyst.get("/en" + PAGE))
    assert "Create a follow-up" in english and "Municipal survey" in english
    assert "Follow-up of the transition to good and close care 2020" in english


def test_the_page_creates_a_follow_up(analyst, rounds):
    survey, status = rounds
    done = analyst.post(PAGE, filled_in(survey, status, title_sv="", title_en=""), follow=True)
    assert done.redirect_chain == [(PAGE, 302)]
    assert "Uppföljningen 2020 är skapad." in page_text(done)
    f = FollowUp.objects.get()
    assert f.title_sv == "Uppföljning av omställningen till god och nära vård 2020"
    assert ReportEvent.objects.get(followup=f).actor == "ana (webb)"


def test_the_page_tells_each_problem_at_its_field_and_stores_nothing(analyst, rounds, open_survey):
    survey, status = rounds
    page = analyst.post(PAGE, filled_in(open_survey, survey, data_until="2020-07-01"))
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="id_survey_round_error"' in html and 'id="id_status_round_error"' in html
    assert 'id="id_data_until_error"' in html and 'id="id_name_error"' not in html
    errors = page.context["form"].errors
    assert "är fortfarande öppen" in errors["survey_round"][0]
    assert "ställs till kommunerna" in errors["status_round"][0]
    assert "ligger efter publiceringsdagen 2020-06-15" in errors["data_until"][0]
    assert 'aria-invalid="true"' in html
    assert 'value="2020"' in html  # what was typed is kept
    assert not FollowUp.objects.exists()


def test_only_analysts_reach_the_page(client, make_user, rounds):
    survey, status = rounds
    anonymous = client.get(PAGE)
    assert anonymous.status_code == 302 and "/konto/logga-in/" in anonymous["Location"]
    client.force_login(make_user("samordnare", "region_coordinator", "06"))
    assert client.get(PAGE).status_code == 403
    posted = client.post(PAGE, filled_in(survey, status))
    assert posted.status_code == 403
    assert not FollowUp.objects.exists()


def test_the_analysts_start_page_links_to_it(analyst):
    assert f'href="{PAGE}"' in analyst.get("/konto/oversikt/").content.decode()
