"""Command-line verbs for collection: forms, rounds, responses, results."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from naravard.commands.common import OutputFormat, fail, setup_or_fail

forms_app = typer.Typer(
    help="Form definitions: list, codebook, check a new file.", no_args_is_help=True
)
rounds_app = typer.Typer(help="Reporting rounds: open, list, remind, reopen.", no_args_is_help=True)
responses_app = typer.Typer(help="Responses: import and export as CSV/XLSX.", no_args_is_help=True)


class TableFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def _round(form_id: str, round_id: int | None):
    from naravard.collect.models import Round
    from naravard.collect.services import CollectError, lock_due_rounds, open_round_for

    lock_due_rounds()
    if round_id is not None:
        rnd = Round.objects.filter(pk=round_id, form_id=form_id).first()
        if rnd is None:
            fail(f"no round {round_id} of form {form_id}")
        return rnd
    try:
        return open_round_for(form_id)
    except CollectError:
        latest = Round.objects.filter(form_id=form_id).first()
        if latest is None:
            fail(f"no round of {form_id} exists; open one with 'naravard rounds open'")
        return latest


def _form(form_id: str):
    """The form definition; an unknown id is a DefinitionError, printed as one line."""
    from naravard.collect.definition import get_form

    return get_form(form_id)


# ------------------------------------------------------------------- forms ---


@forms_app.command("list")
def forms_list() -> None:
    """The form definitions shipped in the package."""
    from naravard.collect.definition import registry

    for form in registry().values():
        typer.echo(
            f"{form.id}\tv{form.version}\t{form.audience}\t{len(form.items)} items\t"
            f"{form.title['sv']}"
        )


@forms_app.command("codebook")
def forms_codebook(
    form_id: str = typer.Argument(..., help="Form id."),
    lang: str = typer.Option("sv", help="sv or en."),
) -> None:
    """Print the codebook (one line per column of the exchange layout) as CSV."""
    from naravard.collect.codebook import entries
    from naravard.core.tables import write_csv

    form = _form(form_id)
    header = ["column", "number", "text", "type", "required", "asked_if", "codes", "limits"]
    rows = [
        [
            e.column,
            e.number,
            e.text,
            e.type,
            "yes" if e.required else "no",
            e.asked_if,
            e.codes,
            e.limits,
        ]
        for e in entries(form, lang)
    ]
    sys.stdout.write(write_csv(header, rows))


@forms_app.command("check")
def forms_check(
    files: list[Path] = typer.Argument(
        None, exists=True, dir_okay=False, help="New definition files (default: none)."
    ),
) -> None:
    """Validate definition files against the schema and the rules, and the question lineage
    of their series with the shipped forms (a file replaces the shipped form with its id).
    Without files, checks the shipped forms."""
    from naravard.collect import lineage
    from naravard.collect.definition import DefinitionError, load_text, registry

    forms = dict(registry())
    for file in files or []:
        try:
            form = load_text(file.read_text(encoding="utf-8"))
        except DefinitionError as exc:
            fail(f"{file}: {exc}")
        forms[form.id] = form
        years = ", ".join("{" + p + "}" for p in sorted(form.placeholders)) or "none"
        typer.echo(
            f"{file}: valid ({form.id} v{form.version}, {len(form.items)} items; "
            f"years relative to the round: {years})"
        )
    problems = lineage.problems(list(forms.values()))
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    if problems:
        raise typer.Exit(1)
    series = sorted({f.series for f in forms.values() if f.series})
    typer.echo(f"lineage: no problems in {', '.join(series) or 'no series'}")


@forms_app.command("lineage")
def forms_lineage(
    series: str = typer.Argument(..., help="The series, e.g. kommunenkat."),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format"),
    lang: str = typer.Option("sv", help="Language of the questions' texts and reasons: sv or en."),
) -> None:
    """Each question of a series year by year: the item each form asks it as, and whether it
    can be compared with the year before (= same, ~ recoded, ≠ not comparable, + new)."""
    from naravard.collect import lineage
    from naravard.collect.definition import all_series, series_forms

    forms = series_forms(series)
    if not forms:
        fail(f"no series {series!r} (known: {', '.join(all_series())})")
    table = lineage.table(series, lang)
    if output is OutputFormat.json:
        typer.echo(json.dumps(table, ensure_ascii=False, indent=2))
        return
    years = [str(y) for y in table["years"]]
    marks = {lineage.SAME: "=", lineage.RECODED: "~", lineage.BREAK: "≠", lineage.NEW: "+"}
    width = max(len(q["question"]) for q in table["questions"]) + 2
    cell = max(len(s["item"]) for q in table["questions"] for s in q["years"].values()) + 4
    typer.echo(f"{'question':<{width}}" + "".join(f"{y:<{cell}}" for y in years) + "text")
    notes = []
    for q in table["questions"]:
        cells = []
        for year in years:
            at = q["years"].get(year)
            if at is None:
                cells.append(f"{'–':<{cell}}")
                continue
            cells.append(f"{marks[at['status']] + ' ' + at['item']:<{cell}}")
            if at["status"] == lineage.RECODED:
                codes = ", ".join(f"{a}→{b}" for a, b in at["codes"].items())
                notes.append(f"{year} {at['item']}: answers recoded ({codes})")
            elif at["status"] == lineage.BREAK:
                notes.append(f"{year} {at['item']}: not comparable: {at['reason']}")
        typer.echo(f"{q['question']:<{width}}" + "".join(cells) + q["text"])
    typer.echo("")
    typer.echo("= same question  ~ answers recoded  ≠ not comparable with the year before  + new")
    for note in notes:
        typer.echo(note)


# ------------------------------------------------------------------ rounds ---


@rounds_app.command("open")
def rounds_open(
    form: str = typer.Option(..., "--form", help="Form id."),
    deadline: str = typer.Option(..., help="Last day to answer, YYYY-MM-DD."),
    title: str | None = typer.Option(None, help="Title (default: the form's)."),
    year: int | None = typer.Option(
        None,
        help="The year the answers describe, "
        "named by the form's texts ({year}); "
        "default: this year (with --historical: the deadline's year).",
    ),
    historical: bool = typer.Option(
        False,
        "--historical",
        help="Record a collection whose deadline has passed: the round is locked at once, "
        "respondents cannot answer, and 'responses import --round N' fills it.",
    ),
) -> None:
    """Open a round addressed to the form's whole audience."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.collect.services import open_round

    _form(form)
    try:
        day = dt.date.fromisoformat(deadline)
    except ValueError:
        fail(f"--deadline {deadline!r} is not a date YYYY-MM-DD")
    rnd = open_round(
        form, day, title=title, actor=actor_name(via="cli"), year=year, historical=historical
    )
    typer.echo(
        f"Opened {'historical ' if historical else ''}round {rnd.pk}: {rnd.title}, "
        f"{rnd.responses.count()} organisations, describing {rnd.form_year}, "
        f"deadline {rnd.deadline}."
    )
    if historical:
        typer.echo(
            f"It is locked; import its answers with 'naravard responses import FILE "
            f"--form {rnd.form_id} --round {rnd.pk}' (a column submitted_at keeps each "
            "organisation's submission day)."
        )


