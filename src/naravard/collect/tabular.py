"""Responses as tables: reading CSV/XLSX uploads and writing exports and Excel templates.

Layout: one row per organisation; a column ``org`` (code or any resolvable
name), then one column per item id (grid rows as ``3.sjukskoterska``), a
group's rows as ``ITEM.N.FIELD`` (N = 1, 2, …), and optionally ``ITEM.skal``,
the reason for accepting a soft warning on ITEM. An analyst importing answers
collected earlier may add ``submitted_at`` (or ``inskickad``): the day, or day
and time in Swedish time, each organisation submitted (YYYY-MM-DD [HH:MM]);
without it the answers show as imported on the day of the import.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from naravard.collect import codebook
from naravard.collect.definition import FormDefinition
from naravard.collect.models import STOCKHOLM, Response, ResponseStatus
from naravard.collect.services import ImportRow
from naravard.core.tables import (  # noqa: F401  (write_csv: the export)
    MAX_ROWS,
    ImportRefused,
    RowProblem,
    append_rows,
    append_table,
    open_table,
    write_csv,
)

REASON_SUFFIX = ".skal"
TEMPLATE_GROUP_ROWS = 15
SUBMITTED_COLUMNS = ("submitted_at", "inskickad")


def parse_submitted(text: str) -> dt.datetime | None:
    """A submission time as written in a file (YYYY-MM-DD, optionally with HH:MM[:SS]; Swedish
    time unless an offset is given); None for an empty cell; ValueError if unreadable."""

    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?)?", text
    ):
        raise ValueError(text)
    at = dt.datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=STOCKHOLM)


def parse_rows(
    form: FormDefinition, header: list[str], rows: Iterable[list[str]]
) -> list[ImportRow]:
    """Turn a table into import rows; unknown or duplicate columns refuse the whole file."""
    problems: list[RowProblem] = []
    if "org" not in header:
        problems.append(
            RowProblem(1, "org", _("kolumnen org (organisationens kod eller namn) saknas"))
        )
    seen: set[str] = set()
    columns: list[tuple[int, str, str | None, int | None]] = []  # (index, item, field, group row)
    submitted_index: int | None = None
    for index, name in enumerate(header):
        if not name or name in ("org", "org_name"):
            continue
        if name in seen:
            problems.append(RowProblem(1, name, _("kolumnen finns två gånger")))
            continue
        seen.add(name)
        if name in SUBMITTED_COLUMNS:
            if submitted_index is not None:
                problems.append(
                    RowProblem(
                        1,
                        name,
                        _("inskickningsdatum står redan i kolumnen %(other)s")
                        % {"other": header[submitted_index]},
                    )
                )
            submitted_index = index
            continue
        if name.endswith(REASON_SUFFIX) and form.has_item(name[: -len(REASON_SUFFIX)]):
            columns.append((index, name[: -len(REASON_SUFFIX)], REASON_SUFFIX, None))
            continue
        match = re.fullmatch(r"(.+)\.(\d+)\.([a-z0-9_]+)", name)
        if match and form.has_item(match[1]) and form.item(match[1]).type == "group":
            group = form.item(match[1])
            if match[3] not in {f.id for f in group.fields}:
                problems.append(
                    RowProblem(
                        1,
                        name,
                        _("gruppen %(group)s har inget fält %(field)s")
                        % {"group": group.id, "field": match[3]},
                    )
                )
                continue
            columns.append((index, group.id, match[3], int(match[2])))
            continue
        if not form.has_item(name):
            problems.append(
                RowProblem(
                    1,
                    name,
                    _("formuläret %(form)s har ingen fråga %(name)s")
                    % {"form": form.id, "name": name},
                )
            )
            continue
        if form.item(name).type == "group":
            problems.append(
                RowProblem(1, name, _("skriv gruppens rader som %(name)s.1.FÄLT") % {"name": name})
            )
            continue
        columns.append((index, name, None, None))
    if problems:
        raise ImportRefused(problems)
    org_index = header.index("org")
    present = frozenset(
        item_id for _index, item_id, field_id, _row in columns if field_id != REASON_SUFFIX
    )
    out = []
    for number, row in enumerate(rows, start=2):
        if len(row) > len(header) and any(row[len(header) :]):
            problems.append(RowProblem(number, f"#{len(header) + 1}", _("fler celler än kolumner")))
        answers: dict[str, Any] = {}
        reasons: dict[str, str] = {}
        for index, item_id, field_id, group_row in columns:
            value = row[index] if index < len(row) else ""
            if field_id == REASON_SUFFIX:
                if value:
                    reasons[item_id] = value
            elif group_row is not None:
                group = answers.setdefault(item_id, {})
                group.setdefault(group_row, {})[field_id] = value
            elif value != "":
                answers[item_id] = value
        for item_id, by_row in list(answers.items()):
            if isinstance(by_row, dict):  # rows 1..N in place, so messages name the file's N
                answers[item_id] = [by_row.get(n, {}) for n in range(1, max(by_row) + 1)]
        org = row[org_index] if org_index < len(row) else ""
        if not org:
            problems.append(
                RowProblem(number, "org", _("tom: ange organisationens kod eller namn"))
            )
            continue
        submitted_at = None
        if submitted_index is not None:
            try:
                submitted_at = parse_submitted(
                    row[submitted_index] if submitted_index < len(row) else ""
                )
            except ValueError:
                problems.append(
                    RowProblem(
                        number,
                        header[submitted_index],
                        _("”%(text)s” är inte ett datum ÅÅÅÅ-MM-DD (eller ÅÅÅÅ-MM-DD TT:MM)")
                        % {"text": row[submitted_index]},
                    )
                )
                continue
        out.append(
            ImportRow(number, org, answers, reasons, columns=present, submitted_at=submitted_at)
        )
    if problems:
        raise ImportRefused(problems)
    return out


def read_import(form: FormDefinition, path: Path) -> list[ImportRow]:
    """The rows of a file of responses, read from the disk as they are needed (one row per
    organisation: at most ``MAX_ROWS``, far more than there are organisations)."""
    with open_table(path.name, path, max_rows=MAX_ROWS) as (header, rows):
        return parse_rows(form, header, rows)


# ------------------------------------------------------------------ writing ---


def _group_width(form: FormDefinition, answer_sets: Iterable[dict]) -> dict[str, int]:
    widths = {i.id: 0 for i in form.items if i.type == "group"}
    for answers in answer_sets:
        for gid in widths:
            value = answers.get(gid)
            if isinstance(value, list):
                widths[gid] = max(widths[gid], len(value))
    return widths


def header_for(form: FormDefinition, group_rows: dict[str, int], reasons: bool = True) -> list[str]:
    header = ["org", "org_name"]
    for item in form.items:
        if item.type == "group":
            for n in range(1, group_rows.get(item.id, 0) + 1):
                header += [f"{item.id}.{n}.{f.id}" for f in item.fields]
        else:
            header.append(item.id)
        if reasons and any(c.level == "soft" for c in item.checks):
            header.append(item.id + REASON_SUFFIX)
    return header


def row_for(
    form: FormDefinition,
    header: list[str],
    response: Response,
    answers: dict,
    override_reasons: dict,
) -> list[Any]:
    org = response.organisation
    values: dict[str, Any] = {
        "org": response.org_code,
        "org_name": getattr(org, "full_name", None) or org.name,
        SUBMITTED_COLUMNS[0]: submitted_text(response),
    }
    for item in form.items:
        value = answers.get(item.id)
        if item.type == "group" and isinstance(value, list):
            for n, grow in enumerate(value, start=1):
                for f in item.fields:
                    values[f"{item.id}.{n}.{f.id}"] = grow.get(f.id, "")
        elif value is not None:
            values[item.id] = value
        if override_reasons.get(item.id):
            values[item.id + REASON_SUFFIX] = override_reasons[item.id]
    return [values.get(col, "") for col in header]


def submitted_text(response: Response) -> str:
    """When a submitted response was submitted, in Swedish time as an import reads it
    (YYYY-MM-DD HH:MM); empty when it is not submitted or its file gave no date."""
    if response.status != ResponseStatus.SUBMITTED or response.submitted_at is None:
        return ""
    return timezone.localtime(response.submitted_at, STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def export_rows(
    form: FormDefinition,
    responses: list[Response],
    min_group_rows: int = 0,
    submitted: bool = False,
) -> tuple[list[str], list[list[Any]]]:
    """The header and one row per response. ``submitted``: a last column ``submitted_at`` with
    each submission's time (for analysts: imported again, it keeps the dates; a respondent's
    own file may not give one)."""
    stored = [
        (
            {a.item_id: a.value for a in r.answers.all()},
            {a.item_id: a.override_reason for a in r.answers.all()},
        )
        for r in responses
    ]
    widths = _group_width(form, [s[0] for s in stored])
    widths = {k: max(v, min_group_rows) for k, v in widths.items()}
    header = header_for(form, widths) + ([SUBMITTED_COLUMNS[0]] if submitted else [])
    return header, [
        row_for(form, header, r, answers, reasons)
        for r, (answers, reasons) in zip(responses, stored, strict=True)
    ]


def write_xlsx(
    form: FormDefinition, header: list[str], rows: list[list[Any]], lang: str = "sv"
) -> bytes:
    """A workbook with the answers ('svar'), drop-down lists for coded columns, and the codebook."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "svar"
    append_table(sheet, header, rows, freeze="C2")
    last_row = max(len(rows) + 1, 2)
    for col_index, name in enumerate(header, start=1):
        codes = _codes_for_column(form, name)
        if codes:
            letter = get_column_letter(col_index)
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(codes) + '"',
                allow_blank=True,
                showErrorMessage=True,
                error=f"{name}: {', '.join(codes)}",
            )
            dv.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(dv)
    append_table(
        book.create_sheet("kodbok"),
        ["kolumn", "fråga", "text", "typ", "obligatorisk", "ställs", "koder", "gränser"],
        [
            [
                e.column,
                e.number,
                e.text,
                e.type,
                "ja" if e.required else "nej",
                e.asked_if,
                e.codes,
                e.limits,
            ]
            for e in codebook.entries(form, lang)
        ],
    )
    append_rows(
        book.create_sheet("om"),
        [["formulär", form.id], ["version", form.version], ["titel", form.title[lang]]],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _codes_for_column(form: FormDefinition, column: str) -> list[str]:
    if form.has_item(column):
        return list(form.item(column).codes)
    match = re.fullmatch(r"(.+)\.\d+\.([a-z0-9_]+)", column)
    if match and form.has_item(match[1]) and form.item(match[1]).type == "group":
        try:
            return list(form.item(match[1]).field(match[2]).codes)
        except KeyError:
            return []
    return []
