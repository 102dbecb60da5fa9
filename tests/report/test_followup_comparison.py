"""A later follow-up's report compares with the previous one (report/comparison.py).

Two follow-ups, each of its own closed rounds: 2020 of the 2019 survey (kommunenkat-2019) and
status reports, data until 31 December 2019; 2022 of the 2021 survey (kommunenkat-2021, where
question 2 is recoded ja → finns and question 3 does not compare) and status reports, data
until 31 December 2021. The same 40 municipalities answer both surveys; every region has
digital contacts, readmissions (whose series breaks in 2021 here) and avoidable
hospitalisations for 2019 and 2021, and named doctors only at the end of 2019."""

import datetime as dt
import json
from dataclasses import replace

import pytest
from django.utils import translation
from statsmodels.stats.proportion import confint_proportions_2indep

from naravard.catalog.catalogue import Break, catalogue
from naravard.collect import services
from naravard.collect.definition import get_form
from naravard.ingest.importer import import_file
from naravard.refdata import files
from naravard.refdata.models import Municipality
from naravard.report import comparison
from naravard.report.build import build
from naravard.report.comparison import Delta
from naravard.report.content import build_report
from naravard.report.followups import create_followup
from naravard.report.models import FollowUp
from tests.helpers import kept_for_the_module

pytestmark = pytest.mark.django_db

COUNT = 40  # municipalities answering both rounds: the first 40 by code
# How many of the 40 answered "ja" (2021: "finns" to question 2) in each round
YES = {
    "1.politisk": (16, 31),  # +37.5 percentage points
    "1.ledning": (20, 22),  # +5: not significant
    "1.verksamhet": (10, 30),  # +50: the largest change
    "1.profession": (20, 18),
    "2": (12, 28),  # +40, recoded
}
SHORTAGE = (20, 30)  # "brist" in every row of question 3, which does not compare

DIGITAL = "digital_contact_share"  # share: 20 % in 2019, 65 % in 2021 (+45)
READMISSION = "readmission_30d"  # share, its series breaking in 2021
AVOIDABLE = "avoidable_hospitalisations_per_100k"  # rate: a change without an interval
NAMED_DOCTOR = "named_doctor_share"  # only 31 December 2019: no newer period in 2021
BREAK_REASON = {
    "sv": "Vårdtillfällena räknas på ett nytt sätt.",
    "en": "Episodes are counted anew.",
}


def answers(year: int, i: int) -> dict[str, str]:
    now = int(year == 2021)
    out = {
        item: ("ja" if i < counts[now] else "nej") for item, counts in YES.items() if item != "2"
    }
    agreed = i < YES["2"][now]
    out["2"] = ("finns" if agreed else "saknas") if now else ("ja" if agreed else "nej")
    if not agreed:
        out["2a"] = "ja" if i % 2 else "nej"
    for row in ("sjukskoterska", "fysioterapeut"):
        out[f"3.{row}"] = "brist" if i < SHORTAGE[now] else "balans"
    return out


def survey(form_id: str, year: int):
    rnd = services.open_round(
        form_id, dt.date(year, 11, 30), actor="test", historical=True, year=year
    )
    codes = Municipality.objects.order_by("code").values_list("code", flat=True)[:COUNT]
    rows = [
        services.ImportRow(n, code, answers(year, i))
        for i, (n, code) in enumerate(enumerate(codes, start=2))
    ]
    services.import_rows(rnd, rows, actor="test", require=False)
    return rnd


def status(form_id: str, year: int):
    return services.open_round(
        form_id, dt.date(year, 10, 15), actor="test", historical=True, year=year
    )


def persons(i: int) -> int:
    return 10_000 + 500 * i


def store_indicators() -> None:
    regions = files.regions()
    rows = {DIGITAL: [], READMISSION: [], AVOIDABLE: [], NAMED_DOCTOR: []}
    for i, r in enumerate(regions):
        n = persons(i)
        rows[DIGITAL] += [f"{r.code},2019,{n // 5},{n}", f"{r.code},2021,{n * 13 // 20},{n}"]
        rows[READMISSION] += [f"{r.code},2019,{n // 10},{n}", f"{r.code},2021,{n // 8},{n}"]
        rows[AVOIDABLE] += [f"{r.code},2019,{n // 100},{n}", f"{r.code},2021,{n // 125},{n}"]
        rows[NAMED_DOCTOR].append(f"{r.code},2019-12-31,{n // 2},{n}")
    for indicator_id, lines in rows.items():
        data = "\n".join(["org,period,numerator,denominator", *lines]).encode()
        import_file("v.csv", indicator_id, data=data, name="v.csv", actor="test")


