"""Shared fixtures; fails the run at once, with a clear message, if PostgreSQL is asked for but unreachable."""

from __future__ import annotations

import pytest
from django.conf import settings


def pytest_sessionstart(session):
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg

    where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    try:
        psycopg.connect(
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as exc:
        pytest.exit(
            f"PostgreSQL is not reachable at {where} ({exc}). The test suite runs against "
            "PostgreSQL and does not skip: start the server, or point DATABASE_URL at one.",
            returncode=3,
        )


@pytest.fixture
def make_user(db):
    """Create an account with a role (and organisation code where the role needs one)."""
    from naravard.accounts.provisioning import create_user

    def make(username: str, role: str, org: str | None = None, **kw):
        return create_user(username, role, org, password="Correct-Horse-9", **kw)

    return make


@pytest.fixture
def survey_round(db):
    """An open round of the 2019 municipal survey holding the 226 responses of the report."""
    import datetime as dt

    from django.utils import timezone

    from naravard.collect import services
    from naravard.demo.rounds import survey_rows

    rnd = services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=30), actor="test"
    )
    services.import_rows(rnd, survey_rows(), actor="test", require=False)
    return rnd


@pytest.fixture
def status_round(db):
    """An open round of the regions' status report with no answers yet."""
    import datetime as dt

    from django.utils import timezone

    from naravard.collect import services

    return services.open_round(
        "nulagesrapport-2019", timezone.localdate() + dt.timedelta(days=30), actor="test"
    )


@pytest.fixture
def released_named_doctor(db):
    """Named-doctor shares for every region in 2021 (released) and 2022 (not released);
    Jönköping (06) has three women, so that cell is suppressed."""
    from naravard.ingest.importer import import_file
    from naravard.publish.releases import release
    from naravard.refdata import files

    lines = ["org,period,sex,numerator,denominator"]
    for i, region in enumerate(files.regions()):
        women = 3 if region.code == "06" else 400 + i
        for sex, n, d in (("K", women, 1000), ("M", 300 + i, 1000), ("T", women + 300 + i, 2000)):
            lines.append(f"{region.code},2021,{sex},{n},{d}")
            lines.append(f"{region.code},2022,{sex},{n + 100},{d}")
    import_file(
        "n.csv", "named_doctor_share", data="\n".join(lines).encode(), name="n.csv", actor="test"
    )
    release("named_doctor_share", "2021", actor="test")
