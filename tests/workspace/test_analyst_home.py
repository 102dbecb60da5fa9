"""The analyst's start page: after login an analyst sees what is going on (open rounds with
response rates and deadlines, open fact-checks and how the regions answered, the latest
indicator imports), not a list of 311 organisations."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from naravard.collect import services
from naravard.core.dates import period_label

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-9"  # make_user's


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def log_in(username: str):
    client = Client()
    page = client.post(
        "/konto/logga-in/", {"username": username, "password": PASSWORD}, follow=True
    )
    return client, page


def test_an_analyst_lands_on_the_overview_after_login(make_user):
    make_user("ana", "analyst", first_name="Ana", last_name="Lys")
    _client, page = log_in("ana")
    assert page.redirect_chain[-1][0] == "/konto/oversikt/"
    text = page_text(page)
    assert "Översikt för analytiker" in text and "Välkommen, Ana Lys." in text
    assert "Alla organisationer och deras konton" in text
    assert "Ingen omgång är öppen just nu." in text
    assert "Ingen faktagranskning är öppen just nu." in text
    assert "Inga indikatorvärden är inlästa ännu." in text


def test_others_land_on_their_own_workspace_and_cannot_see_the_overview(make_user):
    make_user("sam", "region_coordinator", "06")
    client, page = log_in("sam")
    assert page.redirect_chain[-1][0] == "/konto/region/06/"
    assert client.get("/konto/oversikt/").status_code == 403


def test_open_rounds_with_response_rate_and_deadline(survey_round, make_user, client):
    deadline = survey_round.deadline
    closed = services.open_round(
        "nulagesrapport-2019",
        timezone.localdate() + dt.timedelta(1),
        actor="test",
        title="Nulägesrapporter förra året",
    )
    services.lock_due_rounds(now=closed.closes_at + dt.timedelta(hours=1))
    client.force_login(make_user("ana", "analyst"))
    text = page_text(client.get("/konto/oversikt/"))
    row = text.split('id="open-rounds"')[1].split("</table>")[0]
    assert survey_round.title in row
    assert f"{period_label(deadline)} (30 dagar kvar)" in row
    assert "226 / 290" in row and "77,9 %" in row
    assert "förhandsgranska till 64 som inte svarat" in row
    assert f"/insamling/omgang/{survey_round.pk}/paminn/" in row
    assert "Nulägesrapporter förra året" not in text  # closed: not on the overview


def test_open_fact_checks_count_approved_commented_and_silent_regions(make_user, client):
    from naravard.refdata.models import Region
    from naravard.report.models import Draft, FactCheck, Feedback, FollowUp

    followup = FollowUp.objects.create(
        name="2026",
        title_sv="Uppföljning 2026",
        title_en="Follow-up 2026",
        published_on=dt.date(2026, 6, 15),
        data_until=dt.date(2026, 3, 31),
    )
    passages = {r.code: [[f"profil-{r.code}", f"{r.name}: 42 %"]] for r in Region.objects.all()}
    draft = Draft.objects.create(followup=followup, version=1, actor="ana", passages=passages)
    deadline = timezone.localdate() + dt.timedelta(days=10)
    check = FactCheck.objects.create(followup=followup, deadline=deadline, actor="ana")

    def feedback(code, kind, **kw):
        Feedback.objects.create(
            factcheck=check,
            region_id=code,
            draft=draft,
            kind=kind,
            created_by=f"region-{code}",
            **kw,
        )

    feedback("06", "approval")
    feedback("07", "comment", passage="profil-07", text="Stämmer inte.")
    feedback("08", "comment", passage="profil-08", text="Källa?", status="noted")
    feedback("08", "proposal", passage="profil-08", indicator_id="x", value=40, source="y")
    feedback("09", "comment", passage="profil-09", text="Bra.")
    feedback("09", "approval")
    client.force_login(make_user("ana", "analyst"))
    text = page_text(client.get("/konto/oversikt/"))
    table = text.split('id="open-factchecks"')[1].split("</table>")[0]
    assert "Uppföljning 2026" in table and "/rapporter/2026/faktagranskning/" in table
    assert f"{period_label(deadline)} (10 dagar kvar)" in table
    cells = [c.split(">")[-1] for c in table.split("</td>")[:-1]]
    # approved (06, 09), commented without approving (07, 08), silent (the other 17),
    # feedback to decide (07's comment, 08's proposal, 09's comment)
    assert cells[-4:] == ["2", "2", "17", "3"]


def test_the_latest_indicator_imports_by_name(released_named_doctor, make_user, client):
    client.force_login(make_user("ana", "analyst"))
    text = page_text(client.get("/konto/oversikt/"))
    table = text.split('id="latest-imports"')[1].split("</table>")[0]
    assert "fil n.csv" in table
    assert "Andel invånare med fast läkarkontakt" in table
    assert "named_doctor_share" not in table
