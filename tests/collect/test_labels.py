"""What people read names questions, fields, units and targets as the form definition and the
catalogue do, never by their internal ids ("1.profession", "insatser.2.startar", "per_100k",
">= 55"); machine outputs (API field names, file columns, codebooks) keep the ids."""

import html as htmllib
import json
import re

import pytest

from naravard.collect.definition import get_form
from naravard.collect.models import ResponseStatus

pytestmark = pytest.mark.django_db

STATUS = {
    "beslut.strategi": "ja",
    "beslut.ar": "2019",
    "beslut.beskrivning": "Strategi antagen.",
    "organisation.samordnare": "ja",
    "organisation.beskrivning": "Ett programkontor.",
    "forandringar.beskrivning": "Mobila team i tre kommuner.",
}


def url(rnd, code, suffix=""):
    return f"/insamling/omgang/{rnd.pk}/svar/{code}/{suffix}"


def text_of(page) -> str:
    """The page as a person reads it: no tags, entities decoded, every space one space."""
    body = page.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = htmllib.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"[\s\u00a0\u2009\u202f]+", " ", body)


def summary_of(page) -> list[str]:
    """The lines of the error summary at the top of the form."""
    found = re.search(r'id="felsammanfattning">(.*?)</div>', page.content.decode(), re.S)
    assert found, "no error summary"
    return [
        re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", li))).strip()
        for li in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    ]


# ------------------------------------------------------------------ labels ---


def test_labels_of_the_form_definitions():
    survey, status = get_form("kommunenkat-2019"), get_form("nulagesrapport-2019")
    assert survey.label("1.profession") == "Fråga 1, Professionsnivå i det dagliga arbetet"
    assert survey.label("3.specialistsjukskoterska") == "Fråga 3, Specialistsjuksköterska"
    assert survey.label("3.kommentar") == "Kommentarer till fråga 3"
    assert (
        survey.label("2a") == "Fråga 2a, Tar kommunen fram en sådan målbild tillsammans med "
        "regionen?"
    )
    assert status.label("insatser", row=2, field="startar") == "Fråga 5, Insatser, rad 2, Startår"
    assert (
        status.label("insatser", "en", 2, "startar") == "Question 5, Initiatives, row 2, Start year"
    )
    assert status.label("medel.anvanda").startswith("Fråga 4b, Därav använda medel under ")
    long = status.label("beslut.beskrivning")
    assert long.startswith("Fråga 1b, Beskriv de formella beslut") and long.endswith("…")
    assert len(long) < 90
    assert survey.condition_text(survey.item("2a").show_if) == "om svaret på fråga 2 är ”Nej”"


# ------------------------------------------------------------------ the web form ---


@pytest.fixture
def respondent(client, make_user):
    client.force_login(make_user("kommun", "municipality_respondent", "0180"))
    return client


@pytest.fixture
def coordinator(client, make_user):
    client.force_login(make_user("sam", "region_coordinator", "04"))
    return client


def test_missing_answers_are_named_by_their_labels(survey_round, respondent):
    response = survey_round.responses.get(municipality_id="0180")
    page = respondent.post(
        url(survey_round, "0180"), {"2": "nej", "version": response.version, "atgard": "skicka"}
    )
    assert page.status_code == 400
    lines = summary_of(page)
    assert "Fråga 1, Professionsnivå i det dagliga arbetet: måste besvaras" in lines
    assert "Fråga 3, Specialistsjuksköterska: måste besvaras" in lines
    assert (
        "Fråga 2a, Tar kommunen fram en sådan målbild tillsammans med regionen?: måste "
        "besvaras" in lines
    )
    shown = text_of(page)
    assert "1.profession" not in shown and "3.specialistsjukskoterska" not in shown
    assert "Besvaras bara om svaret på fråga 2 är ”Nej”." in shown  # the skip note


def test_status_report_problems_name_the_question_row_and_field(status_round, coordinator):
    response = status_round.responses.get(region_id="04")
    page = coordinator.post(
        url(status_round, "04"),
        {
            **STATUS,
            "medel.erhallna": "100 000",
            "medel.anvanda": "250 000",
            "insatser.1.omrade": "omstallning",
            "insatser.1.beskrivning": "Mobilt team",
            "insatser.1.skede": "pilot",
            "insatser.2.omrade": "omstallning",
            "insatser.2.beskrivning": "Webbtidbok",
            "insatser.2.skede": "pilot",
            "insatser.2.startar": "1899",
            "version": response.version,
            "atgard": "skicka",
        },
    )
    assert page.status_code == 400
    lines = summary_of(page)
    assert "Fråga 5, Insatser, rad 2, Startår: 1899 är mindre än 2010" in lines
    used = [line for line in lines if line.startswith("Fråga 4b, Därav använda medel under ")]
    assert used and used[0].endswith(
        ": Använda medel är större än erhållna medel. (skriv ett skäl för att godta)"
    )
    shown = text_of(page)
    for code in ("insatser.2.startar", "medel.anvanda", "startar:"):
        assert code not in shown
    assert re.search(r'name="insatser.2.startar" value="1899"', page.content.decode())


