"""The report marks a break in a series as the pages do: its figures over time split the line
with a rule, their tables mark the first period after the break with a note giving the
reason, the trend runs from the break on, and the method section names the break."""

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import translation

from naravard.catalog.catalogue import Break, catalogue
from naravard.report import render
from naravard.report.content import build_report
from tests.helpers import make_followup, store_turning_digital_shares

pytestmark = pytest.mark.django_db

DIGITAL = "digital_contact_share"
REASON = {"sv": "Kontakterna räknas på ett nytt sätt.", "en": "Contacts are counted anew."}
NAME = "Andel digitala kontakter i primärvården"


@pytest.fixture
def broken(monkeypatch):
    """Digital contacts 2019–2023 (up to 2021, then down), their series breaking in 2021."""
    store_turning_digital_shares()
    ind = catalogue()[DIGITAL]
    monkeypatch.setitem(catalogue(), DIGITAL, replace(ind, breaks=(Break("2021", REASON),)))
    return make_followup("2024", dt.date(2023, 12, 31), dt.date(2024, 6, 15))


def build(followup, lang="sv"):
    with translation.override(lang):
        return build_report(followup)


def block(report, key):
    return next(b for b in report.blocks() if b.key == key)


def units(spec: dict) -> list[dict]:
    return spec["spec"]["layer"]


def panel(row: dict) -> str:
    """The indicator of a small multiple's row: its panel's title on one line."""
    return row["panel"].replace("\n", " ")


def assert_split(figure) -> None:
    """The figure's lines are split at the break, and a labelled rule stands there."""
    layers = units(figure.spec)
    line = next(u for u in layers if u["mark"] in ("line", {"type": "line"}))
    assert line["encoding"]["detail"]["field"] == "segment"
    rows = figure.spec["datasets"][figure.spec["data"]["name"]]
    digital_name = catalogue()[DIGITAL].name["sv"]
    digital = {(r["when"], r["segment"]) for r in rows if panel(r) == digital_name}
    assert {("2020", 0), ("2021", 1)} <= digital
    marked = [r for r in rows if r.get("break_label")]
    assert [(panel(r), r["when"]) for r in marked] == [(digital_name, "2021")]
    assert any(u["mark"]["type"] == "rule" for u in layers if isinstance(u["mark"], dict))
    assert "Tidsseriebrott" in render.svg(figure.spec)


def test_the_national_figure_and_its_table_mark_the_break(broken):
    report = build(broken)
    figure = block(report, "riket-trend-digitala-tjanster")
    assert_split(figure)
    periods = [row[1] for row in figure.display_rows if row[0] == NAME]
    assert periods == ["2019", "2020", "2021¹", "2022", "2023"]
    assert figure.note == f"¹ Tidsseriebrott 2021: {REASON['sv']}"
    assert [str(row[1].value) for row in figure.rows if row[0] == NAME][2] == "2021"  # CSV


def test_a_regions_profile_marks_the_break_and_trends_from_it(broken):
    report = build(broken)
    figure = block(report, "profil-14-trender")
    assert_split(figure)
    assert {row[1] for row in figure.display_rows if row[0] == NAME} >= {"2021¹", "2020"}
    assert figure.note == f"¹ Tidsseriebrott 2021: {REASON['sv']}"
    table = block(report, "profil-14-indikatorer")
    row = next(r for r in table.rows if r[0] == NAME)
    # from 2021 on the shares fall (12, 9, 6 %): not the rise and fall across the break
    assert row[table.header.index("Trend")] == "minskar sedan tidsseriebrottet 2021"
    method = " ".join(next(s for s in report.sections if s.key == "metod").paragraphs)
    assert f"{NAME} – Tidsseriebrott 2021: {REASON['sv'][:-1]}." in method


def test_in_english(broken):
    report = build(broken, "en")
    figure = block(report, "riket-trend-digitala-tjanster")
    assert figure.note == f"¹ Break in series 2021: {REASON['en']}"
    table = block(report, "profil-14-indikatorer")
    row = next(r for r in table.rows if r[0] == "Share of primary-care contacts that are digital")
    assert row[table.header.index("Trend")] == "decreasing since the break in series in 2021"


def test_without_a_break_nothing_is_marked(monkeypatch):
    store_turning_digital_shares()
    followup = make_followup("2024", dt.date(2023, 12, 31), dt.date(2024, 6, 15))
    figure = block(build(followup), "riket-trend-digitala-tjanster")
    assert figure.note == "" and all("¹" not in str(row[1]) for row in figure.display_rows)
