"""Command-line verbs of follow-ups: create one of closed rounds, list them."""

from __future__ import annotations

import json

import typer

from naravard.commands.common import OutputFormat, fail, setup_or_fail

followup_app = typer.Typer(
    help="Follow-ups: the rounds and periods a year's report is built from.", no_args_is_help=True
)

# The options that give each field of a new follow-up, for error lines.
OPTIONS = {
    "name": "NAME",
    "survey_round": "--survey-round",
    "status_round": "--status-round",
    "data_until": "--periods-until",
    "published_on": "--publish-date",
    "title_sv": "--title-sv",
    "title_en": "--title-en",
}


@followup_app.command("create")
def create_cmd(
    name: str = typer.Argument(..., help="How commands and addresses name it, e.g. 2021."),
    survey_round: str = typer.Option(
        ..., "--survey-round", metavar="N", help="The closed round of the municipal survey."
    ),
    status_round: str = typer.Option(
        ..., "--status-round", metavar="N", help="The closed round of the regions' status reports."
    ),
    periods_until: str = typer.Option(
        ...,
        "--periods-until",
        metavar="YYYY-MM-DD",
        help="Indicator periods ending on or before this day go into the report.",
    ),
    publish_date: str = typer.Option(
        ...,
        "--publish-date",
        metavar="YYYY-MM-DD",
        help="The day the report is published (the only date printed in it).",
    ),
    title_sv: str = typer.Option(
        "", "--title-sv", help="Swedish title (default: 'Uppföljning av omställningen … NAME')."
    ),
    title_en: str = typer.Option(
        "", "--title-en", help="English title (default: 'Follow-up of the transition … NAME')."
    ),
) -> None:
    """Create a follow-up of two closed rounds; every problem is refused, nothing stored."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.report.followups import FollowUpRefused, create_followup

    try:
        followup = create_followup(
            name,
            survey_round=survey_round,
            status_round=status_round,
            data_until=periods_until,
            published_on=publish_date,
            title_sv=title_sv,
            title_en=title_en,
            actor=actor_name(via="cli"),
        )
    except FollowUpRefused as exc:
        fail(" ".join(f"{OPTIONS[field]}: {text}" for field, text in exc.problems.items()))
    typer.echo(
        f"Created follow-up {followup.name}: {followup.title_en} (survey round "
        f"{followup.survey_round_id}, status round {followup.status_round_id}, periods until "
        f"{followup.data_until}, published {followup.published_on})."
    )


def _round(facts: dict | None) -> str:
    if facts is None:
        return "–"
    return f"{facts['id']} {facts['form']} {facts['year']}"


@followup_app.command("list")
def list_cmd(
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Every follow-up: its rounds, periods, publication day and published languages."""
    setup_or_fail()
    from naravard.report.followups import followup_rows

    rows = followup_rows()
    if fmt == OutputFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("No follow-up yet; create one with 'naravard followup create'.")
        return
    typer.echo("name\tsurvey round\tstatus round\tperiods until\tpublish date\tpublished")
    for row in rows:
        published = ", ".join(row["published_languages"]) if row["published"] else "no"
        typer.echo(
            f"{row['name']}\t{_round(row['survey_round'])}\t{_round(row['status_round'])}\t"
            f"{row['periods_until']}\t{row['publish_date']}\t{published}"
        )
