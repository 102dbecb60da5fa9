"""Tables in and out: reading uploaded CSV or XLSX safely (size, width and length limits, clear
errors), and writing CSV and XLSX downloads that a spreadsheet opens without surprises."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell

from naravard.core.errors import Invalid
from naravard.core.text import clean_text

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # its media type
MAX_COLUMNS = 2000
MAX_ROWS = 5000  # rows of an upload (read_table); open_table takes a limit of its own
MAX_LINE_CHARS = 4 * 1024 * 1024  # a longer line of a CSV file is not a table's row
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
    """A file refused whole, nothing stored: ``problems`` names each row, column and reason
    (the first ones, when ``count``, the number found in all, is larger). An indicator import
    also gives its ``plan``, what would have happened to the rows."""

    def __init__(self, problems: list[RowProblem], plan: Any = None, count: int | None = None):
        self.count = len(problems) if count is None else count
        super().__init__(f"{self.count} problem(s); nothing was stored")
        self.problems = problems
        self.plan = plan


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = clean_text(str(value)).strip()
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


@contextmanager
def open_table(
    name: str, source: bytes | str | Path | BinaryIO, *, max_rows: int | None = MAX_ROWS
) -> Iterator[tuple[list[str], Iterator[list[str]]]]:
    """Header and rows of a CSV (comma, semicolon or tab; UTF-8) or XLSX file, read as they are
    needed: memory stays the same for a file of any length. ``source`` is the file's bytes, its
    path or an open binary file. The rows come without blank ones, every cell as text
    (``_cell``); reading them raises ``TableError`` at the first row that cannot be read, and
    after ``max_rows`` rows (None: no limit)."""
    with _binary(source) as stream:
        start = stream.read(2)
        stream.seek(0)
        if name.lower().endswith(".xlsx") or start == b"PK":
            with _xlsx_rows(name, stream) as raw:
                yield _header_and_rows(name, raw, max_rows)
        else:
            raw = _csv_rows(name, stream)
            try:
                yield _header_and_rows(name, raw, max_rows)
            finally:
                raw.close()


def read_table(name: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of an uploaded CSV or XLSX file, at most ``MAX_UPLOAD_BYTES`` and
    ``MAX_ROWS`` rows (``open_table`` reads a file of any length)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(
            _("%(name)s: filen är större än %(mb)d MB.")
            % {"name": name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    with open_table(name, data) as (header, rows):
        return header, list(rows)


def _binary(source: bytes | str | Path | BinaryIO) -> AbstractContextManager[BinaryIO]:
    if isinstance(source, (bytes, bytearray)):
        return nullcontext(io.BytesIO(source))
    if isinstance(source, (str, Path)):
        return open(source, "rb")  # closed by the caller's with
    return nullcontext(source)


def _header_and_rows(
    name: str, raw: Iterator[list[str]], max_rows: int | None
) -> tuple[list[str], Iterator[list[str]]]:
    """The first row is the header (``raw`` leaves blank rows out); the rows after it."""
    header = next(raw, None)
    if header is None:
        raise TableError(_("%(name)s: raden med kolumnnamn saknas.") % {"name": name})
    header = [h.strip() for h in header]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise TableError(_("%(name)s: fler än %(n)d kolumner.") % {"name": name, "n": MAX_COLUMNS})

    def rows(limit: int) -> Iterator[list[str]]:
        for count, row in enumerate(raw, start=1):
            if count > limit:
                raise TableError(_("%(name)s: fler än %(n)d rader.") % {"name": name, "n": limit})
            yield row

    return header, raw if max_rows is None else rows(max_rows)


@contextmanager
def _xlsx_rows(name: str, stream: BinaryIO) -> Iterator[Iterator[list[str]]]:
    """The rows of the sheet 'svar' (or the first sheet), read from the file as they come,
    blank ones left out."""
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        sheet = book["svar"] if "svar" in book.sheetnames else book.worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise TableError(
            _("%(name)s: kan inte läsas som en Excelfil (XLSX).") % {"name": name}
        ) from exc

    def rows() -> Iterator[list[str]]:
        read = 0
        try:
            for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1):
                read += 1
                cells = [_cell(_shown(c)) for c in row]
                if any(cells):
                    yield cells
        except Exception as exc:  # a sheet broken part way (a damaged zip, bad XML)
            raise TableError(
                _("%(name)s: kan inte läsas som en Excelfil (XLSX) från rad %(line)d.")
                % {"name": name, "line": read + 1}
            ) from exc

    try:
        yield rows()
    finally:
        book.close()


def _csv_rows(name: str, stream: BinaryIO) -> Generator[list[str], None, None]:
    """The rows of a UTF-8 CSV file, line by line, blank ones left out; the delimiter is the one
    the first line uses most (semicolon, comma or tab)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    seen_text = False  # anything but white space, anywhere: a file without is empty

    def lines() -> Iterator[str]:
        nonlocal seen_text
        for number, line in enumerate(iter(partial(text.readline, MAX_LINE_CHARS + 1), ""), 1):
            if len(line) > MAX_LINE_CHARS:
                raise TableError(
                    _("%(name)s: rad %(line)d är längre än %(n)d tecken; är filen en tabell?")
                    % {"name": name, "line": number, "n": MAX_LINE_CHARS}
                )
            seen_text = seen_text or not line.isspace()
            yield line

    read = 0
    try:
        source = lines()
        first = next(source, "")
        delimiter = max(";,\t", key=first.count)
        for row in csv.reader(itertools.chain([first], source), delimiter=delimiter):
            read += 1
            joined = "".join(row)
            if joined.isprintable() and "'" not in joined:  # the usual row: only to strip
                if not joined.isspace() and joined:
                    yield [c.strip() for c in row]
            else:
                cells = [_cell(c) for c in row]
                if any(cells):
                    yield cells
    except UnicodeDecodeError as exc:
        raise TableError(
            _(
                "%(name)s: texten är inte UTF-8 (byte %(at)d). Spara filen som "
                "”CSV UTF-8” och försök igen."
            )
            % {"name": name, "at": _first_bad_byte(stream)}
        ) from exc
    except csv.Error as exc:
        raise TableError(
            _(
                "%(name)s: kan inte läsas som CSV från rad %(line)d (ett fält är för "
                "långt eller ett citattecken saknar sin like)."
            )
            % {"name": name, "line": read + 1}
        ) from exc
    finally:
        if not text.closed:
            text.detach()  # the stream is the caller's to close
    if not seen_text:
        raise TableError(_("%(name)s: filen är tom.") % {"name": name})


