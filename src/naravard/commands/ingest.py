"""Command-line verbs for indicator data: import, history, derive from a survey round."""

from __future__ import annotations

from pathlib import Path

import typer

from naravard.commands.common import err, fail, setup_or_fail

data_app = typer.Typer(
    help="Indicator data: import files, derive survey indicators, history.", no_args_is_help=True
)


@data_app.command("import")
def data_import(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="CSV, XLSX or JSON-stat 2.0."
    ),
    indicator: str | None = typer.Option(
        None, help="Indicator id (omit for a file with one column per indicator id)."
    ),
    alias: list[str] = typer.Option([], "--alias", help="Confirm a name: NAME=CODE (repeatable)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show row by row what would happen."),
) -> None:
    """Import values, all or nothing; exit 0 only when everything was stored. A CSV or XLSX
    file of any length is read as it streams; the first 100 problems (or, in a dry run, rows)
    are told, the rest counted."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.core.tables import ImportRefused
    from naravard.ingest.importer import import_file

    try:
        report = import_file(
            file, indicator, aliases=alias, dry_run=dry_run, actor=actor_name(via="cli")
        )
    except ImportRefused as exc:
        err.print(
            f"[bold red]{file}: refused, nothing stored[/] ({exc.count} problems):",
            highlight=False,
        )
        for problem in exc.problems:
            err.print(f"  {problem}", highlight=False)
        if exc.count > len(exc.problems):
            err.print(f"  … and {exc.count - len(exc.problems)} more", highlight=False)
        if dry_run:
            plan = exc.plan
            err.print(
                f"dry run: the other rows would add {plan.added}, change {plan.changed}, "
                f"leave {plan.unchanged} unchanged",
                highlight=False,
            )
        raise typer.Exit(ImportRefused.exit_code) from None
    plan = report.plan
    if dry_run:
        for line in plan.lines():
            typer.echo(line)
        if plan.not_shown:
            typer.echo(f"… and {plan.not_shown} more rows")
        typer.echo(
            f"dry run: would add {plan.added}, change {plan.changed}, "
            f"leave {plan.unchanged} unchanged; nothing stored."
        )
        return
    if report.batch is None:
        typer.echo(f"{file}: nothing new; all {plan.unchanged} values are already stored.")
        return
    derived = ", ".join(f"{k} {v}" for k, v in report.derived.items() if v)
    if plan.skipped:
        shown = plan.skipped_rows[:20]
        err.print(
            f"{plan.skipped} row(s) had no value and were skipped: "
            + ", ".join(str(row) for row, _ in shown)
            + (" …" if plan.skipped > len(shown) else ""),
            highlight=False,
        )
    typer.echo(
        f"{file}: added {plan.added}, changed {plan.changed}, unchanged "
        f"{plan.unchanged} (import {report.batch.pk}, sha256 {report.batch.sha256[:12]}…)"
        + (f"; derived {derived}" if derived else "")
    )


@data_app.command("derive-survey")
def data_derive_survey(
    form: str | None = typer.Option(
        None, "--form", help="Survey form id (default: any form that derives indicators)."
    ),
    round_id: int | None = typer.Option(
        None, "--round", help="Round id (default: the latest of the form)."
    ),
) -> None:
    """Compute the survey indicators per county from a round's submitted answers."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.collect.definition import registry
    from naravard.collect.models import Round
    from naravard.ingest.derive import derive_survey, survey_indicators_of

    forms = [form] if form else [f.id for f in registry().values() if survey_indicators_of(f)]
    rounds = Round.objects.filter(form_id__in=forms)
    rnd = rounds.filter(pk=round_id).first() if round_id else rounds.order_by("-opened_at").first()
    if rnd is None:
        fail(f"no round of {' or '.join(forms)}" + (f" with id {round_id}" if round_id else ""))
    done = derive_survey(rnd, actor=actor_name(via="cli"))
    typer.echo(
        f"Round {rnd.pk} ({rnd.title}): " + ", ".join(f"{k} {v} stored" for k, v in done.items())
    )


@data_app.command("history")
def data_history(
    indicator: str = typer.Argument(...),
    org: str = typer.Option(...),
    period: str = typer.Option(...),
) -> None:
    """Every value ever stored for one organisation and period, newest first, with its source."""
    setup_or_fail()
    from naravard.catalog.catalogue import PeriodError, get_indicator, period_end
    from naravard.ingest.models import IndicatorValue

    ind = get_indicator(indicator)
    ever = sorted(
        set(
            IndicatorValue.objects.filter(indicator_id=ind.id, org_code=org).values_list(
                "period", flat=True
            )
        ),
        key=period_end,
    )
    if not ever:
        fail(f"no values of {ind.id} were ever stored for {org}")
    try:
        period = ind.find_period(period, ever)
    except PeriodError as exc:
        fail(f"{org}: {exc.message('en')}")
    rows = (
        IndicatorValue.objects.filter(indicator_id=ind.id, org_code=org, period=period)
        .select_related("batch")
        .order_by("-created_at", "-pk")
    )
    for v in rows:
        state = "current" if v.is_current else "superseded"
        typer.echo(
            f"{v.created_at:%Y-%m-%d %H:%M}\t{state}\t{v.sex}\t{v.value:g}\t"
            f"{v.batch.kind} {v.batch.file_name or v.batch.note}\t{v.batch.actor}"
        )


