"""The collection pages: who sees which response, the form's behaviour, follow-up, queries (the
respondent is told by e-mail), files, and an audit trail that reads in Swedish."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from naravard.collect import services
from naravard.collect.audit import actor_name
from naravard.collect.models import AuditEvent, Query, ResponseStatus
from naravard.core.dates import period_label
from tests.helpers import COMPLETE

pytestmark = pytest.mark.django_db


def url(rnd, code, suffix=""):
    return f"/insamling/omgang/{rnd.pk}/svar/{code}/{suffix}"


@pytest.fixture
def respondent(client, make_user):
    client.force_login(make_user("kommun", "municipality_respondent", "0180"))
    return client


def test_respondent_sees_own_form_and_not_another_municipalitys(survey_round, respondent):
    page = respondent.get(url(survey_round, "0180"))
    assert page.status_code == 200
    assert 'name="3.sjukskoterska"' in page.content.decode()
    other = next(r for r in survey_round.responses.exclude(municipality_id="0180"))
    assert respondent.get(url(survey_round, other.org_code)).status_code == 403
    assert respondent.post(url(survey_round, other.org_code), {"2": "ja"}).status_code == 403
    assert respondent.get(url(survey_round, other.org_code, "mall.xlsx")).status_code == 403
    assert respondent.get(f"/insamling/omgang/{survey_round.pk}/").status_code == 403
    assert respondent.get(f"/insamling/omgang/{survey_round.pk}/export.csv").status_code == 403


def test_anonymous_sees_nothing_unpublished(survey_round, client):
    for path in [
        url(survey_round, "0180"),
        f"/insamling/omgang/{survey_round.pk}/",
        f"/insamling/omgang/{survey_round.pk}/export.csv",
        "/insamling/",
    ]:
        response = client.get(path)
        assert response.status_code == 302 and "logga-in" in response["Location"], path
    assert client.get(f"/api/collect/rounds/{survey_round.pk}/results").status_code == 401


def test_coordinator_cannot_edit_another_regions_report(status_round, client, make_user):
    client.force_login(make_user("sam", "region_coordinator", "04"))
    assert client.get(url(status_round, "04")).status_code == 200
    assert client.get(url(status_round, "05")).status_code == 403
    assert client.post(url(status_round, "05"), {"beslut.strategi": "ja"}).status_code == 403
    assert client.get(url(status_round, "0180")).status_code == 404  # not a region's response


def test_submit_with_a_missing_required_answer_keeps_everything_typed(survey_round, respondent):
    response = survey_round.responses.get(municipality_id="0180")
    post = {
        **COMPLETE,
        "2": "nej",
        "4": "Vi delar tjänster med grannkommunen.",
        "version": response.version,
        "atgard": "skicka",
    }
    page = respondent.post(url(survey_round, "0180"), post)
    assert page.status_code == 400
    html = page.content.decode()
    assert "2a" in html and "måste besvaras" in html
    assert "Vi delar tjänster med grannkommunen." in html  # the rest is kept
    assert re.search(r'name="3.dietist" value="finns_ej"[^>]* checked', html)
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    assert services.stored_answers(response)["4"] == "Vi delar tjänster med grannkommunen."
    post.update({"2a": "ja", "version": response.version})
    done = respondent.post(url(survey_round, "0180"), post)
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED


def test_two_people_editing_the_same_response(survey_round, client, make_user):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(make_user("a", "municipality_respondent", "0180"))
    second.force_login(make_user("b", "municipality_respondent", "0180"))
    version = survey_round.responses.get(municipality_id="0180").version
    assert (
        first.post(
            url(survey_round, "0180"), {"2": "ja", "version": version, "atgard": "spara"}
        ).status_code
        == 302
    )
    clash = second.post(
        url(survey_round, "0180"), {"2": "nej", "version": version, "atgard": "spara"}
    )
    assert clash.status_code == 409
    html = clash.content.decode()
    assert "har ändrats av a" in html
    assert re.search(r'name="2" value="nej"[^>]* checked', html)  # second person's values kept
    assert services.stored_answers(survey_round.responses.get(municipality_id="0180"))["2"] == "ja"


def test_analyst_follow_up_page(survey_round, client, make_user):
    client.force_login(make_user("ana", "analyst"))
    page = client.get(f"/insamling/omgang/{survey_round.pk}/")
    assert page.status_code == 200
    text = page.content.decode().replace("\xa0", " ")
    assert "226 av 290 har svarat (77,9 %)" in text
    assert "Besvarad av 225 av 226 (bortfall 1)" in text
    assert "Har inte svarat (64)" in text


def test_reminder_button_sends_mail(survey_round, client, make_user, settings):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    pending = survey_round.responses.exclude(status=ResponseStatus.SUBMITTED).first()
    make_user("late", "municipality_respondent", pending.org_code, email="late@example.org")
    client.force_login(make_user("ana", "analyst"))
    response = client.post(
        f"/insamling/omgang/{survey_round.pk}/paminn/", {"bekrafta": "1"}, follow=True
    )
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["late@example.org"]]


def test_query_raised_answered_and_closed(survey_round, client, make_user):
    from django.test import Client

    analyst = Client()
    analyst.force_login(make_user("ana", "analyst"))
    code = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first().org_code
    resp_client = Client()
    resp_client.force_login(make_user("k", "municipality_respondent", code))
    analyst.post(
        url(survey_round, code, "fraga/"), {"item_id": "3.dietist", "text": "Stämmer detta?"}
    )
    query = Query.objects.get()
    assert query.status == "open"
    listing = analyst.get(f"/insamling/omgang/{survey_round.pk}/fragor/?status=open")
    assert "Stämmer detta?" in listing.content.decode()
    outsider = Client()
    outsider.force_login(
        make_user("x", "municipality_respondent", "0180" if code != "0180" else "0181")
    )
    assert (
        outsider.post(f"/insamling/fraga/{query.pk}/svara/", {"reply": "hack"}).status_code == 403
    )
    resp_client.post(f"/insamling/fraga/{query.pk}/svara/", {"reply": "Ja, vi köper tjänsten."})
    query.refresh_from_db()
    assert (query.status, query.reply) == ("answered", "Ja, vi köper tjänsten.")
    assert resp_client.post(f"/insamling/fraga/{query.pk}/avsluta/").status_code == 403
    analyst.post(f"/insamling/fraga/{query.pk}/avsluta/")
    query.refresh_from_db()
    assert query.status == "closed"
    assert AuditEvent.objects.filter(action="query", response=query.response).count() == 3


def test_excel_round_trip_for_a_respondent(survey_round, respondent):
    template = respondent.get(url(survey_round, "0180", "mall.xlsx"))
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    sheet = book["svar"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["org", "org_name"] and sheet.cell(2, 1).value == "0180"
    for item, value in {**COMPLETE, "4": "Introduktion för nya sjuksköterskor."}.items():
        sheet.cell(2, header.index(item) + 1).value = value
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "ifylld.xlsx"
    result = respondent.post(url(survey_round, "0180", "ladda-upp/"), {"fil": out})
    assert result.status_code == 302
    response = survey_round.responses.get(municipality_id="0180")
    assert response.status == ResponseStatus.SUBMITTED
    assert services.stored_answers(response)["4"] == "Introduktion för nya sjuksköterskor."


def test_respondent_upload_for_another_organisation_is_refused_whole(survey_round, respondent):
    csv = b"org,2\n0180,ja\n0181,nej\n"
    upload = io.BytesIO(csv)
    upload.name = "svar.csv"
    page = respondent.post(url(survey_round, "0180", "ladda-upp/"), {"fil": upload})
    assert page.status_code == 400
    html = page.content.decode()
    assert "egen organisation" in html and "0181" in html
    assert survey_round.responses.get(municipality_id="0180").status != ResponseStatus.SUBMITTED


def test_analyst_sees_audit_log_and_reopens(survey_round, client, make_user):
    client.force_login(make_user("ana", "analyst"))
    code = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first().org_code
    client.post(url(survey_round, code, "ateroppna/"))
    log = client.get(f"/insamling/omgang/{survey_round.pk}/logg/?org={code}")
    assert log.status_code == 200
    assert "återöppnat" in log.content.decode()


def test_codebook_is_public(client):
    page = client.get("/insamling/formular/kommunenkat-2019/kodbok/")
    assert page.status_code == 200
    html = page.content.decode()
    for item in ("1.politisk", "2a", "3.farmaceut", "finns_ej"):
        assert item in html
    assert client.get("/insamling/formular/okand/kodbok/").status_code == 404


def test_respondents_are_told_about_a_query(survey_round, client, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first()
    make_user("k", "municipality_respondent", response.org_code, email="k@example.org")
    client.force_login(make_user("ana", "analyst"))
    client.post(
        f"/insamling/omgang/{survey_round.pk}/svar/{response.org_code}/fraga/",
        {"item_id": "3.dietist", "text": "Köper ni dietisttjänster?"},
    )
    assert [m.to for m in mail.outbox] == [["k@example.org"]]
    assert "Köper ni dietisttjänster?" in mail.outbox[0].body


def test_the_audit_trail_reads_in_swedish(client, make_user):
    rnd = services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=1), actor=actor_name(via="cli")
    )
    client.force_login(make_user("ana", "analyst"))
    upload = SimpleUploadedFile("svar.csv", b"org,2\n0180,ja\n", "text/csv")
    client.post(f"/insamling/omgang/{rnd.pk}/ladda-upp/", {"fil": upload})
    client.post(
        f"/insamling/omgang/{rnd.pk}/svar/0180/fraga/", {"item_id": "2", "text": "Stämmer det?"}
    )
    services.lock_due_rounds(now=rnd.closes_at + dt.timedelta(hours=1))
    text = page_text(client.get(f"/insamling/omgang/{rnd.pk}/logg/"))
    assert "(kommandoraden)" in text
    assert "ana (webb), fil svar.csv" in text
    assert "fråga ställd: Stämmer det?" in text  # no internal query number
    assert f"sista svarsdag {period_label(rnd.deadline, 'sv')} passerad" in text
    assert "avser " in text and "organisationer" in text  # the opening
    for english in (
        "command line",
        "(web)",
        " file ",
        "raised",
        "passed",
        "recorded",
        "organisations",
        "deadline",
    ):
        assert english not in text, english


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")
