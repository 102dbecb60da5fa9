"""Sessions end after their role's idle time (analysts and coordinators 8 hours, respondents 24),
counted from the last request; the public and the token API get no session; a password change
ends the account's other sessions, whichever way the password is changed."""

import datetime as dt
import io

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from naravard.accounts import sessions
from naravard.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db

HOUR = 3600
PASSWORD = "Correct-Horse-9"  # make_user's


def stored(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def signed_in(client: Client) -> bool:
    """Whether a page for signed-in people answers (not a redirect to the login)."""
    return client.get("/konto/losenord/").status_code == 200


@pytest.mark.parametrize(
    "role, org, hours",
    [
        ("analyst", None, 8),
        ("region_coordinator", "04", 8),
        ("municipality_respondent", "0180", 24),
    ],
)
def test_a_login_lasts_the_idle_time_of_its_role(client, make_user, role, org, hours):
    make_user("person", role, org)
    before = timezone.now()
    answer = client.post("/konto/logga-in/", {"username": "person", "password": PASSWORD})
    assert answer.status_code == 302 and signed_in(client)
    assert answer.cookies["sessionid"]["max-age"] == hours * HOUR
    end = stored(client).expire_date
    assert before + dt.timedelta(hours=hours) <= end <= timezone.now() + dt.timedelta(hours=hours)


def test_an_admin_analyst_does_not_get_two_weeks(client):
    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client.post("/konto/logga-in/", {"username": "root", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
    assert stored(client).expire_date <= timezone.now() + dt.timedelta(hours=8)


def test_the_end_moves_with_use_but_is_written_at_most_every_few_minutes(client, make_user):
    client.force_login(make_user("kommun", "municipality_respondent", "0180"))
    assert signed_in(client)
    first = stored(client).expire_date

    Session.objects.filter(pk=stored(client).pk).update(expire_date=first - dt.timedelta(hours=1))
    assert signed_in(client)  # active a minute ago: not written again
    assert stored(client).expire_date == first - dt.timedelta(hours=1)

    session = client.session
    session[sessions.REFRESHED] -= sessions.REFRESH_SECONDS  # the last write was 5 minutes ago
    session.save()
    before = timezone.now()
    assert signed_in(client)
    assert stored(client).expire_date >= before + dt.timedelta(hours=24)


def test_an_idle_session_has_ended(client, make_user):
    client.force_login(make_user("sam", "region_coordinator", "04"))
    assert signed_in(client)
    Session.objects.filter(pk=stored(client).pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get("/konto/losenord/").url.startswith("/konto/logga-in/")


def test_the_public_and_the_token_api_get_no_session(client, make_user):
    _, token = ApiToken.issue(make_user("ana", "analyst"), "test")
    for url, headers in [
        ("/", {}),
        ("/region/04/", {}),
        ("/api/collect/rounds", {"Authorization": f"Bearer {token}"}),
    ]:
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200, url
        assert "sessionid" not in answer.cookies, url
    assert Session.objects.count() == 0


@pytest.fixture
def two_browsers(make_user):
    """The analyst 'ana' signed in twice, as from two computers."""
    user = make_user("ana", "analyst")
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    assert signed_in(first) and signed_in(second)
    return user, first, second


def test_changing_ones_password_ends_the_other_sessions(two_browsers):
    _, here, elsewhere = two_browsers
    answer = here.post(
        "/konto/losenord/",
        {
            "old_password": PASSWORD,
            "new_password1": "Lingon-Sylt-2024",
            "new_password2": "Lingon-Sylt-2024",
        },
    )
    assert answer.status_code == 302
    assert signed_in(here)  # the session that changed it goes on
    assert not signed_in(elsewhere)


def test_a_password_set_in_the_admin_ends_every_session_of_the_account(two_browsers):
    user, first, second = two_browsers
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", "root@example.org", PASSWORD))
    answer = admin.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "Lingon-Sylt-2024", "password2": "Lingon-Sylt-2024"},
    )
    assert answer.status_code == 302
    assert not signed_in(first) and not signed_in(second)
    assert signed_in(admin)


def test_the_changepassword_command_ends_every_session_of_the_account(two_browsers, monkeypatch):
    # `naravard manage changepassword ana` runs this command (and then closes the connection,
    # which a test that rolls back cannot have: so it is called directly)
    _, first, second = two_browsers
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Lingon-Sylt-2024")
    call_command("changepassword", "ana", stdout=io.StringIO())
    assert not signed_in(first) and not signed_in(second)
