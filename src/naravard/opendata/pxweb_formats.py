"""The output formats of the PxWeb face's data (``outputFormat`` and ``outputFormatParams``).

Every format is rendered from the JSON-stat 2.0 dataset that ``pxweb.data`` builds, so each
holds the same cells, status and notes:

- ``csv``: PxWeb's table: a header row (the stub variables, then one column per combination
  of the heading variables' values), one row per combination of the stub's values. Numbers
  with a decimal point; a cell without a value holds its status (``..`` suppressed, ``...``
  not published), never 0. Separator ``,`` (``SeparatorTab``, ``SeparatorSpace``,
  ``SeparatorSemicolon``); ``IncludeTitle`` puts the title on the first line.
- ``xlsx``: the same table in a worksheet (numbers as numbers, the status as text), the
  notes and the source below it; ``IncludeTitle`` as for csv.
- ``html``: the same table as an HTML document, the title as its caption (everything
  escaped), the notes and the source below it; ``IncludeTitle`` adds the title as a heading.
- ``px``: a PX file (PC-Axis, AXIS-VERSION 2013, UTF-8) with the values' texts and codes, the
  notes (NOTEX for a mandatory one, VALUENOTEX for a value's) and ``".."``/``"..."`` for a
  cell without a value.
- ``json-px``: PxWeb 1's JSON (``columns``, ``comments``, ``data``, ``metadata``), one column
  per ContentsCode value, the values as strings (the status for a cell without one).
- ``parquet``: one row per cell: a column of codes and one of texts (``<variable>_text``) per
  variable, ``value`` (float, null without a value) and ``status``; title, source and notes
  in the schema's metadata.

``UseCodes``, ``UseTexts`` (the default) and ``UseCodesAndTexts`` say how csv, html and xlsx
name the values. A parameter the spec does not know, one that does not apply to the format,
or two of one group, are a ``FormatError`` (a 400 problem of the caller).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse

from naravard.core.errors import Invalid

JSON_STAT = "json-stat2"
FORMATS = (JSON_STAT, "csv", "xlsx", "px", "json-px", "html", "parquet")
TABLE_FORMATS = frozenset({"csv", "html", "xlsx"})
PARAMS = {  # parameter -> the formats it applies to (the spec's OutputFormatParamType)
    "UseCodes": TABLE_FORMATS,
    "UseTexts": TABLE_FORMATS,
    "UseCodesAndTexts": TABLE_FORMATS,
    "IncludeTitle": TABLE_FORMATS,
    "SeparatorTab": frozenset({"csv"}),
    "SeparatorSpace": frozenset({"csv"}),
    "SeparatorSemicolon": frozenset({"csv"}),
}
EXCLUSIVE = (
    ("UseCodes", "UseTexts", "UseCodesAndTexts"),
    ("SeparatorTab", "SeparatorSpace", "SeparatorSemicolon"),
)
SEPARATORS = {"SeparatorTab": "\t", "SeparatorSpace": " ", "SeparatorSemicolon": ";"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "px": "application/octet-stream",
    "json-px": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "parquet": "application/octet-stream",
}
EXTENSIONS = {
    "csv": "csv",
    "xlsx": "xlsx",
    "px": "px",
    "json-px": "json",
    "html": "html",
    "parquet": "parquet",
}


class FormatError(Invalid):
    """A bad ``outputFormat`` or ``outputFormatParams``; the message says why."""


def output_format(raw: str | None, formats: tuple[str, ...] = FORMATS) -> str:
    """The format asked for (json-stat2 when not given); empty or unknown: FormatError."""
    fmt = JSON_STAT if raw is None else raw.strip().lower()
    if fmt not in formats:
        raise FormatError(f"outputFormat is one of {', '.join(formats)}, not {raw!r}")
    return fmt


def output_params(fmt: str, raw: Iterable[str]) -> tuple[str, ...]:
    """The ``outputFormatParams`` (repeated or comma separated, any case) checked against the
    format: the spec's names, each where it applies, at most one of each group."""
    known = {name.casefold(): name for name in PARAMS}
    params: list[str] = []
    for item in raw:
        for part in item.split(","):
            if not part.strip():
                continue
            name = known.get(part.strip().casefold())
            if name is None:
                raise FormatError(
                    f"outputFormatParams are of {', '.join(PARAMS)}, not {part.strip()!r}"
                )
            if fmt not in PARAMS[name]:
                raise FormatError(
                    f"outputFormatParams {name} applies to {', '.join(sorted(PARAMS[name]))} "
                    f"only, not to {fmt}"
                )
            if name not in params:
                params.append(name)
    for group in EXCLUSIVE:
        if len(set(group) & set(params)) > 1:
            raise FormatError(f"outputFormatParams takes one of {', '.join(group)}")
    return tuple(params)


