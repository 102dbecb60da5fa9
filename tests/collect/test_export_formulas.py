"""Respondents' free text that a spreadsheet would run as a formula is inert in every export of
a round (the analyst's plain CSV, the CSV for Excel, XLSX, the command line's CSV), and an
exported file imported again gives the answers as they were typed."""

import csv
import io

import openpyxl
import pytest

from naravard.collect import services, tabular
from naravard.collect.models import ResponseStatus
from naravard.core.tables import formula_like, read_table

pytestmark = pytest.mark.django_db

TYPED = [
    '=HYPERLINK("http://evil.example","klicka")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "- mobila team i alla kommuner",
]


@pytest.fixture
def typed(survey_round):
    """Five municipalities whose free text (question 4) looks like a formula: org -> text."""
    responses = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).order_by(
        "municipality_id"
    )[: len(TYPED)]
    answers = {r.org_code: text for r, text in zip(responses, TYPED, strict=True)}
    lines = "".join(
        f'{org},"{text.replace(chr(34), chr(34) * 2)}"\n' for org, text in answers.items()
    )
    header, rows = read_table("svar.csv", f"org,4\n{lines}".encode())
    services.import_rows(survey_round, tabular.parse_rows(survey_round.form, header, rows))
    return answers


def csv_cells(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def assert_inert_and_reads_back(survey_round, typed, data: bytes, name: str):
    """No cell of the file is live; imported again, question 4 is what was typed."""
    header, rows = read_table(name, data)
    again = {r.org: r.answers.get("4") for r in tabular.parse_rows(survey_round.form, header, rows)}
    assert {org: again[org] for org in typed} == typed


@pytest.mark.parametrize("excel", ["", "1"])
def test_the_analysts_csv_exports_hold_no_live_formula(
    survey_round, typed, client, make_user, excel
):
    client.force_login(make_user("ana", "analyst"))
    answer = client.get(f"/insamling/omgang/{survey_round.pk}/export.csv", {"excel": excel})
    assert answer.status_code == 200
    cells = csv_cells(answer.content.decode(), ";" if excel else ",")
    assert [c for row in cells for c in row if formula_like(c)] == []
    column = cells[0].index("4")
    shown = {row[0]: row[column] for row in cells[1:] if row[0] in typed}
    assert shown == {org: "'" + text for org, text in typed.items()}
    assert_inert_and_reads_back(survey_round, typed, answer.content, "export.csv")


def test_the_analysts_xlsx_export_keeps_formulas_as_text(survey_round, typed, client, make_user):
    client.force_login(make_user("ana", "analyst"))
    answer = client.get(f"/insamling/omgang/{survey_round.pk}/export.xlsx")
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    sheet = book["svar"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        org, cell = row[0].value, row[header.index("4")]
        if org in typed:
            assert cell.value == typed[org] and cell.data_type == "s" and cell.quotePrefix
    assert_inert_and_reads_back(survey_round, typed, answer.content, "export.xlsx")


def test_the_command_lines_csv_export_holds_no_live_formula(survey_round, typed, cli):
    out = cli("responses", "export", "--form", "kommunenkat-2019", "--format", "csv")
    assert out.returncode == 0, out.stderr
    cells = csv_cells(out.stdout)
    assert [c for row in cells for c in row if formula_like(c)] == []
    assert_inert_and_reads_back(survey_round, typed, out.stdout.encode(), "export.csv")
