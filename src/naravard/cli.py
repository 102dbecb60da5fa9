"""The ``naravard`` command line: demo, serve, migrate, reference data, accounts."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from naravard.commands import coding as coding_commands
from naravard.commands import collect as collect_commands
from naravard.commands import engine as engine_commands
from naravard.commands import followup as followup_commands
from naravard.commands import ingest as ingest_commands
from naravard.commands import publish as publish_commands
from naravard.commands import report as report_commands
from naravard.commands import sources as sources_commands
from naravard.commands.common import OneLineErrors, checks_or_fail, err, fail, setup_or_fail
from naravard.commands.django_setup import setup

app = typer.Typer(
    cls=OneLineErrors,  # a NaravardError from any command: one line and its exit code
    help="naravard – follow-up of the transition to good and close care.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
refdata_app = typer.Typer(
    help="Reference data: regions, municipalities, names.", no_args_is_help=True
)
app.add_typer(refdata_app, name="refdata")
app.add_typer(collect_commands.forms_app, name="forms")
app.add_typer(collect_commands.rounds_app, name="rounds")
app.add_typer(collect_commands.responses_app, name="responses")
app.command("results")(collect_commands.results)
app.add_typer(ingest_commands.data_app, name="data")
app.add_typer(ingest_commands.indicators_app, name="indicators")
app.add_typer(publish_commands.publish_app, name="publish")
app.add_typer(report_commands.report_app, name="report")
app.add_typer(followup_commands.followup_app, name="followup")
app.add_typer(coding_commands.coding_app, name="coding")
app.add_typer(sources_commands.sources_app, name="sources")
app.command("synth")(engine_commands.synth)
app.command("compute")(engine_commands.compute)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class Format(StrEnum):
    csv = "csv"
    json = "json"
    table = "table"


class LevelOption(StrEnum):
    region = "region"
    municipality = "municipality"


class RoleOption(StrEnum):
    analyst = "analyst"
    region_coordinator = "region_coordinator"
    municipality_respondent = "municipality_respondent"


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


def _migrate_with_progress() -> str:
    from naravard.commands.migrating import migrate, pending_migrations

    pending = pending_migrations()
    with _progress() as progress:
        task = progress.add_task("Migrating the database", total=len(pending) or 1)
        summary = migrate(lambda name: progress.advance(task))
        progress.update(task, completed=len(pending) or 1)
    return summary


# ------------------------------------------------------------------ web ---


@app.command()
def demo(
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve after building."),
    host: str = typer.Option(DEFAULT_HOST, help="Address to listen on."),
    port: int = typer.Option(DEFAULT_PORT, help="Port to listen on."),
    data_dir: Path | None = typer.Option(
        None,
        help="Folder for the demo database "
        "(default: $NARAVARD_DATA_DIR or ~/.local/share/naravard).",
    ),
    reports: bool = typer.Option(
        True,
        "--reports/--no-reports",
        help="Publish the follow-ups' reports (HTML and PDF; about a minute).",
    ),
    earlier_years: int = typer.Option(
        0,
        min=0,
        max=100,
        help="For measuring: carry every indicator this many years further back, released "
        "(45 gives about ten times the demo's values).",
    ),
) -> None:
    """Build the embedded demo (SQLite, reference data, demo accounts, two follow-ups with
    their published reports) and serve it."""
    from naravard import server

    if serve and not server.port_free(host, port):
        fail(f"port {port} on {host} is already in use; choose another with --port.")
    setup(demo=True, data_dir=str(data_dir) if data_dir else None)
    checks_or_fail()
    from django.conf import settings

    db_path = Path(settings.DATABASES["default"]["NAME"])
    for stale in (
        db_path,
        db_path.with_name(db_path.name + "-journal"),
        db_path.with_name(db_path.name + "-wal"),
    ):
        stale.unlink(missing_ok=True)
    from django.db import connections

    connections.close_all()
    _migrate_with_progress()

    from naravard.accounts.models import User
    from naravard.demo.accounts import DEMO_PASSWORD, build_accounts
    from naravard.refdata.models import Municipality, Region

    n_orgs = Region.objects.count() + Municipality.objects.count()
    with _progress() as progress:
        task = progress.add_task("Creating demo accounts", total=n_orgs)
        logins = build_accounts(lambda n: progress.advance(task, n))
    from naravard.demo.followup_2022 import build_rounds_2021
    from naravard.demo.indicators import build_all as build_indicators
    from naravard.demo.report import (
        LANGUAGES,
        build_followup_2020,
        build_followup_2022,
        publish_reports,
        store_texts_2020,
    )
    from naravard.demo.rounds import build_all as build_rounds

    with _progress() as progress:
        task = progress.add_task("Loading demo rounds, register and indicators", total=4)
        rounds = build_rounds()
        rounds_2021 = build_rounds_2021()
        progress.update(task, completed=2)
        n_values = build_indicators(
            survey_round=rounds[0], register=True, later_survey_rounds=[rounds_2021[0]]
        )
        followups = [
            build_followup_2020(survey_round=rounds[0], status_round=rounds[1]),
            build_followup_2022(survey_round=rounds_2021[0], status_round=rounds_2021[1]),
        ]
        store_texts_2020(followups[0])  # before the report is published, which shows them
        progress.update(task, completed=4)
    if earlier_years:
        from naravard.demo.store import widen_store

        with _progress() as progress:
            task = progress.add_task(f"Carrying the indicators {earlier_years} years back", total=1)
            n_values += widen_store(earlier_years)
            progress.update(task, completed=1)
    if reports:
        with _progress() as progress:
            task = progress.add_task(
                "Publishing the follow-ups' reports", total=len(followups) * len(LANGUAGES)
            )
            publish_reports(followups, advance=lambda: progress.advance(task))
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    err.print(
        f"Demo database: {db_path} ({User.objects.count()} accounts, "
        f"{len(rounds) + len(rounds_2021)} collection rounds, {len(followups)} follow-ups, "
        f"{n_values} indicator values)"
    )
    typer.echo(f"\nnaravard demo{' at ' + url if serve else ' built'}")
    typer.echo(f"Demo logins (password '{DEMO_PASSWORD}'):")
    for login in logins:
        typer.echo(f"  {login.username:<14} {login.role:<22} {login.organisation}")
    if serve:
        typer.echo(f"\nOpen {url} in a browser. Stop with Ctrl+C.")
        sys.stdout.flush()
        server.serve(host, port)


@app.command("serve")
def serve_cmd(
    host: str = typer.Option(DEFAULT_HOST, help="Address to listen on."),
    port: int = typer.Option(DEFAULT_PORT, help="Port to listen on."),
    threads: int = typer.Option(8, help="Worker threads per process."),
    processes: int = typer.Option(
        0,
        min=0,
        max=64,
        help="Worker processes sharing the port; 0 (the default) is one per core.",
    ),
) -> None:
    """Serve the web application on the database named by DATABASE_URL."""
    from naravard import server

    if not server.port_free(host, port):
        fail(f"port {port} on {host} is already in use; choose another with --port.")
    setup_or_fail()
    checks_or_fail()
    from naravard.commands.migrating import pending_migrations

    if pending_migrations():
        fail("the database is not up to date; run 'naravard migrate' first.")
    import os

    proxy = os.environ.get("NARAVARD_TRUSTED_PROXY") or None
    typer.echo(
        f"naravard at http://{host}:{port}/"
        f"{f' behind the proxy {proxy}' if proxy else ''} (Ctrl+C stops)"
    )
    sys.stdout.flush()
    server.serve(host, port, threads, trusted_proxy=proxy, processes=processes or None)


@app.command("migrate")
def migrate_cmd() -> None:
    """Create or upgrade the database named by DATABASE_URL, reference data included."""
    setup_or_fail()
    checks_or_fail()
    summary = _migrate_with_progress()
    typer.echo(f"Database up to date. Reference data: {summary}.")


# -------------------------------------------------------------- accounts ---


@app.command()
def createuser(
    username: str = typer.Argument(..., help="Login name."),
    role: RoleOption = typer.Option(..., help="The account's role."),
    org: str | None = typer.Option(
        None,
        help="Region or municipality (code or name); required for coordinators and respondents.",
    ),
    email: str = typer.Option("", help="E-mail address (used for reminders)."),
    first_name: str = typer.Option("", help="Given name."),
    last_name: str = typer.Option("", help="Family name."),
    password_stdin: bool = typer.Option(False, help="Read the password from standard input."),
) -> None:
    """Create an account with a role, bound to its region or municipality."""
    setup_or_fail()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from naravard.accounts.models import Role, User
    from naravard.accounts.provisioning import create_user, organisation_for

    try:
        bound = organisation_for(Role(role.value), org)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(f"An account named {username!r} already exists.")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        validate_password(
            password,
            User(
                username=username,
                email=email,
                first_name=first_name,
                last_name=last_name,
                role=role.value,
                **bound,
            ),
        )
        user = create_user(
            username,
            Role(role.value),
            org,
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
    except ValidationError as exc:
        fail("; ".join(exc.messages))
    where = f" for {user.organisation}" if user.organisation else ""
    typer.echo(f"Created {user.username} ({user.get_role_display()}){where}.")


tokens_app = typer.Typer(help="API tokens for other systems.", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")


@tokens_app.command("create")
def tokens_create(
    username: str = typer.Argument(..., help="The account the token acts as."),
    name: str = typer.Option(..., help="What the token is for, e.g. the system."),
) -> None:
    """Make an API token; the secret is printed once and not stored."""
    setup_or_fail()
    from naravard.accounts.models import ApiToken, User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        fail(f"no active account named {username!r}")
    token, secret = ApiToken.issue(user, name)
    err.print(
        f"Token {token.prefix}… for {user} ({user.get_role_display()}); "
        "keep the secret below, it is not shown again:",
        highlight=False,
    )
    typer.echo(secret)


@tokens_app.command("revoke")
def tokens_revoke(prefix: str = typer.Argument(..., help="The token's first characters.")) -> None:
    """Stop a token from working."""
    setup_or_fail()
    from django.utils import timezone

    from naravard.accounts.models import ApiToken

    n = ApiToken.objects.filter(prefix=prefix[:8], revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not n:
        fail(f"no active token starts with {prefix!r}")
    typer.echo(f"Revoked {n} token(s).")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (e.g. 'naravard manage changepassword NAME')."""
    setup_or_fail()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["naravard manage", *ctx.args])


