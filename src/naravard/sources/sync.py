"""Syncing a source: ask for its version, stop there if it is unchanged, otherwise read its
cells and import them as a file would be imported (all or nothing, the same validation and
row-level errors), and keep what the sync did with every response it read.

An unchanged source costs one request: the first one is conditional (``If-None-Match``,
``If-Modified-Since``) on what the last successful sync was told, and a 304, or the same
version with the same registry entry, ends the sync there. Values stored wait for a release
like those of any import. One source failing does not stop the others.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from naravard.core.errors import NaravardError
from naravard.core.tables import ImportRefused
from naravard.ingest.derive import derive_population_rates
from naravard.ingest.importer import import_table
from naravard.ingest.models import ImportBatch
from naravard.refdata.population_import import PopulationFileError, check_rows, store_rows
from naravard.sources.cells import indicator_table, population_table
from naravard.sources.fetch import Fetched, Fetcher, SourceError, Validators
from naravard.sources.files import JsonStatFile, TableFile
from naravard.sources.kolada import Kolada
from naravard.sources.models import Response, Sync
from naravard.sources.pxweb import PxWeb1, PxWeb2
from naravard.sources.reader import Progress, Reader, no_progress
from naravard.sources.registry import POPULATION, Source

READERS: dict[str, type[Reader]] = {
    "kolada": Kolada,
    "pxweb1": PxWeb1,
    "pxweb2": PxWeb2,
    "table": TableFile,
    "jsonstat": JsonStatFile,
}
SHOWN = 20  # refused rows told per source
logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What one sync did (or, on a dry run, would do)."""

    source: Source
    result: str  # stored, unchanged, refused, failed, or dry-run
    requests: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: int = 0
    message: str = ""
    problems: list[str] = field(default_factory=list)
    derived: dict[str, int] = field(default_factory=dict)
    batch: ImportBatch | None = None
    sync: Sync | None = None

    @property
    def ok(self) -> bool:
        return self.result not in ("refused", "failed")

    def line(self) -> str:
        """One line for the command line, in Swedish."""
        counts = (
            f"nya {self.added}, ändrade {self.changed}, oförändrade {self.unchanged}, "
            f"vägrade {self.refused}; anrop {self.requests}"
        )
        said = {
            "stored": f"lagrade: {counts}",
            "dry-run": f"provkörning, inget lagrat: {counts}",
            "unchanged": f"oförändrad sedan förra hämtningen; anrop {self.requests}",
            "refused": f"vägrad, inget lagrat: {self.message}",
            "failed": f"misslyckades: {self.message}",
        }[self.result]
        return f"{self.source.id}: {said}"


def declaration(source: Source) -> str:
    return hashlib.sha256(source.declared.encode()).hexdigest()


def fingerprint(source: Source, version: str) -> str:
    """The version of a source as read under its registry entry: a changed entry reads the
    source anew even if the source did not change."""
    return hashlib.sha256(f"{source.declared}\n{version}".encode()).hexdigest()


def last_success(source: Source) -> Sync | None:
    """The last sync that read the source whole or found it unchanged, under the registry
    entry as it is now (a changed entry reads the source anew)."""
    return (
        Sync.objects.filter(
            source_id=source.id,
            result__in=["stored", "unchanged"],
            declaration=declaration(source),
        )
        .order_by("-started_at", "-pk")
        .first()
    )


def _validators(source: Source) -> Validators | None:
    """What the source said of its version when its first request was last answered in full
    (a 304 since then confirmed it; a 429 before it was only a wait)."""
    for sync in Sync.objects.filter(
        source_id=source.id, result__in=["stored", "unchanged"], declaration=declaration(source)
    ).order_by("-started_at", "-pk")[:20]:
        probe = sync.responses.filter(status__in=[200, 304]).order_by("pk").first()
        if probe is not None and probe.status == 200:
            return Validators(probe.etag, probe.last_modified)
    return None


def _where(problem, where: dict[int, str]) -> str:
    """A refused row in the source's words: its cell, then what is wrong (a name the import
    cannot place is confirmed in the registry, not with the import's --alias)."""
    cell = where.get(problem.row, f"rad {problem.row}")
    message, alias, _rest = problem.message.partition(" Confirm with --alias")
    if alias:
        message += " Ange koden under codes: org: i källregistret om du vet vilken det är."
    return f"{cell}: {problem.column}: {message}"


def _refused(source: Source, count: int, problems: list[str]) -> Outcome:
    """Nothing stored: ``count`` values refused, the first named in the source's words."""
    return Outcome(
        source,
        "refused",
        refused=count,
        message=f"{count} {'värde' if count == 1 else 'värden'} vägrades, till exempel {problems[0]}",
        problems=problems[:SHOWN],
    )


def _provenance(source: Source, log: list[Fetched]) -> tuple[str, str]:
    """The digest of every answer read, and the note naming the source and its URLs."""
    digest = hashlib.sha256("".join(f.sha256 for f in log).encode()).hexdigest()
    urls = sorted({f.url.split("?")[0] for f in log})
    note = f"källa {source.id} ({source.publisher}); {len(log)} svar från " + ", ".join(urls[:5])
    return digest, note[:2000]


