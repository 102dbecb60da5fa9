"""A round that closed before an organisation answered says so, and says whom to ask to reopen
it, instead of calling the form "ej påbörjad"."""

import datetime as dt

import pytest
from django.utils import timezone

from naravard.collect import services
from naravard.collect.models import STOCKHOLM
from naravard.core.dates import period_label

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def closed_round(user=None):
    """A survey round that ran last autumn and has closed."""
    deadline = timezone.localdate() - dt.timedelta(days=40)
    opened = dt.datetime.combine(deadline - dt.timedelta(days=30), dt.time(9), tzinfo=STOCKHOLM)
    rnd = services.open_round(
        "kommunenkat-2019", deadline, actor="test", user=user, opened_at=opened
    )
    services.lock_due_rounds()
    rnd.refresh_from_db()
    assert rnd.is_locked
    return rnd


def test_the_respondent_sees_the_round_closed_without_their_answer(client, make_user):
    make_user(
        "alva", "analyst", email="alva@example.org", first_name="Alva", last_name="Analytiker"
    )
    make_user("bo", "analyst", email="bo@example.org", first_name="Bo", last_name="Bedömare")
    make_user("utan", "analyst")  # no e-mail address: not offered as a contact
    rnd = closed_round()
    client.force_login(make_user("k", "municipality_respondent", "0180"))
    mine = page_text(client.get("/insamling/"))
    assert "stängd utan svar" in mine and "ej påbörjad" not in mine
    assert "kan återöppnas av den nationella uppföljningen" in mine
    assert "stängd utan svar" in page_text(client.get("/konto/kommun/0180/"))

    page = client.get(f"/insamling/omgang/{rnd.pk}/svar/0180/")
    text = page_text(page)
    deadline = period_label(rnd.deadline)
    assert 'Status: <strong id="response-status">stängd utan svar</strong>' in text
    assert (
        f"Omgången stängde efter sista svarsdagen {deadline} utan något svar från Stockholm."
    ) in text
    assert "Be den nationella uppföljningen att återöppna formuläret för er" in text
    assert 'href="mailto:alva@example.org,bo@example.org?subject=' in text
    assert "Alva Analytiker, Bo Bedömare" in text
    assert "utan@" not in text
    assert "ej påbörjad" not in text


def test_the_analyst_who_opened_the_round_is_the_one_to_ask(client, make_user):
    opener = make_user(
        "alva", "analyst", email="alva@example.org", first_name="Alva", last_name="Analytiker"
    )
    make_user("bo", "analyst", email="bo@example.org")
    rnd = closed_round(user=opener)
    client.force_login(make_user("k", "municipality_respondent", "0180"))
    text = page_text(client.get(f"/insamling/omgang/{rnd.pk}/svar/0180/"))
    assert 'href="mailto:alva@example.org?subject=' in text and "bo@example.org" not in text
    from urllib.parse import quote

    assert "subject=" + quote(f"Återöppna {rnd.title} för Stockholms kommun") in text


def test_a_draft_never_submitted_is_named_as_such(client, make_user):
    deadline = timezone.localdate() + dt.timedelta(days=1)
    rnd = services.open_round("kommunenkat-2019", deadline, actor="test")
    services.save(rnd.responses.get(municipality_id="0180"), {"2": "ja"}, actor="test")
    services.lock_due_rounds(now=rnd.closes_at + dt.timedelta(hours=1))
    client.force_login(make_user("k", "municipality_respondent", "0180"))
    text = page_text(client.get(f"/insamling/omgang/{rnd.pk}/svar/0180/"))
    assert "stängd med ett utkast som aldrig skickades in" in text
    assert "hade ett utkast men skickade aldrig in det" in text


def test_after_reopening_the_form_can_be_answered_again(client, make_user):
    rnd = closed_round()
    services.reopen(rnd.responses.get(municipality_id="0180"), actor="test")
    client.force_login(make_user("k", "municipality_respondent", "0180"))
    text = page_text(client.get(f"/insamling/omgang/{rnd.pk}/svar/0180/"))
    assert "stängd utan svar" not in text and "closed-unanswered" not in text
    assert "Skicka in" in text


def test_the_analyst_sees_who_never_answered(client, make_user):
    rnd = closed_round()
    client.force_login(make_user("ana", "analyst", email="ana@example.org"))
    text = page_text(client.get(f"/insamling/omgang/{rnd.pk}/svar/0180/"))
    assert "utan något svar från Stockholm" in text
    assert "mailto:" not in text  # the analyst reopens it here instead
    assert "Återöppna svaret för organisationen" in text
