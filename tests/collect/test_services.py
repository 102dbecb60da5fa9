"""Rounds and responses: drafts, submit, conflicts, deadlines, reopening, import (partial files
too), reminders, audit, exports without live formulas, the definition a round was opened with."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone

from naravard.collect import services, tabular
from naravard.collect.models import AuditEvent, Response, ResponseStatus, Round
from naravard.collect.reminders import send_reminders
from naravard.collect.results import results_json
from naravard.collect.services import ImportRow
from naravard.core.dates import period_label
from naravard.core.tables import read_table

pytestmark = pytest.mark.django_db

COMPLETE = {
    "1.politisk": "ja",
    "1.ledning": "nej",
    "1.verksamhet": "ja",
    "1.profession": "nej",
    "2": "nej",
    "2a": "ja",
    "3.sjukskoterska": "brist",
    "3.specialistsjukskoterska": "brist",
    "3.fysioterapeut": "balans",
    "3.arbetsterapeut": "balans",
    "3.dietist": "finns_ej",
    "3.farmaceut": "finns_ej",
}


@pytest.fixture
def open_survey(db):
    return services.open_round(
        "kommunenkat-2019", timezone.localdate() + dt.timedelta(days=10), actor="test"
    )


def response_of(rnd, code) -> Response:
    return rnd.responses.get(municipality_id=code)


def test_opening_a_round_asks_the_whole_audience(open_survey, status_round):
    assert open_survey.responses.count() == 290
    assert status_round.responses.count() == 21
    assert AuditEvent.objects.filter(round=open_survey, action="open").count() == 1
    with pytest.raises(services.CollectError, match="redan en öppen omgång"):
        services.open_round("kommunenkat-2019", timezone.localdate() + dt.timedelta(days=5))


def test_a_deadline_in_the_past_is_refused():
    with pytest.raises(services.CollectError):
        services.open_round("kommunenkat-2019", timezone.localdate() - dt.timedelta(days=1))


def test_draft_then_submit_with_audit(open_survey, make_user):
    user = make_user("k", "municipality_respondent", "0180")
    response = response_of(open_survey, "0180")
    draft = services.save(response, {"2": "nej"}, user=user, base_version=0)
    assert draft.response.status == ResponseStatus.DRAFT and draft.response.version == 1
    failed = services.save(draft.response, {"2": "nej"}, user=user, base_version=1, submit=True)
    assert not failed.submitted and failed.validation.errors
    assert failed.response.status == ResponseStatus.DRAFT  # what was typed is still stored
    done = services.save(failed.response, COMPLETE, user=user, base_version=1, submit=True)
    assert done.submitted and done.response.status == ResponseStatus.SUBMITTED
    actions = list(AuditEvent.objects.filter(response=response).values_list("action", flat=True))
    assert actions.count("submit") == 1 and "create" in actions and "change" in actions
    change = AuditEvent.objects.filter(response=response, item_id="1.politisk").first()
    assert (change.old_value, change.new_value, change.user) == (None, "ja", user)


def test_second_save_from_an_old_version_is_a_conflict(open_survey, make_user):
    first = make_user("a", "municipality_respondent", "0180")
    second = make_user("b", "municipality_respondent", "0180")
    response = response_of(open_survey, "0180")
    services.save(response, {"2": "ja"}, user=first, base_version=0)
    with pytest.raises(services.Conflict, match="a"):
        services.save(response, {"2": "nej"}, user=second, base_version=0)
    response.refresh_from_db()
    assert services.stored_answers(response) == {"2": "ja"}  # nothing overwritten


def test_submitted_and_locked_responses_cannot_be_changed_until_reopened(open_survey, make_user):
    user = make_user("k", "municipality_respondent", "0180")
    response = response_of(open_survey, "0180")
    services.save(response, COMPLETE, user=user, submit=True)
    with pytest.raises(services.NotEditable, match="inskickat"):
        services.save(response, {"2": "ja"}, user=user)
    Round.objects.filter(pk=open_survey.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    locked = services.lock_due_rounds()
    assert [r.pk for r in locked] == [open_survey.pk]
    assert AuditEvent.objects.filter(round=open_survey, action="lock").count() == 1
    other = response_of(open_survey, "0181")
    with pytest.raises(services.NotEditable, match="låst"):
        services.save(other, {"2": "ja"})
    services.reopen(other, user=make_user("ana", "analyst"))
    other.refresh_from_db()
    assert services.save(other, COMPLETE, submit=True).submitted
    assert AuditEvent.objects.filter(response=other, action="reopen").exists()


def test_audit_events_cannot_be_changed_or_deleted(open_survey):
    event = AuditEvent.objects.filter(round=open_survey).first()
    event.note = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_import_is_all_or_nothing_with_row_and_column(open_survey):
    rows = [
        ImportRow(2, "Upplands Väsby", COMPLETE),
        ImportRow(3, "Götaland", COMPLETE),
        ImportRow(4, "0180", {**COMPLETE, "3.dietist": "massor"}),
        ImportRow(5, "Upplands-Väsby", COMPLETE),
        ImportRow(6, "Region Stockholm", COMPLETE),
        ImportRow(7, "0181", {**COMPLETE, "2": "ja"}),
    ]
    with pytest.raises(services.ImportRefused) as info:
        services.import_rows(open_survey, rows, actor="test")
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(3, "org"), (4, "3.dietist"), (5, "org"), (6, "org"), (7, "2a")}
    assert not Response.objects.filter(round=open_survey, status=ResponseStatus.SUBMITTED).exists()
    assert not AuditEvent.objects.filter(round=open_survey, action="create").exists()


def test_import_respects_required_items_when_asked(open_survey):
    partial = {k: v for k, v in COMPLETE.items() if k != "1.politisk"}
    with pytest.raises(services.ImportRefused):
        services.import_rows(open_survey, [ImportRow(2, "0180", partial)], require=True)
    report = services.import_rows(open_survey, [ImportRow(2, "0180", partial)], require=False)
    assert report.stored == 1


def test_reminders_go_to_contacts_of_non_respondents(open_survey, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("k1", "municipality_respondent", "0180", email="k1@example.org")
    make_user("k2", "municipality_respondent", "0180", email="k2@example.org")
    done = make_user("k3", "municipality_respondent", "0181", email="k3@example.org")
    services.save(response_of(open_survey, "0181"), COMPLETE, user=done, submit=True)
    report = send_reminders(open_survey, actor="test")
    assert report.sent == ["0180"]
    assert len(report.no_contact) == 288
    assert len(mail.outbox) == 1 and sorted(mail.outbox[0].to) == [
        "k1@example.org",
        "k2@example.org",
    ]
    assert f"Sista svarsdag är {period_label(open_survey.deadline, 'sv')}." in mail.outbox[0].body
    assert response_of(open_survey, "0180").last_reminded_at is not None
    assert AuditEvent.objects.filter(round=open_survey, action="remind").exists()


def test_soft_warning_reason_is_stored_with_the_answer(status_round, make_user):
    user = make_user("r", "region_coordinator", "04")
    response = status_round.responses.get(region_id="04")
    raw = {
        "beslut.strategi": "nej",
        "beslut.beskrivning": "Beslut väntas.",
        "organisation.samordnare": "ja",
        "organisation.beskrivning": "Ett kansli.",
        "forandringar.beskrivning": "Mobila team.",
        "medel.erhallna": "100000",
        "medel.anvanda": "150000",
        "insatser": [{"omrade": "omstallning", "beskrivning": "Team", "skede": "pilot"}],
    }
    blocked = services.save(response, raw, user=user, submit=True)
    assert not blocked.submitted and [w.item_id for w in blocked.validation.warnings] == [
        "medel.anvanda"
    ]
    done = services.save(
        blocked.response,
        raw,
        user=user,
        submit=True,
        overrides={"medel.anvanda": "Överfört från 2018."},
    )
    assert done.submitted
    assert services.stored_overrides(done.response) == {"medel.anvanda": "Överfört från 2018."}


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


def test_a_save_compares_with_last_years_answer_where_the_form_asks(make_user):
    """The status report checks the funds against the region's answer of the round before; the
    save looks that answer up itself."""
    user = make_user("r", "region_coordinator", "04")
    answers = {
        "beslut.strategi": "nej",
        "beslut.beskrivning": "Beslut väntas.",
        "organisation.samordnare": "ja",
        "organisation.beskrivning": "Ett kansli.",
        "forandringar.beskrivning": "Mobila team.",
        "insatser": [{"omrade": "omstallning", "beskrivning": "Team", "skede": "pilot"}],
        "medel.erhallna": "2000000",
        "medel.anvanda": "900000",
    }
    last_year = services.open_round(
        "nulagesrapport-2019",
        timezone.localdate(),
        actor="test",
        opened_at=timezone.now() - dt.timedelta(days=365),
        year=timezone.localdate().year - 1,
    )
    assert services.save(response_of_region(last_year), answers, user=user, submit=True).submitted
    last_year.locked_at = timezone.now()
    last_year.save()
    this_year = services.open_round(
        "nulagesrapport-2019", timezone.localdate() + dt.timedelta(days=30), actor="test"
    )
    result = services.save(
        response_of_region(this_year),
        {**answers, "medel.erhallna": "10000000"},
        user=user,
        submit=True,
    )
    assert not result.submitted
    assert [w.item_id for w in result.validation.warnings] == ["medel.erhallna"]
    assert re.sub(r"[\s,]", "", result.validation.warnings[0].message).endswith("2000000)")


def response_of_region(rnd) -> Response:
    return rnd.responses.get(region_id="04")
