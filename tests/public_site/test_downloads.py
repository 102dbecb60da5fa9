"""The public pages' tables as files for people: for Excel in the page's language, read back as
a Swedish (or English) spreadsheet reads them, their numbers those of the open API."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db
URL = "/statistik/named_doctor_share/hamta"


def table_and_facts(content: bytes, sep: str, decimal: str) -> tuple[pd.DataFrame, dict]:
    """The file as a spreadsheet with the reader's locale opens it: the table down to the
    empty line, then the facts about it."""
    text = content.decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text  # a BOM, Windows line ends
    table, _blank, facts = text.removeprefix("\ufeff").partition("\r\n\r\n")
    frame = pd.read_csv(io.StringIO(table), sep=sep, decimal=decimal, dtype={0: str})
    about = dict(line.split(sep, 1) for line in facts.splitlines()[1:] if line)
    return frame, about


def api_rows(client, **params) -> dict[str, dict]:
    rows = client.get("/api/open/indicators/named_doctor_share/values", params).json()
    return {row["org"]: row for row in rows}


def test_the_swedish_file_has_decimal_commas_swedish_words_and_whole_counts(
    client, released_named_doctor
):
    response = client.get(f"{URL}.csv", {"period": "2021", "kon": "K"})
    assert response.status_code == 200
    assert (
        'filename="named_doctor_share-2021-12-31-region-K.csv"' in response["Content-Disposition"]
    )
    raw = response.content.decode("utf-8")
    assert raw.splitlines()[0].startswith("\ufeffKod;Område;Period;Kön;Ålder;Värde (%)")
    frame, about = table_and_facts(response.content, ";", ",")
    assert len(frame) == 22  # the regions and the nation
    api = api_rows(client, period="2021", sex="K")
    for _, row in frame.iterrows():
        want = api[row["Kod"]]
        if want["suppressed"]:
            assert row["Dold av sekretesskäl"] == "ja" and pd.isna(row["Värde (%)"])
            continue
        assert row["Dold av sekretesskäl"] == "nej"
        assert row["Värde (%)"] == round(want["value"], 1)  # a number, as the page shows it
        assert row["Nedre gräns, 95 %"] == round(want["ci_low"], 1)
        assert row["Täljare"] == want["numerator"] and float(row["Täljare"]).is_integer()
    text_cells = set(frame["Jämfört med riket"].dropna()) | set(frame["Kön"])
    assert text_cells <= {"bättre", "likvärdig", "sämre", "kvinnor"}
    assert "kvinnor" in text_cells and "31 december 2021" in set(frame["Period"])
    assert ".0;" not in raw and "True" not in raw and "better" not in raw
    assert about["Indikator"] == "Andel invånare med fast läkarkontakt"
    for fact in ("Definition", "Källa", "Publicerad", "Licens", "Webbsida", "Röjandekontroll"):
        assert about.get(fact), fact
    assert about["Webbsida"].endswith(
        "/statistik/named_doctor_share/?period=2021-12-31&niva=region&kon=K&alder=total"
    )


def test_the_english_file_is_for_an_english_spreadsheet(client, released_named_doctor):
    response = client.get(f"/en{URL}.csv", {"period": "2021"})
    assert response.status_code == 200
    frame, about = table_and_facts(response.content, ",", ".")
    assert list(frame.columns)[:6] == ["Code", "Area", "Period", "Sex", "Age", "Value (%)"]
    assert set(frame["Sex"]) == {"total"} and "Definition" in about and "Licence" in about
    api = api_rows(client, period="2021")
    stockholm = frame[frame["Code"] == "01"].iloc[0]
    assert stockholm["Value (%)"] == round(api["01"]["value"], 1)


def test_the_workbook_holds_numbers_with_the_units_decimals_and_the_facts(
    client, released_named_doctor
):
    response = client.get(f"{URL}.xlsx", {"period": "2021"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    table, about = book["Uppgifter"], book["Om uppgifterna"]
    header = [c.value for c in table[1]]
    value = header.index("Värde (%)") + 1
    api = api_rows(client, period="2021")
    stockholm = next(row for row in table.iter_rows(min_row=2) if row[0].value == "01")
    assert stockholm[value - 1].value == round(api["01"]["value"], 1)
    assert stockholm[value - 1].number_format == "0.0"
    facts = {row[0].value: row[1].value for row in about.iter_rows()}
    assert facts["Indikator"] == "Andel invånare med fast läkarkontakt" and facts["Licens"]


def test_every_page_with_a_table_links_to_its_files(client, released_named_doctor):
    for page, link in (
        ("/statistik/named_doctor_share/", f"{URL}.csv?period=2021-12-31"),
        ("/region/05/", "/region/05/hamta.xlsx"),
        (
            "/jamfor/?region=01&region=05&indikator=named_doctor_share",
            "/jamfor/hamta.csv?region=01&amp;region=05&amp;indikator=named_doctor_share",
        ),
    ):
        html = client.get(page).content.decode()
        assert link in html, page


def test_a_region_and_a_comparison_as_files(client, released_named_doctor):
    region, _about = table_and_facts(client.get("/region/05/hamta.csv").content, ";", ",")
    assert list(region.columns) == [
        "Indikator", "Enhet", "Period", "Region Östergötland", "Riket",
        "Jämfört med riket", "Målet", "Trend",
    ]  # fmt: skip
    api = api_rows(client, period="2021")
    row = region.iloc[0]
    assert row["Indikator"] == "Andel invånare med fast läkarkontakt"
    assert float(row["Region Östergötland"]) == round(api["05"]["value"], 1)
    compared, _about = table_and_facts(
        client.get(
            "/jamfor/hamta.csv", {"region": ["01", "05"], "indikator": "named_doctor_share"}
        ).content,
        ";",
        ",",
    )
    assert float(compared.iloc[0]["Region Stockholm"]) == round(api["01"]["value"], 1)
    assert "Region Östergötland, nedre gräns 95 %" in compared.columns


def test_a_municipality_file_has_its_group(client, municipal_readmissions):
    assert "/kommun/0180/hamta.csv" in client.get("/kommun/0180/").content.decode()
    frame, _about = table_and_facts(client.get("/kommun/0180/hamta.csv").content, ";", ",")
    assert "Kommungruppen Storstäder" in frame.columns


@pytest.mark.parametrize(
    "url",
    [
        f"{URL}.pdf",
        f"{URL}.csv?period=1999",
        f"{URL}.csv?kon=X",
        "/statistik/no_such/hamta.csv",
        "/region/99/hamta.csv",
        "/jamfor/hamta.csv",
        "/jamfor/hamta.csv?region=01",
    ],
)
def test_a_download_that_cannot_be_made_is_a_404(client, released_named_doctor, url):
    assert client.get(url).status_code == 404