# --------------------------------------------------------------- refdata ---


def _emit(rows: list[dict], fmt: Format) -> None:
    if fmt == Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt == Format.csv:
        from naravard.core.tables import write_csv

        sys.stdout.write(write_csv(list(rows[0]), [list(r.values()) for r in rows]))
        return
    from rich.table import Table

    table = Table(*rows[0].keys())
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    Console().print(table)


@refdata_app.command("regions")
def refdata_regions(
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """The 21 regions, code first."""
    from naravard.refdata import files

    n: dict[str, int] = {}
    for m in files.municipalities():
        n[m.region_code] = n.get(m.region_code, 0) + 1
    _emit(
        [
            {
                "code": r.code,
                "county_name": r.county_name,
                "region_name": r.name,
                "short_name": r.short_name,
                "iso_3166_2": r.iso_code,
                "n_municipalities": n[r.code],
            }
            for r in files.regions()
        ],
        fmt,
    )


@refdata_app.command("municipalities")
def refdata_municipalities(
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    region: str | None = typer.Option(None, help="Only this region (code or name)."),
) -> None:
    """The 290 municipalities, code first, with their county."""
    from naravard.refdata import files
    from naravard.refdata.resolve import Resolver

    only = Resolver.default().resolve(region, level="region").code if region else None
    counties = {r.code: r.county_name for r in files.regions()}
    _emit(
        [
            {
                "code": m.code,
                "name": m.name,
                "full_name": m.full_name,
                "county_code": m.region_code,
                "county_name": counties[m.region_code],
            }
            for m in files.municipalities()
            if only is None or m.region_code == only
        ],
        fmt,
    )


@refdata_app.command("resolve")
def refdata_resolve(
    name: str = typer.Argument(..., help="A region or municipality name or code, in any spelling."),
    level: LevelOption | None = typer.Option(None, help="Only regions or only municipalities."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print level and name too."),
) -> None:
    """Print the canonical code for a name; exit 1 with suggestions if unknown or ambiguous."""
    from naravard.refdata.resolve import Resolver

    place = Resolver.default().resolve(name, level=level.value if level else None)
    typer.echo(f"{place.code}\t{place.level}\t{place.name}" if verbose else place.code)


@refdata_app.command("import-population")
def refdata_import_population(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="CSV or XLSX file to import."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report; store nothing."),
) -> None:
    """Add or correct population figures from a CSV or XLSX (year, code or name, sex, age_band, population)."""
    setup_or_fail()
    from naravard.refdata.population_import import PopulationFileError, import_population

    try:
        report = import_population(file, dry_run=dry_run)
    except PopulationFileError as exc:
        err.print(f"[bold red]{file}: refused, nothing stored[/]", highlight=False)
        for problem in exc.problems:
            err.print(f"  {problem}", highlight=False)
        raise typer.Exit(1) from None
    verb = "would add" if dry_run else "added"
    typer.echo(
        f"{file}: {verb} {report.added.get('population cells', 0)} cells, "
        f"{'would change' if dry_run else 'changed'} "
        f"{report.changed.get('population cells', 0)}."
    )


def main() -> None:
    """The ``naravard`` program; errors become one line in :class:`OneLineErrors`."""
    app()


if __name__ == "__main__":
    main()