@pytest.fixture(scope="module")
def followups(django_db_setup, django_db_blocker):
    """The names of the two follow-ups, stored for the module, readmissions breaking in 2021."""
    with pytest.MonkeyPatch.context() as patch, kept_for_the_module(django_db_blocker):
        ind = catalogue()[READMISSION]
        patch.setitem(catalogue(), READMISSION, replace(ind, breaks=(Break("2021", BREAK_REASON),)))
        store_indicators()
        for name, year in (("2020", 2019), ("2022", 2021)):
            create_followup(
                name,
                survey_round=survey(f"kommunenkat-{year}", year),
                status_round=status(f"nulagesrapport-{year}", year),
                data_until=dt.date(year, 12, 31),
                published_on=dt.date(year + 1, 6, 15),
                actor="test",
            )
        yield


def report_of(name: str, lang: str = "sv"):
    with translation.override(lang):
        return build_report(FollowUp.objects.get(name=name))


@pytest.fixture(scope="module")
def later(followups, django_db_blocker):
    """The 2022 report in Swedish, built once."""
    with django_db_blocker.unblock():
        return report_of("2022")


def block(report, key):
    return next(b for b in report.blocks() if b.key == key)


def row_of(table, start):
    return next(r for r in table.rows if str(r[0]).startswith(start))


def shown(table, start):
    return next(r for r in table.display_rows if r[0].startswith(start))


def newcombe_pp(count, n, previous_count, previous_n, scale=100):
    low, high = confint_proportions_2indep(
        count, n, previous_count, previous_n, method="newcomb", compare="diff"
    )
    return scale * low, scale * high


def test_the_chapter_survey_figure_shows_the_share_then_and_the_change_with_its_interval(later):
    figure = block(later, "beslut-samverkan")
    assert figure.header[4:] == [
        "Ja 2019, %",
        "Förändring, procentenheter",
        "95 % KI, nedre",
        "95 % KI, övre",
    ]
    row = row_of(figure, "Verksamhetschefsnivå")
    assert row[1:4] == [pytest.approx(75.0), pytest.approx(25.0), COUNT]
    assert row[4] == pytest.approx(25.0)
    assert row[5] == Delta(pytest.approx(50.0), 0)
    assert (row[6].value, row[7].value) == pytest.approx(newcombe_pp(30, COUNT, 10, COUNT))
    assert shown(figure, "Verksamhetschefsnivå")[5] == "+50"
    assert shown(figure, "Professionsnivå")[5] == "\u22125"
    # the chart draws the 2019 bar above the 2021 bar of each level
    values = figure.spec["datasets"][figure.spec["data"]["name"]]
    labels = list(dict.fromkeys(v["label"] for v in values))
    assert labels[:2] == ["2019: Politisk nivå", "2021: Politisk nivå"]


def test_a_recoded_question_compares_through_its_lineage(later):
    table = block(later, "gemensam-malbild")
    row = row_of(table, "Ja, en gemensam målbild finns")  # 'finns' now, 'ja' in 2019
    assert row[2:4] == [pytest.approx(70.0), pytest.approx(30.0)]
    assert str(row[4]) == "+40"
    assert (row[5].value, row[6].value) == pytest.approx(newcombe_pp(28, COUNT, 12, COUNT))


def test_a_question_that_does_not_compare_says_why_instead_of_a_change(later):
    reason = get_form("kommunenkat-2021").question("3").lineage.not_comparable["sv"]
    staff = block(later, "personal")
    assert staff.note.endswith(f"Fråga 3 jämförs inte med 2019: {reason}")
    assert "personal-forandring" not in [b.key for b in later.blocks()]
    assert reason not in block(later, "gemensam-malbild").note  # question 2 compares
    stockholm = block(later, "profil-01-enkat")
    assert "jämförs inte" not in stockholm.note  # question 3 has three answers: not in it


