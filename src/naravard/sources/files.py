"""Reading a file published at a URL: a CSV or XLSX export (the waiting-time and patient-survey
figures, with the registry's column mapping) or a JSON-stat 2.0 dataset. The file itself is the
first request, sent conditionally: an unchanged file answers 304, or the same digest."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from naravard.core.tables import TableError, open_table
from naravard.sources.cells import Cell
from naravard.sources.fetch import Fetched, SourceError, Validators
from naravard.sources.jsonstat import dataset_cells
from naravard.sources.reader import Probe, Progress, Reader, no_progress

ROLES = ("org", "period", "sex", "age", "value", "numerator", "denominator")


class FileReader(Reader):
    fetched: Fetched | None = None

    def probe(self, validators: Validators | None) -> Probe:
        self.fetched = self.fetcher.get(self.source.url, validators=validators)
        return Probe(self.fetched, self.fetched.sha256)

    def _file(self) -> Fetched:
        if self.fetched is None or self.fetched.not_modified:
            self.fetched = self.fetcher.get(self.source.url)
        return self.fetched

    @property
    def name(self) -> str:
        return urlsplit(self.source.url).path.rsplit("/", 1)[-1] or self.source.id


class JsonStatFile(FileReader):
    def cells(self, progress: Progress = no_progress) -> Iterator[Cell]:
        fetched = self._file()
        progress(self.name, 1, 1)
        yield from dataset_cells(self.source, fetched.json(), fetched.url)

    def describe(self) -> list[str]:
        n = sum(1 for _ in self.cells())
        return [f"{self.name}: {n} celler"]


class TableFile(FileReader):
    """A CSV or XLSX file whose columns ``columns`` names (by header), a value column per
    indicator under ``measures`` or the one ``indicator``'s value (or numerator and
    denominator)."""

    def cells(self, progress: Progress = no_progress) -> Iterator[Cell]:
        fetched = self._file()
        name = (
            self.name
            if self.name.endswith((".csv", ".xlsx"))
            else f"{self.name}.{self.source.format}"
        )
        columns = self.source.columns
        try:
            with open_table(name, fetched.content, max_rows=None) as (header, rows):
                at = {h.strip(): i for i, h in enumerate(header)}
                wanted = [columns[r] for r in ROLES if r in columns] + list(self.source.measures)
                missing = [c for c in wanted if c not in at]
                if missing:
                    raise SourceError(
                        f"{fetched.url}: kolumnen {', '.join(missing)} saknas; filen har "
                        f"{', '.join(header)}"
                    )
                for n, row in enumerate(rows, start=2):
                    row = row + [""] * (len(header) - len(row))

                    def cell(role: str, row: list[str] = row) -> str:
                        return row[at[columns[role]]] if role in columns else ""

                    measures = self.source.measures or {columns.get("value", ""): ""}
                    for column in measures:
                        yield Cell(
                            org=cell("org"),
                            period=cell("period"),
                            value=row[at[column]] if column in at else cell("value"),
                            sex=cell("sex"),
                            age=cell("age"),
                            measure=column if self.source.measures else "",
                            numerator=cell("numerator"),
                            denominator=cell("denominator"),
                            where=f"{self.name} rad {n}",
                        )
        except TableError as exc:
            raise SourceError(f"{fetched.url}: {exc}") from exc
        progress(self.name, 1, 1)

    def describe(self) -> list[str]:
        n = sum(1 for _ in self.cells())
        return [f"{self.name}: {n} värden i kolumnerna {', '.join(self.source.columns.values())}"]