def _import(source: Source, reader: Reader, *, dry_run: bool, actor: str, progress) -> Outcome:
    cells = reader.cells(progress)
    if source.target == POPULATION:
        return _import_population(source, cells, dry_run=dry_run, actor=actor)
    return _import_indicators(source, cells, reader.fetcher.log, dry_run=dry_run, actor=actor)


def _import_population(source: Source, cells, *, dry_run: bool, actor: str) -> Outcome:
    """The cells checked as a population file is, stored, and the rates per population
    derived again with each year's own population."""
    header, rows = population_table(source, cells)
    if not rows:
        raise SourceError(f"{source.url}: svaret har inga värden; inget lagrat")
    try:
        checked = check_rows(header, rows)
    except PopulationFileError as exc:
        return _refused(source, len(exc.problems), exc.problems)
    report = store_rows(
        checked, f"{source.publisher}, {source.table} ({source.id})", dry_run=dry_run
    )
    added = report.added.get("population cells", 0)
    changed = report.changed.get("population cells", 0)
    outcome = Outcome(
        source,
        "dry-run" if dry_run else ("stored" if added or changed else "unchanged"),
        added=added,
        changed=changed,
        unchanged=len(checked) - added - changed,
    )
    if not dry_run and (added or changed):
        outcome.derived = derive_population_rates(actor=actor)
    return outcome


def _import_indicators(
    source: Source, cells, log: list[Fetched], *, dry_run: bool, actor: str
) -> Outcome:
    """The cells imported as a wide table would be, the source and its answers named as the
    import's provenance."""
    table = indicator_table(source, cells)
    if not table.rows:
        raise SourceError(f"{source.url}: svaret har inga värden; inget lagrat")
    digest, note = _provenance(source, log)
    try:
        report = import_table(
            f"källa {source.id}",
            table.header,
            iter(table.rows),
            dry_run=dry_run,
            actor=actor,
            sha256=digest,
            note=note,
        )
    except ImportRefused as exc:
        return _refused(source, exc.count, [_where(p, table.where) for p in exc.problems])
    plan = report.plan
    return Outcome(
        source,
        "dry-run" if dry_run else ("stored" if report.batch else "unchanged"),
        added=plan.added,
        changed=plan.changed,
        unchanged=plan.unchanged,
        derived=report.derived,
        batch=report.batch,
        message=f"import {report.batch.pk}" if report.batch else "",
    )


def sync_source(
    source: Source,
    *,
    actor: str,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress = no_progress,
    fetcher: Fetcher | None = None,
) -> Outcome:
    """Sync one source; never raises for what the source did (the outcome says it)."""
    started = timezone.now()
    last = None if force else last_success(source)
    fetcher = fetcher or Fetcher()
    reader = READERS[source.kind](source, fetcher)
    version = ""
    try:
        with fetcher:
            probe = reader.probe(_validators(source) if last else None)
            if probe.fetched.not_modified and last is not None:
                version = last.fingerprint
                outcome = Outcome(source, "unchanged")
            else:
                version = fingerprint(source, probe.version)
                if last is not None and last.fingerprint == version:
                    outcome = Outcome(source, "unchanged")
                else:
                    outcome = _import(
                        source, reader, dry_run=dry_run, actor=actor, progress=progress
                    )
    except NaravardError as exc:  # the source, its mapping, or a table the import cannot read
        outcome = Outcome(source, "failed", message=str(exc))
    except Exception as exc:  # a fault of naravard's: logged, and the other sources go on
        logger.exception("sync of %s", source.id)
        outcome = Outcome(
            source, "failed", message=f"internt fel ({type(exc).__name__}: {str(exc)[:200]})"
        )
    outcome.requests = fetcher.requests
    if not dry_run:
        outcome.sync = _record(source, outcome, fetcher.log, version, started, actor)
    return outcome


@transaction.atomic
def _record(
    source: Source, outcome: Outcome, log: list[Fetched], version: str, started, actor: str
) -> Sync:
    sync = Sync.objects.create(
        source_id=source.id,
        started_at=started,
        finished_at=timezone.now(),
        result=outcome.result,
        requests=outcome.requests,
        added=outcome.added,
        changed=outcome.changed,
        unchanged=outcome.unchanged,
        refused=outcome.refused,
        message="\n".join([outcome.message, *outcome.problems]).strip(),
        fingerprint=version if outcome.ok else "",
        declaration=declaration(source),
        batch=outcome.batch,
        actor=actor,
    )
    Response.objects.bulk_create(
        [
            Response(
                sync=sync,
                method=f.method,
                url=f.url,
                request_body=f.request_body,
                status=f.status,
                fetched_at=f.fetched_at,
                sha256=f.sha256,
                size=len(f.content),
                content_type=f.headers.get("content-type", "")[:200],
                etag=f.etag[:300],
                last_modified=f.last_modified[:100],
                body=zlib.compress(f.content) if f.content else b"",
            )
            for f in log
        ]
    )
    return sync