@rounds_app.command("list")
def rounds_list() -> None:
    """Every round with its response rate."""
    setup_or_fail()
    from naravard.collect.models import Round
    from naravard.collect.results import summary
    from naravard.collect.services import lock_due_rounds

    lock_due_rounds()
    for rnd in Round.objects.all():
        s = summary(rnd)
        state = "locked" if rnd.is_locked else "open"
        if rnd.historical:
            state += " (historical)"
        typer.echo(
            f"{rnd.pk}\t{rnd.form_id}\t{state}\tdeadline {rnd.deadline}\t"
            f"{s.responded}/{s.invited} ({s.rate:.1f} %)\t{rnd.title}"
        )


@rounds_app.command("remind")
def rounds_remind(
    form: str = typer.Option(..., "--form", help="Form id."),
    site_url: str = typer.Option(
        "http://127.0.0.1:8000",
        help="The site's address; each e-mail links to the organisation's own form there.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print who would get it and the text; send nothing."
    ),
) -> None:
    """E-mail the contacts of every organisation that has not submitted."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.collect.reminders import plan_reminders, send_reminders

    rnd = _round(form, None)
    if rnd.is_locked:
        fail(f"round {rnd.pk} is locked; reminders go out only while a round is open")
    if dry_run:
        plan = plan_reminders(rnd, site_url)
        for response, message in plan.messages:
            typer.echo(f"{response.org_code}\t{', '.join(message.to)}")
        if plan.messages:
            example = plan.messages[0][1]
            typer.echo(f"\nSubject: {example.subject}\n\n{example.body}")
        typer.echo(
            f"Would remind {len(plan.messages)} organisations; "
            f"{len(plan.no_contact)} have no e-mail address. Nothing was sent."
        )
        return
    report = send_reminders(rnd, actor=actor_name(via="cli"), site_url=site_url)
    typer.echo(
        f"Reminded {len(report.sent)} organisations; "
        f"{len(report.no_contact)} have no e-mail address: {' '.join(report.no_contact)}"
    )


@rounds_app.command("reopen")
def rounds_reopen(
    form: str = typer.Option(..., "--form", help="Form id."),
    org: str = typer.Option(..., help="Organisation (code or name)."),
    round_id: int | None = typer.Option(None, "--round", help="Round id."),
) -> None:
    """Let one organisation change its response again, also after the deadline."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.collect.services import reopen
    from naravard.refdata.resolve import Resolver

    rnd = _round(form, round_id)
    code = Resolver.default().resolve(org, level=rnd.form.audience_level).code
    response = (
        rnd.responses.filter(region_id=code).first()
        or rnd.responses.filter(municipality_id=code).first()
    )
    if response is None:
        fail(f"{code} is not asked in round {rnd.pk}")
    reopen(response, actor=actor_name(via="cli"))
    typer.echo(f"Reopened {code} in round {rnd.pk}.")


