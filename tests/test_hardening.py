"""Fixes from review: admin privilege escalation, corrections kept, partial years, clear errors."""

import os
import subprocess
import sys

import pytest

from naravard.accounts.models import User
from naravard.refdata.models import Municipality, Population, Region
from naravard.refdata.resolve import Resolver, UnknownName
from naravard.refdata.sync import sync_reference_data


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


@pytest.mark.django_db
def test_createsuperuser_makes_an_analyst():
    user = User.objects.create_superuser("root", "root@example.org", "Lingon-Sylt-2024")
    assert user.role == "analyst" and user.is_superuser and user.region is None


@pytest.mark.django_db
def test_shipped_data_does_not_undo_an_imported_correction():
    Population.objects.filter(
        municipality_id="0180", year=2019, sex="total", age_band="total"
    ).update(population=974100, source="fix.csv")
    sync_reference_data(Region, Municipality, Population)
    cell = Population.objects.get(municipality_id="0180", year=2019, sex="total", age_band="total")
    assert cell.population == 974100


@pytest.mark.django_db
def test_one_municipality_with_a_newer_year_does_not_blank_the_pages(client):
    Population.objects.create(
        year=2020,
        municipality_id="0180",
        sex="total",
        age_band="total",
        population=975551,
        source="test",
    )
    home = client.get("/regioner/").content.decode().replace("\xa0", " ")
    assert "2 377 081" in home and "10 327 589" in home
    region = client.get("/region/01/").content.decode().replace("\xa0", " ")
    assert "45 000" in region  # Värmdö, another municipality of the county, still has 2019
    municipality = client.get("/kommun/0180/").content.decode().replace("\xa0", " ")
    assert "975 551" in municipality and "1 478 (0,2 %)" in municipality
    assert "0-4" in municipality  # the 2019 age structure is still shown


def test_resolver_says_when_a_name_is_of_the_other_level():
    with pytest.raises(UnknownName, match="is not a municipality"):
        Resolver.default().resolve("01", level="municipality")


def _cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "naravard.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def _env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_DEMO", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["NARAVARD_SECRET_KEY"] = "a-long-enough-secret-key-for-the-tests-0123456789"
    env.update(extra)
    return env


def test_unreachable_database_is_one_clear_line():
    out = _cli("migrate", env=_env(DATABASE_URL="postgresql://postgres@127.0.0.1:5999/none"))
    assert out.returncode == 1
    assert "the database cannot be used" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.splitlines()) <= 3


def test_short_secret_key_and_demo_flag_on_a_real_database_are_refused(tmp_path):
    out = _cli(
        "migrate",
        env=_env(NARAVARD_SECRET_KEY="short", DATABASE_URL=f"sqlite:///{tmp_path}/a.sqlite3"),
    )
    assert out.returncode != 0 and "too short" in out.stderr
    out = _cli(
        "migrate", env=_env(NARAVARD_DEMO="1", DATABASE_URL=f"sqlite:///{tmp_path}/a.sqlite3")
    )
    assert out.returncode != 0 and "demo's own SQLite file" in out.stderr
