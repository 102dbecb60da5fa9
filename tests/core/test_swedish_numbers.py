"""Numbers as people in Sweden type them: a decimal comma and spaces (also no-break and thin
spaces) between thousands, in every numeric input; a refused number is reported in Swedish at
its field, row or column, with what was typed kept."""

import datetime as dt
import hashlib
import json
import re

import pytest
from django import forms
from django.utils import timezone, translation

from naravard.collect import services
from naravard.collect.definition import load_text
from naravard.collect.models import Response, Round
from naravard.collect.validation import DRAFT, SUBMIT, validate
from naravard.core.fields import NumberField
from naravard.core.tables import parse_number

SPACES = {
    "space": " ",
    "no-break space": "\u00a0",
    "thin space": "\u2009",
    "narrow no-break space": "\u202f",
}

# A small form with a decimal number, for what the shipped forms (kronor, years) do not ask.
NUMBERS_FORM = """
id: tal-test
version: 1
audience: regions
title: {sv: Tal, en: Numbers}
sections:
  - id: tal
    title: {sv: Tal, en: Numbers}
    questions:
      - id: andel
        number: "1"
        type: number
        min: 0
        text: {sv: Andel av invånarna med fast läkarkontakt (procent), en: Share with a named doctor (percent)}
      - id: belopp
        number: "2"
        type: money
        text: {sv: Kostnad (kronor), en: Cost (SEK)}
"""


def _strip(text: str) -> str:
    return re.sub(r"[\u00a0\u2009\u202f]", " ", text)


# ------------------------------------------------------------------ parse_number ---


@pytest.mark.parametrize("space", SPACES.values(), ids=SPACES.keys())
def test_thousands_may_be_separated_by_any_space(space):
    assert parse_number(f"1{space}234,5") == 1234.5
    assert parse_number(f"1{space}500{space}000") == 1_500_000


@pytest.mark.parametrize(
    "text, number", [("31,4", 31.4), ("31.4", 31.4), ("-2,5", -2.5), (" 12 ", 12), ("0,05", 0.05)]
)
def test_decimal_comma_or_point(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["12,3,4", "abc", "1 234,5 kr", "", ",", "1.234,5", "nan"])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


# ------------------------------------------------------------------ form field ---


class _Form(forms.Form):
    value = NumberField(label="Värde", min_value=0)
    whole = NumberField(label="Antal", whole=True, required=False)