# --------------------------------------------------------------- responses ---


@responses_app.command("import")
def responses_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV or XLSX file."),
    form: str = typer.Option(..., "--form", help="Form id."),
    round_id: int | None = typer.Option(
        None,
        "--round",
        help="A specific round (also a locked one, for historical data); default: the open round.",
    ),
    require_all: bool = typer.Option(
        False,
        "--require-all",
        help="Refuse rows that leave required items unanswered "
        "(default: keep item non-response as collected).",
    ),
) -> None:
    """Store one response per row, all rows or none; print every problem with row and column."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.collect.services import import_rows, open_round_for
    from naravard.collect.tabular import read_import
    from naravard.core.tables import ImportRefused

    definition = _form(form)
    rnd = open_round_for(form) if round_id is None else _round(form, round_id)
    try:
        rows = read_import(definition, file)
        report = import_rows(
            rnd,
            rows,
            actor=actor_name(via="cli") + f", fil {file.name}",
            require=require_all,
            allow_locked=round_id is not None,
        )
    except ImportRefused as exc:
        typer.echo(f"{file}: refused, nothing stored ({len(exc.problems)} problems):", err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(ImportRefused.exit_code) from None
    typer.echo(
        f"{file}: stored {report.stored} responses, {report.unchanged} unchanged, "
        f"in round {rnd.pk} ({rnd.title})."
    )


@responses_app.command("export")
def responses_export(
    form: str = typer.Option(..., "--form", help="Form id."),
    fmt: TableFormat = typer.Option(TableFormat.csv, "--format", help="csv or xlsx."),
    out: Path | None = typer.Option(
        None, "--out", help="File to write (default: standard output; required for xlsx)."
    ),
    round_id: int | None = typer.Option(None, "--round", help="Round id (default: the latest)."),
    all_responses: bool = typer.Option(False, "--all", help="Include drafts and unanswered rows."),
) -> None:
    """Write the responses in the import layout, with each one's submission time in the last
    column, submitted_at (XLSX adds a codebook sheet)."""
    setup_or_fail()
    from naravard.collect.models import ResponseStatus
    from naravard.collect.tabular import export_rows, write_csv, write_xlsx

    rnd = _round(form, round_id)
    qs = rnd.responses.select_related("region", "municipality").prefetch_related("answers")
    if not all_responses:
        qs = qs.filter(status=ResponseStatus.SUBMITTED)
    responses = sorted(qs, key=lambda r: r.org_code)
    header, rows = export_rows(rnd.form, responses, submitted=True)
    if fmt == TableFormat.xlsx:
        if out is None:
            fail("--out FILE is needed for xlsx")
        out.write_bytes(write_xlsx(rnd.form, header, rows))
    else:
        text = write_csv(header, rows)
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {len(rows)} responses to {out}.", err=True)


def results(
    form: str = typer.Option(..., "--form", help="Form id."),
    fmt: OutputFormat = typer.Option(OutputFormat.json, "--format", help="json or table."),
    round_id: int | None = typer.Option(
        None, "--round", help="Round id (default: the open round, else the latest)."
    ),
    compare_with: str | None = typer.Option(
        None,
        "--compare-with",
        help="An earlier form of the same series: give each question's change since its round.",
    ),
    compare_round: int | None = typer.Option(
        None,
        "--compare-round",
        help="Round id of --compare-with (default as for --round).",
    ),
) -> None:
    """Per question: n answered and, per option, count and percent (submitted responses).
    With --compare-with: beside them the earlier round's, the change in percentage points
    with its 95 % interval, and the organisations that answered both rounds; a round not
    given is then the one the latest follow-up took of that form (the published figures),
    else the open round, else the latest."""
    setup_or_fail()
    from naravard.collect.results import results_json

    if compare_round is not None and compare_with is None:
        fail("--compare-round needs --compare-with (the form of that round)")
    if compare_with is not None:
        rnd, previous = (
            _followup_round(form, round_id),
            _followup_round(compare_with, compare_round),
        )
        typer.echo(
            f"Round {rnd.pk} ({rnd.title}) against round {previous.pk} ({previous.title}).",
            err=True,
        )
        _compare(rnd, previous, fmt)
        return
    rnd = _round(form, round_id)
    data = results_json(rnd)
    if fmt == OutputFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{rnd.title}: {data['responded']} of {data['invited']} ({data['response_rate']:.1f} %)"
    )
    for qid, q in data["questions"].items():
        options = "  ".join(
            f"{code} {o['count']} ({o['percent'] or 0:.0f} %)"
            for code, o in q.get("options", {}).items()
        )
        typer.echo(f"{qid:<28} n={q['n']:<4} {options}")


def _followup_round(form_id: str, round_id: int | None):
    """The round given, else the round of ``form_id`` that the latest follow-up took, else
    as :func:`_round` chooses (a comparison is of settled figures, not of a practice round
    that happens to be open)."""
    from naravard.report.models import FollowUp

    if round_id is None:
        for followup in FollowUp.objects.select_related("survey_round", "status_round"):
            for taken in (followup.survey_round, followup.status_round):
                if taken is not None and taken.form_id == form_id:
                    return taken
    return _round(form_id, round_id)


def _compare(rnd, previous, fmt: OutputFormat) -> None:
    """``naravard results --compare-with``: the round against the earlier one."""
    from naravard.analysis.round_change import compare_rounds

    data = compare_rounds(rnd, previous).as_json()
    if fmt == OutputFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{rnd.title} ({rnd.form_id}) against {previous.title} ({previous.form_id})")
    for qid, q in data["questions"].items():
        head = f"{qid:<28} n={q['n']:<4} before n={q['previous_n']:<4}"
        if not q["comparable"]:
            head += " not comparable"
        typer.echo(head)
        for code, o in q.get("options", {}).items():
            shares = f"{_pct(o['percent'])} (before {_pct(o['previous_percent'])})"
            if o["change_pp"] is not None:
                low, high = o["change_ci_low"], o["change_ci_high"]
                shares += f"  {o['change_pp']:+.1f} pp ({low:.1f} to {high:.1f})"
            typer.echo(f"    {code:<24} {shares}")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %"
