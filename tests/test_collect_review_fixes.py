"""Edge cases found in review: partial files, hostile files, reopening, reasons, stored definitions."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone

from naravard.collect import services, tabular
from naravard.collect.models import AuditEvent, ResponseStatus, Round
from naravard.collect.results import results_json, summary
from naravard.core.tables import TableError, read_table

pytestmark = pytest.mark.django_db

COMPLETE = {
    "1.politisk": "ja",
    "1.ledning": "nej",
    "1.verksamhet": "ja",
    "1.profession": "nej",
    "2": "ja",
    "3.sjukskoterska": "brist",
    "3.specialistsjukskoterska": "brist",
    "3.fysioterapeut": "balans",
    "3.arbetsterapeut": "balans",
    "3.dietist": "finns_ej",
    "3.farmaceut": "finns_ej",
}


def rows_from(form, text: str):
    header, rows = read_table("f.csv", text.encode())
    return tabular.parse_rows(form, header, rows)


def test_a_file_with_some_columns_keeps_the_other_answers(survey_round):
    response = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first()
    before = services.stored_answers(response)
    rows = rows_from(survey_round.form, f"org,4\n{response.org_code},Korrigerad text\n")
    report = services.import_rows(survey_round, rows, actor="test", require=False)
    assert report.stored == 1
    after = services.stored_answers(response)
    assert after["4"] == "Korrigerad text"
    assert {k: v for k, v in after.items() if k != "4"} == {
        k: v for k, v in before.items() if k != "4"
    }


def test_respondent_cannot_change_a_submitted_response_by_upload(survey_round, make_user):
    response = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first()
    rows = rows_from(survey_round.form, f"org,2\n{response.org_code},nej\n")
    with pytest.raises(services.ImportRefused) as info:
        services.import_rows(survey_round, rows, allowed_orgs={response.org_code}, as_analyst=False)
    assert "inskickat" in info.value.problems[0].message


def test_a_reopened_organisation_may_upload_after_the_deadline(survey_round, make_user):
    response = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first()
    Round.objects.filter(pk=survey_round.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=2)
    )
    services.lock_due_rounds()
    survey_round.refresh_from_db()
    services.reopen(response, actor="test")
    rows = rows_from(survey_round.form, f"org,4\n{response.org_code},Efter fristen\n")
    report = services.import_rows(
        survey_round, rows, allowed_orgs={response.org_code}, as_analyst=False, require=False
    )
    assert report.stored == 1
    lock = AuditEvent.objects.get(round=survey_round, action="lock")
    assert lock.at == survey_round.closes_at


def test_nobody_edits_a_submitted_response_in_place(survey_round):
    response = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first()
    with pytest.raises(services.NotEditable):
        services.save(response, {"2": "ja"}, as_analyst=True)


def test_reopened_response_still_counts_with_its_last_submitted_answers(survey_round):
    before = results_json(survey_round)
    response = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first()
    services.reopen(response, actor="test")
    response.refresh_from_db()
    services.save(response, {"2": "nej"}, actor="test")  # a draft, not submitted
    after = results_json(survey_round)
    assert after == before
    assert summary(survey_round).reopened == 1


def test_changing_only_the_reason_is_audited_and_versioned(status_round):
    response = status_round.responses.get(region_id="04")
    raw = {"medel.erhallna": "100", "medel.anvanda": "200"}
    first = services.save(response, raw, overrides={"medel.anvanda": "skäl ett"})
    version = first.response.version
    second = services.save(
        first.response, raw, overrides={"medel.anvanda": "skäl två"}, base_version=version
    )
    assert second.response.version == version + 1
    event = AuditEvent.objects.filter(response=response, item_id="medel.anvanda").first()
    assert "skäl två" in event.note


def test_a_round_is_read_with_the_definition_it_was_opened_with(survey_round):
    stored = survey_round.form_source
    assert "kommunenkat-2019" in stored
    Round.objects.filter(pk=survey_round.pk).update(form_id="removed-from-the-package")
    survey_round.refresh_from_db()
    assert survey_round.form.has_item("3.farmaceut")
    assert results_json(survey_round)["responded"] == 226


@pytest.mark.parametrize(
    "content, message",
    [
        ("org,4\n0180," + "x" * 200_000 + "\n", "kan inte läsas som CSV från rad 2"),
        ("org," + ",".join(f"c{i}" for i in range(20_000)) + "\n0180\n", "fler än 2000 kolumner"),
        ("org,4\n" + "0180,x\n" * 6000, "fler än 5000 rader"),
        (b"\xff\xfe\x00garbage", "inte UTF-8"),
    ],
)
def test_hostile_files_are_refused_cleanly(content, message):
    data = content if isinstance(content, bytes) else content.encode()
    with pytest.raises(TableError, match=message):
        read_table("hostile.csv", data)


def test_a_wide_but_empty_header_costs_nothing():
    header, rows = read_table("wide.csv", ("org" + "," * 20_000 + "\n" + "x\n" * 2000).encode())
    assert header == ["org"] and len(rows) == 2000 and all(len(r) == 1 for r in rows)


def test_broken_xlsx_is_refused_cleanly():
    with pytest.raises(TableError, match="kan inte läsas som en Excelfil"):
        read_table("broken.xlsx", b"PK\x03\x04 not really a zip")


def test_exports_never_contain_live_formulas(survey_round):
    response = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first()
    evil = '=HYPERLINK("http://evil.example","klicka")'
    rows = rows_from(
        survey_round.form, f'org,4\n{response.org_code},"{evil.replace(chr(34), chr(34) * 2)}"\n'
    )
    services.import_rows(survey_round, rows, require=False)
    header, table = tabular.export_rows(survey_round.form, [response])
    book = openpyxl.load_workbook(io.BytesIO(tabular.write_xlsx(survey_round.form, header, table)))
    cell = book["svar"].cell(2, header.index("4") + 1)
    assert cell.data_type == "s" and cell.value == evil
    assert "'=HYPERLINK" in tabular.write_csv(header, table, excel=True)
    again = rows_from(
        survey_round.form, tabular.write_csv(header, table, excel=True).lstrip("\ufeff")
    )
    assert again[0].answers["4"] == evil  # the guard is removed on the way back in


def test_respondents_are_told_about_a_query(survey_round, client, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first()
    make_user("k", "municipality_respondent", response.org_code, email="k@example.org")
    client.force_login(make_user("ana", "analyst"))
    client.post(
        f"/insamling/omgang/{survey_round.pk}/svar/{response.org_code}/fraga/",
        {"item_id": "3.dietist", "text": "Köper ni dietisttjänster?"},
    )
    assert [m.to for m in mail.outbox] == [["k@example.org"]]
    assert "Köper ni dietisttjänster?" in mail.outbox[0].body
