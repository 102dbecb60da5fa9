"""Initiatives followed from one status report to the next: a region's 2021 response starts
from its 2019 initiatives, each with a stable id; what it says of them is checked (ids are the
system's, a merge names another initiative of the response), and a refused id stores nothing."""

import re

import pytest
import yaml

from naravard.collect import initiatives, services
from naravard.collect.definition import DefinitionError, get_form, load_text
from naravard.collect.models import Answer, ResponseStatus
from naravard.core.checks import failed_checks
from tests.status_reports import (
    REPORT,
    STOCKHOLM_2019,
    STOCKHOLM_2021,
    UPPSALA_2019,
    UPPSALA_2021,
    initiative,
    open_2019,
    open_2021,
    response,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds():
    return open_2019({"03": UPPSALA_2019, "01": STOCKHOLM_2019}), open_2021()


def url(rnd, code):
    return f"/insamling/omgang/{rnd.pk}/svar/{code}/"


def carried(rnd, code="03") -> list[dict]:
    return initiatives.prefill(response(rnd, code))["insatser"]


def problems(result) -> list[tuple]:
    return [(p.row, p.field, p.message) for p in result.validation.errors]


def test_a_regions_2019_initiatives_start_its_2021_response_each_with_an_id(rounds):
    r2019, r2021 = rounds
    assert initiatives.previous_round(r2021) == r2019
    rows = carried(r2021)
    assert [(r["insats_id"], r["beskrivning"], r["skede"], r["status"]) for r in rows] == [
        ("03-2019-1", "Mobilt team", "pilot", "fortsatter"),
        ("03-2019-2", "Digital första linje", "pilot", "fortsatter"),
        ("03-2019-3", "Hälsosamtal", "planerad", "fortsatter"),
    ]
    assert [r["insats_id"] for r in carried(r2021, "01")] == ["01-2019-1"]
    assert initiatives.prefill(response(r2021, "05")) == {}  # did not report in 2019


def test_the_coordinator_sees_last_years_initiatives_in_the_form_and_the_api(
    rounds, client, make_user, token_for
):
    _r2019, r2021 = rounds
    client.force_login(make_user("uppsala", "region_coordinator", "03"))
    page = client.get(url(r2021, "03")).content.decode()
    assert 'name="insatser.1.insats_id" value="03-2019-1"' in page
    assert 'name="insatser.3.insats_id" value="03-2019-3"' in page
    assert "Insatserna från Nulägesrapport 2019 – regionens omställning" in page
    body = client.get(
        f"/api/collect/rounds/{r2021.pk}/responses/03",
        **token_for("uppsala-api", "region_coordinator", "03"),
    ).json()
    assert body["prefilled"] == ["insatser"]
    assert [r["insats_id"] for r in body["answers"]["insatser"]] == [
        "03-2019-1",
        "03-2019-2",
        "03-2019-3",
    ]
    assert not Answer.objects.filter(response=response(r2021, "03")).exists()  # shown, not stored


def test_submitting_keeps_the_carried_ids_and_gives_new_rows_theirs(rounds):
    _r2019, r2021 = rounds
    result = submit(r2021, "03", UPPSALA_2021)
    assert result.submitted, problems(result)
    stored = response(r2021, "03").submitted_answers["insatser"]
    assert [r["insats_id"] for r in stored] == ["03-2019-1", "03-2019-2", "03-2019-3", "03-2021-1"]


def test_ended_and_merged_initiatives_are_not_carried_into_the_next_round(rounds):
    _r2019, r2021 = rounds
    assert submit(r2021, "03", UPPSALA_2021).submitted
    r2021.locked_at = r2021.opened_at
    r2021.save()
    later = services.open_round(
        "nulagesrapport-2021", r2021.deadline, actor="test", year=2023, title="2023"
    )
    assert initiatives.previous_round(later) == r2021
    assert [(r["insats_id"], r["skede"]) for r in carried(later)] == [
        ("03-2019-1", "bred_inforing"),
        ("03-2021-1", "pilot"),
    ]


def test_an_id_of_another_region_is_refused_at_the_field_and_nothing_is_stored(rounds):
    _r2019, r2021 = rounds
    rows = [dict(r) for r in UPPSALA_2021]
    rows[0]["insats_id"] = "01-2019-1"
    result = services.save(response(r2021, "03"), {**REPORT, "insatser": rows}, actor="test")
    assert (
        1,
        "insats_id",
        "id 01-2019-1 tillhör en annan organisation (Region Stockholm) och kan inte användas här",
    ) in problems(result)
    assert result.validation.blocked and result.answers is None
    current = response(r2021, "03")
    assert current.status == ResponseStatus.NOT_STARTED and current.version == 0
    assert not Answer.objects.filter(response=current).exists()


def test_an_unknown_or_repeated_or_typed_id_is_refused(rounds):
    _r2019, r2021 = rounds
    rows = [dict(r) for r in UPPSALA_2021]
    rows[1]["insats_id"] = "03-2019-9"
    rows[3]["insats_id"] = "03-2019-1"
    rows.append({**initiative("it_stod", "Journal", "pilot"), "insats_id": "insats sju"})
    result = submit(r2021, "03", rows)
    found = problems(result)
    assert (
        2,
        "insats_id",
        "id 03-2019-9 är okänt: det finns varken bland svarets rader eller förra omgångens; "
        "ett id ges av systemet och skrivs inte in",
    ) in found
    assert (4, "insats_id", "samma id som rad 1") in found
    assert (
        5,
        "insats_id",
        "”insats sju” är inget id som systemet har gett; ett id skrivs inte in för hand",
    ) in found
    assert not result.submitted and not Answer.objects.filter(response=result.response).exists()


def test_a_merge_names_another_initiative_of_the_response(rounds):
    _r2019, r2021 = rounds
    rows = [dict(r) for r in UPPSALA_2021]
    rows[2]["sammanslagen_med"] = "03-2019-3"  # itself
    assert (3, "sammanslagen_med", "en rad kan inte hänvisa till sig själv") in problems(
        submit(r2021, "03", rows)
    )
    rows[2]["sammanslagen_med"] = "01-2019-1"  # another region's, not in the response
    assert (
        3,
        "sammanslagen_med",
        "01-2019-1 är inte id för någon annan rad i svaret",
    ) in problems(submit(r2021, "03", rows))
    del rows[2]["sammanslagen_med"]
    assert (3, "sammanslagen_med", "måste fyllas i") in problems(submit(r2021, "03", rows))
    rows[2]["sammanslagen_med"] = "03-2019-2"  # the one that ended
    assert (
        3,
        "sammanslagen_med",
        "en insats kan bara slås samman med en insats som fortsätter eller är ny",
    ) in problems(submit(r2021, "03", rows))
    assert response(r2021, "03").status != ResponseStatus.SUBMITTED


def test_what_the_region_says_of_each_initiative_is_checked(rounds):
    _r2019, r2021 = rounds
    rows = [dict(r) for r in UPPSALA_2021]
    rows[0]["status"] = "ny"  # carried, not new
    rows[3]["status"] = "avslutad"  # new, so it cannot have ended since last time
    del rows[1]  # a carried initiative left out
    found = problems(submit(r2021, "03", rows))
    assert (
        1,
        "status",
        "insatsen fanns i förra nulägesrapporten och är inte ny; ange om den "
        "fortsätter, har avslutats eller har slagits samman med en annan",
    ) in found
    assert (
        3,
        "status",
        "anges bara för insatser från förra nulägesrapporten; lämna fältet "
        "tomt eller ange att insatsen är ny",
    ) in found
    assert (
        None,
        None,
        "insatsen 03-2019-2 (”Digital första linje”) från förra "
        "nulägesrapporten saknas; behåll raden och ange om den fortsätter, har avslutats "
        "eller har slagits samman",
    ) in found


def test_a_merge_target_is_answered_only_when_merged(rounds):
    _r2019, r2021 = rounds
    rows = [dict(r) for r in UPPSALA_2021]
    rows[0]["sammanslagen_med"] = "03-2019-3"
    strict = services.check(response(r2021, "03"), {**REPORT, "insatser": rows})
    assert [(p.row, p.field, p.message) for p in strict.errors] == [
        (
            1,
            "sammanslagen_med",
            "besvaras bara om ”Fortsätter insatsen?” är ”Sammanslagen med en annan insats”",
        )
    ]
    lenient = submit(r2021, "03", rows)  # the web form drops what is not asked
    assert lenient.submitted
    assert "sammanslagen_med" not in response(r2021, "03").submitted_answers["insatser"][0]


def test_the_api_refuses_another_regions_id_with_422_and_stores_nothing(rounds, client, token_for):
    _r2019, r2021 = rounds
    headers = token_for("uppsala-api", "region_coordinator", "03")
    rows = [dict(r) for r in UPPSALA_2021]
    rows[3]["insats_id"] = "01-2019-1"
    answer = client.post(
        f"/api/collect/rounds/{r2021.pk}/responses/03/submit",
        {"version": 0, "answers": {**REPORT, "insatser": rows}},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 422
    assert {
        "question": "insatser.4.insats_id",
        "label": "Fråga 5, Insatser, rad 4, Insatsens id",
        "message": "id 01-2019-1 tillhör en annan organisation (Region Stockholm) och kan inte "
        "användas här",
        "level": "hard",
    } in answer.json()["problems"]
    assert response(r2021, "03").version == 0


def test_the_coordinator_moves_one_initiative_on_and_ends_another_in_the_web_form(
    rounds, client, make_user
):
    _r2019, r2021 = rounds
    client.force_login(make_user("uppsala", "region_coordinator", "03"))
    data = {k: v for k, v in REPORT.items()} | {"version": "0", "atgard": "skicka"}
    for n, row in enumerate(carried(r2021), start=1):
        for key, value in row.items():
            data[f"insatser.{n}.{key}"] = str(value)
    data["insatser.1.skede"] = "bred_inforing"
    data["insatser.2.status"] = "avslutad"
    data["insatser.4.omrade"] = "it_stod"  # a new initiative on the empty row
    data["insatser.4.beskrivning"] = "Gemensam läkemedelslista"
    data["insatser.4.skede"] = "planerad"
    page = client.post(url(r2021, "03"), data)
    assert page.status_code == 302, page.content.decode()
    stored = response(r2021, "03").submitted_answers["insatser"]
    assert [(r["insats_id"], r["skede"], r.get("status")) for r in stored] == [
        ("03-2019-1", "bred_inforing", "fortsatter"),
        ("03-2019-2", "pilot", "avslutad"),
        ("03-2019-3", "planerad", "fortsatter"),
        ("03-2021-1", "planerad", None),
    ]


def test_a_draft_shows_the_ids_given_to_new_rows(rounds, client, make_user):
    _r2019, r2021 = rounds
    client.force_login(make_user("uppsala", "region_coordinator", "03"))
    data = {"version": "0", "atgard": "spara", "medel.erhallna": "många"}
    data |= {"insatser.1.omrade": "it_stod", "insatser.1.beskrivning": "Journal"}
    page = client.post(url(r2021, "03"), data).content.decode()
    assert 'name="insatser.1.insats_id" value="03-2021-1"' in page  # shown again with its id
    assert response(r2021, "03").status == ResponseStatus.DRAFT


def test_stockholms_answer_is_not_touched_by_uppsalas(rounds):
    _r2019, r2021 = rounds
    assert submit(r2021, "01", STOCKHOLM_2021).submitted
    assert submit(r2021, "03", UPPSALA_2021).submitted
    assert [r["insats_id"] for r in response(r2021, "01").submitted_answers["insatser"]] == [
        "01-2019-1"
    ]


# ------------------------------------------------------------------- the form ---


def raw_2021() -> dict:
    return yaml.safe_load(get_form("nulagesrapport-2021").source)


def fields(raw: dict) -> list[dict]:
    return next(q for s in raw["sections"] for q in s["questions"] if q["id"] == "insatser")[
        "fields"
    ]


def test_the_2021_form_continues_the_series_with_the_same_questions():
    old, new = get_form("nulagesrapport-2019"), get_form("nulagesrapport-2021")
    assert [i.id for i in old.items] == [i.id for i in new.items]
    group = new.item("insatser")
    assert group.row_id_field.id == "insats_id"
    assert [
        f.type for f in group.fields if f.id in ("insats_id", "status", "sammanslagen_med")
    ] == [
        "row_id",
        "choice",
        "row_ref",
    ]
    assert group.field("status").codes == ("ny", "fortsatter", "avslutad", "sammanslagen")


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda fs: fs[-1].update(show_if={"field": "kostnad", "equals": "ja"}),
            "show_if values ['ja'] are not answers of kostnad",
        ),
        (
            lambda fs: fs[-1].update(show_if={"field": "senare", "equals": "ja"}),
            "show_if refers to 'senare', which is not an earlier field of the row",
        ),
        (
            lambda fs: fs.append({"id": "id2", "type": "row_id", "text": {"sv": "x", "en": "x"}}),
            "a row has one id, not 2 (insats_id, id2)",
        ),
        (
            lambda fs: fs.pop(0),
            "field sammanslagen_med points at another row, but the rows have no row_id field",
        ),
    ],
)
def test_a_row_field_that_points_nowhere_is_refused(change, message):
    raw = raw_2021()
    change(fields(raw))
    with pytest.raises(DefinitionError, match=re.escape(message)):
        load_text(yaml.safe_dump(raw, allow_unicode=True))