indicators_app = typer.Typer(
    help="The indicator catalogue and the analysis of its values.", no_args_is_help=True
)


@indicators_app.command("list")
def indicators_list() -> None:
    """Every indicator in the catalogue, with its unit, periods stored and current target."""
    setup_or_fail()
    from naravard.analysis.profile import periods
    from naravard.catalog.catalogue import catalogue, period_label

    for ind in catalogue().values():
        stored = [period_label(p, "en") for p in periods(ind.id)]
        target = ind.versions[-1].target
        typer.echo(
            f"{ind.id}\t{ind.unit}\t{ind.period_type}\t"
            f"{(stored[0] + '…' + stored[-1]) if stored else 'no data'}\t"
            f"{'target ' + target.describe('en') if target else ''}\t{ind.name['sv']}"
        )


@indicators_app.command("show")
def indicators_show(
    indicator: str = typer.Argument(..., help="Indicator id."),
    period: str | None = typer.Option(None, help="Period (default: the latest stored)."),
    sex: str = typer.Option("T", help="T, K or M."),
    age: str = typer.Option("total", help="Age band: total, 0-19, 20-64, 65-79 or 80+."),
    fmt: str = typer.Option("table", "--format", help="json, csv or table."),
) -> None:
    """Per organisation and the nation: value, intervals, comparison, target, rank, trend."""
    setup_or_fail()
    import json
    import sys

    from naravard.analysis.profile import contract_rows, periods, profile
    from naravard.catalog.catalogue import get_indicator, period_label
    from naravard.core.tables import write_csv

    ind = get_indicator(indicator)
    stored = periods(indicator)
    if not stored:
        fail(f"no values of {indicator} are stored; import some with 'naravard data import'")
    # 2022 is the point 2022-12-31 for a point-in-time indicator
    period = ind.find_period(period, stored) if period else stored[-1]
    if sex not in ("T", "K", "M"):
        fail("--sex is T, K or M")
    from naravard.ingest.models import AGE_BANDS

    if age not in AGE_BANDS:
        fail(f"--age is one of {', '.join(AGE_BANDS)}")
    if fmt not in ("json", "csv", "table"):
        fail("--format is json, csv or table")
    p = profile(indicator, period, sex, age_band=age)
    rows = contract_rows(p)
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        flat = [
            {k: v for k, v in r.items() if k != "trend"}
            | {"trend": (r["trend"] or {}).get("direction")}
            for r in rows
        ]
        sys.stdout.write(write_csv(list(flat[0]), [list(r.values()) for r in flat]))
        return
    target = f", target {p.target.describe('en')}" if p.target else ""
    typer.echo(
        f"{p.indicator.name['en']} ({p.indicator.unit}), {period_label(period, 'en')}, "
        f"sex {sex}{target}"
    )
    for r in rows:
        ci = f"[{r['ci_low']:.1f}, {r['ci_high']:.1f}]" if r["ci_low"] is not None else ""
        value = (
            "suppressed" if r["suppressed"] else ("" if r["value"] is None else f"{r['value']:.1f}")
        )
        typer.echo(
            f"  {r['org']:>4} {r['name']:<28} {value:>10} {ci:<16} "
            f"{r['vs_national'] or '':<8} {'' if r['target_reached'] is None else ('reached' if r['target_reached'] else 'not reached')}"
        )
    if p.variation:
        v = p.variation
        typer.echo(
            f"  variation: min {v['min']:.1f}, max {v['max']:.1f}, range {v['range']:.1f}"
            + (f", CV {v['cv']:.2f}" if v.get("cv") is not None else "")
        )
    if p.target_counts:
        typer.echo(
            f"  target: {p.target_counts['reached']} reached, "
            f"{p.target_counts['not_reached']} not reached, "
            f"{p.target_counts['uncertain']} uncertain"
        )


@data_app.command("check")
def data_check(
    period: str = typer.Option(..., help="The period to check, e.g. 2020-03."),
    indicator: list[str] = typer.Option([], "--indicator", help="Only these (repeatable)."),
) -> None:
    """List rule violations and outliers (against own history and against the regions)."""
    setup_or_fail()
    from naravard.analysis.checks import check_period
    from naravard.catalog.catalogue import period_label

    findings = check_period(period, indicator or None)
    for finding in findings:
        typer.echo(str(finding))
    typer.echo(f"{len(findings)} finding(s) for {period_label(period, 'en')}.")
