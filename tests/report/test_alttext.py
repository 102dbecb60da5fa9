"""Alt text of the report's figures, written from their numbers (report/alttext.py), on
hand-made figures of each shape the report draws."""

import pytest
from django.utils import translation

from naravard.report.alttext import describe
from naravard.report.content import Figure, Num, Per

VARIATION_HEADER = ["Region", "Värde", "95 % KI, nedre", "95 % KI, övre", "Rang"]


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def by_region(values: dict[str, float | None], key="variation-named_doctor_share", d=1):
    rows = [[name, v, None, None, 0] for name, v in values.items()]
    return Figure(key, "Fast läkarkontakt per region", VARIATION_HEADER, rows, [None, d, d, d, 0])


def test_highest_and_lowest_region_with_the_indicators_unit_and_decimals():
    figure = by_region(
        {
            "Region Stockholm": 41.04,
            "Region Jämtland Härjedalen": 62.0,
            "Region Skåne": 55.55,
        }
    )
    assert describe(figure) == (
        "Andelen invånare med fast läkarkontakt var högst i Region Jämtland Härjedalen "
        "(62,0 %) och lägst i Region Stockholm (41,0 %)."
    )


def test_ties_are_all_named_and_missing_values_said():
    figure = by_region(
        {
            "Region Gotland": 1288.2,
            "Region Halland": 2057.4,
            "Region Kalmar län": 1288.2,
            "Region Örebro län": 2057.4,
            "Region Blekinge": None,
        },
        key="variation-avoidable_hospitalisations_per_100k",
    )
    assert describe(figure) == (
        "Undvikbar slutenvård per 100 000 invånare var högst i Region Halland och Region "
        "Örebro län (2\u2009057,4 per 100 000 invånare) och lägst i Region Gotland och Region "
        "Kalmar län (1\u2009288,2 per 100 000 invånare). Värde saknas för Region Blekinge."
    )


def test_many_missing_values_are_counted_and_one_value_is_said_as_such():
    values: dict[str, float | None] = {f"Region {n}": None for n in "ABCD"}
    values["Region E"] = 870
    figure = by_region(values, key="variation-online_booking_show", d=0)
    assert describe(figure) == (
        "Mottagningar med webbtidbok som visar tider var 870 st. i Region E. "
        "Värde saknas för 4 av 5."
    )
    assert describe(by_region({"Region A": None})) == "Figuren saknar värden."


def test_equal_values_everywhere():
    figure = by_region({"Region A": 0.8, "Region B": 0.8}, key="variation-continuity_upc", d=2)
    assert describe(figure) == (
        "Kontinuitet: andel läkarbesök hos den vanligaste mottagningen (UPC) var 0,80 i "
        "Region A och Region B."
    )


def test_categories_with_a_share_header_and_counts():
    shares = Figure(
        "beslut-samverkan",
        "Beslut om samverkan mellan kommun och region",
        ["Nivå", "Ja, %", "Nej, %", "Svar (n)"],
        [["Politisk nivå", 48.6, 51.4, 226], ["Professionsnivå", 43.2, 56.8, 222]],
        [None, 0, 0, 0],
    )
    assert describe(shares) == (
        "Andelen «Ja» var högst för Politisk nivå (49 %) och lägst för Professionsnivå (43 %)."
    )
    counts = Figure(
        "insatser-omstallning",
        "Insatser per skede",
        ["Skede", "Antal insatser"],
        [["Planerad", 0], ["Pilot", 3], ["Bred införing", 6]],
        [None, 0],
    )
    assert describe(counts) == (
        "Antal insatser var högst för Bred införing (6) och lägst för Planerad (0)."
    )


def test_a_grid_with_totals_names_its_total_and_largest_cells():
    figure = Figure(
        "skeden-omstallning",
        "Insatsernas skeden",
        ["Skede i förra rapporten", "Pilot", "Bred införing", "Avslutad", "Totalt"],
        [["Pilot", 1, 5, 0, 6], ["Bred införing", 0, 3, 2, 5]],
        [None, 0, 0, 0, 0],
    )
    assert describe(figure) == (
        "Sammanlagt 11. Vanligast: från Pilot till Bred införing (5), kvar i Bred införing "
        "(3) och från Bred införing till Avslutad (2)."
    )


