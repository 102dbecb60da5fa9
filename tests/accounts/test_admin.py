"""The admin: an analyst cannot raise their own privileges; the role decides staff status."""

import pytest

from naravard.accounts.models import User


@pytest.mark.django_db
def test_analyst_cannot_make_themselves_superuser_in_the_admin(client, make_user):
    analyst = make_user("ana", "analyst")
    client.force_login(analyst)
    page = client.get(f"/admin/accounts/user/{analyst.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_superuser"' not in html and 'name="user_permissions"' not in html
    response = client.post(
        f"/admin/accounts/user/{analyst.pk}/change/",
        {
            "username": "ana",
            "role": "analyst",
            "is_active": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert not analyst.is_superuser


@pytest.mark.django_db
def test_role_decides_staff_status_for_accounts_added_in_the_admin(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "new-analyst",
            "password1": "Lingon-Sylt-2024",
            "password2": "Lingon-Sylt-2024",
            "usable_password": "true",
            "email": "n@example.org",
            "role": "analyst",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = User.objects.get(username="new-analyst")
    assert new.is_staff and new.groups.filter(name="Nationella analytiker").exists()
