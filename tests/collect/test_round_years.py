"""The forms' texts name the round's own year, not 2019: {year} in a definition is filled
from the round, and a definition naming an unknown year is refused."""

import datetime as dt
import json
from importlib import resources

import jsonschema
import pytest
import yaml
from django.utils import timezone

from naravard.collect import services
from naravard.collect.definition import DefinitionError, get_form, load_text
from naravard.collect.models import Response

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def _open(form_id: str, year: int | None = None):
    return services.open_round(
        form_id, timezone.localdate() + dt.timedelta(days=30), actor="test", year=year
    )


def test_status_report_of_a_2024_round_names_2024(client, make_user):
    rnd = _open("nulagesrapport-2019", year=2024)
    client.force_login(make_user("sam", "region_coordinator", "06"))
    text = page_text(client.get(f"/insamling/omgang/{rnd.pk}/svar/06/"))
    assert "Nulägesrapport 2024 – regionens omställning" in text  # the round's default title
    assert "Avser: Läget i oktober 2024." in text
    assert "Kostnad 2024 (kronor)" in text
    assert "Därav använda medel under 2024 (kronor)" in text
    assert "hur långt insatsen kommit i oktober 2024" in text
    assert "i 2024 års överenskommelser" in text
    assert "oktober 2019" not in text and "Kostnad 2019" not in text
    english = page_text(client.get(f"/en/insamling/omgang/{rnd.pk}/svar/06/"))
    assert "Cost in 2024 (SEK)" in english and "The situation in October 2024" in english


def test_a_round_without_a_year_describes_the_year_it_opens(client, make_user):
    rnd = _open("kommunenkat-2019")
    year = timezone.localdate().year
    assert rnd.year == year
    client.force_login(make_user("k", "municipality_respondent", "0180"))
    text = page_text(client.get(f"/insamling/omgang/{rnd.pk}/svar/0180/"))
    assert f"Situationen i november {year}" in text
    assert f"Vad har kommunen gjort under {year}" in text
    assert "november 2019" not in text and "under 2019" not in text


def test_the_2019_round_still_reads_2019(client, make_user):
    rnd = _open("nulagesrapport-2019", year=2019)
    client.force_login(make_user("sam", "region_coordinator", "06"))
    text = page_text(client.get(f"/insamling/omgang/{rnd.pk}/svar/06/"))
    assert "Kostnad 2019 (kronor)" in text and "Läget i oktober 2019" in text


def test_analyst_opens_a_round_for_a_year_and_exports_its_texts(client, make_user):
    import io

    import openpyxl

    client.force_login(make_user("ana", "analyst"))
    form_page = page_text(client.get("/insamling/"))
    assert "Avser år" in form_page
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    page = client.post(
        "/insamling/omgang/ny/",
        {"form_id": "nulagesrapport-2019", "deadline": deadline, "year": "2025"},
        follow=True,
    )
    text = page_text(page)
    assert "Nulägesrapport 2025 – regionens omställning" in text
    assert "avser 2025" in text
    rnd = page.context["round"]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/insamling/omgang/{rnd.pk}/export.xlsx").content)
    )
    codebook_texts = [row[2] for row in book["kodbok"].iter_rows(values_only=True)]
    assert (
        "Statliga medel som regionen fått enligt överenskommelserna 2025 (kronor)" in codebook_texts
    )
    codebook = page_text(client.get("/insamling/formular/nulagesrapport-2019/kodbok/?ar=2025"))
    assert "Läget i oktober 2025" in codebook


