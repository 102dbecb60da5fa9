"""Writing tables: no CSV or XLSX naravard writes holds text a spreadsheet would run as a
formula, numbers stay numbers, and what was written reads back as it was."""

import csv
import io

import openpyxl
import pytest

from naravard.core.tables import (
    FORMULA_START,
    formula_like,
    inert,
    read_table,
    write_csv,
    write_xlsx,
)

# what respondents may type into free text, and what a spreadsheet would make of it
HOSTILE = [
    '=HYPERLINK("http://evil.example","klicka")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "- en punkt i en lista",
    "-",
    "\t=1+1",
]
HARMLESS = ["Region Sörmland", "a=b", "3-5 dagar", "", "–", "'citerat'"]
NUMBERS_AS_TEXT = ["-3.5", "+46", "-1,5", "-2e3", "12"]


def live(cell: str) -> bool:
    """A cell of a written CSV that a spreadsheet would run."""
    return formula_like(cell)


@pytest.mark.parametrize("excel", [False, True])
def test_every_csv_cell_that_looks_like_a_formula_is_inert(excel):
    rows = [[text, -3.5, 42, None, 0.25] for text in HOSTILE + HARMLESS + NUMBERS_AS_TEXT]
    written = write_csv(["text", "tal", "antal", "tom", "andel"], rows, excel=excel)
    table = list(csv.reader(io.StringIO(written.lstrip("\ufeff")), delimiter=";" if excel else ","))
    cells = [cell for row in table for cell in row]
    assert [cell for cell in cells if live(cell)] == []
    body = table[1:]
    for row, text in zip(body, HOSTILE, strict=False):
        assert row[0] == "'" + text
    assert [row[0] for row in body[len(HOSTILE) :]] == HARMLESS + NUMBERS_AS_TEXT
    assert {tuple(row[1:]) for row in body} == {("-3.5", "42", "", "0.25")}  # numbers as numbers


@pytest.mark.parametrize("excel", [False, True])
def test_what_was_written_to_csv_reads_back_as_it_was(excel):
    texts = HOSTILE + HARMLESS + NUMBERS_AS_TEXT
    written = write_csv(["org", "4"], [["0180", t] for t in texts], excel=excel)
    header, rows = read_table("export.csv", written.encode())
    assert header == ["org", "4"]
    assert [r[1] for r in rows] == texts


def test_xlsx_keeps_formula_like_text_as_text_marked_with_a_quote():
    texts = HOSTILE[:-1] + HARMLESS + NUMBERS_AS_TEXT  # (the reader strips a cell's tab)
    data = write_xlsx(
        ["org", "4", "tal"],
        [["0180", t, -3.5] for t in texts],
        about=[("källa", '=HYPERLINK("http://evil.example")'), ("ar", 2021)],
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["data"]
    for row, text in enumerate(texts, start=2):
        cell = sheet.cell(row, 2)
        assert (cell.value or "") == text  # an empty cell reads as None
        assert cell.data_type == "s" or not text
        assert cell.quotePrefix == formula_like(text)
        number = sheet.cell(row, 3)
        assert number.value == -3.5 and number.data_type == "n"
    about = book["om"]
    assert about.cell(1, 2).data_type == "s" and about.cell(1, 2).quotePrefix
    assert about.cell(2, 2).value == 2021
    header, rows = read_table("export.xlsx", data)
    assert [r[1] for r in rows] == texts


def test_the_rule_is_the_one_the_reader_undoes():
    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}
    assert all(inert(t).startswith("'") for t in HOSTILE)
    assert [inert(t) for t in HARMLESS + NUMBERS_AS_TEXT] == HARMLESS + NUMBERS_AS_TEXT
    assert [inert(v) for v in (-3.5, -2, None, True)] == [-3.5, -2, None, True]