# --- reading the dataset -----------------------------------------------------------------


class _Data:
    """The dataset's variables, values and cells."""

    def __init__(self, dataset: dict):
        self.dataset = dataset
        self.ids: list[str] = list(dataset["id"])
        dims = dataset["dimension"]
        self.labels = {code: dims[code].get("label", code) for code in self.ids}
        self.codes: dict[str, list[str]] = {}
        self.texts: dict[str, dict[str, str]] = {}
        for code in self.ids:
            index = dims[code]["category"]["index"]
            codes = list(index) if isinstance(index, list) else sorted(index, key=index.get)
            self.codes[code] = codes
            self.texts[code] = {c: dims[code]["category"].get("label", {}).get(c, c) for c in codes}
        px = dataset.get("extension", {}).get("px", {})
        self.px = px
        self.stub = [v for v in px.get("stub", []) if v in self.ids] or self.ids[:-1]
        self.heading = [v for v in self.ids if v not in self.stub]
        self.values = dataset.get("value", [])
        self.status = dataset.get("status", {}) or {}
        self.time = (dataset.get("role", {}).get("time") or [None])[0]
        self.metric = (dataset.get("role", {}).get("metric") or [None])[0]
        extension = dataset.get("extension", {})
        mandatory = extension.get("noteMandatory", {})
        self.notes = [
            (text, bool(mandatory.get(str(i)))) for i, text in enumerate(dataset.get("note", []))
        ]
        self.value_notes = []  # (variable, code, text, mandatory)
        for code in self.ids:
            category, ext = dims[code]["category"], dims[code].get("extension", {})
            for value, texts in (category.get("note") or {}).items():
                flag = bool((ext.get("categoryNoteMandatory") or {}).get(value))
                self.value_notes += [(code, value, text, flag) for text in texts]

    @property
    def title(self) -> str:
        return str(self.dataset.get("label", ""))

    def position(self, cell: dict[str, str]) -> int:
        position = 0
        for code in self.ids:
            position = position * len(self.codes[code]) + self.codes[code].index(cell[code])
        return position

    def cell(self, position: int) -> tuple[Any, str | None]:
        """The value (None without one) and the status of a cell."""
        return self.values[position], self.status.get(str(position))

    def name(self, variable: str, code: str, params: tuple[str, ...]) -> str:
        text = self.texts[variable][code]
        if "UseCodes" in params:
            return code
        if "UseCodesAndTexts" in params:
            return f"{code} {text}"
        return text

    def variable_name(self, variable: str, params: tuple[str, ...]) -> str:
        return variable if "UseCodes" in params else self.labels[variable]

    def rows(self, params: tuple[str, ...]) -> Iterator[tuple[list[str], list[Any]]]:
        """The table: the stub's names and the row's cells (value, or the status, or None)."""
        width = math.prod(len(self.codes[v]) for v in self.heading)
        for row, combo in enumerate(itertools.product(*(self.codes[v] for v in self.stub))):
            names = [self.name(v, c, params) for v, c in zip(self.stub, combo, strict=True)]
            cells = []
            for position in range(row * width, (row + 1) * width):
                value, status = self.cell(position)
                cells.append(value if value is not None else status)
            yield names, cells

    def header(self, params: tuple[str, ...]) -> list[str]:
        columns = [
            " ".join(self.name(v, c, params) for v, c in zip(self.heading, combo, strict=True))
            for combo in itertools.product(*(self.codes[v] for v in self.heading))
        ]
        return [self.variable_name(v, params) for v in self.stub] + columns

    def footer(self) -> list[str]:
        lines = [text for text, _ in self.notes]
        lines += [f"{self.texts[v][c]}: {text}" for v, c, text, _ in self.value_notes]
        if self.dataset.get("source"):
            lines.append(str(self.dataset["source"]))
        return lines