def test_a_year_that_is_not_a_year_is_refused(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    page = client.post(
        "/insamling/omgang/ny/",
        {"form_id": "nulagesrapport-2019", "deadline": deadline, "year": "tjugo"},
        follow=True,
    )
    assert "Ange året som svaren avser med fyra siffror." in page_text(page)


def test_the_codebook_without_a_round_says_which_year_is_meant(client):
    text = page_text(client.get("/insamling/formular/nulagesrapport-2019/kodbok/"))
    assert "Läget i oktober [omgångens år]" in text
    assert "Kostnad [omgångens år] (kronor)" in text
    assert "{year}" not in text


# ------------------------------------------------------------- definitions ---


def _status_raw() -> dict:
    return yaml.safe_load(get_form("nulagesrapport-2019").source)


def _dump(raw: dict) -> str:
    return yaml.safe_dump(raw, allow_unicode=True)


def test_the_shipped_definitions_name_years_only_through_placeholders():
    for form_id in ("nulagesrapport-2019", "kommunenkat-2019"):
        form = get_form(form_id)
        assert form.placeholders == {"year"}
        assert get_form(form_id, 2031).reference_period["sv"].endswith("2031")


@pytest.mark.parametrize(
    "sv, en, message",
    [
        ("Kostnad {yr} (kronor)", "Cost in {yr} (SEK)", r"unknown placeholder \{yr\}"),
        ("Kostnad {year} (kronor)", "Cost in 2019 (SEK)", "name different years"),
        ("Kostnad {year (kronor)", "Cost in {year (SEK)", "brace"),
        ("Kostnad {year_before} (kronor)", "Cost in {year} (SEK)", "name different years"),
    ],
)
def test_a_definition_naming_an_unknown_year_is_refused(sv, en, message):
    raw = _status_raw()
    raw["sections"][4]["questions"][0]["fields"][5]["text"] = {"sv": sv, "en": en}
    with pytest.raises(DefinitionError, match=message):
        load_text(_dump(raw))


def test_year_before_and_after_are_relative_to_the_round():
    raw = _status_raw()
    raw["sections"][4]["questions"][0]["fields"][5]["text"] = {
        "sv": "Kostnad {year_before}–{year_after} (kronor)",
        "en": "Cost {year_before}–{year_after}",
    }
    form = load_text(_dump(raw), 2024)
    assert form.item("insatser").field("kostnad").text["sv"] == "Kostnad 2023–2025 (kronor)"


def test_the_schema_allows_only_the_known_placeholders():
    schema = json.loads(
        resources.files("naravard.collect").joinpath("definitions", "schema.json").read_text()
    )
    raw = _status_raw()
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(raw))
    raw["title"]["sv"] = "Nulägesrapport {år}"
    assert any("does not match" in e.message for e in validator.iter_errors(raw))


def test_forms_check_names_the_placeholder_and_the_years_used(cli, tmp_path):
    raw = _status_raw()
    good = tmp_path / "good.yaml"
    good.write_text(_dump(raw), encoding="utf-8")
    raw["reference_period"] = {"sv": "Läget i oktober {ar}", "en": "October {ar}"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(_dump(raw), encoding="utf-8")

    def check(path):
        return cli("forms", "check", str(path))

    ok = check(good)
    assert ok.returncode == 0, ok.stderr
    assert "years relative to the round: {year}" in ok.stdout
    refused = check(bad)
    assert refused.returncode != 0
    assert "reference_period/sv: unknown placeholder {ar}" in refused.stderr + refused.stdout


@pytest.mark.django_db
def test_the_command_line_opens_a_round_for_a_year_and_imports_submission_days(cli, tmp_path):
    """rounds open --year, responses import with submitted_at, rounds remind --dry-run."""

    def run(*args):
        out = cli(*args)
        assert out.returncode == 0, out.stderr
        return out.stdout

    assert "describing 2019" in run(
        "rounds", "open", "--form", "kommunenkat-2019", "--deadline", "2099-12-31", "--year", "2019"
    )
    answers = tmp_path / "svar-2019.csv"
    answers.write_text(
        "org,inskickad,2\n0180,2019-11-28 10:15,ja\nUppsala,,nej\n", encoding="utf-8"
    )
    assert "stored 2 responses" in run(
        "responses", "import", "--form", "kommunenkat-2019", str(answers)
    )
    rows = dict(
        Response.objects.filter(imported_at__isnull=False).values_list(
            "municipality_id", "submitted_at"
        )
    )
    stored_utc = rows["0180"].astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    assert stored_utc == "2019-11-28 09:15"  # 10:15 Swedish time, stored in UTC
    assert rows["0380"] is None  # the file gives no day: imported, not "submitted today"
    dry = run("rounds", "remind", "--form", "kommunenkat-2019", "--dry-run")
    assert "Would remind 0 organisations; 288 have no e-mail address. Nothing was sent." in dry
