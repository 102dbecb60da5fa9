"""Reminders are previewed before they are sent: who gets one, and the text, which links to
the organisation's own form."""

import pytest
from django.core import mail

from naravard.collect.models import AuditEvent, ResponseStatus, Round
from tests.helpers import kept_for_the_module, open_survey_round

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def survey_round_of_the_module(django_db_setup, django_db_blocker):
    """The 2019 survey round with its 226 responses, stored once for this module (every test
    here uses it); the primary key."""
    with kept_for_the_module(django_db_blocker):
        yield open_survey_round().pk


@pytest.fixture
def survey_round(survey_round_of_the_module, db):
    """The survey round, read afresh for each test (what a test changes is rolled back)."""
    return Round.objects.get(pk=survey_round_of_the_module)


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


@pytest.fixture
def late(survey_round, make_user, settings):
    """Two municipalities without a submitted answer that have an e-mail address."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    pending = list(
        survey_round.responses.exclude(status=ResponseStatus.SUBMITTED).order_by("municipality_id")[
            :2
        ]
    )
    for n, response in enumerate(pending):
        make_user(
            f"late{n}", "municipality_respondent", response.org_code, email=f"late{n}@example.org"
        )
    return pending


@pytest.fixture
def analyst(client, make_user):
    client.force_login(
        make_user("ana", "analyst", email="ana@example.org", first_name="Ana", last_name="Lys")
    )
    return client


def test_the_round_page_leads_to_a_preview_not_straight_to_sending(survey_round, late, analyst):
    page = page_text(analyst.get(f"/insamling/omgang/{survey_round.pk}/"))
    assert "Förhandsgranska påminnelse till alla som inte svarat" in page
    assert f'action="/insamling/omgang/{survey_round.pk}/paminn/"' in page
    assert 'method="get"' in page.split("Förhandsgranska påminnelse")[0].rsplit("<form", 1)[1]


def test_the_preview_lists_who_gets_it_and_the_text_and_sends_nothing(survey_round, late, analyst):
    page = analyst.get(f"/insamling/omgang/{survey_round.pk}/paminn/")
    assert page.status_code == 200
    text = page_text(page)
    assert mail.outbox == []
    assert (
        "En påminnelse går till 2 organisationer som inte har skickat in "
        "(2 e-postadresser). Inget är skickat än."
    ) in text
    first, second = late
    for response in late:
        assert response.organisation.name in text
        assert (
            f"http://testserver/insamling/omgang/{survey_round.pk}/svar/{response.org_code}/"
        ) in text
    assert "late0@example.org" in text and "late1@example.org" in text
    assert f"Påminnelse: {survey_round.title}" in text  # the subject
    assert "Logga in och svara i ert formulär:" in text  # the body
    assert "Utan e-postadress (62)" in text  # 64 without an answer, two of them reachable
    assert "Skicka påminnelsen till 2 organisationer" in text


def test_only_the_confirmation_sends_and_each_mail_links_to_its_own_form(
    survey_round, late, analyst
):
    unconfirmed = analyst.post(f"/insamling/omgang/{survey_round.pk}/paminn/")
    assert unconfirmed.status_code == 200 and mail.outbox == []  # shows the preview again
    done = analyst.post(
        f"/insamling/omgang/{survey_round.pk}/paminn/", {"bekrafta": "1"}, follow=True
    )
    assert "Påminnelse skickad till 2 organisationer; 62 saknar e-postadress." in page_text(done)
    assert sorted(m.to[0] for m in mail.outbox) == ["late0@example.org", "late1@example.org"]
    for message in mail.outbox:
        code = next(r.org_code for r in late if f"late{late.index(r)}@example.org" in message.to)
        assert f"http://testserver/insamling/omgang/{survey_round.pk}/svar/{code}/" in message.body
        assert "/insamling/\n" not in message.body
        assert "Ana Lys <ana@example.org>" in message.body  # whom to ask
    event = AuditEvent.objects.get(round=survey_round, action="remind")
    assert event.note == "e-post till 2 organisationer; 62 utan e-postadress; 0 misslyckades"


def test_the_link_is_to_the_swedish_form_also_from_the_english_pages(survey_round, late, analyst):
    analyst.post(f"/en/insamling/omgang/{survey_round.pk}/paminn/", {"bekrafta": "1"})
    assert mail.outbox
    assert all(
        "/en/" not in m.body and f"/insamling/omgang/{survey_round.pk}/svar/" in m.body
        for m in mail.outbox
    )


def test_a_closed_round_sends_no_reminder(survey_round, late, analyst):
    from naravard.collect.models import Round

    Round.objects.filter(pk=survey_round.pk).update(locked_at=survey_round.opened_at)
    page = analyst.get(f"/insamling/omgang/{survey_round.pk}/paminn/", follow=True)
    assert "påminnelser skickas bara medan den är öppen" in page_text(page)
    analyst.post(f"/insamling/omgang/{survey_round.pk}/paminn/", {"bekrafta": "1"})
    assert mail.outbox == []


def test_respondents_cannot_preview_or_send(survey_round, late, client, make_user):
    client.force_login(make_user("k", "municipality_respondent", late[0].org_code))
    assert client.get(f"/insamling/omgang/{survey_round.pk}/paminn/").status_code == 403
    assert (
        client.post(f"/insamling/omgang/{survey_round.pk}/paminn/", {"bekrafta": "1"}).status_code
        == 403
    )
    assert mail.outbox == []
