"""Command-line verbs of the register engine: generate a synthetic register, compute indicators."""

from __future__ import annotations

import re
import time
from pathlib import Path

import typer

from naravard.commands.common import err, fail, setup_or_fail


def parse_years(text: str) -> list[int]:
    """'2019-2023' or '2019,2021' as a list of years."""
    m = re.fullmatch(r"(\d{4})-(\d{4})", text.strip())
    if m:
        first, last = int(m[1]), int(m[2])
        if last < first or last - first > 50:
            raise typer.BadParameter(f"{text!r}: give a range like 2019-2023")
        return list(range(first, last + 1))
    try:
        years = sorted({int(y) for y in text.split(",")})
    except ValueError:
        raise typer.BadParameter(f"{text!r}: give years like 2019-2023 or 2019,2021") from None
    if any(y < 1990 or y > 2100 for y in years):
        raise typer.BadParameter(f"{text!r}: years must be between 1990 and 2100")
    return years


def synth(
    scale: float = typer.Option(0.01, help="1.0 is the whole country (10.3 M persons)."),
    years: str = typer.Option("2019-2023", help="Years, e.g. 2019-2023."),
    out: Path = typer.Option(..., help="Folder to write the Parquet tables into."),
    seed: int = typer.Option(1, help="The same seed gives the same register."),
) -> None:
    """Write a synthetic national register (persons, listings, contacts, episodes, interventions)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from naravard.synth.generator import Spec, estimated_persons, generate

    if not 0 < scale <= 2:
        fail("--scale must be above 0 and at most 2")
    year_list = parse_years(years)
    if out.exists() and any(out.iterdir()):
        fail(f"{out} is not empty; choose a new folder")
    started = time.perf_counter()
    total = estimated_persons(scale) * len(year_list)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    ) as progress:
        task = progress.add_task("Generating persons × years", total=total)
        counts = generate(
            out, Spec(scale, tuple(year_list), seed), lambda year, n: progress.advance(task, n)
        )
        progress.update(task, completed=total)
    typer.echo(
        f"Wrote {out} in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )


def compute(
    data: Path = typer.Option(..., exists=True, file_okay=False, help="The register folder."),
    years: str = typer.Option(..., help="Years, e.g. 2019-2023."),
    backend: str = typer.Option(
        "auto", help="auto (each indicator on its faster local backend), duckdb, polars or spark."
    ),
    indicator: list[str] = typer.Option([], "--indicator", help="Only these (repeatable)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Compute and print; store nothing."),
    spark_master: str | None = typer.Option(
        None,
        "--spark-master",
        help="With --backend spark: the cluster's master URL (spark://host:7077, yarn, "
        "k8s://…); the register must be at the same path on every worker. Without it, "
        "NARAVARD_SPARK_MASTER, else Spark runs in this process.",
    ),
) -> None:
    """Compute the register indicators and store them with provenance."""
    setup_or_fail()
    from naravard.collect.audit import actor_name
    from naravard.engine.backends import BACKENDS
    from naravard.engine.backends import spark_master as spark_master_of
    from naravard.engine.compute import run, store_cells

    if backend not in BACKENDS:
        fail(f"--backend is one of {', '.join(BACKENDS)}")
    if spark_master and backend != "spark":
        fail("--spark-master runs Spark on a cluster: give --backend spark with it")
    year_list = parse_years(years)
    started = time.perf_counter()
    try:
        report = run(data, year_list, backend, indicator or None, spark_master=spark_master)
    except OSError as exc:  # unreadable files that got past the checks
        fail(f"{data}: cannot read the register ({exc})")
    seconds = time.perf_counter() - started
    where = f"spark ({spark_master_of(spark_master)})" if backend == "spark" else backend
    err.print(
        f"Computed {len(report.cells)} cells on {where} in {seconds:.1f} s "
        f"(rows: {', '.join(f'{k} {v:,}' for k, v in report.rows.items())})",
        highlight=False,
    )
    if dry_run:
        for cell in report.cells:
            typer.echo(f"{cell.indicator_id}\t{cell.org}\t{cell.period}\t{cell.sex}\t{cell.value}")
        return
    stored = store_cells(report, data, backend, year_list, actor=actor_name(via="cli"))
    typer.echo(
        f"Stored: {stored['added']} added, {stored['changed']} changed, "
        f"{stored['unchanged']} unchanged."
    )
