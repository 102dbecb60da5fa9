"""Shared fixtures; fails the run at once, with a clear message, if PostgreSQL is asked for but unreachable."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings


def _database_use(item: pytest.Item) -> int:
    """0: no test database, 1: a transaction rolled back, 2: committed and flushed after."""
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    if (marker is not None and marker.kwargs.get("transaction")) or names & {
        "transactional_db",
        "live_server",
    }:
        return 2
    return 1 if marker is not None or "db" in names else 0


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the longest work first, so that parallel test processes (pytest -n N, which hands out
    whole files in this order) end together: the browser tests, then the other tests that use
    no test database, then those that do, and last those that commit (as pytest-django orders
    them)."""
    items.sort(key=lambda item: (_database_use(item), item.get_closest_marker("browser") is None))


def _reference_data_after_a_flush(sender, using="default", **kwargs):
    """Load the reference data again after a flush, as the migrations loaded it.

    A test whose changes are committed (``transaction=True``, a live server in another thread)
    is followed by a flush that empties every table; the flush then sends ``post_migrate``.
    Every later test, in whatever order the test processes run them, finds the regions,
    municipalities and population again (a second or two, where ``serialized_rollback`` takes
    several for each such test)."""
    if sender.label != "refdata":
        return
    from naravard.refdata.models import Municipality, Population, Region
    from naravard.refdata.sync import sync_reference_data

    if not Region.objects.using(using).exists():
        sync_reference_data(Region, Municipality, Population)


def pytest_configure(config):
    from django.db.models.signals import post_migrate

    post_migrate.connect(_reference_data_after_a_flush, dispatch_uid="tests-reference-data")


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


@pytest.fixture(autouse=True)
def _language_kept():
    """Every test leaves the active language as it found it: the command line switches to
    English in the thread that runs it, and the next test in this process must not inherit it."""
    from django.utils import translation

    language = translation.get_language()
    yield
    if language:
        translation.activate(language)
    else:
        translation.deactivate()


@pytest.fixture
def make_user(db):
    """Create an account with a role (and organisation code where the role needs one)."""
    from naravard.accounts.provisioning import create_user

    def make(username: str, role: str, org: str | None = None, **kw):
        return create_user(username, role, org, password="Correct-Horse-9", **kw)

    return make


@pytest.fixture
def token_for(make_user):
    """Create an account with an API token: the request headers that carry the token."""
    from naravard.accounts.models import ApiToken

    def make(username: str, role: str, org: str | None = None) -> dict[str, str]:
        _, secret = ApiToken.issue(make_user(username, role, org), "system")
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


@pytest.fixture
def survey_round(db):
    """An open round of the 2019 municipal survey holding the 226 responses of the report."""
    from tests.helpers import open_survey_round

    return open_survey_round()


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


@pytest.fixture
def municipal_readmissions(db):
    """Readmissions in 2021 for every municipality and region, released; Ale (1440, in the
    group A2) has four readmissions among its women, so that cell is hidden."""
    from naravard.ingest.importer import import_file
    from naravard.publish.releases import release
    from naravard.refdata import files

    lines = ["org,period,sex,numerator,denominator"]
    by_region: dict[str, list[tuple[int, int]]] = {}
    for i, m in enumerate(files.municipalities()):
        women = 4 if m.code == "1440" else 40 + i % 50
        men = 30 + i % 40
        for sex, n, d in (("K", women, 500), ("M", men, 480), ("T", women + men, 980)):
            lines.append(f"{m.code},2021,{sex},{n},{d}")
            by_region.setdefault(f"{m.region_code}{sex}", []).append((n, d))
    for key, counts in by_region.items():
        n, d = sum(c[0] for c in counts), sum(c[1] for c in counts)
        lines.append(f"{key[:2]},2021,{key[2]},{n},{d}")
    import_file(
        "r.csv", "readmission_30d", data="\n".join(lines).encode(), name="r.csv", actor="test"
    )
    release("readmission_30d", "2021", actor="test")


@pytest.fixture
def ship_form(monkeypatch):
    """Ship an extra form definition (YAML text) for one test, as if it were a file in
    collect/definitions/: ``ship_form(text)`` returns the form. The indicator catalogue (whose
    survey indicators come from the forms) is rebuilt with it, and again without it after."""
    from naravard.catalog.catalogue import catalogue
    from naravard.collect import definition

    forms = dict(definition.registry())
    monkeypatch.setattr(definition, "registry", lambda: forms)

    def ship(text: str) -> definition.FormDefinition:
        form = definition.load_text(text)
        forms[form.id] = form
        catalogue.cache_clear()
        return form

    yield ship
    catalogue.cache_clear()


TABELL_2_FILE = "tabell2-webbtidbok-2020-03.csv"


@pytest.fixture
def tabell_2(db):
    """Table 2 of the 2020 report (clinics with online booking, March 2020), imported with the
    two misprinted names confirmed as aliases."""
    from importlib import resources

    from naravard.ingest.importer import import_file

    data = resources.files("naravard.demo").joinpath("data", TABELL_2_FILE).read_bytes()
    return import_file(
        "t.csv",
        None,
        data=data,
        name="t.csv",
        aliases=["Götaland=09", "Norrbottnen=25"],
        actor="test",
    )


@pytest.fixture
def followup(db):
    """The demo's follow-up round 2020: its survey and status rounds, indicators and report
    (tests/report/ builds it once per module instead)."""
    from tests.helpers import demo_followup_2020

    return demo_followup_2020()


@pytest.fixture
def report(followup):
    """The demo's 2020 report, built in Swedish."""
    from django.utils import translation

    from naravard.report.content import build_report

    with translation.override("sv"):
        return build_report(followup)


@dataclass(frozen=True)
class CliResult:
    """How a command ended and what it printed, as a finished process would tell it."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli():
    """Run ``naravard ARGS`` in this process: ``cli("refdata", "regions", stdin=None)``.

    The command works on the test's database (the one pytest-django made; ask for ``db`` or
    mark the test ``django_db`` when the command needs it), its changes roll back with the
    test, and the language the command line switches to (English) is switched back after.
    An error the command does not handle is raised, not turned into an exit code."""
    from django.utils import translation
    from typer.testing import CliRunner

    from naravard.cli import app

    def run(*args: str, stdin: str | None = None) -> CliResult:
        language = translation.get_language()
        try:
            result = CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)
        finally:
            if language:
                translation.activate(language)
            else:
                translation.deactivate()
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run