@pytest.mark.parametrize(
    "typed, number", [("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("31,4", 31.4)]
)
def test_number_field_reads_swedish_numbers(typed, number):
    form = _Form({"value": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == number


@pytest.mark.parametrize("typed", ["12,3,4", "abc"])
def test_number_field_says_why_in_swedish_and_keeps_the_input(typed):
    with translation.override("sv"):
        form = _Form({"value": typed, "whole": "2,5"})
        assert not form.is_valid()
        assert form.errors["value"] == ["Skriv ett tal, till exempel 31,4 eller 1 234."]
        assert form.errors["whole"] == ["Skriv ett heltal, utan decimaler."]
        html = str(form["value"])
    assert f'value="{typed}"' in html and 'inputmode="decimal"' in html


def test_number_field_speaks_english_on_english_pages():
    with translation.override("en"):
        form = _Form({"value": "12,3,4", "whole": "2.5"})
        assert not form.is_valid()
        assert form.errors["value"] == ["Write a number, for example 31.4 or 1234."]
        assert form.errors["whole"] == ["Write a whole number, without decimals."]


def test_number_field_limits_are_written_as_swedish_numbers():
    with translation.override("sv"):
        form = _Form({"value": "-1 000,5"})
        assert not form.is_valid()
        assert form.errors["value"] == ["Talet får inte vara mindre än 0."]


# ------------------------------------------------------------------ form definitions ---


def test_validation_reads_swedish_numbers_for_every_numeric_type():
    form = load_text(NUMBERS_FORM)
    for space in SPACES.values():
        result = validate(
            form, {"andel": f"1{space}234,5", "belopp": f"1{space}500{space}000"}, SUBMIT
        )
        assert result.ok, result.errors
        assert result.clean == {"andel": 1234.5, "belopp": 1_500_000}
    assert validate(form, {"andel": "31,4"}, SUBMIT).clean["andel"] == 31.4


@pytest.mark.parametrize("typed", ["12,3,4", "abc"])
def test_validation_names_the_question_and_says_why_in_swedish(typed):
    form = load_text(NUMBERS_FORM)
    with translation.override("sv"):
        result = validate(form, {"andel": typed}, DRAFT)
    [problem] = result.errors
    assert problem.shown == "Fråga 1, Andel av invånarna med fast läkarkontakt (procent)"
    assert problem.message == f"”{typed}” är inte ett tal; skriv till exempel 1 234,5"


def test_a_limit_is_written_as_a_swedish_number():
    form = load_text(NUMBERS_FORM)
    with translation.override("sv"):
        result = validate(form, {"andel": "-1 234,5"}, DRAFT)
    assert _strip(result.errors[0].message) == "-1 234,5 är mindre än 0"


# ------------------------------------------------------------------ the web form ---


@pytest.fixture
def numbers_round(db):
    form = load_text(NUMBERS_FORM)
    rnd = Round.objects.create(
        form_id=form.id,
        form_version=form.version,
        form_sha256=hashlib.sha256(NUMBERS_FORM.encode()).hexdigest(),
        form_source=NUMBERS_FORM,
        title="Tal",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    Response.objects.create(round=rnd, region_id="04")
    return rnd


@pytest.fixture
def coordinator(client, make_user):
    client.force_login(make_user("sam", "region_coordinator", "04"))
    return client


def _form_url(rnd, code="04"):
    return f"/insamling/omgang/{rnd.pk}/svar/{code}/"


@pytest.mark.parametrize("space", SPACES.values(), ids=SPACES.keys())
def test_web_form_saves_a_swedish_number(numbers_round, coordinator, space):
    response = numbers_round.responses.get()
    page = coordinator.post(
        _form_url(numbers_round),
        {
            "andel": f"1{space}234,5",
            "belopp": f"2{space}000{space}000",
            "version": response.version,
            "atgard": "spara",
        },
    )
    assert page.status_code == 302
    assert services.stored_answers(response) == {"andel": 1234.5, "belopp": 2_000_000}
    shown = coordinator.get(_form_url(numbers_round)).content.decode()
    assert re.search(r'name="andel"[^>]*value="1\u00a0234,5"', shown)  # shown as typed


@pytest.mark.parametrize("typed", ["12,3,4", "abc"])
def test_web_form_refuses_a_bad_number_at_its_field_and_keeps_it(numbers_round, coordinator, typed):
    response = numbers_round.responses.get()
    page = coordinator.post(
        _form_url(numbers_round),
        {"andel": typed, "belopp": "1 000", "version": response.version, "atgard": "skicka"},
    )
    assert page.status_code == 400
    html = page.content.decode()
    message = f"”{typed}” är inte ett tal; skriv till exempel 1 234,5"
    assert re.search(r'<p class="error" id="q-andel-err">' + re.escape(message), html)
    assert ("Fråga 1, Andel av invånarna med fast läkarkontakt (procent)</a>: " + message) in html
    assert re.search(r'name="andel"[^>]*value="' + re.escape(typed) + '"', html)


# ------------------------------------------------------------------ the status report ---

STATUS = {
    "beslut.strategi": "ja",
    "beslut.ar": "2019",
    "beslut.beskrivning": "Strategi antagen.",
    "organisation.samordnare": "ja",
    "organisation.beskrivning": "Ett programkontor.",
    "forandringar.beskrivning": "Mobila team i tre kommuner.",
}


def test_status_report_kronor_with_spaces_from_the_web_form(status_round, coordinator):
    response = status_round.responses.get(region_id="04")
    page = coordinator.post(
        _form_url(status_round),
        {
            **STATUS,
            "medel.erhallna": "5\u00a0000\u00a0000",
            "medel.anvanda": "4 000 000",
            "insatser.1.omrade": "omstallning",
            "insatser.1.beskrivning": "Mobilt team",
            "insatser.1.skede": "pilot",
            "insatser.1.startar": "2019",
            "insatser.1.kostnad": "800\u2009000",
            "version": response.version,
            "atgard": "skicka",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    stored = services.stored_answers(response)
    assert stored["medel.erhallna"] == 5_000_000 and stored["medel.anvanda"] == 4_000_000
    assert stored["insatser"][0]["kostnad"] == 800_000


def test_api_takes_numbers_sent_as_swedish_text(client, status_round, make_user):
    client.force_login(make_user("sys04", "region_coordinator", "04"))
    base = f"/api/collect/rounds/{status_round.pk}/responses/04"
    saved = client.put(
        base,
        json.dumps(
            {
                "version": 0,
                "answers": {"medel.erhallna": "1\u00a0234\u00a0567", "medel.anvanda": "1 000 000"},
            }
        ),
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["answers"]["medel.erhallna"] == 1_234_567
    bad = client.put(
        base,
        json.dumps({"version": 1, "answers": {"medel.erhallna": "12,3,4"}}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    [problem] = bad.json()["problems"]
    assert problem["question"] == "medel.erhallna"  # for programs
    assert problem["label"].startswith("Fråga 4a, Statliga medel som regionen fått")  # for people
    assert problem["message"] == "”12,3,4” är inte ett tal; skriv till exempel 1 234,5"


# ------------------------------------------------------------------ files ---


def _upload(client, rnd, code, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/insamling/omgang/{rnd.pk}/svar/{code}/ladda-upp/",
        {"fil": SimpleUploadedFile(name, data)},
    )


def _status_csv(received: str, used: str) -> bytes:
    header = [
        "org",
        *STATUS,
        "medel.erhallna",
        "medel.anvanda",
        "insatser.1.omrade",
        "insatser.1.beskrivning",
        "insatser.1.skede",
        "insatser.1.kostnad",
    ]
    row = ["04", *STATUS.values(), received, used, "omstallning", "Mobilt team", "pilot", "12 500"]
    return ("\ufeff" + ";".join(header) + "\r\n" + ";".join(row) + "\r\n").encode()


def test_csv_upload_reads_swedish_numbers(status_round, coordinator):
    page = _upload(
        coordinator, status_round, "04", "svar.csv", _status_csv("1\u00a0500\u00a0000", "1 200 000")
    )
    assert page.status_code == 302
    stored = services.stored_answers(status_round.responses.get(region_id="04"))
    assert stored["medel.erhallna"] == 1_500_000 and stored["medel.anvanda"] == 1_200_000
    assert stored["insatser"][0]["kostnad"] == 12_500


def test_xlsx_upload_reads_numbers_typed_as_text(status_round, coordinator):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "svar"
    sheet.append(
        [
            "org",
            *STATUS,
            "medel.erhallna",
            "medel.anvanda",
            "insatser.1.omrade",
            "insatser.1.beskrivning",
            "insatser.1.skede",
        ]
    )
    sheet.append(["04", *STATUS.values(), "2 500 000", 2_000_000, "omstallning", "Team", "pilot"])
    out = io.BytesIO()
    book.save(out)
    page = _upload(coordinator, status_round, "04", "svar.xlsx", out.getvalue())
    assert page.status_code == 302
    stored = services.stored_answers(status_round.responses.get(region_id="04"))
    assert stored["medel.erhallna"] == 2_500_000 and stored["medel.anvanda"] == 2_000_000


def test_a_bad_number_in_a_file_is_named_by_row_column_and_question(status_round, coordinator):
    page = _upload(coordinator, status_round, "04", "svar.csv", _status_csv("abc", "12,3,4"))
    assert page.status_code == 400
    html = page.content.decode()
    rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    by_column = {
        re.search(r"<code>(.*?)</code>", cell).group(1): (row, cell, message)
        for row, cell, message in rows
    }
    row, cell, message = by_column["medel.erhallna"]
    assert row == "2" and "Fråga 4a, Statliga medel som regionen fått" in cell
    assert message == "”abc” är inte ett tal; skriv till exempel 1 234,5"
    row, cell, message = by_column["medel.anvanda"]
    assert "Fråga 4b, Därav använda medel" in cell
    assert message == "”12,3,4” är inte ett tal; skriv till exempel 1 234,5"
    assert services.stored_answers(status_round.responses.get(region_id="04")) == {}


def test_indicator_import_reads_swedish_numbers(db):
    from naravard.ingest.importer import ImportRefused, import_file

    data = b"org;period;value\n01;2022;31,4\n03;2022;12,3,4\n"
    with pytest.raises(ImportRefused) as info:
        import_file(
            "v.csv", "named_doctor_share", data=data, name="v.csv", actor="test", dry_run=True
        )
    assert [str(p) for p in info.value.plan.refused] == [
        "row 3, column value: '12,3,4' is not a number"
    ]
    data = b"org;period;value\n01;2022;31,4\n03;2022;1 0,5\n"
    report = import_file(
        "v.csv", "named_doctor_share", data=data, name="v.csv", actor="test", dry_run=True
    )
    assert sorted(o.value for o in report.plan.outcomes) == [10.5, 31.4]
    data = (
        "org;period;numerator;denominator\n01;2022;1\u00a0234;2 000\n"
        "03;2022;12\u2009345,0;20\u202f000\n"
    ).encode()
    report = import_file(
        "v.csv", "named_doctor_share", data=data, name="v.csv", actor="test", dry_run=True
    )
    values = {o.org: (o.numerator, o.denominator) for o in report.plan.outcomes}
    assert values == {"01": (1234, 2000), "03": (12345, 20000)}


def test_population_import_reads_numbers_with_spaces(db, tmp_path):
    from naravard.refdata.population_import import PopulationFileError, read_rows

    good = tmp_path / "folk.csv"
    good.write_text("year;code;sex;population\n2 020;0180;total;984\u00a0748\n", encoding="utf-8")
    [row] = read_rows(good)
    assert (row.year, row.code, row.population) == (2020, "0180", 984_748)
    bad = tmp_path / "fel.csv"
    bad.write_text("year;code;sex;population\n2020;0180;total;12,3,4\n", encoding="utf-8")
    with pytest.raises(PopulationFileError) as info:
        read_rows(bad)
    assert info.value.problems == ["row 2, population: '12,3,4' is not a whole number"]