def test_a_grid_whose_total_is_not_the_sum_is_described_as_categories():
    figure = Figure(
        "skeden-x",
        "Insatsernas skeden",
        ["Skede", "Pilot", "Bred införing", "Totalt"],
        [["Pilot", 1, 5, 7], ["Bred införing", 0, 3, 3]],
        [None, 0, 0, 0],
    )
    assert describe(figure).startswith("Pilot var högst för Pilot (1) och lägst för")


def national_trend() -> Figure:
    return Figure(
        "riket-trend-personcentrerad-vard",
        "Indikatorerna i riket över tid",
        ["Indikator", "Period", "Riket"],
        [
            ["Andel invånare med fast läkarkontakt", Per("2019-12-31"), Num(61.4, 1)],
            ["Andel invånare med fast läkarkontakt", Per("2021-12-31", mark=1), Num(65.2, 1)],
            ["Oplanerade återinskrivningar inom 30 dagar", Per("2019"), Num(12.3, 1)],
            ["Oplanerade återinskrivningar inom 30 dagar", Per("2021"), Num(11.9, 1)],
            ["Kontinuitet enligt Bice–Boxerman (COC)", Per("2019"), Num(0.7, 2)],
            ["Kontinuitet enligt Bice–Boxerman (COC)", Per("2021"), Num(0.7, 2)],
            ["Kontinuitet enligt Bice–Boxerman (COC)", Per("2022"), Num(None, 2)],
        ],
        [None, None, 1],
    )


def test_series_over_time_from_first_to_last_value_without_note_marks():
    assert describe(national_trend()) == (
        "Andelen invånare med fast läkarkontakt ökade från 61,4 % (31 december 2019) till "
        "65,2 % (31 december 2021). Oplanerade återinskrivningar inom 30 dagar minskade från "
        "12,3 % (2019) till 11,9 % (2021). Kontinuitet enligt Bice–Boxerman (COC) var 0,70 "
        "både 2019 och 2021."
    )


def test_a_region_and_the_nation_over_time():
    name = "Andel digitala kontakter i primärvården"
    figure = Figure(
        "profil-01-trender",
        "Region Stockholm och riket över tid",
        ["Indikator", "Period", "Område", "Värde"],
        [
            [name, Per("2019"), "Region Stockholm", Num(4.0, 1)],
            [name, Per("2019"), "Riket", Num(3.9, 1)],
            [name, Per("2021"), "Region Stockholm", Num(12.0, 1)],
            [name, Per("2021"), "Riket", Num(12.04, 1)],
        ],
        [None, None, None, 1],
    )
    assert describe(figure) == (
        f"{name}: Region Stockholm ökade från 4,0 % (2019) till 12,0 % (2021), "
        "Riket ökade från 3,9 % (2019) till 12,0 % (2021)."
    )


def test_a_region_and_the_nation_side_by_side_over_time():
    """The profile's table: one row per period, the region's value and the nation's."""
    name = "Andel digitala kontakter i primärvården"
    figure = Figure(
        "profil-01-trender",
        "Region Stockholm och riket över tid",
        ["Indikator", "Period", "Region Stockholm", "Riket"],
        [
            [name, Per("2019"), Num(4.0, 1), Num(3.9, 1)],
            [name, Per("2020"), Num(None, 1), Num(8.0, 1)],
            [name, Per("2021"), Num(12.0, 1), Num(12.04, 1)],
        ],
        [None, None, 1, 1],
    )
    assert describe(figure) == (
        f"{name}: Region Stockholm ökade från 4,0 % (2019) till 12,0 % (2021), "
        "Riket ökade från 3,9 % (2019) till 12,0 % (2021)."
    )


def test_english():
    figure = by_region({"Region Stockholm": 41.0, "Region Gotland": 62.0, "Region Skåne": None})
    with translation.override("en"):
        assert describe(figure) == (
            "Share of residents with a named regular doctor was highest in Region Gotland "
            "(62.0 %) and lowest in Region Stockholm (41.0 %). No value for Region Skåne."
        )
        name = "Unplanned readmissions within 30 days"
        trend = Figure(
            "riket-trend-personcentrerad-vard",
            "The indicators in the nation over time",
            ["Indicator", "Period", "Nation"],
            [[name, Per("2019"), Num(12.3, 1)], [name, Per("2021"), Num(11.9, 1)]],
            [None, None, 1],
        )
        assert describe(trend) == f"{name} fell from 12.3 % (2019) to 11.9 % (2021)."
