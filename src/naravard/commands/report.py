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
