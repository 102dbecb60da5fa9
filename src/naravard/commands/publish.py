"""Command-line verbs of publication: release an indicator's period, withdraw it, list what is public."""

from __future__ import annotations

import typer

from naravard.commands.common import setup_or_fail

publish_app = typer.Typer(
    help="What the public site and the open-data API show.", no_args_is_help=True
)


@publish_app.command("release")
def release_cmd(
    indicator: str = typer.Argument(..., help="Indicator id."),
    period: list[str] = typer.Option(..., "--period", help="Period(s) to release."),
    note: str = typer.Option("", help="Why, e.g. 'annual release' or 'correction'."),
) -> None:
    """Make the values now stored for these periods public (again, after a correction)."""
    setup_or_fail()
    from django.db import transaction

    from naravard.catalog.catalogue import period_label
    from naravard.collect.audit import actor_name
    from naravard.publish.releases import release

    with transaction.atomic():  # all periods or none
        done = [release(indicator, p, actor=actor_name(via="cli"), note=note) for p in period]
    for r in done:
        typer.echo(
            f"Released {r.indicator_id} for {period_label(r.period, 'en')} "
            f"at {r.published_at:%Y-%m-%d %H:%M:%S}."
        )


@publish_app.command("plan")
def plan_cmd(
    indicator: str = typer.Argument(..., help="Indicator id."),
    period: str = typer.Option(..., "--period", help="The period to be published."),
    on: str = typer.Option(..., "--on", help="The day it is to be published (YYYY-MM-DD)."),
    note: str = typer.Option("", help="What readers should know, e.g. 'preliminary figures'."),
) -> None:
    """Put an indicator's period in the public release calendar, or move it to another day."""
    import datetime as dt

    setup_or_fail()
    from naravard.catalog.catalogue import period_label
    from naravard.collect.audit import actor_name
    from naravard.publish.calendar import plan

    try:
        day = dt.date.fromisoformat(on)
    except ValueError:
        raise typer.BadParameter(f"{on!r} is not a date (YYYY-MM-DD)", param_hint="--on") from None
    planned = plan(indicator, period, day, actor=actor_name(via="cli"), note=note)
    moved = (
        f" (moved from {planned.first_planned_on:%Y-%m-%d})"
        if planned.first_planned_on != planned.planned_on
        else ""
    )
    typer.echo(
        f"Planned {planned.indicator_id} for {period_label(planned.period, 'en')} "
        f"on {planned.planned_on:%Y-%m-%d}{moved}."
    )


@publish_app.command("withdraw")
def withdraw_cmd(
    indicator: str = typer.Argument(..., help="Indicator id."),
    period: str = typer.Option(..., "--period"),
    note: str = typer.Option(..., help="Why it is taken down."),
) -> None:
    """Take a released period off the public site (recorded with the reason)."""
    setup_or_fail()
    from naravard.catalog.catalogue import period_label
    from naravard.collect.audit import actor_name
    from naravard.publish.releases import withdraw

    gone = withdraw(indicator, period, actor=actor_name(via="cli"), note=note)
    typer.echo(f"Withdrew {gone.indicator_id} for {period_label(gone.period, 'en')}.")


@publish_app.command("list")
def list_cmd() -> None:
    """Every public indicator period, when and by whom it was released."""
    setup_or_fail()
    from naravard.publish.releases import latest_releases

    releases = latest_releases()
    if not releases:
        typer.echo("Nothing is published.")
    for (indicator_id, period), r in sorted(releases.items()):
        typer.echo(
            f"{indicator_id}\t{period}\t{r.published_at:%Y-%m-%d %H:%M}\t{r.actor}\t{r.note}"
        )


@publish_app.command("survey")
def survey_cmd(
    round_id: int = typer.Argument(..., help="Collection round number (rounds list)."),
    withdraw: bool = typer.Option(
        False, "--withdraw", help="Take the results off the public site."
    ),
) -> None:
    """Publish a closed round's aggregated results (never single responses)."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.publish.releases import publish_round

    rnd = publish_round(round_id, actor=actor_name(via="cli"), publish=not withdraw)
    typer.echo(
        f"{'Withdrew' if withdraw else 'Published'} the results of round {rnd.pk} ({rnd.title})."
    )