def test_upload_refusal_names_the_question_beside_the_column(status_round, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    header = [
        "org",
        *STATUS,
        "medel.erhallna",
        "medel.anvanda",
        "insatser.1.omrade",
        "insatser.1.beskrivning",
        "insatser.1.skede",
        "insatser.1.startar",
    ]
    row = ["04", *STATUS.values(), "100", "50", "omstallning", "Team", "pilot", "1899"]
    data = (";".join(header) + "\n" + ";".join(row) + "\n").encode()
    page = coordinator.post(
        url(status_round, "04", "ladda-upp/"), {"fil": SimpleUploadedFile("svar.csv", data)}
    )
    assert page.status_code == 400
    shown = text_of(page)
    assert "insatser.1.startar Fråga 5, Insatser, rad 1, Startår 1899 är mindre än 2010" in shown


def test_api_problems_carry_the_id_for_programs_and_the_label_for_people(
    client, status_round, make_user
):
    client.force_login(make_user("sys04", "region_coordinator", "04"))
    base = f"/api/collect/rounds/{status_round.pk}/responses/04"
    answers = {
        **STATUS,
        "medel.erhallna": 100,
        "medel.anvanda": 50,
        "insatser": [
            {"omrade": "omstallning", "beskrivning": "Team", "skede": "pilot"},
            {"omrade": "omstallning", "beskrivning": "Tidbok", "skede": "pilot", "startar": 1899},
        ],
    }
    bad = client.post(
        base + "/submit",
        json.dumps({"version": 0, "answers": answers}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    [problem] = bad.json()["problems"]
    assert problem == {
        "question": "insatser.2.startar",
        "label": "Fråga 5, Insatser, rad 2, Startår",
        "message": "1899 är mindre än 2010",
        "level": "hard",
    }


def test_queries_and_results_name_questions_by_their_labels(
    survey_round, client, make_user, settings
):
    from django.core import mail
    from django.test import Client

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    analyst = Client()
    analyst.force_login(make_user("ana", "analyst"))
    code = survey_round.responses.filter(status=ResponseStatus.SUBMITTED).first().org_code
    respondent = Client()
    respondent.force_login(make_user("k", "municipality_respondent", code, email="k@example.org"))
    form_page = text_of(analyst.get(url(survey_round, code)))
    assert "Fråga 3, Dietist" in form_page  # the choice of question for a query
    analyst.post(url(survey_round, code, "fraga/"), {"item_id": "3.dietist", "text": "Stämmer?"})
    [sent] = mail.outbox
    assert "(Fråga 3, Dietist):" in sent.body and "3.dietist" not in sent.body
    shown = text_of(respondent.get(url(survey_round, code)))
    assert "Fråga 3, Dietist (" in shown and "3.dietist" not in shown
    listing = text_of(analyst.get(f"/insamling/omgang/{survey_round.pk}/fragor/"))
    assert "Fråga 3, Dietist Stämmer?" in listing and "3.dietist" not in listing
    results = text_of(analyst.get(f"/insamling/omgang/{survey_round.pk}/"))
    assert "2a. Tar kommunen fram en sådan målbild" in results
    assert "3.dietist" not in results


# ------------------------------------------------------------------ the report ---


def test_report_method_table_numbers_questions_as_the_form_does(report):
    table = next(b for b in report.blocks() if b.key == "n-per-fraga")
    rows = {row[1]: row[0] for row in table.rows}
    assert rows["Specialistsjuksköterska"] == "3"
    assert rows["Professionsnivå i det dagliga arbetet"] == "1"
    assert rows["Kommentarer till fråga 3"] == ""
    assert rows["Tar kommunen fram en sådan målbild tillsammans med regionen?"] == "2a"
    staff = next(b for b in report.blocks() if b.key == "personal")
    assert sorted(row[0] for row in staff.rows) == [
        "Arbetsterapeut",
        "Dietist",
        "Farmaceut",
        "Fysioterapeut",
        "Sjuksköterska",
        "Specialistsjuksköterska",
    ]
    every_cell = [str(c) for b in report.blocks() for row in getattr(b, "rows", []) for c in row]
    assert not [c for c in every_cell if re.fullmatch(r"\d+[a-z]?\.[a-z_]+", c)]


# ------------------------------------------------------------------ /indikatorer/ ---


def test_indicator_pages_write_units_targets_and_counts_for_people(
    client, make_user, released_named_doctor
):
    from importlib import resources

    from naravard.ingest.importer import import_file

    data = (
        resources.files("naravard.demo")
        .joinpath("data", "tabell2-webbtidbok-2020-03.csv")
        .read_bytes()
    )
    import_file(
        "t.csv",
        None,
        data=data,
        name="t.csv",
        aliases=["Götaland=09", "Norrbottnen=25"],
        actor="test",
    )
    client.force_login(make_user("ana", "analyst"))
    listing = client.get("/indikatorer/")
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", listing.content.decode(), re.S):
        href = re.search(r'href="/indikatorer/([a-z0-9_]+)/"', tr)
        if href:
            cells = [
                re.sub(
                    r"[\s\u00a0\u2009\u202f]+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", c))
                ).strip()
                for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
            ]
            rows[href.group(1)] = cells
    unit, periods, national, target, reached = rows["named_doctor_share"]
    assert unit == "%" and target.startswith("minst 55 % senast ")
    assert rows["online_booking_show"][0] == "st."
    assert rows["online_booking_show"][2] == "5 076"
    assert rows["online_booking_show_per_100k"][0] == "per 100 000 invånare"
    shown = text_of(listing)
    for code in (" percent ", " per_100k ", " count ", ">= 55", "5076,0"):
        assert code not in shown, code
    detail = text_of(client.get("/indikatorer/named_doctor_share/?period=2021-12-31"))
    assert "Enhet % " in detail and "Mål minst 55 %" in detail
    counts = text_of(client.get("/indikatorer/online_booking_show/"))
    assert "Riket 5 076 " in counts and "5076,0" not in counts and "Enhet st. " in counts