def _first_bad_byte(stream: BinaryIO) -> int:
    """Where in the file the first byte that is not UTF-8 is (read again, when it is known that
    there is one)."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    at = 0
    while chunk := stream.read(1 << 20):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            return max(0, at + exc.start - len(decoder.getstate()[0]))
        at += len(chunk)
    return at


MAX_MAGNITUDE = 1e15  # larger numbers are typing errors (a million billion)
_DECIMAL = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")  # a number as float() reads it, after cleaning


def parse_number(text: Any) -> float:
    """A number as people write it: '1 500 000', '12,5', '12.5'; ValueError otherwise.

    Refuses nan, infinities and magnitudes above MAX_MAGNITUDE.
    """
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, (int, float)):
        number = text
    elif isinstance(text, str) and _DECIMAL.fullmatch(text):  # the usual cell, quickly
        number = float(text)
    else:
        cleaned = re.sub(r"[\s\u00a0]", "", str(text))
        if re.fullmatch(r"-?\d+,\d+", cleaned):
            cleaned = cleaned.replace(",", ".")
        if not _DECIMAL.fullmatch(cleaned):
            raise ValueError(text)
        number = float(cleaned)
    if abs(number) > MAX_MAGNITUDE or not math.isfinite(number):
        raise ValueError(text)
    return number


# Text that is a plain number ('-3.5', '+46', '-1,5'): a spreadsheet reads the number, never a
# formula, so it is written as it is.
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would run this text as a formula: it begins with = + - @, a tab or a
    carriage return (OWASP's rule for CSV injection) and is not a plain number."""
    return text[:1] in FORMULA_START and not _PLAIN_NUMBER.fullmatch(text)


def inert(value: Any) -> Any:
    """A cell as every CSV naravard writes holds it: text a spreadsheet would run as a formula
    gets a leading apostrophe (``read_table`` takes it off again); numbers, empty cells and other
    text stay as they are."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def write_csv(header: list[str], rows: list[list[Any]], excel: bool = False) -> str:
    """Plain CSV (comma, UTF-8), or for the Swedish Excel semicolons, CRLF and a BOM; in both,
    every cell passes ``inert``, so no formula-like text is ever live."""
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n"
    )
    writer.writerow([inert(v) for v in header])
    writer.writerows([inert(v) for v in row] for row in rows)
    return ("\ufeff" if excel else "") + out.getvalue()


def _sheet_cell(sheet, value: Any) -> Cell:
    cell = Cell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would make text beginning with = a formula
        if formula_like(value):
            cell.quotePrefix = True
    return cell


def append_rows(sheet, rows: Iterable[Sequence[Any]]) -> list[Cell]:
    """Rows onto a worksheet, every text kept as text (never run as a formula), and text that
    looks like a formula marked as typed with a leading apostrophe (Excel's quotePrefix), so
    that editing the cell does not run it either. Every sheet naravard writes is filled here.
    Returns the cells of the last row."""
    cells: list[Cell] = []
    for row in rows:
        cells = [_sheet_cell(sheet, value) for value in row]
        sheet.append(cells)
    return cells


def append_table(sheet, header: list[str], rows: list[list[Any]], freeze: str = "A2") -> None:
    """A table on a worksheet: bold header, text kept as text (``append_rows``)."""
    from openpyxl.styles import Font

    for cell in append_rows(sheet, [header]):
        cell.font = Font(bold=True)
    append_rows(sheet, rows)
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
        append_rows(book.create_sheet("om"), about)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