def _number(value: Any) -> str:
    """A value as text: a decimal point, no exponent, the status for a cell without one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = repr(value)
    return format(value, "f") if "e" in text else text


# --- the formats -------------------------------------------------------------------------


def _csv(data: _Data, params: tuple[str, ...]) -> bytes:
    out = io.StringIO()
    separator = next((SEPARATORS[p] for p in params if p in SEPARATORS), ",")
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    if "IncludeTitle" in params:
        writer.writerow([data.title])
    writer.writerow(data.header(params))
    for names, cells in data.rows(params):
        writer.writerow(names + [_number(c) for c in cells])
    return out.getvalue().encode("utf-8")


def _xlsx(data: _Data, params: tuple[str, ...]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(data.px.get("matrix") or "data")[:31]
    if "IncludeTitle" in params:
        sheet.append([data.title])
    sheet.append(data.header(params))
    for names, cells in data.rows(params):
        sheet.append(names + [c for c in cells])
    footer = data.footer()
    if footer:
        sheet.append([])
        for line in footer:
            sheet.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _html(data: _Data, params: tuple[str, ...]) -> bytes:
    e = html.escape
    lang = e(str(data.px.get("language", "")))
    parts = [
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(data.title)}</title>\n</head>\n<body>\n"
    ]
    if "IncludeTitle" in params:
        parts.append(f"<h1>{e(data.title)}</h1>\n")
    parts.append(f"<table>\n<caption>{e(data.title)}</caption>\n<thead>\n<tr>")
    header = data.header(params)
    parts += [f'<th scope="col">{e(h)}</th>' for h in header]
    parts.append("</tr>\n</thead>\n<tbody>\n")
    for names, cells in data.rows(params):
        parts.append("<tr>")
        parts += [f'<th scope="row">{e(n)}</th>' for n in names]
        parts += [f"<td>{e(_number(c))}</td>" for c in cells]
        parts.append("</tr>\n")
    parts.append("</tbody>\n</table>\n")
    parts += [f"<p>{e(line)}</p>\n" for line in data.footer()]
    parts.append("</body>\n</html>\n")
    return "".join(parts).encode("utf-8")


def _px_text(text: Any) -> str:
    return '"' + str(text).replace('"', "'").replace("\r", " ").replace("\n", " ") + '"'


def _px_list(items: Iterable[Any]) -> str:
    """A PX list of strings, a line break after a comma when a line grows long."""
    lines, line = [], ""
    for item in items:
        text = _px_text(item)
        if line and len(line) + len(text) > 200:
            lines.append(line)
            line = ""
        line += ("," if line else "") + text
    lines.append(line)
    return ",\n".join(lines)


PX_STORED_DECIMALS = 15  # the most a PX file's DECIMALS allows


def _px(data: _Data) -> bytes:
    px, lang = data.px, str(data.px.get("language", ""))
    units = ""
    if data.metric:
        unit = data.dataset["dimension"][data.metric]["category"].get("unit", {})
        units = next((str(u.get("base", "")) for u in unit.values()), "")
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%d %H:%M")
    keywords = [
        ("CHARSET", _px_text("ANSI")),
        ("AXIS-VERSION", _px_text("2013")),
        ("CODEPAGE", _px_text("utf-8")),
        ("LANGUAGE", _px_text(lang)),
        ("CREATION-DATE", _px_text(now)),
        # the cells keep their precision (up to PX's 15 decimals); readers show the unit's
        ("DECIMALS", str(PX_STORED_DECIMALS)),
        ("SHOWDECIMALS", str(min(6, int(px.get("decimals", 0) or 0)))),
        ("MATRIX", _px_text(px.get("matrix", px.get("tableid", "")))),
        ("SUBJECT-CODE", _px_text(px.get("subject-code", ""))),
        ("SUBJECT-AREA", _px_text(px.get("subject-area", ""))),
        ("DESCRIPTION", _px_text(px.get("description", data.title))),
        ("TITLE", _px_text(data.title)),
        ("CONTENTS", _px_text(px.get("contents", data.title))),
        ("UNITS", _px_text(units)),
        ("STUB", _px_list(data.labels[v] for v in data.stub)),
        ("HEADING", _px_list(data.labels[v] for v in data.heading)),
    ]
    for v in data.ids:
        keywords.append((f"VALUES({_px_text(data.labels[v])})", _px_list(data.texts[v].values())))
    for v in data.ids:
        keywords.append((f"CODES({_px_text(data.labels[v])})", _px_list(data.codes[v])))
    if data.dataset.get("updated"):
        updated = str(data.dataset["updated"])
        stamp = re.sub(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d).*", r"\1\2\3 \4", updated)
        keywords.append(("LAST-UPDATED", _px_text(stamp)))
    if data.dataset.get("source"):
        keywords.append(("SOURCE", _px_text(data.dataset["source"])))
    for text, mandatory in data.notes:
        keywords.append(("NOTEX" if mandatory else "NOTE", _px_text(text)))
    for v, code, text, mandatory in data.value_notes:
        keyword = "VALUENOTEX" if mandatory else "VALUENOTE"
        ref = f"{_px_text(data.labels[v])},{_px_text(data.texts[v][code])}"
        keywords.append((f"{keyword}({ref})", _px_text(text)))
    lines = [f"{keyword}={value};" for keyword, value in keywords]
    lines.append("DATA=")
    for _, cells in data.rows(()):
        lines.append(
            " ".join(
                _px_text(c)
                if isinstance(c, str)
                else _number(round(c, PX_STORED_DECIMALS) if isinstance(c, float) else c)
                for c in cells
            )
        )
    lines.append(";")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _json_px(data: _Data) -> bytes:
    keys = [v for v in data.ids if v != data.metric]
    contents = data.codes[data.metric] if data.metric in data.ids else [None]
    columns = [
        {"code": v, "text": data.labels[v], "type": "t" if v == data.time else "d"} for v in keys
    ]
    for code in contents:
        if code is not None:
            columns.append({"code": code, "text": data.texts[data.metric][code], "type": "c"})
    rows = []
    for combo in itertools.product(*(data.codes[v] for v in keys)):
        cell = dict(zip(keys, combo, strict=True))
        values = []
        for code in contents:
            if code is not None:
                cell[data.metric] = code
            value, status = data.cell(data.position(cell))
            values.append(_number(value) if value is not None else (status or ".."))
        rows.append({"key": list(combo), "values": values})
    comments = [
        {"variable": v, "value": code, "comment": text} for v, code, text, _ in data.value_notes
    ]
    comments += [{"comment": text} for text, _ in data.notes]
    body = {
        "columns": columns,
        "comments": comments,
        "data": rows,
        "metadata": [
            {
                "infofile": str(data.px.get("tableid", "")),
                "updated": data.dataset.get("updated"),
                "label": data.title,
                "source": data.dataset.get("source", ""),
            }
        ],
    }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _parquet(data: _Data) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns: dict[str, list[Any]] = {}
    for v in data.ids:
        columns[v], columns[f"{v}_text"] = [], []
    columns["value"], columns["status"] = [], []
    for position, combo in enumerate(itertools.product(*(data.codes[v] for v in data.ids))):
        for v, code in zip(data.ids, combo, strict=True):
            columns[v].append(code)
            columns[f"{v}_text"].append(data.texts[v][code])
        value, status = data.cell(position)
        columns["value"].append(None if value is None else float(value))
        columns["status"].append(status)
    fields = [pa.field(name, pa.string()) for name in columns if name != "value"]
    fields.insert(len(fields) - 1, pa.field("value", pa.float64()))
    metadata = {
        "title": data.title,
        "source": str(data.dataset.get("source", "")),
        "notes": json.dumps([text for text, _ in data.notes], ensure_ascii=False),
        "value_notes": json.dumps(
            [{"variable": v, "value": c, "note": t} for v, c, t, _ in data.value_notes],
            ensure_ascii=False,
        ),
    }
    schema = pa.schema(fields, metadata=metadata)
    table = pa.table({f.name: columns[f.name] for f in fields}, schema=schema)
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def render(dataset: dict, fmt: str, params: tuple[str, ...] = ()) -> HttpResponse:
    """The dataset in the format (not json-stat2), a download named after its table."""
    data = _Data(dataset)
    if fmt == "csv":
        body = _csv(data, params)
    elif fmt == "xlsx":
        body = _xlsx(data, params)
    elif fmt == "html":
        body = _html(data, params)
    elif fmt == "px":
        body = _px(data)
    elif fmt == "json-px":
        body = _json_px(data)
    elif fmt == "parquet":
        body = _parquet(data)
    else:
        raise FormatError(f"no renderer for {fmt!r}")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", str(data.px.get("tableid") or "data"))
    disposition = "inline" if fmt in ("html", "json-px") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{EXTENSIONS[fmt]}"'
    return response
