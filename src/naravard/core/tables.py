"""Tables in and out: reading uploaded CSV or XLSX safely (size, width and length limits, clear
errors), and writing CSV and XLSX downloads that a spreadsheet opens without surprises."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.utils.translation import gettext as _

from naravard.core.errors import Invalid

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 2000
MAX_ROWS = 5000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TableError(Invalid):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class RowProblem:
    """One problem in an uploaded table, named by row (1 = the header) and column."""

    row: int
    column: str
    message: str
    label: str = ""  # what the column holds, as people call it ('Fråga 4b, Därav använda …')

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class ImportRefused(Invalid):
    """A file refused whole, nothing stored: ``problems`` names each row, column and reason.
    An indicator import also gives its ``plan``, what would have happened to every row."""

    def __init__(self, problems: list[RowProblem], plan: Any = None):
        super().__init__(f"{len(problems)} problem(s); nothing was stored")
        self.problems = problems
        self.plan = plan


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_START:  # our guard against formula injection
        return text[1:]
    return text


def _shown(cell) -> Any:
    """A cell's value as a person sees it: a number formatted as percent is the percent."""
    value = getattr(cell, "value", None)
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and fmt.endswith("%"):
        return round(value * 100, 10)
    return value


def read_table(name: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV (comma, semicolon or tab; UTF-8) or XLSX file."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(
            _("%(name)s: filen är större än %(mb)d MB.")
            % {"name": name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise TableError(
                _("%(name)s: kan inte läsas som en Excelfil (XLSX).") % {"name": name}
            ) from exc
        sheet = book["svar"] if "svar" in book.sheetnames else book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1):
            rows.append([_cell(_shown(c)) for c in row])
            if len(rows) > MAX_ROWS + 1:
                raise TableError(
                    _("%(name)s: fler än %(n)d rader.") % {"name": name, "n": MAX_ROWS}
                )
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TableError(
                _(
                    "%(name)s: texten är inte UTF-8 (byte %(at)d). Spara filen som "
                    "”CSV UTF-8” och försök igen."
                )
                % {"name": name, "at": exc.start}
            ) from exc
        if not text.strip():
            raise TableError(_("%(name)s: filen är tom.") % {"name": name})
        first = text.splitlines()[0]
        delimiter = max(";,\t", key=first.count)
        rows = []
        try:
            for row in csv.reader(io.StringIO(text), delimiter=delimiter):
                rows.append([_cell(c) for c in row])
                if len(rows) > MAX_ROWS + 1:
                    raise TableError(
                        _("%(name)s: fler än %(n)d rader.") % {"name": name, "n": MAX_ROWS}
                    )
        except csv.Error as exc:
            raise TableError(
                _(
                    "%(name)s: kan inte läsas som CSV från rad %(line)d (ett fält är för "
                    "långt eller ett citattecken saknar sin like)."
                )
                % {"name": name, "line": len(rows) + 1}
            ) from exc
    rows = [r for r in rows if any(r)]
    if not rows:
        raise TableError(_("%(name)s: raden med kolumnnamn saknas.") % {"name": name})
    header = [h.strip() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise TableError(_("%(name)s: fler än %(n)d kolumner.") % {"name": name, "n": MAX_COLUMNS})
    return header, rows[1:]


MAX_MAGNITUDE = 1e15  # larger numbers are typing errors (a million billion)


def parse_number(text: Any) -> float:
    """A number as people write it: '1 500 000', '12,5', '12.5'; ValueError otherwise.

    Refuses nan, infinities and magnitudes above MAX_MAGNITUDE.
    """
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, (int, float)):
        number = text
    else:
        cleaned = re.sub(r"[\s\u00a0]", "", str(text))
        if re.fullmatch(r"-?\d+,\d+", cleaned):
            cleaned = cleaned.replace(",", ".")
        if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", cleaned):
            raise ValueError(text)
        number = float(cleaned)
    if abs(number) > MAX_MAGNITUDE or not math.isfinite(number):
        raise ValueError(text)
    return number


def _guarded(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


def write_csv(header: list[str], rows: list[list[Any]], excel: bool = False) -> str:
    """Plain CSV (comma, UTF-8), or for the Swedish Excel semicolons, CRLF, a BOM and no
    formula-like text."""
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n"
    )
    writer.writerow(header)
    writer.writerows([[_guarded(v) for v in row] for row in rows] if excel else rows)
    return ("\ufeff" if excel else "") + out.getvalue()


def append_table(sheet, header: list[str], rows: list[list[Any]], freeze: str = "A2") -> None:
    """A table on a worksheet: bold header, text kept as text (never run as a formula)."""
    from openpyxl.styles import Font

    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = freeze


def write_xlsx(
    header: list[str],
    rows: list[list[Any]],
    sheet: str = "data",
    about: Sequence[tuple[str, Any]] = (),
) -> bytes:
    """A workbook with one table and an optional 'om' sheet."""
    book = openpyxl.Workbook()
    table = book.active
    table.title = sheet
    append_table(table, header, rows)
    if about:
        info = book.create_sheet("om")
        for pair in about:
            info.append(list(pair))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
