"""Command-line verbs of the annual report."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from naravard.commands.common import err, setup_or_fail

report_app = typer.Typer(help="The annual follow-up report.", no_args_is_help=True)


@report_app.command("build")
def build_cmd(
    round_name: str = typer.Option(..., "--round", help="Follow-up round, e.g. 2020."),
    out: Path = typer.Option(..., "--out", file_okay=False, help="Folder to write to."),
    lang: str = typer.Option("sv", "--lang", help="sv or en."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also write report.pdf."),
) -> None:
    """Write report.html, report.pdf, data/*.csv and manifest.json from the store."""
    setup_or_fail()
    from naravard.report.build import build

    started = time.perf_counter()
    built = build(round_name, out, lang, pdf=pdf)
    err.print(
        f"Built the {round_name} report ({lang}) in {time.perf_counter() - started:.1f} s: "
        f"{len(built.report.profiles)} region profiles, {len(built.report.figures)} "
        f"figures, {len(built.report.tables)} tables.",
        highlight=False,
    )
    for rel, digest in sorted(built.files.items()):
        if not rel.startswith(("data/", "fonts/")):
            typer.echo(f"{digest}  {out / rel}")


@report_app.command("publish")
def publish_cmd(
    round_name: str = typer.Option(..., "--round", help="Follow-up round, e.g. 2020."),
    lang: list[str] = typer.Option(
        ["sv", "en"], "--lang", help="Languages to publish (repeatable)."
    ),
    override: str = typer.Option(
        "",
        "--override",
        metavar="REASON",
        help="Publish although the fact-check is open or "
        "regions have not answered; the reason is "
        "logged and printed in the method section.",
    ),
) -> None:
    """Build the report and put it, HTML and PDF, on the public site (/rapporter/).

    Refused while the fact-check is open, regions have not answered or feedback is
    undecided, unless --override gives the reason."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.report.build import publish

    for language in lang:
        published = publish(round_name, language, actor=actor_name(via="cli"), override=override)
        typer.echo(
            f"Published the {round_name} report ({language}): {len(published.pdf) // 1024} kB PDF."
        )


@report_app.command("remind")
def remind_cmd(
    round_name: str = typer.Option(..., "--round", help="Follow-up round, e.g. 2020."),
    days: int = typer.Option(
        3, "--days", min=0, help="Remind from this many days before the fact-check's deadline."
    ),
    site_url: str = typer.Option(
        "http://127.0.0.1:8000",
        help="The site's address; each e-mail links to the region's fact-check page there.",
    ),
) -> None:
    """E-mail the coordinators of the regions that have not answered the fact-check, once per
    region, from --days days before its deadline (run it daily; earlier runs send nothing)."""
    setup_or_fail()
    from naravard.report import factcheck_mail

    followup = _followup_or_fail(round_name)
    sent = factcheck_mail.send_reminders(followup, site_url, days=days)
    if sent is None:
        start = factcheck_mail.reminders_from(followup.factcheck, days)
        typer.echo(f"Nothing sent: reminders for {round_name} go out from {start.isoformat()}.")
        return
    typer.echo(
        f"Reminded {len(sent.sent)} regions: {' '.join(sent.sent) or '-'}; "
        f"{len(sent.already)} reminded before; "
        f"{len(sent.no_contact)} without a coordinator's address: {' '.join(sent.no_contact) or '-'}"
    )
    for line in sent.failed:
        typer.echo(f"failed: {line}")


text_app = typer.Typer(
    help="The analysts' texts of a follow-up's report: chapters in Markdown with expressions, "
    "the outline, region profiles' paragraphs.",
    no_args_is_help=True,
)
report_app.add_typer(text_app, name="text")


def _followup_or_fail(name: str):
    from naravard.commands.common import fail
    from naravard.report.models import FollowUp

    followup = FollowUp.objects.filter(name=name).first()
    if followup is None:
        known = ", ".join(FollowUp.objects.values_list("name", flat=True)) or "none"
        fail(f"no follow-up {name!r} (known: {known})")
    return followup


@text_app.command("export")
def text_export(
    round_name: str = typer.Option(..., "--round", help="Follow-up, e.g. 2020."),
    out: Path = typer.Option(..., "--out", file_okay=False, help="Folder to write to."),
) -> None:
    """Write outline.yaml and the newest version of each text as <key>.<sv|en>.md."""
    setup_or_fail()
    from naravard.report.texts import export

    written = export(_followup_or_fail(round_name), out)
    typer.echo(f"Wrote {len(written)} files to {out}.")


@text_app.command("import")
def text_import(
    folder: Path = typer.Argument(..., file_okay=False, help="A folder as export writes it."),
    round_name: str = typer.Option(..., "--round", help="Follow-up, e.g. 2020."),
    author: str = typer.Option("", "--author", help="Who wrote it (default: the CLI user)."),
) -> None:
    """Store every changed file as a new version, all or nothing; then list the typed numbers
    the build would refuse."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.report.prose import typed_numbers
    from naravard.report.texts import TextRefused, read_files, save_many

    followup = _followup_or_fail(round_name)
    try:
        texts = read_files(folder)
        stored = save_many(followup, texts, author or actor_name(via="cli"))
    except TextRefused as exc:
        typer.echo(f"{folder}: refused, nothing stored ({len(exc.problems)} problems):", err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Stored {len(stored)} new versions ({len(texts) - len(stored)} unchanged) "
        f"for follow-up {followup.name}."
    )
    for (key, lang), text in sorted(texts.items()):
        if lang:
            for typed in typed_numbers(text):
                typer.echo(f"  {key}.{lang}.md: {typed}", err=True)


@text_app.command("check")
def text_check(
    round_name: str = typer.Option(..., "--round", help="Follow-up, e.g. 2020."),
    lang: str = typer.Option("sv", "--lang", help="sv or en."),
) -> None:
    """Evaluate every text's expressions and look for typed numbers, as the build does; exit
    1 with one line per problem."""
    setup_or_fail()
    from django.utils import translation

    from naravard.report.content import build_report
    from naravard.report.prose import ProseError

    followup = _followup_or_fail(round_name)
    with translation.override(lang):
        try:
            problems = build_report(followup).text_problems
        except ProseError as exc:
            problems = [f"{exc.name}: {problem}" for problem in exc.problems]
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"The texts of follow-up {followup.name} ({lang}) have no problems.")