def test_a_status_report_that_follows_initiatives_without_their_status_is_error_e022(ship_form):
    raw = raw_2021() | {"id": "nulagesrapport-2022", "year": 2022}
    fs = fields(raw)
    fs[:] = [f for f in fs if f["id"] not in ("status", "sammanslagen_med")]
    ship_form(yaml.safe_dump(raw, allow_unicode=True))
    assert [(m.id, m.msg) for m in failed_checks() if m.id == "naravard.E022"] == [
        (
            "naravard.E022",
            "form nulagesrapport-2022 of series nulagesrapport has no field insatser.status "
            "(a choice)",
        ),
        (
            "naravard.E022",
            "form nulagesrapport-2022 of series nulagesrapport has no field "
            "insatser.sammanslagen_med (a row_ref)",
        ),
    ]


def test_the_excel_template_carries_the_initiatives_and_comes_back_with_their_ids(
    rounds, client, make_user
):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    _r2019, r2021 = rounds
    client.force_login(make_user("uppsala", "region_coordinator", "03"))
    book = openpyxl.load_workbook(io.BytesIO(client.get(url(r2021, "03") + "mall.xlsx").content))
    sheet = book["svar"]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert [row[f"insatser.{n}.insats_id"].value for n in (1, 2, 3)] == [
        "03-2019-1",
        "03-2019-2",
        "03-2019-3",
    ]
    assert row["insatser.1.status"].value == "fortsatter"
    for key, value in REPORT.items():
        row[key].value = value
    row["insatser.2.status"].value = "avslutad"
    row["insatser.1.skede"].value = "bred_inforing"
    out = io.BytesIO()
    book.save(out)
    client.post(
        url(r2021, "03") + "ladda-upp/",
        {"fil": SimpleUploadedFile("uppsala.xlsx", out.getvalue())},
    )
    stored = response(r2021, "03").submitted_answers["insatser"]
    assert [(r["insats_id"], r["skede"], r["status"]) for r in stored] == [
        ("03-2019-1", "bred_inforing", "fortsatter"),
        ("03-2019-2", "pilot", "avslutad"),
        ("03-2019-3", "planerad", "fortsatter"),
    ]