def test_a_comparable_grid_shows_each_profession_and_answer_then_and_now(followups, monkeypatch):
    """Were question 3 comparable (a later form that keeps its wording), the staff table
    would be followed by one row per profession and answer with the change."""
    real = comparison.survey_change

    def as_if_comparable(followup, previous):
        change = real(followup, previous)
        for item_id, c in change.nation.items.items():
            if item_id.startswith("3."):
                options = {
                    code: replace(o, change_pp=1.0, change_ci_low=-2.0, change_ci_high=4.0)
                    for code, o in c.options.items()
                }
                change.nation.items[item_id] = replace(c, comparable=True, options=options)
        return change

    monkeypatch.setattr(comparison, "survey_change", as_if_comparable)
    table = block(report_of("2022"), "personal-forandring")
    assert table.title == "Balansen per profession 2021 jämfört med 2019"
    row = next(r for r in table.display_rows if r[:2] == ["Sjuksköterska", "Brist"])
    assert row[2:] == ["75", "50", "+1", "\u22122", "4"]
    assert len(table.rows) == 6 * 5 and not table.note


def test_indicators_show_their_value_then_and_the_change_but_not_across_a_break(later):
    table = block(later, "riket-forandring-personcentrerad-vard")
    assert table.header == [
        "Indikator",
        "Period då",
        "Värde då",
        "Period nu",
        "Värde nu",
        "Förändring",
        "95 % KI, nedre",
        "95 % KI, övre",
    ]
    assert shown(table, "Oplanerade återinskrivningar")[1:] == [
        "2019",
        "10,0",
        "2021",
        "12,5",
        "ej jämförbar (tidsseriebrott 2021)",
        "–",
        "–",
    ]
    assert f"Tidsseriebrott 2021: {BREAK_REASON['sv'].rstrip('.')}." in table.note
    named = shown(table, "Andel invånare med fast läkarkontakt")
    assert named[1] == "31 december 2019"  # current for 2020, stale for 2022
    assert named[3:6] == ["senaste tillgängliga: 31 december 2019", "50,0", "ingen ny period"]
    # a share: Newcombe's interval on the nation's sums; a rate: no interval
    sizes = [persons(i) for i in range(len(files.regions()))]
    digital = row_of(block(later, "riket-forandring-digitala-tjanster"), "Andel digitala")
    assert digital[5].value == pytest.approx(digital[4].value - digital[2].value)
    assert (digital[6].value, digital[7].value) == pytest.approx(
        newcombe_pp(
            sum(n * 13 // 20 for n in sizes), sum(sizes), sum(n // 5 for n in sizes), sum(sizes)
        )
    )
    avoidable = row_of(block(later, "riket-forandring-mal-och-strategier"), "Undvikbar slutenvård")
    assert avoidable[5].value < 0 and avoidable[6].value is None


def test_each_region_profile_compares_its_own_values(later):
    table = block(later, "profil-14-forandring")
    assert table.refs == [  # what the region fact-checks: each row's indicator and period
        (AVOIDABLE, "2021"),
        (NAMED_DOCTOR, "2019-12-31"),
        (READMISSION, "2021"),
        (DIGITAL, "2021"),
    ]  # in the outline's order of chapters
    # its values now are in the table above, row for row; here then, and the change
    assert table.header == [
        "Indikator",
        "Period då",
        "Värde då",
        "Förändring",
        "95 % KI, nedre",
        "95 % KI, övre",
    ]
    assert table.refs == block(later, "profil-14-indikatorer").refs
    n = persons([r.code for r in files.regions()].index("14"))
    digital = row_of(table, "Andel digitala")
    assert digital[2].value == pytest.approx(100 * (n // 5) / n)
    assert digital[3].value == pytest.approx(100 * (n * 13 // 20) / n - 100 * (n // 5) / n)
    assert (digital[4].value, digital[5].value) == pytest.approx(
        newcombe_pp(n * 13 // 20, n, n // 5, n)
    )
    assert "ej jämförbar (tidsseriebrott 2021)" in shown(table, "Oplanerade återinskrivningar")
    # the county's municipalities against their answers in 2019, where enough answered
    stockholm = block(later, "profil-01-enkat")
    assert stockholm.header[1] == "Svar" and stockholm.header[5] == "Länet 2019, %"
    verksamhet = shown(stockholm, "1. Finns det beslut")  # the first row: politisk nivå
    assert verksamhet[1:] == ["Ja", "26", "100", "78", "62", "+38", "18", "57"]
    goal = shown(stockholm, "2. ")  # recoded from ja/nej: its first answer, 2019's "ja"
    assert goal[1] == "Ja, en gemensam målbild finns" and goal[6] not in {"–", "ny fråga"}
    assert shown(stockholm, "2a.")[5:7] == ["–", "–"]  # nobody asked in 2021
    assert shown(stockholm, "5.")[6] == "ny fråga"
    nobody = block(later, "profil-05-enkat")  # no municipality of Östergötland answered
    assert {str(r[6]) for r in nobody.rows if not r[0].startswith("5.")} == {"–"}


def test_the_summary_names_the_three_largest_significant_changes(later, followups):
    digital = row_of(block(later, "riket-forandring-digitala-tjanster"), "Andel digitala")
    decision = newcombe_pp(30, COUNT, 10, COUNT)
    vision = newcombe_pp(28, COUNT, 12, COUNT)

    def whole(low_high):
        return "–".join(f"{round(x):d}" for x in low_high)

    def tenths(low_high):
        return "–".join(f"{x:.1f}".replace(".", ",") for x in low_high)

    # verksamhet +50, digital contacts +45, question 2 +40; politisk +37.5 is the fourth
    assert later.summary[-3:] == [
        "Andelen kommuner som svarade ”Ja” på fråga 1 (Verksamhetschefsnivå) ökade från 25 % "
        f"till 75 % (+50 procentenheter, 95 % KI {whole(decision)}).",
        "Andel digitala kontakter i primärvården ökade i riket från 20,0 % (2019) till 65,0 % "
        f"(2021), +45,0 procentenheter (95 % KI {tenths([digital[6].value, digital[7].value])}).",
        "Andelen kommuner som svarade ”Ja, en gemensam målbild finns” på fråga 2 ökade från "
        f"30 % till 70 % (+40 procentenheter, 95 % KI {whole(vision)}).",
    ]
    english = report_of("2022", "en").summary[-3:]
    assert english[0] == (
        "The share of municipalities that answered “Yes” to question 1 (Heads of services) "
        f"rose from 25 % to 75 % (+50 percentage points, 95 % CI {whole(decision)})."
    )
    assert english[1].startswith(
        "Share of primary-care contacts that are digital rose in the nation from 20.0 % (2019) "
        "to 65.0 % (2021), +45.0 percentage points (95 % CI "
    )


def test_the_first_followups_report_compares_nothing(followups):
    report = report_of("2020")
    assert report.previous is None
    keys = [b.key for b in report.blocks()]
    assert not [k for k in keys if "forandring" in k]
    assert block(report, "beslut-samverkan").header == ["Nivå", "Ja, %", "Nej, %", "Svar (n)"]
    assert len(block(report, "profil-01-enkat").header) == 5
    words = " ".join(report.summary + [p for s in report.sections for p in s.paragraphs])
    assert "procentenheter" not in words and "förra uppföljningen" not in words


def test_a_followup_of_the_same_survey_round_compares_only_its_indicators(followups):
    later = FollowUp.objects.get(name="2022")
    FollowUp.objects.create(
        name="2023",
        title_sv="Uppföljning 2023",
        title_en="Follow-up 2023",
        published_on=dt.date(2023, 6, 15),
        data_until=dt.date(2022, 12, 31),
        survey_round=later.survey_round,
        status_round=later.status_round,
    )
    report = report_of("2023")
    method = next(s for s in report.sections if s.key == "metod").paragraphs
    assert "Kommunenkäten är samma omgång som i förra uppföljningen" in " ".join(method)
    assert len(block(report, "beslut-samverkan").header) == 4
    assert block(report, "riket-forandring-digitala-tjanster").display_rows  # indicators compare
    assert not any("fråga" in s for s in report.summary[-3:])


def test_the_same_store_gives_the_same_report_and_the_manifest_names_what_it_compares(
    followups, tmp_path
):
    first, second = (
        build("2022", tmp_path / "a", pdf=False),
        build("2022", tmp_path / "b", pdf=False),
    )
    assert first.files == second.files
    for rel in first.files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["compared_with"] == "2020"
    responses = [k for k in manifest["inputs"] if k.startswith("responses/kommunenkat-")]
    assert [k.split("/")[1] for k in sorted(responses)] == ["kommunenkat-2019", "kommunenkat-2021"]
    data = tmp_path / "a" / "data"
    vision = next(data.glob("tabell-*-gemensam-malbild.csv")).read_text().splitlines()
    assert vision[1].startswith('"Ja, en gemensam målbild finns",28,70.0,30.0,40.0,')
    assert ",ny fråga,," in next(data.glob("tabell-*-profil-01-enkat.csv")).read_text()
    first_report = build("2020", tmp_path / "c", pdf=False)
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert "compared_with" not in manifest and first_report.report.previous is None
