"""Command-line verbs for the outside sources: list the registry, check one source, sync."""

from __future__ import annotations

import typer

from naravard.commands.common import err, setup_or_fail

sources_app = typer.Typer(
    help="Outside sources (Kolada, PxWeb, files at a URL): list, check, sync.",
    no_args_is_help=True,
)


@sources_app.command("list")
def sources_list() -> None:
    """Every source in the registry: id, kind, what it brings, how often it is updated, its
    last sync and that sync's result."""
    setup_or_fail()
    from naravard.sources.models import Sync
    from naravard.sources.registry import POPULATION, sources

    for source in sources().values():
        last = Sync.objects.filter(source_id=source.id).order_by("-started_at", "-pk").first()
        brings = ", ".join(source.indicators) or POPULATION
        when = f"{last.started_at:%Y-%m-%d %H:%M} {last.result}" if last else "aldrig hämtad"
        typer.echo(f"{source.id}\t{source.kind}\t{source.updated}\t{when}\t{brings}\t{source.url}")


@sources_app.command("check")
def sources_check(source_id: str = typer.Argument(..., help="The source's id.")) -> None:
    """Reach the source and check that the registry's query fits it (the table's variables
    and codes, the KPIs, the file's columns); nothing is stored."""
    setup_or_fail()
    from naravard.sources.fetch import Fetcher, SourceError
    from naravard.sources.registry import get_source
    from naravard.sources.sync import READERS

    source = get_source(source_id)
    with Fetcher() as fetcher:
        try:
            lines = READERS[source.kind](source, fetcher).describe()
        except SourceError as exc:
            err.print(f"[bold red]{source.id}: fel[/] {exc}", highlight=False)
            raise typer.Exit(1) from None
    typer.echo(f"{source.id}: {source.name['sv']} ({source.publisher}, {source.licence})")
    for line in lines:
        typer.echo(f"  {line}")
    typer.echo(f"{source.id}: OK, {fetcher.requests} anrop")


@sources_app.command("sync")
def sources_sync(
    source_ids: list[str] = typer.Argument(None, help="Source ids (default: every source)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Read and check; store nothing."),
    force: bool = typer.Option(
        False, "--force", help="Read the whole source even if it says it is unchanged."
    ),
) -> None:
    """Fetch each source and import what is new or changed (all or nothing per source); the
    values wait for a release. One line per source; exit 1 if any source failed or was
    refused."""
    setup_or_fail()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from naravard.collect.audit import actor_name
    from naravard.sources.registry import get_source, sources
    from naravard.sources.sync import sync_source

    chosen = [get_source(i) for i in source_ids] if source_ids else list(sources().values())
    failed = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        for source in chosen:
            task = bar.add_task(source.id, total=None)

            def progress(what: str, done: int, total: int | None, task=task) -> None:
                bar.update(task, description=what, completed=done, total=total)

            outcome = sync_source(
                source,
                actor=actor_name(via="cli"),
                dry_run=dry_run,
                force=force,
                progress=progress,
            )
            bar.remove_task(task)
            line = outcome.line()
            if outcome.ok:
                typer.echo(line)
            else:
                failed.append(outcome)
                err.print(line, highlight=False, markup=False)
                for problem in outcome.problems[1:]:
                    err.print(f"  {problem}", highlight=False, markup=False)
    if failed:
        raise typer.Exit(1)
